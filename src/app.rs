//! Application state and the one function that builds the whole router, used by `accord serve`
//! and by the in-process tests alike.

use std::{sync::Arc, time::Duration};

use axum::{Router, extract::DefaultBodyLimit, http::HeaderName, middleware};
use sea_orm::DatabaseConnection;
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
    acceptance, api, audit,
    auth::{self, session_store::DbSessionStore},
    changes,
    clock::Clock,
    collab,
    config::Config,
    contracts, documents, engagements,
    error::AppError,
    mail::Mailer,
    ops, parties, requirements, users, vendors,
    web::{self, assets::Assets},
};

/// Everything a request handler or job may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Reads. On SQLite these connections cannot write (see `db::Pools`).
    pub db: DatabaseConnection,
    /// Writes: `db::begin_write(&state.writer)`, and the few single statements that write.
    pub writer: DatabaseConnection,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub mailer: Arc<dyn Mailer>,
    pub assets: Arc<Assets>,
    /// Working days for plans: weekends, China's holidays and 调休 from the shipped data.
    pub calendar: Arc<crate::engagements::calendar::WorkCalendar>,
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// A hash to verify against when the e-mail is unknown, so a failed login takes as long
    /// whether or not the account exists. Computed on first use, not at start-up.
    pub dummy_hash: Arc<tokio::sync::OnceCell<String>>,
    /// Where document bytes live (a local folder or an S3 bucket).
    pub store: Arc<dyn object_store::ObjectStore>,
    /// The CSRF secret, read from (or first written to) the database on first use.
    pub csrf_key: Arc<tokio::sync::OnceCell<[u8; 32]>>,
    /// Request rate limits of this process.
    pub limiter: Arc<web::limits::Limiter>,
    /// Turns for renders that hold megabytes while they run (the Gantt of a large plan): one
    /// per core, so a burst of them queues instead of multiplying the memory.
    pub heavy: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Fails when the document store cannot be opened (a folder that cannot be created, an
    /// incomplete S3 configuration).
    pub fn new(
        pools: crate::db::Pools,
        config: Config,
        clock: Arc<dyn Clock>,
        mailer: Arc<dyn Mailer>,
    ) -> anyhow::Result<Self> {
        let store = crate::documents::store::open(&config.storage)?;
        let limiter = Arc::new(web::limits::Limiter::new(config.rate_limits));
        Ok(Self {
            db: pools.read,
            writer: pools.write,
            config: Arc::new(config),
            clock,
            mailer,
            assets: Arc::new(Assets::load()),
            calendar: Arc::new(crate::engagements::calendar::WorkCalendar::china().unwrap_or_else(|e| {
                tracing::error!(error = %e, "holiday data unreadable; plans count weekends only");
                crate::engagements::calendar::WorkCalendar::weekends()
            })),
            metrics: ops::metrics_handle(),
            dummy_hash: Arc::default(),
            store,
            csrf_key: Arc::default(),
            limiter,
            heavy: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(2),
            )),
        })
    }

    /// Today in the organisation's time zone: the day due dates, health and notices go by.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.now().with_timezone(&self.config.time_zone).date_naive()
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn app(state: AppState) -> Router {
    let sessions =
        SessionManagerLayer::new(DbSessionStore::new(state.db.clone(), state.writer.clone(), state.clock.clone()))
            .with_name(auth::session_cookie(&state.config))
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(state.config.secure_cookies())
            .with_expiry(Expiry::OnInactivity(time::Duration::days(7)));

    Router::new()
        .merge(web::routes())
        .merge(auth::routes())
        .merge(parties::routes())
        .merge(users::routes())
        .merge(engagements::routes())
        .merge(collab::routes())
        .merge(requirements::routes())
        .merge(changes::routes())
        .merge(contracts::routes())
        .merge(acceptance::routes())
        .merge(vendors::routes(&state))
        .merge(documents::routes(&state))
        .merge(audit::pages::routes())
        .merge(api::routes(&state))
        .merge(ops::routes())
        // A route layer, so the metrics see the matched route pattern.
        .route_layer(middleware::from_fn(ops::track_metrics))
        .fallback(|| async { AppError::NotFound })
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(state.clone(), web::csrf::protect))
        .layer(middleware::from_fn_with_state(state.clone(), web::limits::enforce))
        .layer(middleware::from_fn_with_state(state.clone(), web::errors::render))
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
