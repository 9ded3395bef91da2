//! First run: the host organisation and its first administrator, created either through the
//! one-time setup link printed by `accord serve` or by `accord admin create`.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    AppState,
    audit::{self, Actor, Change},
    auth::{password, tokens},
    db::{self, settings},
    domain::PartyKind,
    domain::{self, Email, Password, Role},
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::{
        entity::party,
        service::{audit_json as party_json, new_party},
    },
    users::{
        entity::user,
        service::{audit_json, new_user},
    },
};

const SETUP_TOKEN_KEY: &str = "setup_token_sha256";

pub async fn admin_exists(state: &AppState) -> AppResult<bool> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq("admin"))
        .filter(user::Column::Active.eq(true))
        .count(&state.db)
        .await?
        > 0)
}

/// When no administrator exists yet, issues a new one-time setup token (replacing any older one).
pub async fn issue_setup_token(state: &AppState) -> AppResult<Option<String>> {
    if admin_exists(state).await? {
        return Ok(None);
    }
    let token = tokens::new_secret();
    settings::set(&state.writer, SETUP_TOKEN_KEY, &tokens::sha256_hex(&token)).await?;
    Ok(Some(token))
}

pub async fn setup_token_valid(state: &AppState, token: &str) -> AppResult<bool> {
    let stored = settings::get(&state.db, SETUP_TOKEN_KEY).await?;
    Ok(stored.is_some_and(|s| s == tokens::sha256_hex(token)) && !admin_exists(state).await?)
}

pub struct AdminInput<'a> {
    pub org_name: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// Creates the host party (unless it exists) and an administrator in it (`accord admin create`).
pub async fn create_admin(state: &AppState, input: AdminInput<'_>) -> AppResult<user::Model> {
    create_admin_with(state, input, None).await
}

/// Creates the administrator; with a setup token, only by using that token up in the same
/// transaction, so two posts of the one link can't both create one.
async fn create_admin_with(
    state: &AppState,
    input: AdminInput<'_>,
    setup_token: Option<&str>,
) -> AppResult<user::Model> {
    let mut errors = FieldErrors::default();
    let org = errors.take("org_name", domain::text(input.org_name, true, 200));
    let name = errors.take("name", domain::text(input.name, true, 100));
    let email = errors.take("email", Email::parse(input.email));
    let pw = errors.take("password", Password::parse(input.password));
    if let Some(e) = &email
        && user::Entity::find().filter(user::Column::Email.eq(e.as_str())).count(&state.db).await? > 0
    {
        errors.add("email", Msg::new("error-email-taken"));
    }
    errors.into_result()?;
    let (Some(org), Some(name), Some(email), Some(pw)) = (org, name, email, pw) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let hash = password::hash(pw.expose()).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    if let Some(token) = setup_token {
        let used = settings::setting::Entity::delete_many()
            .filter(settings::setting::Column::Key.eq(SETUP_TOKEN_KEY))
            .filter(settings::setting::Column::Value.eq(tokens::sha256_hex(token)))
            .exec(&tx)
            .await?;
        if used.rows_affected != 1 {
            return Err(AppError::NotFound);
        }
    }
    let host = match party::Entity::find().filter(party::Column::Kind.eq("host")).one(&tx).await? {
        Some(h) => h,
        None => {
            let h = new_party(PartyKind::Host, &org, &org, now).insert(&tx).await?;
            audit::record(
                &tx,
                now,
                Actor::SYSTEM,
                Change {
                    action: "party.create",
                    entity_type: "party",
                    entity_id: h.id.to_string(),
                    before: None,
                    after: Some(party_json(&h)),
                },
            )
            .await?;
            h
        }
    };
    let u = new_user(host.id, email.into_inner(), name, Role::Admin, Some(hash), now).insert(&tx).await?;
    audit::record(
        &tx,
        now,
        Actor::SYSTEM,
        Change {
            action: "user.create",
            entity_type: "user",
            entity_id: u.id.to_string(),
            before: None,
            after: Some(audit_json(&u)),
        },
    )
    .await?;
    settings::delete(&tx, SETUP_TOKEN_KEY).await?;
    tx.commit().await?;
    Ok(u)
}

/// Completes the setup link: checks the token, then creates the organisation and administrator.
pub async fn complete_setup(
    state: &AppState,
    token: &str,
    input: AdminInput<'_>,
    confirm: &str,
) -> AppResult<user::Model> {
    if !setup_token_valid(state, token).await? {
        return Err(AppError::NotFound);
    }
    if input.password != confirm {
        let mut errors = FieldErrors::default();
        errors.add("password_confirm", Msg::new("error-password-mismatch"));
        return Err(AppError::Validation(errors));
    }
    create_admin_with(state, input, Some(token)).await
}
