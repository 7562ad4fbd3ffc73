//! Deterministic workload generators shared by the benchmarks: each returns `.msf` text
//! (facts, then rules) and the query whose answers the benchmark counts. Seeds are fixed, so
//! every run sees the same data.

#![allow(dead_code)]

use std::fmt::Write as _;

/// A small deterministic generator (SplitMix64), so that benchmarks need no random crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A workload: its name, program text, and the query to answer.
pub struct Workload {
    pub name: String,
    pub program: String,
    pub query: &'static str,
}

const TC: &str = "path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n";

/// The edges of a chain `0 -> 1 -> … -> n`.
pub fn chain_edges(n: u64) -> Vec<(u64, u64)> {
    (0..n).map(|i| (i, i + 1)).collect()
}

/// `edges` distinct random edges over `nodes` nodes (seeded).
pub fn random_edges(nodes: u64, edges: u64, seed: u64) -> Vec<(u64, u64)> {
    let mut rng = Rng::new(seed);
    let mut seen = std::collections::BTreeSet::new();
    while (seen.len() as u64) < edges {
        seen.insert((rng.below(nodes), rng.below(nodes)));
    }
    seen.into_iter().collect()
}

/// A random tree: node `i > 0` has a parent among the nodes before it (seeded).
pub fn random_tree(nodes: u64, seed: u64) -> Vec<(u64, u64)> {
    let mut rng = Rng::new(seed);
    (1..nodes).map(|i| (rng.below(i), i)).collect()
}

/// A deep tree: node `i > 0` has a parent among the `window` nodes just before it (seeded),
/// so that each generation is a band of about `window` nodes and same generation grows
/// linearly in the nodes (about 24 facts a node for a window of 45).
pub fn band_tree(nodes: u64, window: u64, seed: u64) -> Vec<(u64, u64)> {
    let mut rng = Rng::new(seed);
    (1..nodes)
        .map(|i| (i - 1 - rng.below(window.min(i)), i))
        .collect()
}

fn facts(out: &mut String, pred: &str, pairs: &[(u64, u64)]) {
    for (a, b) in pairs {
        let _ = writeln!(out, "{pred}({a}, {b}).");
    }
}

/// Transitive closure on a chain of `n` edges.
pub fn tc_chain(n: u64) -> Workload {
    let mut program = String::new();
    facts(&mut program, "edge", &chain_edges(n));
    program.push_str(TC);
    Workload {
        name: format!("tc chain {n}"),
        program,
        query: "path(X, Y)",
    }
}

/// Transitive closure on a random graph of `n` nodes and `2n` edges.
pub fn tc_random(n: u64) -> Workload {
    let mut program = String::new();
    facts(&mut program, "edge", &random_edges(n, 2 * n, 42));
    program.push_str(TC);
    Workload {
        name: format!("tc random {n}"),
        program,
        query: "path(X, Y)",
    }
}

/// Same generation on a random tree of `n` nodes.
pub fn same_generation(n: u64) -> Workload {
    let mut program = String::new();
    facts(&mut program, "parent", &random_tree(n, 7));
    program.push_str(
        "person(X) :- parent(X, _).\nperson(X) :- parent(_, X).\nsg(X, X) :- person(X).\n\
         sg(X, Y) :- parent(XP, X), sg(XP, YP), parent(YP, Y).\n",
    );
    Workload {
        name: format!("same generation {n}"),
        program,
        query: "sg(X, Y)",
    }
}

/// A 3-way join with a negation over relations of `n` facts each.
pub fn join3_negation(n: u64) -> Workload {
    let mut program = String::new();
    for (i, pred) in ["r", "s", "t", "u"].iter().enumerate() {
        facts(&mut program, pred, &random_edges(n, n, 100 + i as u64));
    }
    program.push_str("j(X, W) :- r(X, Y), s(Y, Z), t(Z, W), not u(X, W).\n");
    Workload {
        name: format!("join3 + not {n}"),
        program,
        query: "j(X, W)",
    }
}

/// The data of a policy-event base: events `(stream, id, topic, year, month)` with stream 0
/// problem, 1 politics, 2 policy; `(topic, person)` entrepreneurs; vetoed topics.
pub struct PolicyData {
    pub events: Vec<(u8, u64, u64, u64, u64)>,
    pub entrepreneurs: Vec<(u64, u64)>,
    pub vetoed: Vec<u64>,
}

/// `n` dated events in three streams over `n / 100` topics, years 1990 to 2020 (seeded).
pub fn policy_data(n: u64) -> PolicyData {
    policy_data_over(n, (n / 100).max(1))
}

/// `n` dated events in three streams over `topics` topics (zones), years 1990 to 2020
/// (seeded): half the topics have an entrepreneur, a fifth are vetoed.
pub fn policy_data_over(n: u64, topics: u64) -> PolicyData {
    let mut rng = Rng::new(2024);
    let topics = topics.max(1);
    let events = (0..n)
        .map(|e| {
            let (topic, year, month) = (rng.below(topics), 1990 + rng.below(31), 1 + rng.below(12));
            ((e % 3) as u8, e, topic, year, month)
        })
        .collect();
    let mut entrepreneurs = Vec::new();
    let mut vetoed = Vec::new();
    for t in 0..topics {
        if rng.below(2) == 0 {
            entrepreneurs.push((t, rng.below(50)));
        }
        if rng.below(5) == 0 {
            vetoed.push(t);
        }
    }
    PolicyData {
        events,
        entrepreneurs,
        vetoed,
    }
}

