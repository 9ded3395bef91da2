//! Review rounds: the PM puts shared requirements in front of reviewers from any party of the
//! engagement with a deadline. Reviewers comment per item and vote (approve / request
//! changes); a scheduled job reminds those who have not voted as the deadline nears (in-app and
//! by e-mail); closing records the outcome and turns every comment into a task for the item's
//! author. A round covers shared items only, so everyone in the engagement may follow it.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Expr};
use serde::Deserialize;
use serde_json::json;

use super::entity::{requirement, review_comment, review_item, review_reviewer, review_round, review_vote};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    changes::board,
    collab::{
        self, Subject, SubjectKind,
        notifications::{self, Kind, Notice},
    },
    db,
    domain::{self, Id, RequirementStatus},
    engagements::{
        entity::task,
        service::{get, get_to_manage, manages, record},
        workdays,
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    i18n::Lang,
    mail,
    users::entity::user,
};

/// Reviewers who have not voted hear from the job this many days before the deadline.
pub const REMIND_DAYS: i64 = 2;
/// Working days a task made from a review comment gets.
const TASK_DAYS: i64 = 5;

impl From<&review_round::Model> for Subject {
    fn from(r: &review_round::Model) -> Self {
        Self {
            kind: SubjectKind::Review,
            id: r.id,
            engagement_id: r.engagement_id,
            title: r.title.clone(),
            visibility: "participants".to_owned(),
            visible_party_id: None,
        }
    }
}

