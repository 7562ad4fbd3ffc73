//! How robust each verdict of a case is (issue "For research"): which verdicts change when
//! one of the modeller's assumptions is taken away (leave-one-out, as qualitative comparative
//! analysis tests the influence of each case), the smallest sets of assumptions a verdict
//! rests on, and the range of each of the theory's declared parameters (`parameter(P, Lo,
//! Hi)`: the length of a window, per kind too, and the span of attention) within which it
//! holds. Every reading is a fork of the store evaluated in the process, not a new run.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::verdicts::{CHANGE, MISSED, ORDER_UNKNOWN, UNEXPLAINED, VERDICTS};
use crate::{Const, Error, KnowledgeBase};

pub(crate) use crate::syntax::PARAMETER;

/// How many pairs of assumptions are tried, at most, for a verdict that no single removal
/// takes away but the removal of all does.
const MAX_PAIRS: usize = 400;

/// The robustness of every verdict of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Robustness {
    /// Each verdict of the case as it stands: policy changes, changes of unknown order,
    /// enactments not explained, missed windows, each by subject.
    pub verdicts: Vec<VerdictRobustness>,
    /// Verdicts the case does not reach but another reading does: each with the readings.
    pub appear: Vec<Appearance>,
    /// The assumptions taken away one at a time.
    pub assumptions: Vec<String>,
    /// The settings tried: each parameter (and key) with its range.
    pub settings: Vec<Sweep>,
    /// How many readings were evaluated.
    pub readings: usize,
    /// The stated facts with no quote, no source and no assumption, with where they are
    /// written: not marked `assumed`, they are never taken away, and the verdicts resting on
    /// them look firmer than they are.
    pub unbacked: Vec<String>,
}

/// One verdict, and what it rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerdictRobustness {
    /// The verdict as it holds: `missed_window(belt_and_road) @ 2015`.
    pub verdict: String,
    /// Whether it survives every single removal and every setting of the ranges.
    pub robust: bool,
    /// Why, in one line.
    pub reason: String,
    /// The smallest sets of assumptions whose removal takes it away (each as written, with
    /// its place).
    pub rests_on: Vec<Vec<String>>,
    /// For each parameter swept, the values with which it holds.
    pub holds_with: Vec<Holds>,
    /// Whether it is fragile only because the enactment it judges is itself the modeller's
    /// assumption (taken away, there is nothing to judge).
    pub assumed_enactment: bool,
}

/// The values of one parameter with which a verdict holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Holds {
    /// The setting: `default_window_length`, or `window_length(political, _)`.
    pub setting: String,
    /// The values with which the verdict holds.
    pub values: Vec<i64>,
    /// Every value tried.
    pub tried: Vec<i64>,
}

/// A verdict that another reading reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Appearance {
    /// The verdict as it would hold.
    pub verdict: String,
    /// The readings: `without advocates(…) @ 2003 (rules/horgos.msf:202)`, `with
    /// default_window_length 3`.
    pub when: Vec<String>,
}

/// One parameter swept, and its range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sweep {
    /// The setting: `default_window_length`, or `window_length(political, _)`.
    pub setting: String,
    /// The value the case holds (none when it sets none and a default applies).
    pub value: Option<i64>,
    /// The lowest and highest values tried, from the theory's declaration.
    pub range: (i64, i64),
}

/// The verdicts of one reading: each verdict's atom (without its time) with the fact as it
/// holds.
type Reading = BTreeMap<String, String>;

