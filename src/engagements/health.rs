//! Derived health: an engagement whose PM chose "derived" takes its colour from the plan and its
//! open early warnings instead of from a person. Red when a planned milestone is past due, more
//! than a fifth of the open tasks are late or a red warning is open; amber when any task is
//! late, a milestone falls due within three days with its tasks unfinished or an amber warning
//! is open; green otherwise. It counts every record (health is the
//! host's statement about the whole engagement; only the colour is shown to participants).

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, Query, SelectStatement, SimpleExpr},
};

use crate::{
    domain::Health,
    engagements::entity::{engagement, milestone, task, warning},
    error::AppResult,
};

/// What the colour is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Signals {
    pub late_milestones: u64,
    pub milestones_due_soon: u64,
    pub open_tasks: u64,
    pub late_tasks: u64,
    pub red_warnings: u64,
    pub amber_warnings: u64,
}

pub fn derive(s: Signals) -> Health {
    if s.late_milestones > 0 || (s.late_tasks > 0 && s.late_tasks * 5 > s.open_tasks) || s.red_warnings > 0 {
        Health::Red
    } else if s.late_tasks > 0 || (s.milestones_due_soon > 0 && s.open_tasks > 0) || s.amber_warnings > 0 {
        Health::Amber
    } else {
        Health::Green
    }
}

/// Recomputes the colour of one engagement if it is derived; true when it changed. It runs
/// inside every plan write: it takes the engagement's lock first, so the counts include every
/// write to the engagement committed before and none can commit in between. One statement reads
/// the stored colour and the four counts, a second writes the colour only when it changed.
pub async fn refresh(db: &impl ConnectionTrait, id: i64, today: NaiveDate) -> AppResult<bool> {
    crate::db::lock_engagement(db, id).await?;
    let soon = crate::domain::add_days(today, 3);
    let count = |mut q: SelectStatement| -> SimpleExpr {
        q.expr(Expr::cust("COUNT(*)"));
        SimpleExpr::SubQuery(None, Box::new(q.into()))
    };
    let open_tasks = || {
        Query::select()
            .from(task::Entity)
            .and_where(task::Column::EngagementId.eq(id))
            .and_where(task::Column::Status.ne("done"))
            .to_owned()
    };
    let planned = || {
        Query::select()
            .from(milestone::Entity)
            .and_where(milestone::Column::EngagementId.eq(id))
            .and_where(milestone::Column::Status.eq("planned"))
            .to_owned()
    };
    let open_warnings = |severity: &str| {
        Query::select()
            .from(warning::Entity)
            .and_where(warning::Column::EngagementId.eq(id))
            .and_where(warning::Column::ClearedAt.is_null())
            .and_where(warning::Column::Severity.eq(severity))
            .to_owned()
    };
    let read = Query::select()
        .column(engagement::Column::Health)
        .expr(count(open_tasks()))
        .expr(count(open_tasks().and_where(task::Column::FinishDate.lt(today)).to_owned()))
        .expr(count(planned().and_where(milestone::Column::DueDate.lt(today)).to_owned()))
        .expr(count(
            planned()
                .and_where(milestone::Column::DueDate.gte(today))
                .and_where(milestone::Column::DueDate.lte(soon))
                .to_owned(),
        ))
        .expr(count(open_warnings("red")))
        .expr(count(open_warnings("amber")))
        .from(engagement::Entity)
        .and_where(engagement::Column::Id.eq(id))
        .and_where(engagement::Column::HealthAuto.eq(true))
        .to_owned();
    let Some(row) = db.query_one(&read).await? else {
        return Ok(false);
    };
    let mut c = crate::db::Cols::new(&row);
    let stored: String = c.take()?;
    let mut n = || -> AppResult<u64> { Ok(u64::try_from(c.take::<i64>()?).unwrap_or(0)) };
    let (open_tasks, late_tasks, late_milestones, milestones_due_soon) = (n()?, n()?, n()?, n()?);
    let (red_warnings, amber_warnings) = (n()?, n()?);
    let signals =
        Signals { late_milestones, milestones_due_soon, open_tasks, late_tasks, red_warnings, amber_warnings };
    let colour = derive(signals).as_str();
    if stored == colour {
        return Ok(false);
    }
    engagement::Entity::update_many()
        .col_expr(engagement::Column::Health, Expr::value(colour))
        .filter(engagement::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(true)
}

/// Recomputes every derived colour (the hourly job: dates pass without anyone writing), each
/// engagement in a write transaction of its own so its lock holds from the count to the update.
pub async fn refresh_all(writer: &sea_orm::DatabaseConnection, today: NaiveDate) -> AppResult<usize> {
    let ids: Vec<i64> = engagement::Entity::find()
        .select_only()
        .column(engagement::Column::Id)
        .filter(engagement::Column::HealthAuto.eq(true))
        .filter(engagement::Column::State.is_in(["initiating", "active", "accepting"]))
        .into_tuple()
        .all(writer)
        .await?;
    let mut changed = 0;
    for id in ids {
        let tx = crate::db::begin_write_in(writer, crate::db::WriteScope::Engagement(id)).await?;
        changed += usize::from(refresh(&tx, id, today).await?);
        tx.commit().await?;
    }
    Ok(changed)
}

/// A warning's message in `lang`, with its arguments (`warning-<rule>`).
pub fn reason(lang: crate::i18n::Lang, w: &warning::Model) -> String {
    let args: serde_json::Value = serde_json::from_str(&w.args).unwrap_or(serde_json::Value::Null);
    let pairs: Vec<(&str, String)> = args
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.as_str(), v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect())
        .unwrap_or_default();
    lang.t_args(&format!("warning-{}", w.rule), &pairs)
}

