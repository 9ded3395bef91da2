//! Defects: opened by a rejected (or conditional) acceptance, by an inspection, or by hand;
//! owned by the party that delivered; resolved by that party and closed by the host.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    entity::defect,
    service::{may_decide, visible_deliverable},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{self, DefectStatus, Id, Severity},
    engagements::{
        entity::deliverable,
        service::{get as engagement, manages, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
};

pub fn scope(viewer: &Viewer) -> Condition {
    Condition::all()
        .add(viewer.engagement_ids_scope(defect::Column::EngagementId))
        .add(viewer.record_scope(defect::Column::Visibility, defect::Column::VisiblePartyId))
}

pub struct NewDefect {
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub acceptance_id: Option<i64>,
    pub check_id: Option<i64>,
}

/// Opens a defect on `d` inside the caller's transaction; it is seen by whoever sees `d`.
pub(crate) async fn open(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    d: &deliverable::Model,
    input: NewDefect,
) -> AppResult<defect::Model> {
    let max: Option<i32> = defect::Entity::find()
        .select_only()
        .column_as(defect::Column::Seq.max(), "m")
        .filter(defect::Column::EngagementId.eq(d.engagement_id))
        .into_tuple::<Option<i32>>()
        .one(tx)
        .await?
        .flatten();
    let seq = max.unwrap_or(0) + 1;
    let row = defect::ActiveModel {
        engagement_id: Set(d.engagement_id),
        deliverable_id: Set(d.id),
        acceptance_id: Set(input.acceptance_id),
        check_id: Set(input.check_id),
        seq: Set(seq),
        key: Set(format!("DEF-{seq:03}")),
        title: Set(input.title),
        description: Set(input.description),
        severity: Set(input.severity.as_str().to_owned()),
        status: Set(DefectStatus::Open.as_str().to_owned()),
        owner_party_id: Set(d.owner_party_id),
        created_by: Set(viewer.user.id),
        created_at: Set(state.clock.now()),
        resolved_at: Set(None),
        closed_at: Set(None),
        visibility: Set(d.visibility.clone()),
        visible_party_id: Set(d.visible_party_id),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let after = json!({"key": row.key, "deliverable_id": d.id, "title": row.title, "severity": row.severity,
                       "acceptance_id": row.acceptance_id, "check_id": row.check_id});
    record(tx, state, viewer, "defect.create", "defect", row.id, None, Some(after)).await?;
    Ok(row)
}

#[derive(Debug, Default)]
pub struct DefectFilter {
    pub status: Option<DefectStatus>,
    pub deliverable_id: Option<i64>,
}

pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    f: &DefectFilter,
) -> AppResult<Vec<defect::Model>> {
    engagement(state, viewer, engagement_id).await?;
    let mut q = defect::Entity::find().filter(defect::Column::EngagementId.eq(engagement_id)).filter(scope(viewer));
    if let Some(s) = f.status {
        q = q.filter(defect::Column::Status.eq(s.as_str()));
    }
    if let Some(d) = f.deliverable_id {
        q = q.filter(defect::Column::DeliverableId.eq(d));
    }
    Ok(q.order_by_desc(defect::Column::Seq).all(&state.db).await?)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefectInput {
    #[serde(default)]
    pub deliverable_id: Option<Id>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// critical | major (default) | minor
    #[serde(default)]
    pub severity: Option<String>,
}

/// Records a defect by hand: the PM, or a client's manager checking the deliverable.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: DefectInput,
) -> AppResult<defect::Model> {
    engagement(state, viewer, engagement_id).await?;
    let checker = viewer.kind == domain::PartyKind::Client && viewer.role == domain::Role::Manager;
    if !(checker || manages(state, viewer, engagement_id).await?) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let d = match input.deliverable_id {
        None => {
            errors.add("deliverable_id", Msg::new("error-required"));
            None
        }
        Some(Id(id)) => match visible_deliverable(state, viewer, id).await {
            Ok(d) if d.engagement_id == engagement_id && may_decide(state, viewer, &d).await? => Some(d),
            Ok(_) | Err(AppError::NotFound) => {
                errors.add("deliverable_id", Msg::new("error-deliverable"));
                None
            }
            Err(e) => return Err(e),
        },
    };
    let title = errors.take("title", domain::text(&input.title, true, 300));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, 10_000));
    let severity = match input.severity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(Severity::Major),
        Some(s) => errors.take("severity", Severity::parse(s)),
    };
    errors.into_result()?;
    let (Some(d), Some(title), Some(description), Some(severity)) = (d, title, description, severity) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated defect is incomplete")));
    };
    let tx = db::begin_write(&state.writer).await?;
    let row =
        open(&tx, state, viewer, &d, NewDefect { title, description, severity, acceptance_id: None, check_id: None })
            .await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefectUpdate {
    /// open | resolved | closed
    #[serde(default)]
    pub status: String,
}

/// The delivering party marks its defects resolved; the PM may set any status (close after
/// checking the fix, reopen).
pub async fn update(state: &AppState, viewer: &Viewer, id: i64, input: DefectUpdate) -> AppResult<defect::Model> {
    let d =
        db::unique(defect::Entity::find_by_id(id).filter(scope(viewer)), &state.db).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let status = errors.take("status", DefectStatus::parse(&input.status));
    let manager = manages(state, viewer, d.engagement_id).await?;
    // The delivering party reports an open defect fixed; closing and reopening are the PM's.
    let owner = !viewer.is_host() && d.owner_party_id == Some(viewer.party.id) && d.status == "open";
    if !(manager || (owner && status.is_none_or(|s| s == DefectStatus::Resolved))) {
        return Err(AppError::Forbidden);
    }
    errors.into_result()?;
    let Some(status) = status else { return Err(AppError::Internal(anyhow::anyhow!("validated status missing"))) };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let before = json!({"status": d.status});
    let mut row: defect::ActiveModel = d.into();
    row.status = Set(status.as_str().to_owned());
    match status {
        DefectStatus::Open => {
            row.resolved_at = Set(None);
            row.closed_at = Set(None);
        }
        DefectStatus::Resolved => row.resolved_at = Set(Some(now)),
        DefectStatus::Closed => row.closed_at = Set(Some(now)),
    }
    let after = row.update(&tx).await?;
    record(
        &tx,
        state,
        viewer,
        "defect.update",
        "defect",
        after.id,
        Some(before),
        Some(json!({"status": after.status})),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
