//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/comments", get(super::api::comments).post(super::api::create_comment))
        .route("/engagements/{id}/activity", get(super::api::activity))
        .route("/notifications", get(super::api::list))
        .route("/notifications/read-all", post(super::api::read_all))
        .route("/notifications/{id}/read", post(super::api::mark_read))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::comments,
    super::api::create_comment,
    super::api::activity,
    super::api::list,
    super::api::read_all,
    super::api::mark_read,
))]
pub struct Paths;
