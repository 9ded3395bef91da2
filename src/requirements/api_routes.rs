//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/requirements", get(super::api::list).post(super::api::create))
        .route("/engagements/{id}/requirements/{req_id}", get(super::api::get).patch(super::api::update))
        .route("/engagements/{id}/requirement-versions", get(super::api::list_versions).post(super::api::freeze))
        .route("/requirement-versions/{id}", get(super::api::get_version))
        .route("/requirement-versions/{id}/compare", get(super::api::compare_versions))
        .route("/requirement-versions/{id}/signatures", post(super::api::sign))
        .route("/engagements/{id}/traceability", get(super::api::traceability))
        .route("/engagements/{id}/requirements/{req_id}/links", post(super::api::link))
        .route("/engagements/{id}/requirements/{req_id}/links/{link_id}", axum::routing::delete(super::api::unlink))
        .route("/engagements/{id}/review-rounds", get(super::reviews_api::list).post(super::reviews_api::open))
        .route("/review-rounds/{id}", get(super::reviews_api::get))
        .route("/review-rounds/{id}/comments", post(super::reviews_api::comment))
        .route("/review-rounds/{id}/votes", post(super::reviews_api::vote))
        .route("/review-rounds/{id}/close", post(super::reviews_api::close))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::create,
    super::api::get,
    super::api::update,
    super::api::list_versions,
    super::api::freeze,
    super::api::get_version,
    super::api::compare_versions,
    super::api::sign,
    super::api::traceability,
    super::api::link,
    super::api::unlink,
    super::reviews_api::list,
    super::reviews_api::open,
    super::reviews_api::get,
    super::reviews_api::comment,
    super::reviews_api::vote,
    super::reviews_api::close,
))]
pub struct Paths;
