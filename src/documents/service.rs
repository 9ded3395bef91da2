//! Storing, listing and reading documents under the visibility rules.

use std::collections::HashMap;

use object_store::{ObjectStoreExt, PutPayload, path::Path as StorePath};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{
    AppState,
    auth::Viewer,
    collab::{self, Subject, SubjectKind, activity},
    db,
    documents::{
        Upload,
        entity::{document, version},
        sniff::{self, Refused},
    },
    domain::{self, Id, Visibility},
    engagements::{
        plan::parse_visibility,
        service::{get, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    search,
};

/// What comes with an upload besides the file.
#[derive(Debug, Default)]
pub struct DocumentInput {
    /// Shown name; the file's name when empty.
    pub name: Option<String>,
    pub visibility: Option<String>,
    pub visible_party_id: Option<Id>,
    /// milestone | deliverable | task, with `subject_id`; none for the document area.
    pub subject_kind: Option<String>,
    pub subject_id: Option<Id>,
}

impl DocumentInput {
    pub fn from_fields(f: &HashMap<String, String>) -> Result<Self, AppError> {
        let get = |k: &str| f.get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let id = |k: &str| -> Result<Option<Id>, AppError> {
            match get(k) {
                None => Ok(None),
                Some(v) => v.parse().map(|n| Some(Id(n))).map_err(|_| {
                    let mut e = FieldErrors::default();
                    e.add(k, Msg::new("error-id"));
                    AppError::Validation(e)
                }),
            }
        };
        Ok(Self {
            name: get("name"),
            visibility: get("visibility"),
            visible_party_id: id("visible_party_id")?,
            subject_kind: get("subject_kind"),
            subject_id: id("subject_id")?,
        })
    }
}

/// A file name fit to show and to send back: no folders, no control characters.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    // Control characters, and the invisible ones that reorder or hide text (U+202E shows
    // "report<U+202E>fdp.exe" as "reportexe.pdf").
    let hidden = |c: &char| matches!(*c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
    base.chars().filter(|c| !c.is_control() && !hidden(c)).collect::<String>().trim().to_owned()
}

fn object_key(sha: &str) -> StorePath {
    StorePath::from(format!("documents/{}/{sha}", &sha[..2]))
}

/// Checks and stores the bytes; returns (key, size, content type, sha256).
pub(crate) async fn put(
    state: &AppState,
    upload: &Upload,
    shown_as: &str,
    errors: &mut FieldErrors,
) -> AppResult<Option<(String, i64, &'static str, String)>> {
    if upload.bytes.is_empty() {
        errors.add("file", Msg::new("error-file-empty"));
        return Ok(None);
    }
    // The name people will download it under must fit the content as well as the uploaded one.
    if shown_as != upload.file_name {
        match sniff::sniff(&upload.bytes, shown_as) {
            Ok(_) => {}
            Err(Refused::Type) => errors.add("name", Msg::new("error-file-type")),
            Err(Refused::Mismatch) => errors.add("name", Msg::new("error-file-mismatch")),
        }
    }
    let sniffed = match sniff::sniff(&upload.bytes, &upload.file_name) {
        Ok(s) => s,
        Err(Refused::Type) => {
            errors.add("file", Msg::new("error-file-type"));
            return Ok(None);
        }
        Err(Refused::Mismatch) => {
            errors.add("file", Msg::new("error-file-mismatch"));
            return Ok(None);
        }
    };
    if !errors.0.is_empty() {
        return Ok(None);
    }
    let sha = hex::encode(Sha256::digest(&upload.bytes));
    let key = object_key(&sha);
    state.store.put(&key, PutPayload::from(upload.bytes.clone())).await.map_err(anyhow::Error::from)?;
    let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
    Ok(Some((key.to_string(), size, sniffed.content_type, sha)))
}

/// Visibility a document may take: never wider than its record's; people outside the host
/// may share with everyone in the engagement or keep it between the host and their party.
async fn check_visibility(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    subject: Option<&Subject>,
    input: &DocumentInput,
    errors: &mut FieldErrors,
) -> AppResult<(Visibility, Option<i64>)> {
    let default = match subject {
        Some(s) => (Visibility::parse(&s.visibility).unwrap_or(Visibility::Internal), s.visible_party_id),
        None if viewer.is_host() => (Visibility::Internal, None),
        None => (Visibility::Party, Some(viewer.party.id)),
    };
    // Outside the host, only one's own party may be named: refused before any lookup, so the
    // answer tells nothing of who else takes part.
    if !viewer.is_host() && input.visible_party_id.is_some_and(|p| p.0 != viewer.party.id) {
        errors.add("visibility", Msg::new("error-document-visibility"));
        return Ok(default);
    }
    let (v, p) =
        parse_visibility(state, engagement_id, input.visibility.as_deref(), input.visible_party_id, default, errors)
            .await?;
    let mine =
        viewer.is_host() || v == Visibility::Participants || (v == Visibility::Party && p == Some(viewer.party.id));
    let within = match subject {
        None => true,
        Some(s) => {
            s.visibility == "participants"
                || v == Visibility::Internal
                || (v == Visibility::Party && s.visibility == "party" && p == s.visible_party_id)
        }
    };
    if !mine || !within {
        errors.add("visibility", Msg::new("error-document-visibility"));
    }
    Ok((v, p))
}

/// The row of one stored version: (object key, size, content type, SHA-256).
fn version_row(
    document_id: i64,
    n: i32,
    (key, size, content_type, sha): (String, i64, &str, &str),
    uploaded_by: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> version::ActiveModel {
    version::ActiveModel {
        document_id: Set(document_id),
        version: Set(n),
        object_key: Set(key),
        size: Set(size),
        content_type: Set(content_type.to_owned()),
        sha256: Set(sha.to_owned()),
        uploaded_by: Set(uploaded_by),
        created_at: Set(now),
        ..Default::default()
    }
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: DocumentInput,
    upload: Option<Upload>,
) -> AppResult<document::Model> {
    get(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let subject = match (&input.subject_kind, input.subject_id) {
        (None, None) => None,
        (Some(k), Some(Id(id))) => match SubjectKind::parse(k) {
            Some(kind) => Some(collab::subject(state, viewer, engagement_id, kind, id).await?),
            None => {
                errors.add("subject_kind", Msg::new("error-subject"));
                None
            }
        },
        _ => {
            errors.add("subject_id", Msg::new("error-subject"));
            None
        }
    };
    let (visibility, visible_party) =
        check_visibility(state, viewer, engagement_id, subject.as_ref(), &input, &mut errors).await?;
    let Some(upload) = upload else {
        errors.add("file", Msg::new("error-required"));
        return Err(AppError::Validation(errors));
    };
    let raw_name = input.name.clone().unwrap_or_else(|| upload.file_name.clone());
    let name = errors.take("name", domain::text(&clean_name(&raw_name), true, 255));
    let stored = put(state, &upload, name.as_deref().unwrap_or_default(), &mut errors).await?;
    errors.into_result()?;
    let (Some(name), Some((key, size, content_type, sha))) = (name, stored) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let d = document::ActiveModel {
        engagement_id: Set(engagement_id),
        subject_kind: Set(subject.as_ref().map(|s| s.kind.as_str().to_owned())),
        subject_id: Set(subject.as_ref().map(|s| s.id)),
        name: Set(name.clone()),
        visibility: Set(visibility.as_str().to_owned()),
        visible_party_id: Set(visible_party),
        current_version: Set(1),
        size: Set(size),
        content_type: Set(content_type.to_owned()),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    version_row(d.id, 1, (key, size, content_type, &sha), viewer.user.id, now).insert(&tx).await?;
    search::index(
        &tx,
        search::Entry {
            kind: "document",
            record_id: d.id,
            engagement_id,
            visibility: &d.visibility,
            visible_party_id: d.visible_party_id,
            title: &name,
            body: "",
        },
    )
    .await?;
    // The record's feed tells of the file only when the file is as visible as the record.
    if let Some(s) =
        subject.as_ref().filter(|s| s.visibility == d.visibility && s.visible_party_id == d.visible_party_id)
    {
        activity::record(&tx, now, Some(viewer.user.id), s, "document_added").await?;
    }
    let after = json!({"name": name, "size": size, "content_type": content_type, "sha256": sha,
                       "visibility": d.visibility, "visible_party_id": d.visible_party_id,
                       "subject_kind": d.subject_kind, "subject_id": d.subject_id});
    record(&tx, state, viewer, "document.create", "document", d.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(d)
}

/// One document the viewer may see, with the record it is attached to (also checked).
pub async fn one(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<(document::Model, Option<Subject>)> {
    let d = document::Entity::find_by_id(id)
        .filter(viewer.engagement_ids_scope(document::Column::EngagementId))
        .filter(viewer.record_scope(document::Column::Visibility, document::Column::VisiblePartyId))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = match (d.subject_kind.as_deref().and_then(SubjectKind::parse), d.subject_id) {
        (Some(kind), Some(sid)) => Some(collab::subject(state, viewer, d.engagement_id, kind, sid).await?),
        _ => None,
    };
    Ok((d, subject))
}

/// Documents of an engagement (or of one record) the viewer may see, newest first.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    subject: Option<&Subject>,
) -> AppResult<Vec<document::Model>> {
    get(state, viewer, engagement_id).await?;
    let mut cond = Condition::all()
        .add(document::Column::EngagementId.eq(engagement_id))
        .add(viewer.record_scope(document::Column::Visibility, document::Column::VisiblePartyId));
    if let Some(s) = subject {
        cond = cond.add(document::Column::SubjectKind.eq(s.kind.as_str())).add(document::Column::SubjectId.eq(s.id));
    }
    let rows = document::Entity::find()
        .filter(cond)
        .order_by_desc(document::Column::UpdatedAt)
        .order_by_desc(document::Column::Id)
        .all(&state.db)
        .await?;
    if subject.is_some() || viewer.is_host() {
        return Ok(rows);
    }
    // In the whole list, leave out files on records the viewer may not see.
    let mut visible = Vec::with_capacity(rows.len());
    for d in rows {
        let ok = match (d.subject_kind.as_deref().and_then(SubjectKind::parse), d.subject_id) {
            (Some(kind), Some(sid)) => collab::subject(state, viewer, engagement_id, kind, sid).await.is_ok(),
            _ => true,
        };
        if ok {
            visible.push(d);
        }
    }
    Ok(visible)
}

pub async fn versions(state: &AppState, document_id: i64) -> AppResult<Vec<version::Model>> {
    Ok(version::Entity::find()
        .filter(version::Column::DocumentId.eq(document_id))
        .order_by_desc(version::Column::Version)
        .all(&state.db)
        .await?)
}

/// Whether the viewer may upload a new version: the host, or the party that created it.
pub async fn can_revise(state: &AppState, viewer: &Viewer, d: &document::Model) -> AppResult<bool> {
    if viewer.is_host() {
        return Ok(true);
    }
    let creator = crate::users::entity::user::Entity::find_by_id(d.created_by).one(&state.db).await?;
    Ok(creator.is_some_and(|u| u.party_id == viewer.party.id))
}

pub async fn add_version(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    upload: Option<Upload>,
) -> AppResult<version::Model> {
    let (d, subject) = one(state, viewer, id).await?;
    if !can_revise(state, viewer, &d).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let Some(upload) = upload else {
        errors.add("file", Msg::new("error-required"));
        return Err(AppError::Validation(errors));
    };
    let stored = put(state, &upload, &d.name, &mut errors).await?;
    errors.into_result()?;
    let Some((key, size, content_type, sha)) = stored else {
        return Err(AppError::Internal(anyhow::anyhow!("validated input is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    // Re-read under the write lock so two uploads can't take the same number.
    let current = document::Entity::find_by_id(id).one(&tx).await?.ok_or(AppError::NotFound)?;
    let n = current.current_version + 1;
    let v = version_row(id, n, (key, size, content_type, &sha), viewer.user.id, now).insert(&tx).await?;
    let mut am: document::ActiveModel = current.into();
    am.current_version = Set(n);
    am.size = Set(size);
    am.content_type = Set(content_type.to_owned());
    am.updated_at = Set(now);
    am.update(&tx).await?;
    if let Some(s) =
        subject.as_ref().filter(|s| s.visibility == d.visibility && s.visible_party_id == d.visible_party_id)
    {
        activity::record(&tx, now, Some(viewer.user.id), s, "document_version").await?;
    }
    let after = json!({"version": n, "size": size, "content_type": content_type, "sha256": sha});
    record(&tx, state, viewer, "document.version", "document", id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(v)
}

/// The bytes of one version (the current one when `version` is none), after the checks.
pub async fn read(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    version: Option<i32>,
) -> AppResult<(document::Model, version::Model, axum::body::Bytes)> {
    let (d, _) = one(state, viewer, id).await?;
    let v = version::Entity::find()
        .filter(version::Column::DocumentId.eq(id))
        .filter(version::Column::Version.eq(version.unwrap_or(d.current_version)))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let got = state.store.get(&StorePath::from(v.object_key.as_str())).await.map_err(anyhow::Error::from)?;
    let bytes = got.bytes().await.map_err(anyhow::Error::from)?;
    Ok((d, v, bytes))
}
