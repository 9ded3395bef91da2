//! Working together inside an engagement: comments with @mentions on milestones, deliverables
//! and tasks, the activity feed, and in-app notifications (assignment, mention, due soon,
//! overdue) with the scheduled job that produces the due-date notices.

pub mod activity;
pub mod api;
pub mod api_routes;
pub mod comments;
pub mod entity;
pub mod notices;
pub mod notifications;
pub mod pages;

use axum::{
    Router,
    routing::{get, post},
};
use std::sync::OnceLock;

use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    AppState,
    auth::Viewer,
    changes::entity::change_request,
    engagements::{
        entity::{deliverable, milestone, task},
        service::get as engagement,
    },
    error::{AppError, AppResult},
    requirements::entity::requirement,
    search,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/tasks/{record_id}", get(pages::task))
        .route("/engagements/{id}/milestones/{record_id}", get(pages::milestone))
        .route("/engagements/{id}/deliverables/{record_id}", get(pages::deliverable))
        .route("/engagements/{id}/tasks/{record_id}/comments", post(pages::comment_on_task))
        .route("/engagements/{id}/milestones/{record_id}/comments", post(pages::comment_on_milestone))
        .route("/engagements/{id}/deliverables/{record_id}/comments", post(pages::comment_on_deliverable))
        .route("/engagements/{id}/requirements/{record_id}", get(pages::requirement))
        .route("/engagements/{id}/requirements/{record_id}/comments", post(pages::comment_on_requirement))
        .route("/engagements/{id}/changes/{record_id}/comments", post(pages::comment_on_change))
        .route("/engagements/{id}/activity", get(pages::activity))
        .route("/comments/{id}", get(pages::open_comment))
        .route("/notifications", get(pages::notifications))
        .route("/notifications/read-all", post(pages::read_all))
        .route("/notifications/{id}/open", get(pages::open_notification))
}

/// The kinds of record people talk about and attach files to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    Milestone,
    Deliverable,
    Task,
    Requirement,
    /// A change request; its pages live under `/engagements/{id}/changes/{id}`.
    Change,
    /// A requirements review round (`/engagements/{id}/reviews/{id}`).
    Review,
    /// A contract (`/contracts/{id}`), seen by the host and its counterparty only.
    Contract,
    /// An acceptance round (`/engagements/{id}/acceptances/{id}`).
    Acceptance,
    /// A risk (`/engagements/{id}/risks/{id}`).
    Risk,
    /// An early warning (`/engagements/{id}/warnings#warning-{id}`): notices only.
    Warning,
    /// An issue or conflict (`/engagements/{id}/issues/{id}`).
    Issue,
}

impl SubjectKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "milestone" => Some(Self::Milestone),
            "deliverable" => Some(Self::Deliverable),
            "task" => Some(Self::Task),
            "requirement" => Some(Self::Requirement),
            "change" => Some(Self::Change),
            "review" => Some(Self::Review),
            "contract" => Some(Self::Contract),
            "acceptance" => Some(Self::Acceptance),
            "risk" => Some(Self::Risk),
            "warning" => Some(Self::Warning),
            "issue" => Some(Self::Issue),
            _ => None,
        }
    }

    /// From the plural path segment (`/engagements/1/tasks/7`).
    pub fn from_segment(s: &str) -> Option<Self> {
        s.strip_suffix('s').and_then(Self::parse)
    }

    /// The message naming this kind of record.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Milestone => "record-kind-milestone",
            Self::Deliverable => "record-kind-deliverable",
            Self::Task => "record-kind-task",
            Self::Requirement => "record-kind-requirement",
            Self::Change => "record-kind-change",
            Self::Review => "record-kind-review",
            Self::Contract => "record-kind-contract",
            Self::Acceptance => "record-kind-acceptance",
            Self::Risk => "record-kind-risk",
            Self::Warning => "record-kind-warning",
            Self::Issue => "record-kind-issue",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Milestone => "milestone",
            Self::Deliverable => "deliverable",
            Self::Task => "task",
            Self::Requirement => "requirement",
            Self::Change => "change",
            Self::Review => "review",
            Self::Contract => "contract",
            Self::Acceptance => "acceptance",
            Self::Risk => "risk",
            Self::Warning => "warning",
            Self::Issue => "issue",
        }
    }
}

