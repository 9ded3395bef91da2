//! Issue pages: an engagement's log (SLA state of each, the raise dialog) and one issue (its
//! clocks, what to do next for the one reading it, the discussion).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;
use tower_sessions::Session;

use super::{
    entity::issue,
    service::{self, IssueFilter, IssueInput},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::{
        Subject, SubjectKind,
        pages::{ActivityRow, CommentRow, Discussion, discussion},
    },
    db,
    documents::pages::{DocRow, share_options},
    domain::{IssueKind, IssueSeverity, IssueStatus},
    engagements::{pages::settle, service as engagements},
    error::{AppError, AppResult},
    users::pages::PartyOption,
    web::{FormData, FormState, PageCtx, Path, local_time, render},
};

pub struct Row {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub kind: String,
    pub severity: String,
    pub status: String,
    pub sla: &'static str,
    pub resolve_due: String,
    pub raised: String,
}

#[derive(Template)]
#[template(path = "issues/list.html")]
struct ListPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    name: String,
    rows: Vec<Row>,
    next: Option<String>,
    filter: String,
    form: FormState,
    kinds: &'static [IssueKind],
    severities: &'static [IssueSeverity],
    people: Vec<(i64, String, String)>,
    parties: Vec<PartyOption>,
    is_host: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    cursor: String,
}

/// People who may own an issue, as the viewer may know them.
async fn people(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<Vec<(i64, String, String)>> {
    let lens = Lens::of(state, viewer, id).await?;
    let all = crate::changes::board::candidates(state, id).await?;
    let known = lens.people(&state.db, all.iter().map(|(u, _, _)| *u)).await?;
    Ok(all.into_iter().filter(|(u, _, _)| known.knows(*u)).collect())
}

async fn list_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    (id, q): (i64, &ListQuery),
    form: FormState,
) -> AppResult<ListPage> {
    let e = engagements::get(state, viewer, id).await?;
    let (status, open) = match q.status.as_str() {
        "live" => (None, true),
        s => (IssueStatus::parse(s).ok(), false),
    };
    let f = IssueFilter { status, open, limit: db::DEFAULT_LIMIT, after: db::decode_cursor(&q.cursor) };
    let (issues, next) = service::list(state, viewer, id, &f).await?;
    let lens = Lens::of(state, viewer, id).await?;
    let parties = lens.party_names(&state.db, issues.iter().map(|i| i.raised_party_id)).await?;
    let tz = viewer.user.time_zone.clone();
    let now = state.clock.now();
    let rows = issues
        .into_iter()
        .map(|i| Row {
            sla: if i.status == "closed" || i.status == "resolved" {
                ""
            } else {
                service::sla_state(&i, now).overall().as_str()
            },
            resolve_due: local_time(i.resolve_due, &tz),
            raised: parties.label(i.raised_party_id, page.language),
            id: i.id,
            key: i.key,
            title: i.title,
            kind: i.kind,
            severity: i.severity,
            status: i.status,
        })
        .collect();
    let form = if form.value("severity").is_empty() && !form.has_errors() {
        form.with("severity", "medium").with("kind", "issue")
    } else {
        form
    };
    Ok(ListPage {
        people: people(state, viewer, id).await?,
        parties: share_options(state, viewer, id).await?,
        is_host: viewer.is_host(),
        kinds: IssueKind::ALL,
        severities: IssueSeverity::ALL,
        filter: q.status.clone(),
        engagement_id: id,
        code: e.code,
        name: e.name,
        rows,
        next,
        form,
        page,
    })
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    render(&list_page(&state, page, &viewer, (id, &q), FormState::new()).await?)
}

fn input_of(form: &FormData) -> IssueInput {
    let opt = |f: &str| form.opt(f);
    IssueInput {
        title: Some(form.get("title").to_owned()),
        description: Some(form.get("description").to_owned()),
        kind: Some(form.get("kind").to_owned()),
        severity: Some(form.get("severity").to_owned()),
        owner_id: opt("owner_id"),
        status: None,
        resolution: None,
        visibility: opt("visibility"),
        visible_party_id: form.id("visible_party_id"),
    }
}

