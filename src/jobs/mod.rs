//! Background work as typed jobs in the database: claimed with a lease (so a crashed worker's
//! job is picked up again), retried with exponential backoff, and scheduled work deduplicated
//! across instances by a unique (schedule, slot) row.

pub mod entity;

use std::{panic::AssertUnwindSafe, time::Duration as StdDuration};

use chrono::{DateTime, Duration, Utc};
use futures_util::{FutureExt, future::BoxFuture};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, TransactionTrait,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};
use serde_json::Value;
use tokio::sync::watch;

use crate::AppState;
use entity::{job, schedule_run};

/// How a kind of job runs: the state, the job's data, and whether this is its last attempt.
pub type Run = for<'a> fn(&'a AppState, &'a Value, bool) -> BoxFuture<'a, anyhow::Result<()>>;

/// A kind of background work. Each capability declares the kinds it does; the composition root
/// (`app::JOBS`) lists them, and the worker runs a stored job by its kind's name. The queue
/// itself knows no capability.
#[derive(Clone, Copy)]
pub struct Kind {
    /// Stored in `jobs.kind`; also the schedule's name when the kind recurs.
    pub name: &'static str,
    pub max_attempts: i32,
    /// Enqueued once per this many seconds (once across all instances), when set.
    pub every_seconds: Option<i64>,
    pub run: Run,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kind").field("name", &self.name).field("every_seconds", &self.every_seconds).finish()
    }
}

pub const LEASE_SECONDS: i64 = 300;

/// Queues a job of `kind` with `data` (a JSON object, or null), to run from `run_at`.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    kind: &Kind,
    data: Value,
    run_at: DateTime<Utc>,
) -> Result<i64, DbErr> {
    // The payload carries its kind too, as rows written before kinds were registered do.
    let mut payload = match data {
        Value::Object(m) => m,
        Value::Null => serde_json::Map::new(),
        other => return Err(DbErr::Custom(format!("job data must be an object, not {other}"))),
    };
    payload.insert("kind".into(), Value::from(kind.name));
    let row = job::ActiveModel {
        kind: Set(kind.name.to_owned()),
        payload: Set(Value::Object(payload).to_string()),
        state: Set("pending".into()),
        run_at: Set(run_at),
        attempts: Set(0),
        max_attempts: Set(kind.max_attempts),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Jobs that may be taken now: due pending ones, and running ones whose lease ran out (their
/// worker died) while attempts remain.
fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::any().add(Condition::all().add(job::Column::State.eq("pending")).add(job::Column::RunAt.lte(now))).add(
        Condition::all()
            .add(job::Column::State.eq("running"))
            .add(job::Column::LockedUntil.lt(now))
            .add(Expr::col(job::Column::Attempts).lt(Expr::col(job::Column::MaxAttempts))),
    )
}

/// Takes one due job with a lease. Safe with many workers on many instances: the row is
/// re-checked by the UPDATE itself, and PostgreSQL skips rows another worker is claiming.
pub async fn claim(db: &impl ConnectionTrait, now: DateTime<Utc>, worker: &str) -> Result<Option<job::Model>, DbErr> {
    let mut pick = Query::select();
    pick.column(job::Column::Id)
        .from(job::Entity)
        .cond_where(claimable(now))
        .order_by(job::Column::RunAt, sea_orm::Order::Asc)
        .order_by(job::Column::Id, sea_orm::Order::Asc)
        .limit(1);
    crate::db::skip_locked(db.get_database_backend(), &mut pick);
    // A job whose worker died on its last attempt is not retried for ever.
    job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value("failed"))
        .col_expr(job::Column::LastError, Expr::value("the worker stopped during the last attempt"))
        .col_expr(job::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::State.eq("running"))
        .filter(job::Column::LockedUntil.lt(now))
        .filter(Expr::col(job::Column::Attempts).gte(Expr::col(job::Column::MaxAttempts)))
        .exec(db)
        .await?;
    let claimed = job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value("running"))
        .col_expr(job::Column::LockedUntil, Expr::value(now + Duration::seconds(LEASE_SECONDS)))
        .col_expr(job::Column::LockedBy, Expr::value(worker))
        .col_expr(job::Column::Attempts, Expr::col(job::Column::Attempts).add(1))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        // `id = (SELECT … LIMIT 1)`, evaluated once: PostgreSQL may run an `IN (SELECT …)`
        // again for each row it scans, each time locking and taking the next due job, and
        // so claim every due job with one statement while only the first is run.
        .filter(Expr::col(job::Column::Id).eq(Expr::SubQuery(None, Box::new(pick.into()))))
        .filter(claimable(now))
        .exec_with_returning(db)
        .await?;
    Ok(claimed.into_iter().next())
}

