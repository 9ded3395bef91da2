//! What of contracts waits for a viewer: a version to review in their capacity or to sign for
//! their side, obligations their party owes that are late or due within days, and payments
//! waiting on finance: installments due or invoiced, and open disputes.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

use super::{
    disputes::may_dispute,
    entity::{contract, contract_engagement, dispute, installment, obligation, review, signature, version},
    lifecycle::capacities,
    obligations::REMIND_DAYS,
    service::{is_finance, may_manage, scope},
    signing::may_sign,
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{DESK_LIMIT, Id, Waiting, add_days},
    engagements::dashboard::{Awaiting, Due, Item},
    error::AppResult,
};

fn item(what: &'static str, c: &contract::Model, title: String, due: Option<NaiveDate>) -> Waiting {
    Waiting { what, title, engagement_id: None, context: c.number.clone(), due, url: format!("/contracts/{}", c.id) }
}

pub async fn waiting(state: &AppState, viewer: &Viewer, today: NaiveDate) -> AppResult<Vec<Waiting>> {
    let mut out = Vec::new();
    // Versions in review or approved, of contracts the viewer may see.
    let pending = version::Entity::find()
        .filter(version::Column::Status.is_in(["in_review", "approved"]))
        .filter(version::Column::ContractId.in_subquery(visible_ids(viewer)))
        .order_by_asc(version::Column::Id)
        .limit(DESK_LIMIT)
        .all(&state.db)
        .await?;
    let contracts = load(state, pending.iter().map(|v| v.contract_id)).await?;
    let version_ids: Vec<i64> = pending.iter().map(|v| v.id).collect();
    let reviewed: HashSet<(i64, String)> = review::Entity::find()
        .filter(review::Column::VersionId.is_in(version_ids.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.version_id, r.capacity))
        .collect();
    let signed = db::id_set(
        signature::Entity::find()
            .filter(signature::Column::VersionId.is_in(version_ids))
            .filter(signature::Column::PartyId.eq(viewer.party.id)),
        signature::Column::VersionId,
        &state.db,
    )
    .await?;
    for v in &pending {
        let Some(c) = contracts.get(&v.contract_id) else { continue };
        if v.status == "in_review" {
            let mine = capacities(c)
                .into_iter()
                .any(|(cap, u)| u == viewer.user.id && !reviewed.contains(&(v.id, cap.to_owned())));
            if mine {
                out.push(item("waiting-review-contract", c, c.title.clone(), None));
            }
        } else if !signed.contains(&v.id) && may_sign(state, viewer, c).await? {
            out.push(item("waiting-sign-contract", c, c.title.clone(), None));
        }
    }
    // Obligations the viewer's party owes, late or due within days. On the host's side they
    // are the contract's managers' to see to; on the other side its managers'.
    let owed = obligation::Entity::find()
        .filter(obligation::Column::Status.eq("open"))
        .filter(obligation::Column::OwedByPartyId.eq(viewer.party.id))
        .filter(obligation::Column::DueDate.lte(add_days(today, REMIND_DAYS)))
        .filter(obligation::Column::ContractId.in_subquery(visible_ids(viewer)))
        .order_by_asc(obligation::Column::DueDate)
        .limit(DESK_LIMIT)
        .all(&state.db)
        .await?;
    let contracts = load(state, owed.iter().map(|o| o.contract_id)).await?;
    for o in owed {
        let Some(c) = contracts.get(&o.contract_id) else { continue };
        let acts = if viewer.is_host() { may_manage(state, viewer, c).await? } else { viewer.is_party_manager() };
        if acts && super::service::state_of(c).in_force() {
            let what = if o.due_date < today { "waiting-obligation-late" } else { "waiting-obligation-due" };
            out.push(item(what, c, o.title, Some(o.due_date)));
        }
    }
    // Money: the host's finance and the contract's managers see to installments that are due or
    // invoiced; both sides' people who may dispute see to open disputes.
    if viewer.is_host() {
        let due = installment::Entity::find()
            .filter(installment::Column::State.is_in(["due", "invoiced"]))
            .order_by_asc(installment::Column::DueOn)
            .limit(DESK_LIMIT)
            .all(&state.db)
            .await?;
        let contracts = load(state, due.iter().map(|i| i.contract_id)).await?;
        for i in due {
            let Some(c) = contracts.get(&i.contract_id) else { continue };
            if is_finance(viewer) || may_manage(state, viewer, c).await? {
                let what = if i.state == "due" { "waiting-installment-due" } else { "waiting-installment-invoiced" };
                out.push(item(what, c, format!("#{} {}", i.seq, i.name), i.due_on));
            }
        }
    }
    let disputes = dispute::Entity::find()
        .filter(dispute::Column::State.eq("open"))
        .filter(dispute::Column::ContractId.in_subquery(visible_ids(viewer)))
        .order_by_asc(dispute::Column::Id)
        .limit(DESK_LIMIT)
        .all(&state.db)
        .await?;
    let contracts = load(state, disputes.iter().map(|d| d.contract_id)).await?;
    for d in disputes {
        let Some(c) = contracts.get(&d.contract_id) else { continue };
        if may_dispute(state, viewer, c).await? {
            out.push(item("waiting-dispute", c, c.title.clone(), None));
        }
    }
    Ok(out)
}

