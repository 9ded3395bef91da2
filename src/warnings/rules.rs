//! The rules of early warning, their defaults, and what each finds in an engagement today.
//!
//! Each finding carries the visibility of what it is about, so a vendor or client reads only
//! the warnings about records shared with it: SPI, CPI and the critical path are the host's;
//! a risk's warning is seen like the risk; a contract's like the contract (host and
//! counterparty); a certificate's by the host and the vendor holding it; a vendor's grade is
//! the host's.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};

use crate::{
    AppState,
    contracts::entity::{contract, contract_engagement, installment, obligation},
    domain::{ContractState, Visibility},
    engagements::{
        entity::{engagement, milestone, participant, task, warning_rule},
        network::ChartPlan,
    },
    error::AppResult,
    risks::entity::risk,
    vendors::entity::certificate,
};

/// The rules, in the order the pages list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    Spi,
    Cpi,
    MilestoneLate,
    CriticalTaskLate,
    RiskHigh,
    ObligationOverdue,
    InstallmentOverdue,
    CertificateExpiring,
    SlaBreach,
    VendorGradeDrop,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::Spi,
        Rule::Cpi,
        Rule::MilestoneLate,
        Rule::CriticalTaskLate,
        Rule::RiskHigh,
        Rule::ObligationOverdue,
        Rule::InstallmentOverdue,
        Rule::CertificateExpiring,
        Rule::SlaBreach,
        Rule::VendorGradeDrop,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Spi => "spi_below",
            Rule::Cpi => "cpi_below",
            Rule::MilestoneLate => "milestone_late",
            Rule::CriticalTaskLate => "critical_task_late",
            Rule::RiskHigh => "risk_high",
            Rule::ObligationOverdue => "obligation_overdue",
            Rule::InstallmentOverdue => "installment_overdue",
            Rule::CertificateExpiring => "certificate_expiring",
            Rule::SlaBreach => "sla_breach",
            Rule::VendorGradeDrop => "vendor_grade_drop",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The default threshold, in the rule's unit.
    pub fn default_threshold(self) -> i64 {
        match self {
            Rule::Spi | Rule::Cpi => 900,
            Rule::RiskHigh => 15,
            Rule::CertificateExpiring => 30,
            Rule::VendorGradeDrop => 1,
            _ => 0,
        }
    }

    /// The unit of the threshold: `ratio` (thousandths), `score` or `days` (of grace, or ahead).
    pub fn unit(self) -> &'static str {
        match self {
            Rule::Spi | Rule::Cpi => "ratio",
            Rule::RiskHigh => "score",
            Rule::VendorGradeDrop => "grades",
            _ => "days",
        }
    }

    /// The range a threshold must fall in.
    pub fn range(self) -> (i64, i64) {
        match self {
            Rule::Spi | Rule::Cpi => (1, 2_000),
            Rule::RiskHigh => (1, 25),
            Rule::VendorGradeDrop => (1, 3),
            _ => (0, 365),
        }
    }
}

/// A rule as it runs for one engagement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub rule: Rule,
    pub enabled: bool,
    pub threshold: i64,
    pub notify: Vec<i64>,
}

/// Every rule of an engagement: its stored setting, or the default.
pub async fn settings(db: &impl sea_orm::ConnectionTrait, engagement_id: i64) -> AppResult<Vec<Setting>> {
    let stored: HashMap<String, warning_rule::Model> = warning_rule::Entity::find()
        .filter(warning_rule::Column::EngagementId.eq(engagement_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.rule.clone(), r))
        .collect();
    Ok(Rule::ALL
        .into_iter()
        .map(|rule| match stored.get(rule.as_str()) {
            Some(s) => Setting {
                rule,
                enabled: s.enabled,
                threshold: s.threshold,
                notify: serde_json::from_str(&s.notify_user_ids).unwrap_or_default(),
            },
            None => Setting { rule, enabled: true, threshold: rule.default_threshold(), notify: Vec::new() },
        })
        .collect())
}

