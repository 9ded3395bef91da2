//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{Router, routing::get};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/risks", get(super::api::list).post(super::api::create))
        .route("/engagements/{id}/risks/heatmap.svg", get(super::api::heatmap))
        .route("/risks", get(super::api::portfolio))
        .route("/risks/heatmap.svg", get(super::api::portfolio_heatmap))
        .route("/risks/{id}", get(super::api::get).patch(super::api::update))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::create,
    super::api::heatmap,
    super::api::portfolio,
    super::api::portfolio_heatmap,
    super::api::get,
    super::api::update,
))]
pub struct Paths;
