//! The payment schedule: installments as an amount or a share of the contract total, each
//! with a trigger (a date, an acceptance, the end of a warranty). `refresh_due` is the one
//! place an installment becomes due because its trigger happened; the only other way is an
//! approver's override with a reason. Invoices and payments (partial ones too) follow.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Deserializer};
use serde_json::json;

use super::{
    clauses::{check_deliverable, check_milestone},
    entity::{clause, contract, installment},
    service::{self, is_finance, load, load_to_edit, managers_of, party_managers, state_of},
};
use crate::{
    AppState,
    acceptance::entity::{acceptance, warranty},
    auth::Viewer,
    collab::notifications::{self, Kind, Notice},
    db,
    domain::{self, AcceptanceStage, Id, InstallmentKind, InstallmentState, TriggerKind},
    engagements::{
        entity::{deliverable, milestone},
        service::record,
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{self, Money, MoneyDto, format_amount},
};

pub use super::invoices::{InvoiceInput, PaymentInput, add_invoice, add_payment, invoices_of, payments_of};

pub const MAX_INSTALLMENTS: usize = 60;

/// A JSON number or string (`30`, `"12.5"`), kept as its text for exact parsing.
fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(other) => return Err(serde::de::Error::custom(format!("expected a number or a string, got {other}"))),
    })
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerInput {
    /// date | acceptance | warranty_end
    #[serde(default)]
    pub kind: String,
    /// For `date`: `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// For `acceptance` (or a milestone's) and `warranty_end`.
    #[serde(default)]
    pub deliverable_id: Option<Id>,
    /// For `acceptance`: due when every deliverable of the milestone is accepted at `stage`.
    #[serde(default)]
    pub milestone_id: Option<Id>,
    /// For `acceptance`: initial (初验) | final (终验).
    #[serde(default)]
    pub stage: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstallmentInput {
    #[serde(default)]
    pub name: String,
    /// advance | progress (default) | final | retention
    #[serde(default)]
    pub kind: Option<String>,
    /// Either an amount …
    #[serde(default)]
    pub amount: Option<MoneyDto>,
    /// … or a percentage of the contract total (`30`, `"12.5"`), rounded half up to the fen.
    #[serde(default, deserialize_with = "number_or_string")]
    #[schema(value_type = Option<String>, example = "30")]
    pub percent: Option<String>,
    #[serde(default)]
    pub trigger: Option<TriggerInput>,
    /// When the money is expected, for the cash-flow plan (defaults from the trigger).
    #[serde(default)]
    pub expected_on: Option<String>,
}

struct Trigger {
    kind: TriggerKind,
    date: Option<NaiveDate>,
    deliverable: Option<deliverable::Model>,
    milestone: Option<milestone::Model>,
    stage: Option<AcceptanceStage>,
}

/// Months of warranty a deliverable gets: a warranty clause naming it in a contract that binds
/// (signed or in force), or in `drafting` (the contract whose schedule is being written), wins;
/// else the deliverable's own. A draft or a terminated contract of someone else does not count.
pub(crate) async fn warranty_months(
    db: &impl ConnectionTrait,
    d: &deliverable::Model,
    drafting: Option<i64>,
) -> AppResult<i32> {
    let clauses = clause::Entity::find()
        .filter(clause::Column::DeliverableId.eq(d.id))
        .filter(clause::Column::Kind.eq("warranty"))
        .all(db)
        .await?;
    let binding: Vec<i64> = contract::Entity::find()
        .filter(contract::Column::Id.is_in(clauses.iter().map(|c| c.contract_id)))
        .filter(contract::Column::State.is_in(["signed", "active", "amended", "completed"]))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let from_clause = clauses
        .iter()
        .filter(|c| binding.contains(&c.contract_id) || Some(c.contract_id) == drafting)
        .filter_map(|c| c.warranty_months)
        .max();
    Ok(from_clause.unwrap_or(d.warranty_months))
}

async fn check_trigger(
    state: &AppState,
    c: &contract::Model,
    input: Option<&TriggerInput>,
    errors: &mut FieldErrors,
) -> AppResult<Option<Trigger>> {
    let Some(t) = input else {
        errors.add("trigger", Msg::new("error-required"));
        return Ok(None);
    };
    let Some(kind) = errors.take("trigger.kind", TriggerKind::parse(&t.kind)) else { return Ok(None) };
    let mut out = Trigger { kind, date: None, deliverable: None, milestone: None, stage: None };
    match kind {
        TriggerKind::Date => {
            out.date = errors.take("trigger.date", domain::parse_date(t.date.as_deref().unwrap_or("")));
        }
        TriggerKind::Acceptance => {
            out.stage = errors.take("trigger.stage", AcceptanceStage::parse(t.stage.as_deref().unwrap_or("")));
            match (t.deliverable_id, t.milestone_id) {
                (Some(_), Some(_)) | (None, None) => {
                    errors.add("trigger.deliverable_id", Msg::new("error-trigger-target"))
                }
                (d @ Some(_), None) => {
                    out.deliverable = check_deliverable(state, c, "trigger.deliverable_id", d, errors).await?;
                }
                (None, m @ Some(_)) => {
                    out.milestone = check_milestone(state, c, "trigger.milestone_id", m, errors).await?;
                }
            }
        }
        TriggerKind::WarrantyEnd => {
            if t.deliverable_id.is_none() {
                errors.add("trigger.deliverable_id", Msg::new("error-required"));
            }
            out.deliverable = check_deliverable(state, c, "trigger.deliverable_id", t.deliverable_id, errors).await?;
            if let Some(d) = &out.deliverable
                && warranty_months(&state.db, d, Some(c.id)).await? == 0
            {
                errors.add("trigger.deliverable_id", Msg::new("error-no-warranty"));
            }
        }
    }
    Ok(Some(out))
}

/// Adds an installment to the schedule of a contract whose working copy is open. The schedule
/// may not add up to more than the contract total.
pub async fn add(
    state: &AppState,
    viewer: &Viewer,
    contract_id: i64,
    input: InstallmentInput,
) -> AppResult<installment::Model> {
    let c = load_to_edit(state, viewer, contract_id).await?;
    let mut errors = FieldErrors::default();
    let name = errors.take("name", domain::text(&input.name, true, 200));
    let kind = match input.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => Some(InstallmentKind::Progress),
        Some(k) => errors.take("kind", InstallmentKind::parse(k)),
    };
    let (amount, percent) = match (&input.amount, input.percent.as_deref().map(str::trim).filter(|p| !p.is_empty())) {
        (Some(_), Some(_)) | (None, None) => {
            errors.add("amount", Msg::new("error-amount-or-percent"));
            (None, None)
        }
        (Some(a), None) => match errors.take("amount", Money::try_from(a)) {
            Some(m) if m.currency != c.currency => {
                errors.add("amount", Msg::new("error-currency-mismatch").arg("currency", &c.currency));
                (None, None)
            }
            Some(m) if m.minor <= 0 => {
                errors.add("amount", Msg::new("error-amount-positive"));
                (None, None)
            }
            other => (other.map(|m| m.minor), None),
        },
        (None, Some(p)) => match errors.take("percent", money::parse_percent(p)) {
            Some(bp) => {
                let share = money::share(c.total_minor, bp);
                if share <= 0 {
                    errors.add("percent", Msg::new("error-amount-positive"));
                }
                (Some(share), Some(bp))
            }
            None => (None, None),
        },
    };
    let trigger = check_trigger(state, &c, input.trigger.as_ref(), &mut errors).await?;
    let expected = match input.expected_on.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => errors.take("expected_on", domain::parse_date(e)),
        None => None,
    };
    let existing = service::installments(&state.db, c.id).await?;
    let live: Vec<&installment::Model> = existing.iter().filter(|i| i.state != "cancelled").collect();
    if live.len() >= MAX_INSTALLMENTS {
        errors.add("name", Msg::new("error-installments-count").arg("max", MAX_INSTALLMENTS));
    }
    if let Some(a) = amount {
        let scheduled: i64 = live.iter().map(|i| i.amount_minor).sum();
        if scheduled + a > c.total_minor {
            let left = service::money(&c, (c.total_minor - scheduled).max(0)).display();
            errors.add(
                if percent.is_some() { "percent" } else { "amount" },
                Msg::new("error-schedule-exceeds").arg("left", left),
            );
        }
    }
    errors.into_result()?;
    let (Some(name), Some(kind), Some(amount), Some(t)) = (name, kind, amount, trigger) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated installment input is incomplete")));
    };
    let planned_on = match (expected.or(t.date), &t.deliverable) {
        (Some(on), _) => Some(on),
        // Money held until the warranty ends is expected when it ends, not on delivery.
        (None, Some(d)) if t.kind == TriggerKind::WarrantyEnd => {
            let months = u32::try_from(warranty_months(&state.db, d, Some(c.id)).await?).unwrap_or(0);
            d.due_date.checked_add_months(chrono::Months::new(months))
        }
        (None, Some(d)) => Some(d.due_date),
        (None, None) => t.milestone.as_ref().map(|m| m.due_date),
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let row = installment::ActiveModel {
        contract_id: Set(c.id),
        seq: Set(existing.iter().map(|i| i.seq).max().unwrap_or(0) + 1),
        name: Set(name),
        kind: Set(kind.as_str().to_owned()),
        amount_minor: Set(amount),
        percent_bp: Set(percent),
        trigger_kind: Set(t.kind.as_str().to_owned()),
        trigger_date: Set(t.date),
        deliverable_id: Set(t.deliverable.map(|d| d.id)),
        milestone_id: Set(t.milestone.map(|m| m.id)),
        stage: Set(t.stage.map(|s| s.as_str().to_owned())),
        expected_on: Set(planned_on),
        state: Set(InstallmentState::Planned.as_str().to_owned()),
        due_on: Set(None),
        invoiced_minor: Set(0),
        paid_minor: Set(0),
        override_by: Set(None),
        override_reason: Set(String::new()),
        override_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(&tx, state, viewer, "installment.create", "installment", row.id, None, Some(audit_json(&row))).await?;
    // An amendment may add an installment whose trigger already happened.
    refresh_due(&tx, state, &c).await?;
    tx.commit().await?;
    Ok(installment::Entity::find_by_id(row.id).one(&state.db).await?.unwrap_or(row))
}

pub(crate) fn audit_json(i: &installment::Model) -> serde_json::Value {
    json!({"contract_id": i.contract_id, "seq": i.seq, "name": i.name, "kind": i.kind,
           "amount": format_amount(i.amount_minor), "percent_bp": i.percent_bp, "trigger_kind": i.trigger_kind,
           "trigger_date": i.trigger_date, "deliverable_id": i.deliverable_id, "milestone_id": i.milestone_id,
           "stage": i.stage, "state": i.state, "due_on": i.due_on, "invoiced": format_amount(i.invoiced_minor),
           "paid": format_amount(i.paid_minor), "override_by": i.override_by, "override_reason": i.override_reason})
}

/// Re-computes the installments given as a percentage after the contract total changed.
pub(crate) async fn rescale(tx: &DatabaseTransaction, c: &contract::Model) -> AppResult<()> {
    for i in service::installments(tx, c.id).await? {
        if let Some(bp) = i.percent_bp
            && i.state == "planned"
        {
            let mut row: installment::ActiveModel = i.into();
            row.amount_minor = Set(money::share(c.total_minor, bp).max(1));
            row.update(tx).await?;
        }
    }
    Ok(())
}

/// The schedule may not add up to more than the contract total.
pub(crate) async fn check_schedule_fits(tx: &DatabaseTransaction, c: &contract::Model) -> AppResult<()> {
    let scheduled: i64 =
        service::installments(tx, c.id).await?.iter().filter(|i| i.state != "cancelled").map(|i| i.amount_minor).sum();
    if scheduled > c.total_minor {
        let mut errors = FieldErrors::default();
        errors.add(
            "total",
            Msg::new("error-total-below-schedule").arg("scheduled", service::money(c, scheduled).display()),
        );
        return Err(AppError::Validation(errors));
    }
    Ok(())
}

/// Whether a deliverable has an acceptance in force at `stage` (all required signatures in,
/// outcome accepted or accepted with conditions). A final acceptance also counts as initial.
async fn accepted(db: &impl ConnectionTrait, deliverable_id: i64, stage: &str) -> AppResult<bool> {
    let stages: &[&str] = if stage == "initial" { &["initial", "final"] } else { &["final"] };
    Ok(acceptance::Entity::find()
        .filter(acceptance::Column::DeliverableId.eq(deliverable_id))
        .filter(acceptance::Column::Stage.is_in(stages.iter().copied()))
        .filter(acceptance::Column::State.is_in(["accepted", "accepted_with_conditions"]))
        .filter(acceptance::Column::EffectiveAt.is_not_null())
        .one(db)
        .await?
        .is_some())
}

/// The day an installment's trigger happened, if it has by `today`: its date, the end of the
/// warranty, or (for an acceptance, which is recorded as it happens) today.
async fn triggered(
    db: &impl ConnectionTrait,
    i: &installment::Model,
    today: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    let stage = i.stage.as_deref().unwrap_or("final");
    Ok(match (i.trigger_kind.as_str(), i.deliverable_id, i.milestone_id) {
        ("date", _, _) => i.trigger_date.filter(|d| *d <= today),
        ("acceptance", Some(d), _) => accepted(db, d, stage).await?.then_some(today),
        ("acceptance", None, Some(m)) => {
            let ids: Vec<i64> = deliverable::Entity::find()
                .filter(deliverable::Column::MilestoneId.eq(m))
                .all(db)
                .await?
                .into_iter()
                .map(|d| d.id)
                .collect();
            let mut all = !ids.is_empty();
            for d in ids {
                all = all && accepted(db, d, stage).await?;
            }
            all.then_some(today)
        }
        ("warranty_end", Some(d), _) => warranty::Entity::find()
            .filter(warranty::Column::DeliverableId.eq(d))
            .one(db)
            .await?
            .map(|w| w.ends_on)
            .filter(|end| *end <= today),
        _ => None,
    })
}

/// What the version in force says each installment is worth, by its number in the schedule.
/// Only these installments can fall due, and never for more: an amendment drafted on the working
/// copy changes nothing owed until both sides have signed it.
pub(crate) async fn signed_amounts(
    db: &impl ConnectionTrait,
    c: &contract::Model,
) -> AppResult<std::collections::HashMap<i32, i64>> {
    use super::entity::version;
    let Some(v) = version::Entity::find()
        .filter(version::Column::ContractId.eq(c.id))
        .filter(version::Column::Number.eq(c.current_version))
        .filter(version::Column::Status.eq("signed"))
        .one(db)
        .await?
    else {
        return Ok(std::collections::HashMap::new());
    };
    Ok(super::versions::content_of(&v)?
        .installments
        .iter()
        .filter_map(|i| money::parse_amount(&i.amount).ok().map(|a| (i.seq, a)))
        .collect())
}

/// The installment and its contract as they stand inside the caller's write transaction (which
/// holds the write lock), so checks made on them still hold at commit.
pub(crate) async fn reload(tx: &DatabaseTransaction, id: i64) -> AppResult<(contract::Model, installment::Model)> {
    let i = installment::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)?;
    let c = contract::Entity::find_by_id(i.contract_id).one(tx).await?.ok_or(AppError::NotFound)?;
    Ok((c, i))
}

