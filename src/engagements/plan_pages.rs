//! The plan tab: the Gantt chart (page and SVG download), a task's dates and scheduling (the
//! form beside the draggable bars), dependencies and re-planning.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::Id,
    engagements::{
        baseline,
        gantt::{self, Zoom},
        network::{self, DependencyInput},
        pages::{TaskOption, today},
        plan, service, workdays,
    },
    error::AppResult,
    web::{self, FormData, FormState, PageCtx, Path, local_time, render, see_other},
};

pub struct DependencyRow {
    pub predecessor: String,
    pub successor: String,
    pub kind: String,
    pub lag_days: i32,
}

/// A task the schedule form can change, with what the form starts from.
pub struct PlanTaskOption {
    pub id: i64,
    pub name: String,
    pub start: String,
    pub finish: String,
    pub scheduling: String,
}

pub struct BaselineOption {
    pub id: i64,
    pub name: String,
    pub created_at: String,
}

pub struct VarianceRow {
    pub kind: &'static str,
    pub name: String,
    pub baseline_finish: String,
    pub current_finish: String,
    /// Working days later (+) or earlier (−) than the baseline; None for items added since.
    pub variance: Option<i64>,
}

#[derive(Template)]
#[template(path = "engagements/gantt.html")]
struct GanttPage {
    page: PageCtx,
    id: i64,
    code: String,
    name: String,
    zoom: &'static str,
    chart: gantt::Chart,
    can_manage: bool,
    dependencies: Vec<DependencyRow>,
    tasks: Vec<TaskOption>,
    plan_tasks: Vec<PlanTaskOption>,
    form: FormState,
    plan_form: FormState,
    baselines: Vec<BaselineOption>,
    baseline: Option<i64>,
    variance: Vec<VarianceRow>,
    baseline_form: FormState,
    exceptions: Vec<CalendarRow>,
    calendar_form: FormState,
}

pub struct CalendarRow {
    pub date: String,
    pub weekday: String,
    pub working: bool,
    pub note: String,
}

impl GanttPage {
    fn selected(&self, id: &i64) -> bool {
        self.baseline == Some(*id)
    }
}

#[derive(Deserialize)]
pub struct ZoomQuery {
    zoom: Option<String>,
    baseline: Option<String>,
    /// A task to open in the schedule form (a double-click on its bar).
    edit: Option<String>,
}

impl ZoomQuery {
    fn baseline(&self) -> Option<i64> {
        self.baseline.as_deref().and_then(|b| b.parse().ok())
    }
}

/// The page's forms after an error in one of them.
struct Forms {
    dependency: FormState,
    plan: FormState,
    baseline: FormState,
    calendar: FormState,
}

impl Default for Forms {
    fn default() -> Self {
        Self {
            dependency: FormState::new().with("type", "FS").with("lag_days", "0"),
            plan: FormState::new(),
            baseline: FormState::new(),
            calendar: FormState::new().with("working", "false"),
        }
    }
}

