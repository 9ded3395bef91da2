//! Contract pages: the register (filters, export to CSV and XLSX) and the drafting form. One
//! contract's page lives in `detail_pages`, the money views in `money_pages`.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tower_sessions::Session;

use super::{
    api::register_filter,
    entity::contract,
    service::{self, ContractInput, ContractUpdate, Register, load_to_edit, may_draft, money, state_of},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{ContractState, Id},
    engagements::{entity::engagement, pages::unprocessable},
    error::{AppError, AppResult, FieldErrors},
    money::{MoneyDto, format_amount, format_percent},
    parties::entity::party,
    users::entity::user,
    web::{self, FormData, FormState, PageCtx, Path, render, see_other},
};

/// Rows exported at most; the register pages beyond that.
pub const EXPORT_MAX: u64 = 5_000;

pub struct RegisterRow {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub counterparty: String,
    pub counterparty_kind: String,
    pub direction: String,
    pub state: String,
    pub total: String,
    pub start_date: String,
    pub end_date: String,
    /// Days to the end date while in force; negative when past.
    pub ends_in: Option<i64>,
    pub amendment: bool,
}

#[derive(Template)]
#[template(path = "contracts/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<RegisterRow>,
    counterparties: Vec<(i64, String, String)>,
    q: HashMap<String, String>,
    states: &'static [ContractState],
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

pub(super) async fn register_rows(
    state: &AppState,
    viewer: &Viewer,
    contracts: Vec<contract::Model>,
) -> AppResult<Vec<RegisterRow>> {
    // Each row names the other side as the viewer reads it (the host, for a counterparty).
    let mut sides = Vec::with_capacity(contracts.len());
    for c in &contracts {
        sides.push(service::seen_from(state, viewer, c).await?);
    }
    let others =
        party::Entity::find().filter(party::Column::Id.is_in(sides.iter().map(|(p, _)| *p))).all(&state.db).await?;
    let others: HashMap<i64, (String, String)> = others.into_iter().map(|p| (p.id, (p.name, p.kind))).collect();
    let today = state.today();
    Ok(contracts
        .into_iter()
        .zip(sides)
        .map(|(c, (other, direction))| RegisterRow {
            counterparty: others.get(&other).map(|o| o.0.clone()).unwrap_or_default(),
            counterparty_kind: others.get(&other).map(|o| o.1.clone()).unwrap_or_default(),
            direction: direction.to_owned(),
            total: money(&c, c.total_minor).display(),
            start_date: c.start_date.map(|d| d.to_string()).unwrap_or_default(),
            end_date: c.end_date.map(|d| d.to_string()).unwrap_or_default(),
            ends_in: c.end_date.filter(|_| state_of(&c).in_force()).map(|d| (d - today).num_days()),
            amendment: c.amendment_reason.is_some(),
            id: c.id,
            number: c.number,
            title: c.title,
            state: c.state,
        })
        .collect())
}

/// Vendors and clients the viewer may see, for the filter and the form.
async fn counterparties(state: &AppState, viewer: &Viewer) -> AppResult<Vec<(i64, String, String)>> {
    Ok(party::Entity::find()
        .filter(viewer.party_scope())
        .filter(party::Column::Kind.is_in(["vendor", "client"]))
        .order_by_asc(party::Column::Kind)
        .order_by_asc(party::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name, p.kind))
        .collect())
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    // A filter typed wrongly on the page shows everything rather than an error page.
    let f = register_filter(&q).unwrap_or(Register { limit: db::DEFAULT_LIMIT, ..Register::default() });
    let (found, next) = service::list(&state, &viewer, &f).await?;
    let filtered = ["q", "counterparty_id", "state", "direction", "expiring_within", "min_total", "max_total"]
        .iter()
        .any(|k| q.get(*k).is_some_and(|v| !v.is_empty()));
    let query_string = serde_urlencoded::to_string(
        q.iter().filter(|(k, v)| k.as_str() != "cursor" && !v.is_empty()).collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    render(&ListPage {
        page,
        rows: register_rows(&state, &viewer, found).await?,
        counterparties: counterparties(&state, &viewer).await?,
        q,
        states: ContractState::ALL,
        next,
        query_string,
        can_create: may_draft(&state, &viewer).await?,
        is_host: viewer.is_host(),
        filtered,
    })
}