/// Makes due every planned installment of a contract in force whose trigger has happened.
/// Returns the installments it made due.
pub async fn refresh_due(
    tx: &DatabaseTransaction,
    state: &AppState,
    c: &contract::Model,
) -> AppResult<Vec<installment::Model>> {
    if !state_of(c).in_force() {
        return Ok(Vec::new());
    }
    let today = state.today();
    let now = state.clock.now();
    let signed = signed_amounts(tx, c).await?;
    let mut made = Vec::new();
    for i in service::installments(tx, c.id).await? {
        if i.state != "planned" || !signed.contains_key(&i.seq) {
            continue;
        }
        let Some(since) = triggered(tx, &i, today).await? else { continue };
        let before = audit_json(&i);
        let mut row: installment::ActiveModel = i.into();
        row.state = Set(InstallmentState::Due.as_str().to_owned());
        row.due_on = Set(Some(since));
        row.updated_at = Set(now);
        let after = row.update(tx).await?;
        let change = crate::audit::Change {
            action: "installment.due",
            entity_type: "installment",
            entity_id: after.id.to_string(),
            before: Some(before),
            after: Some(audit_json(&after)),
        };
        crate::audit::record(tx, now, crate::audit::Actor::SYSTEM, change).await?;
        made.push(after);
    }
    if !made.is_empty() {
        let subject = service::subject(tx, c).await?;
        let mut users = managers_of(tx, c).await?;
        users.extend(party_managers(tx, c.counterparty_id).await?);
        let key =
            format!("contract:{}:due:{}", c.id, made.iter().map(|i| i.seq.to_string()).collect::<Vec<_>>().join(","));
        let notice = Notice { dedupe: Some(&key), ..Notice::new(Kind::InstallmentDue, &subject) };
        notifications::send(tx, now, &users, &notice).await?;
    }
    Ok(made)
}

