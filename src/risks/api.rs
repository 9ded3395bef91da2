//! `/api/v1/engagements/{id}/risks` (the register and its heat map), `/api/v1/risks` (the
//! portfolio's) and `/api/v1/risks/{id}`.

use std::collections::{HashMap, HashSet};

use axum::{
    Json,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    entity::{assessment, risk},
    heatmap,
    service::{self, RiskFilter, RiskInput, band, decode_after, task_ids},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    db,
    domain::{Id, RiskCategory, RiskStatus},
    engagements::{entity::milestone, network::visible_task_ids},
    error::{AppResult, FieldErrors, Msg, Problem},
    web::Path,
    web::json::{ApiJson, List, page_params},
};

#[derive(Serialize, ToSchema)]
pub struct AssessmentDto {
    pub probability: i16,
    pub impact: i16,
    pub score: i16,
    pub status: String,
    /// Who assessed; null when the caller may not know that person's party.
    pub user_id: Option<Id>,
    pub note: String,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RiskDto {
    pub id: Id,
    pub engagement_id: Id,
    /// Stable within the engagement: `R-001`.
    pub key: String,
    pub title: String,
    /// schedule | cost | quality | scope | vendor | contract | compliance | security
    pub category: String,
    pub cause: String,
    pub effect: String,
    pub probability: i16,
    pub impact: i16,
    /// probability × impact (1–25).
    pub score: i16,
    /// low (< 8) | medium (8–14) | high (≥ 15)
    pub band: String,
    /// avoid | mitigate | transfer | accept
    pub strategy: String,
    /// Null when there is none, or when the caller may not know the owner's party.
    pub owner_id: Option<Id>,
    pub trigger: String,
    pub response: String,
    /// The response tasks the caller may see.
    pub task_ids: Vec<Id>,
    pub milestone_id: Option<Id>,
    /// Only when the caller may see the contract.
    pub contract_id: Option<Id>,
    pub vendor_id: Option<Id>,
    pub review_on: Option<NaiveDate>,
    /// open | monitoring | occurred | closed
    pub status: String,
    pub raised_by: Option<Id>,
    pub raised_party_id: Option<Id>,
    pub visibility: String,
    pub visible_party_id: Option<Id>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Every assessment, oldest first (on `GET /api/v1/risks/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<AssessmentDto>>,
}

/// What the caller may see of the records a risk links to.
pub(crate) struct Links {
    pub tasks: HashSet<i64>,
    pub milestones: HashSet<i64>,
    pub contracts: HashSet<i64>,
}

impl Links {
    /// Reads what the caller may see among the records `risks` link to.
    pub(crate) async fn of(state: &AppState, viewer: &Viewer, risks: &[risk::Model]) -> AppResult<Self> {
        let mut tasks = HashSet::new();
        for e in risks.iter().map(|r| r.engagement_id).collect::<HashSet<_>>() {
            tasks.extend(visible_task_ids(state, viewer, e).await?);
        }
        let wanted: Vec<i64> = risks.iter().filter_map(|r| r.milestone_id).collect();
        let milestones: HashSet<i64> = if wanted.is_empty() {
            HashSet::new()
        } else {
            milestone::Entity::find()
                .select_only()
                .column(milestone::Column::Id)
                .filter(milestone::Column::Id.is_in(wanted))
                .filter(viewer.record_scope(milestone::Column::Visibility, milestone::Column::VisiblePartyId))
                .into_tuple::<i64>()
                .all(&state.db)
                .await?
                .into_iter()
                .collect()
        };
        let wanted: Vec<i64> = risks.iter().filter_map(|r| r.contract_id).collect();
        let contracts = if wanted.is_empty() {
            HashSet::new()
        } else {
            use crate::contracts::entity::contract;
            contract::Entity::find()
                .select_only()
                .column(contract::Column::Id)
                .filter(contract::Column::Id.is_in(wanted))
                .filter(crate::contracts::service::scope(viewer))
                .into_tuple::<i64>()
                .all(&state.db)
                .await?
                .into_iter()
                .collect()
        };
        Ok(Self { tasks, milestones, contracts })
    }
}

pub(crate) fn dto(lens: &Lens, links: &Links, owners: &HashMap<i64, i64>, r: risk::Model) -> RiskDto {
    RiskDto {
        task_ids: task_ids(&r).into_iter().filter(|t| links.tasks.contains(t)).map(Id).collect(),
        milestone_id: r.milestone_id.filter(|m| links.milestones.contains(m)).map(Id),
        contract_id: r.contract_id.filter(|k| links.contracts.contains(k)).map(Id),
        vendor_id: lens.party(r.vendor_id).map(Id),
        owner_id: r.owner_id.and_then(|o| owners.get(&o).and_then(|p| lens.person(*p, Id(o)))),
        raised_by: lens.person(r.raised_party_id, Id(r.raised_by)),
        raised_party_id: lens.party(Some(r.raised_party_id)).map(Id),
        band: band(r.score).to_owned(),
        id: Id(r.id),
        engagement_id: Id(r.engagement_id),
        key: r.key,
        title: r.title,
        category: r.category,
        cause: r.cause,
        effect: r.effect,
        probability: r.probability,
        impact: r.impact,
        score: r.score,
        strategy: r.strategy,
        trigger: r.trigger_text,
        response: r.response,
        review_on: r.review_on,
        status: r.status,
        visibility: r.visibility,
        visible_party_id: r.visible_party_id.map(Id),
        created_at: r.created_at,
        updated_at: r.updated_at,
        closed_at: r.closed_at,
        history: None,
    }
}

/// The parties of the given people (owners), for the lens.
pub(crate) async fn parties_of(
    state: &AppState,
    people: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, i64>> {
    use crate::users::entity::user;
    let ids: HashSet<i64> = people.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::PartyId)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The DTOs of risks, each read through the lens of its own engagement.
async fn dtos(state: &AppState, viewer: &Viewer, rows: Vec<risk::Model>) -> AppResult<Vec<RiskDto>> {
    let links = Links::of(state, viewer, &rows).await?;
    let owners = parties_of(state, rows.iter().filter_map(|r| r.owner_id)).await?;
    let mut lenses: HashMap<i64, Lens> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let lens = match lenses.entry(r.engagement_id) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => v.insert(Lens::of(state, viewer, r.engagement_id).await?),
        };
        out.push(dto(lens, &links, &owners, r));
    }
    Ok(out)
}

async fn one_dto(state: &AppState, viewer: &Viewer, r: risk::Model) -> AppResult<RiskDto> {
    let history = service::history(state, r.id).await?;
    let lens = Lens::of(state, viewer, r.engagement_id).await?;
    let parties = parties_of(state, history.iter().map(|a| a.user_id)).await?;
    let mut d = dtos(state, viewer, vec![r]).await?.remove(0);
    d.history = Some(
        history
            .into_iter()
            .map(|a: assessment::Model| AssessmentDto {
                user_id: parties.get(&a.user_id).and_then(|p| lens.person(*p, Id(a.user_id))),
                probability: a.probability,
                impact: a.impact,
                score: a.score,
                status: a.status,
                note: a.note,
                at: a.created_at,
            })
            .collect(),
    );
    Ok(d)
}

/// `P-I`: one cell of the heat map.
pub(crate) fn parse_cell(raw: &str) -> Result<(i16, i16), Msg> {
    let mut it = raw.trim().split('-').map(str::parse::<i16>);
    match (it.next(), it.next(), it.next()) {
        (Some(Ok(p @ 1..=5)), Some(Ok(i @ 1..=5)), None) => Ok((p, i)),
        _ => Err(Msg::new("error-risk-cell")),
    }
}

/// The list filter from query parameters (shared by the pages, which ignore what is wrong).
pub(crate) fn filter_of(q: &HashMap<String, String>, errors: &mut FieldErrors) -> RiskFilter {
    let given = |k: &str| q.get(k).map(String::as_str).map(str::trim).filter(|s| !s.is_empty());
    let (status, live) = match given("status") {
        Some("live") => (None, true),
        Some(s) => (errors.take("status", RiskStatus::parse(s)), false),
        None => (None, false),
    };
    RiskFilter {
        status,
        live,
        category: given("category").and_then(|c| errors.take("category", RiskCategory::parse(c))),
        cell: given("cell").and_then(|c| errors.take("cell", parse_cell(c))),
        contract_id: given("contract_id").and_then(|c| errors.take("contract_id", crate::domain::parse_id(c))),
        limit: db::DEFAULT_LIMIT,
        after: None,
    }
}

fn list_filter(q: &HashMap<String, String>) -> AppResult<RiskFilter> {
    let (limit, after) = page_params(q)?;
    let mut errors = FieldErrors::default();
    let f = filter_of(q, &mut errors);
    errors.into_result()?;
    Ok(RiskFilter { limit, after: after.map(decode_after), ..f })
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/risks", tag = "risks",
    params(("id" = String, Path),
           ("status" = Option<String>, Query, description = "open | monitoring | occurred | closed | live (all but closed)"),
           ("category" = Option<String>, Query), ("cell" = Option<String>, Query, description = "one heat map cell: probability-impact, e.g. 4-5"),
           ("contract_id" = Option<String>, Query, description = "the risks that name this contract"),
           ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<RiskDto>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<RiskDto>>> {
    let f = list_filter(&q)?;
    let (rows, next_cursor) = service::list(&state, &viewer, id, &f).await?;
    Ok(Json(List { items: dtos(&state, &viewer, rows).await?, next_cursor }))
}

/// The risks of every engagement the caller may see, highest score first.
#[utoipa::path(get, path = "/api/v1/risks", tag = "risks",
    params(("status" = Option<String>, Query, description = "open | monitoring | occurred | closed | live"),
           ("category" = Option<String>, Query), ("cell" = Option<String>, Query),
           ("contract_id" = Option<String>, Query, description = "the risks that name this contract"),
           ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<RiskDto>), (status = 422, body = Problem)))]
pub async fn portfolio(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<RiskDto>>> {
    let f = list_filter(&q)?;
    let (rows, next_cursor) = service::portfolio(&state, &viewer, &f).await?;
    Ok(Json(List { items: dtos(&state, &viewer, rows).await?, next_cursor }))
}

/// Raise a risk (anyone taking part). The host's risks are internal unless it says otherwise;
/// a vendor's or client's are for its own party or for every participant.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/risks", tag = "risks", params(("id" = String, Path)), request_body = RiskInput,
    responses((status = 201, body = RiskDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RiskInput>,
) -> AppResult<(StatusCode, Json<RiskDto>)> {
    let r = service::create(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(one_dto(&state, &viewer, r).await?)))
}

/// One risk with its history of assessments.
#[utoipa::path(get, path = "/api/v1/risks/{id}", tag = "risks", params(("id" = String, Path)),
    responses((status = 200, body = RiskDto), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<RiskDto>> {
    let r = service::load(&state, &viewer, id).await?;
    Ok(Json(one_dto(&state, &viewer, r).await?))
}

/// Change a risk (its owner, whoever raised it, the engagement's managers). Absent fields stay;
/// a new score or status goes into the history with `note`.
#[utoipa::path(patch, path = "/api/v1/risks/{id}", tag = "risks", params(("id" = String, Path)), request_body = RiskInput,
    responses((status = 200, body = RiskDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RiskInput>,
) -> AppResult<Json<RiskDto>> {
    let r = service::update(&state, &viewer, id, input).await?;
    Ok(Json(one_dto(&state, &viewer, r).await?))
}

fn svg_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

/// The engagement's 5 × 5 heat map of live risks (SVG); each cell links to its risks.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/risks/heatmap.svg", tag = "risks", params(("id" = String, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = Problem)))]
pub async fn heatmap(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Response> {
    let counts = service::heat(&state, &viewer, Some(id)).await?;
    let base = state.config.base_url.clone();
    Ok(svg_response(heatmap::svg(&counts, viewer.lang(), |p, i| {
        format!("{base}/engagements/{id}/risks?status=live&cell={p}-{i}")
    })))
}

/// The portfolio's heat map: live risks of every engagement the caller may see.
#[utoipa::path(get, path = "/api/v1/risks/heatmap.svg", tag = "risks",
    responses((status = 200, content_type = "image/svg+xml", body = String)))]
pub async fn portfolio_heatmap(State(state): State<AppState>, viewer: Viewer) -> AppResult<Response> {
    let counts = service::heat(&state, &viewer, None).await?;
    let base = state.config.base_url.clone();
    Ok(svg_response(heatmap::svg(&counts, viewer.lang(), |p, i| format!("{base}/risks?status=live&cell={p}-{i}"))))
}
