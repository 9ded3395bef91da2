//! Working days: Saturdays and Sundays off, China's public holidays off and its 调休 make-up
//! weekends on (from `data/holidays-cn.toml`, editable), and per-engagement exceptions on top.
//! Plans count durations and lags in working days through this calendar.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;

use crate::domain::{DATE_MAX, DATE_MIN};

const CHINA: &str = include_str!("../../data/holidays-cn.toml");

#[derive(Deserialize)]
struct HolidayFile {
    year: Vec<HolidayYear>,
}

#[derive(Deserialize)]
struct HolidayYear {
    year: i32,
    #[allow(dead_code, reason = "documentation in the data file")]
    source: String,
    provisional: bool,
    off: Vec<NaiveDate>,
    on: Vec<NaiveDate>,
}

#[derive(Clone, Debug, Default)]
pub struct WorkCalendar {
    off: HashSet<NaiveDate>,
    on: HashSet<NaiveDate>,
    /// Years whose official schedule is not in the data yet.
    pub provisional_years: Vec<i32>,
}

impl WorkCalendar {
    /// Weekends only.
    pub fn weekends() -> Self {
        Self::default()
    }

    /// The mainland China calendar shipped with Accord.
    pub fn china() -> anyhow::Result<Self> {
        let file: HolidayFile = toml::from_str(CHINA)?;
        let mut cal = Self::default();
        for y in file.year {
            anyhow::ensure!(
                y.off.iter().chain(&y.on).all(|d| d.year() == y.year),
                "holiday data for {} lists a date of another year",
                y.year
            );
            if y.provisional {
                cal.provisional_years.push(y.year);
            }
            cal.off.extend(y.off);
            cal.on.extend(y.on);
        }
        Ok(cal)
    }

    /// Adds exceptions (an engagement's own days off or extra working days); they win.
    pub fn with_exceptions(mut self, days: impl IntoIterator<Item = (NaiveDate, bool)>) -> Self {
        for (day, working) in days {
            if working {
                self.off.remove(&day);
                self.on.insert(day);
            } else {
                self.on.remove(&day);
                self.off.insert(day);
            }
        }
        self
    }

