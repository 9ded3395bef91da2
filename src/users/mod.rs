//! Users: accounts of every party, invitations, API tokens' owners, first-run setup.

pub mod api;
pub mod api_routes;
pub mod entity;
pub mod invitations;
pub mod pages;
pub mod service;
pub mod setup;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(pages::list).post(pages::create))
        .route("/users/new", get(pages::new_form))
        .route("/users/{id}", get(pages::detail).post(pages::update))
        .route("/users/{id}/deactivate", post(pages::deactivate))
        .route("/users/{id}/reactivate", post(pages::reactivate))
        .route("/users/{id}/resend-invite", post(pages::resend_invite))
}
