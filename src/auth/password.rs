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

/// Asks the signed-in user for their password again, at the moment they sign something; a
/// wrong or empty one is an error on the `password` field. Guesses are throttled like signing in.
pub async fn reauthenticate(state: &AppState, viewer: &crate::auth::Viewer, password: &str) -> AppResult<()> {
    use sea_orm::EntityTrait;
    let stored = crate::users::entity::user::Entity::find_by_id(viewer.user.id)
        .one(&state.db)
        .await?
        .and_then(|u| u.password_hash);
    let attempt = crate::auth::throttle::begin(state, &viewer.user.email, crate::auth::throttle::Scope::Reauth).await?;
    if !password.is_empty() && verify(state, password, stored.as_deref()).await? {
        attempt.succeeded(state).await?;
    } else {
        let mut errors = crate::error::FieldErrors::default();
        errors.add("password", crate::error::Msg::new("error-signing-password"));
        return Err(crate::error::AppError::Validation(errors));
    }
    Ok(())
}
