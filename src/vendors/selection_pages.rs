//! Selection pages: the list, the form that opens one, and one selection's page, which shows
//! each side its own part — the host's managers invitations, sealed bids and the award; an
//! evaluator the score sheets (and the ranking once every sheet is in); an invited vendor its
//! invitation and its own bid.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tower_sessions::Session;

use super::{
    award::{self, AwardInput, CancelInput},
    bidding::{self, BidInput},
    directory::{self, CATEGORIES, invitable, runs_directory},
    entity::selection as sel,
    ranking::{self, Ranking, progress},
    scoring::{self, CriterionScore, ScoreInput},
    selection::{self, CriterionInput, EvaluatorInput, InvitationInput, SelectionInput, phase},
    templates,
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    contracts::detail_pages::Forms,
    db,
    documents::read_form,
    domain::Id,
    engagements::{entity::engagement, pages::settle, service::manages},
    error::{AppError, AppResult},
    parties::entity::party,
    users::entity::user,
    web::{FormData, FormState, Multipart, PageCtx, Path, local_time, render},
};

pub struct ListRow {
    pub id: i64,
    pub title: String,
    pub phase: &'static str,
    pub deadline: String,
    pub category: String,
    pub invited: usize,
    pub bids: usize,
}

#[derive(Template)]
#[template(path = "vendors/selections.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<ListRow>,
    next: Option<String>,
    can_create: bool,
    is_host: bool,
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let after = q.get("cursor").and_then(|c| c.parse().ok());
    let (found, next) = selection::list(&state, &viewer, db::DEFAULT_LIMIT, after).await?;
    let now = state.clock.now();
    let mut rows = Vec::with_capacity(found.len());
    for s in found {
        let invited = if viewer.is_host() { selection::invitations(&state.db, s.id).await?.len() } else { 1 };
        let bids = if viewer.is_host() { selection::bidders(&state.db, s.id).await?.len() } else { 0 };
        rows.push(ListRow {
            id: s.id,
            phase: phase(&s, now),
            deadline: local_time(s.deadline, &viewer.user.time_zone),
            category: s.category,
            title: s.title,
            invited,
            bids,
        });
    }
    render(&ListPage { page, rows, next, can_create: runs_directory(&viewer), is_host: viewer.is_host() })
}

#[derive(Template)]
#[template(path = "vendors/selection_form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    engagements: Vec<(i64, String)>,
    /// (key, name, summary, the criteria as lines of `name weight` to fill the box with)
    templates: Vec<(String, String, String, String)>,
    host_users: Vec<(i64, String)>,
    categories: &'static [&'static str],
}

async fn form_page(state: &AppState, viewer: &Viewer, page: PageCtx, form: FormState) -> AppResult<FormPage> {
    let mut engagements = Vec::new();
    for e in engagement::Entity::find()
        .filter(engagement::Column::State.is_not_in(["closed", "archived"]))
        .order_by_asc(engagement::Column::Code)
        .all(&state.db)
        .await?
    {
        if manages(state, viewer, e.id).await? {
            engagements.push((e.id, format!("{} {}", e.code, e.name)));
        }
    }
    let templates = templates::all(state, "selection", page.language)
        .await?
        .into_iter()
        .map(|t| {
            let summary = t.criteria.iter().map(|(n, w)| format!("{n} {w}%")).collect::<Vec<_>>().join(" · ");
            let lines = t.criteria.iter().map(|(n, w)| format!("{n} {w}")).collect::<Vec<_>>().join("\n");
            (t.key, t.name, summary, lines)
        })
        .collect();
    let host_users = user::Entity::find()
        .inner_join(party::Entity)
        .filter(party::Column::Kind.eq("host"))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(FormPage { page, form, engagements, templates, host_users, categories: CATEGORIES })
}

pub async fn new_form(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    if !runs_directory(&viewer) {
        return Err(AppError::Forbidden);
    }
    let form = FormState::new().with("template", "standard").with("currency", "CNY");
    render(&form_page(&state, &viewer, page, form).await?)
}

/// Criteria typed as lines of `name weight` (e.g. `价格 40`).
fn criteria_lines(raw: &str) -> Vec<CriterionInput> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, weight) = l.rsplit_once(char::is_whitespace).unwrap_or((l, ""));
            let weight = weight.trim().trim_end_matches('%').parse().unwrap_or(0);
            CriterionInput { name: name.trim().to_owned(), weight }
        })
        .collect()
}

