//! Rebuilding proofs from provenance. A derived row records its rule and the step at which it
//! first appeared; its proof is found by running that rule's body with the head's values bound
//! and only rows of earlier steps allowed, choosing the match whose premises appeared earliest
//! (the shortest derivation). Proofs are built with a worklist, never by recursion, so a chain
//! a thousand facts deep is no deeper on the stack than one fact.

use std::collections::HashMap;
use std::rc::Rc;

use super::{How, Location, Node, Pattern, Premise, Proof, Term as Shown};
use crate::eval::exec::Exec;
use crate::eval::expr::{eval_expr, head_time};
use crate::eval::plan::{
    self, AtomLit, ExprPlan, HeadTime, Lit, PredId, Reg, RulePlan, Source, Term,
};
use crate::eval::stop::Stop;
use crate::eval::value::Value;
use crate::store::{Evaluated, FactRef, Origin};
use crate::syntax::{Code, Diagnostic, Span};

/// How many matches of a rule body a proof search compares before settling.
const CANDIDATES: usize = 64;

/// How many facts of an aggregate a proof lists.
const AGGREGATED: usize = 20;

/// The proofs of the given facts, sharing sub-proofs.
pub(crate) fn prove(view: &mut Evaluated<'_>, facts: &[FactRef]) -> Result<Proof, Diagnostic> {
    Prover { view }.prove(facts)
}

/// A proof search over an evaluated store.
struct Prover<'v, 'a> {
    view: &'v mut Evaluated<'a>,
}

