//! Operations: liveness and readiness probes, Prometheus metrics, request spans with ids.

use std::{
    sync::{Arc, OnceLock},
    time::Instant,
};

use axum::{
    Json, Router,
    extract::{MatchedPath, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use serde_json::json;

use crate::{AppState, db};

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics_text))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    let db_ok = db::ping(&state.db).await.is_ok();
    let migrations_ok = db_ok && db::migrations_current(&state.writer).await.unwrap_or(false);
    let status = if db_ok && migrations_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(json!({"database": db_ok, "migrations_current": migrations_ok}))).into_response()
}

/// The metrics facade is process-wide by design; the recorder is installed once and its
/// handle is shared by every `AppState` of the process (tests build many).
pub fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".into()),
                    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0],
                )
                .ok()?
                .install_recorder()
                .ok()
        })
        .clone()
}

/// `/metrics` alone, for the operator's own listener (`--metrics-listen`): no token needed.
pub fn metrics_only(state: AppState) -> Router {
    Router::new().route("/metrics", get(render_metrics)).with_state(state)
}

/// `/metrics` on the public port: not there at all unless a `metrics_token` is configured,
/// and then only for a request that carries it.
async fn metrics_text(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(expected) = &state.config.metrics_token else {
        return crate::error::AppError::NotFound.into_response();
    };
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(crate::auth::bearer_of);
    if !given.is_some_and(|g| crate::auth::constant_time_eq(g.as_bytes(), expected.as_bytes())) {
        // A scraper, not a person: a plain 401, not the sign-in page.
        let challenge = [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))];
        return (StatusCode::UNAUTHORIZED, challenge, "metrics need the metrics token\n").into_response();
    }
    render_metrics(State(state)).await
}

async fn render_metrics(State(state): State<AppState>) -> Response {
    let Some(handle) = &state.metrics else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let (size, idle) = db::pool_sizes(&state.db);
    metrics::gauge!("db_pool_connections").set(size as f64);
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    handle.run_upkeep();
    let mut res = handle.render().into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    res
}

/// The route a request matched: [`mark_route`] fills it in inside the router, [`track_metrics`]
/// reads it outside the error pages, which turn an error into what the client really gets (a
/// redirect to the sign-in page, an error page).
#[derive(Clone, Default)]
struct RouteSlot(Arc<OnceLock<MatchedPath>>);

/// A route layer: notes the matched route pattern for [`track_metrics`].
pub async fn mark_route(req: Request, next: Next) -> Response {
    if let (Some(slot), Some(path)) = (req.extensions().get::<RouteSlot>(), req.extensions().get::<MatchedPath>()) {
        let _ = slot.0.set(path.clone());
    }
    next.run(req).await
}

/// Counts requests and records latency per route (the route pattern, not the raw path), with
/// the status the client receives: a signed-out page request counts as the 303 it gets.
pub async fn track_metrics(mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let slot = RouteSlot::default();
    req.extensions_mut().insert(slot.clone());
    let method = req.method().to_string();
    let res = next.run(req).await;
    let route = slot.0.get().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".to_owned());
    let status = res.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels[..2]).record(start.elapsed().as_secs_f64());
    res
}

/// Request ids: a random per-process prefix and a counter. Unique across instances without a
/// random draw per request.
#[derive(Clone)]
pub struct RequestIds {
    prefix: std::sync::Arc<str>,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    pub fn new() -> Self {
        let prefix: [u8; 6] = rand::random();
        Self { prefix: hex::encode(prefix).into(), next: std::sync::Arc::default() }
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        Self::new()
    }
}

impl tower_http::request_id::MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<tower_http::request_id::RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:x}", self.prefix)).ok().map(tower_http::request_id::RequestId::new)
    }
}

/// The tracing span of a request, carrying its request id.
pub fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
    let path = req.uri().path();
    // Invitation links carry their secret in the path.
    let path = if path.contains(crate::auth::tokens::TOKEN_PREFIX) {
        crate::auth::tokens::redact(path).into()
    } else {
        std::borrow::Cow::Borrowed(path)
    };
    tracing::info_span!("request", method = %req.method(), path = %path, request_id = %id)
}
