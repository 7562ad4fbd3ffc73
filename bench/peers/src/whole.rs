//! The whole process, as a user runs it: each engine is a process of its own that reads the
//! same TSV files, evaluates, and prints one count. kingdon is its release binary running a
//! `.msf` program with `input … from` statements and a `count` aggregate; the other engines
//! are `peers read ENGINE WORKLOAD DIR`, a plain TSV reader (the file read at once, split at
//! tabs, integers parsed) in front of the engine. The parent times each process from spawn
//! to exit and takes its peak resident memory from the kernel (`wait4`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::workloads::{self, PolicyData};
use crate::Run;

/// The workloads of the whole-process table and their sizes.
pub const CASES: &[(&str, u64)] = &[
    ("tc-chain", 2000),
    ("tc-random", 2000),
    ("tc-random", 4000),
    ("same-generation", 100_000),
    ("join3-not", 1_000_000),
    ("policy", 1_000_000),
    ("policy-zones", 1_000_000),
    ("join-order", 100_000),
    ("join-order", 1_000_000),
    ("zone-windows", 100_000),
    ("zone-windows", 1_000_000),
];

/// The engines of the whole-process table, kingdon first.
pub const ENGINES: &[&str] = &["kingdon", "ascent", "crepe", "datafrog"];

const TC: &str = "path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n";

/// Writes a workload's TSV files and kingdon's program into `dir` (unless there already).
pub fn files(workload: &str, n: u64, dir: &Path) {
    let program = dir.join("kingdon.msf");
    if program.exists() {
        return;
    }
    std::fs::create_dir_all(dir).expect("a data directory");
    let pairs = |name: &str, v: &[(u64, u64)]| {
        let mut out = String::with_capacity(v.len() * 12);
        for (a, b) in v {
            let _ = writeln!(out, "{a}\t{b}");
        }
        std::fs::write(dir.join(format!("{name}.tsv")), out).expect("written");
        format!("input {name}/2 from \"{name}.tsv\".\n")
    };
    let text = match workload {
        "tc-chain" | "tc-random" => {
            let edges = if workload == "tc-chain" {
                workloads::chain_edges(n)
            } else {
                workloads::random_edges(n, 2 * n, 42)
            };
            pairs("edge", &edges) + TC + "answers(N) :- N = count { path(_, _) }.\n"
        }
        "same-generation" => {
            // A random tree of 100 000 nodes makes generations of thousands and same
            // generation quadratic: a band tree keeps it at about 2.4 million facts.
            pairs("parent", &workloads::band_tree(n, 45, 7))
                + "person(X) :- parent(X, _).\nperson(X) :- parent(_, X).\nsg(X, X) :- person(X).\n\
                   sg(X, Y) :- parent(XP, X), sg(XP, YP), parent(YP, Y).\n\
                   answers(N) :- N = count { sg(_, _) }.\n"
        }
        "join3-not" => {
            let mut text = String::new();
            for (i, name) in ["r", "s", "t", "u"].iter().enumerate() {
                text += &pairs(name, &workloads::random_edges(n, n, 100 + i as u64));
            }
            text + "j(X, W) :- r(X, Y), s(Y, Z), t(Z, W), not u(X, W).\n\
                    answers(N) :- N = count { j(_, _) }.\n"
        }
        "join-order" => {
            let mut text = String::new();
            for (name, rows) in ["a", "b", "c"].iter().zip(workloads::join_order_data(n)) {
                text += &pairs(name, &rows);
            }
            text + workloads::JOIN_ORDER_RULE + "answers(N) :- N = count { r(_, _) }.\n"
        }
        "zone-windows" => {
            let mut out = String::with_capacity(n as usize * 250);
            for (z, y, k, i) in workloads::zone_events(n) {
                let _ = writeln!(out, "{z}\t{y}\t{k}\t{i}");
            }
            std::fs::write(dir.join("event.tsv"), out).expect("written");
            "input event/4 from \"event.tsv\".\n".to_string()
                + workloads::ZONE_RULES
                + "answers(N) :- N = count { change(_, _) }.\n"
        }
        "policy" => policy_files(&workloads::policy_data(n), dir),
        // The issue's size: `n` topics (zones) with ten events each, 10.7 facts a zone.
        "policy-zones" => policy_files(&workloads::policy_data_over(10 * n, n), dir),
        other => panic!("no workload `{other}`"),
    };
    std::fs::write(program, text + "?- answers(N).\n").expect("written");
}

