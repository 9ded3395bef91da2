//! User pages: list with filters, invite/create form, detail with role and status changes.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{PartyKind, Role},
    error::{AppError, AppResult},
    parties::entity::party,
    users::service::{self, NewUserForm, UserFilter, UserPatch, UserSummary},
    web::{self, FormData, FormState, PageCtx, Path, local_time, render, see_other},
};

pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub party_id: i64,
    pub party_name: String,
    pub party_kind: String,
    pub role: String,
    pub active: bool,
    pub last_login: Option<String>,
}

pub fn user_row(u: UserSummary, tz: &str) -> UserRow {
    UserRow {
        id: u.id,
        name: u.name,
        email: u.email,
        party_id: u.party_id,
        party_name: u.party_name,
        party_kind: u.party_kind,
        role: u.role,
        active: u.active,
        last_login: u.last_login_at.map(|t| local_time(t, tz)),
    }
}

pub fn user_rows(rows: Vec<UserSummary>, tz: &str) -> Vec<UserRow> {
    rows.into_iter().map(|u| user_row(u, tz)).collect()
}

pub struct PartyOption {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

pub struct RoleOption {
    pub value: String,
    pub party_kind: String,
}

/// Parties the viewer may add users to (or filter by).
async fn party_options(state: &AppState, viewer: &Viewer, manageable_only: bool) -> AppResult<Vec<PartyOption>> {
    let parties =
        party::Entity::find().filter(viewer.party_scope()).order_by_asc(party::Column::Id).all(&state.db).await?;
    Ok(parties
        .into_iter()
        .filter(|p| !manageable_only || viewer.can_manage_users_of(p.id))
        .map(|p| PartyOption { id: p.id, name: p.name, kind: p.kind })
        .collect())
}

fn role_options() -> Vec<RoleOption> {
    PartyKind::ALL
        .iter()
        .flat_map(|k| {
            Role::allowed_for(*k)
                .iter()
                .map(move |r| RoleOption { value: r.as_str().to_owned(), party_kind: k.as_str().to_owned() })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<UserRow>,
    parties: Vec<PartyOption>,
    party: String,
    role: String,
    status: String,
    q: String,
    next_cursor: Option<String>,
    can_invite: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    party: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    cursor: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let filter = UserFilter {
        party: q.party.parse().ok(),
        role: Some(q.role.clone()),
        status: Some(q.status.clone()),
        q: Some(q.q.clone()),
    };
    let after = q.cursor.as_deref().and_then(db::decode_cursor);
    let (rows, next_cursor) = service::list(&state, &viewer, &filter, db::DEFAULT_LIMIT, after).await?;
    render(&ListPage {
        rows: user_rows(rows, &viewer.user.time_zone),
        parties: party_options(&state, &viewer, false).await?,
        party: q.party,
        role: q.role,
        status: q.status,
        q: q.q,
        next_cursor,
        can_invite: viewer.is_admin() || viewer.is_party_manager(),
        page,
    })
}

#[derive(Template)]
#[template(path = "users/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    parties: Vec<PartyOption>,
    roles: Vec<RoleOption>,
}

#[derive(Deserialize)]
pub struct NewQuery {
    party: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    if !(viewer.is_admin() || viewer.is_party_manager()) {
        return Err(AppError::Forbidden);
    }
    let parties = party_options(&state, &viewer, true).await?;
    let preset = q.party.unwrap_or_else(|| viewer.party.id.to_string());
    render(&FormPage { page, form: FormState::new().with("party_id", preset), parties, roles: role_options() })
}

pub async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let input: NewUserForm = form.to_input(&["email", "name", "password", "party_id", "role"])?;
    match service::create_from_form(&state, &viewer, input, page.language).await {
        Ok(created) => {
            let key = if created.invitation_token.is_some() { "flash-user-invited" } else { "flash-user-created" };
            web::flash(&session, "success", page.t1(key, "email", &created.user.email)).await?;
            Ok(see_other(&format!("/users/{}", created.user.id)))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            let parties = party_options(&state, &viewer, true).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&FormPage { page, form: f, parties, roles: role_options() })?)
                .into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "users/detail.html")]
struct DetailPage {
    page: PageCtx,
    user: UserRow,
    form: FormState,
    roles: Vec<RoleOption>,
    can_edit: bool,
    invited_pending: bool,
    /// The user's API tokens, for an administrator to see and revoke (`None` for others).
    tokens: Option<Vec<crate::account::pages::TokenRow>>,
    /// Where the token table's revoke forms post.
    revoke_base: String,
}

async fn detail_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    id: i64,
    form: Option<FormState>,
) -> AppResult<DetailPage> {
    let u = service::summary(state, viewer, id).await?;
    let kind = PartyKind::parse(&u.party_kind).unwrap_or(PartyKind::Vendor);
    let roles = Role::allowed_for(kind)
        .iter()
        .map(|r| RoleOption { value: r.as_str().to_owned(), party_kind: u.party_kind.clone() })
        .collect();
    let form = form.unwrap_or_else(|| FormState::new().with("name", u.name.clone()).with("role", u.role.clone()));
    let invited_pending =
        u.invitation_pending && crate::users::invitations::has_pending_invitation(state, u.id).await?;
    let tokens =
        if viewer.is_admin() { Some(crate::account::pages::token_rows(state, viewer, u.id).await?) } else { None };
    Ok(DetailPage {
        tokens,
        revoke_base: format!("/users/{}/tokens", u.id),
        can_edit: viewer.can_manage_users_of(u.party_id),
        user: user_row(u, &viewer.user.time_zone),
        form,
        roles,
        invited_pending,
        page,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&detail_page(&state, page, &viewer, id, None).await?)
}

pub async fn update(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let patch = UserPatch {
        name: Some(form.get("name").to_owned()),
        role: Some(form.get("role").to_owned()),
        ..Default::default()
    };
    match service::update(&state, &viewer, id, patch).await {
        Ok(u) => {
            web::flash(&session, "success", page.t1("flash-user-saved", "email", &u.email)).await?;
            Ok(see_other(&format!("/users/{id}")))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            let body = detail_page(&state, page, &viewer, id, Some(f)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)?).into_response())
        }
    }
}

async fn set_active(
    state: AppState,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    id: i64,
    active: bool,
) -> AppResult<Response> {
    let patch = UserPatch { active: Some(active), ..Default::default() };
    match service::update(&state, &viewer, id, patch).await {
        Ok(u) => {
            let key = if active { "flash-user-reactivated" } else { "flash-user-deactivated" };
            web::flash(&session, "success", page.t1(key, "email", &u.email)).await?;
        }
        Err(AppError::Validation(f)) => {
            let msg = f.0.first().map(|e| e.msg.render(page.language)).unwrap_or_default();
            web::flash(&session, "error", msg).await?;
        }
        Err(AppError::Conflict(m)) => web::flash(&session, "error", m.render(page.language)).await?,
        Err(e) => return Err(e),
    }
    Ok(see_other(&format!("/users/{id}")))
}

pub async fn deactivate(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_active(state, page, viewer, session, id, false).await
}

pub async fn reactivate(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_active(state, page, viewer, session, id, true).await
}

pub async fn resend_invite(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    crate::users::invitations::resend_invitation(&state, &viewer, id, page.language).await?;
    web::flash(&session, "success", page.t("flash-invite-resent")).await?;
    Ok(see_other(&format!("/users/{id}")))
}
