//! Invoices and payments against an installment that is due: in the contract's currency, never
//! more than is owed (partial payments allowed), with a document of the contract's engagements
//! as evidence; recorded by the contract's managers or the host's finance approvers.

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    entity::{contract, installment, invoice, payment},
    payments::{audit_json, load_installment, reload, signed_amounts},
    service::{self, is_finance, may_manage},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::{self, Id, InstallmentState},
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{Money, MoneyDto, format_amount},
};
/// Who records invoices and payments: the contract's managers and the host's finance approvers.
async fn load_for_money(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> AppResult<(contract::Model, installment::Model)> {
    let (c, i) = load_installment(state, viewer, id).await?;
    if !(is_finance(viewer) || may_manage(state, viewer, &c).await?) {
        return Err(AppError::Forbidden);
    }
    Ok((c, i))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceInput {
    /// The invoice number (发票号码).
    #[serde(default)]
    pub number: String,
    /// Defaults to what is not invoiced yet.
    #[serde(default)]
    pub amount: Option<MoneyDto>,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub issued_on: String,
    /// The invoice as a document of one of the contract's engagements.
    #[serde(default)]
    pub document_id: Option<Id>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// Defaults to what is still unpaid.
    #[serde(default)]
    pub amount: Option<MoneyDto>,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub paid_on: String,
    /// Bank reference (流水号).
    #[serde(default)]
    pub reference: Option<String>,
    /// The bank slip as a document of one of the contract's engagements.
    #[serde(default)]
    pub document_id: Option<Id>,
}

/// The money of an invoice or payment: in the contract's currency, positive, at most `left`.
fn check_part(c: &contract::Model, given: Option<&MoneyDto>, left: i64, errors: &mut FieldErrors) -> Option<i64> {
    let minor = match given {
        None => left,
        Some(a) => {
            let m = errors.take("amount", Money::try_from(a))?;
            if m.currency != c.currency {
                errors.add("amount", Msg::new("error-currency-mismatch").arg("currency", &c.currency));
                return None;
            }
            m.minor
        }
    };
    if minor <= 0 {
        errors.add("amount", Msg::new("error-amount-positive"));
        None
    } else if minor > left {
        errors.add("amount", Msg::new("error-amount-exceeds").arg("left", service::money(c, left).display()));
        None
    } else {
        Some(minor)
    }
}

async fn check_document(
    state: &AppState,
    viewer: &Viewer,
    c: &contract::Model,
    id: Option<Id>,
    errors: &mut FieldErrors,
) -> AppResult<Option<i64>> {
    let Some(Id(d)) = id else { return Ok(None) };
    let engagements = service::engagement_ids(&state.db, c.id).await?;
    // A document filed with money both sides see must be one the counterparty can see too.
    let ok = match crate::documents::service::one(state, viewer, d).await {
        Ok((doc, _)) => {
            engagements.contains(&doc.engagement_id)
                && crate::collab::party_sees(false, c.counterparty_id, &doc.visibility, doc.visible_party_id)
        }
        Err(AppError::NotFound) => false,
        Err(e) => return Err(e),
    };
    if !ok {
        errors.add("document_id", Msg::new("error-document"));
    }
    Ok(Some(d))
}

/// Money may only be invoiced or paid once it is due: never on a planned installment.
fn check_payable(i: &installment::Model) -> AppResult<()> {
    match i.state.as_str() {
        "due" | "invoiced" => Ok(()),
        "planned" => Err(AppError::Conflict(Msg::new("error-installment-not-due"))),
        s => Err(AppError::Conflict(Msg::new("error-installment-state").arg("state", s.to_owned()))),
    }
}

/// The installment inside the write transaction, payable now, and what may still be paid on it:
/// never more than the version in force says it is worth.
async fn payable(tx: &DatabaseTransaction, id: i64) -> AppResult<(contract::Model, installment::Model, i64)> {
    let (c, i) = reload(tx, id).await?;
    check_payable(&i)?;
    let signed = signed_amounts(tx, &c).await?.get(&i.seq).copied().unwrap_or(0);
    Ok((c, i.clone(), signed.min(i.amount_minor)))
}

pub async fn add_invoice(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: InvoiceInput,
) -> AppResult<(installment::Model, invoice::Model)> {
    let (c, i) = load_for_money(state, viewer, id).await?;
    check_payable(&i)?;
    let mut errors = FieldErrors::default();
    let number = errors.take("number", domain::text(&input.number, true, 100));
    let issued = errors.take("issued_on", domain::parse_date(&input.issued_on));
    let document = check_document(state, viewer, &c, input.document_id, &mut errors).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let (c, i, worth) = payable(&tx, i.id).await?;
    let amount = check_part(&c, input.amount.as_ref(), worth - i.invoiced_minor, &mut errors);
    errors.into_result()?;
    let (Some(number), Some(amount), Some(issued)) = (number, amount, issued) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated invoice is incomplete")));
    };
    let inv = invoice::ActiveModel {
        installment_id: Set(i.id),
        number: Set(number),
        amount_minor: Set(amount),
        issued_on: Set(issued),
        document_id: Set(document),
        recorded_by: Set(viewer.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let before = audit_json(&i);
    let mut row: installment::ActiveModel = i.clone().into();
    row.invoiced_minor = Set(i.invoiced_minor + amount);
    if i.state == "due" {
        row.state = Set(InstallmentState::Invoiced.as_str().to_owned());
    }
    row.updated_at = Set(now);
    let after = row.update(&tx).await?;
    let mut audit = audit_json(&after);
    audit["invoice"] = json!({"number": inv.number, "amount": format_amount(amount), "issued_on": issued});
    record(&tx, state, viewer, "installment.invoice", "installment", after.id, Some(before), Some(audit)).await?;
    tx.commit().await?;
    Ok((after, inv))
}

pub async fn add_payment(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: PaymentInput,
) -> AppResult<(installment::Model, payment::Model)> {
    let (c, i) = load_for_money(state, viewer, id).await?;
    check_payable(&i)?;
    let mut errors = FieldErrors::default();
    let paid_on = errors.take("paid_on", domain::parse_date(&input.paid_on));
    let reference = errors.take("reference", domain::text(input.reference.as_deref().unwrap_or(""), false, 100));
    let document = check_document(state, viewer, &c, input.document_id, &mut errors).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let (c, i, worth) = payable(&tx, i.id).await?;
    let amount = check_part(&c, input.amount.as_ref(), worth - i.paid_minor, &mut errors);
    errors.into_result()?;
    let (Some(amount), Some(paid_on), Some(reference)) = (amount, paid_on, reference) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated payment is incomplete")));
    };
    let pay = payment::ActiveModel {
        installment_id: Set(i.id),
        reference: Set(reference),
        amount_minor: Set(amount),
        paid_on: Set(paid_on),
        document_id: Set(document),
        recorded_by: Set(viewer.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let before = audit_json(&i);
    let paid = i.paid_minor + amount;
    let mut row: installment::ActiveModel = i.clone().into();
    row.paid_minor = Set(paid);
    if paid == worth {
        row.state = Set(InstallmentState::Paid.as_str().to_owned());
    }
    row.updated_at = Set(now);
    let after = row.update(&tx).await?;
    let mut audit = audit_json(&after);
    audit["payment"] = json!({"amount": format_amount(amount), "paid_on": paid_on, "reference": pay.reference});
    record(&tx, state, viewer, "installment.payment", "installment", after.id, Some(before), Some(audit)).await?;
    tx.commit().await?;
    Ok((after, pay))
}

pub async fn invoices_of(state: &AppState, ids: Vec<i64>) -> AppResult<Vec<invoice::Model>> {
    Ok(invoice::Entity::find()
        .filter(invoice::Column::InstallmentId.is_in(ids))
        .order_by_asc(invoice::Column::IssuedOn)
        .all(&state.db)
        .await?)
}

pub async fn payments_of(state: &AppState, ids: Vec<i64>) -> AppResult<Vec<payment::Model>> {
    Ok(payment::Entity::find()
        .filter(payment::Column::InstallmentId.is_in(ids))
        .order_by_asc(payment::Column::PaidOn)
        .all(&state.db)
        .await?)
}
