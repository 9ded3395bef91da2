//! Deliverables: what a party owes, by when, tied to a milestone, with the acceptance criteria
//! that acceptance (初验/终验) will check item by item.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;

use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    db,
    domain::{self, Id, Visibility},
    engagements::{
        entity::{criterion, deliverable, milestone},
        plan::{check_party, parse_visibility},
        service::{get, get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
};

pub const MAX_CRITERIA: usize = 50;
pub const MAX_WARRANTY_MONTHS: i32 = 120;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverableInput {
    pub name: String,
    /// `YYYY-MM-DD`
    pub due_date: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The party that delivers (the host or a participant).
    pub owner_party_id: Option<Id>,
    /// The milestone it belongs to.
    pub milestone_id: Option<Id>,
    /// Acceptance criteria, one sentence each, in order: the checklist of its acceptance.
    #[serde(default, alias = "acceptance_criteria")]
    pub criteria: Vec<String>,
    /// Months of warranty (质保期) that final acceptance starts; none when left out.
    #[serde(default)]
    pub warranty_months: Option<i32>,
    /// internal | party | participants (default)
    pub visibility: Option<String>,
    pub visible_party_id: Option<Id>,
}

/// Deliverables of an engagement the viewer may see, with their criteria, by due date.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
) -> AppResult<Vec<(deliverable::Model, Vec<criterion::Model>)>> {
    get(state, viewer, engagement_id).await?;
    let lens = Lens::of(state, viewer, engagement_id).await?;
    let rows = deliverable::Entity::find()
        .filter(deliverable::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(deliverable::Column::Visibility, deliverable::Column::VisiblePartyId))
        .order_by_asc(deliverable::Column::DueDate)
        .order_by_asc(deliverable::Column::Id)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
    let mut criteria: HashMap<i64, Vec<criterion::Model>> = HashMap::new();
    for c in criterion::Entity::find()
        .filter(criterion::Column::DeliverableId.is_in(ids))
        .order_by_asc(criterion::Column::Position)
        .all(&state.db)
        .await?
    {
        criteria.entry(c.deliverable_id).or_default().push(c);
    }
    Ok(rows
        .into_iter()
        .map(|mut d| {
            d.owner_party_id = lens.party(d.owner_party_id);
            let cs = criteria.remove(&d.id).unwrap_or_default();
            (d, cs)
        })
        .collect())
}

/// One deliverable the viewer may see; 404 otherwise.
pub async fn one(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    id: i64,
) -> AppResult<(deliverable::Model, Vec<criterion::Model>)> {
    list(state, viewer, engagement_id).await?.into_iter().find(|(d, _)| d.id == id).ok_or(AppError::NotFound)
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: DeliverableInput,
) -> AppResult<deliverable::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let name = errors.take("name", domain::text(&input.name, true, 200));
    let due = errors.take("due_date", domain::parse_date(&input.due_date));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, 10_000));
    let owner = check_party(state, engagement_id, "owner_party_id", input.owner_party_id, &mut errors).await?;
    let milestone_id = match input.milestone_id {
        Some(Id(m)) => {
            let found = milestone::Entity::find_by_id(m)
                .filter(milestone::Column::EngagementId.eq(engagement_id))
                .one(&state.db)
                .await?;
            if found.is_none() {
                errors.add("milestone_id", Msg::new("error-milestone"));
            }
            found.map(|m| m.id)
        }
        None => None,
    };
    let criteria: Vec<String> = input.criteria.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    if criteria.len() > MAX_CRITERIA {
        errors.add("criteria", Msg::new("error-criteria-count").arg("max", MAX_CRITERIA));
    }
    if let Some(i) = criteria.iter().position(|c| c.chars().count() > 500) {
        errors.add("criteria", Msg::new("error-criterion-long").arg("line", i + 1));
    }
    let warranty_months = input.warranty_months.unwrap_or(0);
    if !(0..=MAX_WARRANTY_MONTHS).contains(&warranty_months) {
        errors.add("warranty_months", Msg::new("error-range").arg("min", 0).arg("max", MAX_WARRANTY_MONTHS));
    }
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
    let (Some(name), Some(due), Some(description)) = (name, due, description) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(engagement_id)).await?;
    let d = deliverable::ActiveModel {
        engagement_id: Set(engagement_id),
        name: Set(name),
        description: Set(description),
        owner_party_id: Set(owner),
        milestone_id: Set(milestone_id),
        due_date: Set(due),
        status: Set("planned".into()),
        visibility: Set(visibility.as_str().to_owned()),
        visible_party_id: Set(visible_party),
        warranty_months: Set(warranty_months),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for (i, text) in criteria.iter().enumerate() {
        criterion::ActiveModel {
            deliverable_id: Set(d.id),
            position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            text: Set(text.clone()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    let after = json!({"name": d.name, "due_date": d.due_date, "owner_party_id": d.owner_party_id,
        "milestone_id": d.milestone_id, "visibility": d.visibility, "criteria": criteria,
        "warranty_months": d.warranty_months});
    record(&tx, state, viewer, "deliverable.create", "deliverable", d.id, None, Some(after)).await?;
    let subject = crate::collab::Subject::from(&d);
    crate::collab::track(&tx, now, viewer.user.id, &subject, "created", &d.description).await?;
    tx.commit().await?;
    Ok(d)
}
