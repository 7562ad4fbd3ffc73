//! The timeline as a self-contained SVG picture for a projector: one band per lane, a
//! labelled time axis, events as marks with labels stacked under them so that no two boxes
//! overlap, windows drawn as bars from opening to closing, policy changes on top, and lines
//! from each change back to the premises of its shortest proof on the other lanes.
//!
//! Two sizes: a page as tall as its labels need ([`Size::Page`]), and a 16:9 slide of
//! 1920×1080 ([`Size::Slide`]) whose lanes share the height (the lanes of changes weigh
//! triple), the labels that find no room
//! left out (their marks keep their facts as tooltips) and counted in a footnote.

use std::fmt::Write;

use super::marks::{self, ROW};
use super::{start, Kind, Timeline};
use crate::markup::escape;

/// The size of a picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Size {
    /// 1600 wide, as tall as the labels need: for a page or a screen to scroll.
    #[default]
    Page,
    /// 1920×1080 (16:9), everything inside: for a slide.
    Slide,
}

/// The measures of a picture of one [`Size`].
struct Frame {
    width: f64,
    /// The fixed height of a slide; a page has none.
    height: Option<f64>,
    plot_left: f64,
    plot_right: f64,
    /// Where the first band starts, under the title and the legend.
    top: f64,
    /// Size of the label font.
    font: f64,
    /// The longest line of a label, in characters.
    line: usize,
}

impl Frame {
    fn of(size: Size) -> Frame {
        match size {
            Size::Page => Frame {
                width: 1600.0,
                height: None,
                plot_left: 200.0,
                plot_right: 1560.0,
                top: 150.0,
                font: 15.0,
                line: 30,
            },
            Size::Slide => Frame {
                width: 1920.0,
                height: Some(1080.0),
                plot_left: 210.0,
                plot_right: 1860.0,
                top: 150.0,
                font: 16.0,
                line: 26,
            },
        }
    }

    /// Height of a line of label text.
    fn line_height(&self) -> f64 {
        (self.font * 1.25).round()
    }
}

/// Height of the mark strip at the top of a band.
const MARKS: f64 = 44.0;
/// Room under the labels of a band, and between bands.
const BAND_PAD: f64 = 10.0;
const BAND_GAP: f64 = 8.0;
/// From the last band to the bottom: the axis, its years, and a footnote.
const BOTTOM: f64 = 76.0;
/// The advance of a character of the monospace label font, in font sizes.
const ADVANCE: f64 = 0.6;
/// The most lines of text a label has before it is cut (the count of more facts aside).
const LABEL_LINES: usize = 2;

/// The colour of facts on no lane (the others: [`crate::explain::render::lane_colour`]).
const GREY: &str = "#7f8c8d";

/// A label's box: left, top, width, height.
#[derive(Clone, Copy, Debug, PartialEq)]
struct LabelBox {
    /// Left edge.
    x: f64,
    /// Top edge.
    y: f64,
    /// Width.
    width: f64,
    /// Height.
    height: f64,
}

/// A label placed in a band: the event whose mark it hangs from, its lines, the facts of
/// its tooltip, its box.
struct Label {
    first: usize,
    lines: Vec<String>,
    tooltip: String,
    at: LabelBox,
}

/// One lane laid out: its labels, and how many found no room.
struct Band {
    labels: Vec<Label>,
    left_out: usize,
    /// The height its labels take under the marks.
    used: f64,
}

