//! Signing a contract's approved version (both sides, password asked again) and amendments:
//! opened by hand or by an approved change request, then reviewed and signed as the next version.

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    entity::{contract, signature, version},
    payments,
    service::{
        self, audit_json, engagement_ids, load, load_to_manage, managers_of, may_manage, party_managers,
        pending_version, state_of,
    },
};
use crate::{
    AppState,
    auth::{Viewer, password, tokens::sha256_hex},
    collab::{
        self,
        notifications::{self, Kind, Notice},
    },
    db,
    domain::{self, ChangeState, ContractState, Id, Role},
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
};

/// Whether the viewer may sign for their side of this contract.
pub async fn may_sign(state: &AppState, viewer: &Viewer, c: &contract::Model) -> AppResult<bool> {
    if viewer.is_host() {
        return Ok(match c.host_signatory_id {
            Some(u) => u == viewer.user.id,
            None => may_manage(state, viewer, c).await?,
        });
    }
    Ok(viewer.party.id == c.counterparty_id
        && match c.counterparty_signatory_id {
            Some(u) => u == viewer.user.id,
            None => viewer.role == Role::Manager,
        })
}

/// Signs the approved version for the viewer's side, after checking the password again. When
/// both sides have signed, that version is in force.
pub async fn sign(state: &AppState, viewer: &Viewer, id: i64, password_given: &str) -> AppResult<contract::Model> {
    let c = load(state, viewer, id).await?;
    if !may_sign(state, viewer, &c).await? {
        return Err(AppError::Forbidden);
    }
    password::reauthenticate(state, viewer, password_given).await?;
    let tx = db::begin_write(&state.writer).await?;
    let v = match pending_version(&tx, c.id).await? {
        Some(v) if v.status == "approved" => v,
        Some(_) => return Err(AppError::Conflict(Msg::new("error-contract-awaiting-review"))),
        None => return Err(AppError::Conflict(Msg::new("error-contract-nothing-to-sign"))),
    };
    let hash = sha256_hex(&v.content);
    if hash != v.content_sha256 {
        return Err(AppError::Conflict(Msg::new("error-version-tampered")));
    }
    let existing = signature::Entity::find().filter(signature::Column::VersionId.eq(v.id)).all(&tx).await?;
    if existing.iter().any(|s| s.party_id == viewer.party.id) {
        return Err(AppError::Conflict(Msg::new("error-version-signed-already")));
    }
    let now = state.clock.now();
    signature::ActiveModel {
        version_id: Set(v.id),
        party_id: Set(viewer.party.id),
        user_id: Set(viewer.user.id),
        content_sha256: Set(hash.clone()),
        signed_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    record(
        &tx,
        state,
        viewer,
        "contract.sign",
        "contract",
        c.id,
        None,
        Some(json!({"version": v.number, "party_id": viewer.party.id, "content_sha256": hash})),
    )
    .await?;
    let both = existing.iter().any(|s| s.party_id != viewer.party.id);
    let after = if both { in_force(&tx, state, viewer, &c, &v).await? } else { c.clone() };
    tx.commit().await?;
    Ok(after)
}

/// What another capability does, inside the signing's transaction, when a contract goes into
/// force (cost control holds a commitment over budget). `app` hands the list over with
/// [`register`], so contracts name none of them.
pub type InForceHook = for<'a> fn(
    &'a DatabaseTransaction,
    &'a AppState,
    &'a contract::Model,
) -> futures_util::future::BoxFuture<'a, AppResult<()>>;

static HOOKS: std::sync::OnceLock<&'static [InForceHook]> = std::sync::OnceLock::new();

/// Called once as the application is assembled (again with the same list: ignored).
pub fn register(hooks: &'static [InForceHook]) {
    let _ = HOOKS.set(hooks);
}