pub async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    engagements::get(&state, &viewer, id).await?;
    let result = service::create(&state, &viewer, id, input_of(&form)).await;
    let back = format!("/engagements/{id}/issues");
    let q = ListQuery::default();
    settle((page, &session), &form, result, ("flash-issue-raised", back), |page, f| {
        list_page(&state, page, &viewer, (id, &q), f)
    })
    .await
}

#[derive(Template)]
#[template(path = "issues/detail.html")]
struct DetailPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    i: issue::Model,
    raised_by: String,
    party: String,
    owner: String,
    response_due: String,
    resolve_due: String,
    response_state: &'static str,
    resolve_state: &'static str,
    /// What the reader may do next: (status, label key).
    actions: Vec<(&'static str, &'static str)>,
    /// Resolving is among them: the resolution's field shows.
    can_resolve: bool,
    form: FormState,
    item: Subject,
    comments: Vec<CommentRow>,
    docs: Vec<DocRow>,
    activity: Vec<ActivityRow>,
    visibility_parties: Vec<PartyOption>,
    upload_limit_mb: usize,
}

async fn detail_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    (id, iid): (i64, i64),
    form: FormState,
) -> AppResult<DetailPage> {
    let e = engagements::get(state, viewer, id).await?;
    let i = service::load(state, viewer, iid).await?;
    if i.engagement_id != id {
        return Err(AppError::NotFound);
    }
    let lens = Lens::of(state, viewer, id).await?;
    let known = lens.people(&state.db, [i.raised_by].into_iter().chain(i.owner_id)).await?;
    let parties = lens.party_names(&state.db, [i.raised_party_id]).await?;
    let s = service::sla_state(&i, state.clock.now());
    let worker = service::may_work(state, viewer, &i).await?;
    let raiser = service::is_raiser(viewer, &i);
    let actions: Vec<(&str, &str)> = match i.status.as_str() {
        "open" if worker => vec![("responded", "action-issue-respond"), ("resolved", "action-issue-resolve")],
        "responded" if worker => vec![("resolved", "action-issue-resolve")],
        "resolved" if raiser => vec![("closed", "action-issue-confirm"), ("open", "action-issue-reopen")],
        "closed" if raiser => vec![("open", "action-issue-reopen")],
        _ => Vec::new(),
    };
    let tz = viewer.user.time_zone.clone();
    let lang = page.language;
    let item = Subject::from(&i);
    let Discussion { comments, docs, activity } = discussion(state, viewer, &item).await?;
    Ok(DetailPage {
        raised_by: known.label(i.raised_by, lang),
        party: parties.label(i.raised_party_id, lang),
        owner: i.owner_id.map(|o| known.label(o, lang)).unwrap_or_default(),
        response_due: local_time(i.response_due, &tz),
        resolve_due: local_time(i.resolve_due, &tz),
        response_state: s.response.as_str(),
        resolve_state: s.resolve.as_str(),
        visibility_parties: share_options(state, viewer, id).await?,
        upload_limit_mb: state.config.upload_limit / (1024 * 1024),
        can_resolve: actions.iter().any(|(s, _)| *s == "resolved"),
        engagement_id: id,
        code: e.code,
        actions,
        form,
        item,
        comments,
        docs,
        activity,
        page,
        i,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, iid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    render(&detail_page(&state, page, &viewer, (id, iid), FormState::new()).await?)
}

/// A move of the issue (respond, resolve, confirm, reopen), from the buttons on its page.
pub async fn update(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, iid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let i = service::load(&state, &viewer, iid).await?;
    if i.engagement_id != id {
        return Err(AppError::NotFound);
    }
    let input = IssueInput {
        status: Some(form.get("status").to_owned()),
        resolution: form.opt("resolution"),
        ..Default::default()
    };
    let result = service::update(&state, &viewer, iid, input).await;
    let back = format!("/engagements/{id}/issues/{iid}");
    settle((page, &session), &form, result, ("flash-issue-saved", back), |page, f| {
        detail_page(&state, page, &viewer, (id, iid), f)
    })
    .await
}

pub async fn comment(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, iid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    crate::collab::pages::comment(state, page, viewer, session, (id, SubjectKind::Issue, iid), form).await
}
