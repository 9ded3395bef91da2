//! The Gantt chart as SVG, drawn on the server from what the viewer may see: task bars in WBS
//! order with progress, milestones as diamonds, dependency arrows, non-working days, the today
//! line and the critical path; where the last automatic re-planning moved a task from (a ghost
//! bar and the shift in working days), tasks scheduled by hand, and those whose predecessors
//! disagree. The same SVG is the page's picture and the download; on the page, a manager's
//! script makes its bars draggable (`static/app.js`), every change going through the same
//! JSON API and rules as the forms.

use std::collections::{HashMap, HashSet};

use askama::Template;
use chrono::{Datelike, NaiveDate};

use crate::{
    AppState,
    auth::Viewer,
    domain::{DATE_MAX, DATE_MIN, add_days},
    engagements::{
        calendar::WorkCalendar,
        entity::milestone,
        network::{ChartLink, ChartPlan, ChartTask},
        plan,
        schedule::DepKind,
    },
    error::{AppError, AppResult},
    i18n::Lang,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Zoom {
    Day,
    #[default]
    Week,
    Month,
}

impl Zoom {
    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("day") => Zoom::Day,
            Some("month") => Zoom::Month,
            _ => Zoom::Week,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Zoom::Day => "day",
            Zoom::Week => "week",
            Zoom::Month => "month",
        }
    }

    /// Pixels per calendar day.
    fn px(self) -> f64 {
        match self {
            Zoom::Day => 28.0,
            Zoom::Week => 9.0,
            Zoom::Month => 3.0,
        }
    }
}

pub struct Bar {
    pub id: i64,
    pub y: f64,
    pub label_x: f64,
    pub label: String,
    pub x: f64,
    pub w: f64,
    pub done_w: f64,
    pub critical: bool,
    pub progress: i16,
    pub dates: String,
    /// The baseline bar (x, width) when comparing with a baseline.
    pub base: Option<(f64, f64)>,
    pub base_dates: String,
    pub start: String,
    pub finish: String,
    /// Where the last automatic re-planning moved it from (x), and by how many working days.
    pub shift: Option<(f64, i32)>,
    pub shift_text: String,
    /// "+3", "-2".
    pub shift_short: String,
    pub manual: bool,
    /// Scheduled by hand while its predecessors want it later: what the marker says.
    pub conflict: Option<String>,
}

pub struct Diamond {
    pub y: f64,
    pub label: String,
    pub cx: f64,
    pub cy: f64,
    pub date: String,
}

pub struct Tick {
    pub x: f64,
    pub label: String,
    pub major: bool,
}

/// A month (or, zoomed out, a year) across the top of the header.
pub struct Period {
    pub x: f64,
    pub w: f64,
    pub label: String,
}

pub struct Shade {
    pub x: f64,
    pub w: f64,
}

pub struct Arrow {
    pub d: String,
    pub critical: bool,
}

#[derive(Template)]
#[template(path = "engagements/gantt.svg", escape = "html")]
pub struct GanttSvg {
    pub width: f64,
    pub height: f64,
    pub label_w: f64,
    pub header_h: f64,
    pub row_h: f64,
    pub bars: Vec<Bar>,
    pub diamonds: Vec<Diamond>,
    pub ticks: Vec<Tick>,
    pub periods: Vec<Period>,
    pub shades: Vec<Shade>,
    pub arrows: Vec<Arrow>,
    pub today_x: Option<f64>,
    pub title: String,
    pub legend_critical: String,
    pub legend_today: String,
    pub legend_baseline: Option<String>,
    pub empty: Option<String>,
    pub names_title: String,
    /// Pixels per day and the first day drawn, for the page's script.
    pub px: f64,
    pub from: String,
    pub legend_moved: String,
    pub legend_manual: String,
    /// Names and progress beside the bars: for a plan a person reads, not one of thousands of
    /// rows (where they would double the download and no one reads them).
    pub bar_labels: bool,
}

/// The most bars drawn with their names and progress beside them.
const LABELLED_BARS: usize = 1000;

/// The task names alone, the height of the chart: the page pins it over the chart's left
/// edge, so the names stay in view while the chart scrolls sideways.
#[derive(Template)]
#[template(path = "engagements/gantt_names.svg", escape = "html")]
struct NamesSvg<'a> {
    chart: &'a GanttSvg,
}

/// One line of the phone's list: a milestone or a task with its dates and progress.
pub struct ListRow {
    pub milestone: bool,
    pub depth: usize,
    pub name: String,
    pub start: String,
    pub finish: String,
    pub progress: i16,
    pub late: bool,
}

