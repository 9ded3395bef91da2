//! Background work as typed jobs in the database: claimed with a lease (so a crashed worker's
//! job is picked up again), retried with exponential backoff, and scheduled work deduplicated
//! across instances by a unique (schedule, slot) row.

pub mod entity;

use std::{panic::AssertUnwindSafe, time::Duration as StdDuration};

use chrono::{DateTime, Duration, Utc};
use futures_util::FutureExt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, Set,
    TransactionTrait,
    sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Query},
};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::{AppState, auth::session_store, mail};
use entity::{job, schedule_run};

/// Every kind of background work, with its payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    SendEmail {
        outbox_id: i64,
    },
    PurgeSessions,
    /// Due-soon and overdue notices, and derived engagement health.
    PlanNotices,
    /// Deferred change requests whose date has come go back to pending.
    ChangeRevisits,
    /// Reminders to reviewers of requirement review rounds due soon.
    ReviewReminders,
    /// Contract obligations, expiry, periodic reviews, warranties; date-triggered installments.
    ContractWatch,
    /// Reminders of vendor certificates about to expire.
    VendorWatch,
}

impl Job {
    pub fn kind(&self) -> &'static str {
        match self {
            Job::SendEmail { .. } => "send_email",
            Job::PurgeSessions => "purge_sessions",
            Job::PlanNotices => "plan_notices",
            Job::ChangeRevisits => "change_revisits",
            Job::ReviewReminders => "review_reminders",
            Job::ContractWatch => "contract_watch",
            Job::VendorWatch => "vendor_watch",
        }
    }

    fn max_attempts(&self) -> i32 {
        match self {
            Job::SendEmail { .. } => 8,
            Job::PurgeSessions
            | Job::PlanNotices
            | Job::ChangeRevisits
            | Job::ReviewReminders
            | Job::ContractWatch
            | Job::VendorWatch => 3,
        }
    }
}

/// Work that recurs: the job to enqueue once per period.
struct Schedule {
    name: &'static str,
    period_seconds: i64,
    job: fn() -> Job,
}

const SCHEDULES: &[Schedule] = &[
    Schedule { name: "purge_sessions", period_seconds: 3600, job: || Job::PurgeSessions },
    Schedule { name: "plan_notices", period_seconds: 3600, job: || Job::PlanNotices },
    Schedule { name: "change_revisits", period_seconds: 3600, job: || Job::ChangeRevisits },
    Schedule { name: "review_reminders", period_seconds: 3600, job: || Job::ReviewReminders },
    Schedule { name: "contract_watch", period_seconds: 3600, job: || Job::ContractWatch },
    Schedule { name: "vendor_watch", period_seconds: 3600, job: || Job::VendorWatch },
];

pub const LEASE_SECONDS: i64 = 300;

