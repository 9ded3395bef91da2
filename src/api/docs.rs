//! `/api/docs`: a light page in the reader's language that says how the API works, and the
//! interactive reference (Swagger UI, about 2 MB of script) one click further, at
//! `/api/docs/ui/`, loaded only when asked for. The reference's own page is ours too, so that
//! it has the reader's language, a title and a phone's viewport.

use std::sync::{Arc, OnceLock};

use askama::Template;
use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use utoipa_swagger_ui::Config;

use crate::{
    AppState,
    error::AppResult,
    web::{PageCtx, Path, render},
};

#[derive(Template)]
#[template(path = "api_docs.html")]
struct GuidePage {
    page: PageCtx,
    base_url: String,
}

pub async fn guide(State(state): State<AppState>, page: PageCtx) -> AppResult<Response> {
    render(&GuidePage { page, base_url: state.config.base_url.clone() })
}

pub async fn ui_without_slash() -> Redirect {
    Redirect::permanent("/api/docs/ui/")
}

#[derive(Template)]
#[template(path = "api_docs_ui.html")]
struct UiPage {
    page: PageCtx,
}

/// The reference's page: Swagger UI's scripts under the reader's language and title.
pub async fn ui_index(page: PageCtx) -> AppResult<Response> {
    render(&UiPage { page })
}

/// One of Swagger UI's files (scripts, styles, icons, its initializer with our document's URL).
pub async fn ui_file(Path(file): Path<String>) -> Response {
    static CONFIG: OnceLock<Arc<Config<'static>>> = OnceLock::new();
    let config = CONFIG.get_or_init(|| Arc::new(Config::from("/api/openapi.json")));
    if file.is_empty() || file == "index.html" {
        return Redirect::permanent("/api/docs/ui/").into_response();
    }
    match utoipa_swagger_ui::serve(&file, config.clone()) {
        Ok(Some(f)) => {
            let mut res = f.bytes.into_owned().into_response();
            if let Ok(v) = HeaderValue::from_str(&f.content_type) {
                res.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            if f.gzpipped {
                res.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            res
        }
        Ok(None) => crate::error::AppError::NotFound.into_response(),
        Err(e) => {
            tracing::error!(error = %e, file, "a Swagger UI file could not be served");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
