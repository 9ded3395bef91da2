//! `/api/v1` for documents. Uploads are `multipart/form-data` with a `file` part and the text
//! fields of [`DocumentInput`]; the bytes come back from `GET /documents/{id}/download`.

use std::collections::HashMap;

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    auth::Viewer,
    documents::{
        entity::{document, version},
        read_form,
        service::{self, DocumentInput},
    },
    domain::Id,
    error::{AppResult, Problem},
    web::json::List,
    web::{Multipart, Path},
};

#[derive(Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: Id,
    pub engagement_id: Id,
    pub subject_kind: Option<String>,
    pub subject_id: Option<Id>,
    pub name: String,
    pub visibility: String,
    pub visible_party_id: Option<Id>,
    pub current_version: i32,
    pub size: i64,
    pub content_type: String,
    pub download_url: String,
    pub updated_at: DateTime<Utc>,
    /// Newest first; only in single-document answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<VersionDto>>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = DocumentVersionDto)]
pub struct VersionDto {
    pub version: i32,
    pub size: i64,
    pub content_type: String,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

fn dto(d: document::Model, versions: Option<Vec<version::Model>>) -> DocumentDto {
    DocumentDto {
        download_url: format!("/documents/{}/download", d.id),
        id: Id(d.id),
        engagement_id: Id(d.engagement_id),
        subject_kind: d.subject_kind,
        subject_id: d.subject_id.map(Id),
        name: d.name,
        visibility: d.visibility,
        visible_party_id: d.visible_party_id.map(Id),
        current_version: d.current_version,
        size: d.size,
        content_type: d.content_type,
        updated_at: d.updated_at,
        versions: versions.map(|vs| {
            vs.into_iter()
                .map(|v| VersionDto {
                    version: v.version,
                    size: v.size,
                    content_type: v.content_type,
                    sha256: v.sha256,
                    created_at: v.created_at,
                })
                .collect()
        }),
    }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/documents", tag = "documents", params(("id" = String, Path)),
    responses((status = 200, body = List<DocumentDto>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<DocumentDto>>> {
    let docs = service::list(&state, &viewer, id, None).await?;
    Ok(Json(List { items: docs.into_iter().map(|d| dto(d, None)).collect(), next_cursor: None }))
}

/// Multipart: `file` (required), `name`, `visibility`, `visible_party_id`, `subject_kind`
/// (milestone | deliverable | task) with `subject_id`.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/documents", tag = "documents", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", content = crate::web::upload_forms::DocumentForm),
    responses((status = 201, body = DocumentDto), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, Json<DocumentDto>)> {
    // Nothing is read from the body for an engagement the caller may not see.
    crate::engagements::service::get(&state, &viewer, id).await?;
    let (fields, file): (HashMap<String, String>, _) = read_form(form, state.config.upload_limit).await?;
    let d = service::create(&state, &viewer, id, DocumentInput::from_fields(&fields)?, file).await?;
    let versions = service::versions(&state, d.id).await?;
    Ok((StatusCode::CREATED, Json(dto(d, Some(versions)))))
}

#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents", params(("id" = String, Path)),
    responses((status = 200, body = DocumentDto), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<DocumentDto>> {
    let (d, _) = service::one(&state, &viewer, id).await?;
    let versions = service::versions(&state, id).await?;
    Ok(Json(dto(d, Some(versions))))
}

/// Multipart with a `file` part: the next version.
#[utoipa::path(post, path = "/api/v1/documents/{id}/versions", tag = "documents", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", content = crate::web::upload_forms::FileForm),
    responses((status = 201, body = DocumentDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_version(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, Json<DocumentDto>)> {
    service::one(&state, &viewer, id).await?;
    let (_, file) = read_form(form, state.config.upload_limit).await?;
    service::add_version(&state, &viewer, id, file).await?;
    let (d, _) = service::one(&state, &viewer, id).await?;
    let versions = service::versions(&state, id).await?;
    Ok((StatusCode::CREATED, Json(dto(d, Some(versions)))))
}
