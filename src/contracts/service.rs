//! Contracts between the host and one party: who sees them (the host and that party only), who
//! runs them, and the drafts made from decisions elsewhere. The header's checks are in `header`.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Value, json};

use super::entity::{contract, contract_engagement, installment, version};
use crate::{
    AppState,
    auth::Viewer,
    collab::{Subject, SubjectKind},
    db,
    domain::{ContractState, Role},
    engagements::service::{manages, record},
    error::{AppError, AppResult, Msg},
    money::{self, Money},
    users::entity::user,
};

pub use super::{
    header::{ContractInput, ContractUpdate, create, may_draft, next_review, parse_tax_rate, update},
    register::{Register, list, names},
};

pub const MAX_REVIEW_MONTHS: i32 = 24;
pub const MAX_NOTICE_DAYS: i32 = 365;
pub const MAX_TEXT: usize = 20_000;

pub fn state_of(c: &contract::Model) -> ContractState {
    ContractState::parse(&c.state).unwrap_or(ContractState::Draft)
}

pub fn total_of(c: &contract::Model) -> Money {
    Money { minor: c.total_minor, currency: c.currency.clone() }
}

pub fn money(c: &contract::Model, minor: i64) -> Money {
    Money { minor, currency: c.currency.clone() }
}

pub(crate) fn audit_json(c: &contract::Model) -> Value {
    json!({"number": c.number, "title": c.title, "direction": c.direction, "counterparty_id": c.counterparty_id,
           "total": total_of(c).dto(), "tax_rate_bp": c.tax_rate_bp, "state": c.state, "start_date": c.start_date,
           "end_date": c.end_date, "owner_id": c.owner_id, "host_signatory_id": c.host_signatory_id,
           "counterparty_signatory_id": c.counterparty_signatory_id, "legal_approver_id": c.legal_approver_id,
           "finance_approver_id": c.finance_approver_id, "review_every_months": c.review_every_months,
           "current_version": c.current_version, "amendment_reason": c.amendment_reason})
}

/// Contracts the viewer may see: every one for the host, its own party's for anyone else. A
/// vendor never sees the client's contract (and so never its price), nor the reverse.
pub fn scope(viewer: &Viewer) -> Condition {
    if viewer.is_host() {
        Condition::all()
    } else {
        Condition::all().add(contract::Column::CounterpartyId.eq(viewer.party.id))
    }
}

/// The other side of a contract as the viewer reads it, and the direction from their side: the
/// host reads its counterparty and the contract's own direction; the counterparty reads the host,
/// and what the host receives it pays (and the reverse).
pub async fn seen_from(state: &AppState, viewer: &Viewer, c: &contract::Model) -> AppResult<(i64, &'static str)> {
    let receivable = c.direction == "receivable";
    if viewer.is_host() {
        return Ok((c.counterparty_id, if receivable { "receivable" } else { "payable" }));
    }
    let host = crate::parties::service::host_ids(&state.db).await?.first().copied().unwrap_or(c.counterparty_id);
    Ok((host, if receivable { "payable" } else { "receivable" }))
}

