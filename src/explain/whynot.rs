//! `whynot`: for each rule that could produce a fact, the first condition (in the order the
//! rule states them) that cannot be met under the bindings of the conditions before it, why
//! it cannot, and one level deeper for a derived atom (further down a chain of predicates
//! that one rule each derives, to the condition that fails). The evaluator's search
//! ([`attempts::attempts`]) finds the conditions; this module says what they mean.

use super::prove::{inner_conditions, pattern};
use super::{Blocked, Finding, Term};
use crate::eval::attempts::{self, Outcome};
use crate::eval::search::{self, Condition};
use crate::eval::value::Value;
use crate::eval::Const;
use crate::store::Evaluated;
use crate::syntax::ast::{Atom, Expr};
use crate::syntax::{Diagnostic, Span};
use crate::value::Time;

/// What `whynot` finds about an atom (variables and `_` in it match anything). With a time,
/// the question is about that time: a fact of another time is told as such, and the rules
/// are searched with the facts that had come by then.
pub(crate) fn whynot(kb: &mut Evaluated<'_>, atom: &Atom) -> Result<Finding, Diagnostic> {
    let rows = kb.matching_rows(atom);
    if !rows.is_empty() {
        let facts = rows.iter().map(|&fact| kb.show_row(fact)).collect();
        return Ok(Finding::Holds { facts });
    }
    let Some(pred) = kb.stated.pred_id(&atom.pred.name) else {
        return Ok(Finding::NoRule {
            pred: format!("{}/{}", atom.pred.name, atom.args.len()),
        });
    };
    let asked = match &atom.time {
        Some(Expr::Time(t, _)) => Some(*t),
        _ => None,
    };
    if let Some(asked) = asked {
        let mut any_time = atom.clone();
        any_time.time = Some(Expr::Wildcard(atom.span));
        let mut rows = kb.matching_rows(&any_time);
        if !rows.is_empty() {
            rows.sort_by_key(|&fact| kb.fact(fact).time);
            let facts = rows.iter().map(|&fact| kb.show_row(fact)).collect();
            let earlier = rows.iter().all(|&fact| {
                kb.fact(fact)
                    .time
                    .is_some_and(|t| t < asked && !t.within(asked))
            });
            let last = last_condition(kb, rows[0])?;
            return Ok(Finding::Elsewhere {
                asked: asked.to_string(),
                facts,
                last,
                earlier,
            });
        }
    }
    let args: Vec<Option<Value>> = atom.args.iter().map(|e| kb.constant(e)).collect();
    // A day is the head's time itself; a year or month bounds the facts searched.
    let time = match asked {
        Some(t) if t.day_of().is_some() => atom.time.as_ref().and_then(|t| kb.constant(t)),
        _ => None,
    };
    let rules = blocked(kb, pred, &args, time, CHAIN + 1, asked)?;
    let stated = kb.stated.base[pred as usize].len() > 0;
    if rules.is_empty() && !stated {
        return Ok(Finding::NoRule {
            pred: format!("{}/{}", atom.pred.name, atom.args.len()),
        });
    }
    let window = window_span(kb, atom);
    Ok(Finding::Blocked {
        rules,
        stated,
        window,
    })
}

/// How many levels `whynot` follows the rules of a derived condition, below the one level it
/// always shows.
const CHAIN: u32 = 4;

