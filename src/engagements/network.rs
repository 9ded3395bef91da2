//! The task network of an engagement: dependencies between tasks and the schedule computed
//! from them over the working calendar (critical path, re-planning).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, Set,
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

fn compute(n: &Network, extra: Option<Dependency>) -> Result<HashMap<i64, Placed>, ScheduleError> {
    schedule_plan(
        n.engagement.start_date,
        &n.calendar,
        n.tasks.iter().map(|t| (t.id, t.start_date, t.finish_date)),
        n.deps.iter().map(|d| (d.predecessor_id, d.successor_id, d.kind.as_str(), d.lag_days)),
        extra,
    )
}

/// Schedules tasks `(id, start, finish)` linked by `(predecessor, successor, type, lag)` forward
/// from `start` over the working calendar.
fn schedule_plan<'a>(
    start: NaiveDate,
    cal: &WorkCalendar,
    tasks: impl Iterator<Item = (i64, NaiveDate, NaiveDate)>,
    links: impl Iterator<Item = (i64, i64, &'a str, i32)>,
    extra: Option<Dependency>,
) -> Result<HashMap<i64, Placed>, ScheduleError> {
    let acts: Vec<Activity> =
        tasks.map(|(id, start, finish)| Activity { id, duration: cal.duration(start, finish).max(1) }).collect();
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
            self.tasks.iter().map(|t| (t.id, t.start_date, t.finish_date)),
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

/// Moves every task to its computed early dates in one transaction.
pub async fn reschedule(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Rescheduled> {
    get_to_manage(state, viewer, engagement_id).await?;
    // Locked first, then read through the transaction: the dates written are computed from the
    // plan as it stands at commit.
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    let n = network(&tx, state, engagement_id).await?;
    let placed =
        compute(&n, None).map_err(|e| AppError::Internal(anyhow::anyhow!("stored plan does not schedule: {e:?}")))?;
    let now = state.clock.now();
    let mut moved = Vec::new();
    for t in &n.tasks {
        let Some(p) = placed.get(&t.id) else { continue };
        if (p.start, p.finish) != (t.start_date, t.finish_date) {
            let mut am: task::ActiveModel = t.clone().into();
            am.start_date = Set(p.start);
            am.finish_date = Set(p.finish);
            am.updated_at = Set(now);
            am.update(&tx).await?;
            moved.push(json!({"task_id": t.id, "from": [t.start_date, t.finish_date], "to": [p.start, p.finish]}));
        }
    }
    let finish_date = placed.values().map(|p| p.finish).max();
    record(
        &tx,
        state,
        viewer,
        "engagement.reschedule",
        "engagement",
        engagement_id,
        None,
        Some(json!({"moved": moved})),
    )
    .await?;
    crate::engagements::health::refresh(&tx, engagement_id, state.today()).await?;
    tx.commit().await?;
    Ok(Rescheduled { moved: moved.len(), finish_date })
}
