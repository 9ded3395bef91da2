//! A contract's life: submitting the working copy freezes a version (content + SHA-256) that
//! the named legal and finance reviewers approve or return; both sides sign that exact
//! version after re-entering their password; amendments open the working copy again and go
//! through the same steps; termination settles what is still open.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set, sea_query::Expr,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    clauses,
    entity::{contract, installment, obligation, review, version},
    payments,
    service::{self, audit_json, load, load_to_edit, load_to_manage, managers_of, pending_version, state_of},
    versions::freeze,
};
use crate::{
    AppState,
    auth::{Viewer, tokens::sha256_hex},
    collab::{
        self,
        notifications::{self, Kind, Notice},
    },
    db,
    domain::{self, ContractState},
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
    money::format_amount,
};

pub(crate) use super::signing::amend_for_change;
pub use super::{
    signing::{AmendmentInput, amend, may_sign, sign},
    versions::{
        DiffLine, FrozenContract, content_of, diff, previous, reviews, signatures, version_by_number, versions,
    },
};

/// A contract as it stands inside the caller's write transaction.
pub(crate) async fn reload(tx: &DatabaseTransaction, id: i64) -> AppResult<contract::Model> {
    contract::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)
}

/// The review capacities a contract asks for, with the named reviewer of each.
pub fn capacities(c: &contract::Model) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    if let Some(u) = c.legal_approver_id {
        out.push(("legal", u));
    }
    if let Some(u) = c.finance_approver_id {
        out.push(("finance", u));
    }
    out
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// in_review (submit) | draft (withdraw) | signed (sign for your side, with `password`) |
    /// active | completed | terminated (with a `comment` giving the reason) | archived
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub comment: Option<String>,
    /// Only for `signed`.
    #[serde(default)]
    pub password: Option<String>,
}

/// The states a manager may move a contract to by hand now.
pub fn next_states(c: &contract::Model) -> Vec<ContractState> {
    use ContractState::*;
    match state_of(c) {
        Draft => vec![InReview, Archived],
        InReview => vec![Draft],
        Signed => vec![Active, Terminated],
        Active | Amended => vec![Completed, Terminated],
        Completed | Terminated => vec![Archived],
        Archived => vec![],
    }
}

