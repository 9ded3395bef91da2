//! `/api/v1/deliverables/{id}/acceptances`, `/api/v1/acceptances/{id}` (results, signatures),
//! an engagement's acceptances, defects, quality checks and quality figures.

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
    defects::{self, DefectFilter, DefectInput, DefectUpdate},
    entity::{acceptance, defect, quality_check},
    quality::{self, CheckInput, CheckItem, QualitySummary},
    service::{self, ResultInput, SignInput, SubmitInput, required_of},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    domain::{DefectStatus, Id},
    error::{AppResult, FieldErrors, Problem},
    web::Path,
    web::json::{ApiJson, List},
};

#[derive(Serialize, ToSchema)]
pub struct ItemDto {
    pub id: Id,
    pub position: i32,
    /// criterion | requirement
    pub source: String,
    pub requirement_id: Option<Id>,
    pub text: String,
    /// None until the result is recorded.
    pub passed: Option<bool>,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct AcceptanceSignatureDto {
    /// None for a party the caller may not know of (a client does not learn the vendor).
    pub party_id: Option<Id>,
    pub user_id: Option<Id>,
    pub content_sha256: String,
    pub signed_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct AcceptanceDto {
    pub id: Id,
    pub engagement_id: Id,
    pub deliverable_id: Id,
    /// initial (初验) | final (终验)
    pub stage: String,
    pub round: i32,
    /// submitted | accepted | accepted_with_conditions | rejected
    pub state: String,
    pub note: String,
    pub conditions: String,
    /// None when the submitter's party is one the caller may not know of.
    pub submitted_by: Option<Id>,
    pub submitted_at: DateTime<Utc>,
    pub decided_by: Option<Id>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The SHA-256 of the recorded result, what each party signs.
    pub content_sha256: Option<String>,
    /// The parties whose signatures put it in force, as far as the caller may know them.
    pub required_party_ids: Vec<Id>,
    /// How many parties must sign, known or not.
    pub required_count: usize,
    /// When the last required signature came in.
    pub effective_at: Option<DateTime<Utc>>,
    pub items: Vec<ItemDto>,
    pub evidence_document_ids: Vec<Id>,
    pub signatures: Vec<AcceptanceSignatureDto>,
    /// Defects this round opened.
    pub defect_ids: Vec<Id>,
}

async fn dto(state: &AppState, viewer: &Viewer, a: acceptance::Model) -> AppResult<AcceptanceDto> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let lens = Lens::of(state, viewer, a.engagement_id).await?;
    let knows = |p: i64| lens.knows(p);
    let items = service::items(&state.db, a.id).await?;
    let evidence = service::evidence_of(&state.db, a.id).await?;
    let sigs = service::signatures(&state.db, a.id).await?;
    let defect_ids = defect::Entity::find().filter(defect::Column::AcceptanceId.eq(a.id)).all(&state.db).await?;
    Ok(AcceptanceDto {
        id: Id(a.id),
        engagement_id: Id(a.engagement_id),
        deliverable_id: Id(a.deliverable_id),
        required_party_ids: required_of(&a).into_iter().filter(|p| knows(*p)).map(Id).collect(),
        required_count: required_of(&a).len(),
        items: items
            .into_iter()
            .map(|i| ItemDto {
                id: Id(i.id),
                position: i.position,
                source: i.source,
                requirement_id: i.requirement_id.map(Id),
                text: i.text,
                passed: i.passed,
                note: i.note,
            })
            .collect(),
        evidence_document_ids: evidence.into_iter().map(|(d, _)| Id(d.id)).collect(),
        signatures: sigs
            .into_iter()
            .map(|s| AcceptanceSignatureDto {
                party_id: knows(s.party_id).then_some(Id(s.party_id)),
                user_id: knows(s.party_id).then_some(Id(s.user_id)),
                content_sha256: s.content_sha256,
                signed_at: s.signed_at,
            })
            .collect(),
        defect_ids: defect_ids.into_iter().map(|d| Id(d.id)).collect(),
        stage: a.stage,
        round: a.round,
        state: a.state,
        note: a.note,
        conditions: a.conditions,
        submitted_by: knows(a.submitted_party_id).then_some(Id(a.submitted_by)),
        submitted_at: a.submitted_at,
        decided_by: a.decided_by.map(Id),
        decided_at: a.decided_at,
        content_sha256: a.content_sha256,
        effective_at: a.effective_at,
    })
}

async fn dtos(state: &AppState, viewer: &Viewer, rows: Vec<acceptance::Model>) -> AppResult<Vec<AcceptanceDto>> {
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        out.push(dto(state, viewer, a).await?);
    }
    Ok(out)
}

