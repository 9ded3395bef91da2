//! The engagement overview: summary, participants, team, milestones, deliverables and the
//! task tree, with the forms that change them.

use std::collections::HashMap;

use askama::Template;
use axum::{extract::State, response::Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tower_sessions::Session;

use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    db,
    domain::Id,
    engagements::{
        deliverables::{self, DeliverableInput},
        entity::engagement,
        members,
        pages::{TaskOption, UserOption, today, unprocessable},
        plan::{self, MilestoneInput, TaskInput, TaskPatch},
        service::{self, EngagementInput, ParticipantInput},
    },
    error::{AppError, AppResult},
    parties::entity::party,
    users::{entity::user, pages::PartyOption},
    web::{self, FormData, FormState, PageCtx, Path, render, see_other},
};

pub struct EngagementView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub state: String,
    pub health: String,
    pub start_date: String,
    pub end_date: String,
    pub description: String,
    pub owner_name: String,
    pub progress: u8,
}

pub struct ParticipantRow {
    pub party_id: i64,
    pub party_name: String,
    pub party_kind: String,
    pub relation: String,
}

pub struct MilestoneRow {
    pub id: i64,
    pub name: String,
    pub due_date: String,
    pub status: String,
    pub visibility: String,
    pub visible_party_name: Option<String>,
    pub owner_party_name: Option<String>,
    pub overdue: bool,
}

pub struct TaskRow {
    pub id: i64,
    pub name: String,
    pub depth: usize,
    pub start_date: String,
    pub finish_date: String,
    pub assignee_name: Option<String>,
    pub party_name: Option<String>,
    pub progress: u8,
    pub status: String,
    pub visibility: String,
    pub visible_party_name: Option<String>,
    pub can_update: bool,
}

#[derive(Template)]
#[template(path = "engagements/overview.html")]
struct OverviewPage {
    page: PageCtx,
    e: EngagementView,
    participants: Vec<ParticipantRow>,
    milestones: Vec<MilestoneRow>,
    tasks: Vec<TaskRow>,
    transitions: Vec<String>,
    can_manage: bool,
    parties: Vec<PartyOption>,
    members: Vec<UserOption>,
    visibility_parties: Vec<PartyOption>,
    participant_form: FormState,
    milestone_form: FormState,
    task_form: FormState,
    transition_form: FormState,
    task_parents: Vec<TaskOption>,
    deliverables: Vec<DeliverableRow>,
    deliverable_form: FormState,
    engagement_members: Vec<MemberRow>,
    member_form: FormState,
    dash: crate::engagements::dashboard::Dashboard,
    /// Open changes and what approved ones added since baseline 1.
    changes: crate::changes::stats::ChangeStats,
    recent: Vec<crate::collab::pages::ActivityRow>,
}

pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub party_name: String,
    pub role: String,
}

pub struct DeliverableRow {
    pub id: i64,
    pub name: String,
    pub due_date: String,
    pub owner_party_name: Option<String>,
    pub milestone_name: Option<String>,
    pub criteria: Vec<String>,
    pub visibility: String,
    pub visible_party_name: Option<String>,
}

/// The forms of the overview, with whatever one of them brings back after an error.
#[derive(Default)]
struct Forms {
    participant: FormState,
    milestone: FormState,
    task: FormState,
    transition: FormState,
    deliverable: FormState,
    member: FormState,
}

/// Items in tree order (a parent before its children), with their depth; an item whose parent
/// the viewer can't see is shown at the top level. Used for WBS tasks and requirements.
pub(crate) fn tree_order<T>(
    items: Vec<T>,
    id: impl Fn(&T) -> i64,
    parent_of: impl Fn(&T) -> Option<i64>,
) -> Vec<(T, usize)> {
    let ids: std::collections::HashSet<i64> = items.iter().map(&id).collect();
    let mut children: HashMap<Option<i64>, Vec<T>> = HashMap::new();
    for t in items {
        let parent = parent_of(&t).filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(t);
    }
    let mut out = Vec::new();
    let mut stack: Vec<(T, usize)> =
        children.remove(&None).unwrap_or_default().into_iter().rev().map(|t| (t, 0)).collect();
    while let Some((t, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(id(&t))) {
            stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
        }
        out.push((t, depth));
    }
    out
}

