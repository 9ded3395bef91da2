//! Documents: files attached to a milestone, deliverable or task, or kept in the engagement's
//! document area. Each upload is a new version; the bytes go to the object store under their
//! SHA-256 (so a retried upload stores nothing twice); the type is sniffed from the content;
//! every download is checked against the document's visibility and its record's.

pub mod api;
pub mod api_routes;
pub mod entity;
pub mod pages;
pub mod service;
pub mod sniff;
pub mod store;

use std::collections::HashMap;

use axum::{
    Router,
    extract::{DefaultBodyLimit, multipart::MultipartError},
    http::StatusCode,
    routing::{get, post},
};

use crate::{
    AppState,
    error::{AppError, AppResult, FieldErrors, Msg},
};

pub fn routes(state: &AppState) -> Router<AppState> {
    // Room for the file plus the form's other fields.
    let upload_limit = DefaultBodyLimit::max(state.config.upload_limit + 64 * 1024);
    Router::new()
        .route("/engagements/{id}/documents", get(pages::list).post(pages::upload).layer(upload_limit))
        .route("/documents/{id}", get(pages::detail))
        .route("/documents/{id}/versions", post(pages::new_version).layer(upload_limit))
        .route("/documents/{id}/download", get(pages::download))
}

/// A file as received.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Reads a multipart form: its text fields, and the `file` field up to `limit` bytes. Past
/// that limit, or past the route's body limit, the answer is 413 however far over it is; a form
/// that breaks off is 422.
pub async fn read_form(
    crate::web::Multipart(mut form): crate::web::Multipart,
    limit: usize,
) -> AppResult<(HashMap<String, String>, Option<Upload>)> {
    let mut fields = HashMap::new();
    let mut upload = None;
    let bad = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            let mut errors = FieldErrors::default();
            errors.add("body", Msg::new("error-multipart"));
            AppError::Validation(errors)
        }
    };
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if bytes.len() + chunk.len() > limit {
                    return Err(AppError::PayloadTooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            if !file_name.is_empty() || !bytes.is_empty() {
                upload = Some(Upload { file_name, bytes });
            }
        } else {
            let text = field.text().await.map_err(bad)?;
            fields.insert(name, text);
        }
    }
    Ok((fields, upload))
}
