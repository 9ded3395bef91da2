//! `GET /api/v1/search`.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
};

use crate::{AppState, auth::Viewer, error::AppResult, search, web::json::List};

/// Engagements, milestones, deliverables, tasks, comments and document names matching `q`
/// (any length, Chinese included), newest first, limited to what the caller may see.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(("q" = Option<String>, Query, description = "The words to look for; none find nothing")),
    responses((status = 200, body = List<search::Hit>)))]
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<search::Hit>>> {
    let hits = search::search(&state, &viewer, q.get("q").map(String::as_str).unwrap_or("")).await?;
    Ok(Json(List { items: hits, next_cursor: None }))
}