/// How robust each verdict of the theory is to the modeller's assumptions and the theory's
/// parameters; `None` when the rules do not name `policy_change` (no theory).
pub fn study(kb: &mut KnowledgeBase) -> Result<Option<Robustness>, Error> {
    let this = kb;
    if !this.predicates().iter().any(|p| p.name == CHANGE) {
        return Ok(None);
    }
    let base = verdicts_of(this)?;
    let mut readings = 1;
    let assumptions = this.assumptions();
    // Leave one out: each assumption taken away alone.
    let mut without: Vec<Reading> = Vec::with_capacity(assumptions.len());
    for i in 0..assumptions.len() {
        let mut fork = this.without_assumed(&|j| j == i);
        without.push(verdicts_of(&mut fork)?);
        readings += 1;
    }
    let named = |i: usize| format!("{} ({})", assumptions[i].what, assumptions[i].at);
    // The smallest sets: one assumption, else two, for a verdict the removal of all
    // takes away.
    let mut rests_on: BTreeMap<&str, Vec<Vec<usize>>> = BTreeMap::new();
    for key in base.keys().filter(|k| is_verdict(k)) {
        let singles: Vec<Vec<usize>> = (0..assumptions.len())
            .filter(|&i| !without[i].contains_key(key))
            .map(|i| vec![i])
            .collect();
        rests_on.insert(key, singles);
    }
    if !assumptions.is_empty() {
        let mut none = this.without_assumptions();
        let bare = verdicts_of(&mut none)?;
        readings += 1;
        let mut tried = 0;
        for key in base.keys().filter(|k| is_verdict(k)) {
            if !rests_on[key.as_str()].is_empty() || bare.contains_key(key) {
                continue;
            }
            let mut pairs = Vec::new();
            'pairs: for a in 0..assumptions.len() {
                for b in a + 1..assumptions.len() {
                    if tried == MAX_PAIRS {
                        break 'pairs;
                    }
                    tried += 1;
                    let mut fork = this.without_assumed(&|j| j == a || j == b);
                    readings += 1;
                    if !verdicts_of(&mut fork)?.contains_key(key) {
                        pairs.push(vec![a, b]);
                    }
                }
            }
            rests_on.insert(key, pairs);
        }
    }
    // The parameters the theory declares, each over its range.
    let sweeps = sweeps(this)?;
    let mut swept: Vec<(Sweep, Vec<(i64, Reading)>)> = Vec::new();
    for sweep in sweeps {
        let mut by_value = Vec::new();
        for value in sweep.range.0..=sweep.range.1 {
            let mut fork = with_setting(this, &sweep.setting, value)?;
            by_value.push((value, verdicts_of(&mut fork)?));
            readings += 1;
        }
        swept.push((sweep, by_value));
    }
    let mut verdicts = Vec::new();
    for (key, fact) in base.iter().filter(|(k, _)| is_verdict(k)) {
        let sets: Vec<Vec<String>> = rests_on[key.as_str()]
            .iter()
            .map(|set| set.iter().map(|&i| named(i)).collect())
            .collect();
        let holds_with: Vec<Holds> = swept
            .iter()
            .map(|(sweep, by_value)| Holds {
                setting: sweep.setting.clone(),
                values: by_value
                    .iter()
                    .filter(|(_, r)| r.contains_key(key))
                    .map(|(v, _)| *v)
                    .collect(),
                tried: by_value.iter().map(|(v, _)| *v).collect(),
            })
            .collect();
        // What the change is instead, in a reading that takes the verdict away.
        let instead = |reading: &Reading| -> String {
            match other_verdict(reading, key) {
                Some(pred) => format!("it is then {pred}"),
                None if key.starts_with(MISSED) => {
                    let window = key.trim_start_matches(MISSED).trim_start_matches('(');
                    if reading.contains_key(&format!("{OPENS}{window}")) {
                        "the window is then used".to_string()
                    } else {
                        "no such window opens then".to_string()
                    }
                }
                None => "it then has no verdict".to_string(),
            }
        };
        let removals: Vec<String> = rests_on[key.as_str()]
            .iter()
            .filter(|set| set.len() == 1)
            .map(|set| {
                let i = set[0];
                let own = own_enactment(&assumptions[i].what, key);
                if own {
                    format!(
                        "its own enactment is the modeller's assumption: {}",
                        named(i)
                    )
                } else {
                    format!("without {} {}", named(i), instead(&without[i]))
                }
            })
            .collect();
        let settings: Vec<String> = swept
            .iter()
            .filter_map(|(sweep, by_value)| {
                let failing: Vec<(i64, String)> = by_value
                    .iter()
                    .filter(|(_, r)| !r.contains_key(key))
                    .map(|(v, r)| (*v, instead(r)))
                    .collect();
                if failing.is_empty() {
                    return None;
                }
                // Values grouped by what the change is instead.
                let mut by_instead: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
                for (v, what) in &failing {
                    by_instead.entry(what.as_str()).or_default().push(*v);
                }
                let holding: Vec<i64> = by_value
                    .iter()
                    .filter(|(_, r)| r.contains_key(key))
                    .map(|(v, _)| *v)
                    .collect();
                let said: Vec<String> = by_instead
                    .iter()
                    .map(|(what, values)| {
                        format!("with {} {} {what}", sweep.setting, ranges(values))
                    })
                    .collect();
                let holds = if holding.is_empty() {
                    "with no value tried".to_string()
                } else {
                    format!("with {}", ranges(&holding))
                };
                Some(format!("{} (it holds {holds})", said.join(", ")))
            })
            .collect();
        let (robust, mut reason) = judge(&sets, &removals, &settings, swept.len());
        // A verdict that holds at another time is the same verdict: said, so that a table
        // that compares dates (`kingdon compare`) and this one read alike.
        let moved: Vec<String> = swept
            .iter()
            .filter_map(|(sweep, by_value)| {
                let values: Vec<i64> = by_value
                    .iter()
                    .filter(|(_, r)| r.get(key).is_some_and(|f| f != fact))
                    .map(|(v, _)| *v)
                    .collect();
                (!values.is_empty()).then(|| format!("{} {}", sweep.setting, ranges(&values)))
            })
            .collect();
        if !moved.is_empty() {
            reason.push_str(&format!("; at another time with {}", moved.join(", with ")));
        }
        // Fragile only because the enactment judged is itself the modeller's: nothing of
        // the theory's reading is at stake.
        let own = rests_on[key.as_str()].len() == 1
            && settings.is_empty()
            && own_enactment(&assumptions[rests_on[key.as_str()][0][0]].what, key);
        verdicts.push(VerdictRobustness {
            verdict: fact.clone(),
            robust,
            reason,
            rests_on: sets,
            holds_with,
            assumed_enactment: own,
        });
    }
    // What another reading reaches that the case does not.
    let mut appear: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, reading) in without.iter().enumerate() {
        for (key, fact) in reading.iter().filter(|(k, _)| is_verdict(k)) {
            if !base.contains_key(key) {
                appear
                    .entry(fact.clone())
                    .or_default()
                    .push(format!("without {}", named(i)));
            }
        }
    }
    for (sweep, by_value) in &swept {
        let mut values: BTreeMap<&String, Vec<i64>> = BTreeMap::new();
        for (value, reading) in by_value {
            for (key, fact) in reading.iter().filter(|(k, _)| is_verdict(k)) {
                if !base.contains_key(key) {
                    values.entry(fact).or_default().push(*value);
                }
            }
        }
        for (fact, values) in values {
            appear.entry(fact.clone()).or_default().push(format!(
                "with {} {}",
                sweep.setting,
                ranges(&values)
            ));
        }
    }
    Ok(Some(Robustness {
        verdicts,
        appear: appear
            .into_iter()
            .map(|(verdict, when)| Appearance { verdict, when })
            .collect(),
        assumptions: (0..assumptions.len()).map(named).collect(),
        settings: swept.into_iter().map(|(s, _)| s).collect(),
        readings,
        unbacked: this.unbacked(),
    }))
}

