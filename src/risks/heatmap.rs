//! The 5 × 5 heat map of live risks: probability up the side, impact along the bottom, each
//! cell coloured by its score band and linking to its risks. Drawn as SVG on the server, the
//! same picture inline on the pages and on its own from the API.

use std::fmt::Write;

use super::service::band;
use crate::i18n::Lang;

const CELL: u32 = 56;
const LEFT: u32 = 44;
const TOP: u32 = 8;
const BOTTOM: u32 = 40;

fn fill(score: i16) -> &'static str {
    match band(score) {
        "high" => "#f4c7c3",
        "medium" => "#fde7b0",
        _ => "#d5ecd4",
    }
}

fn ink(score: i16) -> &'static str {
    match band(score) {
        "high" => "#8a1c12",
        "medium" => "#6b4a00",
        _ => "#1e5128",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The heat map of `counts[probability - 1][impact - 1]`; `href(p, i)` is where a cell links.
pub fn svg(counts: &[[u32; 5]; 5], lang: Lang, href: impl Fn(usize, usize) -> String) -> String {
    let width = LEFT + 5 * CELL + 8;
    let height = TOP + 5 * CELL + BOTTOM;
    let total: u32 = counts.iter().flatten().sum();
    let title = lang.t_args("risk-heatmap-title", &[("count", total.to_string())]);
    let mut out = String::with_capacity(8 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-label="{t}" font-family="system-ui, sans-serif" font-size="12"><title>{t}</title>"#,
        t = escape(&title)
    );
    for p in 1..=5usize {
        for i in 1..=5usize {
            let n = counts[p - 1][i - 1];
            let score = i16::try_from(p * i).unwrap_or(25);
            let x = LEFT + u32::try_from(i - 1).unwrap_or(0) * CELL;
            let y = TOP + u32::try_from(5 - p).unwrap_or(0) * CELL;
            let label = lang.t_args(
                "risk-heatmap-cell",
                &[("probability", p.to_string()), ("impact", i.to_string()), ("count", n.to_string())],
            );
            let rect = format!(
                r##"<rect x="{x}" y="{y}" width="{w}" height="{w}" fill="{f}" stroke="#ffffff" stroke-width="2" rx="4"/>"##,
                w = CELL,
                f = fill(score)
            );
            let cx = x + CELL / 2;
            let cy = y + CELL / 2;
            if n == 0 {
                let _ = write!(
                    out,
                    r#"<g><title>{l}</title>{rect}<text x="{cx}" y="{ty}" text-anchor="middle" fill="{c}" opacity="0.45" font-size="10">{score}</text></g>"#,
                    l = escape(&label),
                    ty = cy + 4,
                    c = ink(score)
                );
            } else {
                let _ = write!(
                    out,
                    r#"<a href="{h}" aria-label="{l}" data-cell="{p}-{i}"><title>{l}</title>{rect}<text x="{cx}" y="{ty}" text-anchor="middle" fill="{c}" font-size="18" font-weight="700">{n}</text></a>"#,
                    h = escape(&href(p, i)),
                    l = escape(&label),
                    ty = cy + 6,
                    c = ink(score)
                );
            }
        }
    }
    // Axis numbers and titles.
    for k in 1..=5u32 {
        let _ = write!(
            out,
            r##"<text x="{x}" y="{y}" text-anchor="middle" fill="#555">{k}</text><text x="{lx}" y="{ly}" text-anchor="end" fill="#555">{k}</text>"##,
            x = LEFT + (k - 1) * CELL + CELL / 2,
            y = TOP + 5 * CELL + 16,
            lx = LEFT - 8,
            ly = TOP + (5 - k) * CELL + CELL / 2 + 4
        );
    }
    let _ = write!(
        out,
        r##"<text x="{x}" y="{y}" text-anchor="middle" fill="#333" font-weight="600">{imp}</text><text transform="translate(14 {py}) rotate(-90)" text-anchor="middle" fill="#333" font-weight="600">{prob}</text></svg>"##,
        x = LEFT + 5 * CELL / 2,
        y = TOP + 5 * CELL + 34,
        py = TOP + 5 * CELL / 2,
        imp = escape(&lang.t("field-risk-impact")),
        prob = escape(&lang.t("field-risk-probability"))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_with_risks_link_and_empty_ones_do_not() {
        let mut counts = [[0u32; 5]; 5];
        counts[4][3] = 2; // probability 5, impact 4: score 20
        counts[0][0] = 1;
        let s = svg(&counts, Lang::default(), |p, i| format!("/risks?cell={p}-{i}"));
        assert_eq!(s.matches("<a ").count(), 2);
        assert!(s.contains(r#"href="/risks?cell=5-4""#));
        assert!(s.contains(r#"href="/risks?cell=1-1""#));
        assert!(!s.contains("cell=3-3"));
        // The high cell is red, the low one green.
        let high = s.split(r#"data-cell="5-4""#).nth(1).expect("high cell");
        assert!(high.contains("#f4c7c3"));
        assert!(s.split(r#"data-cell="1-1""#).nth(1).expect("low cell").contains("#d5ecd4"));
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
    }

    #[test]
    fn bands_follow_the_score() {
        assert_eq!(band(25), "high");
        assert_eq!(band(15), "high");
        assert_eq!(band(12), "medium");
        assert_eq!(band(8), "medium");
        assert_eq!(band(6), "low");
    }
}
