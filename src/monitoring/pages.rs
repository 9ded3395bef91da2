//! `/monitoring`: the portfolio board page.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};

use super::service::{self, Summary};
use crate::{
    AppState,
    auth::Viewer,
    db,
    engagements::pages::ListQuery,
    error::AppResult,
    risks::service::band,
    web::{PageCtx, render},
};

pub struct TopRiskView {
    pub url: String,
    pub key: String,
    pub title: String,
    pub score: i16,
    pub band: &'static str,
    pub engagement_code: String,
}

pub struct RowView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub state: String,
    pub health: String,
    pub progress: u8,
    pub reasons: Vec<String>,
    pub more_reasons: usize,
    pub red: u64,
    pub amber: u64,
    /// "0.92", or empty when not measured.
    pub spi: String,
    pub spi_low: bool,
    pub cpi: String,
    pub cpi_low: bool,
    pub evm_as_of: String,
    pub risks_live: u64,
    pub risks_high: u64,
    pub top_risk: Option<TopRiskView>,
    pub issues_open: u64,
    pub issues_ok: u64,
    pub issues_at_risk: u64,
    pub issues_breached: u64,
}

#[derive(Template)]
#[template(path = "monitoring/board.html")]
struct BoardPage {
    page: PageCtx,
    summary: Summary,
    rows: Vec<RowView>,
    top_risks: Vec<TopRiskView>,
    next_cursor: Option<String>,
    state: String,
    kind: String,
    q: String,
    health: String,
    /// SPI and CPI are the host's.
    host: bool,
}

/// Below this an index shows as late or over.
const INDEX_LOW: f64 = 0.9;

fn index_text(v: Option<f64>) -> (String, bool) {
    v.map_or((String::new(), false), |x| (format!("{x:.2}"), x < INDEX_LOW))
}

fn risk_view(r: service::TopRisk, engagement_code: String) -> TopRiskView {
    TopRiskView {
        url: format!("/engagements/{}/risks/{}", r.engagement_id, r.id),
        band: band(r.score),
        key: r.key,
        title: r.title,
        score: r.score,
        engagement_code,
    }
}

pub async fn board(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let b = service::board(&state, &viewer, &q.filter(), page.language, db::DEFAULT_LIMIT, q.after()).await?;
    let rows = b
        .rows
        .into_iter()
        .map(|r| {
            let (spi, spi_low) = index_text(r.indices.and_then(|i| i.spi));
            let (cpi, cpi_low) = index_text(r.indices.and_then(|i| i.cpi));
            let code = r.engagement.code.clone();
            RowView {
                id: r.engagement.id,
                name: r.engagement.name,
                state: r.engagement.state,
                health: r.engagement.health,
                progress: r.progress,
                reasons: r.reasons,
                more_reasons: r.more_reasons,
                red: r.warnings.red,
                amber: r.warnings.amber,
                spi,
                spi_low,
                cpi,
                cpi_low,
                evm_as_of: r.indices.map(|i| i.day.to_string()).unwrap_or_default(),
                risks_live: r.risks.live,
                risks_high: r.risks.high,
                top_risk: r.risks.top.map(|t| risk_view(t, code.clone())),
                issues_open: r.issues.open,
                issues_ok: r.issues.ok(),
                issues_at_risk: r.issues.at_risk,
                issues_breached: r.issues.breached,
                code,
            }
        })
        .collect();
    render(&BoardPage {
        summary: b.summary,
        rows,
        top_risks: b.top_risks.into_iter().map(|(r, code)| risk_view(r, code)).collect(),
        next_cursor: b.next_cursor,
        state: q.state,
        kind: q.kind,
        q: q.q,
        health: q.health,
        host: viewer.is_host(),
        page,
    })
}
