//! Risks: raised by anyone taking part in an engagement (within their party's slice), scored
//! probability × impact, owned by a person who may see them, answered by a strategy and
//! response tasks, reviewed on a date. Every change of score or status is kept as an
//! assessment, so the register shows how a risk moved.

use std::collections::HashSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entity::{assessment, risk};
use crate::{
    AppState,
    auth::Viewer,
    collab::{self, Subject, SubjectKind},
    contracts::entity::contract_engagement,
    db,
    domain::{self, Id, RiskCategory, RiskStatus, RiskStrategy, Visibility},
    engagements::{
        entity::{milestone, participant, task},
        plan::{may_hold, raised_visibility},
        service::{get, manages, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
};

const MAX_TEXT: usize = 20_000;
/// A score at or above this is high: red on the heat map, and a warning once warnings exist.
pub const HIGH_SCORE: i16 = 15;

pub fn key_of(seq: i32) -> String {
    format!("R-{seq:03}")
}

pub fn task_ids(r: &risk::Model) -> Vec<i64> {
    serde_json::from_str(&r.task_ids).unwrap_or_default()
}

/// Green, amber or red for a score, as the heat map colours its cells.
pub fn band(score: i16) -> &'static str {
    match score {
        s if s >= HIGH_SCORE => "high",
        s if s >= 8 => "medium",
        _ => "low",
    }
}

impl From<&risk::Model> for Subject {
    fn from(r: &risk::Model) -> Self {
        Self {
            kind: SubjectKind::Risk,
            id: r.id,
            engagement_id: r.engagement_id,
            title: format!("{} {}", r.key, r.title),
            visibility: r.visibility.clone(),
            visible_party_id: r.visible_party_id,
        }
    }
}

pub(crate) fn audit_json(r: &risk::Model) -> Value {
    json!({"key": r.key, "title": r.title, "category": r.category, "probability": r.probability,
           "impact": r.impact, "score": r.score, "strategy": r.strategy, "owner_id": r.owner_id,
           "status": r.status, "review_on": r.review_on, "task_ids": task_ids(r), "milestone_id": r.milestone_id,
           "contract_id": r.contract_id, "vendor_id": r.vendor_id, "visibility": r.visibility,
           "visible_party_id": r.visible_party_id})
}

/// The risks the viewer may see, wherever they are.
pub(crate) fn scope(viewer: &Viewer) -> Condition {
    Condition::all()
        .add(viewer.engagement_ids_scope(risk::Column::EngagementId))
        .add(viewer.record_scope(risk::Column::Visibility, risk::Column::VisiblePartyId))
}

#[derive(Debug, Default)]
pub struct RiskFilter {
    pub status: Option<RiskStatus>,
    /// Only risks that are not closed.
    pub live: bool,
    pub category: Option<RiskCategory>,
    /// One cell of the heat map.
    pub cell: Option<(i16, i16)>,
    /// The risks that name this contract.
    pub contract_id: Option<i64>,
    pub limit: u64,
    /// After this `(score, id)`: the list runs from the highest score down.
    pub after: Option<(i16, i64)>,
}

/// The list's cursor packs the score with the id (both decide the order).
pub fn encode_after(r: &risk::Model) -> i64 {
    (i64::from(r.score) << 40) | r.id
}

pub fn decode_after(packed: i64) -> (i16, i64) {
    (i16::try_from(packed >> 40).unwrap_or(0), packed & ((1 << 40) - 1))
}

fn filtered(mut q: sea_orm::Select<risk::Entity>, f: &RiskFilter) -> sea_orm::Select<risk::Entity> {
    if let Some(s) = f.status {
        q = q.filter(risk::Column::Status.eq(s.as_str()));
    }
    if f.live {
        q = q.filter(risk::Column::Status.ne(RiskStatus::Closed.as_str()));
    }
    if let Some(c) = f.category {
        q = q.filter(risk::Column::Category.eq(c.as_str()));
    }
    if let Some(k) = f.contract_id {
        q = q.filter(risk::Column::ContractId.eq(k));
    }
    if let Some((p, i)) = f.cell {
        q = q.filter(risk::Column::Probability.eq(p)).filter(risk::Column::Impact.eq(i));
    }
    if let Some((score, id)) = f.after {
        q = q.filter(
            Condition::any()
                .add(risk::Column::Score.lt(score))
                .add(Condition::all().add(risk::Column::Score.eq(score)).add(risk::Column::Id.lt(id))),
        );
    }
    q.order_by_desc(risk::Column::Score).order_by_desc(risk::Column::Id)
}

/// Filtering by a contract the viewer may not see finds nothing: the filter must not tell which
/// visible risks name someone else's contract.
async fn contract_visible(state: &AppState, viewer: &Viewer, f: &RiskFilter) -> AppResult<bool> {
    match f.contract_id {
        None => Ok(true),
        Some(k) => match crate::contracts::service::load(state, viewer, k).await {
            Ok(_) => Ok(true),
            Err(AppError::NotFound) => Ok(false),
            Err(e) => Err(e),
        },
    }
}

/// An engagement's risks, highest score first.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    f: &RiskFilter,
) -> AppResult<(Vec<risk::Model>, Option<String>)> {
    get(state, viewer, engagement_id).await?;
    if !contract_visible(state, viewer, f).await? {
        return Ok((Vec::new(), None));
    }
    let q = risk::Entity::find().filter(risk::Column::EngagementId.eq(engagement_id)).filter(scope(viewer));
    let rows = filtered(q, f).limit(f.limit + 1).all(&state.db).await?;
    Ok(db::page(rows, f.limit, encode_after))
}