pub async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let mut ids_errors = crate::error::FieldErrors::default();
    let input = SelectionInput {
        title: form.get("title").to_owned(),
        engagement_id: form.opt("engagement_id").and_then(|v| v.parse().ok()).map(Id),
        scope: form.opt("scope"),
        category: form.opt("category"),
        currency: form.opt("currency"),
        budget_min: form.money("budget_min"),
        budget_max: form.money("budget_max"),
        deadline: form.get("deadline").to_owned(),
        criteria: criteria_lines(form.get("criteria")),
        template: form.opt("template"),
        evaluator_ids: form.ids("evaluator_ids", &mut ids_errors),
    };
    // A picked evaluator that is not an id (a tampered form) is refused, not dropped.
    let result = match ids_errors.into_result() {
        Ok(()) => selection::create(&state, &viewer, input).await,
        Err(e) => Err(e),
    };
    let back = result.as_ref().map(|s| format!("/selections/{}", s.id)).unwrap_or_default();
    settle((page, &session), &form, result, ("flash-selection-created", back), |page, mut f| {
        let state = &state;
        let viewer = &viewer;
        async move {
            // Errors on one criterion line show on the criteria box.
            let line: Option<String> = (0..crate::vendors::selection::MAX_CRITERIA).find_map(|i| {
                f.error(&format!("criteria[{i}].weight"))
                    .or(f.error(&format!("criteria[{i}].name")))
                    .map(|e| format!("{} {}: {e}", page.t("criteria-line"), i + 1))
            });
            if let Some(e) = line {
                f.set_error("criteria", e);
            }
            form_page(state, viewer, page, f).await
        }
    })
    .await
}

pub struct InvitedRow {
    pub party_id: i64,
    pub name: String,
    pub status: String,
    pub bid_at: Option<String>,
}

pub struct BidRow {
    pub id: i64,
    pub party_id: i64,
    pub vendor: String,
    pub price: String,
    pub summary: String,
    pub revision: i32,
    pub submitted: String,
    pub files: Vec<(i64, String)>,
    /// The evaluator's own scores per criterion (empty strings when not scored).
    pub mine: Vec<String>,
}

#[derive(Template)]
#[template(path = "vendors/selection.html")]
pub struct DetailPage {
    page: PageCtx,
    forms: Forms,
    s: sel::Model,
    phase: &'static str,
    deadline: String,
    budget: String,
    engagement: Option<(i64, String)>,
    criteria: Vec<(i64, String, i32)>,
    manage: bool,
    evaluate: bool,
    host: bool,
    bidder: bool,
    can_bid: bool,
    invited: Vec<InvitedRow>,
    candidates: Vec<(i64, String)>,
    evaluators: Vec<String>,
    evaluator_choices: Vec<(i64, String)>,
    bids: Vec<BidRow>,
    sheets: (usize, usize),
    /// The host may read the offers (bidding has ended, and it was not cancelled while bidding).
    unsealed: bool,
    ranking: Option<Ranking>,
    /// Bars of the ranking chart: (name, total, width in the chart's units).
    bars: Vec<(String, String, f64)>,
    winner: Option<String>,
    my_engagements: Vec<(i64, String)>,
}

impl DetailPage {
    fn cell(&self, means: &[f64], i: &usize) -> String {
        means.get(*i).map(|v| format!("{v:.1}")).unwrap_or_default()
    }

    fn fmt1(&self, v: &f64) -> String {
        format!("{v:.1}")
    }
}

