//! Traceability: requirement ↔ tasks ↔ deliverables (and the requirement's own acceptance
//! criteria), with the gaps in both directions: requirements nothing serves, and tasks that
//! serve no requirement.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    entity::link,
    service::{self, criteria_lines},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::Id,
    engagements::{
        entity::{deliverable, task},
        service::{get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    /// task | deliverable
    pub kind: String,
    pub record_id: Id,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Linked {
    pub link_id: Id,
    pub id: Id,
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TraceRow {
    pub requirement_id: Id,
    pub key: String,
    pub title: String,
    pub priority: String,
    pub status: String,
    pub tasks: Vec<Linked>,
    pub deliverables: Vec<Linked>,
    pub criteria: usize,
}

impl TraceRow {
    /// Nothing does the work, nothing is delivered, or nothing says when it is done.
    pub fn has_gap(&self) -> bool {
        self.tasks.is_empty() || self.deliverables.is_empty() || self.criteria == 0
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Trace {
    pub rows: Vec<TraceRow>,
    pub without_task: usize,
    pub without_deliverable: usize,
    pub without_criteria: usize,
    /// Visible tasks that serve no requirement.
    pub orphan_tasks: Vec<Linked>,
}

/// Names of the tasks and deliverables of the engagement the viewer may see.
async fn visible_records(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
) -> AppResult<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let tasks = task::Entity::find()
        .select_only()
        .columns([task::Column::Id, task::Column::Name])
        .filter(task::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(task::Column::Visibility, task::Column::VisiblePartyId))
        .order_by_asc(task::Column::Id)
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?;
    let deliverables = deliverable::Entity::find()
        .select_only()
        .columns([deliverable::Column::Id, deliverable::Column::Name])
        .filter(deliverable::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(deliverable::Column::Visibility, deliverable::Column::VisiblePartyId))
        .order_by_asc(deliverable::Column::DueDate)
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?;
    Ok((tasks, deliverables))
}

/// The matrix as the viewer may see it: only links whose both ends are visible to them.
pub async fn matrix(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Trace> {
    let reqs = service::list(state, viewer, engagement_id).await?;
    let (tasks, deliverables) = visible_records(state, viewer, engagement_id).await?;
    let task_names: HashMap<i64, &String> = tasks.iter().map(|(id, n)| (*id, n)).collect();
    let deliverable_names: HashMap<i64, &String> = deliverables.iter().map(|(id, n)| (*id, n)).collect();
    let links = link::Entity::find()
        .filter(link::Column::EngagementId.eq(engagement_id))
        .order_by_asc(link::Column::Id)
        .all(&state.db)
        .await?;
    let mut served = std::collections::HashSet::new();
    let mut rows: Vec<TraceRow> = reqs
        .iter()
        .map(|r| TraceRow {
            requirement_id: Id(r.id),
            key: r.key.clone(),
            title: r.title.clone(),
            priority: r.priority.clone(),
            status: r.status.clone(),
            tasks: Vec::new(),
            deliverables: Vec::new(),
            criteria: criteria_lines(r).len(),
        })
        .collect();
    let index: HashMap<i64, usize> = reqs.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for l in &links {
        let Some(&i) = index.get(&l.requirement_id) else { continue };
        let (names, list) = match l.kind.as_str() {
            "task" => (&task_names, &mut rows[i].tasks),
            _ => (&deliverable_names, &mut rows[i].deliverables),
        };
        if let Some(name) = names.get(&l.record_id) {
            list.push(Linked { link_id: Id(l.id), id: Id(l.record_id), name: (*name).clone() });
            if l.kind == "task" {
                served.insert(l.record_id);
            }
        }
    }
    let orphan_tasks = tasks
        .iter()
        .filter(|(id, _)| !served.contains(id))
        .map(|(id, name)| Linked { link_id: Id(0), id: Id(*id), name: name.clone() })
        .collect();
    Ok(Trace {
        without_task: rows.iter().filter(|r| r.tasks.is_empty()).count(),
        without_deliverable: rows.iter().filter(|r| r.deliverables.is_empty()).count(),
        without_criteria: rows.iter().filter(|r| r.criteria == 0).count(),
        rows,
        orphan_tasks,
    })
}

/// Links a task or deliverable of the same engagement to a requirement.
pub async fn link(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    requirement_id: i64,
    input: LinkInput,
) -> AppResult<link::Model> {
    service::one(state, viewer, engagement_id, requirement_id).await?;
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let Id(record_id) = input.record_id;
    let found = match input.kind.as_str() {
        "task" => task::Entity::find_by_id(record_id)
            .filter(task::Column::EngagementId.eq(engagement_id))
            .one(&state.db)
            .await?
            .is_some(),
        "deliverable" => deliverable::Entity::find_by_id(record_id)
            .filter(deliverable::Column::EngagementId.eq(engagement_id))
            .one(&state.db)
            .await?
            .is_some(),
        _ => {
            errors.add("kind", Msg::new("error-link-kind"));
            true
        }
    };
    if !found {
        errors.add("record_id", Msg::new("error-link-record"));
    }
    errors.into_result()?;
    let exists = link::Entity::find()
        .filter(link::Column::RequirementId.eq(requirement_id))
        .filter(link::Column::Kind.eq(input.kind.as_str()))
        .filter(link::Column::RecordId.eq(record_id))
        .one(&state.db)
        .await?;
    if exists.is_some() {
        return Err(AppError::Conflict(Msg::new("error-link-exists")));
    }
    let tx = db::begin_write(&state.writer).await?;
    let row = link::ActiveModel {
        engagement_id: Set(engagement_id),
        requirement_id: Set(requirement_id),
        kind: Set(input.kind.clone()),
        record_id: Set(record_id),
        created_at: Set(state.clock.now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(
        &tx,
        state,
        viewer,
        "requirement.link",
        "requirement",
        requirement_id,
        None,
        Some(json!({"kind": row.kind, "record_id": record_id})),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Removes a link.
pub async fn unlink(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    requirement_id: i64,
    link_id: i64,
) -> AppResult<()> {
    service::one(state, viewer, engagement_id, requirement_id).await?;
    get_to_manage(state, viewer, engagement_id).await?;
    let row = link::Entity::find_by_id(link_id)
        .filter(link::Column::RequirementId.eq(requirement_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tx = db::begin_write(&state.writer).await?;
    link::Entity::delete_by_id(row.id).exec(&tx).await?;
    record(
        &tx,
        state,
        viewer,
        "requirement.unlink",
        "requirement",
        requirement_id,
        Some(json!({"kind": row.kind, "record_id": row.record_id})),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
