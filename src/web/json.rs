//! JSON in and out of the API, for every capability's handlers: strict bodies (`ApiJson`,
//! `OptionalJson`: unknown fields and wrong types name the field), one page of a list (`List`)
//! and its `limit` / `cursor` parameters (`page_params`).

use std::collections::HashMap;

use axum::{
    extract::{FromRequest, Request},
    http::header,
};
use serde::{Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

use super::strict;
use crate::{
    db,
    error::{AppError, AppResult, FieldErrors, Msg},
};

/// A JSON body parsed strictly: wrong content type → 415, too large → 413, no body → 422 on
/// `body`, anything that does not fit the type (trailing data, an array for an object, a key
/// twice) → 422 naming the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match read_json_body(req, state).await? {
            Some(bytes) => parse_json(&bytes).map(ApiJson),
            None => {
                let mut errors = FieldErrors::default();
                errors.add("body", Msg::new("error-required"));
                Err(AppError::Validation(errors))
            }
        }
    }
}

/// Like [`ApiJson`], but an empty body means `T::default()` (for actions whose fields are all
/// optional, such as freezing a requirement set).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match read_json_body(req, state).await? {
            Some(bytes) => parse_json(&bytes).map(OptionalJson),
            None => Ok(Self(T::default())),
        }
    }
}

/// The bytes of a JSON body, or none when the request has no body (or only white space),
/// whatever its content type says; a body of any media type but JSON is refused.
async fn read_json_body<S: Send + Sync>(req: Request, state: &S) -> AppResult<Option<axum::body::Bytes>> {
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    let is_json =
        media.as_deref().map(|m| m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")));
    let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(Msg::new("error-body"))
        }
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(None)
    } else if is_json == Some(true) {
        Ok(Some(bytes))
    } else {
        Err(AppError::UnsupportedMediaType)
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> AppResult<T> {
    let value = strict::read(bytes).map_err(|(path, e)| {
        // A syntax error has no field to name; a key given twice names itself.
        let detail = e.to_string();
        let detail = detail.split(" at line ").next().unwrap_or(&detail).to_owned();
        let mut errors = FieldErrors::default();
        if path.is_empty() {
            errors.add("body", Msg::new("error-json-syntax").arg("detail", detail));
        } else {
            errors.add(path, Msg::new("error-duplicate-field"));
        }
        AppError::Validation(errors)
    })?;
    serde_path_to_error::deserialize(strict::Strict(value)).map_err(|e| {
        let inner = e.inner().to_string();
        let path = e.path().to_string();
        // serde reports an unknown field at its parent; the message names it.
        let named = inner.strip_prefix("unknown field `").or_else(|| inner.strip_prefix("missing field `"));
        let field = if let Some(rest) = named {
            let name = rest.split('`').next().unwrap_or("");
            if path == "." {
                name.to_owned()
            } else if path == name || path.ends_with(&format!(".{name}")) {
                path
            } else {
                format!("{path}.{name}")
            }
        } else if path == "." {
            "body".to_owned()
        } else {
            path
        };
        let key = if inner.starts_with("unknown field") {
            "error-unknown-field"
        } else if inner.starts_with("missing field") {
            "error-required"
        } else {
            "error-json-type"
        };
        let detail = inner.split(" at line ").next().unwrap_or(&inner).to_owned();
        let mut errors = FieldErrors::default();
        errors.add(field, Msg::new(key).arg("detail", detail));
        AppError::Validation(errors)
    })
}

/// One page of a list.
#[derive(Serialize, ToSchema)]
pub struct List<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// `limit` and `cursor` from a query string, checked.
pub fn page_params(q: &HashMap<String, String>) -> AppResult<(u64, Option<i64>)> {
    let mut errors = FieldErrors::default();
    let limit = match q.get("limit") {
        None => db::DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<u64>() {
            Ok(n) if (1..=db::MAX_LIMIT).contains(&n) => n,
            _ => {
                errors.add("limit", Msg::new("error-limit").arg("max", db::MAX_LIMIT));
                db::DEFAULT_LIMIT
            }
        },
    };
    let after = match q.get("cursor").filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => {
            let v = db::decode_cursor(c);
            if v.is_none() {
                errors.add("cursor", Msg::new("error-cursor"));
            }
            v
        }
    };
    errors.into_result()?;
    Ok((limit, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        count: u32,
    }

    fn field_of(json: &str) -> String {
        match parse_json::<Body>(json.as_bytes()) {
            Err(AppError::Validation(f)) => f.0[0].field.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn body_errors_name_the_field() {
        assert_eq!(field_of(r#"{"name":"a","count":"x"}"#), "count");
        assert_eq!(field_of(r#"{"name":"a","count":1,"extra":true}"#), "extra");
        assert_eq!(field_of(r#"{"name":"a"}"#), "count");
        assert_eq!(field_of("not json"), "body");
        assert_eq!(field_of(r#"["a", 1]"#), "body");
        assert_eq!(field_of(r#"{"name":"a","count":1} {"x":1}"#), "body");
        assert_eq!(field_of(r#"{"name":"a","count":1,"count":2}"#), "count");
    }
}
