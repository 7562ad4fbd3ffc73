//! `why … brief`: the MSF card of a fact — one line per stream (lane) its proof reaches, each
//! with that lane's facts and their dates, cut to the width — then the fact and its date.

use super::words::{capitalise, columns, date};
use super::{Fact, Proof, Why};

/// The lanes of the theory in the order a card lists them; other lanes follow by name.
const ORDER: [&str; 5] = ["problem", "policy", "politics", "window", "change"];

/// The card of each explained fact, every line within `width` columns (LANGUAGE.md §7,
/// "Reading levels of `why`"): one line per lane the proof reaches — its label, then the
/// facts of that lane with their dates, the latest kept where not all fit — then the fact
/// itself.
pub fn why_card(why: &Why, width: usize) -> String {
    let proof = &why.proof;
    let mut out = String::new();
    for (i, root) in proof.roots.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (lane, facts) in lanes(proof, *root) {
            let label = format!("{:<9} ", capitalise(&lane));
            let items: Vec<String> = facts
                .iter()
                .map(|f| format!("{}{}", atom(f), dated(f)))
                .collect();
            // The latest items that fit on the line, with a count of the earlier.
            let mut skip = 0;
            let line = loop {
                let mut line = label.clone();
                if skip > 0 {
                    line.push_str(&format!("{skip} earlier … "));
                }
                line.push_str(&items[skip..].join("; "));
                if columns(&line) <= width || skip + 1 >= items.len() {
                    break line;
                }
                skip += 1;
            };
            out.push_str(&cut(&line, width));
            out.push('\n');
        }
        let fact = &proof.nodes[*root].fact;
        out.push_str(&cut(&format!("⇒ {}{}", atom(fact), dated(fact)), width));
        out.push('\n');
    }
    out
}

/// The facts of each lane that the proof of `root` reaches (the root itself aside), in time
/// order, lanes in the theory's order.
fn lanes(proof: &Proof, root: usize) -> Vec<(String, Vec<&Fact>)> {
    // A proof holds each fact once, so a lane lists no fact twice.
    let mut by_lane: Vec<(String, Vec<&Fact>)> = Vec::new();
    for id in proof.reachable(root).into_iter().skip(1) {
        let node = &proof.nodes[id];
        let Some(lane) = &node.lane else { continue };
        match by_lane.iter_mut().find(|(l, _)| l == lane) {
            Some((_, facts)) => facts.push(&node.fact),
            None => by_lane.push((lane.clone(), vec![&node.fact])),
        }
    }
    for (_, facts) in &mut by_lane {
        facts.sort_by_cached_key(|f| (f.time, atom(f)));
    }
    let rank = |lane: &str| ORDER.iter().position(|l| *l == lane).unwrap_or(ORDER.len());
    by_lane.sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    by_lane
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
