//! The checker: what a parsed program means to say, validated before anything runs —
//! arity, ground facts, unique rule names, safety, stratification, lanes, and the lint
//! warnings (predicates used but never defined, defined but never used, singleton variables).
//! Its public face is checking without evaluating: [`check_files`] and [`check_text`].

mod body;
mod checked;
mod contract;
mod dot;
mod evidence;
pub(crate) mod kinds;
mod limits;
mod lints;
mod names;
mod stratify;
pub(crate) mod suggest;

pub(crate) use names::unknown_names;

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use crate::syntax::ast::{Atom, Expr, Literal, Rule, Statement};
use crate::syntax::{Code, Diagnostic, SourceMap, Span};
pub(crate) use body::{expand, MAX_ALTERNATIVES as ALTERNATIVES_LIMIT};
use body::{expr_vars, MAX_ALTERNATIVES};
pub use checked::{check_files, check_text, Checked};
pub(crate) use dot::dependency_dot;
pub(crate) use limits::MAX_ARITY;
pub(crate) use stratify::{Dep as Dependency, Graph as DependencyGraph};
#[cfg(feature = "cli")]
pub(crate) use suggest::nearest;

/// The names of an expression's variables, in order.
pub(crate) fn expr_var_names(e: &Expr, out: &mut Vec<String>) {
    let mut vars = Vec::new();
    expr_vars(e, &mut vars);
    out.extend(vars.into_iter().map(|v| v.name.clone()));
}

/// The names of a literal's variables (through `not`, aggregates and `or`), in order.
pub(crate) fn literal_var_names(l: &Literal, out: &mut Vec<String>) {
    let mut vars = Vec::new();
    body::literal_vars(l, &mut vars);
    out.extend(vars.into_iter().map(|v| v.name.clone()));
}
use stratify::{Dep, Graph};

/// A predicate as a program knows it: its number of arguments, and where that was first
/// given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Signature {
    /// Its number of arguments.
    pub(crate) arity: usize,
    /// Where it was first named.
    pub(crate) at: Span,
}

/// A checked program: the predicate table — every predicate named, with its arity and where
/// it was first named, its position its number — and the rules, in order. Only checked
/// statements reach it; a knowledge base keeps one, grown by each input it accepts, and
/// evaluation compiles its rules against its table.
#[derive(Clone, Debug, Default)]
pub(crate) struct Program {
    /// The predicate table.
    pub(crate) preds: IndexMap<String, Signature>,
    /// The rules, numbered by position.
    pub(crate) rules: Vec<Rule>,
}

impl Program {
    /// The number of a predicate, if it was ever named.
    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.preds.get_index_of(name)
    }
}

/// Checks a whole program — every statement of every file, includes already expanded, in
/// order — and returns its diagnostics sorted by file and position. When there is an error,
/// only errors are returned; the warnings come once the errors are fixed.
pub(crate) fn check(statements: &[Statement], sources: &SourceMap) -> Vec<Diagnostic> {
    check_parts(&IndexMap::new(), &[statements], sources, None).diagnostics
}

/// What checking a program found: its diagnostics, and the signature of every predicate it
/// names (where each was first named, for the tables of later checks).
pub(crate) struct Findings {
    /// The diagnostics, sorted by file and position.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Every predicate named, known ones included.
    pub(crate) signatures: IndexMap<String, Signature>,
}

