//! Pages of collaboration: one record with its comments, files and history; the engagement's
//! activity feed; the viewer's notifications.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use sea_orm::{EntityTrait, QueryFilter};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::{
        Subject, SubjectKind, activity,
        comments::{self, CommentInput},
        entity::{comment, notification},
        notifications, subject,
    },
    documents::{
        pages::{DocRow, rows, share_options},
        service as documents,
    },
    engagements::{
        deliverables,
        entity::{milestone, task},
        plan,
        service::{self as engagements, manages},
    },
    error::{AppError, AppResult},
    requirements,
    users::pages::PartyOption,
    web::{self, FormData, PageCtx, Path, render, see_other},
};

pub struct Fact {
    pub label: String,
    pub value: String,
}

pub struct CommentRow {
    pub id: i64,
    pub author_name: String,
    pub body: String,
    pub at: String,
}

pub struct ActivityRow {
    pub actor_name: String,
    pub verb: String,
    /// The subject's kind, for its title (`PageCtx::record_title`).
    pub kind: String,
    pub title: String,
    pub url: String,
    pub at: String,
}

pub fn activity_rows(viewer: &Viewer, lines: Vec<activity::Line>) -> Vec<ActivityRow> {
    lines
        .into_iter()
        .map(|l| ActivityRow {
            actor_name: l.actor_name,
            verb: l.verb,
            kind: l.kind,
            title: l.title,
            url: l.url,
            at: viewer.local_time(l.at),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "collab/record.html")]
struct RecordPage {
    page: PageCtx,
    engagement_id: i64,
    engagement_code: String,
    item: Subject,
    facts: Vec<Fact>,
    criteria: Vec<String>,
    comments: Vec<CommentRow>,
    docs: Vec<DocRow>,
    activity: Vec<ActivityRow>,
    visibility_parties: Vec<PartyOption>,
    upload_limit_mb: usize,
    /// Milestone status buttons, for those who run the engagement.
    can_set_status: bool,
    /// A requirement's description, rendered from Markdown.
    description_html: String,
    /// Where those who run the engagement edit the record (requirements not yet signed).
    edit_url: Option<String>,
    /// A requirement frozen into a signed version: it changes through a change request.
    locked: bool,
}

pub async fn task(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    record(state, page, viewer, id, SubjectKind::Task, rid).await
}

pub async fn milestone(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    record(state, page, viewer, id, SubjectKind::Milestone, rid).await
}

pub async fn deliverable(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    record(state, page, viewer, id, SubjectKind::Deliverable, rid).await
}

pub async fn requirement(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    record(state, page, viewer, id, SubjectKind::Requirement, rid).await
}

fn fact(page: &PageCtx, key: &str, value: impl Into<String>) -> Fact {
    Fact { label: page.t(key), value: value.into() }
}

/// The record's own fields, as label/value pairs, with references the viewer may not know of
/// already masked by the plan's readers.
async fn facts(state: &AppState, viewer: &Viewer, page: &PageCtx, s: &Subject) -> AppResult<Facts> {
    let mut out = Vec::new();
    let mut criteria = Vec::new();
    let mut description_html = String::new();
    let mut locked = false;
    let lens = Lens::of(state, viewer, s.engagement_id).await?;
    match s.kind {
        SubjectKind::Task => {
            let t: task::Model = plan::task(state, viewer, s.engagement_id, s.id).await?;
            let parties = lens.party_names(&state.db, t.party_id).await?;
            let users = lens.people(&state.db, t.assignee_id).await?;
            out.push(fact(page, "field-start-date", t.start_date.to_string()));
            out.push(fact(page, "field-finish-date", t.finish_date.to_string()));
            out.push(fact(page, "field-status", page.t(&format!("task-status-{}", t.status))));
            out.push(fact(page, "field-progress", format!("{}%", t.progress)));
            if let Some(p) = parties.of(t.party_id) {
                out.push(fact(page, "field-responsible-party", p));
            }
            if let Some(a) = t.assignee_id.and_then(|a| users.name(a)) {
                out.push(fact(page, "field-assignee", a));
            }
        }
        SubjectKind::Milestone => {
            let m: milestone::Model = plan::milestones(state, viewer, s.engagement_id)
                .await?
                .into_iter()
                .find(|m| m.id == s.id)
                .ok_or(AppError::NotFound)?;
            let parties = lens.party_names(&state.db, m.owner_party_id).await?;
            out.push(fact(page, "field-due-date", m.due_date.to_string()));
            out.push(fact(page, "field-status", page.t(&format!("milestone-status-{}", m.status))));
            if let Some(p) = parties.of(m.owner_party_id) {
                out.push(fact(page, "field-owner-party", p));
            }
            if !m.description.is_empty() {
                out.push(fact(page, "field-description", m.description));
            }
        }
        SubjectKind::Deliverable => {
            let (d, cs) = deliverables::one(state, viewer, s.engagement_id, s.id).await?;
            let parties = lens.party_names(&state.db, d.owner_party_id).await?;
            out.push(fact(page, "field-due-date", d.due_date.to_string()));
            if let Some(p) = parties.of(d.owner_party_id) {
                out.push(fact(page, "field-owner-party", p));
            }
            if !d.description.is_empty() {
                out.push(fact(page, "field-description", d.description));
            }
            criteria = cs.into_iter().map(|c| c.text).collect();
        }
        SubjectKind::Requirement => {
            let r = requirements::service::one(state, viewer, s.engagement_id, s.id).await?;
            let parties = lens.party_names(&state.db, r.source_party_id).await?;
            out.push(fact(page, "field-requirement-key", r.key.clone()));
            out.push(fact(page, "field-requirement-kind", page.t(&format!("requirement-kind-{}", r.kind))));
            out.push(fact(page, "field-priority", page.t(&format!("priority-{}", r.priority))));
            out.push(fact(page, "field-status", page.t(&format!("requirement-status-{}", r.status))));
            if let Some(p) = parties.of(r.source_party_id) {
                out.push(fact(page, "field-source-party", p));
            }
            criteria = requirements::service::criteria_lines(&r).into_iter().map(str::to_owned).collect();
            description_html = crate::web::markdown::render(&r.description);
            locked = requirements::service::locked(state, &r).await?;
        }
        // A change request has a page of its own (`changes::pages`), which reuses the discussion.
        SubjectKind::Change
        | SubjectKind::Review
        | SubjectKind::Contract
        | SubjectKind::Acceptance
        | SubjectKind::Risk
        | SubjectKind::Warning
        | SubjectKind::Issue => {}
    }
    Ok(Facts { facts: out, criteria, description_html, locked })
}

struct Facts {
    facts: Vec<Fact>,
    criteria: Vec<String>,
    description_html: String,
    locked: bool,
}

/// What people said about a record, the files on it and its history.
pub struct Discussion {
    pub comments: Vec<CommentRow>,
    pub docs: Vec<DocRow>,
    pub activity: Vec<ActivityRow>,
}

pub async fn discussion(state: &AppState, viewer: &Viewer, s: &Subject) -> AppResult<Discussion> {
    let comments = comments::list(state, viewer, s)
        .await?
        .into_iter()
        .map(|c| CommentRow { id: c.id, author_name: c.author_name, body: c.body, at: viewer.local_time(c.at) })
        .collect();
    let docs = rows(viewer, documents::list(state, viewer, s.engagement_id, Some(s)).await?);
    let activity = activity_rows(viewer, activity::feed(state, viewer, s.engagement_id, Some(s), 20, None).await?);
    Ok(Discussion { comments, docs, activity })
}

async fn record(
    state: AppState,
    page: PageCtx,
    viewer: Viewer,
    id: i64,
    kind: SubjectKind,
    rid: i64,
) -> AppResult<Response> {
    let s = subject(&state, &viewer, id, kind, rid).await?;
    let e = engagements::get(&state, &viewer, id).await?;
    let Facts { facts, criteria, description_html, locked } = facts(&state, &viewer, &page, &s).await?;
    let Discussion { comments, docs, activity } = discussion(&state, &viewer, &s).await?;
    let manager = manages(&state, &viewer, id).await?;
    let can_set_status = kind == SubjectKind::Milestone && manager;
    let edit_url = (kind == SubjectKind::Requirement && manager && !locked).then(|| format!("{}/edit", s.url()));
    render(&RecordPage {
        page,
        engagement_id: id,
        engagement_code: e.code,
        facts,
        criteria,
        comments,
        docs,
        activity,
        visibility_parties: share_options(&state, &viewer, id).await?,
        upload_limit_mb: state.config.upload_limit / (1024 * 1024),
        can_set_status,
        description_html,
        edit_url,
        locked,
        item: s,
    })
}

pub(crate) async fn comment(
    state: AppState,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    (id, kind, rid): (i64, SubjectKind, i64),
    form: FormData,
) -> AppResult<Response> {
    let s = subject(&state, &viewer, id, kind, rid).await?;
    let input = CommentInput { body: form.0.get("body").cloned().unwrap_or_default() };
    match comments::create(&state, &viewer, &s, input).await {
        Ok(c) => {
            web::flash(&session, "success", page.t("comment-added")).await?;
            Ok(see_other(&format!("{}#comment-{}", s.url(), c.id)))
        }
        Err(AppError::Validation(f)) => {
            for e in f.0 {
                web::flash(&session, "error", format!("{}: {}", page.t("field-comment"), e.msg.render(page.language)))
                    .await?;
            }
            Ok(see_other(&format!("{}#comments", s.url())))
        }
        Err(e) => Err(e),
    }
}

pub async fn comment_on_task(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    comment(state, page, viewer, session, (id, SubjectKind::Task, rid), form).await
}

pub async fn comment_on_milestone(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    comment(state, page, viewer, session, (id, SubjectKind::Milestone, rid), form).await
}

pub async fn comment_on_deliverable(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    comment(state, page, viewer, session, (id, SubjectKind::Deliverable, rid), form).await
}

pub async fn comment_on_requirement(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    comment(state, page, viewer, session, (id, SubjectKind::Requirement, rid), form).await
}

pub async fn comment_on_change(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    comment(state, page, viewer, session, (id, SubjectKind::Change, rid), form).await
}

/// A comment's own address (search hits point here): its record's page, at the comment.
pub async fn open_comment(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Response> {
    let c = comment::Entity::find_by_id(id)
        .filter(viewer.engagement_ids_scope(comment::Column::EngagementId))
        .filter(viewer.record_scope(comment::Column::Visibility, comment::Column::VisiblePartyId))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = SubjectKind::parse(&c.subject_kind).ok_or(AppError::NotFound)?;
    let s = subject(&state, &viewer, c.engagement_id, kind, c.subject_id).await?;
    Ok(see_other(&format!("{}#comment-{}", s.url(), c.id)))
}

#[derive(Template)]
#[template(path = "collab/activity.html")]
struct ActivityPage {
    page: PageCtx,
    engagement_id: i64,
    engagement_code: String,
    engagement_name: String,
    lines: Vec<ActivityRow>,
    older: Option<i64>,
}

#[derive(Deserialize)]
pub struct BeforeQuery {
    before: Option<i64>,
    #[serde(default)]
    unread: Option<String>,
}

pub const FEED_PAGE: u64 = 50;

pub async fn activity(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<BeforeQuery>,
) -> AppResult<Response> {
    let e = engagements::get(&state, &viewer, id).await?;
    let lines = activity::feed(&state, &viewer, id, None, FEED_PAGE, q.before).await?;
    let older = (lines.len() as u64 == FEED_PAGE).then(|| lines.last().map(|l| l.id)).flatten();
    render(&ActivityPage {
        page,
        engagement_id: id,
        engagement_code: e.code,
        engagement_name: e.name,
        lines: activity_rows(&viewer, lines),
        older,
    })
}

pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub subject_kind: String,
    pub title: String,
    pub context: String,
    pub unread: bool,
    pub at: String,
}

#[derive(Template)]
#[template(path = "collab/notifications.html")]
struct NotificationsPage {
    page: PageCtx,
    rows: Vec<NotificationRow>,
    unread_only: bool,
    older: Option<i64>,
}

pub async fn notifications(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<BeforeQuery>,
) -> AppResult<Response> {
    let unread_only = q.unread.as_deref() == Some("1");
    let (list, older) = notifications::list(&state, &viewer, unread_only, FEED_PAGE, q.before).await?;
    let rows = notification_rows(&state, &viewer, list).await?;
    render(&NotificationsPage { page, rows, unread_only, older })
}

/// Notifications as pages list them: with their engagement's code, in the viewer's time.
pub async fn notification_rows(
    state: &AppState,
    viewer: &Viewer,
    list: Vec<notification::Model>,
) -> AppResult<Vec<NotificationRow>> {
    let codes = crate::engagements::service::codes(state, list.iter().map(|n| n.engagement_id)).await?;
    Ok(list
        .into_iter()
        .map(|n| NotificationRow {
            id: n.id,
            context: codes.get(&n.engagement_id).cloned().unwrap_or_default(),
            kind: n.kind,
            subject_kind: n.subject_kind,
            title: n.title,
            unread: n.read_at.is_none(),
            at: viewer.local_time(n.created_at),
        })
        .collect())
}

pub async fn open_notification(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let n = notifications::open(&state, &viewer, id).await?;
    Ok(see_other(&notifications::url(&n)))
}

pub async fn read_all(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    _form: FormData,
) -> AppResult<Response> {
    notifications::read_all(&state, &viewer).await?;
    web::flash(&session, "success", page.t("notifications-all-read")).await?;
    Ok(see_other("/notifications"))
}
