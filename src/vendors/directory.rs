//! The vendor directory: a vendor is a party of kind `vendor` with a profile (capabilities,
//! regions, size, bank details), a status that changes only with a reason, and qualification
//! certificates with files and expiry dates.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::json;

pub use super::certificates::{CertificateInput, add_certificate, certificate, certificate_state, certificates};
use super::entity::{certificate, profile, status_change};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{self, Role},
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::{
        entity::{contact, party},
        service::{self as parties, ContactInput, PartyInput},
    },
};

pub const STATUSES: &[&str] = &["prospect", "qualified", "active", "suspended", "blacklisted"];
pub const CATEGORIES: &[&str] = &[
    "software",
    "testing",
    "design",
    "data",
    "infrastructure",
    "security",
    "consulting",
    "hardware",
    "operations",
    "training",
];
pub const REGIONS: &[&str] = &["east", "north", "south", "central", "southwest", "northwest", "northeast", "overseas"];
pub const SIZES: &[&str] = &["micro", "small", "medium", "large"];
pub const CERTIFICATE_KINDS: &[&str] = &["iso9001", "iso27001", "iso20000", "cmmi", "dengbao", "license", "other"];
/// Certificates expiring within this many days are flagged and their reminder goes out.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// Where a status may go next. A blacklisted vendor starts over as a prospect.
pub fn next_statuses(from: &str) -> &'static [&'static str] {
    match from {
        "prospect" => &["qualified", "blacklisted"],
        "qualified" => &["active", "suspended", "blacklisted"],
        "active" => &["suspended", "blacklisted"],
        "suspended" => &["active", "qualified", "blacklisted"],
        "blacklisted" => &["prospect"],
        _ => &[],
    }
}

/// Whether a vendor in this status may be invited to a selection.
pub fn invitable(status: &str) -> bool {
    !matches!(status, "suspended" | "blacklisted")
}

/// Host administrators and PMs run the directory: register vendors, change their status.
pub fn runs_directory(viewer: &Viewer) -> bool {
    viewer.can_manage_engagements()
}

/// Bank details are for the host's finance approvers and the vendor's own managers only.
pub fn sees_bank(viewer: &Viewer, party_id: i64) -> bool {
    (viewer.is_host() && viewer.role == Role::Approver) || (viewer.is_party_manager() && viewer.party.id == party_id)
}

/// The profile of a vendor registered as a plain party (before it had one).
fn default_profile(party_id: i64) -> profile::Model {
    profile::Model {
        id: 0,
        party_id,
        status: "prospect".into(),
        categories: "[]".into(),
        regions: "[]".into(),
        size: String::new(),
        bank_name: String::new(),
        bank_account: String::new(),
        bank_account_name: String::new(),
        updated_at: DateTime::<Utc>::UNIX_EPOCH,
    }
}

/// The vendor's profile; a vendor registered as a plain party has the default one.
pub async fn profile_of(db: &impl ConnectionTrait, party_id: i64) -> AppResult<profile::Model> {
    let found = profile::Entity::find().filter(profile::Column::PartyId.eq(party_id)).one(db).await?;
    Ok(found.unwrap_or_else(|| default_profile(party_id)))
}

/// The profiles of many vendors in one read, by party.
pub async fn profiles_of(
    db: &impl ConnectionTrait,
    party_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, profile::Model>> {
    let mut found: std::collections::HashMap<i64, profile::Model> = profile::Entity::find()
        .filter(profile::Column::PartyId.is_in(party_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.party_id, p))
        .collect();
    for id in party_ids {
        found.entry(*id).or_insert_with(|| default_profile(*id));
    }
    Ok(found)
}

pub fn list_of(json_list: &str) -> Vec<String> {
    serde_json::from_str(json_list).unwrap_or_default()
}

/// A vendor the viewer may see (the host: every one; a vendor: itself); 404 otherwise.
pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<(party::Model, profile::Model)> {
    if !viewer.can_see_party(id) {
        return Err(AppError::NotFound);
    }
    let p = party::Entity::find_by_id(id)
        .filter(party::Column::Kind.eq("vendor"))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let prof = profile_of(&state.db, id).await?;
    Ok((p, prof))
}

#[derive(Debug, Default, Deserialize)]
pub struct VendorFilter {
    pub status: Option<String>,
    pub category: Option<String>,
    pub q: Option<String>,
}

pub struct VendorRow {
    pub party: party::Model,
    pub profile: profile::Model,
    /// Certificates that have expired or expire within the notice period.
    pub expiring: usize,
}

/// Vendors the viewer may see whose name, legal name or credit code holds `q` (any when empty).
fn matching(viewer: &Viewer, q: Option<&str>) -> Condition {
    let cond = viewer.party_scope().add(party::Column::Kind.eq("vendor"));
    match q.map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => cond.add(
            Condition::any()
                .add(db::icontains(party::Column::Name, q))
                .add(db::icontains(party::Column::LegalName, q))
                .add(db::icontains(party::Column::CreditCode, q)),
        ),
        None => cond,
    }
}