/// The most lines the phone's list shows.
const LIST_ROWS: usize = 300;

/// What the Gantt page shows: the chart, its pinned names, where today is, and the list a
/// phone shows instead.
pub struct Chart {
    pub svg: String,
    pub names: String,
    /// How far to scroll the chart so that today is in view (px).
    pub scroll_to: f64,
    pub list: Vec<ListRow>,
    /// Milestones and tasks in all, when the list shows only the first [`LIST_ROWS`].
    pub total: usize,
}

const LABEL_W: f64 = 280.0;
const ROW_H: f64 = 30.0;
const HEADER_H: f64 = 46.0;
const FOOTER_H: f64 = 34.0;

/// The most task bars one chart draws (the oldest tasks first).
const MAX_BARS: usize = 5000;

/// The longest span drawn with day or week columns (about five years).
const MAX_FINE_DAYS: i64 = 5 * 366;

struct Frame {
    from: NaiveDate,
    px: f64,
}

impl Frame {
    fn x(&self, d: NaiveDate) -> f64 {
        LABEL_W + (d - self.from).num_days() as f64 * self.px
    }
}

/// The legend's width: a chart is never narrower.
const LEGEND_W: f64 = 720.0;

/// What one chart shows.
struct Content<'a> {
    title: String,
    tasks: &'a [(ChartTask, usize)],
    milestones: &'a [milestone::Model],
    links: &'a [ChartLink],
    critical: &'a HashSet<i64>,
    baseline: Option<&'a HashMap<i64, (NaiveDate, NaiveDate)>>,
}

/// A month as the header names it: "2026 年 11 月" / "Nov 2026".
fn month_label(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{} 年 {} 月", d.year(), d.month()),
        Lang::En => d.format("%b %Y").to_string(),
    }
}

fn year_label(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{} 年", d.year()),
        Lang::En => d.year().to_string(),
    }
}

