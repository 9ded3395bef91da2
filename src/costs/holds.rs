//! Over-budget approval of commitments. When a payable contract goes into force (both sides
//! signed) and the commitment takes its engagement's vendor category over budget, it waits as
//! a hold: it does not count as committed until an approver (or an administrator) approves it,
//! with a reason; rejected, it never counts. Contracts know nothing of this: they call the hook
//! `app` registers with them, inside the signing's transaction.

use futures_util::future::BoxFuture;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::{
    entity::cost_hold,
    service::{ExpenseDecisionInput, budget_in, decision_of, host_view, may_approve},
};
use crate::{
    AppState,
    audit::{self, Actor, Change},
    auth::Viewer,
    contracts::entity::{contract, contract_engagement},
    db,
    domain::CostCategory,
    engagements::service::{get, record},
    error::{AppError, AppResult, Msg},
};

fn hold_json(h: &cost_hold::Model) -> serde_json::Value {
    json!({"engagement_id": h.engagement_id, "contract_id": h.contract_id, "category": h.category,
           "amount_minor": h.amount_minor, "currency": h.currency, "state": h.state, "reason": h.reason})
}

/// The hook contracts call when a contract goes into force.
pub fn on_in_force<'a>(
    tx: &'a DatabaseTransaction,
    state: &'a AppState,
    c: &'a contract::Model,
) -> BoxFuture<'a, AppResult<()>> {
    Box::pin(check(tx, state, c))
}

/// Holds the commitment when it takes the vendor category of the engagement it counts for (the
/// lowest id it covers) over a budget that is set. Once per contract: an amendment signed later
/// does not ask again.
async fn check(tx: &DatabaseTransaction, state: &AppState, c: &contract::Model) -> AppResult<()> {
    if c.direction != "payable" {
        return Ok(());
    }
    let engagement: Option<i64> = contract_engagement::Entity::find()
        .select_only()
        .column(contract_engagement::Column::EngagementId)
        .filter(contract_engagement::Column::ContractId.eq(c.id))
        .order_by_asc(contract_engagement::Column::EngagementId)
        .into_tuple()
        .one(tx)
        .await?;
    let Some(engagement_id) = engagement else { return Ok(()) };
    if cost_hold::Entity::find().filter(cost_hold::Column::ContractId.eq(c.id)).one(tx).await?.is_some() {
        return Ok(());
    }
    // Read through the transaction: the contract is already in force there, so it is counted.
    let budget = budget_in(tx, engagement_id).await?;
    if !budget.set || c.currency != budget.currency {
        return Ok(());
    }
    let Some(vendor) = budget.lines.iter().find(|l| l.category == CostCategory::Vendor) else { return Ok(()) };
    if vendor.exposure() <= vendor.amount {
        return Ok(());
    }
    let now = state.clock.now();
    let hold = cost_hold::ActiveModel {
        engagement_id: Set(engagement_id),
        contract_id: Set(c.id),
        category: Set(CostCategory::Vendor.as_str().to_owned()),
        amount_minor: Set(c.total_minor),
        currency: Set(c.currency.clone()),
        state: Set("pending".into()),
        reason: Set(String::new()),
        decided_by: Set(None),
        decided_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let change = Change {
        action: "cost_hold.create",
        entity_type: "cost_hold",
        entity_id: hold.id.to_string(),
        before: None,
        after: Some(hold_json(&hold)),
    };
    audit::record(tx, now, Actor::SYSTEM, change).await?;
    crate::engagements::watch::changed(tx, now, engagement_id).await?;
    Ok(())
}

/// An engagement's holds, newest first (the host's).
pub async fn list(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<cost_hold::Model>> {
    host_view(state, viewer, engagement_id).await?;
    Ok(cost_hold::Entity::find()
        .filter(cost_hold::Column::EngagementId.eq(engagement_id))
        .order_by_desc(cost_hold::Column::Id)
        .all(&state.db)
        .await?)
}

/// An approver decides on a held commitment: approved, it counts; rejected, it never does.
pub async fn decide(
    state: &AppState,
    viewer: &Viewer,
    hold_id: i64,
    input: ExpenseDecisionInput,
) -> AppResult<cost_hold::Model> {
    if !viewer.is_host() {
        return Err(AppError::NotFound);
    }
    let before = cost_hold::Entity::find_by_id(hold_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    get(state, viewer, before.engagement_id).await?;
    if !may_approve(viewer) {
        return Err(AppError::Forbidden);
    }
    let (approve, reason) = decision_of(&input)?;
    let now = state.clock.now();
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(before.engagement_id)).await?;
    // Decided once, checked under the lock.
    let current = cost_hold::Entity::find_by_id(hold_id).one(&tx).await?.ok_or(AppError::NotFound)?;
    if current.state != "pending" {
        return Err(AppError::Conflict(Msg::new("error-expense-decided")));
    }
    let mut row: cost_hold::ActiveModel = current.clone().into();
    row.state = Set(if approve { "approved" } else { "rejected" }.to_owned());
    row.reason = Set(reason);
    row.decided_by = Set(Some(viewer.user.id));
    row.decided_at = Set(Some(now));
    let after = row.update(&tx).await?;
    record(
        &tx,
        state,
        viewer,
        "cost_hold.decide",
        "cost_hold",
        hold_id,
        Some(hold_json(&current)),
        Some(hold_json(&after)),
    )
    .await?;
    crate::engagements::watch::changed(&tx, now, after.engagement_id).await?;
    tx.commit().await?;
    Ok(after)
}
