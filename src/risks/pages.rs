//! Risk pages: an engagement's register (heat map, figures, filters, the raise dialog), one
//! risk (what it is, its links, its history, the edit form, the discussion) and the
//! portfolio's register across every engagement the viewer may see.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tower_sessions::Session;

use super::{
    api::{Links, filter_of},
    entity::risk,
    heatmap,
    service::{self, RiskFilter, RiskInput, band, decode_after, task_ids},
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::{
        Subject, SubjectKind,
        pages::{ActivityRow, CommentRow, Discussion, discussion},
    },
    contracts::entity::{contract, contract_engagement},
    db,
    documents::pages::{DocRow, share_options},
    domain::{RiskCategory, RiskStatus, RiskStrategy},
    engagements::{
        entity::{milestone, task},
        pages::settle,
        service::{self as engagements, manages},
    },
    error::{AppError, AppResult, FieldErrors},
    i18n::Lang,
    users::pages::PartyOption,
    web::{FormData, FormState, PageCtx, Path, local_time, render},
};

/// One line of a register.
pub struct Row {
    pub id: i64,
    pub engagement_id: i64,
    pub engagement: String,
    pub key: String,
    pub title: String,
    pub category: String,
    pub probability: i16,
    pub impact: i16,
    pub score: i16,
    pub band: &'static str,
    pub strategy: String,
    pub owner: String,
    pub status: String,
    pub review_on: String,
    /// The review date has come and the risk is still live.
    pub review_due: bool,
}

/// The options of the risk form: people, tasks, milestones, contracts, vendors, parties.
#[derive(Default)]
pub struct Options {
    pub people: Vec<(i64, String, String)>,
    pub tasks: Vec<(i64, String)>,
    pub milestones: Vec<(i64, String)>,
    pub contracts: Vec<(i64, String)>,
    pub vendors: Vec<(i64, String)>,
    pub parties: Vec<PartyOption>,
}

