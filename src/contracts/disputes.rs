//! Payment disputes: either side of a contract contests an installment (its amount, its invoice,
//! its timing) with a reason; the host's side resolves it and records whose fault it was, and the
//! side that raised it may withdraw it. A dispute holds no money back: it is the record the
//! vendor scorecard's "payments without dispute" reads.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    entity::{contract, dispute, installment},
    obligations::tell,
    payments::{load_installment, reload, signed_amounts},
    service::{self, is_finance, load, managers_of, may_manage, party_managers, state_of},
};
use crate::{
    AppState,
    auth::Viewer,
    collab::notifications::Kind,
    db,
    domain::{self, ContractState, DisputeFault},
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{self, MoneyDto, format_amount},
};

pub const MAX_REASON: usize = 2_000;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeInput {
    /// What is contested and why.
    #[serde(default)]
    pub reason: String,
    /// The sum contested, in the contract's currency; left out, the whole installment.
    #[serde(default)]
    pub amount: Option<MoneyDto>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveInput {
    /// Whose fault it was: counterparty | host | none.
    #[serde(default)]
    pub fault: String,
    /// How it was settled.
    #[serde(default)]
    pub resolution: String,
}

/// Who may take part in a contract's disputes: on the host's side the contract's managers and
/// the finance approvers, on the other side the counterparty's managers.
pub async fn may_dispute(state: &AppState, viewer: &Viewer, c: &contract::Model) -> AppResult<bool> {
    if viewer.is_host() {
        Ok(is_finance(viewer) || may_manage(state, viewer, c).await?)
    } else {
        Ok(viewer.is_party_manager() && viewer.party.id == c.counterparty_id)
    }
}

/// Only money the parties are bound to can be disputed: a contract signed (or since ended).
pub fn disputable(c: &contract::Model) -> bool {
    let st = state_of(c);
    st.in_force() || matches!(st, ContractState::Completed | ContractState::Terminated)
}

pub fn audit_json(d: &dispute::Model) -> Value {
    json!({"contract_id": d.contract_id, "installment_id": d.installment_id, "raised_by_party_id": d.raised_by_party_id,
           "reason": d.reason, "amount": d.amount_minor.map(format_amount), "state": d.state, "fault": d.fault,
           "resolution": d.resolution})
}

/// The people on the other side of a dispute from `party_id`: the counterparty's managers when
/// the host acted, the contract's managers when the counterparty did.
async fn other_side(db: &impl ConnectionTrait, c: &contract::Model, party_id: i64) -> AppResult<Vec<i64>> {
    if party_id == c.counterparty_id { managers_of(db, c).await } else { party_managers(db, c.counterparty_id).await }
}

/// The sum typed, in the contract's currency and above zero; its ceiling (what the version in
/// force owes) is checked under the write lock.
fn check_amount(c: &contract::Model, given: Option<&MoneyDto>, errors: &mut FieldErrors) -> Option<i64> {
    let dto = given.filter(|a| !a.amount.trim().is_empty())?;
    let minor = errors.take("amount", money::parse_amount(&dto.amount))?;
    let currency = dto.currency.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&c.currency);
    if !currency.eq_ignore_ascii_case(&c.currency) {
        errors.add("amount", Msg::new("error-currency-mismatch").arg("currency", &c.currency));
        None
    } else if minor <= 0 {
        errors.add("amount", Msg::new("error-amount-positive"));
        None
    } else {
        Some(minor)
    }
}