/// The rules of the policy-event base: windows open when a political and a problem event on a
/// topic fall within two years; changes happen when a viable alternative and an entrepreneur
/// coincide with a window; `busy` counts each topic's window years.
pub const POLICY_RULES: &str = "\
window(T, Y) :- problem(_, T) @ T1, politics(_, T) @ T2, Y = year(T2), Y - year(T1) <= 2, Y >= year(T1).
viable(T, Y) :- policy(_, T) @ D, Y = year(D), not vetoed(T).
change(T, Y) :- window(T, Y), viable(T, Y), entrepreneur(T, _).
busy(T, N) :- window(T, _), N = count { window(T, Y) }.
";

/// A policy-event base of `n` dated events in three streams over `n / 100` topics, with
/// [`POLICY_RULES`].
pub fn policy_events(n: u64) -> Workload {
    let data = policy_data(n);
    let mut program = String::new();
    for (stream, e, topic, year, month) in &data.events {
        let stream = ["problem", "politics", "policy"][*stream as usize];
        let _ = writeln!(program, "{stream}(e{e}, t{topic}) @ {year}-{month:02}.");
    }
    for (t, p) in &data.entrepreneurs {
        let _ = writeln!(program, "entrepreneur(t{t}, p{p}).");
    }
    for t in &data.vetoed {
        let _ = writeln!(program, "vetoed(t{t}).");
    }
    program.push_str(POLICY_RULES);
    Workload {
        name: format!("policy events {n}"),
        program,
        query: "change(T, Y)",
    }
}

/// The relations `a`, `b`, `c` of the join with an order filter and a negation
/// ([`JOIN_ORDER_RULE`]), `n` distinct rows each (seeded): `a(X, Y)` and `b(Y, Z)` with `X`
/// and `Z` over `n` values and the join column `Y` over `n / 10`, so that each `Y` joins about
/// ten rows of `a` with ten of `b` (about `10 n` candidates); half of `c` is pairs `(X, Z)`
/// the join makes, half random pairs.
pub fn join_order_data(n: u64) -> [Vec<(u64, u64)>; 3] {
    let keys = (n / 10).max(1);
    let mut rng = Rng::new(77);
    let set = |rng: &mut Rng, first: u64, second: u64| {
        let mut seen = std::collections::BTreeSet::new();
        while (seen.len() as u64) < n {
            seen.insert((rng.below(first), rng.below(second)));
        }
        seen.into_iter().collect::<Vec<_>>()
    };
    let a = set(&mut rng, n, keys);
    let b = set(&mut rng, keys, n);
    // The rows of `b` under each key, to make pairs the join derives.
    let mut by_key: Vec<Vec<u64>> = vec![Vec::new(); keys as usize];
    for &(y, z) in &b {
        by_key[y as usize].push(z);
    }
    let mut c = std::collections::BTreeSet::new();
    while (c.len() as u64) < n / 2 {
        let (x, y) = a[rng.below(n) as usize];
        let zs = &by_key[y as usize];
        if !zs.is_empty() {
            c.insert((x, zs[rng.below(zs.len() as u64) as usize]));
        }
    }
    while (c.len() as u64) < n {
        c.insert((rng.below(n), rng.below(n)));
    }
    [a, b, c.into_iter().collect()]
}

/// A two-way join with an order filter and a negation over [`join_order_data`].
pub const JOIN_ORDER_RULE: &str = "r(X, Z) :- a(X, Y), b(Y, Z), X < Z, not c(X, Z).\n";

/// The join with an order filter and a negation over relations of `n` rows.
pub fn join_order(n: u64) -> Workload {
    let mut program = String::new();
    for (pred, rows) in ["a", "b", "c"].iter().zip(join_order_data(n)) {
        facts(&mut program, pred, &rows);
    }
    program.push_str(JOIN_ORDER_RULE);
    Workload {
        name: format!("join + order + not {n}"),
        program,
        query: "r(X, Z)",
    }
}

/// The events of `zones` zones, ten a zone (seeded): `(zone, year, kind, id)` with the year
/// in 1990..=2020 and the kind 0 (a problem), 1 (politics) or 2 (a policy), ids distinct.
pub fn zone_events(zones: u64) -> Vec<(u64, u64, u64, u64)> {
    let mut rng = Rng::new(2026);
    (0..zones * 10)
        .map(|id| (id / 10, 1990 + rng.below(31), rng.below(3), id))
        .collect()
}

/// Window and change rules over [`zone_events`]: a 4-column relation joined to itself with
/// constants in its atoms and range conditions between the two years.
pub const ZONE_RULES: &str = "\
window(Z, Y) :- event(Z, Y, 1, _), event(Z, P, 0, _), Y - 2 <= P, P <= Y.
change(Z, Y) :- event(Z, Y, 2, _), window(Z, W), W - 2 <= Y, Y <= W + 2.
";

/// The window and change rules over the events of `zones` zones.
pub fn zone_windows(zones: u64) -> Workload {
    let mut program = String::new();
    for (z, y, k, id) in zone_events(zones) {
        let _ = writeln!(program, "event({z}, {y}, {k}, {id}).");
    }
    program.push_str(ZONE_RULES);
    Workload {
        name: format!("zone windows {zones}"),
        program,
        query: "change(Z, Y)",
    }
}
