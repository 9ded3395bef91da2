//! The delivery facts a scorecard reads, for any number of vendors at once: one query per kind
//! of fact (not one per vendor), grouped by vendor, so the ranking of every vendor costs about
//! what one scorecard does.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Query,
};

use super::{
    entity::evaluation,
    scorecard::{AsOf, Period},
};
use crate::{
    acceptance::entity::{acceptance, defect},
    changes::entity::change_request,
    collab::entity::activity,
    contracts::entity::{contract, dispute, installment},
    engagements::entity::{deliverable, milestone},
    error::AppResult,
    issues::entity::issue,
    users::entity::user,
};

/// One vendor's facts (everything that may count in the period; the scorecard picks).
#[derive(Default)]
pub struct VendorFacts {
    /// Milestones it owns that fall due in the period, by due date.
    pub milestones: Vec<milestone::Model>,
    /// Deliverables it owns, and every decided acceptance round of them.
    pub deliverables: Vec<deliverable::Model>,
    pub rounds: Vec<acceptance::Model>,
    /// Defects against its work raised around the period (the scorecard checks the day).
    pub defects: Vec<defect::Model>,
    /// Change requests it raised around the period.
    pub changes: Vec<change_request::Model>,
    /// Its payable contracts, their installments (by due date) and disputes.
    pub contracts: Vec<contract::Model>,
    pub installments: Vec<installment::Model>,
    pub disputes: Vec<dispute::Model>,
    /// Manual evaluations of the period (a year's: also of its quarters).
    pub evaluations: Vec<evaluation::Model>,
    /// Issues and conflicts its people own, resolved or falling due around the period.
    pub issues: Vec<issue::Model>,
}

pub struct Facts {
    by_vendor: HashMap<i64, VendorFacts>,
    /// When each milestone was last achieved, as a day of the organisation.
    pub achieved: HashMap<i64, NaiveDate>,
}

impl Facts {
    pub fn of(&self, vendor: i64) -> Option<&VendorFacts> {
        self.by_vendor.get(&vendor)
    }
}

/// The period's evaluation keys: a quarter's own, or a year's and its four quarters'.
fn evaluation_keys(p: &Period) -> Vec<String> {
    let mut keys = vec![p.key.clone()];
    if !p.key.contains('Q') {
        keys.extend((1..=4).map(|q| format!("{}Q{q}", p.key)));
    }
    keys
}