/// Raises a dispute on an installment; one open dispute per installment at a time.
pub async fn raise(
    state: &AppState,
    viewer: &Viewer,
    installment_id: i64,
    input: DisputeInput,
) -> AppResult<dispute::Model> {
    let (c, i) = load_installment(state, viewer, installment_id).await?;
    if !may_dispute(state, viewer, &c).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let reason = errors.take("reason", domain::text(&input.reason, true, MAX_REASON));
    let amount = check_amount(&c, input.amount.as_ref(), &mut errors);
    errors.into_result()?;
    let Some(reason) = reason else { return Err(AppError::Internal(anyhow::anyhow!("validated dispute"))) };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let (c, i) = reload(&tx, i.id).await?;
    if !disputable(&c) {
        return Err(AppError::Conflict(Msg::new("error-dispute-contract").arg("number", c.number.clone())));
    }
    if i.state == "cancelled" {
        return Err(AppError::Conflict(Msg::new("error-installment-state").arg("state", i.state.clone())));
    }
    // Only what the version in force owes, and never more than it says: an installment that an
    // open amendment adds or raises is not owed yet.
    let Some(owed) = signed_amounts(&tx, &c).await?.get(&i.seq).copied() else {
        return Err(AppError::Conflict(Msg::new("error-installment-unsigned")));
    };
    if amount.is_some_and(|a| a > owed) {
        let mut errors = FieldErrors::default();
        errors.add("amount", Msg::new("error-dispute-amount").arg("amount", service::money(&c, owed).display()));
        return Err(AppError::Validation(errors));
    }
    let open = dispute::Entity::find()
        .filter(dispute::Column::InstallmentId.eq(i.id))
        .filter(dispute::Column::State.eq("open"))
        .count(&tx)
        .await?;
    if open > 0 {
        return Err(AppError::Conflict(Msg::new("error-dispute-open").arg("installment", i.name.clone())));
    }
    let d = dispute::ActiveModel {
        contract_id: Set(c.id),
        installment_id: Set(i.id),
        raised_by_party_id: Set(viewer.party.id),
        raised_by: Set(viewer.user.id),
        reason: Set(reason),
        amount_minor: Set(amount),
        state: Set("open".into()),
        fault: Set(None),
        resolution: Set(String::new()),
        closed_by: Set(None),
        closed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(&tx, state, viewer, "dispute.raise", "dispute", d.id, None, Some(audit_json(&d))).await?;
    let users = other_side(&tx, &c, viewer.party.id).await?;
    let key = format!("dispute:{}:raised", d.id);
    let args = [("installment", i.name.clone()), ("reason", d.reason.clone())];
    tell(state, &tx, &c, &users, (Kind::PaymentDisputed, &key), "dispute-raised", &args).await?;
    tx.commit().await?;
    Ok(d)
}

/// One dispute of a contract the viewer may see, with its contract; 404 otherwise.
async fn load_dispute(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<(contract::Model, dispute::Model)> {
    let d = dispute::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = load(state, viewer, d.contract_id).await?;
    Ok((c, d))
}

/// Closes an open dispute inside the write transaction (409 when it is closed already).
async fn close(
    tx: &sea_orm::DatabaseTransaction,
    viewer: &Viewer,
    d: dispute::Model,
    now: chrono::DateTime<chrono::Utc>,
    (to, fault, resolution): (&str, Option<DisputeFault>, String),
) -> AppResult<dispute::Model> {
    let d = dispute::Entity::find_by_id(d.id).one(tx).await?.ok_or(AppError::NotFound)?;
    if d.state != "open" {
        return Err(AppError::Conflict(Msg::new("error-dispute-closed").arg("state", d.state.clone())));
    }
    let mut am: dispute::ActiveModel = d.into();
    am.state = Set(to.to_owned());
    am.fault = Set(fault.map(|f| f.as_str().to_owned()));
    am.resolution = Set(resolution);
    am.closed_by = Set(Some(viewer.user.id));
    am.closed_at = Set(Some(now));
    Ok(am.update(tx).await?)
}

/// The host's side settles a dispute and says whose fault it was; both sides hear of it.
pub async fn resolve(state: &AppState, viewer: &Viewer, id: i64, input: ResolveInput) -> AppResult<dispute::Model> {
    let (c, d) = load_dispute(state, viewer, id).await?;
    if !(viewer.is_host() && may_dispute(state, viewer, &c).await?) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let fault = errors.take("fault", DisputeFault::parse(&input.fault));
    let resolution = errors.take("resolution", domain::text(&input.resolution, true, MAX_REASON));
    errors.into_result()?;
    let (Some(fault), Some(resolution)) = (fault, resolution) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated resolution")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let before = audit_json(&d);
    let d = close(&tx, viewer, d, now, ("resolved", Some(fault), resolution)).await?;
    record(&tx, state, viewer, "dispute.resolve", "dispute", d.id, Some(before), Some(audit_json(&d))).await?;
    let mut users = managers_of(&tx, &c).await?;
    users.extend(party_managers(&tx, c.counterparty_id).await?);
    users.retain(|u| *u != viewer.user.id);
    let i = installment::Entity::find_by_id(d.installment_id).one(&tx).await?.ok_or(AppError::NotFound)?;
    let key = format!("dispute:{}:closed", d.id);
    let args = [("installment", i.name), ("resolution", d.resolution.clone())];
    tell(state, &tx, &c, &users, (Kind::DisputeClosed, &key), "dispute-resolved", &args).await?;
    tx.commit().await?;
    Ok(d)
}

/// The side that raised a dispute takes it back while it is open.
pub async fn withdraw(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<dispute::Model> {
    let (c, d) = load_dispute(state, viewer, id).await?;
    if !may_dispute(state, viewer, &c).await? || d.raised_by_party_id != viewer.party.id {
        return Err(AppError::Forbidden);
    }
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let before = audit_json(&d);
    let d = close(&tx, viewer, d, now, ("withdrawn", None, String::new())).await?;
    record(&tx, state, viewer, "dispute.withdraw", "dispute", d.id, Some(before), Some(audit_json(&d))).await?;
    let users = other_side(&tx, &c, viewer.party.id).await?;
    let i = installment::Entity::find_by_id(d.installment_id).one(&tx).await?.ok_or(AppError::NotFound)?;
    let key = format!("dispute:{}:closed", d.id);
    let args = [("installment", i.name)];
    tell(state, &tx, &c, &users, (Kind::DisputeClosed, &key), "dispute-withdrawn", &args).await?;
    tx.commit().await?;
    Ok(d)
}

/// A contract's disputes, oldest first (callers have checked the contract is visible).
pub async fn of_contract(db: &impl ConnectionTrait, contract_id: i64) -> AppResult<Vec<dispute::Model>> {
    Ok(dispute::Entity::find()
        .filter(dispute::Column::ContractId.eq(contract_id))
        .order_by_asc(dispute::Column::Id)
        .all(db)
        .await?)
}
