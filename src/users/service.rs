//! Accounts: listing within the viewer's scope, creating (with a password or an e-mailed
//! invitation), editing, deactivating, preferences and passwords. Every write is one
//! transaction with its audit event.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, DbErr, EntityTrait, FromQueryResult, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect, RelationTrait, Set,
    sea_query::{Expr, ExprTrait},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    audit::{self, Actor, Change},
    auth::{Viewer, password, session_store, throttle, tokens},
    db,
    domain::{self, Email, Id, PartyKind, Password, Role},
    error::{AppError, AppResult, FieldErrors, Msg},
    i18n::Lang,
    parties::entity::party,
    users::{entity::user, invitations},
};

pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

pub fn audit_json(u: &user::Model) -> Value {
    json!({
        "email": u.email, "name": u.name, "role": u.role, "party_id": u.party_id,
        "active": u.active, "locale": u.locale, "time_zone": u.time_zone,
    })
}

pub(crate) async fn record(
    tx: &DatabaseTransaction,
    state: &AppState,
    actor: Actor,
    action: &str,
    id: i64,
    before: Option<Value>,
    after: Option<Value>,
) -> AppResult<()> {
    audit::record(
        tx,
        state.clock.now(),
        actor,
        Change { action, entity_type: "user", entity_id: id.to_string(), before, after },
    )
    .await?;
    Ok(())
}

