//! CSRF protection for every state-changing request a browser can be tricked into sending.
//!
//! The token is a keyed hash (HMAC-SHA256, with a secret kept in the database so every
//! instance agrees) of the browser's session id, or — before sign-in — of a random value in
//! an HttpOnly cookie. A token taken from another session is worth nothing here. It comes back
//! in the `_csrf` form field (the first field of a file upload, so the file need not be read
//! first) or the `X-CSRF-Token` header; never in a URL. Unsafe requests that a browser marks
//! as coming from another site (`Sec-Fetch-Site`, `Origin`) are refused outright. Bearer-token
//! API calls carry no ambient credentials and skip all of it.

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures_util::StreamExt;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::{
    AppState,
    auth::{bearer_of, constant_time_eq, session_cookie},
    db::settings,
    error::AppError,
    i18n::cookie,
};

pub const CSRF_COOKIE: &str = "accord_csrf";
pub const SECURE_CSRF_COOKIE: &str = "__Host-accord_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "_csrf";
const SECRET_KEY: &str = "csrf_secret";
/// How much of a multipart body is read to find its first field.
const FIRST_FIELD_LIMIT: usize = 16 * 1024;

/// The token of this request, for templates to put in forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

fn random_hex() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

fn well_formed(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies() { SECURE_CSRF_COOKIE } else { CSRF_COOKIE }
}

/// The server's secret, created on first use and kept in the settings table.
async fn secret(state: &AppState) -> Result<[u8; 32], AppError> {
    let key = state
        .csrf_key
        .get_or_try_init(|| async {
            let stored = settings::get_or_insert(&state.writer, SECRET_KEY, &random_hex()).await?;
            let mut key = [0u8; 32];
            hex::decode_to_slice(stored.trim(), &mut key).map_err(|e| anyhow::anyhow!("csrf secret: {e}"))?;
            Ok::<_, AppError>(key)
        })
        .await?;
    Ok(*key)
}

fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut inner_pad = [0x36u8; 64];
    let mut outer_pad = [0x5cu8; 64];
    for (i, k) in key.iter().enumerate() {
        inner_pad[i] ^= k;
        outer_pad[i] ^= k;
    }
    let inner = Sha256::new().chain_update(inner_pad).chain_update(message).finalize();
    Sha256::new().chain_update(outer_pad).chain_update(inner).finalize().into()
}

/// What a browser's token is bound to: its session, or before sign-in its pre-session cookie.
enum Binding {
    Session(String),
    Browser { value: String, fresh: bool },
}

impl Binding {
    fn of(state: &AppState, headers: &HeaderMap) -> Self {
        if let Some(sid) = cookie(headers, session_cookie(&state.config)).filter(|s| !s.is_empty()) {
            return Self::Session(sid);
        }
        match cookie(headers, cookie_name(state)).filter(|t| well_formed(t)) {
            Some(value) => Self::Browser { value, fresh: false },
            None => Self::Browser { value: random_hex(), fresh: true },
        }
    }

    fn message(&self) -> String {
        match self {
            Self::Session(sid) => format!("session:{sid}"),
            Self::Browser { value, .. } => format!("browser:{value}"),
        }
    }
}

/// The token a browser sending these headers must present (and that its pages carry).
pub async fn token_for(state: &AppState, headers: &HeaderMap) -> Result<String, AppError> {
    let binding = Binding::of(state, headers);
    Ok(hex::encode(hmac_sha256(&secret(state).await?, binding.message().as_bytes())))
}

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let binding = Binding::of(&state, req.headers());
    let key = match secret(&state).await {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let token = hex::encode(hmac_sha256(&key, binding.message().as_bytes()));
    let mut req = req;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let unbound = matches!(binding, Binding::Browser { fresh: true, .. });
        match check(&state, req, &token, unbound).await {
            Ok(r) => req = r,
            Err(e) => return e.into_response(),
        }
    }
    // Only pages carry forms; API, probes and assets get no cookie.
    let issue = match &binding {
        Binding::Browser { value, fresh: true } if is_page(req.uri().path()) => Some(value.clone()),
        _ => None,
    };
    req.extensions_mut().insert(CsrfToken(token));
    let mut res = next.run(req).await;
    if let Some(value) = issue {
        let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
        let name = cookie_name(&state);
        let value = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}");
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

fn is_page(path: &str) -> bool {
    !["/api/", "/static/", "/healthz", "/readyz", "/metrics"].iter().any(|p| path.starts_with(p))
}