async fn overview_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    id: i64,
    forms: Forms,
) -> AppResult<OverviewPage> {
    let e = service::get(state, viewer, id).await?;
    let today = today(state, viewer);
    let dash = crate::engagements::dashboard::engagement_dashboard(state, viewer, id, today).await?;
    let progress = dash.progress;
    let recent = crate::collab::pages::activity_rows(
        viewer,
        crate::collab::activity::feed(state, viewer, id, None, 8, None).await?,
    );
    let participants = service::participants(state, viewer, id).await?;
    let milestones = plan::milestones(state, viewer, id).await?;
    let (tasks, _) = plan::tasks(state, viewer, id, db::MAX_LIMIT, None).await?;
    let deliverables = deliverables::list(state, viewer, id).await?;
    let engagement_members = members::members(state, viewer, id).await?;
    let party_ids: Vec<i64> = milestones
        .iter()
        .flat_map(|m| [m.owner_party_id, m.visible_party_id])
        .chain(tasks.iter().flat_map(|t| [t.party_id, t.visible_party_id]))
        .chain(deliverables.iter().flat_map(|(d, _)| [d.owner_party_id, d.visible_party_id]))
        .flatten()
        .chain(engagement_members.iter().map(|(_, u)| u.party_id))
        .collect();
    let lens = Lens::of(state, viewer, id).await?;
    let party_names = lens.party_names(&state.db, party_ids).await?;
    let user_names = lens.people(&state.db, tasks.iter().filter_map(|t| t.assignee_id).chain(e.owner_id)).await?;
    let can_manage = service::manages(state, viewer, id).await?;
    let taken: Vec<i64> = participants.iter().map(|(pt, _)| pt.party_id).collect();
    let (parties, members) = if can_manage {
        let all = party::Entity::find()
            .filter(party::Column::Kind.ne("host"))
            .order_by_asc(party::Column::Name)
            .all(&state.db)
            .await?;
        let parties = all
            .into_iter()
            .filter(|p| !taken.contains(&p.id))
            .map(|p| PartyOption { id: p.id, name: p.name, kind: p.kind })
            .collect();
        let mut member_parties = taken.clone();
        member_parties.extend(
            party::Entity::find().filter(party::Column::Kind.eq("host")).all(&state.db).await?.iter().map(|p| p.id),
        );
        let members = user::Entity::find()
            .filter(user::Column::PartyId.is_in(member_parties))
            .filter(user::Column::Active.eq(true))
            .order_by_asc(user::Column::Name)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| UserOption { id: u.id, name: format!("{} <{}>", u.name, u.email) })
            .collect();
        (parties, members)
    } else {
        (Vec::new(), Vec::new())
    };
    let visibility_parties = participants
        .iter()
        .map(|(_, p)| PartyOption { id: p.id, name: p.name.clone(), kind: p.kind.clone() })
        .collect();
    let task_parents = tasks.iter().map(|t| TaskOption { id: t.id, name: t.name.clone() }).collect();
    let name_of = |p: Option<i64>| party_names.of(p);
    let milestone_names: HashMap<i64, String> = milestones.iter().map(|m| (m.id, m.name.clone())).collect();
    let deliverables = deliverables
        .into_iter()
        .map(|(d, cs)| DeliverableRow {
            owner_party_name: name_of(d.owner_party_id),
            milestone_name: d.milestone_id.and_then(|m| milestone_names.get(&m).cloned()),
            visible_party_name: name_of(d.visible_party_id),
            criteria: cs.into_iter().map(|c| c.text).collect(),
            id: d.id,
            name: d.name,
            due_date: d.due_date.to_string(),
            visibility: d.visibility,
        })
        .collect();
    Ok(OverviewPage {
        dash,
        changes: crate::changes::stats::stats(state, viewer, id).await?,
        recent,
        transitions: service::allowed_transitions(can_manage, &e).iter().map(|s| s.as_str().to_owned()).collect(),
        e: EngagementView {
            id: e.id,
            code: e.code,
            name: e.name,
            kind: e.kind,
            state: e.state,
            health: e.health,
            start_date: e.start_date.to_string(),
            end_date: e.end_date.to_string(),
            description: e.description,
            owner_name: e.owner_id.and_then(|o| user_names.name(o)).unwrap_or_default(),
            progress,
        },
        participants: participants
            .into_iter()
            .map(|(pt, p)| ParticipantRow {
                party_id: p.id,
                party_name: p.name,
                party_kind: p.kind,
                relation: pt.relation,
            })
            .collect(),
        milestones: milestones
            .into_iter()
            .map(|m| MilestoneRow {
                overdue: m.status == "planned" && m.due_date < today,
                visible_party_name: name_of(m.visible_party_id),
                owner_party_name: name_of(m.owner_party_id),
                id: m.id,
                name: m.name,
                due_date: m.due_date.to_string(),
                status: m.status,
                visibility: m.visibility,
            })
            .collect(),
        tasks: tree_order(tasks, |t| t.id, |t| t.parent_id)
            .into_iter()
            .map(|(t, depth)| TaskRow {
                can_update: plan::can_update_progress(viewer, can_manage, &t),
                depth: depth.min(4),
                assignee_name: t.assignee_id.and_then(|a| user_names.name(a)),
                party_name: name_of(t.party_id),
                visible_party_name: name_of(t.visible_party_id),
                progress: u8::try_from(t.progress.clamp(0, 100)).unwrap_or(0),
                id: t.id,
                name: t.name,
                start_date: t.start_date.to_string(),
                finish_date: t.finish_date.to_string(),
                status: t.status,
                visibility: t.visibility,
            })
            .collect(),
        can_manage,
        parties,
        members,
        visibility_parties,
        participant_form: forms.participant,
        milestone_form: if forms.milestone.has_errors() {
            forms.milestone
        } else {
            FormState::new().with("visibility", "participants")
        },
        task_form: forms.task,
        transition_form: forms.transition,
        task_parents,
        deliverables,
        deliverable_form: forms.deliverable,
        engagement_members: engagement_members
            .into_iter()
            .map(|(m, u)| MemberRow {
                user_id: u.id,
                party_name: party_names.get(u.party_id).unwrap_or_default().to_owned(),
                name: u.name,
                email: u.email,
                role: m.role,
            })
            .collect(),
        member_form: forms.member,
        page,
    })
}

