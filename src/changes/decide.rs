//! Deciding a change request and applying an approved one.
//!
//! The decision and everything an approval does happen in one transaction: the scope items
//! change the requirement set and a new version is frozen, the plan moves as the what-if said,
//! a baseline is saved naming the change, and the contract hook runs. If any step fails, the
//! vote is not recorded either. Rejected and deferred changes change nothing but themselves.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    board::{self, Route},
    entity::{change_request, decision, scope_item},
    impact,
    service::{self, audit_json, cost_of, managers_of},
};
use crate::{
    AppState,
    audit::{self, Actor, Change},
    auth::Viewer,
    collab::{
        self, Subject,
        notifications::{self, Kind, Notice},
    },
    db,
    domain::{self, ChangeDecision, ChangeState, RequirementStatus, ScopeAction},
    engagements::{
        baseline,
        entity::{milestone, task},
        health,
        service::{manages, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    requirements::{self, entity::requirement},
};

/// How long a deferral lasts when no date is given.
pub const DEFAULT_DEFERRAL_DAYS: i64 = 14;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// approve | reject | defer
    #[serde(default)]
    pub decision: String,
    /// Required to reject or defer.
    #[serde(default)]
    pub comment: Option<String>,
    /// For `defer`: when the change comes back (`YYYY-MM-DD`, after today); two weeks when left out.
    #[serde(default)]
    pub revisit_on: Option<String>,
}

/// Who decides this change now, and who sits on the board.
pub async fn routing(state: &AppState, c: &change_request::Model) -> AppResult<(Route, Vec<i64>)> {
    let members = board::members(&state.db, c.engagement_id).await?;
    if let Some(r) = &c.route {
        return Ok((Route::parse(r), members));
    }
    let rules = board::rules(&state.db, c.engagement_id).await?;
    let days = c.impact_days.map_or(i64::from(c.schedule_delta_days), i64::from);
    Ok((board::route(&rules, &members, days, &cost_of(c)), members))
}

/// Who decides `c` now, the board, and whether the viewer is one of those who decide: a PM
/// of the engagement on the PM's route, a named member on the board's.
async fn rights(state: &AppState, viewer: &Viewer, c: &change_request::Model) -> AppResult<(Route, Vec<i64>, bool)> {
    let (route, members) = routing(state, c).await?;
    let entitled = match route {
        Route::Pm => manages(state, viewer, c.engagement_id).await?,
        Route::Board => members.contains(&viewer.user.id),
    };
    Ok((route, members, entitled))
}

/// Whether the viewer has a vote on `c` in its current round (before voting).
pub async fn may_decide(state: &AppState, viewer: &Viewer, c: &change_request::Model) -> AppResult<bool> {
    if c.state != ChangeState::Pending.as_str() {
        return Ok(false);
    }
    let (_, _, entitled) = rights(state, viewer, c).await?;
    Ok(entitled && votes(&state.db, c).await?.iter().all(|v| v.user_id != viewer.user.id))
}

pub async fn votes(db: &impl sea_orm::ConnectionTrait, c: &change_request::Model) -> AppResult<Vec<decision::Model>> {
    Ok(decision::Entity::find()
        .filter(decision::Column::ChangeRequestId.eq(c.id))
        .filter(decision::Column::Round.eq(c.round))
        .order_by_asc(decision::Column::Id)
        .all(db)
        .await?)
}

/// Every decision on `c`, all rounds, oldest first.
pub async fn history(state: &AppState, c: &change_request::Model) -> AppResult<Vec<decision::Model>> {
    Ok(decision::Entity::find()
        .filter(decision::Column::ChangeRequestId.eq(c.id))
        .order_by_asc(decision::Column::Id)
        .all(&state.db)
        .await?)
}

/// One approver's decision. The PM decides small changes alone; a board change is approved when
/// every member has approved, and rejected or deferred by any one of them.
pub async fn decide(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: DecisionInput,
) -> AppResult<change_request::Model> {
    let c = service::load(state, viewer, id).await?;
    if c.state != ChangeState::Pending.as_str() {
        return Err(AppError::Conflict(Msg::new("error-change-decided").arg("key", c.key.clone())));
    }
    let (route, members, entitled) = rights(state, viewer, &c).await?;
    if !entitled {
        return Err(AppError::Forbidden);
    }
    let today = state.today();
    let mut errors = FieldErrors::default();
    let verdict = errors.take("decision", ChangeDecision::parse(&input.decision));
    let needs_comment = verdict.is_some_and(|v| v != ChangeDecision::Approve);
    let comment = errors.take("comment", domain::text(input.comment.as_deref().unwrap_or(""), needs_comment, 5000));
    let revisit_on = match (verdict, input.revisit_on.as_deref().map(str::trim).filter(|r| !r.is_empty())) {
        (Some(ChangeDecision::Defer), Some(raw)) => match domain::parse_date(raw) {
            Ok(d) if d > today => Some(d),
            Ok(_) => {
                errors.add("revisit_on", Msg::new("error-revisit-future"));
                None
            }
            Err(m) => {
                errors.add("revisit_on", m);
                None
            }
        },
        (Some(ChangeDecision::Defer), None) => Some(crate::domain::add_days(today, DEFAULT_DEFERRAL_DAYS)),
        _ => None,
    };
    errors.into_result()?;
    let Some(verdict) = verdict else { return Err(AppError::Internal(anyhow::anyhow!("validated decision missing"))) };

    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    // Read again inside the transaction: a concurrent decision may have settled it.
    let c = change_request::Entity::find_by_id(c.id).one(&tx).await?.ok_or(AppError::NotFound)?;
    if c.state != ChangeState::Pending.as_str() {
        return Err(AppError::Conflict(Msg::new("error-change-decided").arg("key", c.key.clone())));
    }
    let earlier = votes(&tx, &c).await?;
    if earlier.iter().any(|v| v.user_id == viewer.user.id) {
        return Err(AppError::Conflict(Msg::new("error-change-voted")));
    }
    let vote = decision::ActiveModel {
        change_request_id: Set(c.id),
        round: Set(c.round),
        user_id: Set(viewer.user.id),
        party_id: Set(viewer.party.id),
        decision: Set(verdict.as_str().to_owned()),
        comment: Set(comment.unwrap_or_default()),
        revisit_on: Set(revisit_on),
        decided_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let before = audit_json(&c);
    let mut row: change_request::ActiveModel = c.clone().into();
    row.route = Set(Some(route.as_str().to_owned()));
    row.updated_at = Set(now);
    let settled = match verdict {
        ChangeDecision::Reject => Some(ChangeState::Rejected),
        ChangeDecision::Defer => Some(ChangeState::Deferred),
        ChangeDecision::Approve => {
            let approved =
                |u: &i64| *u == viewer.user.id || earlier.iter().any(|v| v.user_id == *u && v.decision == "approve");
            (route == Route::Pm || members.iter().all(approved)).then_some(ChangeState::Approved)
        }
    };
    if let Some(s) = settled {
        row.state = Set(s.as_str().to_owned());
        row.decided_at = Set(Some(now));
        row.revisit_on = Set(revisit_on);
    }
    let mut after = row.update(&tx).await?;
    if settled == Some(ChangeState::Approved) {
        after = apply(&tx, state, viewer, after).await?;
    }
    record(
        &tx,
        state,
        viewer,
        "change_request.decide",
        "change_request",
        c.id,
        Some(before),
        Some(json!({"decision": vote.decision, "comment": vote.comment, "round": vote.round, "state": after.state,
                    "revisit_on": vote.revisit_on})),
    )
    .await?;
    let verb = match settled {
        Some(ChangeState::Approved) => "approved",
        Some(ChangeState::Rejected) => "rejected",
        Some(_) => "deferred",
        None => "voted",
    };
    collab::activity::record(&tx, now, Some(viewer.user.id), &Subject::from(&after), verb).await?;
    if settled.is_some() {
        notify(&tx, state, &after, Kind::ChangeDecided, Some(viewer.user.id)).await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// How a change is named on what it leaves behind for every participant (the baseline it
/// saves, the requirement version it freezes): key and title when everyone may read the change,
/// the key alone when it is internal or shared with one party only.
pub(crate) fn public_label(c: &change_request::Model) -> String {
    if c.visibility == "participants" { format!("{} {}", c.key, c.title) } else { c.key.clone() }
}

/// Everything an approval does, inside the decision's transaction.
async fn apply(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    c: change_request::Model,
) -> AppResult<change_request::Model> {
    let version_id = apply_scope(tx, state, viewer, &c).await?;
    let plan = impact::load_plan(tx, state, c.engagement_id).await?;
    let w = impact::what_if(&plan, &c)?;
    let now = state.clock.now();
    for m in &w.tasks {
        let Some(t) = plan.tasks.iter().find(|t| t.id == m.task_id) else { continue };
        let mut am: task::ActiveModel = t.clone().into();
        am.start_date = Set(m.to.0);
        am.finish_date = Set(m.to.1);
        // The approved change decides the new start, as if typed.
        am.start_no_earlier = Set(Some(m.to.0));
        am.updated_at = Set(now);
        am.update(tx).await?;
    }
    for m in &w.milestones {
        let Some(ms) = plan.milestones.iter().find(|x| x.id == m.milestone_id) else { continue };
        let mut am: milestone::ActiveModel = ms.clone().into();
        am.due_date = Set(m.to);
        am.updated_at = Set(now);
        am.update(tx).await?;
    }
    health::refresh(tx, c.engagement_id, state.today()).await?;
    let name: String = public_label(&c).chars().take(100).collect();
    let b = baseline::save_in(tx, state, viewer, c.engagement_id, name, Some(c.id)).await?;
    contract_amendment(tx, state, viewer, &c).await?;
    let days = i32::try_from(impact::impact_days(&c, &w)).unwrap_or(i32::MAX);
    let mut am: change_request::ActiveModel = c.into();
    am.applied_moves = Set(serde_json::to_string(&w).map_err(|e| AppError::Internal(e.into()))?);
    am.baseline_id = Set(Some(b.id));
    am.requirement_version_id = Set(version_id);
    am.impact_days = Set(Some(days));
    Ok(am.update(tx).await?)
}

/// The contract hook: an approved change with a cost delta touches the contracts of its
/// engagement that its counterparty can see; each in force gets an amendment opened for it
/// (the PM then edits the amounts and sends it through review and signing). A contract with an
/// amendment already open gets a line on the audit trail instead.
async fn contract_amendment(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    c: &change_request::Model,
) -> AppResult<()> {
    if c.cost_delta_minor == 0 {
        return Ok(());
    }
    // The reason goes to the counterparty: the change's cost is the client's price, not the
    // vendor's, so it stays out (the PM sets the amounts of the amendment).
    let reason = format!("{} {}", c.key, c.title);
    for (contract_id, opened) in crate::contracts::lifecycle::amend_for_change(tx, state, viewer, c, reason).await? {
        if !opened {
            let after = json!({"change_request_id": c.id, "cost_delta": cost_of(c).dto(), "contract_id": contract_id});
            record(
                tx,
                state,
                viewer,
                "change_request.amendment_needed",
                "engagement",
                c.engagement_id,
                None,
                Some(after),
            )
            .await?;
        }
    }
    Ok(())
}

/// Applies the scope items to the requirement set and freezes the next version; the version's
/// id, or none when the change has no scope items (or they leave the set as it was).
async fn apply_scope(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    c: &change_request::Model,
) -> AppResult<Option<i64>> {
    let items = scope_item::Entity::find()
        .filter(scope_item::Column::ChangeRequestId.eq(c.id))
        .order_by_asc(scope_item::Column::Id)
        .all(tx)
        .await?;
    if items.is_empty() {
        return Ok(None);
    }
    let now = state.clock.now();
    let mut seq: i32 = requirement::Entity::find()
        .select_only()
        .column_as(requirement::Column::Seq.max(), "m")
        .filter(requirement::Column::EngagementId.eq(c.engagement_id))
        .into_tuple::<Option<i32>>()
        .one(tx)
        .await?
        .flatten()
        .unwrap_or(0);
    for item in items {
        let (before, after) = match (ScopeAction::parse(&item.action), item.requirement_id) {
            (Ok(ScopeAction::Add), _) => {
                seq += 1;
                let priority = if item.priority.is_empty() { "should".to_owned() } else { item.priority.clone() };
                let r = requirement::ActiveModel {
                    engagement_id: Set(c.engagement_id),
                    seq: Set(seq),
                    key: Set(requirements::service::key_of(seq)),
                    parent_id: Set(None),
                    title: Set(item.title.clone()),
                    description: Set(item.description.clone()),
                    kind: Set("functional".to_owned()),
                    priority: Set(priority),
                    source_party_id: Set(Some(c.raised_party_id)),
                    criteria: Set(item.criteria.clone()),
                    status: Set(RequirementStatus::Approved.as_str().to_owned()),
                    visibility: Set("participants".to_owned()),
                    visible_party_id: Set(None),
                    created_by: Set(viewer.user.id),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(tx)
                .await?;
                (None, r)
            }
            (Ok(action), Some(rid)) => {
                let r = requirement::Entity::find_by_id(rid).one(tx).await?.ok_or(AppError::NotFound)?;
                let mut am: requirement::ActiveModel = r.clone().into();
                if action == ScopeAction::Remove {
                    am.status = Set(RequirementStatus::Obsolete.as_str().to_owned());
                } else {
                    am.status = Set(RequirementStatus::Changed.as_str().to_owned());
                    if !item.title.is_empty() {
                        am.title = Set(item.title.clone());
                    }
                    if !item.description.is_empty() {
                        am.description = Set(item.description.clone());
                    }
                    if !item.criteria.is_empty() {
                        am.criteria = Set(item.criteria.clone());
                    }
                    if !item.priority.is_empty() {
                        am.priority = Set(item.priority.clone());
                    }
                }
                am.updated_at = Set(now);
                (Some(r), am.update(tx).await?)
            }
            _ => return Err(AppError::Internal(anyhow::anyhow!("scope item {} is malformed", item.id))),
        };
        let audit_before = before.as_ref().map(requirements::service::audit_json);
        let audit_after = Some(requirements::service::audit_json(&after));
        let action = if before.is_some() { "requirement.update" } else { "requirement.create" };
        record(tx, state, viewer, action, "requirement", after.id, audit_before, audit_after).await?;
        collab::track(tx, now, viewer.user.id, &Subject::from(&after), "updated", &after.description).await?;
    }
    let note: String = public_label(c).chars().take(500).collect();
    match requirements::versions::freeze_in(tx, state, viewer, c.engagement_id, note, Some(c.id)).await {
        Ok(v) => Ok(Some(v.id)),
        // Nothing new to freeze (or nothing shared left): the change needs no version.
        Err(AppError::Conflict(m)) if m.key == "error-version-unchanged" || m.key == "error-version-empty" => Ok(None),
        Err(e) => Err(e),
    }
}

/// Tells the people concerned: the PMs and the board of a new change, the raiser and the PMs
/// of a decision, everyone of a deferred change coming back. Only those who may see it.
pub(crate) async fn notify(
    tx: &DatabaseTransaction,
    state: &AppState,
    c: &change_request::Model,
    kind: Kind,
    actor: Option<i64>,
) -> AppResult<()> {
    let mut to = managers_of(tx, c.engagement_id).await?;
    if kind != Kind::ChangeDecided {
        to.extend(board::members(tx, c.engagement_id).await?);
    }
    if kind != Kind::ChangeRaised {
        to.push(c.raised_by);
    }
    to.sort_unstable();
    to.dedup();
    to.retain(|u| Some(*u) != actor);
    let subject = Subject::from(c);
    let dedupe = format!("change:{}:{}:{}", c.id, c.round, kind.as_str());
    let notice = Notice { actor_id: actor, dedupe: Some(&dedupe), ..Notice::new(kind, &subject) };
    notifications::send(tx, state.clock.now(), &to, &notice).await?;
    Ok(())
}

/// The scheduled job: deferred changes whose date has come are pending again, in a new round.
pub async fn revisit_due(state: &AppState) -> AppResult<usize> {
    let today = state.today();
    let due = change_request::Entity::find()
        .filter(change_request::Column::State.eq(ChangeState::Deferred.as_str()))
        .filter(change_request::Column::RevisitOn.lte(today))
        .all(&state.db)
        .await?;
    let n = due.len();
    for c in due {
        reopen(state, c, today).await?;
    }
    Ok(n)
}

async fn reopen(state: &AppState, c: change_request::Model, today: NaiveDate) -> AppResult<()> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let before = audit_json(&c);
    let mut am: change_request::ActiveModel = c.clone().into();
    am.state = Set(ChangeState::Pending.as_str().to_owned());
    am.round = Set(c.round + 1);
    am.route = Set(None);
    am.revisit_on = Set(None);
    am.decided_at = Set(None);
    am.updated_at = Set(now);
    let after = impact::refresh_days(&tx, state, am.update(&tx).await?).await?;
    let change = Change {
        action: "change_request.revisit",
        entity_type: "change_request",
        entity_id: c.id.to_string(),
        before: Some(before),
        after: Some(json!({"state": after.state, "round": after.round, "due": today})),
    };
    audit::record(&tx, now, Actor::SYSTEM, change).await?;
    collab::activity::record(&tx, now, None, &Subject::from(&after), "returned").await?;
    notify(&tx, state, &after, Kind::ChangeReturned, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Hourly: deferred change requests whose date has come go back to pending.
pub const CHANGE_REVISITS: crate::jobs::Kind = crate::jobs::Kind {
    name: "change_revisits",
    max_attempts: 3,
    every_seconds: Some(3600),
    run: |state, _, _| {
        Box::pin(async move {
            let n = revisit_due(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(reopened = n, "deferred changes revisited");
            Ok(())
        })
    },
};

/// The pending change requests the viewer has a vote on, for their desk.
pub async fn waiting(state: &AppState, viewer: &Viewer) -> AppResult<Vec<domain::Waiting>> {
    let pending = change_request::Entity::find()
        .filter(service::scope(viewer))
        .filter(change_request::Column::State.eq(ChangeState::Pending.as_str()))
        .order_by_asc(change_request::Column::Id)
        .limit(domain::DESK_LIMIT)
        .all(&state.db)
        .await?;
    let mut out = Vec::new();
    for c in pending {
        if may_decide(state, viewer, &c).await? {
            out.push(domain::Waiting {
                what: "waiting-decide-change",
                title: format!("{} {}", c.key, c.title),
                engagement_id: Some(c.engagement_id),
                context: String::new(),
                due: None,
                url: format!("/engagements/{}/changes/{}", c.engagement_id, c.id),
            });
        }
    }
    Ok(out)
}