/// One contract the viewer may see; 404 otherwise.
pub async fn load(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<contract::Model> {
    db::unique(contract::Entity::find_by_id(id).filter(scope(viewer)), &state.db).await?.ok_or(AppError::NotFound)
}

/// The first engagement (lowest id) of each of `contract_ids` that has one, in one read.
pub async fn first_engagements(db: &impl ConnectionTrait, contract_ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
    if contract_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let links: Vec<(i64, i64)> = contract_engagement::Entity::find()
        .select_only()
        .columns([contract_engagement::Column::ContractId, contract_engagement::Column::EngagementId])
        .filter(contract_engagement::Column::ContractId.is_in(contract_ids.iter().copied()))
        .order_by_desc(contract_engagement::Column::EngagementId)
        .into_tuple()
        .all(db)
        .await?;
    // Descending, so the lowest id of each contract is inserted last.
    Ok(links.into_iter().collect())
}

pub async fn engagement_ids(db: &impl ConnectionTrait, contract_id: i64) -> AppResult<Vec<i64>> {
    Ok(contract_engagement::Entity::find()
        .select_only()
        .column(contract_engagement::Column::EngagementId)
        .filter(contract_engagement::Column::ContractId.eq(contract_id))
        .order_by_asc(contract_engagement::Column::EngagementId)
        .into_tuple()
        .all(db)
        .await?)
}

/// Whether the viewer runs this contract: a host administrator or PM, or the PM of one of the
/// engagements it covers.
pub async fn may_manage(state: &AppState, viewer: &Viewer, c: &contract::Model) -> AppResult<bool> {
    if !viewer.is_host() {
        return Ok(false);
    }
    if viewer.can_manage_engagements() || c.owner_id == Some(viewer.user.id) {
        return Ok(true);
    }
    for e in engagement_ids(&state.db, c.id).await? {
        if manages(state, viewer, e).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Like `load`, for a change: visible (else 404) and run by the viewer (else 403).
pub async fn load_to_manage(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<contract::Model> {
    let c = load(state, viewer, id).await?;
    if !may_manage(state, viewer, &c).await? {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

/// Finance on the host side records invoices and payments and may approve an override.
pub fn is_finance(viewer: &Viewer) -> bool {
    viewer.is_host() && viewer.role == Role::Approver
}

/// The versions still waiting for reviews or signatures (at most one).
pub async fn pending_version(db: &impl ConnectionTrait, contract_id: i64) -> AppResult<Option<version::Model>> {
    Ok(version::Entity::find()
        .filter(version::Column::ContractId.eq(contract_id))
        .filter(version::Column::Status.is_in(["in_review", "approved"]))
        .order_by_desc(version::Column::Number)
        .one(db)
        .await?)
}

/// Whether the working copy (header, clauses, schedule) may be edited now: a draft, or an open
/// amendment, with no version out for review or signature.
pub async fn editable(db: &impl ConnectionTrait, c: &contract::Model) -> AppResult<bool> {
    let st = state_of(c);
    let open = st == ContractState::Draft || (c.amendment_reason.is_some() && st.in_force());
    Ok(open && pending_version(db, c.id).await?.is_none())
}

/// Like `load_to_manage`, and the working copy may be edited (else 409 saying why).
pub async fn load_to_edit(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<contract::Model> {
    let c = load_to_manage(state, viewer, id).await?;
    if !editable(&state.db, &c).await? {
        return Err(AppError::Conflict(Msg::new("error-contract-locked").arg("number", c.number.clone())));
    }
    Ok(c)
}

/// The contract as a record of collaboration (notifications, activity): it lives in the first
/// engagement it covers, seen by the host and the counterparty only.
pub async fn subject(db: &impl ConnectionTrait, c: &contract::Model) -> AppResult<Subject> {
    let engagement_id = engagement_ids(db, c.id).await?.first().copied().ok_or(AppError::NotFound)?;
    Ok(Subject {
        kind: SubjectKind::Contract,
        id: c.id,
        engagement_id,
        title: format!("{} {}", c.number, c.title),
        visibility: "party".to_owned(),
        visible_party_id: Some(c.counterparty_id),
    })
}

/// Ids of the host users who run a contract: its owner and the PMs of its engagements.
pub async fn managers_of(db: &impl ConnectionTrait, c: &contract::Model) -> AppResult<Vec<i64>> {
    let mut ids: Vec<i64> = c.owner_id.into_iter().collect();
    for e in engagement_ids(db, c.id).await? {
        ids.extend(crate::changes::service::managers_of(db, e).await?);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Active managers of a party (the people who speak for a vendor or a client).
pub async fn party_managers(db: &impl ConnectionTrait, party_id: i64) -> AppResult<Vec<i64>> {
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::PartyId.eq(party_id))
        .filter(user::Column::Role.eq("manager"))
        .filter(user::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?)
}

/// Installments of a contract in schedule order.
pub async fn installments(db: &impl ConnectionTrait, contract_id: i64) -> AppResult<Vec<installment::Model>> {
    Ok(installment::Entity::find()
        .filter(installment::Column::ContractId.eq(contract_id))
        .order_by_asc(installment::Column::Seq)
        .all(db)
        .await?)
}

/// Contracts whose clauses or schedule name a deliverable.
pub async fn naming_deliverable(db: &impl ConnectionTrait, deliverable_id: i64) -> AppResult<Vec<contract::Model>> {
    use super::entity::clause;
    let mut ids: Vec<i64> = clause::Entity::find()
        .select_only()
        .column(clause::Column::ContractId)
        .filter(clause::Column::DeliverableId.eq(deliverable_id))
        .into_tuple()
        .all(db)
        .await?;
    ids.extend(
        installment::Entity::find()
            .select_only()
            .column(installment::Column::ContractId)
            .filter(installment::Column::DeliverableId.eq(deliverable_id))
            .into_tuple::<i64>()
            .all(db)
            .await?,
    );
    Ok(contract::Entity::find().filter(contract::Column::Id.is_in(ids)).all(db).await?)
}

/// A draft contract made from something already decided (a selection's award): header only,
/// the rest is drafted on the contract's page.
pub(crate) struct Draft {
    pub number: String,
    pub title: String,
    pub description: String,
    pub counterparty_id: i64,
    pub currency: String,
    pub total_minor: i64,
    pub engagement_id: i64,
}

/// Stores a `Draft` (payable, 6 % VAT until edited) inside the caller's transaction; the number
/// gets a suffix when taken.
pub(crate) async fn insert_draft(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    d: Draft,
) -> AppResult<contract::Model> {
    let mut number = d.number.clone();
    let mut n = 1;
    while contract::Entity::find().filter(contract::Column::Number.eq(number.as_str())).count(tx).await? > 0 {
        n += 1;
        number = format!("{}-{n}", d.number);
    }
    let now = state.clock.now();
    let tax_rate = 600;
    let c = contract::ActiveModel {
        number: Set(number),
        title: Set(d.title),
        description: Set(d.description),
        direction: Set("payable".to_owned()),
        counterparty_id: Set(d.counterparty_id),
        currency: Set(d.currency),
        total_minor: Set(d.total_minor),
        tax_rate_bp: Set(tax_rate),
        tax_minor: Set(money::tax_included(d.total_minor, tax_rate)),
        state: Set(ContractState::Draft.as_str().to_owned()),
        start_date: Set(None),
        end_date: Set(None),
        owner_id: Set(Some(viewer.user.id)),
        host_signatory_id: Set(None),
        counterparty_signatory_id: Set(None),
        legal_approver_id: Set(None),
        finance_approver_id: Set(None),
        review_every_months: Set(0),
        next_review_on: Set(None),
        renewal_notice_days: Set(30),
        current_version: Set(0),
        amendment_reason: Set(None),
        amendment_change_request_id: Set(None),
        terminated_reason: Set(String::new()),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    super::header::link_engagements(tx, c.id, &[d.engagement_id]).await?;
    let mut after = audit_json(&c);
    after["engagement_ids"] = json!([d.engagement_id]);
    record(tx, state, viewer, "contract.create", "contract", c.id, None, Some(after)).await?;
    Ok(c)
}
