//! Change pages: the engagement's change log (figures, filters, the raise form, the board) and
//! one change request (impact, scope, decisions, discussion).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use tower_sessions::Session;

use super::{
    board::{self, BoardDto, BoardInput},
    decide::{self, DecisionInput},
    entity::change_request,
    impact::{self, ImpactView},
    service::{self, ChangeFilter, ChangeInput, ImpactInput, ScopeItemInput, affected_ids, cost_of},
    stats::{self, ChangeStats},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::{
        Subject,
        pages::{ActivityRow, CommentRow, Discussion, discussion},
    },
    db,
    documents::pages::{DocRow, share_options},
    domain::ChangeState,
    engagements::{
        entity::{baseline, task},
        pages::{settle, unprocessable},
        service::{self as engagements, manages},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    money::MoneyDto,
    requirements::entity::requirement,
    users::pages::PartyOption,
    web::{self, FormData, FormState, PageCtx, Path, local_time, markdown, render, see_other},
};

/// A change's cost as the viewer may know it (the host's and the client's price).
fn cost_text(lens: &Lens, c: &change_request::Model) -> String {
    if c.cost_delta_minor == 0 { String::new() } else { lens.client_price(cost_of(c).display()).unwrap_or_default() }
}

pub struct Row {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub state: String,
    pub raised_by: String,
    pub party: String,
    pub impact_days: Option<i32>,
    pub cost: String,
    pub created_at: String,
}

#[derive(Template)]
#[template(path = "changes/list.html")]
struct ListPage {
    page: PageCtx,
    id: i64,
    code: String,
    name: String,
    rows: Vec<Row>,
    stats: ChangeStats,
    cost_lines: Vec<String>,
    filter: String,
    next: Option<String>,
    states: &'static [ChangeState],
    form: FormState,
    tasks: Vec<(i64, String)>,
    is_host: bool,
    can_manage: bool,
    board: BoardDto,
    board_form: FormState,
    candidates: Vec<(i64, String, String)>,
    parties: Vec<PartyOption>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    cursor: String,
}

async fn visible_tasks(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(task::Entity::find()
        .filter(task::Column::EngagementId.eq(id))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .order_by_asc(task::Column::StartDate)
        .order_by_asc(task::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

async fn list_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    (id, q): (i64, &ListQuery),
    (form, board_form): (FormState, FormState),
) -> AppResult<ListPage> {
    let e = engagements::get(state, viewer, id).await?;
    let filter = ChangeFilter {
        state: ChangeState::parse(&q.state).ok(),
        limit: db::DEFAULT_LIMIT,
        after: db::decode_cursor(&q.cursor),
    };
    let (changes, next) = service::list(state, viewer, id, &filter).await?;
    let lens = Lens::of(state, viewer, id).await?;
    let users = lens.people(&state.db, changes.iter().map(|c| c.raised_by)).await?;
    let parties = lens.party_names(&state.db, changes.iter().map(|c| c.raised_party_id)).await?;
    let tz = viewer.user.time_zone.clone();
    let lang = page.language;
    let rows = changes
        .into_iter()
        .map(|c| Row {
            raised_by: users.label(c.raised_by, lang),
            party: parties.label(c.raised_party_id, lang),
            cost: cost_text(&lens, &c),
            created_at: local_time(c.created_at, &tz),
            id: c.id,
            key: c.key,
            title: c.title,
            state: c.state,
            impact_days: c.impact_days,
        })
        .collect();
    let stats = stats::stats(state, viewer, id).await?;
    let can_manage = manages(state, viewer, id).await?;
    let board = board::show(state, viewer, id).await?;
    let board_form = if board_form.value("pm_max_days").is_empty() && !board_form.has_errors() {
        let members: Vec<String> = board.members.iter().filter_map(|m| m.user_id).map(|u| u.to_string()).collect();
        FormState::new()
            .with("pm_max_days", board.pm_max_days.to_string())
            .with("pm_max_cost", board.pm_max_cost.as_ref().map(|m| m.amount.clone()).unwrap_or_default())
            .with("member_ids", members.join("\n"))
    } else {
        board_form
    };
    Ok(ListPage {
        page,
        id,
        code: e.code,
        name: e.name,
        rows,
        cost_lines: stats.cost_display(),
        stats,
        filter: q.state.clone(),
        next,
        states: ChangeState::ALL,
        form,
        tasks: visible_tasks(state, viewer, id).await?,
        is_host: viewer.is_host(),
        can_manage,
        board,
        board_form,
        candidates: if can_manage { board::candidates(state, id).await? } else { Vec::new() },
        parties: share_options(state, viewer, id).await?,
    })
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    render(&list_page(&state, page, &viewer, (id, &q), (FormState::new(), FormState::new())).await?)
}

/// A whole number from a form field; empty is none.
fn form_int(form: &FormData, field: &str, errors: &mut FieldErrors) -> Option<i32> {
    let raw = form.get(field).trim();
    if raw.is_empty() {
        return None;
    }
    raw.parse().map_err(|_| errors.add(field, Msg::new("error-integer"))).ok()
}

fn form_money(form: &FormData, field: &str) -> Option<MoneyDto> {
    let amount = form.get(field).trim();
    (!amount.is_empty()).then(|| MoneyDto {
        amount: amount.to_owned(),
        currency: Some(form.get("currency").to_owned()).filter(|c| !c.trim().is_empty()),
    })
}

fn impact_of(form: &FormData, errors: &mut FieldErrors, with_notes: bool) -> ImpactInput {
    let tasks = form.ids("affected_task_ids", errors);
    ImpactInput {
        schedule_delta_days: form_int(form, "schedule_delta_days", errors),
        cost_delta: form_money(form, "cost_delta"),
        affected_task_ids: (!tasks.is_empty()).then_some(tasks),
        impact_notes: Some(form.get("impact_notes").to_owned()).filter(|n| with_notes && !n.trim().is_empty()),
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
    let mut errors = FieldErrors::default();
    let mut input: ChangeInput =
        form.to_input(&["title", "reason", "description", "visibility", "visible_party_id"])?;
    let impact = impact_of(&form, &mut errors, viewer.is_host());
    input.schedule_delta_days = impact.schedule_delta_days;
    input.cost_delta = impact.cost_delta;
    input.affected_task_ids = impact.affected_task_ids;
    input.impact_notes = impact.impact_notes;
    let result = match errors.into_result() {
        Ok(()) => service::create(&state, &viewer, id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => {
            web::flash(&session, "success", page.t1("flash-change-raised", "key", &c.key)).await?;
            Ok(see_other(&format!("/engagements/{id}/changes/{}", c.id)))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(
                &list_page(&state, page, &viewer, (id, &ListQuery::default()), (f, FormState::new())).await?,
            ))
        }
    }
}

pub async fn set_board(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let input = BoardInput {
        pm_max_days: form_int(&form, "pm_max_days", &mut errors).unwrap_or(-1),
        pm_max_cost: form_money(&form, "pm_max_cost").unwrap_or(MoneyDto { amount: String::new(), currency: None }),
        member_ids: form.ids("member_ids", &mut errors),
    };
    let result = match errors.into_result() {
        Ok(()) => board::set(&state, &viewer, id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            web::flash(&session, "success", page.t("flash-board-saved")).await?;
            Ok(see_other(&format!("/engagements/{id}/changes#board")))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(
                &list_page(&state, page, &viewer, (id, &ListQuery::default()), (FormState::new(), f)).await?,
            ))
        }
    }
}

pub struct ScopeRow {
    pub id: i64,
    pub action: String,
    pub requirement: String,
    pub title: String,
    pub criteria: Vec<String>,
}

pub struct DecisionRow {
    pub round: i32,
    pub who: String,
    pub party: String,
    pub decision: String,
    pub comment: String,
    pub revisit_on: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "changes/detail.html")]
struct DetailPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    c: change_request::Model,
    item: Subject,
    raised_by: String,
    party: String,
    cost: String,
    cost_known: bool,
    reason_html: String,
    description_html: String,
    impact: ImpactView,
    affected: Vec<String>,
    scope: Vec<ScopeRow>,
    decisions: Vec<DecisionRow>,
    decided_by: String,
    approvers: Vec<String>,
    can_decide: bool,
    editable: bool,
    is_host: bool,
    /// The baseline before the one this change saved: what the Gantt compares the plan with.
    prior_baseline: Option<i64>,
    tasks: Vec<(i64, String)>,
    requirements: Vec<(i64, String)>,
    form: FormState,
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
    (id, cid): (i64, i64),
    form: FormState,
) -> AppResult<DetailPage> {
    let c = service::load(state, viewer, cid).await?;
    if c.engagement_id != id {
        return Err(AppError::NotFound);
    }
    let lens = Lens::of(state, viewer, id).await?;
    let c = service::redact(&lens, c);
    let e = engagements::get(state, viewer, id).await?;
    let item = Subject::from(&c);
    let Discussion { comments, docs, activity } = discussion(state, viewer, &item).await?;
    let history = decide::history(state, &c).await?;
    let (route, members) = decide::routing(state, &c).await?;
    let people = history.iter().map(|d| d.user_id).chain(members.iter().copied()).chain([c.raised_by]);
    let users = lens.people(&state.db, people).await?;
    let parties = lens.party_names(&state.db, history.iter().map(|d| d.party_id).chain([c.raised_party_id])).await?;
    let lang = page.language;
    let tz = viewer.user.time_zone.clone();
    let tasks = visible_tasks(state, viewer, id).await?;
    let affected = affected_ids(&c)
        .into_iter()
        .filter_map(|t| tasks.iter().find(|(i, _)| *i == t).map(|(_, n)| n.clone()))
        .collect();
    let manager = manages(state, viewer, id).await?;
    let pending = c.state == ChangeState::Pending.as_str();
    let editable = manager && pending && history.iter().all(|d| d.round != c.round);
    let shared: Vec<requirement::Model> = requirement::Entity::find()
        .filter(requirement::Column::EngagementId.eq(id))
        .filter(requirement::Column::Visibility.eq("participants"))
        .filter(requirement::Column::Status.ne("obsolete"))
        .order_by_asc(requirement::Column::Seq)
        .all(&state.db)
        .await?;
    let key_of = |rid: Option<i64>| {
        rid.and_then(|r| shared.iter().find(|x| x.id == r))
            .map(|r| format!("{} {}", r.key, r.title))
            .unwrap_or_default()
    };
    let scope = service::scope_items(state, c.id)
        .await?
        .into_iter()
        .map(|s| ScopeRow {
            requirement: key_of(s.requirement_id),
            criteria: s.criteria.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect(),
            id: s.id,
            action: s.action,
            title: s.title,
        })
        .collect();
    let decisions = history
        .into_iter()
        .map(|d| DecisionRow {
            who: users.label(d.user_id, lang),
            party: parties.label(d.party_id, lang),
            revisit_on: d.revisit_on.map(|r| r.to_string()).unwrap_or_default(),
            at: local_time(d.decided_at, &tz),
            round: d.round,
            decision: d.decision,
            comment: d.comment,
        })
        .collect();
    let prior_baseline = match c.baseline_id {
        Some(b) => baseline::Entity::find()
            .filter(baseline::Column::EngagementId.eq(id))
            .filter(baseline::Column::Id.lt(b))
            .order_by_desc(baseline::Column::Id)
            .one(&state.db)
            .await?
            .map(|p| p.id),
        None => None,
    };
    let form = if form.value("schedule_delta_days").is_empty() && !form.has_errors() && editable {
        FormState::new()
            .with("schedule_delta_days", c.schedule_delta_days.to_string())
            .with("cost_delta", crate::money::format_amount(c.cost_delta_minor))
            .with("currency", c.currency.clone())
            .with("impact_notes", c.impact_notes.clone())
            .with("affected_task_ids", affected_ids(&c).iter().map(i64::to_string).collect::<Vec<_>>().join("\n"))
    } else {
        form
    };
    Ok(DetailPage {
        page,
        engagement_id: id,
        code: e.code,
        raised_by: users.label(c.raised_by, lang),
        party: parties.label(c.raised_party_id, lang),
        cost: cost_text(&lens, &c),
        cost_known: lens.client_price(()).is_some(),
        reason_html: markdown::render(&c.reason),
        description_html: markdown::render(&c.description),
        impact: impact::view(state, viewer, &c).await?,
        affected,
        scope,
        decisions,
        decided_by: route.as_str().to_owned(),
        approvers: members.iter().map(|m| users.label(*m, lang)).collect(),
        can_decide: decide::may_decide(state, viewer, &c).await?,
        editable,
        is_host: viewer.is_host(),
        prior_baseline,
        tasks: if editable { tasks } else { Vec::new() },
        requirements: shared.iter().map(|r| (r.id, format!("{} {}", r.key, r.title))).collect(),
        form,
        comments,
        docs,
        activity,
        visibility_parties: share_options(state, viewer, id).await?,
        upload_limit_mb: state.config.upload_limit / (1024 * 1024),
        item,
        c,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, cid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    render(&detail_page(&state, page, &viewer, (id, cid), FormState::new()).await?)
}

/// Finishes a form posted on a change's page (see `settle`).
async fn on_change<T>(
    (state, page, viewer, session): (AppState, PageCtx, Viewer, Session),
    (id, cid): (i64, i64),
    form: &FormData,
    result: AppResult<T>,
    success: &str,
) -> AppResult<Response> {
    let back = format!("/engagements/{id}/changes/{cid}");
    settle((page, &session), form, result, (success, back), |page, f| detail_page(&state, page, &viewer, (id, cid), f))
        .await
}

/// The change must belong to the engagement in the path; 404 otherwise.
async fn check(state: &AppState, viewer: &Viewer, id: i64, cid: i64) -> AppResult<()> {
    let c = service::load(state, viewer, cid).await?;
    if c.engagement_id == id { Ok(()) } else { Err(AppError::NotFound) }
}

pub async fn record_impact(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, cid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    check(&state, &viewer, id, cid).await?;
    // Who may not record the impact hears so before anything about the form.
    engagements::get_to_manage(&state, &viewer, id).await?;
    let mut errors = FieldErrors::default();
    let mut input = impact_of(&form, &mut errors, viewer.is_host());
    // The form always sends the whole impact: empty fields clear it.
    input.affected_task_ids.get_or_insert_with(Vec::new);
    input.schedule_delta_days.get_or_insert(0);
    input.cost_delta.get_or_insert(MoneyDto { amount: "0".into(), currency: None });
    if viewer.is_host() {
        input.impact_notes = Some(form.get("impact_notes").to_owned());
    }
    let result = match errors.into_result() {
        Ok(()) => service::record_impact(&state, &viewer, cid, input).await,
        Err(e) => Err(e),
    };
    on_change((state, page, viewer, session), (id, cid), &form, result, "flash-impact-saved").await
}

pub async fn add_scope_item(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, cid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    check(&state, &viewer, id, cid).await?;
    let mut input: ScopeItemInput = form.to_input(&["action", "requirement_id", "title", "description", "priority"])?;
    input.acceptance_criteria = form.get("acceptance_criteria").lines().map(str::to_owned).collect();
    let result = service::add_scope_item(&state, &viewer, cid, input).await;
    on_change((state, page, viewer, session), (id, cid), &form, result, "flash-scope-added").await
}

pub async fn remove_scope_item(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, cid, item)): Path<(i64, i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    check(&state, &viewer, id, cid).await?;
    let result = service::remove_scope_item(&state, &viewer, cid, item).await;
    on_change((state, page, viewer, session), (id, cid), &form, result, "flash-scope-removed").await
}

pub async fn decide(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, cid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    check(&state, &viewer, id, cid).await?;
    let input: DecisionInput = form.to_input(&["decision", "comment", "revisit_on"])?;
    let result = decide::decide(&state, &viewer, cid, input).await;
    on_change((state, page, viewer, session), (id, cid), &form, result, "flash-decision-recorded").await
}
