//! Browser sessions stored in the database, so any instance can serve any request.
//! Expired rows are purged by a scheduled job (`PURGE_SESSIONS`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};
use tower_sessions::{
    SessionStore,
    session::{Id, Record},
    session_store,
};

use crate::{clock::Clock, db};

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        #[sea_orm(column_type = "Text")]
        pub data: String,
        pub expires_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    writer: DatabaseConnection,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    /// Loads on `db`, writes on `writer` (see `db::Pools`).
    pub fn new(db: DatabaseConnection, writer: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        Self { db, writer, clock }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn to_chrono(t: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond() / 1000 * 1000).unwrap_or_default()
}

fn to_time(t: DateTime<Utc>) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(t.timestamp_micros()) * 1000).ok()
}

fn row(record: &Record) -> session_store::Result<session::ActiveModel> {
    Ok(session::ActiveModel {
        id: Set(record.id.to_string()),
        data: Set(serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?),
        expires_at: Set(to_chrono(record.expiry_date)),
    })
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id; on the (astronomically unlikely) collision, draw again.
        for _ in 0..3 {
            match session::Entity::insert(row(record)?).exec(&self.writer).await {
                Ok(_) => return Ok(()),
                Err(e) if matches!(db::violation(&e), Some(db::Violation::Unique)) => record.id = Id::default(),
                Err(e) => return Err(backend(e)),
            }
        }
        Err(backend("could not allocate a session id"))
    }

    /// Updates an existing session only. A session ended meanwhile (sign-out, password change,
    /// deactivation) stays ended: a request still in flight can't write it back.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = row(record)?;
        session::Entity::update_many()
            .set(session::ActiveModel { id: sea_orm::ActiveValue::NotSet, ..row })
            .filter(session::Column::Id.eq(record.id.to_string()))
            .exec(&self.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(found) = session::Entity::find_by_id(id.to_string())
            .filter(session::Column::ExpiresAt.gt(self.clock.now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&found.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let Some(expiry_date) = to_time(found.expires_at) else {
            return Ok(None);
        };
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(id.to_string()).exec(&self.writer).await.map_err(backend)?;
        Ok(())
    }
}

/// Deletes sessions that expired before `now`; returns how many.
pub async fn purge_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let res = session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(db).await?;
    Ok(res.rows_affected)
}

/// Ends every session of a user (after deactivation or a password change elsewhere).
pub async fn end_sessions_of(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    // The user id sits inside the JSON; match the exact serialised pair.
    let key = crate::auth::SESSION_USER_KEY;
    let res = session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::Data.like(format!("%\"{key}\":{user_id},%")))
                .add(session::Column::Data.like(format!("%\"{key}\":{user_id}}}%"))),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Hourly: expired sessions and sign-in failures too old to count.
pub const PURGE_SESSIONS: crate::jobs::Kind = crate::jobs::Kind {
    name: "purge_sessions",
    max_attempts: 3,
    every_seconds: Some(3600),
    run: |state, _, _| {
        Box::pin(async move {
            let n = purge_expired(&state.writer, state.clock.now()).await?;
            let failures = super::throttle::purge_old(&state.writer, state.clock.now()).await?;
            tracing::info!(purged = n, failures, "expired sessions and old sign-in failures purged");
            Ok(())
        })
    },
};
