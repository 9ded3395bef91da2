//! Issues and conflicts: raised by anyone taking part (within their party's slice), owned,
//! answered and resolved against SLA targets in working hours, confirmed by whoever raised them,
//! and escalated by the job queue when a target is breached.

use chrono::{DateTime, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    entity::{issue, sla_policy},
    sla::{self, BusinessHours, Clock},
};
use crate::{
    AppState,
    auth::Viewer,
    collab::{
        self, Subject, SubjectKind,
        notifications::{self, Kind, Notice},
    },
    db,
    domain::{self, Id, IssueKind, IssueSeverity, IssueStatus, Visibility},
    engagements::{
        calendar::WorkCalendar,
        plan::{may_hold, raised_visibility},
        service::{get, get_to_manage, manages, record},
        workdays,
    },
    error::{AppError, AppResult, FieldErrors, Msg},
};

const MAX_TEXT: usize = 20_000;

pub fn key_of(seq: i32) -> String {
    format!("I-{seq:03}")
}

impl From<&issue::Model> for Subject {
    fn from(i: &issue::Model) -> Self {
        Self {
            kind: SubjectKind::Issue,
            id: i.id,
            engagement_id: i.engagement_id,
            title: format!("{} {}", i.key, i.title),
            visibility: i.visibility.clone(),
            visible_party_id: i.visible_party_id,
        }
    }
}

/// Working minutes to the first response and to the resolution, per severity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Targets {
    pub critical: [i32; 2],
    pub high: [i32; 2],
    pub medium: [i32; 2],
    pub low: [i32; 2],
}

impl Default for Targets {
    /// One working day is nine hours (09:00–18:00).
    fn default() -> Self {
        Self { critical: [60, 540], high: [240, 1_620], medium: [540, 2_700], low: [1_080, 5_400] }
    }
}

impl Targets {
    pub fn of(&self, s: IssueSeverity) -> [i32; 2] {
        match s {
            IssueSeverity::Critical => self.critical,
            IssueSeverity::High => self.high,
            IssueSeverity::Medium => self.medium,
            IssueSeverity::Low => self.low,
        }
    }
}

/// An engagement's SLA as it applies: stored, or the defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub hours: BusinessHours,
    pub targets: Targets,
}

pub async fn policy(db: &impl ConnectionTrait, engagement_id: i64) -> AppResult<Policy> {
    let stored = sla_policy::Entity::find().filter(sla_policy::Column::EngagementId.eq(engagement_id)).one(db).await?;
    Ok(match stored {
        Some(p) => {
            let time = |s: &str, d: NaiveTime| NaiveTime::parse_from_str(s, "%H:%M").unwrap_or(d);
            let default = BusinessHours::default();
            Policy {
                hours: BusinessHours {
                    start: time(&p.hours_start, default.start),
                    end: time(&p.hours_end, default.end),
                },
                targets: serde_json::from_str(&p.targets).unwrap_or_default(),
            }
        }
        None => Policy { hours: BusinessHours::default(), targets: Targets::default() },
    })
}

/// The issues the viewer may see, wherever they are.
pub(crate) fn scope(viewer: &Viewer) -> Condition {
    Condition::all()
        .add(viewer.engagement_ids_scope(issue::Column::EngagementId))
        .add(viewer.record_scope(issue::Column::Visibility, issue::Column::VisiblePartyId))
}

/// Where an issue's clocks stand now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaState {
    pub response: Clock,
    pub resolve: Clock,
}

impl SlaState {
    pub fn overall(self) -> Clock {
        self.response.max(self.resolve)
    }
}

/// Where an issue's clocks stand at `now`: read from the row alone (the moments were computed on
/// the working calendar when the clocks started).
pub fn sla_state(i: &issue::Model, now: DateTime<Utc>) -> SlaState {
    let response =
        sla::clock(i.response_due, i.response_risk_at.unwrap_or(i.response_due), i.responded_at.or(i.resolved_at), now);
    let resolve = sla::clock(i.resolve_due, i.resolve_risk_at.unwrap_or(i.resolve_due), i.resolved_at, now);
    SlaState { response, resolve }
}

/// What starting an engagement's clocks needs: its calendar and policy.
pub struct Clocks {
    pub calendar: WorkCalendar,
    pub policy: Policy,
    pub tz: chrono_tz::Tz,
}

