//! The host's side of scorecards: periodic manual evaluations from a template (several
//! evaluators per period), KPI weights and grade bands, publishing a scorecard to its vendor,
//! and the ranking of vendors per category.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    directory::{self, CATEGORIES, list_of, runs_directory},
    entity::{evaluation, profile, publication},
    scorecard::{
        AsOf, KPIS, Period, SETTINGS_KEY, Scorecard, Settings, compute, compute_many, load_settings, parse_period,
        previous,
    },
    scoring::CriterionScore,
    templates,
};
use crate::{
    AppState,
    auth::{Viewer, lens::Lens},
    db::{self, settings},
    domain,
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
    parties::entity::party,
};

/// The scorecard the viewer may see: the host's live one; the vendor's own published one
/// (404 until the host publishes it). Clients never see scorecards.
pub async fn scorecard(state: &AppState, viewer: &Viewer, vendor: i64, period: &Period) -> AppResult<Scorecard> {
    directory::get(state, viewer, vendor).await?;
    if viewer.is_host() {
        let s = load_settings(&state.db).await?;
        return compute(&state.db, vendor, period, &AsOf::now(state), &s).await;
    }
    let published = publication::Entity::find()
        .filter(publication::Column::PartyId.eq(vendor))
        .filter(publication::Column::Period.eq(period.key.as_str()))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let card: Scorecard = serde_json::from_str(&published.snapshot).map_err(|e| AppError::Internal(e.into()))?;
    // Facts drawn from records the vendor may not see (an internal milestone, a defect on an
    // internal deliverable) count, unnamed.
    Ok(card.through(&Lens::outside(state, viewer).await?))
}

/// Totals of the periods before and including `period`, oldest first (for the trend chart).
pub async fn trend(
    state: &AppState,
    viewer: &Viewer,
    vendor: i64,
    period: &Period,
    n: usize,
) -> AppResult<Vec<(String, Option<f64>)>> {
    let mut periods = vec![period.clone()];
    for _ in 1..n {
        let before = previous(periods.last().unwrap_or(period));
        periods.push(before);
    }
    let mut out = Vec::new();
    for p in periods.iter().rev() {
        let total = match scorecard(state, viewer, vendor, p).await {
            Ok(s) => s.total,
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        };
        out.push((p.key.clone(), total));
    }
    Ok(out)
}

pub async fn publications(db: &impl ConnectionTrait, vendor: i64) -> AppResult<Vec<publication::Model>> {
    Ok(publication::Entity::find()
        .filter(publication::Column::PartyId.eq(vendor))
        .order_by_desc(publication::Column::Period)
        .all(db)
        .await?)
}