/// Risks across every engagement the viewer may see (the portfolio), highest score first.
pub async fn portfolio(
    state: &AppState,
    viewer: &Viewer,
    f: &RiskFilter,
) -> AppResult<(Vec<risk::Model>, Option<String>)> {
    if !contract_visible(state, viewer, f).await? {
        return Ok((Vec::new(), None));
    }
    let rows = filtered(risk::Entity::find().filter(scope(viewer)), f).limit(f.limit + 1).all(&state.db).await?;
    Ok(db::page(rows, f.limit, encode_after))
}

/// How many live risks sit in each cell, `counts[probability - 1][impact - 1]`, over one
/// engagement or (with `None`) every engagement the viewer may see.
pub async fn heat(state: &AppState, viewer: &Viewer, engagement_id: Option<i64>) -> AppResult<[[u32; 5]; 5]> {
    let mut q = risk::Entity::find()
        .select_only()
        .column(risk::Column::Probability)
        .column(risk::Column::Impact)
        .filter(scope(viewer))
        .filter(risk::Column::Status.ne(RiskStatus::Closed.as_str()));
    if let Some(e) = engagement_id {
        get(state, viewer, e).await?;
        q = q.filter(risk::Column::EngagementId.eq(e));
    }
    let rows: Vec<(i16, i16)> = q.into_tuple().all(&state.db).await?;
    let mut counts = [[0u32; 5]; 5];
    for (p, i) in rows {
        if let (Ok(p @ 1..=5), Ok(i @ 1..=5)) = (usize::try_from(p), usize::try_from(i)) {
            counts[p - 1][i - 1] += 1;
        }
    }
    Ok(counts)
}

