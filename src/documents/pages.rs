//! Document pages: the engagement's document area, one document with its versions, uploads
//! and downloads.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    collab::Subject,
    documents::{
        entity::{document, version},
        read_form,
        service::{self, DocumentInput},
    },
    engagements::service as engagements,
    error::{AppError, AppResult},
    users::pages::PartyOption,
    web::{self, Multipart, PageCtx, Path, render, see_other},
};

pub struct DocRow {
    pub id: i64,
    pub name: String,
    pub version: i32,
    pub size: String,
    pub content_type: String,
    pub visibility: String,
    pub subject_url: Option<String>,
    pub updated_at: String,
}

pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

pub fn rows(viewer: &Viewer, docs: Vec<document::Model>) -> Vec<DocRow> {
    docs.into_iter()
        .map(|d| DocRow {
            subject_url: match (&d.subject_kind, d.subject_id) {
                (Some(k), Some(id)) => Some(format!("/engagements/{}/{k}s/{id}", d.engagement_id)),
                _ => None,
            },
            id: d.id,
            name: d.name,
            version: d.current_version,
            size: human_size(d.size),
            content_type: d.content_type,
            visibility: d.visibility,
            updated_at: viewer.local_time(d.updated_at),
        })
        .collect()
}

/// Parties a viewer may share a file with alone: every participant for the host, their own
/// party for anyone else.
pub async fn share_options(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<Vec<PartyOption>> {
    Ok(engagements::participants(state, viewer, id)
        .await?
        .into_iter()
        .filter(|(_, p)| viewer.is_host() || p.id == viewer.party.id)
        .map(|(_, p)| PartyOption { id: p.id, name: p.name, kind: p.kind })
        .collect())
}

#[derive(Template)]
#[template(path = "documents/list.html")]
struct ListPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    name: String,
    docs: Vec<DocRow>,
    visibility_parties: Vec<PartyOption>,
    upload_limit_mb: usize,
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let e = engagements::get(&state, &viewer, id).await?;
    let docs = rows(&viewer, service::list(&state, &viewer, id, None).await?);
    let visibility_parties = share_options(&state, &viewer, id).await?;
    render(&ListPage {
        page,
        engagement_id: id,
        code: e.code,
        name: e.name,
        docs,
        visibility_parties,
        upload_limit_mb: state.config.upload_limit / (1024 * 1024),
    })
}

/// Where to go back to after an upload: the record's page or the document area.
fn back_to(id: i64, input: &DocumentInput) -> String {
    match (&input.subject_kind, input.subject_id) {
        (Some(k), Some(s)) if crate::collab::SubjectKind::parse(k).is_some() => {
            format!("/engagements/{id}/{k}s/{}#documents", s.0)
        }
        _ => format!("/engagements/{id}/documents"),
    }
}

/// Validation problems as one flash line each, then back to the form's page.
async fn flash_errors(session: &Session, page: &PageCtx, err: AppError) -> AppResult<()> {
    match err {
        AppError::Validation(f) => {
            for e in f.0 {
                web::flash(session, "error", e.msg.render(page.language)).await?;
            }
            Ok(())
        }
        AppError::Conflict(m) | AppError::BadRequest(m) => web::flash(session, "error", m.render(page.language)).await,
        AppError::PayloadTooLarge => web::flash(session, "error", page.t("error-too-large")).await,
        other => Err(other),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<Response> {
    engagements::get(&state, &viewer, id).await?;
    let (fields, file) = match read_form(form, state.config.upload_limit).await {
        Ok(f) => f,
        Err(e) => {
            flash_errors(&session, &page, e).await?;
            return Ok(see_other(&format!("/engagements/{id}/documents")));
        }
    };
    let input = DocumentInput::from_fields(&fields)?;
    let back = back_to(id, &input);
    match service::create(&state, &viewer, id, input, file).await {
        Ok(d) => {
            web::flash(&session, "success", page.t1("document-uploaded", "name", &d.name)).await?;
            Ok(see_other(&back))
        }
        Err(e) => {
            flash_errors(&session, &page, e).await?;
            Ok(see_other(&back))
        }
    }
}

pub struct VersionRow {
    pub version: i32,
    pub size: String,
    pub content_type: String,
    pub sha256: String,
    pub uploaded_by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "documents/detail.html")]
struct DetailPage {
    page: PageCtx,
    doc: DocRow,
    engagement_id: i64,
    subject: Option<Subject>,
    versions: Vec<VersionRow>,
    can_revise: bool,
    upload_limit_mb: usize,
}

pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (d, subject) = service::one(&state, &viewer, id).await?;
    let can_revise = service::can_revise(&state, &viewer, &d).await?;
    let versions = service::versions(&state, id).await?;
    let lens = Lens::of(&state, &viewer, d.engagement_id).await?;
    let uploaders = lens.people(&state.db, versions.iter().map(|v| v.uploaded_by)).await?;
    let versions = versions
        .into_iter()
        .map(|v: version::Model| VersionRow {
            version: v.version,
            size: human_size(v.size),
            content_type: v.content_type,
            sha256: v.sha256,
            uploaded_by: uploaders.name(v.uploaded_by).unwrap_or_default(),
            at: viewer.local_time(v.created_at),
        })
        .collect();
    let engagement_id = d.engagement_id;
    render(&DetailPage {
        page,
        doc: rows(&viewer, vec![d]).remove(0),
        engagement_id,
        subject,
        versions,
        can_revise,
        upload_limit_mb: state.config.upload_limit / (1024 * 1024),
    })
}

pub async fn new_version(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<Response> {
    service::one(&state, &viewer, id).await?;
    let back = format!("/documents/{id}");
    let result = match read_form(form, state.config.upload_limit).await {
        Ok((_, file)) => service::add_version(&state, &viewer, id, file).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => {
            web::flash(&session, "success", page.t1("document-version-added", "version", &v.version.to_string()))
                .await?
        }
        Err(e) => flash_errors(&session, &page, e).await?,
    }
    Ok(see_other(&back))
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    version: Option<i32>,
}

/// The file, as an attachment (never rendered inline, whatever it contains). Answers to the
/// browser session and to bearer tokens alike.
pub async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
) -> AppResult<Response> {
    let (d, v, bytes) = service::read(&state, &viewer, id, q.version).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(&v.content_type) {
        h.insert(header::CONTENT_TYPE, ct);
    }
    if let Ok(cd) = HeaderValue::from_str(&content_disposition(&d.name)) {
        h.insert(header::CONTENT_DISPOSITION, cd);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(res)
}

/// `attachment` with an ASCII fallback name and the real (UTF-8) name per RFC 6266/5987.
pub fn content_disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
