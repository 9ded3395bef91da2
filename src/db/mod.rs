//! The database seam: connecting to SQLite or PostgreSQL, migrations, write transactions,
//! error classification and keyset cursors. Dialect differences live here and nowhere else.

pub mod migrations;
mod reach;
pub mod settings;
pub mod text;

use std::{str::FromStr, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, RuntimeErr, SqlErr, TransactionOptions,
    TransactionTrait,
    sqlx::{
        self,
        postgres::{PgConnectOptions, PgPoolOptions},
        sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    },
};
use sea_orm_migration::MigratorTrait;

pub use migrations::Migrator;

/// The two handles on one database: `read` for what only reads, `write` for every write.
///
/// On SQLite, `read` is a pool of connections that cannot write (`query_only`, so a write that
/// takes the wrong handle fails at once instead of waiting for the lock), and `write` is a pool of
/// one connection. SQLite has one write lock per database: here writers queue for that one
/// connection inside the process, first come first served (sqlx's pool is fair), instead of
/// sleeping and retrying in SQLite's busy handler. Readers never wait for writers (WAL).
/// On PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Pools {
    pub read: DatabaseConnection,
    pub write: DatabaseConnection,
}

/// Readers on SQLite: each is a connection with its own worker thread and page cache.
const SQLITE_READERS: u32 = 4;

/// Opens the pools for `url` (`sqlite://path`, `sqlite::memory:` or `postgres://…`).
/// `pg_schema` confines a PostgreSQL connection to one schema (tests use one per test).
pub async fn connect(url: &str, pg_schema: Option<&str>) -> anyhow::Result<Pools> {
    if url.starts_with("sqlite:") {
        reach::sqlite_path_given(url)?;
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            // Only other processes (a CLI command next to a server) make a connection wait.
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-2000");
        reach::sqlite_folder_exists(&opts)?;
        // The writer first: it creates the file and switches it to WAL.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .test_before_acquire(false)
            // The queue of writers: long enough for a burst, bounded so nothing hangs forever.
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await
            .map_err(|e| reach::sqlite_error(&opts, e))?;
        let read = SqlitePoolOptions::new()
            .max_connections(SQLITE_READERS)
            .min_connections(1)
            .test_before_acquire(false)
            .connect_with(opts.pragma("query_only", "ON"))
            .await?;
        Ok(Pools { read: read.into(), write: write.into() })
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let mut opts = PgConnectOptions::from_str(url)?.application_name("accord");
        if let Some(schema) = pg_schema {
            opts = opts.options([("search_path", schema)]);
        }
        reach::try_postgres(&opts).await?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .min_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        let pool = DatabaseConnection::from(pool);
        Ok(Pools { read: pool.clone(), write: pool })
    } else {
        anyhow::bail!("unsupported database URL {url:?}: use sqlite://path or postgres://…")
    }
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// True when every known migration has been applied.
pub async fn migrations_current(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.is_empty())
}

/// What a write transaction keeps to itself until it ends, so that the checks it makes first
/// ("is this the last admin?", "is this task still open?") still hold when it commits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteScope {
    /// No other write anywhere: the default, for writes whose checks reach across engagements.
    Everything,
    /// No other write to this engagement, nor any `Everything` write. Writes to other
    /// engagements go on at the same time (on PostgreSQL).
    Engagement(i64),
    /// No `Everything` write, and nothing else until the transaction asks for more: for writes
    /// that add rows and take the lock of what they check just before checking it
    /// (`lock_engagement`), so the inserts of two such writes to one engagement overlap.
    Shared,
    /// Only the rows the transaction locks itself (the audit sealer's head row).
    Rows,
}

/// Starts a write transaction on `writer` (the `write` pool) holding the database's one write
/// lock: `begin_write_in(writer, WriteScope::Everything)`.
pub async fn begin_write(writer: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    begin_write_in(writer, WriteScope::Everything).await
}

