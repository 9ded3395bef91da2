//! Change figures of an engagement, over the changes the viewer may see: how many are open,
//! and what approved changes have added since the first baseline.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::entity::change_request;
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    engagements::{entity::baseline, service::get},
    error::AppResult,
    money::{Money, MoneyDto},
};

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ChangeStats {
    /// Pending and deferred.
    pub open: u64,
    pub pending: u64,
    pub deferred: u64,
    pub approved: u64,
    pub rejected: u64,
    /// Working days approved changes moved the plan since `since`.
    pub approved_days: i64,
    /// Money approved changes added since `since`, one entry per currency; null for anyone
    /// but the host and the client (a change's cost is their price).
    pub approved_cost: Option<Vec<MoneyDto>>,
    /// When baseline 1 was saved (null when there is none: all approved changes count).
    pub since: Option<DateTime<Utc>>,
}

impl ChangeStats {
    pub fn cost_display(&self) -> Vec<String> {
        self.approved_cost
            .iter()
            .flatten()
            .filter_map(|d| Money::try_from(d).ok())
            .map(|m| if m.minor > 0 { format!("+{}", m.display()) } else { m.display() })
            .collect()
    }
}

pub async fn stats(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<ChangeStats> {
    get(state, viewer, engagement_id).await?;
    let since = baseline::Entity::find()
        .filter(baseline::Column::EngagementId.eq(engagement_id))
        .order_by_asc(baseline::Column::Id)
        .one(&state.db)
        .await?
        .map(|b| b.created_at);
    let rows = change_request::Entity::find()
        .filter(change_request::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(change_request::Column::Visibility, change_request::Column::VisiblePartyId))
        .all(&state.db)
        .await?;
    let mut out = ChangeStats { since, ..Default::default() };
    let mut cost: BTreeMap<String, i64> = BTreeMap::new();
    for c in rows {
        match c.state.as_str() {
            "pending" => out.pending += 1,
            "deferred" => out.deferred += 1,
            "rejected" => out.rejected += 1,
            "approved" => {
                out.approved += 1;
                if since.is_none_or(|s| c.decided_at.is_some_and(|d| d >= s)) {
                    out.approved_days += i64::from(c.impact_days.unwrap_or(0));
                    *cost.entry(c.currency.clone()).or_default() += c.cost_delta_minor;
                }
            }
            _ => {}
        }
    }
    out.open = out.pending + out.deferred;
    let lens = Lens::of(state, viewer, engagement_id).await?;
    out.approved_cost =
        lens.client_price(cost.into_iter().map(|(currency, minor)| Money { minor, currency }.dto()).collect());
    Ok(out)
}
