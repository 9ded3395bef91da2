//! Change requests: anyone in an engagement raises one (within their party's slice), the PM
//! records its impact (affected tasks and working days, cost, scope items, internal notes).
//! Decisions and applying an approved change live in `decide`.

use std::collections::HashSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    entity::{change_request, decision, scope_item},
    impact,
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::{self, Subject, SubjectKind},
    db,
    domain::{self, ChangeState, Id, Priority, RequirementStatus, ScopeAction, Visibility},
    engagements::{
        entity::{engagement, member, task},
        plan::parse_visibility,
        service::{get, get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{Money, MoneyDto},
    requirements::{entity::requirement, service::parse_criteria},
};

pub const MAX_DELTA_DAYS: i32 = 250;
const MAX_TEXT: usize = 20_000;

pub fn key_of(seq: i32) -> String {
    format!("CR-{seq:03}")
}

pub fn affected_ids(cr: &change_request::Model) -> Vec<i64> {
    serde_json::from_str(&cr.affected_task_ids).unwrap_or_default()
}

pub fn cost_of(cr: &change_request::Model) -> Money {
    Money { minor: cr.cost_delta_minor, currency: cr.currency.clone() }
}

impl From<&change_request::Model> for Subject {
    fn from(c: &change_request::Model) -> Self {
        Self {
            kind: SubjectKind::Change,
            id: c.id,
            engagement_id: c.engagement_id,
            title: format!("{} {}", c.key, c.title),
            visibility: c.visibility.clone(),
            visible_party_id: c.visible_party_id,
        }
    }
}

pub(crate) fn audit_json(c: &change_request::Model) -> Value {
    json!({"key": c.key, "title": c.title, "reason": c.reason, "state": c.state, "route": c.route, "round": c.round,
           "affected_task_ids": affected_ids(c), "schedule_delta_days": c.schedule_delta_days,
           "cost_delta": cost_of(c).dto(), "impact_days": c.impact_days, "visibility": c.visibility,
           "visible_party_id": c.visible_party_id, "revisit_on": c.revisit_on})
}

/// The change requests the viewer may see, wherever they are.
pub(crate) fn scope(viewer: &Viewer) -> Condition {
    Condition::all()
        .add(viewer.engagement_ids_scope(change_request::Column::EngagementId))
        .add(viewer.record_scope(change_request::Column::Visibility, change_request::Column::VisiblePartyId))
}

/// What the viewer may not read of a change: the PM's internal impact notes (host only) and
/// its cost (the host's and the client's price).
pub fn redact(lens: &Lens, mut c: change_request::Model) -> change_request::Model {
    c.impact_notes = lens.internal(std::mem::take(&mut c.impact_notes)).unwrap_or_default();
    c.cost_delta_minor = lens.client_price(c.cost_delta_minor).unwrap_or(0);
    c
}

#[derive(Debug, Default)]
pub struct ChangeFilter {
    pub state: Option<ChangeState>,
    pub limit: u64,
    pub after: Option<i64>,
}

/// An engagement's change log, newest first.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    f: &ChangeFilter,
) -> AppResult<(Vec<change_request::Model>, Option<String>)> {
    get(state, viewer, engagement_id).await?;
    let mut q = change_request::Entity::find()
        .filter(change_request::Column::EngagementId.eq(engagement_id))
        .filter(scope(viewer));
    if let Some(s) = f.state {
        q = q.filter(change_request::Column::State.eq(s.as_str()));
    }
    if let Some(a) = f.after {
        q = q.filter(change_request::Column::Id.lt(a));
    }
    let rows = q.order_by_desc(change_request::Column::Id).limit(f.limit + 1).all(&state.db).await?;
    let (rows, next) = db::page(rows, f.limit, |c| c.id);
    let lens = Lens::of(state, viewer, engagement_id).await?;
    Ok((rows.into_iter().map(|c| redact(&lens, c)).collect(), next))
}