/// Records the outcome, unless the lease was lost meanwhile (another worker took the job over
/// after this one's lease ran out; its outcome is the one that counts).
pub async fn finish(
    db: &impl ConnectionTrait,
    j: &job::Model,
    now: DateTime<Utc>,
    outcome: Result<(), String>,
) -> Result<(), DbErr> {
    let (state, run_at, error) = match outcome {
        Ok(()) => ("done", j.run_at, None),
        Err(e) if j.attempts >= j.max_attempts => ("failed", j.run_at, Some(e)),
        // 30 s, 1 min, 2 min … capped at an hour.
        Err(e) => ("pending", now + Duration::seconds(Ord::min(30i64 << (j.attempts - 1).clamp(0, 7), 3600)), Some(e)),
    };
    job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(state))
        .col_expr(job::Column::RunAt, Expr::value(run_at))
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(j.id))
        .filter(job::Column::LockedBy.eq(j.locked_by.clone()))
        .filter(job::Column::Attempts.eq(j.attempts))
        .exec(db)
        .await?;
    Ok(())
}

/// Claims and runs one job of the `kinds` given. Returns false when nothing was due.
pub async fn run_once(state: &AppState, kinds: &[Kind], worker: &str) -> anyhow::Result<bool> {
    let Some(row) = claim(&state.writer, state.clock.now(), worker).await? else {
        return Ok(false);
    };
    let outcome = match (kinds.iter().find(|k| k.name == row.kind), serde_json::from_str::<Value>(&row.payload)) {
        (Some(kind), Ok(data)) => {
            (kind.run)(state, &data, row.attempts >= row.max_attempts).await.map_err(|e| format!("{e:#}"))
        }
        (None, _) => Err(format!("no such kind of job: {}", row.kind)),
        (_, Err(e)) => Err(format!("unreadable payload: {e}")),
    };
    if let Err(e) = &outcome {
        tracing::warn!(job = row.id, kind = %row.kind, attempt = row.attempts, error = %e, "job failed");
    }
    finish(&state.writer, &row, state.clock.now(), outcome).await?;
    Ok(true)
}

/// Runs jobs until none is due; returns how many ran.
pub async fn drain(state: &AppState, kinds: &[Kind], worker: &str) -> anyhow::Result<usize> {
    let mut n = 0;
    while run_once(state, kinds, worker).await? {
        n += 1;
    }
    Ok(n)
}

/// Enqueues each recurring kind's job once per slot, however many instances tick.
pub async fn tick_schedules(state: &AppState, kinds: &[Kind]) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let mut queued = 0;
    for s in kinds {
        let Some(period) = s.every_seconds.filter(|p| *p > 0) else { continue };
        let slot = now.timestamp().div_euclid(period);
        let tx = state.writer.begin().await?;
        let inserted = schedule_run::Entity::insert(schedule_run::ActiveModel {
            schedule: Set(s.name.to_owned()),
            slot: Set(slot),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([schedule_run::Column::Schedule, schedule_run::Column::Slot]).do_nothing().to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
        if inserted == 1 {
            enqueue(&tx, now, s, Value::Null, now).await?;
            queued += 1;
        }
        tx.commit().await?;
    }
    Ok(queued)
}

/// The worker of one instance: polls for due jobs and ticks schedules until shutdown.
pub fn spawn_worker(
    state: AppState,
    kinds: &'static [Kind],
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(StdDuration::from_secs(1));
        let mut ticks: u64 = 0;
        loop {
            tokio::select! {
                _ = shutdown.changed() => break,
                _ = interval.tick() => {
                    if ticks.is_multiple_of(30) && let Err(e) = tick_schedules(&state, kinds).await {
                        tracing::warn!(error = %e, "scheduling failed");
                    }
                    ticks += 1;
                    // A panicking job must not take the worker down with it.
                    match AssertUnwindSafe(drain(&state, kinds, &worker)).catch_unwind().await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => tracing::warn!(error = %e, "job worker failed"),
                        Err(_) => tracing::error!("a job panicked; the worker carries on"),
                    }
                }
            }
        }
    })
}
