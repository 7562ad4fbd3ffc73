//! `why` as a Graphviz digraph to project: one box per fact with its note wrapped beneath it
//! (a derived fact's rule and the conditions it checked folded into its box), filled and
//! outlined in its lane's colour, an edge from each premise to what it supports, a legend of
//! the lanes drawn, and the direction of the ranks chosen so that the graph's shape comes
//! close to a 16:9 slide.

use std::fmt::Write as _;

use super::palette::{lane_colour, lane_tint};
use super::words::{comparison_words, over_facts, subject, wrap};
use super::{How, Premise, Proof, Why};

/// Characters on a line of a box: a narrow box keeps a wide proof within a slide's shape.
const LINE: usize = 38;
/// The most lines of a note in a box; the whole note is in the text tree.
const NOTE_LINES: usize = 4;
/// The fill and outline of a fact of no stream.
const NO_LANE: (&str, &str) = ("#eef2f7", "#95a5a6");
/// Rough size of a box in points, to choose the direction of the ranks.
const BOX_WIDTH: f64 = 280.0;
const BOX_HEIGHT: f64 = 70.0;

/// `why` as a Graphviz digraph.
pub fn why_dot(why: &Why) -> String {
    let proof = &why.proof;
    // The facts drawn, nearest the question first, down to `depth` levels (`why … depth N`).
    // The facts an aggregate ranged over are its context, not causes: the aggregate stands
    // for them, with their number.
    let limit = why.depth.map_or(usize::MAX, |d| d as usize);
    let mut level = vec![usize::MAX; proof.nodes.len()];
    let mut ids: Vec<usize> = Vec::new();
    let mut queue: std::collections::VecDeque<usize> = proof.roots.iter().copied().collect();
    for root in &proof.roots {
        level[*root] = 0;
    }
    while let Some(id) = queue.pop_front() {
        ids.push(id);
        if level[id] >= limit {
            continue;
        }
        for p in proof.premises_by_fact(id) {
            if level[p] == usize::MAX {
                level[p] = level[id] + 1;
                queue.push_back(p);
            }
        }
    }
    let drawn = |id: usize| level.get(id).is_some_and(|l| *l != usize::MAX);
    let mut out = String::from("digraph why {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir={}, fontname=\"Helvetica\", fontsize=18, labelloc=t, label=\"why {}\", nodesep=0.2, ranksep=0.45];",
        rankdir(proof, &ids),
        escape(subject(&why.question))
    );
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=12, margin=\"0.12,0.06\", penwidth=1.5];\n  edge [color=\"#7f8c8d\", arrowsize=0.7];\n",
    );
    let mut lanes: Vec<&str> = Vec::new();
    let mut extra = 0;
    for id in &ids {
        let node = &proof.nodes[*id];
        let (fill, line) = match node.lane.as_deref() {
            Some(lane) => {
                if !lanes.contains(&lane) {
                    lanes.push(lane);
                }
                (lane_tint(lane), lane_colour(lane))
            }
            None => (NO_LANE.0, NO_LANE.1),
        };
        let _ = writeln!(
            out,
            "  n{id} [label=<{}>, fillcolor=\"{fill}\", color=\"{line}\"];",
            label(node, level[*id] >= limit)
        );
        if level[*id] >= limit {
            continue;
        }
        if let How::Derived { premises, .. } = &node.how {
            for p in premises {
                match p {
                    Premise::Fact { node } => {
                        let _ = writeln!(out, "  n{node} -> n{id};");
                    }
                    Premise::Aggregate { facts, more, .. } => {
                        let _ = writeln!(
                            out,
                            "  c{extra} [label=<{}<BR/><FONT POINT-SIZE=\"10\">{}</FONT>>, shape=ellipse, fillcolor=\"#fff4d6\", color=\"#b9770e\"];",
                            escape(p.text().unwrap_or_default()),
                            over_facts(facts.len() + more)
                        );
                        for f in facts.iter().filter(|f| drawn(**f)) {
                            let _ = writeln!(out, "  n{f} -> c{extra};");
                        }
                        let _ = writeln!(out, "  c{extra} -> n{id};");
                        extra += 1;
                    }
                    // Folded into the box of the fact they qualify (see `label`).
                    Premise::Absent { .. } | Premise::Comparison { .. } => {}
                }
            }
        }
    }
    legend(&mut out, &lanes);
    out.push_str("}\n");
    out
}

