//! Derived health: an engagement whose PM chose "derived" takes its colour from the plan
//! instead of from a person. Red when a planned milestone is past due or more than a fifth of
//! the open tasks are late; amber when any task is late or a milestone falls due within three
//! days with its tasks unfinished; green otherwise. It counts every record (health is the
//! host's statement about the whole engagement; only the colour is shown to participants).

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    domain::Health,
    engagements::entity::{engagement, milestone, task},
    error::AppResult,
};

/// What the colour is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Signals {
    pub late_milestones: u64,
    pub milestones_due_soon: u64,
    pub open_tasks: u64,
    pub late_tasks: u64,
}

pub fn derive(s: Signals) -> Health {
    if s.late_milestones > 0 || (s.late_tasks > 0 && s.late_tasks * 5 > s.open_tasks) {
        Health::Red
    } else if s.late_tasks > 0 || (s.milestones_due_soon > 0 && s.open_tasks > 0) {
        Health::Amber
    } else {
        Health::Green
    }
}

pub async fn signals(db: &impl ConnectionTrait, id: i64, today: NaiveDate) -> AppResult<Signals> {
    // Two queries of counts (this runs inside every plan write, under the write lock).
    let (open_tasks, late_tasks) = counts(
        db,
        task::Entity::find()
            .filter(task::Column::EngagementId.eq(id))
            .filter(task::Column::Status.ne("done"))
            .select_only()
            .column_as(Expr::val(1).count(), "n")
            .column_as(when(Expr::col(task::Column::FinishDate).lt(today)).sum(), "late"),
    )
    .await?;
    let soon = crate::domain::add_days(today, 3);
    let (late_milestones, milestones_due_soon) = counts(
        db,
        milestone::Entity::find()
            .filter(milestone::Column::EngagementId.eq(id))
            .filter(milestone::Column::Status.eq("planned"))
            .filter(milestone::Column::DueDate.lte(soon))
            .select_only()
            .column_as(when(Expr::col(milestone::Column::DueDate).lt(today)).sum(), "late")
            .column_as(when(Expr::col(milestone::Column::DueDate).gte(today)).sum(), "soon"),
    )
    .await?;
    Ok(Signals { late_milestones, milestones_due_soon, open_tasks, late_tasks })
}

/// 1 where `cond` holds, else 0: summed, a count of the rows that match.
fn when(cond: sea_orm::sea_query::SimpleExpr) -> sea_orm::sea_query::SimpleExpr {
    sea_orm::sea_query::CaseStatement::new().case(cond, Expr::val(1)).finally(Expr::val(0)).into()
}

/// The two counts one aggregate query selects (a sum over no rows is NULL: zero).
async fn counts<E: EntityTrait>(db: &impl ConnectionTrait, q: sea_orm::Select<E>) -> AppResult<(u64, u64)> {
    let row: Option<(Option<i64>, Option<i64>)> = q.into_tuple().all(db).await?.into_iter().next();
    let (a, b) = row.unwrap_or_default();
    let n = |v: Option<i64>| u64::try_from(v.unwrap_or(0)).unwrap_or(0);
    Ok((n(a), n(b)))
}

/// Recomputes the colour of one engagement if it is derived; true when it changed.
pub async fn refresh(db: &impl ConnectionTrait, id: i64, today: NaiveDate) -> AppResult<bool> {
    let Some(e) = engagement::Entity::find_by_id(id).filter(engagement::Column::HealthAuto.eq(true)).one(db).await?
    else {
        return Ok(false);
    };
    let colour = derive(signals(db, id, today).await?).as_str();
    if e.health == colour {
        return Ok(false);
    }
    engagement::Entity::update_many()
        .col_expr(engagement::Column::Health, Expr::value(colour))
        .filter(engagement::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(true)
}

/// Recomputes every derived colour (the hourly job: dates pass without anyone writing).
pub async fn refresh_all(db: &impl ConnectionTrait, today: NaiveDate) -> AppResult<usize> {
    let ids: Vec<i64> = engagement::Entity::find()
        .select_only()
        .column(engagement::Column::Id)
        .filter(engagement::Column::HealthAuto.eq(true))
        .filter(engagement::Column::State.is_in(["initiating", "active", "accepting"]))
        .into_tuple()
        .all(db)
        .await?;
    let mut changed = 0;
    for id in ids {
        changed += usize::from(refresh(db, id, today).await?);
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_follow_the_plan() {
        let s = |late_milestones, milestones_due_soon, open_tasks, late_tasks| Signals {
            late_milestones,
            milestones_due_soon,
            open_tasks,
            late_tasks,
        };
        assert_eq!(derive(s(0, 0, 10, 0)), Health::Green);
        assert_eq!(derive(s(0, 0, 10, 1)), Health::Amber);
        assert_eq!(derive(s(0, 0, 10, 2)), Health::Amber);
        assert_eq!(derive(s(0, 0, 10, 3)), Health::Red);
        assert_eq!(derive(s(1, 0, 0, 0)), Health::Red);
        assert_eq!(derive(s(0, 1, 4, 0)), Health::Amber);
        assert_eq!(derive(s(0, 1, 0, 0)), Health::Green);
    }
}
