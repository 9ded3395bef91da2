//! Quality checks: inspections of a deliverable with a checklist and findings; a failed line
//! opens a defect. The figures per deliverable and per vendor are what scorecards read.

use std::collections::BTreeMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    defects::{self, NewDefect},
    entity::{defect, quality_check},
    service::visible_deliverable,
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    db,
    domain::{self, Id, Severity},
    engagements::{
        entity::deliverable,
        service::{get as engagement, get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
};

pub const MAX_ITEMS: usize = 100;

pub fn scope(viewer: &Viewer) -> Condition {
    Condition::all()
        .add(viewer.engagement_ids_scope(quality_check::Column::EngagementId))
        .add(viewer.record_scope(quality_check::Column::Visibility, quality_check::Column::VisiblePartyId))
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckItem {
    pub text: String,
    pub passed: bool,
    /// For a failed line: what is wrong (becomes the defect's description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInput {
    #[serde(default)]
    pub deliverable_id: Option<Id>,
    /// `YYYY-MM-DD`; today when left out.
    #[serde(default)]
    pub checked_on: Option<String>,
    #[serde(default)]
    pub items: Vec<CheckItem>,
    #[serde(default)]
    pub findings: Option<String>,
}

pub fn items_of(c: &quality_check::Model) -> Vec<CheckItem> {
    serde_json::from_str(&c.items).unwrap_or_default()
}

pub async fn list(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<quality_check::Model>> {
    engagement(state, viewer, engagement_id).await?;
    Ok(quality_check::Entity::find()
        .filter(quality_check::Column::EngagementId.eq(engagement_id))
        .filter(scope(viewer))
        .order_by_desc(quality_check::Column::CheckedOn)
        .order_by_desc(quality_check::Column::Id)
        .all(&state.db)
        .await?)
}

/// The PM records an inspection; the result is `fail` when any line failed.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: CheckInput,
) -> AppResult<quality_check::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let d = match input.deliverable_id {
        None => {
            errors.add("deliverable_id", Msg::new("error-required"));
            None
        }
        Some(Id(id)) => match visible_deliverable(state, viewer, id).await {
            Ok(d) if d.engagement_id == engagement_id => Some(d),
            Ok(_) | Err(AppError::NotFound) => {
                errors.add("deliverable_id", Msg::new("error-deliverable"));
                None
            }
            Err(e) => return Err(e),
        },
    };
    let checked_on = match input.checked_on.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => errors.take("checked_on", domain::parse_date(c)),
        None => Some(state.today()),
    };
    if input.items.is_empty() {
        errors.add("items", Msg::new("error-check-items"));
    } else if input.items.len() > MAX_ITEMS {
        errors.add("items", Msg::new("error-criteria-count").arg("max", MAX_ITEMS));
    }
    let mut items = Vec::new();
    for (i, it) in input.items.iter().enumerate() {
        let text = errors.take(&format!("items[{i}].text"), domain::text(&it.text, true, 500));
        let note =
            errors.take(&format!("items[{i}].note"), domain::text(it.note.as_deref().unwrap_or(""), false, 2_000));
        if let (Some(text), Some(note)) = (text, note) {
            items.push(CheckItem { text, passed: it.passed, note: Some(note).filter(|n| !n.is_empty()) });
        }
    }
    let findings = errors.take("findings", domain::text(input.findings.as_deref().unwrap_or(""), false, 10_000));
    errors.into_result()?;
    let (Some(d), Some(checked_on), Some(findings)) = (d, checked_on, findings) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated check is incomplete")));
    };
    let failed: Vec<&CheckItem> = items.iter().filter(|i| !i.passed).collect();
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let row = quality_check::ActiveModel {
        engagement_id: Set(engagement_id),
        deliverable_id: Set(d.id),
        checked_on: Set(checked_on),
        result: Set(if failed.is_empty() { "pass" } else { "fail" }.to_owned()),
        findings: Set(findings),
        items: Set(json!(items).to_string()),
        inspector_id: Set(viewer.user.id),
        created_at: Set(now),
        visibility: Set(d.visibility.clone()),
        visible_party_id: Set(d.visible_party_id),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for it in &failed {
        let input = NewDefect {
            title: it.text.chars().take(300).collect(),
            description: it.note.clone().unwrap_or_default(),
            severity: Severity::Major,
            acceptance_id: None,
            check_id: Some(row.id),
        };
        defects::open(&tx, state, viewer, &d, input).await?;
    }
    let after = json!({"deliverable_id": d.id, "checked_on": checked_on, "result": row.result, "failed": failed.len()});
    record(&tx, state, viewer, "quality_check.create", "quality_check", row.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}

/// Defect and inspection counts of one deliverable, or of one delivering party.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub deliverables: u32,
    pub checks: u32,
    pub failed_checks: u32,
    pub defects: u32,
    pub open_defects: u32,
    pub critical_defects: u32,
}

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct QualitySummary {
    /// Per deliverable id.
    pub deliverables: BTreeMap<String, Tally>,
    /// Per delivering party id (the host's own deliverables under its id too).
    pub parties: BTreeMap<String, Tally>,
}

/// Counts over what the viewer may see of an engagement.
pub async fn summary(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<QualitySummary> {
    engagement(state, viewer, engagement_id).await?;
    let delivs = deliverable::Entity::find()
        .filter(deliverable::Column::EngagementId.eq(engagement_id))
        .filter(viewer.record_scope(deliverable::Column::Visibility, deliverable::Column::VisiblePartyId))
        .all(&state.db)
        .await?;
    let checks = list(state, viewer, engagement_id).await?;
    let defects = defect::Entity::find()
        .filter(defect::Column::EngagementId.eq(engagement_id))
        .filter(defects::scope(viewer))
        .all(&state.db)
        .await?;
    let lens = Lens::of(state, viewer, engagement_id).await?;
    let mut out = QualitySummary::default();
    for d in &delivs {
        let mut t = Tally { deliverables: 1, ..Tally::default() };
        for c in checks.iter().filter(|c| c.deliverable_id == d.id) {
            t.checks += 1;
            t.failed_checks += u32::from(c.result == "fail");
        }
        for f in defects.iter().filter(|f| f.deliverable_id == d.id) {
            t.defects += 1;
            t.open_defects += u32::from(f.status != "closed");
            t.critical_defects += u32::from(f.severity == "critical");
        }
        if let Some(p) = lens.party(d.owner_party_id) {
            let sum = out.parties.entry(p.to_string()).or_default();
            sum.deliverables += t.deliverables;
            sum.checks += t.checks;
            sum.failed_checks += t.failed_checks;
            sum.defects += t.defects;
            sum.open_defects += t.open_defects;
            sum.critical_defects += t.critical_defects;
        }
        out.deliverables.insert(d.id.to_string(), t);
    }
    Ok(out)
}