/// A box's label (Graphviz's HTML-like text): the fact in bold; what it rests on (its rule,
/// or where it was stated or read); its note, wrapped; its quote or assumption; then the
/// conditions its rule checked that are not facts (`no …`, comparisons); for a fact at the
/// depth asked, how many premises are not drawn.
fn label(node: &super::Node, last: bool) -> String {
    // The fact, broken after its commas when it is long (never inside ` @ `).
    let fact = node.fact.to_string().replace(" @ ", "\u{1}@\u{1}");
    let mut lines: Vec<String> = wrap("", "  ", &fact, LINE)
        .iter()
        .map(|l| format!("<B>{}</B>", escape(l.replace('\u{1}', " "))))
        .collect();
    let small = |text: &str| format!(r##"<FONT POINT-SIZE="10" COLOR="#444444">{text}</FONT>"##);
    let (origin, evidence) = match &node.how {
        How::Stated { at, evidence } => (format!("stated at {at}"), Some(evidence)),
        How::Input { at } => (format!("read from {at}"), None),
        How::Derived {
            rule, at, evidence, ..
        } => (format!("rule {rule} ({at})"), Some(evidence)),
    };
    // In the smaller type, a line takes a little more.
    for line in wrap("", "  ", &origin, LINE + 6) {
        lines.push(small(&escape(&line)));
    }
    if let Some(e) = evidence {
        if let Some(note) = &e.note {
            let mut note = wrap("", "", note, LINE);
            if note.len() > NOTE_LINES {
                note.truncate(NOTE_LINES);
                if let Some(last) = note.last_mut() {
                    last.push('…');
                }
            }
            for line in note {
                lines.push(format!("<I>{}</I>", escape(&line)));
            }
        }
        // The quote and the assumption stay in the text tree; here a mark says which.
        let backing = match (&e.quote, &e.assumed) {
            (_, Some(_)) => Some("assumed by the modeller"),
            (Some(_), None) => Some("quoted from the source"),
            (None, None) => None,
        };
        if let Some(backing) = backing {
            lines.push(small(backing));
        }
    }
    if let How::Derived { premises, .. } = &node.how {
        for p in premises {
            let text = match p {
                Premise::Absent { atom } => format!("no {atom}"),
                Premise::Comparison { left, op, right } => {
                    comparison_words(left.as_ref(), *op, right.as_ref())
                }
                _ => continue,
            };
            // `no` stays with its atom, `@` with its time.
            let text = text
                .replacen("no ", "no\u{1}", 1)
                .replace(" @ ", "\u{1}@\u{1}");
            for line in wrap("✓ ", "   ", &text, LINE) {
                lines.push(small(&escape(line.replace('\u{1}', " "))));
            }
        }
    }
    if let (true, How::Derived { premises, .. }) = (last, &node.how) {
        let hidden = premises.iter().filter(|p| p.text().is_none()).count();
        if hidden > 0 {
            lines.push(small(&format!(
                "… {hidden} premise{} below, not drawn",
                if hidden == 1 { "" } else { "s" }
            )));
        }
    }
    let mut label = lines.join(r#"<BR ALIGN="LEFT"/>"#);
    label.push_str(r#"<BR ALIGN="LEFT"/>"#);
    label
}

/// The legend, one node (a table, so that it takes one place in the layout): a row per lane
/// drawn in its colours, and what the other marks mean.
fn legend(out: &mut String, lanes: &[&str]) {
    let mut rows = String::new();
    let row = |rows: &mut String, fill: &str, line: &str, text: &str| {
        let _ = write!(
            rows,
            r#"<TR><TD BGCOLOR="{fill}" COLOR="{line}" BORDER="2" WIDTH="28"> </TD><TD ALIGN="LEFT">{text}</TD></TR>"#
        );
    };
    for lane in lanes {
        row(
            &mut rows,
            lane_tint(lane),
            lane_colour(lane),
            &escape(lane_words(lane)),
        );
    }
    row(&mut rows, NO_LANE.0, NO_LANE.1, "a fact of no stream");
    let _ = write!(
        rows,
        r#"<TR><TD>✓</TD><TD ALIGN="LEFT">a condition its rule checked</TD></TR><TR><TD>→</TD><TD ALIGN="LEFT">from a premise to what it supports</TD></TR>"#
    );
    let _ = writeln!(
        out,
        r##"  legend [shape=plaintext, style="", fontsize=11, label=<<TABLE BORDER="1" COLOR="#bbbbbb" CELLBORDER="0" CELLSPACING="4"><TR><TD COLSPAN="2"><B>Legend</B></TD></TR>{rows}</TABLE>>];"##
    );
}

/// What a lane's colour means in the legend: the theory's three streams, its windows and
/// its couplings and changes by name (windows are not a fourth stream), another lane as such.
fn lane_words(lane: &str) -> String {
    match lane {
        "problem" | "policy" | "politics" => format!("a fact of the {lane} stream"),
        "window" => "a policy window".to_string(),
        "change" => "a coupling or a policy change".to_string(),
        other => format!("a fact of the lane {other}"),
    }
}

/// The direction of the ranks whose drawing comes closest to 16:9: premises below their
/// conclusion (`BT`) for a deep, narrow proof, left of it (`LR`) for a shallow, wide one.
fn rankdir(proof: &Proof, ids: &[usize]) -> &'static str {
    // Each node's level: its longest path down to a fact with no premises, computed after
    // those of its premises (a proof has no cycle), without recursion.
    let mut level = vec![0usize; proof.nodes.len()];
    let mut done = vec![false; proof.nodes.len()];
    let mut stack: Vec<(usize, bool)> = ids.iter().map(|i| (*i, false)).collect();
    while let Some((id, premises_done)) = stack.pop() {
        if done[id] {
            continue;
        }
        if premises_done {
            level[id] = proof.premises(id).map(|p| level[p] + 1).max().unwrap_or(0);
            done[id] = true;
        } else {
            stack.push((id, true));
            stack.extend(proof.premises(id).filter(|p| !done[*p]).map(|p| (p, false)));
        }
    }
    let depth = ids.iter().map(|i| level[*i]).max().unwrap_or(0) + 1;
    let mut per_level = vec![0usize; depth];
    for id in ids {
        per_level[level[*id]] += 1;
    }
    let breadth = per_level.into_iter().max().unwrap_or(1) as f64;
    let depth = depth as f64;
    let slide = 16.0 / 9.0;
    let bt = (breadth * BOX_WIDTH) / (depth * BOX_HEIGHT * 1.6);
    let lr = (depth * BOX_WIDTH * 1.3) / (breadth * BOX_HEIGHT);
    if (bt / slide).ln().abs() <= (lr / slide).ln().abs() {
        "BT"
    } else {
        "LR"
    }
}

/// Text for a Graphviz HTML-like label (and for a quoted string: no `"` or `\` left bare).
fn escape(s: impl std::fmt::Display) -> String {
    crate::markup::escape(&s.to_string()).replace('\\', "&#92;")
}
