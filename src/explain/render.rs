//! Renderers: explanations as a text tree (Unicode box drawing, or ASCII), as a narrative
//! paragraph built from the notes in time order, and as a Graphviz digraph. Rendering walks
//! the proof with an explicit stack, so any depth prints without recursion.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::{Blocked, Finding, How, Node, Premise, Proof, WhatIf, Why, WhyNot};
use crate::store::PredicateFacts;
use crate::value::Time;

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

fn quoted(note: &Option<String>, source: &Option<String>) -> String {
    let mut out = String::new();
    if let Some(n) = note {
        out.push_str(&format!("“{n}”"));
    }
    if let Some(s) = source {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("[{s}]"));
    }
    out
}

/// The head line of a node, and its note line (if any).
fn describe(node: &Node) -> (String, String) {
    match &node.how {
        How::Stated { at, note, source } => (
            format!("{}  — stated at {at}", node.fact),
            quoted(note, source),
        ),
        How::Input { at } => (format!("{}  — read from {at}", node.fact), String::new()),
        How::Derived {
            rule,
            at,
            note,
            source,
            ..
        } => (
            format!("{}  ⇐ rule {rule} ({at})", node.fact),
            quoted(note, source),
        ),
    }
}

/// One line to print: a node (to expand) or a premise that is not a fact.
enum Item<'p> {
    Node(usize),
    Text(String),
    Aggregate(String, &'p [usize], usize),
}