/// [`check`] of several runs of statements taken in order as one program (what a knowledge
/// base holds, then a new input), without copying them, against a table of the predicates
/// known already (every predicate a knowledge base ever named, asked about included).
/// `cancel`, set by Ctrl-C, stops the checking of quotes (against documents of any size).
pub(crate) fn check_parts(
    known: &IndexMap<String, Signature>,
    parts: &[&[Statement]],
    sources: &SourceMap,
    cancel: Option<&std::sync::atomic::AtomicBool>,
) -> Findings {
    let preds = known
        .iter()
        .map(|(name, sig)| {
            let info = PredInfo {
                arity: sig.arity,
                arity_at: sig.at,
                defined: None,
                used: None,
                declared: None,
                mentioned: true,
            };
            (name.clone(), info)
        })
        .collect();
    let mut checker = Checker {
        sources,
        preds,
        lanes: HashMap::new(),
        pred_lanes: HashMap::new(),
        rule_names: HashMap::new(),
        rules: Vec::new(),
        name_only_uses: Vec::new(),
        diags: Vec::new(),
    };
    for s in parts.iter().copied().flatten() {
        checker.statement(s);
    }
    checker
        .diags
        .extend(evidence::verify(parts, sources, cancel));
    checker.diags.extend(contract::verify(parts, sources));
    let mut checked = checker.finish();
    if !checked.diagnostics.iter().any(Diagnostic::is_error) {
        let all: Vec<&Statement> = parts.iter().copied().flatten().collect();
        let new: Vec<&Statement> = parts.last().copied().unwrap_or_default().iter().collect();
        checked.diagnostics.extend(kinds::warnings(&all, &new));
        crate::syntax::in_order(&mut checked.diagnostics);
    }
    checked
}

/// How a statement mentions a predicate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Gives it facts, rules or input.
    Define,
    /// Reads it (a body, a query, a command).
    Use,
    /// Puts it in a lane.
    Declare,
    /// Names it hypothetically (`whatif assert`): known and used, but neither defined nor
    /// needing a definition.
    Mention,
}

/// What the checker knows of one predicate.
struct PredInfo {
    arity: usize,
    arity_at: Span,
    defined: Option<Span>,
    used: Option<Span>,
    declared: Option<Span>,
    mentioned: bool,
}

struct Checker<'a> {
    sources: &'a SourceMap,
    preds: IndexMap<String, PredInfo>,
    lanes: HashMap<String, Span>,
    pred_lanes: HashMap<String, (String, Span)>,
    rule_names: HashMap<String, Span>,
    rules: Vec<&'a Rule>,
    name_only_uses: Vec<(&'a str, Span)>,
    diags: Vec<Diagnostic>,
}

fn arguments(n: usize) -> String {
    match n {
        0 => "no arguments".to_string(),
        1 => "1 argument".to_string(),
        n => format!("{n} arguments"),
    }
}

impl<'a> Checker<'a> {
    fn mention(&mut self, name: &str, span: Span, arity: usize, role: Role) {
        if arity > MAX_ARITY {
            self.diags.push(
                Diagnostic::new(
                    Code::TooLarge,
                    span,
                    format!(
                        "`{name}` has {arity} arguments here; an atom may have at most {MAX_ARITY}"
                    ),
                )
                .with_hint("split the fact into several predicates that share a key"),
            );
            return;
        }
        let info = self.preds.entry(name.to_string()).or_insert(PredInfo {
            arity,
            arity_at: span,
            defined: None,
            used: None,
            declared: None,
            mentioned: false,
        });
        if info.arity != arity {
            let first = self.sources.location(info.arity_at);
            self.diags.push(
                Diagnostic::new(
                    Code::ArityMismatch,
                    span,
                    format!(
                        "arity mismatch: `{name}` has {} here but {} at {first}",
                        arguments(arity),
                        arguments(info.arity)
                    ),
                )
                .with_related(
                    info.arity_at,
                    format!("`{name}` with {}", arguments(info.arity)),
                )
                .with_hint(
                    "a predicate always takes the same number of arguments; \
                     if these are different things, give them different names",
                ),
            );
            return;
        }
        let slot = match role {
            Role::Define => &mut info.defined,
            Role::Use => &mut info.used,
            Role::Declare => &mut info.declared,
            Role::Mention => {
                info.mentioned = true;
                return;
            }
        };
        slot.get_or_insert(span);
    }

    fn mention_atom(&mut self, a: &Atom, role: Role) {
        self.mention(&a.pred.name, a.pred.span, a.args.len(), role);
    }

    /// Records every atom of a body as used, through `or`, `not` and aggregates.
    fn use_literals(&mut self, body: &[Literal]) {
        for literal in body {
            match literal {
                Literal::Atom(a) | Literal::Not(a, _) => self.mention_atom(a, Role::Use),
                Literal::Aggregate(agg) => self.use_literals(&agg.body),
                Literal::Or(alternatives, _) => {
                    alternatives.iter().for_each(|a| self.use_literals(a))
                }
                Literal::Compare(_) => {}
            }
        }
    }