/// One change request the viewer may see, unredacted (callers redact what they show); 404 otherwise.
pub async fn load(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<change_request::Model> {
    db::unique(change_request::Entity::find_by_id(id).filter(scope(viewer)), &state.db).await?.ok_or(AppError::NotFound)
}

/// Ids of the users who run an engagement: its owner and its PMs.
pub async fn managers_of(db: &impl ConnectionTrait, engagement_id: i64) -> AppResult<Vec<i64>> {
    let mut ids: Vec<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::UserId)
        .filter(member::Column::EngagementId.eq(engagement_id))
        .filter(member::Column::Role.eq("pm"))
        .into_tuple()
        .all(db)
        .await?;
    let owner: Option<Option<i64>> = engagement::Entity::find_by_id(engagement_id)
        .select_only()
        .column(engagement::Column::OwnerId)
        .into_tuple()
        .one(db)
        .await?;
    ids.extend(owner.flatten());
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeInput {
    #[serde(default)]
    pub title: String,
    /// Why the change is wanted.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Working days added to each affected task (negative shortens them).
    #[serde(default)]
    pub schedule_delta_days: Option<i32>,
    #[serde(default)]
    pub cost_delta: Option<MoneyDto>,
    #[serde(default)]
    pub affected_task_ids: Option<Vec<Id>>,
    /// Host only: notes on the impact that only the host reads.
    #[serde(default)]
    pub impact_notes: Option<String>,
    /// internal | party | participants. A client or vendor raises for their own party (default)
    /// or for every participant.
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub visible_party_id: Option<Id>,
}

/// The impact as the PM records it; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactInput {
    #[serde(default)]
    pub schedule_delta_days: Option<i32>,
    #[serde(default)]
    pub cost_delta: Option<MoneyDto>,
    #[serde(default)]
    pub affected_task_ids: Option<Vec<Id>>,
    #[serde(default)]
    pub impact_notes: Option<String>,
}

/// Checked impact fields.
struct Impact {
    delta: Option<i32>,
    cost: Option<Money>,
    tasks: Option<Vec<i64>>,
    notes: Option<String>,
}

async fn check_impact(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: &ImpactInput,
    errors: &mut FieldErrors,
) -> AppResult<Impact> {
    let delta = input.schedule_delta_days;
    if delta.is_some_and(|d| !(-MAX_DELTA_DAYS..=MAX_DELTA_DAYS).contains(&d)) {
        errors.add("schedule_delta_days", Msg::new("error-delta-days").arg("max", MAX_DELTA_DAYS));
    }
    let cost = input.cost_delta.as_ref().and_then(|c| errors.take("cost_delta", Money::try_from(c)));
    let notes = match &input.impact_notes {
        Some(_) if !viewer.is_host() => {
            errors.add("impact_notes", Msg::new("error-host-only"));
            None
        }
        Some(n) => errors.take("impact_notes", domain::text(n, false, MAX_TEXT)),
        None => None,
    };
    let tasks = match &input.affected_task_ids {
        None => None,
        Some(ids) => {
            let wanted: Vec<i64> = ids.iter().map(|i| i.0).collect::<HashSet<_>>().into_iter().collect();
            let found: Vec<i64> = task::Entity::find()
                .select_only()
                .column(task::Column::Id)
                .filter(task::Column::EngagementId.eq(engagement_id))
                .filter(task::Column::Id.is_in(wanted.clone()))
                .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
                .into_tuple()
                .all(&state.db)
                .await?;
            if found.len() != wanted.len() {
                errors.add("affected_task_ids", Msg::new("error-affected-task"));
            }
            let mut found = found;
            found.sort_unstable();
            Some(found)
        }
    };
    Ok(Impact { delta, cost, tasks, notes })
}

/// Stores checked impact fields on `row`; returns whether any was given.
fn set_impact(row: &mut change_request::ActiveModel, i: Impact) -> bool {
    let given = i.delta.is_some() || i.cost.is_some() || i.tasks.is_some() || i.notes.is_some();
    if let Some(d) = i.delta {
        row.schedule_delta_days = Set(d);
    }
    if let Some(c) = i.cost {
        row.cost_delta_minor = Set(c.minor);
        row.currency = Set(c.currency);
    }
    if let Some(t) = i.tasks {
        row.affected_task_ids = Set(json!(t).to_string());
    }
    if let Some(n) = i.notes {
        row.impact_notes = Set(n);
    }
    given
}

