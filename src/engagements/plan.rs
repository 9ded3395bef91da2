//! Milestones and WBS tasks of an engagement, each with a visibility decided by the viewer's
//! `record_scope`: hidden records answer 404 and vanish from lists.

use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::{
        Subject, activity,
        notifications::{self, Kind, Notice},
    },
    db,
    domain::{self, Id, MilestoneStatus, TaskStatus, Visibility},
    engagements::{
        entity::{milestone, task},
        health, network,
        service::{get, get_to_manage, manages, participant_ids, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
    search,
    users::entity::user,
};

/// Checks a visibility and its party: `party` needs a participating party; others take none.
pub(crate) async fn parse_visibility(
    state: &AppState,
    engagement_id: i64,
    raw: Option<&str>,
    party: Option<Id>,
    default: (Visibility, Option<i64>),
    errors: &mut FieldErrors,
) -> AppResult<(Visibility, Option<i64>)> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else { return Ok(default) };
    let Some(v) = errors.take("visibility", Visibility::parse(raw)) else { return Ok(default) };
    if v != Visibility::Party {
        return Ok((v, None));
    }
    match party {
        Some(Id(p)) if participant_ids(state, engagement_id).await?.contains(&p) => Ok((v, Some(p))),
        _ => {
            errors.add("visible_party_id", Msg::new("error-visible-party"));
            Ok(default)
        }
    }
}

/// The visibility of a record a viewer raises (a risk, an issue): the host chooses any;
/// a vendor or client raises for its own party or for every participant, anything else is
/// refused with the message `refused`. With nothing asked, `default`; with only a party given,
/// a record for that party.
pub(crate) async fn raised_visibility(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    (raw, party): (Option<&str>, Option<Id>),
    default: (Visibility, Option<i64>),
    (refused, errors): (&'static str, &mut FieldErrors),
) -> AppResult<(Visibility, Option<i64>)> {
    let raw = match (raw.map(str::trim).filter(|v| !v.is_empty()), party) {
        (None, Some(_)) => Some("party"),
        (v, _) => v,
    };
    if viewer.is_host() {
        return parse_visibility(state, engagement_id, raw, party, default, errors).await;
    }
    Ok(match raw {
        None => default,
        Some("party") if party.is_none_or(|p| p.0 == viewer.party.id) => (Visibility::Party, Some(viewer.party.id)),
        Some("participants") => (Visibility::Participants, None),
        Some(_) => {
            errors.add("visibility", Msg::new(refused));
            default
        }
    })
}

/// Whether `user` may be named on a record of the engagement with this visibility (its owner):
/// an active person of the host or of a taking-part party who can see the record.
pub(crate) async fn may_hold(
    state: &AppState,
    engagement_id: i64,
    user_id: i64,
    (visibility, visible_party): (Visibility, Option<i64>),
) -> AppResult<bool> {
    let found: Option<(i64, String)> = user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::PartyId)
        .column(party::Column::Kind)
        .inner_join(party::Entity)
        .filter(user::Column::Active.eq(true))
        .into_tuple()
        .one(&state.db)
        .await?;
    Ok(match found {
        Some((p, kind)) => {
            let host = kind == "host";
            (host || participant_ids(state, engagement_id).await?.contains(&p))
                && crate::collab::party_sees(host, p, visibility.as_str(), visible_party)
        }
        None => false,
    })
}

/// A party that may be named on a record: the host or a participant.
pub(crate) async fn check_party(
    state: &AppState,
    engagement_id: i64,
    field: &str,
    p: Option<Id>,
    errors: &mut FieldErrors,
) -> AppResult<Option<i64>> {
    let Some(Id(p)) = p else { return Ok(None) };
    let is_host = party::Entity::find_by_id(p).filter(party::Column::Kind.eq("host")).one(&state.db).await?.is_some();
    if is_host || participant_ids(state, engagement_id).await?.contains(&p) {
        Ok(Some(p))
    } else {
        errors.add(field, Msg::new("error-party-not-participant"));
        Ok(None)
    }
}

