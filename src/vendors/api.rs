//! `/api/v1/vendors` (directory, certificates, scorecards, evaluations, ranking) and
//! `/api/v1/selections` (criteria, invitations, bids, scores, ranking, award).

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    directory::{self, CertificateInput, VendorFilter, VendorInput, VendorUpdate, bank_for, list_of},
    entity::{certificate, evaluation},
    evaluations::{self, EvaluationInput, SettingsInput},
    scorecard::{Scorecard, Settings, load_settings, parse_period, quarter_of},
    templates::{self, TemplateInput},
};
use crate::{
    AppState,
    auth::Viewer,
    documents::read_form,
    domain::Id,
    error::{AppError, AppResult, FieldErrors, Problem},
    parties::{api::ContactDto, service as parties},
    web::json::{ApiJson, List, page_params},
    web::{Multipart, Path},
};

#[derive(Serialize, ToSchema)]
pub struct BankDto {
    pub bank_name: String,
    pub bank_account: String,
    pub bank_account_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CertificateDto {
    pub id: Id,
    pub kind: String,
    pub name: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    /// valid | expiring | expired
    pub state: String,
    pub file_ids: Vec<Id>,
}

#[derive(Serialize, ToSchema)]
pub struct VendorDto {
    pub id: Id,
    pub name: String,
    pub legal_name: String,
    pub credit_code: Option<String>,
    pub address: String,
    pub website: String,
    pub phone: String,
    /// prospect | qualified | active | suspended | blacklisted
    pub status: String,
    pub categories: Vec<String>,
    pub regions: Vec<String>,
    pub size: String,
    /// Only for the host's finance approvers and the vendor's own managers.
    pub bank: Option<BankDto>,
    /// Present on single-vendor reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Vec<CertificateDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<ContactDto>>,
}

async fn vendor_dto(state: &AppState, viewer: &Viewer, id: i64, full: bool) -> AppResult<VendorDto> {
    let (p, prof) = directory::get(state, viewer, id).await?;
    let (certificates, contacts) = if full {
        let certs = directory::certificates(&state.db, id).await?;
        let files = super::files::of(&state.db, "certificate", &certs.iter().map(|c| c.id).collect::<Vec<_>>()).await?;
        let today = state.today();
        let dtos = certs
            .into_iter()
            .map(|c: certificate::Model| CertificateDto {
                id: Id(c.id),
                state: directory::certificate_state(&c, today).to_owned(),
                file_ids: files.iter().filter(|f| f.owner_id == c.id).map(|f| Id(f.id)).collect(),
                kind: c.kind,
                name: c.name,
                number: c.number,
                issuer: c.issuer,
                issued_on: c.issued_on,
                expires_on: c.expires_on,
            })
            .collect();
        let contacts = parties::contacts(state, viewer, id).await?.into_iter().map(ContactDto::from).collect();
        (Some(dtos), Some(contacts))
    } else {
        (None, None)
    };
    Ok(VendorDto {
        id: Id(p.id),
        bank: bank_for(viewer, &prof).map(|(bank_name, bank_account, bank_account_name)| BankDto {
            bank_name,
            bank_account,
            bank_account_name,
        }),
        categories: list_of(&prof.categories),
        regions: list_of(&prof.regions),
        status: prof.status,
        size: prof.size,
        name: p.name,
        legal_name: p.legal_name,
        credit_code: p.credit_code,
        address: p.address,
        website: p.website,
        phone: p.phone,
        certificates,
        contacts,
    })
}

/// Vendors the caller may see: all for the host, the caller's own party for a vendor, none for a client.
#[utoipa::path(get, path = "/api/v1/vendors", tag = "vendors",
    params(("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query), ("status" = Option<String>, Query),
           ("category" = Option<String>, Query), ("q" = Option<String>, Query)),
    responses((status = 200, body = List<VendorDto>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<VendorDto>>> {
    let (limit, after) = page_params(&q)?;
    let f =
        VendorFilter { status: q.get("status").cloned(), category: q.get("category").cloned(), q: q.get("q").cloned() };
    let (rows, next_cursor) = directory::list(&state, &viewer, &f, limit, after).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(vendor_dto(&state, &viewer, r.party.id, false).await?);
    }
    Ok(Json(List { items, next_cursor }))
}

/// Register a vendor (host administrators and PMs): a party of kind `vendor` with its profile.
#[utoipa::path(post, path = "/api/v1/vendors", tag = "vendors", request_body = VendorInput,
    responses((status = 201, body = VendorDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<VendorInput>,
) -> AppResult<(StatusCode, Json<VendorDto>)> {
    let p = directory::create(&state, &viewer, input).await?;
    Ok((StatusCode::CREATED, Json(vendor_dto(&state, &viewer, p.id, true).await?)))
}

#[utoipa::path(get, path = "/api/v1/vendors/{id}", tag = "vendors", params(("id" = String, Path)),
    responses((status = 200, body = VendorDto), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<VendorDto>> {
    Ok(Json(vendor_dto(&state, &viewer, id, true).await?))
}

/// Change the status (with `status_reason`; host administrators and PMs), the profile (also the
/// vendor's managers) or the bank details (finance approvers and the vendor's managers).
#[utoipa::path(patch, path = "/api/v1/vendors/{id}", tag = "vendors", params(("id" = String, Path)), request_body = VendorUpdate,
    responses((status = 200, body = VendorDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<VendorUpdate>,
) -> AppResult<Json<VendorDto>> {
    directory::update(&state, &viewer, id, input).await?;
    Ok(Json(vendor_dto(&state, &viewer, id, true).await?))
}

pub(crate) fn certificate_input(fields: &HashMap<String, String>) -> CertificateInput {
    let f = |k: &str| fields.get(k).cloned();
    CertificateInput {
        kind: fields.get("kind").cloned().unwrap_or_default(),
        name: f("name"),
        number: f("number"),
        issuer: f("issuer"),
        issued_on: f("issued_on"),
        expires_on: f("expires_on"),
    }
}

/// Multipart: `kind`, `name`, `number`, `issuer`, `issued_on`, `expires_on` and an optional `file`.
#[utoipa::path(post, path = "/api/v1/vendors/{id}/certificates", tag = "vendors", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", content = crate::web::upload_forms::CertificateForm),
    responses((status = 201, body = CertificateDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_certificate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, Json<CertificateDto>)> {
    directory::get(&state, &viewer, id).await?;
    let (fields, file) = read_form(form, state.config.upload_limit).await?;
    let c = directory::add_certificate(&state, &viewer, id, certificate_input(&fields), file).await?;
    let files = super::files::of(&state.db, "certificate", &[c.id]).await?;
    Ok((
        StatusCode::CREATED,
        Json(CertificateDto {
            id: Id(c.id),
            state: directory::certificate_state(&c, state.today()).to_owned(),
            file_ids: files.iter().map(|f| Id(f.id)).collect(),
            kind: c.kind,
            name: c.name,
            number: c.number,
            issuer: c.issuer,
            issued_on: c.issued_on,
            expires_on: c.expires_on,
        }),
    ))
}

fn period_param(q: &HashMap<String, String>, today: NaiveDate) -> AppResult<super::scorecard::Period> {
    match q.get("period").map(|p| p.trim()).filter(|p| !p.is_empty()) {
        None => Ok(quarter_of(today)),
        Some(p) => parse_period(p).map_err(|m| {
            let mut e = FieldErrors::default();
            e.add("period", m);
            AppError::Validation(e)
        }),
    }
}

/// KPIs computed from delivery facts, with the facts behind each figure. The host sees the
/// live scorecard; the vendor its own published one (404 until published); clients never.
#[utoipa::path(get, path = "/api/v1/vendors/{id}/scorecard", tag = "vendors",
    params(("id" = String, Path), ("period" = Option<String>, Query, description = "`2026Q3` or `2026`; the current quarter when left out")),
    responses((status = 200, body = Scorecard), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn scorecard(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<Scorecard>> {
    directory::get(&state, &viewer, id).await?;
    let p = period_param(&q, state.today())?;
    Ok(Json(evaluations::scorecard(&state, &viewer, id, &p).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodInput {
    /// `2026Q3`
    #[serde(default)]
    pub period: String,
}

/// Publish the period's scorecard to the vendor as it stands now (host administrators and PMs).
#[utoipa::path(post, path = "/api/v1/vendors/{id}/scorecard/publish", tag = "vendors", params(("id" = String, Path)),
    request_body = PeriodInput,
    responses((status = 200, body = Scorecard), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PeriodInput>,
) -> AppResult<Json<Scorecard>> {
    directory::get(&state, &viewer, id).await?;
    if !directory::runs_directory(&viewer) {
        return Err(AppError::Forbidden);
    }
    let p = period_param(&HashMap::from([("period".to_owned(), input.period)]), state.today())?;
    Ok(Json(evaluations::publish(&state, &viewer, id, &p).await?))
}

#[derive(Serialize, ToSchema)]
pub struct EvaluationDto {
    pub id: Id,
    pub period: String,
    pub template: String,
    /// 0–100
    pub total: f64,
    pub comment: String,
    pub evaluator_id: Id,
    pub created_at: DateTime<Utc>,
}

impl From<evaluation::Model> for EvaluationDto {
    fn from(e: evaluation::Model) -> Self {
        Self {
            id: Id(e.id),
            total: f64::from(e.total_bp) / 100.0,
            period: e.period,
            template: e.template,
            comment: e.comment,
            evaluator_id: Id(e.evaluator_id),
            created_at: e.created_at,
        }
    }
}

/// Record the caller's periodic evaluation of a vendor from a template (host users).
#[utoipa::path(post, path = "/api/v1/vendors/{id}/evaluations", tag = "vendors", params(("id" = String, Path)),
    request_body = EvaluationInput,
    responses((status = 201, body = EvaluationDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn evaluate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> AppResult<(StatusCode, Json<EvaluationDto>)> {
    let e = evaluations::evaluate(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

#[derive(Serialize, ToSchema)]
pub struct RankingEntryDto {
    pub rank: usize,
    pub vendor_id: Id,
    pub name: String,
    pub status: String,
    pub total: Option<f64>,
    pub grade: Option<String>,
}

/// Vendors ranked by their scorecard total for a period, within a category (host only).
#[utoipa::path(get, path = "/api/v1/vendor-ranking", tag = "vendors",
    params(("period" = Option<String>, Query), ("category" = Option<String>, Query)),
    responses((status = 200, body = List<RankingEntryDto>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn vendor_ranking(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<RankingEntryDto>>> {
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    let p = period_param(&q, state.today())?;
    let category = q.get("category").map(String::as_str).filter(|c| !c.is_empty());
    let rows = evaluations::ranking(&state, &viewer, category, &p).await?;
    let items = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| RankingEntryDto {
            rank: i + 1,
            vendor_id: Id(r.party.id),
            name: r.party.name,
            status: r.status,
            total: r.card.total,
            grade: r.card.grade,
        })
        .collect();
    Ok(Json(List { items, next_cursor: None }))
}

#[utoipa::path(get, path = "/api/v1/scorecard-settings", tag = "vendors",
    responses((status = 200, body = Settings), (status = 403, body = Problem)))]
pub async fn settings(State(state): State<AppState>, viewer: Viewer) -> AppResult<Json<Settings>> {
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    Ok(Json(load_settings(&state.db).await?))
}

/// KPI weights (adding up to 100) and grade bands (host administrators).
#[utoipa::path(put, path = "/api/v1/scorecard-settings", tag = "vendors", request_body = SettingsInput,
    responses((status = 200, body = Settings), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn save_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<SettingsInput>,
) -> AppResult<Json<Settings>> {
    Ok(Json(evaluations::save_settings(&state, &viewer, input).await?))
}

#[derive(Serialize, ToSchema)]
#[schema(as = EvaluationCriterionDto)]
pub struct CriterionDto {
    pub id: Option<Id>,
    pub name: String,
    pub weight: i32,
}

#[derive(Serialize, ToSchema)]
#[schema(as = EvaluationTemplateDto)]
pub struct TemplateDto {
    pub key: String,
    pub name: String,
    pub criteria: Vec<CriterionDto>,
}

/// Criteria templates of a kind (`selection` or `evaluation`): shipped ones and the host's own.
#[utoipa::path(get, path = "/api/v1/evaluation-templates", tag = "vendors",
    params(("kind" = Option<String>, Query, description = "selection (default) | evaluation")),
    responses((status = 200, body = List<TemplateDto>), (status = 403, body = Problem)))]
pub async fn list_templates(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<TemplateDto>>> {
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    let kind = q.get("kind").map(String::as_str).unwrap_or("selection");
    let lang = viewer.lang();
    let items = templates::all(&state, kind, lang)
        .await?
        .into_iter()
        .map(|t| TemplateDto {
            key: t.key,
            name: t.name,
            criteria: t.criteria.into_iter().map(|(name, weight)| CriterionDto { id: None, name, weight }).collect(),
        })
        .collect();
    Ok(Json(List { items, next_cursor: None }))
}

#[utoipa::path(post, path = "/api/v1/evaluation-templates", tag = "vendors", request_body = TemplateInput,
    responses((status = 201, body = TemplateDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_template(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<TemplateInput>,
) -> AppResult<(StatusCode, Json<TemplateDto>)> {
    let t = templates::add(&state, &viewer, input).await?;
    let lang = viewer.lang();
    let key = format!("custom-{}", t.id);
    let found = templates::all(&state, &t.kind, lang).await?.into_iter().find(|x| x.key == key);
    let criteria = found
        .map(|x| x.criteria.into_iter().map(|(name, weight)| CriterionDto { id: None, name, weight }).collect())
        .unwrap_or_default();
    Ok((StatusCode::CREATED, Json(TemplateDto { key, name: t.name, criteria })))
}
