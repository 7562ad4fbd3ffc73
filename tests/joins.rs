//! The fast paths of joins answer what the rules say: each program here derives a relation
//! through a path the planner makes faster (a negation narrowed to the rows under its outer
//! key, an index laid out in runs) and the answer is checked against the same answer computed
//! in plain Rust from the same data.

use std::collections::{BTreeSet, HashMap};

use kingdon::{Const, KnowledgeBase};

/// The pairs `(X, Z)` a query of two integer variables answers.
fn pairs(kb: &mut KnowledgeBase, query: &str) -> BTreeSet<(i64, i64)> {
    kb.query(query)
        .expect("the query runs")
        .rows
        .into_iter()
        .map(|row| match row.as_slice() {
            [Some(Const::Int(x)), Some(Const::Int(z))] => (*x, *z),
            other => panic!("two integers, not {other:?}"),
        })
        .collect()
}

/// A row of `c` beside its `(X, Z)`: its third column and its time.
type Beside = (i64, Option<i64>);

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> i64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n) as i64
    }
}

/// `r(X, Z) :- a(X, Y), b(Y, Z), X < Z, not c(X, Z) …` over `a`, `b` and a `c` of `c_rows`
/// rows, timed and timeless, with some `X` under which `c` has many rows (more than a
/// narrowed negation walks): the engine's answers against the ones computed here, for the
/// negation of any time, of the year 2005, and of a column written twice.
fn narrowed_negation_agrees(c_rows: usize) {
    let mut rng = Rng(7);
    let mut text = String::new();
    let a: Vec<(i64, i64)> = (0..400).map(|x| (x, rng.below(40))).collect();
    let b: Vec<(i64, i64)> = (0..40)
        .flat_map(|y| (0..12).map(move |k| (y, k * 37 % 500)))
        .collect();
    // `c(X, Z, W)` at a time or none: X = 3 and 5 have dozens of rows; the rest few.
    let mut c: Vec<(i64, i64, i64, Option<i64>)> = Vec::new();
    for (i, z) in (0..60).map(|i| (i, i * 7 % 500)) {
        c.push((3, z, 3, None));
        c.push((5, z, i % 2, Some(2004 + i % 3)));
    }
    // About 2 000 rows on candidates' `X` (some on the candidates themselves), the rest
    // elsewhere: they make the relation large, not the answer empty.
    let mut near = 0;
    while c.len() < c_rows {
        let x = if near < 2_000 && rng.below(4) == 0 {
            near += 1;
            rng.below(400)
        } else {
            1_000 + rng.below(1_000_000)
        };
        let z = if rng.below(2) == 0 {
            b[rng.below(b.len() as u64) as usize].1
        } else {
            rng.below(500)
        };
        let w = if rng.below(2) == 0 {
            x
        } else {
            rng.below(1_000)
        };
        let time = (rng.below(3) == 0).then(|| 2004 + rng.below(3));
        c.push((x, z, w, time));
    }
    for (x, y) in &a {
        text += &format!("a({x}, {y}).\n");
    }
    for (y, z) in &b {
        text += &format!("b({y}, {z}).\n");
    }
    for (x, z, w, t) in &c {
        let at = t.map(|t| format!(" @ {t}")).unwrap_or_default();
        text += &format!("c({x}, {z}, {w}){at}.\n");
    }
    text += "r(X, Z) :- a(X, Y), b(Y, Z), X < Z, not c(X, Z, _).\n\
             in2005(X, Z) :- a(X, Y), b(Y, Z), X < Z, not c(X, Z, _) @ 2005.\n\
             twice(X, Z) :- a(X, Y), b(Y, Z), X < Z, not c(X, Z, X).\n";
    let mut kb = KnowledgeBase::new();
    kb.load_str("<joins>", &text).expect("a valid program");
    let candidates: Vec<(i64, i64)> = a
        .iter()
        .flat_map(|&(x, y)| b.iter().filter(move |b| b.0 == y).map(move |b| (x, b.1)))
        .filter(|(x, z)| x < z)
        .collect();
    let mut under: HashMap<(i64, i64), Vec<Beside>> = HashMap::new();
    for &(x, z, w, t) in &c {
        under.entry((x, z)).or_default().push((w, t));
    }
    let expected = |blocks: &dyn Fn(i64, &Beside) -> bool| {
        candidates
            .iter()
            .filter(|&&(x, z)| {
                !under
                    .get(&(x, z))
                    .is_some_and(|v| v.iter().any(|r| blocks(x, r)))
            })
            .copied()
            .collect::<BTreeSet<_>>()
    };
    let r = expected(&|_, _| true);
    let in2005 = expected(&|_, &(_, t)| t == Some(2005));
    let twice = expected(&|x, &(w, _)| w == x);
    assert!(r.len() > 100 && r.len() < candidates.len(), "{}", r.len());
    assert_eq!(pairs(&mut kb, "r(X, Z)"), r);
    assert_eq!(pairs(&mut kb, "in2005(X, Z)"), in2005);
    assert_eq!(pairs(&mut kb, "twice(X, Z)"), twice);
}