/// Cells that a spreadsheet would run as a formula get a leading quote.
fn cell(s: &str) -> String {
    crate::web::export::csv_cell(s).into_owned()
}

struct ExportRow {
    number: String,
    title: String,
    counterparty: String,
    direction: String,
    state: String,
    currency: String,
    total: String,
    tax_rate: String,
    tax: String,
    start: String,
    end: String,
    engagements: String,
    paid: String,
    outstanding: String,
}

async fn export_rows(
    state: &AppState,
    viewer: &Viewer,
    page: &PageCtx,
    q: &HashMap<String, String>,
) -> AppResult<Vec<ExportRow>> {
    let mut f = register_filter(q)?;
    f.limit = EXPORT_MAX;
    f.after = None;
    let (found, _) = service::list(state, viewer, &f).await?;
    let (parties, _) = service::names(state, &found).await?;
    let mut out = Vec::with_capacity(found.len());
    for c in found {
        let codes: Vec<String> = engagement::Entity::find()
            .filter(engagement::Column::Id.is_in(service::engagement_ids(&state.db, c.id).await?))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|e| e.code)
            .collect();
        let insts = service::installments(&state.db, c.id).await?;
        let paid: i64 = insts.iter().map(|i| i.paid_minor).sum();
        let outstanding: i64 = insts
            .iter()
            .filter(|i| matches!(i.state.as_str(), "due" | "invoiced"))
            .map(|i| i.amount_minor - i.paid_minor)
            .sum();
        out.push(ExportRow {
            counterparty: parties.get(&c.counterparty_id).cloned().unwrap_or_default(),
            direction: page.t(&format!("contract-direction-{}", c.direction)),
            state: page.t(&format!("contract-state-{}", c.state)),
            total: format_amount(c.total_minor),
            tax_rate: format_percent(c.tax_rate_bp),
            tax: format_amount(c.tax_minor),
            start: c.start_date.map(|d| d.to_string()).unwrap_or_default(),
            end: c.end_date.map(|d| d.to_string()).unwrap_or_default(),
            engagements: codes.join(" "),
            paid: format_amount(paid),
            outstanding: format_amount(outstanding),
            number: c.number,
            title: c.title,
            currency: c.currency,
        });
    }
    Ok(out)
}

fn export_header(page: &PageCtx) -> Vec<String> {
    [
        "field-contract-number",
        "field-title",
        "field-counterparty",
        "field-direction",
        "field-status",
        "field-currency",
        "field-contract-total",
        "field-tax-rate",
        "field-tax",
        "field-start-date",
        "field-end-date",
        "field-engagements",
        "col-paid",
        "col-outstanding",
    ]
    .iter()
    .map(|k| page.t(k))
    .collect()
}

fn attachment(body: Vec<u8>, content_type: &'static str, name: &'static str) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(name));
    res
}

