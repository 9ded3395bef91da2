//! Scorecards computed from what a vendor actually delivered in a period: milestones on time,
//! deliverables accepted at the first round, rounds to acceptance, defects per deliverable,
//! changes the vendor raised, payments without dispute, and the host's periodic manual
//! evaluations. Each figure carries the facts behind it; figures without facts are left out of
//! the weighted total. The facts are read by `facts`, for one vendor or many at once.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::facts::VendorFacts;
use crate::{
    acceptance::entity::{acceptance, defect},
    auth::lens::Lens,
    changes::entity::change_request,
    contracts::entity::dispute,
    db::settings,
    engagements::entity::deliverable,
    error::{AppResult, Msg},
};

/// Every KPI, in the order shown, with its default weight (they add up to 100).
pub const KPIS: &[(&str, i32)] = &[
    ("on_time", 25),
    ("first_pass", 20),
    ("rounds", 10),
    ("defects", 15),
    ("sla", 5),
    ("changes", 5),
    ("satisfaction", 5),
    ("disputes", 5),
    ("manual", 10),
];

/// A quarter (`2026Q3`) or a year (`2026`): `start` inclusive, `end` exclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub key: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

pub fn parse_period(raw: &str) -> Result<Period, Msg> {
    let raw = raw.trim().to_uppercase();
    let bad = || Msg::new("error-period");
    // Digits only: `str::parse` would also take a sign (`+2026`, `2026Q+3`).
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let (year, quarter) = match raw.split_once('Q') {
        Some((y, q)) if digits(y) && digits(q) => {
            (y.parse::<i32>().map_err(|_| bad())?, Some(q.parse::<u32>().map_err(|_| bad())?))
        }
        None if digits(&raw) => (raw.parse::<i32>().map_err(|_| bad())?, None),
        _ => return Err(bad()),
    };
    if !(2000..=2100).contains(&year) {
        return Err(bad());
    }
    let (start, end) = match quarter {
        Some(q @ 1..=4) => {
            let start = NaiveDate::from_ymd_opt(year, 3 * q - 2, 1).ok_or_else(bad)?;
            let end = if q == 4 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, 3 * q + 1, 1)
            }
            .ok_or_else(bad)?;
            (start, end)
        }
        Some(_) => return Err(bad()),
        None => (
            NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?,
            NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or_else(bad)?,
        ),
    };
    Ok(Period { key: raw, start, end })
}

/// The quarter `today` falls in.
pub fn quarter_of(today: NaiveDate) -> Period {
    let q = (today.month() - 1) / 3 + 1;
    parse_period(&format!("{}Q{q}", today.year())).unwrap_or(Period { key: String::new(), start: today, end: today })
}

/// The quarter before `p` (the year before, for a year).
pub fn previous(p: &Period) -> Period {
    let day_before = p.start.pred_opt().unwrap_or(p.start);
    if p.key.contains('Q') {
        quarter_of(day_before)
    } else {
        parse_period(&day_before.year().to_string()).unwrap_or_else(|_| p.clone())
    }
}

/// KPI weights and grade bands (lowest total for A, B, C; below C is D).
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Settings {
    pub weights: BTreeMap<String, i32>,
    pub grade_a: i32,
    pub grade_b: i32,
    pub grade_c: i32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            weights: KPIS.iter().map(|(k, w)| ((*k).to_owned(), *w)).collect(),
            grade_a: 90,
            grade_b: 75,
            grade_c: 60,
        }
    }
}

impl Settings {
    pub fn weight(&self, kpi: &str) -> i32 {
        self.weights.get(kpi).copied().unwrap_or(0)
    }

    pub fn grade(&self, total: f64) -> &'static str {
        if total >= f64::from(self.grade_a) {
            "A"
        } else if total >= f64::from(self.grade_b) {
            "B"
        } else if total >= f64::from(self.grade_c) {
            "C"
        } else {
            "D"
        }
    }
}

pub const SETTINGS_KEY: &str = "vendor_scorecard";

