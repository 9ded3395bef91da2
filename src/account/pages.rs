//! Sign-in, sign-out, first-run setup, invitations and the user's own account pages.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    AppState,
    auth::{MaybeViewer, SESSION_USER_KEY, Viewer, tokens},
    domain::COMMON_TIME_ZONES,
    error::{AppError, AppResult, Msg},
    i18n::{LANG_COOKIE, Lang},
    users::{self, service::UserPatch, setup},
    web::{self, FormData, FormState, PageCtx, Path, client_ip::ClientIp, local_time, render, safe_next, see_other},
};

fn session_err(e: tower_sessions::session::Error) -> AppError {
    AppError::Internal(e.into())
}

/// Signs `user_id` in on this browser, with a fresh session id (no fixation).
pub async fn start_session(session: &Session, user_id: i64) -> AppResult<()> {
    session.cycle_id().await.map_err(session_err)?;
    session.insert(SESSION_USER_KEY, user_id).await.map_err(session_err)?;
    Ok(())
}

fn with_lang_cookie(mut res: Response, locale: Option<&str>) -> Response {
    if let Some(lang) = locale.and_then(Lang::parse)
        && let Ok(v) =
            HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code()))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

fn with_status(status: StatusCode, res: AppResult<Response>) -> AppResult<Response> {
    res.map(|r| (status, r).into_response())
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    page: PageCtx,
    form: FormState,
    next: String,
    /// No administrator yet: the page says where the one-time setup link is.
    no_admin: bool,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    mut page: PageCtx,
    MaybeViewer(viewer): MaybeViewer,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let next = safe_next(q.next.as_deref().unwrap_or("/")).to_owned();
    if viewer.is_some() {
        return Ok(see_other(&next));
    }
    if q.signed_out.is_some() {
        page.flashes.push(web::Flash { kind: "info", message: page.t("flash-signed-out") });
    }
    let no_admin = !setup::admin_exists(&state).await?;
    render(&LoginPage { page, form: FormState::new(), next, no_admin })
}

pub async fn login(
    State(state): State<AppState>,
    page: PageCtx,
    session: Session,
    ClientIp(ip): ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let next = safe_next(form.get("next")).to_owned();
    match users::service::check_credentials(&state, form.get("email"), form.get("password"), &ip).await {
        Ok(user) => {
            start_session(&session, user.id).await?;
            Ok(with_lang_cookie(see_other(&next), user.locale.as_deref()))
        }
        Err(err) => {
            let status = err.status();
            let mut state_form = FormState::from_form(&form);
            state_form.absorb(err, page.language)?;
            let no_admin = !setup::admin_exists(&state).await?;
            with_status(status, render(&LoginPage { page, form: state_form, next, no_admin }))
        }
    }
}

