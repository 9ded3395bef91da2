//! Engagements (立项 → active → accepting → closed → archived) and the parties taking part,
//! always seen through the viewer's engagement scope. The parties taking part live in
//! `participants`, re-exported here.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde::Deserialize;
use serde_json::{Value, json};

pub use super::participants::{ParticipantInput, add_participant, participant_ids, participants, remove_participant};
use crate::{
    AppState,
    audit::{self, Change},
    auth::Viewer,
    db,
    domain::{self, EngagementKind, EngagementState, Health, Id, Role},
    engagements::entity::{engagement, member, milestone, task},
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
    search,
    users::entity::user,
};

pub fn audit_json(e: &engagement::Model) -> Value {
    json!({
        "code": e.code, "name": e.name, "kind": e.kind, "state": e.state, "health": e.health, "health_auto": e.health_auto,
        "start_date": e.start_date, "end_date": e.end_date, "description": e.description, "owner_id": e.owner_id,
    })
}

#[expect(clippy::too_many_arguments, reason = "the audit fields, spelled out at each call")]
pub(crate) async fn record(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    action: &str,
    entity_type: &str,
    id: i64,
    before: Option<Value>,
    after: Option<Value>,
) -> AppResult<()> {
    let change = Change { action, entity_type, entity_id: id.to_string(), before, after };
    audit::record(tx, state.clock.now(), viewer.actor(), change).await?;
    Ok(())
}

