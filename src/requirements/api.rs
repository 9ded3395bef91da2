//! `/api/v1/engagements/{id}/requirements`, `/api/v1/engagements/{id}/requirement-versions` and
//! `/api/v1/requirement-versions/{id}` (frozen content, comparison, signatures).

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    compare::{self, Comparison},
    entity::requirement,
    service::{self, RequirementInput, RequirementPatch, criteria_lines},
    trace::{self, LinkInput, Trace},
    versions::{self, FreezeInput, FrozenItem, SignInput, Signed, VersionView},
};
use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    error::{AppError, AppResult, Problem},
    web::json::{ApiJson, List, OptionalJson},
    web::{Path, Query},
};

#[derive(Serialize, ToSchema)]
pub struct RequirementDto {
    pub id: Id,
    pub engagement_id: Id,
    /// Stable within the engagement: `REQ-001`.
    pub key: String,
    pub parent_id: Option<Id>,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub kind: String,
    pub priority: String,
    pub source_party_id: Option<Id>,
    pub acceptance_criteria: Vec<String>,
    pub status: String,
    pub visibility: String,
    pub visible_party_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<requirement::Model> for RequirementDto {
    fn from(r: requirement::Model) -> Self {
        Self {
            acceptance_criteria: criteria_lines(&r).into_iter().map(str::to_owned).collect(),
            id: Id(r.id),
            engagement_id: Id(r.engagement_id),
            key: r.key,
            parent_id: r.parent_id.map(Id),
            title: r.title,
            description: r.description,
            kind: r.kind,
            priority: r.priority,
            source_party_id: r.source_party_id.map(Id),
            status: r.status,
            visibility: r.visibility,
            visible_party_id: r.visible_party_id.map(Id),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/requirements", tag = "requirements", params(("id" = String, Path)),
    responses((status = 200, body = List<RequirementDto>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<RequirementDto>>> {
    let rows = service::list(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(Into::into).collect(), next_cursor: None }))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/requirements", tag = "requirements", params(("id" = String, Path)), request_body = RequirementInput,
    responses((status = 201, body = RequirementDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RequirementInput>,
) -> AppResult<(StatusCode, Json<RequirementDto>)> {
    Ok((StatusCode::CREATED, Json(service::create(&state, &viewer, id, input).await?.into())))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/requirements/{req_id}", tag = "requirements", params(("id" = String, Path), ("req_id" = String, Path)),
    responses((status = 200, body = RequirementDto), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, req_id)): Path<(i64, i64)>,
) -> AppResult<Json<RequirementDto>> {
    Ok(Json(service::one(&state, &viewer, id, req_id).await?.into()))
}

/// Edit an item. Items of a signed version answer 409: they change through a change request.
#[utoipa::path(patch, path = "/api/v1/engagements/{id}/requirements/{req_id}", tag = "requirements", params(("id" = String, Path), ("req_id" = String, Path)), request_body = RequirementPatch,
    responses((status = 200, body = RequirementDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, req_id)): Path<(i64, i64)>,
    ApiJson(patch): ApiJson<RequirementPatch>,
) -> AppResult<Json<RequirementDto>> {
    // Hidden items answer 404 before anything else is said about them.
    service::one(&state, &viewer, id, req_id).await?;
    Ok(Json(service::update(&state, &viewer, id, req_id, patch).await?.into()))
}

/// A signature. The party and the signer are null when the caller may not know that party
/// (a client is not told which vendor signed, only that another party did, and when).
#[derive(Serialize, ToSchema)]
#[schema(as = RequirementSignatureDto)]
pub struct SignatureDto {
    pub party_id: Option<Id>,
    pub party_name: Option<String>,
    pub user_id: Option<Id>,
    pub user_name: Option<String>,
    pub signed_at: DateTime<Utc>,
    /// SHA-256 (hex) of the exact content signed.
    pub content_sha256: String,
}

fn signature_dto(s: Signed) -> SignatureDto {
    let known = s.party.is_some();
    SignatureDto {
        party_id: known.then_some(Id(s.signature.party_id)),
        party_name: s.party,
        user_id: known.then_some(Id(s.signature.user_id)),
        user_name: s.signer.filter(|_| known),
        signed_at: s.signature.signed_at,
        content_sha256: s.signature.content_sha256,
    }
}

#[derive(Serialize, ToSchema)]
pub struct RequiredParty {
    pub party_id: Id,
    pub name: String,
    pub signed: bool,
}

#[derive(Serialize, ToSchema)]
#[schema(as = RequirementVersionDto)]
pub struct VersionDto {
    pub id: Id,
    pub engagement_id: Id,
    pub number: i32,
    pub note: String,
    pub item_count: i32,
    /// SHA-256 (hex) of the frozen content.
    pub content_sha256: String,
    /// Every required party has signed: the items are locked.
    pub signed: bool,
    /// The parties whose signatures it needs, as far as the caller may know them.
    pub required_parties: Vec<RequiredParty>,
    /// How many parties must sign, known or not.
    pub required_count: usize,
    /// How many of them have signed.
    pub signed_count: usize,
    pub signatures: Vec<SignatureDto>,
    pub created_at: DateTime<Utc>,
    /// The frozen items (only in `GET /api/v1/requirement-versions/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<FrozenItem>>,
}

fn version_dto(view: VersionView, with_items: bool) -> AppResult<VersionDto> {
    let signed = view.signed();
    let items = if with_items { Some(versions::content_of(&view.version)?.items) } else { None };
    let required_count = view.required.len();
    let signed_count = view.required.iter().filter(|(p, _)| view.signed_by(*p)).count();
    let required_parties = view
        .required
        .iter()
        .filter_map(|(p, name)| {
            name.clone().map(|name| RequiredParty { party_id: Id(*p), name, signed: view.signed_by(*p) })
        })
        .collect();
    let VersionView { version: v, signatures, .. } = view;
    Ok(VersionDto {
        required_parties,
        required_count,
        signed_count,
        signatures: signatures.into_iter().map(signature_dto).collect(),
        id: Id(v.id),
        engagement_id: Id(v.engagement_id),
        number: v.number,
        note: v.note,
        item_count: v.item_count,
        content_sha256: v.content_sha256,
        signed,
        created_at: v.created_at,
        items,
    })
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/requirement-versions", tag = "requirements", params(("id" = String, Path)),
    responses((status = 200, body = List<VersionDto>), (status = 404, body = Problem)))]
pub async fn list_versions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<VersionDto>>> {
    let views = versions::list(&state, &viewer, id).await?;
    let items = views.into_iter().map(|v| version_dto(v, false)).collect::<AppResult<_>>()?;
    Ok(Json(List { items, next_cursor: None }))
}

/// Freeze the current shared requirement set as the next numbered version.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/requirement-versions", tag = "requirements", params(("id" = String, Path)), request_body = Option<FreezeInput>,
    responses((status = 201, body = VersionDto), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn freeze(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    OptionalJson(input): OptionalJson<FreezeInput>,
) -> AppResult<(StatusCode, Json<VersionDto>)> {
    let v = versions::freeze(&state, &viewer, id, input).await?;
    let view = versions::one(&state, &viewer, v.id).await?;
    Ok((StatusCode::CREATED, Json(version_dto(view, true)?)))
}

#[utoipa::path(get, path = "/api/v1/requirement-versions/{id}", tag = "requirements", params(("id" = String, Path)),
    responses((status = 200, body = VersionDto), (status = 404, body = Problem)))]
pub async fn get_version(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<VersionDto>> {
    Ok(Json(version_dto(versions::one(&state, &viewer, id).await?, true)?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// The other version's id (of the same engagement).
    pub with: Id,
}

/// What changed from version `with` to this one.
#[utoipa::path(get, path = "/api/v1/requirement-versions/{id}/compare", tag = "requirements", params(("id" = String, Path), CompareQuery),
    responses((status = 200, body = Comparison), (status = 404, body = Problem)))]
pub async fn compare_versions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<CompareQuery>,
) -> AppResult<Json<Comparison>> {
    Ok(Json(comparison(&state, &viewer, q.with.0, id).await?))
}

pub async fn comparison(state: &AppState, viewer: &Viewer, from: i64, to: i64) -> AppResult<Comparison> {
    let to = versions::one(state, viewer, to).await?;
    let from = versions::one(state, viewer, from).await?;
    if from.version.engagement_id != to.version.engagement_id {
        return Err(AppError::NotFound);
    }
    Ok(compare::compare(&versions::content_of(&from.version)?, &versions::content_of(&to.version)?))
}

/// Sign the version for your party, giving your password again.
#[utoipa::path(post, path = "/api/v1/requirement-versions/{id}/signatures", tag = "requirements", params(("id" = String, Path)), request_body = SignInput,
    responses((status = 201, body = VersionDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn sign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SignInput>,
) -> AppResult<(StatusCode, Json<VersionDto>)> {
    versions::sign(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(version_dto(versions::one(&state, &viewer, id).await?, false)?)))
}

/// The traceability matrix: each requirement with its tasks, deliverables and criteria count,
/// the gaps, and the tasks that serve no requirement.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/traceability", tag = "requirements", params(("id" = String, Path)),
    responses((status = 200, body = Trace), (status = 404, body = Problem)))]
pub async fn traceability(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<Trace>> {
    Ok(Json(trace::matrix(&state, &viewer, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct LinkDto {
    pub id: Id,
    pub requirement_id: Id,
    pub kind: String,
    pub record_id: Id,
}

/// Link a task or deliverable of the engagement to a requirement.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/requirements/{req_id}/links", tag = "requirements", params(("id" = String, Path), ("req_id" = String, Path)), request_body = LinkInput,
    responses((status = 201, body = LinkDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn link(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, req_id)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<LinkInput>,
) -> AppResult<(StatusCode, Json<LinkDto>)> {
    let l = trace::link(&state, &viewer, id, req_id, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(LinkDto { id: Id(l.id), requirement_id: Id(l.requirement_id), kind: l.kind, record_id: Id(l.record_id) }),
    ))
}

#[utoipa::path(delete, path = "/api/v1/engagements/{id}/requirements/{req_id}/links/{link_id}", tag = "requirements", params(("id" = String, Path), ("req_id" = String, Path), ("link_id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unlink(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, req_id, link_id)): Path<(i64, i64, i64)>,
) -> AppResult<StatusCode> {
    trace::unlink(&state, &viewer, id, req_id, link_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
