//! The schedule impact of a change request against the engagement's current plan (or, once
//! approved, the moves it made), and its presentation within the viewer's slice.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use serde::Serialize;

use super::{
    entity::change_request,
    service::affected_ids,
    whatif::{self, Plan, WhatIf},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    engagements::{
        calendar::WorkCalendar,
        entity::{dependency, milestone, task},
        workdays,
    },
    error::{AppError, AppResult},
};

/// The whole plan of an engagement, read through `db` (the apply transaction, or the pool).
pub struct PlanRows {
    pub tasks: Vec<task::Model>,
    pub deps: Vec<dependency::Model>,
    pub milestones: Vec<milestone::Model>,
    pub calendar: WorkCalendar,
}

pub async fn load_plan(db: &impl ConnectionTrait, state: &AppState, engagement_id: i64) -> AppResult<PlanRows> {
    Ok(PlanRows {
        tasks: task::Entity::find().filter(task::Column::EngagementId.eq(engagement_id)).all(db).await?,
        deps: dependency::Entity::find().filter(dependency::Column::EngagementId.eq(engagement_id)).all(db).await?,
        milestones: milestone::Entity::find().filter(milestone::Column::EngagementId.eq(engagement_id)).all(db).await?,
        calendar: workdays::calendar_for(state, engagement_id).await?,
    })
}

pub fn what_if(p: &PlanRows, c: &change_request::Model) -> AppResult<WhatIf> {
    let plan = Plan { tasks: &p.tasks, deps: &p.deps, milestones: &p.milestones, calendar: &p.calendar };
    whatif::compute(&plan, &affected_ids(c), i64::from(c.schedule_delta_days))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored plan does not schedule: {e:?}")))
}

/// Working days the change moves the plan: computed when it names tasks, as declared otherwise.
pub fn impact_days(c: &change_request::Model, w: &WhatIf) -> i64 {
    if affected_ids(c).is_empty() { i64::from(c.schedule_delta_days) } else { w.impact_days() }
}

/// Stores the schedule impact computed now on a pending change.
pub async fn refresh_days(
    tx: &DatabaseTransaction,
    state: &AppState,
    c: change_request::Model,
) -> AppResult<change_request::Model> {
    let plan = load_plan(tx, state, c.engagement_id).await?;
    let days = i32::try_from(impact_days(&c, &what_if(&plan, &c)?)).unwrap_or(i32::MAX);
    if c.impact_days == Some(days) {
        return Ok(c);
    }
    let mut am: change_request::ActiveModel = c.into();
    am.impact_days = Set(Some(days));
    Ok(am.update(tx).await?)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Move {
    pub id: crate::domain::Id,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Working days; positive is later.
    pub days: i64,
}

/// The impact as the viewer may see it: moves of records outside their slice are left out.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImpactView {
    /// Whether the change names tasks, so the plan can be re-planned with it.
    pub placed: bool,
    /// Working days (plan end or the furthest milestone, whichever moves more).
    pub impact_days: i64,
    /// Host only (0 for others): working days the end of the whole plan moves.
    pub plan_days: i64,
    /// Host only.
    pub finish_before: Option<NaiveDate>,
    pub finish_after: Option<NaiveDate>,
    pub milestones: Vec<Move>,
    pub tasks: Vec<Move>,
}

/// The impact of `c`: what approval would do now while it is pending, what it did once applied.
pub async fn view(state: &AppState, viewer: &Viewer, c: &change_request::Model) -> AppResult<ImpactView> {
    let w: WhatIf = if c.state == "approved" {
        serde_json::from_str(&c.applied_moves).unwrap_or_default()
    } else {
        what_if(&load_plan(&state.db, state, c.engagement_id).await?, c)?
    };
    let tasks: HashMap<i64, String> = task::Entity::find()
        .filter(task::Column::EngagementId.eq(c.engagement_id))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let milestones: HashMap<i64, String> = milestone::Entity::find()
        .filter(milestone::Column::EngagementId.eq(c.engagement_id))
        .filter(viewer.record_scope(milestone::Column::Visibility, milestone::Column::VisiblePartyId))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let placed = !affected_ids(c).is_empty();
    // The end of the whole plan counts tasks outside a client's or vendor's slice.
    let host = Lens::of(state, viewer, c.engagement_id).await?.sees_internal();
    Ok(ImpactView {
        placed,
        impact_days: impact_days(c, &w),
        plan_days: if host { w.plan_days } else { 0 },
        finish_before: w.finish_before.filter(|_| host),
        finish_after: w.finish_after.filter(|_| host),
        milestones: w
            .milestones
            .iter()
            .filter_map(|m| {
                let name = milestones.get(&m.milestone_id)?;
                Some(Move {
                    id: crate::domain::Id(m.milestone_id),
                    name: name.clone(),
                    from: m.from,
                    to: m.to,
                    days: m.days,
                })
            })
            .collect(),
        tasks: w
            .tasks
            .iter()
            .filter_map(|t| {
                let name = tasks.get(&t.task_id)?;
                Some(Move {
                    id: crate::domain::Id(t.task_id),
                    name: name.clone(),
                    from: t.from.1,
                    to: t.to.1,
                    days: t.days,
                })
            })
            .collect(),
    })
}