/// Both sides signed `v`: it becomes the version in force.
async fn in_force(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    c: &contract::Model,
    v: &version::Model,
) -> AppResult<contract::Model> {
    let now = state.clock.now();
    let mut vr: version::ActiveModel = v.clone().into();
    vr.status = Set("signed".into());
    vr.signed_at = Set(Some(now));
    vr.update(tx).await?;
    let amendment = c.current_version > 0;
    let mut row: contract::ActiveModel = c.clone().into();
    row.current_version = Set(v.number);
    row.state = Set(if amendment { ContractState::Amended } else { ContractState::Signed }.as_str().to_owned());
    row.amendment_reason = Set(None);
    row.amendment_change_request_id = Set(None);
    row.updated_at = Set(now);
    let after = row.update(tx).await?;
    payments::reconcile(tx, state, &after).await?;
    payments::refresh_due(tx, state, &after).await?;
    for hook in HOOKS.get().copied().unwrap_or_default() {
        hook(tx, state, &after).await?;
    }
    record(tx, state, viewer, "contract.in_force", "contract", c.id, Some(audit_json(c)), Some(audit_json(&after)))
        .await?;
    let subject = service::subject(tx, &after).await?;
    let mut users = managers_of(tx, &after).await?;
    users.extend(party_managers(tx, after.counterparty_id).await?);
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::ContractSigned, &subject) };
    notifications::send(tx, now, &users, &notice).await?;
    collab::activity::record(tx, now, Some(viewer.user.id), &subject, "signed").await?;
    Ok(after)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentInput {
    /// Why the contract changes.
    #[serde(default)]
    pub reason: String,
    /// The approved change request that asks for it, if any.
    #[serde(default)]
    pub change_request_id: Option<Id>,
}

