//! The portfolio board: for every engagement the viewer may see, its health with the reasons,
//! progress, SPI and CPI (the host's), its live risks with the top one, its open issues by SLA
//! state and its open warnings; and the same counted across the whole (filtered) portfolio.
//!
//! Every figure is read through the scopes of the record it counts (risks like the risk
//! register, issues like the issue log, warnings like the warnings page), so a vendor or a client
//! sees the board of what is shared with it and nothing else. The counts come from a handful of
//! grouped statements over the whole portfolio, whatever its size; only the shown page's rows
//! load anything per record.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func, IntoCondition, Query, SimpleExpr},
};

use crate::{
    AppState,
    auth::Viewer,
    costs::snapshots,
    engagements::{
        self,
        dashboard::{PortfolioSummary, portfolio_summary},
        entity::{engagement, warning},
        service::EngagementFilter,
    },
    error::AppResult,
    i18n::Lang,
    issues::{self, entity::issue},
    risks::{self, entity::risk},
};

/// A risk scoring this much or more is high (the early-warning rule's default).
pub const HIGH_RISK: i16 = 15;
/// How many warnings a row names; the rest are counted.
const REASONS_SHOWN: usize = 3;

/// Open issues by where their SLA clocks stand (the worse of the two).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlaCounts {
    pub open: u64,
    pub at_risk: u64,
    pub breached: u64,
}

