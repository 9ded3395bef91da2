//! Requirement items: stable keys, Markdown descriptions, acceptance criteria, a parent, and
//! the rule that an item frozen into a signed version changes only through a change request.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entity::requirement;
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::{self, Subject},
    db,
    domain::{self, Id, Priority, RequirementKind, RequirementStatus, Visibility},
    engagements::{
        plan::{check_party, parse_visibility},
        service::{get, get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
};

pub const MAX_CRITERIA: usize = 30;
const MAX_DESCRIPTION: usize = 20_000;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementInput {
    pub title: String,
    /// Markdown. Raw HTML in it is shown as text.
    #[serde(default)]
    pub description: Option<String>,
    /// functional (default) | non_functional | interface | data | constraint
    pub kind: Option<String>,
    /// must | should (default) | could | wont
    pub priority: Option<String>,
    /// The party that asked for it (the host or a participant).
    pub source_party_id: Option<Id>,
    /// One sentence each, in order.
    #[serde(default)]
    pub acceptance_criteria: Vec<String>,
    pub parent_id: Option<Id>,
    /// internal | party | participants (default). Only `participants` items go into versions.
    pub visibility: Option<String>,
    pub visible_party_id: Option<Id>,
}

/// A change to an item; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub source_party_id: Option<Id>,
    pub acceptance_criteria: Option<Vec<String>>,
    pub parent_id: Option<Id>,
    /// draft | in_review | approved | changed | obsolete
    pub status: Option<String>,
}

pub fn key_of(seq: i32) -> String {
    format!("REQ-{seq:03}")
}

pub fn criteria_lines(r: &requirement::Model) -> Vec<&str> {
    r.criteria.lines().filter(|l| !l.trim().is_empty()).collect()
}

impl From<&requirement::Model> for Subject {
    fn from(r: &requirement::Model) -> Self {
        Self {
            kind: collab::SubjectKind::Requirement,
            id: r.id,
            engagement_id: r.engagement_id,
            title: format!("{} {}", r.key, r.title),
            visibility: r.visibility.clone(),
            visible_party_id: r.visible_party_id,
        }
    }
}

pub(crate) fn audit_json(r: &requirement::Model) -> Value {
    json!({"key": r.key, "title": r.title, "description": r.description, "kind": r.kind, "priority": r.priority,
           "source_party_id": r.source_party_id, "criteria": r.criteria, "parent_id": r.parent_id,
           "status": r.status, "visibility": r.visibility, "visible_party_id": r.visible_party_id})
}

/// The items of an engagement the viewer may see, by key.
pub async fn list(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<requirement::Model>> {
    get(state, viewer, engagement_id).await?;
    let lens = Lens::of(state, viewer, engagement_id).await?;
    let rows = requirement::Entity::find()
        .filter(requirement::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(requirement::Column::Visibility, requirement::Column::VisiblePartyId))
        .order_by_asc(requirement::Column::Seq)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|mut r| {
            r.source_party_id = lens.party(r.source_party_id);
            r
        })
        .collect())
}

/// One item the viewer may see; 404 otherwise.
pub async fn one(state: &AppState, viewer: &Viewer, engagement_id: i64, id: i64) -> AppResult<requirement::Model> {
    get(state, viewer, engagement_id).await?;
    let mut r = requirement::Entity::find_by_id(id)
        .filter(requirement::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(requirement::Column::Visibility, requirement::Column::VisiblePartyId))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    r.source_party_id = Lens::of(state, viewer, engagement_id).await?.party(r.source_party_id);
    Ok(r)
}

pub(crate) fn parse_criteria(raw: &[String], errors: &mut FieldErrors) -> String {
    let items: Vec<String> =
        raw.iter().flat_map(|c| c.lines()).map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    if items.len() > MAX_CRITERIA {
        errors.add("acceptance_criteria", Msg::new("error-criteria-count").arg("max", MAX_CRITERIA));
    } else if items.iter().any(|c| c.chars().count() > 500) {
        errors.add("acceptance_criteria", Msg::new("error-too-long").arg("max", 500));
    }
    items.join("\n")
}

