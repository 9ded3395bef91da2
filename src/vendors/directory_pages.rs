//! Directory pages: the vendor list with filters, registering a vendor, and one vendor's page
//! (profile, bank details for finance, status with its history, certificates, and its history
//! of engagements, contracts, selections and evaluations).

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tower_sessions::Session;

use super::{
    directory::{
        self, CATEGORIES, REGIONS, SIZES, STATUSES, VendorFilter, VendorInput, VendorUpdate, bank_for, list_of,
        next_statuses, runs_directory,
    },
    entity::{invitation, publication, selection},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    contracts::entity::contract,
    db,
    documents::read_form,
    engagements::{
        entity::{engagement, participant},
        pages::settle,
    },
    error::AppResult,
    parties::service::ContactInput,
    web::{FormData, FormState, Multipart, PageCtx, Path, render},
};

pub struct Row {
    pub id: i64,
    pub name: String,
    pub legal_name: String,
    pub credit_code: String,
    pub status: String,
    pub categories: Vec<String>,
    pub expiring: usize,
}

#[derive(Template)]
#[template(path = "vendors/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<Row>,
    q: HashMap<String, String>,
    statuses: &'static [&'static str],
    categories: &'static [&'static str],
    next: Option<String>,
    query_string: String,
    can_create: bool,
    is_host: bool,
    filtered: bool,
}

impl ListPage {
    fn q(&self, key: &str) -> &str {
        self.q.get(key).map(String::as_str).unwrap_or("")
    }
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let f =
        VendorFilter { status: q.get("status").cloned(), category: q.get("category").cloned(), q: q.get("q").cloned() };
    let after = q.get("cursor").and_then(|c| c.parse().ok());
    let (found, next) = directory::list(&state, &viewer, &f, db::DEFAULT_LIMIT, after).await?;
    let filtered = ["q", "status", "category"].iter().any(|k| q.get(*k).is_some_and(|v| !v.is_empty()));
    let query_string = serde_urlencoded::to_string(
        q.iter().filter(|(k, v)| k.as_str() != "cursor" && !v.is_empty()).collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let rows = found
        .into_iter()
        .map(|r| Row {
            id: r.party.id,
            name: r.party.name,
            legal_name: r.party.legal_name,
            credit_code: r.party.credit_code.unwrap_or_default(),
            status: r.profile.status.clone(),
            categories: list_of(&r.profile.categories),
            expiring: r.expiring,
        })
        .collect();
    render(&ListPage {
        page,
        rows,
        q,
        statuses: STATUSES,
        categories: CATEGORIES,
        next,
        query_string,
        can_create: runs_directory(&viewer),
        is_host: viewer.is_host(),
        filtered,
    })
}

#[derive(Template)]
#[template(path = "vendors/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    categories: &'static [&'static str],
    regions: &'static [&'static str],
    sizes: &'static [&'static str],
}

fn form_page(page: PageCtx, form: FormState) -> FormPage {
    FormPage { page, form, categories: CATEGORIES, regions: REGIONS, sizes: SIZES }
}

pub async fn new_form(page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    if !runs_directory(&viewer) {
        return Err(crate::error::AppError::Forbidden);
    }
    render(&form_page(page, FormState::new()))
}

fn all(form: &FormData, field: &str) -> Vec<String> {
    form.all(field).into_iter().map(str::to_owned).collect()
}

pub async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let contact = form.opt("contact_name").map(|name| ContactInput {
        name,
        title: form.get("contact_title").trim().to_owned(),
        email: form.get("contact_email").trim().to_owned(),
        phone: form.get("contact_phone").trim().to_owned(),
    });
    let input = VendorInput {
        name: form.get("name").to_owned(),
        legal_name: form.opt("legal_name"),
        credit_code: form.opt("credit_code"),
        address: form.opt("address"),
        website: form.opt("website"),
        phone: form.opt("phone"),
        description: form.opt("description"),
        categories: all(&form, "categories"),
        regions: all(&form, "regions"),
        size: form.opt("size"),
        contacts: contact.into_iter().collect(),
    };
    let result = directory::create(&state, &viewer, input).await;
    let back = result.as_ref().map(|p| format!("/vendors/{}", p.id)).unwrap_or_default();
    settle((page, &session), &form, result, ("flash-vendor-created", back), |page, mut f| async move {
        // The contact's fields come back under their form names.
        for k in ["name", "title", "email", "phone"] {
            if let Some(e) = f.error(&format!("contacts[0].{k}")).map(str::to_owned) {
                f.set_error(&format!("contact_{k}"), e);
            }
        }
        Ok(form_page(page, f))
    })
    .await
}

