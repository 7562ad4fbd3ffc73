//! A naive reference evaluator, for tests only. It shares nothing with the engine but the
//! value semantics (comparisons, arithmetic): facts are plain sets of constants, a body is
//! matched by substitution one literal at a time, and each level of predicates is iterated
//! naively until nothing changes. The property test at the end checks that the engine
//! derives exactly the same facts on random programs with recursion, negation, comparisons,
//! aggregates and times.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::value::{binary, call, negate, Const};
use crate::syntax::ast::{AggFunc, Atom, BinOp, CmpOp, Expr, Literal, Rule, Statement};
use crate::value::Time;

/// A fact: arguments and time.
type Fact = (Vec<Const>, Option<Time>);

#[derive(Clone, Default)]
struct Binding {
    vars: HashMap<String, Const>,
    times: Vec<Time>,
}

fn constant(e: &Expr) -> Const {
    match e {
        Expr::Symbol(s) => Const::Sym(s.name.as_str().into()),
        Expr::Str(s) => Const::Str(s.value.as_str().into()),
        Expr::Number(n, _) => Const::number(*n),
        Expr::Time(t, _) => Const::Time(*t),
        other => panic!("not a constant: {other:?}"),
    }
}

fn as_time(c: &Const) -> Option<Time> {
    match c {
        Const::Time(t) => Some(*t),
        Const::Int(y) => Time::from_year(*y),
        _ => None,
    }
}

fn eval(e: &Expr, b: &Binding) -> Option<Const> {
    match e {
        Expr::Var(v) => b.vars.get(&v.name).cloned(),
        Expr::Binary(x) => binary(x.op, &eval(&x.lhs, b)?, &eval(&x.rhs, b)?).ok()?,
        Expr::Neg(x, _) => negate(&eval(x, b)?).ok()?,
        Expr::Call(c) => {
            let args: Option<Vec<Const>> = c.args.iter().map(|a| eval(a, b)).collect();
            call(crate::syntax::Builtin::named(&c.name.name)?, &args?).ok()?
        }
        other => Some(constant(other)),
    }
}

fn names(l: &Literal) -> Vec<String> {
    let mut out = Vec::new();
    crate::check::literal_var_names(l, &mut out);
    out
}

struct Naive {
    facts: HashMap<String, Vec<Fact>>,
    seen: HashSet<(String, String)>,
}

impl Naive {
    fn add(&mut self, pred: &str, fact: Fact) -> bool {
        let key = format!("{:?}", fact);
        if !self.seen.insert((pred.to_string(), key)) {
            return false;
        }
        self.facts.entry(pred.to_string()).or_default().push(fact);
        true
    }