pub fn milestone_json(m: &milestone::Model) -> Value {
    json!({"name": m.name, "due_date": m.due_date, "status": m.status, "owner_party_id": m.owner_party_id,
           "visibility": m.visibility, "visible_party_id": m.visible_party_id})
}

pub fn task_json(t: &task::Model) -> Value {
    json!({"name": t.name, "parent_id": t.parent_id, "start_date": t.start_date, "finish_date": t.finish_date,
           "assignee_id": t.assignee_id, "party_id": t.party_id, "progress": t.progress, "status": t.status,
           "visibility": t.visibility, "visible_party_id": t.visible_party_id, "scheduling": t.scheduling,
           "start_no_earlier": t.start_no_earlier})
}

/// `auto` (the default) or `manual`.
fn scheduling_of(raw: Option<&str>, errors: &mut FieldErrors) -> Option<&'static str> {
    match raw.map(str::trim) {
        None | Some("") => None,
        Some("auto") => Some("auto"),
        Some("manual") => Some("manual"),
        Some(_) => {
            errors.add("scheduling", Msg::new("error-task-scheduling"));
            None
        }
    }
}

pub async fn milestones(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<milestone::Model>> {
    get(state, viewer, engagement_id).await?;
    let lens = Lens::of(state, viewer, engagement_id).await?;
    let rows = milestone::Entity::find()
        .filter(milestone::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(milestone::Column::Visibility, milestone::Column::VisiblePartyId))
        .order_by_asc(milestone::Column::DueDate)
        .order_by_asc(milestone::Column::Id)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|mut m| {
            m.owner_party_id = lens.party(m.owner_party_id);
            m
        })
        .collect())
}

