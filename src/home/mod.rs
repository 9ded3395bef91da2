//! The home page is each person's desk: their engagements with health and next milestone,
//! what waits for them (each capability says what of its own does), their unread
//! notifications; an administrator also sees the organisation's figures and the newest audit
//! events. Search across everything they may see lives here too.

pub mod api;
pub mod api_routes;
pub mod find;

use askama::Template;
use axum::{
    Router,
    extract::{Query, State},
    response::Response,
    routing::get,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use crate::{
    AppState, acceptance,
    admin::audit::{AuditRow, recent_rows},
    auth::Viewer,
    changes, collab,
    collab::pages::{NotificationRow, notification_rows},
    contracts,
    domain::Waiting,
    engagements::{self, entity::engagement, pages::today},
    error::AppResult,
    parties, requirements, search, users,
    web::{PageCtx, render},
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/search", get(search_page))
}

/// How many engagements the desk lists.
const ENGAGEMENTS: u64 = 12;
/// How many unread notifications it shows.
const NOTIFICATIONS: u64 = 6;

pub struct EngagementCard {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub health: String,
    pub progress: u8,
    /// The next planned milestone: name and due date.
    pub next_milestone: Option<(String, String)>,
    pub overdue: u64,
}

pub struct WaitRow {
    pub what: &'static str,
    pub title: String,
    pub context: String,
    pub due: Option<String>,
    pub late: bool,
    pub url: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageCtx,
    party_name: String,
    party_kind: String,
    engagements: Vec<EngagementCard>,
    waiting: Vec<WaitRow>,
    notices: Vec<NotificationRow>,
    /// The organisation's figures, for an administrator: parties and users.
    figures: Option<(u64, u64)>,
    recent: Vec<AuditRow>,
}

/// Everything that waits for the viewer, late first, then by due date; undated last.
pub async fn waiting(state: &AppState, viewer: &Viewer) -> AppResult<Vec<Waiting>> {
    let today = today(state, viewer);
    let mut all = engagements::desk::waiting(state, viewer, today).await?;
    all.extend(requirements::desk::waiting(state, viewer).await?);
    all.extend(changes::decide::waiting(state, viewer).await?);
    all.extend(acceptance::desk::waiting(state, viewer).await?);
    all.extend(contracts::desk::waiting(state, viewer, today).await?);
    all.extend(crate::costs::desk::waiting(state, viewer).await?);
    all.sort_by_key(|w| (w.due.is_none(), w.due));
    Ok(all)
}

pub async fn home(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    let today = today(&state, &viewer);
    // The engagements in flight the viewer takes part in; a host user's own first.
    let mut q = engagement::Entity::find().filter(viewer.engagement_scope()).filter(engagement::Column::State.is_in([
        "initiating",
        "active",
        "accepting",
    ]));
    if viewer.is_host() && !viewer.is_admin() {
        let own = engagements::service::managed_ids(&state, &viewer).await?;
        if !own.is_empty() {
            q = q.filter(engagement::Column::Id.is_in(own));
        }
    }
    let rows = q.order_by_desc(engagement::Column::Id).limit(ENGAGEMENTS).all(&state.db).await?;
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let mut figures = engagements::service::figures(&state, &viewer, &ids, today).await?;
    let engagements = rows
        .into_iter()
        .map(|e| {
            let f = figures.remove(&e.id).unwrap_or_default();
            EngagementCard {
                id: e.id,
                code: e.code,
                name: e.name,
                health: e.health,
                progress: f.progress,
                next_milestone: f.next_milestone.map(|(n, d)| (n, d.to_string())),
                overdue: f.overdue,
            }
        })
        .collect();
    let found = waiting(&state, &viewer).await?;
    let codes = engagements::service::codes(&state, found.iter().filter_map(|w| w.engagement_id)).await?;
    let waiting = found
        .into_iter()
        .map(|w| WaitRow {
            what: w.what,
            context: w.engagement_id.and_then(|id| codes.get(&id).cloned()).unwrap_or(w.context),
            late: w.due.is_some_and(|d| d < today),
            due: w.due.map(|d| d.to_string()),
            title: w.title,
            url: w.url,
        })
        .collect();
    let (unread, _) = collab::notifications::list(&state, &viewer, true, NOTIFICATIONS, None).await?;
    let notices = notification_rows(&state, &viewer, unread).await?;
    let (figures, recent) = if viewer.is_admin() {
        let counts = (parties::service::count(&state, &viewer).await?, users::service::count(&state, &viewer).await?);
        (Some(counts), recent_rows(&state, &viewer, page.language, 8).await?)
    } else {
        (None, Vec::new())
    };
    render(&HomePage {
        party_name: viewer.party.name.clone(),
        party_kind: viewer.kind.as_str().to_owned(),
        engagements,
        waiting,
        notices,
        figures,
        recent,
        page,
    })
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: PageCtx,
    q: String,
    hits: Vec<search::Hit>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search_page(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let hits = find::everything(&state, &viewer, &q.q).await?;
    render(&SearchPage { page, q: q.q.trim().to_owned(), hits })
}