/// After an amendment comes into force: an installment paid in full at its old worth owes the
/// rest of a larger one again; one already paid up to its new worth is paid.
pub(crate) async fn reconcile(tx: &DatabaseTransaction, state: &AppState, c: &contract::Model) -> AppResult<()> {
    let signed = signed_amounts(tx, c).await?;
    let now = state.clock.now();
    for i in service::installments(tx, c.id).await? {
        let Some(worth) = signed.get(&i.seq).copied() else { continue };
        let next = match i.state.as_str() {
            "paid" if i.paid_minor < worth => Some(if i.invoiced_minor > 0 { "invoiced" } else { "due" }),
            "due" | "invoiced" if i.paid_minor >= worth => Some("paid"),
            _ => None,
        };
        if let Some(next) = next {
            let before = audit_json(&i);
            let mut row: installment::ActiveModel = i.into();
            row.state = Set(next.to_owned());
            row.updated_at = Set(now);
            let after = row.update(tx).await?;
            let change = crate::audit::Change {
                action: "installment.reconcile",
                entity_type: "installment",
                entity_id: after.id.to_string(),
                before: Some(before),
                after: Some(audit_json(&after)),
            };
            crate::audit::record(tx, now, crate::audit::Actor::SYSTEM, change).await?;
        }
    }
    Ok(())
}

