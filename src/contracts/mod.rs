//! Contracts between the host and one party: structured clauses drafted from a library,
//! frozen versions reviewed by legal and finance and signed by both sides, amendments,
//! obligations with reminders, periodic reviews, the payment schedule whose installments fall
//! due only when their trigger (a date, an acceptance, a warranty's end) has happened, invoices,
//! payments and the cash flow they add up to.

pub mod api;
pub mod cashflow;
pub mod clauses;
pub mod detail_pages;
pub mod entity;
pub mod library;
pub mod lifecycle;
pub mod money_pages;
pub mod obligations;
pub mod pages;
pub mod payments;
pub mod service;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    use detail_pages as d;
    Router::new()
        .route("/contracts", get(pages::list).post(pages::create))
        .route("/contracts.csv", get(pages::export_csv))
        .route("/contracts.xlsx", get(pages::export_xlsx))
        .route("/contracts/new", get(pages::new_form))
        .route("/contracts/clause-library", get(money_pages::library).post(money_pages::add_template))
        .route("/contracts/{id}", get(d::detail).post(pages::update))
        .route("/contracts/{id}/edit", get(pages::edit_form))
        .route("/contracts/{id}/clauses", post(d::add_clause))
        .route("/contracts/{id}/clauses/{clause_id}/delete", post(d::remove_clause))
        .route("/contracts/{id}/transitions", post(d::transition))
        .route("/contracts/{id}/reviews", post(d::review))
        .route("/contracts/{id}/signatures", post(d::sign))
        .route("/contracts/{id}/amendments", post(d::amend))
        .route("/contracts/{id}/installments", post(d::add_installment))
        .route("/contracts/{id}/installments/{installment_id}/invoices", post(d::add_invoice))
        .route("/contracts/{id}/installments/{installment_id}/payments", post(d::add_payment))
        .route("/contracts/{id}/installments/{installment_id}/override", post(d::override_due))
        .route("/contracts/{id}/obligations", post(d::add_obligation))
        .route("/contracts/{id}/obligations/{obligation_id}/status", post(d::obligation_status))
        .route("/contracts/{id}/checkups", post(d::add_checkup))
        .route("/contracts/{id}/versions/{number}", get(money_pages::version))
        .route("/cash-flow", get(money_pages::cash_flow))
        .route("/engagements/{id}/contracts", get(money_pages::engagement_tab))
}
