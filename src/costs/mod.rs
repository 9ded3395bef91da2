//! Cost control (成本控制): the budget by category with its baseline, commitments from payable
//! contracts, actuals from payments and expenses, approval of expenses over budget, and earned
//! value (PV, EV, AC, SPI, CPI, EAC, ETC, VAC, TCPI) with its S-curve, kept day by day
//! (`snapshots`); commitments over budget wait for an approver too (`holds`). The host's only.

pub mod api;
pub mod api_routes;
pub mod desk;
pub mod entity;
pub mod evm;
pub mod holds;
pub mod holds_api;
pub mod pages;
pub mod scurve;
pub mod service;
pub mod snapshots;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/costs", get(pages::show))
        .route("/engagements/{id}/costs/budget", post(pages::set_budget))
        .route("/engagements/{id}/costs/baseline", post(pages::baseline))
        .route("/engagements/{id}/costs/expenses", post(pages::add_expense))
        .route("/engagements/{id}/costs/expenses/{record_id}/decision", post(pages::decide))
        .route("/engagements/{id}/costs/holds/{record_id}/decision", post(pages::decide_hold))
}
