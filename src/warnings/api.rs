//! `/api/v1/engagements/{id}/warnings` (open warnings, as the caller may see them; evaluate
//! now) and `/api/v1/engagements/{id}/warning-rules` (the host's settings).

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::rules::{self, Rule, Setting};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::Id,
    engagements::{
        entity::{warning, warning_rule},
        service::{get, get_to_manage, record},
    },
    error::{AppError, AppResult, FieldErrors, Msg, Problem},
    i18n::Lang,
    web::Path,
    web::json::ApiJson,
};

#[derive(Serialize, ToSchema)]
pub struct WarningDto {
    pub id: Id,
    /// spi_below | cpi_below | milestone_late | critical_task_late | risk_high | obligation_overdue |
    /// installment_overdue | certificate_expiring
    pub rule: String,
    /// amber | red
    pub severity: String,
    /// The warning in the caller's language.
    pub message: String,
    /// What the message says, as data.
    #[schema(value_type = Object)]
    pub args: Value,
    pub raised_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct WarningList {
    pub items: Vec<WarningDto>,
}

pub(crate) fn dto(lang: Lang, w: warning::Model) -> WarningDto {
    WarningDto {
        message: super::message(lang, &w),
        args: serde_json::from_str(&w.args).unwrap_or(Value::Null),
        id: Id(w.id),
        rule: w.rule,
        severity: w.severity,
        raised_at: w.raised_at,
        updated_at: w.updated_at,
    }
}

/// The open warnings the caller may see, red first.
#[utoipa::path(get, path = "/api/v1/engagements/{id}/warnings", tag = "warnings", params(("id" = String, Path)),
    responses((status = 200, body = WarningList), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> AppResult<Json<WarningList>> {
    let lang = viewer.lang();
    let items = super::open(&state, &viewer, id).await?.into_iter().map(|w| dto(lang, w)).collect();
    Ok(Json(WarningList { items }))
}

/// Evaluates the rules now (the engagement's managers) and answers the open warnings.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/warnings/evaluate", tag = "warnings", params(("id" = String, Path)),
    responses((status = 200, body = WarningList), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn evaluate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<WarningList>> {
    get_to_manage(&state, &viewer, id).await?;
    super::evaluate(&state, id).await?;
    list(State(state), viewer, Path(id)).await
}

#[derive(Serialize, ToSchema)]
pub struct RuleDto {
    pub rule: String,
    pub enabled: bool,
    /// SPI and CPI: a ratio (0.9); risk_high: a score (15); the others: days (of grace, or ahead
    /// for certificates).
    pub threshold: f64,
    /// ratio | score | days | grades
    pub unit: String,
    /// Told besides the engagement's managers.
    pub notify_user_ids: Vec<Id>,
}

#[allow(clippy::cast_precision_loss)]
fn rule_dto(s: &Setting) -> RuleDto {
    RuleDto {
        rule: s.rule.as_str().to_owned(),
        enabled: s.enabled,
        threshold: if s.rule.unit() == "ratio" { s.threshold as f64 / 1000.0 } else { s.threshold as f64 },
        unit: s.rule.unit().to_owned(),
        notify_user_ids: s.notify.iter().copied().map(Id).collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct RuleList {
    pub rules: Vec<RuleDto>,
}

/// The host's only: whose thresholds are whose is the host's business.
pub(crate) async fn host_get(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<()> {
    get(state, viewer, id).await?;
    if viewer.is_host() { Ok(()) } else { Err(AppError::NotFound) }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/warning-rules", tag = "warnings", params(("id" = String, Path)),
    responses((status = 200, body = RuleList), (status = 404, body = Problem)))]
pub async fn get_rules(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Json<RuleList>> {
    host_get(&state, &viewer, id).await?;
    Ok(Json(RuleList { rules: rules::settings(&state.db, id).await?.iter().map(rule_dto).collect() }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub notify_user_ids: Option<Vec<Id>>,
}

/// Rules to change; rules left out keep their settings.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesInput {
    #[serde(default)]
    pub rules: Vec<RuleInput>,
}

/// Checks and stores rule settings (the engagement's managers), then queues an evaluation.
pub async fn save(state: &AppState, viewer: &Viewer, id: i64, input: RulesInput) -> AppResult<Vec<Setting>> {
    host_get(state, viewer, id).await?;
    get_to_manage(state, viewer, id).await?;
    let current = rules::settings(&state.db, id).await?;
    let mut errors = FieldErrors::default();
    let mut changed: Vec<Setting> = Vec::new();
    let people = crate::changes::board::candidates(state, id).await?;
    for (i, r) in input.rules.iter().enumerate() {
        let Some(rule) = Rule::parse(&r.rule) else {
            errors.add(format!("rules[{i}].rule"), Msg::new("error-warning-rule"));
            continue;
        };
        let mut s = current.iter().find(|s| s.rule == rule).cloned().unwrap_or(Setting {
            rule,
            enabled: true,
            threshold: rule.default_threshold(),
            notify: Vec::new(),
        });
        if let Some(e) = r.enabled {
            s.enabled = e;
        }
        if let Some(t) = r.threshold {
            #[allow(clippy::cast_possible_truncation)]
            let v = if rule.unit() == "ratio" { (t * 1000.0).round() as i64 } else { t.round() as i64 };
            let (lo, hi) = rule.range();
            if !t.is_finite() || !(lo..=hi).contains(&v) || (rule.unit() != "ratio" && t.fract() != 0.0) {
                #[allow(clippy::cast_precision_loss)]
                let (lo, hi) = if rule.unit() == "ratio" {
                    (lo as f64 / 1000.0, hi as f64 / 1000.0)
                } else {
                    (lo as f64, hi as f64)
                };
                errors.add(
                    format!("rules[{i}].threshold"),
                    Msg::new("error-warning-threshold").arg("min", lo.to_string()).arg("max", hi.to_string()),
                );
            }
            s.threshold = v;
        }
        if let Some(ids) = &r.notify_user_ids {
            if ids.iter().any(|u| !people.iter().any(|(p, _, _)| *p == u.0)) {
                errors.add(format!("rules[{i}].notify_user_ids"), Msg::new("error-warning-notify"));
            }
            s.notify = ids.iter().map(|u| u.0).collect();
        }
        changed.push(s);
    }
    errors.into_result()?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    for s in &changed {
        let existing = warning_rule::Entity::find()
            .filter(warning_rule::Column::EngagementId.eq(id))
            .filter(warning_rule::Column::Rule.eq(s.rule.as_str()))
            .one(&tx)
            .await?;
        let notify = json!(s.notify).to_string();
        match existing {
            Some(row) => {
                let mut row: warning_rule::ActiveModel = row.into();
                row.enabled = Set(s.enabled);
                row.threshold = Set(s.threshold);
                row.notify_user_ids = Set(notify);
                row.updated_at = Set(now);
                row.update(&tx).await?;
            }
            None => {
                warning_rule::ActiveModel {
                    engagement_id: Set(id),
                    rule: Set(s.rule.as_str().to_owned()),
                    enabled: Set(s.enabled),
                    threshold: Set(s.threshold),
                    notify_user_ids: Set(notify),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
        }
    }
    let after = json!(changed.iter().map(|s| json!({"rule": s.rule.as_str(), "enabled": s.enabled, "threshold": s.threshold, "notify_user_ids": s.notify})).collect::<Vec<_>>());
    record(&tx, state, viewer, "warning_rules.set", "engagement", id, None, Some(after)).await?;
    crate::engagements::watch::changed(&tx, now, id).await?;
    tx.commit().await?;
    rules::settings(&state.db, id).await
}

#[utoipa::path(put, path = "/api/v1/engagements/{id}/warning-rules", tag = "warnings", params(("id" = String, Path)), request_body = RulesInput,
    responses((status = 200, body = RuleList), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_rules(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RulesInput>,
) -> AppResult<Json<RuleList>> {
    let saved = save(&state, &viewer, id, input).await?;
    Ok(Json(RuleList { rules: saved.iter().map(rule_dto).collect() }))
}