/// A record inside an engagement as far as collaboration needs it: what it is, what it is
/// called and who may see it.
#[derive(Clone, Debug)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: i64,
    pub engagement_id: i64,
    pub title: String,
    pub visibility: String,
    pub visible_party_id: Option<i64>,
}

impl Subject {
    pub fn url(&self) -> String {
        if self.kind == SubjectKind::Contract {
            return format!("/contracts/{}", self.id);
        }
        if self.kind == SubjectKind::Warning {
            return format!("/engagements/{}/warnings#warning-{}", self.engagement_id, self.id);
        }
        format!("/engagements/{}/{}s/{}", self.engagement_id, self.kind.as_str(), self.id)
    }

    pub fn search_entry<'a>(&'a self, body: &'a str) -> search::Entry<'a> {
        search::Entry {
            kind: self.kind.as_str(),
            record_id: self.id,
            engagement_id: self.engagement_id,
            visibility: &self.visibility,
            visible_party_id: self.visible_party_id,
            title: &self.title,
            body,
        }
    }
}

impl From<&task::Model> for Subject {
    fn from(t: &task::Model) -> Self {
        Self {
            kind: SubjectKind::Task,
            id: t.id,
            engagement_id: t.engagement_id,
            title: t.name.clone(),
            visibility: t.visibility.clone(),
            visible_party_id: t.visible_party_id,
        }
    }
}

impl From<&milestone::Model> for Subject {
    fn from(m: &milestone::Model) -> Self {
        Self {
            kind: SubjectKind::Milestone,
            id: m.id,
            engagement_id: m.engagement_id,
            title: m.name.clone(),
            visibility: m.visibility.clone(),
            visible_party_id: m.visible_party_id,
        }
    }
}

impl From<&deliverable::Model> for Subject {
    fn from(d: &deliverable::Model) -> Self {
        Self {
            kind: SubjectKind::Deliverable,
            id: d.id,
            engagement_id: d.engagement_id,
            title: d.name.clone(),
            visibility: d.visibility.clone(),
            visible_party_id: d.visible_party_id,
        }
    }
}

/// How a capability above this one finds one of its records as a subject: the record `id` of
/// engagement `engagement_id` if the viewer may see it. Registered by the composition root
/// (`app::SUBJECTS`), so collaboration names no capability that builds on it.
pub type SubjectLookup = for<'a> fn(&'a AppState, &'a Viewer, i64, i64) -> BoxFuture<'a, AppResult<Option<Subject>>>;

static LOOKUPS: OnceLock<&'static [(SubjectKind, SubjectLookup)]> = OnceLock::new();

/// Called once as the application is assembled (again with the same list: ignored).
pub fn register(lookups: &'static [(SubjectKind, SubjectLookup)]) {
    let _ = LOOKUPS.set(lookups);
}

async fn registered(
    state: &AppState,
    viewer: &Viewer,
    (engagement_id, kind, id): (i64, SubjectKind, i64),
) -> AppResult<Option<Subject>> {
    match LOOKUPS.get().and_then(|l| l.iter().find(|(k, _)| *k == kind)) {
        Some((_, lookup)) => lookup(state, viewer, engagement_id, id).await,
        None => Ok(None),
    }
}

