//! The activity feed: one line per thing that happened to a record, carrying the record's
//! visibility so the feed shows each party only what it may see.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::{
    AppState,
    auth::Viewer,
    collab::{Subject, entity::activity},
    engagements::service::get,
    error::AppResult,
};

/// Verbs the feed knows (each has an `activity-<verb>` message).
pub const VERBS: &[&str] = &[
    "created",
    "updated",
    "progress",
    "commented",
    "document_added",
    "document_version",
    "achieved",
    "missed",
    "rescheduled",
    "raised",
    "assessed",
    "status_changed",
    "approved",
    "rejected",
    "deferred",
    "voted",
    "returned",
    "review_opened",
    "review_closed",
    "voted_review",
    "submitted",
    "signed",
    "decided",
    "accepted",
];

pub async fn record(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor_id: Option<i64>,
    subject: &Subject,
    verb: &'static str,
) -> AppResult<()> {
    debug_assert!(VERBS.contains(&verb));
    activity::Entity::insert(activity::ActiveModel {
        engagement_id: Set(subject.engagement_id),
        actor_id: Set(actor_id),
        verb: Set(verb.to_owned()),
        subject_kind: Set(subject.kind.as_str().to_owned()),
        subject_id: Set(subject.id),
        title: Set(subject.title.chars().take(300).collect()),
        visibility: Set(subject.visibility.clone()),
        visible_party_id: Set(subject.visible_party_id),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// One line of the feed, ready to show.
pub struct Line {
    pub id: i64,
    /// The subject's kind (`task`, `acceptance`…).
    pub kind: String,
    pub actor_name: String,
    pub verb: String,
    pub title: String,
    pub url: String,
    pub at: DateTime<Utc>,
}

/// The newest lines of an engagement's feed the viewer may see, optionally for one record,
/// older than `before` (an activity id) when paging.
pub async fn feed(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    subject: Option<&Subject>,
    limit: u64,
    before: Option<i64>,
) -> AppResult<Vec<Line>> {
    get(state, viewer, engagement_id).await?;
    let mut q = activity::Entity::find()
        .filter(activity::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(activity::Column::Visibility, activity::Column::VisiblePartyId));
    if let Some(s) = subject {
        q = q.filter(activity::Column::SubjectKind.eq(s.kind.as_str())).filter(activity::Column::SubjectId.eq(s.id));
    }
    if let Some(b) = before {
        q = q.filter(activity::Column::Id.lt(b));
    }
    let rows = q.order_by_desc(activity::Column::Id).limit(limit).all(&state.db).await?;
    // Actors are shown by name only when the viewer may know their party.
    let lens = crate::auth::lens::Lens::of(state, viewer, engagement_id).await?;
    let actors = lens.people(&state.db, rows.iter().filter_map(|a| a.actor_id)).await?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let actor_name = a.actor_id.and_then(|id| actors.name(id)).unwrap_or_default();
            Line {
                id: a.id,
                actor_name,
                url: if a.subject_kind == "contract" {
                    format!("/contracts/{}", a.subject_id)
                } else {
                    format!("/engagements/{}/{}s/{}", a.engagement_id, a.subject_kind, a.subject_id)
                },
                verb: a.verb,
                kind: a.subject_kind,
                title: a.title,
                at: a.created_at,
            }
        })
        .collect())
}
