//! The streams over time: every dated fact placed on its lane, windows and policy changes
//! marked, each change linked to the premises of its shortest proof that lie on other lanes
//! (the coupling of the streams). [`Timeline`] is the data; [`text`] draws it in a terminal,
//! [`svg`] as a picture.

mod marks;
pub mod svg;
pub mod text;

use serde::Serialize;

use crate::eval::value::Value;
use crate::explain::{Proof, CHANGE, MISSED, ORDER_UNKNOWN, UNEXPLAINED};
use crate::store::Evaluated;
use crate::syntax::Diagnostic;
use crate::value::Time;
use crate::Const;

/// The lane name whose facts are drawn as windows. A window whose last argument is a later
/// time or year (`window(budget, 2010) @ 2006`) is drawn as open until then; other windows
/// are points.
pub(crate) const WINDOW_LANE: &str = "window";

/// The predicate whose facts open windows (`window(W, Kind) @ T`), and the one that says when
/// each closes (`window_closes(W) @ C`): a window is drawn as a span from one to the other,
/// and the closing is not drawn again as a point of its own.
pub(crate) const WINDOW_PREDICATE: &str = "window";
/// See [`WINDOW_PREDICATE`].
pub(crate) const CLOSES_PREDICATE: &str = "window_closes";

/// The lane of timed facts whose predicate belongs to no `stream`.
pub(crate) const OTHER_LANE: &str = "other";

/// The streams over time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timeline {
    /// The first time shown.
    pub from: Time,
    /// The last time shown.
    pub to: Time,
    /// The lanes in declared order (then `other` if any fact needs it); each holds
    /// its facts in time order.
    pub lanes: Vec<Lane>,
    /// Policy change to premise, as (lane, event) index pairs.
    pub links: Vec<Link>,
    /// Policy change to a premise on another lane that lies outside the time range: drawn
    /// at the edge of the picture with its time.
    pub edges: Vec<Edge>,
}

/// A line from a policy change to a premise of its shortest proof that lies before or after
/// the time range drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// The change: (lane, event).
    pub change: (usize, usize),
    /// The premise's lane.
    pub lane: usize,
    /// The premise's time.
    pub time: Time,
}

/// What a timeline shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The first time shown (inclusive, at its own granularity), or of all time.
    pub from: Option<Time>,
    /// The last time shown (inclusive: `2004` includes `2004-07`), or of all time.
    pub to: Option<Time>,
    /// Draw the facts the rules derive on the streams' lanes too (`problem(…)`,
    /// `viable(…)`); without it a lane shows what was stated, and the windows and verdicts
    /// the theory derives.
    pub derived: bool,
}

impl Timeline {
    /// The timeline without the lane of facts that belong to no stream (helpers such as
    /// `resolved_by`), and without the lines that lead to it; a timeline of that lane alone
    /// (a program that declares no stream) stays as it is.
    pub fn streams_only(mut self) -> Timeline {
        // A program that declares no stream has only that lane: it stays.
        if self.lanes.len() == 1 {
            return self;
        }
        if let Some(other) = self.lanes.iter().position(|l| l.name == OTHER_LANE) {
            self.lanes.remove(other);
            self.links
                .retain(|l| l.change.0 != other && l.premise.0 != other);
            self.edges
                .retain(|e| e.change.0 != other && e.lane != other);
            let lanes = self
                .links
                .iter_mut()
                .flat_map(|l| [&mut l.change.0, &mut l.premise.0])
                .chain(
                    self.edges
                        .iter_mut()
                        .flat_map(|e| [&mut e.change.0, &mut e.lane]),
                );
            for lane in lanes {
                if *lane > other {
                    *lane -= 1;
                }
            }
        }
        self
    }
}