pub struct CertRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    pub expires_on: String,
    pub state: &'static str,
    pub files: Vec<(i64, String)>,
}

pub struct HistoryRow {
    pub when: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "vendors/detail.html")]
pub struct DetailPage {
    page: PageCtx,
    forms: crate::contracts::detail_pages::Forms,
    id: i64,
    name: String,
    legal_name: String,
    credit_code: String,
    address: String,
    website: String,
    phone: String,
    status: String,
    categories: Vec<String>,
    regions: Vec<String>,
    size: String,
    bank: Option<(String, String, String)>,
    next_statuses: &'static [&'static str],
    all_categories: &'static [&'static str],
    all_regions: &'static [&'static str],
    sizes: &'static [&'static str],
    certificates: Vec<CertRow>,
    history: Vec<HistoryRow>,
    engagements: Vec<(i64, String, String)>,
    contracts: Vec<(i64, String, String, String)>,
    selections: Vec<(i64, String, String, bool)>,
    published: Vec<String>,
    is_host: bool,
    runs: bool,
    edit_profile: bool,
    add_certificate: bool,
}

impl DetailPage {
    fn has_category(&self, c: &str) -> bool {
        let posted = self.forms.get("profile");
        if posted.has_errors() { posted.has("categories", c) } else { self.categories.iter().any(|x| x == c) }
    }

    fn has_region(&self, r: &str) -> bool {
        let posted = self.forms.get("profile");
        if posted.has_errors() { posted.has("regions", r) } else { self.regions.iter().any(|x| x == r) }
    }
}

pub async fn detail_page(
    state: &AppState,
    viewer: &Viewer,
    page: PageCtx,
    id: i64,
    forms: crate::contracts::detail_pages::Forms,
) -> AppResult<DetailPage> {
    let (p, prof) = directory::get(state, viewer, id).await?;
    let today = state.today();
    let certs = directory::certificates(&state.db, id).await?;
    let files = super::files::of(&state.db, "certificate", &certs.iter().map(|c| c.id).collect::<Vec<_>>()).await?;
    let certificates = certs
        .into_iter()
        .map(|c| CertRow {
            state: directory::certificate_state(&c, today),
            files: files.iter().filter(|f| f.owner_id == c.id).map(|f| (f.id, f.file_name.clone())).collect(),
            id: c.id,
            kind: c.kind,
            name: c.name,
            number: c.number,
            issuer: c.issuer,
            issued_on: c.issued_on.map(|d| d.to_string()).unwrap_or_default(),
            expires_on: c.expires_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    let (history, engagements, contracts, selections) = if viewer.is_host() {
        let changes = directory::status_history(&state.db, id).await?;
        let names =
            Lens::outside(state, viewer).await?.people(&state.db, changes.iter().filter_map(|c| c.changed_by)).await?;
        let history = changes
            .into_iter()
            .map(|c| HistoryRow {
                when: crate::web::local_time(c.created_at, &viewer.user.time_zone),
                by: c.changed_by.and_then(|u| names.name(u)).unwrap_or_default(),
                from: c.from_status,
                to: c.to_status,
                reason: c.reason,
            })
            .collect();
        let eng_ids: Vec<i64> = participant::Entity::find()
            .filter(participant::Column::PartyId.eq(id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|x| x.engagement_id)
            .collect();
        let engagements = engagement::Entity::find()
            .filter(engagement::Column::Id.is_in(eng_ids))
            .order_by_asc(engagement::Column::Code)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|e| (e.id, format!("{} {}", e.code, e.name), e.state))
            .collect();
        let contracts = contract::Entity::find()
            .filter(contract::Column::CounterpartyId.eq(id))
            .order_by_desc(contract::Column::Id)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.number.clone(), c.title.clone(), c.state))
            .collect();
        let invited: Vec<i64> = invitation::Entity::find()
            .filter(invitation::Column::PartyId.eq(id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|i| i.selection_id)
            .collect();
        let selections = selection::Entity::find()
            .filter(selection::Column::Id.is_in(invited))
            .order_by_desc(selection::Column::Id)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.title.clone(), s.state.clone(), s.awarded_party_id == Some(id)))
            .collect();
        (history, engagements, contracts, selections)
    } else {
        (Vec::new(), Vec::new(), Vec::new(), Vec::new())
    };
    let published = publication::Entity::find()
        .filter(publication::Column::PartyId.eq(id))
        .order_by_desc(publication::Column::Period)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|x| x.period)
        .collect();
    let own_manager = viewer.is_party_manager() && viewer.party.id == id;
    Ok(DetailPage {
        page,
        forms,
        id,
        bank: bank_for(viewer, &prof),
        next_statuses: next_statuses(&prof.status),
        categories: list_of(&prof.categories),
        regions: list_of(&prof.regions),
        status: prof.status,
        size: prof.size,
        name: p.name,
        legal_name: p.legal_name,
        credit_code: p.credit_code.unwrap_or_default(),
        address: p.address,
        website: p.website,
        phone: p.phone,
        all_categories: CATEGORIES,
        all_regions: REGIONS,
        sizes: SIZES,
        certificates,
        history,
        engagements,
        contracts,
        selections,
        published,
        is_host: viewer.is_host(),
        runs: runs_directory(viewer),
        edit_profile: runs_directory(viewer) || own_manager,
        add_certificate: runs_directory(viewer) || own_manager,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&detail_page(&state, &viewer, page, id, crate::contracts::detail_pages::Forms::none()).await?)
}