pub async fn transition(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: TransitionInput,
) -> AppResult<contract::Model> {
    // A contract the viewer may not see answers 404 whatever the body says.
    load(state, viewer, id).await?;
    let mut errors = FieldErrors::default();
    let to = errors.take("to", ContractState::parse(&input.to));
    let comment = errors.take("comment", domain::text(input.comment.as_deref().unwrap_or(""), false, 5_000));
    errors.into_result()?;
    let (Some(to), Some(comment)) = (to, comment) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated transition is incomplete")));
    };
    match to {
        ContractState::Signed => return sign(state, viewer, id, input.password.as_deref().unwrap_or("")).await,
        ContractState::InReview => return submit(state, viewer, id).await,
        ContractState::Draft => return withdraw(state, viewer, id).await,
        _ => {}
    }
    load_to_manage(state, viewer, id).await?;
    if to == ContractState::Terminated && comment.is_empty() {
        let mut errors = FieldErrors::default();
        errors.add("comment", Msg::new("error-termination-reason"));
        return Err(AppError::Validation(errors));
    }
    let tx = db::begin_write(&state.writer).await?;
    // The state as it is now, under the write lock: a move decided on a stale read could revive
    // a contract terminated a moment ago.
    let c = reload(&tx, id).await?;
    let from = state_of(&c);
    if !next_states(&c).contains(&to) {
        return Err(AppError::Conflict(
            Msg::new("error-contract-transition").arg("from", from.as_str()).arg("to", to.as_str()),
        ));
    }
    if to == ContractState::Completed {
        let open = service::installments(&tx, c.id)
            .await?
            .into_iter()
            .filter(|i| !matches!(i.state.as_str(), "paid" | "cancelled"))
            .count();
        if open > 0 {
            return Err(AppError::Conflict(Msg::new("error-contract-open-installments").arg("count", open)));
        }
    }
    let now = state.clock.now();
    let mut row: contract::ActiveModel = c.clone().into();
    row.state = Set(to.as_str().to_owned());
    row.updated_at = Set(now);
    if to == ContractState::Terminated {
        row.terminated_reason = Set(comment.clone());
        row.amendment_reason = Set(None);
        row.amendment_change_request_id = Set(None);
    }
    let after = row.update(&tx).await?;
    if to == ContractState::Terminated {
        settle_on_termination(&tx, state, viewer, &after).await?;
    }
    if to.in_force() {
        payments::refresh_due(&tx, state, &after).await?;
    }
    let mut audit_after = audit_json(&after);
    audit_after["comment"] = json!(comment);
    record(&tx, state, viewer, "contract.transition", "contract", c.id, Some(audit_json(&c)), Some(audit_after))
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Termination settles what is open: every installment not paid in full is cancelled (its
/// payments stay recorded), open obligations are waived, a version out for review is returned.
async fn settle_on_termination(
    tx: &DatabaseTransaction,
    state: &AppState,
    viewer: &Viewer,
    c: &contract::Model,
) -> AppResult<()> {
    let now = state.clock.now();
    let open: Vec<installment::Model> = service::installments(tx, c.id)
        .await?
        .into_iter()
        .filter(|i| !matches!(i.state.as_str(), "paid" | "cancelled"))
        .collect();
    for i in &open {
        let mut row: installment::ActiveModel = i.clone().into();
        row.state = Set("cancelled".into());
        row.updated_at = Set(now);
        row.update(tx).await?;
        let outstanding = format_amount(i.amount_minor - i.paid_minor);
        let after = json!({"seq": i.seq, "state": "cancelled", "paid": format_amount(i.paid_minor),
                           "cancelled_outstanding": outstanding});
        record(
            tx,
            state,
            viewer,
            "installment.cancel",
            "installment",
            i.id,
            Some(json!({"state": i.state})),
            Some(after),
        )
        .await?;
    }
    obligation::Entity::update_many()
        .col_expr(obligation::Column::Status, Expr::value("waived"))
        .col_expr(obligation::Column::Note, Expr::value(format!("{}: {}", c.number, c.terminated_reason)))
        .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
        .filter(obligation::Column::ContractId.eq(c.id))
        .filter(obligation::Column::Status.eq("open"))
        .exec(tx)
        .await?;
    version::Entity::update_many()
        .col_expr(version::Column::Status, Expr::value("returned"))
        .col_expr(version::Column::DecidedAt, Expr::value(Some(now)))
        .filter(version::Column::ContractId.eq(c.id))
        .filter(version::Column::Status.is_in(["in_review", "approved"]))
        .exec(tx)
        .await?;
    Ok(())
}

/// Freezes the working copy as the next version and sends it to the reviewers (or straight to
/// signing when the contract names none).
pub async fn submit(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<contract::Model> {
    load_to_edit(state, viewer, id).await?;
    let tx = db::begin_write(&state.writer).await?;
    let c = reload(&tx, id).await?;
    if !super::service::editable(&tx, &c).await? {
        return Err(AppError::Conflict(Msg::new("error-contract-locked").arg("number", c.number.clone())));
    }
    if clauses::list(state, c.id).await?.is_empty() {
        return Err(AppError::Conflict(Msg::new("error-contract-no-clauses")));
    }
    let frozen = freeze(&tx, &c).await?;
    let content = serde_json::to_string(&frozen).map_err(|e| AppError::Internal(e.into()))?;
    let latest: Option<i32> = version::Entity::find()
        .select_only()
        .column_as(version::Column::Number.max(), "m")
        .filter(version::Column::ContractId.eq(c.id))
        .into_tuple::<Option<i32>>()
        .one(&tx)
        .await?
        .flatten();
    let reviewers = capacities(&c);
    let now = state.clock.now();
    let v = version::ActiveModel {
        contract_id: Set(c.id),
        number: Set(latest.unwrap_or(0) + 1),
        status: Set(if reviewers.is_empty() { "approved" } else { "in_review" }.to_owned()),
        content_sha256: Set(sha256_hex(&content)),
        content: Set(content),
        reason: Set(c.amendment_reason.clone().unwrap_or_default()),
        change_request_id: Set(c.amendment_change_request_id),
        submitted_by: Set(viewer.user.id),
        submitted_at: Set(now),
        decided_at: Set(reviewers.is_empty().then_some(now)),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let mut row: contract::ActiveModel = c.clone().into();
    if state_of(&c) == ContractState::Draft {
        row.state = Set(ContractState::InReview.as_str().to_owned());
    }
    row.updated_at = Set(now);
    let after = row.update(&tx).await?;
    let audit = json!({"number": v.number, "status": v.status, "content_sha256": v.content_sha256, "reason": v.reason});
    record(&tx, state, viewer, "contract.submit", "contract", c.id, Some(audit_json(&c)), Some(audit)).await?;
    let subject = service::subject(&tx, &after).await?;
    let users: Vec<i64> = reviewers.iter().map(|(_, u)| *u).collect();
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::ContractReview, &subject) };
    notifications::send(&tx, now, &users, &notice).await?;
    collab::activity::record(&tx, now, Some(viewer.user.id), &subject, "submitted").await?;
    tx.commit().await?;
    Ok(after)
}

/// Takes a version back from review or signing, so the working copy can be edited again.
pub async fn withdraw(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<contract::Model> {
    load_to_manage(state, viewer, id).await?;
    let tx = db::begin_write(&state.writer).await?;
    let c = reload(&tx, id).await?;
    let Some(v) = pending_version(&tx, c.id).await? else {
        return Err(AppError::Conflict(
            Msg::new("error-contract-transition").arg("from", c.state.clone()).arg("to", "draft"),
        ));
    };
    let after = return_version(&tx, state, &c, &v).await?;
    record(&tx, state, viewer, "contract.withdraw", "contract", c.id, Some(json!({"number": v.number})), None).await?;
    tx.commit().await?;
    Ok(after)
}

async fn return_version(
    tx: &DatabaseTransaction,
    state: &AppState,
    c: &contract::Model,
    v: &version::Model,
) -> AppResult<contract::Model> {
    let now = state.clock.now();
    let mut vr: version::ActiveModel = v.clone().into();
    vr.status = Set("returned".into());
    vr.decided_at = Set(Some(now));
    vr.update(tx).await?;
    let mut row: contract::ActiveModel = c.clone().into();
    if state_of(c) == ContractState::InReview {
        row.state = Set(ContractState::Draft.as_str().to_owned());
    }
    row.updated_at = Set(now);
    Ok(row.update(tx).await?)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// approve | return
    #[serde(default)]
    pub decision: String,
    /// Required to return a version.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A named reviewer approves the version under review or returns it with comments.
pub async fn review(state: &AppState, viewer: &Viewer, id: i64, input: ReviewInput) -> AppResult<contract::Model> {
    let c = load(state, viewer, id).await?;
    let mine: Vec<&'static str> =
        capacities(&c).into_iter().filter(|(_, u)| *u == viewer.user.id).map(|(cap, _)| cap).collect();
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let decision = match input.decision.trim() {
        d @ ("approve" | "return") => Some(d.to_owned()),
        "" => {
            errors.add("decision", Msg::new("error-required"));
            None
        }
        _ => {
            errors.add("decision", Msg::new("error-decision"));
            None
        }
    };
    let comment = errors.take("comment", domain::text(input.comment.as_deref().unwrap_or(""), false, 5_000));
    if decision.as_deref() == Some("return") && comment.as_deref().is_some_and(str::is_empty) {
        errors.add("comment", Msg::new("error-return-comment"));
    }
    errors.into_result()?;
    let (Some(decision), Some(comment)) = (decision, comment) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated review is incomplete")));
    };
    let tx = db::begin_write(&state.writer).await?;
    let v = pending_version(&tx, c.id)
        .await?
        .filter(|v| v.status == "in_review")
        .ok_or(AppError::Conflict(Msg::new("error-contract-not-in-review")))?;
    let done: Vec<review::Model> = review::Entity::find().filter(review::Column::VersionId.eq(v.id)).all(&tx).await?;
    let todo: Vec<&str> = mine.iter().copied().filter(|cap| !done.iter().any(|r| r.capacity == *cap)).collect();
    if todo.is_empty() {
        return Err(AppError::Conflict(Msg::new("error-contract-reviewed-already")));
    }
    let now = state.clock.now();
    for cap in &todo {
        review::ActiveModel {
            version_id: Set(v.id),
            user_id: Set(viewer.user.id),
            capacity: Set((*cap).to_owned()),
            decision: Set(decision.clone()),
            comment: Set(comment.clone()),
            decided_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    let after = if decision == "return" {
        return_version(&tx, state, &c, &v).await?
    } else {
        let approved: Vec<&str> =
            done.iter().filter(|r| r.decision == "approve").map(|r| r.capacity.as_str()).chain(todo.clone()).collect();
        if capacities(&c).iter().all(|(cap, _)| approved.contains(cap)) {
            let mut vr: version::ActiveModel = v.clone().into();
            vr.status = Set("approved".into());
            vr.decided_at = Set(Some(now));
            vr.update(&tx).await?;
        }
        c.clone()
    };
    let audit = json!({"version": v.number, "capacities": todo, "decision": decision, "comment": comment});
    record(&tx, state, viewer, "contract.review", "contract", c.id, None, Some(audit)).await?;
    let subject = service::subject(&tx, &after).await?;
    let notice = Notice { actor_id: Some(viewer.user.id), ..Notice::new(Kind::ContractReviewed, &subject) };
    notifications::send(&tx, now, &managers_of(&tx, &c).await?, &notice).await?;
    tx.commit().await?;
    Ok(after)
}
