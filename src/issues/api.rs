//! `/api/v1/engagements/{id}/issues`, `/api/v1/issues/{id}` and the engagement's SLA.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    entity::issue,
    service::{self, IssueFilter, IssueInput, Policy, PolicyInput, Targets},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    domain::{Id, IssueStatus},
    error::{AppResult, FieldErrors, Problem},
    web::Path,
    web::json::{ApiJson, List, page_params},
};

#[derive(Serialize, ToSchema)]
pub struct SlaDto {
    /// When the first response is due.
    pub response_due: DateTime<Utc>,
    /// When the resolution is due.
    pub resolve_due: DateTime<Utc>,
    /// ok | at_risk (three quarters of the working time gone) | breached
    pub state: String,
    pub response_state: String,
    pub resolve_state: String,
}

#[derive(Serialize, ToSchema)]
pub struct IssueDto {
    pub id: Id,
    pub engagement_id: Id,
    /// `I-001`.
    pub key: String,
    pub title: String,
    pub description: String,
    /// issue | conflict | question | decision
    pub kind: String,
    /// critical | high | medium | low
    pub severity: String,
    /// open | responded | resolved | closed
    pub status: String,
    pub raised_by: Option<Id>,
    pub raised_party_id: Option<Id>,
    pub owner_id: Option<Id>,
    pub visibility: String,
    pub visible_party_id: Option<Id>,
    pub sla: SlaDto,
    pub responded_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution: String,
    pub closed_at: Option<DateTime<Utc>>,
    /// 0, 1 (response late: escalated to the PMs) or 2 (resolution late: to the other party's
    /// managers and the host's executives).
    pub escalation: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn dto(lens: &Lens, owners: &HashMap<i64, i64>, now: DateTime<Utc>, i: issue::Model) -> IssueDto {
    let s = service::sla_state(&i, now);
    IssueDto {
        sla: SlaDto {
            response_due: i.response_due,
            resolve_due: i.resolve_due,
            state: s.overall().as_str().to_owned(),
            response_state: s.response.as_str().to_owned(),
            resolve_state: s.resolve.as_str().to_owned(),
        },
        raised_by: lens.person(i.raised_party_id, Id(i.raised_by)),
        raised_party_id: lens.party(Some(i.raised_party_id)).map(Id),
        owner_id: i.owner_id.and_then(|o| owners.get(&o).and_then(|p| lens.person(*p, Id(o)))),
        id: Id(i.id),
        engagement_id: Id(i.engagement_id),
        key: i.key,
        title: i.title,
        description: i.description,
        kind: i.kind,
        severity: i.severity,
        status: i.status,
        visibility: i.visibility,
        visible_party_id: i.visible_party_id.map(Id),
        responded_at: i.responded_at,
        resolved_at: i.resolved_at,
        resolution: i.resolution,
        closed_at: i.closed_at,
        escalation: i.escalation,
        created_at: i.created_at,
        updated_at: i.updated_at,
    }
}

async fn dtos(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    rows: Vec<issue::Model>,
) -> AppResult<Vec<IssueDto>> {
    let lens = Lens::of(state, viewer, engagement_id).await?;
    let owners = crate::risks::api::parties_of(state, rows.iter().filter_map(|i| i.owner_id)).await?;
    let now = state.clock.now();
    Ok(rows.into_iter().map(|i| dto(&lens, &owners, now, i)).collect())
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/issues", tag = "issues",
    params(("id" = String, Path), ("status" = Option<String>, Query, description = "open | responded | resolved | closed | live (not closed)"),
           ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<IssueDto>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<IssueDto>>> {
    let (limit, after) = page_params(&q)?;
    let mut errors = FieldErrors::default();
    let (status, open) = match q.get("status").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        Some("live") => (None, true),
        Some(s) => (errors.take("status", IssueStatus::parse(s)), false),
        None => (None, false),
    };
    errors.into_result()?;
    let (rows, next_cursor) = service::list(&state, &viewer, id, &IssueFilter { status, open, limit, after }).await?;
    Ok(Json(List { items: dtos(&state, &viewer, id, rows).await?, next_cursor }))
}

/// Raise an issue, a conflict, a question or a decision needed. Its SLA targets follow its severity.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/issues", tag = "issues", params(("id" = String, Path)), request_body = IssueInput,
    responses((status = 201, body = IssueDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<IssueInput>,
) -> AppResult<(StatusCode, Json<IssueDto>)> {
    let i = service::create(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(dtos(&state, &viewer, id, vec![i]).await?.remove(0))))
}

#[utoipa::path(get, path = "/api/v1/issues/{id}", tag = "issues", params(("id" = String, Path)),
    responses((status = 200, body = IssueDto), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<IssueDto>> {
    let i = service::load(&state, &viewer, id).await?;
    let e = i.engagement_id;
    Ok(Json(dtos(&state, &viewer, e, vec![i]).await?.remove(0)))
}

/// Change an issue or move it: `responded` and `resolved` (owner, managers), `closed` and
/// `open` (the raiser confirms or sends it back).
#[utoipa::path(patch, path = "/api/v1/issues/{id}", tag = "issues", params(("id" = String, Path)), request_body = IssueInput,
    responses((status = 200, body = IssueDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<IssueInput>,
) -> AppResult<Json<IssueDto>> {
    let i = service::update(&state, &viewer, id, input).await?;
    let e = i.engagement_id;
    Ok(Json(dtos(&state, &viewer, e, vec![i]).await?.remove(0)))
}

#[derive(Serialize, ToSchema)]
pub struct PolicyDto {
    pub hours_start: String,
    pub hours_end: String,
    pub targets: Targets,
}

fn policy_dto(p: &Policy) -> PolicyDto {
    PolicyDto {
        hours_start: p.hours.start.format("%H:%M").to_string(),
        hours_end: p.hours.end.format("%H:%M").to_string(),
        targets: p.targets.clone(),
    }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/sla", tag = "issues", params(("id" = String, Path)),
    responses((status = 200, body = PolicyDto), (status = 404, body = Problem)))]
pub async fn get_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<PolicyDto>> {
    crate::engagements::service::get(&state, &viewer, id).await?;
    Ok(Json(policy_dto(&service::policy(&state.db, id).await?)))
}

#[utoipa::path(put, path = "/api/v1/engagements/{id}/sla", tag = "issues", params(("id" = String, Path)), request_body = PolicyInput,
    responses((status = 200, body = PolicyDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PolicyInput>,
) -> AppResult<Json<PolicyDto>> {
    Ok(Json(policy_dto(&service::set_policy(&state, &viewer, id, input).await?)))
}