    fn statement(&mut self, s: &'a Statement) {
        match s {
            Statement::Fact(f) => {
                self.mention_atom(&f.atom, Role::Define);
                self.ground(&f.atom, "fact");
            }
            Statement::Rule(r) => self.rule(r),
            Statement::Stream(d) => {
                if let Some(first_at) = self.lanes.insert(d.name.name.clone(), d.name.span) {
                    let first = self.sources.location(first_at);
                    self.diags.push(
                        Diagnostic::new(
                            Code::DuplicateLane,
                            d.name.span,
                            format!("the lane `{}` is already declared at {first}", d.name.name),
                        )
                        .with_related(first_at, "the lane's first declaration")
                        .with_hint("list all of a lane's predicates in one `stream` declaration"),
                    );
                }
                for p in &d.preds {
                    let arity = p.arity.unwrap_or(0) as usize;
                    self.mention(&p.name.name, p.name.span, arity, Role::Declare);
                    let lane = (d.name.name.clone(), p.span);
                    if let Some((other, at)) = self.pred_lanes.get(&p.name.name) {
                        if *other != d.name.name {
                            let place = self.sources.location(*at);
                            self.diags.push(Diagnostic::new(
                                Code::TwoLanes,
                                p.span,
                                format!(
                                    "`{}` is already in the lane `{other}` (at {place}); a predicate belongs to one lane",
                                    p.name.name
                                ),
                            ).with_related(*at, format!("`{}` in the lane `{other}`", p.name.name)).with_hint("remove it from one of the two `stream` declarations"));
                        }
                    } else {
                        self.pred_lanes.insert(p.name.name.clone(), lane);
                    }
                }
            }
            // Documents are checked with the quotes that cite them (`evidence::verify`).
            Statement::Document(_) => {}
            Statement::Input(d) => {
                let arity = d.pred.arity.unwrap_or(0) as usize;
                self.mention(&d.pred.name.name, d.pred.name.span, arity, Role::Define);
            }
            Statement::Output(d) => self.pred_ref_use(&d.pred.name.name, d.pred.span, d.pred.arity),
            Statement::Query(q) => {
                self.size(&q.body, std::iter::empty(), q.span);
                body::check_literals(&q.body, false, &mut self.diags);
                self.use_literals(&q.body);
                self.conjunctions(&q.body, q.span, None);
            }
            Statement::Why(w) => self.command_atom(&w.atom),
            Statement::WhyNot(w) => self.command_atom(&w.atom),
            Statement::Retract(r) => r.atoms.iter().for_each(|a| self.command_atom(a)),
            Statement::WhatIf(w) => {
                for change in &w.changes {
                    match change.kind {
                        crate::syntax::ast::ChangeKind::Assert => {
                            self.mention_atom(&change.atom, Role::Mention);
                            self.ground(&change.atom, "fact to assert");
                        }
                        crate::syntax::ast::ChangeKind::Retract => self.command_atom(&change.atom),
                    }
                }
                for p in &w.show {
                    self.pred_ref_use(&p.name.name, p.span, p.arity);
                }
            }
            Statement::Include(_) => {}
        }
    }

    fn pred_ref_use(&mut self, name: &'a str, span: Span, arity: Option<u32>) {
        match arity {
            Some(n) => self.mention(name, span, n as usize, Role::Use),
            None => self.name_only_uses.push((name, span)),
        }
    }

    /// The atom of `why`, `whynot`, `retract`: a pattern of variables and constants.
    fn command_atom(&mut self, a: &Atom) {
        self.mention_atom(a, Role::Use);
        a.args
            .iter()
            .for_each(|e| body::check_term(e, &mut self.diags));
        if let Some(t) = &a.time {
            body::check_condition_time(t, &mut self.diags);
        }
    }