/// A fork of the knowledge base with a parameter set to a value: its stated facts
/// retracted, one fact of the value stated (`default_window_length(3)`, or
/// `window_length(political, 3)` for a setting with a key).
fn with_setting(kb: &KnowledgeBase, setting: &str, value: i64) -> Result<KnowledgeBase, Error> {
    let mut fork = kb.clone();
    let (pattern, fact) = match setting.split_once('(') {
        Some((pred, rest)) => {
            let key = rest.trim_end_matches(", _)");
            (
                format!("{pred}({key}, _)"),
                format!("{pred}({key}, {value})"),
            )
        }
        None => (format!("{setting}(_)"), format!("{setting}({value})")),
    };
    let name = pattern.split('(').next().unwrap_or_default();
    if fork.predicates().iter().any(|p| p.name == name) {
        fork.retract(&pattern)?;
    }
    fork.load_str("<setting>", &format!("{fact}."))?;
    Ok(fork)
}

/// Robust, or fragile with the reason: the single removals that take a verdict away (each
/// said with what the change is then), else the smallest set of assumptions that does, and
/// the settings with which it does not hold.
fn judge(
    sets: &[Vec<String>],
    removals: &[String],
    settings: &[String],
    swept: usize,
) -> (bool, String) {
    let mut why: Vec<String> = removals.to_vec();
    if removals.is_empty() {
        if let Some(set) = sets.first() {
            why.push(format!(
                "does not hold without both of these (either alone holds it up): {}",
                set.join(" and ")
            ));
        }
    }
    why.extend(settings.iter().cloned());
    if why.is_empty() {
        (
            true,
            format!(
                "holds without any one assumption and with every value of {swept} parameter{} tried",
                if swept == 1 { "" } else { "s" }
            ),
        )
    } else {
        (false, why.join("; "))
    }
}

