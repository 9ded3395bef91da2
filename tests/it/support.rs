//! The in-process test harness: a fresh database per test (a SQLite file in a temp folder, or
//! a PostgreSQL schema), the real router driven through `tower::ServiceExt::oneshot`, a cookie
//! jar for browser journeys, a real SMTP sink for mail (`smtp_sink`) and a manual clock.

#![allow(dead_code)]

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
};

use accord::{
    AppState, app,
    auth::{Via, load_viewer, tokens},
    clock::ManualClock,
    config::Config,
    db,
    mail::SmtpMailer,
};
use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tower::ServiceExt;

pub use crate::smtp_sink::{SmtpSink, decoded_body};

pub const PASSWORD: &str = accord::demo::DEMO_PASSWORD;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs the same test body on SQLite and on PostgreSQL, as two tests.
#[macro_export]
macro_rules! db_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::TestApp::new($crate::support::Backend::Sqlite).await;
                ($body)(app).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = $crate::support::TestApp::postgres().await else { return };
                ($body)(app).await
            }
        }
    };
}

pub fn pg_url() -> Option<String> {
    match std::env::var("ACCORD_TEST_PG") {
        Ok(v) if v == "skip" => None,
        Ok(v) if !v.is_empty() => Some(v),
        _ => Some("postgres://postgres@127.0.0.1:5432/test".to_owned()),
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    format!("{prefix}_{}_{:08x}_{n}", std::process::id(), rand::random::<u32>())
}

/// Where a test database lives, so a second instance can open it too.
#[derive(Clone, Debug)]
pub struct DbLocation {
    pub url: String,
    pub schema: Option<String>,
}

impl DbLocation {
    pub async fn connect(&self) -> db::Pools {
        db::connect(&self.url, self.schema.as_deref()).await.expect("connect")
    }
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub smtp: SmtpSink,
    pub backend: Backend,
    pub location: DbLocation,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite().await,
            Backend::Postgres => Self::postgres().await.expect("PostgreSQL is required here"),
        }
    }

    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        Self::build(Backend::Sqlite, DbLocation { url, schema: None }, dir).await
    }

    /// A TestApp on a fresh PostgreSQL schema, or None when PostgreSQL is skipped locally.
    /// With CI=true a missing PostgreSQL fails the test instead.
    pub async fn postgres() -> Option<Self> {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let Some(url) = pg_url() else {
            assert!(!ci, "ACCORD_TEST_PG=skip is not allowed when CI=true");
            eprintln!("PostgreSQL skipped (ACCORD_TEST_PG=skip)");
            return None;
        };
        let admin = match db::connect(&url, None).await {
            Ok(c) => c.write,
            Err(e) => {
                assert!(!ci, "PostgreSQL is required when CI=true: {e}");
                eprintln!("PostgreSQL unreachable, test skipped: {e}");
                return None;
            }
        };
        let schema = unique("it");
        admin.execute_unprepared(&format!("CREATE SCHEMA \"{schema}\"")).await.expect("create schema");
        admin.close().await.ok();
        let dir = tempfile::tempdir().expect("tempdir");
        Some(Self::build(Backend::Postgres, DbLocation { url, schema: Some(schema) }, dir).await)
    }

    async fn build(backend: Backend, location: DbLocation, dir: tempfile::TempDir) -> Self {
        let conn = location.connect().await;
        db::migrate(&conn.write).await.expect("migrate");
        let smtp = SmtpSink::start().await;
        Self::with_connection(backend, location, dir, conn, smtp)
    }

    fn with_connection(
        backend: Backend,
        location: DbLocation,
        dir: tempfile::TempDir,
        conn: db::Pools,
        smtp: SmtpSink,
    ) -> Self {
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("time")));
        let mut config = Config::for_tests(&location.url, dir.path().to_path_buf());
        config.smtp = Some(smtp.config());
        let mailer = Arc::new(SmtpMailer::new(config.smtp.as_ref().expect("smtp")).expect("mailer"));
        let state = AppState::new(conn, config, clock.clone(), mailer).expect("app state");
        let router = app(state.clone());
        Self { state, router, clock, smtp, backend, location, _dir: dir }
    }

    /// The same database and clock behind a router built from a changed configuration (rate
    /// limits, trusted proxies, https cookies, metrics token).
    pub fn reconfigured(mut self, change: impl FnOnce(&mut Config)) -> Self {
        let mut config = (*self.state.config).clone();
        change(&mut config);
        let limiter = Arc::new(accord::web::limits::Limiter::new(config.rate_limits));
        self.state.config = Arc::new(config);
        self.state.limiter = limiter;
        self.router = app(self.state.clone());
        self
    }

    /// A second instance (own pool, own router) on the same database, like a second process.
    pub async fn second_instance(&self) -> TestApp {
        let conn = self.location.connect().await;
        let dir = tempfile::tempdir().expect("tempdir");
        let smtp = SmtpSink::start().await;
        Self::with_connection(self.backend, self.location.clone(), dir, conn, smtp)
    }

    /// The database URL for the `accord` binary (on PostgreSQL, with this test's schema).
    pub fn cli_url(&self) -> String {
        match &self.location.schema {
            None => self.location.url.clone(),
            Some(s) => format!("{}?options=-c%20search_path%3D{s}", self.location.url),
        }
    }

    /// Reads. On SQLite this handle cannot write: tests that change rows behind the app's back
    /// use `writer()`.
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    pub fn writer(&self) -> &DatabaseConnection {
        &self.state.writer
    }

    /// Seeds the demo organisation: host (admin, pm, member, approver), vendors Yunfan and
    /// Shuzhi (manager, member each) and client East China Logistics (manager, member).
    /// The demo's parties, people and first engagement plan (`accord demo` adds more).
    pub async fn with_demo(self) -> Self {
        accord::demo::seed_to(&self.state, accord::demo::Extent::Plan).await.expect("demo");
        self
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        use accord::users::entity::user;
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(self.db())
            .await
            .expect("query")
            .expect("user")
            .id
    }

    pub async fn party_id(&self, name_prefix: &str) -> i64 {
        use accord::parties::entity::party;
        party::Entity::find()
            .filter(party::Column::Name.starts_with(name_prefix))
            .one(self.db())
            .await
            .expect("query")
            .expect("party")
            .id
    }

    /// The viewer of a user, for calling services directly.
    pub async fn viewer(&self, email: &str) -> accord::auth::Viewer {
        let id = self.user_id(email).await;
        load_viewer(&self.state, id, Via::Token).await.expect("load").expect("viewer")
    }

    /// An API token for a user, created directly (no password round trip), living ten years so
    /// tests that move the clock by months keep their callers.
    pub async fn token(&self, email: &str) -> String {
        let id = self.user_id(email).await;
        let viewer = load_viewer(&self.state, id, Via::Token).await.expect("load").expect("viewer");
        tokens::create(&self.state, &viewer, "test", Some(tokens::Lifetime::Days(3650))).await.expect("token").1
    }

    pub fn req(&self, method: Method, path: &str) -> Req {
        Req::new(&self.router, method, path)
    }

    pub fn get(&self, path: &str) -> Req {
        self.req(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Req {
        self.req(Method::POST, path)
    }

    pub fn patch(&self, path: &str) -> Req {
        self.req(Method::PATCH, path)
    }

    pub fn browser(&self) -> Browser {
        Browser {
            router: self.router.clone(),
            state: self.state.clone(),
            cookies: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// A browser already signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> Browser {
        let b = self.browser();
        let res = b.login(email, PASSWORD).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "login of {email} failed: {}", res.text());
        b
    }

    pub async fn run_jobs(&self) -> usize {
        accord::jobs::drain(&self.state, accord::app::JOBS, "test-worker").await.expect("jobs")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let Some(schema) = self.location.schema.clone() else { return };
        let url = self.location.url.clone();
        // Async drop does not exist; clean the schema up on a thread with its own runtime.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async move {
                if let Ok(db::Pools { write: c, .. }) = db::connect(&url, None).await {
                    let _ = c.execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE")).await;
                    let _ = c.close().await;
                }
            });
        })
        .join();
    }
}