/// The policy base as TSV: each stream's events `id, topic, time` (ids and topics are
/// integers, the time `YYYY-MM`), entrepreneurs `topic, person`, vetoed topics.
fn policy_files(d: &PolicyData, dir: &Path) -> String {
    let mut streams = [String::new(), String::new(), String::new()];
    for &(stream, e, topic, year, month) in &d.events {
        let _ = writeln!(streams[stream as usize], "{e}\t{topic}\t{year}-{month:02}");
    }
    let mut text = String::new();
    for (name, rows) in ["problem", "politics", "policy"].iter().zip(streams) {
        std::fs::write(dir.join(format!("{name}.tsv")), rows).expect("written");
        let _ = writeln!(text, "input {name}/2 from \"{name}.tsv\".");
    }
    let mut rows = String::new();
    for (t, p) in &d.entrepreneurs {
        let _ = writeln!(rows, "{t}\t{p}");
    }
    std::fs::write(dir.join("entrepreneur.tsv"), rows).expect("written");
    let mut rows = String::new();
    for t in &d.vetoed {
        let _ = writeln!(rows, "{t}");
    }
    std::fs::write(dir.join("vetoed.tsv"), rows).expect("written");
    text + "input entrepreneur/2 from \"entrepreneur.tsv\".\n\
            input vetoed/1 from \"vetoed.tsv\".\n"
        + workloads::POLICY_RULES
        + "answers(N) :- A = count { change(T, Y) }, B = count { busy(T2, C) }, N = A + B.\n"
}

/// The directory of a workload's files.
pub fn dir(workload: &str, n: u64) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            // bench/peers/target is not where the workspace builds: the exe's own target dir.
            std::env::current_exe()
                .ok()
                .and_then(|p| p.parent()?.parent().map(Path::to_path_buf))
                .unwrap_or_else(|| PathBuf::from("target"))
        },
        PathBuf::from,
    );
    target.join("peers-data").join(format!("{workload}-{n}"))
}

/// Reads the rows of a TSV file: its cells split at tabs.
fn rows(dir: &Path, name: &str) -> Vec<Vec<u32>> {
    let text = std::fs::read_to_string(dir.join(format!("{name}.tsv"))).expect("the TSV file");
    text.lines()
        .map(|line| {
            line.split('\t')
                .map(|cell| {
                    // A time `YYYY-MM` is read as its year.
                    let cell = cell.split('-').next().unwrap_or(cell);
                    cell.parse().expect("an integer cell")
                })
                .collect()
        })
        .collect()
}

fn pairs(dir: &Path, name: &str) -> Vec<(u32, u32)> {
    rows(dir, name).into_iter().map(|r| (r[0], r[1])).collect()
}

/// What `peers read` does: reads the TSV files of `dir` and runs one engine on them; returns
/// its count.
pub fn read_and_run(engine: &str, workload: &str, dir: &Path) -> u64 {
    use crate::engines::Data;
    let input = match workload {
        "tc-chain" | "tc-random" => Data::Edges(pairs(dir, "edge")),
        "same-generation" => Data::Tree(pairs(dir, "parent")),
        "join3-not" => Data::Join3(["r", "s", "t", "u"].map(|name| pairs(dir, name))),
        "join-order" => Data::JoinOrder(["a", "b", "c"].map(|name| pairs(dir, name))),
        "zone-windows" => Data::Zones(
            rows(dir, "event")
                .into_iter()
                .map(|r| (r[0], r[1], r[2], r[3]))
                .collect(),
        ),
        "policy" | "policy-zones" => {
            let mut events = Vec::new();
            for (stream, name) in ["problem", "politics", "policy"].iter().enumerate() {
                for r in rows(dir, name) {
                    events.push((
                        stream as u8,
                        u64::from(r[0]),
                        u64::from(r[1]),
                        u64::from(r[2]),
                        0,
                    ));
                }
            }
            let entrepreneurs = rows(dir, "entrepreneur")
                .into_iter()
                .map(|r| (u64::from(r[0]), u64::from(r[1])))
                .collect();
            let vetoed = rows(dir, "vetoed")
                .into_iter()
                .map(|r| u64::from(r[0]))
                .collect();
            Data::Policy(PolicyData {
                events,
                entrepreneurs,
                vetoed,
            })
        }
        other => panic!("no workload `{other}`"),
    };
    crate::engines::run(engine, input)
}

