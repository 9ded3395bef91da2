//! What of the plan waits for a viewer: their open tasks due within a week or late, and the
//! milestones of engagements they run that are due within a week or late.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::{milestone, task};
use crate::{
    AppState,
    auth::Viewer,
    domain::{DESK_LIMIT, Waiting, add_days},
    error::AppResult,
};

/// How far ahead the desk looks for due work.
pub const HORIZON_DAYS: i64 = 7;

pub async fn waiting(state: &AppState, viewer: &Viewer, today: NaiveDate) -> AppResult<Vec<Waiting>> {
    let horizon = add_days(today, HORIZON_DAYS);
    let tasks = task::Entity::find()
        .filter(viewer.engagement_ids_scope(task::Column::EngagementId))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .filter(task::Column::AssigneeId.eq(viewer.user.id))
        .filter(task::Column::Status.ne("done"))
        .filter(task::Column::FinishDate.lte(horizon))
        .order_by_asc(task::Column::FinishDate)
        .limit(DESK_LIMIT)
        .all(&state.db)
        .await?;
    let mut out: Vec<Waiting> = tasks
        .into_iter()
        .map(|t| Waiting {
            what: if t.finish_date < today { "waiting-task-late" } else { "waiting-task-due" },
            url: format!("/engagements/{}/tasks/{}", t.engagement_id, t.id),
            title: t.name,
            engagement_id: Some(t.engagement_id),
            context: String::new(),
            due: Some(t.finish_date),
        })
        .collect();
    // Milestones are the PM's: those of the engagements the viewer runs.
    if viewer.is_host() {
        let run = super::service::managed_ids(state, viewer).await?;
        let milestones = milestone::Entity::find()
            .filter(milestone::Column::EngagementId.is_in(run))
            .filter(milestone::Column::Status.eq("planned"))
            .filter(milestone::Column::DueDate.lte(horizon))
            .order_by_asc(milestone::Column::DueDate)
            .limit(DESK_LIMIT)
            .all(&state.db)
            .await?;
        out.extend(milestones.into_iter().map(|m| Waiting {
            what: if m.due_date < today { "waiting-milestone-late" } else { "waiting-milestone-due" },
            url: format!("/engagements/{}/milestones/{}", m.engagement_id, m.id),
            title: m.name,
            engagement_id: Some(m.engagement_id),
            context: String::new(),
            due: Some(m.due_date),
        }));
    }
    Ok(out)
}