/// Contracts whose schedule names one of these deliverables (or their milestones): the ones an
/// acceptance or a warranty may have made something due on.
pub(crate) async fn refresh_for_deliverable(
    tx: &DatabaseTransaction,
    state: &AppState,
    d: &deliverable::Model,
) -> AppResult<Vec<installment::Model>> {
    use sea_orm::Condition;
    let mut cond = Condition::any().add(installment::Column::DeliverableId.eq(d.id));
    if let Some(m) = d.milestone_id {
        cond = cond.add(installment::Column::MilestoneId.eq(m));
    }
    let mut ids: Vec<i64> = installment::Entity::find()
        .filter(cond)
        .filter(installment::Column::State.eq("planned"))
        .all(tx)
        .await?
        .into_iter()
        .map(|i| i.contract_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut made = Vec::new();
    for c in contract::Entity::find().filter(contract::Column::Id.is_in(ids)).all(tx).await? {
        made.extend(refresh_due(tx, state, &c).await?);
    }
    Ok(made)
}

/// An installment of a contract the viewer may see, with its contract; 404 otherwise.
pub async fn load_installment(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> AppResult<(contract::Model, installment::Model)> {
    let i = installment::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = load(state, viewer, i.contract_id).await?;
    Ok((c, i))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideInput {
    /// Why the money is due before its trigger.
    #[serde(default)]
    pub reason: String,
}

/// An approver makes a planned installment due before its trigger, with a reason; audited.
pub async fn override_due(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: OverrideInput,
) -> AppResult<installment::Model> {
    let (_, i) = load_installment(state, viewer, id).await?;
    if !is_finance(viewer) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let reason = errors.take("reason", domain::text(&input.reason, true, 2_000));
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let (c, i) = reload(&tx, i.id).await?;
    if !state_of(&c).in_force() {
        return Err(AppError::Conflict(Msg::new("error-contract-not-in-force").arg("number", c.number.clone())));
    }
    if i.state != "planned" {
        return Err(AppError::Conflict(Msg::new("error-installment-state").arg("state", i.state.clone())));
    }
    if !signed_amounts(&tx, &c).await?.contains_key(&i.seq) {
        return Err(AppError::Conflict(Msg::new("error-installment-unsigned")));
    }
    let before = audit_json(&i);
    let mut row: installment::ActiveModel = i.into();
    row.state = Set(InstallmentState::Due.as_str().to_owned());
    row.due_on = Set(Some(state.today()));
    row.override_by = Set(Some(viewer.user.id));
    row.override_reason = Set(reason.unwrap_or_default());
    row.override_at = Set(Some(now));
    row.updated_at = Set(now);
    let after = row.update(&tx).await?;
    record(&tx, state, viewer, "installment.override", "installment", after.id, Some(before), Some(audit_json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}
