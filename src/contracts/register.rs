//! The contract register: the viewer's contracts filtered by counterparty, state, direction,
//! value, engagement, text and coming expiry; and the names a page of them shows.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    entity::{contract, contract_engagement},
    service::scope,
};
use crate::{
    AppState, auth::Viewer, db, domain::ContractState, error::AppResult, parties::entity::party, users::entity::user,
};
#[derive(Debug, Default)]
pub struct Register {
    pub counterparty_id: Option<i64>,
    pub state: Option<ContractState>,
    pub direction: Option<String>,
    /// In force and ending within this many days of today.
    pub expiring_within: Option<i64>,
    pub min_total: Option<i64>,
    pub max_total: Option<i64>,
    pub engagement_id: Option<i64>,
    pub q: Option<String>,
    pub limit: u64,
    pub after: Option<i64>,
}

/// The contract register: the viewer's contracts, filtered, newest first.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    f: &Register,
) -> AppResult<(Vec<contract::Model>, Option<String>)> {
    let mut q = contract::Entity::find().filter(scope(viewer));
    if let Some(p) = f.counterparty_id {
        q = q.filter(contract::Column::CounterpartyId.eq(p));
    }
    if let Some(s) = f.state {
        q = q.filter(contract::Column::State.eq(s.as_str()));
    }
    if let Some(d) = &f.direction {
        q = q.filter(contract::Column::Direction.eq(d.as_str()));
    }
    if let Some(days) = f.expiring_within {
        let today = state.today();
        q = q
            .filter(contract::Column::State.is_in(["signed", "active", "amended"]))
            .filter(contract::Column::EndDate.gte(today))
            .filter(contract::Column::EndDate.lte(crate::domain::add_days(today, days)));
    }
    if let Some(v) = f.min_total {
        q = q.filter(contract::Column::TotalMinor.gte(v));
    }
    if let Some(v) = f.max_total {
        q = q.filter(contract::Column::TotalMinor.lte(v));
    }
    if let Some(e) = f.engagement_id {
        let ids: Vec<i64> = contract_engagement::Entity::find()
            .select_only()
            .column(contract_engagement::Column::ContractId)
            .filter(contract_engagement::Column::EngagementId.eq(e))
            .into_tuple()
            .all(&state.db)
            .await?;
        q = q.filter(contract::Column::Id.is_in(ids));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // Number, title, or the counterparty's name (the scope above still decides which
        // contracts the viewer may see).
        let counterparties = party::Entity::find().select_only().column(party::Column::Id).filter(
            Condition::any()
                .add(db::icontains(party::Column::Name, text))
                .add(db::icontains(party::Column::LegalName, text)),
        );
        q = q.filter(
            Condition::any()
                .add(db::icontains(contract::Column::Number, text))
                .add(db::icontains(contract::Column::Title, text))
                .add(contract::Column::CounterpartyId.in_subquery(sea_orm::QueryTrait::into_query(counterparties))),
        );
    }
    if let Some(a) = f.after {
        q = q.filter(contract::Column::Id.lt(a));
    }
    let rows = q.order_by_desc(contract::Column::Id).limit(f.limit + 1).all(&state.db).await?;
    Ok(db::page(rows, f.limit, |c| c.id))
}

/// Names of parties and users for a page of contracts.
pub async fn names(
    state: &AppState,
    contracts: &[contract::Model],
) -> AppResult<(BTreeMap<i64, String>, BTreeMap<i64, String>)> {
    let parties = counterparty_names(state, contracts).await?;
    let user_ids: Vec<i64> = contracts
        .iter()
        .flat_map(|c| {
            [c.owner_id, c.host_signatory_id, c.counterparty_signatory_id, c.legal_approver_id, c.finance_approver_id]
        })
        .flatten()
        .collect();
    let users = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name])
        .filter(user::Column::Id.is_in(user_ids))
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    Ok((parties, users))
}

/// The names of the contracts' counterparties, by party id (nothing read for no contracts).
pub async fn counterparty_names(state: &AppState, contracts: &[contract::Model]) -> AppResult<BTreeMap<i64, String>> {
    if contracts.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(party::Entity::find()
        .select_only()
        .columns([party::Column::Id, party::Column::Name])
        .filter(party::Column::Id.is_in(contracts.iter().map(|c| c.counterparty_id)))
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect())
}
