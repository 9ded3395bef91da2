//! Working days: Saturdays and Sundays off, China's public holidays off and its 调休 make-up
//! weekends on (from `data/holidays-cn.toml`, editable), and per-engagement exceptions on top.
//! Plans count durations and lags in working days through this calendar.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;

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

    /// The first working day on or after `d`.
    pub fn next_working(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while !self.is_working(d) {
            d += Duration::days(1);
        }
        d
    }

    /// The last working day on or before `d`.
    pub fn prev_working(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while !self.is_working(d) {
            d -= Duration::days(1);
        }
        d
    }

    /// Moves `n` working days from working day `d` (backwards when `n` is negative); `n = 0`
    /// gives `d` itself, moved to a working day.
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> NaiveDate {
        let step = if n < 0 { -1 } else { 1 };
        let mut d = if n < 0 { self.prev_working(d) } else { self.next_working(d) };
        let mut left = n.abs();
        while left > 0 {
            d += Duration::days(step);
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days from `a` to `b`: how many working days one must add to `a` to reach `b`
    /// (negative when `b` is earlier). Used for durations and baseline variance.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working(d) {
                n += 1;
            }
        }
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
}
