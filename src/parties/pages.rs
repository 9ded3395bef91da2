//! Party pages: list with filters, create/edit form, detail with contacts and users.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    AppState,
    auth::Viewer,
    db,
    error::{AppError, AppResult},
    parties::{
        entity::party,
        service::{self, ContactInput, FORM_FIELDS, PartyFilter, PartyInput},
    },
    users::pages::{UserRow, user_rows},
    web::{self, FormData, FormState, PageCtx, Path, local_time, render, see_other},
};

pub struct PartyRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub legal_name: String,
    pub user_count: u64,
    pub created_at: String,
}

#[derive(Template)]
#[template(path = "parties/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<PartyRow>,
    kind: String,
    q: String,
    next_cursor: Option<String>,
    can_create: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
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
    let filter = PartyFilter { kind: Some(q.kind.clone()), q: Some(q.q.clone()) };
    let after = q.cursor.as_deref().and_then(db::decode_cursor);
    let (parties, next_cursor) = service::list(&state, &viewer, &filter, db::DEFAULT_LIMIT, after).await?;
    let counts = service::user_counts(&state, &parties.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
    let rows = parties
        .into_iter()
        .map(|p| PartyRow {
            user_count: counts
                .iter()
                .find(|(id, _)| *id == p.id)
                .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
                .unwrap_or(0),
            created_at: local_time(p.created_at, &viewer.user.time_zone),
            id: p.id,
            kind: p.kind,
            name: p.name,
            legal_name: p.legal_name,
        })
        .collect();
    render(&ListPage { page, rows, kind: q.kind, q: q.q, next_cursor, can_create: viewer.is_admin() })
}

#[derive(Template)]
#[template(path = "parties/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    party_id: Option<i64>,
}

pub async fn new_form(page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden);
    }
    render(&FormPage { page, form: FormState::new().with("kind", "vendor"), party_id: None })
}

pub async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let input: PartyInput = form.to_input(FORM_FIELDS)?;
    match service::create(&state, &viewer, input).await {
        Ok(p) => {
            web::flash(&session, "success", page.t1("flash-party-created", "name", &p.name)).await?;
            Ok(see_other(&format!("/parties/{}", p.id)))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&FormPage { page, form: f, party_id: None })?).into_response())
        }
    }
}

fn form_of(p: &party::Model) -> FormState {
    FormState::new()
        .with("kind", p.kind.clone())
        .with("name", p.name.clone())
        .with("legal_name", p.legal_name.clone())
        .with("credit_code", p.credit_code.clone().unwrap_or_default())
        .with("address", p.address.clone())
        .with("website", p.website.clone())
        .with("phone", p.phone.clone())
        .with("description", p.description.clone())
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let p = service::get(&state, &viewer, id).await?;
    if !viewer.can_edit_party(id) {
        return Err(AppError::Forbidden);
    }
    render(&FormPage { page, form: form_of(&p), party_id: Some(id) })
}

pub async fn update(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    // The kind is fixed after creation; the form shows it but does not send it back.
    let fields: Vec<&str> = FORM_FIELDS.iter().copied().filter(|f| *f != "kind").collect();
    let input: PartyInput = form.to_input(&fields)?;
    match service::update(&state, &viewer, id, input).await {
        Ok(p) => {
            web::flash(&session, "success", page.t1("flash-party-saved", "name", &p.name)).await?;
            Ok(see_other(&format!("/parties/{id}")))
        }
        Err(err) => {
            let current = service::get(&state, &viewer, id).await?;
            let mut f = FormState::from_form(&form).with("kind", current.kind);
            f.absorb(err, page.language)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&FormPage { page, form: f, party_id: Some(id) })?)
                .into_response())
        }
    }
}

pub struct PartyView {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub legal_name: String,
    pub credit_code: String,
    pub address: String,
    pub website: String,
    pub phone: String,
    pub description: String,
    pub created_at: String,
}

pub struct ContactRow {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "parties/detail.html")]
struct DetailPage {
    page: PageCtx,
    party: PartyView,
    contacts: Vec<ContactRow>,
    users: Vec<UserRow>,
    can_edit: bool,
    can_manage_users: bool,
    contact_form: FormState,
}

async fn detail_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    id: i64,
    contact_form: FormState,
) -> AppResult<DetailPage> {
    let p = service::get(state, viewer, id).await?;
    let contacts = service::contacts(state, viewer, id)
        .await?
        .into_iter()
        .map(|c| ContactRow { id: c.id, name: c.name, title: c.title, email: c.email, phone: c.phone })
        .collect();
    let filter = crate::users::service::UserFilter { party: Some(id), ..Default::default() };
    let (users, _) = crate::users::service::list(state, viewer, &filter, db::MAX_LIMIT, None).await?;
    Ok(DetailPage {
        party: PartyView {
            id: p.id,
            kind: p.kind,
            name: p.name,
            legal_name: p.legal_name,
            credit_code: p.credit_code.unwrap_or_default(),
            address: p.address,
            website: p.website,
            phone: p.phone,
            description: p.description,
            created_at: local_time(p.created_at, &viewer.user.time_zone),
        },
        contacts,
        users: user_rows(users, &viewer.user.time_zone),
        can_edit: viewer.can_edit_party(id),
        can_manage_users: viewer.can_manage_users_of(id),
        contact_form,
        page,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&detail_page(&state, page, &viewer, id, FormState::new()).await?)
}

pub async fn add_contact(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input: ContactInput = form.to_input(&["name", "title", "email", "phone"])?;
    match service::add_contact(&state, &viewer, id, input).await {
        Ok(c) => {
            web::flash(&session, "success", page.t1("flash-contact-added", "name", &c.name)).await?;
            Ok(see_other(&format!("/parties/{id}")))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            let body = detail_page(&state, page, &viewer, id, f).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&body)?).into_response())
        }
    }
}

pub async fn remove_contact(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, cid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    service::remove_contact(&state, &viewer, id, cid).await?;
    web::flash(&session, "success", page.t("flash-contact-removed")).await?;
    Ok(see_other(&format!("/parties/{id}")))
}
