//! Selections (RFQ / 比选): a need with a deadline, criteria whose weights add up to 100,
//! invited vendors who each see only their own invitation and bid, and evaluators who score
//! each bid per criterion, blind to each other until every sheet is in.

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    directory::{self, CATEGORIES},
    entity::{bid, criterion, evaluator, invitation, score, selection},
    templates,
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{self, Id, PartyKind},
    engagements::service::{manages, record},
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{self, Money, MoneyDto},
    parties::entity::party,
    users::entity::user,
};

pub const MAX_CRITERIA: usize = 12;

/// What the viewer may do with one selection.
#[derive(Clone, Copy, Debug, Default)]
pub struct Access {
    /// Runs it: invites, closes, awards (the host's administrators and PMs).
    pub manage: bool,
    /// One of its evaluators.
    pub evaluate: bool,
    /// Sees the host's side (managers, evaluators, finance approvers).
    pub host: bool,
    /// An invited vendor: sees its own invitation and bid only.
    pub bidder: bool,
}

/// Where a selection stands now: bidding until the deadline (or an early close), then
/// evaluating until the award or a cancellation.
pub fn phase(s: &selection::Model, now: DateTime<Utc>) -> &'static str {
    match s.state.as_str() {
        "awarded" => "awarded",
        "cancelled" => "cancelled",
        "open" if now < s.deadline => "bidding",
        _ => "evaluating",
    }
}

/// Whether the host may read the offers: once bidding has ended, and never for a selection
/// cancelled while it was still bidding (a re-issued RFQ must not start from its prices).
pub fn bids_unsealed(s: &selection::Model, now: DateTime<Utc>) -> bool {
    match phase(s, now) {
        "bidding" => false,
        "cancelled" => s.closed_at.is_some(),
        _ => true,
    }
}

pub fn money_of(s: &selection::Model, minor: i64) -> Money {
    Money { minor, currency: s.currency.clone() }
}

async fn is_evaluator(db: &impl ConnectionTrait, selection_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(evaluator::Entity::find()
        .filter(evaluator::Column::SelectionId.eq(selection_id))
        .filter(evaluator::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0)
}

async fn is_invited(db: &impl ConnectionTrait, selection_id: i64, party_id: i64) -> AppResult<bool> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::SelectionId.eq(selection_id))
        .filter(invitation::Column::PartyId.eq(party_id))
        .count(db)
        .await?
        > 0)
}