/// A clock's due and the moment it goes at risk.
pub struct Moments {
    pub due: DateTime<Utc>,
    pub at_risk: DateTime<Utc>,
}

impl Clocks {
    pub async fn of(state: &AppState, engagement_id: i64) -> AppResult<Self> {
        Ok(Self {
            calendar: workdays::calendar_for(state, engagement_id).await?,
            policy: policy(&state.db, engagement_id).await?,
            tz: state.config.time_zone,
        })
    }

    /// A clock of `minutes` working minutes that starts at `from`.
    pub fn start(&self, from: DateTime<Utc>, minutes: i32) -> Moments {
        let (cal, hours, tz) = (&self.calendar, self.policy.hours, self.tz);
        Moments {
            due: sla::add(cal, hours, tz, from, i64::from(minutes)),
            at_risk: sla::at_risk_from(cal, hours, tz, from, i64::from(minutes)),
        }
    }
}

#[derive(Debug, Default)]
pub struct IssueFilter {
    pub status: Option<IssueStatus>,
    /// Not closed.
    pub open: bool,
    pub limit: u64,
    pub after: Option<i64>,
}

/// An engagement's issues, newest first.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    f: &IssueFilter,
) -> AppResult<(Vec<issue::Model>, Option<String>)> {
    get(state, viewer, engagement_id).await?;
    let mut q = issue::Entity::find().filter(issue::Column::EngagementId.eq(engagement_id)).filter(scope(viewer));
    if let Some(s) = f.status {
        q = q.filter(issue::Column::Status.eq(s.as_str()));
    }
    if f.open {
        q = q.filter(issue::Column::Status.ne(IssueStatus::Closed.as_str()));
    }
    if let Some(a) = f.after {
        q = q.filter(issue::Column::Id.lt(a));
    }
    let rows = q.order_by_desc(issue::Column::Id).limit(f.limit + 1).all(&state.db).await?;
    Ok(db::page(rows, f.limit, |i| i.id))
}

