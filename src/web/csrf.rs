//! CSRF protection for every state-changing request a browser can be tricked into sending:
//! a random token in an HttpOnly cookie must come back in the `_csrf` form field or the
//! `X-CSRF-Token` header. Bearer-token API calls carry no ambient credentials and skip it.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use rand::Rng;

use crate::{AppState, auth::SESSION_COOKIE, error::AppError, i18n::cookie};

pub const CSRF_COOKIE: &str = "accord_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "_csrf";

/// The token of this request, for templates to put in forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

fn well_formed(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE).filter(|t| well_formed(t));
    let fresh = existing.is_none();
    let token = existing.unwrap_or_else(new_token);

    let mut req = req;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        match check(req, &token, fresh, state.config.body_limit).await {
            Ok(r) => req = r,
            Err(e) => return e.into_response(),
        }
    }
    // Only pages carry forms; API, probes and assets get no cookie.
    let issue = fresh && is_page(req.uri().path());
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut res = next.run(req).await;
    if issue {
        let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
        let value = format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}");
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

fn is_page(path: &str) -> bool {
    !["/api/", "/static/", "/healthz", "/readyz", "/metrics"].iter().any(|p| path.starts_with(p))
}

/// Verifies the token of an unsafe request; returns the request with its body intact.
async fn check(req: Request, token: &str, fresh: bool, limit: usize) -> Result<Request, AppError> {
    let headers = req.headers();
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Bearer "));
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let has_session = cookie(headers, SESSION_COOKIE).is_some();
    // A script calling the API without a browser session carries no ambient credentials to
    // abuse (and the API reads JSON only, which a cross-site page can't send without a CORS
    // preflight). Everything else a browser can send (forms, text/plain, multipart) to a page,
    // or anything sent with the session cookie, needs the token.
    if bearer || (!has_session && req.uri().path().starts_with("/api/")) {
        return Ok(req);
    }
    if let Some(h) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if !fresh && constant_time_eq(h, token) { Ok(req) } else { Err(AppError::Csrf) };
    }
    // A file upload form can't put the token in a header without script, and its body is
    // too big to buffer here: it carries the token in its action URL instead. (The Referrer-Policy
    // keeps that URL on this origin.)
    if content_type.starts_with("multipart/form-data") {
        let supplied = req.uri().query().and_then(|q| form_urlencoded_field(q.as_bytes(), CSRF_FIELD));
        return if !fresh && supplied.is_some_and(|s| constant_time_eq(&s, token)) {
            Ok(req)
        } else {
            Err(AppError::Csrf)
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| AppError::PayloadTooLarge)?;
    let supplied = form_urlencoded_field(&bytes, CSRF_FIELD);
    if fresh || !supplied.is_some_and(|s| constant_time_eq(&s, token)) {
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn form_urlencoded_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}
