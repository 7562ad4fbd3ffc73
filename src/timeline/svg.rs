//! The timeline as a self-contained SVG picture for a projector: one band per lane, a
//! labelled time axis, events as marks with labels stacked so that no two boxes overlap,
//! windows and policy changes marked, and lines from each change back to the premises of
//! its shortest proof on the other lanes.

use std::fmt::Write;

use super::{start, Kind, Timeline};

const WIDTH: f64 = 1600.0;
const PLOT_LEFT: f64 = 200.0;
const PLOT_RIGHT: f64 = 1560.0;
const TOP: f64 = 130.0;
/// Height of the mark strip at the top of a band.
const MARKS: f64 = 44.0;
/// Height of one row of labels.
const ROW: f64 = 26.0;
const FONT: f64 = 15.0;
/// The advance of a character of the monospace label font, in font sizes.
const ADVANCE: f64 = 0.6;
/// The longest label, in characters.
const LONGEST: usize = 30;

/// Lane colours (see [`crate::explain::render::lane_palette`]); facts on no lane are grey.
const COLOURS: [&str; 6] = [
    "#c0392b", "#1e8449", "#2e6fd8", "#8e44ad", "#b9770e", "#16a085",
];
const GREY: &str = "#7f8c8d";

/// A label's box: left, top, width, height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelBox {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl LabelBox {
    /// Whether two boxes share any area.
    pub fn overlaps(&self, other: &LabelBox) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }
}

