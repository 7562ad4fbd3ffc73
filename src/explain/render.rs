//! Renderers: explanations as a text tree (Unicode box drawing, or ASCII), as a narrative
//! paragraph built from the notes in time order, and as a Graphviz digraph. Rendering walks
//! the proof with an explicit stack, so any depth prints without recursion.

use std::collections::HashSet;
use std::fmt::Write as _;

pub(crate) use super::card::card_rows;
pub use super::card::why_card;
pub use super::dot::why_dot;
pub use super::narrative::why_narrative;
pub(crate) use super::palette::{lane_colour, lane_palette};
use super::words::{columns, subject};
pub(crate) use super::words::{
    comparison_words, date, fit_line, name_words, over_facts, value_words, wrap,
};
use super::{Blocked, Finding, How, Node, Premise, WhatIf, Why, WhyNot};
use crate::evidence::Evidence;
use crate::store::{PredicateFacts, PredicateMoves};

/// The drawing characters of a tree.
struct Glyphs {
    branch: &'static str,
    last: &'static str,
    pipe: &'static str,
    space: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    branch: "├─ ",
    last: "└─ ",
    pipe: "│  ",
    space: "   ",
};

const ASCII: Glyphs = Glyphs {
    branch: "|- ",
    last: "`- ",
    pipe: "|  ",
    space: "   ",
};

/// The lines under a fact or rule that say what backs it: its note (with its citation when
/// it quotes nothing), then the words of its source or the modeller's assumption.
pub(crate) fn evidence_lines(e: &Evidence) -> Vec<String> {
    let mut lines = Vec::new();
    let citation = e.citation();
    let mut note = e
        .note
        .as_ref()
        .map(|n| format!("“{n}”"))
        .unwrap_or_default();
    if e.quote.is_none() {
        if let Some(c) = &citation {
            if !note.is_empty() {
                note.push(' ');
            }
            note.push_str(&format!("[{c}]"));
        }
    }
    if !note.is_empty() {
        lines.push(note);
    }
    if let Some(q) = &e.quote {
        let from = citation.map(|c| format!(" ({c})")).unwrap_or_default();
        lines.push(format!("the source says{from}: “{q}”"));
    }
    if let Some(a) = &e.assumed {
        lines.push(format!("assumed: {a}"));
    }
    lines
}

/// The head line of a node, and the lines that say what backs it.
fn describe(node: &Node) -> (String, Vec<String>) {
    match &node.how {
        How::Stated { at, evidence } => (
            format!("{}  — stated at {at}", node.fact),
            evidence_lines(evidence),
        ),
        How::Input { at } => (format!("{}  — read from {at}", node.fact), Vec::new()),
        How::Derived {
            rule, at, evidence, ..
        } => (
            format!("{}  ⇐ rule {rule} ({at})", node.fact),
            evidence_lines(evidence),
        ),
    }
}

/// One line to print: a node (to expand) or a premise that is not a fact.
enum Item<'p> {
    Node(usize),
    Text(String),
    Aggregate(String, &'p [usize], usize),
}

/// How many levels of a tree are drawn, each further in, before the indentation starts
/// again at the left (with the level written): a proof 100 000 levels deep prints in lines
/// as long as those of a shallow one.
const BAND: usize = 12;

/// `why` as a text tree wrapped to `width` columns (or its card, when the question was
/// `brief`); premises beyond the question's own `depth` ([`Why::depth`]) are left out, and
/// said so.
pub fn why_text(why: &Why, ascii: bool, width: usize) -> String {
    why_text_to(why, why.depth, ascii, width)
}

