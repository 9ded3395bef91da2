//! Acceptance pages: the engagement's Acceptance tab (deliverables and their rounds, defects,
//! quality checks, warranties), one round (checklist, result, signatures) and its printable
//! certificate; and the forms posted from them.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use tower_sessions::Session;

use super::{
    defects::{self, DefectFilter, DefectInput, DefectUpdate},
    entity::{acceptance, defect, warranty},
    quality::{self, CheckInput, CheckItem},
    service::{self, ItemResult, ResultInput, SignInput, SubmitInput, binds, may_decide, may_submit, required_of},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    contracts::detail_pages::Forms,
    domain::{DefectStatus, Id},
    engagements::{
        entity::deliverable,
        pages::settle,
        service::{get as engagement, manages},
    },
    error::{AppError, AppResult},
    web::{FormData, PageCtx, Path, local_time, render},
};

/// How far a deliverable is at one stage: the newest round's state and number.
pub struct StageCell {
    pub state: String,
    pub round: i32,
    pub acceptance_id: i64,
    pub in_force: bool,
}

pub struct DeliverableRow {
    pub id: i64,
    pub name: String,
    pub owner: String,
    pub due_date: String,
    pub status: String,
    pub initial: Option<StageCell>,
    pub final_stage: Option<StageCell>,
    pub can_submit: bool,
    /// 初验 is in force, so the next submission is 终验.
    pub initial_done: bool,
    pub open_defects: usize,
    pub warranty: Option<String>,
}

pub struct RoundRow {
    pub id: i64,
    pub deliverable: String,
    pub stage: String,
    pub round: i32,
    pub state: String,
    pub submitted_at: String,
    pub signed: usize,
    pub required: usize,
}

pub struct DefectRow {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub description: String,
    pub deliverable: String,
    pub severity: String,
    pub status: String,
    pub owner: String,
    pub can_resolve: bool,
    pub can_close: bool,
}

#[derive(Template)]
#[template(path = "acceptance/tab.html")]
struct TabPage {
    page: PageCtx,
    id: i64,
    code: String,
    name: String,
    deliverables: Vec<DeliverableRow>,
    rounds: Vec<RoundRow>,
    defects: Vec<DefectRow>,
    defect_filter: String,
    checks: Vec<(String, String, String, String, Vec<CheckItem>)>,
    tallies: Vec<(String, quality::Tally)>,
    documents: Vec<(i64, String)>,
    is_manager: bool,
    can_record_defect: bool,
    forms: Forms,
}

#[derive(Debug, Default, Deserialize)]
pub struct TabQuery {
    #[serde(default)]
    defects: String,
}

fn cell(rounds: &[acceptance::Model], deliverable_id: i64, stage: &str) -> Option<StageCell> {
    rounds.iter().filter(|a| a.deliverable_id == deliverable_id && a.stage == stage).max_by_key(|a| a.round).map(|a| {
        StageCell { state: a.state.clone(), round: a.round, acceptance_id: a.id, in_force: a.effective_at.is_some() }
    })
}

