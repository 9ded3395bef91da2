//! Obligations (who owes what by when), periodic contract reviews, and the hourly watch that
//! reminds before an obligation is due, escalates when it is overdue, warns of contracts about
//! to expire and of reviews coming up, and makes date- and warranty-triggered installments due.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    clauses::owed_party,
    entity::{checkup, contract, installment, obligation},
    payments,
    service::{self, load, load_to_manage, managers_of, may_manage, next_review, party_managers, state_of},
};
use crate::{
    AppState,
    auth::Viewer,
    collab::notifications::{self, Kind, Notice},
    db,
    domain::{self, CheckupRating, ObligationStatus, Role},
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
    i18n::Lang,
    mail,
    users::entity::user,
};

/// Reminders go out this many days before an obligation is due.
pub const REMIND_DAYS: i64 = 3;
/// Periodic reviews are announced this many days ahead.
pub const CHECKUP_NOTICE_DAYS: i64 = 7;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObligationInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// host | counterparty
    #[serde(default)]
    pub owed_by: String,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub due_date: String,
}

pub async fn list(state: &AppState, contract_id: i64) -> AppResult<Vec<obligation::Model>> {
    Ok(obligation::Entity::find()
        .filter(obligation::Column::ContractId.eq(contract_id))
        .order_by_asc(obligation::Column::DueDate)
        .order_by_asc(obligation::Column::Id)
        .all(&state.db)
        .await?)
}

