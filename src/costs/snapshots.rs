//! Earned value kept day by day: the early-warning evaluation records the engagement's EVM of
//! the day (one row per engagement and day, the last evaluation of the day wins). The S-curve
//! draws EV from it; the portfolio reads each engagement's latest SPI and CPI without computing
//! anything.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};

use super::{entity::evm_snapshot, evm::Evm};
use crate::error::AppResult;

#[allow(clippy::cast_possible_truncation)]
fn milli(r: Option<f64>) -> Option<i64> {
    r.filter(|x| x.is_finite()).map(|x| (x * 1000.0).round() as i64)
}

/// Keeps `evm` as the engagement's figures of its date.
pub async fn record(
    db: &impl ConnectionTrait,
    engagement_id: i64,
    currency: &str,
    evm: &Evm,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let existing = evm_snapshot::Entity::find()
        .filter(evm_snapshot::Column::EngagementId.eq(engagement_id))
        .filter(evm_snapshot::Column::Day.eq(evm.as_of))
        .one(db)
        .await?;
    let mut row: evm_snapshot::ActiveModel = match existing {
        Some(s) => s.into(),
        None => {
            evm_snapshot::ActiveModel { engagement_id: Set(engagement_id), day: Set(evm.as_of), ..Default::default() }
        }
    };
    row.currency = Set(currency.to_owned());
    row.bac = Set(evm.bac);
    row.pv = Set(evm.pv);
    row.ev = Set(evm.ev);
    row.ac = Set(evm.ac);
    row.spi_milli = Set(milli(evm.spi));
    row.cpi_milli = Set(milli(evm.cpi));
    row.updated_at = Set(now);
    row.save(db).await?;
    Ok(())
}

/// EV by day up to `until`, in `currency`, oldest first.
pub async fn ev_history(
    db: &impl ConnectionTrait,
    engagement_id: i64,
    currency: &str,
    until: NaiveDate,
) -> AppResult<Vec<(NaiveDate, i64)>> {
    Ok(evm_snapshot::Entity::find()
        .filter(evm_snapshot::Column::EngagementId.eq(engagement_id))
        .filter(evm_snapshot::Column::Currency.eq(currency))
        .filter(evm_snapshot::Column::Day.lte(until))
        .order_by_asc(evm_snapshot::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.day, s.ev))
        .collect())
}

/// Each engagement's newest snapshot, of those in `ids`.
pub async fn latest(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, evm_snapshot::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = evm_snapshot::Entity::find()
        .filter(evm_snapshot::Column::EngagementId.is_in(ids.iter().copied()))
        .filter(Expr::cust(
            "evm_snapshots.day = (SELECT MAX(s.day) FROM evm_snapshots s \
             WHERE s.engagement_id = evm_snapshots.engagement_id)",
        ))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|s| (s.engagement_id, s)).collect())
}
