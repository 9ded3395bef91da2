//! Criteria templates to start from: for a selection (price, capability, quality, delivery,
//! service, references) and for the periodic manual evaluation of a vendor. Three of each kind
//! ship with Accord; the host adds its own.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    directory::runs_directory,
    entity::template,
    selection::{CriterionInput, check_criteria},
};
use crate::{
    AppState,
    auth::Viewer,
    db, domain,
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
    i18n::Lang,
};

pub struct Template {
    /// `standard`, or `custom-{id}` for the host's own.
    pub key: String,
    pub name: String,
    pub criteria: Vec<(String, i32)>,
}

/// A shipped template's criteria: (criterion key, weight).
type Weights = &'static [(&'static str, i32)];

/// Shipped templates: (kind, key, criteria).
const SHIPPED: &[(&str, &str, Weights)] = &[
    ("selection", "standard", &[("price", 30), ("capability", 25), ("quality", 20), ("delivery", 15), ("service", 10)]),
    ("selection", "price_first", &[("price", 60), ("capability", 20), ("delivery", 20)]),
    ("selection", "quality_first", &[("capability", 35), ("quality", 30), ("references", 15), ("price", 20)]),
    (
        "evaluation",
        "quarterly",
        &[("quality", 30), ("delivery", 25), ("communication", 20), ("cooperation", 15), ("compliance", 10)],
    ),
    ("evaluation", "delivery_focus", &[("delivery", 50), ("quality", 30), ("communication", 20)]),
    ("evaluation", "service_focus", &[("service", 40), ("communication", 30), ("compliance", 30)]),
];

pub fn shipped(kind: &str, lang: Lang) -> Vec<Template> {
    SHIPPED
        .iter()
        .filter(|(k, _, _)| *k == kind)
        .map(|(_, key, crits)| Template {
            key: (*key).to_owned(),
            name: lang.t(&format!("template-{key}")),
            criteria: crits.iter().map(|(c, w)| (lang.t(&format!("criterion-{c}")), *w)).collect(),
        })
        .collect()
}

/// Every template of a kind: shipped ones in the viewer's language, then the host's own.
pub async fn all(state: &AppState, kind: &str, lang: Lang) -> AppResult<Vec<Template>> {
    let mut out = shipped(kind, lang);
    for t in template::Entity::find()
        .filter(template::Column::Kind.eq(kind))
        .order_by_asc(template::Column::Id)
        .all(&state.db)
        .await?
    {
        let criteria: Vec<Stored> = serde_json::from_str(&t.criteria).unwrap_or_default();
        out.push(Template {
            key: format!("custom-{}", t.id),
            name: t.name,
            criteria: criteria.into_iter().map(|c| (c.name, c.weight)).collect(),
        });
    }
    Ok(out)
}

#[derive(Serialize, Deserialize)]
struct Stored {
    name: String,
    weight: i32,
}

/// The criteria of the template `key`, or None when there is no such template.
pub async fn criteria_of(
    state: &AppState,
    kind: &str,
    key: &str,
    viewer: &Viewer,
) -> AppResult<Option<Vec<CriterionInput>>> {
    Ok(all(state, kind, viewer.lang())
        .await?
        .into_iter()
        .find(|t| t.key == key)
        .map(|t| t.criteria.into_iter().map(|(name, weight)| CriterionInput { name, weight }).collect()))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EvaluationTemplateInput)]
pub struct TemplateInput {
    /// selection | evaluation
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub criteria: Vec<CriterionInput>,
}

pub async fn add(state: &AppState, viewer: &Viewer, input: TemplateInput) -> AppResult<template::Model> {
    if !runs_directory(viewer) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    if !matches!(input.kind.as_str(), "selection" | "evaluation") {
        errors.add("kind", Msg::new("error-choice").arg("value", &input.kind));
    }
    let name = errors.take("name", domain::text(&input.name, true, 100));
    let criteria = check_criteria(&input.criteria, &mut errors);
    errors.into_result()?;
    let stored: Vec<Stored> = criteria.iter().map(|(n, w)| Stored { name: n.clone(), weight: *w }).collect();
    let tx = db::begin_write(&state.writer).await?;
    let t = template::ActiveModel {
        kind: Set(input.kind.clone()),
        name: Set(name.unwrap_or_default()),
        criteria: Set(serde_json::to_string(&stored).map_err(anyhow::Error::from)?),
        created_by: Set(viewer.user.id),
        created_at: Set(state.clock.now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"kind": t.kind, "name": t.name, "criteria": serde_json::to_value(&stored).unwrap_or_default()});
    record(&tx, state, viewer, "vendor.template_add", "evaluation_template", t.id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(t)
}