/// The verdict a reading gives the subject of `key` (`order_unknown(c)` → `policy_change`
/// when that reading explains `c`), if another.
fn other_verdict(reading: &Reading, key: &str) -> Option<String> {
    let (pred, subject) = key.split_once('(')?;
    // A change is judged by the verdicts on changes; a window of the same name is another
    // thing.
    let changes = [CHANGE, ORDER_UNKNOWN, UNEXPLAINED];
    if !changes.contains(&pred) {
        return None;
    }
    reading.keys().find_map(|k| {
        let (p, s) = k.split_once('(')?;
        (s == subject && p != pred && changes.contains(&p)).then(|| p.to_string())
    })
}

/// Whether an assumption is the enactment a verdict judges: `enacted(c, …) @ …` for a
/// verdict on `c` (taking it away leaves nothing to judge).
fn own_enactment(assumption: &str, key: &str) -> bool {
    let Some((_, subject)) = key.split_once('(') else {
        return false;
    };
    let subject = subject.trim_end_matches(')');
    assumption.starts_with(&format!("enacted({subject},"))
}

/// Values as runs: `1, 3–4`.
fn ranges(values: &[i64]) -> String {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for &v in values {
        match runs.last_mut() {
            Some((_, hi)) if *hi + 1 == v => *hi = v,
            _ => runs.push((v, v)),
        }
    }
    runs.iter()
        .map(|(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}–{hi}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The verdicts of a reading, by atom.
fn verdicts_of(kb: &mut KnowledgeBase) -> Result<Reading, Error> {
    let mut out = Reading::new();
    let named: BTreeSet<String> = kb.predicates().into_iter().map(|p| p.name).collect();
    for pred in VERDICTS {
        for fact in crate::verdicts::facts(kb, pred)? {
            let text = fact.to_string();
            let key = text.split(" @ ").next().unwrap_or_default().to_string();
            out.insert(key, text);
        }
    }
    // Which windows open, to tell a window that no longer opens from one used.
    if named.contains("window") {
        for fact in kb.fact_data(Some("window"))? {
            if let Some(w) = fact.args.first() {
                out.insert(format!("{OPENS}{w})"), fact.to_string());
            }
        }
    }
    Ok(out)
}

/// The key under which a reading records that a window opens: `window(W)`.
const OPENS: &str = "window(";

/// Whether a key of a reading is a verdict (not a window's opening).
fn is_verdict(key: &str) -> bool {
    !key.starts_with(OPENS)
}

/// The parameters the theory declares (`parameter(P, Lo, Hi)`), each with the value the
/// case holds: one setting for a parameter of one argument, and for one of two (a length per
/// kind of window) one setting per key: the keys its facts name, and for `window_length`
/// each kind of window the case opens.
fn sweeps(kb: &mut KnowledgeBase) -> Result<Vec<Sweep>, Error> {
    let named: BTreeSet<String> = kb.predicates().into_iter().map(|p| p.name).collect();
    if !named.contains(PARAMETER) {
        return Ok(Vec::new());
    }
    let int = |c: &Const| match c {
        Const::Int(n) => Some(*n),
        _ => None,
    };
    let mut out = Vec::new();
    for declared in kb.fact_data(Some(PARAMETER))? {
        let [Const::Sym(pred), lo, hi] = declared.args.as_slice() else {
            continue;
        };
        let (Some(lo), Some(hi)) = (int(lo), int(hi)) else {
            continue;
        };
        if lo > hi || hi - lo > 100 {
            continue;
        }
        let facts = if named.contains(pred.as_ref()) {
            kb.fact_data(Some(pred))?
        } else {
            Vec::new()
        };
        let arity = kb
            .predicates()
            .iter()
            .find(|p| p.name == pred.as_ref())
            .map_or(1, |p| p.arity);
        if arity == 1 {
            out.push(Sweep {
                setting: pred.to_string(),
                value: facts.first().and_then(|f| f.args.first()).and_then(int),
                range: (lo, hi),
            });
            continue;
        }
        let mut keys: BTreeSet<String> = facts
            .iter()
            .filter_map(|f| f.args.first().map(ToString::to_string))
            .collect();
        if pred.as_ref() == "window_length" && named.contains("window") {
            for window in kb.fact_data(Some("window"))? {
                if let Some(kind) = window.args.get(1) {
                    keys.insert(kind.to_string());
                }
            }
        }
        for key in keys {
            let value = facts
                .iter()
                .find(|f| f.args.first().map(ToString::to_string).as_deref() == Some(&key))
                .and_then(|f| f.args.get(1))
                .and_then(int);
            out.push(Sweep {
                setting: format!("{pred}({key}, _)"),
                value,
                range: (lo, hi),
            });
        }
    }
    Ok(out)
}