/// [`why_text`] down to `depth` levels (`None`: all) instead of the question's own.
pub fn why_text_to(why: &Why, depth: Option<u32>, ascii: bool, width: usize) -> String {
    if why.brief {
        return why_card(why, width);
    }
    let g = if ascii { &ASCII } else { &UNICODE };
    let proof = &why.proof;
    if proof.roots.is_empty() {
        return format!(
            "{} does not hold: no fact matches it.\n  ask `whynot {}` to see which condition fails\n",
            subject(&why.question),
            subject(&why.question)
        );
    }
    let limit = depth.map_or(usize::MAX, |d| d as usize);
    let mut out = String::new();
    let mut shown: HashSet<usize> = HashSet::new();
    let mut cut = false;
    for (i, root) in proof.roots.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // (item, prefix of its own line, prefix of its children, depth)
        let mut stack: Vec<(Item<'_>, String, String, usize)> =
            vec![(Item::Node(*root), String::new(), String::new(), 0)];
        while let Some((item, own, inner, depth)) = stack.pop() {
            let space = |bar: &str| format!("{inner}{bar}");
            match item {
                Item::Text(text) => {
                    emit(&mut out, &own, &space(g.space), &text, width);
                }
                Item::Aggregate(text, facts, more) => {
                    emit(&mut out, &own, &space(g.pipe), &text, width);
                    let mut children: Vec<Item<'_>> =
                        facts.iter().map(|n| Item::Node(*n)).collect();
                    if more > 0 {
                        children.push(Item::Text(format!("… and {more} more")));
                    }
                    push_children(&mut stack, children, &inner, depth, g);
                }
                Item::Node(id) => {
                    let node = &proof.nodes[id];
                    let (head, note) = describe(node);
                    let premises = match &node.how {
                        How::Derived { premises, .. } => premises.as_slice(),
                        _ => &[],
                    };
                    if !premises.is_empty() && !shown.insert(id) {
                        let line = format!("{}  (proved above)", node.fact);
                        emit(&mut out, &own, &space(g.space), &line, width);
                        continue;
                    }
                    let hidden = depth >= limit && !premises.is_empty();
                    let bar = if premises.is_empty() || hidden {
                        g.space
                    } else {
                        g.pipe
                    };
                    emit(&mut out, &own, &format!("{}   ", space(bar)), &head, width);
                    for line in &note {
                        emit(&mut out, &space(bar), &space(bar), line, width);
                    }
                    if hidden {
                        cut = true;
                        let _ = writeln!(out, "{inner}{}…", g.last);
                        continue;
                    }
                    let children = premises
                        .iter()
                        .map(|p| match p {
                            Premise::Fact { node } => Item::Node(*node),
                            Premise::Absent { atom } => Item::Text(format!("no {atom} holds")),
                            Premise::Comparison { left, op, right } => {
                                Item::Text(comparison_words(left.as_ref(), *op, right.as_ref()))
                            }
                            Premise::Aggregate { facts, more, .. } => {
                                Item::Aggregate(p.text().unwrap_or_default(), facts, *more)
                            }
                        })
                        .collect();
                    push_children(&mut stack, children, &inner, depth, g);
                }
            }
        }
    }
    if cut {
        let subject = subject(&why.question);
        let text = format!(
            "(premises deeper than {limit} level{} are not shown: `why {subject} depth {}.` shows more, `why {subject} brief.` a card of the streams)",
            if limit == 1 { "" } else { "s" },
            limit * 4,
        );
        emit(&mut out, "", "", &text, width);
    }
    out
}

