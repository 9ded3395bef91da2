//! Change control: change requests raised by anyone in an engagement, their impact re-planned
//! on a what-if copy of the plan, routed by size to the PM or the change control board, and
//! applied atomically on approval (new requirement version, plan moves, a baseline naming the
//! change, the contract hook).

pub mod api;
pub mod api_routes;
pub mod board;
pub mod decide;
pub mod entity;
pub mod impact;
pub mod pages;
pub mod service;
pub mod stats;
pub mod whatif;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/changes", get(pages::list).post(pages::create))
        .route("/engagements/{id}/change-board", post(pages::set_board))
        .route("/engagements/{id}/changes/{record_id}", get(pages::detail))
        .route("/engagements/{id}/changes/{record_id}/impact", post(pages::record_impact))
        .route("/engagements/{id}/changes/{record_id}/scope-items", post(pages::add_scope_item))
        .route("/engagements/{id}/changes/{record_id}/scope-items/{item_id}/delete", post(pages::remove_scope_item))
        .route("/engagements/{id}/changes/{record_id}/decisions", post(pages::decide))
}