pub async fn logout(session: Session) -> AppResult<Response> {
    session.flush().await.map_err(session_err)?;
    Ok(see_other("/login?signed_out=1"))
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
struct SetupPage {
    page: PageCtx,
    form: FormState,
    token: String,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

pub async fn setup_form(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    let token = q.token.unwrap_or_default();
    if !setup::setup_token_valid(&state, &token).await? {
        return Err(AppError::NotFound);
    }
    render(&SetupPage { page, form: FormState::new(), token })
}

pub async fn setup(
    State(state): State<AppState>,
    page: PageCtx,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let token = form.get("token").to_owned();
    let input = setup::AdminInput {
        org_name: form.get("org_name"),
        name: form.get("name"),
        email: form.get("email"),
        password: form.get("password"),
    };
    match setup::complete_setup(&state, &token, input, form.get("password_confirm")).await {
        Ok(user) => {
            start_session(&session, user.id).await?;
            web::flash(&session, "success", page.t("flash-setup-done")).await?;
            Ok(see_other("/"))
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            with_status(StatusCode::UNPROCESSABLE_ENTITY, render(&SetupPage { page, form: f, token }))
        }
    }
}

#[derive(Template)]
#[template(path = "auth/invite.html")]
struct InvitePage {
    page: PageCtx,
    form: FormState,
    token: String,
    invitee_name: String,
    invitee_email: String,
    party_name: String,
}

pub async fn invite_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (_, u, p) = users::invitations::pending_invitation(&state, &token).await?;
    render(&InvitePage {
        page,
        form: FormState::new(),
        token,
        invitee_name: u.name,
        invitee_email: u.email,
        party_name: p.name,
    })
}

pub async fn accept_invite(
    State(state): State<AppState>,
    page: PageCtx,
    session: Session,
    Path(token): Path<String>,
    form: FormData,
) -> AppResult<Response> {
    match users::invitations::accept_invitation(&state, &token, form.get("password"), form.get("password_confirm"))
        .await
    {
        Ok(user) => {
            start_session(&session, user.id).await?;
            web::flash(&session, "success", page.t("flash-invite-accepted")).await?;
            Ok(see_other("/"))
        }
        Err(err) => {
            let (_, u, p) = users::invitations::pending_invitation(&state, &token).await?;
            let mut f = FormState::new();
            f.absorb(err, page.language)?;
            let body =
                InvitePage { page, form: f, token, invitee_name: u.name, invitee_email: u.email, party_name: p.name };
            with_status(StatusCode::UNPROCESSABLE_ENTITY, render(&body))
        }
    }
}

#[derive(Template)]
#[template(path = "account/index.html")]
struct AccountPage {
    page: PageCtx,
    prefs: FormState,
    password: FormState,
    time_zones: Vec<&'static str>,
}

fn prefs_of(viewer: &Viewer, lang: Lang) -> FormState {
    FormState::new()
        .with("name", viewer.user.name.clone())
        .with("locale", viewer.user.locale.clone().unwrap_or_else(|| lang.code().to_owned()))
        .with("time_zone", viewer.user.time_zone.clone())
}

pub async fn account(page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    let prefs = prefs_of(&viewer, page.language);
    render(&AccountPage { page, prefs, password: FormState::new(), time_zones: COMMON_TIME_ZONES.to_vec() })
}

pub async fn save_preferences(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let patch = UserPatch {
        name: Some(form.get("name").to_owned()),
        locale: Some(form.get("locale").to_owned()),
        time_zone: Some(form.get("time_zone").to_owned()),
        ..Default::default()
    };
    match users::service::update(&state, &viewer, viewer.user.id, patch).await {
        Ok(u) => {
            let lang = u.locale.as_deref().and_then(Lang::parse).unwrap_or(page.language);
            web::flash(&session, "success", lang.t("flash-preferences-saved")).await?;
            Ok(with_lang_cookie(see_other("/account"), u.locale.as_deref()))
        }
        Err(err) => {
            let mut prefs = FormState::from_form(&form);
            prefs.absorb(err, page.language)?;
            let body = AccountPage { page, prefs, password: FormState::new(), time_zones: COMMON_TIME_ZONES.to_vec() };
            with_status(StatusCode::UNPROCESSABLE_ENTITY, render(&body))
        }
    }
}

pub async fn change_password(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    form: FormData,
) -> AppResult<Response> {
    let result = users::service::change_password(
        &state,
        &viewer,
        form.get("current_password"),
        form.get("new_password"),
        form.get("new_password_confirm"),
    )
    .await;
    match result {
        Ok(()) => {
            // Every session of the user was ended; this browser gets a new one.
            start_session(&session, viewer.user.id).await?;
            web::flash(&session, "success", page.t("flash-password-changed")).await?;
            Ok(see_other("/account"))
        }
        Err(err) => {
            let status = err.status();
            let mut password = FormState::new();
            password.absorb(err, page.language)?;
            let prefs = prefs_of(&viewer, page.language);
            let body = AccountPage { page, prefs, password, time_zones: COMMON_TIME_ZONES.to_vec() };
            with_status(status, render(&body))
        }
    }
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub status: &'static str,
    /// Local time it stops working; absent for a token that never expires.
    pub expires_at: Option<String>,
}

/// A user's tokens as rows, in the viewer's time zone.
pub async fn token_rows(state: &AppState, viewer: &Viewer, user_id: i64) -> AppResult<Vec<TokenRow>> {
    let tz = &viewer.user.time_zone;
    let now = state.clock.now();
    Ok(tokens::list_of(state, viewer, user_id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            status: tokens::Status::of(&t, now).as_str(),
            expires_at: t.expires_at.map(|at| local_time(at, tz)),
            name: t.name,
            created_at: local_time(t.created_at, tz),
            last_used_at: t.last_used_at.map(|at| local_time(at, tz)),
        })
        .collect())
}

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    page: PageCtx,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    form: FormState,
    /// Lifetimes offered, in days (the configured default among them).
    lifetimes: Vec<u32>,
    /// Administrators may also pick "never".
    may_choose_never: bool,
    revoke_base: &'static str,
}