pub async fn load(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<issue::Model> {
    db::unique(issue::Entity::find_by_id(id).filter(scope(viewer)), &state.db).await?.ok_or(AppError::NotFound)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueInput {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// issue | conflict | question | decision
    #[serde(default)]
    pub kind: Option<String>,
    /// critical | high | medium | low
    #[serde(default)]
    pub severity: Option<String>,
    /// A person of the host or of a taking-part party who may see the issue; empty clears it.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// On `PATCH`: responded (the owner answered) | resolved (with `resolution`) | closed (the
    /// raiser confirms) | open (the raiser does not accept the resolution).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub resolution: Option<String>,
    /// internal | party | participants. Outside the host: the caller's own party or every participant.
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub visible_party_id: Option<Id>,
}

async fn check_owner(
    state: &AppState,
    engagement_id: i64,
    owner: i64,
    vis: (Visibility, Option<i64>),
    errors: &mut FieldErrors,
) -> AppResult<()> {
    if !may_hold(state, engagement_id, owner, vis).await? {
        errors.add("owner_id", Msg::new("error-issue-owner"));
    }
    Ok(())
}

fn owner_of(raw: Option<&str>, errors: &mut FieldErrors) -> Option<Option<i64>> {
    let raw = raw?.trim();
    if raw.is_empty() {
        return Some(None);
    }
    errors.take("owner_id", domain::parse_id(raw)).map(Some)
}

/// Raise an issue. Anyone who sees the engagement may; the host's are shared with every
/// participant unless it says otherwise, the others' are for their own party by default.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: IssueInput,
) -> AppResult<issue::Model> {
    get(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let title = errors.take("title", domain::text(input.title.as_deref().unwrap_or(""), true, 200));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, MAX_TEXT));
    let kind = errors.take("kind", IssueKind::parse(input.kind.as_deref().unwrap_or("")));
    let severity = errors.take("severity", IssueSeverity::parse(input.severity.as_deref().unwrap_or("")));
    let owner = owner_of(input.owner_id.as_deref(), &mut errors).flatten();
    // The host's issues are for every participant unless it says otherwise; the others' for
    // their own party.
    let default =
        if viewer.is_host() { (Visibility::Participants, None) } else { (Visibility::Party, Some(viewer.party.id)) };
    let asked = (input.visibility.as_deref(), input.visible_party_id);
    let vis = raised_visibility(state, viewer, engagement_id, asked, default, ("error-issue-visibility", &mut errors))
        .await?;
    if let Some(o) = owner {
        check_owner(state, engagement_id, o, vis, &mut errors).await?;
    }
    if input.status.is_some() || input.resolution.is_some() {
        errors.add("status", Msg::new("error-issue-new-status"));
    }
    errors.into_result()?;
    let (Some(title), Some(kind), Some(severity)) = (title, kind, severity) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated issue fields missing")));
    };
    let clocks = Clocks::of(state, engagement_id).await?;
    let [respond, resolve] = clocks.policy.targets.of(severity);
    let now = state.clock.now();
    let (response, resolution) = (clocks.start(now, respond), clocks.start(now, resolve));
    let tx = db::begin_write(&state.writer).await?;
    let seq = next_seq(&tx, engagement_id).await?;
    let row = issue::ActiveModel {
        engagement_id: Set(engagement_id),
        seq: Set(seq),
        key: Set(key_of(seq)),
        title: Set(title),
        description: Set(description.unwrap_or_default()),
        kind: Set(kind.as_str().to_owned()),
        severity: Set(severity.as_str().to_owned()),
        status: Set(IssueStatus::Open.as_str().to_owned()),
        raised_by: Set(viewer.user.id),
        raised_party_id: Set(viewer.party.id),
        owner_id: Set(owner),
        visibility: Set(vis.0.as_str().to_owned()),
        visible_party_id: Set(vis.1),
        response_due: Set(response.due),
        resolve_due: Set(resolution.due),
        response_minutes: Set(respond),
        resolve_minutes: Set(resolve),
        response_risk_at: Set(Some(response.at_risk)),
        resolve_risk_at: Set(Some(resolution.at_risk)),
        responded_at: Set(None),
        resolved_at: Set(None),
        resolution: Set(String::new()),
        closed_at: Set(None),
        escalation: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(&tx, state, viewer, "issue.create", "issue", row.id, None, Some(audit_json(&row))).await?;
    let subject = Subject::from(&row);
    collab::track(&tx, now, viewer.user.id, &subject, "raised", &row.description).await?;
    let mut told = crate::changes::service::managers_of(&tx, engagement_id).await?;
    told.extend(row.owner_id);
    told.retain(|u| *u != viewer.user.id);
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::IssueRaised, &subject) };
    notifications::send(&tx, now, &told, &notice).await?;
    crate::engagements::watch::changed(&tx, now, engagement_id).await?;
    tx.commit().await?;
    Ok(row)
}

async fn next_seq(tx: &DatabaseTransaction, engagement_id: i64) -> AppResult<i32> {
    let max: Option<i32> = issue::Entity::find()
        .select_only()
        .column_as(issue::Column::Seq.max(), "m")
        .filter(issue::Column::EngagementId.eq(engagement_id))
        .into_tuple::<Option<i32>>()
        .one(tx)
        .await?
        .flatten();
    Ok(max.unwrap_or(0) + 1)
}

pub(crate) fn audit_json(i: &issue::Model) -> Value {
    json!({"key": i.key, "title": i.title, "kind": i.kind, "severity": i.severity, "status": i.status,
           "owner_id": i.owner_id, "resolution": i.resolution, "visibility": i.visibility,
           "visible_party_id": i.visible_party_id, "escalation": i.escalation})
}

/// Who may work on an issue: its owner and the engagement's managers (the host's). Whoever
/// raised it confirms or reopens its resolution.
pub async fn may_work(state: &AppState, viewer: &Viewer, i: &issue::Model) -> AppResult<bool> {
    Ok(i.owner_id == Some(viewer.user.id) || manages(state, viewer, i.engagement_id).await?)
}

/// Whoever raised the issue, or a manager of the raising party.
pub fn is_raiser(viewer: &Viewer, i: &issue::Model) -> bool {
    i.raised_by == viewer.user.id || (viewer.party.id == i.raised_party_id && viewer.is_party_manager())
}

