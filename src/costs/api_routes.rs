//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/budget", get(super::api::get_budget).put(super::api::set_budget))
        .route("/engagements/{id}/budget/baseline", post(super::api::baseline))
        .route("/engagements/{id}/expenses", get(super::api::expenses).post(super::api::add_expense))
        .route("/engagements/{id}/evm", get(super::api::evm))
        .route("/engagements/{id}/evm/s-curve.svg", get(super::api::s_curve))
        .route("/expenses/{id}/decision", post(super::api::decide))
        .route("/engagements/{id}/cost-holds", get(super::holds_api::list))
        .route("/cost-holds/{id}/decision", post(super::holds_api::decide))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::get_budget,
    super::api::set_budget,
    super::api::baseline,
    super::api::expenses,
    super::api::add_expense,
    super::api::decide,
    super::holds_api::list,
    super::holds_api::decide,
    super::api::evm,
    super::api::s_curve,
))]
pub struct Paths;