pub async fn enqueue(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    j: &Job,
    run_at: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let payload = serde_json::to_string(j).map_err(|e| DbErr::Custom(e.to_string()))?;
    let row = job::ActiveModel {
        kind: Set(j.kind().to_owned()),
        payload: Set(payload),
        state: Set("pending".into()),
        run_at: Set(run_at),
        attempts: Set(0),
        max_attempts: Set(j.max_attempts()),
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
    if db.get_database_backend() == DbBackend::Postgres {
        pick.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
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

async fn execute(state: &AppState, j: &Job, last_attempt: bool) -> anyhow::Result<()> {
    match j {
        Job::SendEmail { outbox_id } => {
            let Some(row) = mail::entity::outbox_email::Entity::find_by_id(*outbox_id).one(&state.db).await? else {
                return Ok(());
            };
            if row.state == "sent" {
                return Ok(());
            }
            let email =
                mail::Email { to: row.to_address.clone(), subject: row.subject.clone(), body: row.body.clone() };
            let result = state.mailer.send(&email).await;
            let mut am: mail::entity::outbox_email::ActiveModel = row.clone().into();
            am.attempts = Set(row.attempts + 1);
            match &result {
                Ok(()) => {
                    am.state = Set("sent".into());
                    am.sent_at = Set(Some(state.clock.now()));
                    am.last_error = Set(None);
                    // Keep a record of what was sent, minus links that still work.
                    am.body = Set(crate::auth::tokens::redact(&row.body));
                }
                Err(e) => {
                    am.last_error = Set(Some(e.to_string()));
                    if last_attempt {
                        am.state = Set("failed".into());
                    }
                }
            }
            am.update(&state.writer).await?;
            result
        }
        Job::PurgeSessions => {
            let n = session_store::purge_expired(&state.writer, state.clock.now()).await?;
            let failures = crate::auth::throttle::purge_old(&state.writer, state.clock.now()).await?;
            tracing::info!(purged = n, failures, "expired sessions and old sign-in failures purged");
            Ok(())
        }
        Job::PlanNotices => {
            let out = crate::collab::notices::run(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(notified = out.notified, health_changed = out.health_changed, "plan notices");
            Ok(())
        }
        Job::ChangeRevisits => {
            let n = crate::changes::decide::revisit_due(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(reopened = n, "deferred changes revisited");
            Ok(())
        }
        Job::ReviewReminders => {
            let n = crate::requirements::reviews::remind(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(reminded = n, "review reminders");
            Ok(())
        }
        Job::VendorWatch => {
            let sent = crate::vendors::watch(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(sent, "vendor watch");
            Ok(())
        }
        Job::ContractWatch => {
            let o = crate::contracts::obligations::watch(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(
                reminded = o.reminded,
                escalated = o.escalated,
                expiring = o.expiring,
                checkups = o.checkups,
                made_due = o.made_due,
                warranties = o.warranties,
                "contract watch"
            );
            Ok(())
        }
    }
}

/// Claims and runs one job. Returns false when nothing was due.
pub async fn run_once(state: &AppState, worker: &str) -> anyhow::Result<bool> {
    let Some(row) = claim(&state.writer, state.clock.now(), worker).await? else {
        return Ok(false);
    };
    let outcome = match serde_json::from_str::<Job>(&row.payload) {
        Ok(j) => execute(state, &j, row.attempts >= row.max_attempts).await.map_err(|e| format!("{e:#}")),
        Err(e) => Err(format!("unreadable payload: {e}")),
    };
    if let Err(e) = &outcome {
        tracing::warn!(job = row.id, kind = %row.kind, attempt = row.attempts, error = %e, "job failed");
    }
    finish(&state.writer, &row, state.clock.now(), outcome).await?;
    Ok(true)
}

/// Runs jobs until none is due; returns how many ran.
pub async fn drain(state: &AppState, worker: &str) -> anyhow::Result<usize> {
    let mut n = 0;
    while run_once(state, worker).await? {
        n += 1;
    }
    Ok(n)
}

/// Enqueues each schedule's job once per slot, however many instances tick.
pub async fn tick_schedules(state: &AppState) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let mut queued = 0;
    for s in SCHEDULES {
        let slot = now.timestamp().div_euclid(s.period_seconds);
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
            enqueue(&tx, now, &(s.job)(), now).await?;
            queued += 1;
        }
        tx.commit().await?;
    }
    Ok(queued)
}

/// The worker of one instance: polls for due jobs and ticks schedules until shutdown.
pub fn spawn_worker(state: AppState, mut shutdown: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    let worker = format!("{}-{}", std::process::id(), crate::auth::tokens::new_secret().get(4..12).unwrap_or("w"));
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(StdDuration::from_secs(1));
        let mut ticks: u64 = 0;
        loop {
            tokio::select! {
                _ = shutdown.changed() => break,
                _ = interval.tick() => {
                    if ticks.is_multiple_of(30) && let Err(e) = tick_schedules(&state).await {
                        tracing::warn!(error = %e, "scheduling failed");
                    }
                    ticks += 1;
                    // A panicking job must not take the worker down with it.
                    match AssertUnwindSafe(drain(&state, &worker)).catch_unwind().await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => tracing::warn!(error = %e, "job worker failed"),
                        Err(_) => tracing::error!("a job panicked; the worker carries on"),
                    }
                }
            }
        }
    })
}
