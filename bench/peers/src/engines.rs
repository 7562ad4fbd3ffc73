//! One measurement: build a workload's input for an engine, then time the engine's run and
//! take its peak memory. Each engine states the same rules in its own way; the answers counted
//! are those of the workload's query (`path`, `sg`, `j`), and for the policy base the changes
//! plus the `busy` counts (crepe has no aggregates: its counts are made by plain Rust after
//! the run, inside the timing).

use std::time::Instant;

use crate::workloads::{self, PolicyData};
use crate::Run;

/// The input of a workload, as plain vectors.
pub enum Data {
    /// Transitive closure over these edges.
    Edges(Vec<(u32, u32)>),
    /// Same generation over these parent links.
    Tree(Vec<(u32, u32)>),
    /// The 3-way join `j(X, W) :- r(X, Y), s(Y, Z), t(Z, W), not u(X, W)`: r, s, t, u.
    Join3([Vec<(u32, u32)>; 4]),
    /// The policy-event base.
    Policy(PolicyData),
    /// The join with an order filter and a negation,
    /// `r(X, Z) :- a(X, Y), b(Y, Z), X < Z, not c(X, Z)`: a, b, c.
    JoinOrder([Vec<(u32, u32)>; 3]),
    /// The window and change rules over `event(zone, year, kind, id)`.
    Zones(Vec<(u32, u32, u32, u32)>),
}

fn pairs(v: Vec<(u64, u64)>) -> Vec<(u32, u32)> {
    v.into_iter().map(|(a, b)| (a as u32, b as u32)).collect()
}

fn data(workload: &str, n: u64) -> Data {
    match workload {
        "tc-chain" => Data::Edges(pairs(workloads::chain_edges(n))),
        "tc-random" => Data::Edges(pairs(workloads::random_edges(n, 2 * n, 42))),
        "same-generation" => Data::Tree(pairs(workloads::random_tree(n, 7))),
        "join3-not" => Data::Join3(std::array::from_fn(|i| {
            pairs(workloads::random_edges(n, n, 100 + i as u64))
        })),
        "policy" => Data::Policy(workloads::policy_data(n)),
        "join-order" => Data::JoinOrder(workloads::join_order_data(n).map(pairs)),
        "zone-windows" => Data::Zones(quads(workloads::zone_events(n))),
        other => panic!("no workload `{other}`"),
    }
}

/// Events `(zone, year, kind, id)` as `u32`s.
pub fn quads(v: Vec<(u64, u64, u64, u64)>) -> Vec<(u32, u32, u32, u32)> {
    v.into_iter()
        .map(|(z, y, k, i)| (z as u32, y as u32, k as u32, i as u32))
        .collect()
}

/// kingdon's program for a workload, and the queries whose answers it counts.
pub fn program(workload: &str, n: u64) -> (String, &'static [&'static str]) {
    match workload {
        "tc-chain" => (workloads::tc_chain(n).program, &["path(X, Y)"]),
        "tc-random" => (workloads::tc_random(n).program, &["path(X, Y)"]),
        "same-generation" => (workloads::same_generation(n).program, &["sg(X, Y)"]),
        "join3-not" => (workloads::join3_negation(n).program, &["j(X, W)"]),
        "policy" => (
            workloads::policy_events(n).program,
            &["change(T, Y)", "busy(T, N)"],
        ),
        "join-order" => (workloads::join_order(n).program, &["r(X, Z)"]),
        "zone-windows" => (workloads::zone_windows(n).program, &["change(Z, Y)"]),
        other => panic!("no workload `{other}`"),
    }
}

