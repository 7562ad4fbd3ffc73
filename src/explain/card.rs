//! `why … brief`: the MSF card of a fact — one line per stream (lane) its proof reaches, each
//! with that lane's facts and their dates, wrapped to the width — then how much of it the
//! sources say, and the fact and its date.

use super::words::{capitalise, columns, date, wrap};
use super::{Fact, How, Node, Proof, Why, READ_AT_MOST};
use crate::evidence::Kind;

/// The lanes of the theory in the order a card lists them; other lanes follow by name.
const ORDER: [&str; 5] = ["problem", "policy", "politics", "window", "change"];

/// How many lines a card may take, the fact and the evidence included (LANGUAGE.md §7: "at
/// most a screenful"; a Horgos change fits ten lines at 100 columns).
const CARD_LINES: usize = 10;

/// The card of each explained fact, every line within `width` columns (LANGUAGE.md §7,
/// "Reading levels of `why`"): one line per lane the proof reaches — its label, then the
/// facts of that lane with their dates — then how many of the facts are quoted and how many
/// assumed, and the fact itself. Lanes share the lines left; where a lane's facts do not fit,
/// the earliest stated facts give way first, then the theory's conclusions, assumptions last
/// ("3 earlier …").
pub fn why_card(why: &Why, width: usize) -> String {
    let proof = &why.proof;
    let mut out = String::new();
    for (i, root) in proof.roots.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let lanes: Vec<(String, Vec<(String, u8)>)> = lanes(proof, *root)
            .into_iter()
            .map(|(lane, nodes)| {
                let label = format!("{:<9} ", capitalise(&lane));
                let items = nodes.iter().map(|n| (item(n), keep_rank(n))).collect();
                (label, items)
            })
            .collect();
        let tally = tally(proof, *root);
        let fixed = 1 + usize::from(tally.is_some());
        let budgets = share(&lanes, CARD_LINES.saturating_sub(fixed), width);
        for ((label, items), budget) in lanes.iter().zip(budgets) {
            for line in fit_lane(label, items, budget, width) {
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        if let Some(tally) = tally {
            let label = format!("{:<9} ", "Evidence");
            for line in wrap(&label, &" ".repeat(10), &tally, width) {
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        let fact = &proof.nodes[*root].fact;
        out.push_str(&cut(&format!("⇒ {}{}", atom(fact), dated(fact)), width));
        out.push('\n');
    }
    out
}

/// One row of a card in full, for a page with room for all of it: a lane and its facts (each
/// with its date, and ` *` when it rests on an assumption), or the evidence tally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CardRow {
    /// The lane (`problem`), or `evidence`.
    pub label: String,
    /// The facts of the lane, in time order; the tally alone for `evidence`.
    pub items: Vec<String>,
}

/// The card of the proof of `root` in full (see [`why_card`]), nothing left out: one row per
/// lane the proof reaches, in the theory's order, then the evidence tally when there is one.
pub fn card_rows(proof: &Proof, root: usize) -> Vec<CardRow> {
    let mut rows: Vec<CardRow> = lanes(proof, root)
        .into_iter()
        .map(|(lane, nodes)| CardRow {
            label: lane,
            items: nodes.iter().map(|n| item(n)).collect(),
        })
        .collect();
    if let Some(tally) = tally(proof, root) {
        rows.push(CardRow {
            label: "evidence".to_string(),
            items: vec![tally],
        });
    }
    rows
}

/// The lines each lane may take: one each, then the lines left to the lanes that need
/// them most, one at a time.
fn share(lanes: &[(String, Vec<(String, u8)>)], lines: usize, width: usize) -> Vec<usize> {
    let need: Vec<usize> = lanes
        .iter()
        .map(|(label, items)| lane_lines(label, items.iter().map(|(t, _)| t.as_str()), width))
        .collect();
    let mut budget = vec![1; lanes.len()];
    let mut left = lines.saturating_sub(lanes.len());
    while left > 0 {
        let wanting = (0..lanes.len())
            .filter(|&i| need[i] > budget[i])
            .max_by_key(|&i| (need[i] - budget[i], std::cmp::Reverse(i)));
        let Some(i) = wanting else { break };
        budget[i] += 1;
        left -= 1;
    }
    budget
}

/// How many lines a lane's items take, wrapped under its label.
fn lane_lines<'a>(label: &str, items: impl Iterator<Item = &'a str>, width: usize) -> usize {
    let text = items.collect::<Vec<_>>().join("; ");
    wrap(label, &" ".repeat(columns(label)), &text, width).len()
}

/// How much a card holds on to a fact when a lane is short of room: an assumption most (it
/// must stay visible), a conclusion of the theory next, a stated fact least (the Evidence line
/// still counts it).
fn keep_rank(node: &Node) -> u8 {
    match (&node.how, mark(node).is_empty()) {
        (_, false) => 2,
        (How::Derived { .. }, true) => 1,
        _ => 0,
    }
}

/// A lane's lines within `budget`: its items, the earliest of those held on to least left
/// out first, with a count of those left out.
fn fit_lane(label: &str, items: &[(String, u8)], budget: usize, width: usize) -> Vec<String> {
    let mut kept: Vec<&(String, u8)> = items.iter().collect();
    let mut left_out = 0;
    loop {
        let mut shown: Vec<String> = Vec::new();
        if left_out > 0 {
            shown.push(format!("{left_out} earlier …"));
        }
        shown.extend(kept.iter().map(|(t, _)| t.clone()));
        let lines = wrap(label, &" ".repeat(columns(label)), &shown.join("; "), width);
        if lines.len() <= budget || kept.len() <= 1 {
            return lines.into_iter().map(|l| cut(&l, width)).collect();
        }
        let least = kept.iter().map(|(_, rank)| *rank).min().unwrap_or(0);
        let drop = kept
            .iter()
            .position(|(_, rank)| *rank == least)
            .unwrap_or(0);
        kept.remove(drop);
        left_out += 1;
    }
}

/// A fact as a card lists it: `problem(trade_development) 1992`, with ` *` when it rests on
/// an assumption.
fn item(node: &Node) -> String {
    format!("{}{}{}", atom(&node.fact), dated(&node.fact), mark(node))
}

/// ` *` after a fact that rests on the modeller's assumption (stated as assumed, or derived
/// by a rule marked assumed).
fn mark(node: &Node) -> &'static str {
    let evidence = match &node.how {
        How::Stated { evidence, .. } | How::Derived { evidence, .. } => evidence,
        How::Input { .. } => return "",
    };
    if evidence.assumed.is_some() {
        " *"
    } else {
        ""
    }
}