/// One lane: a stream of the theory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lane {
    /// Its name, as `stream` declares it.
    pub name: String,
    /// Its label (`stream problem "Problem stream"`), or the name.
    pub label: String,
    /// Its dated facts, in time order.
    pub events: Vec<Event>,
    /// Its dated facts in the time range that are not drawn: past the most a lane draws.
    pub left_out: usize,
}

/// A dated fact on a lane.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// The fact as written: `policy_change(zero_tariff) @ 2006`.
    pub fact: String,
    /// Its predicate.
    pub pred: String,
    /// Its label in words: its `note` (without a final full stop), else the fact said
    /// plainly — a change by what changed ("zero tariff regime"), a window by its kind and
    /// name ("political window: belt and road"), any other fact by its predicate and
    /// arguments ("receptive: vat refund"). Drawings shorten it to their room.
    pub label: String,
    /// Its time.
    pub time: Time,
    /// How it is drawn.
    pub kind: Kind,
    /// Whether it was stated (or read from a file) rather than derived.
    pub stated: bool,
    /// For a window that says when it closes (its last argument a later time): that time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Time>,
    /// Its first argument as written, if any: what a window or a verdict is about (a
    /// missed window is drawn on the row of the window it names).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

impl Event {
    /// How much the event matters when there is room for only some labels: policy changes,
    /// then windows, then the rest; stated facts before derived ones.
    pub fn rank(&self) -> u8 {
        let kind = match self.kind {
            Kind::Event | Kind::Unexplained => 0,
            Kind::Window | Kind::Missed => 1,
            Kind::Unknown => 2,
            Kind::Change => 3,
        };
        kind * 2 + u8::from(self.stated)
    }
}

/// How an event is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Anything that happened in a stream.
    Event,
    /// A fact of the `window` lane: a window opening.
    Window,
    /// A fact of `policy_change`.
    Change,
    /// A fact of `order_unknown`.
    Unknown,
    /// A fact of `unexplained`: an enactment the theory does not explain.
    Unexplained,
    /// A fact of `missed_window`: a window that closed with nothing coupled.
    Missed,
}

impl Kind {
    /// Whether the mark is a verdict on a change (explained, or of unknown order).
    pub fn is_change(self) -> bool {
        matches!(self, Kind::Change | Kind::Unknown)
    }

    /// Which mark shows when several facts share a place: a verdict over the event it
    /// judges (an unexplained enactment is marked so, not as a plain event).
    pub fn mark_rank(self) -> u8 {
        match self {
            Kind::Event => 0,
            Kind::Window => 1,
            Kind::Missed => 2,
            Kind::Unexplained => 3,
            Kind::Unknown => 4,
            Kind::Change => 5,
        }
    }
}

/// A line from a policy change to a premise of its shortest proof on another lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The change: (lane, event).
    pub change: (usize, usize),
    /// The premise: (lane, event).
    pub premise: (usize, usize),
}

/// The timeline of an evaluated store: every timed fact from `from` to `to` (each inclusive,
/// at its own granularity: `2004` includes `2004-07`), or of all time.
/// The most facts a lane draws: past it a picture is a smear, and building it took
/// gigabytes (a rule over two dated facts of 4 000 each dates 16 million facts). Those left
/// out are counted ([`Lane::left_out`]) and the pictures say so.
pub(crate) const MAX_LANE_EVENTS: usize = 10_000;

impl Timeline {
    /// What the pictures say of the facts they leave out, if any: `991000 facts of Other
    /// facts are not drawn (a lane draws at most 10000)`.
    pub fn left_out(&self) -> Option<String> {
        let parts: Vec<String> = self
            .lanes
            .iter()
            .filter(|l| l.left_out > 0)
            .map(|l| format!("{} facts of {}", l.left_out, l.label))
            .collect();
        (!parts.is_empty()).then(|| {
            format!(
                "{} not drawn (a lane draws at most {MAX_LANE_EVENTS})",
                parts.join(", ")
            )
        })
    }
}