/// A parent in the same engagement that is not the item itself nor one of its descendants.
async fn check_parent(
    state: &AppState,
    engagement_id: i64,
    own: Option<i64>,
    parent: Option<Id>,
    errors: &mut FieldErrors,
) -> AppResult<Option<i64>> {
    let Some(Id(p)) = parent else { return Ok(None) };
    let parents: std::collections::HashMap<i64, Option<i64>> = requirement::Entity::find()
        .select_only()
        .columns([requirement::Column::Id, requirement::Column::ParentId])
        .filter(requirement::Column::EngagementId.eq(engagement_id))
        .into_tuple::<(i64, Option<i64>)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    if !parents.contains_key(&p) {
        errors.add("parent_id", Msg::new("error-requirement-parent"));
        return Ok(None);
    }
    // Walk up from the new parent: meeting the item itself would make a cycle.
    let mut at = Some(p);
    let mut steps = 0;
    while let Some(id) = at {
        if Some(id) == own || steps > parents.len() {
            errors.add("parent_id", Msg::new("error-requirement-cycle"));
            return Ok(None);
        }
        at = parents.get(&id).copied().flatten();
        steps += 1;
    }
    Ok(Some(p))
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: RequirementInput,
) -> AppResult<requirement::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let title = errors.take("title", domain::text(&input.title, true, 200));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, MAX_DESCRIPTION));
    let kind = match input.kind.as_deref().filter(|k| !k.trim().is_empty()) {
        Some(k) => errors.take("kind", RequirementKind::parse(k)),
        None => Some(RequirementKind::Functional),
    };
    let priority = match input.priority.as_deref().filter(|k| !k.trim().is_empty()) {
        Some(k) => errors.take("priority", Priority::parse(k)),
        None => Some(Priority::Should),
    };
    let source = check_party(state, engagement_id, "source_party_id", input.source_party_id, &mut errors).await?;
    let criteria = parse_criteria(&input.acceptance_criteria, &mut errors);
    let parent = check_parent(state, engagement_id, None, input.parent_id, &mut errors).await?;
    let (visibility, visible_party) = parse_visibility(
        state,
        engagement_id,
        input.visibility.as_deref(),
        input.visible_party_id,
        (Visibility::Participants, None),
        &mut errors,
    )
    .await?;
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let seq = requirement::Entity::find()
        .select_only()
        .column_as(requirement::Column::Seq.max(), "m")
        .filter(requirement::Column::EngagementId.eq(engagement_id))
        .into_tuple::<Option<i32>>()
        .one(&tx)
        .await?
        .flatten()
        .unwrap_or(0)
        + 1;
    let row = requirement::ActiveModel {
        engagement_id: Set(engagement_id),
        seq: Set(seq),
        key: Set(key_of(seq)),
        parent_id: Set(parent),
        title: Set(title.unwrap_or_default()),
        description: Set(description.unwrap_or_default()),
        kind: Set(kind.unwrap_or(RequirementKind::Functional).as_str().to_owned()),
        priority: Set(priority.unwrap_or(Priority::Should).as_str().to_owned()),
        source_party_id: Set(source),
        criteria: Set(criteria),
        status: Set(RequirementStatus::Draft.as_str().to_owned()),
        visibility: Set(visibility.as_str().to_owned()),
        visible_party_id: Set(visible_party),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(&tx, state, viewer, "requirement.create", "requirement", row.id, None, Some(audit_json(&row))).await?;
    collab::track(&tx, now, viewer.user.id, &Subject::from(&row), "created", &row.description).await?;
    tx.commit().await?;
    Ok(row)
}

/// Whether the item is part of a version every required party has signed.
pub async fn locked(state: &AppState, r: &requirement::Model) -> AppResult<bool> {
    Ok(super::versions::signed_keys(state, r.engagement_id).await?.contains(&r.key))
}

pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    id: i64,
    patch: RequirementPatch,
) -> AppResult<requirement::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let before = requirement::Entity::find_by_id(id)
        .filter(requirement::Column::EngagementId.eq(engagement_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if locked(state, &before).await? {
        return Err(AppError::Conflict(Msg::new("error-requirement-locked").arg("key", before.key.clone())));
    }
    let mut errors = FieldErrors::default();
    let mut row: requirement::ActiveModel = before.clone().into();
    if let Some(t) = &patch.title
        && let Some(t) = errors.take("title", domain::text(t, true, 200))
    {
        row.title = Set(t);
    }
    if let Some(d) = &patch.description
        && let Some(d) = errors.take("description", domain::text(d, false, MAX_DESCRIPTION))
    {
        row.description = Set(d);
    }
    if let Some(k) = &patch.kind
        && let Some(k) = errors.take("kind", RequirementKind::parse(k))
    {
        row.kind = Set(k.as_str().to_owned());
    }
    if let Some(p) = &patch.priority
        && let Some(p) = errors.take("priority", Priority::parse(p))
    {
        row.priority = Set(p.as_str().to_owned());
    }
    if let Some(s) = &patch.status
        && let Some(s) = errors.take("status", RequirementStatus::parse(s))
    {
        row.status = Set(s.as_str().to_owned());
    }
    if patch.source_party_id.is_some() {
        row.source_party_id =
            Set(check_party(state, engagement_id, "source_party_id", patch.source_party_id, &mut errors).await?);
    }
    if let Some(c) = &patch.acceptance_criteria {
        row.criteria = Set(parse_criteria(c, &mut errors));
    }
    if patch.parent_id.is_some() {
        row.parent_id = Set(check_parent(state, engagement_id, Some(id), patch.parent_id, &mut errors).await?);
    }
    errors.into_result()?;
    let now = state.clock.now();
    row.updated_at = Set(now);
    let tx = db::begin_write(&state.writer).await?;
    let after = row.update(&tx).await?;
    record(
        &tx,
        state,
        viewer,
        "requirement.update",
        "requirement",
        id,
        Some(audit_json(&before)),
        Some(audit_json(&after)),
    )
    .await?;
    collab::track(&tx, now, viewer.user.id, &Subject::from(&after), "updated", &after.description).await?;
    tx.commit().await?;
    Ok(after)
}
