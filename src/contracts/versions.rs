//! Versions of a contract: the frozen content of each submission (what is reviewed, hashed and
//! signed), its text for reading, the diff between versions, and their reviews and signatures.

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use super::{
    entity::{contract, review, signature, version},
    service::{self, engagement_ids},
};
use crate::{
    AppState,
    error::{AppError, AppResult},
    money::{format_amount, format_percent},
    parties::entity::party,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenClause {
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub due_date: Option<chrono::NaiveDate>,
    pub amount: Option<String>,
    pub milestone_id: Option<i64>,
    pub deliverable_id: Option<i64>,
    pub warranty_months: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenInstallment {
    pub seq: i32,
    pub name: String,
    pub kind: String,
    pub amount: String,
    pub percent_bp: Option<i32>,
    pub trigger_kind: String,
    pub trigger_date: Option<chrono::NaiveDate>,
    pub deliverable_id: Option<i64>,
    pub milestone_id: Option<i64>,
    pub stage: Option<String>,
}

/// Exactly what is reviewed, hashed and signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenContract {
    pub number: String,
    pub title: String,
    pub description: String,
    pub direction: String,
    pub counterparty_id: i64,
    pub counterparty: String,
    pub currency: String,
    pub total: String,
    pub tax_rate_bp: i32,
    pub tax: String,
    pub start_date: Option<chrono::NaiveDate>,
    pub end_date: Option<chrono::NaiveDate>,
    pub engagement_ids: Vec<i64>,
    pub clauses: Vec<FrozenClause>,
    pub installments: Vec<FrozenInstallment>,
}

pub fn content_of(v: &version::Model) -> AppResult<FrozenContract> {
    serde_json::from_str(&v.content).map_err(|e| AppError::Internal(e.into()))
}

pub(super) async fn freeze(tx: &DatabaseTransaction, c: &contract::Model) -> AppResult<FrozenContract> {
    let counterparty = party::Entity::find_by_id(c.counterparty_id).one(tx).await?.map(|p| p.name).unwrap_or_default();
    let clauses = super::entity::clause::Entity::find()
        .filter(super::entity::clause::Column::ContractId.eq(c.id))
        .order_by_asc(super::entity::clause::Column::Position)
        .all(tx)
        .await?
        .into_iter()
        .map(|k| FrozenClause {
            position: k.position,
            kind: k.kind,
            title: k.title,
            body: k.body,
            due_date: k.due_date,
            amount: k.amount_minor.map(format_amount),
            milestone_id: k.milestone_id,
            deliverable_id: k.deliverable_id,
            warranty_months: k.warranty_months,
        })
        .collect();
    let installments = service::installments(tx, c.id)
        .await?
        .into_iter()
        .filter(|i| i.state != "cancelled")
        .map(|i| FrozenInstallment {
            seq: i.seq,
            name: i.name,
            kind: i.kind,
            amount: format_amount(i.amount_minor),
            percent_bp: i.percent_bp,
            trigger_kind: i.trigger_kind,
            trigger_date: i.trigger_date,
            deliverable_id: i.deliverable_id,
            milestone_id: i.milestone_id,
            stage: i.stage,
        })
        .collect();
    Ok(FrozenContract {
        number: c.number.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        direction: c.direction.clone(),
        counterparty_id: c.counterparty_id,
        counterparty,
        currency: c.currency.clone(),
        total: format_amount(c.total_minor),
        tax_rate_bp: c.tax_rate_bp,
        tax: format_amount(c.tax_minor),
        start_date: c.start_date,
        end_date: c.end_date,
        engagement_ids: engagement_ids(tx, c.id).await?,
        clauses,
        installments,
    })
}

/// The frozen content as lines of text, the form a diff between versions is read in.
pub fn lines(f: &FrozenContract) -> Vec<String> {
    let mut out = vec![
        format!("{} · {}", f.number, f.title),
        format!("{} · {}", f.direction, f.counterparty),
        format!("{} {} · VAT {} % · {} {}", f.currency, f.total, format_percent(f.tax_rate_bp), f.currency, f.tax),
        format!(
            "{} – {}",
            f.start_date.map(|d| d.to_string()).unwrap_or_default(),
            f.end_date.map(|d| d.to_string()).unwrap_or_default()
        ),
    ];
    out.extend(f.description.lines().map(str::to_owned));
    for (i, k) in f.clauses.iter().enumerate() {
        out.push(format!("§{} [{}] {}", i + 1, k.kind, k.title));
        out.extend(k.body.lines().map(|l| format!("  {l}")));
        let mut facts = Vec::new();
        if let Some(d) = k.due_date {
            facts.push(format!("date {d}"));
        }
        if let Some(a) = &k.amount {
            facts.push(format!("{} {a}", f.currency));
        }
        if let Some(m) = k.warranty_months {
            facts.push(format!("warranty {m} months"));
        }
        if !facts.is_empty() {
            out.push(format!("  ({})", facts.join(", ")));
        }
    }
    for i in &f.installments {
        let share = i.percent_bp.map(|p| format!(" ({} %)", format_percent(p))).unwrap_or_default();
        let trigger = match (i.trigger_kind.as_str(), i.trigger_date, &i.stage) {
            ("date", Some(d), _) => format!("on {d}"),
            ("acceptance", _, Some(s)) => format!("on {s} acceptance"),
            ("warranty_end", _, _) => "when the warranty ends".to_owned(),
            (k, _, _) => k.to_owned(),
        };
        out.push(format!("#{} {} [{}] {} {}{share} · {trigger}", i.seq, i.name, i.kind, f.currency, i.amount));
    }
    out
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ContractDiffLine)]
pub struct DiffLine {
    /// equal | insert | delete
    pub op: &'static str,
    pub text: String,
}

