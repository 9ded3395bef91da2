//! Dashboards: one engagement at a glance (progress, overdue and due-soon items, the milestone
//! timeline, recent activity) and the portfolio across every engagement the viewer may see.
//! Every count is taken through the viewer's scopes: hidden records count for nobody.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    auth::Viewer,
    collab::notices::DUE_SOON_DAYS,
    domain::Id,
    engagements::{
        entity::{engagement, task},
        plan,
        service::get,
    },
    error::AppResult,
};

/// A task or milestone that needs attention.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Item {
    /// task | milestone
    pub kind: &'static str,
    pub id: Id,
    pub name: String,
    pub due_date: NaiveDate,
    pub url: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TimelinePoint {
    pub id: Id,
    pub name: String,
    pub due_date: NaiveDate,
    /// planned | achieved | missed
    pub status: String,
    pub late: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Dashboard {
    /// Average progress of the tasks the viewer may see, 0–100.
    pub progress: u8,
    pub tasks_total: u64,
    pub tasks_done: u64,
    pub overdue: Vec<Item>,
    pub due_soon: Vec<Item>,
    pub milestones: Vec<TimelinePoint>,
}

fn task_item(t: &task::Model) -> Item {
    Item {
        kind: "task",
        id: Id(t.id),
        name: t.name.clone(),
        due_date: t.finish_date,
        url: format!("/engagements/{}/tasks/{}", t.engagement_id, t.id),
    }
}

pub async fn engagement_dashboard(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    today: NaiveDate,
) -> AppResult<Dashboard> {
    get(state, viewer, id).await?;
    let horizon = crate::domain::add_days(today, DUE_SOON_DAYS);
    let tasks = task::Entity::find()
        .select_only()
        .columns([task::Column::Id, task::Column::Progress, task::Column::Status])
        .filter(task::Column::EngagementId.eq(id))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .into_tuple::<(i64, i16, String)>()
        .all(&state.db)
        .await?;
    let tasks_total = tasks.len() as u64;
    let tasks_done = tasks.iter().filter(|(_, _, s)| s == "done").count() as u64;
    let progress = if tasks.is_empty() {
        0
    } else {
        let sum: i64 = tasks.iter().map(|(_, p, _)| i64::from(*p)).sum();
        u8::try_from((sum / tasks.len() as i64).clamp(0, 100)).unwrap_or(0)
    };
    let attention = task::Entity::find()
        .filter(task::Column::EngagementId.eq(id))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .filter(task::Column::Status.ne("done"))
        .filter(task::Column::FinishDate.lte(horizon))
        .order_by_asc(task::Column::FinishDate)
        .limit(200)
        .all(&state.db)
        .await?;
    let (mut overdue, mut due_soon): (Vec<Item>, Vec<Item>) = (Vec::new(), Vec::new());
    for t in &attention {
        if t.finish_date < today { overdue.push(task_item(t)) } else { due_soon.push(task_item(t)) }
    }
    let ms = plan::milestones(state, viewer, id).await?;
    for m in ms.iter().filter(|m| m.status == "planned" && m.due_date <= horizon) {
        let item = Item {
            kind: "milestone",
            id: Id(m.id),
            name: m.name.clone(),
            due_date: m.due_date,
            url: format!("/engagements/{id}/milestones/{}", m.id),
        };
        if m.due_date < today { overdue.push(item) } else { due_soon.push(item) }
    }
    overdue.sort_by_key(|i| i.due_date);
    due_soon.sort_by_key(|i| i.due_date);
    let milestones = ms
        .into_iter()
        .map(|m| TimelinePoint {
            late: m.status == "planned" && m.due_date < today,
            id: Id(m.id),
            name: m.name,
            due_date: m.due_date,
            status: m.status,
        })
        .collect();
    Ok(Dashboard { progress, tasks_total, tasks_done, overdue, due_soon, milestones })
}

/// Counts across every engagement the viewer may see, whatever page of the list is shown.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct PortfolioSummary {
    pub total: u64,
    pub green: u64,
    pub amber: u64,
    pub red: u64,
    /// Engagements in initiating, active or accepting.
    pub running: u64,
}

pub async fn portfolio_summary(state: &AppState, viewer: &Viewer, filter: Condition) -> AppResult<PortfolioSummary> {
    let rows: Vec<(String, String, i64)> = engagement::Entity::find()
        .select_only()
        .column(engagement::Column::Health)
        .column(engagement::Column::State)
        .column_as(engagement::Column::Id.count(), "n")
        .filter(viewer.engagement_scope())
        .filter(filter)
        .group_by(engagement::Column::Health)
        .group_by(engagement::Column::State)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut s = PortfolioSummary::default();
    for (health, st, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        s.total += n;
        match health.as_str() {
            "green" => s.green += n,
            "amber" => s.amber += n,
            "red" => s.red += n,
            _ => {}
        }
        if matches!(st.as_str(), "initiating" | "active" | "accepting") {
            s.running += n;
        }
    }
    Ok(s)
}
