//! The one function that builds the whole router, used by `accord serve` and by the in-process
//! tests alike.

use std::time::Duration;

use axum::{Router, extract::DefaultBodyLimit, http::HeaderName, middleware};
use tower_http::{
    LatencyUnit,
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

use crate::{
    AppState, acceptance, account, admin, api,
    auth::{self, session_store::DbSessionStore},
    changes, collab, contracts, costs, documents, engagements,
    error::AppError,
    home, issues, jobs, monitoring, ops, parties, requirements, risks, users, vendors, warnings, web,
};

/// Every kind of background work, each declared by the capability that does it.
pub const JOBS: &[jobs::Kind] = &[
    crate::mail::SEND_EMAIL,
    auth::session_store::PURGE_SESSIONS,
    collab::notices::PLAN_NOTICES,
    changes::decide::CHANGE_REVISITS,
    requirements::reviews::REVIEW_REMINDERS,
    contracts::obligations::CONTRACT_WATCH,
    vendors::VENDOR_WATCH,
    risks::reviews::RISK_REVIEWS,
    warnings::WARNING_WATCH,
    warnings::EVALUATE,
    issues::escalation::ISSUE_ESCALATION,
];

/// The records of capabilities above collaboration that can be discussed, attached to and
/// notified about.
pub const SUBJECTS: &[(collab::SubjectKind, collab::SubjectLookup)] = &[risks::SUBJECT, issues::SUBJECT];

/// What each capability above engagements adds to an engagement's due and waiting lists.
pub const DUE: &[engagements::dashboard::DueSource] =
    &[contracts::desk::due, acceptance::desk::due, requirements::desk::due];

/// What happens elsewhere when a contract goes into force.
pub const IN_FORCE: &[contracts::signing::InForceHook] = &[costs::holds::on_in_force];

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn app(state: AppState) -> Router {
    engagements::dashboard::register(DUE);
    engagements::watch::register(&warnings::EVALUATE);
    contracts::signing::register(IN_FORCE);
    collab::register(SUBJECTS);
    let sessions =
        SessionManagerLayer::new(DbSessionStore::new(state.db.clone(), state.writer.clone(), state.clock.clone()))
            .with_name(auth::session_cookie(&state.config))
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(state.config.secure_cookies())
            .with_expiry(Expiry::OnInactivity(time::Duration::days(7)));

    Router::new()
        .merge(web::routes())
        .merge(home::routes())
        .merge(account::routes())
        .merge(parties::routes())
        .merge(users::routes())
        .merge(engagements::routes())
        .merge(collab::routes())
        .merge(requirements::routes())
        .merge(changes::routes())
        .merge(risks::routes())
        .merge(costs::routes())
        .merge(warnings::routes())
        .merge(issues::routes())
        .merge(monitoring::routes())
        .merge(contracts::routes())
        .merge(acceptance::routes())
        .merge(vendors::routes(&state))
        .merge(documents::routes(&state))
        .merge(admin::routes())
        .merge(api::routes(&state))
        .merge(ops::routes())
        // A route layer, so the metrics see the matched route pattern.
        .route_layer(middleware::from_fn(ops::mark_route))
        .fallback(|| async { AppError::NotFound })
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), web::errors::frame))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(state.clone(), web::csrf::protect))
        .layer(middleware::from_fn_with_state(state.clone(), web::limits::enforce))
        .layer(middleware::from_fn_with_state(state.clone(), web::errors::render))
        // Outside the error pages: counts what the client gets (a redirect, not the 401 behind it).
        .layer(middleware::from_fn(ops::track_metrics))
        .layer(middleware::from_fn(web::security_headers))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        // Access lines are DEBUG (ACCORD_LOG=info,tower_http=debug shows them): one JSON line
        // per request costs more than the request itself on the hot API paths.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(ops::request_span)
                .on_response(DefaultOnResponse::new().latency_unit(LatencyUnit::Micros)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, ops::RequestIds::new()))
        .layer(CatchPanicLayer::new())
        .with_state(state)
}