impl SlaCounts {
    pub fn ok(&self) -> u64 {
        self.open.saturating_sub(self.at_risk + self.breached)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WarningCounts {
    pub red: u64,
    pub amber: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopRisk {
    pub id: i64,
    pub engagement_id: i64,
    pub key: String,
    pub title: String,
    pub score: i16,
}

/// Live (not closed) risks of one engagement.
#[derive(Clone, Debug, Default)]
pub struct RiskFigures {
    pub live: u64,
    pub high: u64,
    pub top: Option<TopRisk>,
}

/// Earned value as last kept by the early-warning evaluation.
#[derive(Clone, Copy, Debug)]
pub struct Indices {
    pub day: NaiveDate,
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
}

pub struct Row {
    pub engagement: engagement::Model,
    pub progress: u8,
    /// The open warnings the viewer may see, red first, as sentences in its language.
    pub reasons: Vec<String>,
    /// Warnings beyond the ones named.
    pub more_reasons: usize,
    pub warnings: WarningCounts,
    /// The host's only.
    pub indices: Option<Indices>,
    pub risks: RiskFigures,
    pub issues: SlaCounts,
}

#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub engagements: PortfolioSummary,
    pub warnings: WarningCounts,
    pub risks_live: u64,
    pub risks_high: u64,
    pub issues: SlaCounts,
}

pub struct Board {
    pub summary: Summary,
    pub rows: Vec<Row>,
    /// The highest-scoring live risks across the portfolio.
    pub top_risks: Vec<(TopRisk, String)>,
    pub next_cursor: Option<String>,
}

/// `engagement_id IN (the engagements the viewer may see that pass the filter)`; nothing to
/// narrow for the host's whole portfolio.
fn within<C: ColumnTrait>(viewer: &Viewer, filter: &EngagementFilter, engagement_id: C) -> Condition {
    let cond = viewer.engagement_scope().add(filter.condition());
    if cond.is_empty() {
        return Condition::all();
    }
    let ids = Query::select().column(engagement::Column::Id).from(engagement::Entity).cond_where(cond).to_owned();
    Condition::all().add(Expr::col(engagement_id).in_subquery(ids))
}

/// `SUM(CASE WHEN cond THEN 1 ELSE 0 END)`: how many rows of a group meet `cond`.
fn count_if(cond: impl IntoCondition) -> SimpleExpr {
    Func::sum(Expr::case(cond, 1).finally(0)).into()
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Open warnings per engagement and severity.
async fn warning_counts(
    state: &AppState,
    viewer: &Viewer,
    filter: &EngagementFilter,
) -> AppResult<HashMap<i64, WarningCounts>> {
    let rows: Vec<(i64, String, i64)> = warning::Entity::find()
        .select_only()
        .column(warning::Column::EngagementId)
        .column(warning::Column::Severity)
        .column_as(warning::Column::Id.count(), "n")
        .filter(within(viewer, filter, warning::Column::EngagementId))
        .filter(warning::Column::ClearedAt.is_null())
        .filter(viewer.record_scope(warning::Column::Visibility, warning::Column::VisiblePartyId))
        .group_by(warning::Column::EngagementId)
        .group_by(warning::Column::Severity)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut out: HashMap<i64, WarningCounts> = HashMap::new();
    for (e, severity, n) in rows {
        let c = out.entry(e).or_default();
        if severity == "red" { c.red += count(n) } else { c.amber += count(n) }
    }
    Ok(out)
}

/// Live risks per engagement: all of them, and those scoring [`HIGH_RISK`] or more.
async fn risk_counts(
    state: &AppState,
    viewer: &Viewer,
    filter: &EngagementFilter,
) -> AppResult<HashMap<i64, (u64, u64)>> {
    let rows: Vec<(i64, i64, i64)> = risk::Entity::find()
        .select_only()
        .column(risk::Column::EngagementId)
        .column_as(risk::Column::Id.count(), "n")
        .column_as(count_if(risk::Column::Score.gte(HIGH_RISK)), "high")
        .filter(within(viewer, filter, risk::Column::EngagementId))
        .filter(risks::service::scope(viewer))
        .filter(risk::Column::Status.ne("closed"))
        .group_by(risk::Column::EngagementId)
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(rows.into_iter().map(|(e, n, high)| (e, (count(n), count(high)))).collect())
}

/// An open issue's SLA is breached: the resolution is past due, or the first response came (or
/// is still missing) after its due. The same as `issues::service::sla_state` for an issue that
/// is open or responded (its resolution clock still runs).
fn breached(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(issue::Column::ResolveDue.lt(now))
        .add(Condition::all().add(issue::Column::RespondedAt.is_null()).add(issue::Column::ResponseDue.lt(now)))
        // Null-safe, so that `NOT breached` is true rather than unknown for an unanswered issue.
        .add(
            Condition::all()
                .add(issue::Column::RespondedAt.is_not_null())
                .add(Expr::col(issue::Column::RespondedAt).gt(Expr::col(issue::Column::ResponseDue))),
        )
}

/// Not breached, but three quarters of a running clock's working time are gone.
fn at_risk(now: DateTime<Utc>) -> Condition {
    Condition::all().add(breached(now).not()).add(
        Condition::any().add(issue::Column::ResolveRiskAt.lte(now)).add(
            Condition::all().add(issue::Column::RespondedAt.is_null()).add(issue::Column::ResponseRiskAt.lte(now)),
        ),
    )
}

/// Open issues per engagement by SLA state.
async fn issue_counts(
    state: &AppState,
    viewer: &Viewer,
    filter: &EngagementFilter,
) -> AppResult<HashMap<i64, SlaCounts>> {
    let now = state.clock.now();
    let rows: Vec<(i64, i64, i64, i64)> = issue::Entity::find()
        .select_only()
        .column(issue::Column::EngagementId)
        .column_as(issue::Column::Id.count(), "n")
        .column_as(count_if(breached(now)), "breached")
        .column_as(count_if(at_risk(now)), "at_risk")
        .filter(within(viewer, filter, issue::Column::EngagementId))
        .filter(issues::service::scope(viewer))
        .filter(issue::Column::Status.is_in(["open", "responded"]))
        .group_by(issue::Column::EngagementId)
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(e, n, late, risky)| (e, SlaCounts { open: count(n), at_risk: count(risky), breached: count(late) }))
        .collect())
}

/// The top live risk of each of `ids`, as the viewer may see them.
async fn top_risk_of(state: &AppState, viewer: &Viewer, ids: &[i64]) -> AppResult<HashMap<i64, TopRisk>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64, String, String, i16)> = risk::Entity::find()
        .select_only()
        .columns([risk::Column::Id, risk::Column::EngagementId, risk::Column::Key, risk::Column::Title])
        .column(risk::Column::Score)
        .filter(risk::Column::EngagementId.is_in(ids.iter().copied()))
        .filter(risks::service::scope(viewer))
        .filter(risk::Column::Status.ne("closed"))
        .order_by_desc(risk::Column::Score)
        .order_by_asc(risk::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut out = HashMap::new();
    for (id, engagement_id, key, title, score) in rows {
        out.entry(engagement_id).or_insert(TopRisk { id, engagement_id, key, title, score });
    }
    Ok(out)
}