/// Raise a change request. Anyone who sees the engagement may.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: ChangeInput,
) -> AppResult<change_request::Model> {
    get(state, viewer, engagement_id).await?;
    let manager = crate::engagements::service::manages(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let title = errors.take("title", domain::text(&input.title, true, 200));
    let reason = errors.take("reason", domain::text(&input.reason, true, MAX_TEXT));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, MAX_TEXT));
    let impact_input = ImpactInput {
        schedule_delta_days: input.schedule_delta_days,
        cost_delta: input.cost_delta,
        affected_task_ids: input.affected_task_ids,
        impact_notes: input.impact_notes,
    };
    let impact = check_impact(state, viewer, engagement_id, &impact_input, &mut errors).await?;
    let (visibility, visible_party) = if viewer.is_host() {
        parse_visibility(
            state,
            engagement_id,
            input.visibility.as_deref(),
            input.visible_party_id,
            (Visibility::Participants, None),
            &mut errors,
        )
        .await?
    } else {
        // Outside the host a change is raised for one's own party, or shown to every participant.
        let own = (Visibility::Party, Some(viewer.party.id));
        match input.visibility.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None | Some("party") => own,
            Some("participants") => (Visibility::Participants, None),
            Some(_) => {
                errors.add("visibility", Msg::new("error-visibility-raise"));
                own
            }
        }
    };
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let seq = next_seq(&tx, engagement_id).await?;
    let mut row = change_request::ActiveModel {
        engagement_id: Set(engagement_id),
        seq: Set(seq),
        key: Set(key_of(seq)),
        title: Set(title.unwrap_or_default()),
        reason: Set(reason.unwrap_or_default()),
        description: Set(description.unwrap_or_default()),
        state: Set(ChangeState::Pending.as_str().to_owned()),
        route: Set(None),
        round: Set(1),
        raised_by: Set(viewer.user.id),
        raised_party_id: Set(viewer.party.id),
        visibility: Set(visibility.as_str().to_owned()),
        visible_party_id: Set(visible_party),
        affected_task_ids: Set("[]".to_owned()),
        schedule_delta_days: Set(0),
        cost_delta_minor: Set(0),
        currency: Set(crate::money::DEFAULT_CURRENCY.to_owned()),
        impact_notes: Set(String::new()),
        applied_moves: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    if set_impact(&mut row, impact) && manager {
        row.impact_recorded_by = Set(Some(viewer.user.id));
        row.impact_recorded_at = Set(Some(now));
    }
    let row = row.insert(&tx).await?;
    let row = impact::refresh_days(&tx, state, row).await?;
    record(&tx, state, viewer, "change_request.create", "change_request", row.id, None, Some(audit_json(&row))).await?;
    let subject = Subject::from(&row);
    collab::track(&tx, now, viewer.user.id, &subject, "raised", &format!("{}\n{}", row.reason, row.description))
        .await?;
    super::decide::notify(&tx, state, &row, collab::notifications::Kind::ChangeRaised, Some(viewer.user.id)).await?;
    tx.commit().await?;
    Ok(row)
}

async fn next_seq(tx: &DatabaseTransaction, engagement_id: i64) -> AppResult<i32> {
    let max: Option<i32> = change_request::Entity::find()
        .select_only()
        .column_as(change_request::Column::Seq.max(), "m")
        .filter(change_request::Column::EngagementId.eq(engagement_id))
        .into_tuple::<Option<i32>>()
        .one(tx)
        .await?
        .flatten();
    Ok(max.unwrap_or(0) + 1)
}