async fn gantt_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    id: i64,
    (zoom, baseline_id, edit): (Zoom, Option<i64>, Option<i64>),
    forms: Forms,
) -> AppResult<GanttPage> {
    let e = service::get(state, viewer, id).await?;
    let chart = gantt::page(state, viewer, id, (baseline_id, zoom), today(state, viewer), page.language).await?;
    let tz = &viewer.user.time_zone;
    let baselines = baseline::list(state, viewer, id)
        .await?
        .into_iter()
        .map(|b| BaselineOption { id: b.id, name: b.name, created_at: local_time(b.created_at, tz) })
        .collect();
    let variance = match baseline_id {
        Some(b) => baseline::compare(state, viewer, id, b)
            .await?
            .items
            .into_iter()
            .map(|v| VarianceRow {
                kind: v.kind,
                name: v.name,
                baseline_finish: v.baseline_finish.map(|d| d.to_string()).unwrap_or_default(),
                current_finish: v.current_finish.to_string(),
                variance: v.finish_variance_days,
            })
            .collect(),
        None => Vec::new(),
    };
    let (tasks, _) = plan::tasks(state, viewer, id, db::MAX_LIMIT, None).await?;
    let plan_tasks = tasks
        .iter()
        .map(|t| PlanTaskOption {
            id: t.id,
            name: t.name.clone(),
            start: t.start_date.to_string(),
            finish: t.finish_date.to_string(),
            scheduling: t.scheduling.clone(),
        })
        .collect();
    // The form opens on the task asked for (or keeps what was sent).
    let mut plan_form = forms.plan;
    if plan_form.value("task_id").is_empty()
        && let Some(t) = edit.and_then(|e| tasks.iter().find(|t| t.id == e))
    {
        plan_form = FormState::new()
            .with("task_id", t.id.to_string())
            .with("start_date", t.start_date.to_string())
            .with("finish_date", t.finish_date.to_string())
            .with("scheduling", &t.scheduling);
    }
    let name_of = |tid: i64| tasks.iter().find(|t| t.id == tid).map(|t| t.name.clone()).unwrap_or_default();
    let dependencies = network::dependencies(state, viewer, id)
        .await?
        .into_iter()
        .map(|d| DependencyRow {
            predecessor: name_of(d.predecessor_id),
            successor: name_of(d.successor_id),
            kind: d.kind,
            lag_days: d.lag_days,
        })
        .collect();
    Ok(GanttPage {
        id,
        code: e.code,
        name: e.name,
        zoom: zoom.as_str(),
        chart,
        can_manage: service::manages(state, viewer, id).await?,
        dependencies,
        tasks: tasks.into_iter().map(|t| TaskOption { id: t.id, name: t.name }).collect(),
        plan_tasks,
        form: forms.dependency,
        plan_form,
        baselines,
        baseline: baseline_id,
        variance,
        baseline_form: forms.baseline,
        exceptions: workdays::exceptions(state, viewer, id)
            .await?
            .into_iter()
            .map(|d| CalendarRow {
                date: d.day.to_string(),
                weekday: page.t(&format!("weekday-{}", d.day.format("%u"))),
                working: d.working,
                note: d.note,
            })
            .collect(),
        calendar_form: forms.calendar,
        page,
    })
}

pub async fn page(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<ZoomQuery>,
) -> AppResult<Response> {
    let view =
        (Zoom::parse(q.zoom.as_deref()), q.baseline(), q.edit.as_deref().and_then(|e| crate::domain::parse_id(e).ok()));
    render(&gantt_page(&state, page, &viewer, id, view, Forms::default()).await?)
}

/// The chart alone, for reports and downloads; answers to a session or a bearer token.
pub async fn svg(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<ZoomQuery>,
) -> AppResult<Response> {
    let e = service::get(&state, &viewer, id).await?;
    let svg = gantt::render(
        &state,
        &viewer,
        id,
        q.baseline(),
        Zoom::parse(q.zoom.as_deref()),
        today(&state, &viewer),
        page.language,
    )
    .await?;
    let mut res = svg.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8"));
    let file = format!(
        "inline; filename=\"{}-gantt.svg\"",
        e.code.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
    );
    if let Ok(v) = HeaderValue::from_str(&file) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

pub async fn add_dependency(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let id_of = |f: &str| crate::domain::parse_id(form.get(f)).map(Id).unwrap_or(Id(0));
    let input = DependencyInput {
        predecessor_id: id_of("predecessor_id"),
        successor_id: id_of("successor_id"),
        kind: Some(form.get("type").to_owned()),
        lag_days: form.get("lag_days").trim().parse().unwrap_or(i32::MAX),
    };
    match network::add_dependency(&state, &viewer, id, input).await {
        Ok(_) => {
            web::flash(&session, "success", page.t("flash-dependency-added")).await?;
            Ok(see_other(&format!("/engagements/{id}/gantt")))
        }
        Err(err) => {
            let mut forms = Forms { dependency: FormState::from_form(&form), ..Forms::default() };
            forms.dependency.absorb(err, page.language)?;
            let body = gantt_page(&state, page, &viewer, id, (Zoom::default(), None, None), forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)?).into_response())
        }
    }
}

