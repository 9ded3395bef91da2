//! The cost page of an engagement (the host's only): earned value as of a date with the
//! S-curve, the budget by category against commitments and actuals, the expenses, and the
//! approvals waiting on expenses and commitments over budget.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tower_sessions::Session;

use super::{
    entity::{cost_hold, expense},
    scurve,
    service::{self, BudgetInput, BudgetLineInput, CostView, ExpenseDecisionInput, ExpenseInput, may_approve},
};
use crate::{
    AppState,
    auth::Viewer,
    contracts::entity::contract,
    domain::CostCategory,
    engagements::{pages::settle, service::manages},
    error::{AppError, AppResult},
    money::{Money, MoneyDto, format_amount},
    web::{self, FormData, FormState, PageCtx, Path, render, see_other},
};

pub struct LineRow {
    pub category: &'static str,
    pub amount: String,
    pub baseline: String,
    pub committed: String,
    pub actual: String,
    pub pending: String,
    pub remaining: String,
    pub over: bool,
}

pub struct ExpenseRow {
    pub id: i64,
    pub date: String,
    pub category: String,
    pub amount: String,
    pub description: String,
    pub state: String,
    pub reason: String,
}

pub struct HoldRow {
    pub id: i64,
    pub contract_id: i64,
    /// The contract's number and title.
    pub contract: String,
    pub amount: String,
    pub state: String,
    pub reason: String,
}

pub struct Figure {
    pub label: &'static str,
    pub value: String,
    /// Below 1 (a ratio) or negative (a variance): shown as a warning.
    pub warn: bool,
    pub testid: &'static str,
}

#[derive(Template)]
#[template(path = "costs/page.html")]
struct CostPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    name: String,
    as_of: String,
    figures: Vec<Figure>,
    forecast_finish: String,
    scurve: String,
    lines: Vec<LineRow>,
    total: String,
    bac: String,
    skipped: String,
    budget_set: bool,
    expenses: Vec<ExpenseRow>,
    holds: Vec<HoldRow>,
    can_manage: bool,
    can_approve: bool,
    categories: &'static [CostCategory],
    budget_form: FormState,
    expense_form: FormState,
    currency: String,
}

fn ratio(v: Option<f64>) -> (String, bool) {
    match v {
        Some(x) => (format!("{x:.2}"), x < 1.0),
        None => ("—".to_owned(), false),
    }
}

fn figures(v: &CostView) -> Vec<Figure> {
    let c = &v.budget.currency;
    let money = |m: i64| Money { minor: m, currency: c.clone() }.display();
    let e = &v.evm;
    let (spi, spi_warn) = ratio(e.spi);
    let (cpi, cpi_warn) = ratio(e.cpi);
    let (tcpi, tcpi_warn) = ratio(e.tcpi);
    vec![
        Figure { label: "cost-pv", value: money(e.pv), warn: false, testid: "evm-pv" },
        Figure { label: "cost-ev", value: money(e.ev), warn: false, testid: "evm-ev" },
        Figure { label: "cost-ac", value: money(e.ac), warn: false, testid: "evm-ac" },
        Figure { label: "cost-spi", value: spi, warn: spi_warn, testid: "evm-spi" },
        Figure { label: "cost-cpi", value: cpi, warn: cpi_warn, testid: "evm-cpi" },
        Figure { label: "cost-eac", value: money(e.eac), warn: e.eac > e.bac, testid: "evm-eac" },
        Figure { label: "cost-etc", value: money(e.etc), warn: false, testid: "evm-etc" },
        Figure { label: "cost-vac", value: money(e.vac), warn: e.vac < 0, testid: "evm-vac" },
        Figure {
            label: "cost-tcpi",
            value: tcpi,
            warn: !tcpi_warn && e.tcpi.is_some_and(|t| t > 1.1),
            testid: "evm-tcpi",
        },
    ]
}

