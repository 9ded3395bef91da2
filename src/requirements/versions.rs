//! Versions of the shared requirement set: frozen content with its SHA-256, the parties that
//! must sign it, signatures after re-authentication, and comparison of any two versions.
//!
//! Only items shared with every participant (`participants`) and not obsolete go into a
//! version: what the parties sign is what all of them can read.

use std::collections::{BTreeMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    entity::{requirement, signature, version},
    service::criteria_lines,
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens, password, tokens::sha256_hex},
    db,
    domain::{RequirementStatus, Role},
    engagements::{
        entity::participant,
        service::{get, get_to_manage, manages, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
};

/// One item as frozen into a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenItem {
    pub key: String,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub priority: String,
    pub acceptance_criteria: Vec<String>,
    pub parent_key: Option<String>,
}

/// The frozen content: exactly what is hashed and signed.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenSet {
    pub engagement_id: i64,
    pub number: i32,
    pub items: Vec<FrozenItem>,
}

pub fn content_of(v: &version::Model) -> AppResult<FrozenSet> {
    serde_json::from_str(&v.content).map_err(|e| AppError::Internal(e.into()))
}

pub fn required_of(v: &version::Model) -> Vec<i64> {
    serde_json::from_str(&v.required_parties).unwrap_or_default()
}

/// A signature as the viewer may know it: the party and the signer are named only when the
/// viewer may know that party (a client learns that "another party" signed, and when).
pub struct Signed {
    pub signature: signature::Model,
    pub party: Option<String>,
    pub signer: Option<String>,
}

/// A version with who has signed it, through the viewer's lens.
pub struct VersionView {
    pub version: version::Model,
    pub signatures: Vec<Signed>,
    /// Every party whose signature it needs, named when the viewer may know it.
    pub required: Vec<(i64, Option<String>)>,
}

impl VersionView {
    pub fn signed(&self) -> bool {
        self.required.iter().all(|(p, _)| self.signed_by(*p))
    }

    pub fn signed_by(&self, party: i64) -> bool {
        self.signatures.iter().any(|s| s.signature.party_id == party)
    }
}