/// Change an issue. Status moves: the owner or a manager answers (`responded`) and resolves
/// (`resolved`, with a resolution); the raiser closes it (`closed`) or sends it back (`open`).
pub async fn update(state: &AppState, viewer: &Viewer, id: i64, input: IssueInput) -> AppResult<issue::Model> {
    let before = load(state, viewer, id).await?;
    let worker = may_work(state, viewer, &before).await?;
    let raiser = is_raiser(viewer, &before);
    if !worker && !raiser {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let old = IssueStatus::parse(&before.status).unwrap_or(IssueStatus::Open);
    let status = input.status.as_deref().and_then(|s| errors.take("status", IssueStatus::parse(s)));
    if let Some(s) = status.filter(|s| *s != old) {
        let allowed = match (old, s) {
            (IssueStatus::Open, IssueStatus::Responded | IssueStatus::Resolved) => worker,
            (IssueStatus::Responded, IssueStatus::Resolved) => worker,
            (IssueStatus::Resolved, IssueStatus::Closed | IssueStatus::Open) => raiser,
            (IssueStatus::Closed, IssueStatus::Open) => raiser,
            _ => false,
        };
        if !allowed {
            errors.add("status", Msg::new("error-issue-status-move").arg("from", old.as_str()).arg("to", s.as_str()));
        }
    }
    let resolution =
        input.resolution.as_deref().and_then(|r| errors.take("resolution", domain::text(r, false, MAX_TEXT)));
    if status == Some(IssueStatus::Resolved) && resolution.as_deref().unwrap_or(&before.resolution).trim().is_empty() {
        errors.add("resolution", Msg::new("error-issue-resolution"));
    }
    // Only those who work on the issue change what it is.
    let editing = input.title.is_some()
        || input.description.is_some()
        || input.severity.is_some()
        || input.owner_id.is_some()
        || input.kind.is_some();
    if editing && !worker {
        return Err(AppError::Forbidden);
    }
    let title = input.title.as_deref().and_then(|t| errors.take("title", domain::text(t, true, 200)));
    let description =
        input.description.as_deref().and_then(|t| errors.take("description", domain::text(t, false, MAX_TEXT)));
    let kind = input.kind.as_deref().and_then(|k| errors.take("kind", IssueKind::parse(k)));
    let severity = input.severity.as_deref().and_then(|k| errors.take("severity", IssueSeverity::parse(k)));
    let owner = owner_of(input.owner_id.as_deref(), &mut errors);
    let vis = (Visibility::parse(&before.visibility).unwrap_or(Visibility::Internal), before.visible_party_id);
    if let Some(Some(o)) = owner {
        check_owner(state, before.engagement_id, o, vis, &mut errors).await?;
    }
    errors.into_result()?;
    let now = state.clock.now();
    let mut row: issue::ActiveModel = before.clone().into();
    if let Some(t) = title {
        row.title = Set(t);
    }
    if let Some(d) = description {
        row.description = Set(d);
    }
    if let Some(k) = kind {
        row.kind = Set(k.as_str().to_owned());
    }
    if let Some(o) = owner {
        row.owner_id = Set(o);
    }
    if let Some(r) = resolution {
        row.resolution = Set(r);
    }
    // A new severity moves the targets, counted from when the issue was raised.
    if let Some(s) = severity.filter(|s| s.as_str() != before.severity) {
        let clocks = Clocks::of(state, before.engagement_id).await?;
        let [respond, resolve] = clocks.policy.targets.of(s);
        let (response, resolution) =
            (clocks.start(before.created_at, respond), clocks.start(before.created_at, resolve));
        row.severity = Set(s.as_str().to_owned());
        row.response_due = Set(response.due);
        row.resolve_due = Set(resolution.due);
        row.response_risk_at = Set(Some(response.at_risk));
        row.resolve_risk_at = Set(Some(resolution.at_risk));
        row.response_minutes = Set(respond);
        row.resolve_minutes = Set(resolve);
    }
    if let Some(s) = status.filter(|s| *s != old) {
        row.status = Set(s.as_str().to_owned());
        match s {
            IssueStatus::Responded => row.responded_at = Set(before.responded_at.or(Some(now))),
            IssueStatus::Resolved => {
                row.responded_at = Set(before.responded_at.or(Some(now)));
                row.resolved_at = Set(Some(now));
            }
            IssueStatus::Closed => row.closed_at = Set(Some(now)),
            // Sent back: the resolution clock runs again from its original due.
            IssueStatus::Open => {
                row.resolved_at = Set(None);
                row.closed_at = Set(None);
            }
        }
    }
    row.updated_at = Set(now);
    let tx = db::begin_write(&state.writer).await?;
    let after = row.update(&tx).await?;
    record(&tx, state, viewer, "issue.update", "issue", id, Some(audit_json(&before)), Some(audit_json(&after)))
        .await?;
    let verb = if after.status == before.status { "updated" } else { "status_changed" };
    collab::track(&tx, now, viewer.user.id, &Subject::from(&after), verb, &after.description).await?;
    // The raiser hears of the resolution; the owner and managers of a reopening.
    let told: Vec<i64> = match after.status.as_str() {
        "resolved" if before.status != "resolved" => vec![after.raised_by],
        "open" if before.status != "open" => {
            let mut m = crate::changes::service::managers_of(&tx, after.engagement_id).await?;
            m.extend(after.owner_id);
            m
        }
        _ => Vec::new(),
    };
    let told: Vec<i64> = told.into_iter().filter(|u| *u != viewer.user.id).collect();
    let subject = Subject::from(&after);
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::IssueChanged, &subject) };
    notifications::send(&tx, now, &told, &notice).await?;
    crate::engagements::watch::changed(&tx, now, after.engagement_id).await?;
    tx.commit().await?;
    Ok(after)
}

