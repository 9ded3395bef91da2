//! Cash flow as the host sees it: money planned and money actually moved, by month, for one
//! engagement or for all; receivables (client contracts) against payables (vendor contracts).
//! Planned money is dated by when it fell due, or else by when it is expected (the
//! installment's date, else its trigger's: the deliverable's or milestone's due date, the
//! warranty's end); actual money by the payment's date. Each currency is its own flow: amounts in different currencies never add.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::{
    entity::{contract, contract_engagement, installment, payment},
    service::scope,
};
use crate::{
    AppState,
    acceptance::entity::warranty,
    auth::Viewer,
    engagements::entity::{deliverable, milestone},
    error::{AppError, AppResult},
    money::{Money, MoneyDto},
};

/// Months shown at most, counted back from the last one with money in it.
pub const MAX_MONTHS: usize = 36;

#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Month {
    /// `2026-12`
    pub month: String,
    pub planned_in: MoneyDto,
    pub planned_out: MoneyDto,
    pub actual_in: MoneyDto,
    pub actual_out: MoneyDto,
}

/// One month in minor units, before it is spoken as money.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthMinor {
    pub planned_in: i64,
    pub planned_out: i64,
    pub actual_in: i64,
    pub actual_out: i64,
}

#[derive(Clone, Debug, Default)]
pub struct Flow {
    pub currency: String,
    /// `(year, month)` → figures, every month from the first to the last.
    pub months: Vec<((i32, u32), MonthMinor)>,
    /// Due or invoiced and not yet paid.
    pub receivable_outstanding: i64,
    pub payable_outstanding: i64,
    /// Planned and not yet due.
    pub receivable_planned: i64,
    pub payable_planned: i64,
    pub received: i64,
    pub paid: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FlowDto {
    pub currency: String,
    pub months: Vec<Month>,
    pub receivable_outstanding: MoneyDto,
    pub payable_outstanding: MoneyDto,
    pub receivable_planned: MoneyDto,
    pub payable_planned: MoneyDto,
    pub received: MoneyDto,
    pub paid: MoneyDto,
}

impl Flow {
    pub fn money(&self, minor: i64) -> Money {
        Money { minor, currency: self.currency.clone() }
    }

