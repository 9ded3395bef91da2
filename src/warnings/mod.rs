//! Early warning (预警): rules per engagement with defaults the PM tunes (SPI and CPI under
//! 0.9, a milestone past due, a late task on the critical path, a risk scoring 15 or more, an
//! overdue obligation or installment, a vendor's certificate about to expire). A rule that
//! fires raises a warning, tells the engagement's managers and whoever the rule names (in-app
//! and by mail), shows on the engagement's pages and colours its derived health; the warning
//! clears itself when the condition clears. Rules run hourly through the job queue and after
//! the writes that can change them (`engagements::watch`).

pub mod api;
pub mod api_routes;
pub mod pages;
pub mod rules;

use std::collections::HashMap;

use axum::{
    Router,
    routing::{get, post},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::Value;

use self::rules::{Finding, Rule};
use crate::{
    AppState,
    auth::Viewer,
    collab::{
        Subject, SubjectKind,
        notifications::{self, Kind, Notice},
    },
    db,
    engagements::{
        entity::{engagement, warning},
        health,
    },
    error::AppResult,
    i18n::Lang,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/warnings", get(pages::show))
        .route("/engagements/{id}/warning-rules", post(pages::save_rules))
}

impl From<&warning::Model> for Subject {
    fn from(w: &warning::Model) -> Self {
        Self {
            kind: SubjectKind::Warning,
            id: w.id,
            engagement_id: w.engagement_id,
            title: title_of(&w.rule, &serde_json::from_str(&w.args).unwrap_or(Value::Null)),
            visibility: w.visibility.clone(),
            visible_party_id: w.visible_party_id,
        }
    }
}

/// A short, language-neutral title for a warning's notices (the pages render the full message).
pub fn title_of(rule: &str, args: &Value) -> String {
    let a = |k: &str| match &args[k] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match Rule::parse(rule) {
        Some(Rule::Spi) => format!("SPI {} < {}", a("value"), a("threshold")),
        Some(Rule::Cpi) => format!("CPI {} < {}", a("value"), a("threshold")),
        Some(Rule::MilestoneLate) => format!("{} · {}", a("name"), a("due")),
        Some(Rule::CriticalTaskLate) => format!("{} (+{})", a("first"), a("count")),
        Some(Rule::RiskHigh) => format!("{} {} · {}", a("key"), a("title"), a("score")),
        Some(Rule::ObligationOverdue) => format!("{} · {}", a("contract"), a("title")),
        Some(Rule::InstallmentOverdue) => format!("{} · {}", a("contract"), a("name")),
        Some(Rule::CertificateExpiring) => format!("{} · {}", a("name"), a("expires")),
        Some(Rule::SlaBreach) => format!("{} {}", a("key"), a("title")),
        Some(Rule::VendorGradeDrop) => format!("{} {} → {}", a("vendor"), a("from"), a("to")),
        None => rule.to_owned(),
    }
}

/// The warning's message in `lang`, with its arguments.
pub fn message(lang: Lang, w: &warning::Model) -> String {
    health::reason(lang, w)
}

/// The open warnings of an engagement the viewer may see, red first.
pub async fn open(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Vec<warning::Model>> {
    crate::engagements::service::get(state, viewer, engagement_id).await?;
    let mut rows = warning::Entity::find()
        .filter(warning::Column::EngagementId.eq(engagement_id))
        .filter(warning::Column::ClearedAt.is_null())
        .filter(viewer.record_scope(warning::Column::Visibility, warning::Column::VisiblePartyId))
        .order_by_asc(warning::Column::Id)
        .all(&state.db)
        .await?;
    rows.sort_by_key(|w| (w.severity != "red", w.id));
    Ok(rows)
}

/// What one evaluation changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub raised: usize,
    pub cleared: usize,
}

/// Evaluates every rule of one engagement: raises what newly fires (and tells people), keeps
/// what still fires up to date, clears what no longer does, and recomputes the derived health,
/// in one transaction.
pub async fn evaluate(state: &AppState, engagement_id: i64) -> AppResult<Outcome> {
    let Some(e) = engagement::Entity::find_by_id(engagement_id).one(&state.db).await? else {
        return Ok(Outcome::default());
    };
    let settings = rules::settings(&state.db, e.id).await?;
    let cost = crate::costs::service::compute(state, e.id, state.today()).await?;
    let found = rules::findings(state, &e, &settings, &cost.evm).await?;
    let now = state.clock.now();
    let tx = db::begin_write_in(&state.writer, db::WriteScope::Engagement(e.id)).await?;
    // The day's earned value, for the S-curve's history and the portfolio.
    if cost.evm.bac > 0 {
        crate::costs::snapshots::record(&tx, e.id, &cost.budget.currency, &cost.evm, now).await?;
    }
    let open: Vec<warning::Model> = warning::Entity::find()
        .filter(warning::Column::EngagementId.eq(e.id))
        .filter(warning::Column::ClearedAt.is_null())
        .all(&tx)
        .await?;
    let mut by_key: HashMap<(String, String), warning::Model> =
        open.into_iter().map(|w| ((w.rule.clone(), w.subject_key.clone()), w)).collect();
    let mut outcome = Outcome::default();
    let mut raised: Vec<(warning::Model, Rule)> = Vec::new();
    for f in found {
        let args = f.args.to_string();
        match by_key.remove(&(f.rule.as_str().to_owned(), f.subject_key.clone())) {
            Some(w) => {
                let same = w.severity == f.severity
                    && w.args == args
                    && w.visibility == f.visibility.as_str()
                    && w.visible_party_id == f.visible_party_id;
                if !same {
                    let mut row: warning::ActiveModel = w.into();
                    row.severity = Set(f.severity.to_owned());
                    row.args = Set(args);
                    row.visibility = Set(f.visibility.as_str().to_owned());
                    row.visible_party_id = Set(f.visible_party_id);
                    row.updated_at = Set(now);
                    row.update(&tx).await?;
                }
            }
            None => {
                let Finding { rule, subject_key, severity, visibility, visible_party_id, .. } = f;
                let w = warning::ActiveModel {
                    engagement_id: Set(e.id),
                    rule: Set(rule.as_str().to_owned()),
                    subject_key: Set(subject_key),
                    severity: Set(severity.to_owned()),
                    args: Set(args),
                    visibility: Set(visibility.as_str().to_owned()),
                    visible_party_id: Set(visible_party_id),
                    raised_at: Set(now),
                    cleared_at: Set(None),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
                outcome.raised += 1;
                raised.push((w, rule));
            }
        }
    }
    for (_, w) in by_key {
        let mut row: warning::ActiveModel = w.into();
        row.cleared_at = Set(Some(now));
        row.updated_at = Set(now);
        row.update(&tx).await?;
        outcome.cleared += 1;
    }
    health::refresh(&tx, e.id, state.today()).await?;
    let managers = crate::changes::service::managers_of(&tx, e.id).await?;
    for (w, rule) in raised {
        let mut people = managers.clone();
        if let Some(s) = settings.iter().find(|s| s.rule == rule) {
            people.extend(&s.notify);
        }
        people.sort_unstable();
        people.dedup();
        tell(&tx, state, &e, &w, &people).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

/// In-app and by mail, to each of `people` who may see the warning.
async fn tell(
    tx: &sea_orm::DatabaseTransaction,
    state: &AppState,
    e: &engagement::Model,
    w: &warning::Model,
    people: &[i64],
) -> AppResult<()> {
    let subject = Subject::from(w);
    let link = format!("{}{}", state.config.base_url, subject.url());
    let notice = Notice::new(Kind::Warning, &subject);
    notifications::send_and_mail(tx, state.clock.now(), people, &notice, |lang| {
        let args = [("code", e.code.clone()), ("message", message(lang, w)), ("link", link.clone())];
        (lang.t_args("warning-mail-subject", &args), lang.t_args("warning-mail-body", &args))
    })
    .await?;
    Ok(())
}

/// Evaluates the warnings of every engagement that is not closed.
pub async fn evaluate_all(state: &AppState) -> AppResult<Outcome> {
    let ids: Vec<i64> = engagement::Entity::find()
        .select_only()
        .column(engagement::Column::Id)
        .filter(engagement::Column::State.is_in(["initiating", "active", "accepting"]))
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut total = Outcome::default();
    for id in ids {
        let o = evaluate(state, id).await?;
        total.raised += o.raised;
        total.cleared += o.cleared;
    }
    Ok(total)
}

/// Hourly: dates pass without anyone writing.
pub const WARNING_WATCH: crate::jobs::Kind = crate::jobs::Kind {
    name: "warning_watch",
    max_attempts: 3,
    every_seconds: Some(3600),
    run: |state, _, _| {
        Box::pin(async move {
            let o = evaluate_all(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tracing::info!(raised = o.raised, cleared = o.cleared, "early warnings");
            Ok(())
        })
    },
};

/// One engagement, after a write that can change its warnings (`engagements::watch`).
pub const EVALUATE: crate::jobs::Kind = crate::jobs::Kind {
    name: "warnings_evaluate",
    max_attempts: 3,
    every_seconds: None,
    run: |state, data, _| {
        Box::pin(async move {
            let id = data["engagement_id"].as_i64().ok_or_else(|| anyhow::anyhow!("no engagement_id in {data}"))?;
            evaluate(state, id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            Ok(())
        })
    },
};
