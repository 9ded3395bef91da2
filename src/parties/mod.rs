//! Parties: the host organisation, its vendors and its clients, with profiles and contacts.

pub mod api;
pub mod api_routes;
pub mod entity;
pub mod pages;
pub mod service;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/parties", get(pages::list).post(pages::create))
        .route("/parties/new", get(pages::new_form))
        .route("/parties/{id}", get(pages::detail).post(pages::update))
        .route("/parties/{id}/edit", get(pages::edit_form))
        .route("/parties/{id}/contacts", post(pages::add_contact))
        .route("/parties/{id}/contacts/{cid}/delete", post(pages::remove_contact))
}
