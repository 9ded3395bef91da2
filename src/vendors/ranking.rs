//! The weighted ranking of a selection's bids: per criterion the mean of the evaluators'
//! scores, weighted by the criterion's share of 100. Sealed until every evaluator has scored
//! every bid, so nobody scores with the others' figures in view.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    entity::{bid, criterion, score, selection},
    selection::{criteria, evaluators, load, money_of, phase},
};
use crate::{
    AppState,
    auth::Viewer,
    error::{AppError, AppResult, Msg},
    money::Money,
    parties::entity::party,
};

pub struct Ranked {
    pub rank: usize,
    pub party_id: i64,
    pub name: String,
    pub price: Money,
    /// Mean score per criterion, in the criteria's order.
    pub means: Vec<f64>,
    /// Each evaluator's weighted total for this bid, in the evaluators' order.
    pub by_evaluator: Vec<f64>,
    pub total: f64,
}

pub struct Ranking {
    pub criteria: Vec<criterion::Model>,
    pub evaluator_ids: Vec<i64>,
    pub rows: Vec<Ranked>,
}

/// Score sheets in and needed: one per evaluator and bid, complete when it scores every criterion.
pub async fn progress(db: &impl ConnectionTrait, s: &selection::Model) -> AppResult<(usize, usize)> {
    let crits = criteria(db, s.id).await?.len();
    let evals = evaluators(db, s.id).await?;
    let bids = bid::Entity::find().filter(bid::Column::SelectionId.eq(s.id)).all(db).await?;
    let mut per_sheet: HashMap<(i64, i64), usize> = HashMap::new();
    for sc in score::Entity::find().filter(score::Column::SelectionId.eq(s.id)).all(db).await? {
        *per_sheet.entry((sc.evaluator_id, sc.party_id)).or_default() += 1;
    }
    let needed = evals.len() * bids.len();
    let done = evals
        .iter()
        .flat_map(|e| bids.iter().map(move |b| (*e, b.party_id)))
        .filter(|k| per_sheet.get(k).copied().unwrap_or(0) >= crits && crits > 0)
        .count();
    Ok((done, needed))
}

/// The ranking, for the host's side of a selection once every score sheet is in.
pub async fn ranking(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<Ranking> {
    let (s, access) = load(state, viewer, id).await?;
    if !access.host {
        return Err(AppError::Forbidden);
    }
    if phase(&s, state.clock.now()) == "bidding" {
        return Err(AppError::Conflict(Msg::new("error-ranking-bidding")));
    }
    let (done, needed) = progress(&state.db, &s).await?;
    if needed == 0 || done < needed {
        return Err(AppError::Conflict(Msg::new("error-scores-sealed").arg("done", done).arg("needed", needed)));
    }
    compute(&state.db, &s).await
}

/// Computes the ranking from the stored scores (callers check that it may be shown).
pub async fn compute(db: &impl ConnectionTrait, s: &selection::Model) -> AppResult<Ranking> {
    let crits = criteria(db, s.id).await?;
    let evals = evaluators(db, s.id).await?;
    // In the order they came in, so the stable sort below leaves the earlier bid first in a tie.
    let bids = bid::Entity::find()
        .filter(bid::Column::SelectionId.eq(s.id))
        .order_by_asc(bid::Column::SubmittedAt)
        .order_by_asc(bid::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<i64, String> = party::Entity::find()
        .filter(party::Column::Id.is_in(bids.iter().map(|b| b.party_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut cell: HashMap<(i64, i64, i64), i32> = HashMap::new();
    for sc in score::Entity::find().filter(score::Column::SelectionId.eq(s.id)).all(db).await? {
        cell.insert((sc.party_id, sc.evaluator_id, sc.criterion_id), sc.score);
    }
    let mut rows: Vec<Ranked> = bids
        .iter()
        .map(|b| {
            let means: Vec<f64> = crits
                .iter()
                .map(|c| {
                    let got: Vec<f64> =
                        evals.iter().filter_map(|e| cell.get(&(b.party_id, *e, c.id))).map(|v| f64::from(*v)).collect();
                    if got.is_empty() { 0.0 } else { got.iter().sum::<f64>() / got.len() as f64 }
                })
                .collect();
            let by_evaluator = evals
                .iter()
                .map(|e| {
                    crits
                        .iter()
                        .map(|c| {
                            f64::from(cell.get(&(b.party_id, *e, c.id)).copied().unwrap_or(0)) * f64::from(c.weight)
                        })
                        .sum::<f64>()
                        / 100.0
                })
                .collect();
            let total = crits.iter().zip(&means).map(|(c, m)| m * f64::from(c.weight)).sum::<f64>() / 100.0;
            Ranked {
                rank: 0,
                party_id: b.party_id,
                name: names.get(&b.party_id).cloned().unwrap_or_default(),
                price: money_of(s, b.price_minor),
                means,
                by_evaluator,
                total,
            }
        })
        .collect();
    // Highest total first; a tie goes to the lower price, then the earlier bid.
    rows.sort_by(|a, b| b.total.total_cmp(&a.total).then(a.price.minor.cmp(&b.price.minor)));
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(Ranking { criteria: crits, evaluator_ids: evals, rows })
}
