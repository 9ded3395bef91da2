//! Payment disputes on the contract page: each installment's disputes with their outcome, and
//! the forms that raise, resolve and withdraw one.

use std::collections::HashMap;

use axum::{extract::State, response::Response};
use tower_sessions::Session;

use super::{
    detail_forms::{checked, finish},
    disputes::{self, DisputeInput, ResolveInput, disputable, may_dispute},
    entity::contract,
    service::money,
};
use crate::{
    AppState,
    auth::Viewer,
    error::{AppError, AppResult},
    parties::entity::party,
    web::{FormData, PageCtx, Path, local_time},
};

pub struct DisputeRow {
    pub id: i64,
    pub raised_by: String,
    pub reason: String,
    /// The sum contested; empty for the whole installment.
    pub amount: String,
    pub state: String,
    /// Whose fault it was, in words, once resolved.
    pub fault: String,
    pub resolution: String,
    pub raised_at: String,
    pub closed_at: String,
    pub can_resolve: bool,
    pub can_withdraw: bool,
}

/// What the page shows of a contract's disputes: the rows per installment, and whether the
/// viewer may raise one on this contract at all.
pub struct Disputes {
    pub by_installment: HashMap<i64, Vec<DisputeRow>>,
    pub may_raise: bool,
}

impl Disputes {
    pub fn take(&mut self, installment_id: i64) -> Vec<DisputeRow> {
        self.by_installment.remove(&installment_id).unwrap_or_default()
    }
}

pub async fn for_contract(
    state: &AppState,
    viewer: &Viewer,
    page: &PageCtx,
    c: &contract::Model,
) -> AppResult<Disputes> {
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
    let may = may_dispute(state, viewer, c).await?;
    let rows = disputes::of_contract(&state.db, c.id).await?;
    // The two sides by name: who raised each dispute, and whose fault a resolved one was.
    let parties: HashMap<i64, party::Model> = if rows.is_empty() {
        HashMap::new()
    } else {
        party::Entity::find()
            .filter(Condition::any().add(party::Column::Id.eq(c.counterparty_id)).add(party::Column::Kind.eq("host")))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    };
    let name = |id: i64| parties.get(&id).map(|p| p.name.clone()).unwrap_or_default();
    let host = parties.values().find(|p| p.kind == "host").map(|p| p.name.clone()).unwrap_or_default();
    let fault = |f: Option<&str>| match f {
        Some("counterparty") => page.t1("dispute-fault-by", "party", &name(c.counterparty_id)),
        Some("host") => page.t1("dispute-fault-by", "party", &host),
        Some(_) => page.t("dispute-fault-none"),
        None => String::new(),
    };
    let tz = &viewer.user.time_zone;
    let mut by_installment: HashMap<i64, Vec<DisputeRow>> = HashMap::new();
    for d in rows {
        let open = d.state == "open";
        by_installment.entry(d.installment_id).or_default().push(DisputeRow {
            id: d.id,
            raised_by: name(d.raised_by_party_id),
            amount: d.amount_minor.map(|m| money(c, m).display()).unwrap_or_default(),
            can_resolve: open && may && viewer.is_host(),
            can_withdraw: open && may && d.raised_by_party_id == viewer.party.id,
            fault: fault(d.fault.as_deref()),
            raised_at: local_time(d.created_at, tz),
            closed_at: d.closed_at.map(|t| local_time(t, tz)).unwrap_or_default(),
            reason: d.reason,
            state: d.state,
            resolution: d.resolution,
        });
    }
    Ok(Disputes { by_installment, may_raise: may && disputable(c) })
}

pub async fn raise(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, iid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let input = DisputeInput { reason: form.get("reason").to_owned(), amount: form.money("amount") };
    let result = async {
        checked(&state, &viewer, id, iid).await?;
        disputes::raise(&state, &viewer, iid, input).await
    }
    .await;
    let which = format!("dispute-{iid}");
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-dispute-raised", "schedule")).await
}

/// The dispute in the path belongs to the contract in the path (else 404).
async fn of_contract(state: &AppState, id: i64, did: i64) -> AppResult<()> {
    use sea_orm::EntityTrait;
    match super::entity::dispute::Entity::find_by_id(did).one(&state.db).await? {
        Some(d) if d.contract_id == id => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

pub async fn resolve(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, did)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let input = ResolveInput { fault: form.get("fault").to_owned(), resolution: form.get("resolution").to_owned() };
    let result = async {
        of_contract(&state, id, did).await?;
        disputes::resolve(&state, &viewer, did, input).await
    }
    .await;
    let which = format!("resolve-{did}");
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-dispute-resolved", "schedule")).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, did)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let result = async {
        of_contract(&state, id, did).await?;
        disputes::withdraw(&state, &viewer, did).await
    }
    .await;
    let which = format!("withdraw-{did}");
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-dispute-withdrawn", "schedule")).await
}