/// For each rule (alternative) whose head can match `pred(args) @ time`: the failing condition.
fn blocked(
    kb: &mut Evaluated<'_>,
    pred: u32,
    args: &[Option<Value>],
    time: Option<Value>,
    depth: u32,
    until: Option<Time>,
) -> Result<Vec<Blocked>, Diagnostic> {
    let rules = &kb.compiled.rules;
    let attempts = attempts::attempts(kb.rels, kb.interner, rules, pred, args, time, until)
        .map_err(|stop| kb.stated.stop_diagnostic(stop, Span::default()))?;
    let mut out = Vec::new();
    for attempt in attempts {
        // Below the question asked, a rule whose head cannot give the fact sought is no
        // reason: it is left out (at the top it says what the rule does derive).
        if depth <= CHAIN && matches!(attempt.outcome, Outcome::Head) {
            continue;
        }
        let stated = kb.stated;
        let rule = &stated.program.rules[attempt.rule as usize];
        let name = stated.rule_name(attempt.rule);
        let at = stated.sources.file_line(rule.span);
        let met: Vec<String> = attempt.met.iter().map(|c| show(kb, c)).collect();
        let (met, failing, because, deeper, miss_by) = match attempt.outcome {
            Outcome::Head => (
                met,
                "what the rule concludes".to_string(),
                format!(
                    "it derives only facts of the form {}",
                    crate::syntax::print_atom(&rule.head)
                ),
                Vec::new(),
                None,
            ),
            Outcome::Instead(derived) => (
                met,
                "what the rule concludes".to_string(),
                match derived {
                    Some((args, time)) => format!(
                        "its conditions hold, but they derive {}",
                        kb.show_fact(pred, &args, time)
                    ),
                    None => "every condition can be met, but not for this fact's values or time"
                        .to_string(),
                },
                Vec::new(),
                None,
            ),
            Outcome::Fails(condition) => {
                // Of the matches of the conditions before it, the one whose failure goes
                // furthest down (a window that opened but closed too early says more than one
                // that opened years after the decision), then the nearest miss (an
                // entrepreneur of the decision's own year before one of the year after).
                let others: &[(Vec<Condition>, Condition)] = match condition {
                    Condition::Compare { .. } => &attempt.others,
                    Condition::Atom { .. } if depth >= 2 => &attempt.others,
                    _ => &[],
                };
                let (because, deeper) = reason(kb, &condition, depth, until)?;
                let mut best = (
                    met,
                    show(kb, &condition),
                    because,
                    deeper,
                    miss(kb, &condition),
                );
                for (others_met, failed) in others {
                    let (because, deeper) = reason(kb, failed, depth, until)?;
                    let other = (
                        others_met.iter().map(|c| show(kb, c)).collect(),
                        show(kb, failed),
                        because,
                        deeper,
                        miss(kb, failed),
                    );
                    if rank(&other) > rank(&best) {
                        best = other;
                    }
                }
                best
            }
            Outcome::Later(condition, at) => {
                let asked = until.map(|t| t.to_string()).unwrap_or_default();
                let because = format!("it holds from {}, after {asked}", kb.value(at));
                (met, show(kb, &condition), because, Vec::new(), None)
            }
        };
        out.push(Blocked {
            rule: name,
            at,
            met,
            failing,
            because,
            deeper,
            miss: miss_by,
        });
    }
    Ok(out)
}

/// How a failure ranks among those of other matches: [`ranked`] of its parts.
fn rank(
    (met, _, _, deeper, miss): &(Vec<String>, String, String, Vec<Blocked>, Option<u64>),
) -> (usize, std::cmp::Reverse<u64>) {
    ranked(met.len(), deeper, *miss)
}

/// How far down a failure goes — the conditions met, and the most met along one path of the
/// rules below — and, on that path, how near its last failing comparison comes to holding
/// (nearer is greater).
fn ranked(met: usize, deeper: &[Blocked], miss: Option<u64>) -> (usize, std::cmp::Reverse<u64>) {
    if deeper.is_empty() {
        return (met, std::cmp::Reverse(miss.unwrap_or(u64::MAX)));
    }
    let (down, nearest) = reach(deeper);
    (met + down, nearest)
}

/// [`ranked`] of the rule blocked furthest down.
fn reach(blocked: &[Blocked]) -> (usize, std::cmp::Reverse<u64>) {
    blocked
        .iter()
        .map(|b| ranked(b.met.len(), &b.deeper, b.miss))
        .max()
        .unwrap_or((0, std::cmp::Reverse(u64::MAX)))
}

