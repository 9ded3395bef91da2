//! Payment disputes in the API: a contract's disputes, raising one on an installment, and the
//! host resolving it (or the raising side withdrawing it).

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    disputes::{self, DisputeInput, ResolveInput},
    entity::{contract, dispute},
    service::{load, money},
};
use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    error::{AppResult, Problem},
    money::MoneyDto,
    web::Path,
    web::json::{ApiJson, List},
};

#[derive(Serialize, ToSchema)]
pub struct DisputeDto {
    pub id: Id,
    pub contract_id: Id,
    pub installment_id: Id,
    /// The party whose side raised it.
    pub raised_by_party_id: Id,
    pub raised_by: Id,
    pub reason: String,
    /// The sum contested; null = the whole installment.
    pub amount: Option<MoneyDto>,
    /// open | resolved | withdrawn
    pub state: String,
    /// counterparty | host | none, once resolved.
    pub fault: Option<String>,
    pub resolution: String,
    pub closed_by: Option<Id>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn dto(c: &contract::Model, d: dispute::Model) -> DisputeDto {
    DisputeDto {
        id: Id(d.id),
        contract_id: Id(d.contract_id),
        installment_id: Id(d.installment_id),
        raised_by_party_id: Id(d.raised_by_party_id),
        raised_by: Id(d.raised_by),
        amount: d.amount_minor.map(|m| money(c, m).dto()),
        reason: d.reason,
        state: d.state,
        fault: d.fault,
        resolution: d.resolution,
        closed_by: d.closed_by.map(Id),
        closed_at: d.closed_at,
        created_at: d.created_at,
    }
}

async fn one(state: &AppState, viewer: &Viewer, d: dispute::Model) -> AppResult<DisputeDto> {
    let c = load(state, viewer, d.contract_id).await?;
    Ok(dto(&c, d))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}/disputes", tag = "contracts", params(("id" = String, Path)),
    responses((status = 200, body = List<DisputeDto>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<DisputeDto>>> {
    let c = load(&state, &viewer, id).await?;
    let items = disputes::of_contract(&state.db, c.id).await?.into_iter().map(|d| dto(&c, d)).collect();
    Ok(Json(List { items, next_cursor: None }))
}

/// Contest an installment (the contract's managers or host finance; the counterparty's managers).
#[utoipa::path(post, path = "/api/v1/installments/{id}/disputes", tag = "contracts", params(("id" = String, Path)), request_body = DisputeInput,
    responses((status = 201, body = DisputeDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn raise(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DisputeInput>,
) -> AppResult<(StatusCode, Json<DisputeDto>)> {
    let d = disputes::raise(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(one(&state, &viewer, d).await?)))
}

/// Settle an open dispute and say whose fault it was (the host's side).
#[utoipa::path(post, path = "/api/v1/disputes/{id}/resolve", tag = "contracts", params(("id" = String, Path)), request_body = ResolveInput,
    responses((status = 200, body = DisputeDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn resolve(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResolveInput>,
) -> AppResult<Json<DisputeDto>> {
    let d = disputes::resolve(&state, &viewer, id, input).await?;
    Ok(Json(one(&state, &viewer, d).await?))
}

/// Take back an open dispute (the side that raised it).
#[utoipa::path(post, path = "/api/v1/disputes/{id}/withdraw", tag = "contracts", params(("id" = String, Path)),
    responses((status = 200, body = DisputeDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<DisputeDto>> {
    let d = disputes::withdraw(&state, &viewer, id).await?;
    Ok(Json(one(&state, &viewer, d).await?))
}
