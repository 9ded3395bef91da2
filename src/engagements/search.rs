//! One search box over engagements, milestones, deliverables and tasks, filtered by the same
//! rules as every list (engagement scope, then record visibility). Matching is a
//! case-insensitive substring, which works for Chinese of any length.

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::Id,
    engagements::entity::{deliverable, engagement, milestone, task},
    error::AppResult,
};

pub const PER_KIND: u64 = 20;

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// engagement | milestone | deliverable | task
    pub kind: &'static str,
    pub id: Id,
    pub engagement_id: Id,
    pub title: String,
    /// Where the hit lives, for display: the engagement's code and name.
    pub context: String,
    pub url: String,
}

pub async fn search(state: &AppState, viewer: &Viewer, q: &str) -> AppResult<Vec<Hit>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let engagements = engagement::Entity::find()
        .filter(viewer.engagement_scope())
        .filter(
            Condition::any()
                .add(db::icontains(engagement::Column::Code, q))
                .add(db::icontains(engagement::Column::Name, q))
                .add(db::icontains(engagement::Column::Description, q)),
        )
        .order_by_desc(engagement::Column::Id)
        .limit(PER_KIND)
        .all(&state.db)
        .await?;
    let milestones = milestone::Entity::find()
        .filter(viewer.engagement_ids_scope(milestone::Column::EngagementId))
        .filter(viewer.record_scope(milestone::Column::Visibility, milestone::Column::VisiblePartyId))
        .filter(db::icontains(milestone::Column::Name, q))
        .order_by_asc(milestone::Column::DueDate)
        .limit(PER_KIND)
        .all(&state.db)
        .await?;
    let deliverables = deliverable::Entity::find()
        .filter(viewer.engagement_ids_scope(deliverable::Column::EngagementId))
        .filter(viewer.record_scope(deliverable::Column::Visibility, deliverable::Column::VisiblePartyId))
        .filter(
            Condition::any()
                .add(db::icontains(deliverable::Column::Name, q))
                .add(db::icontains(deliverable::Column::Description, q)),
        )
        .order_by_asc(deliverable::Column::DueDate)
        .limit(PER_KIND)
        .all(&state.db)
        .await?;
    let tasks = task::Entity::find()
        .filter(viewer.engagement_ids_scope(task::Column::EngagementId))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .filter(db::icontains(task::Column::Name, q))
        .order_by_asc(task::Column::Id)
        .limit(PER_KIND)
        .all(&state.db)
        .await?;
    // Names of the engagements the hits belong to (all visible: the scopes above ensured it).
    let ids: Vec<i64> = milestones
        .iter()
        .map(|m| m.engagement_id)
        .chain(deliverables.iter().map(|d| d.engagement_id))
        .chain(tasks.iter().map(|t| t.engagement_id))
        .collect();
    let parents: std::collections::HashMap<i64, String> = engagement::Entity::find()
        .filter(engagement::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| (e.id, format!("{} {}", e.code, e.name)))
        .collect();
    let ctx = |id: i64| parents.get(&id).cloned().unwrap_or_default();
    let mut hits: Vec<Hit> = engagements
        .into_iter()
        .map(|e| Hit {
            kind: "engagement",
            id: Id(e.id),
            engagement_id: Id(e.id),
            context: e.code.clone(),
            title: e.name,
            url: format!("/engagements/{}", e.id),
        })
        .collect();
    hits.extend(milestones.into_iter().map(|m| Hit {
        kind: "milestone",
        id: Id(m.id),
        engagement_id: Id(m.engagement_id),
        context: ctx(m.engagement_id),
        title: m.name,
        url: format!("/engagements/{}#milestones", m.engagement_id),
    }));
    hits.extend(deliverables.into_iter().map(|d| Hit {
        kind: "deliverable",
        id: Id(d.id),
        engagement_id: Id(d.engagement_id),
        context: ctx(d.engagement_id),
        title: d.name,
        url: format!("/engagements/{}#deliverables", d.engagement_id),
    }));
    hits.extend(tasks.into_iter().map(|t| Hit {
        kind: "task",
        id: Id(t.id),
        engagement_id: Id(t.engagement_id),
        context: ctx(t.engagement_id),
        title: t.name,
        url: format!("/engagements/{}#tasks", t.engagement_id),
    }));
    Ok(hits)
}
