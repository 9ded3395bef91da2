//! A contract's header — number, counterparty, engagements, value with tax, dates, signatories,
//! reviewers — checked at the edge when a contract is drafted and when its working copy is edited.

use std::collections::HashSet;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    entity::{contract, contract_engagement},
    service::{MAX_NOTICE_DAYS, MAX_REVIEW_MONTHS, MAX_TEXT, audit_json, load_to_edit},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{self, ContractState, Id, PartyKind},
    engagements::{
        entity::{engagement, participant},
        service::{manages, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{self, Money, MoneyDto},
    parties::entity::party,
    users::entity::user,
};

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractInput {
    /// Unique, e.g. `HT-2026-001`.
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The vendor (we pay) or client (we are paid).
    #[serde(default)]
    pub counterparty_id: Option<Id>,
    /// The engagements it covers; the counterparty must take part in each.
    #[serde(default)]
    pub engagement_ids: Vec<Id>,
    /// ISO 4217; `CNY` when left out.
    #[serde(default)]
    pub currency: Option<String>,
    /// The value including tax (价税合计).
    #[serde(default)]
    pub total: Option<MoneyDto>,
    /// VAT rate in percent, e.g. `"6"` or `"13"`; none = 0.
    #[serde(default)]
    pub tax_rate: Option<String>,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub owner_id: Option<Id>,
    #[serde(default)]
    pub host_signatory_id: Option<Id>,
    #[serde(default)]
    pub counterparty_signatory_id: Option<Id>,
    /// Host users who review each version before signing (legal, finance); none = no review step.
    #[serde(default)]
    pub legal_approver_id: Option<Id>,
    #[serde(default)]
    pub finance_approver_id: Option<Id>,
    /// Months between periodic contract reviews; 0 or none = no periodic review.
    #[serde(default)]
    pub review_every_months: Option<i32>,
    /// Days before the end date the renewal alert goes out (default 30).
    #[serde(default)]
    pub renewal_notice_days: Option<i32>,
}

/// Header fields that change; absent ones stay.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractUpdate {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub engagement_ids: Option<Vec<Id>>,
    #[serde(default)]
    pub total: Option<MoneyDto>,
    #[serde(default)]
    pub tax_rate: Option<String>,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub owner_id: Option<Id>,
    #[serde(default)]
    pub host_signatory_id: Option<Id>,
    #[serde(default)]
    pub counterparty_signatory_id: Option<Id>,
    #[serde(default)]
    pub legal_approver_id: Option<Id>,
    #[serde(default)]
    pub finance_approver_id: Option<Id>,
    #[serde(default)]
    pub review_every_months: Option<i32>,
    #[serde(default)]
    pub renewal_notice_days: Option<i32>,
}

/// A VAT rate in percent: empty or `0` is no tax.
pub fn parse_tax_rate(raw: Option<&str>) -> Result<i32, Msg> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(0),
        Some(r) if money::parse_amount(r.trim_end_matches('%')) == Ok(0) => Ok(0),
        Some(r) => {
            money::parse_percent(r).map_err(|m| if m.key == "error-share" { Msg::new("error-tax-rate") } else { m })
        }
    }
}

fn optional_date(raw: Option<&str>) -> Result<Option<NaiveDate>, Msg> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => domain::parse_date(r).map(Some),
    }
}

/// Checks that `id` names an active user of `party_id` (or of the host when `party_id` is None).
async fn check_user(
    state: &AppState,
    field: &str,
    id: Option<Id>,
    party_id: Option<i64>,
    errors: &mut FieldErrors,
) -> AppResult<Option<i64>> {
    let Some(Id(uid)) = id else { return Ok(None) };
    let found = user::Entity::find_by_id(uid)
        .filter(user::Column::Active.eq(true))
        .find_also_related(party::Entity)
        .one(&state.db)
        .await?;
    let fits = match (&found, party_id) {
        (Some((u, _)), Some(p)) => u.party_id == p,
        (Some((_, Some(p))), None) => p.kind == PartyKind::Host.as_str(),
        _ => false,
    };
    if !fits {
        errors.add(field, Msg::new(if party_id.is_some() { "error-signatory-party" } else { "error-host-user" }));
    }
    Ok(Some(uid))
}

