//! The early-warning page of an engagement: its health with the reasons, the open warnings the
//! viewer may see, and (for the host) the rules with their thresholds.

use askama::Template;
use axum::{extract::State, response::Response};
use tower_sessions::Session;

use super::{
    api::{RuleInput, RulesInput, save},
    rules::{self, Rule},
};
use crate::{
    AppState,
    auth::Viewer,
    engagements::{
        health,
        pages::settle,
        service::{get, manages},
    },
    error::AppResult,
    web::{FormData, FormState, PageCtx, Path, local_time, render},
};

pub struct WarningRow {
    pub id: i64,
    pub severity: String,
    pub message: String,
    pub raised_at: String,
}

pub struct RuleRow {
    pub rule: &'static str,
    pub unit: &'static str,
    pub enabled: bool,
    pub threshold: String,
}

#[derive(Template)]
#[template(path = "warnings/page.html")]
struct WarningPage {
    page: PageCtx,
    engagement_id: i64,
    code: String,
    name: String,
    health: String,
    reasons: Vec<String>,
    warnings: Vec<WarningRow>,
    rules: Vec<RuleRow>,
    is_host: bool,
    can_manage: bool,
    form: FormState,
}

fn threshold_text(rule: Rule, v: i64) -> String {
    if rule.unit() == "ratio" { format!("{}.{:02}", v / 1000, (v % 1000) / 10) } else { v.to_string() }
}

async fn warning_page(
    state: &AppState,
    page: PageCtx,
    viewer: &Viewer,
    id: i64,
    form: FormState,
) -> AppResult<WarningPage> {
    let e = get(state, viewer, id).await?;
    let lang = page.language;
    let tz = viewer.user.time_zone.clone();
    let warnings = super::open(state, viewer, id)
        .await?
        .into_iter()
        .map(|w| WarningRow {
            message: super::message(lang, &w),
            raised_at: local_time(w.raised_at, &tz),
            id: w.id,
            severity: w.severity,
        })
        .collect();
    let settings = if viewer.is_host() { rules::settings(&state.db, id).await? } else { Vec::new() };
    let form = if form.has_errors() {
        form
    } else {
        settings.iter().fold(FormState::new(), |f, s| {
            f.with(&format!("threshold_{}", s.rule.as_str()), threshold_text(s.rule, s.threshold))
        })
    };
    Ok(WarningPage {
        reasons: health::reasons(state, viewer, &e, lang).await?,
        rules: settings
            .iter()
            .map(|s| RuleRow {
                rule: s.rule.as_str(),
                unit: s.rule.unit(),
                enabled: s.enabled,
                threshold: threshold_text(s.rule, s.threshold),
            })
            .collect(),
        can_manage: manages(state, viewer, id).await?,
        is_host: viewer.is_host(),
        health: e.health,
        code: e.code,
        name: e.name,
        engagement_id: id,
        warnings,
        form,
        page,
    })
}

pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&warning_page(&state, page, &viewer, id, FormState::new()).await?)
}

pub async fn save_rules(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> AppResult<Response> {
    // Who may not change the rules hears so before anything about the form.
    super::api::host_get(&state, &viewer, id).await?;
    crate::engagements::service::get_to_manage(&state, &viewer, id).await?;
    let mut bad = crate::error::FieldErrors::default();
    let rules = Rule::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let raw = form.get(&format!("threshold_{}", r.as_str())).trim().replace(',', ".");
            let threshold = if raw.is_empty() {
                None
            } else {
                match raw.parse::<f64>() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        bad.add(format!("rules[{i}].threshold"), crate::error::Msg::new("error-number"));
                        None
                    }
                }
            };
            RuleInput {
                rule: r.as_str().to_owned(),
                enabled: Some(form.all("enabled").contains(&r.as_str())),
                threshold,
                notify_user_ids: None,
            }
        })
        .collect();
    let result = match bad.into_result() {
        Ok(()) => save(&state, &viewer, id, RulesInput { rules }).await,
        Err(e) => Err(e),
    };
    // Errors name `rules[i].…`; the form's fields are per rule.
    let result = result.map_err(|e| match e {
        crate::error::AppError::Validation(f) => {
            let mut out = crate::error::FieldErrors::default();
            for fe in f.0 {
                let i: Option<usize> =
                    fe.field.strip_prefix("rules[").and_then(|r| r.split(']').next()).and_then(|n| n.parse().ok());
                let field = i
                    .and_then(|i| Rule::ALL.get(i))
                    .map_or_else(|| "rules".to_owned(), |r| format!("threshold_{}", r.as_str()));
                out.add(field, fe.msg);
            }
            crate::error::AppError::Validation(out)
        }
        other => other,
    });
    let back = format!("/engagements/{id}/warnings#rules");
    settle((page, &session), &form, result, ("flash-warning-rules-saved", back), |page, f| {
        warning_page(&state, page, &viewer, id, f)
    })
    .await
}
