//! The schedule impact of a change, computed on a copy of the plan: the affected tasks grow (or
//! shrink) by the change's working days, their successors are pushed along the dependency
//! network as far as their constraints demand (slack the plan already has absorbs the push),
//! summary tasks stretch over their children, and a milestone moves when work it waits for now
//! finishes after it. Nothing here touches the database.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engagements::{
    calendar::WorkCalendar,
    entity::{dependency, milestone, task},
    schedule::{Activity, DepKind, Dependency, ScheduleError, topological},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskMove {
    pub task_id: i64,
    pub from: (NaiveDate, NaiveDate),
    pub to: (NaiveDate, NaiveDate),
    /// Working days the finish moves.
    pub days: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneMove {
    pub milestone_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatIf {
    pub tasks: Vec<TaskMove>,
    pub milestones: Vec<MilestoneMove>,
    pub finish_before: Option<NaiveDate>,
    pub finish_after: Option<NaiveDate>,
    /// Working days the end of the plan moves.
    pub plan_days: i64,
}

impl WhatIf {
    /// The impact routing and statistics go by: the largest move of the plan's end or of any
    /// milestone, in working days.
    pub fn impact_days(&self) -> i64 {
        self.milestones.iter().map(|m| m.days).chain([self.plan_days]).max().unwrap_or(0)
    }
}

/// The plan as the scheduler needs it, whoever looks at it.
pub struct Plan<'a> {
    pub tasks: &'a [task::Model],
    pub deps: &'a [dependency::Model],
    pub milestones: &'a [milestone::Model],
    pub calendar: &'a WorkCalendar,
}

pub fn compute(plan: &Plan<'_>, affected: &[i64], delta: i64) -> Result<WhatIf, ScheduleError> {
    let cal = plan.calendar;
    let mut dates: HashMap<i64, (NaiveDate, NaiveDate)> =
        plan.tasks.iter().map(|t| (t.id, (t.start_date, t.finish_date))).collect();
    let duration = |(s, f): (NaiveDate, NaiveDate)| cal.duration(s, f).max(1);
    for id in affected {
        if let Some(d) = dates.get_mut(id) {
            let days = (duration(*d) + delta).max(1);
            *d = (d.0, cal.add_working_days(cal.next_working(d.0), days - 1));
        }
    }
    let deps: Vec<Dependency> = plan
        .deps
        .iter()
        .filter_map(|d| {
            Some(Dependency {
                predecessor: d.predecessor_id,
                successor: d.successor_id,
                kind: DepKind::parse(&d.kind)?,
                lag: i64::from(d.lag_days),
            })
        })
        .collect();
    let acts: Vec<Activity> = plan.tasks.iter().map(|t| Activity::new(t.id, 0)).collect();
    for id in topological(&acts, &deps)? {
        let Some(&(start, finish)) = dates.get(&id) else { continue };
        let days = duration((start, finish));
        let mut earliest = start;
        for d in deps.iter().filter(|d| d.successor == id) {
            let Some(&(ps, pf)) = dates.get(&d.predecessor) else { continue };
            let needed = match d.kind {
                DepKind::Fs => cal.add_working_days(pf, 1 + d.lag),
                DepKind::Ss => cal.add_working_days(ps, d.lag),
                DepKind::Ff => cal.add_working_days(cal.add_working_days(pf, d.lag), -(days - 1)),
                DepKind::Sf => cal.add_working_days(cal.add_working_days(ps, d.lag - 1), -(days - 1)),
            };
            earliest = earliest.max(needed);
        }
        if earliest > start {
            dates.insert(id, (earliest, cal.add_working_days(earliest, days - 1)));
        }
    }
    stretch_summaries(plan.tasks, &mut dates);

    let mut out = WhatIf::default();
    for t in plan.tasks {
        let to = dates.get(&t.id).copied().unwrap_or((t.start_date, t.finish_date));
        if to != (t.start_date, t.finish_date) {
            let days = cal.working_days_between(t.finish_date, to.1);
            out.tasks.push(TaskMove { task_id: t.id, from: (t.start_date, t.finish_date), to, days });
        }
    }
    out.finish_before = plan.tasks.iter().map(|t| t.finish_date).max();
    out.finish_after = dates.values().map(|d| d.1).max();
    if let (Some(b), Some(a)) = (out.finish_before, out.finish_after) {
        out.plan_days = cal.working_days_between(b, a);
    }
    for m in plan.milestones {
        // The work the milestone waits for: what finished by its date before the change.
        let latest = plan
            .tasks
            .iter()
            .filter(|t| t.finish_date <= m.due_date)
            .filter_map(|t| dates.get(&t.id).map(|d| d.1))
            .max();
        if let Some(to) = latest.filter(|l| *l > m.due_date) {
            let days = cal.working_days_between(m.due_date, to);
            out.milestones.push(MilestoneMove { milestone_id: m.id, from: m.due_date, to, days });
        }
    }
    Ok(out)
}

/// A summary task spans its children: when a child now ends later, so does its parent (and
/// its parent's parent).
fn stretch_summaries(tasks: &[task::Model], dates: &mut HashMap<i64, (NaiveDate, NaiveDate)>) {
    let parent: HashMap<i64, i64> = tasks.iter().filter_map(|t| t.parent_id.map(|p| (t.id, p))).collect();
    for t in tasks {
        let Some(&(_, finish)) = dates.get(&t.id) else { continue };
        let mut at = parent.get(&t.id).copied();
        let mut steps = 0;
        while let Some(p) = at
            && steps < 64
        {
            if let Some(d) = dates.get_mut(&p)
                && d.1 < finish
            {
                d.1 = finish;
            }
            at = parent.get(&p).copied();
            steps += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(id: i64, start: &str, finish: &str, parent: Option<i64>) -> task::Model {
        task::Model {
            id,
            engagement_id: 1,
            parent_id: parent,
            name: format!("T{id}"),
            start_date: d(start),
            finish_date: d(finish),
            assignee_id: None,
            party_id: None,
            progress: 0,
            status: "not_started".into(),
            visibility: "participants".into(),
            visible_party_id: None,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
            scheduling: "auto".into(),
            start_no_earlier: None,
            shift_days: 0,
            schedule_conflict: false,
        }
    }

    fn fs(id: i64, p: i64, s: i64, lag: i32) -> dependency::Model {
        dependency::Model {
            id,
            engagement_id: 1,
            predecessor_id: p,
            successor_id: s,
            kind: "FS".into(),
            lag_days: lag,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    fn ms(id: i64, due: &str) -> milestone::Model {
        milestone::Model {
            id,
            engagement_id: 1,
            name: format!("M{id}"),
            due_date: d(due),
            status: "planned".into(),
            owner_party_id: None,
            visibility: "participants".into(),
            visible_party_id: None,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
            description: String::new(),
        }
    }

    #[test]
    fn a_longer_task_pushes_its_successors_and_the_milestone_they_lead_to() {
        let cal = WorkCalendar::weekends();
        // Mon 2026-03-02 .. Fri 03-06, then Mon 03-09 .. Fri 03-13; milestone on Fri 03-13.
        let tasks = [t(1, "2026-03-02", "2026-03-06", None), t(2, "2026-03-09", "2026-03-13", None)];
        let deps = [fs(1, 1, 2, 0)];
        let milestones = [ms(1, "2026-03-13"), ms(2, "2026-04-30")];
        let plan = Plan { tasks: &tasks, deps: &deps, milestones: &milestones, calendar: &cal };
        let w = compute(&plan, &[1], 3).unwrap();
        assert_eq!(w.tasks.len(), 2);
        assert_eq!(w.tasks[0].to, (d("2026-03-02"), d("2026-03-11")));
        assert_eq!(w.tasks[1].to, (d("2026-03-12"), d("2026-03-18")));
        assert_eq!(w.plan_days, 3);
        assert_eq!(
            w.milestones,
            vec![MilestoneMove { milestone_id: 1, from: d("2026-03-13"), to: d("2026-03-18"), days: 3 }]
        );
        assert_eq!(w.impact_days(), 3);
    }

    #[test]
    fn slack_already_in_the_plan_absorbs_the_push() {
        let cal = WorkCalendar::weekends();
        // The successor starts a week after its predecessor ends: two extra days fit.
        let tasks = [t(1, "2026-03-02", "2026-03-06", None), t(2, "2026-03-16", "2026-03-20", None)];
        let deps = [fs(1, 1, 2, 0)];
        let plan = Plan { tasks: &tasks, deps: &deps, milestones: &[], calendar: &cal };
        let w = compute(&plan, &[1], 2).unwrap();
        assert_eq!(w.tasks.len(), 1, "only the affected task moves: {w:?}");
        assert_eq!(w.plan_days, 0);
    }

    #[test]
    fn lags_and_summaries_follow() {
        let cal = WorkCalendar::weekends();
        let tasks = [
            t(10, "2026-03-02", "2026-03-13", None),
            t(1, "2026-03-02", "2026-03-04", Some(10)),
            t(2, "2026-03-09", "2026-03-13", Some(10)),
        ];
        // 2 working days' lag between them: Wed 03-04 + 1 + 2 = Mon 03-09.
        let deps = [fs(1, 1, 2, 2)];
        let plan = Plan { tasks: &tasks, deps: &deps, milestones: &[], calendar: &cal };
        let w = compute(&plan, &[1], 1).unwrap();
        let by: HashMap<i64, &TaskMove> = w.tasks.iter().map(|m| (m.task_id, m)).collect();
        assert_eq!(by[&1].to.1, d("2026-03-05"));
        assert_eq!(by[&2].to, (d("2026-03-10"), d("2026-03-16")));
        assert_eq!(by[&10].to, (d("2026-03-02"), d("2026-03-16")), "the summary stretches over its child");
    }

    #[test]
    fn a_shorter_task_moves_nothing_else() {
        let cal = WorkCalendar::weekends();
        let tasks = [t(1, "2026-03-02", "2026-03-06", None), t(2, "2026-03-09", "2026-03-13", None)];
        let deps = [fs(1, 1, 2, 0)];
        let plan = Plan { tasks: &tasks, deps: &deps, milestones: &[], calendar: &cal };
        let w = compute(&plan, &[1], -2).unwrap();
        assert_eq!(w.tasks.len(), 1);
        assert_eq!(w.tasks[0].to.1, d("2026-03-04"));
        assert_eq!(w.tasks[0].days, -2);
        assert_eq!(w.impact_days(), 0);
    }
}
