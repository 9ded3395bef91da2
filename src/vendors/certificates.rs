//! Qualification certificates of a vendor (ISO 9001, CMMI, 等保 …): kind, number, issuer,
//! validity and files; their state (valid, expiring within the notice period, expired).

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    directory::{CERTIFICATE_KINDS, EXPIRY_NOTICE_DAYS, get, runs_directory},
    entity::certificate,
};
use crate::{
    AppState,
    auth::Viewer,
    db, domain,
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
};

pub async fn certificates(db: &impl ConnectionTrait, party_id: i64) -> AppResult<Vec<certificate::Model>> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::PartyId.eq(party_id))
        .order_by_asc(certificate::Column::ExpiresOn)
        .order_by_asc(certificate::Column::Id)
        .all(db)
        .await?)
}

/// A certificate's state on `today`: valid, expiring (within the notice period) or expired.
pub fn certificate_state(c: &certificate::Model, today: NaiveDate) -> &'static str {
    match c.expires_on {
        Some(d) if d < today => "expired",
        Some(d) if (d - today).num_days() <= EXPIRY_NOTICE_DAYS => "expiring",
        _ => "valid",
    }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateInput {
    /// iso9001 | iso27001 | iso20000 | cmmi | dengbao | license | other
    #[serde(default)]
    pub kind: String,
    /// What it certifies, e.g. `CMMI 3 级`; the kind's name when left out.
    pub name: Option<String>,
    pub number: Option<String>,
    pub issuer: Option<String>,
    /// `YYYY-MM-DD`
    pub issued_on: Option<String>,
    /// `YYYY-MM-DD`
    pub expires_on: Option<String>,
}

fn optional_date(raw: Option<&str>, field: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    errors.take(field, domain::parse_date(raw))
}

/// Adds a certificate, with its file when one is sent (the host's directory managers, or the
/// vendor's own managers).
pub async fn add_certificate(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: CertificateInput,
    upload: Option<crate::documents::Upload>,
) -> AppResult<certificate::Model> {
    get(state, viewer, id).await?;
    if !(runs_directory(viewer) || (viewer.is_party_manager() && viewer.party.id == id)) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let kind = input.kind.trim();
    if !CERTIFICATE_KINDS.contains(&kind) {
        errors.add("kind", Msg::new("error-choice").arg("value", kind));
    }
    let name = errors.take("name", domain::text(input.name.as_deref().unwrap_or(""), false, 200));
    let number = errors.take("number", domain::text(input.number.as_deref().unwrap_or(""), false, 100));
    let issuer = errors.take("issuer", domain::text(input.issuer.as_deref().unwrap_or(""), false, 200));
    let issued = optional_date(input.issued_on.as_deref(), "issued_on", &mut errors);
    let expires = optional_date(input.expires_on.as_deref(), "expires_on", &mut errors);
    if let (Some(i), Some(e)) = (issued, expires)
        && e < i
    {
        errors.add("expires_on", Msg::new("error-end-before-start"));
    }
    let stored = match &upload {
        Some(u) => super::files::put(state, u, &mut errors).await?,
        None => None,
    };
    errors.into_result()?;
    let now = state.clock.now();
    let name = name.filter(|n| !n.is_empty()).unwrap_or_else(|| kind.to_uppercase());
    let tx = db::begin_write(&state.writer).await?;
    let cert = certificate::ActiveModel {
        party_id: Set(id),
        kind: Set(kind.to_owned()),
        name: Set(name),
        number: Set(number.unwrap_or_default()),
        issuer: Set(issuer.unwrap_or_default()),
        issued_on: Set(issued),
        expires_on: Set(expires),
        reminded_at: Set(None),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    if let Some(s) = stored {
        super::files::attach(&tx, "certificate", cert.id, s, viewer.user.id, now).await?;
    }
    let after = json!({"certificate_id": cert.id, "kind": cert.kind, "name": cert.name, "number": cert.number,
                       "issuer": cert.issuer, "issued_on": cert.issued_on, "expires_on": cert.expires_on});
    record(&tx, state, viewer, "vendor.certificate_add", "party", id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(cert)
}

/// One certificate of a vendor the viewer may see; 404 otherwise.
pub async fn certificate(state: &AppState, viewer: &Viewer, id: i64, cert_id: i64) -> AppResult<certificate::Model> {
    get(state, viewer, id).await?;
    certificate::Entity::find_by_id(cert_id)
        .filter(certificate::Column::PartyId.eq(id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}
