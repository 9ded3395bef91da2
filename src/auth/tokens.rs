//! Personal API tokens: shown once, stored as SHA-256, with a last-used time and an expiry;
//! revoked by their owner, by an administrator, and all at once when the owner's password
//! changes or the owner is deactivated (reactivating does not bring them back).

use chrono::Duration;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Iterable, JoinType,
    QueryFilter, QueryOrder, QueryResult, QuerySelect, RelationTrait, Set, sea_query::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{
    AppState, audit,
    auth::{Via, Viewer},
    db, domain,
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
    users::entity::{api_token, user},
};

pub const TOKEN_PREFIX: &str = "acc_";

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Masks every secret in `text` (`acc_` followed by hex) so logs and stored copies of sent
/// mail don't hold working credentials.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(TOKEN_PREFIX) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let secret_len = from[TOKEN_PREFIX.len()..].bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str(TOKEN_PREFIX);
        out.push_str(if secret_len > 0 { "…" } else { "" });
        rest = &from[TOKEN_PREFIX.len() + secret_len..];
    }
    out.push_str(rest);
    out
}

/// A new random secret with a recognisable prefix (so leaked tokens can be found by scanners).
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    format!("{TOKEN_PREFIX}{}", hex::encode(bytes))
}

/// A token with its user and party, read positionally (this runs on every API request).
struct TokenViewer {
    token_id: i64,
    last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    user: user::Model,
    party: party::Model,
}

impl FromQueryResult for TokenViewer {
    fn from_query_result(res: &QueryResult, _: &str) -> Result<Self, DbErr> {
        let mut c = db::Cols::new(res);
        Ok(Self {
            token_id: c.take()?,
            last_used_at: c.take()?,
            user: user::Model::read(&mut c)?,
            party: party::Model::read(&mut c)?,
        })
    }
}

/// Resolves a bearer token to its viewer in one query (token, user, party); `None` when the
/// token is unknown, revoked or its user inactive.
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<Option<Viewer>> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let found = api_token::Entity::find()
        .select_only()
        .column(api_token::Column::Id)
        .column(api_token::Column::LastUsedAt)
        .columns(user::Column::iter())
        .columns(party::Column::iter())
        .join(JoinType::InnerJoin, api_token::Relation::User.def())
        .join(JoinType::InnerJoin, user::Relation::Party.def())
        .filter(api_token::Column::TokenHash.eq(sha256_hex(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(
            Condition::any()
                .add(api_token::Column::ExpiresAt.is_null())
                .add(api_token::Column::ExpiresAt.gt(state.clock.now())),
        )
        .filter(user::Column::Active.eq(true))
        .into_model::<TokenViewer>()
        // The hash is unique: no `LIMIT ?` (see `db::unique`).
        .all(&state.db)
        .await?
        .into_iter()
        .next();
    let Some(TokenViewer { token_id, last_used_at, user, party }) = found else {
        return Ok(None);
    };
    let now = state.clock.now();
    // Touch at most once a minute: a write per request would serialise every API call.
    if last_used_at.is_none_or(|t| now - t > Duration::minutes(1)) {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(token_id))
            .exec(&state.writer)
            .await?;
    }
    Ok(Viewer::new(user, party, Via::Token))
}

/// How long a new token lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    Days(u32),
    /// Only an administrator may hand out a token that never expires (service accounts).
    Never,
}

pub const MAX_TOKEN_DAYS: u32 = 3650;

impl Lifetime {
    /// `never` or a number of days (1–3650); empty means the configured default.
    pub fn parse(raw: &str) -> Result<Option<Self>, Msg> {
        match raw.trim() {
            "" => Ok(None),
            "never" => Ok(Some(Self::Never)),
            n => match n.parse::<u32>() {
                Ok(d) if (1..=MAX_TOKEN_DAYS).contains(&d) => Ok(Some(Self::Days(d))),
                _ => Err(Msg::new("error-token-lifetime").arg("max", MAX_TOKEN_DAYS)),
            },
        }
    }
}

