//! A contract's life: submitting the working copy freezes a version (content + SHA-256) that
//! the named legal and finance reviewers approve or return; both sides sign that exact
//! version after re-entering their password; amendments open the working copy again and go
//! through the same steps; termination settles what is still open.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use similar::{ChangeTag, TextDiff};

use super::{
    clauses,
    entity::{contract, installment, obligation, review, signature, version},
    payments,
    service::{
        self, audit_json, engagement_ids, load, load_to_edit, load_to_manage, managers_of, may_manage, party_managers,
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
    money::{format_amount, format_percent},
    parties::entity::party,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenClause {
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub due_date: Option<chrono::NaiveDate>,
    pub amount: Option<String>,
    pub milestone_id: Option<i64>,
    pub deliverable_id: Option<i64>,
    pub warranty_months: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenInstallment {
    pub seq: i32,
    pub name: String,
    pub kind: String,
    pub amount: String,
    pub percent_bp: Option<i32>,
    pub trigger_kind: String,
    pub trigger_date: Option<chrono::NaiveDate>,
    pub deliverable_id: Option<i64>,
    pub milestone_id: Option<i64>,
    pub stage: Option<String>,
}

/// Exactly what is reviewed, hashed and signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FrozenContract {
    pub number: String,
    pub title: String,
    pub description: String,
    pub direction: String,
    pub counterparty_id: i64,
    pub counterparty: String,
    pub currency: String,
    pub total: String,
    pub tax_rate_bp: i32,
    pub tax: String,
    pub start_date: Option<chrono::NaiveDate>,
    pub end_date: Option<chrono::NaiveDate>,
    pub engagement_ids: Vec<i64>,
    pub clauses: Vec<FrozenClause>,
    pub installments: Vec<FrozenInstallment>,
}

pub fn content_of(v: &version::Model) -> AppResult<FrozenContract> {
    serde_json::from_str(&v.content).map_err(|e| AppError::Internal(e.into()))
}

async fn freeze(tx: &DatabaseTransaction, c: &contract::Model) -> AppResult<FrozenContract> {
    let counterparty = party::Entity::find_by_id(c.counterparty_id).one(tx).await?.map(|p| p.name).unwrap_or_default();
    let clauses = super::entity::clause::Entity::find()
        .filter(super::entity::clause::Column::ContractId.eq(c.id))
        .order_by_asc(super::entity::clause::Column::Position)
        .all(tx)
        .await?
        .into_iter()
        .map(|k| FrozenClause {
            position: k.position,
            kind: k.kind,
            title: k.title,
            body: k.body,
            due_date: k.due_date,
            amount: k.amount_minor.map(format_amount),
            milestone_id: k.milestone_id,
            deliverable_id: k.deliverable_id,
            warranty_months: k.warranty_months,
        })
        .collect();
    let installments = service::installments(tx, c.id)
        .await?
        .into_iter()
        .filter(|i| i.state != "cancelled")
        .map(|i| FrozenInstallment {
            seq: i.seq,
            name: i.name,
            kind: i.kind,
            amount: format_amount(i.amount_minor),
            percent_bp: i.percent_bp,
            trigger_kind: i.trigger_kind,
            trigger_date: i.trigger_date,
            deliverable_id: i.deliverable_id,
            milestone_id: i.milestone_id,
            stage: i.stage,
        })
        .collect();
    Ok(FrozenContract {
        number: c.number.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        direction: c.direction.clone(),
        counterparty_id: c.counterparty_id,
        counterparty,
        currency: c.currency.clone(),
        total: format_amount(c.total_minor),
        tax_rate_bp: c.tax_rate_bp,
        tax: format_amount(c.tax_minor),
        start_date: c.start_date,
        end_date: c.end_date,
        engagement_ids: engagement_ids(tx, c.id).await?,
        clauses,
        installments,
    })
}

/// The frozen content as lines of text, the form a diff between versions is read in.
pub fn lines(f: &FrozenContract) -> Vec<String> {
    let mut out = vec![
        format!("{} · {}", f.number, f.title),
        format!("{} · {}", f.direction, f.counterparty),
        format!("{} {} · VAT {} % · {} {}", f.currency, f.total, format_percent(f.tax_rate_bp), f.currency, f.tax),
        format!(
            "{} – {}",
            f.start_date.map(|d| d.to_string()).unwrap_or_default(),
            f.end_date.map(|d| d.to_string()).unwrap_or_default()
        ),
    ];
    out.extend(f.description.lines().map(str::to_owned));
    for (i, k) in f.clauses.iter().enumerate() {
        out.push(format!("§{} [{}] {}", i + 1, k.kind, k.title));
        out.extend(k.body.lines().map(|l| format!("  {l}")));
        let mut facts = Vec::new();
        if let Some(d) = k.due_date {
            facts.push(format!("date {d}"));
        }
        if let Some(a) = &k.amount {
            facts.push(format!("{} {a}", f.currency));
        }
        if let Some(m) = k.warranty_months {
            facts.push(format!("warranty {m} months"));
        }
        if !facts.is_empty() {
            out.push(format!("  ({})", facts.join(", ")));
        }
    }
    for i in &f.installments {
        let share = i.percent_bp.map(|p| format!(" ({} %)", format_percent(p))).unwrap_or_default();
        let trigger = match (i.trigger_kind.as_str(), i.trigger_date, &i.stage) {
            ("date", Some(d), _) => format!("on {d}"),
            ("acceptance", _, Some(s)) => format!("on {s} acceptance"),
            ("warranty_end", _, _) => "when the warranty ends".to_owned(),
            (k, _, _) => k.to_owned(),
        };
        out.push(format!("#{} {} [{}] {} {}{share} · {trigger}", i.seq, i.name, i.kind, f.currency, i.amount));
    }
    out
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DiffLine {
    /// equal | insert | delete
    pub op: &'static str,
    pub text: String,
}

/// What changed from one version to the next, line by line.
pub fn diff(before: &FrozenContract, after: &FrozenContract) -> Vec<DiffLine> {
    let (a, b) = (lines(before).join("\n"), lines(after).join("\n"));
    TextDiff::from_lines(&a, &b)
        .iter_all_changes()
        .map(|c| DiffLine {
            op: match c.tag() {
                ChangeTag::Equal => "equal",
                ChangeTag::Insert => "insert",
                ChangeTag::Delete => "delete",
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

pub async fn versions(state: &AppState, contract_id: i64) -> AppResult<Vec<version::Model>> {
    Ok(version::Entity::find()
        .filter(version::Column::ContractId.eq(contract_id))
        .order_by_desc(version::Column::Number)
        .all(&state.db)
        .await?)
}

pub async fn version_by_number(state: &AppState, contract_id: i64, number: i32) -> AppResult<version::Model> {
    version::Entity::find()
        .filter(version::Column::ContractId.eq(contract_id))
        .filter(version::Column::Number.eq(number))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The version a newer one is compared with: the newest signed one before it, else the one
/// just before it.
pub async fn previous(state: &AppState, v: &version::Model) -> AppResult<Option<version::Model>> {
    let older = version::Entity::find()
        .filter(version::Column::ContractId.eq(v.contract_id))
        .filter(version::Column::Number.lt(v.number))
        .order_by_desc(version::Column::Number)
        .all(&state.db)
        .await?;
    Ok(older.iter().find(|o| o.status == "signed").cloned().or_else(|| older.into_iter().next()))
}

pub async fn reviews(state: &AppState, version_ids: Vec<i64>) -> AppResult<Vec<review::Model>> {
    Ok(review::Entity::find()
        .filter(review::Column::VersionId.is_in(version_ids))
        .order_by_asc(review::Column::DecidedAt)
        .all(&state.db)
        .await?)
}

pub async fn signatures(state: &AppState, version_ids: Vec<i64>) -> AppResult<Vec<signature::Model>> {
    Ok(signature::Entity::find()
        .filter(signature::Column::VersionId.is_in(version_ids))
        .order_by_asc(signature::Column::SignedAt)
        .all(&state.db)
        .await?)
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
    let c = load_to_manage(state, viewer, id).await?;
    let from = state_of(&c);
    if !next_states(&c).contains(&to) {
        return Err(AppError::Conflict(
            Msg::new("error-contract-transition").arg("from", from.as_str()).arg("to", to.as_str()),
        ));
    }
    if to == ContractState::Terminated && comment.is_empty() {
        let mut errors = FieldErrors::default();
        errors.add("comment", Msg::new("error-termination-reason"));
        return Err(AppError::Validation(errors));
    }
    let tx = db::begin_write(&state.db).await?;
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
    let c = load_to_edit(state, viewer, id).await?;
    if clauses::list(state, c.id).await?.is_empty() {
        return Err(AppError::Conflict(Msg::new("error-contract-no-clauses")));
    }
    let tx = db::begin_write(&state.db).await?;
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
    let c = load_to_manage(state, viewer, id).await?;
    let tx = db::begin_write(&state.db).await?;
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
    let tx = db::begin_write(&state.db).await?;
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
    let tx = db::begin_write(&state.db).await?;
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
    payments::refresh_due(tx, state, &after).await?;
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
            let found = change_request::Entity::find_by_id(cr)
                .filter(change_request::Column::EngagementId.is_in(engagements))
                .filter(change_request::Column::State.eq(ChangeState::Approved.as_str()))
                .one(&state.db)
                .await?;
            if found.is_none() {
                errors.add("change_request_id", Msg::new("error-amendment-change"));
            }
            found.map(|f| f.id)
        }
    };
    errors.into_result()?;
    let tx = db::begin_write(&state.db).await?;
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
