//! Parties (host, vendors, clients) and their contacts, seen through the viewer's scope.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    AppState,
    audit::{self, Change},
    auth::Viewer,
    db,
    domain::{self, Email, PartyKind},
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::{contact, party},
    users::entity::user,
};

pub fn audit_json(p: &party::Model) -> Value {
    json!({
        "kind": p.kind, "name": p.name, "legal_name": p.legal_name, "credit_code": p.credit_code,
        "address": p.address, "website": p.website, "phone": p.phone, "description": p.description,
    })
}

/// A new party row with its kind and names; the rest of the profile starts empty.
pub fn new_party(
    kind: PartyKind,
    name: &str,
    legal_name: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> party::ActiveModel {
    party::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        name: Set(name.to_owned()),
        legal_name: Set(legal_name.to_owned()),
        credit_code: Set(None),
        address: Set(String::new()),
        website: Set(String::new()),
        phone: Set(String::new()),
        description: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn count(state: &AppState, viewer: &Viewer) -> AppResult<u64> {
    Ok(party::Entity::find().filter(viewer.party_scope()).count(&state.db).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct PartyFilter {
    pub kind: Option<String>,
    pub q: Option<String>,
}

pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    filter: &PartyFilter,
    limit: u64,
    after: Option<i64>,
) -> AppResult<(Vec<party::Model>, Option<String>)> {
    let mut cond = viewer.party_scope();
    if let Some(k) = filter.kind.as_deref().filter(|k| !k.is_empty()) {
        cond = cond.add(party::Column::Kind.eq(k));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any().add(db::icontains(party::Column::Name, q)).add(db::icontains(party::Column::LegalName, q)),
        );
    }
    if let Some(a) = after {
        cond = cond.add(party::Column::Id.gt(a));
    }
    let rows =
        party::Entity::find().filter(cond).order_by_asc(party::Column::Id).limit(limit + 1).all(&state.db).await?;
    Ok(db::page(rows, limit, |p| p.id))
}

/// Users per party for a page of parties.
pub async fn user_counts(state: &AppState, ids: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::PartyId)
        .column_as(user::Column::Id.count(), "n")
        .filter(user::Column::PartyId.is_in(ids.iter().copied()))
        .group_by(user::Column::PartyId)
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(rows)
}

/// A party the viewer may see; 404 otherwise.
pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<party::Model> {
    party::Entity::find_by_id(id).filter(viewer.party_scope()).one(&state.db).await?.ok_or(AppError::NotFound)
}

/// Party fields as sent by the API or a form; on update, absent fields stay unchanged.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    /// `vendor` or `client` (the host party exists once, from setup).
    pub kind: Option<String>,
    pub name: Option<String>,
    pub legal_name: Option<String>,
    /// 统一社会信用代码, 18 characters with a valid check digit.
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
}

pub const FORM_FIELDS: &[&str] =
    &["kind", "name", "legal_name", "credit_code", "address", "website", "phone", "description"];

fn apply(am: &mut party::ActiveModel, input: &PartyInput, creating: bool, errors: &mut FieldErrors) {
    let field =
        |raw: &Option<String>, name: &str, required: bool, max: usize, errors: &mut FieldErrors| -> Option<String> {
            match raw {
                Some(v) => errors.take(name, domain::text(v, required, max)),
                None if creating && required => {
                    errors.add(name, Msg::new("error-required"));
                    None
                }
                None => None,
            }
        };
    if let Some(v) = field(&input.name, "name", true, 200, errors) {
        am.name = Set(v);
    }
    if let Some(v) = field(&input.legal_name, "legal_name", false, 200, errors) {
        am.legal_name = Set(v);
    }
    if let Some(v) = field(&input.address, "address", false, 500, errors) {
        am.address = Set(v);
    }
    if let Some(v) = field(&input.website, "website", false, 300, errors) {
        if !(v.is_empty() || v.starts_with("http://") || v.starts_with("https://")) {
            errors.add("website", Msg::new("error-url"));
        }
        am.website = Set(v);
    }
    if let Some(v) = field(&input.phone, "phone", false, 50, errors) {
        am.phone = Set(v);
    }
    if let Some(v) = field(&input.description, "description", false, 5000, errors) {
        am.description = Set(v);
    }
    if let Some(v) = &input.credit_code
        && let Some(code) = errors.take("credit_code", domain::parse_credit_code(v))
    {
        am.credit_code = Set(code);
    }
}

pub async fn create(state: &AppState, viewer: &Viewer, input: PartyInput) -> AppResult<party::Model> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden);
    }
    let am = prepare(state, input).await?;
    let tx = db::begin_write(&state.writer).await?;
    let created = insert(&tx, state.clock.now(), viewer, am).await?;
    tx.commit().await?;
    Ok(created)
}

/// A new party checked (a known kind other than the host, a free name, a valid credit code
/// no other party holds), not yet stored. The caller checks who may create it.
pub async fn prepare(state: &AppState, input: PartyInput) -> AppResult<party::ActiveModel> {
    let mut errors = FieldErrors::default();
    let kind = errors.take("kind", PartyKind::parse(input.kind.as_deref().unwrap_or("")));
    if kind == Some(PartyKind::Host) {
        errors.add("kind", Msg::new("error-party-kind"));
    }
    let now = state.clock.now();
    let mut am = new_party(kind.unwrap_or(PartyKind::Vendor), "", "", now);
    apply(&mut am, &input, true, &mut errors);
    check_name_free(state, &mut errors, input.name.as_deref(), None).await?;
    if let sea_orm::ActiveValue::Set(Some(code)) = &am.credit_code
        && party::Entity::find().filter(party::Column::CreditCode.eq(code.as_str())).count(&state.db).await? > 0
    {
        errors.add("credit_code", Msg::new("error-credit-code-taken"));
    }
    errors.into_result()?;
    if am.legal_name.as_ref().is_empty() {
        am.legal_name = Set(am.name.as_ref().clone());
    }
    Ok(am)
}

