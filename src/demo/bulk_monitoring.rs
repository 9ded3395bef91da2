//! What the portfolio board reads, in bulk: for each bench engagement three risks (internal,
//! shared, the vendor's own), two open issues (one shared and past its SLA, one the vendor's and
//! on time), an open warning on half of them, and the day's earned-value snapshot.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use crate::error::AppResult;

/// Where the rows go and who raised them.
pub(super) struct Run {
    pub first_id: i64,
    pub engagements: u32,
    /// A person of the host, and the host party.
    pub host_user: i64,
    pub host: i64,
    pub vendor: i64,
    pub now: DateTime<Utc>,
}

fn at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.6f+00:00").to_string()
}

async fn insert(tx: &DatabaseTransaction, head: &str, rows: &[String]) -> AppResult<()> {
    for chunk in rows.chunks(500) {
        tx.execute_unprepared(&format!("{head} VALUES {}", chunk.join(","))).await?;
    }
    Ok(())
}

pub(super) async fn seed(tx: &DatabaseTransaction, run: &Run) -> AppResult<()> {
    let Run { first_id, host_user, host, vendor, now, .. } = *run;
    let ts = at(now);
    let (mut risks, mut issues, mut warnings, mut snapshots) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..i64::from(run.engagements) {
        let e = first_id + i;
        for (seq, visibility, party) in [
            (1, "internal", "NULL".to_owned()),
            (2, "participants", "NULL".to_owned()),
            (3, "party", vendor.to_string()),
        ] {
            let (p, imp) = (1 + (i + seq) % 5, 1 + (i * 3 + seq) % 5);
            risks.push(format!(
                "({e}, {seq}, 'R-{seq:03}', '基准风险 {i}-{seq}', 'schedule', {p}, {imp}, {}, 'mitigate', 'open', \
                 {host_user}, {host}, '{visibility}', {party}, '{ts}', '{ts}')",
                p * imp
            ));
        }
        // One shared critical issue raised two days ago (past both clocks), one of the vendor's
        // raised now (on time).
        let old = now - Duration::days(2);
        for (seq, severity, visibility, party, from, minutes) in [
            (1, "critical", "participants", "NULL".to_owned(), old, (60, 540)),
            (2, "low", "party", vendor.to_string(), now, (1_080, 5_400)),
        ] {
            let (respond, resolve) = (from + Duration::minutes(minutes.0), from + Duration::minutes(minutes.1));
            let (respond_risk, resolve_risk) =
                (from + Duration::minutes(minutes.0 * 3 / 4), from + Duration::minutes(minutes.1 * 3 / 4));
            issues.push(format!(
                "({e}, {seq}, 'I-{seq:03}', '基准问题 {i}-{seq}', 'issue', '{severity}', 'open', {host_user}, {host}, \
                 '{visibility}', {party}, '{}', '{}', {}, {}, '{}', '{}', '{}', '{}')",
                at(respond),
                at(resolve),
                minutes.0,
                minutes.1,
                at(respond_risk),
                at(resolve_risk),
                at(from),
                at(from)
            ));
        }
        if i % 2 == 0 {
            let severity = if i % 4 == 0 { "red" } else { "amber" };
            warnings.push(format!(
                "({e}, 'risk_high', 'risk:bench-{e}', '{severity}', '{{\"key\":\"R-002\",\"title\":\"基准风险\",\"score\":\"16\"}}', \
                 'participants', NULL, '{ts}', NULL, '{ts}')"
            ));
        }
        let (spi, cpi) = (800 + (i * 37) % 400, 850 + (i * 53) % 300);
        snapshots.push(format!(
            "({e}, '{}', 'CNY', 100000000, 50000000, {}, {}, {spi}, {cpi}, '{ts}')",
            now.date_naive(),
            50_000 * spi,
            50_000 * spi * 1000 / cpi
        ));
    }
    insert(
        tx,
        "INSERT INTO risks (engagement_id, seq, key, title, category, probability, impact, score, strategy, status, \
         raised_by, raised_party_id, visibility, visible_party_id, created_at, updated_at)",
        &risks,
    )
    .await?;
    insert(
        tx,
        "INSERT INTO issues (engagement_id, seq, key, title, kind, severity, status, raised_by, raised_party_id, \
         visibility, visible_party_id, response_due, resolve_due, response_minutes, resolve_minutes, \
         response_risk_at, resolve_risk_at, created_at, updated_at)",
        &issues,
    )
    .await?;
    insert(
        tx,
        "INSERT INTO warnings (engagement_id, rule, subject_key, severity, args, visibility, visible_party_id, \
         raised_at, cleared_at, updated_at)",
        &warnings,
    )
    .await?;
    insert(
        tx,
        "INSERT INTO evm_snapshots (engagement_id, day, currency, bac, pv, ev, ac, spi_milli, cpi_milli, updated_at)",
        &snapshots,
    )
    .await
}