async fn options(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<Options> {
    use crate::{parties::entity::party, users::entity::user};
    let lens = Lens::of(state, viewer, id).await?;
    let participants = engagements::participants(state, viewer, id).await?;
    let party_ids: Vec<i64> = participants.iter().map(|(_, p)| p.id).collect();
    let people: Vec<(i64, String, String, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Name)
        .column_as(party::Column::Name, "party_name")
        .column_as(party::Column::Id, "party_id")
        .inner_join(party::Entity)
        .filter(user::Column::Active.eq(true))
        .filter(
            sea_orm::Condition::any().add(party::Column::Kind.eq("host")).add(user::Column::PartyId.is_in(party_ids)),
        )
        .order_by_asc(party::Column::Kind)
        .order_by_asc(user::Column::Name)
        .into_tuple()
        .all(&state.db)
        .await?;
    let tasks = task::Entity::find()
        .filter(task::Column::EngagementId.eq(id))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .order_by_asc(task::Column::StartDate)
        .order_by_asc(task::Column::Id)
        .all(&state.db)
        .await?;
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::EngagementId.eq(id))
        .filter(viewer.record_scope(milestone::Column::Visibility, milestone::Column::VisiblePartyId))
        .order_by_asc(milestone::Column::DueDate)
        .all(&state.db)
        .await?;
    let covered: Vec<i64> = contract_engagement::Entity::find()
        .select_only()
        .column(contract_engagement::Column::ContractId)
        .filter(contract_engagement::Column::EngagementId.eq(id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let contracts = contract::Entity::find()
        .filter(contract::Column::Id.is_in(covered))
        .filter(crate::contracts::service::scope(viewer))
        .order_by_asc(contract::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Options {
        people: people
            .into_iter()
            .filter(|(_, _, _, p)| lens.knows(*p))
            .map(|(id, name, party, _)| (id, name, party))
            .collect(),
        tasks: tasks.into_iter().map(|t| (t.id, t.name)).collect(),
        milestones: milestones.into_iter().map(|m| (m.id, format!("{} · {}", m.name, m.due_date))).collect(),
        contracts: contracts.into_iter().map(|k| (k.id, format!("{} {}", k.number, k.title))).collect(),
        vendors: participants
            .iter()
            .filter(|(pt, p)| {
                matches!(pt.relation.as_str(), "vendor" | "subcontractor")
                    && (viewer.is_host() || p.id == viewer.party.id)
            })
            .map(|(_, p)| (p.id, p.name.clone()))
            .collect(),
        parties: share_options(state, viewer, id).await?,
    })
}

/// The rows of a register, with owners read through each engagement's lens.
async fn rows(state: &AppState, viewer: &Viewer, lang: Lang, risks: Vec<risk::Model>) -> AppResult<Vec<Row>> {
    let today = state.today();
    let codes = engagements::codes(state, risks.iter().map(|r| r.engagement_id)).await?;
    let mut people = HashMap::new();
    for e in risks.iter().map(|r| r.engagement_id).collect::<std::collections::HashSet<_>>() {
        let lens = Lens::of(state, viewer, e).await?;
        let ids = risks.iter().filter(|r| r.engagement_id == e).filter_map(|r| r.owner_id);
        people.insert(e, lens.people(&state.db, ids).await?);
    }
    Ok(risks
        .into_iter()
        .map(|r| {
            let live = r.status != RiskStatus::Closed.as_str();
            Row {
                owner: r.owner_id.map(|o| people[&r.engagement_id].label(o, lang)).unwrap_or_default(),
                engagement: codes.get(&r.engagement_id).cloned().unwrap_or_default(),
                review_due: live && r.review_on.is_some_and(|d| d <= today),
                review_on: r.review_on.map(|d| d.to_string()).unwrap_or_default(),
                band: band(r.score),
                id: r.id,
                engagement_id: r.engagement_id,
                key: r.key,
                title: r.title,
                category: r.category,
                probability: r.probability,
                impact: r.impact,
                score: r.score,
                strategy: r.strategy,
                status: r.status,
            }
        })
        .collect())
}

/// The query of a register page: the API's filters plus a cursor; what is wrong is ignored.
fn page_filter(q: &HashMap<String, String>) -> RiskFilter {
    let mut ignored = FieldErrors::default();
    let after = q.get("cursor").and_then(|c| db::decode_cursor(c)).map(decode_after);
    RiskFilter { after, ..filter_of(q, &mut ignored) }
}

/// The query string that keeps the current filters (for the next page and the filter chips).
fn keep(q: &HashMap<String, String>, without: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = ["status", "category", "cell", "contract_id"]
        .into_iter()
        .filter(|k| *k != without)
        .filter_map(|k| q.get(k).map(|v| (k, v.as_str())).filter(|(_, v)| !v.is_empty()))
        .collect();
    pairs.sort_unstable();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

pub struct Figures {
    pub live: usize,
    pub high: usize,
    pub occurred: usize,
    pub review_due: usize,
}

#[derive(Template)]
#[template(path = "risks/list.html")]
struct ListPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    name: String,
    heatmap: String,
    figures: Figures,
    rows: Vec<Row>,
    next: Option<String>,
    status: String,
    category: String,
    cell: String,
    keep_no_cell: String,
    keep_all: String,
    statuses: &'static [RiskStatus],
    categories: &'static [RiskCategory],
    strategies: &'static [RiskStrategy],
    form: FormState,
    opts: Options,
    is_host: bool,
}

async fn figures(state: &AppState, viewer: &Viewer, engagement_id: Option<i64>) -> AppResult<Figures> {
    let mut q = risk::Entity::find().filter(service::scope(viewer)).filter(risk::Column::Status.ne("closed"));
    if let Some(e) = engagement_id {
        q = q.filter(risk::Column::EngagementId.eq(e));
    }
    let live = q.all(&state.db).await?;
    let today = state.today();
    Ok(Figures {
        live: live.len(),
        high: live.iter().filter(|r| r.score >= service::HIGH_SCORE).count(),
        occurred: live.iter().filter(|r| r.status == "occurred").count(),
        review_due: live.iter().filter(|r| r.review_on.is_some_and(|d| d <= today)).count(),
    })
}

async fn list_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    (id, q): (i64, &HashMap<String, String>),
    form: FormState,
) -> AppResult<ListPage> {
    let e = engagements::get(state, viewer, id).await?;
    let (risks, next) = service::list(state, viewer, id, &page_filter(q)).await?;
    let counts = service::heat(state, viewer, Some(id)).await?;
    let svg = heatmap::svg(&counts, page.language, |p, i| format!("/engagements/{id}/risks?status=live&cell={p}-{i}"));
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let form = if form.value("probability").is_empty() && !form.has_errors() {
        form.with("probability", "3").with("impact", "3").with("strategy", "mitigate")
    } else {
        form
    };
    Ok(ListPage {
        heatmap: svg,
        figures: figures(state, viewer, Some(id)).await?,
        rows: rows(state, viewer, page.language, risks).await?,
        next,
        status: get("status"),
        category: get("category"),
        cell: get("cell"),
        keep_no_cell: keep(q, "cell"),
        keep_all: keep(q, ""),
        statuses: RiskStatus::ALL,
        categories: RiskCategory::ALL,
        strategies: RiskStrategy::ALL,
        opts: options(state, viewer, id).await?,
        is_host: viewer.is_host(),
        form,
        page,
        engagement_id: id,
        code: e.code,
        name: e.name,
    })
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    render(&list_page(&state, page, &viewer, (id, &q), FormState::new()).await?)
}

/// The risk form's fields as the service's input. `editing` sends every field, so an emptied
/// one clears what it held.
fn input_of(form: &FormData, editing: bool, errors: &mut FieldErrors) -> RiskInput {
    let text = |f: &str| {
        let v = form.get(f);
        (editing || !v.trim().is_empty()).then(|| v.to_owned())
    };
    let level = |f: &str, errors: &mut FieldErrors| match form.get(f).trim() {
        "" => None,
        v => v.parse::<i64>().map_err(|_| errors.add(f, crate::error::Msg::new("error-risk-level"))).ok(),
    };
    RiskInput {
        title: Some(form.get("title").to_owned()),
        category: Some(form.get("category").to_owned()),
        cause: text("cause"),
        effect: text("effect"),
        probability: level("probability", errors),
        impact: level("impact", errors),
        strategy: Some(form.get("strategy").to_owned()),
        owner_id: text("owner_id"),
        trigger: text("trigger"),
        response: text("response"),
        task_ids: Some(form.ids("task_ids", errors)),
        milestone_id: text("milestone_id"),
        contract_id: text("contract_id"),
        vendor_id: text("vendor_id"),
        review_on: text("review_on"),
        status: text("status").filter(|s| !s.trim().is_empty()),
        note: text("note"),
        visibility: text("visibility").filter(|s| !s.trim().is_empty()),
        visible_party_id: form.id("visible_party_id"),
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
    engagements::get(&state, &viewer, id).await?;
    let mut errors = FieldErrors::default();
    let input = input_of(&form, false, &mut errors);
    let result = match errors.into_result() {
        Ok(()) => service::create(&state, &viewer, id, input).await,
        Err(e) => Err(e),
    };
    // Back to the register, where the new risk shows in its table and on the heat map (a dialog
    // posted with htmx swaps the page it was opened on).
    let back = format!("/engagements/{id}/risks");
    let q = HashMap::new();
    settle((page, &session), &form, result, ("flash-risk-raised", back), |page, f| {
        list_page(&state, page, &viewer, (id, &q), f)
    })
    .await
}

pub struct HistoryRow {
    pub who: String,
    pub at: String,
    pub probability: i16,
    pub impact: i16,
    pub score: i16,
    pub band: &'static str,
    pub status: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "risks/detail.html")]
struct DetailPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    r: risk::Model,
    band: &'static str,
    owner: String,
    raised_by: String,
    party: String,
    tasks: Vec<(i64, String)>,
    milestone: Option<(i64, String)>,
    contract: Option<(i64, String)>,
    vendor: String,
    history: Vec<HistoryRow>,
    can_edit: bool,
    can_manage: bool,
    is_host: bool,
    next_statuses: Vec<RiskStatus>,
    categories: &'static [RiskCategory],
    strategies: &'static [RiskStrategy],
    opts: Options,
    form: FormState,
    item: Subject,
    comments: Vec<CommentRow>,
    docs: Vec<DocRow>,
    activity: Vec<ActivityRow>,
    visibility_parties: Vec<PartyOption>,
    upload_limit_mb: usize,
}

