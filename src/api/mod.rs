//! The JSON API under `/api/v1`: assembles the capabilities' handlers into routes and the OpenAPI
//! document generated from them. The extractors and list helpers the handlers use (strict JSON
//! bodies, pages and cursors) live in `web::json`, so no capability imports this module.

mod auth_api;

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
use utoipa_swagger_ui::SwaggerUi;

use self::responses::StandardResponses;

use crate::{
    AppState, acceptance, changes, collab, contracts, documents, engagements,
    error::{AppError, Problem, ProblemField},
    parties, requirements, search, users, vendors,
};

pub fn routes(state: &AppState) -> Router<AppState> {
    let upload_limit = axum::extract::DefaultBodyLimit::max(state.config.upload_limit + 64 * 1024);
    let v1 = Router::new()
        .route("/tokens", post(auth_api::create_token))
        .route("/me", get(auth_api::me))
        .route("/parties", get(parties::api::list).post(parties::api::create))
        .route("/parties/{id}", get(parties::api::get).patch(parties::api::update))
        .route("/parties/{id}/contacts", post(parties::api::add_contact))
        .route("/users", get(users::api::list).post(users::api::create))
        .route("/users/{id}", get(users::api::get).patch(users::api::update))
        .route("/users/{id}/tokens", get(auth_api::list_tokens))
        .route("/users/{id}/tokens/{token_id}/revoke", post(auth_api::revoke_token))
        .route("/search", get(search::api::search))
        .route("/engagements/{id}/calendar", get(engagements::api::calendar).post(engagements::api::set_calendar_day))
        .route("/engagements/{id}/calendar/{date}", axum::routing::delete(engagements::api::remove_calendar_day))
        .route("/engagements/{id}/members", get(engagements::api::members).post(engagements::api::add_member))
        .route("/engagements", get(engagements::api::list).post(engagements::api::create))
        .route("/engagements/{id}", get(engagements::api::get).patch(engagements::api::update))
        .route(
            "/engagements/{id}/participants",
            get(engagements::api::participants).post(engagements::api::add_participant),
        )
        .route(
            "/engagements/{id}/milestones",
            get(engagements::api::milestones).post(engagements::api::create_milestone),
        )
        .route("/engagements/{id}/tasks", get(engagements::api::tasks).post(engagements::api::create_task))
        .route(
            "/engagements/{id}/tasks/{task_id}",
            get(engagements::api::get_task).patch(engagements::api::update_task),
        )
        .route(
            "/engagements/{id}/dependencies",
            get(engagements::api::dependencies).post(engagements::api::add_dependency),
        )
        .route("/engagements/{id}/schedule", post(engagements::api::reschedule))
        .route("/engagements/{id}/baselines", get(engagements::api::baselines).post(engagements::api::save_baseline))
        .route("/engagements/{id}/baselines/{baseline_id}", get(engagements::api::compare_baseline))
        .route(
            "/engagements/{id}/deliverables",
            get(engagements::api::deliverables).post(engagements::api::create_deliverable),
        )
        .route("/engagements/{id}/deliverables/{deliverable_id}", get(engagements::api::get_deliverable))
        .route(
            "/engagements/{id}/milestones/{milestone_id}",
            get(engagements::api::get_milestone).patch(engagements::api::update_milestone),
        )
        .route("/engagements/{id}/dashboard", get(engagements::dashboard_api::dashboard))
        .route("/portfolio", get(engagements::dashboard_api::portfolio))
        .route("/engagements/{id}/comments", get(collab::api::comments).post(collab::api::create_comment))
        .route("/engagements/{id}/activity", get(collab::api::activity))
        .route("/notifications", get(collab::api::list))
        .route("/notifications/read-all", post(collab::api::read_all))
        .route("/notifications/{id}/read", post(collab::api::mark_read))
        .route(
            "/engagements/{id}/documents",
            get(documents::api::list).post(documents::api::create).layer(upload_limit),
        )
        .route("/documents/{id}", get(documents::api::get))
        .route("/documents/{id}/versions", post(documents::api::add_version).layer(upload_limit))
        .route("/engagements/{id}/requirements", get(requirements::api::list).post(requirements::api::create))
        .route("/engagements/{id}/requirements/{req_id}", get(requirements::api::get).patch(requirements::api::update))
        .route(
            "/engagements/{id}/requirement-versions",
            get(requirements::api::list_versions).post(requirements::api::freeze),
        )
        .route("/requirement-versions/{id}", get(requirements::api::get_version))
        .route("/requirement-versions/{id}/compare", get(requirements::api::compare_versions))
        .route("/requirement-versions/{id}/signatures", post(requirements::api::sign))
        .route("/engagements/{id}/traceability", get(requirements::api::traceability))
        .route("/engagements/{id}/requirements/{req_id}/links", post(requirements::api::link))
        .route(
            "/engagements/{id}/requirements/{req_id}/links/{link_id}",
            axum::routing::delete(requirements::api::unlink),
        )
        .route(
            "/engagements/{id}/review-rounds",
            get(requirements::reviews_api::list).post(requirements::reviews_api::open),
        )
        .route("/review-rounds/{id}", get(requirements::reviews_api::get))
        .route("/review-rounds/{id}/comments", post(requirements::reviews_api::comment))
        .route("/review-rounds/{id}/votes", post(requirements::reviews_api::vote))
        .route("/review-rounds/{id}/close", post(requirements::reviews_api::close))
        .route("/engagements/{id}/change-requests", get(changes::api::list).post(changes::api::create))
        .route("/engagements/{id}/change-statistics", get(changes::api::statistics))
        .route("/engagements/{id}/change-board", get(changes::api::get_board).put(changes::api::set_board))
        .route("/change-requests/{id}", get(changes::api::get))
        .route("/change-requests/{id}/impact", axum::routing::put(changes::api::record_impact))
        .route("/change-requests/{id}/scope-items", post(changes::api::add_scope_item))
        .route("/change-requests/{id}/scope-items/{item_id}", axum::routing::delete(changes::api::remove_scope_item))
        .route("/change-requests/{id}/decisions", post(changes::api::decide))
        .route("/contracts", get(contracts::api::list).post(contracts::api::create))
        .route("/contracts/{id}", get(contracts::api::get).patch(contracts::api::update))
        .route("/contracts/{id}/clauses", post(contracts::api::add_clause))
        .route("/contracts/{id}/clauses/{clause_id}", axum::routing::delete(contracts::api::remove_clause))
        .route("/contracts/{id}/transitions", post(contracts::api::transition))
        .route("/contracts/{id}/reviews", post(contracts::api::review))
        .route("/contracts/{id}/signatures", post(contracts::api::sign))
        .route("/contracts/{id}/amendments", post(contracts::api::amend).delete(contracts::api::abandon_amendment))
        .route("/contracts/{id}/versions", get(contracts::api::versions))
        .route("/contracts/{id}/versions/{number}", get(contracts::api::version))
        .route(
            "/contracts/{id}/installments",
            get(contracts::schedule_api::installments).post(contracts::schedule_api::add_installment),
        )
        .route("/installments/{id}/override", post(contracts::schedule_api::override_due))
        .route("/installments/{id}/invoices", post(contracts::schedule_api::add_invoice))
        .route("/installments/{id}/payments", post(contracts::schedule_api::add_payment))
        .route("/installments/{id}/disputes", post(contracts::disputes_api::raise))
        .route("/contracts/{id}/disputes", get(contracts::disputes_api::list))
        .route("/disputes/{id}/resolve", post(contracts::disputes_api::resolve))
        .route("/disputes/{id}/withdraw", post(contracts::disputes_api::withdraw))
        .route("/payments", get(contracts::schedule_api::list_payments))
        .route(
            "/contracts/{id}/obligations",
            get(contracts::schedule_api::obligations_list).post(contracts::schedule_api::add_obligation),
        )
        .route("/obligations/{id}", axum::routing::patch(contracts::schedule_api::update_obligation))
        .route("/contracts/{id}/checkups", post(contracts::schedule_api::add_checkup))
        .route("/clause-templates", get(contracts::schedule_api::templates).post(contracts::schedule_api::add_template))
        .route("/cash-flow", get(contracts::schedule_api::cash_flow))
        .route("/deliverables/{id}/acceptances", get(acceptance::api::for_deliverable).post(acceptance::api::submit))
        .route("/engagements/{id}/acceptances", get(acceptance::api::list))
        .route("/acceptances/{id}", get(acceptance::api::get))
        .route("/acceptances/{id}/results", post(acceptance::api::results))
        .route("/acceptances/{id}/signatures", post(acceptance::api::sign))
        .route("/engagements/{id}/defects", get(acceptance::api::defects).post(acceptance::api::create_defect))
        .route("/defects/{id}", axum::routing::patch(acceptance::api::update_defect))
        .route("/engagements/{id}/quality-checks", get(acceptance::api::checks).post(acceptance::api::create_check))
        .route("/engagements/{id}/quality", get(acceptance::api::summary))
        .route("/vendors", get(vendors::api::list).post(vendors::api::create))
        .route("/vendors/{id}", get(vendors::api::get).patch(vendors::api::update))
        .route("/vendors/{id}/certificates", post(vendors::api::add_certificate).layer(upload_limit))
        .route("/vendors/{id}/scorecard", get(vendors::api::scorecard))
        .route("/vendors/{id}/scorecard/publish", post(vendors::api::publish))
        .route("/vendors/{id}/evaluations", post(vendors::api::evaluate))
        .route("/vendor-ranking", get(vendors::api::vendor_ranking))
        .route("/scorecard-settings", get(vendors::api::settings).put(vendors::api::save_settings))
        .route("/evaluation-templates", get(vendors::api::list_templates).post(vendors::api::add_template))
        .route("/selections", get(vendors::selection_api::list).post(vendors::selection_api::create))
        .route("/selections/{id}", get(vendors::selection_api::get))
        .route("/selections/{id}/invitations", post(vendors::selection_api::invite))
        .route("/selections/{id}/evaluators", post(vendors::selection_api::add_evaluator))
        .route("/selections/{id}/bids", post(vendors::selection_api::bid))
        .route("/selections/{id}/bids/files", post(vendors::selection_api::bid_file).layer(upload_limit))
        .route("/selections/{id}/scores", post(vendors::selection_api::score))
        .route("/selections/{id}/close", post(vendors::selection_api::close))
        .route("/selections/{id}/ranking", get(vendors::selection_api::ranking))
        .route("/selections/{id}/award", post(vendors::selection_api::award))
        .route("/selections/{id}/cancel", post(vendors::selection_api::cancel))
        .fallback(|| async { AppError::NotFound });
    Router::new()
        .nest("/api/v1", v1)
        .route("/api/openapi.json", get(openapi_json))
        .merge(SwaggerUi::new("/api/docs").config(utoipa_swagger_ui::Config::from("/api/openapi.json")))
}

