//! Scoring a selection's bids: each evaluator fills one sheet per bid (every criterion, 0–100)
//! once bidding has ended; nobody sees another's sheet, and once every sheet is in (the ranking
//! opens) they are final.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use serde_json::json;

use super::{
    entity::score,
    ranking::progress,
    selection::{bidders, criteria, load, phase, reload},
};
use crate::{
    AppState,
    auth::Viewer,
    db,
    domain::Id,
    engagements::service::record,
    error::{AppError, AppResult, FieldErrors, Msg},
};

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionScore {
    /// The criterion's name (or its id as a string).
    #[serde(default)]
    pub criterion: String,
    /// 0–100
    pub score: Option<i32>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    pub vendor_id: Option<Id>,
    /// One score per criterion, every criterion.
    #[serde(default)]
    pub scores: Vec<CriterionScore>,
}

/// Records the caller's score sheet for one bid (an evaluator, once bidding has ended, until
/// the award); a second sheet for the same bid replaces the first.
pub async fn score(state: &AppState, viewer: &Viewer, id: i64, input: ScoreInput) -> AppResult<usize> {
    let (s, access) = load(state, viewer, id).await?;
    if !access.evaluate {
        return Err(AppError::Forbidden);
    }
    let crits = criteria(&state.db, id).await?;
    let mut errors = FieldErrors::default();
    let vendor = input.vendor_id.map(|i| i.0);
    let has_bid = match vendor {
        Some(v) => bidders(&state.db, id).await?.iter().any(|(p, _)| *p == v),
        None => false,
    };
    if !has_bid {
        errors.add("vendor_id", Msg::new(if vendor.is_none() { "error-required" } else { "error-no-bid" }));
    }
    let mut sheet: HashMap<i64, i32> = HashMap::new();
    for (i, cs) in input.scores.iter().enumerate() {
        let key = cs.criterion.trim();
        let Some(c) = crits.iter().find(|c| c.name == key || c.id.to_string() == key) else {
            errors.add(format!("scores[{i}].criterion"), Msg::new("error-criterion-unknown").arg("value", key));
            continue;
        };
        match cs.score {
            Some(v) if (0..=100).contains(&v) => {
                if sheet.insert(c.id, v).is_some() {
                    errors.add(format!("scores[{i}].criterion"), Msg::new("error-criterion-duplicate"));
                }
            }
            Some(_) => errors.add(format!("scores[{i}].score"), Msg::new("error-range").arg("min", 0).arg("max", 100)),
            None => errors.add(format!("scores[{i}].score"), Msg::new("error-required")),
        }
    }
    if errors.is_empty() {
        for c in &crits {
            if !sheet.contains_key(&c.id) {
                errors.add("scores", Msg::new("error-score-missing").arg("criterion", &c.name));
            }
        }
    }
    errors.into_result()?;
    let Some(vendor) = vendor else { return Err(AppError::Internal(anyhow::anyhow!("validated score sheet"))) };
    let now = state.clock.now();
    let tx = db::begin_write(&state.writer).await?;
    let s = reload(&tx, s.id).await?;
    if phase(&s, now) != "evaluating" {
        return Err(AppError::Conflict(Msg::new(if phase(&s, now) == "bidding" {
            "error-scoring-before-close"
        } else {
            "error-selection-decided"
        })));
    }
    // Once every sheet is in, the ranking is open to the evaluators: a sheet changed after that
    // would be scored with the others' figures in view.
    let (done, needed) = progress(&tx, &s).await?;
    if needed > 0 && done == needed {
        return Err(AppError::Conflict(Msg::new("error-scores-final")));
    }
    score::Entity::delete_many()
        .filter(score::Column::SelectionId.eq(id))
        .filter(score::Column::EvaluatorId.eq(viewer.user.id))
        .filter(score::Column::PartyId.eq(vendor))
        .exec(&tx)
        .await?;
    for c in &crits {
        score::ActiveModel {
            selection_id: Set(id),
            evaluator_id: Set(viewer.user.id),
            party_id: Set(vendor),
            criterion_id: Set(c.id),
            score: Set(sheet[&c.id]),
            scored_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    let after = json!({"vendor_id": vendor,
        "scores": crits.iter().map(|c| json!({"criterion": c.name, "score": sheet[&c.id]})).collect::<Vec<_>>()});
    record(&tx, state, viewer, "selection.score", "selection", id, None, Some(after)).await?;
    tx.commit().await?;
    Ok(crits.len())
}

/// The caller's own scores: (vendor, criterion) → score.
pub async fn my_scores(db: &impl ConnectionTrait, id: i64, user_id: i64) -> AppResult<HashMap<(i64, i64), i32>> {
    Ok(score::Entity::find()
        .filter(score::Column::SelectionId.eq(id))
        .filter(score::Column::EvaluatorId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| ((s.party_id, s.criterion_id), s.score))
        .collect())
}