/// What a rule found: one warning to keep open.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    pub subject_key: String,
    pub severity: &'static str,
    pub args: Value,
    pub visibility: Visibility,
    pub visible_party_id: Option<i64>,
}

fn host_only(rule: Rule, subject_key: String, severity: &'static str, args: Value) -> Finding {
    Finding { rule, subject_key, severity, args, visibility: Visibility::Internal, visible_party_id: None }
}

fn ratio_text(milli: i64) -> String {
    format!("{}.{:02}", milli / 1000, (milli % 1000) / 10)
}

/// Everything the enabled rules find in the engagement today, given its earned value of today.
pub async fn findings(
    state: &AppState,
    e: &engagement::Model,
    rules: &[Setting],
    evm: &crate::costs::evm::Evm,
) -> AppResult<Vec<Finding>> {
    let today = state.today();
    let on = |r: Rule| rules.iter().find(|s| s.rule == r && s.enabled).map(|s| s.threshold);
    let mut out = Vec::new();

    if on(Rule::Spi).is_some() || on(Rule::Cpi).is_some() {
        #[allow(clippy::cast_possible_truncation)]
        let milli = |r: Option<f64>| r.map(|x| (x * 1000.0).round() as i64);
        // Only with a budget and something due (SPI) or spent (CPI) is there anything to measure.
        let measured = evm.bac > 0;
        for (rule, value) in [(Rule::Spi, milli(evm.spi)), (Rule::Cpi, milli(evm.cpi))] {
            if let (Some(t), Some(x), true) = (on(rule), value, measured)
                && x < t
            {
                let severity = if x < t - 100 { "red" } else { "amber" };
                let args = json!({"value": ratio_text(x), "threshold": ratio_text(t)});
                out.push(host_only(rule, String::new(), severity, args));
            }
        }
    }

    if let Some(grace) = on(Rule::MilestoneLate) {
        let late = milestone::Entity::find()
            .filter(milestone::Column::EngagementId.eq(e.id))
            .filter(milestone::Column::Status.eq("planned"))
            .filter(milestone::Column::DueDate.lt(crate::domain::add_days(today, -grace)))
            .all(&state.db)
            .await?;
        for m in late {
            out.push(Finding {
                rule: Rule::MilestoneLate,
                subject_key: format!("milestone:{}", m.id),
                severity: "red",
                args: json!({"name": m.name, "due": m.due_date.to_string()}),
                visibility: Visibility::parse(&m.visibility).unwrap_or(Visibility::Internal),
                visible_party_id: m.visible_party_id,
            });
        }
    }

    if let Some(grace) = on(Rule::CriticalTaskLate) {
        let cutoff = crate::domain::add_days(today, -grace);
        let late: Vec<(i64, String)> = task::Entity::find()
            .select_only()
            .column(task::Column::Id)
            .column(task::Column::Name)
            .filter(task::Column::EngagementId.eq(e.id))
            .filter(task::Column::Status.ne("done"))
            .filter(task::Column::FinishDate.lt(cutoff))
            .into_tuple()
            .all(&state.db)
            .await?;
        if !late.is_empty() {
            let plan = ChartPlan::read(state, e).await?;
            let critical = tokio::task::spawn_blocking(move || plan.critical())
                .await
                .map_err(|err| crate::error::AppError::Internal(anyhow::anyhow!("critical path: {err}")))??;
            let names: Vec<&str> =
                late.iter().filter(|(id, _)| critical.contains(id)).map(|(_, n)| n.as_str()).collect();
            if !names.is_empty() {
                let args = json!({"count": names.len(), "first": names[0]});
                out.push(host_only(Rule::CriticalTaskLate, String::new(), "amber", args));
            }
        }
    }

    if let Some(min) = on(Rule::RiskHigh) {
        let high = risk::Entity::find()
            .filter(risk::Column::EngagementId.eq(e.id))
            .filter(risk::Column::Status.ne("closed"))
            .filter(risk::Column::Score.gte(min))
            .all(&state.db)
            .await?;
        for r in high {
            out.push(Finding {
                rule: Rule::RiskHigh,
                subject_key: format!("risk:{}", r.id),
                severity: if r.score >= 20 { "red" } else { "amber" },
                args: json!({"key": r.key, "title": r.title, "score": r.score}),
                visibility: Visibility::parse(&r.visibility).unwrap_or(Visibility::Internal),
                visible_party_id: r.visible_party_id,
            });
        }
    }

    // Contracts covering the engagement, in force: what they owe and what is owed on them.
    let watch_contracts = on(Rule::ObligationOverdue).is_some() || on(Rule::InstallmentOverdue).is_some();
    let contracts: HashMap<i64, contract::Model> = if watch_contracts {
        let ids: Vec<i64> = contract_engagement::Entity::find()
            .select_only()
            .column(contract_engagement::Column::ContractId)
            .filter(contract_engagement::Column::EngagementId.eq(e.id))
            .into_tuple()
            .all(&state.db)
            .await?;
        contract::Entity::find()
            .filter(contract::Column::Id.is_in(ids))
            .all(&state.db)
            .await?
            .into_iter()
            .filter(|k| ContractState::parse(&k.state).is_ok_and(ContractState::in_force))
            .map(|k| (k.id, k))
            .collect()
    } else {
        HashMap::new()
    };
    let of_contract = |k: &contract::Model| (Visibility::Party, Some(k.counterparty_id));
    if let Some(grace) = on(Rule::ObligationOverdue) {
        let late = obligation::Entity::find()
            .filter(obligation::Column::ContractId.is_in(contracts.keys().copied()))
            .filter(obligation::Column::Status.eq("open"))
            .filter(obligation::Column::DueDate.lt(crate::domain::add_days(today, -grace)))
            .all(&state.db)
            .await?;
        for o in late {
            let Some(k) = contracts.get(&o.contract_id) else { continue };
            let (visibility, visible_party_id) = of_contract(k);
            out.push(Finding {
                rule: Rule::ObligationOverdue,
                subject_key: format!("obligation:{}", o.id),
                severity: "amber",
                args: json!({"contract": k.number, "title": o.title, "due": o.due_date.to_string()}),
                visibility,
                visible_party_id,
            });
        }
    }
    if let Some(grace) = on(Rule::InstallmentOverdue) {
        let late = installment::Entity::find()
            .filter(installment::Column::ContractId.is_in(contracts.keys().copied()))
            .filter(installment::Column::State.is_in(["due", "invoiced"]))
            .filter(installment::Column::DueOn.lt(crate::domain::add_days(today, -grace)))
            .all(&state.db)
            .await?;
        for i in late {
            let Some(k) = contracts.get(&i.contract_id) else { continue };
            let (visibility, visible_party_id) = of_contract(k);
            out.push(Finding {
                rule: Rule::InstallmentOverdue,
                subject_key: format!("installment:{}", i.id),
                severity: "amber",
                args: json!({"contract": k.number, "name": i.name, "due": i.due_on.map(|d| d.to_string()).unwrap_or_default()}),
                visibility,
                visible_party_id,
            });
        }
    }

    if on(Rule::SlaBreach).is_some() {
        use crate::issues::{entity::issue, service::sla_state};
        let live = issue::Entity::find()
            .filter(issue::Column::EngagementId.eq(e.id))
            .filter(issue::Column::Status.is_in(["open", "responded"]))
            .all(&state.db)
            .await?;
        let now = state.clock.now();
        {
            for i in live {
                let s = sla_state(&i, now);
                if s.overall() != crate::issues::sla::Clock::Breached {
                    continue;
                }
                let resolve_late = s.resolve == crate::issues::sla::Clock::Breached;
                out.push(Finding {
                    rule: Rule::SlaBreach,
                    subject_key: format!("issue:{}", i.id),
                    severity: if resolve_late { "red" } else { "amber" },
                    args: json!({"key": i.key, "title": i.title, "what": if resolve_late { "resolve" } else { "response" }}),
                    visibility: Visibility::parse(&i.visibility).unwrap_or(Visibility::Internal),
                    visible_party_id: i.visible_party_id,
                });
            }
        }
    }

    if let Some(ahead) = on(Rule::CertificateExpiring) {
        let vendors: Vec<i64> = participant::Entity::find()
            .select_only()
            .column(participant::Column::PartyId)
            .filter(participant::Column::EngagementId.eq(e.id))
            .filter(participant::Column::Relation.is_in(["vendor", "subcontractor"]))
            .into_tuple()
            .all(&state.db)
            .await?;
        let soon: NaiveDate = crate::domain::add_days(today, ahead);
        let expiring = certificate::Entity::find()
            .filter(certificate::Column::PartyId.is_in(vendors))
            .filter(certificate::Column::ExpiresOn.lte(soon))
            .all(&state.db)
            .await?;
        for c in expiring {
            let expired = c.expires_on.is_some_and(|d| d < today);
            out.push(Finding {
                rule: Rule::CertificateExpiring,
                subject_key: format!("certificate:{}", c.id),
                severity: if expired { "red" } else { "amber" },
                args: json!({"name": c.name, "expires": c.expires_on.map(|d| d.to_string()).unwrap_or_default()}),
                visibility: Visibility::Party,
                visible_party_id: Some(c.party_id),
            });
        }
    }

    if let Some(steps) = on(Rule::VendorGradeDrop) {
        out.extend(grade_drops(state, e.id, today, steps).await?);
    }
    Ok(out)
}

