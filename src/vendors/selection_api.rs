//! `/api/v1/selections`: what each side sees of one selection, and its writes.

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
    api::CriterionDto,
    award::{self, AwardInput, CancelInput},
    bidding::{self, BidInput},
    entity::{bid, selection as sel},
    ranking::{self, progress},
    scoring::{self, ScoreInput},
    selection::{self, Access, EvaluatorInput, InvitationInput, SelectionInput, phase},
};
use crate::{
    AppState,
    auth::Viewer,
    documents::read_form,
    domain::Id,
    error::{AppResult, Problem},
    money::MoneyDto,
    web::json::{ApiJson, List, page_params},
    web::{Multipart, Path},
};

#[derive(Serialize, ToSchema)]
pub struct BidDto {
    pub vendor_id: Id,
    pub price: MoneyDto,
    pub summary: String,
    pub revision: i32,
    pub submitted_at: DateTime<Utc>,
    pub file_ids: Vec<Id>,
}

#[derive(Serialize, ToSchema)]
pub struct SelectionDto {
    pub id: Id,
    pub title: String,
    pub engagement_id: Option<Id>,
    pub scope: String,
    pub category: String,
    pub currency: String,
    pub budget_min: Option<MoneyDto>,
    pub budget_max: Option<MoneyDto>,
    pub deadline: DateTime<Utc>,
    /// open | closed | awarded | cancelled
    pub state: String,
    /// bidding | evaluating | awarded | cancelled
    pub phase: String,
    pub criteria: Vec<CriterionDto>,
    /// The host's side only.
    pub evaluator_ids: Vec<Id>,
    /// The host sees every invited vendor; a vendor only itself.
    pub invited_vendor_ids: Vec<Id>,
    /// How many bids are in (the host's side; offers stay sealed until bidding ends).
    pub bids_in: Option<usize>,
    /// Score sheets in and needed (the host's side).
    pub sheets_in: Option<usize>,
    pub sheets_needed: Option<usize>,
    /// The bids the caller may see: a vendor its own; the host all, once bidding has ended.
    pub bids: Vec<BidDto>,
    /// The winner: for the host; for a vendor only when it won.
    pub awarded_vendor_id: Option<Id>,
    /// The host's side only.
    pub justification: Option<String>,
    pub contract_id: Option<Id>,
}

async fn dto(state: &AppState, viewer: &Viewer, s: sel::Model, access: Access) -> AppResult<SelectionDto> {
    let crits = selection::criteria(&state.db, s.id).await?;
    let bids: Vec<bid::Model> = selection::visible_bids(state, viewer, &s, access).await?;
    let files = super::files::of(&state.db, "bid", &bids.iter().map(|b| b.id).collect::<Vec<_>>()).await?;
    let (sheets_in, sheets_needed, evaluator_ids, invited, bids_in) = if access.host {
        let (done, needed) = progress(&state.db, &s).await?;
        let evals = selection::evaluators(&state.db, s.id).await?;
        let invited = selection::invitations(&state.db, s.id).await?.into_iter().map(|i| Id(i.party_id)).collect();
        (
            Some(done),
            Some(needed),
            evals.into_iter().map(Id).collect(),
            invited,
            Some(selection::bidders(&state.db, s.id).await?.len()),
        )
    } else {
        (None, None, Vec::new(), vec![Id(viewer.party.id)], None)
    };
    let money = |m: Option<i64>| m.map(|v| selection::money_of(&s, v).dto());
    let won = s.awarded_party_id.filter(|p| access.host || *p == viewer.party.id);
    Ok(SelectionDto {
        id: Id(s.id),
        phase: phase(&s, state.clock.now()).to_owned(),
        criteria: crits
            .into_iter()
            .map(|c| CriterionDto { id: Some(Id(c.id)), name: c.name, weight: c.weight })
            .collect(),
        evaluator_ids,
        invited_vendor_ids: invited,
        bids_in,
        sheets_in,
        sheets_needed,
        bids: bids
            .into_iter()
            .map(|b| BidDto {
                vendor_id: Id(b.party_id),
                price: selection::money_of(&s, b.price_minor).dto(),
                file_ids: files.iter().filter(|f| f.owner_id == b.id).map(|f| Id(f.id)).collect(),
                summary: b.summary,
                revision: b.revision,
                submitted_at: b.submitted_at,
            })
            .collect(),
        awarded_vendor_id: won.map(Id),
        justification: access.host.then(|| s.justification.clone()),
        contract_id: s.contract_id.filter(|_| access.host || won.is_some()).map(Id),
        budget_min: money(s.budget_min_minor).filter(|_| access.host),
        budget_max: money(s.budget_max_minor).filter(|_| access.host),
        title: s.title,
        engagement_id: s.engagement_id.filter(|_| access.host).map(Id),
        scope: s.scope,
        category: s.category,
        currency: s.currency,
        deadline: s.deadline,
        state: s.state,
    })
}

async fn reload(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<SelectionDto> {
    let (s, access) = selection::load(state, viewer, id).await?;
    dto(state, viewer, s, access).await
}

/// Selections the caller may see: all for the host's managers and finance, an evaluator's own,
/// a vendor's invitations; none for a client.
#[utoipa::path(get, path = "/api/v1/selections", tag = "selections",
    params(("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<SelectionDto>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<List<SelectionDto>>> {
    let (limit, after) = page_params(&q)?;
    let (rows, next_cursor) = selection::list(&state, &viewer, limit, after).await?;
    let mut items = Vec::with_capacity(rows.len());
    for s in rows {
        items.push(reload(&state, &viewer, s.id).await?);
    }
    Ok(Json(List { items, next_cursor }))
}

/// Open a selection (host administrators and PMs): criteria weights add up to 100.
#[utoipa::path(post, path = "/api/v1/selections", tag = "selections", request_body = SelectionInput,
    responses((status = 201, body = SelectionDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(input): ApiJson<SelectionInput>,
) -> AppResult<(StatusCode, Json<SelectionDto>)> {
    let s = selection::create(&state, &viewer, input).await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &viewer, s.id).await?)))
}

