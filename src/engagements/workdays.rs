//! An engagement's own calendar: the shipped national calendar plus the engagement's exceptions
//! (a site closure, a weekend the team works). Scheduling, the Gantt and baseline variance all
//! count working days through it.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::OnConflict};
use serde::Deserialize;
use serde_json::json;

use crate::{
    AppState,
    auth::Viewer,
    db, domain,
    engagements::{
        calendar::WorkCalendar,
        entity::calendar_day,
        service::{get, get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors},
};

/// The working calendar of an engagement.
pub async fn calendar_for(state: &AppState, engagement_id: i64) -> AppResult<WorkCalendar> {
    calendar_in(&state.db, state, engagement_id).await
}

/// `calendar_for`, read through `db` (a write transaction reads through itself: on
/// PostgreSQL a second connection from the pool may not be free while it holds its lock).
pub async fn calendar_in(
    db: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    engagement_id: i64,
) -> AppResult<WorkCalendar> {
    let days =
        calendar_day::Entity::find().filter(calendar_day::Column::EngagementId.eq(engagement_id)).all(db).await?;
    Ok(state.calendar.as_ref().clone().with_exceptions(days.into_iter().map(|d| (d.day, d.working))))
}

pub async fn exceptions(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<calendar_day::Model>> {
    get(state, viewer, engagement_id).await?;
    Ok(calendar_day::Entity::find()
        .filter(calendar_day::Column::EngagementId.eq(engagement_id))
        .order_by_asc(calendar_day::Column::Day)
        .all(&state.db)
        .await?)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDayInput {
    /// `YYYY-MM-DD`
    pub date: String,
    /// true: a working day (e.g. a weekend the team works); false: a day off.
    pub working: bool,
    #[serde(default)]
    pub note: String,
}

/// Sets (or replaces) the engagement's exception for one day.
pub async fn set(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: CalendarDayInput,
) -> AppResult<calendar_day::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let day = errors.take("date", domain::parse_date(&input.date));
    let note = errors.take("note", domain::text(&input.note, false, 200));
    errors.into_result()?;
    let (Some(day), Some(note)) = (day, note) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    calendar_day::Entity::insert(calendar_day::ActiveModel {
        engagement_id: Set(engagement_id),
        day: Set(day),
        working: Set(input.working),
        note: Set(note.clone()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([calendar_day::Column::EngagementId, calendar_day::Column::Day])
            .update_columns([calendar_day::Column::Working, calendar_day::Column::Note])
            .to_owned(),
    )
    .exec_without_returning(&tx)
    .await?;
    let row = calendar_day::Entity::find()
        .filter(calendar_day::Column::EngagementId.eq(engagement_id))
        .filter(calendar_day::Column::Day.eq(day))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let after = json!({"date": day, "working": input.working, "note": note});
    record(&tx, state, viewer, "engagement.calendar_set", "engagement", engagement_id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}

/// Removes the engagement's exception for one day (the national calendar applies again).
pub async fn remove(state: &AppState, viewer: &Viewer, engagement_id: i64, day: NaiveDate) -> AppResult<()> {
    get_to_manage(state, viewer, engagement_id).await?;
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    let row = calendar_day::Entity::find()
        .filter(calendar_day::Column::EngagementId.eq(engagement_id))
        .filter(calendar_day::Column::Day.eq(day))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    calendar_day::Entity::delete_by_id(row.id).exec(&tx).await?;
    let before = json!({"date": day, "working": row.working, "note": row.note});
    record(&tx, state, viewer, "engagement.calendar_remove", "engagement", engagement_id, Some(before), None).await?;
    tx.commit().await?;
    Ok(())
}