/// How far a failing comparison of two times (in days) or two numbers misses.
fn miss(kb: &Evaluated<'_>, c: &Condition) -> Option<u64> {
    let Condition::Compare {
        left: Some(a),
        right: Some(b),
        ..
    } = c
    else {
        return None;
    };
    let (a, b) = (kb.value(*a), kb.value(*b));
    match (a.as_ref(), b.as_ref()) {
        (Const::Time(x), Const::Time(y)) => Some(x.day_number().abs_diff(y.day_number())),
        (Const::Int(x), Const::Int(y)) => Some(x.abs_diff(*y)),
        _ => None,
    }
}

/// For a fact as of a time (`:asof`): a stated fact that matches the pattern but is dated
/// after that time, told as "not yet".
fn not_yet(kb: &Evaluated<'_>, p: &search::Pattern) -> Option<String> {
    let (asof, later) = kb.stated.later.as_ref()?;
    let rel = later.get(p.pred as usize)?;
    let (args, _) = p.values();
    let row = (0..rel.len() as u32).find(|&r| {
        rel.row(r)
            .iter()
            .zip(&args)
            .all(|(v, want)| want.is_none_or(|w| w == *v))
    })?;
    Some(format!(
        "not yet: it is stated for {}, after {asof}",
        kb.value(rel.time(row))
    ))
}

/// The condition of a derived fact's proof that came last: why it does not hold earlier.
fn last_condition(
    kb: &mut Evaluated<'_>,
    fact: crate::store::FactRef,
) -> Result<Option<String>, Diagnostic> {
    if kb.is_base(fact) {
        return Ok(None);
    }
    let proof = super::prove(kb, &[fact])?;
    let premises: Vec<usize> = proof.premises(proof.roots[0]).collect();
    Ok(premises
        .into_iter()
        .filter_map(|n| proof.nodes[n].fact.time.map(|t| (t, n)))
        .max_by_key(|(t, _)| *t)
        .map(|(_, n)| proof.nodes[n].fact.to_string()))
}

/// A condition with the values bound so far; `_` for a side without a value.
fn show(kb: &Evaluated<'_>, c: &Condition) -> String {
    let value = |v: &Option<Value>| v.map_or("_".to_string(), |v| kb.value(v).to_string());
    match c {
        Condition::Atom { pattern: p, .. } => pattern(kb.stated, kb.interner, p).to_string(),
        Condition::Not(p) => format!("not {}", pattern(kb.stated, kb.interner, p)),
        Condition::Compare { op, left, right } => {
            format!("{} {} {}", value(left), op.symbol(), value(right))
        }
        Condition::Aggregate { func, inner, .. } => format!(
            "{} {{ {} }}",
            func.keyword(),
            inner_conditions(kb.stated, kb.interner, inner).join(", ")
        ),
    }
}

