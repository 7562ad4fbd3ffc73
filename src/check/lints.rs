//! The warnings about a whole program: lanes that name unknown predicates, predicates used
//! and never given facts (W101), predicates given facts and never used (W102).

use super::*;

impl Checker<'_> {
    /// Unknown lane members, and the warnings about undefined and unused predicates.
    pub(super) fn lints(&mut self) {
        // A predicate an `output` names by name alone is used (it was said to be unused).
        for &(name, span) in &self.name_only_uses {
            if let Some(p) = self.preds.get_mut(name) {
                p.used.get_or_insert(span);
            }
        }
        let known: Vec<&str> = self
            .preds
            .iter()
            .filter(|(_, p)| p.defined.is_some() || p.declared.is_some())
            .map(|(n, _)| n.as_str())
            .collect();
        let suggest = |name: &str| {
            suggest::nearest(name, known.iter().copied()).map(|n| format!("did you mean `{n}`?"))
        };
        // The predicates rules read or lanes declare: what a misspelt fact meant to state.
        let read: Vec<&str> = self
            .preds
            .iter()
            .filter(|(_, p)| p.used.is_some() || p.declared.is_some())
            .map(|(n, _)| n.as_str())
            .collect();
        let mut found = Vec::new();
        for (name, p) in &self.preds {
            let shown = format!("{name}/{}", p.arity);
            if let Some(at) = p.declared {
                if p.defined.is_none() && p.used.is_none() && !p.mentioned {
                    let others = self
                        .preds
                        .iter()
                        .filter(|(_, q)| q.defined.is_some() || q.used.is_some())
                        .map(|(n, _)| n.as_str());
                    let mut d = Diagnostic::new(
                        Code::UnknownStreamPredicate,
                        at,
                        format!("the lane names `{shown}`, which no fact, rule or query mentions"),
                    );
                    d = match suggest::nearest(name, others) {
                        Some(n) => d.with_hint(format!("did you mean `{n}`?")),
                        None => d.with_hint(
                            "check the spelling, or remove it from the `stream` declaration",
                        ),
                    };
                    found.push(d);
                }
                continue;
            }
            if let (Some(at), None) = (p.used, p.defined) {
                let d = Diagnostic::new(
                    Code::UndefinedPredicate,
                    at,
                    format!(
                        "`{shown}` is used but has no facts, rules or input, so it never holds"
                    ),
                );
                found.push(match suggest(name) {
                    Some(hint) => d.with_hint(hint),
                    None => d.with_hint(format!(
                        "state facts of `{name}`, or declare it in a lane if the case supplies it"
                    )),
                });
            }
            let display = crate::syntax::read_by_tools(name, p.arity);
            if let (Some(at), None, false, false) = (p.defined, p.used, p.mentioned, display) {
                let near = suggest::nearest(name, read.iter().copied().filter(|n| n != name));
                found.push(
                    Diagnostic::new(
                        Code::UnusedPredicate,
                        at,
                        format!("`{shown}` has facts or rules but nothing uses it"),
                    )
                    .with_hint(match near {
                        Some(n) => format!("did you mean `{n}`, which the rules read?"),
                        None => {
                            "use it in a rule or a query, or show it in a lane with `stream`".into()
                        }
                    }),
                );
            }
        }
        for (name, span) in std::mem::take(&mut self.name_only_uses) {
            if !self.preds.contains_key(name) {
                let d = Diagnostic::new(
                    Code::UndefinedPredicate,
                    span,
                    format!("`{name}` is named but has no facts, rules or input"),
                );
                found.push(match suggest(name) {
                    Some(hint) => d.with_hint(hint),
                    None => d,
                });
            }
        }
        self.diags.extend(found);
    }
}
