//! `/api/v1/contracts`: the register, one contract with everything on it, clauses,
//! transitions, reviews, signatures, amendments and versions. The schedule, the money and the
//! obligations are in `schedule_api`.

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
    clauses::{self, ClauseInput},
    entity::{clause, contract, version},
    lifecycle::{self, AmendmentInput, DiffLine, FrozenContract, ReviewInput, TransitionInput},
    obligations::{self},
    schedule_api::{CheckupDto, InstallmentDto, ObligationDto, checkup_dto, installment_dtos, obligation_dto},
    service::{self, ContractInput, ContractUpdate, Register, editable, load, money},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    domain::{ContractState, Id},
    error::{AppError, AppResult, FieldErrors, Msg, Problem},
    money::{MoneyDto, format_percent, parse_amount},
    web::Path,
    web::json::{ApiJson, List, page_params},
};

#[derive(Serialize, ToSchema)]
pub struct ContractDto {
    pub id: Id,
    pub number: String,
    pub title: String,
    pub description: String,
    /// payable (a vendor's: we pay) | receivable (a client's: we are paid)
    pub direction: String,
    pub counterparty_id: Id,
    pub engagement_ids: Vec<Id>,
    pub currency: String,
    /// Including tax (价税合计).
    pub total: MoneyDto,
    /// VAT rate in percent, e.g. `"6.00"`.
    pub tax_rate: String,
    pub tax: MoneyDto,
    pub net: MoneyDto,
    /// draft | in_review | signed | active | amended | completed | terminated | archived
    pub state: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub owner_id: Option<Id>,
    pub host_signatory_id: Option<Id>,
    pub counterparty_signatory_id: Option<Id>,
    /// Who reviews it inside the host, and how often the host reviews it: the host's own
    /// arrangements, null for the counterparty.
    pub legal_approver_id: Option<Id>,
    pub finance_approver_id: Option<Id>,
    pub review_every_months: Option<i32>,
    pub next_review_on: Option<NaiveDate>,
    pub renewal_notice_days: i32,
    /// The signed version in force; 0 before the first signature.
    pub current_version: i32,
    /// Set while an amendment is drafted or reviewed.
    pub amendment_reason: Option<String>,
    pub terminated_reason: String,
    /// Whether the working copy (header, clauses, schedule) may be edited now.
    pub editable: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

async fn dto(state: &AppState, lens: &Lens, c: contract::Model) -> AppResult<ContractDto> {
    let engagements = service::engagement_ids(&state.db, c.id).await?;
    let open = editable(&state.db, &c).await?;
    Ok(ContractDto {
        id: Id(c.id),
        engagement_ids: engagements.into_iter().map(Id).collect(),
        total: money(&c, c.total_minor).dto(),
        tax_rate: format_percent(c.tax_rate_bp),
        tax: money(&c, c.tax_minor).dto(),
        net: money(&c, c.total_minor - c.tax_minor).dto(),
        editable: open,
        number: c.number,
        title: c.title,
        description: c.description,
        direction: c.direction,
        counterparty_id: Id(c.counterparty_id),
        currency: c.currency,
        state: c.state,
        start_date: c.start_date,
        end_date: c.end_date,
        owner_id: c.owner_id.map(Id),
        host_signatory_id: c.host_signatory_id.map(Id),
        counterparty_signatory_id: c.counterparty_signatory_id.map(Id),
        legal_approver_id: c.legal_approver_id.and_then(|u| lens.internal(Id(u))),
        finance_approver_id: c.finance_approver_id.and_then(|u| lens.internal(Id(u))),
        review_every_months: lens.internal(c.review_every_months),
        next_review_on: c.next_review_on.and_then(|d| lens.internal(d)),
        renewal_notice_days: c.renewal_notice_days,
        current_version: c.current_version,
        amendment_reason: c.amendment_reason,
        terminated_reason: c.terminated_reason,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

#[derive(Serialize, ToSchema)]
pub struct ClauseDto {
    pub id: Id,
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub due_date: Option<NaiveDate>,
    pub amount: Option<MoneyDto>,
    pub milestone_id: Option<Id>,
    pub deliverable_id: Option<Id>,
    pub warranty_months: Option<i32>,
}

fn clause_dto(c: &contract::Model, k: clause::Model) -> ClauseDto {
    ClauseDto {
        id: Id(k.id),
        position: k.position,
        amount: k.amount_minor.map(|a| money(c, a).dto()),
        kind: k.kind,
        title: k.title,
        body: k.body,
        due_date: k.due_date,
        milestone_id: k.milestone_id.map(Id),
        deliverable_id: k.deliverable_id.map(Id),
        warranty_months: k.warranty_months,
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ContractSignatureDto)]
pub struct SignatureDto {
    pub party_id: Id,
    pub user_id: Id,
    pub content_sha256: String,
    pub signed_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewDto {
    pub user_id: Id,
    /// legal | finance
    pub capacity: String,
    /// approve | return
    pub decision: String,
    pub comment: String,
    pub decided_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ContractVersionDto)]
pub struct VersionDto {
    pub number: i32,
    /// in_review | returned | approved | signed
    pub status: String,
    pub content_sha256: String,
    /// Why this version (an amendment's reason).
    pub reason: String,
    pub change_request_id: Option<Id>,
    pub submitted_at: DateTime<Utc>,
    pub signed_at: Option<DateTime<Utc>>,
    pub signatures: Vec<SignatureDto>,
    /// The host's legal and finance reviews; only the host sees them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviews: Option<Vec<ReviewDto>>,
}

async fn version_dtos(state: &AppState, lens: &Lens, versions: Vec<version::Model>) -> AppResult<Vec<VersionDto>> {
    let ids: Vec<i64> = versions.iter().map(|v| v.id).collect();
    let sigs = lifecycle::signatures(state, ids.clone()).await?;
    let reviews = if lens.sees_internal() { lifecycle::reviews(state, ids).await? } else { Vec::new() };
    Ok(versions
        .into_iter()
        .map(|v| VersionDto {
            signatures: sigs
                .iter()
                .filter(|s| s.version_id == v.id)
                .map(|s| SignatureDto {
                    party_id: Id(s.party_id),
                    user_id: Id(s.user_id),
                    content_sha256: s.content_sha256.clone(),
                    signed_at: s.signed_at,
                })
                .collect(),
            reviews: lens.sees_internal().then(|| {
                reviews
                    .iter()
                    .filter(|r| r.version_id == v.id)
                    .map(|r| ReviewDto {
                        user_id: Id(r.user_id),
                        capacity: r.capacity.clone(),
                        decision: r.decision.clone(),
                        comment: r.comment.clone(),
                        decided_at: r.decided_at,
                    })
                    .collect()
            }),
            number: v.number,
            status: v.status,
            content_sha256: v.content_sha256,
            reason: v.reason,
            change_request_id: v.change_request_id.map(Id),
            submitted_at: v.submitted_at,
            signed_at: v.signed_at,
        })
        .collect())
}

#[derive(Serialize, ToSchema)]
pub struct ContractDetailDto {
    #[serde(flatten)]
    pub contract: ContractDto,
    pub clauses: Vec<ClauseDto>,
    pub installments: Vec<InstallmentDto>,
    /// What the schedule adds up to, and what is left of the total.
    pub scheduled: MoneyDto,
    pub unscheduled: MoneyDto,
    pub obligations: Vec<ObligationDto>,
    pub versions: Vec<VersionDto>,
    /// Periodic reviews: the host's own record, left out for the counterparty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkups: Option<Vec<CheckupDto>>,
}

async fn detail(state: &AppState, viewer: &Viewer, c: contract::Model) -> AppResult<ContractDetailDto> {
    let clauses = clauses::list(state, c.id).await?.into_iter().map(|k| clause_dto(&c, k)).collect();
    let rows = service::installments(&state.db, c.id).await?;
    let scheduled: i64 = rows.iter().filter(|i| i.state != "cancelled").map(|i| i.amount_minor).sum();
    let installments = installment_dtos(state, &c, rows).await?;
    let obligations = obligations::list(state, c.id).await?.into_iter().map(obligation_dto).collect();
    let lens = Lens::outside(state, viewer).await?;
    let versions = version_dtos(state, &lens, lifecycle::versions(state, c.id).await?).await?;
    let checkups = if lens.sees_internal() {
        Some(obligations::checkups(state, c.id).await?.into_iter().map(checkup_dto).collect())
    } else {
        None
    };
    Ok(ContractDetailDto {
        scheduled: money(&c, scheduled).dto(),
        unscheduled: money(&c, c.total_minor - scheduled).dto(),
        clauses,
        installments,
        obligations,
        versions,
        checkups,
        contract: dto(state, &lens, c).await?,
    })
}

/// The register's filters from a query string.
pub fn register_filter(q: &HashMap<String, String>) -> AppResult<Register> {
    let (limit, after) = page_params(q)?;
    let mut errors = FieldErrors::default();
    let get = |k: &str| q.get(k).map(String::as_str).map(str::trim).filter(|v| !v.is_empty());
    let id = |k: &str, errors: &mut FieldErrors| get(k).and_then(|v| errors.take(k, crate::domain::parse_id(v)));
    let counterparty_id = id("counterparty_id", &mut errors);
    let engagement_id = id("engagement_id", &mut errors);
    let st = get("state").and_then(|s| errors.take("state", ContractState::parse(s)));
    let direction = match get("direction") {
        None => None,
        Some(d @ ("payable" | "receivable")) => Some(d.to_owned()),
        Some(_) => {
            errors.add("direction", Msg::new("error-direction"));
            None
        }
    };
    let expiring_within = get("expiring_within").and_then(|v| match v.parse::<i64>() {
        Ok(n) if (0..=3650).contains(&n) => Some(n),
        _ => {
            errors.add("expiring_within", Msg::new("error-range").arg("min", 0).arg("max", 3650));
            None
        }
    });
    let min_total = get("min_total").and_then(|v| errors.take("min_total", parse_amount(v)));
    let max_total = get("max_total").and_then(|v| errors.take("max_total", parse_amount(v)));
    errors.into_result()?;
    Ok(Register {
        counterparty_id,
        state: st,
        direction,
        expiring_within,
        min_total,
        max_total,
        engagement_id,
        q: get("q").map(str::to_owned),
        limit,
        after,
    })
}

#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts",
    params(("counterparty_id" = Option<String>, Query), ("engagement_id" = Option<String>, Query),
           ("state" = Option<String>, Query), ("direction" = Option<String>, Query, description = "payable | receivable"),
           ("expiring_within" = Option<i64>, Query, description = "in force and ending within this many days"),
           ("min_total" = Option<String>, Query), ("max_total" = Option<String>, Query), ("q" = Option<String>, Query),
           ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<ContractDto>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<ContractDto>>> {
    let f = register_filter(&q)?;
    let (rows, next_cursor) = service::list(&state, &viewer, &f).await?;
    let lens = Lens::outside(&state, &viewer).await?;
    let mut items = Vec::with_capacity(rows.len());
    for c in rows {
        items.push(dto(&state, &lens, c).await?);
    }
    Ok(Json(List { items, next_cursor }))
}

/// Draft a contract (host administrators, PMs, and the PMs of the engagements it covers).
#[utoipa::path(post, path = "/api/v1/contracts", tag = "contracts", request_body = ContractInput,
    responses((status = 201, body = ContractDetailDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<ContractInput>,
) -> AppResult<(StatusCode, Json<ContractDetailDto>)> {
    let c = service::create(&state, &viewer, input).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &viewer, c).await?)))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = String, Path)),
    responses((status = 200, body = ContractDetailDto), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<ContractDetailDto>> {
    let c = load(&state, &viewer, id).await?;
    Ok(Json(detail(&state, &viewer, c).await?))
}

#[utoipa::path(patch, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = String, Path)), request_body = ContractUpdate,
    responses((status = 200, body = ContractDetailDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContractUpdate>,
) -> AppResult<Json<ContractDetailDto>> {
    let c = service::update(&state, &viewer, id, input).await?;
    Ok(Json(detail(&state, &viewer, c).await?))
}

#[utoipa::path(post, path = "/api/v1/contracts/{id}/clauses", tag = "contracts", params(("id" = String, Path)), request_body = ClauseInput,
    responses((status = 201, body = ClauseDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_clause(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ClauseInput>,
) -> AppResult<(StatusCode, Json<ClauseDto>)> {
    let k = clauses::add(&state, &viewer, id, input).await?;
    let c = load(&state, &viewer, id).await?;
    Ok((StatusCode::CREATED, Json(clause_dto(&c, k))))
}

#[utoipa::path(delete, path = "/api/v1/contracts/{id}/clauses/{clause_id}", tag = "contracts",
    params(("id" = String, Path), ("clause_id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_clause(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, clause_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    clauses::remove(&state, &viewer, id, clause_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move a contract along its life: `in_review` submits the working copy (a frozen version),
/// `draft` withdraws it, `signed` signs for the caller's side (with `password`), `active`,
/// `completed`, `terminated` (with the reason as `comment`; settles what is open), `archived`.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/transitions", tag = "contracts", params(("id" = String, Path)), request_body = TransitionInput,
    responses((status = 200, body = ContractDetailDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn transition(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TransitionInput>,
) -> AppResult<Json<ContractDetailDto>> {
    let c = lifecycle::transition(&state, &viewer, id, input).await?;
    Ok(Json(detail(&state, &viewer, c).await?))
}

/// The named legal or finance reviewer approves the version under review, or returns it.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/reviews", tag = "contracts", params(("id" = String, Path)), request_body = ReviewInput,
    responses((status = 200, body = ContractDetailDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> AppResult<Json<ContractDetailDto>> {
    let c = lifecycle::review(&state, &viewer, id, input).await?;
    Ok(Json(detail(&state, &viewer, c).await?))
}

/// Sign the approved version for the caller's side, re-entering the password.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/signatures", tag = "contracts", params(("id" = String, Path)),
    request_body = crate::requirements::versions::SignInput,
    responses((status = 201, body = ContractDetailDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn sign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<crate::requirements::versions::SignInput>,
) -> AppResult<(StatusCode, Json<ContractDetailDto>)> {
    let c = lifecycle::sign(&state, &viewer, id, &input.password).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &viewer, c).await?)))
}

/// Open an amendment of a contract in force.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/amendments", tag = "contracts", params(("id" = String, Path)), request_body = AmendmentInput,
    responses((status = 201, body = ContractDetailDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn amend(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AmendmentInput>,
) -> AppResult<(StatusCode, Json<ContractDetailDto>)> {
    let c = lifecycle::amend(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &viewer, c).await?)))
}

/// Drop the open amendment: the working copy goes back to the version in force.
#[utoipa::path(delete, path = "/api/v1/contracts/{id}/amendments", tag = "contracts", params(("id" = String, Path)),
    responses((status = 200, body = ContractDetailDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn abandon_amendment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<ContractDetailDto>> {
    let c = super::signing::abandon(&state, &viewer, id).await?;
    Ok(Json(detail(&state, &viewer, c).await?))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}/versions", tag = "contracts", params(("id" = String, Path)),
    responses((status = 200, body = List<VersionDto>), (status = 404, body = Problem)))]
pub async fn versions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<VersionDto>>> {
    let c = load(&state, &viewer, id).await?;
    let items =
        version_dtos(&state, &Lens::outside(&state, &viewer).await?, lifecycle::versions(&state, c.id).await?).await?;
    Ok(Json(List { items, next_cursor: None }))
}

#[derive(Serialize, ToSchema)]
pub struct VersionDetailDto {
    #[serde(flatten)]
    pub version: VersionDto,
    pub content: FrozenContract,
    /// The version this one is compared with (the newest signed before it, else the previous).
    pub compared_with: Option<i32>,
    pub diff: Vec<DiffLine>,
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}/versions/{number}", tag = "contracts",
    params(("id" = String, Path), ("number" = i32, Path)),
    responses((status = 200, body = VersionDetailDto), (status = 404, body = Problem)))]
pub async fn version(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, number)): Path<(i64, i32)>,
) -> AppResult<Json<VersionDetailDto>> {
    let c = load(&state, &viewer, id).await?;
    let v = lifecycle::version_by_number(&state, c.id, number).await?;
    let content = lifecycle::content_of(&v)?;
    let prev = lifecycle::previous(&state, &v).await?;
    let diff = match &prev {
        Some(p) => lifecycle::diff(&lifecycle::content_of(p)?, &content),
        None => Vec::new(),
    };
    let version =
        version_dtos(&state, &Lens::outside(&state, &viewer).await?, vec![v]).await?.pop().ok_or(AppError::NotFound)?;
    Ok(Json(VersionDetailDto { version, content, compared_with: prev.map(|p| p.number), diff }))
}