fn layout(c: Content<'_>, zoom: Zoom, today: NaiveDate, cal: &WorkCalendar, lang: Lang) -> GanttSvg {
    let Content { title, tasks, milestones, links, critical, baseline } = c;
    let dates =
        tasks.iter().flat_map(|(t, _)| [t.start_date, t.finish_date]).chain(milestones.iter().map(|m| m.due_date));
    let (min, max) = dates.fold((None::<NaiveDate>, None::<NaiveDate>), |(lo, hi), d| {
        (Some(lo.map_or(d, |l| l.min(d))), Some(hi.map_or(d, |h| h.max(d))))
    });
    let empty = min.is_none().then(|| lang.t("gantt-empty"));
    // Today is always on the chart, so the today line has something to say. Dates are kept
    // inside the accepted range (older rows may lie outside), so no step below can overflow.
    let min = min.unwrap_or(today).min(today).clamp(DATE_MIN, DATE_MAX);
    let max = max.unwrap_or(add_days(today, 30)).max(today).clamp(DATE_MIN, DATE_MAX);
    // A plan spanning decades gets month columns whatever was asked: a day per column would
    // draw a chart of millions of pixels.
    let zoom = if (max - min).num_days() > MAX_FINE_DAYS { Zoom::Month } else { zoom };
    // Start on a Monday (or the first of the month) a little before the first date.
    let from = match zoom {
        Zoom::Month => NaiveDate::from_ymd_opt(min.year(), min.month(), 1).unwrap_or(min),
        _ => add_days(min, -(i64::from(min.weekday().num_days_from_monday()) + 7)),
    };
    let to = add_days(max, 14);
    let frame = Frame { from, px: zoom.px() };
    let rows = milestones.len() + tasks.len();
    // Room for the last tick's label, and for the legend under a short plan.
    let width = (frame.x(to) + 48.0).max(LEGEND_W);
    let height = HEADER_H + rows.max(1) as f64 * ROW_H + FOOTER_H;

    let mut ticks = Vec::new();
    let mut shades = Vec::new();
    let mut periods: Vec<Period> = Vec::new();
    let mut d = from;
    while d <= to {
        let first_of_month = d.day() == 1;
        // The top row: months, or years when zoomed out; each starts where the chart does.
        let starts_period = d == from
            || match zoom {
                Zoom::Month => first_of_month && d.month() == 1,
                _ => first_of_month,
            };
        if starts_period {
            let label = if zoom == Zoom::Month { year_label(d, lang) } else { month_label(d, lang) };
            periods.push(Period { x: frame.x(d), w: 0.0, label });
        }
        let tick = match zoom {
            Zoom::Day => Some((d.day().to_string(), first_of_month)),
            Zoom::Week => (d.weekday().num_days_from_monday() == 0).then(|| (d.day().to_string(), first_of_month)),
            Zoom::Month => first_of_month.then(|| (d.month().to_string(), d.month() == 1)),
        };
        if let Some((label, major)) = tick {
            ticks.push(Tick { x: frame.x(d), label, major });
        }
        if zoom != Zoom::Month && !cal.is_working(d) {
            shades.push(Shade { x: frame.x(d), w: frame.px });
        }
        match d.succ_opt() {
            Some(next) => d = next,
            None => break,
        }
    }

    let end_x = frame.x(add_days(to, 1));
    for i in 0..periods.len() {
        let next = periods.get(i + 1).map_or(end_x, |p| p.x);
        periods[i].w = next - periods[i].x;
    }

    let mut row_of: HashMap<i64, f64> = HashMap::new();
    let mut diamonds = Vec::new();
    for (i, m) in milestones.iter().enumerate() {
        let y = HEADER_H + i as f64 * ROW_H;
        diamonds.push(Diamond {
            y,
            label: m.name.clone(),
            cx: frame.x(m.due_date) + frame.px / 2.0,
            cy: y + ROW_H / 2.0,
            date: m.due_date.to_string(),
        });
    }
    let mut bars = Vec::new();
    let mut ends: HashMap<i64, (f64, f64, f64)> = HashMap::new();
    for (i, (t, depth)) in tasks.iter().enumerate() {
        let y = HEADER_H + (milestones.len() + i) as f64 * ROW_H;
        let x = frame.x(t.start_date);
        let w = ((t.finish_date - t.start_date).num_days() + 1).max(1) as f64 * frame.px;
        let base = baseline.and_then(|b| b.get(&t.id)).copied();
        row_of.insert(t.id, y);
        ends.insert(t.id, (x, x + w, y + ROW_H / 2.0));
        let shift = (t.shift_days != 0)
            .then(|| (frame.x(cal.add_working_days(t.start_date, -i64::from(t.shift_days))), t.shift_days));
        bars.push(Bar {
            id: t.id,
            start: t.start_date.to_string(),
            finish: t.finish_date.to_string(),
            shift_short: shift.map_or_else(String::new, |(_, d)| format!("{d:+}")),
            shift_text: shift
                .map_or_else(String::new, |(_, d)| lang.t_args("gantt-moved", &[("days", format!("{d:+}"))])),
            shift,
            manual: t.scheduling == "manual",
            conflict: t.schedule_conflict.then(|| lang.t("gantt-conflict")),
            y,
            label_x: 12.0 + *depth as f64 * 16.0,
            label: t.name.clone(),
            x,
            w,
            done_w: w * f64::from(t.progress.clamp(0, 100)) / 100.0,
            critical: critical.contains(&t.id),
            progress: t.progress,
            dates: format!("{} → {}", t.start_date, t.finish_date),
            base: base.map(|(s, f)| (frame.x(s), ((f - s).num_days() + 1).max(1) as f64 * frame.px)),
            base_dates: base.map(|(s, f)| format!("{s} → {f}")).unwrap_or_default(),
        });
    }
    // Only links whose two ends are drawn: the others lead to tasks the viewer may not see.
    let arrows = links
        .iter()
        .filter_map(|dep| {
            let (ps, pf, py) = *ends.get(&dep.predecessor_id)?;
            let (ss, sf, sy) = *ends.get(&dep.successor_id)?;
            let (from_x, to_x) = match DepKind::parse(&dep.kind)? {
                DepKind::Fs => (pf, ss),
                DepKind::Ss => (ps, ss),
                DepKind::Ff => (pf, sf),
                DepKind::Sf => (ps, sf),
            };
            let mid = from_x.max(to_x - 8.0).max(from_x + 6.0);
            let d = format!("M{from_x:.1},{py:.1} H{mid:.1} V{sy:.1} H{to_x:.1}");
            let critical = critical.contains(&dep.predecessor_id) && critical.contains(&dep.successor_id);
            Some(Arrow { d, critical })
        })
        .collect();
    let today_x = (from..=to).contains(&today).then(|| frame.x(today) + frame.px / 2.0);
    GanttSvg {
        width,
        height,
        label_w: LABEL_W,
        header_h: HEADER_H,
        row_h: ROW_H,
        bars,
        diamonds,
        ticks,
        periods,
        shades,
        arrows,
        today_x,
        title,
        legend_critical: lang.t("gantt-legend-critical"),
        legend_today: lang.t("gantt-legend-today"),
        legend_baseline: baseline.map(|_| lang.t("gantt-legend-baseline")),
        empty,
        names_title: lang.t("gantt-names"),
        px: frame.px,
        from: from.to_string(),
        legend_moved: lang.t("gantt-legend-moved"),
        legend_manual: lang.t("gantt-legend-manual"),
        bar_labels: tasks.len() <= LABELLED_BARS,
    }
}

