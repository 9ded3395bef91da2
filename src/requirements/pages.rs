//! Requirement pages: the list with its create form and versions, the edit form, a version's
//! signature page (printable) and the comparison of two versions.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use tower_sessions::Session;

use super::{
    api::{CompareQuery, comparison},
    compare::Comparison,
    entity::requirement,
    service::{self, RequirementInput, RequirementPatch, criteria_lines},
    versions::{self, FreezeInput, FrozenItem, SignInput},
};
use crate::{
    AppState,
    auth::Viewer,
    domain::{Priority, RequirementKind, RequirementStatus},
    engagements::{
        overview::tree_order,
        pages::unprocessable,
        service::{self as engagements, manages, participant_ids},
    },
    error::{AppError, AppResult},
    users::pages::PartyOption,
    web::{self, FormData, FormState, PageCtx, Path, local_time, markdown, render, see_other},
};

pub struct Row {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub kind: String,
    pub priority: String,
    pub status: String,
    pub visibility: String,
    pub depth: usize,
    pub criteria: usize,
    pub locked: bool,
}

pub struct VersionRow {
    pub id: i64,
    pub number: i32,
    pub note: String,
    pub items: i32,
    pub created_at: String,
    pub signed: bool,
    pub signatures: usize,
    pub required: usize,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "requirements/list.html")]
struct ListPage {
    page: PageCtx,
    id: i64,
    code: String,
    name: String,
    rows: Vec<Row>,
    versions: Vec<VersionRow>,
    can_manage: bool,
    form: FormState,
    parties: Vec<PartyOption>,
    kinds: &'static [RequirementKind],
    priorities: &'static [Priority],
}

async fn party_options(state: &AppState, engagement_id: i64) -> AppResult<Vec<PartyOption>> {
    use crate::parties::entity::party;
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
    let ids = participant_ids(state, engagement_id).await?;
    Ok(party::Entity::find()
        .filter(Condition::any().add(party::Column::Kind.eq("host")).add(party::Column::Id.is_in(ids)))
        .order_by_asc(party::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| PartyOption { id: p.id, name: p.name, kind: p.kind })
        .collect())
}

