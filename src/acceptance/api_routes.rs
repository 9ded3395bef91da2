//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/deliverables/{id}/acceptances", get(super::api::for_deliverable).post(super::api::submit))
        .route("/engagements/{id}/acceptances", get(super::api::list))
        .route("/acceptances/{id}", get(super::api::get))
        .route("/acceptances/{id}/results", post(super::api::results))
        .route("/acceptances/{id}/signatures", post(super::api::sign))
        .route("/engagements/{id}/defects", get(super::api::defects).post(super::api::create_defect))
        .route("/defects/{id}", axum::routing::patch(super::api::update_defect))
        .route("/engagements/{id}/quality-checks", get(super::api::checks).post(super::api::create_check))
        .route("/engagements/{id}/quality", get(super::api::summary))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::submit,
    super::api::for_deliverable,
    super::api::list,
    super::api::get,
    super::api::results,
    super::api::sign,
    super::api::defects,
    super::api::create_defect,
    super::api::update_defect,
    super::api::checks,
    super::api::create_check,
    super::api::summary,
))]
pub struct Paths;