/// Masks the responsible party and the assignee of tasks when they belong to a party the
/// viewer may not learn of.
async fn redact_tasks(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    tasks: Vec<task::Model>,
) -> AppResult<Vec<task::Model>> {
    // Only a party other than the viewer's own, or an assignee, can need masking: a page
    // without either needs no lookup of who the viewer may know.
    let mention_others =
        tasks.iter().any(|t| t.assignee_id.is_some() || t.party_id.is_some_and(|p| p != viewer.party.id));
    if viewer.is_host() || !mention_others {
        return Ok(tasks);
    }
    let lens = Lens::of(state, viewer, engagement_id).await?;
    let people = lens.people(&state.db, tasks.iter().filter_map(|t| t.assignee_id)).await?;
    Ok(tasks
        .into_iter()
        .map(|mut t| {
            t.party_id = lens.party(t.party_id);
            t.assignee_id = t.assignee_id.filter(|a| people.knows(*a));
            t
        })
        .collect())
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneInput {
    pub name: String,
    /// `YYYY-MM-DD`
    pub due_date: String,
    /// internal | party | participants (default)
    pub visibility: Option<String>,
    /// The party that may see it when `visibility` is `party`.
    pub visible_party_id: Option<Id>,
    /// The party responsible for reaching it.
    pub owner_party_id: Option<Id>,
}

pub async fn create_milestone(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: MilestoneInput,
) -> AppResult<milestone::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let name = errors.take("name", domain::text(&input.name, true, 200));
    let due = errors.take("due_date", domain::parse_date(&input.due_date));
    let owner = check_party(state, engagement_id, "owner_party_id", input.owner_party_id, &mut errors).await?;
    let (visibility, visible_party) = parse_visibility(
        state,
        engagement_id,
        input.visibility.as_deref(),
        input.visible_party_id,
        (Visibility::Participants, None),
        &mut errors,
    )
    .await?;
    errors.into_result()?;
    let (Some(name), Some(due)) = (name, due) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    let m = milestone::ActiveModel {
        engagement_id: Set(engagement_id),
        name: Set(name),
        due_date: Set(due),
        status: Set(MilestoneStatus::Planned.as_str().to_owned()),
        owner_party_id: Set(owner),
        visibility: Set(visibility.as_str().to_owned()),
        visible_party_id: Set(visible_party),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(&tx, state, viewer, "milestone.create", "milestone", m.id, None, Some(milestone_json(&m))).await?;
    crate::collab::track(&tx, now, viewer.user.id, &Subject::from(&m), "created", &m.description).await?;
    health::refresh(&tx, engagement_id, state.today()).await?;
    tx.commit().await?;
    Ok(m)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestonePatch {
    pub name: Option<String>,
    /// `YYYY-MM-DD`
    pub due_date: Option<String>,
    /// planned | achieved | missed
    pub status: Option<String>,
    pub description: Option<String>,
}

/// Changes a milestone (engagement managers only): rename, move, mark achieved or missed.
pub async fn update_milestone(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    milestone_id: i64,
    patch: MilestonePatch,
) -> AppResult<milestone::Model> {
    let before = milestones(state, viewer, engagement_id)
        .await?
        .into_iter()
        .find(|m| m.id == milestone_id)
        .ok_or(AppError::NotFound)?;
    get_to_manage(state, viewer, engagement_id).await?;
    // The unmasked row (the manager is the host; `milestones` masks nothing for it).
    let before = milestone::Entity::find_by_id(before.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let mut am: milestone::ActiveModel = before.clone().into();
    if let Some(v) = &patch.name
        && let Some(v) = errors.take("name", domain::text(v, true, 200))
    {
        am.name = Set(v);
    }
    if let Some(v) = &patch.due_date
        && let Some(d) = errors.take("due_date", domain::parse_date(v))
    {
        am.due_date = Set(d);
    }
    let mut status = None;
    if let Some(v) = &patch.status
        && let Some(s) = errors.take("status", MilestoneStatus::parse(v))
    {
        am.status = Set(s.as_str().to_owned());
        status = Some(s);
    }
    if let Some(v) = &patch.description
        && let Some(v) = errors.take("description", domain::text(v, false, 5000))
    {
        am.description = Set(v);
    }
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    am.updated_at = Set(now);
    let after = am.update(&tx).await?;
    record(
        &tx,
        state,
        viewer,
        "milestone.update",
        "milestone",
        milestone_id,
        Some(milestone_json(&before)),
        Some(milestone_json(&after)),
    )
    .await?;
    let verb = match status {
        Some(s) if s.as_str() != before.status && s == MilestoneStatus::Achieved => "achieved",
        Some(s) if s.as_str() != before.status && s == MilestoneStatus::Missed => "missed",
        _ => "updated",
    };
    crate::collab::track(&tx, now, viewer.user.id, &Subject::from(&after), verb, &after.description).await?;
    health::refresh(&tx, engagement_id, state.today()).await?;
    tx.commit().await?;
    Ok(after)
}

/// Tasks of an engagement the viewer may see, by id.
pub async fn tasks(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    limit: u64,
    after: Option<i64>,
) -> AppResult<(Vec<task::Model>, Option<String>)> {
    // The engagement scope rides along in the same query; only an empty page needs to ask
    // whether the engagement itself is visible (404) or simply has no tasks for the viewer.
    let mut cond = Condition::all()
        .add(task::Column::EngagementId.eq(engagement_id))
        .add(viewer.engagement_ids_scope(task::Column::EngagementId))
        .add(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId));
    if let Some(a) = after {
        cond = cond.add(task::Column::Id.gt(a));
    }
    let rows = task::Entity::find().filter(cond).order_by_asc(task::Column::Id).limit(limit + 1).all(&state.db).await?;
    if rows.is_empty() {
        get(state, viewer, engagement_id).await?;
    }
    let (rows, next) = db::page(rows, limit, |t| t.id);
    Ok((redact_tasks(state, viewer, engagement_id, rows).await?, next))
}

/// One task the viewer may see, unmasked, for changes; 404 otherwise (also when it belongs
/// to another engagement).
async fn load_task(state: &AppState, viewer: &Viewer, engagement_id: i64, task_id: i64) -> AppResult<task::Model> {
    // The engagement scope in the same query: a task found is in an engagement the viewer sees.
    let found = task::Entity::find_by_id(task_id)
        .filter(task::Column::EngagementId.eq(engagement_id))
        .filter(viewer.engagement_ids_scope(task::Column::EngagementId))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId));
    crate::db::unique(found, &state.db).await?.ok_or(AppError::NotFound)
}