/// A, B, C, D as 4 … 1.
fn grade_rank(g: Option<&str>) -> Option<i64> {
    match g? {
        "A" => Some(4),
        "B" => Some(3),
        "C" => Some(2),
        "D" => Some(1),
        _ => None,
    }
}

/// Vendors taking part whose scorecard grade this quarter (so far) is at least `steps` grades
/// below last quarter's: amber, red at D or two grades down.
async fn grade_drops(state: &AppState, engagement_id: i64, today: NaiveDate, steps: i64) -> AppResult<Vec<Finding>> {
    use crate::vendors::scorecard::{AsOf, compute_many, load_settings, quarter_of};
    let vendors: Vec<(i64, String)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::PartyId)
        .column(crate::parties::entity::party::Column::Name)
        .inner_join(crate::parties::entity::party::Entity)
        .filter(participant::Column::EngagementId.eq(engagement_id))
        .filter(participant::Column::Relation.is_in(["vendor", "subcontractor"]))
        .into_tuple()
        .all(&state.db)
        .await?;
    if vendors.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = vendors.iter().map(|(id, _)| *id).collect();
    let now = quarter_of(today);
    let before = quarter_of(crate::domain::add_days(now.start, -1));
    let settings = load_settings(&state.db).await?;
    let at = AsOf::now(state);
    let current = compute_many(&state.db, &ids, &now, &at, &settings).await?;
    let previous = compute_many(&state.db, &ids, &before, &at, &settings).await?;
    let mut out = Vec::new();
    for ((id, name), (cur, prev)) in vendors.iter().zip(current.iter().zip(&previous)) {
        let (Some(c), Some(p)) = (grade_rank(cur.grade.as_deref()), grade_rank(prev.grade.as_deref())) else {
            continue;
        };
        if p - c < steps {
            continue;
        }
        let red = c == 1 || p - c >= 2;
        out.push(host_only(
            Rule::VendorGradeDrop,
            format!("vendor:{id}"),
            if red { "red" } else { "amber" },
            json!({"vendor": name, "from": prev.grade, "to": cur.grade, "period": now.key}),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_round_trip_and_ratios_read_as_decimals() {
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.as_str()), Some(r));
            let (lo, hi) = r.range();
            assert!((lo..=hi).contains(&r.default_threshold()), "{r:?}");
        }
        assert_eq!(Rule::parse("nope"), None);
        assert_eq!(ratio_text(900), "0.90");
        assert_eq!(ratio_text(1_234), "1.23");
        assert_eq!(ratio_text(85), "0.08");
    }
}
