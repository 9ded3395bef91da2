//! The money and duties under a contract in the API: installments (with invoices, payments
//! and overrides), payments, obligations, periodic reviews; the clause library and cash flow.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    cashflow::{self, FlowDto},
    clauses::{self, TemplateInput},
    entity::{checkup, contract, installment, invoice, obligation, payment},
    obligations::{self, CheckupInput, ObligationInput, ObligationUpdate},
    payments::{self, InstallmentInput, InvoiceInput, OverrideInput, PaymentInput},
    service::{self, load, money},
};
use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    error::{AppError, AppResult, FieldErrors, Problem},
    money::{MoneyDto, format_percent},
    web::Path,
    web::json::{ApiJson, List, page_params},
};

#[derive(Serialize, ToSchema)]
pub struct TriggerDto {
    /// date | acceptance | warranty_end
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub deliverable_id: Option<Id>,
    pub milestone_id: Option<Id>,
    /// initial | final
    pub stage: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OverrideDto {
    pub by: Id,
    pub reason: String,
    pub at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceDto {
    pub id: Id,
    pub number: String,
    pub amount: MoneyDto,
    pub issued_on: NaiveDate,
    pub document_id: Option<Id>,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentDto {
    pub id: Id,
    pub installment_id: Id,
    pub amount: MoneyDto,
    pub paid_on: NaiveDate,
    pub reference: String,
    pub document_id: Option<Id>,
}

fn invoice_dto(c: &contract::Model, i: invoice::Model) -> InvoiceDto {
    InvoiceDto {
        id: Id(i.id),
        amount: money(c, i.amount_minor).dto(),
        number: i.number,
        issued_on: i.issued_on,
        document_id: i.document_id.map(Id),
    }
}

fn payment_dto(c: &contract::Model, p: payment::Model) -> PaymentDto {
    PaymentDto {
        id: Id(p.id),
        installment_id: Id(p.installment_id),
        amount: money(c, p.amount_minor).dto(),
        paid_on: p.paid_on,
        reference: p.reference,
        document_id: p.document_id.map(Id),
    }
}

#[derive(Serialize, ToSchema)]
pub struct InstallmentDto {
    pub id: Id,
    pub contract_id: Id,
    pub seq: i32,
    pub name: String,
    /// advance | progress | final | retention
    pub kind: String,
    pub amount: MoneyDto,
    /// The percentage of the contract total it was given as, e.g. `"30.00"`.
    pub percent: Option<String>,
    pub trigger: TriggerDto,
    pub expected_on: Option<NaiveDate>,
    /// planned | due | invoiced | paid | cancelled
    pub state: String,
    pub due_on: Option<NaiveDate>,
    pub invoiced: MoneyDto,
    pub paid: MoneyDto,
    pub outstanding: MoneyDto,
    /// Set when an approver made it due before its trigger.
    pub r#override: Option<OverrideDto>,
    pub invoices: Vec<InvoiceDto>,
    pub payments: Vec<PaymentDto>,
}

pub(super) async fn installment_dtos(
    state: &AppState,
    c: &contract::Model,
    rows: Vec<installment::Model>,
) -> AppResult<Vec<InstallmentDto>> {
    let ids: Vec<i64> = rows.iter().map(|i| i.id).collect();
    let mut invoices = payments::invoices_of(state, ids.clone()).await?;
    let mut pays = payments::payments_of(state, ids).await?;
    Ok(rows
        .into_iter()
        .map(|i| {
            let (mine, rest): (Vec<_>, Vec<_>) = invoices.drain(..).partition(|v| v.installment_id == i.id);
            invoices = rest;
            let (paid, rest): (Vec<_>, Vec<_>) = pays.drain(..).partition(|p| p.installment_id == i.id);
            pays = rest;
            InstallmentDto {
                id: Id(i.id),
                contract_id: Id(i.contract_id),
                seq: i.seq,
                amount: money(c, i.amount_minor).dto(),
                percent: i.percent_bp.map(format_percent),
                trigger: TriggerDto {
                    kind: i.trigger_kind.clone(),
                    date: i.trigger_date,
                    deliverable_id: i.deliverable_id.map(Id),
                    milestone_id: i.milestone_id.map(Id),
                    stage: i.stage.clone(),
                },
                expected_on: i.expected_on,
                due_on: i.due_on,
                invoiced: money(c, i.invoiced_minor).dto(),
                paid: money(c, i.paid_minor).dto(),
                outstanding: money(c, if i.state == "cancelled" { 0 } else { i.amount_minor - i.paid_minor }).dto(),
                r#override: i.override_by.map(|by| OverrideDto {
                    by: Id(by),
                    reason: i.override_reason.clone(),
                    at: i.override_at,
                }),
                invoices: mine.into_iter().map(|v| invoice_dto(c, v)).collect(),
                payments: paid.into_iter().map(|p| payment_dto(c, p)).collect(),
                name: i.name,
                kind: i.kind,
                state: i.state,
            }
        })
        .collect())
}

#[derive(Serialize, ToSchema)]
pub struct ObligationDto {
    pub id: Id,
    pub clause_id: Option<Id>,
    pub title: String,
    pub description: String,
    pub owed_by_party_id: Id,
    pub due_date: NaiveDate,
    /// open | done | waived
    pub status: String,
    pub note: String,
    pub done_at: Option<DateTime<Utc>>,
}

pub(super) fn obligation_dto(o: obligation::Model) -> ObligationDto {
    ObligationDto {
        id: Id(o.id),
        clause_id: o.clause_id.map(Id),
        title: o.title,
        description: o.description,
        owed_by_party_id: Id(o.owed_by_party_id),
        due_date: o.due_date,
        status: o.status,
        note: o.note,
        done_at: o.done_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct CheckupDto {
    pub id: Id,
    pub held_on: NaiveDate,
    /// on_track | attention | at_risk
    pub rating: String,
    pub findings: String,
    pub actions: String,
    pub reviewer_id: Id,
}

pub(super) fn checkup_dto(c: checkup::Model) -> CheckupDto {
    CheckupDto {
        id: Id(c.id),
        held_on: c.held_on,
        rating: c.rating,
        findings: c.findings,
        actions: c.actions,
        reviewer_id: Id(c.reviewer_id),
    }
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}/installments", tag = "contracts", params(("id" = String, Path)),
    responses((status = 200, body = List<InstallmentDto>), (status = 404, body = Problem)))]
pub async fn installments(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<InstallmentDto>>> {
    let c = load(&state, &viewer, id).await?;
    let rows = service::installments(&state.db, c.id).await?;
    Ok(Json(List { items: installment_dtos(&state, &c, rows).await?, next_cursor: None }))
}

/// Add an installment: an `amount` or a `percent` of the total, and its trigger.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/installments", tag = "contracts", params(("id" = String, Path)), request_body = InstallmentInput,
    responses((status = 201, body = InstallmentDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_installment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<InstallmentInput>,
) -> AppResult<(StatusCode, Json<InstallmentDto>)> {
    let i = payments::add(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(one_installment(&state, &viewer, i).await?)))
}

async fn one_installment(state: &AppState, viewer: &Viewer, i: installment::Model) -> AppResult<InstallmentDto> {
    let c = load(state, viewer, i.contract_id).await?;
    installment_dtos(state, &c, vec![i]).await?.pop().ok_or(AppError::NotFound)
}

/// A host finance approver makes a planned installment due before its trigger, with a reason.
#[utoipa::path(post, path = "/api/v1/installments/{id}/override", tag = "contracts", params(("id" = String, Path)), request_body = OverrideInput,
    responses((status = 200, body = InstallmentDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn override_due(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OverrideInput>,
) -> AppResult<Json<InstallmentDto>> {
    let i = payments::override_due(&state, &viewer, id, input).await?;
    Ok(Json(one_installment(&state, &viewer, i).await?))
}

#[utoipa::path(post, path = "/api/v1/installments/{id}/invoices", tag = "contracts", params(("id" = String, Path)), request_body = InvoiceInput,
    responses((status = 201, body = InstallmentDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_invoice(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<InvoiceInput>,
) -> AppResult<(StatusCode, Json<InstallmentDto>)> {
    let (i, _) = payments::add_invoice(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(one_installment(&state, &viewer, i).await?)))
}

#[utoipa::path(post, path = "/api/v1/installments/{id}/payments", tag = "contracts", params(("id" = String, Path)), request_body = PaymentInput,
    responses((status = 201, body = InstallmentDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_payment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PaymentInput>,
) -> AppResult<(StatusCode, Json<InstallmentDto>)> {
    let (i, _) = payments::add_payment(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(one_installment(&state, &viewer, i).await?)))
}

#[utoipa::path(get, path = "/api/v1/payments", tag = "contracts",
    params(("contract_id" = Option<String>, Query), ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<PaymentDto>), (status = 422, body = Problem)))]
pub async fn list_payments(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<PaymentDto>>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let (limit, after) = page_params(&q)?;
    let mut errors = FieldErrors::default();
    let contract_id = q
        .get("contract_id")
        .filter(|v| !v.is_empty())
        .and_then(|v| errors.take("contract_id", crate::domain::parse_id(v)));
    errors.into_result()?;
    let mut contracts = contract::Entity::find().filter(service::scope(&viewer));
    if let Some(c) = contract_id {
        contracts = contracts.filter(contract::Column::Id.eq(c));
    }
    let contracts: HashMap<i64, contract::Model> =
        contracts.all(&state.db).await?.into_iter().map(|c| (c.id, c)).collect();
    let insts: HashMap<i64, i64> = installment::Entity::find()
        .filter(installment::Column::ContractId.is_in(contracts.keys().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.contract_id))
        .collect();
    let mut pq = payment::Entity::find().filter(payment::Column::InstallmentId.is_in(insts.keys().copied()));
    if let Some(a) = after {
        pq = pq.filter(payment::Column::Id.lt(a));
    }
    let rows = pq.order_by_desc(payment::Column::Id).limit(limit + 1).all(&state.db).await?;
    let (rows, next_cursor) = crate::db::page(rows, limit, |p| p.id);
    let items = rows
        .into_iter()
        .filter_map(|p| {
            let c = insts.get(&p.installment_id).and_then(|c| contracts.get(c))?;
            Some(payment_dto(c, p))
        })
        .collect();
    Ok(Json(List { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}/obligations", tag = "contracts", params(("id" = String, Path)),
    responses((status = 200, body = List<ObligationDto>), (status = 404, body = Problem)))]
pub async fn obligations_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<ObligationDto>>> {
    let c = load(&state, &viewer, id).await?;
    let items = obligations::list(&state, c.id).await?.into_iter().map(obligation_dto).collect();
    Ok(Json(List { items, next_cursor: None }))
}

#[utoipa::path(post, path = "/api/v1/contracts/{id}/obligations", tag = "contracts", params(("id" = String, Path)), request_body = ObligationInput,
    responses((status = 201, body = ObligationDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_obligation(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ObligationInput>,
) -> AppResult<(StatusCode, Json<ObligationDto>)> {
    Ok((StatusCode::CREATED, Json(obligation_dto(obligations::add(&state, &viewer, id, input).await?))))
}

/// Settle an obligation (the host's managers), or report one's own done (the counterparty's manager).
#[utoipa::path(patch, path = "/api/v1/obligations/{id}", tag = "contracts", params(("id" = String, Path)), request_body = ObligationUpdate,
    responses((status = 200, body = ObligationDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_obligation(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ObligationUpdate>,
) -> AppResult<Json<ObligationDto>> {
    Ok(Json(obligation_dto(obligations::update(&state, &viewer, id, input).await?)))
}

/// Record a periodic contract review (the host's managers); schedules the next one.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/checkups", tag = "contracts", params(("id" = String, Path)), request_body = CheckupInput,
    responses((status = 201, body = CheckupDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_checkup(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CheckupInput>,
) -> AppResult<(StatusCode, Json<CheckupDto>)> {
    Ok((StatusCode::CREATED, Json(checkup_dto(obligations::add_checkup(&state, &viewer, id, input).await?))))
}

#[derive(Serialize, ToSchema)]
#[schema(as = ClauseTemplateDto)]
pub struct TemplateDto {
    /// What a clause's `template` names: `builtin:<key>` or the id of one of ours.
    pub reference: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub builtin: bool,
}

#[utoipa::path(get, path = "/api/v1/clause-templates", tag = "contracts",
    params(("lang" = Option<String>, Query, description = "zh-CN (default) | en")),
    responses((status = 200, body = List<TemplateDto>), (status = 403, body = Problem)))]
pub async fn templates(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<TemplateDto>>> {
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    let lang = q.get("lang").map(String::as_str).unwrap_or_else(|| viewer.user.locale.as_deref().unwrap_or("zh-CN"));
    let items = clauses::library(&state, lang)
        .await?
        .into_iter()
        .map(|t| TemplateDto {
            reference: t.reference(),
            kind: t.kind.as_str().to_owned(),
            title: t.title,
            body: t.body,
            builtin: t.builtin,
        })
        .collect();
    Ok(Json(List { items, next_cursor: None }))
}

#[utoipa::path(post, path = "/api/v1/clause-templates", tag = "contracts", request_body = TemplateInput,
    responses((status = 201, body = TemplateDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_template(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<TemplateInput>,
) -> AppResult<(StatusCode, Json<TemplateDto>)> {
    let t = clauses::add_template(&state, &viewer, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(TemplateDto { reference: t.id.to_string(), kind: t.kind, title: t.title, body: t.body, builtin: false }),
    ))
}

/// The host's cash flow by month: planned against actual, receivables against payables.
#[utoipa::path(get, path = "/api/v1/cash-flow", tag = "contracts",
    params(("engagement_id" = Option<String>, Query)),
    responses((status = 200, body = Vec<FlowDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn cash_flow(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<Vec<FlowDto>>> {
    let mut errors = FieldErrors::default();
    let e = q
        .get("engagement_id")
        .filter(|v| !v.is_empty())
        .and_then(|v| errors.take("engagement_id", crate::domain::parse_id(v)));
    errors.into_result()?;
    Ok(Json(cashflow::flows(&state, &viewer, e).await?.iter().map(|f| f.dto()).collect()))
}