/// Draws the timeline under a title.
pub fn render(timeline: &Timeline, title: &str) -> String {
    let (lo, hi) = (start(timeline.from), start(timeline.to));
    let x_of = |at: f64| {
        if hi <= lo {
            (PLOT_LEFT + PLOT_RIGHT) / 2.0
        } else {
            PLOT_LEFT + (at - lo) / (hi - lo) * (PLOT_RIGHT - PLOT_LEFT)
        }
    };
    let colour = |lane: usize| {
        let name = &timeline.lanes[lane].name;
        if name == super::OTHER_LANE {
            GREY
        } else {
            COLOURS[crate::explain::render::lane_palette(name)]
        }
    };
    // Lay out each lane: its labels' boxes, row by row, and so its height.
    let mut bands = Vec::new();
    let mut top = TOP;
    let mut mark_at = Vec::new();
    for lane in &timeline.lanes {
        let mut rows: Vec<Vec<LabelBox>> = Vec::new();
        let mut labels = Vec::new();
        let mut marks = Vec::new();
        // One label per time: its weightiest event's, with how many more share it; the
        // label's tooltip lists them all. Weightier labels take the upper rows.
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (e, event) in lane.events.iter().enumerate() {
            marks.push((x_of(start(event.time)), top + MARKS / 2.0));
            // Events come in time order, so a time's group is the last one made.
            match groups
                .last_mut()
                .filter(|(first, _)| lane.events[*first].time == event.time)
            {
                Some((first, all)) => {
                    all.push(e);
                    if event.rank() > lane.events[*first].rank() {
                        *first = e;
                    }
                }
                None => groups.push((e, vec![e])),
            }
        }
        groups.sort_by_key(|(first, _)| std::cmp::Reverse(lane.events[*first].rank()));
        for (first, all) in groups {
            let event = &lane.events[first];
            let text = match all.len() {
                1 => shorten(&event.label),
                n => format!("{} {}", shorten(&event.label), super::more_facts(n - 1)),
            };
            let tooltip: Vec<&str> = std::iter::once(first)
                .chain(all.iter().copied().filter(|e| *e != first))
                .map(|e| lane.events[e].fact.as_str())
                .collect();
            let width = text.chars().count() as f64 * FONT * ADVANCE + 8.0;
            let x = marks[first].0.min(PLOT_RIGHT + 30.0 - width) - 4.0;
            let mut placed = None;
            for (r, row) in rows.iter_mut().enumerate() {
                let candidate = LabelBox {
                    x,
                    y: top + MARKS + r as f64 * ROW,
                    width,
                    height: ROW - 4.0,
                };
                if row.iter().all(|b| !b.overlaps(&grown(&candidate))) {
                    row.push(candidate);
                    placed = Some(candidate);
                    break;
                }
            }
            let placed = placed.unwrap_or_else(|| {
                let b = LabelBox {
                    x,
                    y: top + MARKS + rows.len() as f64 * ROW,
                    width,
                    height: ROW - 4.0,
                };
                rows.push(vec![b]);
                b
            });
            labels.push((first, text, tooltip.join("\n"), placed));
        }
        let height = MARKS + rows.len() as f64 * ROW + 12.0;
        bands.push((top, height, labels));
        mark_at.push(marks);
        top += height + 8.0;
    }
    let axis_y = top + 4.0;
    let total = axis_y + 60.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total:.0}" viewBox="0 0 {WIDTH} {total:.0}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">"#
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r##"<text class="title" x="24" y="44" font-size="28" font-weight="bold" fill="#222">{}</text>"##,
        escape(title)
    );
    let _ = writeln!(
        svg,
        r##"<text x="24" y="72" font-size="16" fill="#555">The streams from {} to {}: each fact at its time; lines join each policy change to what its shortest proof rests on.</text>"##,
        timeline.from, timeline.to
    );
    legend(&mut svg);
    grid(&mut svg, lo, hi, &x_of, TOP - 8.0, axis_y);
    // Bands, behind everything else.
    for (l, lane) in timeline.lanes.iter().enumerate() {
        let (y, height, _) = &bands[l];
        let _ = writeln!(
            svg,
            r#"<g class="band" data-lane="{}"><rect x="8" y="{y:.1}" width="{:.0}" height="{height:.1}" rx="8" fill="{}" fill-opacity="0.08"/><text x="20" y="{:.1}" font-size="18" font-weight="bold" fill="{}">{}</text></g>"#,
            escape(&lane.name),
            WIDTH - 16.0,
            colour(l),
            y + MARKS / 2.0 + 6.0,
            colour(l),
            escape(&lane.label)
        );
    }
    // Open windows, as spans under their marks.
    for (l, lane) in timeline.lanes.iter().enumerate() {
        for (e, event) in lane.events.iter().enumerate() {
            if let Some(until) = event.until {
                let (x, y) = mark_at[l][e];
                let _ = writeln!(
                    svg,
                    r#"<rect class="window-span" x="{x:.1}" y="{:.1}" width="{:.1}" height="12" rx="6" fill="{}" fill-opacity="0.3"><title>open until {until}</title></rect>"#,
                    y - 6.0,
                    x_of(start(until)).min(PLOT_RIGHT) - x,
                    colour(l)
                );
            }
        }
    }
    // Coupling lines, under the marks.
    for link in &timeline.links {
        let (cx, cy) = mark_at[link.change.0][link.change.1];
        let (px, py) = mark_at[link.premise.0][link.premise.1];
        let _ = writeln!(
            svg,
            r#"<line class="coupling" x1="{cx:.1}" y1="{cy:.1}" x2="{px:.1}" y2="{py:.1}" stroke="{}" stroke-opacity="0.45" stroke-width="1.5"/>"#,
            colour(link.premise.0)
        );
    }
    // Leaders from marks down to their labels, then the labels over them.
    for (l, (_, _, labels)) in bands.iter().enumerate() {
        for (first, _, _, b) in labels {
            let (x, y) = mark_at[l][*first];
            let _ = writeln!(
                svg,
                r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{}" stroke-opacity="0.5"/>"#,
                y + 6.0,
                b.y,
                colour(l)
            );
        }
    }
    for (l, lane) in timeline.lanes.iter().enumerate() {
        for (e, event) in lane.events.iter().enumerate() {
            let (x, y) = mark_at[l][e];
            let shape = match event.kind {
                Kind::Event => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="6"/>"#),
                Kind::Window => format!(
                    r#"<polygon points="{:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1}"/>"#,
                    x - 9.0,
                    y - 9.0,
                    x + 9.0,
                    y + 9.0
                ),
                Kind::Change => format!(r#"<polygon points="{}"/>"#, star(x, y)),
            };
            let kind = match event.kind {
                Kind::Event => "event",
                Kind::Window => "window",
                Kind::Change => "change",
            };
            let _ = writeln!(
                svg,
                r##"<g class="mark {kind}" fill="{}" stroke="#ffffff" stroke-width="1.5"><title>{}</title>{shape}</g>"##,
                colour(l),
                escape(&event.fact)
            );
        }
    }
    for (l, (_, _, labels)) in bands.iter().enumerate() {
        for (_, text, tooltip, b) in labels {
            let _ = writeln!(
                svg,
                r##"<g class="label"><title>{}</title><rect class="label-box" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="#ffffff" fill-opacity="0.92" stroke="{}" stroke-opacity="0.6"/><text x="{:.1}" y="{:.1}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT}" fill="#222">{}</text></g>"##,
                escape(tooltip),
                b.x,
                b.y,
                b.width,
                b.height,
                colour(l),
                b.x + 4.0,
                b.y + b.height - 5.5,
                escape(text)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The box with a margin, so that neighbours keep a gap.
fn grown(b: &LabelBox) -> LabelBox {
    LabelBox {
        x: b.x - 4.0,
        y: b.y,
        width: b.width + 8.0,
        height: b.height,
    }
}

/// The legend: what each mark means, laid out left to right by the length of its text.
fn legend(svg: &mut String) {
    let y = 100.0;
    let items: [(&str, &str); 5] = [
        ("event", "event"),
        ("window", "window (a bar while it is open)"),
        ("change", "policy change"),
        (
            "coupling",
            "coupling: a change and the premises of its shortest proof",
        ),
        ("", "+N facts: more facts at that time (hover for them)"),
    ];
    svg.push_str(r##"<g class="legend" font-size="15" fill="#333">"##);
    let mut x = 24.0;
    for (shape, text) in items {
        let icon = match shape {
            "event" => format!(
                r##"<circle cx="{:.1}" cy="{y}" r="6" fill="#555"/>"##,
                x + 6.0
            ),
            "window" => format!(
                r##"<polygon points="{:.1},{y} {:.1},{:.0} {:.1},{y} {:.1},{:.0}" fill="#555"/>"##,
                x - 3.0,
                x + 6.0,
                y - 9.0,
                x + 15.0,
                x + 6.0,
                y + 9.0
            ),
            "change" => format!(r##"<polygon points="{}" fill="#555"/>"##, star(x + 6.0, y)),
            "coupling" => format!(
                r##"<line x1="{x:.1}" y1="{y}" x2="{:.1}" y2="{y}" stroke="#555" stroke-width="1.5"/>"##,
                x + 30.0
            ),
            _ => String::new(),
        };
        let gap = match shape {
            "" => 0.0,
            "coupling" => 38.0,
            _ => 20.0,
        };
        svg.push_str(&icon);
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.0}">{}</text>"#,
            x + gap,
            y + 5.0,
            escape(text)
        );
        x += gap + text.chars().count() as f64 * 8.2 + 30.0;
    }
    svg.push_str("</g>\n");
}

/// The time axis and faint vertical lines at its ticks.
fn grid(svg: &mut String, lo: f64, hi: f64, x_of: &dyn Fn(f64) -> f64, top: f64, axis_y: f64) {
    let span = (hi - lo).max(1.0);
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|s| (PLOT_RIGHT - PLOT_LEFT) / (span / f64::from(*s)) >= 56.0)
        .unwrap_or(1000);
    let _ = writeln!(
        svg,
        r##"<g class="axis" font-size="15" fill="#333" stroke="#999"><line x1="{PLOT_LEFT}" y1="{axis_y:.1}" x2="{PLOT_RIGHT}" y2="{axis_y:.1}"/>"##
    );
    let mut year = (lo / f64::from(step)).ceil() as i64 * i64::from(step);
    while year as f64 <= hi {
        let x = x_of(year as f64);
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{axis_y:.1}" stroke-opacity="0.25" stroke-dasharray="3 4"/><line x1="{x:.1}" y1="{axis_y:.1}" x2="{x:.1}" y2="{:.1}"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" stroke="none">{year}</text>"##,
            axis_y + 6.0,
            axis_y + 24.0
        );
        year += i64::from(step);
    }
    svg.push_str("</g>\n");
}

/// A five-pointed star around a point.
fn star(x: f64, y: f64) -> String {
    (0..10)
        .map(|k| {
            let r = if k % 2 == 0 { 12.0 } else { 5.0 };
            let a = std::f64::consts::PI * (f64::from(k) / 5.0 - 0.5);
            format!("{:.1},{:.1}", x + r * a.cos(), y + r * a.sin())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A label cut to [`LONGEST`] characters.
fn shorten(text: &str) -> String {
    if text.chars().count() <= LONGEST {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(LONGEST - 1).collect();
    cut.push('…');
    cut
}

/// Text made safe for XML.
/// Text as XML character data: markup escaped, and the control characters XML 1.0 forbids
/// (a note may hold one) dropped, so that every browser reads the picture.
fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
