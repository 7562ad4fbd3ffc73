//! The marks of the SVG timeline and its legend: one shape per [`Kind`] of fact, the rows
//! that keep the windows of one lane apart, and the marks at the picture's edge for premises
//! that lie outside the years drawn.

use std::fmt::Write;

use super::{start, Kind, Lane};
use crate::markup::escape;

/// The vertical distance between two rows of window bars in one lane.
pub(super) const ROW: f64 = 18.0;

/// The shape of a mark of `kind` at a point, in a lane's colour, and its class.
pub(super) fn mark(kind: Kind, x: f64, y: f64, colour: &str) -> (String, &'static str) {
    match kind {
        Kind::Event => (
            format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="6"/>"#),
            "event",
        ),
        Kind::Window => (diamond(x, y, ""), "window"),
        // A hollow diamond: a window that closed with nothing coupled.
        Kind::Missed => (
            diamond(
                x,
                y,
                &format!(r##" fill="#ffffff" stroke="{colour}" stroke-width="3""##),
            ),
            "missed",
        ),
        Kind::Change => (format!(r#"<polygon points="{}"/>"#, star(x, y)), "change"),
        // A hollow star: coupled only in an order the dates allow.
        Kind::Unknown => (
            format!(
                r##"<polygon points="{}" fill="#ffffff" stroke="{colour}" stroke-width="3"/>"##,
                star(x, y)
            ),
            "unknown",
        ),
        // A circle struck through: enacted, with no coupling to explain it.
        Kind::Unexplained => (
            format!(
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="8" fill="#ffffff" stroke="{colour}" stroke-width="3"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="3"/>"##,
                x - 5.5,
                y + 5.5,
                x + 5.5,
                y - 5.5
            ),
            "unexplained",
        ),
    }
}

/// A diamond around a point, with extra attributes.
fn diamond(x: f64, y: f64, attributes: &str) -> String {
    format!(
        r#"<polygon points="{:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1}"{attributes}/>"#,
        x - 9.0,
        y - 9.0,
        x + 9.0,
        y + 9.0
    )
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

/// The row of each event of a lane: each window on a row where its bar, from its opening to
/// its closing, meets no other bar (the first such row); a missed window on the row of the
/// window it names; anything else on the first row.
pub(super) fn rows(lane: &Lane) -> Vec<usize> {
    let mut rows = vec![0; lane.events.len()];
    // Where each row's last bar ends.
    let mut ends: Vec<f64> = Vec::new();
    for (e, event) in lane.events.iter().enumerate() {
        if event.kind != Kind::Window {
            continue;
        }
        let (from, to) = (
            start(event.time),
            event.until.map_or(start(event.time), start),
        );
        let row = match ends.iter().position(|end| *end < from) {
            Some(row) => row,
            None => {
                ends.push(f64::MIN);
                ends.len() - 1
            }
        };
        ends[row] = to.max(from + 0.25);
        rows[e] = row;
    }
    for (e, event) in lane.events.iter().enumerate() {
        if event.kind != Kind::Missed {
            continue;
        }
        // The window of that name that closed then, else the last of that name before.
        let named = |w: &&(usize, &super::Event)| {
            w.1.kind == Kind::Window && w.1.subject == event.subject && w.1.time <= event.time
        };
        let windows: Vec<(usize, &super::Event)> = lane.events.iter().enumerate().collect();
        let window = windows
            .iter()
            .filter(named)
            .find(|w| w.1.until == Some(event.time))
            .or_else(|| windows.iter().rfind(|w| named(w)));
        if let Some((w, _)) = window {
            rows[e] = rows[*w];
        }
    }
    rows
}

/// The legend: what each mark means, in two rows laid out left to right by the length of
/// their text.
pub(super) fn legend(svg: &mut String) {
    let first: [(&str, &str); 6] = [
        ("event", "event"),
        ("window", "window, a bar until it closes"),
        ("missed", "window closed unused"),
        ("change", "policy change"),
        ("unknown", "order unknown"),
        ("unexplained", "enacted, not explained"),
    ];
    let second: [(&str, &str); 3] = [
        ("coupling", "coupling: a change and what its proof rests on"),
        ("edge", "a premise before or after the years drawn"),
        ("", "+N more facts: others at that time"),
    ];
    svg.push_str(r##"<g class="legend" font-size="15" fill="#333">"##);
    for (y, items) in [(96.0, &first[..]), (122.0, &second[..])] {
        let mut x = 24.0;
        for (shape, text) in items {
            let icon = match *shape {
                "event" => mark(Kind::Event, x + 6.0, y, "#555").0,
                "window" => mark(Kind::Window, x + 6.0, y, "#555").0,
                "missed" => mark(Kind::Missed, x + 6.0, y, "#555").0,
                "change" => mark(Kind::Change, x + 6.0, y, "#555").0,
                "unknown" => mark(Kind::Unknown, x + 6.0, y, "#555").0,
                "unexplained" => mark(Kind::Unexplained, x + 6.0, y, "#555").0,
                "coupling" => format!(
                    r##"<line x1="{x:.1}" y1="{y}" x2="{:.1}" y2="{y}" stroke="#555" stroke-width="1.5"/>"##,
                    x + 30.0
                ),
                "edge" => edge_shape(x + 6.0, y, true, "#555"),
                _ => String::new(),
            };
            let gap = match *shape {
                "" => 0.0,
                "coupling" => 38.0,
                _ => 20.0,
            };
            let _ = write!(
                svg,
                r##"<g fill="#555">{icon}</g><text x="{:.1}" y="{:.0}">{}</text>"##,
                x + gap,
                y + 5.0,
                escape(text)
            );
            x += gap + text.chars().count() as f64 * 8.2 + 30.0;
        }
    }
    svg.push_str("</g>\n");
}

/// A triangle pointing out of the picture, left (`before`) or right.
pub(super) fn edge_shape(x: f64, y: f64, before: bool, colour: &str) -> String {
    let tip = if before { x - 8.0 } else { x + 8.0 };
    let back = if before { x + 6.0 } else { x - 6.0 };
    format!(
        r#"<polygon points="{tip:.1},{y:.1} {back:.1},{:.1} {back:.1},{:.1}" fill="{colour}"/>"#,
        y - 7.0,
        y + 7.0
    )
}