/// The highest-scoring live risks across the filtered portfolio, with their engagement's code.
async fn top_risks(
    state: &AppState,
    viewer: &Viewer,
    filter: &EngagementFilter,
    n: u64,
) -> AppResult<Vec<(TopRisk, String)>> {
    let rows = risk::Entity::find()
        .filter(within(viewer, filter, risk::Column::EngagementId))
        .filter(risks::service::scope(viewer))
        .filter(risk::Column::Status.ne("closed"))
        .order_by_desc(risk::Column::Score)
        .order_by_asc(risk::Column::Id)
        .limit(n)
        .all(&state.db)
        .await?;
    let codes: HashMap<i64, String> = engagement::Entity::find()
        .select_only()
        .columns([engagement::Column::Id, engagement::Column::Code])
        .filter(engagement::Column::Id.is_in(rows.iter().map(|r| r.engagement_id)))
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let code = codes.get(&r.engagement_id).cloned().unwrap_or_default();
            (TopRisk { id: r.id, engagement_id: r.engagement_id, key: r.key, title: r.title, score: r.score }, code)
        })
        .collect())
}

/// The open warnings of `ids` the viewer may see, red first.
async fn open_warnings(state: &AppState, viewer: &Viewer, ids: &[i64]) -> AppResult<HashMap<i64, Vec<warning::Model>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = warning::Entity::find()
        .filter(warning::Column::EngagementId.is_in(ids.iter().copied()))
        .filter(warning::Column::ClearedAt.is_null())
        .filter(viewer.record_scope(warning::Column::Visibility, warning::Column::VisiblePartyId))
        .order_by_asc(warning::Column::Id)
        .all(&state.db)
        .await?;
    let mut out: HashMap<i64, Vec<warning::Model>> = HashMap::new();
    for w in rows {
        out.entry(w.engagement_id).or_default().push(w);
    }
    for list in out.values_mut() {
        list.sort_by_key(|w| (w.severity != "red", w.id));
    }
    Ok(out)
}

fn ratio(milli: Option<i64>) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    milli.map(|m| m as f64 / 1000.0)
}

/// One page of the board (`limit` engagements after `after`, by id) with the counts of the whole
/// filtered portfolio.
pub async fn board(
    state: &AppState,
    viewer: &Viewer,
    filter: &EngagementFilter,
    lang: Lang,
    limit: u64,
    after: Option<i64>,
) -> AppResult<Board> {
    let engagements_summary = portfolio_summary(state, viewer, filter.condition()).await?;
    let warnings = warning_counts(state, viewer, filter).await?;
    let risks = risk_counts(state, viewer, filter).await?;
    let issues = issue_counts(state, viewer, filter).await?;
    let mut summary = Summary { engagements: engagements_summary, ..Summary::default() };
    for w in warnings.values() {
        summary.warnings.red += w.red;
        summary.warnings.amber += w.amber;
    }
    for (live, high) in risks.values() {
        summary.risks_live += live;
        summary.risks_high += high;
    }
    for i in issues.values() {
        summary.issues.open += i.open;
        summary.issues.at_risk += i.at_risk;
        summary.issues.breached += i.breached;
    }

    let (page, next_cursor) = engagements::service::list(state, viewer, filter, limit, after).await?;
    let ids: Vec<i64> = page.iter().map(|e| e.id).collect();
    let mut figures = engagements::service::figures(state, viewer, &ids, state.today()).await?;
    let mut tops = top_risk_of(state, viewer, &ids).await?;
    let mut open = open_warnings(state, viewer, &ids).await?;
    let mut indices = if viewer.is_host() { snapshots::latest(&state.db, &ids).await? } else { HashMap::new() };
    let rows = page
        .into_iter()
        .map(|e| {
            let listed = open.remove(&e.id).unwrap_or_default();
            let more_reasons = listed.len().saturating_sub(REASONS_SHOWN);
            let reasons = listed.iter().take(REASONS_SHOWN).map(|w| engagements::health::reason(lang, w)).collect();
            let (live, high) = risks.get(&e.id).copied().unwrap_or_default();
            Row {
                progress: figures.remove(&e.id).unwrap_or_default().progress,
                reasons,
                more_reasons,
                warnings: warnings.get(&e.id).copied().unwrap_or_default(),
                indices: indices.remove(&e.id).map(|s| Indices {
                    day: s.day,
                    spi: ratio(s.spi_milli),
                    cpi: ratio(s.cpi_milli),
                }),
                risks: RiskFigures { live, high, top: tops.remove(&e.id) },
                issues: issues.get(&e.id).copied().unwrap_or_default(),
                engagement: e,
            }
        })
        .collect();
    let top_risks = top_risks(state, viewer, filter, 5).await?;
    Ok(Board { summary, rows, top_risks, next_cursor })
}