pub async fn add(
    state: &AppState,
    viewer: &Viewer,
    contract_id: i64,
    input: ObligationInput,
) -> AppResult<obligation::Model> {
    let c = load_to_manage(state, viewer, contract_id).await?;
    let mut errors = FieldErrors::default();
    let title = errors.take("title", domain::text(&input.title, true, 200));
    let description =
        errors.take("description", domain::text(input.description.as_deref().unwrap_or(""), false, 5_000));
    let due = errors.take("due_date", domain::parse_date(&input.due_date));
    let party = owed_party(state, &c, input.owed_by.trim()).await?;
    if party.is_none() {
        errors
            .add("owed_by", Msg::new(if input.owed_by.trim().is_empty() { "error-required" } else { "error-owed-by" }));
    }
    errors.into_result()?;
    let (Some(title), Some(description), Some(due), Some(party)) = (title, description, due, party) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated obligation is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let row = obligation::ActiveModel {
        contract_id: Set(c.id),
        clause_id: Set(None),
        title: Set(title),
        description: Set(description),
        owed_by_party_id: Set(party),
        due_date: Set(due),
        status: Set(ObligationStatus::Open.as_str().to_owned()),
        note: Set(String::new()),
        created_by: Set(viewer.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"title": row.title, "owed_by_party_id": party, "due_date": due});
    record(&tx, state, viewer, "obligation.create", "contract", c.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObligationUpdate {
    /// open | done | waived
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// The host's managers settle any obligation; the counterparty's manager may report its own
/// obligations done.
pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: ObligationUpdate,
) -> AppResult<obligation::Model> {
    let o = obligation::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = load(state, viewer, o.contract_id).await?;
    let mut errors = FieldErrors::default();
    let status = errors.take("status", ObligationStatus::parse(&input.status));
    let note = errors.take("note", domain::text(input.note.as_deref().unwrap_or(""), false, 2_000));
    let manager = may_manage(state, viewer, &c).await?;
    let own = !viewer.is_host()
        && viewer.role == Role::Manager
        && o.owed_by_party_id == viewer.party.id
        && o.status == ObligationStatus::Open.as_str();
    if !(manager || (own && status.is_none_or(|s| s == ObligationStatus::Done))) {
        return Err(AppError::Forbidden);
    }
    errors.into_result()?;
    let (Some(status), Some(note)) = (status, note) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated obligation update is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let before = json!({"status": o.status, "note": o.note});
    let mut row: obligation::ActiveModel = o.into();
    row.status = Set(status.as_str().to_owned());
    row.note = Set(note);
    let done = status == ObligationStatus::Done;
    row.done_by = Set(done.then_some(viewer.user.id));
    row.done_at = Set(done.then_some(now));
    row.updated_at = Set(now);
    let after = row.update(&tx).await?;
    let audit = json!({"obligation_id": after.id, "status": after.status, "note": after.note});
    record(&tx, state, viewer, "obligation.update", "contract", c.id, Some(before), Some(audit)).await?;
    tx.commit().await?;
    Ok(after)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckupInput {
    /// `YYYY-MM-DD`; today when left out.
    #[serde(default)]
    pub held_on: Option<String>,
    /// on_track | attention | at_risk
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub findings: String,
    /// Actions agreed, one per line.
    #[serde(default)]
    pub actions: Option<String>,
}

pub async fn checkups(state: &AppState, contract_id: i64) -> AppResult<Vec<checkup::Model>> {
    Ok(checkup::Entity::find()
        .filter(checkup::Column::ContractId.eq(contract_id))
        .order_by_desc(checkup::Column::HeldOn)
        .order_by_desc(checkup::Column::Id)
        .all(&state.db)
        .await?)
}

/// Records a periodic review; the next one is scheduled from its date.
pub async fn add_checkup(
    state: &AppState,
    viewer: &Viewer,
    contract_id: i64,
    input: CheckupInput,
) -> AppResult<checkup::Model> {
    let c = load_to_manage(state, viewer, contract_id).await?;
    let mut errors = FieldErrors::default();
    let held = match input.held_on.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => errors.take("held_on", domain::parse_date(h)),
        None => Some(state.today()),
    };
    if held.is_some_and(|h| h > state.today()) {
        errors.add("held_on", Msg::new("error-date-future"));
    }
    let rating = errors.take("rating", CheckupRating::parse(&input.rating));
    let findings = errors.take("findings", domain::text(&input.findings, true, 10_000));
    let actions = errors.take("actions", domain::text(input.actions.as_deref().unwrap_or(""), false, 10_000));
    errors.into_result()?;
    let (Some(held), Some(rating), Some(findings), Some(actions)) = (held, rating, findings, actions) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated checkup is incomplete")));
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let row = checkup::ActiveModel {
        contract_id: Set(c.id),
        held_on: Set(held),
        rating: Set(rating.as_str().to_owned()),
        findings: Set(findings),
        actions: Set(actions),
        reviewer_id: Set(viewer.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let mut cr: contract::ActiveModel = c.clone().into();
    cr.next_review_on = Set(next_review(Some(held), c.review_every_months));
    cr.updated_at = Set(now);
    cr.update(&tx).await?;
    let after = json!({"held_on": held, "rating": row.rating, "findings": row.findings, "actions": row.actions});
    record(&tx, state, viewer, "contract.checkup", "contract", c.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}

#[derive(Debug, Default)]
pub struct WatchOutcome {
    pub reminded: usize,
    pub escalated: usize,
    pub expiring: usize,
    pub checkups: usize,
    pub made_due: usize,
    pub warranties: usize,
}

/// Notifies `users` about a contract in-app and by e-mail, once per `key`.
pub(super) async fn tell(
    state: &AppState,
    tx: &sea_orm::DatabaseTransaction,
    c: &contract::Model,
    users: &[i64],
    (kind, key): (Kind, &str),
    mail_key: &'static str,
    args: &[(&'static str, String)],
) -> AppResult<usize> {
    let subject = service::subject(tx, c).await?;
    let now = state.clock.now();
    let mut sent = 0;
    for u in user::Entity::find().filter(user::Column::Id.is_in(users.iter().copied())).all(tx).await? {
        let notice = Notice { dedupe: Some(key), ..Notice::new(kind, &subject) };
        if notifications::send(tx, now, &[u.id], &notice).await? == 0 {
            continue;
        }
        let lang = u.locale.as_deref().and_then(Lang::parse).unwrap_or_default();
        let mut all: Vec<(&'static str, String)> = args.to_vec();
        all.push(("number", c.number.clone()));
        all.push(("link", format!("{}/contracts/{}", state.config.base_url, c.id)));
        let subj = lang.t_args(&format!("{mail_key}-subject"), &all);
        let body = lang.t_args(&format!("{mail_key}-body"), &all);
        mail::queue(tx, now, &u.email, &subj, &body).await?;
        sent += 1;
    }
    Ok(sent)
}

/// Who hears about an obligation: the side that owes it (the host's managers, or the
/// counterparty's managers).
async fn owing_side(
    tx: &sea_orm::DatabaseTransaction,
    c: &contract::Model,
    o: &obligation::Model,
) -> AppResult<Vec<i64>> {
    if o.owed_by_party_id == c.counterparty_id {
        party_managers(tx, c.counterparty_id).await
    } else {
        managers_of(tx, c).await
    }
}

/// The hourly watch over every contract.
pub async fn watch(state: &AppState) -> AppResult<WatchOutcome> {
    let today = state.today();
    let mut out = WatchOutcome::default();
    let open = obligation::Entity::find()
        .filter(obligation::Column::Status.eq("open"))
        .filter(obligation::Column::DueDate.lte(crate::domain::add_days(today, REMIND_DAYS)))
        .all(&state.db)
        .await?;
    for o in open {
        let Some(c) = contract::Entity::find_by_id(o.contract_id).one(&state.db).await? else { continue };
        if !state_of(&c).in_force() {
            continue;
        }
        let tx = db::begin_write(&state.writer).await?;
        let args = [("title", o.title.clone()), ("due", o.due_date.to_string())];
        if o.due_date >= today {
            let key = format!("obligation:{}:due", o.id);
            let users = owing_side(&tx, &c, &o).await?;
            out.reminded += tell(state, &tx, &c, &users, (Kind::ObligationDue, &key), "obligation-due", &args).await?;
        } else {
            // Overdue: the PMs and the counterparty's managers both hear of it.
            let key = format!("obligation:{}:overdue", o.id);
            let mut users = managers_of(&tx, &c).await?;
            users.extend(party_managers(&tx, c.counterparty_id).await?);
            out.escalated +=
                tell(state, &tx, &c, &users, (Kind::ObligationOverdue, &key), "obligation-overdue", &args).await?;
        }
        tx.commit().await?;
    }
    let live = contract::Entity::find()
        .filter(contract::Column::State.is_in(["signed", "active", "amended"]))
        .all(&state.db)
        .await?;
    for c in live {
        let tx = db::begin_write(&state.writer).await?;
        if let Some(end) = c.end_date
            && end >= today
            && end <= crate::domain::add_days(today, i64::from(c.renewal_notice_days))
        {
            let key = format!("contract:{}:expiry:{end}", c.id);
            let users = managers_of(&tx, &c).await?;
            let args = [("title", c.title.clone()), ("due", end.to_string())];
            out.expiring +=
                tell(state, &tx, &c, &users, (Kind::ContractExpiring, &key), "contract-expiring", &args).await?;
        }
        if let Some(next) = c.next_review_on
            && next <= crate::domain::add_days(today, CHECKUP_NOTICE_DAYS)
        {
            let key = format!("contract:{}:checkup:{next}", c.id);
            let users: Vec<i64> = c.owner_id.into_iter().collect();
            let args = [("title", c.title.clone()), ("due", next.to_string())];
            out.checkups +=
                tell(state, &tx, &c, &users, (Kind::ContractCheckupDue, &key), "contract-checkup", &args).await?;
        }
        out.made_due += payments::refresh_due(&tx, state, &c).await?.len();
        tx.commit().await?;
    }
    out.warranties = crate::acceptance::warranty::remind(state).await?;
    Ok(out)
}

/// Days until `d` from `today` (negative when past).
pub fn days_until(d: NaiveDate, today: NaiveDate) -> i64 {
    (d - today).num_days()
}

/// Installments of contracts in force that are due (or invoiced) and not paid in full.
pub async fn outstanding(state: &AppState, contract_id: i64) -> AppResult<Vec<installment::Model>> {
    Ok(installment::Entity::find()
        .filter(installment::Column::ContractId.eq(contract_id))
        .filter(installment::Column::State.is_in(["due", "invoiced"]))
        .all(&state.db)
        .await?)
}

/// Hourly: obligations, expiry, periodic reviews, warranties; date-triggered installments.
pub const CONTRACT_WATCH: crate::jobs::Kind = crate::jobs::Kind {
    name: "contract_watch",
    max_attempts: 3,
    every_seconds: Some(3600),
    run: |state, _, _| {
        Box::pin(async move {
            let o = watch(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(
                reminded = o.reminded,
                escalated = o.escalated,
                expiring = o.expiring,
                checkups = o.checkups,
                made_due = o.made_due,
                warranties = o.warranties,
                "contract watch"
            );
            Ok(())
        })
    },
};