/// What changed from one version to the next, line by line.
pub fn diff(before: &FrozenContract, after: &FrozenContract) -> Vec<DiffLine> {
    let (a, b) = (lines(before).join("\n"), lines(after).join("\n"));
    TextDiff::from_lines(&a, &b)
        .iter_all_changes()
        .map(|c| DiffLine {
            op: match c.tag() {
                ChangeTag::Equal => "equal",
                ChangeTag::Insert => "insert",
                ChangeTag::Delete => "delete",
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

pub async fn versions(state: &AppState, contract_id: i64) -> AppResult<Vec<version::Model>> {
    Ok(version::Entity::find()
        .filter(version::Column::ContractId.eq(contract_id))
        .order_by_desc(version::Column::Number)
        .all(&state.db)
        .await?)
}

pub async fn version_by_number(state: &AppState, contract_id: i64, number: i32) -> AppResult<version::Model> {
    version::Entity::find()
        .filter(version::Column::ContractId.eq(contract_id))
        .filter(version::Column::Number.eq(number))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The version a newer one is compared with: the newest signed one before it, else the one
/// just before it.
pub async fn previous(state: &AppState, v: &version::Model) -> AppResult<Option<version::Model>> {
    let older = version::Entity::find()
        .filter(version::Column::ContractId.eq(v.contract_id))
        .filter(version::Column::Number.lt(v.number))
        .order_by_desc(version::Column::Number)
        .all(&state.db)
        .await?;
    Ok(older.iter().find(|o| o.status == "signed").cloned().or_else(|| older.into_iter().next()))
}

pub async fn reviews(state: &AppState, version_ids: Vec<i64>) -> AppResult<Vec<review::Model>> {
    Ok(review::Entity::find()
        .filter(review::Column::VersionId.is_in(version_ids))
        .order_by_asc(review::Column::DecidedAt)
        .all(&state.db)
        .await?)
}

pub async fn signatures(state: &AppState, version_ids: Vec<i64>) -> AppResult<Vec<signature::Model>> {
    Ok(signature::Entity::find()
        .filter(signature::Column::VersionId.is_in(version_ids))
        .order_by_asc(signature::Column::SignedAt)
        .all(&state.db)
        .await?)
}
