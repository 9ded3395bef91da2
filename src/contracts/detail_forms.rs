//! The forms posted from a contract's page: each calls its service and settles back on the
//! page (success flashes, a user-caused error shows the page again with that form's errors).

use axum::{extract::State, response::Response};
use sea_orm::EntityTrait;
use tower_sessions::Session;

use super::{
    clauses::{self, ClauseInput},
    detail_pages::{Forms, detail_page},
    lifecycle::{self, AmendmentInput, ReviewInput, TransitionInput},
    obligations::{self, CheckupInput, ObligationInput, ObligationUpdate},
    payments::{self, InstallmentInput, InvoiceInput, OverrideInput, PaymentInput, TriggerInput},
};
use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    engagements::pages::settle,
    error::AppResult,
    web::{FormData, PageCtx, Path},
};

/// Settles a form posted on the contract page: back to the page (at `anchor`) on success, the
/// page with this form's errors otherwise.
pub(super) async fn finish<T>(
    (state, viewer, page, session): (&AppState, &Viewer, PageCtx, &Session),
    id: i64,
    form: &FormData,
    result: AppResult<T>,
    (which, success, anchor): (&str, &str, &str),
) -> AppResult<Response> {
    settle((page, session), form, result, (success, format!("/contracts/{id}#{anchor}")), |page, f| {
        detail_page(state, viewer, page, id, Forms::posted(which, f))
    })
    .await
}

pub async fn add_clause(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = ClauseInput {
        kind: form.get("kind").to_owned(),
        title: form.opt("title"),
        body: form.opt("body"),
        template: form.opt("template"),
        due_date: form.opt("due_date"),
        amount: form.money("amount"),
        milestone_id: form.id("milestone_id"),
        deliverable_id: form.id("deliverable_id"),
        warranty_months: form
            .opt("warranty_months")
            .and_then(|m| m.parse().ok())
            .or_else(|| form.opt("warranty_months").map(|_| -1)),
        owed_by: form.opt("owed_by"),
    };
    let result = clauses::add(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("clause", "flash-clause-added", "clauses")).await
}

pub async fn remove_clause(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, clause_id)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let result = clauses::remove(&state, &viewer, id, clause_id).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("clause", "flash-clause-removed", "clauses")).await
}

pub async fn transition(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input =
        TransitionInput { to: form.get("to").to_owned(), comment: form.opt("comment"), password: form.opt("password") };
    let result = lifecycle::transition(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("transition", "flash-contract-moved", "top")).await
}

pub async fn review(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = ReviewInput { decision: form.get("decision").to_owned(), comment: form.opt("comment") };
    let result = lifecycle::review(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("review", "flash-contract-reviewed", "signing")).await
}

pub async fn sign(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let result = lifecycle::sign(&state, &viewer, id, form.get("password")).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("sign", "flash-contract-signed", "signing")).await
}

pub async fn amend(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input =
        AmendmentInput { reason: form.get("reason").to_owned(), change_request_id: form.id("change_request_id") };
    let result = lifecycle::amend(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("amend", "flash-amendment-opened", "top")).await
}

pub async fn add_installment(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let (deliverable_id, milestone_id) = match form.opt("target") {
        Some(t) if t.starts_with('m') => (None, t.get(1..).and_then(|v| crate::domain::parse_id(v).ok()).map(Id)),
        Some(t) => (t.get(1..).and_then(|v| crate::domain::parse_id(v).ok()).map(Id), None),
        None => (None, None),
    };
    let input = InstallmentInput {
        name: form.get("name").to_owned(),
        kind: form.opt("kind"),
        amount: form.money("amount"),
        percent: form.opt("percent"),
        trigger: Some(TriggerInput {
            kind: form.get("trigger_kind").to_owned(),
            date: form.opt("trigger_date"),
            deliverable_id,
            milestone_id,
            stage: form.opt("stage"),
        }),
        expected_on: form.opt("expected_on"),
    };
    let result = payments::add(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("installment", "flash-installment-added", "schedule"))
        .await
}

pub async fn add_invoice(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, iid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let input = InvoiceInput {
        number: form.get("number").to_owned(),
        amount: form.money("amount"),
        issued_on: form.get("issued_on").to_owned(),
        document_id: form.id("document_id"),
    };
    let result = checked(&state, &viewer, id, iid).await;
    let result = match result {
        Ok(()) => payments::add_invoice(&state, &viewer, iid, input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    let which = format!("invoice-{iid}");
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-invoice-recorded", "schedule")).await
}

pub async fn add_payment(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, iid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let input = PaymentInput {
        amount: form.money("amount"),
        paid_on: form.get("paid_on").to_owned(),
        reference: form.opt("reference"),
        document_id: form.id("document_id"),
    };
    let result = match checked(&state, &viewer, id, iid).await {
        Ok(()) => payments::add_payment(&state, &viewer, iid, input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    let which = format!("payment-{iid}");
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-payment-recorded", "schedule")).await
}

pub async fn override_due(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, iid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let input = OverrideInput { reason: form.get("reason").to_owned() };
    let result = match checked(&state, &viewer, id, iid).await {
        Ok(()) => payments::override_due(&state, &viewer, iid, input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    let which = format!("override-{iid}");
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-installment-overridden", "schedule"))
        .await
}

/// The installment in the path belongs to the contract in the path (else 404).
pub(super) async fn checked(state: &AppState, viewer: &Viewer, id: i64, iid: i64) -> AppResult<()> {
    let (c, _) = payments::load_installment(state, viewer, iid).await?;
    if c.id == id { Ok(()) } else { Err(crate::error::AppError::NotFound) }
}

pub async fn add_obligation(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = ObligationInput {
        title: form.get("title").to_owned(),
        description: form.opt("description"),
        owed_by: form.get("owed_by").to_owned(),
        due_date: form.get("due_date").to_owned(),
    };
    let result = obligations::add(&state, &viewer, id, input).await;
    finish(
        (&state, &viewer, page, &session),
        id,
        &form,
        result,
        ("obligation", "flash-obligation-added", "obligations"),
    )
    .await
}

pub async fn obligation_status(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path((id, oid)): Path<(i64, i64)>,
    form: FormData,
) -> AppResult<Response> {
    let o = super::entity::obligation::Entity::find_by_id(oid).one(&state.db).await?;
    if o.is_none_or(|o| o.contract_id != id) {
        return Err(crate::error::AppError::NotFound);
    }
    let input = ObligationUpdate { status: form.get("status").to_owned(), note: form.opt("note") };
    let result = obligations::update(&state, &viewer, oid, input).await;
    let which = format!("obligation-{oid}");
    finish((&state, &viewer, page, &session), id, &form, result, (&which, "flash-obligation-updated", "obligations"))
        .await
}

pub async fn add_checkup(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let input = CheckupInput {
        held_on: form.opt("held_on"),
        rating: form.get("rating").to_owned(),
        findings: form.get("findings").to_owned(),
        actions: form.opt("actions"),
    };
    let result = obligations::add_checkup(&state, &viewer, id, input).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("checkup", "flash-checkup-recorded", "checkups"))
        .await
}

pub async fn abandon_amendment(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    let result = super::signing::abandon(&state, &viewer, id).await;
    finish((&state, &viewer, page, &session), id, &form, result, ("abandon", "flash-amendment-abandoned", "top")).await
}