    /// Every extension of `b` under which `atom` matches a fact.
    fn matches(&self, atom: &Atom, b: &Binding) -> Vec<Binding> {
        let mut out = Vec::new();
        for (args, time) in self.facts.get(&atom.pred.name).into_iter().flatten() {
            let mut next = b.clone();
            let mut ok = true;
            for (pattern, value) in atom.args.iter().zip(args) {
                ok &= match pattern {
                    Expr::Wildcard(_) => true,
                    Expr::Var(v) => match next.vars.get(&v.name) {
                        Some(bound) => bound == value,
                        None => {
                            next.vars.insert(v.name.clone(), value.clone());
                            true
                        }
                    },
                    other => constant(other) == *value,
                };
            }
            ok &= match (&atom.time, time) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(Expr::Wildcard(_)), Some(_)) => true,
                (Some(Expr::Var(v)), Some(t)) => match next.vars.get(&v.name) {
                    // A time never equals a number (LANGUAGE.md §7).
                    Some(bound) => *bound == Const::Time(*t),
                    None => {
                        next.vars.insert(v.name.clone(), Const::Time(*t));
                        true
                    }
                },
                // A time constant matches every time within it.
                (Some(Expr::Time(outer, _)), Some(t)) => t.within(*outer),
                (Some(other), Some(t)) => as_time(&constant(other)) == Some(*t),
            };
            if ok {
                next.times.extend(*time);
                out.push(next);
            }
        }
        out
    }

    /// Every binding under which the literals hold. Order: a test whose variables are all
    /// bound; else the first atom; else a binding or an aggregate.
    fn solve(&self, literals: &[&Literal], head: &[String], b: Binding, out: &mut Vec<Binding>) {
        if literals.is_empty() {
            out.push(b);
            return;
        }
        let is_bound = |n: &String| b.vars.contains_key(n);
        // A variable of a negation that nothing else names is local to it: it need not be
        // bound (the match below ranges over its values).
        let local = |k: usize, n: &String| {
            !head.contains(n)
                && literals
                    .iter()
                    .enumerate()
                    .all(|(j, other)| j == k || !names(other).contains(n))
        };
        let test = literals.iter().enumerate().position(|(k, l)| match l {
            Literal::Not(..) => names(l).iter().all(|n| is_bound(n) || local(k, n)),
            Literal::Compare(_) => names(l).iter().all(is_bound),
            _ => false,
        });
        let atom = || literals.iter().position(|l| matches!(l, Literal::Atom(_)));
        let binding = |l: &&Literal| match l {
            Literal::Compare(c) if c.op == CmpOp::Eq => match (&c.lhs, &c.rhs) {
                (Expr::Var(v), e) | (e, Expr::Var(v)) if !is_bound(&v.name) => {
                    let mut vs = Vec::new();
                    crate::check::expr_var_names(e, &mut vs);
                    vs.iter().all(is_bound)
                }
                _ => false,
            },
            _ => false,
        };
        let other = || {
            literals.iter().position(binding).or_else(|| {
                literals
                    .iter()
                    .position(|l| matches!(l, Literal::Aggregate(_)))
            })
        };
        let pick = test
            .or_else(atom)
            .or_else(other)
            .expect("a safe body always has a literal to take");
        let rest: Vec<&Literal> = literals
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != pick)
            .map(|(_, l)| *l)
            .collect();
        match literals[pick] {
            Literal::Atom(a) => {
                for next in self.matches(a, &b) {
                    self.solve(&rest, head, next, out);
                }
            }
            Literal::Not(a, _) => {
                if self.matches(a, &b).is_empty() {
                    self.solve(&rest, head, b, out);
                }
            }
            Literal::Compare(c) if test == Some(pick) => {
                if let (Some(x), Some(y)) = (eval(&c.lhs, &b), eval(&c.rhs, &b)) {
                    if x.holds(c.op, &y) {
                        self.solve(&rest, head, b, out);
                    }
                }
            }
            Literal::Compare(c) => {
                let (var, e) = match (&c.lhs, &c.rhs) {
                    (Expr::Var(v), e) if !is_bound(&v.name) => (v, e),
                    (e, Expr::Var(v)) => (v, e),
                    _ => unreachable!("picked as a binding"),
                };
                if let Some(value) = eval(e, &b) {
                    let mut next = b;
                    next.vars.insert(var.name.clone(), value);
                    self.solve(&rest, head, next, out);
                }
            }
            Literal::Aggregate(agg) => {
                let body = super::lower::anonymous_as_variables(&agg.body);
                let mut inner_names = Vec::new();
                for l in &body {
                    crate::check::literal_var_names(l, &mut inner_names);
                }
                inner_names.extend(agg.target.iter().map(|t| t.name.clone()));
                let mut seen_names = BTreeSet::new();
                inner_names.retain(|n| seen_names.insert(n.clone()));
                let outside: Vec<String> = rest
                    .iter()
                    .flat_map(|l| names(l))
                    .chain(head.iter().cloned())
                    .collect();
                let free: Vec<&String> = inner_names
                    .iter()
                    .filter(|n| outside.contains(n) && !b.vars.contains_key(*n))
                    .collect();
                let inner: Vec<&Literal> = body.iter().collect();
                let mut solutions = Vec::new();
                let start = Binding {
                    vars: b.vars.clone(),
                    times: Vec::new(),
                };
                self.solve(&inner, &[], start, &mut solutions);
                let mut distinct = BTreeSet::new();
                let mut groups: BTreeMap<Vec<String>, (Vec<Const>, Vec<Const>)> = BTreeMap::new();
                for s in &solutions {
                    let key: Vec<String> = inner_names
                        .iter()
                        .map(|n| format!("{:?}", s.vars.get(n)))
                        .collect();
                    if !distinct.insert(key) {
                        continue;
                    }
                    let group_key = free.iter().map(|n| format!("{:?}", s.vars[*n])).collect();
                    let entry = groups.entry(group_key).or_insert_with(|| {
                        (
                            free.iter().map(|n| s.vars[*n].clone()).collect(),
                            Vec::new(),
                        )
                    });
                    entry.1.push(
                        agg.target
                            .as_ref()
                            .map_or(Const::Int(0), |t| s.vars[&t.name].clone()),
                    );
                }
                if groups.is_empty() && free.is_empty() && agg.func == AggFunc::Count {
                    groups.insert(Vec::new(), (Vec::new(), Vec::new()));
                }
                for (_, (group, values)) in groups {
                    let result = match agg.func {
                        AggFunc::Count => Some(Const::Int(values.len() as i64)),
                        AggFunc::Sum => values.iter().try_fold(Const::Int(0), |acc, v| {
                            binary(BinOp::Add, &acc, v).ok().flatten()
                        }),
                        AggFunc::Min => values
                            .iter()
                            .min_by(|x, y| crate::eval::value::least_first(x, y))
                            .cloned(),
                        AggFunc::Max => values
                            .iter()
                            .max_by(|x, y| crate::eval::value::least_first(x, y))
                            .cloned(),
                    };
                    let Some(result) = result else { continue };
                    let mut next = b.clone();
                    for (n, v) in free.iter().zip(group) {
                        next.vars.insert((*n).clone(), v);
                    }
                    match next.vars.get(&agg.result.name) {
                        Some(current) if !current.holds(CmpOp::Eq, &result) => continue,
                        Some(_) => {}
                        None => {
                            next.vars.insert(agg.result.name.clone(), result);
                        }
                    }
                    self.solve(&rest, head, next, out);
                }
            }
            Literal::Or(..) => unreachable!("`or` is expanded first"),
        }
    }
}

