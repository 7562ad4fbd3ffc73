//! Start-up of the `kingdon` binary with the bundled theory and Horgos case loaded, to the
//! point where it would show its first prompt: the process is spawned with `:quit` on
//! standard input (the piped mode loads exactly what the REPL loads, then reads the input).
//! `cargo bench --bench startup`.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

fn startup(c: &mut Criterion) {
    c.bench_function("kingdon start-up with the Horgos case, to :quit", |b| {
        b.iter(|| {
            let mut child = Command::new(env!("CARGO_BIN_EXE_kingdon"))
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .expect("kingdon starts");
            child
                .stdin
                .take()
                .expect("a pipe")
                .write_all(b":quit\n")
                .expect("writable");
            assert!(child.wait().expect("kingdon ends").success());
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(5));
    targets = startup
}
criterion_main!(benches);