/// Draws the timeline under a title, at a size.
pub fn render(timeline: &Timeline, title: &str, size: Size) -> String {
    // Facts a lane leaves out are said in the title, which nothing truncates.
    let title = &match timeline.left_out() {
        Some(note) => format!("{title} ({note})"),
        None => title.to_string(),
    };
    let frame = Frame::of(size);
    let (lo, hi) = (start(timeline.from), start(timeline.to));
    let x_of = |at: f64| {
        if hi <= lo {
            (frame.plot_left + frame.plot_right) / 2.0
        } else {
            frame.plot_left + (at - lo) / (hi - lo) * (frame.plot_right - frame.plot_left)
        }
    };
    let colour = |lane: usize| {
        let name = &timeline.lanes[lane].name;
        if name == super::OTHER_LANE {
            GREY
        } else {
            crate::explain::render::lane_colour(name)
        }
    };
    // Each lane's rows of marks (windows apart), and the strip they take.
    let rows: Vec<Vec<usize>> = timeline.lanes.iter().map(marks::rows).collect();
    let mark_heights: Vec<f64> = rows
        .iter()
        .map(|r| MARKS + r.iter().max().copied().unwrap_or(0) as f64 * ROW)
        .collect();
    // Each lane's labels, first with all the room they want; a slide then shares its
    // height among the lanes and lays out again within each lane's share.
    let lanes = timeline.lanes.len();
    let mut bands: Vec<Band> = (0..lanes)
        .map(|l| layout(timeline, l, &frame, &x_of, None))
        .collect();
    let heights: Vec<f64> = match frame.height {
        None => bands.iter().map(|b| b.used).collect(),
        Some(height) => {
            let strips: f64 = mark_heights.iter().sum();
            let room = height - frame.top - BOTTOM - strips - lanes as f64 * (BAND_PAD + BAND_GAP);
            // The lanes of policy changes, what the picture is for, weigh triple.
            let weights: Vec<f64> = timeline
                .lanes
                .iter()
                .map(|lane| {
                    if lane.events.iter().any(|e| e.kind.is_change()) {
                        3.0
                    } else {
                        1.0
                    }
                })
                .collect();
            let wants: Vec<f64> = bands.iter().map(|b| b.used).collect();
            let shares = share(&wants, &weights, room);
            for (l, band) in bands.iter_mut().enumerate() {
                if band.used > shares[l] {
                    *band = layout(timeline, l, &frame, &x_of, Some(shares[l]));
                }
            }
            shares
        }
    };
    let mut tops = Vec::with_capacity(lanes);
    let mut top = frame.top;
    for (h, strip) in heights.iter().zip(&mark_heights) {
        tops.push(top);
        top += strip + h + BAND_PAD + BAND_GAP;
    }
    let axis_y = top + 4.0;
    let total = frame.height.unwrap_or(axis_y + BOTTOM);
    let mark_at = |lane: usize, event: usize| {
        let e = &timeline.lanes[lane].events[event];
        let row = rows[lane][event] as f64;
        (x_of(start(e.time)), tops[lane] + MARKS / 2.0 + row * ROW)
    };
    let width = frame.width;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total:.0}" viewBox="0 0 {width} {total:.0}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" role="img" aria-labelledby="title">"#
    );
    let title_chars = ((width - 48.0) / (28.0 * 0.62)) as usize;
    let _ = writeln!(
        svg,
        r##"<title id="title">{}</title><rect width="100%" height="100%" fill="#ffffff"/>"##,
        escape(title)
    );
    let _ = writeln!(
        svg,
        r##"<text class="title" x="24" y="44" font-size="28" font-weight="bold" fill="#222">{}</text>"##,
        escape(&cut(title, title_chars))
    );
    let _ = writeln!(
        svg,
        r##"<text x="24" y="72" font-size="16" fill="#444">The streams from {} to {}: each fact at its time; lines join each policy change to what its shortest proof rests on.</text>"##,
        escape(&timeline.from.to_string()),
        escape(&timeline.to.to_string())
    );
    marks::legend(&mut svg);
    grid(&mut svg, &frame, lo, hi, &x_of, frame.top - 8.0, axis_y);
    // Bands, behind everything else.
    for (l, lane) in timeline.lanes.iter().enumerate() {
        let height = mark_heights[l] + heights[l] + BAND_PAD;
        let _ = writeln!(
            svg,
            r#"<g class="band" data-lane="{}"><rect x="8" y="{:.1}" width="{:.0}" height="{height:.1}" rx="8" fill="{}" fill-opacity="0.08"/><text x="20" y="{:.1}" font-size="18" font-weight="bold" fill="{}">{}</text></g>"#,
            escape(&lane.name),
            tops[l],
            width - 16.0,
            colour(l),
            tops[l] + MARKS / 2.0 + 6.0,
            colour(l),
            escape(&cut(&lane.label, 16))
        );
    }
    // Open windows, as bars from their opening to their closing.
    for (l, lane) in timeline.lanes.iter().enumerate() {
        for (e, event) in lane.events.iter().enumerate() {
            if let Some(until) = event.until {
                let (x, y) = mark_at(l, e);
                let _ = writeln!(
                    svg,
                    r#"<rect class="window-span" x="{x:.1}" y="{:.1}" width="{:.1}" height="12" rx="6" fill="{}" fill-opacity="0.3"><title>{} — open until {until}</title></rect>"#,
                    y - 6.0,
                    (x_of(start(until)).min(frame.plot_right) - x).max(0.0),
                    colour(l),
                    escape(&event.fact)
                );
            }
        }
    }
    // Coupling lines, under the marks and the labels.
    for link in &timeline.links {
        let (cx, cy) = mark_at(link.change.0, link.change.1);
        let (px, py) = mark_at(link.premise.0, link.premise.1);
        let _ = writeln!(
            svg,
            r#"<line class="coupling" x1="{cx:.1}" y1="{cy:.1}" x2="{px:.1}" y2="{py:.1}" stroke="{}" stroke-opacity="0.45" stroke-width="1.5"/>"#,
            colour(link.premise.0)
        );
    }
    edges(
        &mut svg,
        timeline,
        &frame,
        &mark_at,
        &|l| tops[l] + MARKS / 2.0,
        &colour,
    );
    // Leaders from marks down to their labels.
    // Labels are laid out from the top of their band's label area: moved under the marks.
    for ((band, top), strip) in bands.iter_mut().zip(&tops).zip(&mark_heights) {
        for label in &mut band.labels {
            label.at.y += top + strip;
        }
    }
    for (l, band) in bands.iter().enumerate() {
        for label in &band.labels {
            let (x, y) = mark_at(l, label.first);
            let _ = writeln!(
                svg,
                r#"<line class="leader" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{}" stroke-opacity="0.5"/>"#,
                y + 6.0,
                label.at.y,
                colour(l)
            );
        }
    }
    // Marks: events, then windows, then verdicts, so that a verdict is never hidden.
    let mut kinds = [
        Kind::Event,
        Kind::Window,
        Kind::Missed,
        Kind::Unexplained,
        Kind::Unknown,
        Kind::Change,
    ];
    kinds.sort_by_key(|k| k.mark_rank());
    for kind in kinds {
        for (l, lane) in timeline.lanes.iter().enumerate() {
            for (e, event) in lane
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == kind)
            {
                let (x, y) = mark_at(l, e);
                let (shape, class) = marks::mark(kind, x, y, colour(l));
                let _ = writeln!(
                    svg,
                    r##"<g class="mark {class}" fill="{}" stroke="#ffffff" stroke-width="1.5"><title>{}</title>{shape}</g>"##,
                    colour(l),
                    escape(&event.fact)
                );
            }
        }
    }
    for (l, band) in bands.iter().enumerate() {
        for label in &band.labels {
            let b = label.at;
            let _ = write!(
                svg,
                r##"<g class="label"><title>{}</title><rect class="label-box" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="#ffffff" fill-opacity="0.92" stroke="{}" stroke-opacity="0.6"/><text font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{}" fill="#222">"##,
                escape(&label.tooltip),
                b.x,
                b.y,
                b.width,
                b.height,
                colour(l),
                frame.font
            );
            for (i, line) in label.lines.iter().enumerate() {
                let _ = write!(
                    svg,
                    r#"<tspan x="{:.1}" y="{:.1}">{}</tspan>"#,
                    b.x + 5.0,
                    b.y + 3.0 + frame.font + i as f64 * frame.line_height(),
                    escape(line)
                );
            }
            svg.push_str("</text></g>\n");
        }
    }
    let left_out: usize = bands.iter().map(|b| b.left_out).sum();
    if left_out > 0 {
        // A slide is shown, not pointed at: it says where the facts are instead.
        let read = match size {
            Size::Slide => "every fact is in the handout's table, or draw fewer years",
            _ => "point at a mark to read its facts, or draw fewer years",
        };
        let _ = writeln!(
            svg,
            r##"<text class="footnote" x="24" y="{:.1}" font-size="15" fill="#444">{left_out} label{} left out for room: {read}.</text>"##,
            total - 14.0,
            if left_out == 1 { "" } else { "s" }
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The premises outside the years drawn: on each lane, a triangle at the left edge (before)
/// or the right (after) with their years under it, and a line from each change to it.
fn edges(
    svg: &mut String,
    timeline: &Timeline,
    frame: &Frame,
    mark_at: &dyn Fn(usize, usize) -> (f64, f64),
    lane_y: &dyn Fn(usize) -> f64,
    colour: &dyn Fn(usize) -> &'static str,
) {
    let mut sides: std::collections::BTreeMap<(usize, bool), Vec<crate::value::Time>> =
        std::collections::BTreeMap::new();
    for edge in &timeline.edges {
        let before = edge.time < timeline.from;
        let x = if before {
            frame.plot_left - 14.0
        } else {
            frame.plot_right + 14.0
        };
        let (cx, cy) = mark_at(edge.change.0, edge.change.1);
        let _ = writeln!(
            svg,
            r#"<line class="coupling edge" x1="{cx:.1}" y1="{cy:.1}" x2="{x:.1}" y2="{:.1}" stroke="{}" stroke-opacity="0.45" stroke-width="1.5" stroke-dasharray="6 4"/>"#,
            lane_y(edge.lane),
            colour(edge.lane)
        );
        sides
            .entry((edge.lane, before))
            .or_default()
            .push(edge.time);
    }
    for ((lane, before), mut times) in sides {
        times.sort();
        times.dedup();
        let (x, y) = if before {
            (frame.plot_left - 14.0, lane_y(lane))
        } else {
            (frame.plot_right + 14.0, lane_y(lane))
        };
        let years: Vec<String> = times.iter().map(ToString::to_string).collect();
        let (anchor, tx) = if before {
            ("end", x + 6.0)
        } else {
            ("start", x - 6.0)
        };
        let _ = writeln!(
            svg,
            r##"<g class="edge"><title>premises {} the years drawn: {}</title>{}<text x="{tx:.1}" y="{:.1}" font-size="15" text-anchor="{anchor}" fill="{}">{}</text></g>"##,
            if before { "before" } else { "after" },
            escape(&years.join(", ")),
            marks::edge_shape(x, y, before, colour(lane)),
            y + 24.0,
            colour(lane),
            escape(&years.join(", "))
        );
    }
}

/// The labels of one lane, each hung under its mark, weightiest first, each as high as it
/// fits; with `room`, a label that would reach further down is left out.
fn layout(
    timeline: &Timeline,
    l: usize,
    frame: &Frame,
    x_of: &dyn Fn(f64) -> f64,
    room: Option<f64>,
) -> Band {
    let lane = &timeline.lanes[l];
    // One label per time: its weightiest event's, with how many more share it; the
    // label's tooltip lists them all.
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (e, event) in lane.events.iter().enumerate() {
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
    let line_height = frame.line_height();
    let mut band = Band {
        labels: Vec::new(),
        left_out: 0,
        used: 0.0,
    };
    for (first, all) in groups {
        let event = &lane.events[first];
        // A change's own coupling and enactment share its time: its tooltip lists them, its
        // label keeps to the changes (a slide has room for every change that way).
        let more = if event.kind.is_change() {
            let others = all
                .iter()
                .filter(|e| **e != first && lane.events[**e].kind.is_change())
                .count();
            (others > 0).then(|| super::more(others, "change"))
        } else {
            (all.len() > 1).then(|| super::more(all.len() - 1, "fact"))
        };
        let lines = label_lines(&event.label, more.as_deref(), frame.line);
        let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let width = longest as f64 * frame.font * ADVANCE + 10.0;
        let height = lines.len() as f64 * line_height + 8.0;
        // Under its mark: starting just left of it (moved left only as far as the edge
        // asks), or else ending just right of it, whichever sits higher.
        let mark = x_of(start(event.time));
        let fits = |x: f64| x.min(frame.width - 10.0 - width).max(10.0);
        let (from, to) = (fits(mark - 6.0), fits(mark + 6.0 - width));
        let (below_from, below_to) = (
            highest(&band.labels, from, width, height),
            highest(&band.labels, to, width, height),
        );
        let (x, y) = if below_to < below_from {
            (to, below_to)
        } else {
            (from, below_from)
        };
        if room.is_some_and(|room| y + height > room) {
            band.left_out += 1;
            continue;
        }
        let at = LabelBox {
            x,
            y,
            width,
            height,
        };
        band.used = band.used.max(y + height);
        let tooltip: Vec<&str> = std::iter::once(first)
            .chain(all.iter().copied().filter(|e| *e != first))
            .map(|e| lane.events[e].fact.as_str())
            .collect();
        band.labels.push(Label {
            first,
            lines,
            tooltip: tooltip.join("\n"),
            at,
        });
    }
    band
}

/// The highest place, from the top of a band's label area, where a box of this size at `x`
/// overlaps no label already placed (with a gap).
fn highest(placed: &[Label], x: f64, width: f64, height: f64) -> f64 {
    let mut sideways: Vec<&LabelBox> = placed
        .iter()
        .map(|l| &l.at)
        .filter(|b| b.x < x + width + 4.0 && x - 4.0 < b.x + b.width)
        .collect();
    sideways.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut y = 0.0;
    for b in sideways {
        if b.y < y + height + 2.0 && y < b.y + b.height + 2.0 {
            y = y.max(b.y + b.height + 2.0);
        }
    }
    y
}

/// Each lane's share of the room for labels, from what each would use and its weight: all
/// it wants when everything fits (the room left over shared equally), else a cap times its
/// weight for every lane that wants more than that, the smaller ones keeping theirs.
fn share(wants: &[f64], weights: &[f64], room: f64) -> Vec<f64> {
    let room = room.max(0.0);
    let total: f64 = wants.iter().sum();
    if total <= room {
        let extra = (room - total) / wants.len().max(1) as f64;
        return wants.iter().map(|w| w + extra).collect();
    }
    let given = |cap: f64| -> Vec<f64> {
        wants
            .iter()
            .zip(weights)
            .map(|(w, k)| w.min(cap * k))
            .collect()
    };
    // The largest cap that fits, by bisection: what is given grows with the cap.
    let (mut lo, mut hi) = (0.0, room);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if given(mid).iter().sum::<f64>() <= room {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    given(lo)
}
/// The time axis and faint vertical lines at its ticks.
fn grid(
    svg: &mut String,
    frame: &Frame,
    lo: f64,
    hi: f64,
    x_of: &dyn Fn(f64) -> f64,
    top: f64,
    axis_y: f64,
) {
    let (left, right) = (frame.plot_left, frame.plot_right);
    let span = (hi - lo).max(1.0);
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|s| (right - left) / (span / f64::from(*s)) >= 56.0)
        .unwrap_or(1000);
    let _ = writeln!(
        svg,
        r##"<g class="axis" font-size="15" fill="#333" stroke="#999"><line x1="{left}" y1="{axis_y:.1}" x2="{right}" y2="{axis_y:.1}"/>"##
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

/// A text cut to `n` characters, the last of them `…` when anything was cut.
fn cut(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(n.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A label's lines: its text wrapped between words to lines of `line` characters, cut with
/// `…` after [`LABEL_LINES`] of them (a word longer than a line cut too), then the count of
/// the other facts at its time, on the last line if there is room, else on a line of its own.
fn label_lines(text: &str, more: Option<&str>, line: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let fits = lines
            .last()
            .is_some_and(|last| last.chars().count() + 1 + word.chars().count() <= line);
        if fits {
            if let Some(last) = lines.last_mut() {
                last.push(' ');
                last.push_str(word);
            }
        } else if lines.len() == LABEL_LINES {
            // No room for this word: the last line ends with `…`, after a whole word.
            if let Some(last) = lines.last_mut() {
                if last.chars().count() >= line {
                    *last = match last.rsplit_once(' ') {
                        Some((kept, _)) => kept.to_string(),
                        None => last.chars().take(line.saturating_sub(1)).collect(),
                    };
                }
                last.push('…');
            }
            break;
        } else {
            lines.push(cut(word, line));
        }
    }
    if let Some(more) = more {
        match lines.last_mut() {
            Some(last) if last.chars().count() + 1 + more.chars().count() <= line => {
                last.push(' ');
                last.push_str(more);
            }
            _ => lines.push(more.to_string()),
        }
    }
    lines
}
