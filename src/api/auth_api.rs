//! `POST /api/v1/tokens` (exchange e-mail and password for a token), `GET /api/v1/me`, and a
//! user's tokens (`/api/v1/users/{id}/tokens`: their own, or anyone's for an administrator).

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    AppState,
    auth::{Via, Viewer, load_viewer, tokens},
    error::{AppError, AppResult, Problem},
    users::{self, api::UserDto},
    web::client_ip::ClientIp,
    web::json::ApiJson,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// A label to recognise the token by; defaults to "API".
    #[serde(default)]
    pub name: Option<String>,
    /// Days until the token stops working (1–3650; the server's default, 90, when absent), or
    /// `"never"` (administrators only, for service accounts).
    #[serde(default)]
    pub expires_in_days: Option<LifetimeInput>,
}

#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum LifetimeInput {
    Days(u32),
    /// `"never"`.
    Word(String),
}

impl LifetimeInput {
    fn parse(&self) -> Result<Option<tokens::Lifetime>, crate::error::Msg> {
        match self {
            Self::Days(d) => tokens::Lifetime::parse(&d.to_string()),
            Self::Word(w) if w.trim().is_empty() => {
                Err(crate::error::Msg::new("error-token-lifetime").arg("max", tokens::MAX_TOKEN_DAYS))
            }
            Self::Word(w) => tokens::Lifetime::parse(w),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// The secret; shown this once. Send it as `Authorization: Bearer …`.
    pub token: String,
    pub id: crate::domain::Id,
    /// When it stops working; null for a token that never expires.
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A token as its owner and administrators see it (never the secret).
#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: crate::domain::Id,
    pub name: String,
    /// `active`, `expired` or `revoked`.
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Exchange e-mail and password for an API token.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", security(()), request_body = TokenRequest,
    responses(
        (status = 201, body = TokenResponse),
        (status = 401, description = "Wrong e-mail or password", body = Problem),
        (status = 429, description = "Too many failed attempts", body = Problem),
        (status = 422, body = Problem),
    ))]
pub async fn create_token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<TokenRequest>,
) -> AppResult<(StatusCode, Json<TokenResponse>)> {
    // Check the label before the login, which records itself.
    let name = req.name.unwrap_or_else(|| "API".to_owned());
    let mut errors = crate::error::FieldErrors::default();
    errors.take("name", crate::domain::text(&name, true, 100));
    let lifetime = match &req.expires_in_days {
        Some(l) => errors.take("expires_in_days", l.parse()).flatten(),
        None => None,
    };
    errors.into_result()?;
    let user = users::service::check_credentials(&state, &req.email, &req.password, &ip).await?;
    let viewer = load_viewer(&state, user.id, Via::Token).await?.ok_or(AppError::BadCredentials)?;
    let (row, secret) = tokens::create(&state, &viewer, &name, lifetime).await?;
    let body = TokenResponse { token: secret, id: crate::domain::Id(row.id), expires_at: row.expires_at };
    Ok((StatusCode::CREATED, Json(body)))
}

/// The signed-in user, with their party.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = UserDto), (status = 401, body = Problem)))]
pub async fn me(viewer: Viewer) -> Json<UserDto> {
    Json(UserDto::new(&viewer.user, &viewer.party))
}

/// A user's API tokens, newest first: your own, or anyone's for an administrator.
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "auth", params(("id" = String, Path)),
    responses((status = 200, body = Vec<TokenDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::web::Path(id): crate::web::Path<i64>,
) -> AppResult<Json<Vec<TokenDto>>> {
    let now = state.clock.now();
    let rows = tokens::list_of(&state, &viewer, id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|t| TokenDto {
                id: crate::domain::Id(t.id),
                status: tokens::Status::of(&t, now).as_str().to_owned(),
                name: t.name,
                created_at: t.created_at,
                last_used_at: t.last_used_at,
                expires_at: t.expires_at,
                revoked_at: t.revoked_at,
            })
            .collect(),
    ))
}

/// Revoke one of a user's tokens at once: your own, or anyone's for an administrator.
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens/{token_id}/revoke", tag = "auth",
    params(("id" = String, Path), ("token_id" = String, Path)),
    responses((status = 204, description = "Revoked (or already was)"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::web::Path((id, token_id)): crate::web::Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    tokens::revoke_of(&state, &viewer, id, token_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
