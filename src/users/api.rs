//! `/api/v1/users`: list, create (with password or invitation), read, patch.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    error::{AppResult, FieldErrors, Problem},
    parties::entity::party,
    users::{
        entity::user,
        service::{self, NewUser, UserFilter, UserPatch, UserSummary},
    },
    web::Path,
    web::json::{ApiJson, List, page_params},
    web::request_lang,
};

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub role: String,
    pub party_id: Id,
    pub party_name: String,
    pub party_kind: String,
    pub active: bool,
    /// `zh-CN` or `en`; null means "from the browser".
    pub locale: Option<String>,
    pub time_zone: String,
    /// True until an invited user has set a password.
    pub invitation_pending: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl From<UserSummary> for UserDto {
    fn from(u: UserSummary) -> Self {
        Self {
            id: Id(u.id),
            email: u.email,
            name: u.name,
            role: u.role,
            party_id: Id(u.party_id),
            party_name: u.party_name,
            party_kind: u.party_kind,
            active: u.active,
            locale: u.locale,
            time_zone: u.time_zone,
            invitation_pending: u.invitation_pending,
            created_at: u.created_at,
            last_login_at: u.last_login_at,
        }
    }
}

impl UserDto {
    pub fn new(u: &user::Model, p: &party::Model) -> Self {
        Self {
            id: Id(u.id),
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.clone(),
            party_id: Id(p.id),
            party_name: p.name.clone(),
            party_kind: p.kind.clone(),
            active: u.active,
            locale: u.locale.clone(),
            time_zone: u.time_zone.clone(),
            invitation_pending: u.password_hash.is_none(),
            created_at: u.created_at,
            last_login_at: u.last_login_at,
        }
    }
}

/// Users the caller may see: everyone for the host, the caller's own party otherwise.
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    params(
        ("limit" = Option<u64>, Query, description = "1–500, default 50"),
        ("cursor" = Option<String>, Query),
        ("party_id" = Option<String>, Query),
        ("role" = Option<String>, Query),
        ("status" = Option<String>, Query, description = "active | inactive"),
        ("q" = Option<String>, Query, description = "matches name or e-mail"),
    ),
    responses((status = 200, body = List<UserDto>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<UserDto>>> {
    let (limit, after) = page_params(&q)?;
    let filter = UserFilter {
        party: q.get("party_id").and_then(|v| v.parse().ok()),
        role: q.get("role").cloned(),
        status: q.get("status").cloned(),
        q: q.get("q").cloned(),
    };
    let (rows, next_cursor) = service::list(&state, &viewer, &filter, limit, after).await?;
    Ok(Json(List { items: rows.into_iter().map(UserDto::from).collect(), next_cursor }))
}

/// Create a user. Without `password`, an invitation e-mail is sent.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = UserDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
    ApiJson(input): ApiJson<NewUser>,
) -> AppResult<(StatusCode, Json<UserDto>)> {
    let lang = request_lang(Some(&viewer), &headers);
    let created = service::create(&state, &viewer, input, lang, FieldErrors::default()).await?;
    let u = service::summary(&state, &viewer, created.user.id).await?;
    Ok((StatusCode::CREATED, Json(u.into())))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = UserDto), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<UserDto>> {
    Ok(Json(service::summary(&state, &viewer, id).await?.into()))
}

/// Change name, role, status (`active`), language or time zone.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)), request_body = UserPatch,
    responses((status = 200, body = UserDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<UserPatch>,
) -> AppResult<Json<UserDto>> {
    service::update(&state, &viewer, id, patch).await?;
    Ok(Json(service::summary(&state, &viewer, id).await?.into()))
}
