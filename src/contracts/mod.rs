//! Contracts between the host and one party: structured clauses drafted from a library,
//! frozen versions reviewed by legal and finance and signed by both sides, amendments,
//! obligations with reminders, periodic reviews, the payment schedule whose installments fall
//! due only when their trigger (a date, an acceptance, a warranty's end) has happened, invoices,
//! payments and the cash flow they add up to.

pub mod api;
pub mod api_routes;
pub mod cashflow;
pub mod clauses;
pub mod desk;
pub mod detail_forms;
pub mod detail_pages;
pub mod dispute_pages;
pub mod disputes;
pub mod disputes_api;
pub mod entity;
pub mod header;
pub mod invoices;
pub mod library;
pub mod lifecycle;
pub mod money_pages;
pub mod obligations;
pub mod pages;
pub mod payments;
pub mod register;
pub mod schedule_api;
pub mod service;
pub mod signing;
pub mod versions;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    use detail_forms as f;
    use detail_pages as d;
    Router::new()
        .route("/contracts", get(pages::list).post(pages::create))
        .route("/contracts.csv", get(pages::export_csv))
        .route("/contracts.xlsx", get(pages::export_xlsx))
        .route("/contracts/new", get(pages::new_form))
        .route("/contracts/clause-library", get(money_pages::library).post(money_pages::add_template))
        .route("/contracts/{id}", get(d::detail).post(pages::update))
        .route("/contracts/{id}/edit", get(pages::edit_form))
        .route("/contracts/{id}/clauses", post(f::add_clause))
        .route("/contracts/{id}/clauses/{clause_id}/delete", post(f::remove_clause))
        .route("/contracts/{id}/transitions", post(f::transition))
        .route("/contracts/{id}/reviews", post(f::review))
        .route("/contracts/{id}/signatures", post(f::sign))
        .route("/contracts/{id}/amendments", post(f::amend))
        .route("/contracts/{id}/amendments/abandon", post(f::abandon_amendment))
        .route("/contracts/{id}/installments", post(f::add_installment))
        .route("/contracts/{id}/installments/{installment_id}/invoices", post(f::add_invoice))
        .route("/contracts/{id}/installments/{installment_id}/payments", post(f::add_payment))
        .route("/contracts/{id}/installments/{installment_id}/override", post(f::override_due))
        .route("/contracts/{id}/installments/{installment_id}/disputes", post(dispute_pages::raise))
        .route("/contracts/{id}/disputes/{dispute_id}/resolve", post(dispute_pages::resolve))
        .route("/contracts/{id}/disputes/{dispute_id}/withdraw", post(dispute_pages::withdraw))
        .route("/contracts/{id}/obligations", post(f::add_obligation))
        .route("/contracts/{id}/obligations/{obligation_id}/status", post(f::obligation_status))
        .route("/contracts/{id}/checkups", post(f::add_checkup))
        .route("/contracts/{id}/versions/{number}", get(money_pages::version))
        .route("/cash-flow", get(money_pages::cash_flow))
        .route("/engagements/{id}/contracts", get(money_pages::engagement_tab))
}
