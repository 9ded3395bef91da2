//! An engagement's money, as the host runs it: the budget by category (with its own baseline),
//! what payable contracts commit, what was paid and spent, expenses that wait for an approver
//! when they would take a category over its budget, and earned value as of any date.
//!
//! All of it is the host's: a vendor or a client taking part gets 404, as for any record of
//! another party.
//!
//! A payable contract counts for the first engagement it covers (the lowest id), so a contract
//! over several engagements is not counted twice across the portfolio. Its total is committed
//! under `vendor` once it is in force; its payments are actual costs on their dates. Amounts in
//! another currency than the budget's are left out and named.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    entity::{budget_line, cost_hold, expense},
    evm::{self, Evm, PlannedTask},
};
use crate::{
    AppState,
    auth::Viewer,
    contracts::{
        entity::{contract, contract_engagement, installment, payment},
        service::first_engagements,
    },
    db,
    domain::{self, ContractState, CostCategory, ExpenseState, Id, Role},
    engagements::{
        entity::{baseline, baseline_item, engagement, task},
        service::{get, manages, record},
        workdays,
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{DEFAULT_CURRENCY, Money, MoneyDto},
};

/// The engagement, for the host only (404 for anyone else).
pub async fn host_view(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<engagement::Model> {
    let e = get(state, viewer, engagement_id).await?;
    if !viewer.is_host() {
        return Err(AppError::NotFound);
    }
    Ok(e)
}

/// Who decides on an expense over budget: the host's approvers and administrators.
pub fn may_approve(viewer: &Viewer) -> bool {
    viewer.is_host() && matches!(viewer.role, Role::Approver | Role::Admin)
}

/// One category of the budget as the cost page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub category: CostCategory,
    pub amount: i64,
    pub baseline: Option<i64>,
    /// Payable contracts in force.
    pub committed: i64,
    /// Paid on those contracts by the date.
    pub paid: i64,
    /// Counted expenses by the date.
    pub expensed: i64,
    /// Expenses and commitments over budget waiting for an approver.
    pub pending: i64,
}

impl Line {
    /// Actual cost: paid and counted.
    pub fn actual(&self) -> i64 {
        self.paid + self.expensed
    }

    /// What the category will cost as far as is known: the contracts (or what was paid on them,
    /// if more) and the counted expenses.
    pub fn exposure(&self) -> i64 {
        self.committed.max(self.paid) + self.expensed
    }

    pub fn remaining(&self) -> i64 {
        self.amount - self.exposure()
    }
}

#[derive(Clone, Debug)]
pub struct Budget {
    pub currency: String,
    /// Every category, in order; zero where the budget names none.
    pub lines: Vec<Line>,
    /// Whether a budget was ever set.
    pub set: bool,
    /// Currencies of contracts and payments left out (not the budget's).
    pub skipped_currencies: Vec<String>,
}

impl Budget {
    pub fn total(&self, f: impl Fn(&Line) -> i64) -> i64 {
        self.lines.iter().map(f).sum()
    }

    /// Budget at completion: the baseline's total once there is one (a category added since
    /// counts when re-baselined), the current amounts before.
    pub fn bac(&self) -> i64 {
        if self.lines.iter().any(|l| l.baseline.is_some()) {
            self.total(|l| l.baseline.unwrap_or(0))
        } else {
            self.total(|l| l.amount)
        }
    }
}

/// A dated cost: a payment or a counted expense.
#[derive(Clone, Copy, Debug)]
pub struct Cost {
    pub on: NaiveDate,
    pub category: CostCategory,
    pub minor: i64,
}

/// What the host's payable contracts attributed to this engagement commit and what was paid.
struct Contracts {
    committed: i64,
    /// Commitments over budget waiting for an approver (not in `committed`).
    held: i64,
    payments: Vec<Cost>,
    skipped: Vec<String>,
}

async fn contracts_of(db: &impl ConnectionTrait, engagement_id: i64, currency: &str) -> AppResult<Contracts> {
    let covering: Vec<i64> = contract_engagement::Entity::find()
        .select_only()
        .column(contract_engagement::Column::ContractId)
        .filter(contract_engagement::Column::EngagementId.eq(engagement_id))
        .into_tuple()
        .all(db)
        .await?;
    let first = first_engagements(db, &covering).await?;
    let ours: Vec<i64> = covering.into_iter().filter(|k| first.get(k) == Some(&engagement_id)).collect();
    let contracts = contract::Entity::find()
        .filter(contract::Column::Id.is_in(ours))
        .filter(contract::Column::Direction.eq("payable"))
        .all(db)
        .await?;
    // Commitments over budget count once approved (`super::holds`).
    let holds: HashMap<i64, String> = cost_hold::Entity::find()
        .select_only()
        .columns([cost_hold::Column::ContractId, cost_hold::Column::State])
        .filter(cost_hold::Column::EngagementId.eq(engagement_id))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut out = Contracts { committed: 0, held: 0, payments: Vec::new(), skipped: Vec::new() };
    let mut counted = Vec::new();
    for k in contracts {
        if k.currency != currency {
            out.skipped.push(k.currency.clone());
            continue;
        }
        if ContractState::parse(&k.state).is_ok_and(|s| s.in_force() || s == ContractState::Completed) {
            match holds.get(&k.id).map(String::as_str) {
                Some("pending") => out.held += k.total_minor,
                Some("rejected") => {}
                _ => out.committed += k.total_minor,
            }
        }
        counted.push(k.id);
    }
    let installments: Vec<i64> = installment::Entity::find()
        .select_only()
        .column(installment::Column::Id)
        .filter(installment::Column::ContractId.is_in(counted))
        .into_tuple()
        .all(db)
        .await?;
    let paid: Vec<(NaiveDate, i64)> = payment::Entity::find()
        .select_only()
        .column(payment::Column::PaidOn)
        .column(payment::Column::AmountMinor)
        .filter(payment::Column::InstallmentId.is_in(installments))
        .into_tuple()
        .all(db)
        .await?;
    out.payments = paid.into_iter().map(|(on, minor)| Cost { on, category: CostCategory::Vendor, minor }).collect();
    out.skipped.sort();
    out.skipped.dedup();
    Ok(out)
}

async fn lines_of(db: &impl ConnectionTrait, engagement_id: i64) -> AppResult<Vec<budget_line::Model>> {
    Ok(budget_line::Entity::find().filter(budget_line::Column::EngagementId.eq(engagement_id)).all(db).await?)
}

/// The budget's currency: its lines', or the default before any.
fn currency_of(lines: &[budget_line::Model]) -> String {
    lines.first().map_or_else(|| DEFAULT_CURRENCY.to_owned(), |l| l.currency.clone())
}

/// Every dated cost of the engagement (payments and counted expenses), with the budget's lines.
async fn ledger(
    db: &impl ConnectionTrait,
    engagement_id: i64,
) -> AppResult<(Vec<budget_line::Model>, Contracts, Vec<expense::Model>)> {
    let lines = lines_of(db, engagement_id).await?;
    let currency = currency_of(&lines);
    let contracts = contracts_of(db, engagement_id, &currency).await?;
    let expenses = expense::Entity::find()
        .filter(expense::Column::EngagementId.eq(engagement_id))
        .filter(expense::Column::State.ne(ExpenseState::Rejected.as_str()))
        .all(db)
        .await?;
    Ok((lines, contracts, expenses))
}

fn budget_from(
    lines: &[budget_line::Model],
    contracts: &Contracts,
    expenses: &[expense::Model],
    as_of: NaiveDate,
) -> Budget {
    let currency = currency_of(lines);
    let by_cat: HashMap<&str, &budget_line::Model> = lines.iter().map(|l| (l.category.as_str(), l)).collect();
    let lines_out = CostCategory::ALL
        .iter()
        .map(|&c| {
            let line = by_cat.get(c.as_str());
            let mine = |state: ExpenseState| {
                expenses
                    .iter()
                    .filter(|x| x.category == c.as_str() && x.state == state.as_str() && x.spent_on <= as_of)
                    .map(|x| x.amount_minor)
                    .sum::<i64>()
            };
            let paid: i64 =
                contracts.payments.iter().filter(|p| p.category == c && p.on <= as_of).map(|p| p.minor).sum();
            let held = if c == CostCategory::Vendor { contracts.held } else { 0 };
            Line {
                category: c,
                amount: line.map_or(0, |l| l.amount_minor),
                baseline: line.and_then(|l| l.baseline_minor),
                committed: if c == CostCategory::Vendor { contracts.committed } else { 0 },
                paid,
                expensed: mine(ExpenseState::Counted),
                pending: mine(ExpenseState::Pending) + held,
            }
        })
        .collect();
    Budget { currency, lines: lines_out, set: !lines.is_empty(), skipped_currencies: contracts.skipped.clone() }
}

/// The budget with commitments and everything paid and counted (whatever its date: a cost
/// recorded ahead is spent money all the same).
pub async fn budget(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Budget> {
    host_view(state, viewer, engagement_id).await?;
    budget_in(&state.db, engagement_id).await
}

/// [`budget`] read through `db` (a write transaction sees its own changes), without a viewer.
pub(super) async fn budget_in(db: &impl ConnectionTrait, engagement_id: i64) -> AppResult<Budget> {
    let (lines, contracts, expenses) = ledger(db, engagement_id).await?;
    Ok(budget_from(&lines, &contracts, &expenses, NaiveDate::MAX))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLineInput {
    /// labour | vendor | hardware | software | travel | other
    #[serde(default)]
    pub category: String,
    pub amount: MoneyDto,
}

/// The whole budget: categories left out are removed. The first budget is its own baseline.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetInput {
    #[serde(default)]
    pub lines: Vec<BudgetLineInput>,
}

/// Sets the budget (the engagement's managers).
pub async fn set_budget(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: BudgetInput,
) -> AppResult<Budget> {
    host_view(state, viewer, engagement_id).await?;
    if !manages(state, viewer, engagement_id).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let mut wanted: BTreeMap<&'static str, Money> = BTreeMap::new();
    for (i, l) in input.lines.iter().enumerate() {
        let field = format!("lines[{i}]");
        let category = errors.take(&format!("{field}.category"), CostCategory::parse(&l.category));
        let amount = errors.take(&format!("{field}.amount"), Money::try_from(&l.amount));
        if amount.as_ref().is_some_and(|a| a.minor < 0) {
            errors.add(format!("{field}.amount"), Msg::new("error-budget-negative"));
        }
        if let (Some(c), Some(a)) = (category, amount) {
            if wanted.values().next().is_some_and(|first| first.currency != a.currency) {
                errors.add(format!("{field}.amount"), Msg::new("error-budget-currency"));
            }
            if wanted.insert(c.as_str(), a).is_some() {
                errors.add(format!("{field}.category"), Msg::new("error-budget-duplicate"));
            }
        }
    }
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let before = lines_of(&tx, engagement_id).await?;
    let first_budget = before.is_empty();
    for old in &before {
        if !wanted.contains_key(old.category.as_str()) {
            budget_line::Entity::delete_by_id(old.id).exec(&tx).await?;
        }
    }
    for (category, amount) in &wanted {
        match before.iter().find(|l| l.category == *category) {
            Some(old) => {
                let mut row: budget_line::ActiveModel = old.clone().into();
                row.amount_minor = Set(amount.minor);
                row.currency = Set(amount.currency.clone());
                row.updated_at = Set(now);
                row.update(&tx).await?;
            }
            None => {
                budget_line::ActiveModel {
                    engagement_id: Set(engagement_id),
                    category: Set((*category).to_owned()),
                    amount_minor: Set(amount.minor),
                    // The first budget is its own baseline; a category added later has none until re-baselined.
                    baseline_minor: Set(first_budget.then_some(amount.minor)),
                    currency: Set(amount.currency.clone()),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
        }
    }
    let as_json = |ls: &[budget_line::Model]| {
        json!(ls.iter().map(|l| json!({"category": l.category, "amount_minor": l.amount_minor, "baseline_minor": l.baseline_minor, "currency": l.currency})).collect::<Vec<_>>())
    };
    let after = lines_of(&tx, engagement_id).await?;
    record(
        &tx,
        state,
        viewer,
        "budget.set",
        "engagement",
        engagement_id,
        Some(as_json(&before)),
        Some(as_json(&after)),
    )
    .await?;
    crate::engagements::watch::changed(&tx, state.clock.now(), engagement_id).await?;
    tx.commit().await?;
    budget(state, viewer, engagement_id).await
}

/// Saves the current amounts as the budget's baseline (the engagement's managers).
pub async fn baseline_budget(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Budget> {
    host_view(state, viewer, engagement_id).await?;
    if !manages(state, viewer, engagement_id).await? {
        return Err(AppError::Forbidden);
    }
    let tx = db::begin_write(&state.writer).await?;
    let lines = lines_of(&tx, engagement_id).await?;
    if lines.is_empty() {
        return Err(AppError::Conflict(Msg::new("error-budget-empty")));
    }
    for l in &lines {
        let mut row: budget_line::ActiveModel = l.clone().into();
        row.baseline_minor = Set(Some(l.amount_minor));
        row.update(&tx).await?;
    }
    let total: i64 = lines.iter().map(|l| l.amount_minor).sum();
    record(
        &tx,
        state,
        viewer,
        "budget.baseline",
        "engagement",
        engagement_id,
        None,
        Some(json!({"total_minor": total})),
    )
    .await?;
    crate::engagements::watch::changed(&tx, state.clock.now(), engagement_id).await?;
    tx.commit().await?;
    budget(state, viewer, engagement_id).await
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenseInput {
    /// labour | vendor | hardware | software | travel | other
    #[serde(default)]
    pub category: String,
    pub amount: Option<MoneyDto>,
    /// YYYY-MM-DD: when the money was spent.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub description: String,
    /// A document of this engagement (the receipt).
    #[serde(default)]
    pub document_id: Option<Id>,
}

/// Records an expense (anyone of the host). One that would take its category over the budget
/// waits for an approver and does not count until approved.
pub async fn add_expense(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: ExpenseInput,
) -> AppResult<expense::Model> {
    host_view(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let category = errors.take("category", CostCategory::parse(&input.category));
    let amount = match &input.amount {
        None => {
            errors.add("amount", Msg::new("error-required"));
            None
        }
        Some(a) => errors.take("amount", Money::try_from(a)),
    };
    if amount.as_ref().is_some_and(|a| a.minor <= 0) {
        errors.add("amount", Msg::new("error-amount-positive"));
    }
    let spent_on = errors.take("date", domain::parse_date(&input.date));
    let description = errors.take("description", domain::text(&input.description, true, 2_000));
    if let Some(Id(d)) = input.document_id {
        let found = crate::documents::entity::document::Entity::find_by_id(d)
            .filter(crate::documents::entity::document::Column::EngagementId.eq(engagement_id))
            .one(&state.db)
            .await?;
        if found.is_none() {
            errors.add("document_id", Msg::new("error-expense-document"));
        }
    }
    let lines = lines_of(&state.db, engagement_id).await?;
    let currency = currency_of(&lines);
    if amount.as_ref().is_some_and(|a| a.currency != currency) {
        errors.add("amount", Msg::new("error-expense-currency").arg("currency", currency.clone()));
    }
    errors.into_result()?;
    let (Some(category), Some(amount), Some(spent_on), Some(description)) = (category, amount, spent_on, description)
    else {
        return Err(AppError::Internal(anyhow::anyhow!("validated expense fields missing")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    // Read the ledger inside the write, so two expenses cannot both slip under the budget.
    let (lines, contracts, expenses) = ledger(&tx, engagement_id).await?;
    let b = budget_from(&lines, &contracts, &expenses, NaiveDate::MAX);
    let line = b.lines.iter().find(|l| l.category == category);
    let over = b.set && line.is_some_and(|l| l.exposure() + amount.minor > l.amount);
    let row = expense::ActiveModel {
        engagement_id: Set(engagement_id),
        category: Set(category.as_str().to_owned()),
        amount_minor: Set(amount.minor),
        currency: Set(amount.currency),
        spent_on: Set(spent_on),
        description: Set(description),
        document_id: Set(input.document_id.map(|d| d.0)),
        state: Set(if over { ExpenseState::Pending } else { ExpenseState::Counted }.as_str().to_owned()),
        created_by: Set(viewer.user.id),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(&tx, state, viewer, "expense.create", "expense", row.id, None, Some(expense_json(&row))).await?;
    crate::engagements::watch::changed(&tx, state.clock.now(), engagement_id).await?;
    tx.commit().await?;
    Ok(row)
}

fn expense_json(x: &expense::Model) -> serde_json::Value {
    json!({"engagement_id": x.engagement_id, "category": x.category, "amount_minor": x.amount_minor,
           "currency": x.currency, "spent_on": x.spent_on, "description": x.description, "state": x.state,
           "decision_reason": x.decision_reason})
}

/// An engagement's expenses, newest first.
pub async fn expenses(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    limit: u64,
    after: Option<i64>,
) -> AppResult<(Vec<expense::Model>, Option<String>)> {
    host_view(state, viewer, engagement_id).await?;
    let mut q = expense::Entity::find().filter(expense::Column::EngagementId.eq(engagement_id));
    if let Some(a) = after {
        q = q.filter(expense::Column::Id.lt(a));
    }
    let rows = q.order_by_desc(expense::Column::Id).limit(limit + 1).all(&state.db).await?;
    Ok(db::page(rows, limit, |x| x.id))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenseDecisionInput {
    /// approve | reject
    #[serde(default)]
    pub decision: String,
    /// Why; kept with the expense and in the audit log.
    #[serde(default)]
    pub reason: String,
}

/// An approver's decision as sent: approve (true) or reject, and the reason (required).
pub(super) fn decision_of(input: &ExpenseDecisionInput) -> AppResult<(bool, String)> {
    let mut errors = FieldErrors::default();
    let approve = match input.decision.trim() {
        "approve" => Some(true),
        "reject" => Some(false),
        "" => {
            errors.add("decision", Msg::new("error-required"));
            None
        }
        _ => {
            errors.add("decision", Msg::new("error-expense-decision"));
            None
        }
    };
    let reason = errors.take("reason", domain::text(&input.reason, true, 2_000));
    errors.into_result()?;
    match (approve, reason) {
        (Some(a), Some(r)) => Ok((a, r)),
        _ => Err(AppError::Internal(anyhow::anyhow!("validated decision missing"))),
    }
}

/// An approver decides on an expense over budget: approved, it counts; rejected, it never does.
pub async fn decide(
    state: &AppState,
    viewer: &Viewer,
    expense_id: i64,
    input: ExpenseDecisionInput,
) -> AppResult<expense::Model> {
    if !viewer.is_host() {
        return Err(AppError::NotFound);
    }
    let before = expense::Entity::find_by_id(expense_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    get(state, viewer, before.engagement_id).await?;
    if !may_approve(viewer) {
        return Err(AppError::Forbidden);
    }
    let (approve, reason) = decision_of(&input)?;
    if before.state != ExpenseState::Pending.as_str() {
        return Err(AppError::Conflict(Msg::new("error-expense-decided")));
    }
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let mut row: expense::ActiveModel = before.clone().into();
    row.state = Set(if approve { ExpenseState::Counted } else { ExpenseState::Rejected }.as_str().to_owned());
    row.decided_by = Set(Some(viewer.user.id));
    row.decided_at = Set(Some(now));
    row.decision_reason = Set(reason);
    let after = row.update(&tx).await?;
    record(
        &tx,
        state,
        viewer,
        "expense.decide",
        "expense",
        expense_id,
        Some(expense_json(&before)),
        Some(expense_json(&after)),
    )
    .await?;
    crate::engagements::watch::changed(&tx, state.clock.now(), after.engagement_id).await?;
    tx.commit().await?;
    Ok(after)
}

/// The plan EVM measures: leaf tasks with the latest baseline's dates where there is one.
pub async fn planned_tasks(db: &impl ConnectionTrait, engagement_id: i64) -> AppResult<Vec<PlannedTask>> {
    let tasks = task::Entity::find().filter(task::Column::EngagementId.eq(engagement_id)).all(db).await?;
    let parents: std::collections::HashSet<i64> = tasks.iter().filter_map(|t| t.parent_id).collect();
    let latest = baseline::Entity::find()
        .filter(baseline::Column::EngagementId.eq(engagement_id))
        .order_by_desc(baseline::Column::Id)
        .one(db)
        .await?;
    let planned: HashMap<i64, (NaiveDate, NaiveDate)> = match latest {
        Some(b) => baseline_item::Entity::find()
            .filter(baseline_item::Column::BaselineId.eq(b.id))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|i| i.task_id.map(|t| (t, (i.start_date, i.finish_date))))
            .collect(),
        None => HashMap::new(),
    };
    Ok(tasks
        .into_iter()
        .filter(|t| !parents.contains(&t.id))
        .map(|t| {
            let (start, finish) = planned.get(&t.id).copied().unwrap_or((t.start_date, t.finish_date));
            PlannedTask { start, finish, progress: t.progress }
        })
        .collect())
}

/// Everything the cost page and the S-curve need, as of a date.
pub struct CostView {
    pub budget: Budget,
    pub evm: Evm,
    pub tasks: Vec<PlannedTask>,
    /// Payments and counted expenses, by date.
    pub costs: Vec<Cost>,
    pub calendar: crate::engagements::calendar::WorkCalendar,
    /// EV as kept day by day before the date ([`super::snapshots`]), oldest first.
    pub ev_history: Vec<(NaiveDate, i64)>,
}

pub async fn view(state: &AppState, viewer: &Viewer, engagement_id: i64, as_of: NaiveDate) -> AppResult<CostView> {
    host_view(state, viewer, engagement_id).await?;
    compute(state, engagement_id, as_of).await
}

/// [`view`] without a viewer: for the early-warning rules, which run as the system.
pub async fn compute(state: &AppState, engagement_id: i64, as_of: NaiveDate) -> AppResult<CostView> {
    let (lines, contracts, expenses) = ledger(&state.db, engagement_id).await?;
    let budget = budget_from(&lines, &contracts, &expenses, NaiveDate::MAX);
    let mut costs = contracts.payments.clone();
    costs.extend(expenses.iter().filter(|x| x.state == ExpenseState::Counted.as_str()).filter_map(|x| {
        CostCategory::parse(&x.category).ok().map(|category| Cost { on: x.spent_on, category, minor: x.amount_minor })
    }));
    costs.sort_by_key(|c| c.on);
    let tasks = planned_tasks(&state.db, engagement_id).await?;
    let calendar = workdays::calendar_for(state, engagement_id).await?;
    let ac = costs.iter().filter(|c| c.on <= as_of).map(|c| c.minor).sum();
    let evm = evm::compute(&calendar, budget.bac(), &tasks, ac, as_of);
    let mut ev_history = super::snapshots::ev_history(&state.db, engagement_id, &budget.currency, as_of).await?;
    ev_history.retain(|(d, _)| *d < as_of);
    Ok(CostView { budget, evm, tasks, costs, calendar, ev_history })
}