async fn finish<T>(
    (state, viewer, page, session): (&AppState, &Viewer, PageCtx, &Session),
    id: i64,
    form: &FormData,
    result: AppResult<T>,
    (which, success, anchor): (&str, &str, &str),
) -> AppResult<Response> {
    settle((page, session), form, result, (success, format!("/vendors/{id}#{anchor}")), |page, f| {
        detail_page(state, viewer, page, id, crate::contracts::detail_pages::Forms::posted(which, f))
    })
    .await
}

/// The profile form (categories, regions, size) or the bank form, told apart by `_form`.
pub async fn update(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let bank = form.get("_form") == "bank";
    let input = if bank {
        VendorUpdate {
            bank_name: Some(form.get("bank_name").to_owned()),
            bank_account: Some(form.get("bank_account").to_owned()),
            bank_account_name: Some(form.get("bank_account_name").to_owned()),
            ..VendorUpdate::default()
        }
    } else {
        VendorUpdate {
            categories: Some(all(&form, "categories")),
            regions: Some(all(&form, "regions")),
            size: Some(form.get("size").to_owned()),
            ..VendorUpdate::default()
        }
    };
    let result = directory::update(&state, &viewer, id, input).await;
    let which = if bank { ("bank", "flash-bank-saved", "bank") } else { ("profile", "flash-profile-saved", "profile") };
    finish((&state, &viewer, page, &session), id, &form, result, which).await
}

pub async fn change_status(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = VendorUpdate {
        status: Some(form.get("status").to_owned()),
        status_reason: Some(form.get("status_reason").to_owned()),
        ..VendorUpdate::default()
    };
    let result = directory::update(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("status", "flash-status-changed", "status")).await
}

pub async fn add_certificate(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<Response> {
    directory::get(&state, &viewer, id).await?;
    let (fields, file) = read_form(form, state.config.upload_limit).await?;
    let input = super::api::certificate_input(&fields);
    let result = directory::add_certificate(&state, &viewer, id, input, file).await;
    let form = FormData(fields);
    finish(
        (&state, &viewer, page, &session),
        id,
        &form,
        result,
        ("certificate", "flash-certificate-added", "certificates"),
    )
    .await
}

pub async fn certificate_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, cert_id, file_id)): Path<(i64, i64, i64)>,
) -> AppResult<Response> {
    let c = directory::certificate(&state, &viewer, id, cert_id).await?;
    super::files::download(&state, "certificate", c.id, file_id).await
}
