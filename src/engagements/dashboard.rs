//! Dashboards: one engagement at a glance (progress, overdue and due-soon items, the milestone
//! timeline, recent activity) and the portfolio across every engagement the viewer may see.
//! Every count is taken through the viewer's scopes: hidden records count for nobody.

use std::sync::OnceLock;

use chrono::NaiveDate;
use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    auth::Viewer,
    collab::notices::DUE_SOON_DAYS,
    domain::Id,
    engagements::{
        entity::{deliverable, engagement, task},
        plan,
        service::get,
    },
    error::AppResult,
};

/// Something of the engagement that is due or late.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Item {
    /// task | milestone | deliverable | obligation | installment | review
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

/// Something of the engagement that waits without a date: a signature, a review, a result to
/// record.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Awaiting {
    /// contract-review | contract-signature | requirements-signature | acceptance-result |
    /// acceptance-signature
    pub kind: &'static str,
    pub name: String,
    pub url: String,
}

/// What another capability adds to an engagement's lists: dated items (the caller sorts them
/// into late and due soon) and items that wait without a date.
#[derive(Default)]
pub struct Due {
    pub dated: Vec<Item>,
    pub awaiting: Vec<Awaiting>,
}

/// Asks one capability what of engagement `id` the viewer may see is due by `horizon` or waits.
/// Capabilities above engagements (contracts, acceptance, requirements) answer; `app::DUE`
/// lists them and hands the list over with [`register`], so engagements names none of them.
pub type DueSource = for<'a> fn(&'a AppState, &'a Viewer, i64, NaiveDate) -> BoxFuture<'a, AppResult<Due>>;

static SOURCES: OnceLock<&'static [DueSource]> = OnceLock::new();

/// Called once as the application is assembled (again with the same list: ignored).
pub fn register(sources: &'static [DueSource]) {
    let _ = SOURCES.set(sources);
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Dashboard {
    /// Average progress of the tasks the viewer may see, 0–100.
    pub progress: u8,
    pub tasks_total: u64,
    pub tasks_done: u64,
    pub overdue: Vec<Item>,
    pub due_soon: Vec<Item>,
    /// Signatures, reviews and results the engagement waits for, of what the viewer may see.
    pub awaiting: Vec<Awaiting>,
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
    let open_deliverables = deliverable::Entity::find()
        .filter(deliverable::Column::EngagementId.eq(id))
        .filter(viewer.record_scope(deliverable::Column::Visibility, deliverable::Column::VisiblePartyId))
        // Not handed over yet: a submitted deliverable waits for its result (the acceptance's
        // own item), an accepted one is done.
        .filter(deliverable::Column::Status.is_in(["planned", "rejected"]))
        .filter(deliverable::Column::DueDate.lte(horizon))
        .all(&state.db)
        .await?;
    for d in open_deliverables {
        let item = Item {
            kind: "deliverable",
            id: Id(d.id),
            name: d.name,
            due_date: d.due_date,
            url: format!("/engagements/{id}/deliverables/{}", d.id),
        };
        if item.due_date < today { overdue.push(item) } else { due_soon.push(item) }
    }
    let mut awaiting = Vec::new();
    for source in SOURCES.get().copied().unwrap_or_default() {
        let more = source(state, viewer, id, horizon).await?;
        for item in more.dated {
            if item.due_date < today { overdue.push(item) } else { due_soon.push(item) }
        }
        awaiting.extend(more.awaiting);
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
    Ok(Dashboard { progress, tasks_total, tasks_done, overdue, due_soon, awaiting, milestones })
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
