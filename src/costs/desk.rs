//! What waits for an approver on their desk: expenses and commitments over budget.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    entity::{cost_hold, expense},
    service::may_approve,
};
use crate::{
    AppState,
    auth::Viewer,
    contracts::entity::contract,
    domain::{self, Waiting},
    error::AppResult,
    money::Money,
};

/// Pending expenses and held commitments, oldest first, for those who decide on them.
pub async fn waiting(state: &AppState, viewer: &Viewer) -> AppResult<Vec<Waiting>> {
    if !may_approve(viewer) {
        return Ok(Vec::new());
    }
    let expenses = expense::Entity::find()
        .filter(expense::Column::State.eq("pending"))
        .order_by_asc(expense::Column::Id)
        .limit(domain::DESK_LIMIT)
        .all(&state.db)
        .await?;
    let holds = cost_hold::Entity::find()
        .filter(cost_hold::Column::State.eq("pending"))
        .order_by_asc(cost_hold::Column::Id)
        .limit(domain::DESK_LIMIT)
        .all(&state.db)
        .await?;
    let numbers: HashMap<i64, String> = contract::Entity::find()
        .select_only()
        .columns([contract::Column::Id, contract::Column::Number])
        .filter(contract::Column::Id.is_in(holds.iter().map(|h| h.contract_id)))
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let money = |minor: i64, currency: &str| Money { minor, currency: currency.to_owned() }.display();
    let mut out: Vec<Waiting> = expenses
        .into_iter()
        .map(|x| Waiting {
            what: "waiting-approve-expense",
            title: format!("{} · {}", money(x.amount_minor, &x.currency), x.description),
            engagement_id: Some(x.engagement_id),
            context: String::new(),
            due: None,
            url: format!("/engagements/{}/costs#expense-{}", x.engagement_id, x.id),
        })
        .collect();
    out.extend(holds.into_iter().map(|h| Waiting {
        what: "waiting-approve-commitment",
        title: format!(
            "{} · {}",
            numbers.get(&h.contract_id).cloned().unwrap_or_default(),
            money(h.amount_minor, &h.currency)
        ),
        engagement_id: Some(h.engagement_id),
        context: String::new(),
        due: None,
        url: format!("/engagements/{}/costs#hold-{}", h.engagement_id, h.id),
    }));
    Ok(out)
}
