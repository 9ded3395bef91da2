//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/change-requests", get(super::api::list).post(super::api::create))
        .route("/engagements/{id}/change-statistics", get(super::api::statistics))
        .route("/engagements/{id}/change-board", get(super::api::get_board).put(super::api::set_board))
        .route("/change-requests/{id}", get(super::api::get))
        .route("/change-requests/{id}/impact", axum::routing::put(super::api::record_impact))
        .route("/change-requests/{id}/scope-items", post(super::api::add_scope_item))
        .route("/change-requests/{id}/scope-items/{item_id}", axum::routing::delete(super::api::remove_scope_item))
        .route("/change-requests/{id}/decisions", post(super::api::decide))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::create,
    super::api::get,
    super::api::record_impact,
    super::api::add_scope_item,
    super::api::remove_scope_item,
    super::api::decide,
    super::api::statistics,
    super::api::get_board,
    super::api::set_board,
))]
pub struct Paths;
