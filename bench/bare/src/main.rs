//! The bare ceiling for `bench/run`: `GET /api/v1/me` and `GET /api/v1/users?limit=N` doing the
//! same database work as Accord (token lookup, then the user or a page of users), with nothing else.
//!
//! Usage: `accord-bare <sqlite://path> <port>` (listens on 127.0.0.1 only).

use std::{net::SocketAddr, str::FromStr, time::Duration};

use axum::{
    Json, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{
    Row, SqlitePool,
    sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
    },
};

// Accord's schema (src/db/migrations). Table and column names live here only: adjust them here.
/// The token's user, when the token is known, not revoked and its user active. `?1` = sha256 hex.
const TOKEN_SQL: &str = "SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id \
     WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.active";
macro_rules! user_select {
    () => {
        "SELECT u.id, u.email, u.name, u.party_id, u.role, u.locale, u.time_zone, u.active, \
         p.name AS party_name, p.kind AS party_kind \
         FROM users u JOIN parties p ON p.id = u.party_id "
    };
}
/// `?1` = user id.
const ME_SQL: &str = concat!(user_select!(), "WHERE u.id = ?1");
/// `?1` = id after which the page starts (keyset), `?2` = rows to fetch.
const USERS_SQL: &str = concat!(user_select!(), "WHERE u.id > ?1 ORDER BY u.id LIMIT ?2");

#[derive(Clone)]
struct AppState {
    pool: SqlitePool,
}

/// One user as the API shows it: ids are strings.
#[derive(Serialize)]
struct UserOut {
    id: String,
    email: String,
    name: String,
    party_id: String,
    party_name: String,
    party_kind: String,
    role: String,
    locale: Option<String>,
    time_zone: String,
    active: bool,
}

fn user_from(row: &SqliteRow) -> Result<(i64, UserOut), sqlx::Error> {
    let id: i64 = row.try_get("id")?;
    let party_id: i64 = row.try_get("party_id")?;
    Ok((
        id,
        UserOut {
            id: id.to_string(),
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            party_id: party_id.to_string(),
            party_name: row.try_get("party_name")?,
            party_kind: row.try_get("party_kind")?,
            role: row.try_get("role")?,
            locale: row.try_get("locale")?,
            time_zone: row.try_get("time_zone")?,
            active: row.try_get("active")?,
        },
    ))
}

#[derive(Serialize)]
struct Page {
    items: Vec<UserOut>,
    next_cursor: Option<String>,
}

#[derive(Deserialize)]
struct ListQuery {
    limit: Option<u32>,
    cursor: Option<String>,
}

enum Fail {
    Unauthorized,
    BadRequest,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for Fail {
    fn from(err: sqlx::Error) -> Self {
        Fail::Db(err)
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        match self {
            Fail::Unauthorized => StatusCode::UNAUTHORIZED.into_response(),
            Fail::BadRequest => StatusCode::BAD_REQUEST.into_response(),
            Fail::Db(err) => {
                eprintln!("database error: {err}");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

/// The bearer token's user id. Accord stores sha256 hex of the token as `token_hash`.
async fn authenticate(pool: &SqlitePool, headers: &HeaderMap) -> Result<i64, Fail> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(Fail::Unauthorized)?;
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    let row = sqlx::query(TOKEN_SQL)
        .bind(hash)
        .fetch_optional(pool)
        .await?
        .ok_or(Fail::Unauthorized)?;
    Ok(row.try_get("user_id")?)
}

async fn me(State(st): State<AppState>, headers: HeaderMap) -> Result<Json<UserOut>, Fail> {
    let user_id = authenticate(&st.pool, &headers).await?;
    let row = sqlx::query(ME_SQL)
        .bind(user_id)
        .fetch_optional(&st.pool)
        .await?
        .ok_or(Fail::Unauthorized)?;
    Ok(Json(user_from(&row)?.1))
}

async fn users(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page>, Fail> {
    authenticate(&st.pool, &headers).await?;
    let limit = q.limit.unwrap_or(50).clamp(1, 500) as usize;
    let after = match q.cursor.as_deref() {
        Some(c) => decode_cursor(c).ok_or(Fail::BadRequest)?,
        None => 0,
    };
    let rows = sqlx::query(USERS_SQL)
        .bind(after)
        .bind((limit + 1) as i64)
        .fetch_all(&st.pool)
        .await?;
    let mut users = rows.iter().map(user_from).collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if users.len() > limit {
        users.truncate(limit);
        users.last().map(|(id, _)| encode_cursor(*id))
    } else {
        None
    };
    Ok(Json(Page {
        items: users.into_iter().map(|(_, u)| u).collect(),
        next_cursor,
    }))
}

// Same opaque cursor as Accord's `db::encode_cursor`.
fn encode_cursor(last_id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("id:{last_id}"))
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("id:")?
        .parse()
        .ok()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(port)) = (args.next(), args.next()) else {
        eprintln!("usage: accord-bare <sqlite://path> <port>");
        std::process::exit(2);
    };
    let port: u16 = port.parse()?;
    // The pool is set up as Accord's `db::connect` does (WAL, 8 connections, same pragmas).
    let opts = SqliteConnectOptions::from_str(&url)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
        .pragma("temp_store", "memory")
        .pragma("cache_size", "-16000");
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        .test_before_acquire(false)
        .connect_with(opts)
        .await?;
    let state = AppState { pool };
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/me", get(me))
        .route("/me", get(me))
        .route("/api/v1/users", get(users))
        .route("/users", get(users))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
