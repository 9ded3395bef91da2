//! The scheduled job behind "due soon" and "overdue" notices: once an hour it looks at open
//! tasks and planned milestones of running engagements and notifies the people concerned,
//! once per record and due date. It also refreshes derived engagement health.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    AppState,
    collab::{
        Subject,
        entity::notification,
        notifications::{self, Kind, Notice},
    },
    engagements::{
        entity::{engagement, member, milestone, task},
        health,
    },
    error::AppResult,
};

/// How far ahead "due soon" looks, in calendar days.
pub const DUE_SOON_DAYS: i64 = 3;

const RUNNING: [&str; 3] = ["initiating", "active", "accepting"];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub notified: usize,
    pub health_changed: usize,
}

pub async fn run(state: &AppState) -> AppResult<Outcome> {
    let today = state.today();
    let horizon = crate::domain::add_days(today, DUE_SOON_DAYS);
    let engagements: Vec<(i64, Option<i64>)> = engagement::Entity::find()
        .select_only()
        .columns([engagement::Column::Id, engagement::Column::OwnerId])
        .filter(engagement::Column::State.is_in(RUNNING))
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut out = Outcome::default();
    for (id, owner) in engagements {
        out.notified += engagement_notices(state, id, owner, today, horizon).await?;
    }
    out.health_changed = health::refresh_all(&state.writer, today).await?;
    Ok(out)
}

fn notice(due: NaiveDate, today: NaiveDate) -> (Kind, &'static str) {
    if due < today { (Kind::Overdue, "overdue") } else { (Kind::DueSoon, "due_soon") }
}

async fn engagement_notices(
    state: &AppState,
    id: i64,
    owner: Option<i64>,
    today: NaiveDate,
    horizon: NaiveDate,
) -> AppResult<usize> {
    let now = state.clock.now();
    let mut sent = 0;
    // Notices already given (to anyone) are not worked out again every hour.
    let given: std::collections::HashSet<String> = notification::Entity::find()
        .select_only()
        .column(notification::Column::DedupeKey)
        .filter(notification::Column::EngagementId.eq(id))
        .filter(notification::Column::DedupeKey.is_not_null())
        .into_tuple::<Option<String>>()
        .all(&state.db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut due = task::Entity::find()
        .filter(task::Column::EngagementId.eq(id))
        .filter(task::Column::Status.ne("done"))
        .filter(task::Column::FinishDate.lte(horizon));
    // Without a PM only assignees are told: tasks nobody is assigned to are not read at all
    // (an engagement with a large unassigned backlog would otherwise be walked every hour).
    if owner.is_none() {
        due = due.filter(task::Column::AssigneeId.is_not_null());
    }
    let tasks = due.all(&state.db).await?;
    for t in &tasks {
        let (kind, tag) = notice(t.finish_date, today);
        let to: Vec<i64> = match (t.assignee_id, kind) {
            (Some(a), Kind::Overdue) => [Some(a), owner].into_iter().flatten().collect(),
            (Some(a), _) => vec![a],
            (None, _) => owner.into_iter().collect(),
        };
        let key = format!("{tag}:task:{}:{}", t.id, t.finish_date);
        if given.contains(&key) {
            continue;
        }
        sent += notifications::send(
            &state.writer,
            now,
            &to,
            &Notice { dedupe: Some(&key), ..Notice::new(kind, &Subject::from(t)) },
        )
        .await?;
    }
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::EngagementId.eq(id))
        .filter(milestone::Column::Status.eq("planned"))
        .filter(milestone::Column::DueDate.lte(horizon))
        .all(&state.db)
        .await?;
    if milestones.is_empty() {
        return Ok(sent);
    }
    let team: Vec<(i64, i64)> = member::Entity::find()
        .select_only()
        .column(member::Column::UserId)
        .column(crate::users::entity::user::Column::PartyId)
        .inner_join(crate::users::entity::user::Entity)
        .filter(member::Column::EngagementId.eq(id))
        .into_tuple()
        .all(&state.db)
        .await?;
    for m in &milestones {
        let (kind, tag) = notice(m.due_date, today);
        // The PM, and the team members of the party responsible for reaching it.
        let to: Vec<i64> = owner
            .into_iter()
            .chain(team.iter().filter(|(_, party)| Some(*party) == m.owner_party_id).map(|(u, _)| *u))
            .collect();
        let key = format!("{tag}:milestone:{}:{}", m.id, m.due_date);
        if given.contains(&key) {
            continue;
        }
        sent += notifications::send(
            &state.writer,
            now,
            &to,
            &Notice { dedupe: Some(&key), ..Notice::new(kind, &Subject::from(m)) },
        )
        .await?;
    }
    Ok(sent)
}

/// Hourly: due-soon and overdue notices, and derived engagement health.
pub const PLAN_NOTICES: crate::jobs::Kind = crate::jobs::Kind {
    name: "plan_notices",
    max_attempts: 3,
    every_seconds: Some(3600),
    run: |state, _, _| {
        Box::pin(async move {
            let out = run(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(notified = out.notified, health_changed = out.health_changed, "plan notices");
            Ok(())
        })
    },
};
