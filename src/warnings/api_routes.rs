//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/warnings", get(super::api::list))
        .route("/engagements/{id}/warnings/evaluate", post(super::api::evaluate))
        .route("/engagements/{id}/warning-rules", get(super::api::get_rules).put(super::api::set_rules))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(super::api::list, super::api::evaluate, super::api::get_rules, super::api::set_rules))]
pub struct Paths;