    pub fn is_working(&self, d: NaiveDate) -> bool {
        if self.on.contains(&d) {
            return true;
        }
        if self.off.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The first working day on or after `d`. Dates are first brought inside the range Accord
    /// accepts, and no walk goes past it, so no plan can overflow chrono or loop for long.
    pub fn next_working(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d.clamp(DATE_MIN, DATE_MAX);
        while !self.is_working(d) {
            match next_day(d) {
                Some(n) => d = n,
                None => break,
            }
        }
        d
    }

    /// The last working day on or before `d` (within the accepted range, like `next_working`).
    pub fn prev_working(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d.clamp(DATE_MIN, DATE_MAX);
        while !self.is_working(d) {
            match prev_day(d) {
                Some(p) => d = p,
                None => break,
            }
        }
        d
    }

    /// Moves `n` working days from working day `d` (backwards when `n` is negative); `n = 0`
    /// gives `d` itself, moved to a working day. Stops at the ends of the accepted range.
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> NaiveDate {
        let mut d = if n < 0 { self.prev_working(d) } else { self.next_working(d) };
        if n.abs() > SHORT_WALK {
            return self.leap(d, n);
        }
        let mut left = n.abs();
        while left > 0 {
            let Some(next) = (if n < 0 { prev_day(d) } else { next_day(d) }) else { break };
            d = next;
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    /// `add_working_days` for long moves: a binary search over the count of working days, so
    /// a lag of centuries costs a few dozen counts instead of a walk over every day.
    fn leap(&self, from: NaiveDate, n: i64) -> NaiveDate {
        let reach = |d: NaiveDate| self.working_days_between(from, d);
        let (mut lo, mut hi) = if n > 0 { (from, DATE_MAX) } else { (DATE_MIN, from) };
        if reach(hi) < n {
            return hi;
        }
        // The first day whose count reaches n, forwards or backwards alike; it is a working
        // day, since the count only moves on working days.
        while lo < hi {
            let mid = lo.checked_add_signed(Duration::days((hi - lo).num_days() / 2)).unwrap_or(hi);
            if reach(mid) >= n {
                hi = mid;
            } else {
                lo = next_day(mid).unwrap_or(hi);
            }
        }
        lo
    }

    /// Working days from `a` to `b`: how many working days one must add to `a` to reach `b`
    /// (negative when `b` is earlier). Used for durations and baseline variance. Counted from
    /// whole weeks and the calendar's exceptions, not day by day, and within the accepted range.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let (a, b) = (a.clamp(DATE_MIN, DATE_MAX), b.clamp(DATE_MIN, DATE_MAX));
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let inside = |d: &&NaiveDate| from < **d && **d <= to;
        let weekend = |d: &NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let extra_on = self.on.iter().filter(inside).filter(|d| weekend(d)).count();
        let extra_off = self.off.iter().filter(inside).filter(|d| !weekend(d) && !self.on.contains(*d)).count();
        let n = weekdays_through(to) - weekdays_through(from) + extra_on as i64 - extra_off as i64;
        sign * n
    }

    /// Working days a task spans, counting both ends (a one-day task has duration 1).
    pub fn duration(&self, start: NaiveDate, finish: NaiveDate) -> i64 {
        let start = self.next_working(start);
        if finish < start {
            return 0;
        }
        self.working_days_between(start, finish) + i64::from(self.is_working(start))
    }
}

/// Beyond this many working days a move is a binary search rather than a walk.
const SHORT_WALK: i64 = 400;

fn next_day(d: NaiveDate) -> Option<NaiveDate> {
    d.succ_opt().filter(|n| *n <= DATE_MAX)
}

fn prev_day(d: NaiveDate) -> Option<NaiveDate> {
    d.pred_opt().filter(|p| *p >= DATE_MIN)
}

/// Monday to Friday days from 0001-01-01 (a Monday, day 1 of the common era) through `d`.
fn weekdays_through(d: NaiveDate) -> i64 {
    let days = i64::from(d.num_days_from_ce());
    days / 7 * 5 + (days % 7).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn the_shipped_data_loads() {
        let cal = WorkCalendar::china().expect("holiday data parses");
        assert_eq!(cal.provisional_years, vec![2027]);
    }

    #[test]
    fn spring_festival_2026_with_its_make_up_saturdays() {
        let cal = WorkCalendar::china().expect("data");
        assert!(cal.is_working(d("2026-02-14")), "Saturday before the festival is a 调休 working day");
        assert!(!cal.is_working(d("2026-02-16")), "Monday of the festival is off");
        assert!(!cal.is_working(d("2026-02-23")));
        assert!(cal.is_working(d("2026-02-28")), "Saturday after is a 调休 working day");
        assert!(!cal.is_working(d("2026-03-01")), "an ordinary Sunday");
        // Thursday 12 Feb + 2 working days: Friday 13, then Saturday 14 (make-up day).
        assert_eq!(cal.add_working_days(d("2026-02-12"), 2), d("2026-02-14"));
        // From Saturday 14 Feb, the next working day is Tuesday 24 Feb.
        assert_eq!(cal.add_working_days(d("2026-02-14"), 1), d("2026-02-24"));
        assert_eq!(cal.add_working_days(d("2026-02-24"), -1), d("2026-02-14"));
        assert_eq!(cal.working_days_between(d("2026-02-13"), d("2026-02-24")), 2);
        assert_eq!(cal.working_days_between(d("2026-02-24"), d("2026-02-13")), -2);
        assert_eq!(cal.duration(d("2026-02-12"), d("2026-02-24")), 4);
    }

    #[test]
    fn national_day_2025() {
        let cal = WorkCalendar::china().expect("data");
        assert!(cal.is_working(d("2025-09-28")) && cal.is_working(d("2025-10-11")));
        assert!(!cal.is_working(d("2025-10-08")));
        assert_eq!(cal.add_working_days(d("2025-09-30"), 1), d("2025-10-09"));
    }

    #[test]
    fn engagement_exceptions_win() {
        let cal = WorkCalendar::weekends().with_exceptions([(d("2026-12-25"), false), (d("2026-12-26"), true)]);
        assert!(!cal.is_working(d("2026-12-25")));
        assert!(cal.is_working(d("2026-12-26")));
        assert_eq!(cal.add_working_days(d("2026-12-24"), 1), d("2026-12-26"));
    }

    /// The walk the fast paths replace, for comparison.
    fn slow_between(cal: &WorkCalendar, a: NaiveDate, b: NaiveDate) -> i64 {
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d.succ_opt().unwrap_or(d);
            if cal.is_working(d) {
                n += 1;
            }
        }
        sign * n
    }

    #[test]
    fn counting_by_weeks_matches_walking_day_by_day() {
        let cal =
            WorkCalendar::china().expect("data").with_exceptions([(d("2026-12-25"), false), (d("2026-12-26"), true)]);
        let start = d("2024-12-20");
        for a in 0..40 {
            for len in [0, 1, 2, 5, 6, 7, 13, 60, 400, 800] {
                let from = start + Duration::days(a);
                let to = from + Duration::days(len);
                assert_eq!(cal.working_days_between(from, to), slow_between(&cal, from, to), "{from} → {to}");
                assert_eq!(cal.working_days_between(to, from), slow_between(&cal, to, from), "{to} → {from}");
            }
        }
        for n in [401, 500, 1000, -401, -1000] {
            let from = cal.next_working(d("2026-03-02"));
            let moved = cal.add_working_days(from, n);
            assert!(cal.is_working(moved), "{n}: {moved}");
            assert_eq!(cal.working_days_between(from, moved), n, "{n}: {moved}");
        }
    }

    #[test]
    fn moves_stop_at_the_ends_of_the_accepted_range() {
        let cal = WorkCalendar::china().expect("data");
        assert!(cal.add_working_days(d("2026-03-02"), i64::MAX / 2) <= DATE_MAX);
        assert!(cal.add_working_days(d("2026-03-02"), i64::MIN / 2) >= DATE_MIN);
        assert!(cal.add_working_days(DATE_MAX, 5) <= DATE_MAX);
        assert!(cal.add_working_days(DATE_MIN, -5) >= DATE_MIN);
        assert!(cal.next_working(NaiveDate::MAX) <= DATE_MAX);
        assert!(cal.prev_working(NaiveDate::MIN) >= DATE_MIN);
        let all = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        assert_eq!(all, cal.working_days_between(DATE_MIN, DATE_MAX));
        assert!(cal.duration(NaiveDate::MIN, NaiveDate::MAX) > 70_000);
    }
}
