//! The S-curve: planned value over the plan's weeks, actual cost to the date, earned value as
//! kept day by day up to the date, and the budget at completion as a line. Drawn as SVG on the
//! server.

use std::fmt::Write;

use chrono::{Duration, NaiveDate};

use super::{evm::planned_value, service::CostView};
use crate::{i18n::Lang, money::Money};

const W: f64 = 640.0;
const H: f64 = 280.0;
const LEFT: f64 = 88.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 48.0;
/// At most this many samples along the time axis.
const MAX_POINTS: i64 = 260;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[allow(clippy::cast_precision_loss)]
pub fn svg(v: &CostView, lang: Lang) -> String {
    let as_of = v.evm.as_of;
    let first = v
        .tasks
        .iter()
        .map(|t| t.start)
        .chain(v.costs.iter().map(|c| c.on))
        .chain(v.ev_history.iter().map(|(d, _)| *d))
        .min()
        .unwrap_or(as_of);
    let last =
        v.tasks.iter().map(|t| t.finish).chain(v.costs.iter().map(|c| c.on)).chain([as_of]).max().unwrap_or(as_of);
    let start = first.min(as_of);
    let days = (last - start).num_days().max(1);
    let step = (days / MAX_POINTS + 1).max(7).min(days);
    let mut dates: Vec<NaiveDate> = (0..=days / step).map(|i| start + Duration::days(i * step)).collect();
    if dates.last() != Some(&last) {
        dates.push(last);
    }
    let pv: Vec<i64> = dates.iter().map(|d| planned_value(&v.calendar, v.evm.bac, &v.tasks, *d)).collect();
    let ac_at = |d: NaiveDate| v.costs.iter().filter(|c| c.on <= d).map(|c| c.minor).sum::<i64>();
    let mut ac_dates: Vec<NaiveDate> = dates.iter().copied().filter(|d| *d <= as_of).collect();
    if ac_dates.last() != Some(&as_of) && as_of >= start {
        ac_dates.push(as_of);
    }
    let ac: Vec<i64> = ac_dates.iter().map(|d| ac_at(*d)).collect();
    let top = [v.evm.bac, v.evm.ev, v.evm.ac, v.evm.eac]
        .into_iter()
        .chain(ac.iter().copied())
        .chain(v.ev_history.iter().map(|(_, m)| *m))
        .max()
        .unwrap_or(0)
        .max(1);
    let y_max = top as f64 * 1.08;
    let x = |d: NaiveDate| LEFT + (d - start).num_days() as f64 / days as f64 * (W - LEFT - RIGHT);
    let y = |m: i64| TOP + (1.0 - m as f64 / y_max) * (H - TOP - BOTTOM);
    let path = |pts: &mut dyn Iterator<Item = (NaiveDate, i64)>| {
        pts.map(|(d, m)| format!("{:.1},{:.1}", x(d), y(m))).collect::<Vec<_>>().join(" ")
    };
    let currency = v.budget.currency.clone();
    let money = |m: i64| Money { minor: m, currency: currency.clone() }.display();
    let title = lang.t("cost-scurve-title");
    let desc = lang.t_args(
        "cost-scurve-desc",
        &[("date", as_of.to_string()), ("pv", money(v.evm.pv)), ("ev", money(v.evm.ev)), ("ac", money(v.evm.ac))],
    );
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="scurve" viewBox="0 0 {W} {H}" role="img" aria-labelledby="scurve-title scurve-desc" font-family="system-ui, sans-serif" font-size="11"><title id="scurve-title">{}</title><desc id="scurve-desc">{}</desc>"#,
        escape(&title),
        escape(&desc)
    );
    // Axes, the budget line and its label.
    let base = H - BOTTOM;
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" stroke="#999"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#999"/>"##,
        W - RIGHT
    );
    let by = y(v.evm.bac);
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{by:.1}" x2="{}" y2="{by:.1}" stroke="#6b7280" stroke-dasharray="4 3"/><text x="{}" y="{:.1}" text-anchor="end" fill="#555">BAC {}</text>"##,
        W - RIGHT,
        LEFT - 6.0,
        by + 4.0,
        escape(&money(v.evm.bac))
    );
    let _ = write!(out, r##"<text x="{}" y="{:.1}" text-anchor="end" fill="#555">0</text>"##, LEFT - 6.0, base + 4.0);
    for (d, anchor) in [(start, "start"), (start + Duration::days(days / 2), "middle"), (last, "end")] {
        let _ =
            write!(out, r##"<text x="{:.1}" y="{}" text-anchor="{anchor}" fill="#555">{d}</text>"##, x(d), base + 16.0);
    }
    // The date line.
    if as_of >= start && as_of <= last {
        let _ = write!(
            out,
            r##"<line x1="{0:.1}" y1="{TOP}" x2="{0:.1}" y2="{base}" stroke="#9ca3af" stroke-dasharray="2 3"/>"##,
            x(as_of)
        );
    }
    let pv_pts = path(&mut dates.iter().copied().zip(pv.iter().copied()));
    let _ = write!(
        out,
        r##"<polyline class="series-pv" points="{pv_pts}" fill="none" stroke="#2563eb" stroke-width="2"/>"##
    );
    if !ac.is_empty() {
        let ac_pts = path(&mut ac_dates.iter().copied().zip(ac.iter().copied()));
        let _ = write!(
            out,
            r##"<polyline class="series-ac" points="{ac_pts}" fill="none" stroke="#dc2626" stroke-width="2"/>"##
        );
    }
    if !v.ev_history.is_empty() {
        let ev_pts = path(&mut v.ev_history.iter().copied().chain([(as_of, v.evm.ev)]));
        let _ = write!(
            out,
            r##"<polyline class="series-ev-history" points="{ev_pts}" fill="none" stroke="#16a34a" stroke-width="2"/>"##
        );
    }
    let _ = write!(
        out,
        r##"<circle class="series-ev" cx="{:.1}" cy="{:.1}" r="5" fill="#16a34a"><title>EV {}</title></circle>"##,
        x(as_of.clamp(start, last)),
        y(v.evm.ev),
        escape(&money(v.evm.ev))
    );
    // The legend.
    let ly = H - 14.0;
    for (i, (label, colour)) in [("PV", "#2563eb"), ("EV", "#16a34a"), ("AC", "#dc2626")].into_iter().enumerate() {
        let lx = LEFT + i as f64 * 150.0;
        let name = lang.t(&format!("cost-series-{}", label.to_lowercase()));
        let _ = write!(
            out,
            r##"<rect x="{lx}" y="{}" width="12" height="4" fill="{colour}"/><text x="{}" y="{ly}" fill="#333">{label} · {}</text>"##,
            ly - 4.0,
            lx + 16.0,
            escape(&name)
        );
    }
    out.push_str("</svg>");
    out
}