    /// Facts (and asserted facts) hold constants only, and a time literal.
    fn ground(&mut self, a: &Atom, what: &str) {
        for e in &a.args {
            let problem = match e {
                Expr::Symbol(_) | Expr::Number(..) | Expr::Str(_) | Expr::Time(..) => continue,
                Expr::Var(v) => Diagnostic::new(
                    Code::NonGroundFact,
                    v.span,
                    format!("a {what} cannot contain the variable `{}`", v.name),
                )
                .with_hint(
                    "a fact states one thing; to derive facts from conditions, write a rule: `head :- conditions.`",
                ),
                Expr::Wildcard(span) => Diagnostic::new(
                    Code::NonGroundFact,
                    *span,
                    format!("a {what} cannot contain `_`"),
                )
                .with_hint("write the value the fact is about"),
                other => Diagnostic::new(
                    Code::NonGroundFact,
                    other.span(),
                    format!("the arguments of a {what} must be constants"),
                )
                .with_hint("compute values in a rule: `p(Y) :- q(X), Y = X + 1.`"),
            };
            self.diags.push(problem);
        }
        match &a.time {
            None | Some(Expr::Time(..)) => {}
            Some(other) => self.diags.push(
                Diagnostic::new(
                    Code::NonGroundFact,
                    other.span(),
                    format!("the time of a {what} must be a time such as `1992` or `2005-07`"),
                )
                .with_hint(
                    "a fact happens at one known time; times computed from others belong in rules",
                ),
            ),
        }
    }

