//! Acceptance and quality: formal acceptance of deliverables (初验 / 终验) from their criteria
//! as a checklist, signed by each required party with the content hash; rejection → defects →
//! the next round; quality checks; the warranty period final acceptance starts.

pub mod api;
pub mod api_routes;
pub mod defects;
pub mod desk;
pub mod entity;
pub mod pages;
pub mod quality;
pub mod service;
pub mod signing;
pub mod warranty;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/acceptance", get(pages::tab))
        .route("/engagements/{id}/deliverables/{record_id}/acceptances", post(pages::submit))
        .route("/engagements/{id}/acceptances/{record_id}", get(pages::detail))
        .route("/engagements/{id}/acceptances/{record_id}/results", post(pages::results))
        .route("/engagements/{id}/acceptances/{record_id}/signatures", post(pages::sign))
        .route("/engagements/{id}/acceptances/{record_id}/certificate", get(pages::certificate))
        .route("/engagements/{id}/defects", post(pages::add_defect))
        .route("/engagements/{id}/defects/{record_id}/status", post(pages::defect_status))
        .route("/engagements/{id}/quality-checks", post(pages::add_check))
}