async fn cost_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    (id, as_of): (i64, NaiveDate),
    (budget_form, expense_form): (FormState, FormState),
) -> AppResult<CostPage> {
    let e = service::host_view(state, viewer, id).await?;
    let v = service::view(state, viewer, id, as_of).await?;
    let c = v.budget.currency.clone();
    let money = |m: i64| Money { minor: m, currency: c.clone() }.display();
    let lines = v
        .budget
        .lines
        .iter()
        .map(|l| LineRow {
            category: l.category.as_str(),
            amount: money(l.amount),
            baseline: l.baseline.map(money).unwrap_or_default(),
            committed: if l.committed == 0 { String::new() } else { money(l.committed) },
            actual: money(l.actual()),
            pending: if l.pending == 0 { String::new() } else { money(l.pending) },
            remaining: money(l.remaining()),
            over: l.remaining() < 0,
        })
        .collect();
    let budget_form = if budget_form.has_errors() {
        budget_form
    } else {
        v.budget.lines.iter().filter(|l| l.amount > 0 || v.budget.set).fold(FormState::new(), |f, l| {
            f.with(
                &format!("amount_{}", l.category.as_str()),
                if l.amount == 0 { String::new() } else { format_amount(l.amount) },
            )
        })
    };
    let (rows, _) = service::expenses(state, viewer, id, 100, None).await?;
    let expenses = rows
        .into_iter()
        .map(|x: expense::Model| ExpenseRow {
            amount: Money { minor: x.amount_minor, currency: x.currency.clone() }.display(),
            id: x.id,
            date: x.spent_on.to_string(),
            category: x.category,
            description: x.description,
            state: x.state,
            reason: x.decision_reason,
        })
        .collect();
    let held = super::holds::list(state, viewer, id).await?;
    let titles: HashMap<i64, String> = contract::Entity::find()
        .filter(contract::Column::Id.is_in(held.iter().map(|h| h.contract_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, format!("{} {}", c.number, c.title)))
        .collect();
    let holds = held
        .into_iter()
        .map(|h| HoldRow {
            amount: Money { minor: h.amount_minor, currency: h.currency.clone() }.display(),
            contract: titles.get(&h.contract_id).cloned().unwrap_or_default(),
            id: h.id,
            contract_id: h.contract_id,
            state: h.state,
            reason: h.reason,
        })
        .collect();
    let expense_form = if expense_form.value("date").is_empty() && !expense_form.has_errors() {
        expense_form.with("date", state.today().to_string())
    } else {
        expense_form
    };
    Ok(CostPage {
        figures: figures(&v),
        forecast_finish: v.evm.forecast_finish.map(|d| d.to_string()).unwrap_or_default(),
        scurve: scurve::svg(&v, page.language),
        total: money(v.budget.total(|l| l.amount)),
        bac: money(v.budget.bac()),
        skipped: v.budget.skipped_currencies.join(", "),
        budget_set: v.budget.set,
        lines,
        expenses,
        holds,
        can_manage: manages(state, viewer, id).await?,
        can_approve: may_approve(viewer),
        categories: CostCategory::ALL,
        budget_form,
        expense_form,
        currency: c.clone(),
        as_of: as_of.to_string(),
        engagement_id: id,
        code: e.code,
        name: e.name,
        page,
    })
}

fn as_of_of(state: &AppState, q: &HashMap<String, String>) -> NaiveDate {
    q.get("as_of").and_then(|d| crate::domain::parse_date(d).ok()).unwrap_or_else(|| state.today())
}

pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let as_of = as_of_of(&state, &q);
    render(&cost_page(&state, page, &viewer, (id, as_of), (FormState::new(), FormState::new())).await?)
}

pub async fn set_budget(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    service::host_view(&state, &viewer, id).await?;
    if !manages(&state, &viewer, id).await? {
        return Err(AppError::Forbidden);
    }
    let currency = Some(form.get("currency").trim().to_owned()).filter(|c| !c.is_empty());
    let lines = CostCategory::ALL
        .iter()
        .filter_map(|c| {
            form.opt(&format!("amount_{}", c.as_str())).map(|amount| BudgetLineInput {
                category: c.as_str().to_owned(),
                amount: MoneyDto { amount, currency: currency.clone() },
            })
        })
        .collect();
    let result = service::set_budget(&state, &viewer, id, BudgetInput { lines }).await;
    // Errors name `lines[i].amount`; the form's fields are per category.
    let result = result.map_err(|e| match e {
        AppError::Validation(f) => {
            let mut out = crate::error::FieldErrors::default();
            let given: Vec<&str> = CostCategory::ALL
                .iter()
                .map(|c| c.as_str())
                .filter(|c| form.opt(&format!("amount_{c}")).is_some())
                .collect();
            for fe in f.0 {
                let i: Option<usize> =
                    fe.field.strip_prefix("lines[").and_then(|r| r.split(']').next()).and_then(|n| n.parse().ok());
                let field = i.and_then(|i| given.get(i)).map_or_else(|| "amount".to_owned(), |c| format!("amount_{c}"));
                out.add(&field, fe.msg);
            }
            AppError::Validation(out)
        }
        other => other,
    });
    let back = format!("/engagements/{id}/costs#budget");
    let today = state.today();
    settle((page, &session), &form, result, ("flash-budget-saved", back), |page, f| {
        cost_page(&state, page, &viewer, (id, today), (f, FormState::new()))
    })
    .await
}