    fn rule(&mut self, r: &'a Rule) {
        if let Some(name) = &r.name {
            if let Some(&first_at) = self.rule_names.get(&name.name) {
                let first = self.sources.location(first_at);
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateRuleName,
                        name.span,
                        format!("a rule named `{}` already exists at {first}", name.name),
                    )
                    .with_related(first_at, format!("the rule `{}`", name.name))
                    .with_hint("rule names must be unique; explanations refer to rules by name"),
                );
            } else {
                self.rule_names.insert(name.name.clone(), name.span);
            }
        }
        self.mention_atom(&r.head, Role::Define);
        let mut head_names = Vec::new();
        r.head
            .args
            .iter()
            .chain(&r.head.time)
            .for_each(|e| expr_vars(e, &mut head_names));
        self.size(&r.body, head_names.iter().map(|v| v.name.as_str()), r.span);
        for e in r.head.args.iter().chain(&r.head.time) {
            body::check_calls(e, &mut self.diags);
        }
        body::check_literals(&r.body, false, &mut self.diags);
        self.use_literals(&r.body);
        self.conjunctions(&r.body, r.span, Some(&r.head));
        let mut head_vars = Vec::new();
        r.head
            .args
            .iter()
            .chain(&r.head.time)
            .for_each(|e| expr_vars(e, &mut head_vars));
        self.diags.extend(body::singletons(head_vars, &r.body));
        self.rules.push(r);
    }

    /// Expands `or` and checks the safety of each conjunction (and of the head, for a rule).
    fn conjunctions(&mut self, body: &[Literal], span: Span, head: Option<&Atom>) {
        let Some(conjunctions) = body::expand(body, MAX_ALTERNATIVES) else {
            self.diags.push(
                Diagnostic::new(
                    Code::TooManyAlternatives,
                    span,
                    format!("the `or`s of this statement expand into more than {MAX_ALTERNATIVES} alternatives"),
                )
                .with_hint("define the alternatives as predicates of their own"),
            );
            return;
        };
        let mut reported = HashSet::new();
        let mut head_vars = Vec::new();
        if let Some(head) = head {
            head.args
                .iter()
                .chain(&head.time)
                .for_each(|e| expr_vars(e, &mut head_vars));
        }
        let head_names: Vec<&str> = head_vars.iter().map(|v| v.name.as_str()).collect();
        for conj in conjunctions {
            let bound = body::check_safety(
                &conj,
                &HashSet::new(),
                &head_names,
                &mut reported,
                &mut self.diags,
            );
            let Some(head) = head else { continue };
            for e in head.args.iter().chain(&head.time) {
                if let Expr::Wildcard(span) = e {
                    if reported.insert((span.start, span.end)) {
                        self.diags.push(
                            Diagnostic::new(Code::UnsafeHeadVariable, *span, "`_` cannot stand in the head of a rule")
                                .with_hint("a derived fact needs every value: name a variable bound by the body"),
                        );
                    }
                }
                let mut vars = Vec::new();
                expr_vars(e, &mut vars);
                for v in vars {
                    if !bound.contains(v.name.as_str())
                        && reported.insert((v.span.start, v.span.end))
                    {
                        self.diags.push(
                            Diagnostic::new(
                                Code::UnsafeHeadVariable,
                                v.span,
                                format!("the variable `{}` in the head is not bound by the body", v.name),
                            )
                            .with_hint(format!(
                                "every head variable must appear in a positive condition of the body (not under `not`){}",
                                if conj.len() < body.len() { " in each alternative" } else { "" }
                            )),
                        );
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Findings {
        self.stratify();
        // Errors alone when there is one (an unbound variable is also a singleton).
        if !self.diags.iter().any(Diagnostic::is_error) {
            self.lints();
        }
        let mut diagnostics = self.diags;
        crate::syntax::in_order(&mut diagnostics);
        let signatures = self
            .preds
            .into_iter()
            .map(|(name, p)| {
                let sig = Signature {
                    arity: p.arity,
                    at: p.arity_at,
                };
                (name, sig)
            })
            .collect();
        Findings {
            diagnostics,
            signatures,
        }
    }

    /// Rejects negation and aggregates inside recursive cycles, naming the cycle.
    fn stratify(&mut self) {
        let mut graph = Graph::default();
        let index = |name: &str| self.preds.get_index_of(name);
        let mut culprits = Vec::new();
        for r in &self.rules {
            let Some(head) = index(&r.head.pred.name) else {
                continue;
            };
            let mut deps = Vec::new();
            collect_deps(&r.body, None, &mut deps);
            for (atom, dep, span) in deps {
                if let Some(body) = index(&atom.pred.name) {
                    graph.add(head, body, dep);
                    if dep != Dep::Positive {
                        culprits.push((head, body, dep, span));
                    }
                }
            }
        }
        let comp = graph.components(self.preds.len());
        let names: Vec<&str> = self.preds.keys().map(String::as_str).collect();
        for (head, body, dep, span) in culprits {
            if comp[head] != comp[body] {
                continue;
            }
            let cycle = format!(
                "{} -> {}{}",
                names[head],
                match dep {
                    Dep::Negative => format!("not {}", names[body]),
                    Dep::Aggregate(f) => format!("{f} {}", names[body]),
                    Dep::Positive => names[body].to_string(),
                },
                graph.path_text(body, head, &comp, &names)
            );
            let (code, what) = match dep {
                Dep::Negative => (Code::NegationCycle, "negation"),
                _ => (Code::AggregateCycle, "an aggregate"),
            };
            let verb = if code == Code::NegationCycle {
                "negated"
            } else {
                "aggregated"
            };
            let hint = if head == body {
                format!(
                    "`{}` cannot be defined through its own {}; define it from other predicates",
                    names[head],
                    if code == Code::NegationCycle {
                        "negation"
                    } else {
                        "aggregate"
                    }
                )
            } else {
                format!(
                    "`{}` must be fully derived before it is {verb}; break the cycle so that `{}` does not depend on `{}`",
                    names[body], names[body], names[head]
                )
            };
            self.diags.push(
                Diagnostic::new(
                    code,
                    span,
                    format!("{what} inside a recursive cycle: {cycle}"),
                )
                .with_hint(hint),
            );
        }
    }
}

/// The atoms a body depends on, each with how (and the literal's span for reports).
fn collect_deps<'b>(
    body: &'b [Literal],
    inside: Option<&'static str>,
    out: &mut Vec<(&'b Atom, Dep, Span)>,
) {
    for literal in body {
        match literal {
            Literal::Atom(a) => {
                let dep = inside.map_or(Dep::Positive, Dep::Aggregate);
                out.push((a, dep, a.span));
            }
            Literal::Not(a, span) => {
                let dep = inside.map_or(Dep::Negative, Dep::Aggregate);
                out.push((a, dep, *span));
            }
            Literal::Aggregate(agg) => {
                let mut inner = Vec::new();
                collect_deps(&agg.body, Some(agg.func.keyword()), &mut inner);
                out.extend(inner.into_iter().map(|(a, dep, _)| (a, dep, agg.span)));
            }
            Literal::Or(alternatives, _) => alternatives
                .iter()
                .for_each(|a| collect_deps(a, inside, out)),
            Literal::Compare(_) => {}
        }
    }
}