/// The OpenAPI document, built on first request and kept as JSON text. Built at start-up and
/// kept as utoipa's tree it held most of an idle server's heap (18 of 24 MB).
async fn openapi_json() -> axum::response::Response {
    static JSON: std::sync::OnceLock<axum::body::Bytes> = std::sync::OnceLock::new();
    let body = JSON.get_or_init(|| match serde_json::to_vec(&ApiDoc::openapi()) {
        Ok(v) => v.into(),
        Err(e) => {
            tracing::error!(error = %e, "the OpenAPI document does not serialize");
            axum::body::Bytes::new()
        }
    });
    ([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response()
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Accord API", version = "1", description = "Parties, users and everything that crosses company boundaries. Ids are strings; lists are paginated with `limit` (≤500) and an opaque `cursor`; errors are RFC 9457 problem documents."),
    paths(
        auth_api::create_token,
        auth_api::list_tokens,
        auth_api::revoke_token,
        auth_api::me,
        parties::api::list,
        parties::api::create,
        parties::api::get,
        parties::api::update,
        parties::api::add_contact,
        users::api::list,
        users::api::create,
        users::api::get,
        users::api::update,
        engagements::api::list,
        engagements::api::create,
        engagements::api::get,
        engagements::api::update,
        engagements::api::participants,
        engagements::api::add_participant,
        engagements::api::milestones,
        engagements::api::create_milestone,
        engagements::api::tasks,
        engagements::api::create_task,
        engagements::api::get_task,
        engagements::api::update_task,
        engagements::api::dependencies,
        engagements::api::add_dependency,
        engagements::api::reschedule,
        engagements::api::baselines,
        engagements::api::save_baseline,
        engagements::api::compare_baseline,
        engagements::api::deliverables,
        engagements::api::create_deliverable,
        engagements::api::get_deliverable,
        search::api::search,
        engagements::api::members,
        engagements::api::add_member,
        engagements::api::calendar,
        engagements::api::set_calendar_day,
        engagements::api::remove_calendar_day,
        engagements::api::get_milestone,
        engagements::api::update_milestone,
        engagements::dashboard_api::dashboard,
        engagements::dashboard_api::portfolio,
        collab::api::comments,
        collab::api::create_comment,
        collab::api::activity,
        collab::api::list,
        collab::api::read_all,
        collab::api::mark_read,
        documents::api::list,
        documents::api::create,
        documents::api::get,
        documents::api::add_version,
        requirements::api::list,
        requirements::api::create,
        requirements::api::get,
        requirements::api::update,
        requirements::api::list_versions,
        requirements::api::freeze,
        requirements::api::get_version,
        requirements::api::compare_versions,
        requirements::api::sign,
        requirements::api::traceability,
        requirements::api::link,
        requirements::api::unlink,
        requirements::reviews_api::list,
        requirements::reviews_api::open,
        requirements::reviews_api::get,
        requirements::reviews_api::comment,
        requirements::reviews_api::vote,
        requirements::reviews_api::close,
        changes::api::list,
        changes::api::create,
        changes::api::get,
        changes::api::record_impact,
        changes::api::add_scope_item,
        changes::api::remove_scope_item,
        changes::api::decide,
        changes::api::statistics,
        changes::api::get_board,
        changes::api::set_board,
        contracts::api::list,
        contracts::api::create,
        contracts::api::get,
        contracts::api::update,
        contracts::api::add_clause,
        contracts::api::remove_clause,
        contracts::api::transition,
        contracts::api::review,
        contracts::api::sign,
        contracts::api::amend,
        contracts::api::abandon_amendment,
        contracts::api::versions,
        contracts::api::version,
        contracts::schedule_api::installments,
        contracts::schedule_api::add_installment,
        contracts::schedule_api::override_due,
        contracts::schedule_api::add_invoice,
        contracts::schedule_api::add_payment,
        contracts::schedule_api::list_payments,
        contracts::disputes_api::list,
        contracts::disputes_api::raise,
        contracts::disputes_api::resolve,
        contracts::disputes_api::withdraw,
        contracts::schedule_api::obligations_list,
        contracts::schedule_api::add_obligation,
        contracts::schedule_api::update_obligation,
        contracts::schedule_api::add_checkup,
        contracts::schedule_api::templates,
        contracts::schedule_api::add_template,
        contracts::schedule_api::cash_flow,
        acceptance::api::submit,
        acceptance::api::for_deliverable,
        acceptance::api::list,
        acceptance::api::get,
        acceptance::api::results,
        acceptance::api::sign,
        acceptance::api::defects,
        acceptance::api::create_defect,
        acceptance::api::update_defect,
        acceptance::api::checks,
        acceptance::api::create_check,
        acceptance::api::summary,
        vendors::api::list,
        vendors::api::create,
        vendors::api::get,
        vendors::api::update,
        vendors::api::add_certificate,
        vendors::api::scorecard,
        vendors::api::publish,
        vendors::api::evaluate,
        vendors::api::vendor_ranking,
        vendors::api::settings,
        vendors::api::save_settings,
        vendors::api::list_templates,
        vendors::api::add_template,
        vendors::selection_api::list,
        vendors::selection_api::create,
        vendors::selection_api::get,
        vendors::selection_api::invite,
        vendors::selection_api::add_evaluator,
        vendors::selection_api::bid,
        vendors::selection_api::bid_file,
        vendors::selection_api::score,
        vendors::selection_api::close,
        vendors::selection_api::ranking,
        vendors::selection_api::award,
        vendors::selection_api::cancel,
    ),
    components(schemas(Problem, ProblemField)),
    modifiers(&BearerAuth, &StandardResponses),
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
