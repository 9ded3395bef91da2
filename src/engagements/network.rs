//! The task network of an engagement: dependencies between tasks and the schedule computed
//! from them over the working calendar (critical path, re-planning).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
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

async fn network(state: &AppState, e: engagement::Model) -> AppResult<Network> {
    let tasks = task::Entity::find().filter(task::Column::EngagementId.eq(e.id)).all(&state.db).await?;
    let deps = dependency::Entity::find().filter(dependency::Column::EngagementId.eq(e.id)).all(&state.db).await?;
    let calendar = workdays::calendar_for(state, e.id).await?;
    Ok(Network { engagement: e, tasks, deps, calendar })
}

fn compute(n: &Network, extra: Option<Dependency>) -> Result<HashMap<i64, Placed>, ScheduleError> {
    let cal = &n.calendar;
    let acts: Vec<Activity> = n
        .tasks
        .iter()
        .map(|t| Activity { id: t.id, duration: cal.duration(t.start_date, t.finish_date).max(1) })
        .collect();
    let mut deps: Vec<Dependency> = n
        .deps
        .iter()
        .filter_map(|d| {
            Some(Dependency {
                predecessor: d.predecessor_id,
                successor: d.successor_id,
                kind: DepKind::parse(&d.kind)?,
                lag: i64::from(d.lag_days),
            })
        })
        .collect();
    deps.extend(extra);
    schedule::schedule(&acts, &deps, Direction::Forward(n.engagement.start_date), cal)
}

pub async fn add_dependency(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: DependencyInput,
) -> AppResult<dependency::Model> {
    let e = get_to_manage(state, viewer, engagement_id).await?;
    let n = network(state, e).await?;
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
    let tx = db::begin_write(&state.writer).await?;
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

/// The computed schedule of every task the viewer may see.
pub async fn computed(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<HashMap<i64, Placed>> {
    let e = get(state, viewer, engagement_id).await?;
    let visible = visible_task_ids(state, viewer, engagement_id).await?;
    let n = network(state, e).await?;
    let placed =
        compute(&n, None).map_err(|e| AppError::Internal(anyhow::anyhow!("stored plan does not schedule: {e:?}")))?;
    Ok(placed.into_iter().filter(|(id, _)| visible.contains(id)).collect())
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
    let e = get_to_manage(state, viewer, engagement_id).await?;
    let n = network(state, e).await?;
    let placed =
        compute(&n, None).map_err(|e| AppError::Internal(anyhow::anyhow!("stored plan does not schedule: {e:?}")))?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
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
