//! Scheduling: the critical path method over working days. Activities have a duration in
//! working days (0 = milestone) and are linked by finish-to-start, start-to-start,
//! finish-to-finish or start-to-finish dependencies with a lag (working days, may be negative).
//! Forward scheduling places everything as early as possible from a start date; backward
//! scheduling as late as possible before a deadline. Total float 0 marks the critical path.
//!
//! Forward, an activity may carry a *start no earlier than* day (a start the PM typed: it holds
//! unless the predecessors need it later), or be scheduled by hand: then it stays where it is,
//! still drives its successors, and is marked when its predecessors now want it later.

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
    /// Forward: not before this working-day index (start no earlier than).
    pub not_before: Option<i64>,
    /// Forward: scheduled by hand at this working-day index; the predecessors do not move it.
    pub fixed: Option<i64>,
}

impl Activity {
    /// An activity placed only by its links.
    pub fn new(id: i64, duration: i64) -> Self {
        Self { id, duration, not_before: None, fixed: None }
    }
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
    /// Scheduled by hand, and the predecessors now need it to start later.
    pub conflict: bool,
    /// Placed by its predecessors, later than its own start-no-earlier-than.
    pub pushed: bool,
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
    /// What the predecessors alone require of each start.
    required: HashMap<i64, i64>,
    es: HashMap<i64, i64>,
    ef: HashMap<i64, i64>,
    ls: HashMap<i64, i64>,
    lf: HashMap<i64, i64>,
}

/// The network by position: each activity's index, and for each index the links in and out
/// (positions into `deps`), so every pass walks each link once.
struct Graph<'a> {
    acts: &'a [Activity],
    deps: &'a [Dependency],
    /// (predecessor index, successor index) of each dependency.
    ends: Vec<(usize, usize)>,
    incoming: Vec<Vec<usize>>,
    outgoing: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn new(acts: &'a [Activity], deps: &'a [Dependency]) -> Result<Self, ScheduleError> {
        let index: HashMap<i64, usize> = acts.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        let at = |id: i64| index.get(&id).copied().ok_or(ScheduleError::Unknown(id));
        let mut incoming = vec![Vec::new(); acts.len()];
        let mut outgoing = vec![Vec::new(); acts.len()];
        let mut ends = Vec::with_capacity(deps.len());
        for (k, d) in deps.iter().enumerate() {
            let (p, s) = (at(d.predecessor)?, at(d.successor)?);
            outgoing[p].push(k);
            incoming[s].push(k);
            ends.push((p, s));
        }
        Ok(Self { acts, deps, ends, incoming, outgoing })
    }

    /// Indices in an order where every predecessor comes before its successors (Kahn).
    fn order(&self) -> Result<Vec<usize>, ScheduleError> {
        let mut indegree: Vec<usize> = self.incoming.iter().map(Vec::len).collect();
        let mut ready: VecDeque<usize> = (0..self.acts.len()).filter(|i| indegree[*i] == 0).collect();
        let mut order = Vec::with_capacity(self.acts.len());
        while let Some(i) = ready.pop_front() {
            order.push(i);
            for &k in &self.outgoing[i] {
                let s = self.ends[k].1;
                indegree[s] -= 1;
                if indegree[s] == 0 {
                    ready.push_back(s);
                }
            }
        }
        if order.len() < self.acts.len() {
            let mut stuck: Vec<i64> =
                indegree.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, _)| self.acts[i].id).collect();
            stuck.sort_unstable();
            return Err(ScheduleError::Cycle(stuck));
        }
        Ok(order)
    }
}

pub(crate) fn topological(acts: &[Activity], deps: &[Dependency]) -> Result<Vec<i64>, ScheduleError> {
    let g = Graph::new(acts, deps)?;
    Ok(g.order()?.into_iter().map(|i| acts[i].id).collect())
}