/// Why the engagement has its colour, as the viewer may know it: the open warnings it may see,
/// red first, and for the host the late tasks of the plan.
pub async fn reasons(
    state: &crate::AppState,
    viewer: &crate::auth::Viewer,
    e: &engagement::Model,
    lang: crate::i18n::Lang,
) -> AppResult<Vec<String>> {
    use sea_orm::{PaginatorTrait, QueryOrder};
    let mut open = warning::Entity::find()
        .filter(warning::Column::EngagementId.eq(e.id))
        .filter(warning::Column::ClearedAt.is_null())
        .filter(viewer.record_scope(warning::Column::Visibility, warning::Column::VisiblePartyId))
        .order_by_asc(warning::Column::Id)
        .all(&state.db)
        .await?;
    open.sort_by_key(|w| (w.severity != "red", w.id));
    let mut out: Vec<String> = open.iter().map(|w| reason(lang, w)).collect();
    if viewer.is_host() {
        let late = task::Entity::find()
            .filter(task::Column::EngagementId.eq(e.id))
            .filter(task::Column::Status.ne("done"))
            .filter(task::Column::FinishDate.lt(state.today()))
            .count(&state.db)
            .await?;
        if late > 0 {
            out.push(lang.t_args("health-reason-late-tasks", &[("count", late.to_string())]));
        }
    }
    Ok(out)
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
            ..Signals::default()
        };
        assert_eq!(derive(s(0, 0, 10, 0)), Health::Green);
        assert_eq!(derive(s(0, 0, 10, 1)), Health::Amber);
        assert_eq!(derive(s(0, 0, 10, 2)), Health::Amber);
        assert_eq!(derive(s(0, 0, 10, 3)), Health::Red);
        assert_eq!(derive(s(1, 0, 0, 0)), Health::Red);
        assert_eq!(derive(s(0, 1, 4, 0)), Health::Amber);
        assert_eq!(derive(s(0, 1, 0, 0)), Health::Green);
        // Open warnings colour it too.
        assert_eq!(derive(Signals { amber_warnings: 1, ..s(0, 0, 10, 0) }), Health::Amber);
        assert_eq!(derive(Signals { red_warnings: 1, ..s(0, 0, 10, 0) }), Health::Red);
    }
}
