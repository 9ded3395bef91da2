//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};

use crate::AppState;

pub fn routes(upload_limit: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/documents", get(super::api::list).post(super::api::create).layer(upload_limit))
        .route("/documents/{id}", get(super::api::get))
        .route("/documents/{id}/versions", post(super::api::add_version).layer(upload_limit))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(super::api::list, super::api::create, super::api::get, super::api::add_version,))]
pub struct Paths;