pub async fn export_csv(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let rows = export_rows(&state, &viewer, &page, &q).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(export_header(&page)).map_err(anyhow::Error::from)?;
    for r in rows {
        w.write_record([
            cell(&r.number),
            cell(&r.title),
            cell(&r.counterparty),
            r.direction,
            r.state,
            r.currency,
            r.total,
            r.tax_rate,
            r.tax,
            r.start,
            r.end,
            cell(&r.engagements),
            r.paid,
            r.outstanding,
        ])
        .map_err(anyhow::Error::from)?;
    }
    let mut body = vec![0xEF, 0xBB, 0xBF];
    body.extend(w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?);
    Ok(attachment(body, "text/csv; charset=utf-8", "attachment; filename=\"accord-contracts.csv\""))
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    use rust_xlsxwriter::{Format, Workbook};

    use crate::web::export::xlsx_text;
    let rows = export_rows(&state, &viewer, &page, &q).await?;
    let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let amount = Format::new().set_num_format("#,##0.00");
    let sheet = book.add_worksheet();
    sheet.set_name(page.t("nav-contracts")).map_err(xl)?;
    for (i, h) in export_header(&page).iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(i).unwrap_or(0), h, &bold).map_err(xl)?;
    }
    for (n, r) in rows.iter().enumerate() {
        let row = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let texts = [&r.number, &r.title, &r.counterparty, &r.direction, &r.state, &r.currency];
        for (col, t) in texts.iter().enumerate() {
            xlsx_text(sheet, row, u16::try_from(col).unwrap_or(0), t.as_str()).map_err(xl)?;
        }
        // Amounts as numbers for sums; they come from integer fen, so two decimals are exact.
        for (col, v) in [(6u16, &r.total), (8, &r.tax), (12, &r.paid), (13, &r.outstanding)] {
            let n: f64 = v.parse().unwrap_or(0.0);
            sheet.write_number_with_format(row, col, n, &amount).map_err(xl)?;
        }
        sheet.write_string(row, 7, format!("{} %", r.tax_rate)).map_err(xl)?;
        sheet.write_string(row, 9, r.start.as_str()).map_err(xl)?;
        sheet.write_string(row, 10, r.end.as_str()).map_err(xl)?;
        xlsx_text(sheet, row, 11, r.engagements.as_str()).map_err(xl)?;
    }
    sheet.autofit();
    let body = book.save_to_buffer().map_err(xl)?;
    Ok(attachment(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment; filename=\"accord-contracts.xlsx\"",
    ))
}

#[derive(Template)]
#[template(path = "contracts/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    contract_id: Option<i64>,
    number: String,
    counterparties: Vec<(i64, String, String)>,
    engagements: Vec<(i64, String)>,
    host_users: Vec<(i64, String)>,
    counterparty_users: Vec<(i64, String, String)>,
}

/// Engagements the viewer runs, for the form.
async fn my_engagements(state: &AppState, viewer: &Viewer) -> AppResult<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for e in engagement::Entity::find()
        .filter(viewer.engagement_scope())
        .filter(engagement::Column::State.ne("archived"))
        .order_by_asc(engagement::Column::Code)
        .all(&state.db)
        .await?
    {
        if crate::engagements::service::manages(state, viewer, e.id).await? {
            out.push((e.id, format!("{} {}", e.code, e.name)));
        }
    }
    Ok(out)
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    page: PageCtx,
    form: FormState,
    existing: Option<&contract::Model>,
) -> AppResult<FormPage> {
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
    let names: HashMap<i64, String> =
        party::Entity::find().all(&state.db).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let counterparty_users = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.eq("manager"))
        .order_by_asc(user::Column::PartyId)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|u| existing.is_none_or(|c| c.counterparty_id == u.party_id))
        .map(|u| (u.id, u.name, names.get(&u.party_id).cloned().unwrap_or_default()))
        .collect();
    Ok(FormPage {
        page,
        form,
        contract_id: existing.map(|c| c.id),
        number: existing.map(|c| c.number.clone()).unwrap_or_default(),
        counterparties: counterparties(state, viewer).await?,
        engagements: my_engagements(state, viewer).await?,
        host_users,
        counterparty_users,
    })
}

pub async fn new_form(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    if !may_draft(&state, &viewer).await? {
        return Err(AppError::Forbidden);
    }
    let form = FormState::new().with("currency", "CNY").with("tax_rate", "6").with("renewal_notice_days", "30");
    render(&form_page(&state, &viewer, page, form, None).await?)
}

fn int(form: &FormData, field: &str, errors: &mut FieldErrors) -> Option<i32> {
    let raw = form.get(field).trim();
    if raw.is_empty() {
        return None;
    }
    raw.parse().map_err(|_| errors.add(field, crate::error::Msg::new("error-integer"))).ok()
}

fn id(form: &FormData, field: &str, errors: &mut FieldErrors) -> Option<Id> {
    let raw = form.get(field).trim();
    if raw.is_empty() {
        return None;
    }
    crate::domain::parse_id(raw).map(Id).map_err(|m| errors.add(field, m)).ok()
}

fn opt(form: &FormData, field: &str) -> Option<String> {
    Some(form.get(field).to_owned())
}

