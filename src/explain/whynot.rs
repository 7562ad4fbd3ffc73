//! `whynot`: for each rule that could produce a fact, the first condition (in the order the
//! rule states them) that cannot be met under the bindings of the conditions before it, why
//! it cannot, and one level deeper for a derived atom (further down a chain of predicates
//! that one rule each derives, to the condition that fails). The evaluator's search
//! ([`attempts::attempts`]) finds the conditions; this module says what they mean.

use super::prove::{inner_conditions, pattern};
use super::{asked, Blocked, Enactment, Finding, Term, Unmet};
use crate::eval::attempts::{self, AskedTime, Outcome};
use crate::eval::search::{self, Condition};
use crate::eval::value::Value;
use crate::eval::Const;
use crate::store::Evaluated;
use crate::syntax::ast::{Atom, Expr};
use crate::syntax::{Diagnostic, Span};

/// What `whynot` finds about an atom (variables and `_` in it match anything). With a time,
/// the question is about that time: a fact of another time is told as such, and the rules
/// are searched with the facts that had come by then.
pub(crate) fn whynot(kb: &mut Evaluated<'_>, atom: &Atom) -> Result<Finding, Diagnostic> {
    let rows = kb.matching_rows(atom)?;
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
        let mut rows = kb.matching_rows(&any_time)?;
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
    let asked = AskedTime {
        until: asked,
        within: asked.filter(|t| t.day_of().is_none()),
    };
    let stated = kb.stated.base[pred as usize].len() > 0;
    // A question of a year or a window, its change left open, is asked of each enactment of
    // that time: every one of them, not the first the search meets.
    let window = asked::window_of(kb, atom);
    let enactments = asked::enactments(kb, atom, asked.until, window.as_ref().map(|w| &w.1));
    // Of a window that carried nothing, what was enacted while it was open is the answer:
    // the rules tried on decisions of other years are not.
    let about_window = window.is_some() && args.first().is_some_and(Option::is_none);
    let window = window.map(|(w, spans)| asked::window_span(kb, w, &spans));
    let mut each = Vec::new();
    for (change, at) in enactments {
        let mut args = args.clone();
        args[0] = Some(change);
        let asked = AskedTime {
            until: Some(at),
            within: Some(at),
        };
        each.push(Enactment {
            change: format!("{} ({at})", kb.value(change)),
            rules: blocked(kb, pred, &args, time, CHAIN + 1, asked)?,
        });
    }
    let rules = if each.is_empty() && !about_window {
        blocked(kb, pred, &args, time, CHAIN + 1, asked)?
    } else {
        Vec::new()
    };
    if rules.is_empty() && each.is_empty() && !stated && !about_window {
        return Ok(Finding::NoRule {
            pred: format!("{}/{}", atom.pred.name, atom.args.len()),
        });
    }
    Ok(Finding::Blocked {
        rules,
        stated,
        window,
        each,
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
    asked: AskedTime,
) -> Result<Vec<Blocked>, Diagnostic> {
    let rules = &kb.compiled.rules;
    let attempts = attempts::attempts(kb.rels, kb.interner, rules, pred, args, time, asked)
        .map_err(|stop| kb.stated.stop_diagnostic(stop, Span::default()))?;
    let mut out = Vec::new();
    for attempt in attempts {
        // A question about a time is asked of the condition that gives the head its time.
        let below = AskedTime {
            within: asked.within.filter(|_| attempt.carries_time),
            ..asked
        };
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
        let found = match attempt.outcome {
            Outcome::Head => Found::new(
                met,
                "what the rule concludes".to_string(),
                format!(
                    "it derives only facts of the form {}",
                    crate::syntax::print_atom(&rule.head)
                ),
            ),
            Outcome::Instead(derived) => Found::new(
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
            ),
            Outcome::Fails(condition) => {
                // Of the matches of the conditions before it, the one whose failure goes
                // furthest down (a window that opened but closed too early says more than one
                // that opened years after the decision), then the nearest miss (an
                // entrepreneur of the decision's own year before one of the year after).
                let others: &[attempts::Other] = match condition {
                    Condition::Compare { .. } => &attempt.others,
                    Condition::Atom { .. } if depth >= 2 => &attempt.others,
                    _ => &[],
                };
                let mut best = found(kb, met, &condition, &attempt.also, depth, below)?;
                for (others_met, failed, also) in others {
                    let met = others_met.iter().map(|c| show(kb, c)).collect();
                    let other = found(kb, met, failed, also, depth, below)?;
                    if other.rank() > best.rank() {
                        best = other;
                    }
                }
                best
            }
            Outcome::Later(condition, at) => {
                let asked = asked.until.map(|t| t.to_string()).unwrap_or_default();
                let because = format!("it holds from {}, after {asked}", kb.value(at));
                Found::new(met, show(kb, &condition), because)
            }
        };
        out.push(Blocked {
            rule: name,
            at,
            met: found.met,
            failing: found.failing,
            because: found.because,
            deeper: found.deeper,
            also: found.also,
            miss: found.miss,
        });
    }
    // A rule that fails on the opposite of what another of the same head meets (agenda
    // coupling needs an agenda decision, decision coupling its absence) does not apply:
    // what else it lacks is beside the point.
    let opposite = |c: &str| match c.strip_prefix("not ") {
        Some(atom) => atom.to_string(),
        None => format!("not {c}"),
    };
    let met: Vec<String> = out.iter().flat_map(|b| b.met.iter().cloned()).collect();
    for b in &mut out {
        if met.contains(&opposite(&b.failing)) {
            b.also.clear();
        }
    }
    Ok(out)
}

/// One match's failure, before it becomes a [`Blocked`].
struct Found {
    met: Vec<String>,
    failing: String,
    because: String,
    deeper: Vec<Blocked>,
    also: Vec<Unmet>,
    miss: Option<u64>,
}

impl Found {
    fn new(met: Vec<String>, failing: String, because: String) -> Found {
        Found {
            met,
            failing,
            because,
            deeper: Vec::new(),
            also: Vec::new(),
            miss: None,
        }
    }

    /// How it ranks among the failures of other matches: [`ranked`] of its parts.
    fn rank(&self) -> (usize, std::cmp::Reverse<u64>) {
        ranked(self.met.len(), &self.deeper, self.miss)
    }
}

/// A match's failing condition with why it fails, the rules below it, and the later
/// conditions that fail too (each with why, without the rules below).
fn found(
    kb: &mut Evaluated<'_>,
    met: Vec<String>,
    condition: &Condition,
    also: &[Condition],
    depth: u32,
    asked: AskedTime,
) -> Result<Found, Diagnostic> {
    let (because, deeper) = reason(kb, condition, &met, depth, asked)?;
    let mut unmet = Vec::with_capacity(also.len());
    for c in also {
        let (because, _) = reason(kb, c, &met, 0, asked)?;
        unmet.push(Unmet {
            condition: show(kb, c),
            because,
        });
    }
    Ok(Found {
        met,
        failing: show(kb, condition),
        because,
        deeper,
        also: unmet,
        miss: miss(kb, condition),
    })
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
    met: &[String],
    depth: u32,
    asked: AskedTime,
) -> Result<(String, Vec<Blocked>), Diagnostic> {
    Ok(match c {
        Condition::Atom { pattern: p, .. } => {
            let derived = kb.compiled.rules.iter().any(|r| r.head == p.pred);
            let stated = kb.stated.base[p.pred as usize].len() > 0;
            if let Some(later) = not_yet(kb, p) {
                return Ok((later, Vec::new()));
            }
            let mut because = match (derived, stated) {
                (false, false) => "no fact of it is stated and no rule derives it".to_string(),
                (false, true) => "no such fact is stated".to_string(),
                (true, false) => "it is not derived".to_string(),
                (true, true) => "it is neither stated nor derived".to_string(),
            };
            if let Some(within) = asked.within {
                because = format!("{because} for {within}");
            }
            // On down the rules that derive it, to the condition that fails (a few levels
            // at most), whether one rule derives it or several (a coupling has two).
            let next = depth.checked_sub(1);
            let deeper = if let (true, Some(next)) = (derived, next) {
                let (args, time) = p.values();
                blocked(kb, p.pred, &args, time, next, asked)?
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
            (
                format!("{shown} holds{}", rests_on(kb, p, met)?),
                Vec::new(),
            )
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
            } else if matches!((a, b), (Const::Time(_), Const::Time(_))) {
                // Dates as a reader says them: `31 December 2003 is after 1 January 2003`.
                super::words::comparison_words(Some(a), op.negated(), Some(b))
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

/// For a negated condition that fails because its atom holds: what the theory says of it
/// (the note of the rule that derives it) and the dated facts it rests on — the rejection
/// behind "a judgement is in force", the closing of a window. Facts of the predicates the
/// rule's conditions met already show (the decision weighed) are left out.
fn rests_on(
    kb: &mut Evaluated<'_>,
    p: &search::Pattern,
    met: &[String],
) -> Result<String, Diagnostic> {
    let (args, time) = p.values();
    let rel = &kb.rels[p.pred as usize];
    let row = (0..rel.len() as u32).find(|&r| {
        time.is_none_or(|t| rel.time(r) == t)
            && rel
                .row(r)
                .iter()
                .zip(&args)
                .all(|(v, want)| want.is_none_or(|w| w == *v))
    });
    let Some(row) = row.filter(|&r| !kb.is_base((p.pred, r))) else {
        return Ok(String::new());
    };
    let proof = super::prove(kb, &[(p.pred, row)])?;
    let root = proof.roots[0];
    let super::How::Derived { evidence, .. } = &proof.nodes[root].how else {
        return Ok(String::new());
    };
    let shown: Vec<&str> = met.iter().map(|m| predicate_of(m)).collect();
    let weighs = |n: usize| {
        let fact = &proof.nodes[n].fact;
        fact.time.is_some() && !shown.contains(&fact.pred.as_str())
    };
    let mut facts: Vec<usize> = Vec::new();
    for premise in proof.premises_by_fact(root).filter(|&n| weighs(n)) {
        let at = proof.nodes[premise].fact.time;
        let stated: Vec<usize> = proof
            .reachable_by_facts(premise, RESTS_ON_READ)
            .nodes
            .into_iter()
            .filter(|&n| {
                !matches!(proof.nodes[n].how, super::How::Derived { .. })
                    && proof.nodes[n].fact.time == at
                    && weighs(n)
            })
            .collect();
        // A derived premise stands for the stated facts of its own time behind it (the
        // rejection behind a judgement against), or for itself (a closing a span gives).
        if stated.is_empty() {
            facts.push(premise);
        } else {
            facts.extend(stated);
        }
    }
    facts.sort_by_key(|&n| proof.nodes[n].fact.time);
    facts.dedup();
    let mut out = String::new();
    if let Some(note) = &evidence.note {
        out = format!(": {}", note.trim_end_matches('.'));
    }
    let facts: Vec<String> = facts
        .iter()
        .take(3)
        .map(|&n| proof.nodes[n].fact.to_string())
        .collect();
    if !facts.is_empty() {
        out.push_str(&format!(" — {}", facts.join(", ")));
    }
    Ok(out)
}

/// How many facts of a proof [`rests_on`] reads below each premise, at most.
const RESTS_ON_READ: usize = 200;

/// The predicate a shown condition names (`not p(…)`, `p(…) @ T`), or `""` for a comparison.
fn predicate_of(condition: &str) -> &str {
    let atom = condition.strip_prefix("not ").unwrap_or(condition);
    match atom.find('(') {
        Some(at) if atom[..at].chars().all(|c| c.is_alphanumeric() || c == '_') => &atom[..at],
        _ => "",
    }
}