/// Why a condition cannot be met under the bindings so far, and the rules behind a derived
/// atom.
fn reason(
    kb: &mut Evaluated<'_>,
    c: &Condition,
    depth: u32,
    until: Option<Time>,
) -> Result<(String, Vec<Blocked>), Diagnostic> {
    Ok(match c {
        Condition::Atom { pattern: p, .. } => {
            let derived = kb.compiled.rules.iter().any(|r| r.head == p.pred);
            let stated = kb.stated.base[p.pred as usize].len() > 0;
            if let Some(later) = not_yet(kb, p) {
                return Ok((later, Vec::new()));
            }
            let because = match (derived, stated) {
                (false, false) => "no fact of it is stated and no rule derives it".to_string(),
                (false, true) => "no such fact is stated".to_string(),
                (true, false) => "it is not derived".to_string(),
                (true, true) => "it is neither stated nor derived".to_string(),
            };
            // On down the rules that derive it, to the condition that fails (a few levels
            // at most), whether one rule derives it or several (a coupling has two).
            let next = depth.checked_sub(1);
            let deeper = if let (true, Some(next)) = (derived, next) {
                let (args, time) = p.values();
                blocked(kb, p.pred, &args, time, next, until)?
            } else {
                Vec::new()
            };
            (because, deeper)
        }
        Condition::Not(p) => {
            // What holds is the atom with its open variables as `_`.
            let mut shown = pattern(kb.stated, kb.interner, p);
            for t in shown.args.iter_mut().chain(shown.time.as_mut()) {
                if matches!(t, Term::Var(_)) {
                    *t = Term::Any;
                }
            }
            (format!("{shown} holds"), Vec::new())
        }
        Condition::Compare {
            op,
            left: Some(a),
            right: Some(b),
        } => {
            let (a, b) = (kb.value(*a), kb.value(*b));
            let (a, b) = (a.as_ref(), b.as_ref());
            let because = if a.holds(*op, b) {
                format!(
                    "`{a} {} {b}` holds, but not together with the conditions before it",
                    op.symbol()
                )
            } else if a.compare(b).is_none() && !matches!((a, b), (Const::Sym(_), Const::Sym(_))) {
                format!("`{a}` and `{b}` do not compare")
            } else {
                format!("`{a} {} {b}` is false", op.symbol())
            };
            (because, Vec::new())
        }
        Condition::Compare { .. } => (
            "it has no value (a division by zero, or a part of a time the time lacks)".to_string(),
            Vec::new(),
        ),
        Condition::Aggregate {
            func,
            result,
            computed,
            ..
        } => {
            let show = |v: &Option<Value>| v.map(|v| kb.value(v).to_string());
            let because = match (show(computed), show(result)) {
                (Some(is), Some(asked)) => format!("its {} is {is}, not {asked}", func.keyword()),
                (Some(is), None) => format!("its {} is {is}", func.keyword()),
                (None, _) => format!(
                    "nothing matches inside the braces, and a {} of no values has none",
                    func.keyword()
                ),
            };
            (because, Vec::new())
        }
    })
}

/// For `coupled(C, W)` or `couplable(C, W, …)` with the window `W` named: each time it was
/// open, from its opening to its closing, the enactments made then — or that none was.
fn window_span(kb: &mut Evaluated<'_>, atom: &Atom) -> Option<String> {
    if !matches!(atom.pred.name.as_str(), "coupled" | "couplable") {
        return None;
    }
    let window = atom.args.get(1).and_then(|e| kb.constant(e))?;
    let kb = &*kb;
    let timed = |name: &str, first: Option<Value>| -> Vec<(Vec<Const>, Time)> {
        let Some(p) = kb.stated.pred_id(name) else {
            return Vec::new();
        };
        let rel = &kb.rels[p as usize];
        (0..rel.len() as u32)
            .filter(|&r| first.is_none_or(|f| rel.row(r).first() == Some(&f)))
            .filter_map(|r| match kb.value(rel.time(r)).as_ref() {
                Const::Time(t) => Some((
                    rel.row(r)
                        .iter()
                        .map(|v| kb.value(*v).into_owned())
                        .collect(),
                    *t,
                )),
                _ => None,
            })
            .collect()
    };
    let mut opened: Vec<Time> = timed("window", Some(window))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let mut closed: Vec<Time> = timed("window_closes", Some(window))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    if opened.is_empty() {
        return None;
    }
    opened.sort();
    opened.dedup();
    closed.sort();
    let enacted = timed("enacted", None);
    let name = kb.value(window).into_owned();
    let mut spans = Vec::new();
    for (i, open) in opened.iter().enumerate() {
        let close = closed.get(i).copied();
        let within: Vec<String> = enacted
            .iter()
            .filter(|(_, t)| *t >= *open && close.is_none_or(|c| *t < c))
            .map(|(args, t)| {
                let change = args.first().map(ToString::to_string).unwrap_or_default();
                format!("{change} ({t})")
            })
            .collect();
        let until = close.map_or_else(|| "on".to_string(), |c| format!("to {c}"));
        spans.push(if within.is_empty() {
            format!("no enactment was made while the window {name} was open, from {open} {until}")
        } else {
            format!(
                "while the window {name} was open, from {open} {until}, these were enacted: {}",
                within.join(", ")
            )
        });
    }
    Some(format!("{}.", spans.join("; ")))
}
