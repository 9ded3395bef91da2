//! SLA clocks in working time: the engagement's working calendar (weekends, holidays, 调休
//! days) and business hours, in the organisation's time zone. A target of eight working hours
//! raised on Friday at 17:00 with hours 09:00–18:00 falls due on Monday at 16:00.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::engagements::calendar::WorkCalendar;

/// The working day's hours, local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusinessHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for BusinessHours {
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
        }
    }
}

/// No SLA target reaches further than this many calendar days.
const MAX_DAYS: i64 = 3_660;

fn at(tz: Tz, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = day.and_time(time);
    tz.from_local_datetime(&local).earliest().map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// `from` plus `minutes` of working time.
pub fn add(cal: &WorkCalendar, hours: BusinessHours, tz: Tz, from: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    let local = from.with_timezone(&tz);
    let mut day = local.date_naive();
    let mut time = local.time();
    let mut left = minutes.max(0);
    for _ in 0..MAX_DAYS {
        if cal.is_working(day) {
            let start = time.max(hours.start);
            if start < hours.end {
                let available = (hours.end - start).num_minutes();
                if left <= available {
                    return at(tz, day, start + Duration::minutes(left));
                }
                left -= available;
            }
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
        time = NaiveTime::MIN;
    }
    at(tz, day, hours.end)
}

/// Working minutes from `a` to `b` (zero when `b` is not later).
pub fn between(cal: &WorkCalendar, hours: BusinessHours, tz: Tz, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    if b <= a {
        return 0;
    }
    let (la, lb) = (a.with_timezone(&tz), b.with_timezone(&tz));
    let mut day = la.date_naive();
    let last = lb.date_naive();
    let mut total = 0;
    for _ in 0..MAX_DAYS {
        if day > last {
            break;
        }
        if cal.is_working(day) {
            let from = if day == la.date_naive() { la.time().max(hours.start) } else { hours.start };
            let to = if day == last { lb.time().min(hours.end) } else { hours.end };
            if from < to {
                total += (to - from).num_minutes();
            }
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    total
}

/// Where one clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Clock {
    Ok,
    /// Three quarters of the working time are gone.
    AtRisk,
    Breached,
}

impl Clock {
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Ok => "ok",
            Clock::AtRisk => "at_risk",
            Clock::Breached => "breached",
        }
    }
}

/// When a clock of `target` working minutes that started at `from` goes at risk: three quarters
/// of its working time gone.
pub fn at_risk_from(
    cal: &WorkCalendar,
    hours: BusinessHours,
    tz: Tz,
    from: DateTime<Utc>,
    target: i64,
) -> DateTime<Utc> {
    add(cal, hours, tz, from, (target.max(0) * 3 + 3) / 4)
}

/// A clock that falls due at `due`, goes at risk at `at_risk`, and stopped at `met` (when it
/// did). Both moments are computed on the working calendar when the clock starts, so reading a
/// clock needs no calendar.
pub fn clock(due: DateTime<Utc>, at_risk: DateTime<Utc>, met: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Clock {
    let end = met.unwrap_or(now);
    if end > due {
        Clock::Breached
    } else if met.is_none() && now >= at_risk {
        Clock::AtRisk
    } else {
        Clock::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        // Local Shanghai time → UTC.
        let local = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
        chrono_tz::Asia::Shanghai.from_local_datetime(&local).single().expect("local").with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn over_a_weekend() {
        let cal = WorkCalendar::weekends();
        let h = BusinessHours::default();
        // Friday 4 December 2026, 17:00 + 8 working hours: 1 hour on Friday, 7 on Monday → 16:00.
        assert_eq!(add(&cal, h, TZ, t("2026-12-04 17:00"), 8 * 60), t("2026-12-07 16:00"));
        // Raised on Saturday: the clock starts on Monday at 09:00.
        assert_eq!(add(&cal, h, TZ, t("2026-12-05 11:00"), 60), t("2026-12-07 10:00"));
        // Raised after hours: the next morning.
        assert_eq!(add(&cal, h, TZ, t("2026-12-07 20:30"), 30), t("2026-12-08 09:30"));
        assert_eq!(between(&cal, h, TZ, t("2026-12-04 17:00"), t("2026-12-07 16:00")), 8 * 60);
        assert_eq!(between(&cal, h, TZ, t("2026-12-07 16:00"), t("2026-12-04 17:00")), 0);
    }

    #[test]
    fn over_a_chinese_holiday_and_a_working_weekend() {
        // National Day 2027 as the State Council might set it: 1–7 October off, Saturday 9
        // October worked (调休).
        let off = (1..=7).map(|n| (d(&format!("2027-10-{n:02}")), false));
        let cal = WorkCalendar::weekends().with_exceptions(off.chain([(d("2027-10-09"), true)]));
        let h = BusinessHours::default();
        // Raised Thursday 30 September 16:00 with 16 working hours: 2 hours on the 30th, then
        // nothing until Friday 8 October (9 hours), then 5 hours on Saturday the 9th → 14:00.
        assert_eq!(add(&cal, h, TZ, t("2027-09-30 16:00"), 16 * 60), t("2027-10-09 14:00"));
    }

    #[test]
    fn clocks_go_at_risk_then_breach() {
        let cal = WorkCalendar::weekends();
        let h = BusinessHours::default();
        let from = t("2026-12-07 09:00");
        let due = add(&cal, h, TZ, from, 4 * 60);
        assert_eq!(due, t("2026-12-07 13:00"));
        let risk = at_risk_from(&cal, h, TZ, from, 240);
        assert_eq!(risk, t("2026-12-07 12:00"), "three quarters of four working hours");
        let c = |now: &str, met: Option<&str>| clock(due, risk, met.map(t), t(now));
        assert_eq!(c("2026-12-07 11:59", None), Clock::Ok);
        assert_eq!(c("2026-12-07 10:00", None), Clock::Ok);
        assert_eq!(c("2026-12-07 12:00", None), Clock::AtRisk);
        assert_eq!(c("2026-12-07 13:01", None), Clock::Breached);
        assert_eq!(c("2026-12-08 10:00", Some("2026-12-07 12:30")), Clock::Ok, "met in time stays ok");
        assert_eq!(c("2026-12-08 10:00", Some("2026-12-07 14:00")), Clock::Breached, "met late stays breached");
    }

    #[test]
    fn at_risk_counts_working_time_only() {
        let cal = WorkCalendar::weekends();
        let h = BusinessHours::default();
        // Eight working hours from Friday 16:00: six hours in makes Monday 13:00, not Friday 22:00.
        assert_eq!(at_risk_from(&cal, h, TZ, t("2026-12-11 16:00"), 8 * 60), t("2026-12-14 13:00"));
        // A target of one minute is at risk after that minute (rounded up, never at the start).
        assert_eq!(at_risk_from(&cal, h, TZ, t("2026-12-07 10:00"), 1), t("2026-12-07 10:01"));
    }
}
