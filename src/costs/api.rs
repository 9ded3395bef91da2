//! `/api/v1/engagements/{id}/budget`, `/expenses`, `/evm` and the S-curve; `/api/v1/expenses/{id}/decision`.
//! The host's only: anyone else gets 404.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    entity::expense,
    scurve,
    service::{self, Budget, BudgetInput, ExpenseDecisionInput, ExpenseInput},
};
use crate::{
    AppState,
    auth::Viewer,
    domain::{self, Id},
    error::{AppResult, FieldErrors, Problem},
    money::{Money, MoneyDto},
    web::Path,
    web::json::{ApiJson, List, page_params},
};

pub(super) fn m(minor: i64, currency: &str) -> MoneyDto {
    Money { minor, currency: currency.to_owned() }.dto()
}

#[derive(Serialize, ToSchema)]
pub struct BudgetLineDto {
    /// labour | vendor | hardware | software | travel | other
    pub category: String,
    pub amount: MoneyDto,
    /// The amount when the budget was last baselined.
    pub baseline: Option<MoneyDto>,
    /// Payable contracts in force (vendor only).
    pub committed: MoneyDto,
    /// Paid and counted so far (every recorded date).
    pub actual: MoneyDto,
    /// Expenses and commitments over budget waiting for an approver.
    pub pending: MoneyDto,
    /// The amount less what is committed or spent.
    pub remaining: MoneyDto,
}

#[derive(Serialize, ToSchema)]
pub struct BudgetDto {
    pub currency: String,
    pub lines: Vec<BudgetLineDto>,
    pub total: MoneyDto,
    /// Budget at completion: the baseline's total (the current one before any baseline).
    pub bac: MoneyDto,
    /// Currencies of contracts left out of commitments and actuals (not the budget's).
    pub skipped_currencies: Vec<String>,
}

