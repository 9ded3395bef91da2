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
        .route("/vendors", get(super::api::list).post(super::api::create))
        .route("/vendors/{id}", get(super::api::get).patch(super::api::update))
        .route("/vendors/{id}/certificates", post(super::api::add_certificate).layer(upload_limit))
        .route("/vendors/{id}/scorecard", get(super::api::scorecard))
        .route("/vendors/{id}/scorecard/publish", post(super::api::publish))
        .route("/vendors/{id}/evaluations", post(super::api::evaluate))
        .route("/vendor-ranking", get(super::api::vendor_ranking))
        .route("/scorecard-settings", get(super::api::settings).put(super::api::save_settings))
        .route("/evaluation-templates", get(super::api::list_templates).post(super::api::add_template))
        .route("/selections", get(super::selection_api::list).post(super::selection_api::create))
        .route("/selections/{id}", get(super::selection_api::get))
        .route("/selections/{id}/invitations", post(super::selection_api::invite))
        .route("/selections/{id}/evaluators", post(super::selection_api::add_evaluator))
        .route("/selections/{id}/bids", post(super::selection_api::bid))
        .route("/selections/{id}/bids/files", post(super::selection_api::bid_file).layer(upload_limit))
        .route("/selections/{id}/scores", post(super::selection_api::score))
        .route("/selections/{id}/close", post(super::selection_api::close))
        .route("/selections/{id}/ranking", get(super::selection_api::ranking))
        .route("/selections/{id}/award", post(super::selection_api::award))
        .route("/selections/{id}/cancel", post(super::selection_api::cancel))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::create,
    super::api::get,
    super::api::update,
    super::api::add_certificate,
    super::api::scorecard,
    super::api::publish,
    super::api::evaluate,
    super::api::vendor_ranking,
    super::api::settings,
    super::api::save_settings,
    super::api::list_templates,
    super::api::add_template,
    super::selection_api::list,
    super::selection_api::create,
    super::selection_api::get,
    super::selection_api::invite,
    super::selection_api::add_evaluator,
    super::selection_api::bid,
    super::selection_api::bid_file,
    super::selection_api::score,
    super::selection_api::close,
    super::selection_api::ranking,
    super::selection_api::award,
    super::selection_api::cancel,
))]
pub struct Paths;
