//! Personal API tokens: shown once, stored as SHA-256, revocable, with a last-used time.

use chrono::Duration;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, FromQueryResult, Iterable, JoinType, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, RelationTrait, Set, sea_query::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{
    AppState, audit,
    auth::{Via, Viewer},
    db, domain,
    error::{AppError, AppResult, FieldErrors},
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
            .exec(&state.db)
            .await?;
    }
    Ok(Viewer::new(user, party, Via::Token))
}

/// Creates a token for the viewer and returns the row and the secret (the only time it exists).
pub async fn create(state: &AppState, viewer: &Viewer, name: &str) -> AppResult<(api_token::Model, String)> {
    let mut errors = FieldErrors::default();
    let name = errors.take("name", domain::text(name, true, 100));
    errors.into_result()?;
    let name = name.unwrap_or_default();
    let secret = new_secret();
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = api_token::ActiveModel {
        user_id: Set(viewer.user.id),
        name: Set(name),
        token_hash: Set(sha256_hex(&secret)),
        created_at: Set(now),
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
            after: Some(json!({"name": row.name, "user_id": row.user_id})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((row, secret))
}

pub async fn list_own(state: &AppState, viewer: &Viewer) -> AppResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(viewer.user.id))
        .order_by_desc(api_token::Column::Id)
        .all(&state.db)
        .await?)
}

/// Revokes one of the viewer's own tokens; someone else's token answers 404.
pub async fn revoke(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<()> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = api_token::Entity::find_by_id(id)
        .filter(api_token::Column::UserId.eq(viewer.user.id))
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
            before: Some(json!({"name": row.name, "revoked": false})),
            after: Some(json!({"name": row.name, "revoked": true})),
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
}
