//! The timeline in a terminal: a time axis, then one row of marks per lane with the labels
//! stacked beneath it so that none overlaps another, fitted to a given width.

use super::{start, Kind, Timeline};

/// How many rows of labels a lane gets at most; the rest are counted, not shown.
const LABEL_ROWS: usize = 6;

/// ANSI colours of the lanes (see [`crate::explain::render::lane_palette`]); facts on no
/// lane are grey.
const COLOURS: [&str; 6] = ["31", "32", "34", "35", "33", "36"];

/// The glyphs: baseline, event, window, change, change of unknown order, enactment not
/// explained, window missed, ellipsis, open window, axis rule and tick.
struct Glyphs {
    base: char,
    event: char,
    window: char,
    change: char,
    unknown: char,
    unexplained: char,
    missed: char,
    more: &'static str,
    open: char,
    rule: char,
    tick: char,
}

const UNICODE: Glyphs = Glyphs {
    base: '·',
    event: '●',
    window: '◆',
    change: '★',
    unknown: '☆',
    unexplained: '⊘',
    missed: '◇',
    more: "…",
    open: '━',
    rule: '─',
    tick: '┬',
};

const ASCII: Glyphs = Glyphs {
    base: '.',
    event: 'o',
    window: '#',
    change: '*',
    unknown: '?',
    unexplained: 'x',
    missed: '~',
    more: "...",
    open: '=',
    rule: '-',
    tick: '+',
};

