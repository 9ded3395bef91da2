//! The signed-in person's own pages: signing in and out, first-run setup, accepting an
//! invitation, the interface language, preferences, password and API tokens. Who the viewer is stays in `auth`.

pub mod pages;

use axum::{
    Router,
    routing::{get, post},
};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang", post(pages::switch_language))
        .route("/setup", get(pages::setup_form).post(pages::setup))
        .route("/invite/{token}", get(pages::invite_form).post(pages::accept_invite))
        .route("/account", get(pages::account))
        .route("/account/preferences", post(pages::save_preferences))
        .route("/account/password", post(pages::change_password))
        .route("/account/tokens", get(pages::tokens).post(pages::create_token))
        .route("/account/tokens/{id}/revoke", post(pages::revoke_token))
        .route("/users/{user_id}/tokens/{id}/revoke", post(pages::revoke_user_token))
}
