//! Server-rendered pages: the page context every template gets, form state that keeps the
//! user's input, flash messages.

pub mod assets;
pub mod client_ip;
pub mod csrf;
pub mod errors;
pub mod export;
pub mod json;
pub mod limits;
pub mod markdown;
mod strict;
pub mod upload_forms;

use std::collections::HashMap;

use askama::Template;
use axum::{
    Router,
    extract::{FromRequest, FromRequestParts, Request},
    http::{HeaderMap, request::Parts},
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::{
    AppState,
    auth::{MaybeViewer, Viewer},
    error::{AppError, AppResult, FieldErrors, Msg},
    i18n::Lang,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/static/{file}", get(assets::serve))
}

/// Headers every response carries: no framing, no MIME sniffing, no referrer leaks, and a
/// content security policy that allows only our own scripts and styles (Swagger UI's pages,
/// whose scripts set inline styles, are exempt; `/api/docs` itself is not).
pub async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::{HeaderValue, header};
    let docs = req.uri().path().starts_with("/api/docs/ui");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !docs {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
            ),
        );
    }
    res
}

/// Renders a template into an HTML response.
pub fn render<T: Template>(template: &T) -> AppResult<Response> {
    Ok(Html(template.render()?).into_response())
}

/// A redirect after a successful form post (303, so the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A path parameter that can't be parsed (`/users/abc`) names no record: 404, like any other
/// record that isn't there, instead of axum's plain-text 400.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(_: axum::extract::rejection::PathRejection) -> Self {
        AppError::NotFound
    }
}

/// A query string read strictly enough to name what is wrong: a value of the wrong type
/// answers 422 on that parameter (axum's own `Query` answers a plain-text 400).
pub struct Query<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(de).map(Query).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { "query".to_owned() } else { path };
            let mut errors = FieldErrors::default();
            errors.add(field, Msg::new("error-query").arg("detail", e.inner()));
            AppError::Validation(errors)
        })
    }
}

/// A `multipart/form-data` body: another media type answers 415 and a form without its
/// boundary 422, both as problems (axum's own `Multipart` answers a plain-text 400).
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
        if !multipart {
            return Err(AppError::UnsupportedMediaType);
        }
        axum::extract::Multipart::from_request(req, state).await.map(Multipart).map_err(|_| {
            let mut errors = FieldErrors::default();
            errors.add("body", Msg::new("error-multipart"));
            AppError::Validation(errors)
        })
    }
}

/// The signed-in user as the page frame shows them.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub party_id: i64,
    pub party_name: String,
    pub party_kind: String,
    pub role: String,
    pub is_admin: bool,
    pub is_host: bool,
    pub can_see_audit: bool,
    pub can_manage_users: bool,
}

