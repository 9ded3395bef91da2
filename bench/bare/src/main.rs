//! The bare ceiling for `bench/run`, `bench/plan` and `bench/writes`: the API calls Accord serves,
//! doing the same database work (token lookup, the viewer's party, the engagement check, the
//! visibility filter, the masking of parties; for a created task its row, its audit event chained
//! to the head, its search entry and its activity line, in one transaction) with nothing else: no
//! framework layers, no ORM, no logging.
//!
//! Usage: `accord-bare <sqlite://path | postgres://…> <port>` (listens on 127.0.0.1 only).

use std::{net::SocketAddr, time::Duration};

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{
    AnyPool, Row,
    any::{AnyPoolOptions, AnyRow},
};

// Accord's schema (src/db/migrations). Table and column names live here only. Placeholders are
// written `$n`; on SQLite they become `?n` (see `sql`).
const TOKEN_SQL: &str = "SELECT t.user_id, u.party_id, p.kind FROM api_tokens t JOIN users u ON u.id = t.user_id \
     JOIN parties p ON p.id = u.party_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active";
const USER_SELECT: &str = "SELECT u.id, u.email, u.name, u.party_id, u.role, u.locale, u.time_zone, \
     p.name AS party_name, p.kind AS party_kind FROM users u JOIN parties p ON p.id = u.party_id ";
/// `$1` engagement, `$2` 1 for the host, `$3` the viewer's party.
const ENGAGEMENT_SQL: &str = "SELECT id FROM engagements WHERE id = $1 AND ($2 = 1 OR EXISTS \
     (SELECT 1 FROM engagement_participants WHERE engagement_id = engagements.id AND party_id = $3))";
const TASK_SELECT: &str = "SELECT id, engagement_id, parent_id, name, CAST(start_date AS TEXT) AS s, \
     CAST(finish_date AS TEXT) AS f, assignee_id, party_id, CAST(progress AS BIGINT) AS progress, status, visibility, \
     visible_party_id, CAST(updated_at AS TEXT) AS u FROM tasks ";
/// Visibility: `$3` 1 for the host, `$4` the viewer's party.
const TASK_SCOPE: &str =
    "($3 = 1 OR visibility = 'participants' OR (visibility = 'party' AND visible_party_id = $4))";
const PARTIES_SQL: &str = "SELECT party_id FROM engagement_participants WHERE engagement_id = $1 \
     UNION SELECT id FROM parties WHERE kind = 'host'";

#[derive(Clone)]
struct AppState {
    pool: AnyPool,
    /// Where writes go: on SQLite one connection, so writers queue in the pool in order (the
    /// database has one write lock anyway); on PostgreSQL the same pool.
    writer: AnyPool,
    sqlite: bool,
}

impl AppState {
    fn sql(&self, s: &str) -> String {
        if self.sqlite { s.replace('$', "?") } else { s.to_owned() }
    }

    /// A bound text as a date or a timestamp: PostgreSQL needs the cast, SQLite stores text.
    fn typed(&self, n: u8, ty: &str) -> String {
        if self.sqlite { format!("${n}") } else { format!("CAST(${n} AS {ty})") }
    }
}

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
}

fn user_from(row: &AnyRow) -> Result<(i64, UserOut), sqlx::Error> {
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
        },
    ))
}

#[derive(Serialize)]
struct TaskOut {
    id: String,
    engagement_id: String,
    parent_id: Option<String>,
    name: String,
    start_date: String,
    finish_date: String,
    assignee_id: Option<String>,
    party_id: Option<String>,
    progress: i64,
    status: String,
    visibility: String,
    visible_party_id: Option<String>,
    updated_at: String,
}

fn task_from(row: &AnyRow, known: Option<&[i64]>) -> Result<(i64, TaskOut), sqlx::Error> {
    let id: i64 = row.try_get("id")?;
    let opt = |c: &str| -> Result<Option<i64>, sqlx::Error> { row.try_get::<Option<i64>, _>(c) };
    let mask = |p: Option<i64>| p.filter(|p| known.is_none_or(|k| k.contains(p)));
    let engagement_id: i64 = row.try_get("engagement_id")?;
    Ok((
        id,
        TaskOut {
            id: id.to_string(),
            engagement_id: engagement_id.to_string(),
            parent_id: opt("parent_id")?.map(|v| v.to_string()),
            name: row.try_get("name")?,
            start_date: row.try_get("s")?,
            finish_date: row.try_get("f")?,
            assignee_id: opt("assignee_id")?.map(|v| v.to_string()),
            party_id: mask(opt("party_id")?).map(|v| v.to_string()),
            progress: row.try_get("progress")?,
            status: row.try_get("status")?,
            visibility: row.try_get("visibility")?,
            visible_party_id: opt("visible_party_id")?.map(|v| v.to_string()),
            updated_at: row.try_get("u")?,
        },
    ))
}