/// One selection and what the viewer may do with it. Invisible to clients and to vendors not
/// invited (404); a host member who is not an evaluator is refused (403).
pub async fn load(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<(selection::Model, Access)> {
    let s = selection::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let access = access(state, viewer, &s).await?;
    if !(access.host || access.bidder) {
        return Err(if viewer.is_host() { AppError::Forbidden } else { AppError::NotFound });
    }
    Ok((s, access))
}

/// Whether a winner may be brought into engagement `id`: it exists, is still open (not closed
/// or archived), and the viewer runs it.
pub(super) async fn open_engagement(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<bool> {
    use crate::engagements::entity::engagement;
    match engagement::Entity::find_by_id(id).one(&state.db).await? {
        Some(e) if !matches!(e.state.as_str(), "closed" | "archived") => manages(state, viewer, id).await,
        _ => Ok(false),
    }
}

/// The selection as stored now, inside a write transaction: every state check that decides a
/// write is made against this copy, never the one read before the lock.
pub(super) async fn reload(tx: &sea_orm::DatabaseTransaction, id: i64) -> AppResult<selection::Model> {
    selection::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)
}

async fn access(state: &AppState, viewer: &Viewer, s: &selection::Model) -> AppResult<Access> {
    match viewer.kind {
        PartyKind::Host => {
            // Running one goes with the role, not with having opened it: a PM moved to member
            // no longer invites, closes or awards.
            let manage = viewer.can_manage_engagements();
            let evaluate = is_evaluator(&state.db, s.id, viewer.user.id).await?;
            let finance = viewer.role == domain::Role::Approver;
            Ok(Access { manage, evaluate, host: manage || evaluate || finance, bidder: false })
        }
        PartyKind::Vendor => {
            Ok(Access { bidder: is_invited(&state.db, s.id, viewer.party.id).await?, ..Access::default() })
        }
        PartyKind::Client => Ok(Access::default()),
    }
}

/// Selections the viewer may see, newest first.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    limit: u64,
    after: Option<i64>,
) -> AppResult<(Vec<selection::Model>, Option<String>)> {
    let mut cond = Condition::all();
    match viewer.kind {
        PartyKind::Host if viewer.can_manage_engagements() || viewer.role == domain::Role::Approver => {}
        PartyKind::Host => {
            let mine: Vec<i64> = evaluator::Entity::find()
                .select_only()
                .column(evaluator::Column::SelectionId)
                .filter(evaluator::Column::UserId.eq(viewer.user.id))
                .into_tuple()
                .all(&state.db)
                .await?;
            cond = cond.add(selection::Column::Id.is_in(mine));
        }
        PartyKind::Vendor => {
            let mine: Vec<i64> = invitation::Entity::find()
                .select_only()
                .column(invitation::Column::SelectionId)
                .filter(invitation::Column::PartyId.eq(viewer.party.id))
                .into_tuple()
                .all(&state.db)
                .await?;
            cond = cond.add(selection::Column::Id.is_in(mine));
        }
        PartyKind::Client => return Ok((Vec::new(), None)),
    }
    if let Some(a) = after {
        cond = cond.add(selection::Column::Id.lt(a));
    }
    let rows = selection::Entity::find()
        .filter(cond)
        .order_by_desc(selection::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    Ok(db::page(rows, limit, |s| s.id))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    #[serde(default)]
    pub name: String,
    /// Percent; all weights add up to 100.
    #[serde(default)]
    pub weight: i32,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectionInput {
    #[serde(default)]
    pub title: String,
    /// The engagement the winner will work in; can also be named at the award.
    pub engagement_id: Option<Id>,
    /// What is needed (Markdown).
    pub scope: Option<String>,
    /// The capability category sought.
    pub category: Option<String>,
    /// ISO 4217; `CNY` when left out.
    pub currency: Option<String>,
    pub budget_min: Option<MoneyDto>,
    pub budget_max: Option<MoneyDto>,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` / `YYYY-MM-DD` in the caller's time zone (a date means
    /// the end of that day).
    #[serde(default)]
    pub deadline: String,
    /// Criteria with weights adding up to 100; left out, the template's.
    #[serde(default)]
    pub criteria: Vec<CriterionInput>,
    /// A selection template's key (`standard`, `price_first`, `quality_first`, or `custom-{id}`).
    pub template: Option<String>,
    /// Host users who score the bids.
    #[serde(default)]
    pub evaluator_ids: Vec<Id>,
}

/// A deadline as typed: RFC 3339, or a local date-time or date in `tz`.
pub fn parse_deadline(raw: &str, tz: &str) -> Result<DateTime<Utc>, Msg> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Msg::new("error-required"));
    }
    // The same exact shapes and date range as every other date: `YYYY-MM-DDTHH:MM` (or a
    // space for the T), `YYYY-MM-DD` (end of that day), or a full RFC 3339 time.
    let range = |m: Msg| if m.key == "error-date-range" { m } else { Msg::new("error-deadline") };
    if raw.len() > 16 {
        let t = DateTime::parse_from_rfc3339(raw).map_err(|_| Msg::new("error-deadline"))?;
        let t = t.with_timezone(&Utc);
        crate::domain::in_date_range(t.date_naive())?;
        return Ok(t);
    }
    let local = if raw.len() == 10 {
        crate::domain::parse_date(raw).map_err(range)?.and_hms_opt(23, 59, 0).ok_or(Msg::new("error-deadline"))?
    } else {
        crate::domain::parse_date_time(raw).map_err(range)?
    };
    let zone: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::Asia::Shanghai);
    zone.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)).ok_or(Msg::new("error-deadline"))
}

/// Checks criteria: 1 to 12, named, distinct, integer weights of 1–100 adding up to 100.
pub fn check_criteria(items: &[CriterionInput], errors: &mut FieldErrors) -> Vec<(String, i32)> {
    if items.is_empty() || items.len() > MAX_CRITERIA {
        errors.add("criteria", Msg::new("error-selection-criteria-count").arg("max", MAX_CRITERIA));
        return Vec::new();
    }
    let mut out: Vec<(String, i32)> = Vec::new();
    for (i, c) in items.iter().enumerate() {
        let name = errors.take(&format!("criteria[{i}].name"), domain::text(&c.name, true, 100));
        if !(1..=100).contains(&c.weight) {
            errors.add(format!("criteria[{i}].weight"), Msg::new("error-range").arg("min", 1).arg("max", 100));
        }
        if let Some(n) = name {
            if out.iter().any(|(o, _)| o.eq_ignore_ascii_case(&n)) {
                errors.add(format!("criteria[{i}].name"), Msg::new("error-criterion-duplicate"));
            }
            out.push((n, c.weight));
        }
    }
    let sum: i32 = items.iter().map(|c| c.weight).sum();
    if sum != 100 {
        errors.add("criteria", Msg::new("error-weights-sum").arg("sum", sum));
    }
    out
}

pub(super) fn optional_money(
    field: &str,
    m: Option<&MoneyDto>,
    currency: &str,
    errors: &mut FieldErrors,
) -> Option<i64> {
    let m = m.filter(|m| !m.amount.trim().is_empty())?;
    let parsed = errors.take(field, Money::try_from(m))?;
    if m.currency.as_deref().is_some_and(|c| !c.trim().is_empty()) && parsed.currency != currency {
        errors.add(field, Msg::new("error-currency-mismatch").arg("currency", currency));
        return None;
    }
    if parsed.minor <= 0 {
        errors.add(field, Msg::new("error-amount-positive"));
        return None;
    }
    Some(parsed.minor)
}

async fn check_evaluators(state: &AppState, ids: &[Id], errors: &mut FieldErrors) -> AppResult<Vec<i64>> {
    let wanted: Vec<i64> = ids.iter().map(|i| i.0).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let found: Vec<i64> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .inner_join(party::Entity)
        .filter(party::Column::Kind.eq("host"))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Id.is_in(wanted.clone()))
        .into_tuple()
        .all(&state.db)
        .await?;
    if found.len() != wanted.len() {
        errors.add("evaluator_ids", Msg::new("error-host-user"));
    }
    Ok(wanted)
}

pub async fn create(state: &AppState, viewer: &Viewer, input: SelectionInput) -> AppResult<selection::Model> {
    if !directory::runs_directory(viewer) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let title = errors.take("title", domain::text(&input.title, true, 200));
    let scope = errors.take("scope", domain::text(input.scope.as_deref().unwrap_or(""), false, 20_000));
    let category = input.category.as_deref().map(str::trim).unwrap_or("");
    if !category.is_empty() && !CATEGORIES.contains(&category) {
        errors.add("category", Msg::new("error-choice").arg("value", category));
    }
    if let Some(Id(e)) = input.engagement_id
        && !open_engagement(state, viewer, e).await?
    {
        errors.add("engagement_id", Msg::new("error-engagement-open"));
    }
    let currency = errors.take("currency", money::parse_currency(input.currency.as_deref())).unwrap_or_default();
    let min = optional_money("budget_min", input.budget_min.as_ref(), &currency, &mut errors);
    let max = optional_money("budget_max", input.budget_max.as_ref(), &currency, &mut errors);
    if let (Some(a), Some(b)) = (min, max)
        && b < a
    {
        errors.add("budget_max", Msg::new("error-budget-range"));
    }
    let now = state.clock.now();
    let deadline = errors.take("deadline", parse_deadline(&input.deadline, &viewer.user.time_zone));
    if deadline.is_some_and(|d| d <= now) {
        errors.add("deadline", Msg::new("error-deadline-past"));
    }
    let criteria_in = if input.criteria.is_empty() {
        match input.template.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(key) => match templates::criteria_of(state, "selection", key, viewer).await? {
                Some(c) => c,
                None => {
                    errors.add("template", Msg::new("error-choice").arg("value", key));
                    Vec::new()
                }
            },
            None => Vec::new(),
        }
    } else {
        input.criteria
    };
    let criteria = if criteria_in.is_empty() && errors.0.iter().any(|e| e.field == "template") {
        Vec::new()
    } else {
        check_criteria(&criteria_in, &mut errors)
    };
    let evaluators = check_evaluators(state, &input.evaluator_ids, &mut errors).await?;
    errors.into_result()?;
    let (Some(title), Some(deadline)) = (title, deadline) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated selection is incomplete")));
    };
    let tx = db::begin_write(&state.writer).await?;
    let s = selection::ActiveModel {
        title: Set(title),
        engagement_id: Set(input.engagement_id.map(|i| i.0)),
        scope: Set(scope.unwrap_or_default()),
        category: Set(category.to_owned()),
        currency: Set(currency),
        budget_min_minor: Set(min),
        budget_max_minor: Set(max),
        deadline: Set(deadline),
        state: Set("open".into()),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        closed_at: Set(None),
        awarded_party_id: Set(None),
        justification: Set(String::new()),
        awarded_by: Set(None),
        awarded_at: Set(None),
        contract_id: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for (i, (name, weight)) in criteria.iter().enumerate() {
        criterion::ActiveModel {
            selection_id: Set(s.id),
            position: Set(i32::try_from(i).unwrap_or(0) + 1),
            name: Set(name.clone()),
            weight: Set(*weight),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    for u in &evaluators {
        evaluator::ActiveModel {
            selection_id: Set(s.id),
            user_id: Set(*u),
            added_by: Set(viewer.user.id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    let after = json!({"title": s.title, "engagement_id": s.engagement_id, "category": s.category,
        "currency": s.currency, "budget_min_minor": min, "budget_max_minor": max, "deadline": s.deadline,
        "criteria": criteria.iter().map(|(n, w)| json!({"name": n, "weight": w})).collect::<Vec<_>>(),
        "evaluator_ids": evaluators});
    record(&tx, state, viewer, "selection.create", "selection", s.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(s)
}

pub async fn criteria(db: &impl ConnectionTrait, selection_id: i64) -> AppResult<Vec<criterion::Model>> {
    Ok(criterion::Entity::find()
        .filter(criterion::Column::SelectionId.eq(selection_id))
        .order_by_asc(criterion::Column::Position)
        .all(db)
        .await?)
}

pub async fn evaluators(db: &impl ConnectionTrait, selection_id: i64) -> AppResult<Vec<i64>> {
    Ok(evaluator::Entity::find()
        .select_only()
        .column(evaluator::Column::UserId)
        .filter(evaluator::Column::SelectionId.eq(selection_id))
        .order_by_asc(evaluator::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn invitations(db: &impl ConnectionTrait, selection_id: i64) -> AppResult<Vec<invitation::Model>> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::SelectionId.eq(selection_id))
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await?)
}

/// The bids the viewer may see: an invited vendor its own; the host every bid once bidding has
/// ended (they stay sealed until the deadline or the early close).
pub async fn visible_bids(
    state: &AppState,
    viewer: &Viewer,
    s: &selection::Model,
    access: Access,
) -> AppResult<Vec<bid::Model>> {
    let mut q = bid::Entity::find().filter(bid::Column::SelectionId.eq(s.id));
    if access.bidder {
        q = q.filter(bid::Column::PartyId.eq(viewer.party.id));
    } else if !access.host || !bids_unsealed(s, state.clock.now()) {
        return Ok(Vec::new());
    }
    Ok(q.order_by_asc(bid::Column::Id).all(&state.db).await?)
}

/// Who has bid so far, without the offers: what the host sees while bids are sealed.
pub async fn bidders(db: &impl ConnectionTrait, selection_id: i64) -> AppResult<Vec<(i64, DateTime<Utc>)>> {
    Ok(bid::Entity::find()
        .select_only()
        .column(bid::Column::PartyId)
        .column(bid::Column::SubmittedAt)
        .filter(bid::Column::SelectionId.eq(selection_id))
        .into_tuple()
        .all(db)
        .await?)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    pub vendor_id: Option<Id>,
}

pub async fn invite(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: InvitationInput,
) -> AppResult<invitation::Model> {
    let (s, access) = load(state, viewer, id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let Some(Id(vendor_id)) = input.vendor_id else {
        errors.add("vendor_id", Msg::new("error-required"));
        return Err(AppError::Validation(errors));
    };
    let vendor = party::Entity::find_by_id(vendor_id).filter(party::Column::Kind.eq("vendor")).one(&state.db).await?;
    let Some(vendor) = vendor else {
        errors.add("vendor_id", Msg::new("error-vendor-unknown"));
        return Err(AppError::Validation(errors));
    };
    // Checked under the write lock: a close, a cancel or a status change may have come first.
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let prof = directory::profile_of(&tx, vendor_id).await?;
    if !directory::invitable(&prof.status) {
        errors.add("vendor_id", Msg::new("error-vendor-not-invitable").arg("status", &prof.status));
    }
    if is_invited(&tx, id, vendor_id).await? {
        errors.add("vendor_id", Msg::new("error-vendor-invited"));
    }
    errors.into_result()?;
    let s = reload(&tx, s.id).await?;
    if phase(&s, now) != "bidding" {
        return Err(AppError::Conflict(Msg::new("error-selection-not-bidding")));
    }
    let row = invitation::ActiveModel {
        selection_id: Set(id),
        party_id: Set(vendor_id),
        added_by: Set(viewer.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let args = [("title", s.title.clone())];
    super::mail_party(state, &tx, vendor.id, "selection-invited", id, &args, &[("deadline", s.deadline)]).await?;
    let after = json!({"vendor_id": vendor_id, "vendor": vendor.name});
    record(&tx, state, viewer, "selection.invite", "selection", id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluatorInput {
    pub user_id: Option<Id>,
}

/// Adds an evaluator while no score is in yet (a late evaluator would see the others' scores).
pub async fn add_evaluator(state: &AppState, viewer: &Viewer, id: i64, input: EvaluatorInput) -> AppResult<()> {
    let (s, access) = load(state, viewer, id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let Some(uid) = input.user_id else {
        errors.add("user_id", Msg::new("error-required"));
        return Err(AppError::Validation(errors));
    };
    let ids = check_evaluators(state, &[uid], &mut errors).await?;
    if is_evaluator(&state.db, id, uid.0).await? {
        errors.add("user_id", Msg::new("error-evaluator-exists"));
    }
    errors.into_result()?;
    let tx = db::begin_write(&state.writer).await?;
    if matches!(s.state.as_str(), "awarded" | "cancelled")
        || score::Entity::find().filter(score::Column::SelectionId.eq(id)).count(&tx).await? > 0
    {
        return Err(AppError::Conflict(Msg::new("error-evaluators-locked")));
    }
    for u in ids {
        evaluator::ActiveModel {
            selection_id: Set(id),
            user_id: Set(u),
            added_by: Set(viewer.user.id),
            created_at: Set(state.clock.now()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    record(&tx, state, viewer, "selection.evaluator_add", "selection", id, None, Some(json!({"user_id": uid.0})))
        .await?;
    tx.commit().await?;
    Ok(())
}

pub use super::ranking::{Ranked, Ranking, ranking};