/// Checks the engagements: at least one, each run by the viewer, with the counterparty in it.
async fn check_engagements(
    state: &AppState,
    viewer: &Viewer,
    ids: &[Id],
    counterparty: Option<i64>,
    errors: &mut FieldErrors,
) -> AppResult<Vec<i64>> {
    let wanted: Vec<i64> = ids.iter().map(|i| i.0).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    if wanted.is_empty() {
        errors.add("engagement_ids", Msg::new("error-contract-engagements"));
        return Ok(wanted);
    }
    let found: Vec<i64> = engagement::Entity::find()
        .select_only()
        .column(engagement::Column::Id)
        .filter(engagement::Column::Id.is_in(wanted.clone()))
        .into_tuple()
        .all(&state.db)
        .await?;
    for e in &wanted {
        if !found.contains(e) || !manages(state, viewer, *e).await? {
            errors.add("engagement_ids", Msg::new("error-engagement-managed"));
            return Ok(wanted);
        }
    }
    if let Some(p) = counterparty {
        let taking_part: HashSet<i64> = participant::Entity::find()
            .select_only()
            .column(participant::Column::EngagementId)
            .filter(participant::Column::PartyId.eq(p))
            .filter(participant::Column::EngagementId.is_in(wanted.clone()))
            .into_tuple::<i64>()
            .all(&state.db)
            .await?
            .into_iter()
            .collect();
        if wanted.iter().any(|e| !taking_part.contains(e)) {
            errors.add("engagement_ids", Msg::new("error-counterparty-not-participant"));
        }
    }
    Ok(wanted)
}

fn check_total(total: Option<&MoneyDto>, currency: &str, errors: &mut FieldErrors) -> Option<i64> {
    let Some(t) = total else {
        errors.add("total", Msg::new("error-required"));
        return None;
    };
    let m = errors.take("total", Money::try_from(t))?;
    if t.currency.as_deref().is_some_and(|c| !c.trim().is_empty()) && m.currency != currency {
        errors.add("total", Msg::new("error-currency-mismatch").arg("currency", currency));
        return None;
    }
    if m.minor < 0 {
        errors.add("total", Msg::new("error-amount-negative"));
        return None;
    }
    Some(m.minor)
}

fn check_range(errors: &mut FieldErrors, field: &str, v: Option<i32>, max: i32) -> Option<i32> {
    match v {
        Some(n) if !(0..=max).contains(&n) => {
            errors.add(field, Msg::new("error-range").arg("min", 0).arg("max", max));
            None
        }
        other => other,
    }
}

/// The next periodic review after `from`, `months` later; none when there is no schedule.
pub fn next_review(from: Option<NaiveDate>, months: i32) -> Option<NaiveDate> {
    let months = u32::try_from(months).ok().filter(|m| *m > 0)?;
    from?.checked_add_months(chrono::Months::new(months))
}

/// Who may draft contracts: host administrators and PMs, and host users who are the PM of an
/// engagement (for the engagements they run).
pub async fn may_draft(state: &AppState, viewer: &Viewer) -> AppResult<bool> {
    use crate::engagements::entity::member;
    if !viewer.is_host() {
        return Ok(false);
    }
    if viewer.can_manage_engagements() {
        return Ok(true);
    }
    Ok(member::Entity::find()
        .filter(member::Column::UserId.eq(viewer.user.id))
        .filter(member::Column::Role.eq("pm"))
        .count(&state.db)
        .await?
        > 0)
}