#[utoipa::path(get, path = "/api/v1/selections/{id}", tag = "selections", params(("id" = String, Path)),
    responses((status = 200, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<SelectionDto>> {
    Ok(Json(reload(&state, &viewer, id).await?))
}

/// Invite a vendor to bid (not a suspended or blacklisted one).
#[utoipa::path(post, path = "/api/v1/selections/{id}/invitations", tag = "selections", params(("id" = String, Path)),
    request_body = InvitationInput,
    responses((status = 201, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<InvitationInput>,
) -> AppResult<(StatusCode, Json<SelectionDto>)> {
    selection::invite(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &viewer, id).await?)))
}

/// Add an evaluator while no score is in.
#[utoipa::path(post, path = "/api/v1/selections/{id}/evaluators", tag = "selections", params(("id" = String, Path)),
    request_body = EvaluatorInput,
    responses((status = 201, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_evaluator(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EvaluatorInput>,
) -> AppResult<(StatusCode, Json<SelectionDto>)> {
    selection::add_evaluator(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &viewer, id).await?)))
}

/// Submit or revise the caller's bid before the deadline (an invited vendor's manager); 409 after it.
#[utoipa::path(post, path = "/api/v1/selections/{id}/bids", tag = "selections", params(("id" = String, Path)),
    request_body = BidInput,
    responses((status = 201, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn bid(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<BidInput>,
) -> AppResult<(StatusCode, Json<SelectionDto>)> {
    bidding::submit_bid(&state, &viewer, id, input, None).await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &viewer, id).await?)))
}

/// Multipart with a `file` part: a proposal document for the caller's bid, before the deadline.
#[utoipa::path(post, path = "/api/v1/selections/{id}/bids/files", tag = "selections", params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", content = crate::web::upload_forms::FileForm),
    responses((status = 201, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn bid_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, Json<SelectionDto>)> {
    selection::load(&state, &viewer, id).await?;
    let (_, file) = read_form(form, state.config.upload_limit).await?;
    bidding::add_bid_file(&state, &viewer, id, file).await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &viewer, id).await?)))
}

/// Record the caller's score sheet for one bid (an evaluator, after bidding has ended).
#[utoipa::path(post, path = "/api/v1/selections/{id}/scores", tag = "selections", params(("id" = String, Path)),
    request_body = ScoreInput,
    responses((status = 201, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn score(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ScoreInput>,
) -> AppResult<(StatusCode, Json<SelectionDto>)> {
    scoring::score(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(reload(&state, &viewer, id).await?)))
}

/// End bidding before the deadline once every invited vendor has bid.
#[utoipa::path(post, path = "/api/v1/selections/{id}/close", tag = "selections", params(("id" = String, Path)),
    responses((status = 200, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<SelectionDto>> {
    bidding::close(&state, &viewer, id).await?;
    Ok(Json(reload(&state, &viewer, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct RankedDto {
    pub rank: usize,
    pub vendor_id: Id,
    pub name: String,
    pub price: MoneyDto,
    /// Mean score per criterion, in the criteria's order.
    pub criteria: Vec<f64>,
    /// Each evaluator's weighted total, in `evaluator_ids` order.
    pub by_evaluator: Vec<f64>,
    /// Weighted total, 0–100.
    pub total: f64,
}

#[derive(Serialize, ToSchema)]
pub struct RankingDto {
    pub criteria: Vec<CriterionDto>,
    pub evaluator_ids: Vec<Id>,
    pub rows: Vec<RankedDto>,
}

/// The weighted ranking (the host's side); 409 while bids are sealed or score sheets are missing.
#[utoipa::path(get, path = "/api/v1/selections/{id}/ranking", tag = "selections", params(("id" = String, Path)),
    responses((status = 200, body = RankingDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn ranking(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<RankingDto>> {
    let r = ranking::ranking(&state, &viewer, id).await?;
    Ok(Json(RankingDto {
        criteria: r
            .criteria
            .into_iter()
            .map(|c| CriterionDto { id: Some(Id(c.id)), name: c.name, weight: c.weight })
            .collect(),
        evaluator_ids: r.evaluator_ids.into_iter().map(Id).collect(),
        rows: r
            .rows
            .into_iter()
            .map(|x| RankedDto {
                rank: x.rank,
                vendor_id: Id(x.party_id),
                name: x.name,
                price: x.price.dto(),
                criteria: x.means,
                by_evaluator: x.by_evaluator,
                total: x.total,
            })
            .collect(),
    }))
}

/// Award with a written justification: the winner joins the engagement, a draft contract is
/// made from its bid, the vendor becomes active.
#[utoipa::path(post, path = "/api/v1/selections/{id}/award", tag = "selections", params(("id" = String, Path)),
    request_body = AwardInput,
    responses((status = 200, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn award(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AwardInput>,
) -> AppResult<Json<SelectionDto>> {
    award::award(&state, &viewer, id, input).await?;
    Ok(Json(reload(&state, &viewer, id).await?))
}

#[utoipa::path(post, path = "/api/v1/selections/{id}/cancel", tag = "selections", params(("id" = String, Path)),
    request_body = CancelInput,
    responses((status = 200, body = SelectionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CancelInput>,
) -> AppResult<Json<SelectionDto>> {
    award::cancel(&state, &viewer, id, input).await?;
    Ok(Json(reload(&state, &viewer, id).await?))
}