/// The first `limit` vendors matching `q`, the parties alone (for search: no profiles read).
pub async fn search(state: &AppState, viewer: &Viewer, q: &str, limit: u64) -> AppResult<Vec<party::Model>> {
    Ok(party::Entity::find()
        .filter(matching(viewer, Some(q)))
        .order_by_asc(party::Column::Id)
        .limit(limit)
        .all(&state.db)
        .await?)
}

/// Vendors the viewer may see, filtered, `limit` per page after the party id `after`.
pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    f: &VendorFilter,
    limit: u64,
    after: Option<i64>,
) -> AppResult<(Vec<VendorRow>, Option<String>)> {
    let mut cond = matching(viewer, f.q.as_deref());
    let status = f.status.as_deref().filter(|s| !s.is_empty());
    let category = f.category.as_deref().filter(|s| !s.is_empty());
    if status.is_some() || category.is_some() {
        let mut pq = profile::Entity::find().select_only().column(profile::Column::PartyId);
        if let Some(s) = status {
            pq = pq.filter(profile::Column::Status.eq(s));
        }
        if let Some(c) = category {
            pq = pq.filter(profile::Column::Categories.contains(format!("\"{c}\"")));
        }
        let ids: Vec<i64> = pq.into_tuple().all(&state.db).await?;
        // A vendor without a stored profile is a prospect with no categories.
        if status == Some("prospect") && category.is_none() {
            let stored: Vec<i64> = profile::Entity::find()
                .select_only()
                .column(profile::Column::PartyId)
                .into_tuple()
                .all(&state.db)
                .await?;
            cond =
                cond.add(Condition::any().add(party::Column::Id.is_in(ids)).add(party::Column::Id.is_not_in(stored)));
        } else {
            cond = cond.add(party::Column::Id.is_in(ids));
        }
    }
    if let Some(a) = after {
        cond = cond.add(party::Column::Id.gt(a));
    }
    let rows =
        party::Entity::find().filter(cond).order_by_asc(party::Column::Id).limit(limit + 1).all(&state.db).await?;
    let (rows, next) = db::page(rows, limit, |p| p.id);
    // The page's profiles and expiring certificates in two reads, not two per row.
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let mut profiles = profiles_of(&state.db, &ids).await?;
    let horizon = crate::domain::add_days(state.today(), EXPIRY_NOTICE_DAYS);
    let mut expiring: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for c in certificate::Entity::find()
        .filter(certificate::Column::PartyId.is_in(ids))
        .filter(certificate::Column::ExpiresOn.lte(horizon))
        .all(&state.db)
        .await?
    {
        *expiring.entry(c.party_id).or_default() += 1;
    }
    let out = rows
        .into_iter()
        .map(|p| VendorRow {
            profile: profiles.remove(&p.id).unwrap_or_else(|| default_profile(p.id)),
            expiring: expiring.get(&p.id).copied().unwrap_or(0),
            party: p,
        })
        .collect();
    Ok((out, next))
}

/// A vendor to register: its identity, profile and first contacts.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorInput {
    #[serde(default)]
    pub name: String,
    pub legal_name: Option<String>,
    /// 统一社会信用代码 (18 characters, check digit validated).
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    /// From `software`, `testing`, `design`, `data`, `infrastructure`, `security`, `consulting`,
    /// `hardware`, `operations`, `training`.
    #[serde(default)]
    pub categories: Vec<String>,
    /// From `east`, `north`, `south`, `central`, `southwest`, `northwest`, `northeast`, `overseas`.
    #[serde(default)]
    pub regions: Vec<String>,
    /// micro | small | medium | large
    pub size: Option<String>,
    #[serde(default)]
    pub contacts: Vec<ContactInput>,
}

/// Profile and status changes; absent fields stay.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorUpdate {
    /// prospect | qualified | active | suspended | blacklisted; needs `status_reason`.
    pub status: Option<String>,
    pub status_reason: Option<String>,
    pub categories: Option<Vec<String>>,
    pub regions: Option<Vec<String>>,
    pub size: Option<String>,
    /// Seen and changed by the host's finance approvers and the vendor's managers only.
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    pub bank_account_name: Option<String>,
}