/// A request under construction.
pub struct Req {
    router: Router,
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Vec<u8>,
    peer: Option<std::net::SocketAddr>,
}

impl Req {
    fn new(router: &Router, method: Method, path: &str) -> Self {
        Self {
            router: router.clone(),
            method,
            path: path.to_owned(),
            headers: HeaderMap::new(),
            body: Vec::new(),
            peer: None,
        }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.insert(name, value.parse().expect("header value"));
        self
    }

    /// The network peer the request comes from (in-process requests have none: "local").
    pub fn peer(mut self, ip: &str) -> Self {
        self.peer = Some(std::net::SocketAddr::new(ip.parse().expect("ip"), 40000));
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    pub fn json(mut self, value: serde_json::Value) -> Self {
        self.body = serde_json::to_vec(&value).expect("json");
        self.header("content-type", "application/json")
    }

    /// A `multipart/form-data` body: text fields, then an optional `file` part.
    pub fn multipart(mut self, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Self {
        const B: &str = "accord-test-boundary-7e3f";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!("--{B}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
            );
        }
        if let Some((name, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{B}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
        self.body = body;
        self.header("content-type", &format!("multipart/form-data; boundary={B}"))
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self.header("content-type", content_type)
    }

    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        self.body = serde_urlencoded::to_string(fields).expect("form").into_bytes();
        self.header("content-type", "application/x-www-form-urlencoded")
    }

    /// Sends the request; an answer of the API that its OpenAPI document does not declare fails
    /// the test (see `conformance`).
    pub async fn send(self) -> Res {
        let (method, path) = (self.method.to_string(), self.path.clone());
        let res = self.send_unchecked().await;
        let problems = crate::conformance::check(&method, &path, &res);
        assert!(problems.is_empty(), "{method} {path} answered against the document:\n{}", problems.join("\n"));
        res
    }

    /// Sends the request without checking the answer against the document.
    pub async fn send_unchecked(self) -> Res {
        let mut req = Request::builder().method(self.method).uri(&self.path);
        for (k, v) in &self.headers {
            req = req.header(k, v);
        }
        let mut req = req.body(Body::from(self.body)).expect("request");
        if let Some(peer) = self.peer {
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        }
        let res = self.router.oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.expect("body").to_bytes().to_vec();
        Res { status, headers, body }
    }
}

#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Res {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn location(&self) -> String {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
    }

