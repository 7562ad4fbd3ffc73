//! kingdon side by side with the Rust Datalog engines datafrog, crepe and ascent: the same
//! workloads on the same generated data (the generators of `benches/workloads`), the answer
//! counts checked to agree, and one table of median time, peak memory and ratio to kingdon.
//!
//! ```text
//! cargo run --release -p peers              # every workload, every engine
//! cargo run --release -p peers -- tc        # the workloads whose name starts with `tc`
//! cargo run --release -p peers -- text join3-not 300000 > j.msf   # kingdon's program
//! cargo build --release && cargo run --release -p peers -- whole   # whole processes (below)
//! ```
//!
//! `whole` compares what a user waits for: each engine's own process reads the same TSV files,
//! evaluates, and prints a count (see `whole.rs`).
//!
//! Each measurement runs in a child process of its own (`peers measure ENGINE WORKLOAD
//! SIZE`), so that its peak memory is its own: the child builds its input, resets the kernel's
//! peak-RSS mark (`/proc/self/clear_refs`), runs the engine, and reports the time and the
//! peak resident memory of the run. kingdon's facts are loaded (parsed) before the mark and
//! the clock start, as the other engines receive theirs as Rust vectors; its time is the
//! evaluation of the rules.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod engines;
mod whole;

use std::process::Command;
use std::time::Duration;

#[path = "../../../benches/workloads/mod.rs"]
mod workloads;

/// A workload: a name and the sizes it runs at.
pub struct Case {
    pub workload: &'static str,
    pub sizes: &'static [u64],
}

/// Every workload of the comparison, with its sizes.
pub const CASES: &[Case] = &[
    Case {
        workload: "tc-chain",
        sizes: &[1000, 2000, 4000],
    },
    Case {
        workload: "tc-random",
        sizes: &[1000, 2000],
    },
    Case {
        workload: "same-generation",
        sizes: &[2000, 4000],
    },
    Case {
        workload: "join3-not",
        sizes: &[100_000, 1_000_000],
    },
    Case {
        workload: "policy",
        sizes: &[10_000, 100_000, 1_000_000],
    },
    Case {
        workload: "join-order",
        sizes: &[100_000, 1_000_000],
    },
    Case {
        workload: "zone-windows",
        sizes: &[100_000, 1_000_000],
    },
];

/// The engines, kingdon first (the ratios are to it).
pub const ENGINES: &[&str] = &["kingdon", "kingdon-noprov", "ascent", "crepe", "datafrog"];

/// What one run reports: the answers it counted, its time, its peak memory in bytes.
pub struct Run {
    pub answers: u64,
    pub time: Duration,
    pub peak: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("measure") => {
            let [_, engine, workload, size] = args.as_slice() else {
                eprintln!("usage: peers measure ENGINE WORKLOAD SIZE");
                std::process::exit(2);
            };
            let size: u64 = size.parse().expect("a size");
            let run = engines::measure(engine, workload, size);
            println!("{} {} {}", run.answers, run.time.as_nanos(), run.peak);
        }
        Some("text") => {
            let [_, workload, size] = args.as_slice() else {
                eprintln!("usage: peers text WORKLOAD SIZE");
                std::process::exit(2);
            };
            let size: u64 = size.parse().expect("a size");
            print!("{}", engines::program(workload, size).0);
        }
        Some("whole") => {
            let filter = args.get(1).map_or("", String::as_str);
            let rounds = std::env::var("PEERS_ROUNDS")
                .ok()
                .and_then(|r| r.parse().ok())
                .unwrap_or(3);
            whole::compare(filter, rounds);
        }
        Some("read") => {
            let [_, engine, workload, dir] = args.as_slice() else {
                eprintln!("usage: peers read ENGINE WORKLOAD DIR");
                std::process::exit(2);
            };
            let answers = whole::read_and_run(engine, workload, std::path::Path::new(dir));
            println!("{answers}");
        }
        Some("files") => {
            let [_, workload, size] = args.as_slice() else {
                eprintln!("usage: peers files WORKLOAD SIZE");
                std::process::exit(2);
            };
            let size: u64 = size.parse().expect("a size");
            let dir = whole::dir(workload, size);
            whole::files(workload, size, &dir);
            println!("{}", dir.display());
        }
        filter => compare(filter.unwrap_or("")),
    }
}

/// Runs every engine on every workload whose name starts with `filter`, and prints the table.
fn compare(filter: &str) {
    let me = std::env::current_exe().expect("the running program");
    println!("| engine | workload | size | answers | median time | peak memory | time / kingdon | memory / kingdon |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for case in CASES.iter().filter(|c| c.workload.starts_with(filter)) {
        for &size in case.sizes {
            let repeats = if size >= 1_000_000 || (case.workload == "tc-chain" && size >= 4000) {
                3
            } else {
                7
            };
            // Rounds of one run per engine, so that the machine's drift during the rounds
            // weighs on every engine alike.
            let mut all: Vec<Vec<Run>> = ENGINES.iter().map(|_| Vec::new()).collect();
            for _ in 0..repeats {
                for (engine, runs) in ENGINES.iter().zip(&mut all) {
                    runs.push(child(&me, engine, case.workload, size));
                }
            }
            let mut base: Option<(u64, Duration, u64)> = None;
            for (engine, runs) in ENGINES.iter().zip(all) {
                let answers = runs[0].answers;
                assert!(
                    runs.iter().all(|r| r.answers == answers),
                    "{engine} on {} {size}: answers differ between runs",
                    case.workload
                );
                let mut times: Vec<Duration> = runs.iter().map(|r| r.time).collect();
                times.sort();
                let median = times[times.len() / 2];
                let peak = runs.iter().map(|r| r.peak).max().unwrap_or(0);
                let (ratio_t, ratio_m) = match base {
                    None => {
                        base = Some((answers, median, peak));
                        ("1.00".to_string(), "1.00".to_string())
                    }
                    Some((kingdon_answers, t, m)) => {
                        assert_eq!(
                            answers, kingdon_answers,
                            "{engine} and kingdon disagree on {} {size}",
                            case.workload
                        );
                        (
                            format!("{:.2}", median.as_secs_f64() / t.as_secs_f64()),
                            format!("{:.2}", peak as f64 / m.max(1) as f64),
                        )
                    }
                };
                println!(
                    "| {engine} | {} | {size} | {answers} | {} | {} | {ratio_t} | {ratio_m} |",
                    case.workload,
                    show_time(median),
                    show_bytes(peak)
                );
            }
        }
    }
}

/// One measurement in a child process.
fn child(me: &std::path::Path, engine: &str, workload: &str, size: u64) -> Run {
    let out = Command::new(me)
        .args(["measure", engine, workload, &size.to_string()])
        .output()
        .expect("the child runs");
    assert!(
        out.status.success(),
        "{engine} on {workload} {size} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let fields: Vec<u64> = text
        .split_whitespace()
        .map(|f| f.parse().expect("a number"))
        .collect();
    Run {
        answers: fields[0],
        time: Duration::from_nanos(fields[1]),
        peak: fields[2],
    }
}

fn show_time(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}

fn show_bytes(b: u64) -> String {
    format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
}