async fn tab_page(
    state: &AppState,
    viewer: &Viewer,
    page: PageCtx,
    (id, filter): (i64, &str),
    forms: Forms,
) -> AppResult<TabPage> {
    let e = engagement(state, viewer, id).await?;
    let tz = viewer.user.time_zone.clone();
    let delivs = crate::engagements::deliverables::list(state, viewer, id).await?;
    let rounds = service::list(state, viewer, id, None).await?;
    let status = DefectStatus::parse(filter).ok();
    let all_defects = defects::list(state, viewer, id, &DefectFilter::default()).await?;
    let lens = Lens::of(state, viewer, id).await?;
    let parties = lens.party_names(&state.db, delivs.iter().filter_map(|(d, _)| d.owner_party_id)).await?;
    let names: HashMap<i64, String> = delivs.iter().map(|(d, _)| (d.id, d.name.clone())).collect();
    let warranties: HashMap<i64, warranty::Model> = warranty::Entity::find()
        .filter(warranty::Column::DeliverableId.is_in(names.keys().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|w| (w.deliverable_id, w))
        .collect();
    let is_manager = manages(state, viewer, id).await?;
    let mut deliverables = Vec::new();
    for (d, _) in &delivs {
        let open = rounds.iter().any(|a| {
            a.deliverable_id == d.id && (a.state == "submitted" || (a.state != "rejected" && a.effective_at.is_none()))
        });
        let final_done =
            rounds.iter().any(|a| a.deliverable_id == d.id && a.stage == "final" && a.effective_at.is_some());
        deliverables.push(DeliverableRow {
            id: d.id,
            name: d.name.clone(),
            owner: parties.of(d.owner_party_id).unwrap_or_default(),
            due_date: d.due_date.to_string(),
            status: d.status.clone(),
            initial: cell(&rounds, d.id, "initial"),
            final_stage: cell(&rounds, d.id, "final"),
            can_submit: !open && !final_done && may_submit(state, viewer, d).await?,
            initial_done: rounds
                .iter()
                .any(|a| a.deliverable_id == d.id && a.stage == "initial" && a.effective_at.is_some()),
            open_defects: all_defects.iter().filter(|f| f.deliverable_id == d.id && f.status != "closed").count(),
            warranty: warranties.get(&d.id).map(|w| format!("{} ~ {}", w.starts_on, w.ends_on)),
        });
    }
    let mut sig_counts = HashMap::new();
    for a in &rounds {
        sig_counts.insert(a.id, service::signatures(&state.db, a.id).await?.len());
    }
    let rounds_view = rounds
        .iter()
        .map(|a| RoundRow {
            id: a.id,
            deliverable: names.get(&a.deliverable_id).cloned().unwrap_or_default(),
            stage: a.stage.clone(),
            round: a.round,
            state: a.state.clone(),
            submitted_at: local_time(a.submitted_at, &tz),
            signed: sig_counts.get(&a.id).copied().unwrap_or(0),
            required: required_of(a).len(),
        })
        .collect();
    let owner_names = lens.party_names(&state.db, all_defects.iter().filter_map(|f| f.owner_party_id)).await?;
    let defect_rows = all_defects
        .into_iter()
        .filter(|f| status.is_none_or(|s| f.status == s.as_str()))
        .map(|f| {
            let owner = !viewer.is_host() && f.owner_party_id == Some(viewer.party.id);
            DefectRow {
                id: f.id,
                deliverable: names.get(&f.deliverable_id).cloned().unwrap_or_default(),
                owner: owner_names.of(f.owner_party_id).unwrap_or_default(),
                can_resolve: (owner || is_manager) && f.status == "open",
                can_close: is_manager,
                key: f.key,
                title: f.title,
                description: f.description,
                severity: f.severity,
                status: f.status,
            }
        })
        .collect();
    let checks_raw = quality::list(state, viewer, id).await?;
    let inspectors = lens.people(&state.db, checks_raw.iter().map(|c| c.inspector_id)).await?;
    let checks = checks_raw
        .iter()
        .map(|c| {
            (
                c.checked_on.to_string(),
                names.get(&c.deliverable_id).cloned().unwrap_or_default(),
                c.result.clone(),
                inspectors.name(c.inspector_id).unwrap_or_default(),
                quality::items_of(c),
            )
        })
        .collect();
    let summary = quality::summary(state, viewer, id).await?;
    let tally_names = lens.party_names(&state.db, summary.parties.keys().filter_map(|k| k.parse().ok())).await?;
    let tallies = summary
        .parties
        .into_iter()
        .map(|(p, t)| (tally_names.of(p.parse::<i64>().ok()).unwrap_or_default(), t))
        .collect();
    let documents =
        crate::documents::service::list(state, viewer, id, None).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let can_record_defect =
        is_manager || (viewer.kind == crate::domain::PartyKind::Client && viewer.role == crate::domain::Role::Manager);
    Ok(TabPage {
        page,
        id,
        code: e.code,
        name: e.name,
        deliverables,
        rounds: rounds_view,
        defects: defect_rows,
        defect_filter: filter.to_owned(),
        checks,
        tallies,
        documents,
        is_manager,
        can_record_defect,
        forms,
    })
}

pub async fn tab(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<TabQuery>,
) -> AppResult<Response> {
    render(&tab_page(&state, &viewer, page, (id, &q.defects), Forms::none()).await?)
}

async fn finish_tab<T>(
    (state, viewer, page, session): (&AppState, &Viewer, PageCtx, &Session),
    id: i64,
    form: &FormData,
    result: AppResult<T>,
    (which, success, back): (&str, &str, String),
) -> AppResult<Response> {
    settle((page, session), form, result, (success, back), |page, f| {
        tab_page(state, viewer, page, (id, ""), Forms::posted(which, f))
    })
    .await
}

pub async fn submit(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, did)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let d = service::visible_deliverable(&state, &viewer, did).await?;
    if d.engagement_id != id {
        return Err(AppError::NotFound);
    }
    let mut errors = crate::error::FieldErrors::default();
    let document_ids = form.ids("document_ids", &mut errors);
    let input = SubmitInput {
        stage: form.get("stage").to_owned(),
        note: Some(form.get("note").to_owned()),
        document_ids,
        supervisor: Some(form.get("supervisor") == "on"),
    };
    let result = match errors.into_result() {
        Ok(()) => service::submit(&state, &viewer, did, input).await,
        Err(e) => Err(e),
    };
    let back = match &result {
        Ok(a) => format!("/engagements/{id}/acceptances/{}", a.id),
        Err(_) => format!("/engagements/{id}/acceptance"),
    };
    let which = format!("submit-{did}");
    finish_tab((&state, &viewer, page, &session), id, &form, result, (&which, "flash-acceptance-submitted", back)).await
}

