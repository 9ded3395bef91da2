//! The risk register (风险登记册): risks per engagement (and the portfolio's), each scored
//! probability × impact on a 5 × 5 heat map, owned, answered by a strategy and response tasks,
//! reviewed on a date with a reminder, and assessed again as it moves.

pub mod api;
pub mod api_routes;
pub mod entity;
pub mod heatmap;
pub mod pages;
pub mod service;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risks", get(pages::portfolio))
        .route("/engagements/{id}/risks", get(pages::list).post(pages::create))
        .route("/engagements/{id}/risks/{record_id}", get(pages::detail).post(pages::update))
        .route("/engagements/{id}/risks/{record_id}/comments", post(pages::comment))
}