/// Creates a token for the viewer and returns the row and the secret (the only time it exists).
/// Without a lifetime it lives the configured default (`token_days`, 90 days).
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    name: &str,
    lifetime: Option<Lifetime>,
) -> AppResult<(api_token::Model, String)> {
    let mut errors = FieldErrors::default();
    let name = errors.take("name", domain::text(name, true, 100));
    let lifetime = lifetime.unwrap_or(Lifetime::Days(state.config.token_days));
    if lifetime == Lifetime::Never && !viewer.is_admin() {
        errors.add("expires_in_days", Msg::new("error-token-never-admin"));
    }
    errors.into_result()?;
    let name = name.unwrap_or_default();
    let secret = new_secret();
    let now = state.clock.now();
    let expires_at = match lifetime {
        Lifetime::Days(d) => Some(now + Duration::days(i64::from(d))),
        Lifetime::Never => None,
    };
    let tx = db::begin_write(&state.writer).await?;
    let row = api_token::ActiveModel {
        user_id: Set(viewer.user.id),
        name: Set(name),
        token_hash: Set(sha256_hex(&secret)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        now,
        viewer.actor(),
        audit::Change {
            action: "api_token.create",
            entity_type: "api_token",
            entity_id: row.id.to_string(),
            before: None,
            after: Some(json!({"name": row.name, "user_id": row.user_id, "expires_at": row.expires_at})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((row, secret))
}

/// Whether a token still opens the API: not revoked, not expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Expired,
    Revoked,
}

impl Status {
    pub fn of(t: &api_token::Model, now: chrono::DateTime<chrono::Utc>) -> Self {
        if t.revoked_at.is_some() {
            Self::Revoked
        } else if t.expires_at.is_some_and(|e| e <= now) {
            Self::Expired
        } else {
            Self::Active
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
}

/// Revokes every live token of a user, inside the caller's transaction (password change,
/// deactivation); returns how many.
pub async fn revoke_all_of(
    tx: &impl ConnectionTrait,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, DbErr> {
    let res = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(tx)
        .await?;
    Ok(res.rows_affected)
}

/// Whose tokens the viewer may manage: their own, and an administrator anyone's. Someone the
/// viewer cannot see is 404; someone they can see but not manage, 403.
async fn check_owner(state: &AppState, viewer: &Viewer, user_id: i64) -> AppResult<()> {
    if user_id == viewer.user.id {
        return Ok(());
    }
    crate::users::service::get(state, viewer, user_id).await?;
    if viewer.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A user's tokens, newest first (their own, or anyone's for an administrator).
pub async fn list_of(state: &AppState, viewer: &Viewer, user_id: i64) -> AppResult<Vec<api_token::Model>> {
    check_owner(state, viewer, user_id).await?;
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::Id)
        .all(&state.db)
        .await?)
}

pub async fn list_own(state: &AppState, viewer: &Viewer) -> AppResult<Vec<api_token::Model>> {
    list_of(state, viewer, viewer.user.id).await
}

/// Revokes one of the viewer's own tokens; someone else's token answers 404.
pub async fn revoke(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<()> {
    revoke_of(state, viewer, viewer.user.id, id).await
}

/// Revokes token `id` of user `user_id` (the viewer's own, or anyone's for an administrator).
pub async fn revoke_of(state: &AppState, viewer: &Viewer, user_id: i64, id: i64) -> AppResult<()> {
    check_owner(state, viewer, user_id).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let row = api_token::Entity::find_by_id(id)
        .filter(api_token::Column::UserId.eq(user_id))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.revoked_at.is_some() {
        return Ok(());
    }
    let mut am: api_token::ActiveModel = row.clone().into();
    am.revoked_at = Set(Some(now));
    am.update(&tx).await?;
    audit::record(
        &tx,
        now,
        viewer.actor(),
        audit::Change {
            action: "api_token.revoke",
            entity_type: "api_token",
            entity_id: id.to_string(),
            before: Some(json!({"name": row.name, "user_id": user_id, "revoked": false})),
            after: Some(json!({"name": row.name, "user_id": user_id, "revoked": true})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked() {
        let s = new_secret();
        let text = format!("open https://x.example/invite/{s} now; acc_ alone stays");
        assert_eq!(redact(&text), "open https://x.example/invite/acc_… now; acc_ alone stays");
    }

    #[test]
    fn lifetimes_are_days_or_never() {
        assert!(matches!(Lifetime::parse(""), Ok(None)));
        assert!(matches!(Lifetime::parse("never"), Ok(Some(Lifetime::Never))));
        assert!(matches!(Lifetime::parse("30"), Ok(Some(Lifetime::Days(30)))));
        assert!(Lifetime::parse("0").is_err());
        assert!(Lifetime::parse("3651").is_err());
        assert!(Lifetime::parse("-1").is_err());
    }
}