impl From<&Viewer> for CurrentUser {
    fn from(v: &Viewer) -> Self {
        Self {
            id: v.user.id,
            name: v.user.name.clone(),
            email: v.user.email.clone(),
            party_id: v.party.id,
            party_name: v.party.name.clone(),
            party_kind: v.kind.as_str().to_owned(),
            role: v.role.as_str().to_owned(),
            is_admin: v.is_admin(),
            is_host: v.is_host(),
            can_see_audit: v.is_admin(),
            can_manage_users: v.is_admin() || v.is_party_manager(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flash {
    pub kind: &'static str,
    pub message: String,
}

const FLASH_KEY: &str = "flash";

/// Queues a message for the next page the user sees.
pub async fn flash(session: &Session, kind: &'static str, message: String) -> AppResult<()> {
    let mut list: Vec<(String, String)> =
        session.get(FLASH_KEY).await.map_err(anyhow::Error::from)?.unwrap_or_default();
    list.push((kind.to_owned(), message));
    session.insert(FLASH_KEY, list).await.map_err(anyhow::Error::from)?;
    Ok(())
}

async fn take_flashes(session: &Session) -> Vec<Flash> {
    // Read first and remove only when present: a removal marks the session modified, and a
    // save on every page view would also write back a session ended meanwhile elsewhere.
    let list: Vec<(String, String)> = session.get(FLASH_KEY).await.ok().flatten().unwrap_or_default();
    if !list.is_empty() {
        let _ = session.remove::<Vec<(String, String)>>(FLASH_KEY).await;
    }
    list.into_iter()
        .map(|(kind, message)| Flash {
            kind: match kind.as_str() {
                "success" => "success",
                "error" => "error",
                _ => "info",
            },
            message,
        })
        .collect()
}

/// What every page template receives as `page`.
#[derive(Clone, Debug)]
pub struct PageCtx {
    pub lang: &'static str,
    pub user: Option<CurrentUser>,
    pub csrf: String,
    pub flashes: Vec<Flash>,
    pub path: String,
    pub asset_version: &'static str,
    pub language: Lang,
    /// Unread notifications of the signed-in user, for the badge.
    pub unread: u64,
}

impl PageCtx {
    pub fn t(&self, key: &str) -> String {
        self.language.t(key)
    }

    /// Whether a filter's current value is `code` (templates compare `String` with `&&str`
    /// through here).
    pub fn selected(&self, current: &str, code: &str) -> bool {
        current == code
    }

    /// The message `{prefix}{code}`: the label of one value of an enumeration.
    pub fn label(&self, prefix: &str, code: &str) -> String {
        self.language.t(&format!("{prefix}{code}"))
    }

    /// The colon after a label as the page's language writes it: full-width in Chinese.
    pub fn colon(&self) -> &'static str {
        match self.language {
            Lang::ZhCn => "：",
            Lang::En => ": ",
        }
    }

    /// A record's stored title (feed, notification, search hit) as this page's language reads it.
    pub fn record_title(&self, kind: &str, stored: &str) -> String {
        crate::i18n::record_title(self.language, kind, stored)
    }

    pub fn t1(&self, key: &str, arg: &str, value: &str) -> String {
        self.language.t_args(key, &[(arg, value.to_owned())])
    }

    pub fn asset(&self, file: &str) -> String {
        format!("/static/{file}?v={}", self.asset_version)
    }

    pub fn active(&self, prefix: &str) -> bool {
        let path = self.path.split('?').next().unwrap_or("");
        if prefix == "/" { path == "/" } else { path == prefix || path.starts_with(&format!("{prefix}/")) }
    }

    pub fn other_lang(&self) -> &'static str {
        match self.language {
            Lang::ZhCn => "en",
            Lang::En => "zh-CN",
        }
    }

    /// A context for pages rendered outside a handler (error pages).
    pub fn bare(lang: Lang, csrf: String, path: String, asset_version: &'static str) -> Self {
        Self {
            lang: lang.code(),
            user: None,
            csrf,
            flashes: Vec::new(),
            path,
            asset_version,
            language: lang,
            unread: 0,
        }
    }
}

/// The language of a request for a (possibly signed-in) viewer.
pub fn request_lang(viewer: Option<&Viewer>, headers: &HeaderMap) -> Lang {
    viewer
        .and_then(|v| v.user.locale.as_deref())
        .and_then(Lang::parse)
        .unwrap_or_else(|| Lang::from_headers(headers, Lang::ZhCn))
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let MaybeViewer(viewer) = MaybeViewer::from_request_parts(parts, state).await?;
        let language = request_lang(viewer.as_ref(), &parts.headers);
        let csrf = parts.extensions.get::<csrf::CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let flashes = match parts.extensions.get::<Session>() {
            Some(s) => take_flashes(s).await,
            None => Vec::new(),
        };
        let unread = match &viewer {
            Some(v) => crate::collab::notifications::unread_count(state, v).await?,
            None => 0,
        };
        Ok(Self {
            unread,
            lang: language.code(),
            user: viewer.as_ref().map(CurrentUser::from),
            csrf,
            flashes,
            path: parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into()),
            asset_version: state.assets.version,
            language,
        })
    }
}

/// The fields of a submitted HTML form.
pub struct FormData(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let urlencoded = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !urlencoded {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(Msg::new("error-form"))
            }
        })?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::BadRequest(Msg::new("error-form")))?;
        // A field sent more than once (a multiple select, checkboxes) keeps every value, one per line.
        let mut map: HashMap<String, String> = HashMap::new();
        for (k, v) in pairs {
            map.entry(k).and_modify(|old| (*old).push_str(&format!("\n{v}"))).or_insert(v);
        }
        Ok(Self(map))
    }
}

