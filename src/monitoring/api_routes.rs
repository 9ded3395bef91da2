//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{Router, routing::get};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/monitoring", get(super::api::board))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(super::api::board))]
pub struct Paths;