/// The engagement's SLA (its managers).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// HH:MM, local time.
    #[serde(default)]
    pub hours_start: Option<String>,
    #[serde(default)]
    pub hours_end: Option<String>,
    /// Working minutes `[to first response, to resolution]` per severity.
    #[serde(default)]
    pub targets: Option<Targets>,
}

pub async fn set_policy(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: PolicyInput,
) -> AppResult<Policy> {
    get_to_manage(state, viewer, engagement_id).await?;
    let current = policy(&state.db, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let time = |raw: Option<&String>, field: &str, d: NaiveTime, errors: &mut FieldErrors| match raw {
        None => d,
        Some(r) => NaiveTime::parse_from_str(r.trim(), "%H:%M").unwrap_or_else(|_| {
            errors.add(field, Msg::new("error-time-of-day"));
            d
        }),
    };
    let start = time(input.hours_start.as_ref(), "hours_start", current.hours.start, &mut errors);
    let end = time(input.hours_end.as_ref(), "hours_end", current.hours.end, &mut errors);
    if start >= end && !errors.0.iter().any(|e| e.field.starts_with("hours_")) {
        errors.add("hours_end", Msg::new("error-hours-order"));
    }
    let targets = input.targets.unwrap_or(current.targets);
    for (s, [a, b]) in
        [("critical", targets.critical), ("high", targets.high), ("medium", targets.medium), ("low", targets.low)]
    {
        if !(1..=100_000).contains(&a) || !(1..=100_000).contains(&b) || a > b {
            errors.add(format!("targets.{s}"), Msg::new("error-sla-target"));
        }
    }
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let existing =
        sla_policy::Entity::find().filter(sla_policy::Column::EngagementId.eq(engagement_id)).one(&tx).await?;
    let text = json!(targets).to_string();
    let (hs, he) = (start.format("%H:%M").to_string(), end.format("%H:%M").to_string());
    match existing {
        Some(p) => {
            let mut row: sla_policy::ActiveModel = p.into();
            row.hours_start = Set(hs.clone());
            row.hours_end = Set(he.clone());
            row.targets = Set(text.clone());
            row.updated_at = Set(now);
            row.update(&tx).await?;
        }
        None => {
            sla_policy::ActiveModel {
                engagement_id: Set(engagement_id),
                hours_start: Set(hs.clone()),
                hours_end: Set(he.clone()),
                targets: Set(text.clone()),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
    }
    record(
        &tx,
        state,
        viewer,
        "sla.set",
        "engagement",
        engagement_id,
        None,
        Some(json!({"hours": [hs, he], "targets": targets})),
    )
    .await?;
    tx.commit().await?;
    policy(&state.db, engagement_id).await
}
