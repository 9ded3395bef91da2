//! The engagement team: who works on an engagement and in which engagement role. A `pm`
//! member (host people only) runs that engagement like a host PM.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;

use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    db,
    domain::Id,
    engagements::{
        entity::member,
        service::{get, get_to_manage, participant_ids, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
    users::entity::user,
};

/// Members of the engagement as this viewer may know them (the host sees all; others see the
/// host's people and their own party's).
pub async fn members(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<Vec<(member::Model, user::Model)>> {
    get(state, viewer, id).await?;
    let lens = Lens::of(state, viewer, id).await?;
    let rows = member::Entity::find()
        .find_also_related(user::Entity)
        .filter(member::Column::EngagementId.eq(id))
        .order_by_asc(member::Column::Id)
        .all(&state.db)
        .await?;
    Ok(rows.into_iter().filter_map(|(m, u)| u.map(|u| (m, u))).filter(|(_, u)| lens.knows(u.party_id)).collect())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    pub user_id: Id,
    /// pm (host users only) | member
    pub role: String,
}

pub async fn add_member(state: &AppState, viewer: &Viewer, id: i64, input: MemberInput) -> AppResult<member::Model> {
    get_to_manage(state, viewer, id).await?;
    let mut errors = FieldErrors::default();
    let role = match input.role.trim() {
        r @ ("pm" | "member") => Some(r.to_owned()),
        "" => {
            errors.add("role", Msg::new("error-required"));
            None
        }
        _ => {
            errors.add("role", Msg::new("error-member-role"));
            None
        }
    };
    let found = user::Entity::find_by_id(input.user_id.0)
        .find_also_related(party::Entity)
        .filter(user::Column::Active.eq(true))
        .one(&state.db)
        .await?;
    let target = match found {
        Some((u, Some(p))) if p.kind == "host" || participant_ids(state, id).await?.contains(&p.id) => Some((u, p)),
        _ => {
            errors.add("user_id", Msg::new("error-assignee"));
            None
        }
    };
    if let (Some((_, p)), Some("pm")) = (&target, role.as_deref())
        && p.kind != "host"
    {
        errors.add("role", Msg::new("error-member-pm-host"));
    }
    if target.is_some()
        && member::Entity::find()
            .filter(member::Column::EngagementId.eq(id))
            .filter(member::Column::UserId.eq(input.user_id.0))
            .count(&state.db)
            .await?
            > 0
    {
        errors.add("user_id", Msg::new("error-member-exists"));
    }
    errors.into_result()?;
    let (Some((u, _)), Some(role)) = (target, role) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let tx = db::begin_write(&state.writer).await?;
    let m = member::ActiveModel {
        engagement_id: Set(id),
        user_id: Set(u.id),
        role: Set(role),
        created_at: Set(state.clock.now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"user_id": u.id, "user": u.email, "role": m.role});
    record(&tx, state, viewer, "engagement.member_add", "engagement", id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(m)
}

pub async fn remove_member(state: &AppState, viewer: &Viewer, id: i64, user_id: i64) -> AppResult<()> {
    get_to_manage(state, viewer, id).await?;
    let tx = db::begin_write(&state.writer).await?;
    let m = member::Entity::find()
        .filter(member::Column::EngagementId.eq(id))
        .filter(member::Column::UserId.eq(user_id))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    member::Entity::delete_by_id(m.id).exec(&tx).await?;
    let before = json!({"user_id": user_id, "role": m.role});
    record(&tx, state, viewer, "engagement.member_remove", "engagement", id, Some(before), None).await?;
    tx.commit().await?;
    Ok(())
}
