//! `/api/v1/parties`: list, create, read (with contacts), patch, add a contact.

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
    error::{AppResult, Problem},
    parties::{
        entity::{contact, party},
        service::{self, ContactInput, PartyFilter, PartyInput},
    },
    web::Path,
    web::json::{ApiJson, List, page_params},
};

#[derive(Serialize, ToSchema)]
pub struct ContactDto {
    pub id: Id,
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
}

impl From<contact::Model> for ContactDto {
    fn from(c: contact::Model) -> Self {
        Self { id: Id(c.id), name: c.name, title: c.title, email: c.email, phone: c.phone }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartyDto {
    pub id: Id,
    /// host | vendor | client
    pub kind: String,
    pub name: String,
    pub legal_name: String,
    pub credit_code: Option<String>,
    pub address: String,
    pub website: String,
    pub phone: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Present on single-party reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<ContactDto>>,
}

impl PartyDto {
    fn new(p: party::Model, contacts: Option<Vec<contact::Model>>) -> Self {
        Self {
            id: Id(p.id),
            kind: p.kind,
            name: p.name,
            legal_name: p.legal_name,
            credit_code: p.credit_code,
            address: p.address,
            website: p.website,
            phone: p.phone,
            description: p.description,
            created_at: p.created_at,
            updated_at: p.updated_at,
            contacts: contacts.map(|cs| cs.into_iter().map(ContactDto::from).collect()),
        }
    }
}

/// Parties the caller may see: all for the host, the caller's own otherwise.
#[utoipa::path(get, path = "/api/v1/parties", tag = "parties",
    params(
        ("limit" = Option<u64>, Query, description = "1–500, default 50"),
        ("cursor" = Option<String>, Query),
        ("kind" = Option<String>, Query, description = "host | vendor | client"),
        ("q" = Option<String>, Query, description = "matches name or legal name"),
    ),
    responses((status = 200, body = List<PartyDto>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<PartyDto>>> {
    let (limit, after) = page_params(&q)?;
    let filter = PartyFilter { kind: q.get("kind").cloned(), q: q.get("q").cloned() };
    let (rows, next_cursor) = service::list(&state, &viewer, &filter, limit, after).await?;
    Ok(Json(List { items: rows.into_iter().map(|p| PartyDto::new(p, None)).collect(), next_cursor }))
}

/// Create a vendor or client party (host administrators).
#[utoipa::path(post, path = "/api/v1/parties", tag = "parties", request_body = PartyInput,
    responses((status = 201, body = PartyDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<PartyInput>,
) -> AppResult<(StatusCode, Json<PartyDto>)> {
    let p = service::create(&state, &viewer, input).await?;
    Ok((StatusCode::CREATED, Json(PartyDto::new(p, Some(Vec::new())))))
}

#[utoipa::path(get, path = "/api/v1/parties/{id}", tag = "parties", params(("id" = String, Path)),
    responses((status = 200, body = PartyDto), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<PartyDto>> {
    let p = service::get(&state, &viewer, id).await?;
    let contacts = service::contacts(&state, &viewer, id).await?;
    Ok(Json(PartyDto::new(p, Some(contacts))))
}

/// Change a party's profile; absent fields stay as they are. The kind never changes.
#[utoipa::path(patch, path = "/api/v1/parties/{id}", tag = "parties", params(("id" = String, Path)), request_body = PartyInput,
    responses((status = 200, body = PartyDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PartyInput>,
) -> AppResult<Json<PartyDto>> {
    let p = service::update(&state, &viewer, id, input).await?;
    let contacts = service::contacts(&state, &viewer, id).await?;
    Ok(Json(PartyDto::new(p, Some(contacts))))
}

#[utoipa::path(post, path = "/api/v1/parties/{id}/contacts", tag = "parties", params(("id" = String, Path)), request_body = ContactInput,
    responses((status = 201, body = ContactDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_contact(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContactInput>,
) -> AppResult<(StatusCode, Json<ContactDto>)> {
    let c = service::add_contact(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}