/// Publishes (or republishes) the scorecard of a period to the vendor as it stands now.
pub async fn publish(state: &AppState, viewer: &Viewer, vendor: i64, period: &Period) -> AppResult<Scorecard> {
    directory::get(state, viewer, vendor).await?;
    if !runs_directory(viewer) {
        return Err(AppError::Forbidden);
    }
    let card = scorecard(state, viewer, vendor, period).await?;
    if card.total.is_none() {
        return Err(AppError::Conflict(Msg::new("error-scorecard-empty")));
    }
    let snapshot = serde_json::to_string(&card).map_err(anyhow::Error::from)?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let existing = publication::Entity::find()
        .filter(publication::Column::PartyId.eq(vendor))
        .filter(publication::Column::Period.eq(period.key.as_str()))
        .one(&tx)
        .await?;
    match existing {
        Some(p) => {
            let mut am: publication::ActiveModel = p.into();
            am.snapshot = Set(snapshot);
            am.published_by = Set(viewer.user.id);
            am.published_at = Set(now);
            am.update(&tx).await?;
        }
        None => {
            publication::ActiveModel {
                party_id: Set(vendor),
                period: Set(period.key.clone()),
                snapshot: Set(snapshot),
                published_by: Set(viewer.user.id),
                published_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
    }
    let args = [("period", period.key.clone())];
    super::mail_party(state, &tx, vendor, "scorecard-published", vendor, &args, &[]).await?;
    let after = json!({"period": period.key, "total": card.total, "grade": card.grade});
    record(&tx, state, viewer, "vendor.scorecard_publish", "party", vendor, None, Some(after)).await?;
    tx.commit().await?;
    Ok(card)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    /// `2026Q3`
    #[serde(default)]
    pub period: String,
    /// An evaluation template's key (`quarterly`, …, or `custom-{id}`).
    #[serde(default)]
    pub template: String,
    /// One score (0–100) per criterion of the template.
    #[serde(default)]
    pub scores: Vec<CriterionScore>,
    #[serde(default)]
    pub comment: String,
}

/// Records the caller's evaluation of a vendor for a period (any host user; a second one by the
/// same evaluator for the same period replaces the first).
pub async fn evaluate(
    state: &AppState,
    viewer: &Viewer,
    vendor: i64,
    input: EvaluationInput,
) -> AppResult<evaluation::Model> {
    directory::get(state, viewer, vendor).await?;
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    let period = errors.take("period", parse_period(&input.period));
    let lang = viewer.lang();
    let template = templates::all(state, "evaluation", lang).await?.into_iter().find(|t| t.key == input.template);
    let comment = errors.take("comment", domain::text(&input.comment, false, 5000));
    let mut scores = Vec::new();
    match &template {
        None => errors.add("template", Msg::new("error-choice").arg("value", &input.template)),
        Some(t) => {
            for (name, weight) in &t.criteria {
                match input.scores.iter().find(|s| s.criterion.trim() == name) {
                    Some(CriterionScore { score: Some(v), .. }) if (0..=100).contains(v) => {
                        scores.push((name.clone(), *weight, *v))
                    }
                    Some(_) => {
                        errors.add(format!("scores.{name}"), Msg::new("error-range").arg("min", 0).arg("max", 100))
                    }
                    None => errors.add("scores", Msg::new("error-score-missing").arg("criterion", name)),
                }
            }
        }
    }
    errors.into_result()?;
    let (Some(period), Some(template)) = (period, template) else {
        return Err(AppError::Internal(anyhow::anyhow!("validated evaluation is incomplete")));
    };
    let total_bp: i32 = scores.iter().map(|(_, w, s)| w * s).sum();
    let stored = json!(scores.iter().map(|(n, w, s)| json!({"name": n, "weight": w, "score": s})).collect::<Vec<_>>());
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    evaluation::Entity::delete_many()
        .filter(evaluation::Column::PartyId.eq(vendor))
        .filter(evaluation::Column::Period.eq(period.key.as_str()))
        .filter(evaluation::Column::EvaluatorId.eq(viewer.user.id))
        .exec(&tx)
        .await?;
    let e = evaluation::ActiveModel {
        party_id: Set(vendor),
        period: Set(period.key.clone()),
        template: Set(template.name.clone()),
        scores: Set(stored.to_string()),
        total_bp: Set(total_bp),
        comment: Set(comment.unwrap_or_default()),
        evaluator_id: Set(viewer.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let after = json!({"period": e.period, "template": e.template, "scores": stored, "total_bp": total_bp});
    record(&tx, state, viewer, "vendor.evaluate", "party", vendor, None, Some(after)).await?;
    tx.commit().await?;
    Ok(e)
}

pub async fn evaluations(db: &impl ConnectionTrait, vendor: i64, period: &str) -> AppResult<Vec<evaluation::Model>> {
    Ok(evaluation::Entity::find()
        .filter(evaluation::Column::PartyId.eq(vendor))
        .filter(evaluation::Column::Period.eq(period))
        .order_by_asc(evaluation::Column::Id)
        .all(db)
        .await?)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    /// Weight per KPI key; missing keys weigh 0. They add up to 100.
    #[serde(default)]
    pub weights: std::collections::BTreeMap<String, i32>,
    pub grade_a: Option<i32>,
    pub grade_b: Option<i32>,
    pub grade_c: Option<i32>,
}

pub async fn save_settings(state: &AppState, viewer: &Viewer, input: SettingsInput) -> AppResult<Settings> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::default();
    for (k, w) in &input.weights {
        if !KPIS.iter().any(|(key, _)| key == k) {
            errors.add(format!("weights.{k}"), Msg::new("error-choice").arg("value", k));
        } else if !(0..=100).contains(w) {
            errors.add(format!("weights.{k}"), Msg::new("error-range").arg("min", 0).arg("max", 100));
        }
    }
    let sum: i32 = input.weights.values().sum();
    if sum != 100 {
        errors.add("weights", Msg::new("error-weights-sum").arg("sum", sum));
    }
    let before = load_settings(&state.db).await?;
    let (a, b, c) = (
        input.grade_a.unwrap_or(before.grade_a),
        input.grade_b.unwrap_or(before.grade_b),
        input.grade_c.unwrap_or(before.grade_c),
    );
    if !(0 < c && c < b && b < a && a <= 100) {
        errors.add("grade_a", Msg::new("error-grade-bands"));
    }
    errors.into_result()?;
    let s = Settings { weights: input.weights, grade_a: a, grade_b: b, grade_c: c };
    let tx = db::begin_write(&state.writer).await?;
    settings::set(&tx, SETTINGS_KEY, &serde_json::to_string(&s).map_err(anyhow::Error::from)?).await?;
    let (old, new) = (serde_json::to_value(&before).ok(), serde_json::to_value(&s).ok());
    record(&tx, state, viewer, "vendor.scorecard_settings", "setting", 0, old, new).await?;
    tx.commit().await?;
    Ok(s)
}

pub struct RankingRow {
    pub party: party::Model,
    pub status: String,
    pub card: Scorecard,
}

/// Vendors of a category (every vendor without one) ranked by their total for the period;
/// vendors without facts come last. The host only.
pub async fn ranking(
    state: &AppState,
    viewer: &Viewer,
    category: Option<&str>,
    period: &Period,
) -> AppResult<Vec<RankingRow>> {
    if !viewer.is_host() {
        return Err(AppError::Forbidden);
    }
    if let Some(c) = category
        && !CATEGORIES.contains(&c)
    {
        let mut errors = FieldErrors::default();
        errors.add("category", Msg::new("error-choice").arg("value", c));
        return Err(AppError::Validation(errors));
    }
    let s = load_settings(&state.db).await?;
    let at = AsOf::now(state);
    let vendors = party::Entity::find()
        .filter(party::Column::Kind.eq("vendor"))
        .order_by_asc(party::Column::Name)
        .all(&state.db)
        .await?;
    let mut profiles = directory::profiles_of(&state.db, &vendors.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
    let vendors: Vec<(party::Model, profile::Model)> = vendors
        .into_iter()
        .filter_map(|p| profiles.remove(&p.id).map(|prof| (p, prof)))
        .filter(|(_, prof)| category.is_none_or(|c| list_of(&prof.categories).iter().any(|x| x == c)))
        .collect();
    // One read of every vendor's facts, not one per vendor.
    let ids: Vec<i64> = vendors.iter().map(|(p, _)| p.id).collect();
    let cards = compute_many(&state.db, &ids, period, &at, &s).await?;
    let mut rows: Vec<RankingRow> = vendors
        .into_iter()
        .zip(cards)
        .map(|((party, prof), card)| RankingRow { party, status: prof.status, card })
        .collect();
    rows.sort_by(|a, b| match (a.card.total, b.card.total) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.party.name.cmp(&b.party.name),
    });
    Ok(rows)
}
