//! Portfolio monitoring (项目组合监控): one board of every engagement the viewer may see, with
//! its health and the reasons for it, progress, SPI and CPI (the host's), risks, issues by SLA
//! state and open warnings, and the same counted across the whole portfolio. A vendor or a
//! client gets the same board of what is shared with it.
//!
//! It reads what the capabilities below it keep (engagements, risks, issues, costs' earned-value
//! snapshots, the warnings' table) and writes nothing.

pub mod api;
pub mod api_routes;
pub mod pages;
pub mod service;

use axum::{Router, routing::get};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/monitoring", get(pages::board))
}