fn passes(acts: &[Activity], deps: &[Dependency]) -> Result<Pass, ScheduleError> {
    let g = Graph::new(acts, deps)?;
    let order = g.order()?;
    let dur: Vec<i64> = acts.iter().map(|a| a.duration.max(0)).collect();
    let mut es = vec![0i64; acts.len()];
    let mut required = vec![0i64; acts.len()];
    for &i in &order {
        let earliest = g.incoming[i]
            .iter()
            .map(|&k| {
                let (d, p) = (&g.deps[k], g.ends[k].0);
                let (ps, pf) = (es[p], es[p] + dur[p]);
                match d.kind {
                    DepKind::Fs => pf + d.lag,
                    DepKind::Ss => ps + d.lag,
                    DepKind::Ff => pf + d.lag - dur[i],
                    DepKind::Sf => ps + d.lag - dur[i],
                }
            })
            .max()
            .unwrap_or(0)
            .max(0);
        required[i] = earliest;
        let a = &acts[i];
        es[i] = a.fixed.unwrap_or_else(|| earliest.max(a.not_before.unwrap_or(0)));
    }
    let ef: Vec<i64> = es.iter().zip(&dur).map(|(s, d)| s + d).collect();
    let end = ef.iter().copied().max().unwrap_or(0);
    let mut lf = vec![end; acts.len()];
    for &i in order.iter().rev() {
        let latest = g.outgoing[i]
            .iter()
            .map(|&k| {
                let (d, s) = (&g.deps[k], g.ends[k].1);
                let (sls, slf) = (lf[s] - dur[s], lf[s]);
                match d.kind {
                    DepKind::Fs => sls - d.lag,
                    DepKind::Ss => sls - d.lag + dur[i],
                    DepKind::Ff => slf - d.lag,
                    DepKind::Sf => slf - d.lag + dur[i],
                }
            })
            .min()
            .unwrap_or(end)
            .min(end);
        lf[i] = latest;
    }
    let by_id = |v: &[i64]| -> HashMap<i64, i64> { acts.iter().zip(v).map(|(a, x)| (a.id, *x)).collect() };
    let ls: Vec<i64> = lf.iter().zip(&dur).map(|(f, d)| f - d).collect();
    Ok(Pass { required: by_id(&required), es: by_id(&es), ef: by_id(&ef), ls: by_id(&ls), lf: by_id(&lf) })
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
                conflict: a.fixed.is_some_and(|f| f < p.required[&a.id]),
                pushed: a.fixed.is_none() && p.required[&a.id] > a.not_before.unwrap_or(0),
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
        Activity::new(id, duration)
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

    #[test]
    fn a_typed_start_holds_unless_the_predecessors_need_it_later() {
        let cal = WorkCalendar::weekends();
        // 1 (3d) → 2 (2d), 2 typed to start at index 5; 3 (1d) typed at index 2, no links.
        let acts =
            [act(1, 3), Activity { not_before: Some(5), ..act(2, 2) }, Activity { not_before: Some(2), ..act(3, 1) }];
        let deps = [dep(1, 2, DepKind::Fs, 0)];
        let s = schedule(&acts, &deps, Direction::Forward(d("2026-11-23")), &cal).expect("plan");
        assert_eq!(s[&2].start, d("2026-11-30"), "index 5: the typed start, later than the predecessor needs");
        assert_eq!(s[&3].start, d("2026-11-25"), "not dragged back to the plan's start");
        // The predecessor grows to 7 days: now it pushes 2 past its typed start.
        let acts = [act(1, 7), acts[1], acts[2]];
        let s = schedule(&acts, &deps, Direction::Forward(d("2026-11-23")), &cal).expect("plan");
        assert_eq!(s[&2].start, d("2026-12-02"));
    }

    #[test]
    fn a_manual_task_stays_and_says_its_predecessors_disagree() {
        let cal = WorkCalendar::weekends();
        let acts = [act(1, 5), Activity { fixed: Some(2), ..act(2, 2) }, act(3, 1)];
        let deps = [dep(1, 2, DepKind::Fs, 0), dep(2, 3, DepKind::Fs, 0)];
        let s = schedule(&acts, &deps, Direction::Forward(d("2026-11-23")), &cal).expect("plan");
        assert_eq!((s[&2].start, s[&2].conflict), (d("2026-11-25"), true), "stays at index 2, in conflict");
        assert_eq!(s[&3].start, d("2026-11-27"), "its successor follows where it is");
        assert!(!s[&1].conflict && !s[&3].conflict);
        let acts = [act(1, 2), acts[1], acts[2]];
        assert!(!schedule(&acts, &deps, Direction::Forward(d("2026-11-23")), &cal).expect("plan")[&2].conflict);
    }
}