/// Draws the timeline `width` columns wide (at least 40), in colour or not, with Unicode
/// marks or ASCII ones.
pub fn render(timeline: &Timeline, width: usize, color: bool, ascii: bool) -> String {
    if timeline.lanes.iter().all(|l| l.events.is_empty()) {
        return "no dated facts to draw: give facts a time with `@ YYYY`, or widen the time range\n".to_string();
    }
    let g = if ascii { &ASCII } else { &UNICODE };
    let width = width.max(40);
    let gutter = timeline
        .lanes
        .iter()
        .map(|l| l.label.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(6, 18)
        + 2;
    let plot = width - gutter;
    let (lo, hi) = (start(timeline.from), start(timeline.to));
    let column = |at: f64| {
        if hi <= lo {
            0
        } else {
            (((at - lo) / (hi - lo)) * (plot - 1) as f64)
                .round()
                .clamp(0.0, (plot - 1) as f64) as usize
        }
    };
    let mut out = String::new();
    axis(&mut out, timeline, gutter, plot, &column, g, false);
    for lane in &timeline.lanes {
        let paint = |text: &str| {
            if color {
                let colour = if lane.name == super::OTHER_LANE {
                    "90"
                } else {
                    COLOURS[crate::explain::render::lane_palette(&lane.name)]
                };
                format!("\x1b[{colour}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let mut marks = vec![g.base; plot];
        // One label per column: its weightiest event's, with how many more share it; the
        // mark of its weightiest verdict.
        let mut groups: Vec<(usize, usize, usize)> = Vec::new();
        let mut shown: Vec<Kind> = Vec::new();
        for (i, e) in lane.events.iter().enumerate() {
            let col = column(start(e.time));
            // Events come in time order, so a column's group is the last one made.
            match groups.last_mut().filter(|(c, _, _)| *c == col) {
                Some(group) => {
                    group.2 += 1;
                    if e.rank() > lane.events[group.1].rank() {
                        group.1 = i;
                    }
                    if let Some(kind) = shown.last_mut() {
                        if e.kind.mark_rank() > kind.mark_rank() {
                            *kind = e.kind;
                        }
                    }
                }
                None => {
                    groups.push((col, i, 1));
                    shown.push(e.kind);
                }
            }
        }
        // An open window's span, under any mark.
        for e in lane.events.iter() {
            if let Some(until) = e.until {
                let (from, to) = (column(start(e.time)), column(start(until)));
                for mark in &mut marks[from + 1..=to.max(from)] {
                    *mark = g.open;
                }
            }
        }
        for ((col, _, _), kind) in groups.iter().zip(&shown) {
            marks[*col] = match kind {
                Kind::Event => g.event,
                Kind::Window => g.window,
                Kind::Change => g.change,
                Kind::Unknown => g.unknown,
                Kind::Unexplained => g.unexplained,
                Kind::Missed => g.missed,
            };
        }
        groups.sort_by_key(|(col, top, _)| (std::cmp::Reverse(lane.events[*top].rank()), *col));
        let longest = (plot / 3).clamp(12, 40);
        let mut rows: Vec<Vec<char>> = Vec::new();
        let mut hidden = 0;
        for (col, top, n) in &groups {
            // Short, for a terminal's few columns; the legend says what it counts.
            let more = if *n > 1 {
                format!(" +{} more", n - 1)
            } else {
                String::new()
            };
            // Near the right edge a label is cut to the room right of its mark rather than
            // moved left of it (where it would read as an earlier time), down to a few words.
            let room = plot.saturating_sub(*col).max(12).min(longest);
            let label = shorten(
                &lane.events[*top].label,
                room.saturating_sub(more.len()).max(8),
                g.more,
            ) + &more;
            let len = label.chars().count();
            let at = (*col).min(plot.saturating_sub(len));
            let free = |row: &Vec<char>| {
                (at.saturating_sub(1)..(at + len + 1).min(plot)).all(|c| row[c] == ' ')
            };
            let row = match rows.iter().position(free) {
                Some(r) => r,
                None if rows.len() < LABEL_ROWS => {
                    rows.push(vec![' '; plot]);
                    rows.len() - 1
                }
                None => {
                    hidden += 1;
                    continue;
                }
            };
            for (k, c) in label.chars().enumerate() {
                rows[row][at + k] = c;
            }
        }
        let name = shorten(&lane.label, gutter - 2, g.more);
        let line: String = marks.iter().collect();
        out.push_str(&format!("{name:<gutter$}{}\n", paint(&line)));
        for row in rows {
            let text: String = row.into_iter().collect();
            out.push_str(&format!("{:gutter$}{}\n", "", paint(text.trim_end())));
        }
        if hidden > 0 {
            out.push_str(&format!(
                "{:gutter$}{}\n",
                "",
                paint(&format!(
                    "(+{hidden} more label{}: a narrower time range shows them)",
                    if hidden == 1 { "" } else { "s" }
                ))
            ));
        }
    }
    axis(&mut out, timeline, gutter, plot, &column, g, true);
    // The legend, its entries whole, on as many lines as the width asks.
    let entries = [
        format!("{} event", g.event),
        format!("{}{} window open", g.window, g.open),
        format!("{} window missed", g.missed),
        format!("{} policy change", g.change),
        format!("{} order unknown", g.unknown),
        format!("{} not explained", g.unexplained),
        "+N more at that time".to_string(),
    ];
    let mut line = String::new();
    for entry in entries {
        let needed = line.chars().count() + 2 + entry.chars().count();
        if !line.is_empty() && gutter + needed > width {
            out.push_str(&format!("{:gutter$}{line}\n", ""));
            line.clear();
        }
        if !line.is_empty() {
            line.push_str("  ");
        }
        line.push_str(&entry);
    }
    out.push_str(&format!("{:gutter$}{line}\n", ""));
    if let Some(note) = timeline.left_out() {
        out.push_str(&format!("{:gutter$}{note}\n", ""));
    }
    out
}

/// The time axis: a ruler with ticks and the years beside it (above, or `below`).
fn axis(
    out: &mut String,
    timeline: &Timeline,
    gutter: usize,
    plot: usize,
    column: &dyn Fn(f64) -> usize,
    g: &Glyphs,
    below: bool,
) {
    let (lo, hi) = (start(timeline.from), start(timeline.to));
    let span = (hi - lo).max(1.0);
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|s| span / f64::from(*s) * 7.0 <= plot as f64)
        .unwrap_or(1000);
    let mut ruler = vec![g.rule; plot];
    let mut years = vec![' '; plot];
    let first = (lo / f64::from(step)).ceil() as i64 * i64::from(step);
    let mut year = first;
    while year as f64 <= hi {
        let col = column(year as f64);
        ruler[col] = g.tick;
        let text = year.to_string();
        let at = col.min(plot.saturating_sub(text.len()));
        if years[at.saturating_sub(1)..(at + text.len()).min(plot)]
            .iter()
            .all(|c| *c == ' ')
        {
            for (k, c) in text.chars().enumerate() {
                years[at + k] = c;
            }
        }
        year += i64::from(step);
    }
    let ruler: String = ruler.into_iter().collect();
    let years: String = years.into_iter().collect();
    let years = format!("{:gutter$}{}\n", "", years.trim_end());
    let ruler = format!("{:gutter$}{ruler}\n", "");
    if below {
        out.push_str(&ruler);
        out.push_str(&years);
    } else {
        out.push_str(&years);
        out.push_str(&ruler);
    }
}

/// A text cut to `max` characters, ending in `more` when cut.
fn shorten(text: &str, max: usize, more: &str) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let keep = max.saturating_sub(more.chars().count());
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(more);
    cut
}
