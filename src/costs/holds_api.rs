//! `/api/v1/engagements/{id}/cost-holds` and `/api/v1/cost-holds/{id}/decision`: commitments
//! over budget and the approver's decision on them.

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{api::m, entity::cost_hold, holds, service::ExpenseDecisionInput};
use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    error::{AppResult, Problem},
    money::MoneyDto,
    web::Path,
    web::json::ApiJson,
};

#[derive(Serialize, ToSchema)]
pub struct CostHoldDto {
    pub id: Id,
    pub engagement_id: Id,
    /// The payable contract whose commitment waits.
    pub contract_id: Id,
    /// vendor
    pub category: String,
    pub amount: MoneyDto,
    /// pending | approved (it counts) | rejected (it never does)
    pub state: String,
    pub reason: String,
    pub decided_by: Option<Id>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn dto(h: cost_hold::Model) -> CostHoldDto {
    CostHoldDto {
        amount: m(h.amount_minor, &h.currency),
        id: Id(h.id),
        engagement_id: Id(h.engagement_id),
        contract_id: Id(h.contract_id),
        category: h.category,
        state: h.state,
        reason: h.reason,
        decided_by: h.decided_by.map(Id),
        decided_at: h.decided_at,
        created_at: h.created_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct CostHoldList {
    pub items: Vec<CostHoldDto>,
}

/// Commitments that went into force over budget, newest first (the host's).
#[utoipa::path(get, path = "/api/v1/engagements/{id}/cost-holds", tag = "costs", params(("id" = String, Path)),
    responses((status = 200, body = CostHoldList), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<CostHoldList>> {
    Ok(Json(CostHoldList { items: holds::list(&state, &viewer, id).await?.into_iter().map(dto).collect() }))
}

/// An approver's decision on a commitment waiting over budget.
#[utoipa::path(post, path = "/api/v1/cost-holds/{id}/decision", tag = "costs", params(("id" = String, Path)), request_body = ExpenseDecisionInput,
    responses((status = 200, body = CostHoldDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ExpenseDecisionInput>,
) -> AppResult<Json<CostHoldDto>> {
    Ok(Json(dto(holds::decide(&state, &viewer, id, input).await?)))
}
