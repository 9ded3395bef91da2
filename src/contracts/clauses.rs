//! Structured clauses of a contract's working copy, and the clause library they are drafted
//! from: the templates Accord ships (in `library`) and the organisation's own.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    entity::{clause, clause_template, contract, obligation},
    library::{self, Template},
    service::{engagement_ids, load_to_edit},
};
use crate::{
    AppState,
    auth::Viewer,
    collab::party_sees,
    db,
    domain::{self, ClauseKind, Id},
    engagements::{
        entity::{deliverable, milestone},
        service::record,
    },
    error::{AppError, AppResult, FieldErrors, Msg},
    money::{Money, MoneyDto},
    parties::entity::party,
};

pub const MAX_CLAUSES: u64 = 200;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClauseInput {
    /// scope | schedule | delivery_standard | acceptance | payment | liability | ip |
    /// confidentiality | warranty | termination | other
    #[serde(default)]
    pub kind: String,
    /// Empty takes the template's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Empty takes the template's text.
    #[serde(default)]
    pub body: Option<String>,
    /// A library template to draft from: `builtin:<key>` or the id of one of ours.
    #[serde(default)]
    pub template: Option<String>,
    /// `YYYY-MM-DD`, for clauses with a date (schedule, delivery, payment).
    #[serde(default)]
    pub due_date: Option<String>,
    #[serde(default)]
    pub amount: Option<MoneyDto>,
    #[serde(default)]
    pub milestone_id: Option<Id>,
    #[serde(default)]
    pub deliverable_id: Option<Id>,
    /// For warranty clauses: months of warranty after final acceptance of the linked deliverable.
    #[serde(default)]
    pub warranty_months: Option<i32>,
    /// `host` or `counterparty`: also records an obligation of that side, due on `due_date`.
    #[serde(default)]
    pub owed_by: Option<String>,
}

pub async fn list(state: &AppState, contract_id: i64) -> AppResult<Vec<clause::Model>> {
    Ok(clause::Entity::find()
        .filter(clause::Column::ContractId.eq(contract_id))
        .order_by_asc(clause::Column::Position)
        .order_by_asc(clause::Column::Id)
        .all(&state.db)
        .await?)
}

/// A deliverable or milestone a contract may name: in one of its engagements and visible to
/// its counterparty (a clause never names what the other side may not see).
pub(crate) async fn check_deliverable(
    state: &AppState,
    c: &contract::Model,
    field: &str,
    id: Option<Id>,
    errors: &mut FieldErrors,
) -> AppResult<Option<deliverable::Model>> {
    let Some(Id(d)) = id else { return Ok(None) };
    let engagements = engagement_ids(&state.db, c.id).await?;
    let found = deliverable::Entity::find_by_id(d)
        .filter(deliverable::Column::EngagementId.is_in(engagements))
        .one(&state.db)
        .await?
        .filter(|d| party_sees(false, c.counterparty_id, &d.visibility, d.visible_party_id));
    if found.is_none() {
        errors.add(field, Msg::new("error-contract-deliverable"));
    }
    Ok(found)
}

pub(crate) async fn check_milestone(
    state: &AppState,
    c: &contract::Model,
    field: &str,
    id: Option<Id>,
    errors: &mut FieldErrors,
) -> AppResult<Option<milestone::Model>> {
    let Some(Id(m)) = id else { return Ok(None) };
    let engagements = engagement_ids(&state.db, c.id).await?;
    let found = milestone::Entity::find_by_id(m)
        .filter(milestone::Column::EngagementId.is_in(engagements))
        .one(&state.db)
        .await?
        .filter(|m| party_sees(false, c.counterparty_id, &m.visibility, m.visible_party_id));
    if found.is_none() {
        errors.add(field, Msg::new("error-contract-milestone"));
    }
    Ok(found)
}

/// The template named by `key`, in the language given (built-in ones have both).
pub async fn template(state: &AppState, key: &str, lang: &str) -> AppResult<Option<Template>> {
    if let Some(k) = key.strip_prefix("builtin:") {
        return Ok(library::builtin(k, lang));
    }
    let Ok(id) = key.trim().parse::<i64>() else { return Ok(None) };
    Ok(clause_template::Entity::find_by_id(id).one(&state.db).await?.map(|t| Template {
        key: t.id.to_string(),
        kind: ClauseKind::parse(&t.kind).unwrap_or(ClauseKind::Other),
        title: t.title,
        body: t.body,
        builtin: false,
    }))
}