pub async fn detail_page(
    state: &AppState,
    viewer: &Viewer,
    page: PageCtx,
    id: i64,
    forms: Forms,
) -> AppResult<DetailPage> {
    let (s, access) = selection::load(state, viewer, id).await?;
    let now = state.clock.now();
    let ph = phase(&s, now);
    let crits = selection::criteria(&state.db, id).await?;
    let invitations = selection::invitations(&state.db, id).await?;
    let bidders: HashMap<i64, chrono::DateTime<chrono::Utc>> =
        selection::bidders(&state.db, id).await?.into_iter().collect();
    let lens = Lens::outside(state, viewer).await?;
    let party_names = lens.party_names(&state.db, invitations.iter().map(|i| i.party_id)).await?;
    let mut invited = Vec::new();
    if access.host {
        let ids: Vec<i64> = invitations.iter().map(|i| i.party_id).collect();
        let profiles = directory::profiles_of(&state.db, &ids).await?;
        for i in &invitations {
            invited.push(InvitedRow {
                party_id: i.party_id,
                name: party_names.get(i.party_id).unwrap_or_default().to_owned(),
                status: profiles.get(&i.party_id).map(|p| p.status.clone()).unwrap_or_default(),
                bid_at: bidders.get(&i.party_id).map(|t| local_time(*t, &viewer.user.time_zone)),
            });
        }
    }
    let mut candidates = Vec::new();
    if access.manage && ph == "bidding" {
        let vendors = party::Entity::find()
            .filter(party::Column::Kind.eq("vendor"))
            .order_by_asc(party::Column::Name)
            .all(&state.db)
            .await?;
        let profiles = directory::profiles_of(&state.db, &vendors.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
        for p in vendors {
            let invitable_now = profiles.get(&p.id).is_some_and(|prof| invitable(&prof.status));
            if invitable_now && !invitations.iter().any(|i| i.party_id == p.id) {
                candidates.push((p.id, p.name));
            }
        }
    }
    let evaluator_ids = selection::evaluators(&state.db, id).await?;
    let user_names = lens.people(&state.db, evaluator_ids.iter().copied()).await?;
    let evaluators = evaluator_ids.iter().filter_map(|u| user_names.name(*u)).collect();
    let evaluator_choices = if access.manage {
        user::Entity::find()
            .inner_join(party::Entity)
            .filter(party::Column::Kind.eq("host"))
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::Id.is_not_in(evaluator_ids.clone()))
            .order_by_asc(user::Column::Name)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    } else {
        Vec::new()
    };
    let visible = selection::visible_bids(state, viewer, &s, access).await?;
    let files = super::files::of(&state.db, "bid", &visible.iter().map(|b| b.id).collect::<Vec<_>>()).await?;
    let mine = if access.evaluate { scoring::my_scores(&state.db, id, viewer.user.id).await? } else { HashMap::new() };
    let bid_names = lens.party_names(&state.db, visible.iter().map(|b| b.party_id)).await?;
    let bids = visible
        .into_iter()
        .map(|b| BidRow {
            id: b.id,
            party_id: b.party_id,
            vendor: bid_names.get(b.party_id).unwrap_or_default().to_owned(),
            price: selection::money_of(&s, b.price_minor).display(),
            summary: b.summary,
            revision: b.revision,
            submitted: local_time(b.submitted_at, &viewer.user.time_zone),
            files: files.iter().filter(|f| f.owner_id == b.id).map(|f| (f.id, f.file_name.clone())).collect(),
            mine: crits
                .iter()
                .map(|c| mine.get(&(b.party_id, c.id)).map(|v| v.to_string()).unwrap_or_default())
                .collect(),
        })
        .collect();
    let sheets = if access.host { progress(&state.db, &s).await? } else { (0, 0) };
    let complete = sheets.1 > 0 && sheets.0 == sheets.1;
    let ranking =
        if access.host && ph != "bidding" && complete { Some(ranking::compute(&state.db, &s).await?) } else { None };
    let bars = ranking
        .as_ref()
        .map(|r| r.rows.iter().map(|x| (x.name.clone(), format!("{:.1}", x.total), x.total * 4.0)).collect())
        .unwrap_or_default();
    let engagement = match s.engagement_id.filter(|_| access.host) {
        Some(e) => {
            engagement::Entity::find_by_id(e).one(&state.db).await?.map(|e| (e.id, format!("{} {}", e.code, e.name)))
        }
        None => None,
    };
    let mut my_engagements = Vec::new();
    if access.manage && s.engagement_id.is_none() {
        for e in engagement::Entity::find()
            .filter(engagement::Column::State.is_not_in(["closed", "archived"]))
            .all(&state.db)
            .await?
        {
            if manages(state, viewer, e.id).await? {
                my_engagements.push((e.id, format!("{} {}", e.code, e.name)));
            }
        }
    }
    let shown = |minor| selection::money_of(&s, minor).display();
    let budget = match (s.budget_min_minor, s.budget_max_minor) {
        _ if !access.host => String::new(),
        (Some(a), Some(b)) => format!("{} ~ {}", shown(a), shown(b)),
        (Some(a), None) => format!("≥ {}", shown(a)),
        (None, Some(b)) => format!("≤ {}", shown(b)),
        (None, None) => String::new(),
    };
    let winner = match s.awarded_party_id.filter(|p| access.host || *p == viewer.party.id) {
        Some(p) => party::Entity::find_by_id(p).one(&state.db).await?.map(|p| p.name),
        None => None,
    };
    Ok(DetailPage {
        page,
        forms,
        phase: ph,
        deadline: local_time(s.deadline, &viewer.user.time_zone),
        budget,
        engagement,
        criteria: crits.into_iter().map(|c| (c.id, c.name, c.weight)).collect(),
        manage: access.manage,
        evaluate: access.evaluate,
        host: access.host,
        bidder: access.bidder,
        can_bid: access.bidder && viewer.is_party_manager() && ph == "bidding",
        invited,
        candidates,
        evaluators,
        evaluator_choices,
        bids,
        sheets,
        unsealed: selection::bids_unsealed(&s, now),
        ranking,
        bars,
        winner,
        my_engagements,
        s,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&detail_page(&state, &viewer, page, id, Forms::none()).await?)
}

async fn finish<T>(
    (state, viewer, page, session): (&AppState, &Viewer, PageCtx, &Session),
    id: i64,
    form: &FormData,
    result: AppResult<T>,
    (which, success, anchor): (&str, &str, &str),
) -> AppResult<Response> {
    settle((page, session), form, result, (success, format!("/selections/{id}#{anchor}")), |page, f| {
        detail_page(state, viewer, page, id, Forms::posted(which, f))
    })
    .await
}

pub async fn invite(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let result = selection::invite(&state, &viewer, id, InvitationInput { vendor_id: form.id("vendor_id") }).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("invite", "flash-vendor-invited", "invitations"))
        .await
}