pub async fn load_settings(db: &impl ConnectionTrait) -> AppResult<Settings> {
    Ok(settings::get(db, SETTINGS_KEY).await?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}

/// One fact behind a figure: what it is, where it is, and whether it counted for the vendor.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fact {
    pub label: String,
    pub url: String,
    pub good: bool,
    /// e.g. the date achieved, the round, the severity.
    pub note: String,
    /// The visibility of the record the fact comes from: a vendor reading its published card
    /// gets the label and link of a record it may not see blanked (`hidden`). Snapshots
    /// published before this field existed read as internal.
    #[serde(default = "internal")]
    pub visibility: String,
    #[serde(default)]
    pub visible_party_id: Option<i64>,
    /// The record behind it is one the reader may not see: it counts, unnamed.
    #[serde(default)]
    pub hidden: bool,
}

fn internal() -> String {
    "internal".to_owned()
}

impl Fact {
    fn new(label: String, url: String, good: bool, note: String, (visibility, party): (&str, Option<i64>)) -> Self {
        Self { label, url, good, note, visibility: visibility.to_owned(), visible_party_id: party, hidden: false }
    }

    /// The fact as a reader through `lens` may know it.
    pub fn through(mut self, lens: &Lens) -> Self {
        if !lens.sees_record(&self.visibility, self.visible_party_id) {
            self.label.clear();
            self.url.clear();
            self.visible_party_id = None;
            self.hidden = true;
        }
        self
    }
}

impl Scorecard {
    /// The card as a reader through `lens` may know it (a vendor reading its published card).
    pub fn through(mut self, lens: &Lens) -> Self {
        for k in &mut self.kpis {
            k.facts = std::mem::take(&mut k.facts).into_iter().map(|f| f.through(lens)).collect();
        }
        self
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Kpi {
    /// on_time | first_pass | rounds | defects | sla | changes | satisfaction | disputes | manual
    pub key: String,
    pub weight: i32,
    /// The figure as measured, e.g. `7/9`, `1.5`, `0.4`; empty without facts.
    pub value: String,
    /// 0–100; none when there are no facts in the period (then it is left out of the total).
    pub score: Option<f64>,
    pub facts: Vec<Fact>,
}

#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scorecard {
    pub vendor_id: i64,
    pub period: String,
    pub kpis: Vec<Kpi>,
    /// Weighted over the KPIs that have facts (their weights renormalised); none without any.
    pub total: Option<f64>,
    /// A | B | C | D
    pub grade: Option<String>,
}

/// A share of facts that went well: `good/all`, scored as a percentage.
fn ratio_kpi(facts: Vec<Fact>) -> (String, Option<f64>, Vec<Fact>) {
    if facts.is_empty() {
        return (String::new(), None, facts);
    }
    let good = facts.iter().filter(|f| f.good).count();
    let score = 100.0 * good as f64 / facts.len() as f64;
    (format!("{good}/{}", facts.len()), Some(score), facts)
}

/// When a scorecard is computed: today, and the organisation's time zone that turns the stored
/// UTC instants into the days a period counts.
pub struct AsOf {
    pub today: NaiveDate,
    pub tz: chrono_tz::Tz,
}

impl AsOf {
    pub fn now(state: &crate::AppState) -> Self {
        Self { today: state.today(), tz: state.config.time_zone }
    }