/// A pending change whose impact and scope may still be edited: no one has voted in this round.
pub(crate) async fn editable(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<change_request::Model> {
    let c = load(state, viewer, id).await?;
    get_to_manage(state, viewer, c.engagement_id).await?;
    if c.state != ChangeState::Pending.as_str() {
        return Err(AppError::Conflict(Msg::new("error-change-decided").arg("key", c.key.clone())));
    }
    let votes = decision::Entity::find()
        .filter(decision::Column::ChangeRequestId.eq(c.id))
        .filter(decision::Column::Round.eq(c.round))
        .count(&state.db)
        .await?;
    if votes > 0 {
        return Err(AppError::Conflict(Msg::new("error-change-voting").arg("key", c.key.clone())));
    }
    Ok(c)
}

/// The PM records (or revises) the impact of a pending change.
pub async fn record_impact(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: ImpactInput,
) -> AppResult<change_request::Model> {
    let before = editable(state, viewer, id).await?;
    let mut errors = FieldErrors::default();
    let impact = check_impact(state, viewer, before.engagement_id, &input, &mut errors).await?;
    errors.into_result()?;
    let now = state.clock.now();
    let mut row: change_request::ActiveModel = before.clone().into();
    set_impact(&mut row, impact);
    row.impact_recorded_by = Set(Some(viewer.user.id));
    row.impact_recorded_at = Set(Some(now));
    row.updated_at = Set(now);
    let tx = db::begin_write(&state.writer).await?;
    let after = impact::refresh_days(&tx, state, row.update(&tx).await?).await?;
    record(
        &tx,
        state,
        viewer,
        "change_request.impact",
        "change_request",
        id,
        Some(audit_json(&before)),
        Some(audit_json(&after)),
    )
    .await?;
    collab::activity::record(&tx, now, Some(viewer.user.id), &Subject::from(&after), "assessed").await?;
    tx.commit().await?;
    Ok(after)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeItemInput {
    /// add | change | remove
    #[serde(default)]
    pub action: String,
    /// The item changed or removed (a shared requirement); none for `add`.
    #[serde(default)]
    pub requirement_id: Option<Id>,
    /// Required for `add`; for `change`, the new title (empty keeps it).
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub acceptance_criteria: Vec<String>,
    /// must | should | could | wont
    #[serde(default)]
    pub priority: Option<String>,
}

pub async fn scope_items(state: &AppState, change_id: i64) -> AppResult<Vec<scope_item::Model>> {
    Ok(scope_item::Entity::find()
        .filter(scope_item::Column::ChangeRequestId.eq(change_id))
        .order_by_asc(scope_item::Column::Id)
        .all(&state.db)
        .await?)
}

/// Adds an item to the change's scope delta (what the requirement set gains, changes or loses).
pub async fn add_scope_item(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: ScopeItemInput,
) -> AppResult<scope_item::Model> {
    let c = editable(state, viewer, id).await?;
    let mut errors = FieldErrors::default();
    let action = errors.take("action", ScopeAction::parse(&input.action));
    let title =
        errors.take("title", domain::text(input.title.as_deref().unwrap_or(""), action == Some(ScopeAction::Add), 200));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, MAX_TEXT));
    let criteria = parse_criteria(&input.acceptance_criteria, &mut errors);
    let priority = match input.priority.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => errors.take("priority", Priority::parse(p)).map(|p| p.as_str().to_owned()),
        None => Some(String::new()),
    };
    let requirement_id = match (action, input.requirement_id) {
        (Some(ScopeAction::Add), _) | (None, _) => None,
        (Some(_), None) => {
            errors.add("requirement_id", Msg::new("error-required"));
            None
        }
        (Some(_), Some(Id(r))) => {
            let shared = requirement::Entity::find_by_id(r)
                .filter(requirement::Column::EngagementId.eq(c.engagement_id))
                .filter(requirement::Column::Visibility.eq("participants"))
                .filter(requirement::Column::Status.ne(RequirementStatus::Obsolete.as_str()))
                .one(&state.db)
                .await?;
            let taken = scope_items(state, c.id).await?.iter().any(|s| s.requirement_id == Some(r));
            if shared.is_none() {
                errors.add("requirement_id", Msg::new("error-scope-requirement"));
            } else if taken {
                errors.add("requirement_id", Msg::new("error-scope-duplicate"));
            }
            Some(r)
        }
    };
    errors.into_result()?;
    let Some(action) = action else { return Err(AppError::Internal(anyhow::anyhow!("validated action missing"))) };
    let tx = db::begin_write(&state.writer).await?;
    let row = scope_item::ActiveModel {
        change_request_id: Set(c.id),
        action: Set(action.as_str().to_owned()),
        requirement_id: Set(requirement_id),
        title: Set(title.unwrap_or_default()),
        description: Set(description.unwrap_or_default()),
        criteria: Set(criteria),
        priority: Set(priority.unwrap_or_default()),
        created_at: Set(state.clock.now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"action": row.action, "requirement_id": row.requirement_id, "title": row.title});
    record(&tx, state, viewer, "change_request.scope_add", "change_request", c.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn remove_scope_item(state: &AppState, viewer: &Viewer, id: i64, item_id: i64) -> AppResult<()> {
    let c = editable(state, viewer, id).await?;
    let tx = db::begin_write(&state.writer).await?;
    let item = scope_item::Entity::find_by_id(item_id)
        .filter(scope_item::Column::ChangeRequestId.eq(c.id))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    scope_item::Entity::delete_by_id(item.id).exec(&tx).await?;
    let before = json!({"action": item.action, "requirement_id": item.requirement_id, "title": item.title});
    record(&tx, state, viewer, "change_request.scope_remove", "change_request", c.id, Some(before), None).await?;
    tx.commit().await?;
    Ok(())
}
