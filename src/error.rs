//! One error type for the whole server and the one place that turns it into a response.
//! Handlers return `AppResult<T>`; `web::errors::render` later shapes the body for the
//! caller (problem+json for the API, an HTML page for a browser) in the caller's language.

use std::sync::Arc;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::DbErr;
use serde::Serialize;

use crate::{db, i18n::Lang};

pub type AppResult<T> = Result<T, AppError>;

/// A translatable message: a Fluent key and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub const fn new(key: &'static str) -> Self {
        Self { key, args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        lang.t_args(self.key, &self.args)
    }
}

/// A problem with one input field, named as the client sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

/// Field errors collected while parsing one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, msg: Msg) {
        self.0.push(FieldError { field: field.into(), msg });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records the error of a parse step and returns its value when it succeeded.
    pub fn take<T>(&mut self, field: &str, parsed: Result<T, Msg>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(msg) => {
                self.add(field, msg);
                None
            }
        }
    }

    pub fn into_result(self) -> AppResult<()> {
        if self.is_empty() { Ok(()) } else { Err(AppError::Validation(self)) }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid input")]
    Validation(FieldErrors),
    #[error("bad request")]
    BadRequest(Msg),
    #[error("not signed in")]
    Unauthorized,
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("stale or missing CSRF token")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict(Msg),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64, msg: Msg },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match db::violation(&err) {
            Some(db::Violation::Unique) => Self::Conflict(Msg::new("error-conflict-unique")),
            Some(db::Violation::ForeignKey | db::Violation::Check) => Self::BadRequest(Msg::new("error-constraint")),
            None => Self::Internal(err.into()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(err: askama::Error) -> Self {
        Self::Internal(err.into())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(err: tokio::task::JoinError) -> Self {
        Self::Internal(err.into())
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized | Self::BadCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The sentence shown to the user (never internals for a 5xx).
    pub fn detail(&self) -> Msg {
        match self {
            Self::Validation(_) => Msg::new("error-validation"),
            Self::BadRequest(m) | Self::Conflict(m) => m.clone(),
            Self::TooManyRequests { msg, .. } => msg.clone(),
            Self::Unauthorized => Msg::new("error-unauthorized"),
            Self::BadCredentials => Msg::new("error-login-failed"),
            Self::Forbidden => Msg::new("error-forbidden"),
            Self::Csrf => Msg::new("error-csrf"),
            Self::NotFound => Msg::new("error-not-found"),
            Self::PayloadTooLarge => Msg::new("error-too-large"),
            Self::UnsupportedMediaType => Msg::new("error-media-type"),
            Self::Internal(_) => Msg::new("error-internal"),
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Validation(f) => &f.0,
            _ => &[],
        }
    }
}

/// What the renderer needs to know about an error, carried in the response extensions.
#[derive(Clone, Debug)]
pub struct ErrorInfo(pub Arc<AppError>);

#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`; `title` is the HTTP status text.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code of the detail message.
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn new(err: &AppError, lang: Lang) -> Self {
        let status = err.status();
        let detail = err.detail();
        Self {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.render(lang),
            code: detail.key.trim_start_matches("error-").to_owned(),
            errors: err
                .field_errors()
                .iter()
                .map(|f| ProblemField {
                    field: f.field.clone(),
                    code: f.msg.key.trim_start_matches("error-").to_owned(),
                    message: f.msg.render(lang),
                })
                .collect(),
        }
    }
}

pub fn problem_response(err: &AppError, lang: Lang) -> Response {
    let mut res = (err.status(), axum::Json(Problem::new(err, lang))).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    if let AppError::TooManyRequests { retry_after_secs, .. } = err
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = ?e, "request failed");
        }
        // An English problem body; the error middleware re-renders it for the caller.
        let mut res = problem_response(&self, Lang::En);
        res.extensions_mut().insert(ErrorInfo(Arc::new(self)));
        res
    }
}
