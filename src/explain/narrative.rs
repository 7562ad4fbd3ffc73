//! `why` as a story a student can read aloud: one sentence per event of the case in time
//! order, dates as a reader says them, the theory's words apart in one closing sentence, and
//! the fact explained last. Long proofs keep, for each stream, the events nearest the fact.

use std::collections::{HashMap, HashSet};

use super::words::{capitalise, date, name_words, when, wrap};
use super::{How, Node, NodeMap, Proof, Reached, Why, READ_AT_MOST};
use crate::eval::Const;
use crate::value::Time;

/// The most words a story takes (the closing sentences included).
pub const MAX_WORDS: usize = 140;

/// One sentence of the case.
struct Event {
    time: Option<Time>,
    /// Whether the fact has a time of its own (not only the time of what it supports).
    dated: bool,
    lane: Option<String>,
    sentence: String,
}

/// The most stories one answer tells: each is read aloud, and a story's cost grows with its
/// proof, so a question matching thousands of facts tells the first ones and counts the rest.
pub const MAX_STORIES: usize = 12;

/// `why` as one paragraph per explained fact (the first twelve), wrapped to
/// `width` columns.
pub fn why_narrative(why: &Why, width: usize) -> String {
    let proof = &why.proof;
    let mut out = String::new();
    for root in proof.roots.iter().take(MAX_STORIES) {
        let paragraph = story(proof, *root);
        for line in wrap("", "", &paragraph, width.max(20)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Some(more) = proof
        .roots
        .len()
        .checked_sub(MAX_STORIES)
        .filter(|n| *n > 0)
    {
        let text =
            format!("(the stories of {more} more facts are not told: ask `why` of one of them)");
        for line in wrap("", "", &text, width.max(20)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The story of one fact.
fn story(proof: &Proof, root: usize) -> String {
    let node = &proof.nodes[root];
    let conclusion = conclusion(proof, node);
    // The nodes the story reads, walked once for its names and its events.
    let reached = proof.reachable(root, READ_AT_MOST);
    let names = proper_names(proof, &reached.nodes);
    let theory = match &node.how {
        How::Derived { evidence, .. } if evidence.note.is_some() => {
            // A rule of the theory speaks Kingdon's terms; a rule of one's own, its own.
            let theory = evidence.source.as_deref().is_some_and(|s| {
                ["Kingdon", "Zahariadis", "Herweg", "Downs", "Knaggard"]
                    .iter()
                    .any(|a| s.contains(a))
            });
            let lead = if theory {
                "In Kingdon's terms"
            } else {
                "That is"
            };
            evidence.note.as_ref().map(|note| {
                format!(
                    "{lead}, {}.",
                    lower_first(note.trim_end_matches('.'), &names)
                )
            })
        }
        _ => None,
    };
    let (mut events, more) = events(proof, &reached, &names);
    let fixed = words(&conclusion) + theory.as_deref().map_or(0, words);
    // Too long to read aloud: drop the earliest events of streams that keep another.
    while fixed + events.iter().map(|e| words(&e.sentence)).sum::<usize>() > MAX_WORDS {
        let mut count: HashMap<Option<&str>, usize> = HashMap::new();
        for e in &events {
            *count.entry(e.lane.as_deref()).or_default() += 1;
        }
        // A timeless fact (a direction, a part of a programme) before an event.
        let kept = |e: &Event| count[&e.lane.as_deref()] > 1;
        let droppable = events
            .iter()
            .position(|e| kept(e) && !e.dated)
            .or_else(|| events.iter().position(kept))
            .or((!events.is_empty()).then_some(0));
        match droppable {
            Some(i) => {
                events.remove(i);
            }
            None => break,
        }
    }
    if events.is_empty() && theory.is_none() {
        // A stated fact tells its own note; otherwise there is nothing to tell.
        return match &node.how {
            How::Stated { evidence, .. } => evidence.note.as_ref().map_or_else(
                || format!("{} holds.", node.fact),
                |note| sentence(node.fact.time, note.trim().trim_end_matches('.'), &names),
            ),
            _ if more => format!(
                "{} holds. (No fact among the first {READ_AT_MOST} of its proof has a note.)",
                node.fact
            ),
            _ => format!("{} holds.", node.fact),
        };
    }
    let mut sentences: Vec<String> = events.into_iter().map(|e| e.sentence).collect();
    sentences.extend(theory);
    sentences.push(conclusion);
    if more {
        sentences.push(format!(
            "(Told from the first {READ_AT_MOST} facts of a longer proof.)"
        ));
    }
    sentences.join(" ")
}

/// The stated facts of a proof that carry a note, each once, in time order, as sentences
/// (of the first [`READ_AT_MOST`] facts the proof reaches), and whether the proof reaches more.
fn events(proof: &Proof, reached: &Reached, names: &HashSet<String>) -> (Vec<Event>, bool) {
    // The nodes this fact's proof reaches, in the order its proof reaches them (the same
    // whether the proof was asked alone or among others that share its facts).
    let when_of = when_it_mattered(proof, &reached.nodes);
    let mut said = HashSet::new();
    let mut events: Vec<Event> = Vec::new();
    for (&id, time) in reached.nodes.iter().zip(when_of).skip(1) {
        let node = &proof.nodes[id];
        let How::Stated { evidence, .. } = &node.how else {
            continue;
        };
        let Some(note) = &evidence.note else { continue };
        let note = note.trim().trim_end_matches('.');
        if !said.insert(note.to_string()) {
            continue;
        }
        // What the modeller assumed is said to be, in the story as on the card: the note
        // may be the source's words, the fact is the modeller's reading of them.
        let mut sentence = sentence(node.fact.time, note, names);
        if evidence.assumed.is_some() {
            sentence.pop();
            sentence.push_str(" (the modeller's reading).");
        }
        events.push(Event {
            time,
            dated: node.fact.time.is_some(),
            lane: node.lane.clone(),
            sentence,
        });
    }
    // Time order, an event before the timeless facts that matter from its time (a
    // consequence after its cause); facts that matter at no time last.
    events.sort_by_key(|e| (e.time.is_none(), e.time, !e.dated));
    (events, reached.more)
}

/// A note as a sentence, its date first unless the note says its year itself.
fn sentence(time: Option<Time>, note: &str, names: &HashSet<String>) -> String {
    match time {
        Some(t) if !note.contains(&t.year_of().to_string()) => {
            format!("{}, {}.", capitalise(&when(t)), lower_first(note, names))
        }
        _ => format!("{}.", capitalise(note)),
    }
}

/// The closing sentence: the fact explained, in words, with its date; the theory's verdicts
/// in the words a class uses.
fn conclusion(proof: &Proof, node: &Node) -> String {
    let fact = &node.fact;
    if let (Some(Const::Sym(symbol)), [_]) = (fact.args.first(), fact.args.as_slice()) {
        // The case's name for the change (`the VAT circular`), else its words after "the".
        let subject = proof
            .names
            .get(symbol.as_ref() as &str)
            .cloned()
            .unwrap_or_else(|| format!("the {}", name_words(symbol)));
        let at = fact.time.map(when);
        let said = match fact.pred.as_str() {
            super::CHANGE => Some(format!(
                "{subject} was a policy change the streams explain."
            )),
            super::ORDER_UNKNOWN => Some(format!(
                "{subject} may have been coupled by the streams, in an order the dates do not fix."
            )),
            super::UNEXPLAINED => Some(format!(
                "{subject} was enacted with no coupling of the streams to explain it."
            )),
            super::MISSED => Some(format!(
                "the window opened by {subject} closed with nothing coupled."
            )),
            _ => None,
        };
        if let Some(said) = said {
            return match at {
                Some(at) => format!("So, {at}, {said}"),
                None => format!("So: {}", capitalise(&said)),
            };
        }
    }
    let args: Vec<String> = fact
        .args
        .iter()
        .map(|a| match a {
            Const::Time(t) => date(*t),
            other => proof.words(other),
        })
        .collect();
    // A predicate of one's own has no words but its name: what the rules give, named, with
    // its values (not "the couplable: …", as if the name were a noun).
    let what = name_words(&fact.pred);
    let said = match args.split_last() {
        None => format!("this gives {what}"),
        Some((last, [])) => format!("this gives {what}: {last}"),
        Some((last, rest)) => format!("this gives {what}: {} and {last}", rest.join(", ")),
    };
    match fact.time {
        Some(t) => format!("So, {}, {said}.", when(t)),
        None => format!("So: {said}."),
    }
}

/// The words that the notes and quotes of a proof capitalise inside a sentence: names
/// (`China`, `Horgos`), which keep their capital where a note is spliced after a date; any
/// other first word is an ordinary word, lower-cased (`In 1962, closing a border…`).
fn proper_names(proof: &Proof, reached: &[usize]) -> HashSet<String> {
    let mut names = HashSet::new();
    for &id in reached {
        // A value that is a name on its own (`china`, `horgos`) is one in the notes.
        for arg in &proof.nodes[id].fact.args {
            if let Const::Sym(s) = arg {
                if s.chars().all(|c| c.is_alphabetic()) {
                    names.insert(capitalise(s));
                }
            }
        }
        let evidence = match &proof.nodes[id].how {
            How::Stated { evidence, .. } | How::Derived { evidence, .. } => evidence,
            _ => continue,
        };
        for text in evidence.note.iter().chain(&evidence.quote) {
            let mut starts = true;
            for word in text.split_whitespace() {
                // `China-Kazakhstan` names two.
                for (i, part) in word.split(['-', '–', '/']).enumerate() {
                    let bare = part.trim_matches(|c: char| !c.is_alphanumeric());
                    if (!starts || i > 0) && bare.chars().next().is_some_and(char::is_uppercase) {
                        names.insert(bare.to_string());
                    }
                }
                let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
                starts = word.ends_with(['.', '!', '?', ':', ';', '"', '“']) || bare.is_empty();
            }
        }
    }
    names
}

/// For each of the `reached` nodes (the root first), in their order, the time it mattered:
/// its own, or for a timeless fact the earliest time of a reached fact it supports.
fn when_it_mattered(proof: &Proof, reached: &[usize]) -> Vec<Option<Time>> {
    // Positions in `reached`, so that the walk costs what was reached, not the whole proof.
    let at: NodeMap<usize> = reached.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let premises: Vec<Vec<usize>> = reached
        .iter()
        .map(|&n| {
            let reached_premises = proof.premises(n).filter_map(|p| at.get(&p).copied());
            reached_premises.collect()
        })
        .collect();
    // Premises before what they support (a post-order walk with an explicit stack).
    let mut order = Vec::with_capacity(reached.len());
    let mut seen = vec![false; reached.len()];
    let mut stack = Vec::new();
    if !reached.is_empty() {
        seen[0] = true;
        stack.push((0, false));
    }
    while let Some((i, expanded)) = stack.pop() {
        if expanded {
            order.push(i);
            continue;
        }
        stack.push((i, true));
        for &p in premises[i].iter().rev() {
            if !std::mem::replace(&mut seen[p], true) {
                stack.push((p, false));
            }
        }
    }
    let mut when: Vec<Option<Option<Time>>> = vec![None; reached.len()];
    for &i in order.iter().rev() {
        let own = proof.nodes[reached[i]].fact.time;
        let time = own.or(*when[i].get_or_insert(own));
        when[i] = Some(time);
        for &s in &premises[i] {
            let entry = when[s].get_or_insert(None);
            *entry = match (*entry, time) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    when.into_iter().map(Option::flatten).collect()
}

/// The words of a text.
fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Lower-cases the first letter when the sentence opens with an ordinary word (`The Soviet
/// Union…` → `the Soviet Union…`, `Closing a border…` → `closing a border…`); names keep
/// their capital (`China and Kazakhstan…`): a word the proof's texts capitalise inside a
/// sentence, an acronym (`WTO`), or a word with a capital inside (`McKinsey`).
fn lower_first(s: &str, names: &HashSet<String>) -> String {
    const OPENERS: &[&str] = &[
        "The",
        "A",
        "An",
        "This",
        "These",
        "That",
        "Those",
        "It",
        "Its",
        "In",
        "On",
        "Once",
        "When",
        "While",
        "Where",
        "If",
        "Because",
        "Although",
        "After",
        "Before",
        "Since",
        "Then",
        "Later",
        "Every",
        "Each",
        "All",
        "Both",
        "Some",
        "Most",
        "Many",
        "Few",
        "No",
        "Only",
        "There",
        "They",
        "Their",
        "With",
        "Without",
        "For",
        "By",
        "As",
        "At",
        "From",
        "During",
        "Under",
        "Through",
        "To",
        "Two",
        "Three",
        "Policy",
        "Decisions",
        "Renamed",
    ];
    let first = s.split_whitespace().next().unwrap_or("");
    let bare = first.trim_matches(|c: char| !c.is_alphanumeric());
    let ordinary = bare.chars().skip(1).all(char::is_lowercase) && !names.contains(bare);
    if !OPENERS.contains(&first) && !ordinary {
        return s.to_string();
    }
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_that_says_its_year_gets_no_second_one() {
        let t = Time::parse("1992").ok();
        assert_eq!(
            sentence(
                t,
                "China and Kazakhstan established diplomatic relations in 1992",
                &HashSet::new()
            ),
            "China and Kazakhstan established diplomatic relations in 1992."
        );
        let t = Time::parse("1991-12-25").ok();
        assert_eq!(
            sentence(t, "The Soviet Union collapsed", &HashSet::new()),
            "On 25 December 1991, the Soviet Union collapsed."
        );
    }

    #[test]
    fn an_ordinary_first_word_is_lower_cased_and_a_name_keeps_its_capital() {
        let t = Time::parse("1962").ok();
        let names: HashSet<String> = ["China".to_string()].into();
        assert_eq!(
            sentence(t, "Closing a border crossing ended the trade", &names),
            "In 1962, closing a border crossing ended the trade."
        );
        assert_eq!(
            sentence(t, "China closed the crossing", &names),
            "In 1962, China closed the crossing."
        );
        assert_eq!(
            sentence(t, "WTO rules were not met", &names),
            "In 1962, WTO rules were not met."
        );
    }
}
