//! Escalation: when an issue's SLA is breached the job queue tells more people, each level
//! once, in-app and by mail.

use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, Set};

use super::{entity::issue, service::sla_state, sla::Clock};
use crate::{
    AppState,
    collab::{
        Subject,
        notifications::{self, Kind, Notice},
    },
    db,
    error::AppResult,
    users::entity::user,
};

/// Escalates the issues whose SLA is breached, each level once: a late response to the owner
/// and the engagement's PMs; a late resolution also to the raising party's managers (or, for
/// the host's own issues, the owner's party's) and to the host's executives (admins and
/// approvers). In-app and by mail.
pub async fn escalate(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now();
    let live = issue::Entity::find()
        .filter(issue::Column::Status.is_in(["open", "responded"]))
        .filter(issue::Column::Escalation.lt(2))
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for i in live {
        let s = sla_state(&i, now);
        let level = if s.resolve == Clock::Breached {
            2
        } else if s.response == Clock::Breached {
            1
        } else {
            0
        };
        if level <= i.escalation {
            continue;
        }
        let tx = db::begin_write(&state.writer).await?;
        let mut people = crate::changes::service::managers_of(&tx, i.engagement_id).await?;
        people.extend(i.owner_id);
        if level == 2 {
            let host = crate::parties::service::host_ids(&tx).await?;
            let other = if host.contains(&i.raised_party_id) {
                match i.owner_id {
                    Some(o) => user::Entity::find_by_id(o).one(&tx).await?.map(|u| u.party_id),
                    None => None,
                }
            } else {
                Some(i.raised_party_id)
            };
            let managers: Vec<i64> = user::Entity::find()
                .select_only()
                .column(user::Column::Id)
                .filter(user::Column::Active.eq(true))
                .filter(
                    Condition::any()
                        .add(
                            Condition::all()
                                .add(user::Column::PartyId.is_in(other.into_iter().filter(|p| !host.contains(p))))
                                .add(user::Column::Role.eq("manager")),
                        )
                        .add(
                            Condition::all()
                                .add(user::Column::PartyId.is_in(host.clone()))
                                .add(user::Column::Role.is_in(["admin", "approver"])),
                        ),
                )
                .into_tuple()
                .all(&tx)
                .await?;
            people.extend(managers);
        }
        people.sort_unstable();
        people.dedup();
        let mut row: issue::ActiveModel = i.clone().into();
        row.escalation = Set(level);
        let after = row.update(&tx).await?;
        let subject = Subject::from(&after);
        let key = format!("issue:{}:escalation:{level}", i.id);
        let link = format!("{}{}", state.config.base_url, subject.url());
        let notice = Notice { dedupe: Some(&key), ..Notice::new(Kind::IssueEscalated, &subject) };
        sent += notifications::send_and_mail(&tx, now, &people, &notice, |lang| {
            let what = lang.t(if level == 2 { "issue-escalated-resolve" } else { "issue-escalated-response" });
            let args = [("title", subject.title.clone()), ("what", what), ("link", link.clone())];
            (lang.t_args("issue-escalation-subject", &args), lang.t_args("issue-escalation-body", &args))
        })
        .await?;
        tx.commit().await?;
    }
    Ok(sent)
}

/// Every five minutes: SLA targets fall due between the hours.
pub const ISSUE_ESCALATION: crate::jobs::Kind = crate::jobs::Kind {
    name: "issue_escalation",
    max_attempts: 3,
    every_seconds: Some(300),
    run: |state, _, _| {
        Box::pin(async move {
            let n = escalate(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(told = n, "issue escalations");
            Ok(())
        })
    },
};