/// The edit form as the risk stands.
fn form_of(r: &risk::Model) -> FormState {
    FormState::new()
        .with("title", r.title.clone())
        .with("category", r.category.clone())
        .with("cause", r.cause.clone())
        .with("effect", r.effect.clone())
        .with("probability", r.probability.to_string())
        .with("impact", r.impact.to_string())
        .with("strategy", r.strategy.clone())
        .with("owner_id", r.owner_id.map(|o| o.to_string()).unwrap_or_default())
        .with("trigger", r.trigger_text.clone())
        .with("response", r.response.clone())
        .with("task_ids", task_ids(r).iter().map(i64::to_string).collect::<Vec<_>>().join("\n"))
        .with("milestone_id", r.milestone_id.map(|o| o.to_string()).unwrap_or_default())
        .with("contract_id", r.contract_id.map(|o| o.to_string()).unwrap_or_default())
        .with("vendor_id", r.vendor_id.map(|o| o.to_string()).unwrap_or_default())
        .with("review_on", r.review_on.map(|d| d.to_string()).unwrap_or_default())
        .with("status", r.status.clone())
        .with("visibility", r.visibility.clone())
        .with("visible_party_id", r.visible_party_id.map(|o| o.to_string()).unwrap_or_default())
}

async fn detail_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    (id, rid): (i64, i64),
    form: FormState,
) -> AppResult<DetailPage> {
    let e = engagements::get(state, viewer, id).await?;
    let r = service::load_in(state, viewer, id, rid).await?;
    let lens = Lens::of(state, viewer, id).await?;
    let lang = page.language;
    let links = Links::of(state, viewer, std::slice::from_ref(&r)).await?;
    let history = service::history(state, r.id).await?;
    let people =
        lens.people(&state.db, history.iter().map(|a| a.user_id).chain(r.owner_id).chain([r.raised_by])).await?;
    let parties = lens.party_names(&state.db, [r.raised_party_id].into_iter().chain(r.vendor_id)).await?;
    let tz = viewer.user.time_zone.clone();
    let wanted = task_ids(&r);
    let tasks = if wanted.is_empty() {
        Vec::new()
    } else {
        task::Entity::find()
            .filter(task::Column::Id.is_in(wanted.into_iter().filter(|t| links.tasks.contains(t))))
            .order_by_asc(task::Column::StartDate)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect()
    };
    let milestone = match r.milestone_id.filter(|m| links.milestones.contains(m)) {
        Some(m) => milestone::Entity::find_by_id(m).one(&state.db).await?.map(|m| (m.id, m.name)),
        None => None,
    };
    let contract = match r.contract_id.filter(|k| links.contracts.contains(k)) {
        Some(k) => {
            contract::Entity::find_by_id(k).one(&state.db).await?.map(|k| (k.id, format!("{} {}", k.number, k.title)))
        }
        None => None,
    };
    let can_edit = service::may_edit(state, viewer, &r).await?;
    let status = RiskStatus::parse(&r.status).unwrap_or(RiskStatus::Open);
    let mut next_statuses = vec![status];
    next_statuses.extend_from_slice(status.next());
    let item = Subject::from(&r);
    let Discussion { comments, docs, activity } = discussion(state, viewer, &item).await?;
    let form = if form.value("title").is_empty() && !form.has_errors() { form_of(&r) } else { form };
    Ok(DetailPage {
        band: band(r.score),
        owner: r.owner_id.map(|o| people.label(o, lang)).unwrap_or_default(),
        raised_by: people.label(r.raised_by, lang),
        party: parties.label(r.raised_party_id, lang),
        vendor: parties.of(r.vendor_id).unwrap_or_default(),
        history: history
            .into_iter()
            .map(|a| HistoryRow {
                who: people.label(a.user_id, lang),
                at: local_time(a.created_at, &tz),
                band: band(a.score),
                probability: a.probability,
                impact: a.impact,
                score: a.score,
                status: a.status,
                note: a.note,
            })
            .collect(),
        opts: if can_edit { options(state, viewer, id).await? } else { Options::default() },
        can_manage: manages(state, viewer, id).await?,
        is_host: viewer.is_host(),
        categories: RiskCategory::ALL,
        strategies: RiskStrategy::ALL,
        upload_limit_mb: state.config.upload_limit / (1024 * 1024),
        visibility_parties: share_options(state, viewer, id).await?,
        engagement_id: id,
        code: e.code,
        tasks,
        milestone,
        contract,
        can_edit,
        next_statuses,
        form,
        item,
        comments,
        docs,
        activity,
        page,
        r,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    render(&detail_page(&state, page, &viewer, (id, rid), FormState::new()).await?)
}

pub async fn update(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let r = service::load_in(&state, &viewer, id, rid).await?;
    // Who may not edit hears so before anything about the form.
    if !service::may_edit(&state, &viewer, &r).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let mut input = input_of(&form, true, &mut errors);
    // Only a manager of the engagement changes who sees a risk from this form.
    if !manages(&state, &viewer, id).await? {
        input.visibility = None;
        input.visible_party_id = None;
    }
    let result = match errors.into_result() {
        Ok(()) => service::update(&state, &viewer, rid, input).await,
        Err(e) => Err(e),
    };
    let back = format!("/engagements/{id}/risks/{rid}");
    settle((page, &session), &form, result, ("flash-risk-saved", back), |page, f| {
        detail_page(&state, page, &viewer, (id, rid), f)
    })
    .await
}

pub async fn comment(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, rid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    crate::collab::pages::comment(state, page, viewer, session, (id, SubjectKind::Risk, rid), form).await
}

#[derive(Template)]
#[template(path = "risks/portfolio.html")]
struct PortfolioPage {
    page: PageCtx,
    heatmap: String,
    figures: Figures,
    rows: Vec<Row>,
    next: Option<String>,
    status: String,
    category: String,
    cell: String,
    keep_no_cell: String,
    keep_all: String,
    statuses: &'static [RiskStatus],
    categories: &'static [RiskCategory],
}

pub async fn portfolio(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let (risks, next) = service::portfolio(&state, &viewer, &page_filter(&q)).await?;
    let counts = service::heat(&state, &viewer, None).await?;
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    render(&PortfolioPage {
        heatmap: heatmap::svg(&counts, page.language, |p, i| format!("/risks?status=live&cell={p}-{i}")),
        figures: figures(&state, &viewer, None).await?,
        rows: rows(&state, &viewer, page.language, risks).await?,
        next,
        status: get("status"),
        category: get("category"),
        cell: get("cell"),
        keep_no_cell: keep(&q, "cell"),
        keep_all: keep(&q, ""),
        statuses: RiskStatus::ALL,
        categories: RiskCategory::ALL,
        page,
    })
}
