//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/parties", get(super::api::list).post(super::api::create))
        .route("/parties/{id}", get(super::api::get).patch(super::api::update))
        .route("/parties/{id}/contacts", post(super::api::add_contact))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(super::api::list, super::api::create, super::api::get, super::api::update, super::api::add_contact,))]
pub struct Paths;
