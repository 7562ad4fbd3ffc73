//! The theory's verdicts on a case (`../shared/MSF.md`, "what the theory derives"), counted
//! as a reader needs them: the changes explained on the sources' words alone apart from those
//! explained only with the modeller's assumptions, the changes whose order the dates do not
//! fix, the enactments the theory does not explain, and the windows that closed unused.

use crate::{Error, Fact, KnowledgeBase};

pub(crate) use crate::explain::{CHANGE, MISSED, ORDER_UNKNOWN, UNEXPLAINED, VERDICTS};

/// The verdicts of a case, each list in time order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdicts {
    /// Changes the theory explains that it still explains with every assumption taken away.
    pub from_sources: Vec<Fact>,
    /// Changes the theory explains only with the modeller's assumptions.
    pub with_assumptions: Vec<Fact>,
    /// Changes coupled only in an order the dates allow but do not fix.
    pub order_unknown: Vec<Fact>,
    /// Enactments the theory does not explain.
    pub unexplained: Vec<Fact>,
    /// Windows that closed with nothing coupled.
    pub missed: Vec<Fact>,
}

impl Verdicts {
    /// The verdicts of an evaluated knowledge base; `None` when its rules do not name
    /// `policy_change` (they do not load the theory).
    pub fn of(kb: &mut KnowledgeBase) -> Result<Option<Verdicts>, Error> {
        if !has(kb, CHANGE) {
            return Ok(None);
        }
        let changes = facts(kb, CHANGE)?;
        let mut sources = kb.without_assumptions();
        let kept: Vec<String> = facts(&mut sources, CHANGE)?
            .iter()
            .map(ToString::to_string)
            .collect();
        let (from_sources, with_assumptions) = changes
            .into_iter()
            .partition(|f| kept.contains(&f.to_string()));
        Ok(Some(Verdicts {
            from_sources,
            with_assumptions,
            order_unknown: facts(kb, ORDER_UNKNOWN)?,
            unexplained: facts(kb, UNEXPLAINED)?,
            missed: facts(kb, MISSED)?,
        }))
    }

    /// The verdicts in one paragraph: the counts, and the changes whose order is unknown by
    /// name (`cooperation_center_initiative (2003)`).
    pub fn summary(&self) -> String {
        self.summary_named(&std::collections::BTreeMap::new())
    }

    /// [`Verdicts::summary`] with the changes named by the words `names` gives their symbols
    /// (a case's `display` names, for a page people read).
    pub fn summary_named(&self, names: &std::collections::BTreeMap<String, String>) -> String {
        let n = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        let mut out = format!(
            "{} explained from the sources' words, {} only with the modeller's assumptions",
            n(self.from_sources.len(), "change", "changes"),
            self.with_assumptions.len()
        );
        if self.order_unknown.is_empty() {
            out.push_str(", none in an order the dates do not fix");
        } else {
            let named: Vec<String> = self.order_unknown.iter().map(|f| named(f, names)).collect();
            out.push_str(&format!(
                ", {} in an order the dates do not fix ({})",
                self.order_unknown.len(),
                named.join(", ")
            ));
        }
        out.push_str(&format!(
            "; {} the theory does not explain; {} missed.",
            n(self.unexplained.len(), "enactment", "enactments"),
            n(self.missed.len(), "window", "windows")
        ));
        out
    }
}

/// `name (2003)`: a verdict's subject, by its name among `names` if it has one, and its
/// time.
fn named(f: &Fact, names: &std::collections::BTreeMap<String, String>) -> String {
    let subject = f.args.first().map(ToString::to_string).unwrap_or_default();
    let subject = names.get(&subject).cloned().unwrap_or(subject);
    match f.time {
        Some(t) => format!("{subject} ({t})"),
        None => subject,
    }
}

/// Whether the rules name a verdict predicate of one argument.
fn has(kb: &KnowledgeBase, pred: &str) -> bool {
    kb.predicates()
        .iter()
        .any(|p| p.name == pred && p.arity == 1)
}

/// The facts of a verdict, in time order then by text; none when the rules do not name it.
pub(crate) fn facts(kb: &mut KnowledgeBase, pred: &str) -> Result<Vec<Fact>, Error> {
    if !has(kb, pred) {
        return Ok(Vec::new());
    }
    let mut facts = kb.fact_data(Some(pred))?;
    facts.sort_by_cached_key(|f| (f.time, f.to_string()));
    Ok(facts)
}
