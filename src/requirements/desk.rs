//! What of requirements waits for a viewer: the newest version of an engagement's
//! requirements to sign for their party, and review rounds they have yet to vote in.

use chrono::NaiveDate;
use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, sea_query::Expr};

use super::{
    entity::{review_reviewer, review_round, review_vote, signature, version},
    versions::{may_bind_party, required_of},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{DESK_LIMIT, Id, Waiting},
    engagements::dashboard::{Awaiting, Due, Item},
    error::AppResult,
};

pub async fn waiting(state: &AppState, viewer: &Viewer) -> AppResult<Vec<Waiting>> {
    let mut out = Vec::new();
    // Only the newest version of an engagement can be signed.
    let newest = version::Entity::find()
        .filter(viewer.engagement_ids_scope(version::Column::EngagementId))
        .filter(Expr::cust(
            "requirement_versions.number = (SELECT MAX(v2.number) FROM requirement_versions v2 \
             WHERE v2.engagement_id = requirement_versions.engagement_id)",
        ))
        .order_by_desc(version::Column::Id)
        .limit(DESK_LIMIT)
        .all(&state.db)
        .await?;
    let asked: Vec<&version::Model> = newest.iter().filter(|v| required_of(v).contains(&viewer.party.id)).collect();
    let signed = db::id_set(
        signature::Entity::find()
            .filter(signature::Column::VersionId.is_in(asked.iter().map(|v| v.id)))
            .filter(signature::Column::PartyId.eq(viewer.party.id)),
        signature::Column::VersionId,
        &state.db,
    )
    .await?;
    for v in asked {
        if !signed.contains(&v.id) && may_bind_party(state, viewer, v.engagement_id).await? {
            out.push(Waiting {
                what: "waiting-sign-requirements",
                title: format!("v{}", v.number),
                engagement_id: Some(v.engagement_id),
                context: String::new(),
                due: None,
                url: format!("/requirement-versions/{}", v.id),
            });
        }
    }
    // Open review rounds the viewer reviews and has not voted in.
    let mine = review_reviewer::Entity::find()
        .select_only()
        .column(review_reviewer::Column::RoundId)
        .filter(review_reviewer::Column::UserId.eq(viewer.user.id))
        .into_query();
    let voted = review_vote::Entity::find()
        .select_only()
        .column(review_vote::Column::RoundId)
        .filter(review_vote::Column::UserId.eq(viewer.user.id))
        .into_query();
    let rounds = review_round::Entity::find()
        .filter(viewer.engagement_ids_scope(review_round::Column::EngagementId))
        .filter(review_round::Column::State.eq("open"))
        .filter(review_round::Column::Id.in_subquery(mine))
        .filter(review_round::Column::Id.not_in_subquery(voted))
        .order_by_asc(review_round::Column::Deadline)
        .limit(DESK_LIMIT)
        .all(&state.db)
        .await?;
    out.extend(rounds.into_iter().map(|r| Waiting {
        what: "waiting-vote-review",
        url: format!("/engagements/{}/reviews/{}", r.engagement_id, r.id),
        title: r.title,
        engagement_id: Some(r.engagement_id),
        context: String::new(),
        due: Some(r.deadline),
    }));
    Ok(out)
}

/// What of engagement `engagement_id` waits in requirements: open review rounds due by
/// `horizon` (dated), and the newest version while a party has yet to sign it. Every
/// participant sees an engagement's rounds and versions. For the overview's due card.
pub fn due<'a>(
    state: &'a AppState,
    viewer: &'a Viewer,
    engagement_id: i64,
    horizon: NaiveDate,
) -> BoxFuture<'a, AppResult<Due>> {
    Box::pin(async move {
        let mut due = Due::default();
        let rounds = review_round::Entity::find()
            .filter(viewer.engagement_ids_scope(review_round::Column::EngagementId))
            .filter(review_round::Column::EngagementId.eq(engagement_id))
            .filter(review_round::Column::State.eq("open"))
            .filter(review_round::Column::Deadline.lte(horizon))
            .order_by_asc(review_round::Column::Deadline)
            .limit(DESK_LIMIT)
            .all(&state.db)
            .await?;
        due.dated.extend(rounds.into_iter().map(|r| Item {
            kind: "review",
            id: Id(r.id),
            url: format!("/engagements/{}/reviews/{}", r.engagement_id, r.id),
            name: r.title,
            due_date: r.deadline,
        }));
        let newest = version::Entity::find()
            .filter(viewer.engagement_ids_scope(version::Column::EngagementId))
            .filter(version::Column::EngagementId.eq(engagement_id))
            .order_by_desc(version::Column::Number)
            .one(&state.db)
            .await?;
        if let Some(v) = newest {
            let signed = db::id_set(
                signature::Entity::find().filter(signature::Column::VersionId.eq(v.id)),
                signature::Column::PartyId,
                &state.db,
            )
            .await?;
            if required_of(&v).iter().any(|p| !signed.contains(p)) {
                due.awaiting.push(Awaiting {
                    kind: "requirements-signature",
                    name: format!("v{}", v.number),
                    url: format!("/requirement-versions/{}", v.id),
                });
            }
        }
        Ok(due)
    })
}