/// Starts a write transaction on `writer` that holds `scope` until it ends.
///
/// On SQLite every scope is the database's one write lock, `BEGIN IMMEDIATE` (a deferred
/// transaction that reads first and writes later fails with SQLITE_BUSY when another writer got
/// in between), and writers of this process queue for the one write connection in order.
/// On PostgreSQL the scopes are transaction-level advisory locks in a key space of the schema:
/// `Everything` takes the schema's key exclusively; `Engagement` takes it shared plus the
/// engagement's key exclusively. Every transaction takes the schema's key first, so they cannot
/// wait on each other in a circle.
pub async fn begin_write_in(writer: &DatabaseConnection, scope: WriteScope) -> Result<DatabaseTransaction, DbErr> {
    match writer.get_database_backend() {
        DbBackend::Sqlite => {
            writer
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await
        }
        _ => {
            let tx = writer.begin().await?;
            let lock = match scope {
                WriteScope::Everything => Some(format!("SELECT {SCHEMA_KEY}")),
                WriteScope::Engagement(id) => Some(format!("SELECT {SCHEMA_KEY_SHARED}, {}", engagement_lock(id))),
                WriteScope::Shared => Some(format!("SELECT {SCHEMA_KEY_SHARED}")),
                WriteScope::Rows => None,
            };
            if let Some(sql) = lock {
                tx.execute_unprepared(&sql).await?;
            }
            Ok(tx)
        }
    }
}

/// Takes the engagement's write lock for the rest of the transaction `db` is in, as
/// `WriteScope::Engagement` does at the start (PostgreSQL; taking it twice is harmless). On
/// SQLite the transaction already holds the database's one write lock.
pub async fn lock_engagement(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(&format!("SELECT {}", engagement_lock(id))).await?;
    }
    Ok(())
}

/// The schema's advisory lock, exclusive (`Everything`) and shared (every narrower scope): keys
/// live in a space of the schema's own, so tests in schemas of one database do not meet.
const SCHEMA_KEY: &str = "pg_advisory_xact_lock(hashtext(current_schema()), 0)";
const SCHEMA_KEY_SHARED: &str = "pg_advisory_xact_lock_shared(hashtext(current_schema()), 0)";

/// The engagement's advisory lock, exclusive.
fn engagement_lock(id: i64) -> String {
    format!("pg_advisory_xact_lock(hashtext(current_schema()), {})", engagement_lock_key(id))
}

/// An engagement's advisory-lock key: in 1..=i32::MAX, never the schema-wide key 0. Two
/// engagements sharing a key (ids 2^31 apart) only wait for each other.
fn engagement_lock_key(id: i64) -> i32 {
    match i32::try_from(id.rem_euclid(i64::from(i32::MAX))) {
        Ok(0) | Err(_) => i32::MAX,
        Ok(k) => k,
    }
}

/// The SQL that numbers a new row of `table` whose id the application assigns: its sequence on
/// PostgreSQL (`{table}_id_seq`), the next id after the highest on SQLite, where writes are
/// serial (`begin_write_in`).
pub fn next_id(backend: DbBackend, table: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("nextval('{table}_id_seq')"),
        _ => format!("(SELECT COALESCE(MAX(id), 0) + 1 FROM {table})"),
    }
}

/// Makes `select` skip rows another transaction has locked, where the database can
/// (PostgreSQL's `FOR UPDATE SKIP LOCKED`). SQLite has one writer at a time and needs no lock.
pub fn skip_locked(backend: DbBackend, select: &mut sea_orm::sea_query::SelectStatement) {
    if backend == DbBackend::Postgres {
        select.lock_with_behavior(sea_orm::sea_query::LockType::Update, sea_orm::sea_query::LockBehavior::SkipLocked);
    }
}

/// Connections open in the pool behind `db`, and how many of them are idle.
pub fn pool_sizes(db: &DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
        DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => (0, 0),
    }
}

/// Pings the database.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// What kind of constraint a database error broke, if any.
pub enum Violation {
    Unique,
    ForeignKey,
    Check,
}