/// One engine's whole process on one workload's files: its count, wall time, peak memory.
pub fn measure(me: &Path, engine: &str, workload: &str, dir: &Path) -> Run {
    let mut command = if engine == "kingdon" {
        let kingdon = me.with_file_name("kingdon");
        assert!(
            kingdon.exists(),
            "{} is missing: build it first (cargo build --release)",
            kingdon.display()
        );
        let mut c = Command::new(kingdon);
        c.arg("run").arg(dir.join("kingdon.msf"));
        c
    } else {
        let mut c = Command::new(me);
        c.args(["read", engine, workload]).arg(dir);
        c
    };
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let child = command.spawn().expect("the engine starts");
    let (status, peak) = wait(child.id());
    let time = start.elapsed();
    let mut out = String::new();
    let mut err = String::new();
    use std::io::Read as _;
    let mut child = child;
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    assert!(status == 0, "{engine} on {} failed: {err}", dir.display());
    // The count is the last number printed (kingdon prints `N = 2001000`).
    let answers = out
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|w| !w.is_empty())
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("{engine} printed no count: {out}"));
    Run {
        answers,
        time,
        peak,
    }
}

/// Waits for a child process; returns its exit status and peak resident memory in bytes.
fn wait(pid: u32) -> (i32, u64) {
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(r == pid as libc::pid_t, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, usage.ru_maxrss as u64 * 1024)
}

/// Runs the whole-process table for the cases whose workload starts with `filter`: rounds of
/// one process per engine (3 rounds), each engine's median time and its peak memory.
pub fn compare(filter: &str, rounds: usize) {
    let me = std::env::current_exe().expect("the running program");
    println!("| workload | size | answers | kingdon | ascent | crepe | datafrog | kingdon / ascent | kingdon / datafrog |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &(workload, n) in CASES.iter().filter(|c| c.0.starts_with(filter)) {
        let dir = dir(workload, n);
        // Written by a process of its own: a child inherits its parent's peak resident memory
        // (`ru_maxrss` survives fork and exec), and the data of the largest workloads would
        // otherwise count in every engine's peak after it.
        let written = Command::new(&me)
            .args(["files", workload, &n.to_string()])
            .stdout(Stdio::null())
            .status()
            .expect("the data is written");
        assert!(written.success(), "writing {workload} {n} failed");
        let mut all: Vec<Vec<Run>> = ENGINES.iter().map(|_| Vec::new()).collect();
        for _ in 0..rounds {
            for (engine, runs) in ENGINES.iter().zip(&mut all) {
                runs.push(measure(&me, engine, workload, &dir));
            }
        }
        let answers = all[0][0].answers;
        let mut cells = Vec::new();
        let mut medians = Vec::new();
        for (engine, runs) in ENGINES.iter().zip(&all) {
            assert!(
                runs.iter().all(|r| r.answers == answers),
                "{engine} and kingdon disagree on {workload} {n}"
            );
            let mut times: Vec<Duration> = runs.iter().map(|r| r.time).collect();
            times.sort();
            let median = times[times.len() / 2];
            let peak = runs.iter().map(|r| r.peak).max().unwrap_or(0);
            medians.push((median, peak));
            cells.push(format!(
                "{}, {}",
                crate::show_time(median),
                crate::show_bytes(peak)
            ));
        }
        let ratio = |other: usize| {
            format!(
                "{:.2}× time, {:.2}× memory",
                medians[0].0.as_secs_f64() / medians[other].0.as_secs_f64(),
                medians[0].1 as f64 / medians[other].1.max(1) as f64
            )
        };
        println!(
            "| {workload} | {n} | {answers} | {} | {} | {} |",
            cells.join(" | "),
            ratio(1),
            ratio(3)
        );
    }
}
