//! What of acceptance waits for a viewer: submitted rounds whose result they may record, and
//! decided rounds their party has yet to sign.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    entity::{acceptance, signature},
    service::{binds, may_decide, required_of, scope},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{DESK_LIMIT, Waiting},
    engagements::{
        dashboard::{Awaiting, Due},
        entity::deliverable,
    },
    error::AppResult,
};

/// Rounds the viewer may see that are not over yet (waiting for a result or for signatures),
/// the oldest first.
async fn open_rounds(state: &AppState, viewer: &Viewer, only: Condition) -> AppResult<Vec<acceptance::Model>> {
    Ok(acceptance::Entity::find()
        .filter(scope(viewer))
        .filter(only)
        .filter(acceptance::Column::State.ne("rejected"))
        .filter(acceptance::Column::EffectiveAt.is_null())
        .order_by_asc(acceptance::Column::SubmittedAt)
        .limit(DESK_LIMIT)
        .all(&state.db)
        .await?)
}

pub async fn waiting(state: &AppState, viewer: &Viewer) -> AppResult<Vec<Waiting>> {
    let open = open_rounds(state, viewer, Condition::all()).await?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let deliverables: HashMap<i64, deliverable::Model> = deliverable::Entity::find()
        .filter(deliverable::Column::Id.is_in(open.iter().map(|a| a.deliverable_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let signed = db::id_set(
        signature::Entity::find()
            .filter(signature::Column::AcceptanceId.is_in(open.iter().map(|a| a.id)))
            .filter(signature::Column::PartyId.eq(viewer.party.id)),
        signature::Column::AcceptanceId,
        &state.db,
    )
    .await?;
    let mut out = Vec::new();
    for a in open {
        let Some(d) = deliverables.get(&a.deliverable_id) else { continue };
        let initial = a.stage == "initial";
        let what = if a.state == "submitted" {
            let key = if initial { "waiting-record-initial" } else { "waiting-record-final" };
            may_decide(state, viewer, d).await?.then_some(key)
        } else {
            let asked = required_of(&a).contains(&viewer.party.id) && !signed.contains(&a.id);
            let key = if initial { "waiting-sign-initial" } else { "waiting-sign-final" };
            (asked && binds(state, viewer, a.engagement_id).await?).then_some(key)
        };
        if let Some(what) = what {
            out.push(Waiting {
                what,
                title: format!("{} #{}", d.name, a.round),
                engagement_id: Some(a.engagement_id),
                context: String::new(),
                due: None,
                url: format!("/engagements/{}/acceptances/{}", a.engagement_id, a.id),
            });
        }
    }
    Ok(out)
}

/// What of engagement `engagement_id` waits in acceptance, of the rounds the viewer may see: a
/// result to record, or signatures still missing. For the overview's due card.
pub fn due<'a>(
    state: &'a AppState,
    viewer: &'a Viewer,
    engagement_id: i64,
    _horizon: NaiveDate,
) -> BoxFuture<'a, AppResult<Due>> {
    Box::pin(async move {
        let this = Condition::all().add(acceptance::Column::EngagementId.eq(engagement_id));
        let open = open_rounds(state, viewer, this).await?;
        let names: HashMap<i64, String> = deliverable::Entity::find()
            .select_only()
            .columns([deliverable::Column::Id, deliverable::Column::Name])
            .filter(deliverable::Column::Id.is_in(open.iter().map(|a| a.deliverable_id)))
            .into_tuple::<(i64, String)>()
            .all(&state.db)
            .await?
            .into_iter()
            .collect();
        let awaiting = open
            .into_iter()
            .map(|a| Awaiting {
                kind: if a.state == "submitted" { "acceptance-result" } else { "acceptance-signature" },
                name: names.get(&a.deliverable_id).cloned().unwrap_or_default(),
                url: format!("/engagements/{}/acceptances/{}", a.engagement_id, a.id),
            })
            .collect();
        Ok(Due { dated: Vec::new(), awaiting })
    })
}