/// A task's dates and scheduling from the form beside the chart (the keyboard's way to do what
/// dragging a bar does).
pub async fn plan_task(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    // Who may plan is settled before what was sent is read.
    service::get_to_manage(&state, &viewer, id).await?;
    let task_id = crate::domain::parse_id(form.get("task_id")).ok();
    let patch = plan::TaskPatch {
        start_date: Some(form.get("start_date").to_owned()),
        finish_date: Some(form.get("finish_date").to_owned()),
        scheduling: Some(form.get("scheduling").to_owned()),
        ..Default::default()
    };
    let result = match task_id {
        Some(t) => plan::update_task(&state, &viewer, id, t, patch).await,
        None => {
            let mut errors = crate::error::FieldErrors::default();
            errors.add("task_id", crate::error::Msg::new("error-required"));
            Err(crate::AppError::Validation(errors))
        }
    };
    match result {
        Ok(t) => {
            web::flash(&session, "success", page.t1("flash-task-planned", "name", &t.name)).await?;
            Ok(see_other(&format!("/engagements/{id}/gantt")))
        }
        Err(err) => {
            let mut forms = Forms { plan: FormState::from_form(&form), ..Forms::default() };
            forms.plan.absorb(err, page.language)?;
            let body = gantt_page(&state, page, &viewer, id, (Zoom::default(), None, None), forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)?).into_response())
        }
    }
}

pub async fn reschedule(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let r = network::reschedule(&state, &viewer, id).await?;
    web::flash(&session, "success", page.t1("flash-rescheduled", "moved", &r.moved.to_string())).await?;
    // Back to the same view, so a baseline comparison shows what moved.
    let zoom = Zoom::parse(Some(form.get("zoom")));
    let baseline = crate::domain::parse_id(form.get("baseline")).map(|b| format!("&baseline={b}")).unwrap_or_default();
    Ok(see_other(&format!("/engagements/{id}/gantt?zoom={}{baseline}", zoom.as_str())))
}

pub async fn save_baseline(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = baseline::BaselineInput { name: form.get("name").to_owned() };
    match baseline::save(&state, &viewer, id, input).await {
        Ok(b) => {
            web::flash(&session, "success", page.t1("flash-baseline-saved", "name", &b.name)).await?;
            Ok(see_other(&format!("/engagements/{id}/gantt?baseline={}", b.id)))
        }
        Err(err) => {
            let mut forms = Forms { baseline: FormState::from_form(&form), ..Forms::default() };
            forms.baseline.absorb(err, page.language)?;
            let body = gantt_page(&state, page, &viewer, id, (Zoom::default(), None, None), forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)?).into_response())
        }
    }
}

pub async fn set_calendar_day(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = workdays::CalendarDayInput {
        date: form.get("date").to_owned(),
        working: form.get("working") == "true",
        note: form.get("note").to_owned(),
    };
    match workdays::set(&state, &viewer, id, input).await {
        Ok(_) => {
            web::flash(&session, "success", page.t("flash-calendar-saved")).await?;
            Ok(see_other(&format!("/engagements/{id}/gantt")))
        }
        Err(err) => {
            let mut forms = Forms { calendar: FormState::from_form(&form), ..Forms::default() };
            forms.calendar.absorb(err, page.language)?;
            let body = gantt_page(&state, page, &viewer, id, (Zoom::default(), None, None), forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)?).into_response())
        }
    }
}

pub async fn remove_calendar_day(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, date)): Path<(i64, String)>,
) -> AppResult<Response> {
    let day = crate::domain::parse_date(&date).map_err(|_| crate::AppError::NotFound)?;
    workdays::remove(&state, &viewer, id, day).await?;
    web::flash(&session, "success", page.t("flash-calendar-removed")).await?;
    Ok(see_other(&format!("/engagements/{id}/gantt")))
}