pub async fn overview(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&overview_page(&state, page, &viewer, id, Forms::default()).await?)
}

/// A form posted on the overview, with what answering it needs.
struct Posted<'a> {
    state: &'a AppState,
    page: PageCtx,
    viewer: &'a Viewer,
    session: &'a Session,
    id: i64,
    form: &'a FormData,
}

impl Posted<'_> {
    /// On success a flash and back to the overview's `section`; on a user error the overview
    /// again with the form's messages and input; other errors are handed back.
    async fn answer<T>(
        self,
        result: AppResult<T>,
        flash: impl FnOnce(&PageCtx, &T) -> String,
        section: &str,
        which: fn(&mut Forms) -> &mut FormState,
    ) -> AppResult<Response> {
        match result {
            Ok(v) => {
                web::flash(self.session, "success", flash(&self.page, &v)).await?;
                Ok(see_other(&format!("/engagements/{}{section}", self.id)))
            }
            Err(err) => {
                let mut forms = Forms::default();
                let f = which(&mut forms);
                *f = FormState::from_form(self.form);
                f.absorb(err, self.page.language)?;
                unprocessable(render(&overview_page(self.state, self.page, self.viewer, self.id, forms).await?))
            }
        }
    }
}

pub async fn transition(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = EngagementInput {
        state: Some(form.get("to").to_owned()),
        state_reason: Some(form.get("reason").to_owned()),
        ..Default::default()
    };
    let result = service::update(&state, &viewer, id, input).await;
    let moved = |p: &PageCtx, e: &engagement::Model| {
        p.t1("flash-engagement-moved", "state", &p.t(&format!("engagement-state-{}", e.state)))
    };
    Posted { state: &state, page, viewer: &viewer, session: &session, id, form: &form }
        .answer(result, moved, "", |f| &mut f.transition)
        .await
}

pub async fn add_participant(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = ParticipantInput {
        party_id: Id(crate::domain::parse_id(form.get("party_id")).unwrap_or(0)),
        relation: form.get("relation").to_owned(),
    };
    let result = service::add_participant(&state, &viewer, id, input).await;
    Posted { state: &state, page, viewer: &viewer, session: &session, id, form: &form }
        .answer(result, |p, _| p.t("flash-participant-added"), "", |f| &mut f.participant)
        .await
}

