//! What a `whynot` question about the theory's verdicts asks of: the enactments of the year
//! it names, or of the time a window it names was open ("why did nothing use the 1992
//! window?" is about what was enacted while that window was open, not about 1962).

use super::{CHANGE, ORDER_UNKNOWN};
use crate::eval::value::Value;
use crate::eval::Const;
use crate::store::Evaluated;
use crate::syntax::ast::Atom;
use crate::value::Time;

/// The predicates whose first argument is an enactment and whose question a year or a
/// window narrows to the enactments of that time.
const ABOUT_AN_ENACTMENT: [&str; 4] = [CHANGE, ORDER_UNKNOWN, "coupled", "couplable"];

/// The times a window was open: from each opening to its closing (`None`: still open).
pub(super) type Spans = Vec<(Time, Option<Time>)>;

/// Every timed fact of a predicate (of those whose first argument is `first`, when given):
/// its arguments and time.
fn timed(kb: &Evaluated<'_>, name: &str, first: Option<Value>) -> Vec<(Vec<Value>, Time)> {
    let Some(p) = kb.stated.pred_id(name) else {
        return Vec::new();
    };
    let rel = &kb.rels[p as usize];
    (0..rel.len() as u32)
        .filter(|&r| first.is_none_or(|f| rel.row(r).first() == Some(&f)))
        .filter_map(|r| match kb.value(rel.time(r)).as_ref() {
            Const::Time(t) => Some((rel.row(r).to_vec(), *t)),
            _ => None,
        })
        .collect()
}

/// The window a question about a coupling names (`coupled(C, W)`, `couplable(C, W, …)`),
/// with the times it was open; none when it names no window that opened.
pub(super) fn window_of(kb: &mut Evaluated<'_>, atom: &Atom) -> Option<(Value, Spans)> {
    if !matches!(atom.pred.name.as_str(), "coupled" | "couplable") {
        return None;
    }
    let window = atom.args.get(1).and_then(|e| kb.constant(e))?;
    let mut opened: Vec<Time> = timed(kb, "window", Some(window))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let mut closed: Vec<Time> = timed(kb, "window_closes", Some(window))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    if opened.is_empty() {
        return None;
    }
    opened.sort();
    opened.dedup();
    closed.sort();
    let spans = opened
        .iter()
        .enumerate()
        .map(|(i, open)| (*open, closed.get(i).copied()))
        .collect();
    Some((window, spans))
}

/// The enactments of a time or a window's spans: each change with its time, in time order.
fn enacted_in(kb: &Evaluated<'_>, within: &dyn Fn(Time) -> bool) -> Vec<(Value, Time)> {
    let mut found: Vec<(Value, Time)> = timed(kb, "enacted", None)
        .into_iter()
        .filter(|(_, t)| within(*t))
        .filter_map(|(args, t)| Some((*args.first()?, t)))
        .collect();
    found.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| kb.value(a.0).to_string().cmp(&kb.value(b.0).to_string()))
    });
    found.dedup();
    found
}

/// Whether an enactment at `t` falls in a window's span.
fn in_spans(spans: &Spans, t: Time) -> bool {
    spans
        .iter()
        .any(|(open, close)| t >= *open && close.is_none_or(|c| t < c))
}

/// What was enacted while the window was open, or that nothing was, in words.
pub(super) fn window_span(kb: &Evaluated<'_>, window: Value, spans: &Spans) -> String {
    let name = kb.value(window).into_owned();
    let mut said = Vec::new();
    for (open, close) in spans {
        let one = vec![(*open, *close)];
        let within: Vec<String> = enacted_in(kb, &|t| in_spans(&one, t))
            .iter()
            .map(|(change, t)| format!("{} ({t})", kb.value(*change)))
            .collect();
        let until = close.map_or_else(|| "on".to_string(), |c| format!("to {c}"));
        said.push(if within.is_empty() {
            format!("no enactment was made while the window {name} was open, from {open} {until}")
        } else {
            format!(
                "while the window {name} was open, from {open} {until}, these were enacted: {}",
                within.join(", ")
            )
        });
    }
    format!("{}.", said.join("; "))
}

/// For a question about a verdict or a coupling with its change left open (`policy_change(C)
/// @ 2013`, `coupled(C, belt_and_road)`): the enactments it asks about — those of the time
/// asked, or those made while the window named was open — each with its time. None when the
/// question names its change, or neither a time nor a window.
pub(super) fn enactments(
    kb: &mut Evaluated<'_>,
    atom: &Atom,
    asked: Option<Time>,
    window: Option<&Spans>,
) -> Vec<(Value, Time)> {
    if !ABOUT_AN_ENACTMENT.contains(&atom.pred.name.as_str()) {
        return Vec::new();
    }
    if atom.args.first().and_then(|e| kb.constant(e)).is_some() {
        return Vec::new();
    }
    match (asked, window) {
        (Some(asked), _) => enacted_in(kb, &|t| t.within(asked) || asked.within(t)),
        (None, Some(spans)) => enacted_in(kb, &|t| in_spans(spans, t)),
        (None, None) => Vec::new(),
    }
}