/// The ids of the contracts the viewer may see, as a subquery.
fn visible_ids(viewer: &Viewer) -> sea_orm::sea_query::SelectStatement {
    contract::Entity::find().select_only().column(contract::Column::Id).filter(scope(viewer)).into_query()
}

async fn load(state: &AppState, ids: impl Iterator<Item = i64>) -> AppResult<HashMap<i64, contract::Model>> {
    let ids: Vec<i64> = ids.collect();
    Ok(contract::Entity::find()
        .filter(contract::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// What of engagement `engagement_id`'s contracts, of those the viewer may see, is due by
/// `horizon` (open obligations, unpaid installments) or waits (a version in review or waiting
/// for signatures). For the overview's due card.
pub fn due<'a>(
    state: &'a AppState,
    viewer: &'a Viewer,
    engagement_id: i64,
    horizon: NaiveDate,
) -> BoxFuture<'a, AppResult<Due>> {
    Box::pin(async move {
        let mut due = Due::default();
        let linked = contract_engagement::Entity::find()
            .select_only()
            .column(contract_engagement::Column::ContractId)
            .filter(contract_engagement::Column::EngagementId.eq(engagement_id))
            .into_query();
        let contracts: HashMap<i64, contract::Model> = contract::Entity::find()
            .filter(scope(viewer))
            .filter(contract::Column::Id.in_subquery(linked))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        if contracts.is_empty() {
            return Ok(due);
        }
        let ids: Vec<i64> = contracts.keys().copied().collect();
        let in_force: Vec<i64> =
            contracts.values().filter(|c| super::service::state_of(c).in_force()).map(|c| c.id).collect();
        let number = |id: i64| contracts.get(&id).map(|c| c.number.as_str()).unwrap_or_default();
        let owed = obligation::Entity::find()
            .filter(obligation::Column::ContractId.is_in(in_force))
            .filter(obligation::Column::Status.eq("open"))
            .filter(obligation::Column::DueDate.lte(horizon))
            .order_by_asc(obligation::Column::DueDate)
            .limit(DESK_LIMIT)
            .all(&state.db)
            .await?;
        due.dated.extend(owed.into_iter().map(|o| Item {
            kind: "obligation",
            id: Id(o.id),
            url: format!("/contracts/{}", o.contract_id),
            name: format!("{} · {}", number(o.contract_id), o.title),
            due_date: o.due_date,
        }));
        let unpaid = installment::Entity::find()
            .filter(installment::Column::ContractId.is_in(ids.clone()))
            .filter(installment::Column::State.is_in(["planned", "due", "invoiced"]))
            .order_by_asc(installment::Column::Seq)
            .all(&state.db)
            .await?;
        for i in unpaid {
            // A due installment has its due date; a planned one falls due on its date trigger.
            let Some(on) = i.due_on.or(if i.state == "planned" { i.trigger_date } else { None }) else { continue };
            if on <= horizon {
                due.dated.push(Item {
                    kind: "installment",
                    id: Id(i.id),
                    url: format!("/contracts/{}", i.contract_id),
                    name: format!("{} · #{} {}", number(i.contract_id), i.seq, i.name),
                    due_date: on,
                });
            }
        }
        let pending = version::Entity::find()
            .filter(version::Column::ContractId.is_in(ids))
            .filter(version::Column::Status.is_in(["in_review", "approved"]))
            .all(&state.db)
            .await?;
        for v in pending {
            let Some(c) = contracts.get(&v.contract_id) else { continue };
            due.awaiting.push(Awaiting {
                kind: if v.status == "in_review" { "contract-review" } else { "contract-signature" },
                name: format!("{} {}", c.number, c.title),
                url: format!("/contracts/{}", c.id),
            });
        }
        Ok(due)
    })
}