    pub fn day(&self, t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }
}

fn day_in(d: NaiveDate, p: &Period) -> bool {
    d >= p.start && d < p.end
}

/// Installments the host owes the vendor that fell due in the period, or were disputed in it:
/// each counts against the vendor when a dispute on it was resolved as the vendor's fault. The
/// note is the due date and each dispute's outcome (open, withdrawn, or whose fault).
fn payment_facts(vendor: i64, f: &VendorFacts, p: &Period, at: &AsOf) -> Vec<Fact> {
    let numbers: HashMap<i64, &str> = f.contracts.iter().map(|c| (c.id, c.number.as_str())).collect();
    let mut facts = Vec::new();
    for i in &f.installments {
        let mine: Vec<&dispute::Model> = f.disputes.iter().filter(|d| d.installment_id == i.id).collect();
        // A cancelled installment is owed no more; it counts only when it was disputed.
        let fell_due = i.due_on.is_some_and(|d| day_in(d, p)) && i.state != "cancelled";
        if !(fell_due || mine.iter().any(|d| day_in(at.day(d.created_at), p))) {
            continue;
        }
        let outcome = |d: &&dispute::Model| match d.state.as_str() {
            "resolved" => d.fault.clone().unwrap_or_default(),
            other => other.to_owned(),
        };
        let mut note: Vec<String> = i.due_on.map(|d| d.to_string()).into_iter().collect();
        note.extend(mine.iter().map(outcome));
        // The vendor is the contract's counterparty: its own installments are its to see.
        facts.push(Fact::new(
            format!("{} · {}", numbers.get(&i.contract_id).copied().unwrap_or_default(), i.name),
            format!("/contracts/{}#installment-{}", i.contract_id, i.id),
            !mine.iter().any(|d| d.fault.as_deref() == Some("counterparty")),
            note.join(" · "),
            ("party", Some(vendor)),
        ));
    }
    facts
}

/// Issues and conflicts the vendor's people own, resolved in the period or whose resolution fell
/// due in it (and by now) unresolved: each kept its SLA when the first response and the
/// resolution both came by their dues. The note names the clock that broke.
fn sla_facts(f: &VendorFacts, p: &Period, at: &AsOf) -> Vec<Fact> {
    let mut facts = Vec::new();
    for i in &f.issues {
        let resolved_in = i.resolved_at.is_some_and(|t| day_in(at.day(t), p));
        let due = at.day(i.resolve_due);
        let overdue_in = i.resolved_at.is_none() && day_in(due, p) && due < at.today;
        if !(resolved_in || overdue_in) {
            continue;
        }
        let response_ok = i.responded_at.or(i.resolved_at).is_some_and(|t| t <= i.response_due);
        let resolve_ok = i.resolved_at.is_some_and(|t| t <= i.resolve_due);
        let mut note = vec![i.severity.clone()];
        if !response_ok {
            note.push("response_breached".to_owned());
        }
        if !resolve_ok {
            note.push(if i.resolved_at.is_some() { "resolution_breached" } else { "resolution_open" }.to_owned());
        }
        facts.push(Fact::new(
            format!("{} {}", i.key, i.title),
            format!("/engagements/{}/issues/{}", i.engagement_id, i.id),
            response_ok && resolve_ok,
            note.join(" · "),
            (&i.visibility, i.visible_party_id),
        ));
    }
    facts
}

/// Computes the scorecard of `vendor` for `period` as of `at`.
pub async fn compute(
    db: &impl ConnectionTrait,
    vendor: i64,
    p: &Period,
    at: &AsOf,
    settings: &Settings,
) -> AppResult<Scorecard> {
    let facts = super::facts::load(db, &[vendor], p, at).await?;
    Ok(card(vendor, facts.of(vendor), &facts.achieved, (p, at, settings)))
}

/// The scorecards of many vendors, from one read of their facts (the ranking).
pub async fn compute_many(
    db: &impl ConnectionTrait,
    vendors: &[i64],
    p: &Period,
    at: &AsOf,
    settings: &Settings,
) -> AppResult<Vec<Scorecard>> {
    let facts = super::facts::load(db, vendors, p, at).await?;
    Ok(vendors.iter().map(|v| card(*v, facts.of(*v), &facts.achieved, (p, at, settings))).collect())
}

fn card(
    vendor: i64,
    f: Option<&VendorFacts>,
    achieved: &HashMap<i64, NaiveDate>,
    (p, at, settings): (&Period, &AsOf, &Settings),
) -> Scorecard {
    let none = VendorFacts::default();
    let f = f.unwrap_or(&none);
    let mut kpis = Vec::new();
    let push = |kpis: &mut Vec<Kpi>, key: &str, (value, score, facts): (String, Option<f64>, Vec<Fact>)| {
        kpis.push(Kpi { key: key.to_owned(), weight: settings.weight(key), value, score, facts });
    };

    // Milestones the vendor owns that fell due in the period (and are due by now).
    let mut facts = Vec::new();
    for m in f.milestones.iter().filter(|m| m.status == "achieved" || m.due_date < at.today) {
        let done = (m.status == "achieved").then(|| achieved.get(&m.id).copied().unwrap_or(at.day(m.updated_at)));
        let good = done.is_some_and(|d| d <= m.due_date);
        let note = match done {
            Some(d) => format!("{} → {d}", m.due_date),
            None => format!("{} → {}", m.due_date, m.status),
        };
        facts.push(Fact::new(
            m.name.clone(),
            format!("/engagements/{}/milestones/{}", m.engagement_id, m.id),
            good,
            note,
            (&m.visibility, m.visible_party_id),
        ));
    }
    push(&mut kpis, "on_time", ratio_kpi(facts));

    // Acceptance rounds of the vendor's deliverables.
    let by_id: HashMap<i64, &deliverable::Model> = f.deliverables.iter().map(|d| (d.id, d)).collect();
    let passed = |a: &acceptance::Model| matches!(a.state.as_str(), "accepted" | "accepted_with_conditions");
    let decided_in = |a: &acceptance::Model| a.decided_at.is_some_and(|t| day_in(at.day(t), p));
    let url = |d: &deliverable::Model| format!("/engagements/{}/deliverables/{}", d.engagement_id, d.id);
    let seen = |d: &deliverable::Model| (d.visibility.clone(), d.visible_party_id);
    let mut first_pass = Vec::new();
    let mut to_accept = Vec::new();
    for d in &f.deliverables {
        let mine: Vec<&acceptance::Model> = f.rounds.iter().filter(|a| a.deliverable_id == d.id).collect();
        let first_stage = if mine.iter().any(|a| a.stage == "initial") { "initial" } else { "final" };
        if let Some(r1) = mine.iter().find(|a| a.stage == first_stage && a.round == 1).filter(|a| decided_in(a)) {
            let (v, vp) = seen(d);
            first_pass.push(Fact::new(d.name.clone(), url(d), passed(r1), r1.state.clone(), (&v, vp)));
        }
        for a in mine.iter().filter(|a| passed(a) && decided_in(a)) {
            let (v, vp) = seen(d);
            to_accept.push((a.round, Fact::new(d.name.clone(), url(d), a.round == 1, a.stage.clone(), (&v, vp))));
        }
    }
    push(&mut kpis, "first_pass", ratio_kpi(first_pass));
    if to_accept.is_empty() {
        push(&mut kpis, "rounds", (String::new(), None, Vec::new()));
    } else {
        let mean = to_accept.iter().map(|(r, _)| f64::from(*r)).sum::<f64>() / to_accept.len() as f64;
        let facts = to_accept
            .into_iter()
            .map(|(r, mut f)| {
                f.note = format!("{} · {r}", f.note);
                f
            })
            .collect();
        push(&mut kpis, "rounds", (format!("{mean:.1}"), Some((100.0 - 25.0 * (mean - 1.0)).clamp(0.0, 100.0)), facts));
    }

    // Defects found in the vendor's work in the period, per deliverable decided or faulted then.
    let defects: Vec<&defect::Model> = f.defects.iter().filter(|d| day_in(at.day(d.created_at), p)).collect();
    let mut touched: Vec<i64> = f.rounds.iter().filter(|a| decided_in(a)).map(|a| a.deliverable_id).collect();
    touched.extend(defects.iter().map(|d| d.deliverable_id));
    touched.sort_unstable();
    touched.dedup();
    if touched.is_empty() {
        push(&mut kpis, "defects", (String::new(), None, Vec::new()));
    } else {
        let rate = defects.len() as f64 / touched.len() as f64;
        let facts = defects
            .iter()
            .map(|d| {
                Fact::new(
                    format!("{} {}", d.key, d.title),
                    by_id.get(&d.deliverable_id).map(|x| url(x)).unwrap_or_default(),
                    false,
                    d.severity.clone(),
                    (&d.visibility, d.visible_party_id),
                )
            })
            .collect();
        let value = format!("{}/{} = {rate:.2}", defects.len(), touched.len());
        push(&mut kpis, "defects", (value, Some((100.0 - 20.0 * rate).clamp(0.0, 100.0)), facts));
    }

    push(&mut kpis, "sla", ratio_kpi(sla_facts(f, p, at)));

    let changes: Vec<&change_request::Model> = f.changes.iter().filter(|c| day_in(at.day(c.created_at), p)).collect();
    let delivered_something = kpis.iter().any(|k| k.score.is_some());
    if changes.is_empty() && !delivered_something {
        push(&mut kpis, "changes", (String::new(), None, Vec::new()));
    } else {
        let facts = changes
            .iter()
            .map(|c| {
                Fact::new(
                    format!("{} {}", c.key, c.title),
                    format!("/engagements/{}/changes/{}", c.engagement_id, c.id),
                    false,
                    c.state.clone(),
                    (&c.visibility, c.visible_party_id),
                )
            })
            .collect();
        let n = changes.len();
        push(&mut kpis, "changes", (n.to_string(), Some((100.0 - 15.0 * n as f64).clamp(0.0, 100.0)), facts));
    }
    push(&mut kpis, "satisfaction", (String::new(), None, Vec::new()));
    push(&mut kpis, "disputes", ratio_kpi(payment_facts(vendor, f, p, at)));

    if f.evaluations.is_empty() {
        push(&mut kpis, "manual", (String::new(), None, Vec::new()));
    } else {
        let evals = &f.evaluations;
        let mean = evals.iter().map(|e| f64::from(e.total_bp) / 100.0).sum::<f64>() / evals.len() as f64;
        let facts = evals
            .iter()
            // Without the evaluator's name: a published card goes to the vendor, and who scored
            // what is the host's own (its page lists the evaluations by evaluator).
            .map(|e| {
                Fact::new(
                    format!("{} · {}", e.period, e.template),
                    format!("/vendors/{vendor}/scorecard?period={}#evaluations", e.period),
                    e.total_bp >= settings.grade_c * 100,
                    format!("{:.1}", f64::from(e.total_bp) / 100.0),
                    ("party", Some(vendor)),
                )
            })
            .collect();
        push(&mut kpis, "manual", (format!("{mean:.1}"), Some(mean), facts));
    }

    let counted: Vec<&Kpi> = kpis.iter().filter(|k| k.score.is_some() && k.weight > 0).collect();
    let weight: i32 = counted.iter().map(|k| k.weight).sum();
    let total = (weight > 0)
        .then(|| counted.iter().map(|k| k.score.unwrap_or(0.0) * f64::from(k.weight)).sum::<f64>() / f64::from(weight));
    Scorecard {
        vendor_id: vendor,
        period: p.key.clone(),
        grade: total.map(|t| settings.grade(t).to_owned()),
        total,
        kpis,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn periods_are_quarters_or_years() {
        let q = parse_period("2026q4").expect("quarter");
        assert_eq!(
            (q.key.as_str(), q.start.to_string(), q.end.to_string()),
            ("2026Q4", "2026-10-01".into(), "2027-01-01".into())
        );
        let y = parse_period("2026").expect("year");
        assert_eq!((y.start.to_string(), y.end.to_string()), ("2026-01-01".into(), "2027-01-01".into()));
        assert_eq!(previous(&q).key, "2026Q3");
        assert_eq!(previous(&parse_period("2026Q1").expect("q1")).key, "2025Q4");
        for bad in ["2026Q5", "2026Q0", "Q3", "1999", "twenty", "+2026", "2026Q+3", "2026Q", " 2026 Q3", "2026Q3Q1"] {
            assert!(parse_period(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_day_is_the_organisations_day() {
        // 2026-09-30 17:00 UTC is already 1 October in Shanghai: it counts in Q4 there.
        let at = AsOf { today: NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"), tz: chrono_tz::Asia::Shanghai };
        let t = chrono::Utc.with_ymd_and_hms(2026, 9, 30, 17, 0, 0).single().expect("time");
        assert_eq!(at.day(t).to_string(), "2026-10-01");
        assert!(day_in(at.day(t), &parse_period("2026Q4").expect("q4")));
        let utc = AsOf { tz: chrono_tz::UTC, ..at };
        assert!(!day_in(utc.day(t), &parse_period("2026Q4").expect("q4")));
    }

    #[test]
    fn grades_follow_the_bands() {
        let s = Settings::default();
        assert_eq!(
            [s.grade(90.0), s.grade(89.99), s.grade(75.0), s.grade(60.0), s.grade(59.9)],
            ["A", "B", "B", "C", "D"]
        );
    }
}
