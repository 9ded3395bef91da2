//! The audit log for administrators: browse and filter events, export them as CSV, and see
//! whether the chain verifies.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Router,
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use chrono::{TimeZone, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::Value;

use crate::{
    AppState,
    audit::{entity::event, verify},
    auth::Viewer,
    db,
    error::{AppError, AppResult, FieldErrors},
    i18n::Lang,
    parties::entity::party,
    users::entity::user,
    web::{FormState, PageCtx, export::csv_cell, local_time, render},
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit", get(list)).route("/admin/audit.csv", get(export_csv))
}

pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_name: String,
    pub party_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub changes: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub cursor: Option<String>,
    /// Walk the whole chain and show whether it is intact (costs a read of every event).
    pub verify: Option<String>,
}

fn require_admin(viewer: &Viewer) -> AppResult<()> {
    if viewer.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Start of a local calendar day in UTC; the date is checked like every date Accord accepts,
/// and an unreadable or out-of-range one is an error on its filter field.
fn day_start(
    field: &str,
    date: &str,
    tz: &str,
    plus_days: u64,
    errors: &mut FieldErrors,
) -> Option<chrono::DateTime<Utc>> {
    if date.trim().is_empty() {
        return None;
    }
    let d = errors.take(field, crate::domain::parse_date(date))?;
    let naive = d.checked_add_days(chrono::Days::new(plus_days))?.and_hms_opt(0, 0, 0)?;
    let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::UTC);
    tz.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

async fn condition(state: &AppState, viewer: &Viewer, f: &AuditFilter) -> AppResult<Condition> {
    let mut cond = Condition::all();
    if !f.action.trim().is_empty() {
        cond = cond.add(event::Column::Action.starts_with(f.action.trim()));
    }
    if !f.entity.trim().is_empty() {
        cond = cond.add(event::Column::EntityType.eq(f.entity.trim()));
    }
    if !f.actor.trim().is_empty() {
        let ids: Vec<i64> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(
                Condition::any()
                    .add(db::icontains(user::Column::Email, f.actor.trim()))
                    .add(db::icontains(user::Column::Name, f.actor.trim())),
            )
            .into_tuple()
            .all(&state.db)
            .await?;
        cond = cond.add(event::Column::ActorUserId.is_in(ids));
    }
    let mut errors = FieldErrors::default();
    if let Some(t) = day_start("from", &f.from, &viewer.user.time_zone, 0, &mut errors) {
        cond = cond.add(event::Column::At.gte(t));
    }
    if let Some(t) = day_start("to", &f.to, &viewer.user.time_zone, 1, &mut errors) {
        cond = cond.add(event::Column::At.lt(t));
    }
    errors.into_result()?;
    Ok(cond)
}

/// Names of the users and parties that acted in `events`.
async fn names(state: &AppState, events: &[event::Model]) -> AppResult<(HashMap<i64, String>, HashMap<i64, String>)> {
    let uids: Vec<i64> = events.iter().filter_map(|e| e.actor_user_id).collect();
    let pids: Vec<i64> = events.iter().filter_map(|e| e.actor_party_id).collect();
    let users = user::Entity::find().filter(user::Column::Id.is_in(uids)).all(&state.db).await?;
    let parties = party::Entity::find().filter(party::Column::Id.is_in(pids)).all(&state.db).await?;
    Ok((
        users.into_iter().map(|u| (u.id, format!("{} <{}>", u.name, u.email))).collect(),
        parties.into_iter().map(|p| (p.id, p.name)).collect(),
    ))
}

/// "field: old → new" for each field that changed, shortened for a table cell. Field names and
/// the values of a few known codes read in the page's language where a label exists; anything
/// else stays as recorded (the record is evidence, not prose).
pub fn summarize(lang: Lang, tz: &str, before: Option<&str>, after: Option<&str>) -> String {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<Value>(s).ok());
    let (b, a) = (parse(before), parse(after));
    let show = |field: &str, v: Option<&Value>| match v {
        None | Some(Value::Null) => "∅".to_owned(),
        Some(Value::String(s)) => match chrono::DateTime::parse_from_rfc3339(s) {
            // A recorded instant, as the reader's clock shows it.
            Ok(at) => local_time(at.to_utc(), tz),
            Err(_) => value_label(lang, field, s).unwrap_or_else(|| s.clone()),
        },
        Some(Value::Bool(yes)) => lang.t(if *yes { "value-yes" } else { "value-no" }),
        Some(other) => other.to_string(),
    };
    let sep = if lang == Lang::ZhCn { "：" } else { ": " };
    let mut parts = Vec::new();
    let keys: Vec<String> = match (&b, &a) {
        (_, Some(Value::Object(m))) | (Some(Value::Object(m)), None) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    for k in keys {
        let (old, new) = (b.as_ref().and_then(|v| v.get(&k)), a.as_ref().and_then(|v| v.get(&k)));
        if old != new {
            let name = field_label(lang, &k);
            parts.push(match (&b, &a) {
                (Some(_), Some(_)) => format!("{name}{sep}{} → {}", show(&k, old), show(&k, new)),
                (None, Some(_)) => format!("{name}{sep}{}", show(&k, new)),
                _ => format!("{name}{sep}{}", show(&k, old)),
            });
        }
    }
    let text = parts.join(if lang == Lang::ZhCn { "；" } else { "; " });
    if text.chars().count() > 160 { format!("{}…", text.chars().take(160).collect::<String>()) } else { text }
}

/// A recorded field's name as the forms label it (`field-…`), else as recorded.
fn field_label(lang: Lang, field: &str) -> String {
    let key = format!("field-{}", field.replace('_', "-"));
    if lang.has(&key) { lang.t(&key) } else { field.to_owned() }
}

/// The label of a recorded code value, for the fields whose values are codes with labels.
fn value_label(lang: Lang, field: &str, value: &str) -> Option<String> {
    let key = match field {
        "locale" => match crate::i18n::Lang::parse(value)? {
            Lang::ZhCn => "lang-zh-full".to_owned(),
            Lang::En => "lang-en-full".to_owned(),
        },
        "role" => format!("role-{value}"),
        "kind" => format!("kind-{value}"),
        "status" => format!("status-{value}"),
        _ => return None,
    };
    lang.has(&key).then(|| lang.t(&key))
}

/// Every action the code records; each has a label in both languages (a test checks).
pub const ACTIONS: &[&str] = &[
    "acceptance.in_force",
    "acceptance.result",
    "acceptance.sign",
    "acceptance.submit",
    "api_token.create",
    "api_token.revoke",
    "baseline.create",
    "clause_template.create",
    "comment.create",
    "contract.abandon_amendment",
    "contract.amend",
    "contract.checkup",
    "contract.clause_add",
    "contract.clause_remove",
    "contract.create",
    "contract.in_force",
    "contract.review",
    "contract.sign",
    "contract.submit",
    "contract.transition",
    "contract.update",
    "contract.withdraw",
    "defect.create",
    "defect.update",
    "deliverable.create",
    "dependency.create",
    "dev.seed_users",
    "dev.seed_vendors",
    "dispute.raise",
    "dispute.resolve",
    "dispute.withdraw",
    "document.create",
    "document.version",
    "engagement.archive",
    "engagement.calendar_remove",
    "engagement.calendar_set",
    "engagement.create",
    "engagement.member_add",
    "engagement.member_remove",
    "engagement.participant_add",
    "engagement.participant_remove",
    "engagement.reschedule",
    "engagement.transition",
    "engagement.update",
    "installment.cancel",
    "installment.create",
    "installment.due",
    "installment.invoice",
    "installment.override",
    "installment.payment",
    "installment.reconcile",
    "milestone.create",
    "milestone.update",
    "obligation.create",
    "obligation.update",
    "party.contact_add",
    "party.contact_remove",
    "party.create",
    "party.update",
    "quality_check.create",
    "selection.award",
    "selection.bid",
    "selection.bid_file",
    "selection.cancel",
    "selection.close",
    "selection.create",
    "selection.evaluator_add",
    "selection.invite",
    "selection.score",
    "task.create",
    "task.update",
    "user.accept_invitation",
    "user.create",
    "user.deactivate",
    "user.invite",
    "user.login",
    "user.password_change",
    "user.reactivate",
    "user.update",
    "vendor.certificate_add",
    "vendor.create",
    "vendor.evaluate",
    "vendor.scorecard_publish",
    "vendor.scorecard_settings",
    "vendor.status",
    "vendor.template_add",
    "vendor.update",
];

pub const ENTITIES: &[&str] = &[
    "acceptance",
    "api_token",
    "clause_template",
    "comment",
    "contract",
    "defect",
    "deliverable",
    "dispute",
    "evaluation_template",
    "document",
    "engagement",
    "installment",
    "milestone",
    "party",
    "quality_check",
    "selection",
    "setting",
    "task",
    "user",
];

fn label(lang: Lang, prefix: &str, code: &str) -> String {
    let key = format!("{prefix}-{}", code.replace(['.', '_'], "-"));
    if lang.has(&key) { lang.t(&key) } else { code.to_owned() }
}

async fn rows(state: &AppState, viewer: &Viewer, lang: Lang, events: Vec<event::Model>) -> AppResult<Vec<AuditRow>> {
    let (users, parties) = names(state, &events).await?;
    Ok(events
        .into_iter()
        .map(|e| AuditRow {
            at: local_time(e.at, &viewer.user.time_zone),
            actor_name: e
                .actor_user_id
                .and_then(|id| users.get(&id).cloned())
                .unwrap_or_else(|| lang.t("audit-actor-system")),
            party_name: e.actor_party_id.and_then(|id| parties.get(&id).cloned()).unwrap_or_default(),
            changes: summarize(lang, &viewer.user.time_zone, e.before.as_deref(), e.after.as_deref()),
            id: e.id,
            action: label(lang, "audit-action", &e.action),
            entity_type: label(lang, "audit-entity", &e.entity_type),
            entity_id: e.entity_id,
        })
        .collect())
}

/// The newest events, for the administrator's home page.
pub async fn recent_rows(state: &AppState, viewer: &Viewer, lang: Lang, n: u64) -> AppResult<Vec<AuditRow>> {
    require_admin(viewer)?;
    let events = event::Entity::find().order_by_desc(event::Column::Id).limit(n).all(&state.db).await?;
    rows(state, viewer, lang, events).await
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: PageCtx,
    rows: Vec<AuditRow>,
    action: String,
    entity: String,
    actor: String,
    from: String,
    to: String,
    next_cursor: Option<String>,
    chain_ok: Option<bool>,
    /// Errors of the filter's fields (a date it can't read).
    form: FormState,
}

impl AuditPage {
    /// The recorded actions, by label, for the filter's choice.
    fn actions(&self) -> Vec<(&'static str, String)> {
        choices(self.page.language, "audit-action", ACTIONS)
    }

    fn entities(&self) -> Vec<(&'static str, String)> {
        choices(self.page.language, "audit-entity", ENTITIES)
    }
}

fn choices(lang: Lang, prefix: &str, codes: &[&'static str]) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = codes.iter().map(|c| (*c, label(lang, prefix, c))).collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(f): Query<AuditFilter>,
) -> AppResult<Response> {
    require_admin(&viewer)?;
    let mut cond = match condition(&state, &viewer, &f).await {
        Ok(c) => c,
        // A date the filter can't read: the page again with the error under its field.
        Err(AppError::Validation(errors)) => {
            let mut form = FormState::new();
            form.set_field_errors(&errors, page.language);
            let html = AuditPage {
                rows: Vec::new(),
                action: f.action,
                entity: f.entity,
                actor: f.actor,
                from: f.from,
                to: f.to,
                next_cursor: None,
                chain_ok: None,
                form,
                page,
            }
            .render()?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
        Err(e) => return Err(e),
    };
    if let Some(before) = f.cursor.as_deref().and_then(db::decode_cursor) {
        cond = cond.add(event::Column::Id.lt(before));
    }
    let events = event::Entity::find()
        .filter(cond)
        .order_by_desc(event::Column::Id)
        .limit(db::DEFAULT_LIMIT + 1)
        .all(&state.db)
        .await?;
    let (events, next_cursor) = db::page(events, db::DEFAULT_LIMIT, |e| e.id);
    // Verifying reads every event, so it runs when asked for, not on every visit.
    let chain_ok = if f.verify.is_some() { Some(verify(&state.writer, &state.db).await?.ok()) } else { None };
    render(&AuditPage {
        rows: rows(&state, &viewer, page.language, events).await?,
        action: f.action,
        entity: f.entity,
        actor: f.actor,
        from: f.from,
        to: f.to,
        next_cursor,
        chain_ok,
        form: FormState::new(),
        page,
    })
}

pub const CSV_MAX_ROWS: u64 = 100_000;

pub async fn export_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(f): Query<AuditFilter>,
) -> AppResult<Response> {
    require_admin(&viewer)?;
    let cond = condition(&state, &viewer, &f).await?;
    let events =
        event::Entity::find().filter(cond).order_by_asc(event::Column::Id).limit(CSV_MAX_ROWS).all(&state.db).await?;
    let (users, parties) = names(&state, &events).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header_row = [
        "id",
        "at",
        "actor_user_id",
        "actor",
        "actor_party",
        "action",
        "entity_type",
        "entity_id",
        "before",
        "after",
        "chain_seq",
        "prev_hash",
        "hash",
    ];
    w.write_record(header_row).map_err(anyhow::Error::from)?;
    // In the viewer's zone with its offset: RFC 3339, so a program reading it still has the instant.
    let tz: chrono_tz::Tz = viewer.user.time_zone.parse().unwrap_or(chrono_tz::UTC);
    for e in &events {
        let at = e.at.with_timezone(&tz).to_rfc3339_opts(chrono::SecondsFormat::Micros, false);
        let uid = e.actor_user_id.map(|v| v.to_string()).unwrap_or_default();
        let actor = e.actor_user_id.and_then(|id| users.get(&id).cloned()).unwrap_or_else(|| "system".into());
        let party = e.actor_party_id.and_then(|id| parties.get(&id).cloned()).unwrap_or_default();
        w.write_record([
            e.id.to_string().as_str(),
            &at,
            &uid,
            &csv_cell(&actor),
            &csv_cell(&party),
            &e.action,
            &e.entity_type,
            &e.entity_id,
            &csv_cell(e.before.as_deref().unwrap_or("")),
            &csv_cell(e.after.as_deref().unwrap_or("")),
            &e.seq.map(|s| s.to_string()).unwrap_or_default(),
            &e.prev_hash,
            &e.hash,
        ])
        .map_err(anyhow::Error::from)?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?;
    // A BOM so Excel opens the UTF-8 (Chinese names) correctly.
    let mut body = vec![0xEF, 0xBB, 0xBF];
    body.extend(bytes);
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    res.headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"accord-audit.csv\""));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_and_entity_has_a_label_in_both_languages() {
        for lang in Lang::ALL {
            for a in ACTIONS {
                assert_ne!(label(lang, "audit-action", a), *a, "{lang:?} lacks a label for {a}");
            }
            for e in ENTITIES {
                assert_ne!(label(lang, "audit-entity", e), *e, "{lang:?} lacks a label for {e}");
            }
        }
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("＝HYPERLINK(1)"), "'＝HYPERLINK(1)");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("王立"), "王立");
    }

    #[test]
    fn summary_lists_changed_fields_only() {
        let s = summarize(Lang::En, "UTC", Some(r#"{"name":"A","phone":"1"}"#), Some(r#"{"name":"B","phone":"1"}"#));
        assert_eq!(s, "Name: A → B");
        assert_eq!(summarize(Lang::En, "UTC", None, Some(r#"{"zzz_x":"N"}"#)), "zzz_x: N");
        // Field names and known codes in the page's language, with Chinese punctuation.
        let s = summarize(Lang::ZhCn, "Asia/Shanghai", Some(r#"{"locale":"en"}"#), Some(r#"{"locale":"zh-CN"}"#));
        assert_eq!(s, "界面语言：English → 简体中文");
        // Recorded instants in the reader's zone.
        let s = summarize(Lang::En, "Asia/Shanghai", None, Some(r#"{"zzz_at":"2026-11-23T09:00:00Z"}"#));
        assert_eq!(s, "zzz_at: 2026-11-23 17:00");
    }
}
