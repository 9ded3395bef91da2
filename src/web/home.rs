//! The home page and the language switch.

use askama::Template;
use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::Response,
};

use crate::{
    AppState,
    audit::pages::{AuditRow, recent_rows},
    auth::{MaybeViewer, Viewer},
    error::AppResult,
    i18n::{LANG_COOKIE, Lang},
    parties, users,
    web::{FormData, PageCtx, render, safe_next, see_other},
};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageCtx,
    party_name: String,
    party_kind: String,
    party_count: u64,
    user_count: u64,
    recent: Vec<AuditRow>,
}

pub async fn home(State(state): State<AppState>, page: PageCtx, viewer: Viewer) -> AppResult<Response> {
    let recent = if viewer.is_admin() { recent_rows(&state, &viewer, page.language, 8).await? } else { Vec::new() };
    render(&HomePage {
        party_name: viewer.party.name.clone(),
        party_kind: viewer.kind.as_str().to_owned(),
        party_count: parties::service::count(&state, &viewer).await?,
        user_count: users::service::count(&state, &viewer).await?,
        recent,
        page,
    })
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