pub(crate) fn build(view: &mut Evaluated<'_>, options: Options) -> Result<Timeline, Diagnostic> {
    let Options { from, to, derived } = options;
    let stated = view.stated;
    let mut lanes: Vec<Lane> = stated
        .lanes
        .iter()
        .map(|lane| Lane {
            name: lane.name.clone(),
            label: lane.label.clone().unwrap_or_else(|| lane.name.clone()),
            events: Vec::new(),
            left_out: 0,
        })
        .collect();
    // Dated facts on no lane go to a last lane, dropped again if it stays empty.
    let other = lanes.len();
    lanes.push(Lane {
        name: OTHER_LANE.to_string(),
        label: "Other facts".to_string(),
        events: Vec::new(),
        left_out: 0,
    });
    let within =
        |t: Time| from.is_none_or(|f| start(t) >= start(f)) && to.is_none_or(|e| start(t) < end(e));
    // When each window closes, by its name (the theory's `window_closes/1`).
    let mut closes: std::collections::HashMap<Value, Time> = std::collections::HashMap::new();
    if let Some(c) = stated.pred_id(CLOSES_PREDICATE) {
        let rel = &view.rels[c as usize];
        for r in 0..rel.len() as u32 {
            if let (Some(w), Some(t)) = (rel.row(r).first(), rel.time(r).as_time()) {
                closes.insert(*w, t);
            }
        }
    }
    // The case's names for people, for the labels of facts without a note.
    let names = view.display_map();
    let mut placed = Vec::new();
    // How many facts each lane has placed, and how many it leaves out past the most it draws.
    let mut counts = vec![0usize; lanes.len()];
    let mut left_out = vec![0usize; lanes.len()];
    for (p, name) in stated.program.preds.keys().enumerate() {
        if name == CLOSES_PREDICATE && !closes.is_empty() {
            continue;
        }
        let rel = &view.rels[p];
        let lane = stated.lane_index(p as u32);
        let window = lane.is_some_and(|l| stated.lanes[l].name == WINDOW_LANE);
        let lane = lane.unwrap_or(other);
        for r in 0..rel.len() as u32 {
            let Some(time) = rel.time(r).as_time() else {
                continue;
            };
            if !within(time) {
                continue;
            }
            let kind = if name == CHANGE {
                Kind::Change
            } else if name == ORDER_UNKNOWN {
                Kind::Unknown
            } else if name == UNEXPLAINED {
                Kind::Unexplained
            } else if name == MISSED {
                Kind::Missed
            } else if window {
                Kind::Window
            } else {
                Kind::Event
            };
            // What the rules derive on a stream's lane (a problem, a viable alternative) is
            // drawn when asked; windows and verdicts always.
            if kind == Kind::Event && rel.rule(r).is_some() && !derived && lane != other {
                continue;
            }
            if counts[lane] == MAX_LANE_EVENTS {
                left_out[lane] += 1;
                continue;
            }
            counts[lane] += 1;
            let fact = view.show_fact(p as u32, rel.row(r), rel.time(r));
            let note = match rel.rule(r) {
                None => stated.origins[p].note(r),
                Some(_) => None,
            };
            let args: Vec<String> = rel
                .row(r)
                .iter()
                .map(|v| match view.value(*v).as_ref() {
                    Const::Sym(s) if names.contains_key(s.as_ref()) => names[s.as_ref()].clone(),
                    other => crate::explain::render::value_words(other),
                })
                .collect();
            let event = Event {
                label: note.map_or_else(|| fact_words(name, &args), note_label),
                fact: fact.clone(),
                pred: name.clone(),
                time,
                kind,
                stated: rel.rule(r).is_none(),
                subject: rel.row(r).first().map(|v| view.value(*v).to_string()),
                until: if name == WINDOW_PREDICATE {
                    rel.row(r).first().and_then(|w| closes.get(w).copied())
                } else {
                    rel.row(r).last().filter(|_| window).and_then(|v| {
                        match view.value(*v).as_ref() {
                            Const::Time(u) => Some(*u),
                            Const::Int(y) => Time::from_year(*y),
                            _ => None,
                        }
                    })
                }
                .filter(|u| start(*u) > start(time)),
            };
            placed.push(((p as u32, r), lane, event));
        }
    }
    for (lane, n) in lanes.iter_mut().zip(left_out) {
        lane.left_out = n;
    }
    // Time order within a lane; ties in the order the predicates were named.
    placed.sort_by(|a, b| a.2.time.cmp(&b.2.time).then(a.0.cmp(&b.0)));
    let mut index = std::collections::HashMap::new();
    for (fact, lane, event) in placed {
        index.insert(fact, (lane, lanes[lane].events.len()));
        lanes[lane].events.push(event);
    }
    let times = lanes
        .iter()
        .flat_map(|l| l.events.iter().flat_map(|e| [Some(e.time), e.until]))
        .flatten();
    let (first, last) = (times.clone().min(), times.max());
    let (links, edges) = couplings(view, &lanes, &index, (from, to));
    if lanes[other].events.is_empty() {
        lanes.pop();
    }
    Ok(Timeline {
        from: from.or(first).unwrap_or(Time::year(2000)),
        to: to.or(last).unwrap_or(Time::year(2000)),
        lanes,
        links,
        edges,
    })
}