impl FormData {
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map(String::as_str).unwrap_or("")
    }

    /// The field trimmed, or none when it is empty.
    pub fn opt(&self, field: &str) -> Option<String> {
        Some(self.get(field).trim().to_owned()).filter(|v| !v.is_empty())
    }

    /// An amount typed into the field (in the record's own currency), or none when empty.
    pub fn money(&self, field: &str) -> Option<crate::money::MoneyDto> {
        self.opt(field).map(|amount| crate::money::MoneyDto { amount, currency: None })
    }

    /// An id picked in a select, or none when empty or not an id.
    pub fn id(&self, field: &str) -> Option<crate::domain::Id> {
        self.opt(field).and_then(|v| crate::domain::parse_id(&v).ok()).map(crate::domain::Id)
    }

    /// Every value of a field sent several times (a multiple select, checkboxes).
    pub fn all(&self, field: &str) -> Vec<&str> {
        self.get(field).lines().map(str::trim).filter(|v| !v.is_empty()).collect()
    }

    /// The ids picked in a multiple select; one that is not an id is an error on `field`.
    pub fn ids(&self, field: &str, errors: &mut FieldErrors) -> Vec<crate::domain::Id> {
        let mut out = Vec::new();
        for raw in self.all(field) {
            match crate::domain::parse_id(raw) {
                Ok(i) => out.push(crate::domain::Id(i)),
                Err(m) => errors.add(field, m),
            }
        }
        out
    }

    /// The form's fields as a JSON object, for service inputs shared with the API.
    pub fn to_input<T: serde::de::DeserializeOwned>(&self, fields: &[&str]) -> AppResult<T> {
        // An empty choice in a select ("none") means the reference is absent.
        let obj: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .filter_map(|f| self.0.get(*f).map(|v| (*f, v)))
            .filter(|(f, v)| !(f.ends_with("_id") && v.trim().is_empty()))
            .map(|(f, v)| (f.to_owned(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::from_value(serde_json::Value::Object(obj)).map_err(|_| AppError::BadRequest(Msg::new("error-form")))
    }
}

/// Values and errors of one form; the user's input is kept after an error (never passwords).
#[derive(Clone, Debug, Default)]
pub struct FormState {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
    general: Option<String>,
}

impl FormState {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn from_form(form: &FormData) -> Self {
        let values = form
            .0
            .iter()
            .filter(|(k, _)| !k.contains("password") && k.as_str() != "_csrf")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Self { values, ..Self::default() }
    }

    pub fn with(mut self, field: &str, value: impl Into<String>) -> Self {
        self.values.insert(field.to_owned(), value.into());
        self
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map(String::as_str).unwrap_or("")
    }

    /// Whether `v` is among the values of a field sent several times (a multiple select).
    pub fn has(&self, field: &str, v: &str) -> bool {
        self.value(field).lines().any(|l| l.trim() == v)
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    pub fn general(&self) -> Option<&str> {
        self.general.as_deref()
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.general.is_some()
    }

    pub fn set_error(&mut self, field: &str, message: String) {
        self.errors.entry(field.to_owned()).or_insert(message);
    }

    pub fn set_general(&mut self, message: String) {
        self.general = Some(message);
    }

    pub fn set_field_errors(&mut self, errors: &FieldErrors, lang: Lang) {
        for e in &errors.0 {
            self.set_error(&e.field, e.msg.render(lang));
        }
    }

    /// Shows a user-caused error on the form; hands anything else (404, 500…) back.
    pub fn absorb(&mut self, err: AppError, lang: Lang) -> AppResult<()> {
        match err {
            AppError::Validation(f) => self.set_field_errors(&f, lang),
            AppError::Conflict(m) | AppError::BadRequest(m) => self.set_general(m.render(lang)),
            AppError::BadCredentials => self.set_general(err_msg("error-login-failed", lang)),
            AppError::TooManyRequests { msg, .. } => self.set_general(msg.render(lang)),
            // Only an upload is large enough to reach the limit, and its part is `file`.
            AppError::PayloadTooLarge => self.set_error("file", err_msg("error-too-large", lang)),
            other => return Err(other),
        }
        Ok(())
    }
}

fn err_msg(key: &'static str, lang: Lang) -> String {
    Msg::new(key).render(lang)
}

pub use crate::clock::local_time;

/// The `?next=` target after login, restricted to local paths so it can't send users elsewhere.
pub fn safe_next(next: &str) -> &str {
    // Browsers drop tabs and newlines from URLs and treat `\` like `/`, so "/\t/evil" would
    // become "//evil": allow visible ASCII only, and no second slash or backslash up front.
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if local { next } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_targets_stay_on_this_site() {
        for ok in ["/", "/parties?kind=vendor", "/users/3"] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "evil", "/a b", ""]
        {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