pub async fn baseline(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let result = service::baseline_budget(&state, &viewer, id).await;
    let back = format!("/engagements/{id}/costs#budget");
    let today = state.today();
    settle((page, &session), &form, result, ("flash-budget-baselined", back), |page, f| {
        cost_page(&state, page, &viewer, (id, today), (f, FormState::new()))
    })
    .await
}

pub async fn add_expense(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    service::host_view(&state, &viewer, id).await?;
    let input = ExpenseInput {
        category: form.get("category").to_owned(),
        amount: form.opt("amount").map(|amount| MoneyDto { amount, currency: None }).map(|mut a| {
            a.currency = form.opt("currency");
            a
        }),
        date: form.get("date").to_owned(),
        description: form.get("description").to_owned(),
        document_id: form.id("document_id"),
    };
    let result = service::add_expense(&state, &viewer, id, input).await;
    let success = match &result {
        Ok(x) if x.state == "pending" => "flash-expense-pending",
        _ => "flash-expense-added",
    };
    let back = format!("/engagements/{id}/costs#expenses");
    let today = state.today();
    settle((page, &session), &form, result, (success, back), |page, f| {
        cost_page(&state, page, &viewer, (id, today), (FormState::new(), f))
    })
    .await
}

pub async fn decide(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, xid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    service::host_view(&state, &viewer, id).await?;
    let x = expense::Entity::find_by_id(xid).one(&state.db).await?.filter(|x| x.engagement_id == id);
    if x.is_none() {
        return Err(AppError::NotFound);
    }
    let input =
        ExpenseDecisionInput { decision: form.get("decision").to_owned(), reason: form.get("reason").to_owned() };
    let result = service::decide(&state, &viewer, xid, input).await.map(|_| ());
    decided(&session, &page, result, "flash-expense-decided").await?;
    Ok(see_other(&format!("/engagements/{id}/costs#expense-{xid}")))
}

/// A commitment over budget, approved or rejected from its row on the cost page.
pub async fn decide_hold(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, hid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    service::host_view(&state, &viewer, id).await?;
    let h = cost_hold::Entity::find_by_id(hid).one(&state.db).await?.filter(|h| h.engagement_id == id);
    if h.is_none() {
        return Err(AppError::NotFound);
    }
    let input =
        ExpenseDecisionInput { decision: form.get("decision").to_owned(), reason: form.get("reason").to_owned() };
    let result = super::holds::decide(&state, &viewer, hid, input).await.map(|_| ());
    decided(&session, &page, result, "flash-hold-decided").await?;
    Ok(see_other(&format!("/engagements/{id}/costs#hold-{hid}")))
}

/// The decision's form sits on its row: what is wrong comes back as a message there.
async fn decided(session: &Session, page: &PageCtx, result: AppResult<()>, success: &str) -> AppResult<()> {
    match result {
        Ok(()) => web::flash(session, "success", page.t(success)).await?,
        Err(AppError::Validation(f)) => {
            for e in f.0 {
                let label = page.t(if e.field == "reason" { "field-decision-reason" } else { "field-decision" });
                web::flash(session, "error", format!("{label}{}{}", page.colon(), e.msg.render(page.language))).await?;
            }
        }
        Err(AppError::Conflict(m)) => web::flash(session, "error", m.render(page.language)).await?,
        Err(e) => return Err(e),
    }
    Ok(())
}