#[test]
fn a_narrowed_negation_answers_as_the_whole_key_does() {
    narrowed_negation_agrees(3_000);
}

/// The same with a negated relation past the size at which indexes are laid out in runs
/// (2^18 rows).
#[test]
fn a_narrowed_negation_over_runs_answers_as_the_whole_key_does() {
    narrowed_negation_agrees(270_000);
}

/// `out(K, V) :- pick(K), big(K, V), V > 100, not skip(K, V).` where one key of `big` has
/// 10 000 rows (more than an innermost scan gathers at a time), half of them dated 2005: every
/// row under the key is read, in chunks, the comparison, the negation and the time checked on
/// each; `big` of `rows` rows in all (past 2^18 its index is in runs).
fn a_wide_key_agrees(rows: usize) {
    let mut rng = Rng(11);
    let mut big: Vec<(i64, i64, Option<i64>)> = (0..10_000)
        .map(|v| (1, v, (v % 2 == 0).then_some(2005)))
        .collect();
    big.extend((0..5).map(|v| (2, 200 + v, None)));
    while big.len() < rows {
        big.push((10 + rng.below(1_000_000), rng.below(1_000), None));
    }
    let mut text = String::from("pick(1).\npick(2).\n");
    for (k, v, t) in &big {
        let at = t.map(|t| format!(" @ {t}")).unwrap_or_default();
        text += &format!("big({k}, {v}){at}.\n");
    }
    for v in (0..10_000).step_by(7) {
        text += &format!("skip(1, {v}).\n");
    }
    text += "out(K, V) :- pick(K), big(K, V), V > 100, not skip(K, V).\n\
             dated(K, V) :- pick(K), big(K, V) @ 2005, V > 100, not skip(K, V).\n";
    let mut kb = KnowledgeBase::new();
    kb.load_str("<wide>", &text).expect("a valid program");
    let expected = |dated: bool| {
        big.iter()
            .filter(|&&(k, v, t)| {
                (k == 1 || k == 2) && v > 100 && !(k == 1 && v % 7 == 0) && (!dated || t.is_some())
            })
            .map(|&(k, v, _)| (k, v))
            .collect::<BTreeSet<_>>()
    };
    let out = expected(false);
    assert!(out.len() > 8_000, "{}", out.len());
    assert_eq!(pairs(&mut kb, "out(K, V)"), out);
    assert_eq!(pairs(&mut kb, "dated(K, V)"), expected(true));
}

#[test]
fn a_key_wider_than_a_gathering_answers_every_row() {
    a_wide_key_agrees(12_000);
}

/// The same with `big` in runs.
#[test]
fn a_key_wider_than_a_gathering_over_runs_answers_every_row() {
    a_wide_key_agrees(270_000);
}