pub async fn create(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let input = ContractInput {
        number: form.get("number").to_owned(),
        title: form.get("title").to_owned(),
        description: opt(&form, "description"),
        counterparty_id: id(&form, "counterparty_id", &mut errors),
        engagement_ids: form.ids("engagement_ids", &mut errors),
        currency: opt(&form, "currency"),
        total: Some(MoneyDto { amount: form.get("total").to_owned(), currency: opt(&form, "currency") }),
        tax_rate: opt(&form, "tax_rate"),
        start_date: opt(&form, "start_date"),
        end_date: opt(&form, "end_date"),
        owner_id: id(&form, "owner_id", &mut errors),
        host_signatory_id: id(&form, "host_signatory_id", &mut errors),
        counterparty_signatory_id: id(&form, "counterparty_signatory_id", &mut errors),
        legal_approver_id: id(&form, "legal_approver_id", &mut errors),
        finance_approver_id: id(&form, "finance_approver_id", &mut errors),
        review_every_months: int(&form, "review_every_months", &mut errors),
        renewal_notice_days: int(&form, "renewal_notice_days", &mut errors),
    };
    let result = match errors.into_result() {
        Ok(()) => service::create(&state, &viewer, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => {
            web::flash(&session, "success", page.t1("flash-contract-created", "number", &c.number)).await?;
            Ok(see_other(&format!("/contracts/{}", c.id)))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(&form_page(&state, &viewer, page, f, None).await?))
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = load_to_edit(&state, &viewer, id).await?;
    let engagements = service::engagement_ids(&state.db, c.id).await?;
    let opt_id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let form = FormState::new()
        .with("title", c.title.clone())
        .with("description", c.description.clone())
        .with("counterparty_id", c.counterparty_id.to_string())
        .with("engagement_ids", engagements.iter().map(i64::to_string).collect::<Vec<_>>().join("\n"))
        .with("currency", c.currency.clone())
        .with("total", format_amount(c.total_minor))
        .with("tax_rate", format_percent(c.tax_rate_bp))
        .with("start_date", c.start_date.map(|d| d.to_string()).unwrap_or_default())
        .with("end_date", c.end_date.map(|d| d.to_string()).unwrap_or_default())
        .with("owner_id", opt_id(c.owner_id))
        .with("host_signatory_id", opt_id(c.host_signatory_id))
        .with("counterparty_signatory_id", opt_id(c.counterparty_signatory_id))
        .with("legal_approver_id", opt_id(c.legal_approver_id))
        .with("finance_approver_id", opt_id(c.finance_approver_id))
        .with("review_every_months", c.review_every_months.to_string())
        .with("renewal_notice_days", c.renewal_notice_days.to_string());
    render(&form_page(&state, &viewer, page, form, Some(&c)).await?)
}

pub async fn update(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(contract_id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let c = load_to_edit(&state, &viewer, contract_id).await?;
    let mut errors = FieldErrors::default();
    // An empty person select keeps whoever is named (as an absent field does in the API).
    let person = |field: &str, errors: &mut FieldErrors| id(&form, field, errors);
    let input = ContractUpdate {
        title: opt(&form, "title"),
        description: opt(&form, "description"),
        engagement_ids: Some(form.ids("engagement_ids", &mut errors)),
        total: Some(MoneyDto { amount: form.get("total").to_owned(), currency: Some(c.currency.clone()) }),
        tax_rate: opt(&form, "tax_rate"),
        start_date: opt(&form, "start_date"),
        end_date: opt(&form, "end_date"),
        owner_id: person("owner_id", &mut errors),
        host_signatory_id: person("host_signatory_id", &mut errors),
        counterparty_signatory_id: person("counterparty_signatory_id", &mut errors),
        legal_approver_id: person("legal_approver_id", &mut errors),
        finance_approver_id: person("finance_approver_id", &mut errors),
        review_every_months: int(&form, "review_every_months", &mut errors),
        renewal_notice_days: int(&form, "renewal_notice_days", &mut errors),
    };
    let result = match errors.into_result() {
        Ok(()) => service::update(&state, &viewer, contract_id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => {
            web::flash(&session, "success", page.t("flash-contract-saved")).await?;
            Ok(see_other(&format!("/contracts/{}", c.id)))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            unprocessable(render(&form_page(&state, &viewer, page, f, Some(&c)).await?))
        }
    }
}