/// For each policy change, the premises of its shortest proof that lie on the timeline
/// outside the change's own lane: the nearest ones, found by walking down the proof
/// through facts of that lane and facts not on the timeline.
fn couplings(
    view: &mut Evaluated<'_>,
    lanes: &[Lane],
    index: &std::collections::HashMap<(u32, u32), (usize, usize)>,
    (from, to): (Option<Time>, Option<Time>),
) -> (Vec<Link>, Vec<Edge>) {
    // How far a time lies outside the range, in years (0 inside it).
    let gap = |t: Time| {
        let before = from.map_or(0.0, |f| start(f) - start(t));
        let after = to.map_or(0.0, |e| start(t) - end(e));
        before.max(after).max(0.0)
    };
    let mut changes: Vec<((u32, u32), (usize, usize))> = index
        .iter()
        .map(|(f, at)| (*f, *at))
        .filter(|(_, (l, e))| lanes[*l].events[*e].kind.is_change())
        .collect();
    changes.sort_by_key(|(_, at)| *at);
    let facts: Vec<(u32, u32)> = changes.iter().map(|(f, _)| *f).collect();
    // One proof of every change: the facts their proofs share are proved once (a chain of
    // 5 000 steps under 5 000 changes was proved 5 000 times, 14 s). Without provenance
    // there is no proof to draw from.
    let Ok(proof) = crate::explain::prove(view, &facts) else {
        return (Vec::new(), Vec::new());
    };
    // A stated fact of a stream's lane outside the time range: its lane, and its time.
    let stated = view.stated;
    let outside = |node: usize| {
        let n = &proof.nodes[node];
        let lane = stated.lane_index(n.row.0)?;
        let time = n
            .fact
            .time
            .filter(|t| gap(*t) > 0.0 || to.is_some_and(|e| start(*t) >= end(e)))?;
        (view.rels[n.row.0 as usize].rule(n.row.1).is_none()
            && lanes.get(lane).is_some_and(|l| l.name != OTHER_LANE))
        .then_some((lane, time))
    };
    let mut edges = Vec::new();
    // A fact of no stream (a helper of the theory) is walked through, as one not drawn.
    let on_timeline = |node: usize| {
        index
            .get(&proof.nodes[node].row)
            .copied()
            .filter(|(lane, _)| lanes[*lane].name != OTHER_LANE)
    };
    let mut links = Vec::new();
    // The last change whose walk reached each node (a mark, not a fresh array each).
    let mut seen = vec![usize::MAX; proof.nodes.len()];
    for (i, ((_, change), root)) in changes.iter().zip(&proof.roots).enumerate() {
        let change = *change;
        let mut todo = premises_of(&proof, *root);
        while let Some(node) = todo.pop() {
            if std::mem::replace(&mut seen[node], i) == i {
                continue;
            }
            match (on_timeline(node), outside(node)) {
                (Some(at), _) if at.0 != change.0 => links.push(Link {
                    change,
                    premise: at,
                }),
                (None, Some((lane, time))) if lane != change.0 => {
                    edges.push(Edge { change, lane, time })
                }
                _ => todo.extend(premises_of(&proof, node)),
            }
        }
    }
    links.sort_by_key(|l| (l.change, l.premise));
    links.dedup();
    // Of a change's premises outside the range on one lane, the nearest to the range.
    edges.sort_by_key(|e| (e.change, e.lane, e.time));
    let mut nearest: Vec<Edge> = Vec::new();
    for e in edges {
        match nearest.last_mut() {
            Some(k) if (k.change, k.lane) == (e.change, e.lane) => {
                if gap(e.time) < gap(k.time) {
                    *k = e;
                }
            }
            _ => nearest.push(e),
        }
    }
    let edges = nearest;
    (links, edges)
}

