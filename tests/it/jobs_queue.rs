//! The job queue: leases, retries with backoff, schedules deduplicated across instances.

use accord::{
    app::JOBS,
    auth::session_store::PURGE_SESSIONS,
    clock::Clock,
    collab::notices::PLAN_NOTICES,
    contracts::obligations::CONTRACT_WATCH,
    jobs::{self, entity::job},
};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::{db_test, support::*};

db_test!(a_claimed_job_is_not_claimed_twice_until_its_lease_runs_out, |app: TestApp| async move {
    let now = app.clock.now();
    let id = jobs::enqueue(app.writer(), now, &PURGE_SESSIONS, Value::Null, now).await.expect("enqueue");
    let first = jobs::claim(app.writer(), now, "a").await.expect("claim").expect("a job");
    assert_eq!(first.id, id);
    assert_eq!(first.attempts, 1);
    assert!(jobs::claim(app.writer(), now, "b").await.expect("claim").is_none(), "leased");
    let later = now + Duration::seconds(jobs::LEASE_SECONDS + 1);
    let again = jobs::claim(app.writer(), later, "b").await.expect("claim").expect("lease expired");
    assert_eq!((again.id, again.attempts, again.locked_by.as_deref()), (id, 2, Some("b")));
});

db_test!(one_claim_takes_one_job_however_many_are_due, |app: TestApp| async move {
    let now = app.clock.now();
    for kind in [PURGE_SESSIONS, PLAN_NOTICES, CONTRACT_WATCH] {
        jobs::enqueue(app.writer(), now, &kind, Value::Null, now).await.expect("enqueue");
    }
    let first = jobs::claim(app.writer(), now, "a").await.expect("claim").expect("a job");
    let running = job::Entity::find().filter(job::Column::State.eq("running")).count(app.db()).await.expect("count");
    assert_eq!(running, 1, "claimed {} and leased others with it", first.kind);
    assert_eq!(jobs::drain(&app.state, JOBS, "b").await.expect("drain"), 2, "the other two are still there to run");
});

db_test!(a_worker_that_lost_its_lease_does_not_overwrite_the_outcome, |app: TestApp| async move {
    let now = app.clock.now();
    jobs::enqueue(app.writer(), now, &PURGE_SESSIONS, Value::Null, now).await.expect("enqueue");
    let slow = jobs::claim(app.writer(), now, "slow").await.expect("claim").expect("job");
    let later = now + Duration::seconds(jobs::LEASE_SECONDS + 1);
    let fast = jobs::claim(app.writer(), later, "fast").await.expect("claim").expect("job again");
    jobs::finish(app.writer(), &fast, later, Ok(())).await.expect("finish");
    jobs::finish(app.writer(), &slow, later, Err("late failure".into())).await.expect("finish");
    let row = job::Entity::find().one(app.db()).await.expect("q").expect("job");
    assert_eq!((row.state.as_str(), row.last_error), ("done", None));
});

db_test!(a_job_whose_worker_died_on_the_last_attempt_fails_instead_of_looping, |app: TestApp| async move {
    let now = app.clock.now();
    jobs::enqueue(app.writer(), now, &PURGE_SESSIONS, Value::Null, now).await.expect("enqueue");
    let mut t = now;
    for _ in 0..3 {
        assert!(jobs::claim(app.writer(), t, "w").await.expect("claim").is_some());
        t += Duration::seconds(jobs::LEASE_SECONDS + 1);
    }
    assert!(jobs::claim(app.writer(), t, "w").await.expect("claim").is_none());
    let row = job::Entity::find().one(app.db()).await.expect("q").expect("job");
    assert_eq!(row.state, "failed");
});

db_test!(failing_jobs_retry_with_backoff_then_stop, |app: TestApp| async move {
    // Mail to a port where nothing listens fails; the outbox keeps the error.
    let now = app.clock.now();
    let mut state = app.state.clone();
    let dead = SmtpSink::start().await;
    let mut cfg = dead.config();
    cfg.port = 9; // discard port: connection refused
    state.mailer = std::sync::Arc::new(accord::mail::SmtpMailer::new(&cfg).expect("mailer"));
    let tx = accord::db::begin_write(app.writer()).await.expect("tx");
    accord::mail::queue(&tx, now, "x@y.example", "s", "b").await.expect("queue");
    tx.commit().await.expect("commit");
    assert!(jobs::run_once(&state, JOBS, "w").await.expect("run"));
    let row = job::Entity::find().one(app.db()).await.expect("q").expect("job");
    assert_eq!(row.state, "pending");
    assert_eq!(row.run_at, now + Duration::seconds(30), "first retry after 30 s");
    assert!(row.last_error.is_some());
    assert!(!jobs::run_once(&state, JOBS, "w").await.expect("run"), "not due yet");
    for _ in 0..7 {
        app.clock.advance(Duration::hours(2));
        assert!(jobs::run_once(&state, JOBS, "w").await.expect("run"));
    }
    let row = job::Entity::find().one(app.db()).await.expect("q").expect("job");
    assert_eq!((row.state.as_str(), row.attempts), ("failed", 8));
    let mail = accord::mail::entity::outbox_email::Entity::find().one(app.db()).await.expect("q").expect("mail");
    assert_eq!((mail.state.as_str(), mail.attempts), ("failed", 8));
});

db_test!(schedules_run_once_per_slot_across_instances, |app: TestApp| async move {
    let other = app.second_instance().await;
    other.clock.set(app.clock.now());
    // Sessions, plan notices, deferred changes coming back, review reminders, the contract watch,
    // the vendor certificate watch, risk reviews, early warnings, issue escalation.
    let scheduled = JOBS.iter().filter(|k| k.every_seconds.is_some()).count();
    assert_eq!(scheduled, 9);
    assert_eq!(jobs::tick_schedules(&app.state, JOBS).await.expect("tick"), scheduled, "each schedule once");
    assert_eq!(jobs::tick_schedules(&other.state, JOBS).await.expect("tick"), 0, "same slot on the other instance");
    assert_eq!(job::Entity::find().count(app.db()).await.expect("count"), 9);
    app.clock.advance(Duration::hours(1));
    assert_eq!(jobs::tick_schedules(&app.state, JOBS).await.expect("tick"), scheduled, "next slot");
});

db_test!(expired_sessions_are_purged_by_the_scheduled_job, |app: TestApp| async move {
    let app = app.with_demo().await;
    let b = app.signed_in("pm@xinghe.example").await;
    use accord::auth::session_store::session;
    assert_eq!(session::Entity::find().count(app.db()).await.expect("count"), 1);
    // The session store reads the app clock; the sessions layer stamps expiry with the wall
    // clock, so move the app clock far past any expiry.
    app.clock.advance(Duration::days(400));
    jobs::tick_schedules(&app.state, JOBS).await.expect("tick");
    app.run_jobs().await;
    assert_eq!(session::Entity::find().count(app.db()).await.expect("count"), 0);
    assert_eq!(b.get("/").await.status, axum::http::StatusCode::SEE_OTHER);
});
