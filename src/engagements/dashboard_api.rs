//! `/api/v1/portfolio` and `/api/v1/engagements/{id}/dashboard`: the figures the dashboards show.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    auth::Viewer,
    engagements::{
        api::{EngagementDto, filter_of},
        dashboard::{self, Dashboard, PortfolioSummary},
        service,
    },
    error::{AppResult, Problem},
    web::Path,
    web::json::page_params,
};

#[derive(Serialize, ToSchema)]
pub struct PortfolioRow {
    #[serde(flatten)]
    pub engagement: EngagementDto,
    /// Average progress of the tasks the caller may see.
    pub progress: u8,
    pub next_milestone: Option<String>,
    pub next_milestone_date: Option<NaiveDate>,
    /// Late tasks and milestones the caller may see.
    pub overdue: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Portfolio {
    pub summary: PortfolioSummary,
    pub items: Vec<PortfolioRow>,
    pub next_cursor: Option<String>,
}

/// Every engagement the caller may see with health, progress, next milestone and overdue
/// counts; filters `state`, `kind`, `health`, `q`; `summary` counts across all pages.
#[utoipa::path(get, path = "/api/v1/portfolio", tag = "engagements",
    params(("state" = Option<String>, Query), ("kind" = Option<String>, Query), ("health" = Option<String>, Query),
           ("q" = Option<String>, Query), ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = Portfolio)))]
pub async fn portfolio(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<Portfolio>> {
    let (limit, after) = page_params(&q)?;
    let filter = filter_of(&q);
    let summary = dashboard::portfolio_summary(&state, &viewer, filter.condition()).await?;
    let (rows, next_cursor) = service::list(&state, &viewer, &filter, limit, after).await?;
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let mut figures = service::figures(&state, &viewer, &ids, state.today()).await?;
    let items = rows
        .into_iter()
        .map(|e| {
            let f = figures.remove(&e.id).unwrap_or_default();
            PortfolioRow {
                engagement: e.into(),
                progress: f.progress,
                next_milestone_date: f.next_milestone.as_ref().map(|(_, d)| *d),
                next_milestone: f.next_milestone.map(|(n, _)| n),
                overdue: f.overdue,
            }
        })
        .collect();
    Ok(Json(Portfolio { summary, items, next_cursor }))
}

/// One engagement at a glance, as the caller may see it.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/dashboard", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = Dashboard), (status = 404, body = Problem)))]
pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<Dashboard>> {
    Ok(Json(dashboard::engagement_dashboard(&state, &viewer, id, state.today()).await?))
}