/// Versions of an engagement, newest first.
pub async fn list(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<VersionView>> {
    get(state, viewer, engagement_id).await?;
    let versions = version::Entity::find()
        .filter(version::Column::EngagementId.eq(engagement_id))
        .order_by_desc(version::Column::Number)
        .all(&state.db)
        .await?;
    let lens = Lens::of(state, viewer, engagement_id).await?;
    views(state, &lens, versions).await
}

async fn views(state: &AppState, lens: &Lens, versions: Vec<version::Model>) -> AppResult<Vec<VersionView>> {
    let sigs = signatures_of(state, &versions).await?;
    let parties = lens
        .party_names(&state.db, sigs.iter().map(|s| s.party_id).chain(versions.iter().flat_map(required_of)))
        .await?;
    let people = lens.people(&state.db, sigs.iter().map(|s| s.user_id)).await?;
    Ok(versions
        .into_iter()
        .map(|v| {
            let signatures = sigs
                .iter()
                .filter(|s| s.version_id == v.id)
                .map(|s| Signed {
                    signature: s.clone(),
                    party: parties.get(s.party_id).map(str::to_owned),
                    signer: people.name(s.user_id),
                })
                .collect();
            let required = required_of(&v).into_iter().map(|p| (p, parties.get(p).map(str::to_owned))).collect();
            VersionView { version: v, signatures, required }
        })
        .collect())
}

async fn signatures_of(state: &AppState, versions: &[version::Model]) -> AppResult<Vec<signature::Model>> {
    Ok(signature::Entity::find()
        .filter(signature::Column::VersionId.is_in(versions.iter().map(|v| v.id)))
        .order_by_asc(signature::Column::SignedAt)
        .all(&state.db)
        .await?)
}

/// One version of an engagement the viewer sees; 404 otherwise.
pub async fn one(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<VersionView> {
    let v = version::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    get(state, viewer, v.engagement_id).await?;
    let lens = Lens::of(state, viewer, v.engagement_id).await?;
    views(state, &lens, vec![v]).await?.pop().ok_or(AppError::NotFound)
}

/// Keys of the items in any version every required party has signed: they are locked.
pub async fn signed_keys(state: &AppState, engagement_id: i64) -> AppResult<HashSet<String>> {
    let versions =
        version::Entity::find().filter(version::Column::EngagementId.eq(engagement_id)).all(&state.db).await?;
    let sigs = signatures_of(state, &versions).await?;
    let mut keys = HashSet::new();
    for v in &versions {
        let signed = required_of(v).iter().all(|p| sigs.iter().any(|s| s.version_id == v.id && s.party_id == *p));
        if signed {
            keys.extend(content_of(v)?.items.into_iter().map(|i| i.key));
        }
    }
    Ok(keys)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeInput {
    /// What this version is for, e.g. "Signed scope for phase 1".
    #[serde(default)]
    pub note: Option<String>,
}

/// Freezes the current shared set as the next version; its items become `approved`.
pub async fn freeze(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    input: FreezeInput,
) -> AppResult<version::Model> {
    get_to_manage(state, viewer, engagement_id).await?;
    let mut errors = FieldErrors::default();
    let note = errors.take("note", crate::domain::text(input.note.as_deref().unwrap_or(""), false, 500));
    errors.into_result()?;
    let tx = db::begin_write(&state.writer).await?;
    let row = freeze_in(&tx, state, viewer, engagement_id, note.unwrap_or_default(), None).await?;
    tx.commit().await?;
    Ok(row)
}

/// Freezes inside the caller's transaction; `change_request_id` names the approved change that
/// produced this version.
pub(crate) async fn freeze_in(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    note: String,
    change_request_id: Option<i64>,
) -> AppResult<version::Model> {
    let rows = requirement::Entity::find()
        .filter(requirement::Column::EngagementId.eq(engagement_id))
        .filter(requirement::Column::Visibility.eq("participants"))
        .filter(requirement::Column::Status.ne(RequirementStatus::Obsolete.as_str()))
        .order_by_asc(requirement::Column::Seq)
        .all(tx)
        .await?;
    if rows.is_empty() {
        return Err(AppError::Conflict(Msg::new("error-version-empty")));
    }
    let keys: BTreeMap<i64, String> = requirement::Entity::find()
        .select_only()
        .columns([requirement::Column::Id, requirement::Column::Key])
        .filter(requirement::Column::EngagementId.eq(engagement_id))
        .into_tuple::<(i64, String)>()
        .all(tx)
        .await?
        .into_iter()
        .collect();
    let items: Vec<FrozenItem> = rows
        .iter()
        .map(|r| FrozenItem {
            key: r.key.clone(),
            title: r.title.clone(),
            description: r.description.clone(),
            kind: r.kind.clone(),
            priority: r.priority.clone(),
            acceptance_criteria: criteria_lines(r).into_iter().map(str::to_owned).collect(),
            parent_key: r.parent_id.and_then(|p| keys.get(&p).cloned()),
        })
        .collect();
    let latest = version::Entity::find()
        .filter(version::Column::EngagementId.eq(engagement_id))
        .order_by_desc(version::Column::Number)
        .one(tx)
        .await?;
    if let Some(l) = &latest
        && content_of(l)?.items == items
    {
        return Err(AppError::Conflict(Msg::new("error-version-unchanged").arg("number", l.number)));
    }
    let number = latest.map_or(1, |l| l.number + 1);
    let content =
        serde_json::to_string(&FrozenSet { engagement_id, number, items }).map_err(|e| AppError::Internal(e.into()))?;
    // The host and every client and vendor of the engagement sign.
    let mut required: Vec<i64> = participant::Entity::find()
        .select_only()
        .column(participant::Column::PartyId)
        .filter(participant::Column::EngagementId.eq(engagement_id))
        .filter(participant::Column::Relation.is_in(["client", "vendor"]))
        .into_tuple::<i64>()
        .all(tx)
        .await?;
    required.extend(
        party::Entity::find()
            .select_only()
            .column(party::Column::Id)
            .filter(party::Column::Kind.eq("host"))
            .into_tuple::<i64>()
            .all(tx)
            .await?,
    );
    required.sort_unstable();
    required.dedup();
    let now = state.clock.now();
    let row = version::ActiveModel {
        engagement_id: Set(engagement_id),
        number: Set(number),
        content_sha256: Set(sha256_hex(&content)),
        item_count: Set(i32::try_from(rows.len()).unwrap_or(i32::MAX)),
        content: Set(content),
        note: Set(note),
        change_request_id: Set(change_request_id),
        required_parties: Set(json!(required).to_string()),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    requirement::Entity::update_many()
        .col_expr(requirement::Column::Status, Expr::value(RequirementStatus::Approved.as_str()))
        .col_expr(requirement::Column::UpdatedAt, Expr::value(now))
        .filter(requirement::Column::Id.is_in(rows.iter().map(|r| r.id)))
        .exec(tx)
        .await?;
    record(
        tx,
        state,
        viewer,
        "requirement_version.freeze",
        "requirement_version",
        row.id,
        None,
        Some(json!({"engagement_id": engagement_id, "number": number, "items": row.item_count,
                    "content_sha256": row.content_sha256, "required_parties": required})),
    )
    .await?;
    Ok(row)
}

/// Who may sign for their party: its manager, or for the host someone who runs the engagement.
pub async fn may_bind_party(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<bool> {
    if viewer.is_host() { manages(state, viewer, engagement_id).await } else { Ok(viewer.role == Role::Manager) }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RequirementSignInput)]
pub struct SignInput {
    /// The signer's own password, asked again at the moment of signing.
    pub password: String,
}

/// Signs the newest version for the viewer's party, after checking the password again.
pub async fn sign(state: &AppState, viewer: &Viewer, id: i64, input: SignInput) -> AppResult<signature::Model> {
    let view = one(state, viewer, id).await?;
    let v = &view.version;
    if !view.required.iter().any(|(p, _)| *p == viewer.party.id) {
        return Err(AppError::Forbidden);
    }
    if !may_bind_party(state, viewer, v.engagement_id).await? {
        return Err(AppError::Forbidden);
    }
    password::reauthenticate(state, viewer, &input.password).await?;
    let tx = db::begin_write(&state.writer).await?;
    let newest = version::Entity::find()
        .select_only()
        .column_as(version::Column::Number.max(), "m")
        .filter(version::Column::EngagementId.eq(v.engagement_id))
        .into_tuple::<Option<i32>>()
        .one(&tx)
        .await?
        .flatten();
    if newest != Some(v.number) {
        return Err(AppError::Conflict(Msg::new("error-version-superseded").arg("number", v.number)));
    }
    // The hash signed is the hash of the stored content, computed now.
    let hash = sha256_hex(&v.content);
    if hash != v.content_sha256 {
        return Err(AppError::Conflict(Msg::new("error-version-tampered")));
    }
    if view.signed_by(viewer.party.id) {
        return Err(AppError::Conflict(Msg::new("error-version-signed-already")));
    }
    let now = state.clock.now();
    let row = signature::ActiveModel {
        version_id: Set(v.id),
        party_id: Set(viewer.party.id),
        user_id: Set(viewer.user.id),
        content_sha256: Set(hash),
        signed_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(
        &tx,
        state,
        viewer,
        "requirement_version.sign",
        "requirement_version",
        v.id,
        None,
        Some(json!({"party_id": viewer.party.id, "number": v.number, "content_sha256": row.content_sha256})),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}