#[derive(Serialize)]
struct Page<T> {
    items: Vec<T>,
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
    NotFound,
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
            Fail::NotFound => StatusCode::NOT_FOUND.into_response(),
            Fail::Db(err) => {
                eprintln!("database error: {err}");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

struct Who {
    user_id: i64,
    party_id: i64,
    host: bool,
}

/// The bearer token's user. Accord stores sha256 hex of the token as `token_hash`.
async fn authenticate(st: &AppState, headers: &HeaderMap) -> Result<Who, Fail> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(Fail::Unauthorized)?;
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    let row = sqlx::query(&st.sql(TOKEN_SQL))
        .bind(hash)
        .fetch_optional(&st.pool)
        .await?
        .ok_or(Fail::Unauthorized)?;
    let kind: String = row.try_get("kind")?;
    Ok(Who { user_id: row.try_get("user_id")?, party_id: row.try_get("party_id")?, host: kind == "host" })
}

async fn me(State(st): State<AppState>, headers: HeaderMap) -> Result<Json<UserOut>, Fail> {
    let who = authenticate(&st, &headers).await?;
    let sql = format!("{USER_SELECT}WHERE u.id = $1");
    let row = sqlx::query(&st.sql(&sql))
        .bind(who.user_id)
        .fetch_optional(&st.pool)
        .await?
        .ok_or(Fail::Unauthorized)?;
    Ok(Json(user_from(&row)?.1))
}

fn page_of(q: &ListQuery) -> Result<(usize, i64), Fail> {
    let limit = q.limit.unwrap_or(50).clamp(1, 500) as usize;
    let after = match q.cursor.as_deref() {
        Some(c) => decode_cursor(c).ok_or(Fail::BadRequest)?,
        None => 0,
    };
    Ok((limit, after))
}

fn cut<T>(mut rows: Vec<(i64, T)>, limit: usize) -> Page<T> {
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|(id, _)| encode_cursor(*id))
    } else {
        None
    };
    Page { items: rows.into_iter().map(|(_, t)| t).collect(), next_cursor }
}

async fn users(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<UserOut>>, Fail> {
    authenticate(&st, &headers).await?;
    let (limit, after) = page_of(&q)?;
    let sql = format!("{USER_SELECT}WHERE u.id > $1 ORDER BY u.id LIMIT $2");
    let rows = sqlx::query(&st.sql(&sql))
        .bind(after)
        .bind((limit + 1) as i64)
        .fetch_all(&st.pool)
        .await?;
    let users = rows.iter().map(user_from).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(cut(users, limit)))
}

/// The engagement check and the parties the viewer may learn of (None = all, the host).
async fn engagement(st: &AppState, who: &Who, id: i64) -> Result<Option<Vec<i64>>, Fail> {
    sqlx::query(&st.sql(ENGAGEMENT_SQL))
        .bind(id)
        .bind(i64::from(who.host))
        .bind(who.party_id)
        .fetch_optional(&st.pool)
        .await?
        .ok_or(Fail::NotFound)?;
    if who.host {
        return Ok(None);
    }
    let rows = sqlx::query(&st.sql(PARTIES_SQL)).bind(id).fetch_all(&st.pool).await?;
    Ok(Some(rows.iter().map(|r| r.try_get::<i64, _>(0)).collect::<Result<_, _>>()?))
}

async fn tasks(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<TaskOut>>, Fail> {
    let who = authenticate(&st, &headers).await?;
    let known = engagement(&st, &who, id).await?;
    let (limit, after) = page_of(&q)?;
    let sql = format!("{TASK_SELECT}WHERE engagement_id = $1 AND id > $2 AND {TASK_SCOPE} ORDER BY id LIMIT $5");
    let rows = sqlx::query(&st.sql(&sql))
        .bind(id)
        .bind(after)
        .bind(i64::from(who.host))
        .bind(who.party_id)
        .bind((limit + 1) as i64)
        .fetch_all(&st.pool)
        .await?;
    let tasks = rows.iter().map(|r| task_from(r, known.as_deref())).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(cut(tasks, limit)))
}

async fn task(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((id, task_id)): Path<(i64, i64)>,
) -> Result<Json<TaskOut>, Fail> {
    let who = authenticate(&st, &headers).await?;
    let known = engagement(&st, &who, id).await?;
    let sql = format!("{TASK_SELECT}WHERE engagement_id = $1 AND id = $2 AND {TASK_SCOPE}");
    let row = sqlx::query(&st.sql(&sql))
        .bind(id)
        .bind(task_id)
        .bind(i64::from(who.host))
        .bind(who.party_id)
        .fetch_optional(&st.pool)
        .await?
        .ok_or(Fail::NotFound)?;
    Ok(Json(task_from(&row, known.as_deref())?.1))
}

#[derive(Deserialize)]
struct TaskIn {
    name: String,
    start_date: String,
    finish_date: String,
}

