//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{Router, routing::get};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/issues", get(super::api::list).post(super::api::create))
        .route("/engagements/{id}/sla", get(super::api::get_policy).put(super::api::set_policy))
        .route("/issues/{id}", get(super::api::get).patch(super::api::update))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::create,
    super::api::get,
    super::api::update,
    super::api::get_policy,
    super::api::set_policy,
))]
pub struct Paths;
