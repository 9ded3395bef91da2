//! Scheduling: the critical path method over working days. Activities have a duration in
//! working days (0 = milestone) and are linked by finish-to-start, start-to-start,
//! finish-to-finish or start-to-finish dependencies with a lag (working days, may be negative).
//! Forward scheduling places everything as early as possible from a start date; backward
//! scheduling as late as possible before a deadline. Total float 0 marks the critical path.

use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum DepKind {
    /// The successor starts after the predecessor finishes.
    Fs,
    Ss,
    Ff,
    Sf,
}

impl DepKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "FS" => Some(Self::Fs),
            "SS" => Some(Self::Ss),
            "FF" => Some(Self::Ff),
            "SF" => Some(Self::Sf),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fs => "FS",
            Self::Ss => "SS",
            Self::Ff => "FF",
            Self::Sf => "SF",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Activity {
    pub id: i64,
    /// Working days; 0 for a milestone.
    pub duration: i64,
}

#[derive(Clone, Copy, Debug)]
pub struct Dependency {
    pub predecessor: i64,
    pub successor: i64,
    pub kind: DepKind,
    /// Working days; negative for a lead.
    pub lag: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// As early as possible from this start date.
    Forward(NaiveDate),
    /// As late as possible, finishing by this date.
    Backward(NaiveDate),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub start: NaiveDate,
    /// The last working day of the activity (= start for a milestone).
    pub finish: NaiveDate,
    /// Working days the activity can slip without moving the end of the plan.
    pub total_float: i64,
    pub critical: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ScheduleError {
    /// The dependencies loop through these activities.
    Cycle(Vec<i64>),
    /// A dependency names an activity that is not in the plan.
    Unknown(i64),
}

/// Early and late start/finish in working-day indices; finish is exclusive (start + duration).
struct Pass {
    es: HashMap<i64, i64>,
    ef: HashMap<i64, i64>,
    ls: HashMap<i64, i64>,
    lf: HashMap<i64, i64>,
}

pub(crate) fn topological(acts: &[Activity], deps: &[Dependency]) -> Result<Vec<i64>, ScheduleError> {
    let mut indegree: HashMap<i64, usize> = acts.iter().map(|a| (a.id, 0)).collect();
    for d in deps {
        for id in [d.predecessor, d.successor] {
            if !indegree.contains_key(&id) {
                return Err(ScheduleError::Unknown(id));
            }
        }
        *indegree.entry(d.successor).or_default() += 1;
    }
    let mut ready: VecDeque<i64> = acts.iter().filter(|a| indegree[&a.id] == 0).map(|a| a.id).collect();
    let mut order = Vec::with_capacity(acts.len());
    while let Some(id) = ready.pop_front() {
        order.push(id);
        for d in deps.iter().filter(|d| d.predecessor == id) {
            if let Some(n) = indegree.get_mut(&d.successor) {
                *n -= 1;
                if *n == 0 {
                    ready.push_back(d.successor);
                }
            }
        }
    }
    if order.len() < acts.len() {
        let mut stuck: Vec<i64> = indegree.into_iter().filter(|(_, n)| *n > 0).map(|(id, _)| id).collect();
        stuck.sort_unstable();
        return Err(ScheduleError::Cycle(stuck));
    }
    Ok(order)
}

fn passes(acts: &[Activity], deps: &[Dependency]) -> Result<Pass, ScheduleError> {
    let order = topological(acts, deps)?;
    let dur: HashMap<i64, i64> = acts.iter().map(|a| (a.id, a.duration.max(0))).collect();
    let mut es: HashMap<i64, i64> = HashMap::new();
    for id in &order {
        let d_succ = dur[id];
        let earliest = deps
            .iter()
            .filter(|d| d.successor == *id)
            .map(|d| {
                let (ps, pf) = (es[&d.predecessor], es[&d.predecessor] + dur[&d.predecessor]);
                match d.kind {
                    DepKind::Fs => pf + d.lag,
                    DepKind::Ss => ps + d.lag,
                    DepKind::Ff => pf + d.lag - d_succ,
                    DepKind::Sf => ps + d.lag - d_succ,
                }
            })
            .max()
            .unwrap_or(0)
            .max(0);
        es.insert(*id, earliest);
    }
    let ef: HashMap<i64, i64> = es.iter().map(|(id, s)| (*id, s + dur[id])).collect();
    let end = ef.values().copied().max().unwrap_or(0);
    let mut lf: HashMap<i64, i64> = HashMap::new();
    for id in order.iter().rev() {
        let d_pred = dur[id];
        let latest = deps
            .iter()
            .filter(|d| d.predecessor == *id)
            .map(|d| {
                let (sls, slf) = (lf[&d.successor] - dur[&d.successor], lf[&d.successor]);
                match d.kind {
                    DepKind::Fs => sls - d.lag,
                    DepKind::Ss => sls - d.lag + d_pred,
                    DepKind::Ff => slf - d.lag,
                    DepKind::Sf => slf - d.lag + d_pred,
                }
            })
            .min()
            .unwrap_or(end)
            .min(end);
        lf.insert(*id, latest);
    }
    let ls: HashMap<i64, i64> = lf.iter().map(|(id, f)| (*id, f - dur[id])).collect();
    Ok(Pass { es, ef, ls, lf })
}

/// Places every activity; see the module comment.
pub fn schedule(
    acts: &[Activity],
    deps: &[Dependency],
    direction: Direction,
    cal: &WorkCalendar,
) -> Result<HashMap<i64, Placed>, ScheduleError> {
    let p = passes(acts, deps)?;
    let end = p.ef.values().copied().max().unwrap_or(0);
    // Index 0 is the first working day of the plan; backward plans end on the deadline.
    let origin = match direction {
        Direction::Forward(start) => cal.next_working(start),
        Direction::Backward(deadline) => cal.add_working_days(cal.prev_working(deadline), -(end - 1).max(0)),
    };
    let at = |i: i64| cal.add_working_days(origin, i);
    Ok(acts
        .iter()
        .map(|a| {
            let (s, f) = match direction {
                Direction::Forward(_) => (p.es[&a.id], p.ef[&a.id]),
                Direction::Backward(_) => (p.ls[&a.id], p.lf[&a.id]),
            };
            let float = p.ls[&a.id] - p.es[&a.id];
            let placed = Placed {
                start: at(s),
                finish: if f > s { at(f - 1) } else { at(s) },
                total_float: float,
                critical: float <= 0,
            };
            (a.id, placed)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn act(id: i64, duration: i64) -> Activity {
        Activity { id, duration }
    }

    fn dep(p: i64, s: i64, kind: DepKind, lag: i64) -> Dependency {
        Dependency { predecessor: p, successor: s, kind, lag }
    }

    #[test]
    fn finish_to_start_chain_with_a_parallel_branch() {
        // 1 (3d) → 2 (2d) → 4 (milestone); 1 → 3 (1d) → 4. Branch 3 has one day of float.
        let acts = [act(1, 3), act(2, 2), act(3, 1), act(4, 0)];
        let deps = [
            dep(1, 2, DepKind::Fs, 0),
            dep(2, 4, DepKind::Fs, 0),
            dep(1, 3, DepKind::Fs, 0),
            dep(3, 4, DepKind::Fs, 0),
        ];
        let cal = WorkCalendar::weekends();
        let s = schedule(&acts, &deps, Direction::Forward(d("2026-11-23")), &cal).expect("plan");
        assert_eq!((s[&1].start, s[&1].finish), (d("2026-11-23"), d("2026-11-25")));
        assert_eq!((s[&2].start, s[&2].finish), (d("2026-11-26"), d("2026-11-27")));
        assert_eq!(s[&4].start, d("2026-11-30"), "the milestone after the weekend");
        assert!(s[&1].critical && s[&2].critical && s[&4].critical);
        assert_eq!((s[&3].total_float, s[&3].critical), (1, false));
    }

    #[test]
    fn lags_and_the_other_link_types() {
        let acts = [act(1, 5), act(2, 3), act(3, 2), act(4, 2)];
        // 2 starts 2 days after 1 starts; 3 finishes with 1; 4 finishes when 2 starts + 1.
        let deps = [dep(1, 2, DepKind::Ss, 2), dep(1, 3, DepKind::Ff, 0), dep(2, 4, DepKind::Sf, 1)];
        let cal = WorkCalendar::weekends();
        let s = schedule(&acts, &deps, Direction::Forward(d("2026-11-23")), &cal).expect("plan");
        assert_eq!(s[&2].start, d("2026-11-25"));
        assert_eq!(s[&3].finish, s[&1].finish);
        assert_eq!(s[&4].finish, d("2026-11-25"), "finish index = start of 2 (+2) + 1 lag, exclusive");
    }

    #[test]
    fn working_days_skip_the_spring_festival() {
        let cal = WorkCalendar::china().expect("data");
        let acts = [act(1, 2), act(2, 1)];
        let deps = [dep(1, 2, DepKind::Fs, 0)];
        let s = schedule(&acts, &deps, Direction::Forward(d("2026-02-13")), &cal).expect("plan");
        assert_eq!((s[&1].start, s[&1].finish), (d("2026-02-13"), d("2026-02-14")), "the make-up Saturday works");
        assert_eq!(s[&2].start, d("2026-02-24"), "then the holiday");
    }

    #[test]
    fn backward_scheduling_ends_on_the_deadline() {
        let acts = [act(1, 3), act(2, 2)];
        let deps = [dep(1, 2, DepKind::Fs, 0)];
        let cal = WorkCalendar::weekends();
        let s = schedule(&acts, &deps, Direction::Backward(d("2026-12-04")), &cal).expect("plan");
        assert_eq!(s[&2].finish, d("2026-12-04"));
        assert_eq!(s[&1].start, d("2026-11-30"));
    }

    #[test]
    fn loops_and_strangers_are_reported() {
        let cal = WorkCalendar::weekends();
        let acts = [act(1, 1), act(2, 1), act(3, 1)];
        let looped = [dep(1, 2, DepKind::Fs, 0), dep(2, 3, DepKind::Fs, 0), dep(3, 2, DepKind::Fs, 0)];
        assert_eq!(
            schedule(&acts, &looped, Direction::Forward(d("2026-11-23")), &cal),
            Err(ScheduleError::Cycle(vec![2, 3]))
        );
        let stranger = [dep(1, 9, DepKind::Fs, 0)];
        assert_eq!(
            schedule(&acts, &stranger, Direction::Forward(d("2026-11-23")), &cal),
            Err(ScheduleError::Unknown(9))
        );
    }
}