pub(crate) fn budget_dto(b: &Budget) -> BudgetDto {
    let c = b.currency.as_str();
    BudgetDto {
        lines: b
            .lines
            .iter()
            .map(|l| BudgetLineDto {
                category: l.category.as_str().to_owned(),
                amount: m(l.amount, c),
                baseline: l.baseline.map(|v| m(v, c)),
                committed: m(l.committed, c),
                actual: m(l.actual(), c),
                pending: m(l.pending, c),
                remaining: m(l.remaining(), c),
            })
            .collect(),
        total: m(b.total(|l| l.amount), c),
        bac: m(b.bac(), c),
        currency: b.currency.clone(),
        skipped_currencies: b.skipped_currencies.clone(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExpenseDto {
    pub id: Id,
    pub engagement_id: Id,
    pub category: String,
    pub amount: MoneyDto,
    pub date: NaiveDate,
    pub description: String,
    pub document_id: Option<Id>,
    /// counted | pending (over budget: waits for an approver) | rejected
    pub state: String,
    pub created_by: Id,
    pub decided_by: Option<Id>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn expense_dto(x: expense::Model) -> ExpenseDto {
    ExpenseDto {
        amount: m(x.amount_minor, &x.currency),
        id: Id(x.id),
        engagement_id: Id(x.engagement_id),
        category: x.category,
        date: x.spent_on,
        description: x.description,
        document_id: x.document_id.map(Id),
        state: x.state,
        created_by: Id(x.created_by),
        decided_by: x.decided_by.map(Id),
        decided_at: x.decided_at,
        decision_reason: x.decision_reason,
        created_at: x.created_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct EvmDto {
    pub as_of: NaiveDate,
    /// Budget at completion.
    pub bac: MoneyDto,
    /// Planned value.
    pub pv: MoneyDto,
    /// Earned value.
    pub ev: MoneyDto,
    /// Actual cost.
    pub ac: MoneyDto,
    /// Schedule performance index EV / PV; null while PV is zero.
    pub spi: Option<f64>,
    /// Cost performance index EV / AC; null while AC is zero.
    pub cpi: Option<f64>,
    /// Estimate at completion BAC / CPI.
    pub eac: MoneyDto,
    /// Estimate to complete EAC − AC.
    pub etc: MoneyDto,
    /// Variance at completion BAC − EAC.
    pub vac: MoneyDto,
    /// To-complete performance index (BAC − EV) / (BAC − AC).
    pub tcpi: Option<f64>,
    /// The plan's working days stretched by 1 / SPI.
    pub forecast_finish: Option<NaiveDate>,
}

fn round3(v: Option<f64>) -> Option<f64> {
    v.map(|x| (x * 1000.0).round() / 1000.0)
}

fn as_of(state: &AppState, q: &HashMap<String, String>) -> AppResult<NaiveDate> {
    let mut errors = FieldErrors::default();
    let d = match q.get("as_of").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Some(state.today()),
        Some(raw) => errors.take("as_of", domain::parse_date(raw)),
    };
    errors.into_result()?;
    Ok(d.unwrap_or_else(|| state.today()))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/budget", tag = "costs", params(("id" = String, Path)),
    responses((status = 200, body = BudgetDto), (status = 404, body = Problem)))]
pub async fn get_budget(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<BudgetDto>> {
    Ok(Json(budget_dto(&service::budget(&state, &viewer, id).await?)))
}

/// Sets the whole budget (the engagement's managers). The first budget is its own baseline.
#[utoipa::path(put, path = "/api/v1/engagements/{id}/budget", tag = "costs", params(("id" = String, Path)), request_body = BudgetInput,
    responses((status = 200, body = BudgetDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_budget(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<BudgetInput>,
) -> AppResult<Json<BudgetDto>> {
    Ok(Json(budget_dto(&service::set_budget(&state, &viewer, id, input).await?)))
}

/// Saves the current amounts as the budget's baseline (BAC).
#[utoipa::path(post, path = "/api/v1/engagements/{id}/budget/baseline", tag = "costs", params(("id" = String, Path)),
    responses((status = 200, body = BudgetDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn baseline(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<BudgetDto>> {
    Ok(Json(budget_dto(&service::baseline_budget(&state, &viewer, id).await?)))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/expenses", tag = "costs",
    params(("id" = String, Path), ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<ExpenseDto>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn expenses(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<ExpenseDto>>> {
    let (limit, after) = page_params(&q)?;
    let (rows, next_cursor) = service::expenses(&state, &viewer, id, limit, after).await?;
    Ok(Json(List { items: rows.into_iter().map(expense_dto).collect(), next_cursor }))
}

/// Records an expense. One that would take its category over the budget answers
/// `"state": "pending"` and counts only once an approver approves it.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/expenses", tag = "costs", params(("id" = String, Path)), request_body = ExpenseInput,
    responses((status = 201, body = ExpenseDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_expense(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ExpenseInput>,
) -> AppResult<(StatusCode, Json<ExpenseDto>)> {
    let x = service::add_expense(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(expense_dto(x))))
}

/// An approver's decision on an expense waiting over budget.
#[utoipa::path(post, path = "/api/v1/expenses/{id}/decision", tag = "costs", params(("id" = String, Path)), request_body = ExpenseDecisionInput,
    responses((status = 200, body = ExpenseDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ExpenseDecisionInput>,
) -> AppResult<Json<ExpenseDto>> {
    Ok(Json(expense_dto(service::decide(&state, &viewer, id, input).await?)))
}

/// Earned value as of a date (today by default).
#[utoipa::path(get, path = "/api/v1/engagements/{id}/evm", tag = "costs",
    params(("id" = String, Path), ("as_of" = Option<String>, Query, description = "YYYY-MM-DD; today when left out")),
    responses((status = 200, body = EvmDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn evm(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<EvmDto>> {
    // Who may not see the costs hears so before anything about the query.
    service::host_view(&state, &viewer, id).await?;
    let date = as_of(&state, &q)?;
    let v = service::view(&state, &viewer, id, date).await?;
    let (e, c) = (&v.evm, v.budget.currency.as_str());
    Ok(Json(EvmDto {
        as_of: e.as_of,
        bac: m(e.bac, c),
        pv: m(e.pv, c),
        ev: m(e.ev, c),
        ac: m(e.ac, c),
        spi: round3(e.spi),
        cpi: round3(e.cpi),
        eac: m(e.eac, c),
        etc: m(e.etc, c),
        vac: m(e.vac, c),
        tcpi: round3(e.tcpi),
        forecast_finish: e.forecast_finish,
    }))
}

/// The S-curve of PV, EV and AC (SVG).
#[utoipa::path(get, path = "/api/v1/engagements/{id}/evm/s-curve.svg", tag = "costs",
    params(("id" = String, Path), ("as_of" = Option<String>, Query)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn s_curve(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    // Who may not see the costs hears so before anything about the query.
    service::host_view(&state, &viewer, id).await?;
    let date = as_of(&state, &q)?;
    let v = service::view(&state, &viewer, id, date).await?;
    let lang = viewer.lang();
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        scurve::svg(&v, lang),
    )
        .into_response())
}
