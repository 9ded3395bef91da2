//! The money and record views around contracts: one frozen version with its diff, the host's
//! cash flow (overall and per engagement) as a server-side SVG chart, an engagement's contracts
//! tab, and the clause library.

use askama::Template;
use axum::{extract::State, response::Response};
use tower_sessions::Session;

use super::{
    cashflow::{self, Flow},
    clauses::{self, TemplateInput},
    lifecycle::{self, DiffLine, FrozenContract},
    pages::RegisterRow,
    service::{self, Register, load, may_draft, money},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::ClauseKind,
    engagements::{pages::unprocessable, service::get as engagement},
    error::{AppError, AppResult},
    money::Money,
    web::{self, FormData, FormState, PageCtx, Path, local_time, render, see_other},
};

#[derive(Template)]
#[template(path = "contracts/version.html")]
struct VersionPage {
    page: PageCtx,
    id: i64,
    number: String,
    title: String,
    v: super::entity::version::Model,
    content: FrozenContract,
    total: String,
    tax: String,
    compared_with: Option<i32>,
    diff: Vec<DiffLine>,
    signatures: Vec<(String, String, String, String)>,
}

pub async fn version(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path((id, n)): Path<(i64, i32)>,
) -> AppResult<Response> {
    let c = load(&state, &viewer, id).await?;
    let v = lifecycle::version_by_number(&state, c.id, n).await?;
    let content = lifecycle::content_of(&v)?;
    let prev = lifecycle::previous(&state, &v).await?;
    let diff = match &prev {
        Some(p) => lifecycle::diff(&lifecycle::content_of(p)?, &content),
        None => Vec::new(),
    };
    let sigs = lifecycle::signatures(&state, vec![v.id]).await?;
    // Only the host and the counterparty see a contract: both sides know each other.
    let lens = crate::auth::lens::Lens::outside(&state, &viewer).await?;
    let names = lens.people(&state.db, sigs.iter().map(|s| s.user_id)).await?;
    let parties = lens.party_names(&state.db, sigs.iter().map(|s| s.party_id)).await?;
    let tz = viewer.user.time_zone.clone();
    let signatures = sigs
        .into_iter()
        .map(|s| {
            (
                names.name(s.user_id).unwrap_or_default(),
                parties.get(s.party_id).unwrap_or_default().to_owned(),
                local_time(s.signed_at, &tz),
                s.content_sha256,
            )
        })
        .collect();
    let amount = |a: &str| {
        Money { minor: crate::money::parse_amount(a).unwrap_or(0), currency: content.currency.clone() }.display()
    };
    render(&VersionPage {
        page,
        id: c.id,
        total: amount(&content.total),
        tax: amount(&content.tax),
        number: c.number,
        title: c.title,
        v,
        compared_with: prev.map(|p| p.number),
        diff,
        signatures,
        content,
    })
}

/// One flow as the page draws it: the figures, the SVG chart and the month table.
pub struct FlowView {
    pub currency: String,
    pub receivable_outstanding: String,
    pub payable_outstanding: String,
    pub receivable_planned: String,
    pub payable_planned: String,
    pub received: String,
    pub paid: String,
    pub months: Vec<(String, String, String, String, String)>,
    pub svg: String,
}

struct Bar {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    fill: &'static str,
    title: String,
}

#[derive(Template)]
#[template(path = "contracts/cashflow.svg", escape = "xml")]
struct ChartSvg {
    width: f64,
    height: f64,
    zero: f64,
    left: f64,
    title: String,
    bars: Vec<Bar>,
    labels: Vec<(f64, String)>,
    ticks: Vec<(f64, String)>,
    legend: Vec<(&'static str, String)>,
}

const BAR_W: f64 = 9.0;
const MONTH_W: f64 = 48.0;

/// The chart: per month, money in above the line (planned light, actual dark) and money out
/// below it.
fn chart(page: &PageCtx, f: &Flow) -> AppResult<String> {
    let left = 76.0;
    let (top, half) = (34.0, 110.0);
    let max = f
        .months
        .iter()
        .flat_map(|(_, m)| [m.planned_in, m.actual_in, m.planned_out, m.actual_out])
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = |v: i64| -> f64 {
        // Ratios of money for pixels only; the amounts themselves stay integers.
        #[expect(clippy::cast_precision_loss, reason = "a pixel height, not an amount")]
        let r = v as f64 / max as f64;
        r * half
    };
    let zero = top + half;
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, ((y, mo), m)) in f.months.iter().enumerate() {
        #[expect(clippy::cast_precision_loss, reason = "a month's position on the axis")]
        let x0 = left + 8.0 + i as f64 * MONTH_W;
        let label = format!("{y}-{mo:02}");
        labels.push((x0 + 2.0 * BAR_W, label.clone()));
        let series = [
            (m.planned_in, "#95de64", true, "cashflow-planned-in"),
            (m.actual_in, "#389e0d", true, "cashflow-actual-in"),
            (m.planned_out, "#ffa39e", false, "cashflow-planned-out"),
            (m.actual_out, "#cf1322", false, "cashflow-actual-out"),
        ];
        for (k, (v, fill, up, key)) in series.into_iter().enumerate() {
            if v == 0 {
                continue;
            }
            let h = scale(v).max(1.0);
            let slot = if up { k } else { k - 2 };
            #[expect(clippy::cast_precision_loss, reason = "a bar's slot within its month")]
            let x = x0 + slot as f64 * (BAR_W + 2.0) + if up { 0.0 } else { 2.0 * (BAR_W + 2.0) };
            bars.push(Bar {
                x,
                y: if up { zero - h } else { zero },
                w: BAR_W,
                h,
                fill,
                title: format!("{label} · {} · {}", page.t(key), f.money(v).display()),
            });
        }
    }
    let ticks = vec![
        (top, f.money(max).display()),
        (zero, "0".to_owned()),
        (zero + half, format!("-{}", f.money(max).display())),
    ];
    let legend = vec![
        ("#95de64", page.t("cashflow-planned-in")),
        ("#389e0d", page.t("cashflow-actual-in")),
        ("#ffa39e", page.t("cashflow-planned-out")),
        ("#cf1322", page.t("cashflow-actual-out")),
    ];
    #[expect(clippy::cast_precision_loss, reason = "the chart's width in pixels")]
    let width = (left + 16.0 + f.months.len() as f64 * MONTH_W).max(560.0);
    let svg = ChartSvg {
        width,
        height: zero + half + 30.0,
        zero,
        left,
        title: page.t1("cashflow-chart-title", "currency", &f.currency),
        bars,
        labels,
        ticks,
        legend,
    };
    Ok(svg.render()?)
}