pub async fn add_defect(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = DefectInput {
        deliverable_id: crate::domain::parse_id(form.get("deliverable_id")).ok().map(Id),
        title: form.get("title").to_owned(),
        description: Some(form.get("description").to_owned()),
        severity: Some(form.get("severity").to_owned()),
    };
    let result = defects::create(&state, &viewer, id, input).await;
    let back = format!("/engagements/{id}/acceptance#defects");
    finish_tab((&state, &viewer, page, &session), id, &form, result, ("defect", "flash-defect-recorded", back)).await
}

pub async fn defect_status(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, did)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let found = defect::Entity::find_by_id(did).one(&state.db).await?;
    if found.is_none_or(|d| d.engagement_id != id) {
        return Err(AppError::NotFound);
    }
    let result = defects::update(&state, &viewer, did, DefectUpdate { status: form.get("status").to_owned() }).await;
    let back = format!("/engagements/{id}/acceptance#defects");
    let which = format!("defect-{did}");
    finish_tab((&state, &viewer, page, &session), id, &form, result, (&which, "flash-defect-updated", back)).await
}

/// Lines of an inspection from the form: `item_1` … `item_8` with `pass_1` … checkboxes.
pub const CHECK_LINES: usize = 8;

pub async fn add_check(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let items = (1..=CHECK_LINES)
        .filter(|n| !form.get(&format!("item_{n}")).trim().is_empty())
        .map(|n| CheckItem {
            text: form.get(&format!("item_{n}")).to_owned(),
            passed: form.get(&format!("pass_{n}")) == "on",
            note: Some(form.get(&format!("note_{n}")).to_owned()).filter(|v| !v.trim().is_empty()),
        })
        .collect();
    let input = CheckInput {
        deliverable_id: crate::domain::parse_id(form.get("deliverable_id")).ok().map(Id),
        checked_on: Some(form.get("checked_on").to_owned()),
        items,
        findings: Some(form.get("findings").to_owned()),
    };
    let result = quality::create(&state, &viewer, id, input).await;
    let back = format!("/engagements/{id}/acceptance#quality");
    finish_tab((&state, &viewer, page, &session), id, &form, result, ("check", "flash-check-recorded", back)).await
}

pub struct ItemRow {
    pub id: i64,
    pub n: i32,
    pub text: String,
    pub source: String,
    pub passed: Option<bool>,
    pub note: String,
}

#[derive(Template)]
#[template(path = "acceptance/detail.html")]
struct DetailPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    a: acceptance::Model,
    deliverable: deliverable::Model,
    owner: String,
    submitted_by: String,
    submitted_at: String,
    effective_at: Option<String>,
    decided_by: String,
    items: Vec<ItemRow>,
    evidence: Vec<(i64, String)>,
    signatures: Vec<(String, String, String, String)>,
    waiting: Vec<String>,
    defects: Vec<(String, String, String, String)>,
    can_decide: bool,
    can_sign: bool,
    forms: Forms,
}

