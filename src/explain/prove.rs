//! Rebuilding proofs from provenance. A derived row records its rule and the step at which it
//! first appeared; the evaluator's search ([`Derivations`]) finds the match of that rule,
//! among rows of earlier steps, whose premises appeared earliest (the shortest derivation).
//! Proofs are built with a worklist, never by recursion, so a chain a thousand facts deep is
//! no deeper on the stack than one fact.

use std::collections::HashMap;

use super::{How, Location, Node, Pattern, Premise, Proof, Term};
use crate::eval::search::{self, Condition, Inner, Searches};
use crate::eval::value::{Interner, Value};
use crate::evidence::Evidence;
use crate::store::{Evaluated, FactRef, Origin, Stated};
use crate::syntax::{Code, Diagnostic, Span};

/// How many facts of an aggregate a proof lists.
const AGGREGATED: usize = 20;

/// The proofs of the given facts, sharing sub-proofs.
pub(crate) fn prove(view: &mut Evaluated<'_>, facts: &[FactRef]) -> Result<Proof, Diagnostic> {
    if !view.options.limits.provenance {
        return Err(Diagnostic::new(
            Code::NotAllowedHere,
            Span::default(),
            "explanations need provenance, which this knowledge base does not keep",
        ));
    }
    let (stated, limit) = (view.stated, view.options.limits.max_explain_depth);
    let mut builder = Builder::default();
    let roots: Vec<usize> = facts.iter().map(|f| builder.node(view, *f)).collect();
    for root in &roots {
        builder.depth[*root] = 0;
    }
    let mut searches = Searches::default();
    let cancel = view.options.limits.cancel.clone();
    while let Some((id, fact)) = builder.todo.pop() {
        // Ctrl-C stops an explanation as it stops an evaluation.
        if cancel
            .as_ref()
            .is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed))
        {
            return Err(stated.stop_diagnostic(crate::eval::stop::Stop::Cancelled, Span::default()));
        }
        builder.current = builder.depth[id];
        if builder.current > limit {
            return Err(Diagnostic::new(
                Code::TooDeepExplanation,
                Span::default(),
                format!(
                    "the proof goes more than {limit} levels deep (down to {})",
                    builder.nodes[id].fact
                ),
            )
            .with_hint(
                "ask about a fact nearer the base facts, or raise the limit (`Limits::max_explain_depth`)",
            ));
        }
        let rules = &view.compiled.rules;
        // Only a stated fact carries evidence (a derived row's number is past the stated
        // ones of its predicate).
        let origins = &stated.origins;
        let assumed = |(pred, row): FactRef| {
            origins
                .get(pred as usize)
                .and_then(|o| o.evidence(row))
                .is_some_and(|e| e.assumed.is_some())
        };
        let derivation = search::derivation(
            view.rels,
            view.interner,
            rules,
            &mut searches,
            fact,
            &assumed,
        )
        .map_err(|stop| stated.stop_diagnostic(stop, Span::default()))?;
        {
            let how = match derivation {
                None if view.rels[fact.0 as usize].rule(fact.1).is_some() => {
                    return Err(Diagnostic::new(
                        Code::NotAllowedHere,
                        Span::default(),
                        "internal: no derivation found for a derived fact",
                    ))
                }
                None => stated_how(stated, fact),
                Some(d) => {
                    let r = &stated.program.rules[d.rule as usize];
                    let premises = d
                        .conditions
                        .into_iter()
                        .map(|c| builder.premise(view, c))
                        .collect();
                    How::Derived {
                        rule: stated.rule_name(d.rule),
                        at: stated.location(r.span),
                        evidence: Evidence::of(&r.about),
                        premises,
                    }
                }
            };
            builder.nodes[id].how = how;
        }
    }
    let names = view.display_names(builder.nodes.iter().flat_map(|n| &n.fact.args));
    Ok(Proof {
        roots,
        nodes: builder.nodes,
        names,
    })
}

/// Where a base fact was stated or read.
fn stated_how(stated: &Stated, (pred, row): FactRef) -> How {
    match stated.origins[pred as usize].get(row) {
        Origin::Stated { span, evidence } => How::Stated {
            at: stated.location(span),
            evidence,
        },
        Origin::Input { file, line } => How::Input {
            at: Location { file, line },
        },
    }
}

/// A pattern of the search as explanations show it.
pub(crate) fn pattern(stated: &Stated, interner: &Interner, p: &search::Pattern) -> Pattern {
    let term = |t: &search::Term| match t {
        search::Term::Value(v) => Term::Value(interner.get(*v).into_owned()),
        search::Term::Var(name) => Term::Var(name.clone()),
        search::Term::Any => Term::Any,
        search::Term::Within(t) => Term::Value(crate::eval::Const::Time(*t)),
    };
    Pattern {
        pred: stated.pred_name(p.pred).to_string(),
        args: p.args.iter().map(term).collect(),
        time: p.time.as_ref().map(term),
    }
}

/// The conditions inside an aggregate's braces, as the language writes them.
pub(crate) fn inner_conditions(
    stated: &Stated,
    interner: &Interner,
    inner: &[Inner],
) -> Vec<String> {
    inner
        .iter()
        .map(|c| match c {
            Inner::Atom(p) => pattern(stated, interner, p).to_string(),
            Inner::Not(p) => format!("not {}", pattern(stated, interner, p)),
            Inner::Other => "…".to_string(),
        })
        .collect()
}

/// The arena of a proof under construction.
#[derive(Default)]
struct Builder {
    nodes: Vec<Node>,
    /// How far below a root each node was first reached.
    depth: Vec<usize>,
    /// The depth of the node being explained.
    current: usize,
    ids: HashMap<FactRef, usize>,
    todo: Vec<(usize, FactRef)>,
}

impl Builder {
    /// The node of a fact, created (and queued for explaining) on first sight.
    fn node(&mut self, view: &Evaluated<'_>, fact: FactRef) -> usize {
        if let Some(id) = self.ids.get(&fact) {
            return *id;
        }
        let id = self.nodes.len();
        self.depth.push(self.current + 1);
        self.nodes.push(Node {
            fact: view.fact(fact),
            lane: view.stated.lane_of(fact.0),
            how: How::Input {
                at: Location {
                    file: String::new(),
                    line: 0,
                },
            },
            row: fact,
        });
        self.ids.insert(fact, id);
        self.todo.push((id, fact));
        id
    }

    /// A condition of a derivation as a premise: facts become nodes.
    fn premise(&mut self, view: &Evaluated<'_>, c: Condition) -> Premise {
        let value = |v: Option<Value>| v.map(|v| view.value(v).into_owned());
        match c {
            Condition::Atom {
                pattern: p,
                row: Some(row),
            } => Premise::Fact {
                node: self.node(view, (p.pred, row)),
            },
            Condition::Atom { pattern: p, .. } | Condition::Not(p) => Premise::Absent {
                atom: pattern(view.stated, view.interner, &p),
            },
            Condition::Compare { op, left, right } => Premise::Comparison {
                left: value(left),
                op,
                right: value(right),
            },
            Condition::Aggregate {
                func,
                target,
                inner,
                result,
                facts,
                ..
            } => Premise::Aggregate {
                func,
                target,
                conditions: inner_conditions(view.stated, view.interner, &inner),
                result: result.map_or(crate::eval::Const::Int(0), |v| view.value(v).into_owned()),
                more: facts.len().saturating_sub(AGGREGATED),
                facts: facts
                    .into_iter()
                    .take(AGGREGATED)
                    .map(|f| self.node(view, f))
                    .collect(),
            },
        }
    }
}