fn view(page: &PageCtx, f: &Flow) -> AppResult<FlowView> {
    let d = |v: i64| f.money(v).display();
    Ok(FlowView {
        currency: f.currency.clone(),
        receivable_outstanding: d(f.receivable_outstanding),
        payable_outstanding: d(f.payable_outstanding),
        receivable_planned: d(f.receivable_planned),
        payable_planned: d(f.payable_planned),
        received: d(f.received),
        paid: d(f.paid),
        months: f
            .months
            .iter()
            .map(|((y, m), v)| {
                (format!("{y}-{m:02}"), d(v.planned_in), d(v.actual_in), d(v.planned_out), d(v.actual_out))
            })
            .collect(),
        svg: chart(page, f)?,
    })
}

#[derive(Template)]
#[template(path = "contracts/cashflow.html")]
struct CashFlowPage {
    page: PageCtx,
    flows: Vec<FlowView>,
}

pub async fn cash_flow(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    let flows = cashflow::flows(&state, &viewer, None).await?;
    let flows = flows.iter().map(|f| view(&page, f)).collect::<AppResult<Vec<_>>>()?;
    render(&CashFlowPage { page, flows })
}

#[derive(Template)]
#[template(path = "contracts/engagement.html")]
struct EngagementTab {
    page: PageCtx,
    id: i64,
    code: String,
    name: String,
    rows: Vec<RegisterRow>,
    money: Vec<(i64, String, String)>,
    flows: Vec<FlowView>,
    is_host: bool,
    can_create: bool,
}

/// An engagement's contracts (those the viewer may see) and, for the host, its cash flow.
pub async fn engagement_tab(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let e = engagement(&state, &viewer, id).await?;
    let f = Register { engagement_id: Some(id), limit: db::MAX_LIMIT, ..Register::default() };
    let (found, _) = service::list(&state, &viewer, &f).await?;
    let mut figures = Vec::new();
    for c in &found {
        let insts = service::installments(&state.db, c.id).await?;
        let paid: i64 = insts.iter().map(|i| i.paid_minor).sum();
        let open: i64 = insts
            .iter()
            .filter(|i| matches!(i.state.as_str(), "due" | "invoiced"))
            .map(|i| i.amount_minor - i.paid_minor)
            .sum();
        figures.push((c.id, money(c, paid).display(), money(c, open).display()));
    }
    let flows = if viewer.is_host() {
        cashflow::flows(&state, &viewer, Some(id))
            .await?
            .iter()
            .map(|f| view(&page, f))
            .collect::<AppResult<Vec<_>>>()?
    } else {
        Vec::new()
    };
    let rows = super::pages::register_rows(&state, &viewer, found).await?;
    render(&EngagementTab {
        page,
        id,
        code: e.code,
        name: e.name,
        rows,
        money: figures,
        flows,
        is_host: viewer.is_host(),
        can_create: crate::engagements::service::manages(&state, &viewer, id).await?,
    })
}

#[derive(Template)]
#[template(path = "contracts/library.html")]
struct LibraryPage {
    page: PageCtx,
    templates: Vec<super::library::Template>,
    kinds: &'static [ClauseKind],
    can_add: bool,
    form: FormState,
}

async fn library_page(state: &AppState, viewer: &Viewer, page: PageCtx, form: FormState) -> AppResult<LibraryPage> {
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    let templates = clauses::library(state, page.lang).await?;
    Ok(LibraryPage { page, templates, kinds: ClauseKind::ALL, can_add: may_draft(state, viewer).await?, form })
}

pub async fn library(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    render(&library_page(&state, &viewer, page, FormState::new()).await?)
}

pub async fn add_template(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let input = TemplateInput {
        kind: form.get("kind").to_owned(),
        locale: Some(form.get("locale").to_owned()),
        title: form.get("title").to_owned(),
        body: form.get("body").to_owned(),
    };
    match clauses::add_template(&state, &viewer, input).await {
        Ok(_) => {
            web::flash(&session, "success", page.t("flash-template-added")).await?;
            Ok(see_other("/contracts/clause-library"))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(&library_page(&state, &viewer, page, f).await?))
        }
    }
}