/// `14 facts quoted, 3 assumed by the modeller (*)`, counting the stated facts and the rules the
/// proof reaches, when any of them carries a quote or an assumption; of the first
/// [`READ_AT_MOST`] facts of a longer proof, saying so.
fn tally(proof: &Proof, root: usize) -> Option<String> {
    let (mut quoted, mut assumed, mut other) = (0, 0, 0);
    let reached = card_nodes(proof, root);
    for &id in &reached.nodes {
        let node = &proof.nodes[id];
        let kind = match &node.how {
            How::Stated { evidence, .. } => evidence.kind(),
            How::Derived { evidence, .. } if evidence.assumed.is_some() => Kind::Assumed,
            _ => continue,
        };
        match kind {
            Kind::Quoted => quoted += 1,
            Kind::Assumed => assumed += 1,
            // A stated fact of no lane without a quote is a setting (a default), not evidence.
            Kind::Cited | Kind::None if node.lane.is_some() => other += 1,
            Kind::Cited | Kind::None => {}
        }
    }
    let read = format!("of the first {READ_AT_MOST} facts of a longer proof");
    if quoted + assumed == 0 {
        return reached
            .more
            .then(|| format!("none quoted or assumed {read}"));
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![format!("{} quoted", plural(quoted, "fact", "facts"))];
    if assumed > 0 {
        parts.push(format!("{assumed} assumed by the modeller (*)"));
    }
    if other > 0 {
        parts.push(format!("{other} without a quote"));
    }
    if reached.more {
        parts.push(read);
    }
    Some(parts.join(", "))
}

/// The facts of each lane that the proof of `root` reaches (the root itself aside; of a
/// longer proof, those among its first [`READ_AT_MOST`] facts, as the tally says), in time
/// order, lanes in the theory's order.
fn lanes(proof: &Proof, root: usize) -> Vec<(String, Vec<&Node>)> {
    // A proof holds each fact once, so a lane lists no fact twice.
    let mut by_lane: Vec<(String, Vec<&Node>)> = Vec::new();
    for id in card_nodes(proof, root).nodes.into_iter().skip(1) {
        let node = &proof.nodes[id];
        let Some(lane) = &node.lane else { continue };
        match by_lane.iter_mut().find(|(l, _)| l == lane) {
            Some((_, nodes)) => nodes.push(node),
            None => by_lane.push((lane.clone(), vec![node])),
        }
    }
    for (_, nodes) in &mut by_lane {
        nodes.sort_by_cached_key(|n| (n.fact.time, atom(&n.fact)));
    }
    let rank = |lane: &str| ORDER.iter().position(|l| *l == lane).unwrap_or(ORDER.len());
    by_lane.sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    by_lane
}

/// The facts a card reads: those the proof of `root` reaches through fact premises, and the
/// facts its own aggregates range over with theirs (a change counted over every window that
/// carried it shows every window); the root first, at most [`READ_AT_MOST`].
fn card_nodes(proof: &Proof, root: usize) -> super::Reached {
    let mut reached = proof.reachable_by_facts(root, READ_AT_MOST);
    let counted: Vec<usize> = match proof.nodes.get(root).map(|n| &n.how) {
        Some(How::Derived { premises, .. }) => premises
            .iter()
            .filter_map(|p| match p {
                super::Premise::Aggregate { facts, .. } => Some(facts.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect(),
        _ => Vec::new(),
    };
    let mut seen: super::NodeSet = reached.nodes.iter().copied().collect();
    for fact in counted {
        let room = READ_AT_MOST.saturating_sub(reached.nodes.len());
        if room == 0 {
            reached.more = true;
            break;
        }
        let more = proof.reachable_by_facts(fact, room);
        reached.more |= more.more;
        for n in more.nodes {
            if seen.insert(n) {
                reached.nodes.push(n);
            }
        }
    }
    reached
}

/// A fact's atom, without its time.
fn atom(fact: &Fact) -> String {
    let mut bare = fact.clone();
    bare.time = None;
    bare.to_string()
}

/// ` July 2005`, or nothing for a timeless fact.
fn dated(fact: &Fact) -> String {
    fact.time
        .map(|t| format!(" {}", date(t)))
        .unwrap_or_default()
}

/// A line cut to `width` columns, with `…` where it was cut.
fn cut(line: &str, width: usize) -> String {
    if columns(line) <= width {
        return line.to_string();
    }
    let mut out: String = line.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}
