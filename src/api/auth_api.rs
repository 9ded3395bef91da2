//! `POST /api/v1/tokens` (exchange e-mail and password for a token) and `GET /api/v1/me`.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    AppState,
    api::ApiJson,
    auth::{Via, Viewer, load_viewer, pages::ClientIp, tokens},
    error::{AppError, AppResult, Problem},
    users::{self, api::UserDto},
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// A label to recognise the token by; defaults to "API".
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// The secret; shown this once. Send it as `Authorization: Bearer …`.
    pub token: String,
    pub id: crate::domain::Id,
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
    errors.into_result()?;
    let user = users::service::check_credentials(&state, &req.email, &req.password, &ip).await?;
    let viewer = load_viewer(&state, user.id, Via::Token).await?.ok_or(AppError::BadCredentials)?;
    let (row, secret) = tokens::create(&state, &viewer, &name).await?;
    Ok((StatusCode::CREATED, Json(TokenResponse { token: secret, id: crate::domain::Id(row.id) })))
}

/// The signed-in user, with their party.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = UserDto), (status = 401, body = Problem)))]
pub async fn me(viewer: Viewer) -> Json<UserDto> {
    Json(UserDto::new(&viewer.user, &viewer.party))
}
