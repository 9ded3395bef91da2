//! Password hashing with argon2id, always off the async threads.

use crate::{AppState, error::AppResult};

pub async fn hash(password: &str) -> AppResult<String> {
    let password = password.to_owned();
    Ok(tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await?)
}

/// Checks `password` against `stored`; with no stored hash (unknown user, pending invitation)
/// it still spends the same time on a dummy hash so timing reveals nothing.
pub async fn verify(state: &AppState, password: &str, stored: Option<&str>) -> AppResult<bool> {
    let (hash, real) = match stored {
        Some(h) => (h.to_owned(), true),
        None => {
            let dummy = state.dummy_hash.get_or_try_init(|| async { hash("accord-timing-equaliser").await }).await?;
            (dummy.clone(), false)
        }
    };
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok()).await?;
    Ok(ok && real)
}
