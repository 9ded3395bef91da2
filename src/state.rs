//! The application state every handler and job receives: the database handles and the
//! process-wide services. A leaf of the module graph: it names no capability's routes.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    clock::Clock,
    config::Config,
    mail::Mailer,
    ops,
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
