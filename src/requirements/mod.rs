//! Requirements: items per engagement with stable keys, frozen versions of the shared set,
//! multi-party sign-off (re-authenticated, content-hashed) and comparison of versions.

pub mod api;
pub mod api_routes;
pub mod compare;
pub mod desk;
pub mod entity;
pub mod pages;
pub mod reviews;
pub mod reviews_api;
mod reviews_pages;
pub mod service;
pub mod trace;
mod trace_pages;
pub mod versions;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/requirements", get(pages::list).post(pages::create))
        .route("/engagements/{id}/requirements/{record_id}/edit", get(pages::edit_form).post(pages::update))
        .route("/engagements/{id}/traceability", get(trace_pages::page).post(trace_pages::link))
        .route("/engagements/{id}/requirements/{record_id}/links/{link_id}/delete", post(trace_pages::unlink))
        .route("/engagements/{id}/requirement-versions", post(pages::freeze))
        .route("/requirement-versions/{id}", get(pages::version))
        .route("/requirement-versions/{id}/sign", post(pages::sign))
        .route("/requirement-versions/{id}/compare", get(pages::compare))
        .route("/engagements/{id}/reviews", get(reviews_pages::list).post(reviews_pages::open))
        .route("/engagements/{id}/reviews/{record_id}", get(reviews_pages::detail))
        .route("/engagements/{id}/reviews/{record_id}/comments", post(reviews_pages::comment))
        .route("/engagements/{id}/reviews/{record_id}/votes", post(reviews_pages::vote))
        .route("/engagements/{id}/reviews/{record_id}/close", post(reviews_pages::close))
}