/// A new, active user row; language from the browser and the default time zone until set.
pub fn new_user(
    party_id: i64,
    email: String,
    name: String,
    role: Role,
    password_hash: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> user::ActiveModel {
    user::ActiveModel {
        party_id: Set(party_id),
        email: Set(email),
        name: Set(name),
        role: Set(role.as_str().to_owned()),
        password_hash: Set(password_hash),
        locale: Set(None),
        time_zone: Set(DEFAULT_TIME_ZONE.to_owned()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        ..Default::default()
    }
}

pub async fn count(state: &AppState, viewer: &Viewer) -> AppResult<u64> {
    Ok(user::Entity::find().filter(viewer.user_scope()).count(&state.db).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct UserFilter {
    pub party: Option<i64>,
    pub role: Option<String>,
    /// `active` or `inactive`
    pub status: Option<String>,
    pub q: Option<String>,
}

/// A user as lists show them, with their party's name and kind; read positionally.
#[derive(Clone, Debug)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub party_id: i64,
    pub active: bool,
    pub locale: Option<String>,
    pub time_zone: String,
    /// Invited, no password set yet.
    pub invitation_pending: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub party_name: String,
    pub party_kind: String,
}

impl FromQueryResult for UserSummary {
    fn from_query_result(res: &QueryResult, _: &str) -> Result<Self, DbErr> {
        let mut c = db::Cols::new(res);
        Ok(Self {
            id: c.take()?,
            email: c.take()?,
            name: c.take()?,
            role: c.take()?,
            party_id: c.take()?,
            active: c.take()?,
            locale: c.take()?,
            time_zone: c.take()?,
            invitation_pending: c.take()?,
            created_at: c.take()?,
            last_login_at: c.take()?,
            party_name: c.take()?,
            party_kind: c.take()?,
        })
    }
}

/// The select behind `UserSummary`, already limited to the viewer's scope.
fn summaries(viewer: &Viewer) -> sea_orm::Select<user::Entity> {
    user::Entity::find()
        .select_only()
        .columns([
            user::Column::Id,
            user::Column::Email,
            user::Column::Name,
            user::Column::Role,
            user::Column::PartyId,
            user::Column::Active,
            user::Column::Locale,
            user::Column::TimeZone,
        ])
        .column_as(Expr::col((user::Entity, user::Column::PasswordHash)).is_null(), "invitation_pending")
        .columns([user::Column::CreatedAt, user::Column::LastLoginAt])
        .column(party::Column::Name)
        .column(party::Column::Kind)
        .join(JoinType::InnerJoin, user::Relation::Party.def())
        .filter(viewer.user_scope())
}

pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    filter: &UserFilter,
    limit: u64,
    after: Option<i64>,
) -> AppResult<(Vec<UserSummary>, Option<String>)> {
    let mut cond = Condition::all();
    if let Some(p) = filter.party {
        cond = cond.add(user::Column::PartyId.eq(p));
    }
    if let Some(r) = filter.role.as_deref().filter(|r| !r.is_empty()) {
        cond = cond.add(user::Column::Role.eq(r));
    }
    match filter.status.as_deref() {
        Some("active") => cond = cond.add(user::Column::Active.eq(true)),
        Some("inactive") => cond = cond.add(user::Column::Active.eq(false)),
        _ => {}
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond
            .add(Condition::any().add(db::icontains(user::Column::Name, q)).add(db::icontains(user::Column::Email, q)));
    }
    if let Some(a) = after {
        cond = cond.add(user::Column::Id.gt(a));
    }
    let rows = summaries(viewer)
        .filter(cond)
        .order_by_asc(user::Column::Id)
        .limit(limit + 1)
        .into_model::<UserSummary>()
        .all(&state.db)
        .await?;
    Ok(db::page(rows, limit, |u| u.id))
}

/// One user as lists show them; 404 when outside the viewer's scope.
pub async fn summary(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<UserSummary> {
    summaries(viewer)
        .filter(user::Column::Id.eq(id))
        .into_model::<UserSummary>()
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// One user the viewer may see; 404 otherwise.
pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<(user::Model, party::Model)> {
    match user::Entity::find_by_id(id)
        .find_also_related(party::Entity)
        .filter(viewer.user_scope())
        .one(&state.db)
        .await?
    {
        Some((u, Some(p))) => Ok((u, p)),
        _ => Err(AppError::NotFound),
    }
}

/// Input for a new user (API body and form fields alike).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    /// Leave out to send an invitation e-mail instead.
    #[serde(default)]
    pub password: Option<String>,
    pub party_id: Id,
    pub role: String,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// The form version of `NewUser`: every field a string, checked by the same rules.
#[derive(Debug, Default, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub party_id: String,
    #[serde(default)]
    pub role: String,
}

pub struct Created {
    pub user: user::Model,
    pub invitation_token: Option<String>,
}

pub async fn create_from_form(state: &AppState, viewer: &Viewer, form: NewUserForm, lang: Lang) -> AppResult<Created> {
    let mut errors = FieldErrors::default();
    let party_id = errors.take("party_id", domain::parse_id(&form.party_id));
    let input = NewUser {
        email: form.email,
        name: form.name,
        password: Some(form.password).filter(|p| !p.is_empty()),
        party_id: Id(party_id.unwrap_or(0)),
        role: form.role,
        locale: None,
        time_zone: None,
    };
    create(state, viewer, input, lang, errors).await
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    input: NewUser,
    lang: Lang,
    mut errors: FieldErrors,
) -> AppResult<Created> {
    if !(viewer.is_admin() || viewer.is_party_manager()) {
        return Err(AppError::Forbidden);
    }
    let email = errors.take("email", Email::parse(&input.email));
    let name = errors.take("name", domain::text(&input.name, true, 100));
    let password = match input.password.as_deref() {
        Some(p) => errors.take("password", Password::parse(p)).map(Some),
        None => Some(None),
    };
    let locale = match input.locale.as_deref() {
        Some(l) => {
            errors.take("locale", Lang::parse(l).map(|l| l.code().to_owned()).ok_or(Msg::new("error-locale"))).map(Some)
        }
        None => Some(None),
    };
    let time_zone =
        errors.take("time_zone", domain::parse_time_zone(input.time_zone.as_deref().unwrap_or(DEFAULT_TIME_ZONE)));
    // The party must be one the viewer manages; others are reported as unknown, not forbidden.
    let target = if input.party_id.0 > 0 && viewer.can_manage_users_of(input.party_id.0) {
        party::Entity::find_by_id(input.party_id.0).one(&state.db).await?
    } else {
        None
    };
    if target.is_none() && !errors.0.iter().any(|e| e.field == "party_id") {
        errors.add("party_id", Msg::new("error-party-unknown"));
    }
    let role = errors.take("role", Role::parse(&input.role));
    if let (Some(role), Some(p)) = (role, &target)
        && let Ok(kind) = PartyKind::parse(&p.kind)
        && !Role::allowed_for(kind).contains(&role)
    {
        errors.add("role", Msg::new("error-role-for-kind"));
    }
    if let Some(e) = &email
        && user::Entity::find().filter(user::Column::Email.eq(e.as_str())).count(&state.db).await? > 0
    {
        // Only the host's administrator learns that the address belongs to an existing account
        // (possibly in another party); a party manager gets a message that says less.
        let key = if viewer.is_admin() { "error-email-taken" } else { "error-email-unavailable" };
        errors.add("email", Msg::new(key));
    }
    errors.into_result()?;
    let (Some(email), Some(name), Some(password), Some(locale), Some(time_zone), Some(role), Some(target)) =
        (email, name, password, locale, time_zone, role, target)
    else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let hash = match &password {
        Some(p) => Some(password::hash(p.expose()).await?),
        None => None,
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let mut created = new_user(target.id, email.into_inner(), name, role, hash, now);
    created.locale = Set(locale);
    created.time_zone = Set(time_zone);
    let created = created.insert(&tx).await?;
    record(&tx, state, viewer.actor(), "user.create", created.id, None, Some(audit_json(&created))).await?;
    let invitation_token = if password.is_none() {
        Some(invitations::invite(&tx, state, viewer, &created, &target, lang).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(Created { user: created, invitation_token })
}

/// Changes to a user; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub name: Option<String>,
    pub role: Option<String>,
    pub active: Option<bool>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

pub async fn update(state: &AppState, viewer: &Viewer, id: i64, patch: UserPatch) -> AppResult<user::Model> {
    let (before, p) = get(state, viewer, id).await?;
    let is_self = before.id == viewer.user.id;
    let manages = viewer.can_manage_users_of(before.party_id);
    // Users may edit their own name and preferences; role and status need a manager.
    let own_profile_only = is_self && patch.role.is_none() && patch.active.is_none();
    if !(manages || own_profile_only) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let mut am: user::ActiveModel = before.clone().into();
    if let Some(n) = &patch.name
        && let Some(n) = errors.take("name", domain::text(n, true, 100))
    {
        am.name = Set(n);
    }
    if let Some(r) = &patch.role
        && let Some(role) = errors.take("role", Role::parse(r))
    {
        let kind = PartyKind::parse(&p.kind).map_err(|_| AppError::Internal(anyhow::anyhow!("bad party kind")))?;
        if !Role::allowed_for(kind).contains(&role) {
            errors.add("role", Msg::new("error-role-for-kind"));
        }
        am.role = Set(role.as_str().to_owned());
    }
    if let Some(l) = &patch.locale
        && let Some(l) = errors.take("locale", Lang::parse(l).ok_or(Msg::new("error-locale")))
    {
        am.locale = Set(Some(l.code().to_owned()));
    }
    if let Some(tz) = &patch.time_zone
        && let Some(tz) = errors.take("time_zone", domain::parse_time_zone(tz))
    {
        am.time_zone = Set(tz);
    }
    if let Some(active) = patch.active {
        if is_self && !active {
            errors.add("active", Msg::new("error-deactivate-self"));
        }
        am.active = Set(active);
    }
    errors.into_result()?;
    let tx = db::begin_write(&state.writer).await?;
    let demotes_admin =
        before.role == "admin" && before.active && (am.role.as_ref() != "admin" || !*am.active.as_ref());
    if demotes_admin {
        let admins = user::Entity::find()
            .filter(user::Column::Role.eq("admin"))
            .filter(user::Column::Active.eq(true))
            .count(&tx)
            .await?;
        if admins <= 1 {
            return Err(AppError::Conflict(Msg::new("error-last-admin")));
        }
    }
    am.updated_at = Set(state.clock.now());
    let after = am.update(&tx).await?;
    if before.active && !after.active {
        // Signed out everywhere, and the API tokens die with the account (reactivating does
        // not bring them back).
        session_store::end_sessions_of(&tx, after.id).await?;
        tokens::revoke_all_of(&tx, after.id, state.clock.now()).await?;
    }
    let action = match (before.active, after.active) {
        (true, false) => "user.deactivate",
        (false, true) => "user.reactivate",
        _ => "user.update",
    };
    record(&tx, state, viewer.actor(), action, after.id, Some(audit_json(&before)), Some(audit_json(&after))).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn set_locale(state: &AppState, viewer: &Viewer, lang: Lang) -> AppResult<()> {
    if viewer.user.locale.as_deref() == Some(lang.code()) {
        return Ok(());
    }
    update(state, viewer, viewer.user.id, UserPatch { locale: Some(lang.code().to_owned()), ..Default::default() })
        .await?;
    Ok(())
}

/// Changes the viewer's password after checking the current one.
pub async fn change_password(
    state: &AppState,
    viewer: &Viewer,
    current: &str,
    new: &str,
    confirm: &str,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    // Guessing the current password from a stolen session is throttled like signing in.
    let attempt = throttle::begin(state, &viewer.user.email, throttle::Scope::Reauth).await?;
    if password::verify(state, current, viewer.user.password_hash.as_deref()).await? {
        attempt.succeeded(state).await?;
    } else {
        errors.add("current_password", Msg::new("error-password-wrong"));
    }
    let new = errors.take("new_password", Password::parse(new));
    if new.is_some() && new.as_ref().map(Password::expose) != Some(confirm) {
        errors.add("new_password_confirm", Msg::new("error-password-mismatch"));
    }
    errors.into_result()?;
    let Some(new) = new else { return Err(AppError::Internal(anyhow::anyhow!("validated password missing"))) };
    let hash = password::hash(new.expose()).await?;
    let tx = db::begin_write(&state.writer).await?;
    let mut am: user::ActiveModel = viewer.user.clone().into();
    am.password_hash = Set(Some(hash));
    am.updated_at = Set(state.clock.now());
    am.update(&tx).await?;
    // Other browsers signed in as this user are signed out, and every API token dies.
    session_store::end_sessions_of(&tx, viewer.user.id).await?;
    let revoked = tokens::revoke_all_of(&tx, viewer.user.id, state.clock.now()).await?;
    let after = serde_json::json!({"tokens_revoked": revoked});
    record(&tx, state, viewer.actor(), "user.password_change", viewer.user.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks a login; counts failures for throttling. Returns the user on success.
pub async fn check_credentials(
    state: &AppState,
    email_raw: &str,
    password_raw: &str,
    ip: &str,
) -> AppResult<user::Model> {
    let email = email_raw.trim().to_lowercase();
    let attempt = throttle::begin(state, &email, throttle::Scope::Login { ip }).await?;
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .filter(user::Column::Active.eq(true))
        .one(&state.db)
        .await?;
    let stored = found.as_ref().and_then(|u| u.password_hash.as_deref());
    if !password::verify(state, password_raw, stored).await? {
        return Err(AppError::BadCredentials);
    }
    let Some(u) = found else { return Err(AppError::BadCredentials) };
    attempt.succeeded(state).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let mut am: user::ActiveModel = u.clone().into();
    am.last_login_at = Set(Some(now));
    let u = am.update(&tx).await?;
    audit::record(
        &tx,
        now,
        Actor::user(u.id, u.party_id),
        Change { action: "user.login", entity_type: "user", entity_id: u.id.to_string(), before: None, after: None },
    )
    .await?;
    tx.commit().await?;
    Ok(u)
}
