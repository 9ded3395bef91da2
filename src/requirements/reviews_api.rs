//! `/api/v1/engagements/{id}/review-rounds` and `/api/v1/review-rounds/{id}` (comments, votes,
//! closing).

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    entity::review_round,
    reviews::{self, CloseInput, ReviewCommentInput, RoundInput, RoundView, VoteInput},
};
use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    error::{AppResult, Problem},
    web::Path,
    web::json::{ApiJson, List},
};

#[derive(Serialize, ToSchema)]
pub struct RoundDto {
    pub id: Id,
    pub engagement_id: Id,
    pub title: String,
    pub deadline: NaiveDate,
    /// open | closed
    pub state: String,
    /// approved | changes_requested, once closed
    pub outcome: Option<String>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<review_round::Model> for RoundDto {
    fn from(r: review_round::Model) -> Self {
        Self {
            id: Id(r.id),
            engagement_id: Id(r.engagement_id),
            title: r.title,
            deadline: r.deadline,
            state: r.state,
            outcome: r.outcome,
            created_at: r.created_at,
            closed_at: r.closed_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReviewItemDto {
    pub requirement_id: Id,
    pub key: String,
    pub title: String,
    pub status: String,
}

/// A reviewer. Id, name and party are null when the caller may not know the reviewer's party;
/// the vote still shows.
#[derive(Serialize, ToSchema)]
pub struct ReviewerDto {
    pub user_id: Option<Id>,
    pub name: Option<String>,
    pub party_name: Option<String>,
    /// approve | request_changes, or null before voting.
    pub vote: Option<String>,
    pub vote_comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewCommentDto {
    pub id: Id,
    pub requirement_id: Id,
    /// Null (with the name) when the caller may not know the author's party.
    pub user_id: Option<Id>,
    pub author_name: Option<String>,
    pub body: String,
    /// The task the comment became when the round closed.
    pub task_id: Option<Id>,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RoundDetailDto {
    #[serde(flatten)]
    pub round: RoundDto,
    pub items: Vec<ReviewItemDto>,
    pub reviewers: Vec<ReviewerDto>,
    pub comments: Vec<ReviewCommentDto>,
}

fn detail(v: RoundView) -> RoundDetailDto {
    let RoundView { round, items, reviewers, comments, votes } = v;
    RoundDetailDto {
        round: round.into(),
        items: items
            .into_iter()
            .map(|r| ReviewItemDto { requirement_id: Id(r.id), key: r.key, title: r.title, status: r.status })
            .collect(),
        reviewers: reviewers
            .into_iter()
            .map(|p| {
                let vote = votes.iter().find(|(v, _)| v.user_id == p.user_id).map(|(v, _)| v);
                let (name, party_name) = p.known.map_or((None, None), |(n, pn)| (Some(n), Some(pn)));
                ReviewerDto {
                    user_id: name.is_some().then_some(Id(p.user_id)),
                    name,
                    party_name,
                    vote: vote.map(|v| v.vote.clone()),
                    vote_comment: vote.map(|v| v.comment.clone()),
                }
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|(c, author_name)| ReviewCommentDto {
                id: Id(c.id),
                requirement_id: Id(c.requirement_id),
                user_id: author_name.is_some().then_some(Id(c.user_id)),
                author_name,
                body: c.body,
                task_id: c.task_id.map(Id),
                created_at: c.created_at,
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/review-rounds", tag = "requirements", params(("id" = String, Path)),
    responses((status = 200, body = List<RoundDto>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<List<RoundDto>>> {
    let rows = reviews::list(&state, &viewer, id).await?;
    Ok(Json(List { items: rows.into_iter().map(Into::into).collect(), next_cursor: None }))
}

/// Open a review round on shared requirements (engagement managers).
#[utoipa::path(post, path = "/api/v1/engagements/{id}/review-rounds", tag = "requirements", params(("id" = String, Path)), request_body = RoundInput,
    responses((status = 201, body = RoundDetailDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RoundInput>,
) -> AppResult<(StatusCode, Json<RoundDetailDto>)> {
    let r = reviews::open(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(detail(reviews::view(&state, &viewer, r.id).await?))))
}

#[utoipa::path(get, path = "/api/v1/review-rounds/{id}", tag = "requirements", params(("id" = String, Path)),
    responses((status = 200, body = RoundDetailDto), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<RoundDetailDto>> {
    Ok(Json(detail(reviews::view(&state, &viewer, id).await?)))
}

/// Comment on one item of an open round (reviewers and engagement managers).
#[utoipa::path(post, path = "/api/v1/review-rounds/{id}/comments", tag = "requirements", params(("id" = String, Path)), request_body = ReviewCommentInput,
    responses((status = 201, body = RoundDetailDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReviewCommentInput>,
) -> AppResult<(StatusCode, Json<RoundDetailDto>)> {
    reviews::comment(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(detail(reviews::view(&state, &viewer, id).await?))))
}

/// Vote on an open round (reviewers); a second vote replaces the first.
#[utoipa::path(post, path = "/api/v1/review-rounds/{id}/votes", tag = "requirements", params(("id" = String, Path)), request_body = VoteInput,
    responses((status = 201, body = RoundDetailDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn vote(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<VoteInput>,
) -> AppResult<(StatusCode, Json<RoundDetailDto>)> {
    reviews::vote(&state, &viewer, id, input).await?;
    Ok((StatusCode::CREATED, Json(detail(reviews::view(&state, &viewer, id).await?))))
}

/// Close the round with its outcome; comments become tasks for the items' authors.
#[utoipa::path(post, path = "/api/v1/review-rounds/{id}/close", tag = "requirements", params(("id" = String, Path)), request_body = Option<CloseInput>,
    responses((status = 200, body = RoundDetailDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    crate::web::json::OptionalJson(input): crate::web::json::OptionalJson<CloseInput>,
) -> AppResult<Json<RoundDetailDto>> {
    reviews::close(&state, &viewer, id, input).await?;
    Ok(Json(detail(reviews::view(&state, &viewer, id).await?)))
}