/// Writes `text` after `first`, wrapped to `width` under `rest`. Where the indentation leaves
/// no room for the first word (a long atom deep in a tree), only the last three columns of
/// the prefixes are kept: the line's own connector.
fn emit(out: &mut String, first: &str, rest: &str, text: &str, width: usize) {
    let word = text.split_whitespace().next().map_or(0, columns);
    let tail = |prefix: &str| {
        let n = columns(prefix);
        prefix.chars().skip(n.saturating_sub(3)).collect::<String>()
    };
    let (first, rest) = if columns(first) + word > width {
        (tail(first), tail(rest))
    } else {
        (first.to_string(), rest.to_string())
    };
    for line in wrap(&first, &rest, text, width) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn push_children<'p>(
    stack: &mut Vec<(Item<'p>, String, String, usize)>,
    children: Vec<Item<'p>>,
    inner: &str,
    depth: usize,
    g: &Glyphs,
) {
    let n = children.len();
    // Every BAND levels the indentation starts again at the left, with the level written.
    let (inner, tag) = if (depth + 1) % BAND == 0 {
        (String::new(), format!("[level {}] ", depth + 1))
    } else {
        (inner.to_string(), String::new())
    };
    for (k, child) in children.into_iter().enumerate().rev() {
        let last = k + 1 == n;
        let own = format!("{tag}{inner}{}", if last { g.last } else { g.branch });
        let next = format!("{inner}{}", if last { g.space } else { g.pipe });
        stack.push((child, own, next, depth + 1));
    }
}

/// `whynot` as text, wrapped to `width` columns.
pub fn whynot_text(w: &WhyNot, width: usize) -> String {
    let mut out = String::new();
    for line in whynot_lines(w).lines() {
        for fitted in fit_line(line, width) {
            out.push_str(&fitted);
            out.push('\n');
        }
    }
    out
}

fn whynot_lines(w: &WhyNot) -> String {
    let subject = subject(&w.question);
    match &w.finding {
        Finding::Holds { facts } => format!(
            "{subject} holds: {}.\n  ask `why {subject}` for its proof\n",
            facts.join(", ")
        ),
        Finding::Elsewhere {
            asked,
            facts,
            last,
            earlier,
        } => {
            if *earlier {
                // A fact holds at the time it came about, not at every time after.
                return format!(
                    "{subject} does not hold: it holds at an earlier time than {asked}, when it came about: {}.\n",
                    facts.join(", ")
                );
            }
            let mut out = format!(
                "{subject} does not hold: it holds at another time than {asked}: {}.\n",
                facts.join(", ")
            );
            if let Some(last) = last {
                let _ = writeln!(
                    out,
                    "  not earlier, because the last of its conditions came then: {last}"
                );
            }
            out
        }
        Finding::NoRule { pred } => format!(
            "{subject} does not hold: no fact of {pred} is stated and no rule derives it.\n"
        ),
        Finding::Blocked {
            rules,
            stated,
            window,
            each,
        } => {
            let mut out = format!("{subject} does not hold.\n");
            if let Some(window) = window {
                let _ = writeln!(out, "  {window}");
            }
            if *stated {
                out.push_str("  no stated fact matches it\n");
            }
            blocked_lines(&mut out, rules, "  ");
            for e in each {
                let _ = writeln!(out, "  for {}:", e.change);
                blocked_lines(&mut out, &e.rules, "    ");
            }
            out
        }
    }
}

fn blocked_lines(out: &mut String, rules: &[Blocked], indent: &str) {
    for b in rules {
        let _ = writeln!(out, "{indent}rule {} ({}):", b.rule, b.at);
        for m in &b.met {
            let _ = writeln!(out, "{indent}  ✓ {m}");
        }
        let _ = writeln!(out, "{indent}  ✗ {}: {}", b.failing, b.because);
        blocked_lines(out, &b.deeper, &format!("{indent}    "));
        if !b.also.is_empty() {
            let _ = writeln!(out, "{indent}  and, were that met, still:");
            for u in &b.also {
                let _ = writeln!(out, "{indent}  ✗ {}: {}", u.condition, u.because);
            }
        }
    }
}

/// `whatif` as text: gained and lost facts by predicate.
pub fn whatif_text(w: &WhatIf) -> String {
    let mut out = String::new();
    for fact in &w.already {
        let _ = writeln!(out, "{fact} holds already: asserting it changes nothing");
    }
    if w.verdicts_only {
        out.push_str(
            "(the theory's verdicts; `show all` lists every fact. An unexplained enactment still happened: the theory does not explain it)\n",
        );
    }
    if w.gained.is_empty() && w.lost.is_empty() && w.moved.is_empty() {
        if w.already.is_empty() {
            out.push_str(if w.verdicts_only {
                "no verdict"
            } else {
                "nothing"
            });
            // What was asserted or taken away may be one condition of several (a fact moved,
            // retracted and asserted again, is not).
            let moved = w.question.contains("retract") && w.question.contains("assert");
            out.push_str(if !moved {
                " would change (another condition may still fail: `whynot` says which)\n"
            } else {
                " would change\n"
            });
        }
        return out;
    }
    for pred in &w.unchanged {
        let _ = writeln!(out, "{pred}: nothing would change");
    }
    for PredicateMoves { pred, moves } in &w.moved {
        let _ = writeln!(out, "{pred}: {} would hold at another time", moves.len());
        for m in moves {
            let _ = writeln!(out, "  ~ {m}");
        }
    }
    for (title, groups) in [
        ("would no longer hold", &w.lost),
        ("would newly hold", &w.gained),
    ] {
        for PredicateFacts { pred, facts } in groups.iter() {
            let _ = writeln!(out, "{pred}: {} {title}", facts.len());
            for f in facts {
                let _ = writeln!(
                    out,
                    "  {} {f}",
                    if title.starts_with("would no") {
                        "-"
                    } else {
                        "+"
                    }
                );
            }
        }
    }
    out
}