async fn detail_page(
    state: &AppState,
    viewer: &Viewer,
    page: PageCtx,
    (id, aid): (i64, i64),
    forms: Forms,
) -> AppResult<DetailPage> {
    let e = engagement(state, viewer, id).await?;
    let a = service::load(state, viewer, aid).await?;
    if a.engagement_id != id {
        return Err(AppError::NotFound);
    }
    let tz = viewer.user.time_zone.clone();
    let d = deliverable::Entity::find_by_id(a.deliverable_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let items = service::items(&state.db, a.id)
        .await?
        .into_iter()
        .map(|i| ItemRow { id: i.id, n: i.position, text: i.text, source: i.source, passed: i.passed, note: i.note })
        .collect();
    let evidence = service::evidence_of(&state.db, a.id)
        .await?
        .into_iter()
        .map(|(d, e)| (d.id, format!("{} · v{}", d.name, e.version)))
        .collect();
    let sigs = service::signatures(&state.db, a.id).await?;
    let required = required_of(&a);
    // A party the viewer may not know of (a client does not learn the vendor) is named as such,
    // and so are its people.
    let lens = Lens::of(state, viewer, id).await?;
    let lang = page.language;
    let users =
        lens.people(&state.db, sigs.iter().map(|s| s.user_id).chain(Some(a.submitted_by)).chain(a.decided_by)).await?;
    let parties = lens.party_names(&state.db, required.iter().copied().chain(d.owner_party_id)).await?;
    let signatures = sigs
        .iter()
        .map(|s| {
            (
                users.label(s.user_id, lang),
                parties.label(s.party_id, lang),
                local_time(s.signed_at, &tz),
                s.content_sha256.clone(),
            )
        })
        .collect();
    let waiting =
        required.iter().filter(|p| !sigs.iter().any(|s| s.party_id == **p)).map(|p| parties.label(*p, lang)).collect();
    let defects = defect::Entity::find()
        .filter(defect::Column::AcceptanceId.eq(a.id))
        .order_by_asc(defect::Column::Seq)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|f| (f.key, f.title, f.severity, f.status))
        .collect();
    let decided = a.state != "submitted";
    let can_sign = decided
        && a.state != "rejected"
        && required.contains(&viewer.party.id)
        && !sigs.iter().any(|s| s.party_id == viewer.party.id)
        && binds(state, viewer, id).await?;
    Ok(DetailPage {
        page,
        engagement_id: id,
        code: e.code,
        owner: parties.of(d.owner_party_id).unwrap_or_default(),
        submitted_by: users.label(a.submitted_by, lang),
        submitted_at: local_time(a.submitted_at, &tz),
        effective_at: a.effective_at.map(|t| local_time(t, &tz)),
        decided_by: a.decided_by.and_then(|u| users.name(u)).unwrap_or_default(),
        items,
        evidence,
        signatures,
        waiting,
        defects,
        can_decide: !decided && may_decide(state, viewer, &d).await?,
        can_sign,
        forms,
        deliverable: d,
        a,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, aid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    render(&detail_page(&state, &viewer, page, (id, aid), Forms::none()).await?)
}

async fn finish_detail<T>(
    (state, viewer, page, session): (&AppState, &Viewer, PageCtx, &Session),
    (id, aid): (i64, i64),
    form: &FormData,
    result: AppResult<T>,
    (which, success): (&str, &str),
) -> AppResult<Response> {
    let back = format!("/engagements/{id}/acceptances/{aid}");
    settle((page, session), form, result, (success, back), |page, f| {
        detail_page(state, viewer, page, (id, aid), Forms::posted(which, f))
    })
    .await
}

pub async fn results(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, aid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    // Checked within the engagement of the path first, so a foreign id answers 404.
    detail_page(&state, &viewer, page.clone(), (id, aid), Forms::none()).await?;
    let items = service::items(&state.db, aid)
        .await?
        .into_iter()
        .filter(|i| !form.get(&format!("result_{}", i.id)).is_empty())
        .map(|i| ItemResult {
            id: Id(i.id),
            passed: form.get(&format!("result_{}", i.id)) == "pass",
            note: Some(form.get(&format!("note_{}", i.id)).to_owned()),
            severity: Some(form.get(&format!("severity_{}", i.id)).to_owned()),
        })
        .collect();
    let input = ResultInput {
        items,
        outcome: form.get("outcome").to_owned(),
        conditions: Some(form.get("conditions").to_owned()),
    };
    let result = service::record_results(&state, &viewer, aid, input).await;
    finish_detail((&state, &viewer, page, &session), (id, aid), &form, result, ("results", "flash-acceptance-decided"))
        .await
}

pub async fn sign(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, aid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    detail_page(&state, &viewer, page.clone(), (id, aid), Forms::none()).await?;
    let result = service::sign(&state, &viewer, aid, SignInput { password: form.get("password").to_owned() }).await;
    finish_detail((&state, &viewer, page, &session), (id, aid), &form, result, ("sign", "flash-acceptance-signed"))
        .await
}

#[derive(Template)]
#[template(path = "acceptance/certificate.html")]
struct CertificatePage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    engagement_name: String,
    outcome: String,
    /// The certificate's number, from the engagement, the stage and round, and the record.
    number: String,
    d: DetailPage,
}

/// A certificate's number: `ENG-1-I2-00012` is engagement ENG-1's initial acceptance (`F` for
/// final), round 2, acceptance record 12. Derived from what never changes, so a printed copy
/// and the page always agree.
pub fn certificate_number(engagement_code: &str, stage: &str, round: i32, id: i64) -> String {
    let stage = if stage == "initial" { 'I' } else { 'F' };
    format!("{engagement_code}-{stage}{round}-{id:05}")
}

/// The printable acceptance certificate of a round whose result is recorded.
pub async fn certificate(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, aid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let e = engagement(&state, &viewer, id).await?;
    let d = detail_page(&state, &viewer, page.clone(), (id, aid), Forms::none()).await?;
    if d.a.state == "submitted" {
        return Err(AppError::Conflict(crate::error::Msg::new("error-acceptance-undecided")));
    }
    let outcome = page.t(&format!("acceptance-state-{}", d.a.state));
    let number = certificate_number(&e.code, &d.a.stage, d.a.round, d.a.id);
    render(&CertificatePage { page, engagement_id: id, code: e.code, engagement_name: e.name, outcome, number, d })
}
