//! The one place where an `AppError` becomes what the caller sees: problem+json under `/api`,
//! a redirect to the login page for a signed-out browser, an HTML page (or htmx fragment)
//! otherwise — always in the caller's language.

use askama::Template;
use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};

use crate::{
    AppState,
    error::{AppError, ErrorInfo, Problem, problem_response},
    i18n::Lang,
    web::{self, PageCtx},
};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageCtx,
    status: u16,
    title: String,
    message: String,
}

pub async fn render(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
    let is_api = req.uri().path().starts_with("/api/");
    let is_htmx = req.headers().contains_key("hx-request");
    let is_get = req.method() == Method::GET;
    let lang = Lang::from_headers(req.headers(), if is_api { Lang::En } else { Lang::ZhCn });
    // Only an error page needs the CSRF token (for the sign-out form); keep the cookies for it.
    let cookies = req.headers().get(header::COOKIE).cloned();

    let res = next.run(req).await;
    let Some(ErrorInfo(err)) = res.extensions().get::<ErrorInfo>().cloned() else {
        return if is_api { problem_for_plain(res, lang) } else { res };
    };
    if is_api {
        return problem_response(&err, lang);
    }
    if matches!(*err, AppError::Unauthorized) {
        let target = if is_get { format!("/login?next={}", urlencode(&path)) } else { "/login".to_owned() };
        if is_htmx {
            let mut r = StatusCode::UNAUTHORIZED.into_response();
            if let Ok(v) = HeaderValue::from_str(&target) {
                r.headers_mut().insert("hx-redirect", v);
            }
            return r;
        }
        return Redirect::to(&target).into_response();
    }
    if is_htmx {
        let message = err.detail().render(lang);
        let body = format!("<div class=\"alert alert-error\" role=\"alert\">{}</div>", askama_escape(&message));
        return (err.status(), Html(body)).into_response();
    }
    let mut cookie_headers = axum::http::HeaderMap::new();
    if let Some(c) = cookies {
        cookie_headers.insert(header::COOKIE, c);
    }
    let csrf = web::csrf::token_for(&state, &cookie_headers).await.unwrap_or_default();
    error_page(PageCtx::bare(lang, csrf, path, state.assets.version), &err)
}

/// The error page of a signed-in person, inside the application's frame (navigation, their
/// name, the way back). It runs inside the session layer, where the viewer can be read; anyone
/// else's error page is left to [`render`].
pub async fn frame(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let page_error = !req.uri().path().starts_with("/api/") && !req.headers().contains_key("hx-request");
    // What reading the viewer needs, kept before the request is handed on.
    let kept = page_error.then(|| {
        let mut parts = Request::builder().uri(req.uri().clone()).body(()).map(|r| r.into_parts().0).ok()?;
        parts.headers = req.headers().clone();
        if let Some(s) = req.extensions().get::<tower_sessions::Session>() {
            parts.extensions.insert(s.clone());
        }
        if let Some(t) = req.extensions().get::<web::csrf::CsrfToken>() {
            parts.extensions.insert(t.clone());
        }
        Some(parts)
    });
    let res = next.run(req).await;
    let Some(ErrorInfo(err)) = res.extensions().get::<ErrorInfo>().cloned() else {
        return res;
    };
    let Some(Some(mut parts)) = kept else {
        return res;
    };
    if matches!(*err, AppError::Unauthorized | AppError::Internal(_)) {
        return res;
    }
    use axum::extract::FromRequestParts;
    match PageCtx::from_request_parts(&mut parts, &state).await {
        Ok(page) if page.user.is_some() => error_page(page, &err),
        _ => res,
    }
}

/// The error page for `err`, in `page`'s language and frame.
fn error_page(page: PageCtx, err: &AppError) -> Response {
    let lang = page.language;
    let status = err.status();
    let message = err.detail().render(lang);
    let key = format!("error-title-{}", status.as_u16());
    let title = if lang.has(&key) { lang.t(&key) } else { status.canonical_reason().unwrap_or("Error").to_owned() };
    let page = ErrorPage { page, status: status.as_u16(), title, message: message.clone() };
    match page.render() {
        Ok(html) => {
            let mut r = (status, Html(html)).into_response();
            if let AppError::TooManyRequests { retry_after_secs, .. } = err
                && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
            {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, message).into_response()
        }
    }
}

/// An error answered under `/api` by something other than our handlers (axum's rejections of
/// a request it can't route or read, a method the path doesn't take): the same status, as a
/// problem document like every other API error.
fn problem_for_plain(res: Response, lang: Lang) -> Response {
    let status = res.status();
    let is_problem =
        res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return res;
    }
    let key = match status {
        StatusCode::UNAUTHORIZED => "error-unauthorized",
        StatusCode::FORBIDDEN => "error-forbidden",
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::METHOD_NOT_ALLOWED => "error-method",
        StatusCode::PAYLOAD_TOO_LARGE => "error-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "error-media-type",
        StatusCode::UNPROCESSABLE_ENTITY => "error-validation",
        s if s.is_server_error() => "error-internal",
        _ => "error-request",
    };
    let problem = Problem {
        kind: "about:blank",
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: lang.t(key),
        code: key.trim_start_matches("error-").to_owned(),
        errors: Vec::new(),
    };
    let mut out = (status, axum::Json(problem)).into_response();
    out.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = res.headers().get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).map(|e| e[2..].to_owned()).unwrap_or_default()
}

fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