impl Prover<'_, '_> {
    fn prove(&mut self, facts: &[FactRef]) -> Result<Proof, Diagnostic> {
        if !self.view.options.limits.provenance {
            return Err(Diagnostic::new(
                Code::NotAllowedHere,
                Span::default(),
                "explanations need provenance, which this knowledge base does not keep",
            ));
        }
        let mut builder = Builder::default();
        let roots: Vec<usize> = facts.iter().map(|f| builder.node(self.view, *f)).collect();
        for root in &roots {
            builder.depth[*root] = 0;
        }
        let limit = self.view.options.limits.max_explain_depth;
        while let Some((id, fact)) = builder.todo.pop() {
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
                .with_hint("ask about a fact nearer the base facts, or raise the limit with --max-explain-depth"));
            }
            let how = self.how(fact, &mut builder)?;
            builder.nodes[id].how = how;
        }
        Ok(Proof {
            roots,
            nodes: builder.nodes,
        })
    }

    /// Why one fact holds: where it was stated, or the rule and premises of its derivation.
    fn how(&mut self, (pred, row): FactRef, builder: &mut Builder) -> Result<How, Diagnostic> {
        let rel = &self.view.rels[pred as usize];
        let Some(rule) = rel.rule(row) else {
            return Ok(match self.view.stated.origins[pred as usize].get(row) {
                Origin::Stated { span, note, source } => How::Stated {
                    at: self.view.stated.location(span),
                    note,
                    source,
                },
                Origin::Input { file, line } => How::Input {
                    at: Location { file, line },
                },
            });
        };
        let step = rel.step(row);
        let (alternative, regs) = self.derivation(pred, row, rule, step, builder)?;
        let shape = builder.searches[&alternative].shape.clone();
        let premises = self.premises(&shape, &regs, step, builder)?;
        let stated = self.view.stated;
        let r = &stated.rules[rule as usize];
        Ok(How::Derived {
            rule: stated.rule_name(rule),
            at: stated.location(r.span),
            note: r.note.as_ref().map(|n| n.value.clone()),
            source: r.source.as_ref().map(|n| n.value.clone()),
            premises,
        })
    }

    /// The derivation of a row by `rule` whose premises appeared earliest: the number of the
    /// rule alternative (in the compiled rules) and the registers of the match.
    fn derivation(
        &mut self,
        pred: PredId,
        row: u32,
        rule: u32,
        step: u32,
        builder: &mut Builder,
    ) -> Result<(usize, Vec<Value>), Diagnostic> {
        let compiled = self.view.compiled;
        let args: Vec<Value> = self.view.rels[pred as usize].row(row).to_vec();
        let time = self.view.rels[pred as usize].time(row);
        let mut best: Option<(u32, usize, Vec<Value>)> = None;
        let alternatives = compiled
            .rules
            .iter()
            .enumerate()
            .filter(|(_, p)| p.rule == rule && p.head == pred);
        for (index, alternative) in alternatives {
            let search = builder
                .searches
                .entry(index)
                .or_insert_with(|| Search::new(alternative, self.view.rels));
            let mut regs = vec![Value::NONE; search.registers];
            for (e, v) in alternative.head_args.iter().zip(&args) {
                if let ExprPlan::Var(r) = e {
                    regs[*r as usize] = *v;
                }
            }
            if let HeadTime::Explicit(ExprPlan::Var(r)) = &alternative.head_time {
                regs[*r as usize] = time;
            }
            let mut candidates: Vec<(u32, Vec<Value>)> = Vec::new();
            let mut exec =
                Exec::new(self.view.rels, &[], &[], self.view.interner, None).before_step(step);
            let atoms = &search.atoms;
            let mut sink = |exec: &mut Exec<'_>, found: &[Value]| -> Result<(), Stop> {
                // The head computed from this match must be the fact explained.
                for (e, want) in alternative.head_args.iter().zip(&args) {
                    if eval_expr(exec.interner, e, found, alternative.span)? != Some(*want) {
                        return Ok(());
                    }
                }
                if head_time(
                    exec.interner,
                    &alternative.head_time,
                    found,
                    alternative.span,
                )? != Some(time)
                {
                    return Ok(());
                }
                let latest = atoms
                    .iter()
                    .map(|(p, r)| exec.rels[*p as usize].step(found[*r as usize].0))
                    .max()
                    .unwrap_or(0);
                candidates.push((latest, found.to_vec()));
                if candidates.len() >= CANDIDATES {
                    return Err(Stop::Enough);
                }
                Ok(())
            };
            match exec.run(&search.steps, &mut regs, &mut sink) {
                Ok(()) | Err(Stop::Enough) => {}
                Err(other) => {
                    let span = alternative.span;
                    return Err(self.view.stated.stop_diagnostic(other, span));
                }
            }
            if let Some((latest, found)) = candidates.into_iter().min_by_key(|(latest, _)| *latest)
            {
                if best.as_ref().is_none_or(|(b, _, _)| latest < *b) {
                    best = Some((latest, index, found));
                }
            }
        }
        best.map(|(_, index, regs)| (index, regs)).ok_or_else(|| {
            Diagnostic::new(
                Code::NotAllowedHere,
                Span::default(),
                "internal: no derivation found for a derived fact",
            )
        })
    }

    /// The premises of a derivation, in the order the rule states its conditions.
    fn premises(
        &mut self,
        plan: &Shape,
        regs: &[Value],
        step: u32,
        builder: &mut Builder,
    ) -> Result<Vec<Premise>, Diagnostic> {
        let mut premises = Vec::with_capacity(plan.body.len());
        for (k, lit) in plan.body.iter().enumerate() {
            let premise = match lit {
                Lit::Atom(a) => {
                    let row = regs[plan.regs + k].0;
                    Premise::Fact {
                        node: builder.node(self.view, (a.pred, row)),
                    }
                }
                Lit::Not(a) => Premise::Absent {
                    atom: pattern(self.view, a, regs, &plan.names),
                },
                Lit::Cmp(op, l, r, span, _) => {
                    let interner = &mut *self.view.interner;
                    let mut value = |e: &ExprPlan| match eval_expr(interner, e, regs, *span) {
                        Ok(Some(v)) => Some(interner.get(v).clone()),
                        _ => None,
                    };
                    Premise::Comparison {
                        left: value(l),
                        op: *op,
                        right: value(r),
                    }
                }
                Lit::Agg(agg) => {
                    let (facts, more) = self.aggregated(agg, regs, step, builder)?;
                    // Inside the braces, only the group-by variables have one value.
                    let mut inner_regs = regs.to_vec();
                    for r in &agg.inner {
                        if !agg.group.contains(r) {
                            inner_regs[*r as usize] = Value::NONE;
                        }
                    }
                    let inner: Vec<String> = agg
                        .body
                        .iter()
                        .map(|l| match l {
                            Lit::Atom(a) => instantiate(self.view, a, &inner_regs, &plan.names),
                            Lit::Not(a) => {
                                format!(
                                    "not {}",
                                    instantiate(self.view, a, &inner_regs, &plan.names)
                                )
                            }
                            _ => "…".to_string(),
                        })
                        .collect();
                    Premise::Aggregate {
                        func: agg.func,
                        target: agg.target.map(|t| self.register_name(plan, t)),
                        conditions: inner,
                        result: self.view.value(regs[agg.result as usize]).clone(),
                        facts,
                        more,
                    }
                }
            };
            premises.push(premise);
        }
        Ok(premises)
    }

    /// The facts an aggregate ranged over under the derivation's bindings.
    fn aggregated(
        &mut self,
        agg: &plan::AggLit,
        regs: &[Value],
        step: u32,
        builder: &mut Builder,
    ) -> Result<(Vec<usize>, usize), Diagnostic> {
        let n = agg.body.len();
        let base = regs.len();
        let mut registers = regs.to_vec();
        registers.extend(std::iter::repeat_n(Value::NONE, 2 * n + 1));
        let mut bound: Vec<bool> = (0..registers.len())
            .map(|i| i < base && registers[i].is_some())
            .collect();
        for r in &agg.inner {
            if !agg.group.contains(r) {
                bound[*r as usize] = false;
            }
        }
        let time_regs: Vec<Reg> = (0..n).map(|k| (base + k) as Reg).collect();
        let row_regs: Vec<Reg> = (0..n).map(|k| (base + n + k) as Reg).collect();
        let scratch = (base + 2 * n) as Reg;
        let (steps, atoms) = search_plan(
            &agg.body,
            &mut bound,
            &time_regs,
            scratch,
            &row_regs,
            self.view.rels,
        );
        let mut facts: Vec<FactRef> = Vec::new();
        {
            let mut exec =
                Exec::new(self.view.rels, &[], &[], self.view.interner, None).before_step(step);
            let mut sink = |_: &mut Exec<'_>, found: &[Value]| -> Result<(), Stop> {
                for (p, r) in &atoms {
                    let fact = (*p, found[*r as usize].0);
                    if !facts.contains(&fact) {
                        facts.push(fact);
                    }
                }
                Ok(())
            };
            if let Err(stop) = exec.run(&steps, &mut registers, &mut sink) {
                return Err(self.view.stated.stop_diagnostic(stop, agg.span));
            }
        }
        let more = facts.len().saturating_sub(AGGREGATED);
        let nodes = facts
            .into_iter()
            .take(AGGREGATED)
            .map(|f| builder.node(self.view, f))
            .collect();
        Ok((nodes, more))
    }

    fn register_name(&self, plan: &Shape, r: Reg) -> String {
        plan.names.get(r as usize).cloned().unwrap_or_default()
    }
}