pub async fn add_evaluator(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let result = selection::add_evaluator(&state, &viewer, id, EvaluatorInput { user_id: form.id("user_id") }).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("evaluator", "flash-evaluator-added", "evaluators"))
        .await
}

pub async fn bid(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<Response> {
    selection::load(&state, &viewer, id).await?;
    let (fields, file) = read_form(form, state.config.upload_limit).await?;
    let form = FormData(fields);
    let input = BidInput { price: form.money("price"), summary: form.get("summary").to_owned() };
    let result = bidding::submit_bid(&state, &viewer, id, input, file).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("bid", "flash-bid-submitted", "bid")).await
}

pub async fn bid_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, bid_id, file_id)): Path<(i64, i64, i64)>,
) -> AppResult<Response> {
    let (s, access) = selection::load(&state, &viewer, id).await?;
    let visible = selection::visible_bids(&state, &viewer, &s, access).await?;
    if !visible.iter().any(|b| b.id == bid_id) {
        return Err(AppError::NotFound);
    }
    super::files::download(&state, "bid", bid_id, file_id).await
}

pub async fn score(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    // One entry per criterion, in the sheet's order, so an error at `scores[i]` is the i-th box's.
    let crits = selection::criteria(&state.db, id).await?;
    let scores = crits
        .iter()
        .map(|c| {
            let raw = form.get(&format!("score_{}", c.id)).trim();
            CriterionScore {
                criterion: c.id.to_string(),
                score: raw.parse().ok().or(Some(-1).filter(|_| !raw.is_empty())),
            }
        })
        .collect();
    let vendor = form.id("vendor_id");
    let which = format!("score-{}", vendor.map(|v| v.0).unwrap_or(0));
    let result = scoring::score(&state, &viewer, id, ScoreInput { vendor_id: vendor, scores }).await;
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-scores-saved", "scoring")).await
}

pub async fn close(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let result = bidding::close(&state, &viewer, id).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("close", "flash-bidding-closed", "invitations")).await
}

pub async fn award(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = AwardInput {
        vendor_id: form.id("vendor_id"),
        justification: form.get("justification").to_owned(),
        engagement_id: form.id("engagement_id"),
    };
    let result = award::award(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("award", "flash-awarded", "award")).await
}

pub async fn cancel(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let result = award::cancel(&state, &viewer, id, CancelInput { reason: form.get("reason").to_owned() }).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("cancel", "flash-selection-cancelled", "award")).await
}
