//! Engagement pages: the portfolio list and the 立项 / edit form. The overview has a
//! module of its own (`overview`).

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    db,
    domain::Role,
    engagements::{
        entity::engagement,
        service::{self, EngagementFilter, EngagementInput, FORM_FIELDS},
    },
    error::{AppError, AppResult},
    parties::entity::party,
    users::entity::user,
    web::{self, FormData, FormState, PageCtx, Path, render, see_other},
};

pub struct UserOption {
    pub id: i64,
    pub name: String,
}

pub struct TaskOption {
    pub id: i64,
    pub name: String,
}

/// Today in the viewer's time zone.
pub(crate) fn today(state: &AppState, viewer: &Viewer) -> NaiveDate {
    let now = state.clock.now();
    match viewer.user.time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => now.with_timezone(&tz).date_naive(),
        Err(_) => now.date_naive(),
    }
}

pub(crate) fn unprocessable(res: AppResult<Response>) -> AppResult<Response> {
    res.map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

/// The end of a form posted on a record's page: success flashes `success` and goes `back`; a
/// user-caused error shows the page `again` with the form's values and errors (422); anything
/// else (404, 403, 500) goes up as it is.
pub(crate) async fn settle<T, P, Fut>(
    (page, session): (PageCtx, &Session),
    form: &FormData,
    result: AppResult<T>,
    (success, back): (&str, String),
    again: impl FnOnce(PageCtx, FormState) -> Fut,
) -> AppResult<Response>
where
    Fut: std::future::Future<Output = AppResult<P>>,
    P: Template,
{
    match result {
        Ok(_) => {
            web::flash(session, "success", page.t(success)).await?;
            Ok(see_other(&back))
        }
        Err(err) => {
            let mut f = FormState::from_form(form);
            f.absorb(err, page.language)?;
            unprocessable(render(&again(page, f).await?))
        }
    }
}

pub struct EngagementRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub state: String,
    pub health: String,
    pub start_date: String,
    pub end_date: String,
    pub owner_name: String,
    pub progress: u8,
    pub next_milestone: Option<String>,
    pub overdue: u64,
}

#[derive(Template)]
#[template(path = "engagements/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<EngagementRow>,
    state: String,
    kind: String,
    q: String,
    health: String,
    summary: crate::engagements::dashboard::PortfolioSummary,
    next_cursor: Option<String>,
    can_create: bool,
}

/// The portfolio's filters and page, as lists of engagements take them from the query string.
#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub health: String,
    pub cursor: Option<String>,
}

impl ListQuery {
    pub fn filter(&self) -> EngagementFilter {
        EngagementFilter {
            state: Some(self.state.clone()),
            kind: Some(self.kind.clone()),
            q: Some(self.q.clone()),
            health: Some(self.health.clone()),
        }
    }

    pub fn after(&self) -> Option<i64> {
        self.cursor.as_deref().and_then(db::decode_cursor)
    }
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (filter, after) = (q.filter(), q.after());
    let summary = crate::engagements::dashboard::portfolio_summary(&state, &viewer, filter.condition()).await?;
    let (rows, next_cursor) = service::list(&state, &viewer, &filter, db::DEFAULT_LIMIT, after).await?;
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let mut figures = service::figures(&state, &viewer, &ids, today(&state, &viewer)).await?;
    // Owners are the host's PMs: every viewer may know them.
    let owners =
        Lens::outside(&state, &viewer).await?.people(&state.db, rows.iter().filter_map(|e| e.owner_id)).await?;
    let rows = rows
        .into_iter()
        .map(|e| {
            let f = figures.remove(&e.id).unwrap_or_default();
            EngagementRow {
                owner_name: e.owner_id.and_then(|o| owners.name(o)).unwrap_or_default(),
                progress: f.progress,
                next_milestone: f.next_milestone.map(|(n, d)| format!("{n} · {d}")),
                overdue: f.overdue,
                start_date: e.start_date.to_string(),
                end_date: e.end_date.to_string(),
                id: e.id,
                code: e.code,
                name: e.name,
                kind: e.kind,
                state: e.state,
                health: e.health,
            }
        })
        .collect();
    render(&ListPage {
        rows,
        state: q.state,
        kind: q.kind,
        q: q.q,
        health: q.health,
        summary,
        next_cursor,
        can_create: viewer.can_manage_engagements(),
        page,
    })
}

#[derive(Template)]
#[template(path = "engagements/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    owners: Vec<UserOption>,
    engagement_id: Option<i64>,
}

/// Host administrators and PMs, who may own an engagement.
async fn owner_options(state: &AppState) -> AppResult<Vec<UserOption>> {
    let rows = user::Entity::find()
        .find_also_related(party::Entity)
        .filter(user::Column::Active.eq(true))
        .filter(party::Column::Kind.eq("host"))
        .filter(user::Column::Role.is_in([Role::Admin.as_str(), Role::Pm.as_str()]))
        .order_by_asc(user::Column::Id)
        .all(&state.db)
        .await?;
    Ok(rows.into_iter().map(|(u, _)| UserOption { id: u.id, name: u.name }).collect())
}

pub async fn new_form(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    if !viewer.can_manage_engagements() {
        return Err(AppError::Forbidden);
    }
    let form = FormState::new()
        .with("kind", "outsourced_development")
        .with("health", "auto")
        .with("owner_id", viewer.user.id.to_string());
    render(&FormPage { page, form, owners: owner_options(&state).await?, engagement_id: None })
}

fn engagement_input(form: &FormData) -> AppResult<EngagementInput> {
    let mut fields = FORM_FIELDS.to_vec();
    fields.push("owner_id");
    form.to_input(&fields)
}

pub async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    match service::create(&state, &viewer, engagement_input(&form)?).await {
        Ok(e) => {
            web::flash(&session, "success", page.t1("flash-engagement-created", "code", &e.code)).await?;
            Ok(see_other(&format!("/engagements/{}", e.id)))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(&FormPage {
                page,
                form: f,
                owners: owner_options(&state).await?,
                engagement_id: None,
            }))
        }
    }
}

fn form_of(e: &engagement::Model) -> FormState {
    FormState::new()
        .with("code", e.code.clone())
        .with("name", e.name.clone())
        .with("kind", e.kind.clone())
        .with("start_date", e.start_date.to_string())
        .with("end_date", e.end_date.to_string())
        .with("description", e.description.clone())
        .with("health", if e.health_auto { "auto".to_owned() } else { e.health.clone() })
        .with("owner_id", e.owner_id.map(|o| o.to_string()).unwrap_or_default())
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let e = service::get_to_manage(&state, &viewer, id).await?;
    render(&FormPage { page, form: form_of(&e), owners: owner_options(&state).await?, engagement_id: Some(id) })
}

pub async fn update(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let mut input = engagement_input(&form)?;
    input.code = None;
    match service::update(&state, &viewer, id, input).await {
        Ok(e) => {
            web::flash(&session, "success", page.t1("flash-engagement-saved", "code", &e.code)).await?;
            Ok(see_other(&format!("/engagements/{id}")))
        }
        Err(err) => {
            let current = service::get(&state, &viewer, id).await?;
            let mut f = FormState::from_form(&form).with("code", current.code);
            f.absorb(err, page.language)?;
            unprocessable(render(&FormPage {
                page,
                form: f,
                owners: owner_options(&state).await?,
                engagement_id: Some(id),
            }))
        }
    }
}