/// Submit a deliverable for 初验 or 终验 (the PM, or the manager of the party that delivers it).
#[utoipa::path(post, path = "/api/v1/deliverables/{id}/acceptances", tag = "acceptance", params(("id" = String, Path)), request_body = SubmitInput,
    responses((status = 201, body = AcceptanceDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SubmitInput>,
) -> AppResult<(StatusCode, Json<AcceptanceDto>)> {
    let a = service::submit(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(dto(&state, &viewer, a).await?)))
}

#[utoipa::path(get, path = "/api/v1/deliverables/{id}/acceptances", tag = "acceptance", params(("id" = String, Path)),
    responses((status = 200, body = List<AcceptanceDto>), (status = 404, body = Problem)))]
pub async fn for_deliverable(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<AcceptanceDto>>> {
    let d = service::visible_deliverable(&state, &viewer, id).await?;
    let rows = service::list(&state, &viewer, d.engagement_id, Some(d.id)).await?;
    Ok(Json(List { items: dtos(&state, &viewer, rows).await?, next_cursor: None }))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/acceptances", tag = "acceptance", params(("id" = String, Path)),
    responses((status = 200, body = List<AcceptanceDto>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<AcceptanceDto>>> {
    let rows = service::list(&state, &viewer, id, None).await?;
    Ok(Json(List { items: dtos(&state, &viewer, rows).await?, next_cursor: None }))
}

#[utoipa::path(get, path = "/api/v1/acceptances/{id}", tag = "acceptance", params(("id" = String, Path)),
    responses((status = 200, body = AcceptanceDto), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<AcceptanceDto>> {
    let a = service::load(&state, &viewer, id).await?;
    Ok(Json(dto(&state, &viewer, a).await?))
}

/// Record pass/fail per checklist item and the outcome (the PM, or a client's manager).
/// Failed items open defects; a rejection is followed by the next round.
#[utoipa::path(post, path = "/api/v1/acceptances/{id}/results", tag = "acceptance", params(("id" = String, Path)), request_body = ResultInput,
    responses((status = 200, body = AcceptanceDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn results(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResultInput>,
) -> AppResult<Json<AcceptanceDto>> {
    let a = service::record_results(&state, &viewer, id, input).await?;
    Ok(Json(dto(&state, &viewer, a).await?))
}

/// Sign the recorded result for the caller's party, re-entering the password.
#[utoipa::path(post, path = "/api/v1/acceptances/{id}/signatures", tag = "acceptance", params(("id" = String, Path)), request_body = SignInput,
    responses((status = 201, body = AcceptanceDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn sign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SignInput>,
) -> AppResult<(StatusCode, Json<AcceptanceDto>)> {
    let a = service::sign(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(dto(&state, &viewer, a).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct DefectDto {
    pub id: Id,
    /// `DEF-001`
    pub key: String,
    pub deliverable_id: Id,
    pub acceptance_id: Option<Id>,
    pub check_id: Option<Id>,
    pub title: String,
    pub description: String,
    /// critical | major | minor
    pub severity: String,
    /// open | resolved | closed
    pub status: String,
    pub owner_party_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

fn defect_dto(lens: &Lens, d: defect::Model) -> DefectDto {
    DefectDto {
        id: Id(d.id),
        key: d.key,
        deliverable_id: Id(d.deliverable_id),
        acceptance_id: d.acceptance_id.map(Id),
        check_id: d.check_id.map(Id),
        title: d.title,
        description: d.description,
        severity: d.severity,
        status: d.status,
        owner_party_id: lens.party(d.owner_party_id).map(Id),
        created_at: d.created_at,
        resolved_at: d.resolved_at,
        closed_at: d.closed_at,
    }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/defects", tag = "acceptance",
    params(("id" = String, Path), ("status" = Option<String>, Query), ("deliverable_id" = Option<String>, Query)),
    responses((status = 200, body = List<DefectDto>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn defects(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<DefectDto>>> {
    let mut errors = FieldErrors::default();
    let status = q.get("status").filter(|s| !s.is_empty()).and_then(|s| errors.take("status", DefectStatus::parse(s)));
    let deliverable_id = q
        .get("deliverable_id")
        .filter(|s| !s.is_empty())
        .and_then(|s| errors.take("deliverable_id", crate::domain::parse_id(s)));
    errors.into_result()?;
    let rows = defects::list(&state, &viewer, id, &DefectFilter { status, deliverable_id }).await?;
    let lens = Lens::of(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(|d| defect_dto(&lens, d)).collect(), next_cursor: None }))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/defects", tag = "acceptance", params(("id" = String, Path)), request_body = DefectInput,
    responses((status = 201, body = DefectDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_defect(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DefectInput>,
) -> AppResult<(StatusCode, Json<DefectDto>)> {
    let d = defects::create(&state, &viewer, id, input).await?;
    let lens = Lens::of(&state, &viewer, d.engagement_id).await?;
    Ok((StatusCode::CREATED, Json(defect_dto(&lens, d))))
}

/// The delivering party marks a defect resolved; the PM closes or reopens it.
#[utoipa::path(patch, path = "/api/v1/defects/{id}", tag = "acceptance", params(("id" = String, Path)), request_body = DefectUpdate,
    responses((status = 200, body = DefectDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_defect(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DefectUpdate>,
) -> AppResult<Json<DefectDto>> {
    let d = defects::update(&state, &viewer, id, input).await?;
    let lens = Lens::of(&state, &viewer, d.engagement_id).await?;
    Ok(Json(defect_dto(&lens, d)))
}

#[derive(Serialize, ToSchema)]
pub struct CheckDto {
    pub id: Id,
    pub deliverable_id: Id,
    pub checked_on: NaiveDate,
    /// pass | fail
    pub result: String,
    pub findings: String,
    pub items: Vec<CheckItem>,
    pub inspector_id: Id,
}

fn check_dto(c: quality_check::Model) -> CheckDto {
    CheckDto {
        items: quality::items_of(&c),
        id: Id(c.id),
        deliverable_id: Id(c.deliverable_id),
        checked_on: c.checked_on,
        result: c.result,
        findings: c.findings,
        inspector_id: Id(c.inspector_id),
    }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/quality-checks", tag = "acceptance", params(("id" = String, Path)),
    responses((status = 200, body = List<CheckDto>), (status = 404, body = Problem)))]
pub async fn checks(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<CheckDto>>> {
    let rows = quality::list(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(check_dto).collect(), next_cursor: None }))
}

/// Record an inspection (the PM); each failed line opens a defect.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/quality-checks", tag = "acceptance", params(("id" = String, Path)), request_body = CheckInput,
    responses((status = 201, body = CheckDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_check(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CheckInput>,
) -> AppResult<(StatusCode, Json<CheckDto>)> {
    Ok((StatusCode::CREATED, Json(check_dto(quality::create(&state, &viewer, id, input).await?))))
}

/// Defect and inspection counts per deliverable and per delivering party.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/quality", tag = "acceptance", params(("id" = String, Path)),
    responses((status = 200, body = QualitySummary), (status = 404, body = Problem)))]
pub async fn summary(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<QualitySummary>> {
    Ok(Json(quality::summary(&state, &viewer, id).await?))
}