fn check_set(field: &str, values: &[String], allowed: &[&str], errors: &mut FieldErrors) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        match allowed.iter().find(|a| **a == v) {
            Some(a) if !out.contains(a) => out.push(a),
            Some(_) => {}
            None => {
                errors.add(field, Msg::new("error-choice").arg("value", v));
                return None;
            }
        }
    }
    Some(serde_json::to_string(&out).unwrap_or_else(|_| "[]".into()))
}

fn check_size(raw: &str, errors: &mut FieldErrors) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() || SIZES.contains(&v) {
        Some(v.to_owned())
    } else {
        errors.add("size", Msg::new("error-choice").arg("value", v));
        None
    }
}

pub(crate) fn profile_json(p: &profile::Model) -> serde_json::Value {
    // Bank details stay out of the audit trail, which more people read than finance.
    json!({"status": p.status, "categories": list_of(&p.categories), "regions": list_of(&p.regions), "size": p.size,
           "bank_details_set": !p.bank_account.is_empty()})
}

pub async fn create(state: &AppState, viewer: &Viewer, input: VendorInput) -> AppResult<party::Model> {
    if !runs_directory(viewer) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let categories = check_set("categories", &input.categories, CATEGORIES, &mut errors);
    let regions = check_set("regions", &input.regions, REGIONS, &mut errors);
    let size = check_size(input.size.as_deref().unwrap_or(""), &mut errors);
    let mut contacts = Vec::new();
    for (i, c) in input.contacts.iter().enumerate() {
        let field = |f: &str| format!("contacts[{i}].{f}");
        let name = errors.take(&field("name"), domain::text(&c.name, true, 100));
        let email = if c.email.trim().is_empty() {
            Some(String::new())
        } else {
            errors.take(&field("email"), domain::Email::parse(&c.email)).map(domain::Email::into_inner)
        };
        contacts.push((name, errors.take(&field("title"), domain::text(&c.title, false, 100)), email, c.phone.trim()));
    }
    let party_input = PartyInput {
        kind: Some("vendor".into()),
        name: Some(input.name.clone()),
        legal_name: input.legal_name.clone(),
        credit_code: input.credit_code.clone(),
        address: input.address.clone(),
        website: input.website.clone(),
        phone: input.phone.clone(),
        description: input.description.clone(),
    };
    let am = match parties::prepare(state, party_input).await {
        Ok(am) => Some(am),
        Err(AppError::Validation(e)) => {
            errors.0.extend(e.0);
            None
        }
        Err(other) => return Err(other),
    };
    errors.into_result()?;
    let (Some(am), Some(categories), Some(regions), Some(size)) = (am, categories, regions, size) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated vendor input is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let p = parties::insert(&tx, now, viewer, am).await?;
    let prof = profile::ActiveModel {
        party_id: Set(p.id),
        status: Set("prospect".into()),
        categories: Set(categories),
        regions: Set(regions),
        size: Set(size),
        bank_name: Set(String::new()),
        bank_account: Set(String::new()),
        bank_account_name: Set(String::new()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for (name, title, email, phone) in contacts {
        contact::ActiveModel {
            party_id: Set(p.id),
            name: Set(name.unwrap_or_default()),
            title: Set(title.unwrap_or_default()),
            email: Set(email.unwrap_or_default()),
            phone: Set(phone.chars().take(50).collect()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    record(&tx, state, viewer, "vendor.create", "party", p.id, None, Some(profile_json(&prof))).await?;
    tx.commit().await?;
    Ok(p)
}

/// Moves a vendor to `to` with a reason, stores the change and audits it; inside `tx`.
pub(crate) async fn set_status(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    prof: &profile::Model,
    to: &str,
    reason: &str,
) -> AppResult<profile::Model> {
    let now = state.clock.now();
    let before = profile_json(prof);
    let saved = store_profile(tx, prof, |am| am.status = Set(to.to_owned()), now).await?;
    status_change::ActiveModel {
        party_id: Set(prof.party_id),
        from_status: Set(prof.status.clone()),
        to_status: Set(to.to_owned()),
        reason: Set(reason.to_owned()),
        changed_by: Set(Some(viewer.user.id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let mut after = profile_json(&saved);
    after["reason"] = json!(reason);
    record(tx, state, viewer, "vendor.status", "party", prof.party_id, Some(before), Some(after)).await?;
    Ok(saved)
}

/// Writes a profile (inserting the default one the first time).
async fn store_profile(
    tx: &DatabaseTransaction,
    prof: &profile::Model,
    change: impl FnOnce(&mut profile::ActiveModel),
    now: DateTime<Utc>,
) -> AppResult<profile::Model> {
    let mut am: profile::ActiveModel = prof.clone().into();
    change(&mut am);
    am.updated_at = Set(now);
    if prof.id == 0 {
        am.id = sea_orm::ActiveValue::NotSet;
        Ok(am.insert(tx).await?)
    } else {
        Ok(am.update(tx).await?)
    }
}

pub async fn update(state: &AppState, viewer: &Viewer, id: i64, input: VendorUpdate) -> AppResult<profile::Model> {
    let (_, before) = get(state, viewer, id).await?;
    let own_manager = viewer.is_party_manager() && viewer.party.id == id;
    let touches_profile = input.categories.is_some() || input.regions.is_some() || input.size.is_some();
    let touches_bank = input.bank_name.is_some() || input.bank_account.is_some() || input.bank_account_name.is_some();
    let status_change = input.status.as_deref().map(str::trim).filter(|s| *s != before.status);
    if (status_change.is_some() && !runs_directory(viewer))
        || (touches_profile && !(runs_directory(viewer) || own_manager))
        || (touches_bank && !sees_bank(viewer, id))
        || !(runs_directory(viewer) || own_manager || sees_bank(viewer, id))
    {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let categories = input.categories.as_ref().and_then(|c| check_set("categories", c, CATEGORIES, &mut errors));
    let regions = input.regions.as_ref().and_then(|r| check_set("regions", r, REGIONS, &mut errors));
    let size = input.size.as_deref().and_then(|s| check_size(s, &mut errors));
    let text = |raw: &Option<String>, field: &str, max: usize, errors: &mut FieldErrors| {
        raw.as_deref().and_then(|v| errors.take(field, domain::text(v, false, max)))
    };
    let bank_name = text(&input.bank_name, "bank_name", 200, &mut errors);
    let bank_account_name = text(&input.bank_account_name, "bank_account_name", 200, &mut errors);
    let bank_account = input.bank_account.as_deref().and_then(|v| {
        let digits: String = v.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if digits.is_empty() || (digits.len() <= 34 && digits.chars().all(|c| c.is_ascii_alphanumeric())) {
            Some(digits)
        } else {
            errors.add("bank_account", Msg::new("error-bank-account"));
            None
        }
    });
    let reason = input.status_reason.as_deref().map(str::trim).unwrap_or("");
    if let Some(to) = status_change {
        if !STATUSES.contains(&to) {
            errors.add("status", Msg::new("error-choice").arg("value", to));
        } else if !next_statuses(&before.status).contains(&to) {
            errors.add("status", Msg::new("error-vendor-status-move").arg("from", &before.status).arg("to", to));
        }
        if reason.chars().count() < 2 {
            errors.add("status_reason", Msg::new("error-status-reason"));
        } else if reason.chars().count() > 2000 {
            errors.add("status_reason", Msg::new("error-too-long").arg("max", 2000));
        }
    }
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    // Re-read under the write lock: two status changes at once must not both apply.
    let current = profile_of(&tx, id).await?;
    if status_change.is_some() && current.status != before.status {
        return Err(AppError::Conflict(Msg::new("error-stale")));
    }
    let mut prof = current;
    if categories.is_some() || regions.is_some() || size.is_some() || touches_bank {
        let old = profile_json(&prof);
        let bank_changed = touches_bank;
        prof = store_profile(
            &tx,
            &prof,
            |am| {
                if let Some(v) = categories {
                    am.categories = Set(v);
                }
                if let Some(v) = regions {
                    am.regions = Set(v);
                }
                if let Some(v) = size {
                    am.size = Set(v);
                }
                if let Some(v) = bank_name {
                    am.bank_name = Set(v);
                }
                if let Some(v) = bank_account {
                    am.bank_account = Set(v);
                }
                if let Some(v) = bank_account_name {
                    am.bank_account_name = Set(v);
                }
            },
            now,
        )
        .await?;
        let mut after = profile_json(&prof);
        after["bank_details_changed"] = json!(bank_changed);
        record(&tx, state, viewer, "vendor.update", "party", id, Some(old), Some(after)).await?;
    }
    if let Some(to) = status_change {
        prof = set_status(&tx, state, viewer, &prof, to, reason).await?;
    }
    tx.commit().await?;
    Ok(prof)
}

pub async fn status_history(db: &impl ConnectionTrait, party_id: i64) -> AppResult<Vec<status_change::Model>> {
    Ok(status_change::Entity::find()
        .filter(status_change::Column::PartyId.eq(party_id))
        .order_by_desc(status_change::Column::Id)
        .all(db)
        .await?)
}

/// The vendor's bank details (name, account, account name) when the viewer may see them.
pub fn bank_for(viewer: &Viewer, prof: &profile::Model) -> Option<(String, String, String)> {
    sees_bank(viewer, prof.party_id)
        .then(|| (prof.bank_name.clone(), prof.bank_account.clone(), prof.bank_account_name.clone()))
}