/// Stores a party from `prepare` with its audit record, inside the caller's transaction.
pub async fn insert(
    tx: &sea_orm::DatabaseTransaction,
    now: chrono::DateTime<chrono::Utc>,
    viewer: &Viewer,
    am: party::ActiveModel,
) -> AppResult<party::Model> {
    let created = am.insert(tx).await?;
    audit::record(
        tx,
        now,
        viewer.actor(),
        Change {
            action: "party.create",
            entity_type: "party",
            entity_id: created.id.to_string(),
            before: None,
            after: Some(audit_json(&created)),
        },
    )
    .await?;
    Ok(created)
}

async fn check_name_free(
    state: &AppState,
    errors: &mut FieldErrors,
    name: Option<&str>,
    except: Option<i64>,
) -> AppResult<()> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else { return Ok(()) };
    let mut q = party::Entity::find().filter(party::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(party::Column::Id.ne(id));
    }
    if q.count(&state.db).await? > 0 {
        errors.add("name", Msg::new("error-party-name-taken"));
    }
    Ok(())
}

pub async fn update(state: &AppState, viewer: &Viewer, id: i64, input: PartyInput) -> AppResult<party::Model> {
    let before = get(state, viewer, id).await?;
    if !viewer.can_edit_party(id) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    if input.kind.as_deref().is_some_and(|k| k.trim() != before.kind) {
        errors.add("kind", Msg::new("error-party-kind-fixed"));
    }
    // A party's identity is the host's record: a vendor's or client's manager keeps its
    // contact details current, and can't probe other parties' names through a rename.
    if !viewer.is_admin() {
        let changes = |new: &Option<String>, old: &str| new.as_deref().is_some_and(|v| v.trim() != old);
        for (field, new, old) in [
            ("name", &input.name, before.name.as_str()),
            ("legal_name", &input.legal_name, before.legal_name.as_str()),
            ("credit_code", &input.credit_code, before.credit_code.as_deref().unwrap_or("")),
        ] {
            if changes(new, old) {
                errors.add(field, Msg::new("error-party-identity"));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
    }
    let mut am: party::ActiveModel = before.clone().into();
    apply(&mut am, &input, false, &mut errors);
    check_name_free(state, &mut errors, input.name.as_deref(), Some(id)).await?;
    errors.into_result()?;
    let now = state.clock.now();
    am.updated_at = Set(now);
    let tx = db::begin_write(&state.writer).await?;
    let after = am.update(&tx).await?;
    audit::record(
        &tx,
        now,
        viewer.actor(),
        Change {
            action: "party.update",
            entity_type: "party",
            entity_id: id.to_string(),
            before: Some(audit_json(&before)),
            after: Some(audit_json(&after)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn contacts(state: &AppState, viewer: &Viewer, party_id: i64) -> AppResult<Vec<contact::Model>> {
    get(state, viewer, party_id).await?;
    Ok(contact::Entity::find()
        .filter(contact::Column::PartyId.eq(party_id))
        .order_by_asc(contact::Column::Id)
        .all(&state.db)
        .await?)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

pub async fn add_contact(
    state: &AppState,
    viewer: &Viewer,
    party_id: i64,
    input: ContactInput,
) -> AppResult<contact::Model> {
    get(state, viewer, party_id).await?;
    if !viewer.can_edit_party(party_id) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let name = errors.take("name", domain::text(&input.name, true, 100));
    let title = errors.take("title", domain::text(&input.title, false, 100));
    let email = if input.email.trim().is_empty() {
        Some(String::new())
    } else {
        errors.take("email", Email::parse(&input.email)).map(Email::into_inner)
    };
    let phone = errors.take("phone", domain::text(&input.phone, false, 50));
    if email.as_deref() == Some("") && phone.as_deref() == Some("") {
        errors.add("email", Msg::new("error-contact-reach"));
    }
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let c = contact::ActiveModel {
        party_id: Set(party_id),
        name: Set(name.unwrap_or_default()),
        title: Set(title.unwrap_or_default()),
        email: Set(email.unwrap_or_default()),
        phone: Set(phone.unwrap_or_default()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        now,
        viewer.actor(),
        Change {
            action: "party.contact_add",
            entity_type: "party",
            entity_id: party_id.to_string(),
            before: None,
            after: Some(
                json!({"contact_id": c.id, "name": c.name, "title": c.title, "email": c.email, "phone": c.phone}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

pub async fn remove_contact(state: &AppState, viewer: &Viewer, party_id: i64, contact_id: i64) -> AppResult<()> {
    get(state, viewer, party_id).await?;
    if !viewer.can_edit_party(party_id) {
        return Err(AppError::Forbidden);
    }
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let c = contact::Entity::find_by_id(contact_id)
        .filter(contact::Column::PartyId.eq(party_id))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    contact::Entity::delete_by_id(c.id).exec(&tx).await?;
    audit::record(
        &tx,
        now,
        viewer.actor(),
        Change {
            action: "party.contact_remove",
            entity_type: "party",
            entity_id: party_id.to_string(),
            before: Some(
                json!({"contact_id": c.id, "name": c.name, "title": c.title, "email": c.email, "phone": c.phone}),
            ),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The ids of the host party (one per installation; a list so callers need not care).
pub async fn host_ids(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<i64>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    party::Entity::find()
        .select_only()
        .column(party::Column::Id)
        .filter(party::Column::Kind.eq("host"))
        .into_tuple()
        .all(db)
        .await
}
