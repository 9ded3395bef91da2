//! Earned value as of a date, in integer minor units. The formulas (PMBOK's):
//!
//! - **BAC**, budget at completion: the budget's baseline (its current amounts when none).
//! - **PV**, planned value: BAC × the share of the planned work due by the date. Each leaf task
//!   weighs its working days in the plan (the baseline's dates when there is one); a task is due
//!   for the working days from its start through the date. So PV = BAC × Σ elapsedᵢ / Σ durationᵢ.
//! - **EV**, earned value: BAC × Σ durationᵢ × progressᵢ / (100 × Σ durationᵢ).
//! - **AC**, actual cost: what was paid and spent by the date.
//! - SPI = EV / PV, CPI = EV / AC, EAC = BAC / CPI (= BAC × AC / EV; AC + BAC − EV while nothing
//!   is earned or spent), ETC = EAC − AC, VAC = BAC − EAC, TCPI = (BAC − EV) / (BAC − AC).
//! - The forecast finish stretches the plan's working days by 1 / SPI from its start.
//!
//! Divisions round half away from zero; ratios are `None` where the divisor is zero.

use chrono::NaiveDate;

use crate::engagements::calendar::WorkCalendar;

/// One leaf task as EVM reads it: planned dates and the progress reported now.
#[derive(Clone, Copy, Debug)]
pub struct PlannedTask {
    pub start: NaiveDate,
    pub finish: NaiveDate,
    /// 0–100.
    pub progress: i16,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Evm {
    pub as_of: NaiveDate,
    pub bac: i64,
    pub pv: i64,
    pub ev: i64,
    pub ac: i64,
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
    pub eac: i64,
    pub etc: i64,
    pub vac: i64,
    pub tcpi: Option<f64>,
    pub forecast_finish: Option<NaiveDate>,
}

/// `a × b / c`, rounded half away from zero, without overflow.
pub fn mul_div(a: i64, b: i64, c: i64) -> i64 {
    if c == 0 {
        return 0;
    }
    let (n, d) = (i128::from(a) * i128::from(b), i128::from(c));
    let q = (2 * n + d.signum() * n.signum() * d.abs()) / (2 * d);
    i64::try_from(q).unwrap_or(if (n < 0) == (d < 0) { i64::MAX } else { i64::MIN })
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (b != 0).then(|| a as f64 / b as f64)
}

/// Working days of a task that are due by `as_of` (0 before its start, all after its finish).
fn elapsed(cal: &WorkCalendar, t: &PlannedTask, as_of: NaiveDate) -> i64 {
    if as_of < t.start {
        0
    } else if as_of >= t.finish {
        cal.duration(t.start, t.finish)
    } else {
        cal.duration(t.start, as_of)
    }
}

/// The planned value of `tasks` as of `as_of`: the formula above, for the S-curve too.
pub fn planned_value(cal: &WorkCalendar, bac: i64, tasks: &[PlannedTask], as_of: NaiveDate) -> i64 {
    let total: i64 = tasks.iter().map(|t| cal.duration(t.start, t.finish)).sum();
    let due: i64 = tasks.iter().map(|t| elapsed(cal, t, as_of)).sum();
    mul_div(bac, due, total)
}

pub fn compute(cal: &WorkCalendar, bac: i64, tasks: &[PlannedTask], ac: i64, as_of: NaiveDate) -> Evm {
    let durations: Vec<i64> = tasks.iter().map(|t| cal.duration(t.start, t.finish)).collect();
    let total: i64 = durations.iter().sum();
    let pv = planned_value(cal, bac, tasks, as_of);
    let earned: i64 = tasks.iter().zip(&durations).map(|(t, d)| d * i64::from(t.progress.clamp(0, 100))).sum();
    let ev = mul_div(bac, earned, total * 100);
    let eac = if ev > 0 && ac > 0 { mul_div(bac, ac, ev) } else { ac + bac - ev };
    let spi = ratio(ev, pv);
    let start = tasks.iter().map(|t| t.start).min();
    let finish = tasks.iter().map(|t| t.finish).max();
    let forecast_finish = match (start, finish, spi) {
        (Some(s), Some(f), Some(spi)) if spi > 0.0 => {
            let planned = cal.duration(s, f).max(1);
            #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
            let stretched = (planned as f64 / spi).ceil() as i64;
            Some(cal.add_working_days(cal.next_working(s), stretched.clamp(1, 100_000) - 1))
        }
        _ => None,
    };
    Evm {
        as_of,
        bac,
        pv,
        ev,
        ac,
        spi,
        cpi: ratio(ev, ac),
        eac,
        etc: eac - ac,
        vac: bac - eac,
        tcpi: ratio(bac - ev, bac - ac),
        forecast_finish,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// A worked example, by hand. Weekends only (2027-03-01 is a Monday).
    /// - A: Mon 1 – Fri 12 March, 10 working days, 100 % done.
    /// - B: Mon 15 – Fri 26 March, 10 working days, 40 % done.
    /// - BAC ¥100,000.00 = 10,000,000 fen; AC ¥70,000.00 = 7,000,000; as of Fri 19 March.
    ///
    /// PV: A is due in full (10), B for 15–19 March (5): 10,000,000 × 15 / 20 = 7,500,000.
    /// EV: (10 × 100 + 10 × 40) / (20 × 100) = 1,400 / 2,000 → 7,000,000.
    /// SPI = 7.0 / 7.5 = 0.9333…; CPI = 7.0 / 7.0 = 1.0; EAC = 10,000,000 × 7,000,000 / 7,000,000
    /// = 10,000,000; ETC = 3,000,000; VAC = 0; TCPI = (10 − 7) / (10 − 7) = 1.0.
    /// Forecast: 20 planned working days / 0.9333 = 21.43 → 22 working days from 1 March: the
    /// 22nd working day is Tue 30 March.
    #[test]
    fn the_hand_computed_example() {
        let cal = WorkCalendar::weekends();
        let tasks = [
            PlannedTask { start: d("2027-03-01"), finish: d("2027-03-12"), progress: 100 },
            PlannedTask { start: d("2027-03-15"), finish: d("2027-03-26"), progress: 40 },
        ];
        let e = compute(&cal, 10_000_000, &tasks, 7_000_000, d("2027-03-19"));
        assert_eq!((e.pv, e.ev, e.ac), (7_500_000, 7_000_000, 7_000_000));
        assert!((e.spi.expect("spi") - 0.933_333).abs() < 1e-5, "{:?}", e.spi);
        assert_eq!(e.cpi, Some(1.0));
        assert_eq!((e.eac, e.etc, e.vac), (10_000_000, 3_000_000, 0));
        assert_eq!(e.tcpi, Some(1.0));
        assert_eq!(e.forecast_finish, Some(d("2027-03-30")));
    }

    /// Over budget: the same plan with AC ¥87,500.00.
    /// CPI = 7.0 / 8.75 = 0.8; EAC = 10,000,000 × 8,750,000 / 7,000,000 = 12,500,000;
    /// ETC = 3,750,000; VAC = −2,500,000; TCPI = 3,000,000 / 1,250,000 = 2.4.
    #[test]
    fn over_budget() {
        let cal = WorkCalendar::weekends();
        let tasks = [
            PlannedTask { start: d("2027-03-01"), finish: d("2027-03-12"), progress: 100 },
            PlannedTask { start: d("2027-03-15"), finish: d("2027-03-26"), progress: 40 },
        ];
        let e = compute(&cal, 10_000_000, &tasks, 8_750_000, d("2027-03-19"));
        assert_eq!(e.cpi, Some(0.8));
        assert_eq!((e.eac, e.etc, e.vac), (12_500_000, 3_750_000, -2_500_000));
        assert_eq!(e.tcpi, Some(2.4));
    }

    #[test]
    fn before_the_start_and_without_costs() {
        let cal = WorkCalendar::weekends();
        let tasks = [PlannedTask { start: d("2027-03-01"), finish: d("2027-03-12"), progress: 0 }];
        let e = compute(&cal, 5_000_000, &tasks, 0, d("2027-02-15"));
        assert_eq!((e.pv, e.ev, e.spi, e.cpi), (0, 0, None, None));
        assert_eq!((e.eac, e.vac), (5_000_000, 0), "nothing earned or spent: EAC = AC + BAC − EV");
        assert_eq!(e.forecast_finish, None);
        // No plan at all: nothing is due and nothing is earned.
        let e = compute(&cal, 5_000_000, &[], 0, d("2027-02-15"));
        assert_eq!((e.pv, e.ev), (0, 0));
    }

    #[test]
    fn mul_div_rounds_half_away_from_zero() {
        assert_eq!(mul_div(10, 1, 4), 3); // 2.5
        assert_eq!(mul_div(-10, 1, 4), -3);
        assert_eq!(mul_div(10, 1, 3), 3);
        assert_eq!(mul_div(i64::MAX, 2, 2), i64::MAX);
        assert_eq!(mul_div(5, 5, 0), 0);
    }
}
