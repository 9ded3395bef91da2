//! This capability's part of the JSON API under `/api/v1`: its routes and their OpenAPI
//! paths. `api` mounts them and assembles the document.

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contracts", get(super::api::list).post(super::api::create))
        .route("/contracts/{id}", get(super::api::get).patch(super::api::update))
        .route("/contracts/{id}/clauses", post(super::api::add_clause))
        .route("/contracts/{id}/clauses/{clause_id}", axum::routing::delete(super::api::remove_clause))
        .route("/contracts/{id}/transitions", post(super::api::transition))
        .route("/contracts/{id}/reviews", post(super::api::review))
        .route("/contracts/{id}/signatures", post(super::api::sign))
        .route("/contracts/{id}/amendments", post(super::api::amend).delete(super::api::abandon_amendment))
        .route("/contracts/{id}/versions", get(super::api::versions))
        .route("/contracts/{id}/versions/{number}", get(super::api::version))
        .route(
            "/contracts/{id}/installments",
            get(super::schedule_api::installments).post(super::schedule_api::add_installment),
        )
        .route("/installments/{id}/override", post(super::schedule_api::override_due))
        .route("/installments/{id}/invoices", post(super::schedule_api::add_invoice))
        .route("/installments/{id}/payments", post(super::schedule_api::add_payment))
        .route("/installments/{id}/disputes", post(super::disputes_api::raise))
        .route("/contracts/{id}/disputes", get(super::disputes_api::list))
        .route("/disputes/{id}/resolve", post(super::disputes_api::resolve))
        .route("/disputes/{id}/withdraw", post(super::disputes_api::withdraw))
        .route("/payments", get(super::schedule_api::list_payments))
        .route(
            "/contracts/{id}/obligations",
            get(super::schedule_api::obligations_list).post(super::schedule_api::add_obligation),
        )
        .route("/obligations/{id}", axum::routing::patch(super::schedule_api::update_obligation))
        .route("/contracts/{id}/checkups", post(super::schedule_api::add_checkup))
        .route("/clause-templates", get(super::schedule_api::templates).post(super::schedule_api::add_template))
        .route("/cash-flow", get(super::schedule_api::cash_flow))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::create,
    super::api::get,
    super::api::update,
    super::api::add_clause,
    super::api::remove_clause,
    super::api::transition,
    super::api::review,
    super::api::sign,
    super::api::amend,
    super::api::abandon_amendment,
    super::api::versions,
    super::api::version,
    super::schedule_api::installments,
    super::schedule_api::add_installment,
    super::schedule_api::override_due,
    super::schedule_api::add_invoice,
    super::schedule_api::add_payment,
    super::schedule_api::list_payments,
    super::disputes_api::list,
    super::disputes_api::raise,
    super::disputes_api::resolve,
    super::disputes_api::withdraw,
    super::schedule_api::obligations_list,
    super::schedule_api::add_obligation,
    super::schedule_api::update_obligation,
    super::schedule_api::add_checkup,
    super::schedule_api::templates,
    super::schedule_api::add_template,
    super::schedule_api::cash_flow,
))]
pub struct Paths;