impl TokensPage {
    fn new(state: &AppState, page: PageCtx, viewer: &Viewer, tokens: Vec<TokenRow>, form: FormState) -> Self {
        let default = state.config.token_days;
        let mut lifetimes = vec![7, 30, 90, 180, 365, default];
        lifetimes.sort_unstable();
        lifetimes.dedup();
        let form = if form.value("expires_in_days").is_empty() {
            form.with("expires_in_days", default.to_string())
        } else {
            form
        };
        Self {
            page,
            tokens,
            new_token: None,
            form,
            lifetimes,
            may_choose_never: viewer.is_admin(),
            revoke_base: "/account/tokens",
        }
    }
}

pub async fn tokens(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    let rows = token_rows(&state, &viewer, viewer.user.id).await?;
    render(&TokensPage::new(&state, page, &viewer, rows, FormState::new()))
}

pub async fn create_token(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    form: FormData,
) -> AppResult<Response> {
    let created = match tokens::Lifetime::parse(form.get("expires_in_days")) {
        Ok(lifetime) => tokens::create(&state, &viewer, form.get("name"), lifetime).await,
        Err(msg) => {
            let mut errors = crate::error::FieldErrors::default();
            errors.add("expires_in_days", msg);
            Err(AppError::Validation(errors))
        }
    };
    match created {
        Ok((_, secret)) => {
            let rows = token_rows(&state, &viewer, viewer.user.id).await?;
            let mut body = TokensPage::new(&state, page, &viewer, rows, FormState::new());
            body.new_token = Some(secret);
            let mut res = render(&body)?;
            // The secret is on this page only; keep it out of every cache.
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(res)
        }
        Err(err) => {
            let mut f = FormState::from_form(&form);
            f.absorb(err, page.language)?;
            let rows = token_rows(&state, &viewer, viewer.user.id).await?;
            with_status(StatusCode::UNPROCESSABLE_ENTITY, render(&TokensPage::new(&state, page, &viewer, rows, f)))
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    tokens::revoke(&state, &viewer, id).await?;
    web::flash(&session, "success", page.t("flash-token-revoked")).await?;
    Ok(see_other("/account/tokens"))
}

/// An administrator revokes someone's token from their user page.
pub async fn revoke_user_token(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((user_id, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    tokens::revoke_of(&state, &viewer, user_id, id).await?;
    web::flash(&session, "success", page.t("flash-token-revoked")).await?;
    Ok(see_other(&format!("/users/{user_id}#tokens")))
}

/// Keeps `Msg` in use for page-level messages built from keys.
pub fn message(lang: Lang, key: &'static str) -> String {
    Msg::new(key).render(lang)
}

/// Switches the interface language; remembered on the account when signed in.
pub async fn switch_language(
    State(state): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    form: FormData,
) -> AppResult<Response> {
    let lang = Lang::parse(form.get("lang")).unwrap_or_default();
    if let Some(v) = &viewer {
        users::service::set_locale(&state, v, lang).await?;
    }
    let mut res = see_other(safe_next(form.get("back")));
    let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
    let cookie = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", lang.code());
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
