//! The home page: where each person lands after signing in.

use askama::Template;
use axum::{Router, extract::State, response::Response, routing::get};

use crate::{
    AppState,
    admin::audit::{AuditRow, recent_rows},
    auth::Viewer,
    error::AppResult,
    parties, users,
    web::{PageCtx, render},
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageCtx,
    party_name: String,
    party_kind: String,
    party_count: u64,
    user_count: u64,
    recent: Vec<AuditRow>,
}

pub async fn home(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    let recent = if viewer.is_admin() { recent_rows(&state, &viewer, page.language, 8).await? } else { Vec::new() };
    render(&HomePage {
        party_name: viewer.party.name.clone(),
        party_kind: viewer.kind.as_str().to_owned(),
        party_count: parties::service::count(&state, &viewer).await?,
        user_count: users::service::count(&state, &viewer).await?,
        recent,
        page,
    })
}