/// `why` as a text tree; premises beyond `depth` levels are left out (and said so).
pub fn why_text(why: &Why, ascii: bool) -> String {
    let g = if ascii { &ASCII } else { &UNICODE };
    let proof = &why.proof;
    if proof.roots.is_empty() {
        return format!(
            "{} does not hold: no fact matches it.\n  ask `whynot {}` to see which condition fails\n",
            subject(&why.question),
            subject(&why.question)
        );
    }
    let limit = why.depth.map_or(usize::MAX, |d| d as usize);
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
            match item {
                Item::Text(text) => {
                    let _ = writeln!(out, "{own}{text}");
                }
                Item::Aggregate(text, facts, more) => {
                    let _ = writeln!(out, "{own}{text}");
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
                        let _ = writeln!(out, "{own}{}  (proved above)", node.fact);
                        continue;
                    }
                    let _ = writeln!(out, "{own}{head}");
                    let hidden = depth >= limit && !premises.is_empty();
                    if !note.is_empty() {
                        let bar = if premises.is_empty() || hidden {
                            g.space
                        } else {
                            g.pipe
                        };
                        let _ = writeln!(out, "{inner}{bar}{note}");
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
                            Premise::Comparison { .. } => Item::Text(p.text().unwrap_or_default()),
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
        let _ = writeln!(
            out,
            "(premises deeper than {limit} level{} are not shown; ask with a larger `depth`)",
            if limit == 1 { "" } else { "s" }
        );
    }
    out
}

fn push_children<'p>(
    stack: &mut Vec<(Item<'p>, String, String, usize)>,
    children: Vec<Item<'p>>,
    inner: &str,
    depth: usize,
    g: &Glyphs,
) {
    let n = children.len();
    for (k, child) in children.into_iter().enumerate().rev() {
        let last = k + 1 == n;
        let own = format!("{inner}{}", if last { g.last } else { g.branch });
        let next = format!("{inner}{}", if last { g.space } else { g.pipe });
        stack.push((child, own, next, depth + 1));
    }
}

/// The atom of a question (`why p(X) @ T depth 2.` → `p(X) @ T`).
fn subject(question: &str) -> String {
    let q = question.trim_end_matches('.');
    let q = q.split_once(' ').map_or(q, |(_, rest)| rest);
    q.split(" depth ").next().unwrap_or(q).to_string()
}

/// `why` as one paragraph per explained fact: the notes along its proof in time order, ending
/// with the fact itself. A note without a time comes just before the first dated fact it
/// supports; a note said once is not said again; "in T," opens each new time.
pub fn why_narrative(why: &Why) -> String {
    let proof = &why.proof;
    let mut out = String::new();
    for root in &proof.roots {
        let order = supported_order(proof, *root);
        let when = when_it_mattered(proof, &order);
        // Premises before what they support, then (stably) in time order.
        let mut order: Vec<usize> = order.into_iter().filter(|&id| id != *root).collect();
        order.sort_by_key(|&id| when[&id]);
        let mut sentences = Vec::new();
        let mut said = HashSet::new();
        let mut last_time = None;
        for id in order {
            let node = &proof.nodes[id];
            let (note, source) = match &node.how {
                How::Stated { note, source, .. } | How::Derived { note, source, .. } => {
                    (note, source)
                }
                How::Input { .. } => (&None, &None),
            };
            let Some(note) = note else { continue };
            let cite = source
                .as_ref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default();
            let text = format!("{}{cite}", lower_first(note));
            if !said.insert(text.clone()) {
                continue;
            }
            match &node.fact.time {
                Some(t) if last_time != Some(t) => {
                    sentences.push(format!("in {t}, {text}"));
                    last_time = Some(t);
                }
                _ => sentences.push(text),
            }
        }
        let node = &proof.nodes[*root];
        let conclusion = match &node.how {
            How::Derived {
                note: Some(note), ..
            } => format!("{} ({})", lower_first(note), node.fact),
            How::Stated {
                note: Some(note),
                source,
                ..
            } => {
                let cite = source
                    .as_ref()
                    .map(|s| format!(" [{s}]"))
                    .unwrap_or_default();
                format!("{}{cite} ({})", lower_first(note), node.fact)
            }
            _ => format!("{} holds", node.fact),
        };
        let when = node
            .fact
            .time
            .as_ref()
            .map(|t| format!("in {t} "))
            .unwrap_or_default();
        let text = if sentences.is_empty() {
            match &node.fact.time {
                Some(t) => format!("In {t}, {conclusion}."),
                None => format!("{conclusion}."),
            }
        } else {
            format!(
                "{}; so {when}{conclusion}.",
                capitalise(&sentences.join("; "))
            )
        };
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// Lower-cases the first letter when the sentence opens with an ordinary word (`The Soviet
/// Union…` → `the Soviet Union…`); names keep their capital (`China and Kazakhstan…`).
fn lower_first(s: &str) -> String {
    const OPENERS: &[&str] = &[
        "The", "A", "An", "This", "These", "That", "Those", "It", "Its", "In", "On", "Once",
        "When", "While", "Where", "If", "Because", "Although", "After", "Before", "Since", "Then",
        "Later", "Every", "Each", "All", "Both", "Some", "Most", "Many", "Few", "No", "Only",
        "There", "They", "Their", "With", "Without", "For", "By", "As", "At", "From", "During",
        "Under", "Through", "To", "Two", "Three",
    ];
    let first = s.split_whitespace().next().unwrap_or("");
    if !OPENERS.contains(&first) {
        return s.to_string();
    }
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// A node's time for ordering sentences (times as written sort chronologically by their
/// first day when compared as text of equal shape; untimed facts come first).
/// For each node of a proof, the time it mattered: its own, or for a timeless fact the
/// earliest time of a fact it supports. `order` lists premises before what they support.
fn when_it_mattered(proof: &Proof, order: &[usize]) -> HashMap<usize, Option<Time>> {
    let mut when: HashMap<usize, Option<Time>> = HashMap::new();
    for &id in order.iter().rev() {
        let node = &proof.nodes[id];
        let own = time_key(node);
        let at = *when.entry(id).or_insert(own);
        let at = own.or(at);
        when.insert(id, at);
        for s in proof.premises(id) {
            let entry = when.entry(s).or_insert(None);
            *entry = match (*entry, at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    when
}

fn time_key(node: &Node) -> Option<Time> {
    node.fact.time
}

/// The nodes reachable from `root`, each after all of its premises (a post-order walk with an
/// explicit stack).
fn supported_order(proof: &Proof, root: usize) -> Vec<usize> {
    let mut order = Vec::new();
    let mut seen = HashSet::from([root]);
    let mut stack = vec![(root, false)];
    while let Some((id, expanded)) = stack.pop() {
        if expanded {
            order.push(id);
            continue;
        }
        stack.push((id, true));
        let premises: Vec<usize> = proof.premises(id).collect();
        for p in premises.into_iter().rev() {
            if seen.insert(p) {
                stack.push((p, false));
            }
        }
    }
    order
}

/// The nodes reachable from `root`, each once, in discovery order.
fn reachable(proof: &Proof, root: usize) -> Vec<usize> {
    let mut seen = HashSet::from([root]);
    let mut order = vec![root];
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        for n in proof.premises(id) {
            if seen.insert(n) {
                order.push(n);
                stack.push(n);
            }
        }
    }
    order
}

fn dot_escape(s: impl std::fmt::Display) -> String {
    let s = s.to_string();
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Which of six colours a lane is drawn in, the same in every picture: the theory's five
/// lanes (`problem`, `policy`, `politics`, `window`, `change`) have one each, any other lane
/// one by a stable hash of its name.
pub fn lane_palette(lane: &str) -> usize {
    let known = ["problem", "policy", "politics", "window", "change"];
    known.iter().position(|k| *k == lane).unwrap_or_else(|| {
        let hash = lane.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        hash as usize % 6
    })
}

/// The pale fill of a lane's facts in a graph.
fn lane_tint(lane: &str) -> &'static str {
    const TINTS: [&str; 6] = [
        "#f6d5d1", "#d2eadb", "#d5e2f7", "#e8d8f0", "#f5e4c8", "#d0ece6",
    ];
    TINTS[lane_palette(lane)]
}

/// `why` as a Graphviz digraph: one box per fact (derived ones name their rule), an edge from
/// each premise to what it supports; facts on a lane are filled in its colour.
pub fn why_dot(why: &Why) -> String {
    let proof = &why.proof;
    let mut out = String::from(
        "digraph why {\n  rankdir=BT;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n",
    );
    let mut ids: Vec<usize> = Vec::new();
    for root in &proof.roots {
        for id in reachable(proof, *root) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let mut extra = 0;
    for id in &ids {
        let node = &proof.nodes[*id];
        let (label, fill) = match &node.how {
            How::Derived { rule, .. } => (
                format!("{}\\nrule {}", dot_escape(&node.fact), dot_escape(rule)),
                "#dbe9f6",
            ),
            How::Stated { at, .. } => (
                format!("{}\\nstated at {}", dot_escape(&node.fact), dot_escape(at)),
                "#f3f3f3",
            ),
            How::Input { at } => (
                format!("{}\\nread from {}", dot_escape(&node.fact), dot_escape(at)),
                "#f3f3f3",
            ),
        };
        let fill = node.lane.as_deref().map_or(fill, lane_tint);
        let _ = writeln!(out, "  n{id} [label=\"{label}\", fillcolor=\"{fill}\"];");
        if let How::Derived { premises, .. } = &node.how {
            for p in premises {
                match p {
                    Premise::Fact { node } => {
                        let _ = writeln!(out, "  n{node} -> n{id};");
                    }
                    Premise::Aggregate { facts, .. } => {
                        let _ = writeln!(
                            out,
                            "  c{extra} [label=\"{}\", shape=ellipse, fillcolor=\"#fff4d6\"];",
                            dot_escape(p.text().unwrap_or_default())
                        );
                        for f in facts {
                            let _ = writeln!(out, "  n{f} -> c{extra};");
                        }
                        let _ = writeln!(out, "  c{extra} -> n{id};");
                        extra += 1;
                    }
                    Premise::Absent { atom } => {
                        let _ = writeln!(
                            out,
                            "  c{extra} [label=\"no {}\", shape=ellipse, style=dashed];",
                            dot_escape(atom)
                        );
                        let _ = writeln!(out, "  c{extra} -> n{id};");
                        extra += 1;
                    }
                    Premise::Comparison { .. } => {
                        let _ = writeln!(
                            out,
                            "  c{extra} [label=\"{}\", shape=plaintext];",
                            dot_escape(p.text().unwrap_or_default())
                        );
                        let _ = writeln!(out, "  c{extra} -> n{id};");
                        extra += 1;
                    }
                }
            }
        }
    }
    out.push_str("}\n");
    out
}

/// `whynot` as text.
pub fn whynot_text(w: &WhyNot) -> String {
    let subject = subject(&w.question);
    match &w.finding {
        Finding::Holds { facts } => format!(
            "{subject} holds: {}.\n  ask `why {subject}` for its proof\n",
            facts.join(", ")
        ),
        Finding::Elsewhere { asked, facts, last } => {
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
        Finding::Blocked { rules, stated } => {
            let mut out = format!("{subject} does not hold.\n");
            if *stated {
                out.push_str("  no stated fact matches it\n");
            }
            blocked_lines(&mut out, rules, "  ");
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
    }
}

/// `whatif` as text: gained and lost facts by predicate.
pub fn whatif_text(w: &WhatIf) -> String {
    let mut out = String::new();
    for fact in &w.already {
        let _ = writeln!(out, "{fact} holds already: asserting it changes nothing");
    }
    if w.gained.is_empty() && w.lost.is_empty() {
        if w.already.is_empty() {
            out.push_str("nothing would change\n");
        }
        return out;
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