    pub fn content_type(&self) -> String {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
    }

    /// The `field` errors of a problem document.
    pub fn field_errors(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["field"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

/// A browser: keeps cookies, sends the CSRF token with forms like the pages do.
#[derive(Clone)]
pub struct Browser {
    router: Router,
    state: AppState,
    cookies: Arc<Mutex<HashMap<String, String>>>,
}

impl Browser {
    fn cookie_header(&self) -> String {
        self.cookies.lock().expect("jar").iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn store(&self, res: &Res) {
        let mut jar = self.cookies.lock().expect("jar");
        for v in res.headers.get_all(header::SET_COOKIE) {
            let Ok(v) = v.to_str() else { continue };
            let Some((pair, attrs)) = v.split_once(';').or(Some((v, ""))) else { continue };
            let Some((name, value)) = pair.split_once('=') else { continue };
            if attrs.contains("Max-Age=0") || value.is_empty() {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }

    /// The CSRF token this browser's pages carry (bound to its session, or before sign-in to
    /// its pre-session cookie), fetching a page first when it has neither.
    pub async fn csrf(&self) -> String {
        let bound = {
            let jar = self.cookies.lock().expect("jar");
            jar.contains_key("accord_session") || jar.contains_key("accord_csrf")
        };
        if !bound {
            self.get("/login").await;
        }
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, self.cookie_header().parse().expect("cookie header"));
        accord::web::csrf::token_for(&self.state, &headers).await.expect("csrf token")
    }

    pub fn has_session(&self) -> bool {
        self.cookies.lock().expect("jar").contains_key("accord_session")
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies.lock().expect("jar").insert(name.to_owned(), value.to_owned());
    }

    /// A request carrying this browser's cookies.
    fn request(&self, method: Method, path: &str) -> Req {
        let req = Req::new(&self.router, method, path);
        let cookies = self.cookie_header();
        if cookies.is_empty() { req } else { req.header("cookie", &cookies) }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<(String, String)>>,
        extra: &[(&'static str, &str)],
    ) -> Res {
        let mut req = self.request(method, path);
        for (k, v) in extra {
            req = req.header(k, v);
        }
        if let Some(fields) = body {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            req = req.form(&refs);
        }
        let res = req.send().await;
        self.store(&res);
        res
    }

    pub async fn get(&self, path: &str) -> Res {
        self.send(Method::GET, path, None, &[]).await
    }

    /// Posts a form with the CSRF token of this browser's session (or pre-session cookie).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Res {
        let token = self.csrf().await;
        let mut all: Vec<(String, String)> = fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        all.push(("_csrf".into(), token));
        self.send(Method::POST, path, Some(all), &[]).await
    }

    /// Uploads like a browser's file form: multipart, with the CSRF token as its first field.
    pub async fn upload(&self, path: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Res {
        let token = self.csrf().await;
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        let res = self.request(Method::POST, path).multipart(&all, file).send().await;
        self.store(&res);
        res
    }

    /// Posts a form without any CSRF token.
    pub async fn post_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Res {
        let all = fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        self.send(Method::POST, path, Some(all), &[]).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Res {
        self.post("/login", &[("email", email), ("password", password), ("next", "/")]).await
    }
}

/// A route path with its placeholders made anonymous (`/contracts/{}`), query left out, so a
/// table's row and the code's route compare equal.
pub fn normalise_route(p: &str) -> String {
    p.split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .map(|seg| if seg.starts_with('{') { "{}" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every route registered in src/ (`.route("…"`, also when the path starts on the next line),
/// with `/api/v1` in front of those of the API router; placeholders kept as written.
pub fn routes_in_code() -> std::collections::BTreeSet<String> {
    let mut in_code = std::collections::BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            // api/mod.rs and each capability's api_routes.rs are mounted under /api/v1.
            let api = path.ends_with("api/mod.rs") || path.ends_with("api_routes.rs");
            let prefix = if api { "/api/v1" } else { "" };
            for piece in text.split(".route(").skip(1) {
                let Some(route) = piece.trim_start().strip_prefix('"').and_then(|r| r.split('"').next()) else {
                    continue;
                };
                // Except the ones api/mod.rs mounts whole.
                let prefix = if route.starts_with("/api/") { "" } else { prefix };
                in_code.insert(format!("{prefix}{route}"));
            }
        }
    }
    in_code
}
