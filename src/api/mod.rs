//! The JSON API under `/api/v1`: assembles the capabilities' handlers into routes and the OpenAPI
//! document generated from them. The extractors and list helpers the handlers use (strict JSON
//! bodies, pages and cursors) live in `web::json`, so no capability imports this module.

mod auth_api;
mod docs;

pub mod responses;

use axum::{
    Router,
    http::header,
    response::IntoResponse,
    routing::{get, post},
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use self::responses::StandardResponses;

use crate::{
    AppState, acceptance, changes, collab, contracts, costs, documents, engagements,
    error::{AppError, Problem, ProblemField},
    home, issues, monitoring, parties, requirements, risks, users, vendors, warnings,
};

pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = axum::extract::DefaultBodyLimit::max(state.config.upload_limit + 64 * 1024);
    let v1 = Router::new()
        .route("/tokens", post(auth_api::create_token))
        .route("/me", get(auth_api::me))
        .route("/users/{id}/tokens", get(auth_api::list_tokens))
        .route("/users/{id}/tokens/{token_id}/revoke", post(auth_api::revoke_token))
        .merge(parties::api_routes::routes())
        .merge(users::api_routes::routes())
        .merge(home::api_routes::routes())
        .merge(engagements::api_routes::routes())
        .merge(collab::api_routes::routes())
        .merge(documents::api_routes::routes(upload_limit))
        .merge(requirements::api_routes::routes())
        .merge(changes::api_routes::routes())
        .merge(risks::api_routes::routes())
        .merge(costs::api_routes::routes())
        .merge(warnings::api_routes::routes())
        .merge(monitoring::api_routes::routes())
        .merge(issues::api_routes::routes())
        .merge(contracts::api_routes::routes())
        .merge(acceptance::api_routes::routes())
        .merge(vendors::api_routes::routes(upload_limit))
        .fallback(|| async { AppError::NotFound });
    Router::new()
        .nest("/api/v1", v1)
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/docs", get(docs::guide))
        .route("/api/docs/ui", get(docs::ui_without_slash))
        .route("/api/docs/ui/", get(docs::ui_index))
        .route("/api/docs/ui/{*file}", get(docs::ui_file))
}

/// The OpenAPI document, built on first request and kept as JSON text. Built at start-up and
/// kept as utoipa's tree it held most of an idle server's heap (18 of 24 MB).
async fn openapi_json() -> axum::response::Response {
    static JSON: std::sync::OnceLock<axum::body::Bytes> = std::sync::OnceLock::new();
    let body = JSON.get_or_init(|| match serde_json::to_vec(&document()) {
        Ok(v) => v.into(),
        Err(e) => {
            tracing::error!(error = %e, "the OpenAPI document does not serialize");
            axum::body::Bytes::new()
        }
    });
    ([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response()
}

/// The whole OpenAPI document: this module's paths and every capability's, with the standard
/// error answers added to each operation.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in [
        parties::api_routes::Paths::openapi(),
        users::api_routes::Paths::openapi(),
        home::api_routes::Paths::openapi(),
        engagements::api_routes::Paths::openapi(),
        collab::api_routes::Paths::openapi(),
        documents::api_routes::Paths::openapi(),
        requirements::api_routes::Paths::openapi(),
        changes::api_routes::Paths::openapi(),
        risks::api_routes::Paths::openapi(),
        costs::api_routes::Paths::openapi(),
        warnings::api_routes::Paths::openapi(),
        issues::api_routes::Paths::openapi(),
        monitoring::api_routes::Paths::openapi(),
        contracts::api_routes::Paths::openapi(),
        acceptance::api_routes::Paths::openapi(),
        vendors::api_routes::Paths::openapi(),
    ] {
        doc.merge(part);
    }
    StandardResponses.modify(&mut doc);
    doc
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Accord API", version = "1", description = "Parties, users and everything that crosses company boundaries. Ids are strings; lists are paginated with `limit` (≤500) and an opaque `cursor`; errors are RFC 9457 problem documents."),
    paths(
        auth_api::create_token,
        auth_api::list_tokens,
        auth_api::revoke_token,
        auth_api::me,
    ),
    components(schemas(Problem, ProblemField)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("acc_…").build()),
        );
    }
}