/// A record of the engagement the viewer may see; 404 otherwise (also when it belongs to
/// another engagement).
pub async fn subject(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    kind: SubjectKind,
    id: i64,
) -> AppResult<Subject> {
    engagement(state, viewer, engagement_id).await?;
    let found = match kind {
        SubjectKind::Task => task::Entity::find_by_id(id)
            .filter(task::Column::EngagementId.eq(engagement_id))
            .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
            .one(&state.db)
            .await?
            .map(|t| Subject::from(&t)),
        SubjectKind::Milestone => milestone::Entity::find_by_id(id)
            .filter(milestone::Column::EngagementId.eq(engagement_id))
            .filter(viewer.record_scope(milestone::Column::Visibility, milestone::Column::VisiblePartyId))
            .one(&state.db)
            .await?
            .map(|m| Subject::from(&m)),
        SubjectKind::Deliverable => deliverable::Entity::find_by_id(id)
            .filter(deliverable::Column::EngagementId.eq(engagement_id))
            .filter(viewer.record_scope(deliverable::Column::Visibility, deliverable::Column::VisiblePartyId))
            .one(&state.db)
            .await?
            .map(|d| Subject::from(&d)),
        SubjectKind::Requirement => requirement::Entity::find_by_id(id)
            .filter(requirement::Column::EngagementId.eq(engagement_id))
            .filter(viewer.record_scope(requirement::Column::Visibility, requirement::Column::VisiblePartyId))
            .one(&state.db)
            .await?
            .map(|r| Subject::from(&r)),
        SubjectKind::Change => change_request::Entity::find_by_id(id)
            .filter(change_request::Column::EngagementId.eq(engagement_id))
            .filter(viewer.record_scope(change_request::Column::Visibility, change_request::Column::VisiblePartyId))
            .one(&state.db)
            .await?
            .map(|c| Subject::from(&c)),
        // Review rounds cover shared requirements: everyone in the engagement follows them.
        SubjectKind::Review => crate::requirements::entity::review_round::Entity::find_by_id(id)
            .filter(crate::requirements::entity::review_round::Column::EngagementId.eq(engagement_id))
            .one(&state.db)
            .await?
            .map(|r| Subject::from(&r)),
        SubjectKind::Acceptance => crate::acceptance::entity::acceptance::Entity::find_by_id(id)
            .filter(crate::acceptance::entity::acceptance::Column::EngagementId.eq(engagement_id))
            .filter(crate::acceptance::service::scope(viewer))
            .one(&state.db)
            .await?
            .map(|a| Subject::from(&a)),
        // Kinds of the capabilities above this one: their own lookups.
        SubjectKind::Risk | SubjectKind::Issue => registered(state, viewer, (engagement_id, kind, id)).await?,
        SubjectKind::Warning => crate::engagements::entity::warning::Entity::find_by_id(id)
            .filter(crate::engagements::entity::warning::Column::EngagementId.eq(engagement_id))
            .filter(viewer.record_scope(
                crate::engagements::entity::warning::Column::Visibility,
                crate::engagements::entity::warning::Column::VisiblePartyId,
            ))
            .one(&state.db)
            .await?
            .map(|w| Subject {
                kind: SubjectKind::Warning,
                id: w.id,
                engagement_id: w.engagement_id,
                title: w.rule.clone(),
                visibility: w.visibility.clone(),
                visible_party_id: w.visible_party_id,
            }),
        // A contract is a subject of its first engagement, for the host and its counterparty.
        SubjectKind::Contract => match crate::contracts::service::load(state, viewer, id).await {
            Ok(c) => {
                let s = crate::contracts::service::subject(&state.db, &c).await?;
                (s.engagement_id == engagement_id).then_some(s)
            }
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        },
    };
    found.ok_or(AppError::NotFound)
}

/// What every write of a record does besides itself: keep its search entry current (with
/// `body`, the text beyond the title) and tell the activity feed.
pub async fn track(
    tx: &sea_orm::DatabaseTransaction,
    now: chrono::DateTime<chrono::Utc>,
    actor_id: i64,
    subject: &Subject,
    verb: &'static str,
    body: &str,
) -> AppResult<()> {
    if verb == "created" {
        search::index_new(tx, subject.search_entry(body)).await?;
    } else {
        search::index(tx, subject.search_entry(body)).await?;
    }
    activity::record(tx, now, Some(actor_id), subject, verb).await
}

/// Whether people of party `party_id` (host or not) may see a record with this visibility in
/// an engagement their party takes part in.
pub fn party_sees(is_host: bool, party_id: i64, visibility: &str, visible_party_id: Option<i64>) -> bool {
    is_host || visibility == "participants" || (visibility == "party" && visible_party_id == Some(party_id))
}