/// One engagement the viewer may see; 404 otherwise.
pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<engagement::Model> {
    crate::db::unique(engagement::Entity::find_by_id(id).filter(viewer.engagement_scope()), &state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Engagement codes by id, for rows that name where a record lives (no scope: the rows were
/// read through theirs).
pub async fn codes(state: &AppState, ids: impl IntoIterator<Item = i64>) -> AppResult<HashMap<i64, String>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(engagement::Entity::find()
        .select_only()
        .columns([engagement::Column::Id, engagement::Column::Code])
        .filter(engagement::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect())
}

/// The engagements a host user runs in person, for their desk: those they own and those they
/// are a PM member of (an administrator may run every engagement, but owns only some).
pub async fn managed_ids(state: &AppState, viewer: &Viewer) -> AppResult<Vec<i64>> {
    if !viewer.is_host() {
        return Ok(Vec::new());
    }
    let as_member = member::Entity::find()
        .select_only()
        .column(member::Column::EngagementId)
        .filter(member::Column::UserId.eq(viewer.user.id))
        .filter(member::Column::Role.eq("pm"))
        .into_query();
    Ok(engagement::Entity::find()
        .select_only()
        .column(engagement::Column::Id)
        .filter(
            Condition::any()
                .add(engagement::Column::OwnerId.eq(viewer.user.id))
                .add(engagement::Column::Id.in_subquery(as_member)),
        )
        .filter(engagement::Column::State.is_not_in(["closed", "archived"]))
        .into_tuple()
        .all(&state.db)
        .await?)
}

/// Whether the viewer runs this engagement: a host administrator or PM, or a host user who is
/// a PM member of this engagement.
pub async fn manages(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<bool> {
    if viewer.can_manage_engagements() {
        return Ok(true);
    }
    if !viewer.is_host() {
        return Ok(false);
    }
    Ok(member::Entity::find()
        .filter(member::Column::EngagementId.eq(id))
        .filter(member::Column::UserId.eq(viewer.user.id))
        .filter(member::Column::Role.eq("pm"))
        .count(&state.db)
        .await?
        > 0)
}

/// Like `get`, for a change: visible, and the viewer runs the engagement (else 403).
pub async fn get_to_manage(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<engagement::Model> {
    let e = get(state, viewer, id).await?;
    if !manages(state, viewer, id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(e)
}

#[derive(Debug, Default, Deserialize)]
pub struct EngagementFilter {
    pub state: Option<String>,
    pub kind: Option<String>,
    pub q: Option<String>,
    /// green | amber | red
    pub health: Option<String>,
}

impl EngagementFilter {
    /// The filter as a condition (without the viewer's scope or paging).
    pub fn condition(&self) -> Condition {
        let mut cond = Condition::all();
        if let Some(s) = self.state.as_deref().filter(|s| !s.is_empty()) {
            cond = cond.add(engagement::Column::State.eq(s));
        }
        if let Some(k) = self.kind.as_deref().filter(|k| !k.is_empty()) {
            cond = cond.add(engagement::Column::Kind.eq(k));
        }
        if let Some(h) = self.health.as_deref().filter(|h| !h.is_empty()) {
            cond = cond.add(engagement::Column::Health.eq(h));
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            cond = cond.add(
                Condition::any()
                    .add(db::icontains(engagement::Column::Code, q))
                    .add(db::icontains(engagement::Column::Name, q)),
            );
        }
        cond
    }
}

pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    filter: &EngagementFilter,
    limit: u64,
    after: Option<i64>,
) -> AppResult<(Vec<engagement::Model>, Option<String>)> {
    let mut cond = viewer.engagement_scope().add(filter.condition());
    if let Some(a) = after {
        cond = cond.add(engagement::Column::Id.gt(a));
    }
    let rows = engagement::Entity::find()
        .filter(cond)
        .order_by_asc(engagement::Column::Id)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    Ok(db::page(rows, limit, |e| e.id))
}

/// Portfolio figures of a page of engagements, counting only records the viewer may see.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    pub progress: u8,
    pub next_milestone: Option<(String, NaiveDate)>,
    pub overdue: u64,
}

pub async fn figures(
    state: &AppState,
    viewer: &Viewer,
    ids: &[i64],
    today: NaiveDate,
) -> AppResult<HashMap<i64, Figures>> {
    let mut out: HashMap<i64, Figures> = ids.iter().map(|id| (*id, Figures::default())).collect();
    if ids.is_empty() {
        return Ok(out);
    }
    // One pass over the tasks: progress and late ones together.
    use sea_orm::sea_query::{Expr, ExprTrait};
    let late =
        Expr::case(Condition::all().add(task::Column::FinishDate.lt(today)).add(task::Column::Status.ne("done")), 1)
            .finally(0);
    let sums: Vec<(i64, i64, i64, i64)> = task::Entity::find()
        .select_only()
        .column(task::Column::EngagementId)
        .column_as(task::Column::Progress.sum(), "progress_sum")
        .column_as(task::Column::Id.count(), "n")
        .column_as(late.sum(), "late")
        .filter(task::Column::EngagementId.is_in(ids.iter().copied()))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .group_by(task::Column::EngagementId)
        .into_tuple()
        .all(&state.db)
        .await?;
    for (id, sum, n, late) in sums {
        if let Some(f) = out.get_mut(&id)
            && n > 0
        {
            f.progress = u8::try_from((sum / n).clamp(0, 100)).unwrap_or(0);
            f.overdue += u64::try_from(late).unwrap_or(0);
        }
    }
    let planned = milestone::Entity::find()
        .filter(milestone::Column::EngagementId.is_in(ids.iter().copied()))
        .filter(viewer.record_scope(milestone::Column::Visibility, milestone::Column::VisiblePartyId))
        .filter(milestone::Column::Status.eq("planned"))
        .order_by_asc(milestone::Column::DueDate)
        .all(&state.db)
        .await?;
    for m in planned {
        let Some(f) = out.get_mut(&m.engagement_id) else { continue };
        if m.due_date < today {
            f.overdue += 1;
        } else if f.next_milestone.is_none() {
            f.next_milestone = Some((m.name, m.due_date));
        }
    }
    Ok(out)
}

/// Engagement fields from the API or a form; on update, absent fields stay unchanged.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EngagementInput {
    /// Short unique reference, e.g. `PRJ-2026-001` (letters, digits, `-`, `_`).
    pub code: Option<String>,
    pub name: Option<String>,
    /// outsourced_development | vendor_delivery | client_project | after_sales
    pub kind: Option<String>,
    /// `YYYY-MM-DD`
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`
    pub end_date: Option<String>,
    pub description: Option<String>,
    /// A host PM or administrator; the creator when absent.
    pub owner_id: Option<Id>,
    /// green | amber | red
    pub health: Option<String>,
    /// Move to this state (PATCH only); `state_reason` is then required.
    pub state: Option<String>,
    pub state_reason: Option<String>,
}

pub const FORM_FIELDS: &[&str] = &["code", "name", "kind", "start_date", "end_date", "description", "health"];

fn parse_code(raw: &str) -> Result<String, Msg> {
    let code = domain::text(raw, true, 32)?.to_uppercase();
    if code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(code)
    } else {
        Err(Msg::new("error-code"))
    }
}

/// A host user who may own an engagement.
async fn check_owner(state: &AppState, id: i64, errors: &mut FieldErrors) -> AppResult<Option<i64>> {
    let owner = user::Entity::find_by_id(id)
        .find_also_related(party::Entity)
        .filter(user::Column::Active.eq(true))
        .one(&state.db)
        .await?;
    match owner {
        Some((u, Some(p))) if p.kind == "host" && matches!(Role::parse(&u.role), Ok(Role::Admin | Role::Pm)) => {
            Ok(Some(u.id))
        }
        _ => {
            errors.add("owner_id", Msg::new("error-owner"));
            Ok(None)
        }
    }
}

/// `auto` (derived from the plan) or a colour set by hand.
fn parse_health(v: &str) -> Result<Option<Health>, Msg> {
    if v == "auto" { Ok(None) } else { Health::parse(v).map(Some) }
}

/// Indexes an engagement for search (visible to everyone taking part): name, code, description.
async fn index_engagement(tx: &DatabaseTransaction, e: &engagement::Model) -> AppResult<()> {
    let body = format!("{} {}", e.code, e.description);
    search::index(
        tx,
        search::Entry {
            kind: "engagement",
            record_id: e.id,
            engagement_id: e.id,
            visibility: "participants",
            visible_party_id: None,
            title: &e.name,
            body: &body,
        },
    )
    .await
}

pub async fn create(state: &AppState, viewer: &Viewer, input: EngagementInput) -> AppResult<engagement::Model> {
    if !viewer.can_manage_engagements() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let code = errors.take("code", parse_code(input.code.as_deref().unwrap_or("")));
    let name = errors.take("name", domain::text(input.name.as_deref().unwrap_or(""), true, 200));
    let kind = errors.take("kind", EngagementKind::parse(input.kind.as_deref().unwrap_or("")));
    let start = errors.take("start_date", domain::parse_date(input.start_date.as_deref().unwrap_or("")));
    let end = errors.take("end_date", domain::parse_date(input.end_date.as_deref().unwrap_or("")));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, 10_000));
    let health = errors.take("health", parse_health(input.health.as_deref().unwrap_or("auto")));
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.add("end_date", Msg::new("error-end-before-start"));
    }
    if input.state.is_some() {
        errors.add("state", Msg::new("error-state-on-create"));
    }
    let owner = match input.owner_id {
        Some(Id(o)) => check_owner(state, o, &mut errors).await?,
        None => Some(viewer.user.id),
    };
    if let Some(c) = &code
        && engagement::Entity::find().filter(engagement::Column::Code.eq(c.as_str())).count(&state.db).await? > 0
    {
        errors.add("code", Msg::new("error-code-taken"));
    }
    errors.into_result()?;
    let (Some(code), Some(name), Some(kind), Some(start), Some(end), Some(description), Some(health)) =
        (code, name, kind, start, end, description, health)
    else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let e = engagement::ActiveModel {
        code: Set(code),
        name: Set(name),
        kind: Set(kind.as_str().to_owned()),
        state: Set(EngagementState::Initiating.as_str().to_owned()),
        health: Set(health.unwrap_or(Health::Green).as_str().to_owned()),
        health_auto: Set(health.is_none()),
        start_date: Set(start),
        end_date: Set(end),
        description: Set(description),
        owner_id: Set(owner),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(&tx, state, viewer, "engagement.create", "engagement", e.id, None, Some(audit_json(&e))).await?;
    index_engagement(&tx, &e).await?;
    tx.commit().await?;
    Ok(e)
}

pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: EngagementInput,
) -> AppResult<engagement::Model> {
    let before = get_to_manage(state, viewer, id).await?;
    let mut errors = FieldErrors::default();
    let mut am: engagement::ActiveModel = before.clone().into();
    if input.code.as_deref().is_some_and(|c| !c.trim().eq_ignore_ascii_case(&before.code)) {
        errors.add("code", Msg::new("error-code-fixed"));
    }
    if let Some(v) = &input.name
        && let Some(v) = errors.take("name", domain::text(v, true, 200))
    {
        am.name = Set(v);
    }
    if let Some(v) = &input.kind
        && let Some(k) = errors.take("kind", EngagementKind::parse(v))
    {
        am.kind = Set(k.as_str().to_owned());
    }
    if let Some(v) = &input.start_date
        && let Some(d) = errors.take("start_date", domain::parse_date(v))
    {
        am.start_date = Set(d);
    }
    if let Some(v) = &input.end_date
        && let Some(d) = errors.take("end_date", domain::parse_date(v))
    {
        am.end_date = Set(d);
    }
    if am.end_date.as_ref() < am.start_date.as_ref() {
        errors.add("end_date", Msg::new("error-end-before-start"));
    }
    if let Some(v) = &input.description
        && let Some(v) = errors.take("description", domain::text(v, false, 10_000))
    {
        am.description = Set(v);
    }
    if let Some(v) = &input.health
        && let Some(h) = errors.take("health", parse_health(v))
    {
        am.health_auto = Set(h.is_none());
        if let Some(h) = h {
            am.health = Set(h.as_str().to_owned());
        }
    }
    if let Some(Id(o)) = input.owner_id
        && let Some(o) = check_owner(state, o, &mut errors).await?
    {
        am.owner_id = Set(Some(o));
    }
    let mut moved = None;
    if let Some(to) = &input.state {
        moved = check_transition(&before, to, input.state_reason.as_deref().unwrap_or(""), &mut errors);
        if let Some((to, _)) = &moved {
            am.state = Set(to.as_str().to_owned());
        }
    }
    errors.into_result()?;
    let tx = db::begin_write(&state.writer).await?;
    am.updated_at = Set(state.clock.now());
    let after = am.update(&tx).await?;
    let mut after_json = audit_json(&after);
    let action = match moved {
        Some((to, reason)) => {
            after_json["state_reason"] = json!(reason);
            if to == EngagementState::Archived { "engagement.archive" } else { "engagement.transition" }
        }
        None => "engagement.update",
    };
    record(&tx, state, viewer, action, "engagement", id, Some(audit_json(&before)), Some(after_json)).await?;
    index_engagement(&tx, &after).await?;
    crate::engagements::health::refresh(&tx, id, state.today()).await?;
    tx.commit().await?;
    // The derived colour may have changed in the same transaction.
    Ok(engagement::Entity::find_by_id(id).one(&state.db).await?.unwrap_or(after))
}

/// The move to `to`, when allowed from the current state and a reason is given.
fn check_transition(
    e: &engagement::Model,
    to: &str,
    reason: &str,
    errors: &mut FieldErrors,
) -> Option<(EngagementState, String)> {
    let to = errors.take("state", EngagementState::parse(to))?;
    let from = EngagementState::parse(&e.state).ok()?;
    if !allowed_transitions(true, e).contains(&to) || from == to {
        errors.add("state", Msg::new("error-transition").arg("from", from.as_str()).arg("to", to.as_str()));
        return None;
    }
    let reason = errors.take("state_reason", domain::text(reason, true, 2000))?;
    Some((to, reason))
}

/// States the engagement may move to now, for someone who runs it (`manages`).
pub fn allowed_transitions(manages: bool, e: &engagement::Model) -> Vec<EngagementState> {
    if !manages {
        return Vec::new();
    }
    EngagementState::parse(&e.state).map(|s| s.next().to_vec()).unwrap_or_default()
}
