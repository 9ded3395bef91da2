//! Baselines: a named, frozen copy of every task's and milestone's dates. Comparing the current
//! plan with one gives the variance in working days, per item the viewer may see.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{self, Id},
    engagements::{
        entity::{baseline, baseline_item, milestone, task},
        plan,
        service::{get, get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors},
};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BaselineInput {
    pub name: String,
}

pub async fn list(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<baseline::Model>> {
    get(state, viewer, engagement_id).await?;
    Ok(baseline::Entity::find()
        .filter(baseline::Column::EngagementId.eq(engagement_id))
        .order_by_desc(baseline::Column::Id)
        .all(&state.db)
        .await?)
}

/// Freezes the current dates of every task and milestone (all of them: a baseline is the
/// engagement's, whoever looks at it later sees only their slice of it).
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: BaselineInput,
) -> AppResult<baseline::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let name = errors.take("name", domain::text(&input.name, true, 100));
    errors.into_result()?;
    let Some(name) = name else { return Err(AppError::Internal(anyhow::anyhow!("validated name missing"))) };
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    let b = save_in(&tx, state, viewer, engagement_id, name, None).await?;
    tx.commit().await?;
    Ok(b)
}

/// Saves a baseline inside the caller's transaction (an approved change saves one along with
/// the plan moves it makes).
pub(crate) async fn save_in(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    name: String,
    change_request_id: Option<i64>,
) -> AppResult<baseline::Model> {
    let b = baseline::ActiveModel {
        engagement_id: Set(engagement_id),
        name: Set(name),
        created_by: Set(Some(viewer.user.id)),
        created_at: Set(state.clock.now()),
        change_request_id: Set(change_request_id),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let tasks = task::Entity::find().filter(task::Column::EngagementId.eq(engagement_id)).all(tx).await?;
    let milestones =
        milestone::Entity::find().filter(milestone::Column::EngagementId.eq(engagement_id)).all(tx).await?;
    let items: Vec<baseline_item::ActiveModel> = tasks
        .iter()
        .map(|t| (Some(t.id), None, t.start_date, t.finish_date))
        .chain(milestones.iter().map(|m| (None, Some(m.id), m.due_date, m.due_date)))
        .map(|(task_id, milestone_id, start, finish)| baseline_item::ActiveModel {
            baseline_id: Set(b.id),
            task_id: Set(task_id),
            milestone_id: Set(milestone_id),
            start_date: Set(start),
            finish_date: Set(finish),
            ..Default::default()
        })
        .collect();
    for chunk in items.chunks(500) {
        baseline_item::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    let after = json!({"name": b.name, "tasks": tasks.len(), "milestones": milestones.len(),
                       "change_request_id": change_request_id});
    record(tx, state, viewer, "baseline.create", "engagement", engagement_id, None, Some(after)).await?;
    Ok(b)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BaselineDto {
    pub id: Id,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// The approved change request that saved it, if one did.
    pub change_request_id: Option<Id>,
}

impl From<baseline::Model> for BaselineDto {
    fn from(b: baseline::Model) -> Self {
        Self { id: Id(b.id), name: b.name, created_at: b.created_at, change_request_id: b.change_request_id.map(Id) }
    }
}

/// One row of a comparison: positive variance means later than the baseline.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Variance {
    /// `task` or `milestone`
    pub kind: &'static str,
    pub id: Id,
    pub name: String,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_finish: Option<NaiveDate>,
    pub current_start: NaiveDate,
    pub current_finish: NaiveDate,
    /// Working days; null when the item was added after the baseline.
    pub start_variance_days: Option<i64>,
    pub finish_variance_days: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = BaselineComparison)]
pub struct Comparison {
    pub baseline_id: Id,
    pub name: String,
    pub items: Vec<Variance>,
}

/// The baseline of an engagement the viewer may see; 404 otherwise.
pub async fn find(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    baseline_id: i64,
) -> AppResult<baseline::Model> {
    get(state, viewer, engagement_id).await?;
    baseline::Entity::find_by_id(baseline_id)
        .filter(baseline::Column::EngagementId.eq(engagement_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Baseline dates by task id (for the Gantt), limited to what the viewer may see by the caller.
pub async fn task_dates(state: &AppState, baseline_id: i64) -> AppResult<HashMap<i64, (NaiveDate, NaiveDate)>> {
    let items =
        baseline_item::Entity::find().filter(baseline_item::Column::BaselineId.eq(baseline_id)).all(&state.db).await?;
    Ok(items.into_iter().filter_map(|i| i.task_id.map(|t| (t, (i.start_date, i.finish_date)))).collect())
}

pub async fn compare(state: &AppState, viewer: &Viewer, engagement_id: i64, baseline_id: i64) -> AppResult<Comparison> {
    let b = find(state, viewer, engagement_id, baseline_id).await?;
    let items = baseline_item::Entity::find().filter(baseline_item::Column::BaselineId.eq(b.id)).all(&state.db).await?;
    let by_task: HashMap<i64, (NaiveDate, NaiveDate)> =
        items.iter().filter_map(|i| i.task_id.map(|t| (t, (i.start_date, i.finish_date)))).collect();
    let by_milestone: HashMap<i64, NaiveDate> =
        items.iter().filter_map(|i| i.milestone_id.map(|m| (m, i.start_date))).collect();
    let cal = &crate::engagements::workdays::calendar_for(state, engagement_id).await?;
    let diff = |base: Option<NaiveDate>, now: NaiveDate| base.map(|b| cal.working_days_between(b, now));
    let mut out = Vec::new();
    for m in plan::milestones(state, viewer, engagement_id).await? {
        let base = by_milestone.get(&m.id).copied();
        out.push(Variance {
            kind: "milestone",
            id: Id(m.id),
            name: m.name,
            baseline_start: base,
            baseline_finish: base,
            current_start: m.due_date,
            current_finish: m.due_date,
            start_variance_days: diff(base, m.due_date),
            finish_variance_days: diff(base, m.due_date),
        });
    }
    let (tasks, _) = plan::tasks(state, viewer, engagement_id, db::MAX_LIMIT * 10, None).await?;
    for t in tasks {
        let base = by_task.get(&t.id).copied();
        out.push(Variance {
            kind: "task",
            id: Id(t.id),
            name: t.name,
            baseline_start: base.map(|b| b.0),
            baseline_finish: base.map(|b| b.1),
            current_start: t.start_date,
            current_finish: t.finish_date,
            start_variance_days: diff(base.map(|b| b.0), t.start_date),
            finish_variance_days: diff(base.map(|b| b.1), t.finish_date),
        });
    }
    Ok(Comparison { baseline_id: Id(b.id), name: b.name, items: out })
}
