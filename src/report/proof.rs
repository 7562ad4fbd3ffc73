//! A proof as a tree of `<details>` to unfold: each fact with how it holds — the rule that
//! derived it with the conditions it checked, or the source's own words, or the modeller's
//! "assumed" — and its premises beneath it. A fact the proof reaches twice is drawn once and
//! linked the second time. Built with an explicit stack, so a proof of any depth is written
//! without recursion.

use std::fmt::Write as _;

use crate::evidence::Evidence;
use crate::explain::render::{comparison_words, over_facts};
use crate::explain::{How, Premise, Why, READ_AT_MOST};
use crate::markup::escape;

/// One thing left to write.
enum Step {
    /// A fact of the proof, by node, at a depth.
    Node(usize, usize),
    /// A condition checked that is not a fact (`no …`, `1992 <= 2005`, an aggregate).
    Condition(String),
    /// Markup that closes a fact's list of premises.
    Close,
}

/// The facts the page has drawn with their premises, by their text, and where: a fact whose
/// proof is large and already on the page is linked, not drawn again.
#[derive(Default)]
pub(super) struct Drawn(std::collections::HashMap<String, String>);

/// How many facts a proof beneath a fact must hold for a second drawing of it elsewhere on
/// the page to be a link instead: small proofs are repeated, so that each change reads whole;
/// long ones (a chain of 2 000 steps under each of 2 000 changes) are drawn once a page.
const LINK_ABOVE: usize = 50;

/// Writes the proof of `why` as a collapsible tree; `id` prefixes the ids of its facts.
pub(super) fn tree(page: &mut String, why: &Why, id: &str, drawn: &mut Drawn) {
    let proof = &why.proof;
    let Some(root) = proof.roots.first() else {
        return;
    };
    let facts = match proof.facts_up_to(*root, READ_AT_MOST) {
        n if n > READ_AT_MOST => format!("more than {READ_AT_MOST} facts"),
        n => format!("{n} facts"),
    };
    let _ = writeln!(
        page,
        "<details class=\"proof\"><summary>The proof, fact by fact ({facts})</summary>\n<ul class=\"tree\">"
    );
    let mut seen = vec![false; proof.nodes.len()];
    let mut stack = vec![Step::Node(*root, 0)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Close => page.push_str("</ul></details></li>\n"),
            Step::Condition(text) => {
                let _ = writeln!(page, "<li class=\"condition\">✓ {}</li>", escape(&text));
            }
            Step::Node(n, depth) => {
                let Some(node) = proof.nodes.get(n) else {
                    continue;
                };
                let lane = node
                    .lane
                    .as_deref()
                    .map(|l| format!(" lane-{}", escape(l)))
                    .unwrap_or_default();
                let text = node.fact.to_string();
                let fact = escape(&text);
                if std::mem::replace(&mut seen[n], true) {
                    let _ = writeln!(
                        page,
                        "<li class=\"fact again{lane}\"><code>{fact}</code> <a href=\"#{id}-f{n}\">as above</a></li>"
                    );
                    continue;
                }
                if let Some(anchor) = drawn.0.get(&text) {
                    if depth > 0 && proof.facts_up_to(n, LINK_ABOVE) > LINK_ABOVE {
                        let _ = writeln!(
                            page,
                            "<li class=\"fact again{lane}\"><code>{fact}</code> <a href=\"#{}\">its proof is above</a></li>",
                            escape(anchor)
                        );
                        continue;
                    }
                } else {
                    drawn.0.insert(text, format!("{id}-f{n}"));
                }
                match &node.how {
                    How::Derived {
                        rule,
                        at,
                        evidence,
                        premises,
                    } => {
                        let open = if depth == 0 { " open" } else { "" };
                        let _ = writeln!(
                            page,
                            "<li class=\"fact derived{lane}\" id=\"{id}-f{n}\"><details{open}><summary><code>{fact}</code> <span class=\"by\">by the rule <em>{}</em></span>{}</summary>",
                            escape(rule),
                            mark(&node.how)
                        );
                        backing(page, evidence);
                        let _ = writeln!(
                            page,
                            "<p class=\"at\">{}</p>\n<ul>",
                            escape(&at.to_string())
                        );
                        stack.push(Step::Close);
                        for p in premises.iter().rev() {
                            match p {
                                Premise::Fact { node } => stack.push(Step::Node(*node, depth + 1)),
                                Premise::Aggregate { facts, more, .. } => {
                                    stack.push(Step::Condition(format!(
                                        "{} ({})",
                                        p.text().unwrap_or_default(),
                                        over_facts(facts.len() + more)
                                    )));
                                }
                                Premise::Absent { atom } => {
                                    stack.push(Step::Condition(format!("no {atom}")));
                                }
                                Premise::Comparison { left, op, right } => {
                                    stack.push(Step::Condition(comparison_words(
                                        left.as_ref(),
                                        *op,
                                        right.as_ref(),
                                    )));
                                }
                            }
                        }
                    }
                    How::Stated { at, evidence } => {
                        let _ = write!(
                            page,
                            "<li class=\"fact stated{lane}\" id=\"{id}-f{n}\"><code>{fact}</code>{}",
                            mark(&node.how)
                        );
                        backing(page, evidence);
                        let _ = writeln!(
                            page,
                            "<p class=\"at\">stated at {}</p></li>",
                            escape(&at.to_string())
                        );
                    }
                    How::Input { at } => {
                        let _ = writeln!(
                            page,
                            "<li class=\"fact input{lane}\" id=\"{id}-f{n}\"><code>{fact}</code><p class=\"at\">read from {}</p></li>",
                            escape(&at.to_string())
                        );
                    }
                }
            }
        }
    }
    page.push_str("</ul>\n</details>\n");
}

/// What backs a fact or its rule: its note, the source's words with their citation (or the
/// citation alone), the modeller's assumption.
fn backing(page: &mut String, evidence: &Evidence) {
    if let Some(note) = &evidence.note {
        let _ = write!(page, "<p class=\"note\">{}</p>", escape(note));
    }
    if let Some(quote) = &evidence.quote {
        let cite = evidence
            .citation()
            .map(|c| format!(" <cite>{}</cite>", escape(&c)))
            .unwrap_or_default();
        let _ = write!(page, "<blockquote>“{}”{cite}</blockquote>", escape(quote));
    } else if let Some(c) = evidence.citation() {
        let _ = write!(page, "<p class=\"cited\">cited: {}</p>", escape(&c));
    }
    if let Some(reason) = &evidence.assumed {
        let _ = write!(
            page,
            "<p class=\"assumed\"><span class=\"assumed-mark\">assumed</span> {}</p>",
            escape(reason)
        );
    }
}

/// The mark after a fact that rests on the modeller's assumption.
fn mark(how: &How) -> &'static str {
    let assumed = match how {
        How::Stated { evidence, .. } | How::Derived { evidence, .. } => evidence.assumed.is_some(),
        How::Input { .. } => false,
    };
    if assumed {
        " <span class=\"assumed-mark\">assumed</span>"
    } else {
        ""
    }
}