/// An atom with the values of its bound variables (`member(P, red)` → `member(ann, red)`);
/// an unbound variable keeps its name from `names`, or shows as `_`.
pub(crate) fn pattern(
    view: &Evaluated<'_>,
    a: &AtomLit,
    regs: &[Value],
    names: &[String],
) -> Pattern {
    let show = |t: &Term| match t {
        Term::Const(v) => Shown::Value(view.value(*v).clone()),
        Term::Var(r) if regs.get(*r as usize).is_some_and(|v| v.is_some()) => {
            Shown::Value(view.value(regs[*r as usize]).clone())
        }
        Term::Var(r) => names
            .get(*r as usize)
            .map_or(Shown::Any, |n| Shown::Var(n.clone())),
        Term::Wild => Shown::Any,
    };
    Pattern {
        pred: view.stated.pred_name(a.pred).to_string(),
        args: a.args.iter().map(show).collect(),
        time: a.time.as_ref().map(show),
    }
}

/// [`pattern`] as the language writes it.
pub(crate) fn instantiate(
    view: &Evaluated<'_>,
    a: &AtomLit,
    regs: &[Value],
    names: &[String],
) -> String {
    pattern(view, a, regs, names).to_string()
}

/// A body planned to search complete relations (smaller relations first on ties), each atom
/// recording its row; returns the steps and each positive atom's predicate and row register.
fn search_plan(
    body: &[Lit],
    bound: &mut Vec<bool>,
    time_regs: &[Reg],
    scratch: Reg,
    row_regs: &[Reg],
    rels: &mut [crate::eval::relation::Relation],
) -> (Vec<plan::Step>, Vec<(PredId, Reg)>) {
    let sizes = |p: PredId| rels[p as usize].len();
    let mut steps = plan::plan_with_rows(
        body,
        bound,
        None,
        &|_, _| Source::All,
        time_regs,
        scratch,
        Some(row_regs),
        Some(&sizes),
    );
    plan::resolve(&mut steps, &mut |p, cols| {
        rels[p as usize].ensure_lookup(cols)
    });
    let atoms = body
        .iter()
        .enumerate()
        .filter_map(|(k, l)| match l {
            Lit::Atom(a) => Some((a.pred, row_regs[k])),
            _ => None,
        })
        .collect();
    (steps, atoms)
}

/// The parts of a rule alternative that its premises are read from.
struct Shape {
    body: Vec<Lit>,
    names: Vec<String>,
    regs: usize,
}

/// The planned search for the derivations of one rule alternative, with the head's
/// variables bound: planned once per proof, run once per fact.
struct Search {
    steps: Vec<plan::Step>,
    registers: usize,
    /// What the premises are read from.
    shape: Rc<Shape>,
    /// Each positive atom's predicate and the register of its matched row.
    atoms: Vec<(PredId, Reg)>,
}

impl Search {
    fn new(alternative: &RulePlan, rels: &mut [crate::eval::relation::Relation]) -> Search {
        let registers = alternative.regs + alternative.body.len();
        let mut bound = vec![false; registers];
        for e in &alternative.head_args {
            if let ExprPlan::Var(r) = e {
                bound[*r as usize] = true;
            }
        }
        if let HeadTime::Explicit(ExprPlan::Var(r)) = &alternative.head_time {
            bound[*r as usize] = true;
        }
        let n = alternative.body.len();
        let time_regs: Vec<Reg> = (0..n)
            .map(|k| (alternative.regs - n - 1 + k) as Reg)
            .collect();
        let row_regs: Vec<Reg> = (0..n).map(|k| (alternative.regs + k) as Reg).collect();
        let scratch = (alternative.regs - 1) as Reg;
        let (steps, atoms) = search_plan(
            &alternative.body,
            &mut bound,
            &time_regs,
            scratch,
            &row_regs,
            rels,
        );
        let shape = Rc::new(Shape {
            body: alternative.body.clone(),
            names: alternative.names.clone(),
            regs: alternative.regs,
        });
        Search {
            steps,
            registers,
            shape,
            atoms,
        }
    }
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
    searches: HashMap<usize, Search>,
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
}