    pub fn dto(&self) -> FlowDto {
        let m = |v: i64| self.money(v).dto();
        FlowDto {
            currency: self.currency.clone(),
            months: self
                .months
                .iter()
                .map(|((y, mo), f)| Month {
                    month: format!("{y}-{mo:02}"),
                    planned_in: m(f.planned_in),
                    planned_out: m(f.planned_out),
                    actual_in: m(f.actual_in),
                    actual_out: m(f.actual_out),
                })
                .collect(),
            receivable_outstanding: m(self.receivable_outstanding),
            payable_outstanding: m(self.payable_outstanding),
            receivable_planned: m(self.receivable_planned),
            payable_planned: m(self.payable_planned),
            received: m(self.received),
            paid: m(self.paid),
        }
    }
}

/// Figures of one currency by `(year, month)`.
type ByMonth = BTreeMap<(i32, u32), MonthMinor>;

fn key(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

fn next(k: (i32, u32)) -> (i32, u32) {
    if k.1 == 12 { (k.0 + 1, 1) } else { (k.0, k.1 + 1) }
}

/// When the money of an installment is expected.
async fn expected(state: &AppState, i: &installment::Model) -> AppResult<Option<NaiveDate>> {
    // Money owed is planned for when it fell due; money still to come for when it is expected.
    if let Some(d) = i.due_on.or(i.expected_on).or(i.trigger_date) {
        return Ok(Some(d));
    }
    if i.trigger_kind == "warranty_end"
        && let Some(d) = i.deliverable_id
        && let Some(w) = warranty::Entity::find().filter(warranty::Column::DeliverableId.eq(d)).one(&state.db).await?
    {
        return Ok(Some(w.ends_on));
    }
    if let Some(d) = i.deliverable_id {
        return Ok(deliverable::Entity::find_by_id(d).one(&state.db).await?.map(|d| d.due_date));
    }
    if let Some(m) = i.milestone_id {
        return Ok(milestone::Entity::find_by_id(m).one(&state.db).await?.map(|m| m.due_date));
    }
    Ok(None)
}

/// The host's cash flow, for one engagement or for every contract.
pub async fn flows(state: &AppState, viewer: &Viewer, engagement_id: Option<i64>) -> AppResult<Vec<Flow>> {
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    let mut q = contract::Entity::find().filter(scope(viewer)).filter(contract::Column::State.is_in([
        "signed",
        "active",
        "amended",
        "completed",
        "terminated",
    ]));
    if let Some(e) = engagement_id {
        crate::engagements::service::get(state, viewer, e).await?;
        let ids: Vec<i64> = contract_engagement::Entity::find()
            .filter(contract_engagement::Column::EngagementId.eq(e))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|l| l.contract_id)
            .collect();
        q = q.filter(contract::Column::Id.is_in(ids));
    }
    let contracts = q.all(&state.db).await?;
    let by_id: BTreeMap<i64, &contract::Model> = contracts.iter().map(|c| (c.id, c)).collect();
    let insts = installment::Entity::find()
        .filter(installment::Column::ContractId.is_in(by_id.keys().copied()))
        .all(&state.db)
        .await?;
    let pays = payment::Entity::find()
        .filter(payment::Column::InstallmentId.is_in(insts.iter().map(|i| i.id)))
        .all(&state.db)
        .await?;
    let mut out: BTreeMap<String, (Flow, ByMonth)> = BTreeMap::new();
    for i in &insts {
        let Some(c) = by_id.get(&i.contract_id) else { continue };
        let incoming = c.direction == "receivable";
        let (flow, months) = out
            .entry(c.currency.clone())
            .or_insert_with(|| (Flow { currency: c.currency.clone(), ..Flow::default() }, BTreeMap::new()));
        let unpaid = i.amount_minor - i.paid_minor;
        match i.state.as_str() {
            "due" | "invoiced" if incoming => flow.receivable_outstanding += unpaid,
            "due" | "invoiced" => flow.payable_outstanding += unpaid,
            "planned" if incoming => flow.receivable_planned += i.amount_minor,
            "planned" => flow.payable_planned += i.amount_minor,
            _ => {}
        }
        if i.state != "cancelled"
            && let Some(d) = expected(state, i).await?
        {
            let m = months.entry(key(d)).or_default();
            if incoming {
                m.planned_in += i.amount_minor;
            } else {
                m.planned_out += i.amount_minor;
            }
        }
        for p in pays.iter().filter(|p| p.installment_id == i.id) {
            let m = months.entry(key(p.paid_on)).or_default();
            if incoming {
                m.actual_in += p.amount_minor;
                flow.received += p.amount_minor;
            } else {
                m.actual_out += p.amount_minor;
                flow.paid += p.amount_minor;
            }
        }
    }
    Ok(out
        .into_values()
        .map(|(mut flow, months)| {
            if let (Some(first), Some(last)) = (months.keys().next().copied(), months.keys().last().copied()) {
                let mut all = Vec::new();
                let mut k = first;
                while k <= last {
                    all.push((k, months.get(&k).copied().unwrap_or_default()));
                    k = next(k);
                }
                let skip = all.len().saturating_sub(MAX_MONTHS);
                flow.months = all.into_iter().skip(skip).collect();
            }
            flow
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_roll_over_the_year() {
        assert_eq!(next((2026, 12)), (2027, 1));
        assert_eq!(next((2026, 3)), (2026, 4));
        assert_eq!(key(NaiveDate::from_ymd_opt(2026, 2, 14).unwrap_or_default()), (2026, 2));
    }
}