/// `POST /api/v1/engagements/{id}/tasks` by a host user: the task, its audit event appended to
/// the chain (head locked, hash over the previous one), its search entry and activity line.
async fn create_task(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(input): Json<TaskIn>,
) -> Result<(StatusCode, Json<TaskOut>), Fail> {
    let who = authenticate(&st, &headers).await?;
    if !who.host {
        return Err(Fail::NotFound);
    }
    engagement(&st, &who, id).await?;
    if input.name.trim().is_empty() || input.finish_date < input.start_date {
        return Err(Fail::BadRequest);
    }
    let now = now_text(st.sqlite);
    let mut tx = if st.sqlite { st.writer.begin_with("BEGIN IMMEDIATE").await? } else { st.writer.begin().await? };
    let insert = format!(
        "INSERT INTO tasks (engagement_id, name, start_date, finish_date, progress, status, visibility, \
         created_at, updated_at) VALUES ($1, $2, {}, {}, 0, 'todo', 'internal', {}, {}) RETURNING id",
        st.typed(3, "DATE"),
        st.typed(4, "DATE"),
        st.typed(5, "TIMESTAMPTZ"),
        st.typed(5, "TIMESTAMPTZ"),
    );
    let task_id: i64 = sqlx::query(&st.sql(&insert))
        .bind(id)
        .bind(&input.name)
        .bind(&input.start_date)
        .bind(&input.finish_date)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    // The audit event, as Accord writes it: numbered, sealed into the chain later (no head lock).
    let after = serde_json::json!({ "engagement_id": id, "name": input.name }).to_string();
    let next_id = if st.sqlite {
        "(SELECT COALESCE(MAX(id), 0) + 1 FROM audit_events)"
    } else {
        "nextval('audit_events_id_seq')"
    };
    let event = format!(
        "INSERT INTO audit_events (id, at, actor_user_id, actor_party_id, action, entity_type, entity_id, after, \
         prev_hash, hash) VALUES ({next_id}, {}, $2, $3, 'task.create', 'task', $4, $5, '', '')",
        st.typed(1, "TIMESTAMPTZ")
    );
    sqlx::query(&st.sql(&event))
        .bind(&now)
        .bind(who.user_id)
        .bind(who.party_id)
        .bind(task_id.to_string())
        .bind(&after)
        .execute(&mut *tx)
        .await?;
    sqlx::query(&st.sql(
        "INSERT INTO search_entries (kind, record_id, engagement_id, visibility, title, content) \
         VALUES ('task', $1, $2, 'internal', $3, $4)",
    ))
    .bind(task_id)
    .bind(id)
    .bind(&input.name)
    .bind(input.name.to_lowercase())
    .execute(&mut *tx)
    .await?;
    let activity = format!(
        "INSERT INTO activities (engagement_id, actor_id, verb, subject_kind, subject_id, title, visibility, \
         created_at) VALUES ($1, $2, 'created', 'task', $3, $4, 'internal', {})",
        st.typed(5, "TIMESTAMPTZ")
    );
    sqlx::query(&st.sql(&activity))
        .bind(id)
        .bind(who.user_id)
        .bind(task_id)
        .bind(&input.name)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let out = TaskOut {
        id: task_id.to_string(),
        engagement_id: id.to_string(),
        parent_id: None,
        name: input.name,
        start_date: input.start_date,
        finish_date: input.finish_date,
        assignee_id: None,
        party_id: None,
        progress: 0,
        status: "todo".into(),
        visibility: "internal".into(),
        visible_party_id: None,
        updated_at: now,
    };
    Ok((StatusCode::CREATED, Json(out)))
}

/// Now as the text each database takes for a timestamp (SQLite as SeaORM writes it).
fn now_text(sqlite: bool) -> String {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let (secs, micros) = (d.as_secs() as i64, d.subsec_micros());
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, dd) = civil(days);
    let t = format!("{y:04}-{m:02}-{dd:02} {:02}:{:02}:{:02}.{micros:06}", rem / 3600, rem % 3600 / 60, rem % 60);
    if sqlite { format!("{t}+00:00") } else { format!("{t}Z") }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

// Same opaque cursor as Accord's `db::encode_cursor`.
fn encode_cursor(last_id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("id:{last_id}"))
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix("id:")?.parse().ok()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(port)) = (args.next(), args.next()) else {
        eprintln!("usage: accord-bare <sqlite://path | postgres://…> <port>");
        std::process::exit(2);
    };
    let port: u16 = port.parse()?;
    sqlx::any::install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    // Set up as Accord's `db::connect` does: WAL and the same pragmas on SQLite (8 connections
    // for reads and one for writes), 16 connections on PostgreSQL.
    let pool = pool_options(sqlite, if sqlite { 8 } else { 16 }).connect(&url).await?;
    let writer = if sqlite { pool_options(true, 1).connect(&url).await? } else { pool.clone() };
    let state = AppState { pool, writer, sqlite };
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/me", get(me))
        .route("/api/v1/users", get(users))
        .route("/api/v1/engagements/{id}/tasks", get(tasks).post(create_task))
        .route("/api/v1/engagements/{id}/tasks/{task_id}", get(task))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

fn pool_options(sqlite: bool, connections: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .min_connections(1)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    for p in [
                        "PRAGMA journal_mode = WAL",
                        "PRAGMA synchronous = NORMAL",
                        "PRAGMA busy_timeout = 10000",
                        "PRAGMA foreign_keys = ON",
                        "PRAGMA temp_store = memory",
                        "PRAGMA cache_size = -4000",
                    ] {
                        sqlx::query(p).execute(&mut *conn).await?;
                    }
                }
                Ok(())
            })
        })
}