/// Every fact the program derives, by predicate, each written `args @ time`.
pub(crate) fn run(statements: &[Statement]) -> BTreeMap<String, BTreeSet<String>> {
    let mut naive = Naive {
        facts: HashMap::new(),
        seen: HashSet::new(),
    };
    let mut rules: Vec<&Rule> = Vec::new();
    for s in statements {
        match s {
            Statement::Fact(f) => {
                let args = f.atom.args.iter().map(constant).collect();
                let time = f.atom.time.as_ref().and_then(|t| as_time(&constant(t)));
                naive.add(&f.atom.pred.name, (args, time));
            }
            Statement::Rule(r) => rules.push(r),
            _ => {}
        }
    }
    // Levels: a head is at least as high as what it uses, and above what it negates or
    // aggregates.
    let mut level: HashMap<String, usize> = HashMap::new();
    fn deps(body: &[Literal], strict: bool, out: &mut Vec<(String, bool)>) {
        for l in body {
            match l {
                Literal::Atom(a) => out.push((a.pred.name.clone(), strict)),
                Literal::Not(a, _) => out.push((a.pred.name.clone(), true)),
                Literal::Aggregate(agg) => deps(&agg.body, true, out),
                Literal::Or(alternatives, _) => {
                    alternatives.iter().for_each(|a| deps(a, strict, out))
                }
                Literal::Compare(_) => {}
            }
        }
    }
    loop {
        let mut changed = false;
        for r in &rules {
            let mut ds = Vec::new();
            deps(&r.body, false, &mut ds);
            for (p, strict) in ds {
                let need = level.get(&p).copied().unwrap_or(0) + usize::from(strict);
                let head = level.entry(r.head.pred.name.clone()).or_insert(0);
                if *head < need {
                    *head = need;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let top = level.values().copied().max().unwrap_or(0);
    for l in 0..=top {
        loop {
            let mut new = Vec::new();
            for r in rules
                .iter()
                .filter(|r| level.get(&r.head.pred.name) == Some(&l))
            {
                let mut head_names = Vec::new();
                for e in r.head.args.iter().chain(&r.head.time) {
                    crate::check::expr_var_names(e, &mut head_names);
                }
                for conj in crate::check::expand(&r.body, 1024).expect("few alternatives") {
                    let mut solutions = Vec::new();
                    naive.solve(&conj, &head_names, Binding::default(), &mut solutions);
                    for b in solutions {
                        let args: Option<Vec<Const>> =
                            r.head.args.iter().map(|e| eval(e, &b)).collect();
                        let Some(args) = args else { continue };
                        let time = match &r.head.time {
                            Some(t) => match eval(t, &b).as_ref().and_then(as_time) {
                                Some(t) => Some(t),
                                None => continue,
                            },
                            None => b.times.iter().max().copied(),
                        };
                        new.push((r.head.pred.name.clone(), (args, time)));
                    }
                }
            }
            let mut changed = false;
            for (p, f) in new {
                changed |= naive.add(&p, f);
            }
            if !changed {
                break;
            }
        }
    }
    naive
        .facts
        .into_iter()
        .map(|(p, facts)| {
            let shown = facts
                .into_iter()
                .map(|(args, time)| {
                    let args: Vec<String> = args.iter().map(Const::to_string).collect();
                    match time {
                        Some(t) => format!("({}) @ {t}", args.join(", ")),
                        None => format!("({})", args.join(", ")),
                    }
                })
                .collect();
            (p, shown)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::KnowledgeBase;

    /// A random stratified program over two base predicates and three derived ones: each
    /// derived predicate has a rule over lower predicates and may have recursive ones;
    /// negation and aggregates read only lower predicates. Comparisons (some computing, some
    /// without a value on some rows) and times throughout.
    fn program() -> impl Strategy<Value = String> {
        let fact =
            (0..2usize, 0..4i64, 0..4i64, prop::option::of(0..3u16)).prop_map(|(p, a, b, t)| {
                let time = t.map(|t| format!(" @ {}", 2000 + t)).unwrap_or_default();
                format!("e{p}({a}, {b}){time}.")
            });
        let var = || prop::sample::select(vec!["X", "Y", "Z"]);
        let rule = (
            prop::collection::vec((0..5usize, var(), var()), 1..4),
            prop::option::of((0..5usize, var(), var())),
            prop::option::of((
                var(),
                prop::sample::select(vec!["<", "!=", ">=", "="]),
                prop_oneof![
                    var().prop_map(str::to_string),
                    (0..4i64).prop_map(|n| n.to_string())
                ],
            )),
            prop::option::of((
                0..5usize,
                var(),
                prop::sample::select(vec!["count", "sum", "max"]),
            )),
            any::<bool>(),
            // A comparison that computes: `X - Y >= 1`, `X / Z < 2` (no value where Z is 0).
            prop::option::of((
                var(),
                prop::sample::select(vec!["+", "-", "*", "/"]),
                var(),
                prop::sample::select(vec!["<", ">=", "="]),
                0..4i64,
            )),
        );
        let rules = prop::collection::vec((rule.clone(), prop::collection::vec(rule, 0..3)), 3);
        (prop::collection::vec(fact, 4..20), rules).prop_map(|(facts, rules)| {
            // Predicates 0 and 1 are the base e0, e1; 2, 3, 4 are the derived p0, p1, p2.
            let name = |i: usize| {
                if i < 2 {
                    format!("e{i}")
                } else {
                    format!("p{}", i - 2)
                }
            };
            let mut text = facts.join("\n");
            for (k, (grounded, recursive)) in rules.into_iter().enumerate() {
                let level = k + 2;
                let all = std::iter::once((grounded, true))
                    .chain(recursive.into_iter().map(|r| (r, false)));
                for ((atoms, negation, comparison, aggregate, timed, computed), first) in all {
                    let mut body = Vec::new();
                    let mut bound: Vec<&str> = Vec::new();
                    for (p, a, b) in atoms {
                        // The grounded rule reads only lower predicates; the others may recurse.
                        let p = if first { p % level } else { p.min(level) };
                        body.push(format!("{}({a}, {b})", name(p)));
                        bound.extend([a, b]);
                    }
                    if let Some((p, a, b)) = negation {
                        let pick = |v: &str| {
                            if bound.contains(&v) {
                                v.to_string()
                            } else {
                                "_".to_string()
                            }
                        };
                        body.push(format!("not {}({}, {})", name(p % level), pick(a), pick(b)));
                    }
                    if let Some((a, op, b)) = comparison {
                        if bound.contains(&a)
                            && (b.parse::<i64>().is_ok() || bound.contains(&b.as_str()))
                        {
                            body.push(format!("{a} {op} {b}"));
                        }
                    }
                    if let Some((a, arith, b, op, k)) = computed {
                        if bound.contains(&a) && bound.contains(&b) {
                            body.push(format!("{a} {arith} {b} {op} {k}"));
                        }
                    }
                    let mut head = [bound[0].to_string(), bound[bound.len() - 1].to_string()];
                    if let Some((p, group, func)) = aggregate {
                        let group = if bound.contains(&group) {
                            group
                        } else {
                            bound[0]
                        };
                        let target = if func == "count" { "" } else { " W" };
                        body.push(format!(
                            "N = {func}{target} {{ {}({group}, W) }}",
                            name(p % level)
                        ));
                        head[1] = "N".to_string();
                    }
                    let time = if timed { " @ 2010" } else { "" };
                    text.push_str(&format!(
                        "\np{k}({}, {}){time} :- {}.",
                        head[0],
                        head[1],
                        body.join(", ")
                    ));
                }
            }
            text + "\n"
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn semi_naive_and_naive_agree(text in program()) {
            let mut kb = KnowledgeBase::new();
            let loaded = kb.load_str("<random>", &text);
            prop_assume!(loaded.is_ok(), "rejected: {}", text);
            // Each fact as the naive evaluator writes it: `(args) @ time`, by predicate.
            let engine: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = kb
                .facts(None)
                .expect("evaluates")
                .into_iter()
                .map(|p| {
                    let facts = p.facts.iter().map(|f| {
                        let f = f.to_string();
                        let rest = f.strip_prefix(p.pred.as_str()).unwrap_or(&f);
                        if rest.starts_with('(') { rest.to_string() } else { format!("(){rest}") }
                    });
                    (p.pred.clone(), facts.collect())
                })
                .collect();
            let (module, diagnostics) = crate::syntax::parse(&text, crate::syntax::FileId(0), Default::default());
            prop_assert!(diagnostics.is_empty());
            let mut naive = super::run(&module.statements);
            naive.retain(|_, facts| !facts.is_empty());
            let mut engine = engine;
            engine.retain(|_, facts| !facts.is_empty());
            prop_assert_eq!(engine, naive, "{}", text);
        }
    }
}