/// One task as the viewer may see it; 404 otherwise.
pub async fn task(state: &AppState, viewer: &Viewer, engagement_id: i64, task_id: i64) -> AppResult<task::Model> {
    let t = load_task(state, viewer, engagement_id, task_id).await?;
    Ok(redact_tasks(state, viewer, engagement_id, vec![t]).await?.remove(0))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    pub name: String,
    /// `YYYY-MM-DD`
    pub start_date: String,
    /// `YYYY-MM-DD`
    pub finish_date: String,
    /// internal | party | participants; default: `party` to the responsible party, else `internal`.
    pub visibility: Option<String>,
    pub visible_party_id: Option<Id>,
    /// The party responsible for the task (the host or a participant).
    pub party_id: Option<Id>,
    pub parent_id: Option<Id>,
    pub assignee_id: Option<Id>,
    /// auto (default: the start holds as *start no earlier than*, predecessors may push it
    /// later) | manual (it stays where it is put).
    pub scheduling: Option<String>,
}

/// An assignee: an active user of the host or of a participating party.
async fn check_assignee(
    state: &AppState,
    engagement_id: i64,
    a: Option<Id>,
    errors: &mut FieldErrors,
) -> AppResult<Option<i64>> {
    let Some(Id(a)) = a else { return Ok(None) };
    let found = user::Entity::find_by_id(a)
        .find_also_related(party::Entity)
        .filter(user::Column::Active.eq(true))
        .one(&state.db)
        .await?;
    let ok = match &found {
        Some((_, Some(p))) => p.kind == "host" || participant_ids(state, engagement_id).await?.contains(&p.id),
        _ => false,
    };
    if ok {
        Ok(Some(a))
    } else {
        errors.add("assignee_id", Msg::new("error-assignee"));
        Ok(None)
    }
}

