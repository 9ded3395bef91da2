//! Review round pages: the rounds of an engagement with the form to open one, and one round
//! (items with their comments, reviewers with their votes, closing).

use askama::Template;
use axum::{extract::State, response::Response};
use tower_sessions::Session;

use super::{
    entity::review_round,
    reviews::{self, CloseInput, ReviewCommentInput, RoundInput, RoundView, VoteInput},
    service,
};
use crate::{
    AppState,
    auth::Viewer,
    changes::board,
    domain::{Id, parse_id},
    engagements::{
        pages::{settle, unprocessable},
        service::{self as engagements, manages},
    },
    error::{AppError, AppResult, FieldErrors},
    web::{self, FormData, FormState, PageCtx, Path, render, see_other},
};

#[derive(Template)]
#[template(path = "requirements/reviews.html")]
struct ListPage {
    page: PageCtx,
    id: i64,
    code: String,
    name: String,
    rounds: Vec<review_round::Model>,
    can_manage: bool,
    form: FormState,
    requirements: Vec<(i64, String)>,
    people: Vec<(i64, String, String)>,
}

async fn list_page(state: &AppState, page: PageCtx, viewer: &Viewer, id: i64, form: FormState) -> AppResult<ListPage> {
    let e = engagements::get(state, viewer, id).await?;
    let can_manage = manages(state, viewer, id).await?;
    let requirements = service::list(state, viewer, id)
        .await?
        .into_iter()
        .filter(|r| r.visibility == "participants" && r.status != "obsolete")
        .map(|r| (r.id, format!("{} {}", r.key, r.title)))
        .collect();
    Ok(ListPage {
        page,
        id,
        code: e.code,
        name: e.name,
        rounds: reviews::list(state, viewer, id).await?,
        people: if can_manage { board::candidates(state, id).await? } else { Vec::new() },
        can_manage,
        form,
        requirements,
    })
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&list_page(&state, page, &viewer, id, FormState::new()).await?)
}

pub async fn open(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    engagements::get_to_manage(&state, &viewer, id).await?;
    let mut errors = FieldErrors::default();
    let input = RoundInput {
        title: form.get("title").to_owned(),
        deadline: form.get("deadline").to_owned(),
        requirement_ids: form.ids("requirement_ids", &mut errors),
        reviewer_ids: form.ids("reviewer_ids", &mut errors),
    };
    let result = match errors.into_result() {
        Ok(()) => reviews::open(&state, &viewer, id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => {
            web::flash(&session, "success", page.t("flash-review-opened")).await?;
            Ok(see_other(&format!("/engagements/{id}/reviews/{}", r.id)))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(&list_page(&state, page, &viewer, id, f).await?))
        }
    }
}

pub struct ItemView {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub status: String,
    pub comments: Vec<(String, String, bool)>,
}

pub struct ReviewerRow {
    pub name: String,
    pub party: String,
    pub vote: String,
    pub comment: String,
}

#[derive(Template)]
#[template(path = "requirements/review.html")]
struct DetailPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    round: review_round::Model,
    days_left: i64,
    items: Vec<ItemView>,
    reviewers: Vec<ReviewerRow>,
    can_comment: bool,
    can_vote: bool,
    can_close: bool,
    form: FormState,
}

async fn detail_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    (id, rid): (i64, i64),
    form: FormState,
) -> AppResult<DetailPage> {
    let RoundView { round, items, reviewers, comments, votes } = reviews::view(state, viewer, rid).await?;
    if round.engagement_id != id {
        return Err(AppError::NotFound);
    }
    let e = engagements::get(state, viewer, id).await?;
    let open = round.state == "open";
    let manager = manages(state, viewer, id).await?;
    let reviewer = reviews::is_reviewer(state, viewer, rid).await?;
    let items = items
        .into_iter()
        .map(|r| ItemView {
            comments: comments
                .iter()
                .filter(|(c, _)| c.requirement_id == r.id)
                .map(|(c, who)| {
                    (who.clone().unwrap_or_else(|| page.t("person-hidden")), c.body.clone(), c.task_id.is_some())
                })
                .collect(),
            id: r.id,
            key: r.key,
            title: r.title,
            status: r.status,
        })
        .collect();
    let reviewers = reviewers
        .into_iter()
        .map(|p| {
            let v = votes.iter().find(|(v, _)| v.user_id == p.user_id).map(|(v, _)| v);
            let (name, party) = p.known.unwrap_or_else(|| (page.t("person-hidden"), page.t("party-hidden")));
            ReviewerRow {
                name,
                party,
                vote: v.map(|v| v.vote.clone()).unwrap_or_default(),
                comment: v.map(|v| v.comment.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(DetailPage {
        page,
        engagement_id: id,
        code: e.code,
        days_left: reviews::days_left(round.deadline, state.today()),
        can_comment: open && (reviewer || manager),
        can_vote: open && reviewer,
        can_close: open && manager,
        round,
        items,
        reviewers,
        form,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    render(&detail_page(&state, page, &viewer, (id, rid), FormState::new()).await?)
}

async fn after<T>(
    (state, page, viewer, session): (AppState, PageCtx, Viewer, Session),
    (id, rid): (i64, i64),
    form: &FormData,
    result: AppResult<T>,
    success: &str,
) -> AppResult<Response> {
    let back = format!("/engagements/{id}/reviews/{rid}");
    settle((page, &session), form, result, (success, back), |page, f| detail_page(&state, page, &viewer, (id, rid), f))
        .await
}

/// The round must belong to the engagement in the path; 404 otherwise.
async fn check(state: &AppState, viewer: &Viewer, id: i64, rid: i64) -> AppResult<()> {
    if reviews::load(state, viewer, rid).await?.engagement_id == id { Ok(()) } else { Err(AppError::NotFound) }
}

pub async fn comment(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    check(&state, &viewer, id, rid).await?;
    let input = ReviewCommentInput {
        requirement_id: parse_id(form.get("requirement_id")).ok().map(Id),
        body: form.get("body").to_owned(),
    };
    let result = reviews::comment(&state, &viewer, rid, input).await;
    after((state, page, viewer, session), (id, rid), &form, result, "flash-review-comment").await
}

pub async fn vote(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    check(&state, &viewer, id, rid).await?;
    let input = VoteInput { vote: form.get("vote").to_owned(), comment: Some(form.get("comment").to_owned()) };
    let result = reviews::vote(&state, &viewer, rid, input).await;
    after((state, page, viewer, session), (id, rid), &form, result, "flash-review-voted").await
}

pub async fn close(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    check(&state, &viewer, id, rid).await?;
    let input = CloseInput { outcome: Some(form.get("outcome").to_owned()) };
    let result = reviews::close(&state, &viewer, rid, input).await;
    after((state, page, viewer, session), (id, rid), &form, result, "flash-review-closed").await
}
