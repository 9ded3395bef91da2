//! `/api/v1/engagements/{id}/change-requests`, `/api/v1/change-requests/{id}` (impact, scope
//! items, decisions), the engagement's change board and change statistics.

use std::collections::{HashMap, HashSet};

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    board::{self, BoardDto, BoardInput},
    decide::{self, DecisionInput},
    entity::{change_request, decision, scope_item},
    impact::{self, ImpactView},
    service::{self, ChangeFilter, ChangeInput, ImpactInput, ScopeItemInput, affected_ids, cost_of},
    stats::{self, ChangeStats},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    domain::{ChangeState, Id},
    engagements::network::visible_task_ids,
    error::{AppResult, FieldErrors, Problem},
    money::MoneyDto,
    web::Path,
    web::json::{ApiJson, List, page_params},
};

#[derive(Serialize, ToSchema)]
pub struct ChangeRequestDto {
    pub id: Id,
    pub engagement_id: Id,
    /// Stable within the engagement: `CR-001`.
    pub key: String,
    pub title: String,
    pub reason: String,
    pub description: String,
    /// pending | approved | rejected | deferred
    pub state: String,
    /// `pm` or `board` once the first decision of the round fixed it.
    pub route: Option<String>,
    pub round: i32,
    /// Who raised it; null (with the party) when the caller may not know the raising party.
    pub raised_by: Option<Id>,
    pub raised_party_id: Option<Id>,
    pub visibility: String,
    pub visible_party_id: Option<Id>,
    /// The affected tasks the caller may see.
    pub affected_task_ids: Vec<Id>,
    /// Working days added to each affected task.
    pub schedule_delta_days: i32,
    /// The cost agreed between the host and the client: null for anyone else (vendors).
    pub cost_delta: Option<MoneyDto>,
    /// The schedule impact in working days (computed by re-planning when tasks are named).
    pub impact_days: Option<i32>,
    /// The host's internal notes on the impact; left out for everyone else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_notes: Option<String>,
    pub impact_recorded_at: Option<DateTime<Utc>>,
    pub revisit_on: Option<NaiveDate>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The baseline an approval saved.
    pub baseline_id: Option<Id>,
    /// The requirement version an approval froze.
    pub requirement_version_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn dto(lens: &Lens, visible_tasks: &HashSet<i64>, c: change_request::Model) -> ChangeRequestDto {
    ChangeRequestDto {
        affected_task_ids: affected_ids(&c).into_iter().filter(|t| visible_tasks.contains(t)).map(Id).collect(),
        cost_delta: lens.client_price(cost_of(&c).dto()),
        impact_notes: lens.internal(c.impact_notes.clone()),
        raised_by: lens.person(c.raised_party_id, Id(c.raised_by)),
        raised_party_id: lens.party(Some(c.raised_party_id)).map(Id),
        id: Id(c.id),
        engagement_id: Id(c.engagement_id),
        key: c.key,
        title: c.title,
        reason: c.reason,
        description: c.description,
        state: c.state,
        route: c.route,
        round: c.round,
        visibility: c.visibility,
        visible_party_id: c.visible_party_id.map(Id),
        schedule_delta_days: c.schedule_delta_days,
        impact_days: c.impact_days,
        impact_recorded_at: c.impact_recorded_at,
        revisit_on: c.revisit_on,
        decided_at: c.decided_at,
        baseline_id: c.baseline_id.map(Id),
        requirement_version_id: c.requirement_version_id.map(Id),
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

async fn one_dto(state: &AppState, viewer: &Viewer, c: change_request::Model) -> AppResult<ChangeRequestDto> {
    let visible = visible_task_ids(state, viewer, c.engagement_id).await?;
    let lens = Lens::of(state, viewer, c.engagement_id).await?;
    Ok(dto(&lens, &visible, c))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/change-requests", tag = "changes",
    params(("id" = String, Path), ("state" = Option<String>, Query, description = "pending | approved | rejected | deferred"),
           ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<ChangeRequestDto>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<ChangeRequestDto>>> {
    let (limit, after) = page_params(&q)?;
    let mut errors = FieldErrors::default();
    let st = q.get("state").filter(|s| !s.is_empty()).and_then(|s| errors.take("state", ChangeState::parse(s)));
    errors.into_result()?;
    let (rows, next_cursor) = service::list(&state, &viewer, id, &ChangeFilter { state: st, limit, after }).await?;
    let visible = visible_task_ids(&state, &viewer, id).await?;
    let lens = Lens::of(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(|c| dto(&lens, &visible, c)).collect(), next_cursor }))
}

/// Raise a change request (anyone in the engagement). Impact fields are optional here; the PM
/// records them later with `PUT /api/v1/change-requests/{id}/impact`.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/change-requests", tag = "changes", params(("id" = String, Path)), request_body = ChangeInput,
    responses((status = 201, body = ChangeRequestDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ChangeInput>,
) -> AppResult<(StatusCode, Json<ChangeRequestDto>)> {
    let c = service::create(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(one_dto(&state, &viewer, c).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ScopeItemDto {
    pub id: Id,
    /// add | change | remove
    pub action: String,
    pub requirement_id: Option<Id>,
    pub title: String,
    pub description: String,
    pub acceptance_criteria: Vec<String>,
    pub priority: String,
}

fn scope_dto(s: scope_item::Model) -> ScopeItemDto {
    ScopeItemDto {
        acceptance_criteria: s.criteria.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect(),
        id: Id(s.id),
        action: s.action,
        requirement_id: s.requirement_id.map(Id),
        title: s.title,
        description: s.description,
        priority: s.priority,
    }
}

/// A vote. Who voted is null when the caller may not know the voter's party.
#[derive(Serialize, ToSchema)]
pub struct DecisionDto {
    pub round: i32,
    pub user_id: Option<Id>,
    pub party_id: Option<Id>,
    /// approve | reject | defer
    pub decision: String,
    pub comment: String,
    pub revisit_on: Option<NaiveDate>,
    pub decided_at: DateTime<Utc>,
}

fn decision_dto(lens: &Lens, d: decision::Model) -> DecisionDto {
    DecisionDto {
        round: d.round,
        user_id: lens.person(d.party_id, Id(d.user_id)),
        party_id: lens.party(Some(d.party_id)).map(Id),
        decision: d.decision,
        comment: d.comment,
        revisit_on: d.revisit_on,
        decided_at: d.decided_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ChangeDetailDto {
    #[serde(flatten)]
    pub change: ChangeRequestDto,
    /// What approval would do to the plan now (pending), or what it did (approved).
    pub impact: ImpactView,
    pub scope_items: Vec<ScopeItemDto>,
    pub decisions: Vec<DecisionDto>,
    /// Who decides: `pm` or `board`.
    pub decided_by: String,
    /// Whether the caller has a vote in the current round.
    pub can_decide: bool,
}

#[utoipa::path(get, path = "/api/v1/change-requests/{id}", tag = "changes", params(("id" = String, Path)),
    responses((status = 200, body = ChangeDetailDto), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<ChangeDetailDto>> {
    let c = service::load(&state, &viewer, id).await?;
    Ok(Json(detail(&state, &viewer, c).await?))
}

async fn detail(state: &AppState, viewer: &Viewer, c: change_request::Model) -> AppResult<ChangeDetailDto> {
    let impact = impact::view(state, viewer, &c).await?;
    let scope_items = service::scope_items(state, c.id).await?.into_iter().map(scope_dto).collect();
    let lens = Lens::of(state, viewer, c.engagement_id).await?;
    let decisions = decide::history(state, &c).await?.into_iter().map(|d| decision_dto(&lens, d)).collect();
    let (route, _) = decide::routing(state, &c).await?;
    let can_decide = decide::may_decide(state, viewer, &c).await?;
    let change = one_dto(state, viewer, c).await?;
    Ok(ChangeDetailDto { change, impact, scope_items, decisions, decided_by: route.as_str().to_owned(), can_decide })
}

/// Record or revise the impact (engagement managers; pending changes before anyone has voted).
#[utoipa::path(put, path = "/api/v1/change-requests/{id}/impact", tag = "changes", params(("id" = String, Path)), request_body = ImpactInput,
    responses((status = 200, body = ChangeDetailDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn record_impact(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ImpactInput>,
) -> AppResult<Json<ChangeDetailDto>> {
    let c = service::record_impact(&state, &viewer, id, input).await?;
    Ok(Json(detail(&state, &viewer, c).await?))
}

#[utoipa::path(post, path = "/api/v1/change-requests/{id}/scope-items", tag = "changes", params(("id" = String, Path)), request_body = ScopeItemInput,
    responses((status = 201, body = ScopeItemDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_scope_item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ScopeItemInput>,
) -> AppResult<(StatusCode, Json<ScopeItemDto>)> {
    Ok((StatusCode::CREATED, Json(scope_dto(service::add_scope_item(&state, &viewer, id, input).await?))))
}

#[utoipa::path(delete, path = "/api/v1/change-requests/{id}/scope-items/{item_id}", tag = "changes",
    params(("id" = String, Path), ("item_id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_scope_item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, item_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    service::remove_scope_item(&state, &viewer, id, item_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approve, reject or defer. Small changes are the PM's to decide; others need every board
/// member's approval (any one rejection or deferral settles it). An approval that settles the
/// change applies it in the same transaction.
#[utoipa::path(post, path = "/api/v1/change-requests/{id}/decisions", tag = "changes", params(("id" = String, Path)), request_body = DecisionInput,
    responses((status = 201, body = ChangeDetailDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> AppResult<(StatusCode, Json<ChangeDetailDto>)> {
    let c = decide::decide(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &viewer, c).await?)))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/change-statistics", tag = "changes", params(("id" = String, Path)),
    responses((status = 200, body = ChangeStats), (status = 404, body = Problem)))]
pub async fn statistics(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<ChangeStats>> {
    Ok(Json(stats::stats(&state, &viewer, id).await?))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/change-board", tag = "changes", params(("id" = String, Path)),
    responses((status = 200, body = BoardDto), (status = 404, body = Problem)))]
pub async fn get_board(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<BoardDto>> {
    Ok(Json(board::show(&state, &viewer, id).await?))
}

/// Set the routing limits and the change control board (engagement managers).
#[utoipa::path(put, path = "/api/v1/engagements/{id}/change-board", tag = "changes", params(("id" = String, Path)), request_body = BoardInput,
    responses((status = 200, body = BoardDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_board(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<BoardInput>,
) -> AppResult<Json<BoardDto>> {
    Ok(Json(board::set(&state, &viewer, id, input).await?))
}
