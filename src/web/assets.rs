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
    dev_dir: Option<std::path::PathBuf>,
}

impl Assets {
    pub fn load() -> Self {
        let mut h = Sha256::new();
        for (name, bytes) in FILES {
            h.update(name.as_bytes());
            h.update(bytes);
        }
        let version: &'static str = Box::leak(hex::encode(&h.finalize()[..6]).into_boxed_str());
        let dev_dir = std::env::var_os("ACCORD_DEV_ASSETS").map(std::path::PathBuf::from);
        Self { files: FILES.iter().copied().collect(), version, dev_dir }
    }
}

fn mime_of(file: &str) -> Option<&'static str> {
    match file.rsplit('.').next() {
        Some("css") => Some("text/css; charset=utf-8"),
        Some("js") => Some("text/javascript; charset=utf-8"),
        Some("svg") => Some("image/svg+xml"),
        _ => None,
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
    // For working on the styles: ACCORD_DEV_ASSETS=static serves these files from disk, uncached.
    if let Some(dir) = &state.assets.dev_dir
        && let Ok(fresh) = std::fs::read(dir.join(&file))
    {
        let mut res = fresh.into_response();
        if let Some(mime) = mime_of(&file) {
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        }
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return res;
    }
    let mime = mime_of(&file).unwrap_or("application/octet-stream");
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
