//! `GET /api/v1/search`.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
};

use crate::{AppState, auth::Viewer, error::AppResult, search, web::json::List};

/// Engagement records (engagements, milestones, deliverables, tasks, requirements, changes,
/// reviews, acceptances, comments, document names) matching `q` (any length, Chinese included),
/// newest first, then contracts (number, title, counterparty) and vendors (name, legal name,
/// credit code); limited to what the caller may see.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(("q" = Option<String>, Query, description = "The words to look for; none find nothing")),
    responses((status = 200, body = List<search::Hit>)))]
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<search::Hit>>> {
    let hits = super::find::everything(&state, &viewer, q.get("q").map(String::as_str).unwrap_or("")).await?;
    Ok(Json(List { items: hits, next_cursor: None }))
}