/// Forgets the highest resident memory so far (Linux), so that the next reading covers what
/// follows.
fn reset_peak() {
    // Without the file (not Linux) the peak covers the input's construction too.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The highest resident memory since the last reset, in bytes.
fn peak() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Runs one engine on one workload of size `n`.
pub fn measure(engine: &str, workload: &str, n: u64) -> Run {
    if let Some(provenance) = match engine {
        "kingdon" => Some(true),
        "kingdon-noprov" => Some(false),
        _ => None,
    } {
        return kingdon(workload, n, provenance);
    }
    let input = data(workload, n);
    reset_peak();
    let start = Instant::now();
    let answers = run(engine, input);
    let time = start.elapsed();
    Run {
        answers,
        time,
        peak: peak(),
    }
}

/// Runs one of the compiled engines on its input; returns the count of answers.
pub fn run(engine: &str, input: Data) -> u64 {
    match engine {
        "ascent" => ascent_run(input),
        "crepe" => crepe_run(input),
        "datafrog" => datafrog_run(input),
        other => panic!("no engine `{other}`"),
    }
}

fn kingdon(workload: &str, n: u64, provenance: bool) -> Run {
    use kingdon::{KnowledgeBase, Limits, Options};
    let (text, queries) = program(workload, n);
    let mut kb = KnowledgeBase::with_options(Options {
        limits: Limits {
            provenance,
            ..Limits::default()
        },
        ..Options::default()
    });
    let loading = Instant::now();
    kb.load_str(workload, &text).expect("a valid program");
    if std::env::var_os("PEERS_EVALUATE_ONLY").is_some() {
        eprintln!("load: {:?} for {} bytes", loading.elapsed(), text.len());
    }
    drop(text);
    reset_peak();
    let start = Instant::now();
    kb.evaluate().expect("evaluates");
    let time = start.elapsed();
    let peak = peak();
    if std::env::var_os("PEERS_EVALUATE_ONLY").is_some() {
        // For profiling the evaluation alone (`perf record … peers measure kingdon …`).
        return Run {
            answers: 0,
            time,
            peak,
        };
    }
    let answers = queries
        .iter()
        .map(|q| kb.query(q).expect("answers").rows.len() as u64)
        .sum();
    Run {
        answers,
        time,
        peak,
    }
}

// ----- ascent --------------------------------------------------------------------------------

mod by_ascent {
    use ascent::aggregators::count;
    use ascent::ascent;

    ascent! {
        pub struct Tc;
        relation edge(u32, u32);
        relation path(u32, u32);
        path(x, y) <-- edge(x, y);
        path(x, z) <-- path(x, y), edge(y, z);
    }

    ascent! {
        pub struct Sg;
        relation parent(u32, u32);
        relation person(u32);
        relation sg(u32, u32);
        person(x) <-- parent(x, _);
        person(x) <-- parent(_, x);
        sg(x, x) <-- person(x);
        sg(x, y) <-- parent(xp, x), sg(xp, yp), parent(yp, y);
    }

    ascent! {
        pub struct Join3;
        relation r(u32, u32);
        relation s(u32, u32);
        relation t(u32, u32);
        relation u(u32, u32);
        relation j(u32, u32);
        j(x, w) <-- r(x, y), s(y, z), t(z, w), !u(x, w);
    }

    ascent! {
        pub struct Policy;
        relation problem(u32, u32, u32);
        relation politics(u32, u32, u32);
        relation policy(u32, u32, u32);
        relation entrepreneur(u32, u32);
        relation vetoed(u32);
        relation window(u32, u32);
        relation viable(u32, u32);
        relation change(u32, u32);
        relation busy(u32, usize);
        window(t, y2) <-- problem(_, t, y1), politics(_, t, y2), if y2 >= y1 && y2 - y1 <= 2;
        viable(t, y) <-- policy(_, t, y), !vetoed(t);
        change(t, y) <-- window(t, y), viable(t, y), entrepreneur(t, _);
        busy(t, n) <-- window(t, _), agg n = count() in window(t, _);
    }

    ascent! {
        pub struct JoinOrder;
        relation a(u32, u32);
        relation b(u32, u32);
        relation c(u32, u32);
        relation r(u32, u32);
        r(x, z) <-- a(x, y), b(y, z), if x < z, !c(x, z);
    }

    ascent! {
        pub struct Zones;
        relation event(u32, u32, u32, u32);
        relation window(u32, u32);
        relation change(u32, u32);
        window(z, y) <-- event(z, y, 1, _), event(z, p, 0, _), if *y <= p + 2 && p <= y;
        change(z, y) <-- event(z, y, 2, _), window(z, w), if *w <= y + 2 && *y <= w + 2;
    }
}

fn ascent_run(input: Data) -> u64 {
    use by_ascent::*;
    match input {
        Data::Edges(edges) => {
            let mut p = Tc::default();
            p.edge = edges;
            p.run();
            p.path.len() as u64
        }
        Data::Tree(parents) => {
            let mut p = Sg::default();
            p.parent = parents;
            p.run();
            p.sg.len() as u64
        }
        Data::Join3([r, s, t, u]) => {
            let mut p = Join3::default();
            (p.r, p.s, p.t, p.u) = (r, s, t, u);
            p.run();
            p.j.len() as u64
        }
        Data::Policy(d) => {
            let mut p = Policy::default();
            let (problem, politics, policy) = streams(&d);
            (p.problem, p.politics, p.policy) = (problem, politics, policy);
            p.entrepreneur = d
                .entrepreneurs
                .iter()
                .map(|&(t, e)| (t as u32, e as u32))
                .collect();
            p.vetoed = d.vetoed.iter().map(|&t| (t as u32,)).collect();
            p.run();
            (p.change.len() + p.busy.len()) as u64
        }
        Data::JoinOrder([a, b, c]) => {
            let mut p = JoinOrder::default();
            (p.a, p.b, p.c) = (a, b, c);
            p.run();
            p.r.len() as u64
        }
        Data::Zones(events) => {
            let mut p = Zones::default();
            p.event = events;
            p.run();
            p.change.len() as u64
        }
    }
}

type Events = Vec<(u32, u32, u32)>;

/// The events of each stream as `(id, topic, year)`.
fn streams(d: &PolicyData) -> (Events, Events, Events) {
    let mut out: [Events; 3] = Default::default();
    for &(stream, e, topic, year, _) in &d.events {
        out[stream as usize].push((e as u32, topic as u32, year as u32));
    }
    let [a, b, c] = out;
    (a, b, c)
}

// ----- crepe ---------------------------------------------------------------------------------
// `crepe!` makes a private runtime struct, so each program's runner lives in its module.

mod crepe_tc {
    use crepe::crepe;
    crepe! {
        @input
        struct Edge(u32, u32);
        @output
        struct Path(u32, u32);
        Path(x, y) <- Edge(x, y);
        Path(x, z) <- Path(x, y), Edge(y, z);
    }

    pub fn run(edges: Vec<(u32, u32)>) -> u64 {
        let mut rt = Crepe::new();
        rt.extend(edges.into_iter().map(|(a, b)| Edge(a, b)));
        let (paths,) = rt.run();
        paths.len() as u64
    }
}

mod crepe_sg {
    use crepe::crepe;
    crepe! {
        @input
        struct Parent(u32, u32);
        struct Person(u32);
        @output
        struct Sg(u32, u32);
        Person(x) <- Parent(x, _);
        Person(x) <- Parent(_, x);
        Sg(x, x) <- Person(x);
        Sg(x, y) <- Parent(xp, x), Sg(xp, yp), Parent(yp, y);
    }

    pub fn run(parents: Vec<(u32, u32)>) -> u64 {
        let mut rt = Crepe::new();
        rt.extend(parents.into_iter().map(|(a, b)| Parent(a, b)));
        let (sg,) = rt.run();
        sg.len() as u64
    }
}

mod crepe_join3 {
    use crepe::crepe;
    crepe! {
        @input
        struct Rel1(u32, u32);
        @input
        struct Rel2(u32, u32);
        @input
        struct Rel3(u32, u32);
        @input
        struct Rel4(u32, u32);
        @output
        struct J(u32, u32);
        J(x, w) <- Rel1(x, y), Rel2(y, z), Rel3(z, w), !Rel4(x, w);
    }

    pub fn run([r, s, t, u]: [Vec<(u32, u32)>; 4]) -> u64 {
        let mut rt = Crepe::new();
        rt.extend(r.into_iter().map(|(a, b)| Rel1(a, b)));
        rt.extend(s.into_iter().map(|(a, b)| Rel2(a, b)));
        rt.extend(t.into_iter().map(|(a, b)| Rel3(a, b)));
        rt.extend(u.into_iter().map(|(a, b)| Rel4(a, b)));
        let (j,) = rt.run();
        j.len() as u64
    }
}

mod crepe_policy {
    use crepe::crepe;
    crepe! {
        @input
        struct Problem(u32, u32, u32);
        @input
        struct Politics(u32, u32, u32);
        @input
        struct Policy(u32, u32, u32);
        @input
        struct Entrepreneur(u32, u32);
        @input
        struct Vetoed(u32);
        @output
        struct Window(u32, u32);
        struct Viable(u32, u32);
        @output
        struct Change(u32, u32);
        Window(t, y2) <- Problem(_, t, y1), Politics(_, t, y2), (y2 >= y1 && y2 - y1 <= 2);
        Viable(t, y) <- Policy(_, t, y), !Vetoed(t);
        Change(t, y) <- Window(t, y), Viable(t, y), Entrepreneur(t, _);
    }

    pub fn run(d: &crate::workloads::PolicyData) -> u64 {
        let (problem, politics, policy) = super::streams(d);
        let mut rt = Crepe::new();
        rt.extend(problem.into_iter().map(|(e, t, y)| Problem(e, t, y)));
        rt.extend(politics.into_iter().map(|(e, t, y)| Politics(e, t, y)));
        rt.extend(policy.into_iter().map(|(e, t, y)| Policy(e, t, y)));
        rt.extend(
            d.entrepreneurs
                .iter()
                .map(|&(t, e)| Entrepreneur(t as u32, e as u32)),
        );
        rt.extend(d.vetoed.iter().map(|&t| Vetoed(t as u32)));
        let (windows, changes) = rt.run();
        // No aggregates in crepe: `busy` is one count per topic with a window.
        let topics: std::collections::HashSet<u32> = windows.iter().map(|w| w.0).collect();
        (changes.len() + topics.len()) as u64
    }
}

mod crepe_join_order {
    use crepe::crepe;
    crepe! {
        @input
        struct A(u32, u32);
        @input
        struct B(u32, u32);
        @input
        struct C(u32, u32);
        @output
        struct R(u32, u32);
        R(x, z) <- A(x, y), B(y, z), (x < z), !C(x, z);
    }

    pub fn run([a, b, c]: [Vec<(u32, u32)>; 3]) -> u64 {
        let mut rt = Crepe::new();
        rt.extend(a.into_iter().map(|(x, y)| A(x, y)));
        rt.extend(b.into_iter().map(|(x, y)| B(x, y)));
        rt.extend(c.into_iter().map(|(x, y)| C(x, y)));
        let (r,) = rt.run();
        r.len() as u64
    }
}

mod crepe_zones {
    use crepe::crepe;
    crepe! {
        @input
        struct Event(u32, u32, u32, u32);
        struct Window(u32, u32);
        @output
        struct Change(u32, u32);
        Window(z, y) <- Event(z, y, 1, _), Event(z, p, 0, _), (y <= p + 2 && p <= y);
        Change(z, y) <- Event(z, y, 2, _), Window(z, w), (w <= y + 2 && y <= w + 2);
    }

    pub fn run(events: Vec<(u32, u32, u32, u32)>) -> u64 {
        let mut rt = Crepe::new();
        rt.extend(events.into_iter().map(|(z, y, k, i)| Event(z, y, k, i)));
        let (changes,) = rt.run();
        changes.len() as u64
    }
}

fn crepe_run(input: Data) -> u64 {
    match input {
        Data::Edges(edges) => crepe_tc::run(edges),
        Data::Tree(parents) => crepe_sg::run(parents),
        Data::Join3(relations) => crepe_join3::run(relations),
        Data::Policy(d) => crepe_policy::run(&d),
        Data::JoinOrder(relations) => crepe_join_order::run(relations),
        Data::Zones(events) => crepe_zones::run(events),
    }
}

// ----- datafrog ------------------------------------------------------------------------------

fn datafrog_run(input: Data) -> u64 {
    use datafrog::{Iteration, Relation};
    match input {
        Data::Edges(edges) => {
            // path(X, Z) :- path(X, Y), edge(Y, Z), with path keyed by Y as (Y, X).
            let edge: Relation<(u32, u32)> = edges.iter().copied().collect();
            let mut iteration = Iteration::new();
            let path = iteration.variable::<(u32, u32)>("path");
            path.extend(edges.iter().map(|&(x, y)| (y, x)));
            while iteration.changed() {
                path.from_join(&path, &edge, |_y, &x, &z| (z, x));
            }
            path.complete().len() as u64
        }
        Data::Tree(parents) => {
            // sg(X, Y) :- parent(XP, X), sg(XP, YP), parent(YP, Y), in two joins.
            let parent: Relation<(u32, u32)> = parents.iter().copied().collect();
            let mut iteration = Iteration::new();
            let sg = iteration.variable::<(u32, u32)>("sg");
            let half = iteration.variable::<(u32, u32)>("half");
            let mut people: Vec<u32> = parents.iter().flat_map(|&(a, b)| [a, b]).collect();
            people.sort_unstable();
            people.dedup();
            sg.extend(people.iter().map(|&x| (x, x)));
            while iteration.changed() {
                // half(YP, X) :- sg(XP, YP), parent(XP, X).
                half.from_join(&sg, &parent, |_xp, &yp, &x| (yp, x));
                // sg(X, Y) :- half(YP, X), parent(YP, Y).
                sg.from_join(&half, &parent, |_yp, &x, &y| (x, y));
            }
            sg.complete().len() as u64
        }
        Data::Join3([r, s, t, u]) => {
            let r_by_y: Relation<(u32, u32)> = r.iter().map(|&(x, y)| (y, x)).collect();
            let s: Relation<(u32, u32)> = s.into_iter().collect();
            let t: Relation<(u32, u32)> = t.into_iter().collect();
            let u: Relation<(u32, u32)> = u.into_iter().collect();
            let xz = Relation::from_join(&r_by_y, &s, |_y, &x, &z| (z, x));
            let xw = Relation::from_join(&xz, &t, |_z, &x, &w| (x, w));
            // The negation: keep what `u` does not hold (both sorted, merged).
            let kept = xw
                .elements
                .iter()
                .filter(|p| u.elements.binary_search(p).is_err())
                .count();
            kept as u64
        }
        Data::Policy(d) => {
            let (problem, politics, policy) = streams(&d);
            let problem: Relation<(u32, u32)> = problem.iter().map(|&(_, t, y)| (t, y)).collect();
            let politics: Relation<(u32, u32)> = politics.iter().map(|&(_, t, y)| (t, y)).collect();
            let window = Relation::from_join(&problem, &politics, |&t, &y1, &y2| (t, y1, y2));
            let window: Relation<(u32, u32)> = window
                .elements
                .iter()
                .filter(|&&(_, y1, y2)| y2 >= y1 && y2 - y1 <= 2)
                .map(|&(t, _, y2)| (t, y2))
                .collect();
            let vetoed: Relation<u32> = d.vetoed.iter().map(|&t| t as u32).collect();
            let viable: Relation<(u32, u32)> = policy
                .iter()
                .filter(|&&(_, t, _)| vetoed.elements.binary_search(&t).is_err())
                .map(|&(_, t, y)| (t, y))
                .collect();
            let with_entrepreneur: Relation<u32> =
                d.entrepreneurs.iter().map(|&(t, _)| t as u32).collect();
            let changes = window
                .elements
                .iter()
                .filter(|p| viable.elements.binary_search(p).is_ok())
                .filter(|(t, _)| with_entrepreneur.elements.binary_search(t).is_ok())
                .count();
            let mut topics: Vec<u32> = window.elements.iter().map(|&(t, _)| t).collect();
            topics.dedup();
            (changes + topics.len()) as u64
        }
        Data::JoinOrder([a, b, c]) => {
            let a_by_y: Relation<(u32, u32)> = a.iter().map(|&(x, y)| (y, x)).collect();
            let b: Relation<(u32, u32)> = b.into_iter().collect();
            let c: Relation<(u32, u32)> = c.into_iter().collect();
            let xz = Relation::from_join(&a_by_y, &b, |_y, &x, &z| (x, z));
            // The order filter, then the negation (both sorted: a binary search each).
            xz.elements
                .iter()
                .filter(|&&(x, z)| x < z)
                .filter(|p| c.elements.binary_search(p).is_err())
                .count() as u64
        }
        Data::Zones(events) => {
            let of_kind = |kind: u32| -> Relation<(u32, u32)> {
                events
                    .iter()
                    .filter(|e| e.2 == kind)
                    .map(|&(z, y, _, _)| (z, y))
                    .collect()
            };
            let (problem, politics, policy) = (of_kind(0), of_kind(1), of_kind(2));
            let pairs = Relation::from_join(&politics, &problem, |&z, &y, &p| (z, y, p));
            let window: Relation<(u32, u32)> = pairs
                .elements
                .iter()
                .filter(|&&(_, y, p)| y <= p + 2 && p <= y)
                .map(|&(z, y, _)| (z, y))
                .collect();
            let pairs = Relation::from_join(&policy, &window, |&z, &y, &w| (z, y, w));
            let change: Relation<(u32, u32)> = pairs
                .elements
                .iter()
                .filter(|&&(_, y, w)| w <= y + 2 && y <= w + 2)
                .map(|&(z, y, _)| (z, y))
                .collect();
            change.len() as u64
        }
    }
}