pub async fn list(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<review_round::Model>> {
    get(state, viewer, engagement_id).await?;
    Ok(review_round::Entity::find()
        .filter(review_round::Column::EngagementId.eq(engagement_id))
        .order_by_desc(review_round::Column::Id)
        .all(&state.db)
        .await?)
}

/// A round of an engagement the viewer sees; 404 otherwise.
pub async fn load(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<review_round::Model> {
    let r = review_round::Entity::find_by_id(id)
        .filter(viewer.engagement_ids_scope(review_round::Column::EngagementId))
        .one(&state.db)
        .await?;
    r.ok_or(AppError::NotFound)
}

/// A reviewer as the viewer may know them: `None` when their party is one the viewer may not
/// know (they still count, and their vote shows, as "another party").
pub struct Person {
    pub user_id: i64,
    pub known: Option<(String, String)>,
}

/// A round through the viewer's lens: reviewers, comment authors and voters of parties the
/// viewer may not know are unnamed; the tasks comments became (internal) are the host's.
pub struct RoundView {
    pub round: review_round::Model,
    pub items: Vec<requirement::Model>,
    pub reviewers: Vec<Person>,
    /// Comments with their author's name when known, oldest first.
    pub comments: Vec<(review_comment::Model, Option<String>)>,
    /// Votes with the voter's name when known.
    pub votes: Vec<(review_vote::Model, Option<String>)>,
}

pub async fn view(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<RoundView> {
    let round = load(state, viewer, id).await?;
    let item_ids: Vec<i64> = review_item::Entity::find()
        .select_only()
        .column(review_item::Column::RequirementId)
        .filter(review_item::Column::RoundId.eq(id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let items = requirement::Entity::find()
        .filter(requirement::Column::Id.is_in(item_ids))
        .filter(viewer.record_scope(requirement::Column::Visibility, requirement::Column::VisiblePartyId))
        .order_by_asc(requirement::Column::Seq)
        .all(&state.db)
        .await?;
    let reviewer_ids = reviewers(state, id).await?;
    let comments = review_comment::Entity::find()
        .filter(review_comment::Column::RoundId.eq(id))
        .order_by_asc(review_comment::Column::Id)
        .all(&state.db)
        .await?;
    let votes = review_vote::Entity::find().filter(review_vote::Column::RoundId.eq(id)).all(&state.db).await?;
    let lens = Lens::of(state, viewer, round.engagement_id).await?;
    let ids =
        reviewer_ids.iter().copied().chain(comments.iter().map(|c| c.user_id)).chain(votes.iter().map(|v| v.user_id));
    let people = lens.people(&state.db, ids).await?;
    let parties =
        lens.party_names(&state.db, reviewer_ids.iter().filter_map(|u| people.get(*u)).map(|p| p.party_id)).await?;
    Ok(RoundView {
        reviewers: reviewer_ids
            .iter()
            .map(|u| Person {
                user_id: *u,
                known: people.get(*u).map(|p| (p.name.clone(), parties.get(p.party_id).unwrap_or_default().to_owned())),
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|mut c| {
                c.task_id = c.task_id.and_then(|t| lens.internal(t));
                let author = people.name(c.user_id);
                (c, author)
            })
            .collect(),
        votes: votes.into_iter().map(|v| (v.clone(), people.name(v.user_id))).collect(),
        round,
        items,
    })
}

async fn reviewers(state: &AppState, round_id: i64) -> AppResult<Vec<i64>> {
    Ok(review_reviewer::Entity::find()
        .select_only()
        .column(review_reviewer::Column::UserId)
        .filter(review_reviewer::Column::RoundId.eq(round_id))
        .order_by_asc(review_reviewer::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundInput {
    #[serde(default)]
    pub title: String,
    /// `YYYY-MM-DD`, today or later.
    #[serde(default)]
    pub deadline: String,
    /// Shared requirements of the engagement.
    #[serde(default)]
    pub requirement_ids: Vec<Id>,
    /// Active people of the host or of a party taking part.
    #[serde(default)]
    pub reviewer_ids: Vec<Id>,
}

/// Opens a round (engagement managers): draft items go `in_review`, reviewers are told.
pub async fn open(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: RoundInput,
) -> AppResult<review_round::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let today = state.today();
    let mut errors = FieldErrors::default();
    let title = errors.take("title", domain::text(&input.title, true, 200));
    let deadline = match domain::parse_date(&input.deadline) {
        Ok(d) if d >= today => Some(d),
        Ok(_) => {
            errors.add("deadline", Msg::new("error-deadline-past"));
            None
        }
        Err(m) => {
            errors.add("deadline", m);
            None
        }
    };
    let mut seen = std::collections::HashSet::new();
    let wanted: Vec<i64> = input.requirement_ids.iter().map(|i| i.0).filter(|i| seen.insert(*i)).collect();
    let found = requirement::Entity::find()
        .filter(requirement::Column::EngagementId.eq(engagement_id))
        .filter(requirement::Column::Id.is_in(wanted.clone()))
        .filter(requirement::Column::Visibility.eq("participants"))
        .filter(requirement::Column::Status.ne(RequirementStatus::Obsolete.as_str()))
        .all(&state.db)
        .await?;
    if wanted.is_empty() {
        errors.add("requirement_ids", Msg::new("error-required"));
    } else if found.len() != wanted.len() {
        errors.add("requirement_ids", Msg::new("error-scope-requirement"));
    }
    let mut seen = std::collections::HashSet::new();
    let people: Vec<i64> = input.reviewer_ids.iter().map(|i| i.0).filter(|i| seen.insert(*i)).collect();
    if people.is_empty() {
        errors.add("reviewer_ids", Msg::new("error-required"));
    } else if board::eligible(&state.db, engagement_id, &people).await?.len() != people.len() {
        errors.add("reviewer_ids", Msg::new("error-board-member"));
    }
    errors.into_result()?;
    let (Some(title), Some(deadline)) = (title, deadline) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated round missing")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let round = review_round::ActiveModel {
        engagement_id: Set(engagement_id),
        title: Set(title),
        deadline: Set(deadline),
        state: Set("open".to_owned()),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for r in &wanted {
        review_item::ActiveModel { round_id: Set(round.id), requirement_id: Set(*r), ..Default::default() }
            .insert(&tx)
            .await?;
    }
    for u in &people {
        review_reviewer::ActiveModel { round_id: Set(round.id), user_id: Set(*u), ..Default::default() }
            .insert(&tx)
            .await?;
    }
    requirement::Entity::update_many()
        .col_expr(requirement::Column::Status, Expr::value(RequirementStatus::InReview.as_str()))
        .col_expr(requirement::Column::UpdatedAt, Expr::value(now))
        .filter(requirement::Column::Id.is_in(wanted.clone()))
        .filter(requirement::Column::Status.eq(RequirementStatus::Draft.as_str()))
        .exec(&tx)
        .await?;
    let after =
        json!({"title": round.title, "deadline": round.deadline, "requirement_ids": wanted, "reviewer_ids": people});
    record(&tx, state, viewer, "review_round.open", "review_round", round.id, None, Some(after)).await?;
    let subject = Subject::from(&round);
    collab::activity::record(&tx, now, Some(viewer.user.id), &subject, "review_opened").await?;
    let key = format!("review:{}:requested", round.id);
    let notice =
        Notice { actor_id: Some(viewer.user.id), dedupe: Some(&key), ..Notice::new(Kind::ReviewRequested, &subject) };
    notifications::send(&tx, now, &people, &notice).await?;
    tx.commit().await?;
    Ok(round)
}

/// An open round the viewer takes part in as a reviewer (or runs, for comments).
async fn open_round_for(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    managers_too: bool,
) -> AppResult<review_round::Model> {
    let round = load(state, viewer, id).await?;
    let reviewer = reviewers(state, id).await?.contains(&viewer.user.id);
    let entitled = reviewer || (managers_too && manages(state, viewer, round.engagement_id).await?);
    if !entitled {
        return Err(AppError::Forbidden);
    }
    if round.state != "open" {
        return Err(AppError::Conflict(Msg::new("error-review-closed")));
    }
    Ok(round)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewCommentInput {
    pub requirement_id: Option<Id>,
    #[serde(default)]
    pub body: String,
}

/// A reviewer's (or the PM's) comment on one item of the round.
pub async fn comment(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: ReviewCommentInput,
) -> AppResult<review_comment::Model> {
    let round = open_round_for(state, viewer, id, true).await?;
    let mut errors = FieldErrors::default();
    let in_round = match input.requirement_id {
        Some(Id(r)) => review_item::Entity::find()
            .filter(review_item::Column::RoundId.eq(id))
            .filter(review_item::Column::RequirementId.eq(r))
            .one(&state.db)
            .await?
            .map(|i| i.requirement_id),
        None => None,
    };
    if in_round.is_none() {
        errors.add("requirement_id", Msg::new("error-review-item"));
    }
    let body = errors.take("body", domain::text(&input.body, true, 5000));
    errors.into_result()?;
    let (Some(requirement_id), Some(body)) = (in_round, body) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated comment missing")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let row = review_comment::ActiveModel {
        round_id: Set(round.id),
        requirement_id: Set(requirement_id),
        user_id: Set(viewer.user.id),
        party_id: Set(viewer.party.id),
        body: Set(body),
        task_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"requirement_id": requirement_id, "body": row.body});
    record(&tx, state, viewer, "review_round.comment", "review_round", round.id, None, Some(after)).await?;
    collab::activity::record(&tx, now, Some(viewer.user.id), &Subject::from(&round), "commented").await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteInput {
    /// approve | request_changes
    #[serde(default)]
    pub vote: String,
    /// Required to request changes.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A reviewer's vote; voting again replaces it while the round is open.
pub async fn vote(state: &AppState, viewer: &Viewer, id: i64, input: VoteInput) -> AppResult<review_vote::Model> {
    let round = open_round_for(state, viewer, id, false).await?;
    let mut errors = FieldErrors::default();
    let vote = match input.vote.trim() {
        v @ ("approve" | "request_changes") => Some(v.to_owned()),
        "" => {
            errors.add("vote", Msg::new("error-required"));
            None
        }
        _ => {
            errors.add("vote", Msg::new("error-review-vote"));
            None
        }
    };
    let needs = vote.as_deref() == Some("request_changes");
    let comment = errors.take("comment", domain::text(input.comment.as_deref().unwrap_or(""), needs, 5000));
    errors.into_result()?;
    let Some(vote) = vote else { return Err(AppError::Internal(anyhow::anyhow!("validated vote missing"))) };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    review_vote::Entity::delete_many()
        .filter(review_vote::Column::RoundId.eq(id))
        .filter(review_vote::Column::UserId.eq(viewer.user.id))
        .exec(&tx)
        .await?;
    let row = review_vote::ActiveModel {
        round_id: Set(id),
        user_id: Set(viewer.user.id),
        party_id: Set(viewer.party.id),
        vote: Set(vote),
        comment: Set(comment.unwrap_or_default()),
        voted_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"vote": row.vote, "comment": row.comment});
    record(&tx, state, viewer, "review_round.vote", "review_round", round.id, None, Some(after)).await?;
    collab::activity::record(&tx, now, Some(viewer.user.id), &Subject::from(&round), "voted_review").await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    /// approved | changes_requested; left out, the votes decide (any request for changes wins).
    #[serde(default)]
    pub outcome: Option<String>,
}

/// Closes a round (engagement managers): records the outcome, moves the items (approved, or
/// back to draft), and makes each comment a task for the author of its item.
pub async fn close(state: &AppState, viewer: &Viewer, id: i64, input: CloseInput) -> AppResult<review_round::Model> {
    let round = load(state, viewer, id).await?;
    get_to_manage(state, viewer, round.engagement_id).await?;
    if round.state != "open" {
        return Err(AppError::Conflict(Msg::new("error-review-closed")));
    }
    let votes = review_vote::Entity::find().filter(review_vote::Column::RoundId.eq(id)).all(&state.db).await?;
    let computed = if votes.iter().any(|v| v.vote == "request_changes") { "changes_requested" } else { "approved" };
    let outcome = match input.outcome.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => computed.to_owned(),
        Some(o @ ("approved" | "changes_requested")) => o.to_owned(),
        Some(_) => {
            let mut errors = FieldErrors::default();
            errors.add("outcome", Msg::new("error-review-outcome"));
            return Err(AppError::Validation(errors));
        }
    };
    let calendar = workdays::calendar_for(state, round.engagement_id).await?;
    let today = state.today();
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let item_ids: Vec<i64> = review_item::Entity::find()
        .select_only()
        .column(review_item::Column::RequirementId)
        .filter(review_item::Column::RoundId.eq(id))
        .into_tuple()
        .all(&tx)
        .await?;
    let items: HashMap<i64, requirement::Model> = requirement::Entity::find()
        .filter(requirement::Column::Id.is_in(item_ids.clone()))
        .all(&tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let status = if outcome == "approved" { RequirementStatus::Approved } else { RequirementStatus::Draft };
    requirement::Entity::update_many()
        .col_expr(requirement::Column::Status, Expr::value(status.as_str()))
        .col_expr(requirement::Column::UpdatedAt, Expr::value(now))
        .filter(requirement::Column::Id.is_in(item_ids))
        .filter(requirement::Column::Status.eq(RequirementStatus::InReview.as_str()))
        .exec(&tx)
        .await?;
    let comments = review_comment::Entity::find()
        .filter(review_comment::Column::RoundId.eq(id))
        .filter(review_comment::Column::TaskId.is_null())
        .order_by_asc(review_comment::Column::Id)
        .all(&tx)
        .await?;
    let finish = calendar.add_working_days(calendar.next_working(today), TASK_DAYS - 1);
    let mut tasks = 0;
    for c in comments {
        let Some(r) = items.get(&c.requirement_id) else { continue };
        let excerpt: String = c.body.chars().take(80).collect();
        let t = task::ActiveModel {
            engagement_id: Set(round.engagement_id),
            name: Set(format!("{} · {excerpt}", r.key).chars().take(200).collect()),
            start_date: Set(calendar.next_working(today)),
            finish_date: Set(finish),
            assignee_id: Set(Some(r.created_by)),
            party_id: Set(None),
            progress: Set(0),
            status: Set("todo".to_owned()),
            visibility: Set("internal".to_owned()),
            visible_party_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let mut am: review_comment::ActiveModel = c.into();
        am.task_id = Set(Some(t.id));
        am.update(&tx).await?;
        let subject = Subject::from(&t);
        collab::track(&tx, now, viewer.user.id, &subject, "created", "").await?;
        let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::Assignment, &subject) };
        notifications::send(&tx, now, &[r.created_by], &notice).await?;
        tasks += 1;
    }
    let mut am: review_round::ActiveModel = round.clone().into();
    am.state = Set("closed".to_owned());
    am.outcome = Set(Some(outcome.clone()));
    am.closed_by = Set(Some(viewer.user.id));
    am.closed_at = Set(Some(now));
    let closed = am.update(&tx).await?;
    let after = json!({"outcome": outcome, "votes": votes.len(), "tasks": tasks});
    record(&tx, state, viewer, "review_round.close", "review_round", id, None, Some(after)).await?;
    collab::activity::record(&tx, now, Some(viewer.user.id), &Subject::from(&closed), "review_closed").await?;
    tx.commit().await?;
    Ok(closed)
}

/// The scheduled job: reviewers who have not voted on an open round due within `REMIND_DAYS`
/// get one in-app notice and one e-mail per round.
pub async fn remind(state: &AppState) -> AppResult<usize> {
    let today = state.today();
    let due: Vec<review_round::Model> = review_round::Entity::find()
        .filter(review_round::Column::State.eq("open"))
        .filter(review_round::Column::Deadline.gte(today))
        .filter(review_round::Column::Deadline.lte(crate::domain::add_days(today, REMIND_DAYS)))
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for round in due {
        let voted: Vec<i64> = review_vote::Entity::find()
            .select_only()
            .column(review_vote::Column::UserId)
            .filter(review_vote::Column::RoundId.eq(round.id))
            .into_tuple()
            .all(&state.db)
            .await?;
        let waiting: Vec<i64> = reviewers(state, round.id).await?.into_iter().filter(|u| !voted.contains(u)).collect();
        let users = user::Entity::find().filter(user::Column::Id.is_in(waiting)).all(&state.db).await?;
        let subject = Subject::from(&round);
        let key = format!("review:{}:due", round.id);
        let now = state.clock.now();
        let tx = db::begin_write(&state.writer).await?;
        for u in users {
            let notice = Notice { dedupe: Some(&key), ..Notice::new(Kind::ReviewDue, &subject) };
            // A notice not sent (already reminded, or no longer allowed to see it) sends no e-mail either.
            if notifications::send(&tx, now, &[u.id], &notice).await? == 0 {
                continue;
            }
            let lang = u.locale.as_deref().and_then(Lang::parse).unwrap_or_default();
            let link = format!("{}{}", state.config.base_url, subject.url());
            let args = [("title", round.title.clone()), ("deadline", round.deadline.to_string()), ("link", link)];
            let subj = lang.t_args("review-reminder-subject", &args);
            let body = lang.t_args("review-reminder-body", &args);
            mail::queue(&tx, now, &u.email, &subj, &body).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Whether the viewer is a reviewer of the round.
pub async fn is_reviewer(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<bool> {
    Ok(reviewers(state, id).await?.contains(&viewer.user.id))
}

/// The deadline as the pages show it: days left (negative when past).
pub fn days_left(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (deadline - today).num_days()
}

/// Hourly: reminders to reviewers of review rounds due soon.
pub const REVIEW_REMINDERS: crate::jobs::Kind = crate::jobs::Kind {
    name: "review_reminders",
    max_attempts: 3,
    every_seconds: Some(3600),
    run: |state, _, _| {
        Box::pin(async move {
            let n = remind(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(reminded = n, "review reminders");
            Ok(())
        })
    },
};
