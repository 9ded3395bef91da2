//! Writes that can change an engagement's early warnings (a risk scored, an expense counted,
//! a budget set) ask for the warnings to be evaluated again, in the same transaction, through
//! the job queue. The kind of job is registered by the composition root, so this layer names
//! no capability above it.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::{error::AppResult, jobs};

static KIND: OnceLock<&'static jobs::Kind> = OnceLock::new();

/// Called once as the application is assembled (again: ignored).
pub fn register(kind: &'static jobs::Kind) {
    let _ = KIND.set(kind);
}

/// Queues an evaluation of the engagement's warnings, to run as soon as a worker is free.
pub async fn changed(db: &impl ConnectionTrait, now: DateTime<Utc>, engagement_id: i64) -> AppResult<()> {
    if let Some(kind) = KIND.get() {
        jobs::enqueue(db, now, kind, json!({"engagement_id": engagement_id}), now).await?;
    }
    Ok(())
}
