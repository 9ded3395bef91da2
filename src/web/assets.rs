//! Static files compiled into the binary and served with a content hash for cache busting.

use std::collections::HashMap;

use axum::{
    extract::{Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;

const FILES: &[(&str, &[u8])] = &[
    ("app.css", include_bytes!("../../static/app.css")),
    ("app.js", include_bytes!("../../static/app.js")),
    ("htmx.min.js", include_bytes!("../../static/htmx.min.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
];

pub struct Assets {
    files: HashMap<&'static str, &'static [u8]>,
    /// Short hash over every file; part of each asset URL.
    pub version: &'static str,
}

impl Assets {
    pub fn load() -> Self {
        let mut h = Sha256::new();
        for (name, bytes) in FILES {
            h.update(name.as_bytes());
            h.update(bytes);
        }
        let version: &'static str = Box::leak(hex::encode(&h.finalize()[..6]).into_boxed_str());
        Self { files: FILES.iter().copied().collect(), version }
    }
}

#[derive(Deserialize)]
pub struct AssetQuery {
    v: Option<String>,
}

pub async fn serve(State(state): State<AppState>, Path(file): Path<String>, Query(q): Query<AssetQuery>) -> Response {
    let Some(bytes) = state.assets.files.get(file.as_str()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = match file.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let cache =
        if q.v.as_deref() == Some(state.assets.version) { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut res = (*bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", state.assets.version)) {
        h.insert(header::ETAG, etag);
    }
    res
}
