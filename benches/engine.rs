//! Criterion benchmarks of the engine on the deterministic workloads of `benches/workloads`:
//! evaluation alone (facts are loaded before timing), answering a large query, stopping a
//! runaway program at its limit, counting a large relation, and reading facts (CSV and TSV
//! rows, a `.msf` text).
//! `cargo bench --bench engine`.

#![allow(clippy::print_stderr)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use kingdon::{KnowledgeBase, Limits, Options};

mod workloads;
use workloads::Workload;

/// A knowledge base with the workload's facts and rules loaded, not yet evaluated.
fn loaded(w: &Workload, provenance: bool) -> KnowledgeBase {
    let mut kb = KnowledgeBase::with_options(Options {
        limits: Limits {
            provenance,
            ..Limits::default()
        },
        ..Options::default()
    });
    kb.load_str(&w.name, &w.program)
        .expect("workloads are valid programs");
    kb
}

/// The time to evaluate a workload's rules over its facts (loaded beforehand).
fn evaluate(c: &mut Criterion, w: &Workload, provenance: bool) {
    let kb = loaded(w, provenance);
    let answers = kb
        .clone()
        .query(w.query)
        .expect("the query runs")
        .rows
        .len();
    let mut evaluated = kb.clone();
    let stats = evaluated.evaluate().expect("evaluates");
    let per_fact = |bytes: usize| bytes as f64 / stats.facts as f64;
    eprintln!(
        "{}: {} facts, {:.1} bytes a fact, of which provenance {:.1}",
        w.name,
        stats.facts,
        per_fact(stats.memory.total()),
        per_fact(stats.memory.provenance)
    );
    let label = format!(
        "{} ({answers} answers){}",
        w.name,
        if provenance {
            ""
        } else {
            " without provenance"
        }
    );
    c.bench_function(&label, |b| {
        b.iter_batched(
            || kb.clone(),
            |mut kb| kb.evaluate().expect("evaluates").derived,
            BatchSize::LargeInput,
        )
    });
}

fn engine(c: &mut Criterion) {
    for w in [
        workloads::tc_chain(1000),
        workloads::tc_chain(2000),
        workloads::tc_random(1000),
        workloads::same_generation(2000),
        workloads::join3_negation(100_000),
        workloads::policy_events(100_000),
    ] {
        evaluate(c, &w, true);
    }
    evaluate(c, &workloads::tc_chain(1000), false);
    evaluate(c, &workloads::policy_events(100_000), false);
}

/// The time to answer (collect, deduplicate, sort) a query of 500 500 answers on an
/// evaluated knowledge base.
fn answering(c: &mut Criterion) {
    let w = workloads::tc_chain(1000);
    let mut kb = loaded(&w, true);
    kb.evaluate().expect("evaluates");
    c.bench_function("answer path(X, Y) on chain 1000 (500500 answers)", |b| {
        b.iter_batched(
            || kb.clone(),
            |mut kb| kb.query(w.query).expect("runs").rows.len(),
            BatchSize::LargeInput,
        )
    });
}

/// The time to count the 2 001 000 facts of the closure of a 2 000-edge chain, evaluated
/// beforehand: `?- N = count { path(_, _) }.`
fn counting(c: &mut Criterion) {
    let w = workloads::tc_chain(2000);
    let mut kb = loaded(&w, true);
    kb.evaluate().expect("evaluates");
    c.bench_function(
        "count path(_, _) over the chain-2000 closure (2001000 facts)",
        |b| {
            b.iter(|| {
                let answers = kb.query("N = count { path(_, _) }").expect("counts");
                assert_eq!(answers.rows.len(), 1);
            })
        },
    );
}

/// The time to explain one fact of the closure of a 2 000-edge chain: the deepest (a proof
/// 2 000 facts tall) and one from the middle.
fn explaining(c: &mut Criterion) {
    let w = workloads::tc_chain(2000);
    let mut kb = loaded(&w, true);
    kb.evaluate().expect("evaluates");
    for (fact, label) in [
        (
            "path(0, 2000)",
            "why path(0, 2000): the deepest fact of the 2000-chain closure",
        ),
        (
            "path(1000, 1500)",
            "why path(1000, 1500) in the 2000-chain closure",
        ),
    ] {
        let statement = format!("why {fact}.");
        c.bench_function(label, |b| {
            b.iter(|| {
                kb.load_str("<why>", &statement)
                    .expect("explains")
                    .outputs
                    .len()
            })
        });
    }
}

/// `whatif` on the join with a negation over 100 000 edges a relation (about 100 000 derived
/// facts): the time to answer what one retracted edge would change, the store forked and
/// evaluated again, and the two compared.
fn asking_whatif(c: &mut Criterion) {
    let w = workloads::join3_negation(100_000);
    let mut kb = loaded(&w, true);
    kb.evaluate().expect("evaluates");
    let edge = kb.fact_data(Some("r")).expect("facts")[0].to_string();
    let question = format!("retract {edge} show j");
    c.bench_function(
        "whatif retract one edge of join3 + not 100000, show j",
        |b| b.iter(|| kb.whatif(&question).expect("answers").lost.len()),
    );
}

/// `n(X + 1) :- n(X).` from `n(0).`: the time to stop at the iteration limit with the error.
fn runaway(c: &mut Criterion) {
    c.bench_function("runaway n(X + 1) to the iteration limit", |b| {
        b.iter(|| {
            let mut kb = KnowledgeBase::new();
            let err = kb.load_str("<runaway>", "n(0).\nn(X + 1) :- n(X).\n?- n(X).\n");
            assert!(err.is_err());
        })
    });
}

/// `input p/2 from "rows.csv"` of 100 000 rows: reading typed cells into facts.
fn reading(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("kingdon-bench-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let rows: String = (0..100_000)
        .map(|i| format!("e{i},{i},2001-{:02}\n", i % 12 + 1))
        .collect();
    std::fs::write(dir.join("rows.csv"), rows).expect("written");
    let script = dir.join("read.msf");
    std::fs::write(&script, "input p/2 from \"rows.csv\".\n").expect("written");
    c.bench_function("input 100000 CSV rows (two cells and a time)", |b| {
        b.iter(|| {
            let mut kb = KnowledgeBase::new();
            kb.load_file(&script).expect("the rows load");
        })
    });
    let mut rng = workloads::Rng::new(3);
    let rows: String = (0..1_000_000)
        .map(|i| format!("{i}\t{}\t{}\n", rng.below(1_000_000), rng.below(1_000_000)))
        .collect();
    std::fs::write(dir.join("rows.tsv"), rows).expect("written");
    let script = dir.join("read3.msf");
    std::fs::write(&script, "input p/3 from \"rows.tsv\".\n").expect("written");
    c.bench_function("input 1000000 TSV rows (three integers)", |b| {
        b.iter(|| {
            let mut kb = KnowledgeBase::new();
            kb.load_file(&script).expect("the rows load");
        })
    });
    std::fs::remove_dir_all(&dir).expect("cleaned up");
    let events = workloads::policy_events(100_000);
    c.bench_function("load 100000 policy events and 4 rules (.msf text)", |b| {
        b.iter(|| {
            let mut kb = KnowledgeBase::new();
            kb.load_str(&events.name, &events.program)
                .expect("the events load");
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = engine, answering, counting, explaining, asking_whatif, runaway, reading
}
criterion_main!(benches);
