//! Invitations: a user created without a password gets an e-mailed link (valid for a week) to
//! set one. The secret is stored hashed; the link is used up by the first acceptance.

use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Set, sea_query::Expr,
};
use serde_json::json;

use crate::{
    AppState,
    audit::{self, Actor, Change},
    auth::{Viewer, password, tokens::sha256_hex},
    db,
    domain::Password,
    error::{AppError, AppResult, FieldErrors, Msg},
    i18n::Lang,
    mail,
    parties::entity::party,
    users::{
        entity::{invitation, user},
        service::{get, record},
    },
};

pub const INVITATION_DAYS: i64 = 7;

/// Writes an invitation and queues its e-mail in the caller's transaction; returns the token.
pub(crate) async fn invite(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    u: &user::Model,
    p: &party::Model,
    lang: Lang,
) -> AppResult<String> {
    let now = state.clock.now();
    let token = crate::auth::tokens::new_secret();
    // Older invitations stop working once a new one is sent.
    invitation::Entity::delete_many()
        .filter(invitation::Column::UserId.eq(u.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .exec(tx)
        .await?;
    let inv = invitation::ActiveModel {
        user_id: Set(u.id),
        token_hash: Set(sha256_hex(&token)),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let link = format!("{}/invite/{token}", state.config.base_url);
    let args = [
        ("name", u.name.clone()),
        ("inviter", viewer.user.name.clone()),
        ("party", p.name.clone()),
        ("link", link),
        ("days", INVITATION_DAYS.to_string()),
    ];
    let subject = lang.t_args("invite-email-subject", &args);
    let body = lang.t_args("invite-email-body", &args);
    mail::queue(tx, now, &u.email, &subject, &body).await?;
    audit::record(
        tx,
        now,
        viewer.actor(),
        Change {
            action: "user.invite",
            entity_type: "user",
            entity_id: u.id.to_string(),
            before: None,
            after: Some(json!({"invitation_id": inv.id, "email": u.email, "expires_at": inv.expires_at})),
        },
    )
    .await?;
    Ok(token)
}

/// Sends a fresh invitation to a user who has not set a password yet.
pub async fn resend_invitation(state: &AppState, viewer: &Viewer, id: i64, lang: Lang) -> AppResult<()> {
    let (u, p) = get(state, viewer, id).await?;
    if !viewer.can_manage_users_of(u.party_id) {
        return Err(AppError::Forbidden);
    }
    if u.password_hash.is_some() || !u.active {
        return Err(AppError::Conflict(Msg::new("error-invite-not-pending")));
    }
    let tx = db::begin_write(&state.writer).await?;
    invite(&tx, state, viewer, &u, &p, lang).await?;
    tx.commit().await?;
    Ok(())
}

/// A pending invitation by its secret, with the invitee and their party.
pub async fn pending_invitation(
    state: &AppState,
    token: &str,
) -> AppResult<(invitation::Model, user::Model, party::Model)> {
    let inv = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(sha256_hex(token)))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(state.clock.now()))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    match user::Entity::find_by_id(inv.user_id).find_also_related(party::Entity).one(&state.db).await? {
        Some((u, Some(p))) if u.active => Ok((inv, u, p)),
        _ => Err(AppError::NotFound),
    }
}

/// Sets the invitee's password; the invitation is used up.
pub async fn accept_invitation(state: &AppState, token: &str, new: &str, confirm: &str) -> AppResult<user::Model> {
    let (inv, u, _) = pending_invitation(state, token).await?;
    let mut errors = FieldErrors::default();
    let new = errors.take("password", Password::parse(new));
    if new.is_some() && new.as_ref().map(Password::expose) != Some(confirm) {
        errors.add("password_confirm", Msg::new("error-password-mismatch"));
    }
    errors.into_result()?;
    let Some(new) = new else { return Err(AppError::Internal(anyhow::anyhow!("validated password missing"))) };
    let hash = password::hash(new.expose()).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    // Used up by whoever gets here first.
    let taken = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::value(now))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .exec(&tx)
        .await?;
    if taken.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    let mut um: user::ActiveModel = u.into();
    um.password_hash = Set(Some(hash));
    um.last_login_at = Set(Some(now));
    um.updated_at = Set(now);
    let u = um.update(&tx).await?;
    record(&tx, state, Actor::user(u.id, u.party_id), "user.accept_invitation", u.id, None, None).await?;
    tx.commit().await?;
    Ok(u)
}

pub async fn has_pending_invitation(state: &AppState, user_id: i64) -> AppResult<bool> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::UserId.eq(user_id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(state.clock.now()))
        .count(&state.db)
        .await?
        > 0)
}
