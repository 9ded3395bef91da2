//! The task network of an engagement: dependencies between tasks and the schedule computed
//! from them over the working calendar (critical path, re-planning).
//!
//! The plan schedules itself: after any write that can move a task (its dates, its scheduling,
//! a link), [`autoschedule`] places every automatically scheduled task at the later of its
//! typed start (*start no earlier than*) and what its predecessors need, on the working
//! calendar, in the write's transaction; a task scheduled by hand stays and is marked when its
//! predecessors disagree. Each task keeps how far the last pass moved it, for the chart.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QueryResult, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::Id,
    engagements::{
        calendar::WorkCalendar,
        entity::{dependency, engagement, task},
        schedule::{self, Activity, DepKind, Dependency, Direction, Placed, ScheduleError},
        service::{get, get_to_manage, record},
        workdays,
    },
    error::{AppError, AppResult, FieldErrors, Msg},
};

/// Ids of the engagement's tasks the viewer may see.
pub(crate) async fn visible_task_ids(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<HashSet<i64>> {
    let ids: Vec<i64> = task::Entity::find()
        .select_only()
        .column(task::Column::Id)
        .filter(task::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Dependencies whose two ends the viewer may both see.
pub async fn dependencies(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<dependency::Model>> {
    get(state, viewer, engagement_id).await?;
    let visible = visible_task_ids(state, viewer, engagement_id).await?;
    let all = dependency::Entity::find()
        .filter(dependency::Column::EngagementId.eq(engagement_id))
        .order_by_asc(dependency::Column::Id)
        .all(&state.db)
        .await?;
    Ok(all.into_iter().filter(|d| visible.contains(&d.predecessor_id) && visible.contains(&d.successor_id)).collect())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DependencyInput {
    pub predecessor_id: Id,
    pub successor_id: Id,
    /// FS (default) | SS | FF | SF
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Working days; negative for a lead.
    #[serde(default)]
    pub lag_days: i32,
}

/// Everything the scheduler needs about an engagement, unfiltered: the plan is one network
/// whoever looks at it.
struct Network {
    engagement: engagement::Model,
    tasks: Vec<task::Model>,
    deps: Vec<dependency::Model>,
    calendar: WorkCalendar,
}

/// The network as it stands, read through `db`: inside a write transaction that holds the
/// engagement's lock, through the transaction itself, engagement included (its start date may
/// have changed since the access check read it).
async fn network(db: &impl ConnectionTrait, state: &AppState, id: i64) -> AppResult<Network> {
    let engagement = db::unique(engagement::Entity::find_by_id(id), db).await?.ok_or(AppError::NotFound)?;
    let tasks = task::Entity::find().filter(task::Column::EngagementId.eq(id)).all(db).await?;
    let deps = dependency::Entity::find().filter(dependency::Column::EngagementId.eq(id)).all(db).await?;
    let calendar = workdays::calendar_in(db, state, id).await?;
    Ok(Network { engagement, tasks, deps, calendar })
}

/// How a task is placed when the plan is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Automatically: not before this day (a typed start), or as early as its links allow.
    Auto(Option<NaiveDate>),
    /// By hand: where it is.
    Manual,
}

impl Placement {
    pub fn of(scheduling: &str, start_no_earlier: Option<NaiveDate>) -> Self {
        if scheduling == "manual" { Self::Manual } else { Self::Auto(start_no_earlier) }
    }
}

fn compute(n: &Network, extra: Option<Dependency>) -> Result<HashMap<i64, Placed>, ScheduleError> {
    schedule_plan(
        n.engagement.start_date,
        &n.calendar,
        n.tasks.iter().map(|t| (t.id, t.start_date, t.finish_date, Placement::of(&t.scheduling, t.start_no_earlier))),
        n.deps.iter().map(|d| (d.predecessor_id, d.successor_id, d.kind.as_str(), d.lag_days)),
        extra,
    )
}

/// Schedules tasks `(id, start, finish, placement)` linked by `(predecessor, successor, type,
/// lag)` forward from `start` over the working calendar.
fn schedule_plan<'a>(
    start: NaiveDate,
    cal: &WorkCalendar,
    tasks: impl Iterator<Item = (i64, NaiveDate, NaiveDate, Placement)>,
    links: impl Iterator<Item = (i64, i64, &'a str, i32)>,
    extra: Option<Dependency>,
) -> Result<HashMap<i64, Placed>, ScheduleError> {
    let origin = cal.next_working(start);
    // Working-day index of a day (the next working one when it is not): negative before `start`.
    let index = |d: NaiveDate| cal.working_days_between(origin, cal.next_working(d));
    let acts: Vec<Activity> = tasks
        .map(|(id, start, finish, placement)| {
            let mut a = Activity::new(id, cal.duration(start, finish).max(1));
            match placement {
                Placement::Auto(not_before) => a.not_before = not_before.map(index),
                Placement::Manual => a.fixed = Some(index(start)),
            }
            a
        })
        .collect();
    let mut deps: Vec<Dependency> = links
        .filter_map(|(predecessor, successor, kind, lag)| {
            Some(Dependency { predecessor, successor, kind: DepKind::parse(kind)?, lag: i64::from(lag) })
        })
        .collect();
    deps.extend(extra);
    schedule::schedule(&acts, &deps, Direction::Forward(start), cal)
}

/// A task as the chart draws it, read by position with only the columns it needs.
pub struct ChartTask {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub start_date: NaiveDate,
    pub finish_date: NaiveDate,
    pub progress: i16,
    visibility: String,
    visible_party_id: Option<i64>,
    pub scheduling: String,
    start_no_earlier: Option<NaiveDate>,
    /// Working days the last automatic pass moved it (later when positive).
    pub shift_days: i32,
    /// Scheduled by hand while its predecessors want it later.
    pub schedule_conflict: bool,
}

impl FromQueryResult for ChartTask {
    fn from_query_result(res: &QueryResult, _: &str) -> Result<Self, DbErr> {
        let mut c = db::Cols::new(res);
        Ok(Self {
            id: c.take()?,
            parent_id: c.take()?,
            name: c.take()?,
            start_date: c.take()?,
            finish_date: c.take()?,
            progress: c.take()?,
            visibility: c.take()?,
            visible_party_id: c.take()?,
            scheduling: c.take()?,
            start_no_earlier: c.take()?,
            shift_days: c.take()?,
            schedule_conflict: c.take()?,
        })
    }
}

/// A link as the chart draws it.
pub struct ChartLink {
    pub predecessor_id: i64,
    pub successor_id: i64,
    pub kind: String,
    pub lag_days: i32,
}

impl FromQueryResult for ChartLink {
    fn from_query_result(res: &QueryResult, _: &str) -> Result<Self, DbErr> {
        let mut c = db::Cols::new(res);
        Ok(Self { predecessor_id: c.take()?, successor_id: c.take()?, kind: c.take()?, lag_days: c.take()? })
    }
}

/// An engagement's whole network, read once for a chart: every task (the critical path runs
/// through tasks the viewer may not see) and every link.
pub struct ChartPlan {
    start: NaiveDate,
    pub calendar: WorkCalendar,
    tasks: Vec<ChartTask>,
    pub links: Vec<ChartLink>,
}

impl ChartPlan {
    pub async fn read(state: &AppState, e: &engagement::Model) -> AppResult<Self> {
        use task::Column as T;
        let tasks = task::Entity::find()
            .select_only()
            .columns([
                T::Id,
                T::ParentId,
                T::Name,
                T::StartDate,
                T::FinishDate,
                T::Progress,
                T::Visibility,
                T::VisiblePartyId,
                T::Scheduling,
                T::StartNoEarlier,
                T::ShiftDays,
                T::ScheduleConflict,
            ])
            .filter(T::EngagementId.eq(e.id))
            .order_by_asc(T::Id)
            .into_model::<ChartTask>()
            .all(&state.db)
            .await?;
        use dependency::Column as D;
        let links = dependency::Entity::find()
            .select_only()
            .columns([D::PredecessorId, D::SuccessorId, D::Kind, D::LagDays])
            .filter(D::EngagementId.eq(e.id))
            .order_by_asc(D::Id)
            .into_model::<ChartLink>()
            .all(&state.db)
            .await?;
        let calendar = workdays::calendar_for(state, e.id).await?;
        Ok(Self { start: e.start_date, calendar, tasks, links })
    }

    /// The tasks on the critical path (CPU work: call it off the request threads).
    pub fn critical(&self) -> AppResult<HashSet<i64>> {
        let placed = schedule_plan(
            self.start,
            &self.calendar,
            self.tasks
                .iter()
                .map(|t| (t.id, t.start_date, t.finish_date, Placement::of(&t.scheduling, t.start_no_earlier))),
            self.links.iter().map(|l| (l.predecessor_id, l.successor_id, l.kind.as_str(), l.lag_days)),
            None,
        )
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored plan does not schedule: {e:?}")))?;
        Ok(placed.into_iter().filter(|(_, p)| p.critical).map(|(id, _)| id).collect())
    }

    /// Which tasks the chart shows: the first `cap` the viewer may see, oldest first.
    pub fn shown(&self, viewer: &Viewer, cap: usize) -> Vec<bool> {
        let mut left = cap;
        self.tasks
            .iter()
            .map(|t| {
                let show = left > 0 && viewer.can_see_record(&t.visibility, t.visible_party_id);
                left -= usize::from(show);
                show
            })
            .collect()
    }

    /// Takes the tasks `shown` marks, leaving the plan without tasks: call `critical` first.
    pub fn take_shown(&mut self, shown: &[bool]) -> Vec<ChartTask> {
        let mut keep = shown.iter();
        let mut all = std::mem::take(&mut self.tasks);
        all.retain(|_| keep.next().copied().unwrap_or(false));
        all
    }
}

pub async fn add_dependency(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: DependencyInput,
) -> AppResult<dependency::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    // The engagement's write lock before the network is read (through the transaction): two
    // links added at once cannot each pass the loop check and close a loop together.
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    let n = network(&tx, state, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let known = |id: i64| n.tasks.iter().any(|t| t.id == id);
    if !known(input.predecessor_id.0) {
        errors.add("predecessor_id", Msg::new("error-parent"));
    }
    if !known(input.successor_id.0) {
        errors.add("successor_id", Msg::new("error-parent"));
    }
    if input.predecessor_id == input.successor_id {
        errors.add("successor_id", Msg::new("error-dependency-self"));
    }
    let kind = match input.kind.as_deref() {
        None | Some("") => Some(DepKind::Fs),
        Some(k) => {
            let parsed = DepKind::parse(k);
            if parsed.is_none() {
                errors.add("type", Msg::new("error-dependency-type"));
            }
            parsed
        }
    };
    if !(-365..=365).contains(&input.lag_days) {
        errors.add("lag_days", Msg::new("error-lag"));
    }
    if n.deps.iter().any(|d| d.predecessor_id == input.predecessor_id.0 && d.successor_id == input.successor_id.0) {
        errors.add("successor_id", Msg::new("error-dependency-exists"));
    }
    errors.into_result()?;
    let Some(kind) = kind else { return Err(AppError::Internal(anyhow::anyhow!("validated type missing"))) };
    let candidate = Dependency {
        predecessor: input.predecessor_id.0,
        successor: input.successor_id.0,
        kind,
        lag: i64::from(input.lag_days),
    };
    if let Err(ScheduleError::Cycle(_)) = compute(&n, Some(candidate)) {
        let mut errors = FieldErrors::default();
        errors.add("successor_id", Msg::new("error-dependency-cycle"));
        return Err(AppError::Validation(errors));
    }
    let row = dependency::ActiveModel {
        engagement_id: Set(engagement_id),
        predecessor_id: Set(candidate.predecessor),
        successor_id: Set(candidate.successor),
        kind: Set(kind.as_str().to_owned()),
        lag_days: Set(input.lag_days),
        created_at: Set(state.clock.now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"predecessor_id": row.predecessor_id, "successor_id": row.successor_id, "type": row.kind, "lag_days": row.lag_days});
    record(&tx, state, viewer, "dependency.create", "engagement", engagement_id, None, Some(after)).await?;
    // The successor moves at once.
    autoschedule(&tx, state, viewer, engagement_id).await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Rescheduled {
    /// Tasks whose dates changed.
    pub moved: usize,
    /// The last working day of the plan after re-planning.
    pub finish_date: Option<NaiveDate>,
}

/// A task a pass of [`autoschedule`] moved.
#[derive(Clone, Debug, Serialize)]
pub struct Moved {
    pub task_id: i64,
    pub from: (NaiveDate, NaiveDate),
    pub to: (NaiveDate, NaiveDate),
    /// Working days, later when positive.
    #[serde(rename = "shift_days")]
    pub shift: i64,
}

/// Places every automatically scheduled task where its typed start and its predecessors put it
/// (its working-day duration kept), marks the tasks scheduled by hand whose predecessors now
/// disagree, and keeps how far each task moved in this pass (zero for the others). Runs in the
/// caller's transaction, which holds the engagement's write lock; audited when anything moved.
pub(crate) async fn autoschedule(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
) -> AppResult<Vec<Moved>> {
    let n = network(tx, state, engagement_id).await?;
    let placed =
        compute(&n, None).map_err(|e| AppError::Internal(anyhow::anyhow!("stored plan does not schedule: {e:?}")))?;
    let now = state.clock.now();
    let mut moved = Vec::new();
    for t in &n.tasks {
        let Some(p) = placed.get(&t.id) else { continue };
        let auto = t.scheduling != "manual";
        // A task its predecessors do not push keeps its dates as typed (a finish typed on a
        // Saturday stays one); a pushed one, or one coming back to its typed start, moves,
        // keeping its working days.
        let stays = !p.pushed && p.start == n.calendar.next_working(t.start_date);
        let to = if auto && !stays { (p.start, p.finish) } else { (t.start_date, t.finish_date) };
        let shift =
            if to == (t.start_date, t.finish_date) { 0 } else { n.calendar.working_days_between(t.start_date, to.0) };
        let conflict = !auto && p.conflict;
        if to == (t.start_date, t.finish_date) && i64::from(t.shift_days) == shift && t.schedule_conflict == conflict {
            continue;
        }
        let mut am: task::ActiveModel = t.clone().into();
        am.start_date = Set(to.0);
        am.finish_date = Set(to.1);
        am.shift_days = Set(i32::try_from(shift).unwrap_or(0));
        am.schedule_conflict = Set(conflict);
        if to != (t.start_date, t.finish_date) {
            am.updated_at = Set(now);
            moved.push(Moved { task_id: t.id, from: (t.start_date, t.finish_date), to, shift });
        }
        am.update(tx).await?;
    }
    if !moved.is_empty() {
        let after = json!({"moved": moved});
        record(tx, state, viewer, "engagement.autoschedule", "engagement", engagement_id, None, Some(after)).await?;
    }
    Ok(moved)
}

/// Whether the task is linked to any other: only then can a change of its dates move anything.
pub(crate) async fn is_linked(db: &impl ConnectionTrait, task_id: i64) -> AppResult<bool> {
    use sea_orm::PaginatorTrait;
    let n = dependency::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(dependency::Column::PredecessorId.eq(task_id))
                .add(dependency::Column::SuccessorId.eq(task_id)),
        )
        .count(db)
        .await?;
    Ok(n > 0)
}

/// Re-plans the whole engagement at once (the same pass every write runs): for plans written
/// before the plan scheduled itself, and after calendar changes.
pub async fn reschedule(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Rescheduled> {
    get_to_manage(state, viewer, engagement_id).await?;
    // Locked first, then read through the transaction: the dates written are computed from the
    // plan as it stands at commit.
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    let moved = autoschedule(&tx, state, viewer, engagement_id).await?;
    let finish_date = task::Entity::find()
        .select_only()
        .column_as(task::Column::FinishDate.max(), "finish")
        .filter(task::Column::EngagementId.eq(engagement_id))
        .into_tuple::<Option<NaiveDate>>()
        .one(&tx)
        .await?
        .flatten();
    crate::engagements::health::refresh(&tx, engagement_id, state.today()).await?;
    tx.commit().await?;
    Ok(Rescheduled { moved: moved.len(), finish_date })
}
