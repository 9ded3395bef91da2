//! The parties taking part in an engagement, with their relation, and what each viewer may
//! learn of them.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::json;

use super::service::{get, get_to_manage, record};
use crate::{
    AppState,
    auth::{Viewer, lens},
    db,
    domain::{Id, PartyKind, Relation},
    engagements::entity::{milestone, participant, task},
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
};

/// Parties taking part, as this viewer may know them (`auth::lens`): the host sees every
/// participant; a vendor or client its own party and the engagement's client and supervisor,
/// never the other vendors.
pub async fn participants(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> AppResult<Vec<(participant::Model, party::Model)>> {
    get(state, viewer, id).await?;
    let rows = participant::Entity::find()
        .find_also_related(party::Entity)
        .filter(participant::Column::EngagementId.eq(id))
        .filter(lens::known_participants(viewer))
        .order_by_asc(participant::Column::Id)
        .all(&state.db)
        .await?;
    Ok(rows.into_iter().filter_map(|(pt, p)| p.map(|p| (pt, p))).collect())
}

/// Ids of the parties taking part (all of them; for checks, not for display).
pub async fn participant_ids(state: &AppState, id: i64) -> AppResult<Vec<i64>> {
    Ok(participant::Entity::find()
        .select_only()
        .column(participant::Column::PartyId)
        .filter(participant::Column::EngagementId.eq(id))
        .into_tuple()
        .all(&state.db)
        .await?)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    pub party_id: Id,
    /// client | vendor | subcontractor | supervisor
    pub relation: String,
}

pub async fn add_participant(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: ParticipantInput,
) -> AppResult<participant::Model> {
    get_to_manage(state, viewer, id).await?;
    let mut errors = FieldErrors::default();
    let relation = errors.take("relation", Relation::parse(&input.relation));
    let target = party::Entity::find_by_id(input.party_id.0).one(&state.db).await?;
    match (&target, relation) {
        (None, _) => errors.add("party_id", Msg::new("error-party-unknown")),
        (Some(p), _) if p.kind == "host" => errors.add("party_id", Msg::new("error-participant-host")),
        (Some(p), Some(r)) if !PartyKind::parse(&p.kind).is_ok_and(|k| r.fits(k)) => {
            errors.add("relation", Msg::new("error-relation-kind"))
        }
        _ => {}
    }
    if participant_ids(state, id).await?.contains(&input.party_id.0) {
        errors.add("party_id", Msg::new("error-participant-exists"));
    }
    errors.into_result()?;
    let (Some(p), Some(relation)) = (target, relation) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let tx = db::begin_write(&state.writer).await?;
    let row = participant::ActiveModel {
        engagement_id: Set(id),
        party_id: Set(p.id),
        relation: Set(relation.as_str().to_owned()),
        created_at: Set(state.clock.now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"party_id": p.id, "party": p.name, "relation": row.relation});
    record(&tx, state, viewer, "engagement.participant_add", "engagement", id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}

/// Takes a party out, unless records of the engagement still name it.
pub async fn remove_participant(state: &AppState, viewer: &Viewer, id: i64, party_id: i64) -> AppResult<()> {
    get_to_manage(state, viewer, id).await?;
    let tx = db::begin_write(&state.writer).await?;
    let row = participant::Entity::find()
        .filter(participant::Column::EngagementId.eq(id))
        .filter(participant::Column::PartyId.eq(party_id))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let named_by_tasks = task::Entity::find()
        .filter(task::Column::EngagementId.eq(id))
        .filter(Condition::any().add(task::Column::PartyId.eq(party_id)).add(task::Column::VisiblePartyId.eq(party_id)))
        .count(&tx)
        .await?;
    let named_by_milestones = milestone::Entity::find()
        .filter(milestone::Column::EngagementId.eq(id))
        .filter(
            Condition::any()
                .add(milestone::Column::OwnerPartyId.eq(party_id))
                .add(milestone::Column::VisiblePartyId.eq(party_id)),
        )
        .count(&tx)
        .await?;
    if named_by_tasks + named_by_milestones > 0 {
        return Err(AppError::Conflict(Msg::new("error-participant-in-use")));
    }
    participant::Entity::delete_by_id(row.id).exec(&tx).await?;
    let before = json!({"party_id": party_id, "relation": row.relation});
    record(&tx, state, viewer, "engagement.participant_remove", "engagement", id, Some(before), None).await?;
    tx.commit().await?;
    Ok(())
}
