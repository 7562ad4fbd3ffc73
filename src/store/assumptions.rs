//! The modeller's assumptions: the stated facts and the rules marked `assumed`, listed for
//! the report; the stated facts nothing backs; and the store without what is assumed
//! (`without_assumed`, `without_assumptions`), for the robustness study.

use serde::Serialize;

use super::{Origin, PredId, Store};

/// A fact or rule the modeller marked `assumed`: an inference the sources do not state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assumption {
    /// The fact as written, or `rule NAME`.
    pub what: String,
    /// Where it is written (`file:line`).
    pub at: String,
    /// Why it is assumed, in the modeller's words.
    pub reason: String,
    /// Its note, if any.
    pub note: Option<String>,
}

/// Which stated fact or rule an assumption is, to take it away again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Assumed {
    /// A stated fact: its predicate and row.
    Fact(PredId, u32),
    /// A rule, by number.
    Rule(u32),
}

impl Store {
    /// The store without the modeller's assumptions: no stated fact and no rule marked
    /// `assumed`. What still holds in it holds on the sources' words alone.
    pub(crate) fn without_assumptions(&self) -> Store {
        self.without_assumed(&|_| true)
    }

    /// The store without the assumptions `drop` picks (by their place in
    /// [`Store::assumptions`]), the others kept: one removal of leave-one-out, or all.
    pub(crate) fn without_assumed(&self, drop: &dyn Fn(usize) -> bool) -> Store {
        let refs = self.assumed_refs();
        let dropped = |a: Assumed| refs.iter().position(|r| *r == a).is_some_and(drop);
        let mut sources = self.clone();
        sources.state = None;
        sources.compiled = None;
        for p in 0..self.stated.base.len() {
            let origins = &self.stated.origins[p];
            let assumed = |r: u32| origins.evidence(r).is_some_and(|e| e.assumed.is_some());
            if !(0..self.stated.base[p].len() as u32).any(assumed) {
                continue;
            }
            let (base, kept) = self.base_where(p, |r, _, _| {
                !(assumed(r) && dropped(Assumed::Fact(p as PredId, r)))
            });
            sources.stated.base[p] = base;
            sources.stated.origins[p] = kept;
        }
        let mut i = 0;
        sources.stated.program.rules.retain(|r| {
            let keep = crate::evidence::Evidence::of(&r.about).assumed.is_none()
                || !dropped(Assumed::Rule(i));
            i += 1;
            keep
        });
        sources
    }

    /// The assumptions in the order [`Store::assumptions`] lists them.
    fn assumed_refs(&self) -> Vec<Assumed> {
        self.assumed().into_iter().map(|(a, _)| a).collect()
    }

    /// The stated facts, then the rules, that are marked `assumed`, in the order stated.
    pub(crate) fn assumptions(&self) -> Vec<Assumption> {
        self.assumed().into_iter().map(|(_, a)| a).collect()
    }

    /// Each assumption with which fact or rule it is.
    fn assumed(&self) -> Vec<(Assumed, Assumption)> {
        let mut out = Vec::new();
        for (p, rel) in self.stated.base.iter().enumerate() {
            let origins = &self.stated.origins[p];
            for r in 0..rel.len() as u32 {
                // Only stated facts carry evidence: the rows without any are passed over
                // before their origin is looked up.
                let Some(evidence) = origins.evidence(r) else {
                    continue;
                };
                let (Some(reason), Origin::Stated { span, .. }) =
                    (&evidence.assumed, origins.get(r))
                else {
                    continue;
                };
                out.push((
                    span,
                    Assumed::Fact(p as PredId, r),
                    Assumption {
                        what: self.show_fact(p as PredId, rel.row(r), rel.time(r)),
                        at: self.stated.location(span).to_string(),
                        reason: reason.clone(),
                        note: evidence.note.clone(),
                    },
                ));
            }
        }
        out.sort_by_key(|(span, _, _)| (span.file, span.start));
        let mut facts: Vec<(Assumed, Assumption)> =
            out.into_iter().map(|(_, r, a)| (r, a)).collect();
        for (i, rule) in self.stated.program.rules.iter().enumerate() {
            let evidence = crate::evidence::Evidence::of(&rule.about);
            if let Some(reason) = evidence.assumed {
                facts.push((
                    Assumed::Rule(i as u32),
                    Assumption {
                        what: format!("rule {}", self.stated.rule_name(i as u32)),
                        at: self.stated.location(rule.span).to_string(),
                        reason,
                        note: evidence.note,
                    },
                ));
            }
        }
        facts
    }

    /// The stated facts that nothing backs (no quote, source or assumption), as written with
    /// their place; names for people and parameters aside.
    pub(crate) fn unbacked(&self) -> Vec<String> {
        let stated = &self.stated;
        let mut out = Vec::new();
        for (p, base) in stated.base.iter().enumerate() {
            let pred = p as PredId;
            // Names for people and parameters are read by the tools; `same_passage` kingdon
            // states itself, from the quotes.
            let name = stated.pred_name(pred);
            if crate::syntax::read_by_tools(name, base.arity())
                || name == super::passages::SAME_PASSAGE
            {
                continue;
            }
            for r in 0..base.len() as u32 {
                let Origin::Stated { span, .. } = stated.origins[p].get(r) else {
                    continue;
                };
                let backed = stated.origins[p]
                    .evidence(r)
                    .is_some_and(|e| e.kind() != crate::evidence::Kind::None);
                if !backed {
                    let fact = self.show_fact(pred, base.row(r), base.time(r));
                    out.push(format!("{fact} ({})", stated.location(span)));
                }
            }
        }
        out
    }
}
