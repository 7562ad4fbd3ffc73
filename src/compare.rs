//! Two readings of one case side by side (two case files, or one case under two theories):
//! the theory's verdicts on each, and for each verdict that differs the premises that differ —
//! the first fact or rule of its proof on one side that the other side lacks.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::explain::How;
use crate::store::Statements;
use crate::verdicts::{MISSED, VERDICTS};
use crate::{Error, KnowledgeBase};

/// Two readings compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// How many verdicts the two readings share, as they are.
    pub same: usize,
    /// What the first reading states that the second does not: facts as written and rules
    /// by name, each with where it is written.
    pub only_a: Vec<String>,
    /// What the second reading states that the first does not.
    pub only_b: Vec<String>,
    /// Each verdict that differs, by what it judges (`order_unknown(x)` on one side and
    /// `policy_change(x)` on the other are one difference).
    pub differences: Vec<Difference>,
}

/// One verdict that differs between the readings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What it judges: a change or a window (`cooperation_center_initiative`).
    pub subject: String,
    /// The first reading's verdicts on it (none: it has none).
    pub a: Vec<String>,
    /// The second reading's.
    pub b: Vec<String>,
    /// The first premise of the first reading's verdict that the second lacks, with where
    /// it is written.
    pub a_premise: Option<String>,
    /// The first premise of the second reading's verdict that the first lacks.
    pub b_premise: Option<String>,
}

/// The verdicts of one reading: subject → the verdict facts on it.
type Verdicts = BTreeMap<String, Vec<String>>;

/// Compares two readings: their verdicts, and for each that differs, its premises that differ.
pub fn compare(a: &mut KnowledgeBase, b: &mut KnowledgeBase) -> Result<Comparison, Error> {
    let (va, vb) = (verdicts(a)?, verdicts(b)?);
    let subjects: BTreeSet<&String> = va.keys().chain(vb.keys()).collect();
    let mut same = 0;
    let mut differences = Vec::new();
    let (sa, sb) = (a.statements()?, b.statements()?);
    for subject in subjects {
        let (on_a, on_b) = (
            va.get(subject).cloned().unwrap_or_default(),
            vb.get(subject).cloned().unwrap_or_default(),
        );
        if on_a == on_b {
            same += on_a.len();
            continue;
        }
        differences.push(Difference {
            subject: subject.clone(),
            a_premise: first_lacking(a, &on_a, &on_b, &sa, &sb)?,
            b_premise: first_lacking(b, &on_b, &on_a, &sb, &sa)?,
            a: on_a,
            b: on_b,
        });
    }
    let only = |ours: &Statements, theirs: &Statements| -> Vec<String> {
        let facts = ours
            .facts
            .iter()
            .filter(|(f, _)| !theirs.facts.contains_key(*f))
            .map(|(f, at)| format!("{f} ({at})"));
        let rules = ours
            .rules
            .iter()
            .filter(|(name, (text, _))| theirs.rules.get(*name).map(|r| &r.0) != Some(text))
            .map(|(name, (_, at))| format!("rule {name} ({at})"));
        facts.chain(rules).collect()
    };
    Ok(Comparison {
        same,
        only_a: only(&sa, &sb),
        only_b: only(&sb, &sa),
        differences,
    })
}

/// The verdicts of a reading, by subject.
fn verdicts(kb: &mut KnowledgeBase) -> Result<Verdicts, Error> {
    let mut out = Verdicts::new();
    for pred in VERDICTS {
        for fact in crate::verdicts::facts(kb, pred)? {
            let subject = fact
                .args
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            // A window named like a change is another subject.
            let subject = if pred == MISSED {
                format!("window {subject}")
            } else {
                subject
            };
            out.entry(subject).or_default().push(fact.to_string());
        }
    }
    Ok(out)
}

/// Of the verdicts `ours` that the other reading does not share, the first premise of their
/// proof (in the order the proof reaches it) that the other reading does not state: a fact,
/// or a rule it lacks or words otherwise.
fn first_lacking(
    kb: &mut KnowledgeBase,
    ours: &[String],
    theirs: &[String],
    mine: &Statements,
    other: &Statements,
) -> Result<Option<String>, Error> {
    for verdict in ours.iter().filter(|v| !theirs.contains(v)) {
        let why = kb.why(verdict)?;
        for root in &why.proof.roots {
            for n in why
                .proof
                .reachable(*root, crate::explain::READ_AT_MOST)
                .nodes
            {
                let node = &why.proof.nodes[n];
                match &node.how {
                    How::Stated { at, .. } | How::Input { at } => {
                        if !other.facts.contains_key(&node.fact.to_string()) {
                            return Ok(Some(format!("{} ({at})", node.fact)));
                        }
                    }
                    How::Derived { rule, at, .. } => {
                        if other.rules.get(rule).map(|r| &r.0) != mine.rules.get(rule).map(|r| &r.0)
                        {
                            return Ok(Some(format!("rule {rule} ({at})")));
                        }
                    }
                }
            }
        }
    }
    Ok(None)
}