/// The phone's list: milestones, then tasks in tree order, at most [`LIST_ROWS`].
fn list_rows(tasks: &[(ChartTask, usize)], milestones: &[milestone::Model], today: NaiveDate) -> Vec<ListRow> {
    let ms = milestones.iter().map(|m| ListRow {
        milestone: true,
        depth: 0,
        name: m.name.clone(),
        start: String::new(),
        finish: m.due_date.to_string(),
        progress: if m.status == "achieved" { 100 } else { 0 },
        late: m.status == "planned" && m.due_date < today,
    });
    let ts = tasks.iter().map(|(t, depth)| ListRow {
        milestone: false,
        depth: (*depth).min(4),
        name: t.name.clone(),
        start: t.start_date.to_string(),
        finish: t.finish_date.to_string(),
        progress: t.progress.clamp(0, 100),
        late: t.progress < 100 && t.finish_date < today,
    });
    ms.chain(ts).take(LIST_ROWS).collect()
}

/// The chart of an engagement as the viewer may see it, optionally beside a baseline: the
/// SVG alone (a download), or with what the page adds (`page`).
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    baseline_id: Option<i64>,
    zoom: Zoom,
    today: NaiveDate,
    lang: Lang,
) -> AppResult<String> {
    Ok(draw(state, viewer, engagement_id, (baseline_id, zoom), today, lang, false).await?.svg)
}

/// The chart with its pinned names, today's place and the phone's list, for the Gantt page.
pub async fn page(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    (baseline_id, zoom): (Option<i64>, Zoom),
    today: NaiveDate,
    lang: Lang,
) -> AppResult<Chart> {
    draw(state, viewer, engagement_id, (baseline_id, zoom), today, lang, true).await
}

async fn draw(
    state: &AppState,
    viewer: &Viewer,
    engagement_id: i64,
    (baseline_id, zoom): (Option<i64>, Zoom),
    today: NaiveDate,
    lang: Lang,
    for_page: bool,
) -> AppResult<Chart> {
    // A chart of thousands of tasks holds megabytes while it is drawn: at most one per core
    // at a time, so sixteen downloads at once take the time they would anyway and a fraction
    // of the memory.
    let _turn = state.heavy.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
    let e = crate::engagements::service::get(state, viewer, engagement_id).await?;
    let milestones = plan::milestones(state, viewer, engagement_id).await?;
    // One read of the whole network, for the bars and the critical path alike.
    let mut plan = ChartPlan::read(state, &e).await?;
    let shown = plan.shown(viewer, MAX_BARS);
    let baseline = match baseline_id {
        Some(b) => {
            crate::engagements::baseline::find(state, viewer, engagement_id, b).await?;
            Some(crate::engagements::baseline::task_dates(state, b).await?)
        }
        None => None,
    };
    // The critical path, the layout and the SVG are CPU work: off the request threads.
    let draw = move || -> AppResult<Chart> {
        let critical = plan.critical()?;
        let tasks = plan.take_shown(&shown);
        let ordered = crate::engagements::overview::tree_order(tasks, |t| t.id, |t| t.parent_id);
        let content = Content {
            title: format!("{} {}", e.code, e.name),
            tasks: &ordered,
            milestones: &milestones,
            links: &plan.links,
            critical: &critical,
            baseline: baseline.as_ref(),
        };
        let chart = layout(content, zoom, today, &plan.calendar, lang);
        let svg = chart.render()?;
        if !for_page {
            return Ok(Chart { svg, names: String::new(), scroll_to: 0.0, list: Vec::new(), total: 0 });
        }
        // Today a fifth of the way in, past the pinned names.
        let scroll_to = chart.today_x.map_or(0.0, |x| (x - chart.label_w - 160.0).max(0.0));
        Ok(Chart {
            names: NamesSvg { chart: &chart }.render()?,
            svg,
            scroll_to,
            list: list_rows(&ordered, &milestones, today),
            total: ordered.len() + milestones.len(),
        })
    };
    tokio::task::spawn_blocking(draw).await.map_err(|e| AppError::Internal(e.into()))?
}