/// Opens an amendment of a contract in force: the working copy can be edited, then goes
/// through review and signing as the next version.
pub async fn amend(state: &AppState, viewer: &Viewer, id: i64, input: AmendmentInput) -> AppResult<contract::Model> {
    let c = load_to_manage(state, viewer, id).await?;
    let mut errors = FieldErrors::default();
    let reason = errors.take("reason", domain::text(&input.reason, true, 5_000));
    let change = match input.change_request_id {
        None => None,
        Some(Id(cr)) => {
            use crate::changes::entity::change_request;
            let engagements = engagement_ids(&state.db, c.id).await?;
            // Only a change the counterparty can see may be named in what it signs.
            let found = change_request::Entity::find_by_id(cr)
                .filter(change_request::Column::EngagementId.is_in(engagements))
                .filter(change_request::Column::State.eq(ChangeState::Approved.as_str()))
                .one(&state.db)
                .await?
                .filter(|f| crate::collab::party_sees(false, c.counterparty_id, &f.visibility, f.visible_party_id));
            if found.is_none() {
                errors.add("change_request_id", Msg::new("error-amendment-change"));
            }
            found.map(|f| f.id)
        }
    };
    errors.into_result()?;
    let tx = db::begin_write(&state.writer).await?;
    let c = super::lifecycle::reload(&tx, c.id).await?;
    let after = open_amendment(&tx, state, viewer, &c, reason.unwrap_or_default(), change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Opens an amendment inside the caller's transaction (also used when a change request that
/// touches a contract is approved).
pub(crate) async fn open_amendment(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    c: &contract::Model,
    reason: String,
    change_request_id: Option<i64>,
) -> AppResult<contract::Model> {
    if !state_of(c).in_force() {
        return Err(AppError::Conflict(Msg::new("error-amendment-not-in-force").arg("number", c.number.clone())));
    }
    if c.amendment_reason.is_some() {
        return Err(AppError::Conflict(Msg::new("error-amendment-open").arg("number", c.number.clone())));
    }
    let mut row: contract::ActiveModel = c.clone().into();
    row.amendment_reason = Set(Some(reason));
    row.amendment_change_request_id = Set(change_request_id);
    row.updated_at = Set(state.clock.now());
    let after = row.update(tx).await?;
    record(tx, state, viewer, "contract.amend", "contract", c.id, Some(audit_json(c)), Some(audit_json(&after)))
        .await?;
    Ok(after)
}

/// Opens an amendment, in the caller's transaction, on each contract in force of the change
/// request's engagement whose counterparty can see the change. Returns each contract touched
/// and whether an amendment was opened (false: one was open already).
pub(crate) async fn amend_for_change(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    cr: &crate::changes::entity::change_request::Model,
    reason: String,
) -> AppResult<Vec<(i64, bool)>> {
    use super::entity::contract_engagement;
    let ids: Vec<i64> = contract_engagement::Entity::find()
        .filter(contract_engagement::Column::EngagementId.eq(cr.engagement_id))
        .all(tx)
        .await?
        .into_iter()
        .map(|l| l.contract_id)
        .collect();
    let mut out = Vec::new();
    for c in contract::Entity::find()
        .filter(contract::Column::Id.is_in(ids))
        .order_by_asc(contract::Column::Id)
        .all(tx)
        .await?
    {
        if !state_of(&c).in_force()
            || !crate::collab::party_sees(false, c.counterparty_id, &cr.visibility, cr.visible_party_id)
        {
            continue;
        }
        if c.amendment_reason.is_some() {
            out.push((c.id, false));
            continue;
        }
        open_amendment(tx, state, viewer, &c, reason.clone(), Some(cr.id)).await?;
        out.push((c.id, true));
    }
    Ok(out)
}

/// Drops an open amendment: the working copy goes back to the version in force (header,
/// engagements, clauses, schedule); installments added since are removed. Not while a version
/// of it is out for review or signature (withdraw that first).
pub async fn abandon(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<contract::Model> {
    use super::{
        entity::{clause, contract_engagement, installment},
        versions::content_of,
    };
    load_to_manage(state, viewer, id).await?;
    let tx = db::begin_write(&state.writer).await?;
    let c = super::lifecycle::reload(&tx, id).await?;
    if c.amendment_reason.is_none() {
        return Err(AppError::Conflict(Msg::new("error-amendment-none").arg("number", c.number.clone())));
    }
    if service::pending_version(&tx, c.id).await?.is_some() {
        return Err(AppError::Conflict(Msg::new("error-contract-locked").arg("number", c.number.clone())));
    }
    let v = version::Entity::find()
        .filter(version::Column::ContractId.eq(c.id))
        .filter(version::Column::Number.eq(c.current_version))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = content_of(&v)?;
    let now = state.clock.now();
    let total =
        crate::money::parse_amount(&f.total).map_err(|_| AppError::Internal(anyhow::anyhow!("frozen total")))?;
    let mut row: contract::ActiveModel = c.clone().into();
    row.title = Set(f.title.clone());
    row.description = Set(f.description.clone());
    row.total_minor = Set(total);
    row.tax_rate_bp = Set(f.tax_rate_bp);
    row.tax_minor = Set(crate::money::tax_included(total, f.tax_rate_bp));
    row.start_date = Set(f.start_date);
    row.end_date = Set(f.end_date);
    row.amendment_reason = Set(None);
    row.amendment_change_request_id = Set(None);
    row.updated_at = Set(now);
    let after = row.update(&tx).await?;
    contract_engagement::Entity::delete_many()
        .filter(contract_engagement::Column::ContractId.eq(c.id))
        .exec(&tx)
        .await?;
    for e in &f.engagement_ids {
        contract_engagement::ActiveModel { contract_id: Set(c.id), engagement_id: Set(*e), ..Default::default() }
            .insert(&tx)
            .await?;
    }
    clause::Entity::delete_many().filter(clause::Column::ContractId.eq(c.id)).exec(&tx).await?;
    for k in &f.clauses {
        clause::ActiveModel {
            contract_id: Set(c.id),
            position: Set(k.position),
            kind: Set(k.kind.clone()),
            title: Set(k.title.clone()),
            body: Set(k.body.clone()),
            due_date: Set(k.due_date),
            amount_minor: Set(k.amount.as_deref().and_then(|a| crate::money::parse_amount(a).ok())),
            milestone_id: Set(k.milestone_id),
            deliverable_id: Set(k.deliverable_id),
            warranty_months: Set(k.warranty_months),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    for i in service::installments(&tx, c.id).await? {
        match f.installments.iter().find(|fi| fi.seq == i.seq) {
            Some(fi) => {
                let mut r: installment::ActiveModel = i.into();
                r.amount_minor = Set(crate::money::parse_amount(&fi.amount).unwrap_or(0).max(1));
                r.percent_bp = Set(fi.percent_bp);
                r.updated_at = Set(now);
                r.update(&tx).await?;
            }
            // Added by the amendment: never signed, so never due, invoiced or paid.
            None if i.state == "planned" && i.paid_minor == 0 => {
                installment::Entity::delete_by_id(i.id).exec(&tx).await?;
            }
            None => {}
        }
    }
    record(
        &tx,
        state,
        viewer,
        "contract.abandon_amendment",
        "contract",
        c.id,
        Some(audit_json(&c)),
        Some(audit_json(&after)),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
