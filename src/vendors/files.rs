//! Files kept with a certificate or a bid: checked and stored like documents (type sniffed
//! from the content, bytes under their SHA-256), read back only through their owner's rules.

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use object_store::{ObjectStoreExt, path::Path as StorePath};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::entity::file;
use crate::{
    AppState,
    documents::{Upload, pages::content_disposition, service::clean_name},
    error::{AppError, AppResult, FieldErrors},
};

/// A file checked and put in the store, not yet recorded.
pub struct Stored {
    name: String,
    key: String,
    size: i64,
    content_type: &'static str,
    sha256: String,
}

pub async fn put(state: &AppState, upload: &Upload, errors: &mut FieldErrors) -> AppResult<Option<Stored>> {
    let name = clean_name(&upload.file_name);
    let stored = crate::documents::service::put(state, upload, &name, errors).await?;
    Ok(stored.map(|(key, size, content_type, sha256)| Stored { name, key, size, content_type, sha256 }))
}

pub async fn attach(
    tx: &DatabaseTransaction,
    owner_kind: &str,
    owner_id: i64,
    s: Stored,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<file::Model> {
    Ok(file::ActiveModel {
        owner_kind: Set(owner_kind.to_owned()),
        owner_id: Set(owner_id),
        file_name: Set(s.name.chars().take(255).collect()),
        object_key: Set(s.key),
        size: Set(s.size),
        content_type: Set(s.content_type.to_owned()),
        sha256: Set(s.sha256),
        uploaded_by: Set(user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?)
}

pub async fn of(db: &impl ConnectionTrait, owner_kind: &str, owner_ids: &[i64]) -> AppResult<Vec<file::Model>> {
    Ok(file::Entity::find()
        .filter(file::Column::OwnerKind.eq(owner_kind))
        .filter(file::Column::OwnerId.is_in(owner_ids.iter().copied()))
        .order_by_asc(file::Column::Id)
        .all(db)
        .await?)
}

/// The download of one file of an owner the caller has already been allowed to see.
pub async fn download(state: &AppState, owner_kind: &str, owner_id: i64, file_id: i64) -> AppResult<Response> {
    let f = file::Entity::find_by_id(file_id)
        .filter(file::Column::OwnerKind.eq(owner_kind))
        .filter(file::Column::OwnerId.eq(owner_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let got = state.store.get(&StorePath::from(f.object_key.as_str())).await.map_err(anyhow::Error::from)?;
    let bytes = got.bytes().await.map_err(anyhow::Error::from)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(&f.content_type) {
        h.insert(header::CONTENT_TYPE, ct);
    }
    if let Ok(cd) = HeaderValue::from_str(&content_disposition(&f.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, cd);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(res)
}