/// Reads the facts of `vendors` for period `p`. Instants are stored in UTC and a period is in
/// the organisation's days, so timestamp filters take a day's margin on each side; the
/// scorecard decides the day exactly.
pub async fn load(db: &impl ConnectionTrait, vendors: &[i64], p: &Period, at: &AsOf) -> AppResult<Facts> {
    let mut by_vendor: HashMap<i64, VendorFacts> = vendors.iter().map(|v| (*v, VendorFacts::default())).collect();
    let ids = || vendors.iter().copied();
    let from = crate::domain::add_days(p.start, -1).and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let until = crate::domain::add_days(p.end, 1).and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let (Some(from), Some(until)) = (from, until) else { return Ok(Facts { by_vendor, achieved: HashMap::new() }) };

    let milestones = milestone::Entity::find()
        .filter(milestone::Column::OwnerPartyId.is_in(ids()))
        .filter(milestone::Column::DueDate.gte(p.start))
        .filter(milestone::Column::DueDate.lt(p.end))
        .order_by_asc(milestone::Column::DueDate)
        .order_by_asc(milestone::Column::Id)
        .all(db)
        .await?;
    // Ascending, so the last achievement of a milestone reopened and achieved again wins.
    let achieved: HashMap<i64, NaiveDate> = activity::Entity::find()
        .filter(activity::Column::SubjectKind.eq("milestone"))
        .filter(activity::Column::Verb.eq("achieved"))
        .filter(activity::Column::SubjectId.is_in(milestones.iter().map(|m| m.id)))
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.subject_id, at.day(a.created_at)))
        .collect();
    for m in milestones {
        if let Some(f) = m.owner_party_id.and_then(|v| by_vendor.get_mut(&v)) {
            f.milestones.push(m);
        }
    }

    let deliverables = deliverable::Entity::find()
        .filter(deliverable::Column::OwnerPartyId.is_in(ids()))
        .order_by_asc(deliverable::Column::Id)
        .all(db)
        .await?;
    let owned = Query::select()
        .column(deliverable::Column::Id)
        .from(deliverable::Entity)
        .and_where(deliverable::Column::OwnerPartyId.is_in(ids()))
        .to_owned();
    let rounds = acceptance::Entity::find()
        .filter(acceptance::Column::DeliverableId.in_subquery(owned))
        .filter(acceptance::Column::DecidedAt.is_not_null())
        .order_by_asc(acceptance::Column::Id)
        .all(db)
        .await?;
    let owner: HashMap<i64, i64> = deliverables.iter().filter_map(|d| d.owner_party_id.map(|v| (d.id, v))).collect();
    for a in rounds {
        if let Some(f) = owner.get(&a.deliverable_id).and_then(|v| by_vendor.get_mut(v)) {
            f.rounds.push(a);
        }
    }
    for d in deliverables {
        if let Some(f) = d.owner_party_id.and_then(|v| by_vendor.get_mut(&v)) {
            f.deliverables.push(d);
        }
    }

    for d in defect::Entity::find()
        .filter(defect::Column::OwnerPartyId.is_in(ids()))
        .filter(defect::Column::CreatedAt.gte(from))
        .filter(defect::Column::CreatedAt.lt(until))
        .order_by_asc(defect::Column::Id)
        .all(db)
        .await?
    {
        if let Some(f) = d.owner_party_id.and_then(|v| by_vendor.get_mut(&v)) {
            f.defects.push(d);
        }
    }
    for c in change_request::Entity::find()
        .filter(change_request::Column::RaisedPartyId.is_in(ids()))
        .filter(change_request::Column::CreatedAt.gte(from))
        .filter(change_request::Column::CreatedAt.lt(until))
        .order_by_asc(change_request::Column::Id)
        .all(db)
        .await?
    {
        if let Some(f) = by_vendor.get_mut(&c.raised_party_id) {
            f.changes.push(c);
        }
    }

    let contracts = contract::Entity::find()
        .filter(contract::Column::CounterpartyId.is_in(ids()))
        .filter(contract::Column::Direction.eq("payable"))
        .order_by_asc(contract::Column::Id)
        .all(db)
        .await?;
    let counterparty: HashMap<i64, i64> = contracts.iter().map(|c| (c.id, c.counterparty_id)).collect();
    let contract_ids: Vec<i64> = contracts.iter().map(|c| c.id).collect();
    for i in installment::Entity::find()
        .filter(installment::Column::ContractId.is_in(contract_ids.clone()))
        .order_by_asc(installment::Column::DueOn)
        .order_by_asc(installment::Column::Id)
        .all(db)
        .await?
    {
        if let Some(f) = counterparty.get(&i.contract_id).and_then(|v| by_vendor.get_mut(v)) {
            f.installments.push(i);
        }
    }
    for d in dispute::Entity::find()
        .filter(dispute::Column::ContractId.is_in(contract_ids))
        .order_by_asc(dispute::Column::Id)
        .all(db)
        .await?
    {
        if let Some(f) = counterparty.get(&d.contract_id).and_then(|v| by_vendor.get_mut(v)) {
            f.disputes.push(d);
        }
    }
    for c in contracts {
        if let Some(f) = by_vendor.get_mut(&c.counterparty_id) {
            f.contracts.push(c);
        }
    }

    // The issue log: what its people own (the SLA is theirs to keep).
    let people: HashMap<i64, i64> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::PartyId])
        .filter(user::Column::PartyId.is_in(ids()))
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let theirs = Query::select()
        .column(user::Column::Id)
        .from(user::Entity)
        .and_where(user::Column::PartyId.is_in(ids()))
        .to_owned();
    for i in issue::Entity::find()
        .filter(issue::Column::OwnerId.in_subquery(theirs))
        .filter(
            Condition::any()
                .add(Condition::all().add(issue::Column::ResolvedAt.gte(from)).add(issue::Column::ResolvedAt.lt(until)))
                .add(
                    Condition::all().add(issue::Column::ResolveDue.gte(from)).add(issue::Column::ResolveDue.lt(until)),
                ),
        )
        .order_by_asc(issue::Column::Id)
        .all(db)
        .await?
    {
        if let Some(f) = i.owner_id.and_then(|o| people.get(&o)).and_then(|v| by_vendor.get_mut(v)) {
            f.issues.push(i);
        }
    }

    for e in evaluation::Entity::find()
        .filter(evaluation::Column::PartyId.is_in(ids()))
        .filter(evaluation::Column::Period.is_in(evaluation_keys(p)))
        .order_by_asc(evaluation::Column::Id)
        .all(db)
        .await?
    {
        if let Some(f) = by_vendor.get_mut(&e.party_id) {
            f.evaluations.push(e);
        }
    }
    Ok(Facts { by_vendor, achieved })
}