async fn list_page(state: &AppState, page: PageCtx, viewer: &Viewer, id: i64, form: FormState) -> AppResult<ListPage> {
    let e = engagements::get(state, viewer, id).await?;
    let locked = versions::signed_keys(state, id).await?;
    let rows = tree_order(service::list(state, viewer, id).await?, |r| r.id, |r| r.parent_id)
        .into_iter()
        .map(|(r, depth)| Row {
            criteria: criteria_lines(&r).len(),
            locked: locked.contains(&r.key),
            id: r.id,
            key: r.key,
            title: r.title,
            kind: r.kind,
            priority: r.priority,
            status: r.status,
            visibility: r.visibility,
            depth,
        })
        .collect();
    let tz = viewer.user.time_zone.clone();
    let versions = versions::list(state, viewer, id)
        .await?
        .into_iter()
        .map(|v| VersionRow {
            signed: v.signed(),
            signatures: v.signatures.len(),
            required: v.required.len(),
            id: v.version.id,
            number: v.version.number,
            note: v.version.note,
            items: v.version.item_count,
            created_at: local_time(v.version.created_at, &tz),
            hash: v.version.content_sha256.chars().take(12).collect(),
        })
        .collect();
    let can_manage = manages(state, viewer, id).await?;
    let parties = if can_manage { party_options(state, id).await? } else { Vec::new() };
    Ok(ListPage {
        page,
        id,
        code: e.code,
        name: e.name,
        rows,
        versions,
        can_manage,
        form,
        parties,
        kinds: RequirementKind::ALL,
        priorities: Priority::ALL,
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

fn input_of(form: &FormData) -> AppResult<RequirementInput> {
    let mut input: RequirementInput =
        form.to_input(&["title", "description", "kind", "priority", "source_party_id", "parent_id", "visibility"])?;
    input.acceptance_criteria = form.get("acceptance_criteria").lines().map(str::to_owned).collect();
    Ok(input)
}

pub async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    match service::create(&state, &viewer, id, input_of(&form)?).await {
        Ok(r) => {
            web::flash(&session, "success", page.t1("flash-requirement-added", "key", &r.key)).await?;
            Ok(see_other(&format!("/engagements/{id}/requirements#req-{}", r.id)))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(&list_page(&state, page, &viewer, id, f).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "requirements/edit.html")]
struct EditPage {
    page: PageCtx,
    id: i64,
    code: String,
    item: requirement::Model,
    form: FormState,
    parents: Vec<(i64, String)>,
    parties: Vec<PartyOption>,
    kinds: &'static [RequirementKind],
    priorities: &'static [Priority],
    statuses: &'static [RequirementStatus],
}

async fn edit_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    (id, rid): (i64, i64),
    form: Option<FormState>,
) -> AppResult<EditPage> {
    // A hidden item answers 404 before the role is looked at.
    let item = service::one(state, viewer, id, rid).await?;
    let e = engagements::get_to_manage(state, viewer, id).await?;
    if service::locked(state, &item).await? {
        return Err(AppError::Conflict(
            crate::error::Msg::new("error-requirement-locked").arg("key", item.key.clone()),
        ));
    }
    let form = form.unwrap_or_else(|| {
        FormState::new()
            .with("title", item.title.clone())
            .with("description", item.description.clone())
            .with("kind", item.kind.clone())
            .with("priority", item.priority.clone())
            .with("status", item.status.clone())
            .with("source_party_id", item.source_party_id.map(|p| p.to_string()).unwrap_or_default())
            .with("parent_id", item.parent_id.map(|p| p.to_string()).unwrap_or_default())
            .with("acceptance_criteria", item.criteria.clone())
    });
    let parents = service::list(state, viewer, id)
        .await?
        .into_iter()
        .filter(|r| r.id != rid)
        .map(|r| (r.id, format!("{} {}", r.key, r.title)))
        .collect();
    Ok(EditPage {
        page,
        id,
        code: e.code,
        item,
        form,
        parents,
        parties: party_options(state, id).await?,
        kinds: RequirementKind::ALL,
        priorities: Priority::ALL,
        statuses: RequirementStatus::ALL,
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    render(&edit_page(&state, page, &viewer, (id, rid), None).await?)
}

pub async fn update(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    service::one(&state, &viewer, id, rid).await?;
    let mut patch: RequirementPatch =
        form.to_input(&["title", "description", "kind", "priority", "status", "source_party_id", "parent_id"])?;
    patch.acceptance_criteria = Some(form.get("acceptance_criteria").lines().map(str::to_owned).collect());
    match service::update(&state, &viewer, id, rid, patch).await {
        Ok(r) => {
            web::flash(&session, "success", page.t1("flash-requirement-saved", "key", &r.key)).await?;
            Ok(see_other(&format!("/engagements/{id}/requirements/{rid}")))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(&edit_page(&state, page, &viewer, (id, rid), Some(f)).await?))
        }
    }
}

pub async fn freeze(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = FreezeInput { note: Some(form.get("note").to_owned()) };
    match versions::freeze(&state, &viewer, id, input).await {
        Ok(v) => {
            web::flash(&session, "success", page.t1("flash-version-frozen", "number", &v.number.to_string())).await?;
            Ok(see_other(&format!("/requirement-versions/{}", v.id)))
        }
        Err(AppError::Conflict(m) | AppError::BadRequest(m)) => {
            web::flash(&session, "error", m.render(page.language)).await?;
            Ok(see_other(&format!("/engagements/{id}/requirements#versions")))
        }
        Err(AppError::Validation(f)) => {
            for e in f.0 {
                web::flash(&session, "error", e.msg.render(page.language)).await?;
            }
            Ok(see_other(&format!("/engagements/{id}/requirements#versions")))
        }
        Err(e) => Err(e),
    }
}

pub struct ItemView {
    pub item: FrozenItem,
    pub html: String,
}

pub struct SignatureRow {
    pub signer: String,
    pub at: String,
    pub hash: String,
}

/// A party that must sign (named "another party" when the viewer may not know it) and its
/// signature once given.
pub struct RequiredRow {
    pub party: String,
    pub signature: Option<SignatureRow>,
}

#[derive(Template)]
#[template(path = "requirements/version.html")]
struct VersionPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    name: String,
    id: i64,
    number: i32,
    note: String,
    created_at: String,
    hash: String,
    signed: bool,
    items: Vec<ItemView>,
    required: Vec<RequiredRow>,
    can_sign: bool,
    form: FormState,
    others: Vec<(i64, i32)>,
}

async fn version_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    id: i64,
    form: FormState,
) -> AppResult<VersionPage> {
    let view = versions::one(state, viewer, id).await?;
    let e = engagements::get(state, viewer, view.version.engagement_id).await?;
    let tz = viewer.user.time_zone.clone();
    let signed = view.signed();
    let already = view.signed_by(viewer.party.id);
    let required_here = view.required.iter().any(|(p, _)| *p == viewer.party.id);
    let may_bind = versions::may_bind_party(state, viewer, e.id).await?;
    let all = versions::list(state, viewer, e.id).await?;
    let newest = all.first().map(|v| v.version.id) == Some(id);
    let others = all.iter().filter(|v| v.version.id != id).map(|v| (v.version.id, v.version.number)).collect();
    let items = versions::content_of(&view.version)?
        .items
        .into_iter()
        .map(|item| ItemView { html: markdown::render(&item.description), item })
        .collect();
    let lang = page.language;
    let required = view
        .required
        .iter()
        .map(|(p, name)| RequiredRow {
            party: name.clone().unwrap_or_else(|| lang.t("party-hidden")),
            signature: view.signatures.iter().find(|s| s.signature.party_id == *p).map(|s| SignatureRow {
                signer: s.signer.clone().unwrap_or_else(|| lang.t("person-hidden")),
                at: local_time(s.signature.signed_at, &tz),
                hash: s.signature.content_sha256.clone(),
            }),
        })
        .collect();
    Ok(VersionPage {
        page,
        engagement_id: e.id,
        code: e.code,
        name: e.name,
        id,
        number: view.version.number,
        note: view.version.note.clone(),
        created_at: local_time(view.version.created_at, &tz),
        hash: view.version.content_sha256.clone(),
        signed,
        items,
        required,
        can_sign: newest && required_here && may_bind && !already,
        form,
        others,
    })
}

pub async fn version(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&version_page(&state, page, &viewer, id, FormState::new()).await?)
}

pub async fn sign(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = SignInput { password: form.get("password").to_owned() };
    match versions::sign(&state, &viewer, id, input).await {
        Ok(_) => {
            web::flash(&session, "success", page.t("flash-version-signed")).await?;
            Ok(see_other(&format!("/requirement-versions/{id}#signatures")))
        }
        Err(err) => {
            let mut f = FormState::new();
            f.absorb(err, page.language)?;
            unprocessable(render(&version_page(&state, page, &viewer, id, f).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "requirements/compare.html")]
struct ComparePage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    id: i64,
    c: Comparison,
}

pub async fn compare(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    let c = comparison(&state, &viewer, q.with.0, id).await?;
    let v = versions::one(&state, &viewer, id).await?;
    let e = engagements::get(&state, &viewer, v.version.engagement_id).await?;
    render(&ComparePage { page, engagement_id: e.id, code: e.code, id, c })
}