/// The facts a node of a proof rests on, last first (so that popping takes them in the
/// rule's order).
fn premises_of(proof: &Proof, node: usize) -> Vec<usize> {
    let mut out: Vec<usize> = proof.premises(node).collect();
    out.reverse();
    out
}

/// What a label says of the things at its time it does not name: `+1 more fact`,
/// `+2 more changes` — a bare `+3` beside a change read as three more changes.
pub(crate) fn more(n: usize, thing: &str) -> String {
    format!("+{n} more {thing}{}", if n == 1 { "" } else { "s" })
}

/// A note as a label: its words on one line, without a final full stop.
fn note_label(note: &str) -> String {
    let words: Vec<&str> = note.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches(['.', ',', ';', ':'])
        .to_string()
}

/// A fact without a note, said plainly (see [`Event::label`]).
fn fact_words(pred: &str, args: &[String]) -> String {
    let pred_words = crate::explain::render::name_words(pred);
    match (pred, args) {
        (CHANGE, [_, ..]) => args.join(", "),
        (WINDOW_PREDICATE, [name, kind]) => format!("{kind} window: {name}"),
        (_, []) => pred_words,
        _ => format!("{pred_words}: {}", args.join(", ")),
    }
}

/// Where a time begins, in years (2005-07 is 2005.5).
pub(crate) fn start(t: Time) -> f64 {
    let month = f64::from(t.month_of().unwrap_or(1) - 1);
    let day = f64::from(t.day_of().unwrap_or(1) - 1);
    f64::from(t.year_of()) + month / 12.0 + day / 365.25
}

/// Where a time ends, in years: the start of the next year, month or day.
pub(crate) fn end(t: Time) -> f64 {
    match (t.month_of(), t.day_of()) {
        (None, _) => start(t) + 1.0,
        (Some(_), None) => start(t) + 1.0 / 12.0,
        _ => start(t) + 1.0 / 365.25,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KnowledgeBase;

    #[test]
    fn changes_are_linked_even_after_a_question_named_a_new_predicate() {
        // Found by fuzzing: naming an unknown predicate dropped the compiled rules while the
        // evaluated facts stayed, and the proofs behind the coupling lines needed them.
        let mut kb = KnowledgeBase::new();
        kb.load_str(
            "<t>",
            "stream window: w/1. stream change: policy_change/1.\n\
             w(a) @ 2001. policy_change(X) @ 2002 :- w(X).\n\
             why policy_shange(a).",
        )
        .expect("loads");
        let timeline = kb.timeline(None, None).expect("a timeline");
        assert_eq!(
            timeline.links,
            [Link {
                change: (1, 0),
                premise: (0, 0)
            }]
        );
    }
}