pub async fn remove_participant(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, party_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    match service::remove_participant(&state, &viewer, id, party_id).await {
        Ok(()) => web::flash(&session, "success", page.t("flash-participant-removed")).await?,
        Err(AppError::Conflict(m)) => web::flash(&session, "error", m.render(page.language)).await?,
        Err(e) => return Err(e),
    }
    Ok(see_other(&format!("/engagements/{id}")))
}

pub async fn create_milestone(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input: MilestoneInput =
        form.to_input(&["name", "due_date", "visibility", "visible_party_id", "owner_party_id"])?;
    let result = plan::create_milestone(&state, &viewer, id, input).await;
    Posted { state: &state, page, viewer: &viewer, session: &session, id, form: &form }
        .answer(result, |p, m| p.t1("flash-milestone-added", "name", &m.name), "", |f| &mut f.milestone)
        .await
}

pub async fn create_task(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let fields =
        ["name", "start_date", "finish_date", "visibility", "visible_party_id", "party_id", "parent_id", "assignee_id"];
    let input: TaskInput = form.to_input(&fields)?;
    let result = plan::create_task(&state, &viewer, id, input).await;
    Posted { state: &state, page, viewer: &viewer, session: &session, id, form: &form }
        .answer(result, |p, t| p.t1("flash-task-added", "name", &t.name), "", |f| &mut f.task)
        .await
}

pub async fn task_progress(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, task_id)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let progress = form.get("progress").trim().parse::<i64>().unwrap_or(-1);
    let patch =
        TaskPatch { progress: Some(progress), status: Some(form.get("status").to_owned()), ..Default::default() };
    let saved = plan::update_task(&state, &viewer, id, task_id, patch)
        .await
        .map(|t| page.t1("flash-task-saved", "name", &t.name));
    flash_outcome(&session, &page, saved).await?;
    Ok(see_other(&format!("/engagements/{id}")))
}

/// Marks a milestone achieved, missed or planned again, from its page.
pub async fn milestone_status(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, milestone_id)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let patch = plan::MilestonePatch { status: Some(form.get("status").to_owned()), ..Default::default() };
    let saved = plan::update_milestone(&state, &viewer, id, milestone_id, patch)
        .await
        .map(|m| page.t1("flash-milestone-saved", "name", &m.name));
    flash_outcome(&session, &page, saved).await?;
    Ok(see_other(&format!("/engagements/{id}/milestones/{milestone_id}")))
}

/// A one-line change from a table row or a button: its success message, or its validation
/// errors in one line, as a flash for the page the browser goes back to.
async fn flash_outcome(session: &Session, page: &PageCtx, saved: AppResult<String>) -> AppResult<()> {
    match saved {
        Ok(message) => web::flash(session, "success", message).await,
        Err(AppError::Validation(f)) => {
            let msg = f.0.iter().map(|e| e.msg.render(page.language)).collect::<Vec<_>>().join(" ");
            web::flash(session, "error", msg).await
        }
        Err(e) => Err(e),
    }
}

pub async fn create_deliverable(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let mut input: DeliverableInput = form.to_input(&["name", "due_date", "owner_party_id", "milestone_id"])?;
    input.criteria = form.get("criteria").lines().map(str::to_owned).collect();
    // Not a number is out of range, so the field shows its error.
    let months = form.get("warranty_months").trim();
    input.warranty_months = (!months.is_empty()).then(|| months.parse().unwrap_or(-1));
    let result = deliverables::create(&state, &viewer, id, input).await;
    let added = |p: &PageCtx, d: &crate::engagements::entity::deliverable::Model| {
        p.t1("flash-deliverable-added", "name", &d.name)
    };
    Posted { state: &state, page, viewer: &viewer, session: &session, id, form: &form }
        .answer(result, added, "#deliverables", |f| &mut f.deliverable)
        .await
}

pub async fn add_member(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = members::MemberInput {
        user_id: Id(crate::domain::parse_id(form.get("user_id")).unwrap_or(0)),
        role: form.get("role").to_owned(),
    };
    let result = members::add_member(&state, &viewer, id, input).await;
    Posted { state: &state, page, viewer: &viewer, session: &session, id, form: &form }
        .answer(result, |p, _| p.t("flash-member-added"), "#members", |f| &mut f.member)
        .await
}

pub async fn remove_member(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, user_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    members::remove_member(&state, &viewer, id, user_id).await?;
    web::flash(&session, "success", page.t("flash-member-removed")).await?;
    Ok(see_other(&format!("/engagements/{id}#members")))
}
