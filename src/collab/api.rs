//! `/api/v1` for comments, the activity feed and notifications.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    AppState,
    auth::Viewer,
    collab::{SubjectKind, activity, comments, notifications, subject},
    db,
    domain::Id,
    error::{AppError, AppResult, FieldErrors, Msg, Problem},
    web::Path,
    web::json::{ApiJson, List},
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// milestone | deliverable | task
    pub subject_kind: String,
    pub subject_id: Id,
    /// Plain text; `@name` or `@email` mentions someone who may see the record.
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct CommentDto {
    pub id: Id,
    /// Empty when the author belongs to a party the caller may not learn of.
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

fn subject_kind(raw: &str) -> AppResult<SubjectKind> {
    SubjectKind::parse(raw).ok_or_else(|| {
        let mut e = FieldErrors::default();
        e.add("subject_kind", Msg::new("error-subject"));
        AppError::Validation(e)
    })
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/comments", tag = "collaboration", params(("id" = String, Path)),
    request_body = NewComment,
    responses((status = 201, body = CommentDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_comment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<NewComment>,
) -> AppResult<(StatusCode, Json<CommentDto>)> {
    let s = subject(&state, &viewer, id, subject_kind(&input.subject_kind)?, input.subject_id.0).await?;
    let c = comments::create(&state, &viewer, &s, comments::CommentInput { body: input.body }).await?;
    Ok((
        StatusCode::CREATED,
        Json(CommentDto {
            id: Id(c.id),
            author_name: viewer.user.name.clone(),
            body: c.body,
            created_at: c.created_at,
        }),
    ))
}

/// Comments on one record, oldest first: `?subject_kind=task&subject_id=7`.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/comments", tag = "collaboration",
    params(("id" = String, Path), ("subject_kind" = String, Query), ("subject_id" = String, Query)),
    responses((status = 200, body = List<CommentDto>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn comments(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<CommentDto>>> {
    let kind = subject_kind(q.get("subject_kind").map(String::as_str).unwrap_or_default())?;
    let Some(rid) = q.get("subject_id").and_then(|v| v.parse::<i64>().ok()) else {
        let mut e = FieldErrors::default();
        e.add("subject_id", Msg::new("error-subject"));
        return Err(AppError::Validation(e));
    };
    let s = subject(&state, &viewer, id, kind, rid).await?;
    let items = comments::list(&state, &viewer, &s)
        .await?
        .into_iter()
        .map(|c| CommentDto { id: Id(c.id), author_name: c.author_name, body: c.body, created_at: c.at })
        .collect();
    Ok(Json(List { items, next_cursor: None }))
}

#[derive(Serialize, ToSchema)]
pub struct ActivityDto {
    pub id: Id,
    pub actor_name: String,
    /// created | updated | progress | commented | document_added | document_version | achieved | missed | rescheduled
    pub verb: String,
    pub title: String,
    pub url: String,
    pub at: DateTime<Utc>,
}

/// The engagement's feed, newest first; `cursor` pages to older lines.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/activity", tag = "collaboration",
    params(("id" = String, Path), ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<ActivityDto>), (status = 404, body = Problem)))]
pub async fn activity(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<ActivityDto>>> {
    let (limit, before) = crate::web::json::page_params(&q)?;
    let lines = activity::feed(&state, &viewer, id, None, limit, before).await?;
    let next_cursor = (lines.len() as u64 == limit).then(|| lines.last().map(|l| db::encode_cursor(l.id))).flatten();
    let items = lines
        .into_iter()
        .map(|l| ActivityDto {
            id: Id(l.id),
            actor_name: l.actor_name,
            verb: l.verb,
            title: l.title,
            url: l.url,
            at: l.at,
        })
        .collect();
    Ok(Json(List { items, next_cursor }))
}

#[derive(Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: Id,
    /// assignment | mention | due_soon | overdue
    pub kind: String,
    pub engagement_id: Id,
    pub subject_kind: String,
    pub subject_id: Id,
    pub title: String,
    pub read: bool,
    pub url: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub items: Vec<NotificationDto>,
    pub next_cursor: Option<String>,
    pub unread: u64,
}

/// The caller's notifications, newest first; `unread=true` for unread ones only.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "collaboration",
    params(("unread" = Option<bool>, Query), ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = NotificationList)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<NotificationList>> {
    let (limit, before) = crate::web::json::page_params(&q)?;
    let unread_only = q.get("unread").is_some_and(|v| v == "true" || v == "1");
    let (rows, next) = notifications::list(&state, &viewer, unread_only, limit, before).await?;
    let unread = notifications::unread_count(&state, &viewer).await?;
    let items = rows
        .into_iter()
        .map(|n| NotificationDto {
            url: notifications::url(&n),
            id: Id(n.id),
            kind: n.kind,
            engagement_id: Id(n.engagement_id),
            subject_kind: n.subject_kind,
            subject_id: Id(n.subject_id),
            title: n.title,
            read: n.read_at.is_some(),
            created_at: n.created_at,
        })
        .collect();
    Ok(Json(NotificationList { items, next_cursor: next.map(db::encode_cursor), unread }))
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "collaboration", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn mark_read(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<StatusCode> {
    notifications::open(&state, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "collaboration",
    responses((status = 204)))]
pub async fn read_all(State(state): State<AppState>, viewer: Viewer) -> AppResult<StatusCode> {
    notifications::read_all(&state, &viewer).await?;
    Ok(StatusCode::NO_CONTENT)
}
