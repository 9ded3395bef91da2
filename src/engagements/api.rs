//! `/api/v1/engagements`: engagements, their participants, milestones and tasks.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::EntityTrait;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    engagements::{
        baseline::{self, BaselineDto, BaselineInput, Comparison},
        deliverables::{self, DeliverableInput},
        entity::{criterion, deliverable, engagement, milestone, participant, task},
        members::{self, MemberInput},
        network::{self, DependencyInput, Rescheduled},
        plan::{self, MilestoneInput, MilestonePatch, TaskInput, TaskPatch},
        service::{self, EngagementFilter, EngagementInput, ParticipantInput},
        workdays::{self, CalendarDayInput},
    },
    error::{AppResult, Problem},
    parties::entity::party,
    web::Path,
    web::json::{ApiJson, List, page_params},
};

#[derive(Serialize, ToSchema)]
pub struct EngagementDto {
    pub id: Id,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub state: String,
    pub health: String,
    /// True when health follows the plan instead of being set by hand.
    pub health_auto: bool,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub description: String,
    pub owner_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Why the health has its colour: the open early warnings the caller may see (and, for the
    /// host, the plan's late tasks). On `GET /api/v1/engagements/{id}` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_reasons: Option<Vec<String>>,
}

impl From<engagement::Model> for EngagementDto {
    fn from(e: engagement::Model) -> Self {
        Self {
            id: Id(e.id),
            code: e.code,
            name: e.name,
            kind: e.kind,
            state: e.state,
            health: e.health,
            health_auto: e.health_auto,
            start_date: e.start_date,
            end_date: e.end_date,
            description: e.description,
            owner_id: e.owner_id.map(Id),
            created_at: e.created_at,
            updated_at: e.updated_at,
            health_reasons: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantDto {
    pub party_id: Id,
    pub party_name: String,
    pub party_kind: String,
    pub relation: String,
}

fn participant_dto(pt: participant::Model, p: party::Model) -> ParticipantDto {
    ParticipantDto { party_id: Id(pt.party_id), party_name: p.name, party_kind: p.kind, relation: pt.relation }
}

#[derive(Serialize, ToSchema)]
pub struct MilestoneDto {
    pub id: Id,
    pub engagement_id: Id,
    pub name: String,
    pub due_date: NaiveDate,
    pub status: String,
    pub owner_party_id: Option<Id>,
    pub visibility: String,
    pub visible_party_id: Option<Id>,
    pub description: String,
}

impl From<milestone::Model> for MilestoneDto {
    fn from(m: milestone::Model) -> Self {
        Self {
            id: Id(m.id),
            engagement_id: Id(m.engagement_id),
            name: m.name,
            due_date: m.due_date,
            status: m.status,
            owner_party_id: m.owner_party_id.map(Id),
            visibility: m.visibility,
            visible_party_id: m.visible_party_id.map(Id),
            description: m.description,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaskDto {
    pub id: Id,
    pub engagement_id: Id,
    pub parent_id: Option<Id>,
    pub name: String,
    pub start_date: NaiveDate,
    pub finish_date: NaiveDate,
    pub assignee_id: Option<Id>,
    pub party_id: Option<Id>,
    pub progress: i16,
    pub status: String,
    pub visibility: String,
    pub visible_party_id: Option<Id>,
    pub updated_at: DateTime<Utc>,
    /// auto (placed by its typed start and its predecessors) | manual (stays where it is put)
    pub scheduling: String,
    /// The start the PM typed: an automatically scheduled task starts no earlier.
    pub start_no_earlier_than: Option<NaiveDate>,
    /// Working days the last automatic re-planning moved it (later when positive).
    pub shift_days: i32,
    /// Scheduled by hand while its predecessors now want it to start later.
    pub schedule_warning: bool,
}

impl From<task::Model> for TaskDto {
    fn from(t: task::Model) -> Self {
        Self {
            id: Id(t.id),
            engagement_id: Id(t.engagement_id),
            parent_id: t.parent_id.map(Id),
            name: t.name,
            start_date: t.start_date,
            finish_date: t.finish_date,
            assignee_id: t.assignee_id.map(Id),
            party_id: t.party_id.map(Id),
            progress: t.progress,
            status: t.status,
            visibility: t.visibility,
            visible_party_id: t.visible_party_id.map(Id),
            updated_at: t.updated_at,
            scheduling: t.scheduling,
            start_no_earlier_than: t.start_no_earlier,
            shift_days: t.shift_days,
            schedule_warning: t.schedule_conflict,
        }
    }
}

/// Engagements the caller may see: all for the host, those its party takes part in otherwise.
#[utoipa::path(get, path = "/api/v1/engagements", tag = "engagements",
    params(
        ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query),
        ("state" = Option<String>, Query), ("kind" = Option<String>, Query), ("q" = Option<String>, Query, description = "code or name"),
    ),
    responses((status = 200, body = List<EngagementDto>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<EngagementDto>>> {
    let (limit, after) = page_params(&q)?;
    let filter = filter_of(&q);
    let (rows, next_cursor) = service::list(&state, &viewer, &filter, limit, after).await?;
    Ok(Json(List { items: rows.into_iter().map(Into::into).collect(), next_cursor }))
}

pub(crate) fn filter_of(q: &HashMap<String, String>) -> EngagementFilter {
    EngagementFilter {
        state: q.get("state").cloned(),
        kind: q.get("kind").cloned(),
        q: q.get("q").cloned(),
        health: q.get("health").cloned(),
    }
}

/// Start an engagement (立项). Host administrators and PMs.
#[utoipa::path(post, path = "/api/v1/engagements", tag = "engagements", request_body = EngagementInput,
    responses((status = 201, body = EngagementDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<EngagementInput>,
) -> AppResult<(StatusCode, Json<EngagementDto>)> {
    Ok((StatusCode::CREATED, Json(service::create(&state, &viewer, input).await?.into())))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = EngagementDto), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<EngagementDto>> {
    let e = service::get(&state, &viewer, id).await?;
    let lang = viewer.lang();
    let reasons = super::health::reasons(&state, &viewer, &e, lang).await?;
    Ok(Json(EngagementDto { health_reasons: Some(reasons), ..e.into() }))
}

/// Change an engagement; `state` (with `state_reason`) moves it through its lifecycle.
#[utoipa::path(patch, path = "/api/v1/engagements/{id}", tag = "engagements", params(("id" = String, Path)), request_body = EngagementInput,
    responses((status = 200, body = EngagementDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EngagementInput>,
) -> AppResult<Json<EngagementDto>> {
    Ok(Json(service::update(&state, &viewer, id, input).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/participants", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = Vec<ParticipantDto>), (status = 404, body = Problem)))]
pub async fn participants(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ParticipantDto>>> {
    let rows = service::participants(&state, &viewer, id).await?;
    Ok(Json(rows.into_iter().map(|(pt, p)| participant_dto(pt, p)).collect()))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/participants", tag = "engagements", params(("id" = String, Path)), request_body = ParticipantInput,
    responses((status = 201, body = ParticipantDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_participant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ParticipantInput>,
) -> AppResult<(StatusCode, Json<ParticipantDto>)> {
    let row = service::add_participant(&state, &viewer, id, input).await?;
    let p = party::Entity::find_by_id(row.party_id).one(&state.db).await?.ok_or(crate::AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(participant_dto(row, p))))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/milestones", tag = "plan", params(("id" = String, Path)),
    responses((status = 200, body = List<MilestoneDto>), (status = 404, body = Problem)))]
pub async fn milestones(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<MilestoneDto>>> {
    let rows = plan::milestones(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(Into::into).collect(), next_cursor: None }))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/milestones", tag = "plan", params(("id" = String, Path)), request_body = MilestoneInput,
    responses((status = 201, body = MilestoneDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_milestone(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MilestoneInput>,
) -> AppResult<(StatusCode, Json<MilestoneDto>)> {
    Ok((StatusCode::CREATED, Json(plan::create_milestone(&state, &viewer, id, input).await?.into())))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/milestones/{milestone_id}", tag = "plan", params(("id" = String, Path), ("milestone_id" = String, Path)),
    responses((status = 200, body = MilestoneDto), (status = 404, body = Problem)))]
pub async fn get_milestone(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, mid)): Path<(i64, i64)>,
) -> AppResult<Json<MilestoneDto>> {
    let m = plan::milestones(&state, &viewer, id).await?.into_iter().find(|m| m.id == mid);
    Ok(Json(m.ok_or(crate::error::AppError::NotFound)?.into()))
}

/// Rename, move, describe, or mark a milestone achieved or missed. Engagement managers.
#[utoipa::path(patch, path = "/api/v1/engagements/{id}/milestones/{milestone_id}", tag = "plan", params(("id" = String, Path), ("milestone_id" = String, Path)),
    request_body = MilestonePatch,
    responses((status = 200, body = MilestoneDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_milestone(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, mid)): Path<(i64, i64)>,
    ApiJson(patch): ApiJson<MilestonePatch>,
) -> AppResult<Json<MilestoneDto>> {
    Ok(Json(plan::update_milestone(&state, &viewer, id, mid, patch).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/tasks", tag = "plan", params(("id" = String, Path), ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<TaskDto>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn tasks(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<TaskDto>>> {
    let (limit, after) = page_params(&q)?;
    let (rows, next_cursor) = plan::tasks(&state, &viewer, id, limit, after).await?;
    Ok(Json(List { items: rows.into_iter().map(Into::into).collect(), next_cursor }))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/tasks", tag = "plan", params(("id" = String, Path)), request_body = TaskInput,
    responses((status = 201, body = TaskDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TaskInput>,
) -> AppResult<(StatusCode, Json<TaskDto>)> {
    Ok((StatusCode::CREATED, Json(plan::create_task(&state, &viewer, id, input).await?.into())))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/tasks/{task_id}", tag = "plan", params(("id" = String, Path), ("task_id" = String, Path)),
    responses((status = 200, body = TaskDto), (status = 404, body = Problem)))]
pub async fn get_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, task_id)): Path<(i64, i64)>,
) -> AppResult<Json<TaskDto>> {
    Ok(Json(plan::task(&state, &viewer, id, task_id).await?.into()))
}

/// Report progress (`progress`, `status`) or, for engagement managers, re-plan a task.
#[utoipa::path(patch, path = "/api/v1/engagements/{id}/tasks/{task_id}", tag = "plan", params(("id" = String, Path), ("task_id" = String, Path)), request_body = TaskPatch,
    responses((status = 200, body = TaskDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, task_id)): Path<(i64, i64)>,
    ApiJson(patch): ApiJson<TaskPatch>,
) -> AppResult<Json<TaskDto>> {
    Ok(Json(plan::update_task(&state, &viewer, id, task_id, patch).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct DependencyDto {
    pub id: Id,
    pub predecessor_id: Id,
    pub successor_id: Id,
    /// FS | SS | FF | SF
    #[serde(rename = "type")]
    pub kind: String,
    pub lag_days: i32,
}

impl From<crate::engagements::entity::dependency::Model> for DependencyDto {
    fn from(d: crate::engagements::entity::dependency::Model) -> Self {
        Self {
            id: Id(d.id),
            predecessor_id: Id(d.predecessor_id),
            successor_id: Id(d.successor_id),
            kind: d.kind,
            lag_days: d.lag_days,
        }
    }
}

/// Dependencies between tasks the caller may both see.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/dependencies", tag = "plan", params(("id" = String, Path)),
    responses((status = 200, body = List<DependencyDto>), (status = 404, body = Problem)))]
pub async fn dependencies(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<DependencyDto>>> {
    let rows = network::dependencies(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(Into::into).collect(), next_cursor: None }))
}

/// Link two tasks; a link that would close a loop is refused.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/dependencies", tag = "plan", params(("id" = String, Path)), request_body = DependencyInput,
    responses((status = 201, body = DependencyDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_dependency(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DependencyInput>,
) -> AppResult<(StatusCode, Json<DependencyDto>)> {
    Ok((StatusCode::CREATED, Json(network::add_dependency(&state, &viewer, id, input).await?.into())))
}

/// Re-plan: move every task to its earliest dates under the dependencies and the working calendar.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/schedule", tag = "plan", params(("id" = String, Path)),
    responses((status = 200, body = Rescheduled), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reschedule(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<Rescheduled>> {
    Ok(Json(network::reschedule(&state, &viewer, id).await?))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/baselines", tag = "plan", params(("id" = String, Path)),
    responses((status = 200, body = List<BaselineDto>), (status = 404, body = Problem)))]
pub async fn baselines(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<BaselineDto>>> {
    let rows = baseline::list(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(Into::into).collect(), next_cursor: None }))
}

/// Freeze the current dates of every task and milestone under a name.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/baselines", tag = "plan", params(("id" = String, Path)), request_body = BaselineInput,
    responses((status = 201, body = BaselineDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn save_baseline(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<BaselineInput>,
) -> AppResult<(StatusCode, Json<BaselineDto>)> {
    Ok((StatusCode::CREATED, Json(baseline::save(&state, &viewer, id, input).await?.into())))
}

/// The current plan against a baseline: variance in working days for each item the caller may see.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/baselines/{baseline_id}", tag = "plan", params(("id" = String, Path), ("baseline_id" = String, Path)),
    responses((status = 200, body = Comparison), (status = 404, body = Problem)))]
pub async fn compare_baseline(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, baseline_id)): Path<(i64, i64)>,
) -> AppResult<Json<Comparison>> {
    Ok(Json(baseline::compare(&state, &viewer, id, baseline_id).await?))
}

#[derive(Serialize, ToSchema)]
#[schema(as = AcceptanceCriterionDto)]
pub struct CriterionDto {
    pub position: i32,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeliverableDto {
    pub id: Id,
    pub engagement_id: Id,
    pub name: String,
    pub description: String,
    pub owner_party_id: Option<Id>,
    pub milestone_id: Option<Id>,
    pub due_date: NaiveDate,
    /// planned | submitted | accepted | rejected
    pub status: String,
    pub visibility: String,
    pub visible_party_id: Option<Id>,
    pub criteria: Vec<CriterionDto>,
    /// Months of warranty final acceptance starts (0 = none of its own).
    pub warranty_months: i32,
}

fn deliverable_dto(d: deliverable::Model, cs: Vec<criterion::Model>) -> DeliverableDto {
    DeliverableDto {
        id: Id(d.id),
        engagement_id: Id(d.engagement_id),
        name: d.name,
        description: d.description,
        owner_party_id: d.owner_party_id.map(Id),
        milestone_id: d.milestone_id.map(Id),
        due_date: d.due_date,
        status: d.status,
        visibility: d.visibility,
        visible_party_id: d.visible_party_id.map(Id),
        warranty_months: d.warranty_months,
        criteria: cs.into_iter().map(|c| CriterionDto { position: c.position, text: c.text }).collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/deliverables", tag = "plan", params(("id" = String, Path)),
    responses((status = 200, body = List<DeliverableDto>), (status = 404, body = Problem)))]
pub async fn deliverables(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<DeliverableDto>>> {
    let rows = deliverables::list(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(|(d, cs)| deliverable_dto(d, cs)).collect(), next_cursor: None }))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/deliverables", tag = "plan", params(("id" = String, Path)), request_body = DeliverableInput,
    responses((status = 201, body = DeliverableDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_deliverable(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DeliverableInput>,
) -> AppResult<(StatusCode, Json<DeliverableDto>)> {
    let d = deliverables::create(&state, &viewer, id, input).await?;
    let (d, cs) = deliverables::one(&state, &viewer, id, d.id).await?;
    Ok((StatusCode::CREATED, Json(deliverable_dto(d, cs))))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/deliverables/{deliverable_id}", tag = "plan", params(("id" = String, Path), ("deliverable_id" = String, Path)),
    responses((status = 200, body = DeliverableDto), (status = 404, body = Problem)))]
pub async fn get_deliverable(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, did)): Path<(i64, i64)>,
) -> AppResult<Json<DeliverableDto>> {
    let (d, cs) = deliverables::one(&state, &viewer, id, did).await?;
    Ok(Json(deliverable_dto(d, cs)))
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    pub user_id: Id,
    pub name: String,
    pub email: String,
    pub party_id: Id,
    /// pm | member
    pub role: String,
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/members", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = Vec<MemberDto>), (status = 404, body = Problem)))]
pub async fn members(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<MemberDto>>> {
    let rows = members::members(&state, &viewer, id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(m, u)| MemberDto {
                user_id: Id(u.id),
                name: u.name,
                email: u.email,
                party_id: Id(u.party_id),
                role: m.role,
            })
            .collect(),
    ))
}

/// Add a person to the engagement; a `pm` member (host users only) runs it like a host PM.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/members", tag = "engagements", params(("id" = String, Path)), request_body = MemberInput,
    responses((status = 201, body = MemberDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MemberInput>,
) -> AppResult<(StatusCode, Json<MemberDto>)> {
    let m = members::add_member(&state, &viewer, id, input).await?;
    let u = crate::users::entity::user::Entity::find_by_id(m.user_id)
        .one(&state.db)
        .await?
        .ok_or(crate::AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(MemberDto { user_id: Id(u.id), name: u.name, email: u.email, party_id: Id(u.party_id), role: m.role }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CalendarDayDto {
    pub date: NaiveDate,
    pub working: bool,
    pub note: String,
}

impl From<crate::engagements::entity::calendar_day::Model> for CalendarDayDto {
    fn from(d: crate::engagements::entity::calendar_day::Model) -> Self {
        Self { date: d.day, working: d.working, note: d.note }
    }
}

/// The engagement's calendar exceptions (on top of weekends and China's holidays and 调休).
#[utoipa::path(get, path = "/api/v1/engagements/{id}/calendar", tag = "plan", params(("id" = String, Path)),
    responses((status = 200, body = List<CalendarDayDto>), (status = 404, body = Problem)))]
pub async fn calendar(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<CalendarDayDto>>> {
    let rows = workdays::exceptions(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(Into::into).collect(), next_cursor: None }))
}

/// Make a day a working day or a day off for this engagement (replaces an earlier exception).
#[utoipa::path(post, path = "/api/v1/engagements/{id}/calendar", tag = "plan", params(("id" = String, Path)), request_body = CalendarDayInput,
    responses((status = 201, body = CalendarDayDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_calendar_day(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CalendarDayInput>,
) -> AppResult<(StatusCode, Json<CalendarDayDto>)> {
    Ok((StatusCode::CREATED, Json(workdays::set(&state, &viewer, id, input).await?.into())))
}

#[utoipa::path(delete, path = "/api/v1/engagements/{id}/calendar/{date}", tag = "plan", params(("id" = String, Path), ("date" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_calendar_day(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, date)): Path<(i64, String)>,
) -> AppResult<StatusCode> {
    let day = crate::domain::parse_date(&date).map_err(|_| crate::AppError::NotFound)?;
    workdays::remove(&state, &viewer, id, day).await?;
    Ok(StatusCode::NO_CONTENT)
}