pub fn violation(err: &DbErr) -> Option<Violation> {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => return Some(Violation::Unique),
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => return Some(Violation::ForeignKey),
        _ => {}
    }
    let db_err = match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        _ => return None,
    };
    match db_err.as_database_error().map(|e| e.kind()) {
        Some(sqlx::error::ErrorKind::CheckViolation) => Some(Violation::Check),
        Some(sqlx::error::ErrorKind::UniqueViolation) => Some(Violation::Unique),
        Some(sqlx::error::ErrorKind::ForeignKeyViolation) => Some(Violation::ForeignKey),
        _ => None,
    }
}

/// Case-insensitive "contains" on a text column, the same on both databases
/// (`lower(col) LIKE '%needle%'` with the needle's own wildcards escaped).
pub fn icontains(col: impl sea_orm::ColumnTrait, needle: &str) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let escaped = needle.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    Expr::expr(Func::lower(col.into_expr())).like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// Reads the columns of a result row by position, in order. Hot queries select exactly the
/// columns they need and read them this way; SeaORM's by-name reads format every column name.
pub struct Cols<'a> {
    res: &'a sea_orm::QueryResult,
    i: usize,
}

impl<'a> Cols<'a> {
    pub fn new(res: &'a sea_orm::QueryResult) -> Self {
        Self { res, i: 0 }
    }

    pub fn take<T: sea_orm::TryGetable>(&mut self) -> Result<T, DbErr> {
        let v = self.res.try_get_by_index(self.i)?;
        self.i += 1;
        Ok(v)
    }
}

/// The row a unique key selects, fetched without `LIMIT ?`. SeaORM's `one()` binds its
/// `LIMIT 1`, and SQLite (3.47+) re-prepares a statement whose LIMIT is a bound parameter every
/// time it is bound again: a third of the CPU of a single-task read went to that (bench/plan).
pub async fn unique<E: sea_orm::EntityTrait>(
    select: sea_orm::Select<E>,
    db: &impl sea_orm::ConnectionTrait,
) -> Result<Option<E::Model>, DbErr> {
    Ok(select.all(db).await?.into_iter().next())
}

/// The values of one id column over the rows `select` matches, as a set (which of these records
/// has my party signed, …).
pub async fn id_set<E: sea_orm::EntityTrait>(
    select: sea_orm::Select<E>,
    column: E::Column,
    db: &impl sea_orm::ConnectionTrait,
) -> Result<std::collections::HashSet<i64>, DbErr> {
    use sea_orm::QuerySelect;
    let ids: Vec<i64> = select.select_only().column(column).into_tuple().all(db).await?;
    Ok(ids.into_iter().collect())
}

/// Size of one page of a list: `limit` in 1..=500, 50 when absent.
pub const MAX_LIMIT: u64 = 500;
pub const DEFAULT_LIMIT: u64 = 50;

/// An opaque keyset cursor: "after the row with this id". Encoded so clients don't build them.
pub fn encode_cursor(last_id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("id:{last_id}"))
}

pub fn decode_cursor(cursor: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("id:")?.parse().ok()
}

/// Takes `limit + 1` fetched rows and returns the page plus the cursor of the next one.
pub fn page<T>(mut rows: Vec<T>, limit: u64, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(|r| encode_cursor(id(r)));
        (rows, next)
    } else {
        (rows, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("not-a-cursor"), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("name:7")), None);
    }

    #[test]
    fn engagement_lock_keys_never_take_the_schema_key() {
        assert_eq!(engagement_lock_key(1), 1);
        assert_eq!(engagement_lock_key(i64::from(i32::MAX)), i32::MAX);
        assert_eq!(engagement_lock_key(i64::from(i32::MAX) + 1), 1);
        assert!((-5..5).chain([i64::MAX, i64::MIN]).all(|id| engagement_lock_key(id) >= 1));
    }

    #[test]
    fn page_cuts_and_points_to_the_last_row() {
        let (rows, next) = page(vec![1, 2, 3], 2, |r| *r);
        assert_eq!(rows, vec![1, 2]);
        assert_eq!(next.as_deref().and_then(decode_cursor), Some(2));
        let (rows, next) = page(vec![1, 2], 2, |r| *r);
        assert_eq!(rows, vec![1, 2]);
        assert!(next.is_none());
    }
}
