//! `GET /api/v1/monitoring`: the portfolio board as data.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Query, State},
};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::service::{self, Board, RiskFigures, SlaCounts, TopRisk, WarningCounts};
use crate::{
    AppState,
    auth::Viewer,
    domain::Id,
    engagements::{api::EngagementDto, dashboard::PortfolioSummary},
    error::{AppResult, Problem},
    web::json::page_params,
};

#[derive(Serialize, ToSchema)]
pub struct WarningCountsDto {
    pub red: u64,
    pub amber: u64,
}

impl From<WarningCounts> for WarningCountsDto {
    fn from(w: WarningCounts) -> Self {
        Self { red: w.red, amber: w.amber }
    }
}

/// Open issues (open or responded) by the state of their SLA clocks.
#[derive(Serialize, ToSchema)]
pub struct SlaCountsDto {
    pub open: u64,
    pub ok: u64,
    pub at_risk: u64,
    pub breached: u64,
}

impl From<SlaCounts> for SlaCountsDto {
    fn from(c: SlaCounts) -> Self {
        Self { open: c.open, ok: c.ok(), at_risk: c.at_risk, breached: c.breached }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TopRiskDto {
    pub id: Id,
    pub engagement_id: Id,
    pub key: String,
    pub title: String,
    pub score: i16,
}

impl From<TopRisk> for TopRiskDto {
    fn from(r: TopRisk) -> Self {
        Self { id: Id(r.id), engagement_id: Id(r.engagement_id), key: r.key, title: r.title, score: r.score }
    }
}

/// Live (not closed) risks.
#[derive(Serialize, ToSchema)]
pub struct RiskFiguresDto {
    pub live: u64,
    /// Scoring 15 or more.
    pub high: u64,
    pub top: Option<TopRiskDto>,
}

impl From<RiskFigures> for RiskFiguresDto {
    fn from(r: RiskFigures) -> Self {
        Self { live: r.live, high: r.high, top: r.top.map(Into::into) }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MonitoringRow {
    #[serde(flatten)]
    pub engagement: EngagementDto,
    /// Average progress of the tasks the caller may see.
    pub progress: u8,
    /// The first open warnings the caller may see, red first, in its language.
    pub health_reasons: Vec<String>,
    /// How many more warnings are open beyond those named.
    pub more_reasons: usize,
    pub warnings: WarningCountsDto,
    /// Schedule and cost performance as last evaluated (the host's only; null without a budget).
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
    pub evm_as_of: Option<NaiveDate>,
    pub risks: RiskFiguresDto,
    pub issues: SlaCountsDto,
}

#[derive(Serialize, ToSchema)]
pub struct MonitoringSummary {
    /// Engagements by health.
    pub engagements: PortfolioSummary,
    pub warnings: WarningCountsDto,
    pub risks_live: u64,
    pub risks_high: u64,
    pub issues: SlaCountsDto,
}

#[derive(Serialize, ToSchema)]
pub struct MonitoringBoard {
    pub summary: MonitoringSummary,
    pub items: Vec<MonitoringRow>,
    /// The highest-scoring live risks across the portfolio, with their engagement's code.
    pub top_risks: Vec<PortfolioRisk>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PortfolioRisk {
    #[serde(flatten)]
    pub risk: TopRiskDto,
    pub engagement_code: String,
}

pub(crate) fn board_dto(b: Board) -> MonitoringBoard {
    MonitoringBoard {
        summary: MonitoringSummary {
            engagements: b.summary.engagements,
            warnings: b.summary.warnings.into(),
            risks_live: b.summary.risks_live,
            risks_high: b.summary.risks_high,
            issues: b.summary.issues.into(),
        },
        items: b
            .rows
            .into_iter()
            .map(|r| MonitoringRow {
                spi: r.indices.and_then(|i| i.spi),
                cpi: r.indices.and_then(|i| i.cpi),
                evm_as_of: r.indices.map(|i| i.day),
                engagement: r.engagement.into(),
                progress: r.progress,
                health_reasons: r.reasons,
                more_reasons: r.more_reasons,
                warnings: r.warnings.into(),
                risks: r.risks.into(),
                issues: r.issues.into(),
            })
            .collect(),
        top_risks: b
            .top_risks
            .into_iter()
            .map(|(r, code)| PortfolioRisk { risk: r.into(), engagement_code: code })
            .collect(),
        next_cursor: b.next_cursor,
    }
}

/// The portfolio board: every engagement the caller may see with health and its reasons,
/// progress, SPI/CPI (host), live risks, open issues by SLA state and open warnings; `summary`
/// counts across all pages. Filters `state`, `kind`, `health`, `q`.
#[utoipa::path(get, path = "/api/v1/monitoring", tag = "monitoring",
    params(("state" = Option<String>, Query), ("kind" = Option<String>, Query), ("health" = Option<String>, Query),
           ("q" = Option<String>, Query), ("limit" = Option<u64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = MonitoringBoard), (status = 422, body = Problem)))]
pub async fn board(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Json<MonitoringBoard>> {
    let (limit, after) = page_params(&q)?;
    let filter = crate::engagements::api::filter_of(&q);
    let b = service::board(&state, &viewer, &filter, viewer.lang(), limit, after).await?;
    Ok(Json(board_dto(b)))
}