pub async fn add(state: &AppState, viewer: &Viewer, contract_id: i64, input: ClauseInput) -> AppResult<clause::Model> {
    let c = load_to_edit(state, viewer, contract_id).await?;
    let mut errors = FieldErrors::default();
    let lang = viewer.user.locale.as_deref().unwrap_or("zh-CN");
    let tpl = match input.template.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(k) => {
            let t = template(state, k, lang).await?;
            if t.is_none() {
                errors.add("template", Msg::new("error-clause-template"));
            }
            t
        }
        None => None,
    };
    let kind_raw =
        if input.kind.trim().is_empty() { tpl.as_ref().map_or("", |t| t.kind.as_str()) } else { &input.kind };
    let kind = errors.take("kind", ClauseKind::parse(kind_raw));
    let pick = |given: &Option<String>, from_tpl: Option<&str>| -> String {
        match given.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            Some(g) => g.to_owned(),
            None => from_tpl.unwrap_or("").to_owned(),
        }
    };
    let title =
        errors.take("title", domain::text(&pick(&input.title, tpl.as_ref().map(|t| t.title.as_str())), true, 200));
    let body = errors.take(
        "body",
        domain::text(&pick(&input.body, tpl.as_ref().map(|t| t.body.as_str())), true, super::service::MAX_TEXT),
    );
    let due: Option<NaiveDate> = match input.due_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => errors.take("due_date", domain::parse_date(d)),
        None => None,
    };
    let amount = match &input.amount {
        Some(a) => match errors.take("amount", Money::try_from(a)) {
            Some(m) if m.currency != c.currency => {
                errors.add("amount", Msg::new("error-currency-mismatch").arg("currency", &c.currency));
                None
            }
            Some(m) if m.minor < 0 => {
                errors.add("amount", Msg::new("error-amount-negative"));
                None
            }
            other => other.map(|m| m.minor),
        },
        None => None,
    };
    let milestone = check_milestone(state, &c, "milestone_id", input.milestone_id, &mut errors).await?;
    let deliverable = check_deliverable(state, &c, "deliverable_id", input.deliverable_id, &mut errors).await?;
    let warranty = match input.warranty_months {
        Some(m) if !(1..=crate::engagements::deliverables::MAX_WARRANTY_MONTHS).contains(&m) => {
            errors.add(
                "warranty_months",
                Msg::new("error-warranty-months").arg("max", crate::engagements::deliverables::MAX_WARRANTY_MONTHS),
            );
            None
        }
        Some(m) if kind != Some(ClauseKind::Warranty) => {
            errors.add("warranty_months", Msg::new("error-warranty-clause-only"));
            Some(m)
        }
        other => other,
    };
    let owed_by = match input.owed_by.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => None,
        Some(side) => {
            let party = owed_party(state, &c, side).await?;
            if party.is_none() {
                errors.add("owed_by", Msg::new("error-owed-by"));
            } else if due.is_none() {
                errors.add("due_date", Msg::new("error-obligation-date"));
            }
            party
        }
    };
    let existing = clause::Entity::find().filter(clause::Column::ContractId.eq(c.id)).all(&state.db).await?;
    if existing.len() as u64 >= MAX_CLAUSES {
        errors.add("kind", Msg::new("error-clauses-count").arg("max", MAX_CLAUSES));
    }
    errors.into_result()?;
    let (Some(kind), Some(title), Some(body)) = (kind, title, body) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated clause input is incomplete")));
    };
    let now = state.clock.now();
    let position = existing.iter().map(|c| c.position).max().unwrap_or(0) + 1;
    let tx = db::begin_write(&state.writer).await?;
    let row = clause::ActiveModel {
        contract_id: Set(c.id),
        position: Set(position),
        kind: Set(kind.as_str().to_owned()),
        title: Set(title),
        body: Set(body),
        due_date: Set(due),
        amount_minor: Set(amount),
        milestone_id: Set(milestone.map(|m| m.id)),
        deliverable_id: Set(deliverable.map(|d| d.id)),
        warranty_months: Set(warranty),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    if let (Some(party_id), Some(due)) = (owed_by, due) {
        let o = obligation::ActiveModel {
            contract_id: Set(c.id),
            clause_id: Set(Some(row.id)),
            title: Set(row.title.clone()),
            description: Set(String::new()),
            owed_by_party_id: Set(party_id),
            due_date: Set(due),
            status: Set("open".into()),
            note: Set(String::new()),
            created_by: Set(viewer.user.id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let after = json!({"title": o.title, "owed_by_party_id": party_id, "due_date": due, "clause_id": row.id});
        record(&tx, state, viewer, "obligation.create", "contract", c.id, None, Some(after)).await?;
    }
    let after = json!({"position": row.position, "kind": row.kind, "title": row.title, "due_date": row.due_date,
                       "amount_minor": row.amount_minor, "milestone_id": row.milestone_id,
                       "deliverable_id": row.deliverable_id, "warranty_months": row.warranty_months});
    record(&tx, state, viewer, "contract.clause_add", "contract", c.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}

/// The party owing on one side of a contract: `host` or `counterparty`.
pub(crate) async fn owed_party(state: &AppState, c: &contract::Model, side: &str) -> AppResult<Option<i64>> {
    Ok(match side {
        "counterparty" => Some(c.counterparty_id),
        "host" => {
            party::Entity::find()
                .select_only()
                .column(party::Column::Id)
                .filter(party::Column::Kind.eq("host"))
                .into_tuple::<i64>()
                .one(&state.db)
                .await?
        }
        _ => None,
    })
}

pub async fn remove(state: &AppState, viewer: &Viewer, contract_id: i64, clause_id: i64) -> AppResult<()> {
    let c = load_to_edit(state, viewer, contract_id).await?;
    let tx = db::begin_write(&state.writer).await?;
    let found = clause::Entity::find_by_id(clause_id)
        .filter(clause::Column::ContractId.eq(c.id))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    clause::Entity::delete_by_id(found.id).exec(&tx).await?;
    let before = json!({"position": found.position, "kind": found.kind, "title": found.title});
    record(&tx, state, viewer, "contract.clause_remove", "contract", c.id, Some(before), None).await?;
    tx.commit().await?;
    Ok(())
}

/// The library: shipped templates in the viewer's language first, then the organisation's own.
pub async fn library(state: &AppState, lang: &str) -> AppResult<Vec<Template>> {
    let mut out: Vec<Template> = library::all(lang);
    let own = clause_template::Entity::find()
        .order_by_asc(clause_template::Column::Kind)
        .order_by_asc(clause_template::Column::Id)
        .all(&state.db)
        .await?;
    out.extend(own.into_iter().map(|t| Template {
        key: t.id.to_string(),
        kind: ClauseKind::parse(&t.kind).unwrap_or(ClauseKind::Other),
        title: t.title,
        body: t.body,
        builtin: false,
    }));
    Ok(out)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ClauseTemplateInput)]
pub struct TemplateInput {
    #[serde(default)]
    pub kind: String,
    /// zh-CN | en
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// Adds one of the organisation's own templates (contract drafters only).
pub async fn add_template(
    state: &AppState,
    viewer: &Viewer,
    input: TemplateInput,
) -> AppResult<clause_template::Model> {
    if !super::service::may_draft(state, viewer).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let kind = errors.take("kind", ClauseKind::parse(&input.kind));
    let locale = match input.locale.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => Some("zh-CN".to_owned()),
        Some(l @ ("zh-CN" | "en")) => Some(l.to_owned()),
        Some(_) => {
            errors.add("locale", Msg::new("error-locale"));
            None
        }
    };
    let title = errors.take("title", domain::text(&input.title, true, 200));
    let body = errors.take("body", domain::text(&input.body, true, super::service::MAX_TEXT));
    errors.into_result()?;
    let (Some(kind), Some(locale), Some(title), Some(body)) = (kind, locale, title, body) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated template input is incomplete")));
    };
    let tx = db::begin_write(&state.writer).await?;
    let row = clause_template::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        locale: Set(locale),
        title: Set(title),
        body: Set(body),
        created_by: Set(viewer.user.id),
        created_at: Set(state.clock.now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"kind": row.kind, "locale": row.locale, "title": row.title});
    record(&tx, state, viewer, "clause_template.create", "clause_template", row.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(row)
}