/// One risk the viewer may see; 404 otherwise.
pub async fn load(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<risk::Model> {
    db::unique(risk::Entity::find_by_id(id).filter(scope(viewer)), &state.db).await?.ok_or(AppError::NotFound)
}

/// One risk of engagement `engagement_id` the viewer may see (the pages' paths name both).
pub async fn load_in(state: &AppState, viewer: &Viewer, engagement_id: i64, id: i64) -> AppResult<risk::Model> {
    let r = load(state, viewer, id).await?;
    if r.engagement_id != engagement_id {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// The assessments of a risk, oldest first.
pub async fn history(state: &AppState, risk_id: i64) -> AppResult<Vec<assessment::Model>> {
    Ok(assessment::Entity::find()
        .filter(assessment::Column::RiskId.eq(risk_id))
        .order_by_asc(assessment::Column::Id)
        .all(&state.db)
        .await?)
}

/// Who may edit a risk: the engagement's managers, its owner and whoever raised it.
pub async fn may_edit(state: &AppState, viewer: &Viewer, r: &risk::Model) -> AppResult<bool> {
    Ok(r.owner_id == Some(viewer.user.id)
        || r.raised_by == viewer.user.id
        || manages(state, viewer, r.engagement_id).await?)
}

/// A new risk (`POST`) or the fields to change (`PATCH`: absent fields stay as they are).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskInput {
    #[serde(default)]
    pub title: Option<String>,
    /// schedule | cost | quality | scope | vendor | contract | compliance | security
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub cause: Option<String>,
    #[serde(default)]
    pub effect: Option<String>,
    /// 1 (rare) – 5 (almost certain).
    #[serde(default)]
    pub probability: Option<i64>,
    /// 1 (negligible) – 5 (severe).
    #[serde(default)]
    pub impact: Option<i64>,
    /// avoid | mitigate | transfer | accept
    #[serde(default)]
    pub strategy: Option<String>,
    /// A user of the host or of a taking-part party who may see the risk; an empty string clears it.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// What tells that the risk is about to occur.
    #[serde(default)]
    pub trigger: Option<String>,
    /// The response plan in words.
    #[serde(default)]
    pub response: Option<String>,
    /// The tasks that carry out the response (tasks of this engagement the caller may see).
    #[serde(default)]
    pub task_ids: Option<Vec<Id>>,
    #[serde(default)]
    pub milestone_id: Option<String>,
    #[serde(default)]
    pub contract_id: Option<String>,
    /// The vendor (a taking-part party) the risk is about.
    #[serde(default)]
    pub vendor_id: Option<String>,
    /// YYYY-MM-DD; an empty string clears it. The owner is reminded on that day.
    #[serde(default)]
    pub review_on: Option<String>,
    /// open | monitoring | occurred | closed (on `PATCH`).
    #[serde(default)]
    pub status: Option<String>,
    /// Why the score or status changed; kept in the risk's history.
    #[serde(default)]
    pub note: Option<String>,
    /// internal | party | participants. Outside the host: the caller's own party or every participant.
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub visible_party_id: Option<Id>,
}

/// `Some(None)` for an empty string (clear), `Some(Some(id))` for an id, `None` when absent.
fn optional_id(raw: Option<&str>, field: &str, errors: &mut FieldErrors) -> Option<Option<i64>> {
    let raw = raw?.trim();
    if raw.is_empty() {
        return Some(None);
    }
    errors.take(field, domain::parse_id(raw)).map(Some)
}

fn level(raw: Option<i64>, field: &str, errors: &mut FieldErrors) -> Option<i16> {
    let v = raw?;
    match i16::try_from(v) {
        Ok(v @ 1..=5) => Some(v),
        _ => {
            errors.add(field, Msg::new("error-risk-level"));
            None
        }
    }
}

/// The fields of an input, checked; `None` where the input left a field out.
#[derive(Default)]
struct Checked {
    title: Option<String>,
    category: Option<RiskCategory>,
    cause: Option<String>,
    effect: Option<String>,
    probability: Option<i16>,
    impact: Option<i16>,
    strategy: Option<RiskStrategy>,
    owner: Option<Option<i64>>,
    trigger: Option<String>,
    response: Option<String>,
    tasks: Option<Vec<i64>>,
    milestone: Option<Option<i64>>,
    contract: Option<Option<i64>>,
    vendor: Option<Option<i64>>,
    review_on: Option<Option<chrono::NaiveDate>>,
    status: Option<RiskStatus>,
    note: String,
}

fn text_field(raw: Option<&str>, field: &str, required: bool, max: usize, errors: &mut FieldErrors) -> Option<String> {
    raw.and_then(|t| errors.take(field, domain::text(t, required, max)))
}

/// Checks everything that does not depend on the risk's visibility.
async fn check(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: &RiskInput,
    creating: bool,
    errors: &mut FieldErrors,
) -> AppResult<Checked> {
    let mut c = Checked {
        title: text_field(input.title.as_deref().or(creating.then_some("")), "title", true, 200, errors),
        cause: text_field(input.cause.as_deref(), "cause", false, MAX_TEXT, errors),
        effect: text_field(input.effect.as_deref(), "effect", false, MAX_TEXT, errors),
        trigger: text_field(input.trigger.as_deref(), "trigger", false, MAX_TEXT, errors),
        response: text_field(input.response.as_deref(), "response", false, MAX_TEXT, errors),
        note: text_field(input.note.as_deref(), "note", false, 2_000, errors).unwrap_or_default(),
        probability: level(input.probability, "probability", errors),
        impact: level(input.impact, "impact", errors),
        ..Default::default()
    };
    let required = |v: Option<&String>| v.cloned().or(creating.then(String::new));
    c.category = required(input.category.as_ref()).and_then(|v| errors.take("category", RiskCategory::parse(&v)));
    c.strategy = required(input.strategy.as_ref()).and_then(|v| errors.take("strategy", RiskStrategy::parse(&v)));
    if creating {
        for (field, given) in [("probability", input.probability), ("impact", input.impact)] {
            if given.is_none() {
                errors.add(field, Msg::new("error-required"));
            }
        }
    }
    c.status = input.status.as_deref().and_then(|s| errors.take("status", RiskStatus::parse(s)));
    c.review_on = match input.review_on.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(d) => errors.take("review_on", domain::parse_date(d)).map(Some),
    };
    c.owner = optional_id(input.owner_id.as_deref(), "owner_id", errors);
    c.milestone = match optional_id(input.milestone_id.as_deref(), "milestone_id", errors) {
        Some(Some(m)) => {
            let found = milestone::Entity::find_by_id(m)
                .filter(milestone::Column::EngagementId.eq(engagement_id))
                .filter(viewer.record_scope(milestone::Column::Visibility, milestone::Column::VisiblePartyId))
                .one(&state.db)
                .await?;
            if found.is_none() {
                errors.add("milestone_id", Msg::new("error-risk-milestone"));
            }
            Some(Some(m))
        }
        other => other,
    };
    c.contract = match optional_id(input.contract_id.as_deref(), "contract_id", errors) {
        Some(Some(k)) => {
            let covers = contract_engagement::Entity::find()
                .filter(contract_engagement::Column::ContractId.eq(k))
                .filter(contract_engagement::Column::EngagementId.eq(engagement_id))
                .one(&state.db)
                .await?
                .is_some();
            let visible = match crate::contracts::service::load(state, viewer, k).await {
                Ok(_) => true,
                Err(AppError::NotFound) => false,
                Err(e) => return Err(e),
            };
            if !(covers && visible) {
                errors.add("contract_id", Msg::new("error-risk-contract"));
            }
            Some(Some(k))
        }
        other => other,
    };
    c.vendor = match optional_id(input.vendor_id.as_deref(), "vendor_id", errors) {
        Some(Some(v)) => {
            // A vendor of this engagement; outside the host, only one's own party may be named.
            let vendor = participant::Entity::find()
                .filter(participant::Column::EngagementId.eq(engagement_id))
                .filter(participant::Column::PartyId.eq(v))
                .filter(participant::Column::Relation.is_in(["vendor", "subcontractor"]))
                .one(&state.db)
                .await?
                .is_some();
            if !vendor || !(viewer.is_host() || v == viewer.party.id) {
                errors.add("vendor_id", Msg::new("error-risk-vendor"));
            }
            Some(Some(v))
        }
        other => other,
    };
    c.tasks = match &input.task_ids {
        None => None,
        Some(ids) => {
            let wanted: HashSet<i64> = ids.iter().map(|i| i.0).collect();
            let mut found: Vec<i64> = task::Entity::find()
                .select_only()
                .column(task::Column::Id)
                .filter(task::Column::EngagementId.eq(engagement_id))
                .filter(task::Column::Id.is_in(wanted.iter().copied()))
                .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
                .into_tuple()
                .all(&state.db)
                .await?;
            if found.len() != wanted.len() {
                errors.add("task_ids", Msg::new("error-risk-task"));
            }
            found.sort_unstable();
            Some(found)
        }
    };
    Ok(c)
}

/// The visibility a caller asks for: a risk names weaknesses, so the host's are internal by
/// default; a vendor or client raises for its own party or for every participant.
async fn choose_visibility(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: &RiskInput,
    default: (Visibility, Option<i64>),
    errors: &mut FieldErrors,
) -> AppResult<(Visibility, Option<i64>)> {
    let asked = (input.visibility.as_deref(), input.visible_party_id);
    raised_visibility(state, viewer, engagement_id, asked, default, ("error-risk-visibility", errors)).await
}

/// An owner must be an active user of the host or of a taking-part party who may see the risk.
async fn check_owner(
    state: &AppState,
    engagement_id: i64,
    owner: i64,
    vis: (Visibility, Option<i64>),
    errors: &mut FieldErrors,
) -> AppResult<()> {
    if !may_hold(state, engagement_id, owner, vis).await? {
        errors.add("owner_id", Msg::new("error-risk-owner"));
    }
    Ok(())
}

async fn assess(tx: &DatabaseTransaction, viewer: &Viewer, r: &risk::Model, note: &str) -> AppResult<()> {
    assessment::ActiveModel {
        risk_id: Set(r.id),
        probability: Set(r.probability),
        impact: Set(r.impact),
        score: Set(r.score),
        status: Set(r.status.clone()),
        user_id: Set(viewer.user.id),
        party_id: Set(viewer.party.id),
        note: Set(note.to_owned()),
        created_at: Set(r.updated_at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

fn search_body(r: &risk::Model) -> String {
    [r.cause.as_str(), r.effect.as_str(), r.trigger_text.as_str(), r.response.as_str()].join("\n")
}

/// Tells the owner a risk is now theirs.
async fn tell_owner(tx: &DatabaseTransaction, state: &AppState, viewer: &Viewer, r: &risk::Model) -> AppResult<()> {
    use collab::notifications::{Kind, Notice, send};
    let Some(owner) = r.owner_id.filter(|o| *o != viewer.user.id) else { return Ok(()) };
    let subject = Subject::from(r);
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::RiskAssigned, &subject) };
    send(tx, state.clock.now(), &[owner], &notice).await?;
    Ok(())
}

/// Raise a risk. Anyone who sees the engagement may.
pub async fn create(state: &AppState, viewer: &Viewer, engagement_id: i64, input: RiskInput) -> AppResult<risk::Model> {
    get(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let c = check(state, viewer, engagement_id, &input, true, &mut errors).await?;
    let default =
        if viewer.is_host() { (Visibility::Internal, None) } else { (Visibility::Party, Some(viewer.party.id)) };
    let vis = choose_visibility(state, viewer, engagement_id, &input, default, &mut errors).await?;
    if let Some(Some(o)) = c.owner {
        check_owner(state, engagement_id, o, vis, &mut errors).await?;
    }
    if c.status.is_some_and(|s| s != RiskStatus::Open) {
        errors.add("status", Msg::new("error-risk-new-status"));
    }
    errors.into_result()?;
    let (probability, impact) = (c.probability.unwrap_or(1), c.impact.unwrap_or(1));
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let seq = next_seq(&tx, engagement_id).await?;
    let row = risk::ActiveModel {
        engagement_id: Set(engagement_id),
        seq: Set(seq),
        key: Set(key_of(seq)),
        title: Set(c.title.unwrap_or_default()),
        category: Set(c.category.unwrap_or(RiskCategory::Schedule).as_str().to_owned()),
        cause: Set(c.cause.unwrap_or_default()),
        effect: Set(c.effect.unwrap_or_default()),
        probability: Set(probability),
        impact: Set(impact),
        score: Set(probability * impact),
        strategy: Set(c.strategy.unwrap_or(RiskStrategy::Mitigate).as_str().to_owned()),
        owner_id: Set(c.owner.flatten()),
        trigger_text: Set(c.trigger.unwrap_or_default()),
        response: Set(c.response.unwrap_or_default()),
        task_ids: Set(json!(c.tasks.unwrap_or_default()).to_string()),
        milestone_id: Set(c.milestone.flatten()),
        contract_id: Set(c.contract.flatten()),
        vendor_id: Set(c.vendor.flatten()),
        review_on: Set(c.review_on.flatten()),
        status: Set(RiskStatus::Open.as_str().to_owned()),
        raised_by: Set(viewer.user.id),
        raised_party_id: Set(viewer.party.id),
        visibility: Set(vis.0.as_str().to_owned()),
        visible_party_id: Set(vis.1),
        created_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    assess(&tx, viewer, &row, &c.note).await?;
    record(&tx, state, viewer, "risk.create", "risk", row.id, None, Some(audit_json(&row))).await?;
    collab::track(&tx, now, viewer.user.id, &Subject::from(&row), "created", &search_body(&row)).await?;
    tell_owner(&tx, state, viewer, &row).await?;
    crate::engagements::watch::changed(&tx, now, engagement_id).await?;
    tx.commit().await?;
    Ok(row)
}

async fn next_seq(tx: &DatabaseTransaction, engagement_id: i64) -> AppResult<i32> {
    let max: Option<i32> = risk::Entity::find()
        .select_only()
        .column_as(risk::Column::Seq.max(), "m")
        .filter(risk::Column::EngagementId.eq(engagement_id))
        .into_tuple::<Option<i32>>()
        .one(tx)
        .await?
        .flatten();
    Ok(max.unwrap_or(0) + 1)
}

/// Change a risk: its owner, whoever raised it, or the engagement's managers. Absent fields
/// stay; a new score or status is kept in the risk's history with the note.
pub async fn update(state: &AppState, viewer: &Viewer, id: i64, input: RiskInput) -> AppResult<risk::Model> {
    let before = load(state, viewer, id).await?;
    if !may_edit(state, viewer, &before).await? {
        return Err(AppError::Forbidden);
    }
    let e = before.engagement_id;
    let mut errors = FieldErrors::default();
    let c = check(state, viewer, e, &input, false, &mut errors).await?;
    let current = (Visibility::parse(&before.visibility).unwrap_or(Visibility::Internal), before.visible_party_id);
    let vis = if input.visibility.is_some() || input.visible_party_id.is_some() {
        choose_visibility(state, viewer, e, &input, current, &mut errors).await?
    } else {
        current
    };
    // The owner, new or kept, must still see the risk.
    if let Some(o) = c.owner.unwrap_or(before.owner_id) {
        check_owner(state, e, o, vis, &mut errors).await?;
    }
    let old_status = RiskStatus::parse(&before.status).unwrap_or(RiskStatus::Open);
    if let Some(s) = c.status.filter(|s| *s != old_status && !old_status.next().contains(s)) {
        errors.add("status", Msg::new("error-risk-status-move").arg("from", old_status.as_str()).arg("to", s.as_str()));
    }
    errors.into_result()?;
    let now = state.clock.now();
    let mut row: risk::ActiveModel = before.clone().into();
    let probability = c.probability.unwrap_or(before.probability);
    let impact = c.impact.unwrap_or(before.impact);
    let status = c.status.unwrap_or(old_status);
    if let Some(v) = c.title {
        row.title = Set(v);
    }
    if let Some(v) = c.category {
        row.category = Set(v.as_str().to_owned());
    }
    if let Some(v) = c.cause {
        row.cause = Set(v);
    }
    if let Some(v) = c.effect {
        row.effect = Set(v);
    }
    if let Some(v) = c.strategy {
        row.strategy = Set(v.as_str().to_owned());
    }
    if let Some(v) = c.owner {
        row.owner_id = Set(v);
    }
    if let Some(v) = c.trigger {
        row.trigger_text = Set(v);
    }
    if let Some(v) = c.response {
        row.response = Set(v);
    }
    if let Some(v) = c.tasks {
        row.task_ids = Set(json!(v).to_string());
    }
    if let Some(v) = c.milestone {
        row.milestone_id = Set(v);
    }
    if let Some(v) = c.contract {
        row.contract_id = Set(v);
    }
    if let Some(v) = c.vendor {
        row.vendor_id = Set(v);
    }
    if let Some(v) = c.review_on {
        row.review_on = Set(v);
    }
    row.probability = Set(probability);
    row.impact = Set(impact);
    row.score = Set(probability * impact);
    row.status = Set(status.as_str().to_owned());
    row.closed_at = Set(match status {
        RiskStatus::Closed => before.closed_at.or(Some(now)),
        _ => None,
    });
    row.visibility = Set(vis.0.as_str().to_owned());
    row.visible_party_id = Set(vis.1);
    row.updated_at = Set(now);
    let tx = db::begin_write(&state.writer).await?;
    let after = row.update(&tx).await?;
    let moved = (after.probability, after.impact, &after.status) != (before.probability, before.impact, &before.status);
    if moved || !c.note.is_empty() {
        assess(&tx, viewer, &after, &c.note).await?;
    }
    record(&tx, state, viewer, "risk.update", "risk", id, Some(audit_json(&before)), Some(audit_json(&after))).await?;
    let verb = if after.status == before.status { "updated" } else { "status_changed" };
    collab::track(&tx, now, viewer.user.id, &Subject::from(&after), verb, &search_body(&after)).await?;
    if after.owner_id != before.owner_id {
        tell_owner(&tx, state, viewer, &after).await?;
    }
    crate::engagements::watch::changed(&tx, now, e).await?;
    tx.commit().await?;
    Ok(after)
}

/// Live risks of one engagement at or above [`HIGH_SCORE`] the viewer may see.
pub async fn high_count(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(risk::Entity::find()
        .filter(risk::Column::EngagementId.eq(engagement_id))
        .filter(scope(viewer))
        .filter(risk::Column::Status.ne(RiskStatus::Closed.as_str()))
        .filter(risk::Column::Score.gte(HIGH_SCORE))
        .count(&state.db)
        .await?)
}