/// Whether a browser says this request comes from a page of another site.
fn cross_site(state: &AppState, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none`: typed by the user or a bookmark; `same-origin`: our own pages.
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return false };
    let Ok(origin) = origin.to_str() else { return true };
    let authority = origin.split_once("://").map(|(_, a)| a);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let ours = state.config.base_url.split_once("://").map(|(_, a)| a);
    !(authority.is_some() && (authority == host || authority == ours))
}

/// Verifies the token of an unsafe request; returns the request with its body intact.
async fn check(state: &AppState, req: Request, token: &str, unbound: bool) -> Result<Request, AppError> {
    let headers = req.headers();
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer_of).is_some();
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let has_session = cookie(headers, session_cookie(&state.config)).is_some();
    // A script calling the API without a browser session carries no ambient credentials to
    // abuse (and the API reads JSON only, which a cross-site page can't send without a CORS
    // preflight). Everything else a browser can send (forms, text/plain, multipart) to a page,
    // or anything sent with the session cookie, needs the token.
    if bearer || (!has_session && req.uri().path().starts_with("/api/")) {
        return Ok(req);
    }
    if cross_site(state, headers) {
        return Err(AppError::Csrf);
    }
    let matches =
        |supplied: Option<&str>| !unbound && supplied.is_some_and(|s| constant_time_eq(s.as_bytes(), token.as_bytes()));
    if let Some(h) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if matches(Some(h)) { Ok(req) } else { Err(AppError::Csrf) };
    }
    if content_type.starts_with("multipart/form-data") {
        let (req, supplied) = first_multipart_field(req, &content_type).await?;
        return if matches(supplied.as_deref()) { Ok(req) } else { Err(AppError::Csrf) };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, state.config.body_limit).await.map_err(|_| AppError::PayloadTooLarge)?;
    let supplied = form_urlencoded_field(&bytes, CSRF_FIELD);
    if !matches(supplied.as_deref()) {
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

/// Reads just enough of a multipart body to see its first field and returns the request with
/// the whole body still to be read, and the field's value when it is `_csrf`.
async fn first_multipart_field(req: Request, content_type: &str) -> Result<(Request, Option<String>), AppError> {
    let Some(boundary) = boundary_of(content_type) else { return Ok((req, None)) };
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut head = Vec::new();
    let mut found = None;
    while head.len() < FIRST_FIELD_LIMIT {
        match first_field(&head, &boundary) {
            Parsed::Field(value) => {
                found = value;
                break;
            }
            Parsed::Never => break,
            Parsed::NeedMore => {}
        }
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(AppError::PayloadTooLarge),
            None => break,
        }
    }
    let rest = futures_util::stream::once(async move { Ok::<_, axum::Error>(Bytes::from(head)) }).chain(stream);
    Ok((Request::from_parts(parts, Body::from_stream(rest)), found))
}

enum Parsed {
    Field(Option<String>),
    NeedMore,
    /// The body does not start like a multipart body with this boundary.
    Never,
}

fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn first_field(buf: &[u8], boundary: &str) -> Parsed {
    let opening = format!("--{boundary}\r\n");
    if buf.len() < opening.len() {
        return if opening.as_bytes().starts_with(buf) { Parsed::NeedMore } else { Parsed::Never };
    }
    if !buf.starts_with(opening.as_bytes()) {
        return Parsed::Never;
    }
    let rest = &buf[opening.len()..];
    let Some(headers_end) = find(rest, b"\r\n\r\n") else { return Parsed::NeedMore };
    let headers = String::from_utf8_lossy(&rest[..headers_end]).to_ascii_lowercase();
    let named = headers.lines().any(|l| {
        l.starts_with("content-disposition:") && l.split(';').any(|p| p.trim() == format!("name=\"{CSRF_FIELD}\""))
    });
    if !named {
        return Parsed::Field(None);
    }
    let value = &rest[headers_end + 4..];
    let closing = format!("\r\n--{boundary}");
    match find(value, closing.as_bytes()) {
        Some(end) => Parsed::Field(std::str::from_utf8(&value[..end]).ok().map(str::to_owned)),
        None => Parsed::NeedMore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_multipart_field_is_found_across_chunks() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nDATA\r\n--XyZ--\r\n";
        assert!(matches!(first_field(body.as_bytes(), "XyZ"), Parsed::Field(Some(ref v)) if v == "abc123"));
        assert!(matches!(first_field(&body.as_bytes()[..20], "XyZ"), Parsed::NeedMore));
        assert!(matches!(first_field(&body.as_bytes()[..3], "XyZ"), Parsed::NeedMore));
        assert!(matches!(first_field(b"garbage", "XyZ"), Parsed::Never));
        let other = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--XyZ--";
        assert!(matches!(first_field(other.as_bytes(), "XyZ"), Parsed::Field(None)));
        assert_eq!(boundary_of("multipart/form-data; boundary=\"XyZ\"").as_deref(), Some("XyZ"));
    }

    #[test]
    fn hmac_matches_the_rfc_4231_vector() {
        // Test case 2 of RFC 4231 has a short key; pad it the way `hmac_sha256` does.
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let mac = hmac_sha256(&key, b"what do ya want for nothing?");
        assert_eq!(hex::encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