pub async fn create_task(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: TaskInput,
) -> AppResult<task::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let name = errors.take("name", domain::text(&input.name, true, 200));
    let start = errors.take("start_date", domain::parse_date(&input.start_date));
    let finish = errors.take("finish_date", domain::parse_date(&input.finish_date));
    if let (Some(s), Some(f)) = (start, finish)
        && f < s
    {
        errors.add("finish_date", Msg::new("error-end-before-start"));
    }
    let party = check_party(state, engagement_id, "party_id", input.party_id, &mut errors).await?;
    let assignee = check_assignee(state, engagement_id, input.assignee_id, &mut errors).await?;
    let scheduling = scheduling_of(input.scheduling.as_deref(), &mut errors).unwrap_or("auto");
    let parent = match input.parent_id {
        Some(Id(p)) => {
            let found =
                task::Entity::find_by_id(p).filter(task::Column::EngagementId.eq(engagement_id)).one(&state.db).await?;
            if found.is_none() {
                errors.add("parent_id", Msg::new("error-parent"));
            }
            found.map(|t| t.id)
        }
        None => None,
    };
    let default = match party {
        Some(p) if participant_ids(state, engagement_id).await?.contains(&p) => (Visibility::Party, Some(p)),
        _ => (Visibility::Internal, None),
    };
    let (visibility, visible_party) = parse_visibility(
        state,
        engagement_id,
        input.visibility.as_deref(),
        input.visible_party_id,
        default,
        &mut errors,
    )
    .await?;
    errors.into_result()?;
    let (Some(name), Some(start), Some(finish)) = (name, start, finish) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let now = state.clock.now();
    // Only the health refresh at the end needs the engagement to itself (it locks it then): the
    // rows of two creates in one engagement go in side by side.
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Shared).await?;
    let t = task::ActiveModel {
        engagement_id: Set(engagement_id),
        parent_id: Set(parent),
        name: Set(name),
        start_date: Set(start),
        finish_date: Set(finish),
        assignee_id: Set(assignee),
        party_id: Set(party),
        progress: Set(0),
        status: Set(TaskStatus::Todo.as_str().to_owned()),
        visibility: Set(visibility.as_str().to_owned()),
        visible_party_id: Set(visible_party),
        created_at: Set(now),
        updated_at: Set(now),
        scheduling: Set(scheduling.to_owned()),
        start_no_earlier: Set(Some(start)),
        shift_days: Set(0),
        schedule_conflict: Set(false),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(&tx, state, viewer, "task.create", "task", t.id, None, Some(task_json(&t))).await?;
    let subject = Subject::from(&t);
    crate::collab::track(&tx, now, viewer.user.id, &subject, "created", "").await?;
    if let Some(a) = t.assignee_id.filter(|a| *a != viewer.user.id) {
        let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::Assignment, &subject) };
        notifications::send(&tx, now, &[a], &notice).await?;
    }
    health::refresh(&tx, engagement_id, state.today()).await?;
    tx.commit().await?;
    Ok(t)
}

/// Whether the viewer may report progress on a task: engagement managers, the responsible
/// party's people and the assignee.
pub fn can_update_progress(viewer: &Viewer, manages: bool, t: &task::Model) -> bool {
    manages || t.party_id == Some(viewer.party.id) || t.assignee_id == Some(viewer.user.id)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    pub name: Option<String>,
    pub start_date: Option<String>,
    pub finish_date: Option<String>,
    /// 0–100
    pub progress: Option<i64>,
    /// todo | in_progress | done | blocked
    pub status: Option<String>,
    pub assignee_id: Option<Id>,
    /// auto | manual
    pub scheduling: Option<String>,
    /// With `start_date` alone: move the task, keeping its length in working days (a dragged
    /// bar) instead of keeping its finish.
    pub keep_duration: Option<bool>,
    /// Move by this many working days, keeping the length (the keyboard's ← →).
    pub move_by: Option<i64>,
    /// Lengthen (or shorten) by this many working days (Shift+← →).
    pub stretch_by: Option<i64>,
}