pub async fn create(state: &AppState, viewer: &Viewer, input: ContractInput) -> AppResult<contract::Model> {
    if !may_draft(state, viewer).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let number = errors.take("number", domain::text(&input.number, true, 50));
    let title = errors.take("title", domain::text(&input.title, true, 200));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, MAX_TEXT));
    let counterparty = match input.counterparty_id {
        None => {
            errors.add("counterparty_id", Msg::new("error-required"));
            None
        }
        Some(Id(p)) => {
            let found = party::Entity::find_by_id(p).one(&state.db).await?;
            match found.as_ref().and_then(|p| PartyKind::parse(&p.kind).ok()) {
                Some(PartyKind::Vendor) => Some((p, "payable")),
                Some(PartyKind::Client) => Some((p, "receivable")),
                _ => {
                    errors.add("counterparty_id", Msg::new("error-counterparty"));
                    None
                }
            }
        }
    };
    let engagements =
        check_engagements(state, viewer, &input.engagement_ids, counterparty.map(|c| c.0), &mut errors).await?;
    let currency = errors.take("currency", money::parse_currency(input.currency.as_deref()));
    let total = currency.as_deref().and_then(|c| check_total(input.total.as_ref(), c, &mut errors));
    let tax_rate = errors.take("tax_rate", parse_tax_rate(input.tax_rate.as_deref()));
    let start = errors.take("start_date", optional_date(input.start_date.as_deref())).flatten();
    let end = errors.take("end_date", optional_date(input.end_date.as_deref())).flatten();
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.add("end_date", Msg::new("error-end-before-start"));
    }
    let cp = counterparty.map(|c| c.0);
    let owner = check_user(state, "owner_id", input.owner_id, None, &mut errors).await?;
    let host_signatory = check_user(state, "host_signatory_id", input.host_signatory_id, None, &mut errors).await?;
    let cp_signatory = match cp {
        Some(p) => {
            check_user(state, "counterparty_signatory_id", input.counterparty_signatory_id, Some(p), &mut errors)
                .await?
        }
        None => None,
    };
    let legal = check_user(state, "legal_approver_id", input.legal_approver_id, None, &mut errors).await?;
    let finance = check_user(state, "finance_approver_id", input.finance_approver_id, None, &mut errors).await?;
    let review_every =
        check_range(&mut errors, "review_every_months", input.review_every_months, MAX_REVIEW_MONTHS).unwrap_or(0);
    let notice =
        check_range(&mut errors, "renewal_notice_days", input.renewal_notice_days, MAX_NOTICE_DAYS).unwrap_or(30);
    if let Some(n) = &number
        && contract::Entity::find().filter(contract::Column::Number.eq(n.as_str())).count(&state.db).await? > 0
    {
        errors.add("number", Msg::new("error-contract-number-taken"));
    }
    errors.into_result()?;
    let (Some(number), Some(title), Some((counterparty_id, direction)), Some(currency), Some(total), Some(tax_rate)) =
        (number, title, counterparty, currency, total, tax_rate)
    else {
        return Err(AppError::Internal(anyhow::anyhow!("validated contract input is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let c = contract::ActiveModel {
        number: Set(number),
        title: Set(title),
        description: Set(description.unwrap_or_default()),
        direction: Set(direction.to_owned()),
        counterparty_id: Set(counterparty_id),
        currency: Set(currency),
        total_minor: Set(total),
        tax_rate_bp: Set(tax_rate),
        tax_minor: Set(money::tax_included(total, tax_rate)),
        state: Set(ContractState::Draft.as_str().to_owned()),
        start_date: Set(start),
        end_date: Set(end),
        owner_id: Set(owner.or(Some(viewer.user.id))),
        host_signatory_id: Set(host_signatory),
        counterparty_signatory_id: Set(cp_signatory),
        legal_approver_id: Set(legal),
        finance_approver_id: Set(finance),
        review_every_months: Set(review_every),
        next_review_on: Set(next_review(start, review_every)),
        renewal_notice_days: Set(notice),
        current_version: Set(0),
        amendment_reason: Set(None),
        amendment_change_request_id: Set(None),
        terminated_reason: Set(String::new()),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    link_engagements(&tx, c.id, &engagements).await?;
    let mut after = audit_json(&c);
    after["engagement_ids"] = json!(engagements);
    record(&tx, state, viewer, "contract.create", "contract", c.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(c)
}

pub(super) async fn link_engagements(tx: &DatabaseTransaction, contract_id: i64, ids: &[i64]) -> AppResult<()> {
    contract_engagement::Entity::delete_many()
        .filter(contract_engagement::Column::ContractId.eq(contract_id))
        .exec(tx)
        .await?;
    for e in ids {
        contract_engagement::ActiveModel {
            contract_id: Set(contract_id),
            engagement_id: Set(*e),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// Edits the header of a contract whose working copy is open. A new total re-computes the
/// installments given as a percentage.
pub async fn update(state: &AppState, viewer: &Viewer, id: i64, input: ContractUpdate) -> AppResult<contract::Model> {
    let before = load_to_edit(state, viewer, id).await?;
    let mut errors = FieldErrors::default();
    let mut row: contract::ActiveModel = before.clone().into();
    if let Some(t) = &input.title
        && let Some(t) = errors.take("title", domain::text(t, true, 200))
    {
        row.title = Set(t);
    }
    if let Some(d) = &input.description
        && let Some(d) = errors.take("description", domain::text(d, false, MAX_TEXT))
    {
        row.description = Set(d);
    }
    let engagements = match &input.engagement_ids {
        Some(ids) => Some(check_engagements(state, viewer, ids, Some(before.counterparty_id), &mut errors).await?),
        None => None,
    };
    let total = match &input.total {
        Some(t) => check_total(Some(t), &before.currency, &mut errors),
        None => Some(before.total_minor),
    };
    let rate = match &input.tax_rate {
        Some(r) => errors.take("tax_rate", parse_tax_rate(Some(r))),
        None => Some(before.tax_rate_bp),
    };
    if let (Some(t), Some(r)) = (total, rate) {
        row.total_minor = Set(t);
        row.tax_rate_bp = Set(r);
        row.tax_minor = Set(money::tax_included(t, r));
    }
    let start = match &input.start_date {
        Some(s) => errors.take("start_date", optional_date(Some(s))).unwrap_or(before.start_date),
        None => before.start_date,
    };
    let end = match &input.end_date {
        Some(s) => errors.take("end_date", optional_date(Some(s))).unwrap_or(before.end_date),
        None => before.end_date,
    };
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.add("end_date", Msg::new("error-end-before-start"));
    }
    row.start_date = Set(start);
    row.end_date = Set(end);
    let cp = Some(before.counterparty_id);
    for (field, value, party, slot) in [
        ("owner_id", input.owner_id, None, &mut row.owner_id),
        ("host_signatory_id", input.host_signatory_id, None, &mut row.host_signatory_id),
        ("counterparty_signatory_id", input.counterparty_signatory_id, cp, &mut row.counterparty_signatory_id),
        ("legal_approver_id", input.legal_approver_id, None, &mut row.legal_approver_id),
        ("finance_approver_id", input.finance_approver_id, None, &mut row.finance_approver_id),
    ] {
        if value.is_some() {
            *slot = Set(check_user(state, field, value, party, &mut errors).await?);
        }
    }
    if let Some(m) = check_range(&mut errors, "review_every_months", input.review_every_months, MAX_REVIEW_MONTHS) {
        row.review_every_months = Set(m);
        row.next_review_on = Set(next_review(start.or(Some(state.today())), m));
    }
    if let Some(d) = check_range(&mut errors, "renewal_notice_days", input.renewal_notice_days, MAX_NOTICE_DAYS) {
        row.renewal_notice_days = Set(d);
    }
    errors.into_result()?;
    row.updated_at = Set(state.clock.now());
    let tx = db::begin_write(&state.writer).await?;
    let after = row.update(&tx).await?;
    if let Some(ids) = &engagements {
        link_engagements(&tx, after.id, ids).await?;
    }
    if after.total_minor != before.total_minor {
        super::payments::rescale(&tx, &after).await?;
    }
    super::payments::check_schedule_fits(&tx, &after).await?;
    record(&tx, state, viewer, "contract.update", "contract", id, Some(audit_json(&before)), Some(audit_json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}