/// The conditions and bindings that compute integers after an innermost scan (run over its
/// gathered rows a column at a time): a window of years between two dated atoms, a division
/// that has no value on some rows, a negation, two columns of the row against each other, a
/// copy, and integers too large to be kept in a value's id, each against the answer computed
/// here.
#[test]
fn integer_conditions_after_a_scan_answer_as_computed_row_by_row() {
    let mut rng = Rng(23);
    // `opened(K) @ T1` and `ev(K, V, W) @ T2`: forty rows a key, some times months.
    let time = |rng: &mut Rng| {
        let year = 2000 + rng.below(10);
        match rng.below(2) {
            0 => (year, format!("{year}")),
            _ => (year, format!("{year}-{:02}", 1 + rng.below(12))),
        }
    };
    let mut text = String::new();
    let mut opened = Vec::new();
    for k in 0..60 {
        let (year, written) = time(&mut rng);
        let s = rng.below(40) - 10;
        opened.push((k, year, s));
        text += &format!("opened({k}, {s}) @ {written}.\n");
    }
    let mut ev = Vec::new();
    for k in 0..60 {
        for _ in 0..40 {
            let big = if k % 7 == 0 { 1 << 41 } else { 0 };
            let v = rng.below(200) - 100 + big;
            // A divisor of 0 (no value) under a fifth of the keys only: the others' rows all
            // divide, and run as passes.
            let w = if k % 5 == 0 {
                rng.below(5)
            } else {
                1 + rng.below(4)
            };
            let (year, written) = time(&mut rng);
            ev.push((k, v, w, year));
            text += &format!("ev({k}, {v}, {w}) @ {written}.\n");
        }
    }
    text += "win(K, Y) :- opened(K, _) @ T1, ev(K, _, _) @ T2, Y = year(T2), \
                 Y - year(T1) <= 2, Y >= year(T1).\n\
             scaled(K, Q) :- opened(K, S), ev(K, V, W), Q = V / W, Q * 2 > S, -Q < S + 50.\n\
             both(K, V) :- opened(K, S), ev(K, V, W), V - W > S - 10, Z = V, \
                 Z + W < 2199023255600.\n\
             tripled(K, T) :- opened(K, S), ev(K, V, W), Z = V + W, Z - S > 2, T = Z * 3, \
                 T - Z > 4, not dropped(K, T).\n";
    // `dropped` under the outer key: a narrowed negation reading the second computed column,
    // on the `T` of the first match under keys 1, 2 and 7.
    let first_match = |k: i64| {
        let s = opened.iter().find(|o| o.0 == k).map_or(0, |o| o.2);
        let z = ev
            .iter()
            .filter(|e| e.0 == k)
            .map(|e| e.1 + e.2)
            .find(|&z| z - s > 2 && 2 * z > 4)
            .unwrap_or_default();
        (k, 3 * z)
    };
    let dropped = [first_match(1), first_match(2), first_match(7)];
    for (k, t) in dropped {
        text += &format!("dropped({k}, {t}).\n");
    }
    let mut kb = KnowledgeBase::new();
    kb.load_str("<integers>", &text).expect("a valid program");
    let mut win = BTreeSet::new();
    let mut scaled = BTreeSet::new();
    let mut both = BTreeSet::new();
    let mut tripled = BTreeSet::new();
    let mut dropped_hit = 0;
    for &(k, y1, s) in &opened {
        for &(_, v, w, y2) in ev.iter().filter(|e| e.0 == k) {
            if y2 - y1 <= 2 && y2 >= y1 {
                win.insert((k, y2));
            }
            if let Some(q) = v.checked_div(w) {
                if q * 2 > s && -q < s + 50 {
                    scaled.insert((k, q));
                }
            }
            if v - w > s - 10 && v + w < 2_199_023_255_600 {
                both.insert((k, v));
            }
            let (z, t) = (v + w, 3 * (v + w));
            if z - s > 2 && t - z > 4 {
                match dropped.contains(&(k, t)) {
                    true => dropped_hit += 1,
                    false => _ = tripled.insert((k, t)),
                }
            }
        }
    }
    let all = [
        ("win", &win),
        ("scaled", &scaled),
        ("both", &both),
        ("tripled", &tripled),
    ];
    for (name, set) in all {
        assert!(set.len() > 100, "{name}: {}", set.len());
    }
    assert!(
        tripled.iter().any(|&(_, t)| t > 1 << 42),
        "large integers in `tripled`"
    );
    assert!(
        dropped_hit >= 2,
        "`dropped` strikes out {dropped_hit} matches"
    );
    assert!(
        both.iter().any(|&(_, v)| v > 1 << 40),
        "large integers in `both`"
    );
    assert_eq!(pairs(&mut kb, "win(K, Y)"), win);
    assert_eq!(pairs(&mut kb, "scaled(K, Q)"), scaled);
    assert_eq!(pairs(&mut kb, "both(K, V)"), both);
    assert_eq!(pairs(&mut kb, "tripled(K, T)"), tripled);
}

/// Where a row's value makes arithmetic fail after an innermost scan, the error is the one a
/// run row by row meets first, whichever step of another row would fail too: the same rule,
/// its scan made not the innermost by an atom after it, reports the same error. The rows come
/// in both orders, so that in one of them the first row to fail fails at the later step; and
/// with the first step computed for every row before two rows fail at the second.
#[test]
fn an_error_after_a_scan_is_the_one_met_row_by_row() {
    let error = |rows: &[&str], rule: &str| {
        let mut kb = KnowledgeBase::new();
        let text = format!("pick(1).\none(0).\n{}\n{rule}\n", rows.join("\n"));
        kb.load_str("<errors>", &text).expect("a valid program");
        match kb.query("bad(K, Q)") {
            Ok(_) => panic!("`{rule}` runs without an error"),
            Err(e) => e.to_string(),
        }
    };
    // Under key 1: one row fails at `A + 1`, another only at `B + 1`; then two rows that
    // fail only at `B + 1`, each with its own symbol.
    let cases = [
        [
            "ev(1, 5, 6).",
            "ev(1, x, 2).",
            "ev(1, 3, y).",
            "ev(1, 4, 4).",
        ],
        [
            "ev(1, 5, 6).",
            "ev(1, 2, x).",
            "ev(1, 3, y).",
            "ev(1, 4, 4).",
        ],
    ];
    for rows in cases {
        let mut met = BTreeSet::new();
        for rows in [rows.to_vec(), rows.iter().rev().copied().collect()] {
            let gathered = error(
                &rows,
                "bad(K, Q) :- pick(K), ev(K, A, B), X = A + 1, Q = B + 1.",
            );
            let row_by_row = error(
                &rows,
                "bad(K, Q) :- pick(K), ev(K, A, B), X = A + 1, Q = B + 1, one(_).",
            );
            assert_eq!(gathered, row_by_row);
            met.insert(gathered);
        }
        assert_eq!(met.len(), 2, "{met:?}");
    }
}