pub async fn update_task(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    task_id: i64,
    patch: TaskPatch,
) -> AppResult<task::Model> {
    let before = task(state, viewer, engagement_id, task_id).await?;
    let planning = patch.name.is_some()
        || patch.start_date.is_some()
        || patch.finish_date.is_some()
        || patch.assignee_id.is_some()
        || patch.scheduling.is_some()
        || patch.move_by.is_some()
        || patch.stretch_by.is_some();
    let manages = manages(state, viewer, engagement_id).await?;
    if (planning && !manages) || !can_update_progress(viewer, manages, &before) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let mut am: task::ActiveModel = before.clone().into();
    if let Some(v) = &patch.name
        && let Some(v) = errors.take("name", domain::text(v, true, 200))
    {
        am.name = Set(v);
    }
    if let Some(v) = &patch.start_date
        && let Some(d) = errors.take("start_date", domain::parse_date(v))
    {
        am.start_date = Set(d);
        // A typed start holds: the plan may push the task later, never earlier.
        am.start_no_earlier = Set(Some(d));
    }
    if let Some(s) = scheduling_of(patch.scheduling.as_deref(), &mut errors) {
        am.scheduling = Set(s.to_owned());
    }
    if let Some(v) = &patch.finish_date
        && let Some(d) = errors.take("finish_date", domain::parse_date(v))
    {
        am.finish_date = Set(d);
    } else if patch.keep_duration == Some(true)
        && patch.finish_date.is_none()
        && let sea_orm::ActiveValue::Set(start) = am.start_date
    {
        let cal = super::workdays::calendar_for(state, engagement_id).await?;
        let days = cal.duration(before.start_date, before.finish_date).max(1);
        am.finish_date = Set(cal.add_working_days(cal.next_working(start), days - 1));
    }
    if patch.move_by.is_some() || patch.stretch_by.is_some() {
        let steps = |n: Option<i64>, field: &str, errors: &mut FieldErrors| match n {
            Some(n) if !(-3650..=3650).contains(&n) => {
                errors.add(field, Msg::new("error-working-days"));
                0
            }
            n => n.unwrap_or(0),
        };
        let (by, stretch) =
            (steps(patch.move_by, "move_by", &mut errors), steps(patch.stretch_by, "stretch_by", &mut errors));
        let cal = super::workdays::calendar_for(state, engagement_id).await?;
        let days = cal.duration(before.start_date, before.finish_date).max(1);
        let start = cal.add_working_days(cal.next_working(before.start_date), by);
        am.start_date = Set(start);
        am.start_no_earlier = Set(Some(start));
        am.finish_date = Set(cal.add_working_days(start, days - 1 + stretch));
    }
    if am.finish_date.as_ref() < am.start_date.as_ref() {
        errors.add("finish_date", Msg::new("error-end-before-start"));
    }
    if let Some(p) = patch.progress {
        match i16::try_from(p).ok().filter(|p| (0..=100).contains(p)) {
            Some(p) => am.progress = Set(p),
            None => errors.add("progress", Msg::new("error-percent")),
        }
    }
    if let Some(s) = &patch.status
        && let Some(s) = errors.take("status", TaskStatus::parse(s))
    {
        am.status = Set(s.as_str().to_owned());
        if s == TaskStatus::Done && patch.progress.is_none() {
            am.progress = Set(100);
        }
    }
    if patch.assignee_id.is_some() {
        am.assignee_id = Set(check_assignee(state, engagement_id, patch.assignee_id, &mut errors).await?);
    }
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    am.updated_at = Set(now);
    let mut after = am.update(&tx).await?;
    record(&tx, state, viewer, "task.update", "task", task_id, Some(task_json(&before)), Some(task_json(&after)))
        .await?;
    // New dates or a new way of scheduling move the successors at once (and may move the task
    // itself, when its predecessors need it later than typed).
    let placement = |t: &task::Model| (t.start_date, t.finish_date, t.scheduling.clone());
    if placement(&after) != placement(&before) && network::is_linked(&tx, task_id).await? {
        network::autoschedule(&tx, state, viewer, engagement_id).await?;
        after = task::Entity::find_by_id(task_id).one(&tx).await?.ok_or(AppError::NotFound)?;
    }
    let subject = Subject::from(&after);
    if after.name != before.name {
        search::index(&tx, subject.search_entry("")).await?;
    }
    let verb = if planning { "updated" } else { "progress" };
    activity::record(&tx, now, Some(viewer.user.id), &subject, verb).await?;
    // `before` is masked for non-hosts, but only managers may change the assignee.
    if let Some(a) = after.assignee_id.filter(|a| *a != viewer.user.id && patch.assignee_id.is_some())
        && before.assignee_id != Some(a)
    {
        let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::Assignment, &subject) };
        notifications::send(&tx, now, &[a], &notice).await?;
    }
    health::refresh(&tx, engagement_id, state.today()).await?;
    tx.commit().await?;
    // Answered as the viewer may see it (a vendor reporting progress learns no other party).
    redact_tasks(state, viewer, engagement_id, vec![after]).await?.pop().ok_or(AppError::NotFound)
}
