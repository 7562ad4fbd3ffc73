//! `kingdon run` driven for real: output formats, `--query`, `output` files, exit statuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kingdon(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("kingdon runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder under the target directory, holding `files`.
fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    for (file, content) in files {
        std::fs::write(dir.join(file), content).expect("writable");
    }
    dir
}

const CASE: &str = "\
change(tenge) @ 1993-11-15. change(treaty) @ 2002. change(center) @ 2003. change(agreement) @ 2005-07.
growth(horgos, 3.2). growth(xinjiang, 6.8).
label(center, \"Horgos \\\"center\\\"\").
?- change(C) @ T, T < 2004.
?- growth(R, G).
?- change(agreement).
";

#[test]
fn text_answers_in_time_order_then_true_when_a_timed_fact_matches() {
    let dir = scratch("run_text", &[("case.msf", CASE)]);
    let out = kingdon(&dir, &["run", "case.msf"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "C = tenge, T = 1993-11-15\nC = treaty, T = 2002\nC = center, T = 2003\n\
         R = horgos, G = 3.2\nR = xinjiang, G = 6.8\ntrue\n"
    );
}

#[test]
fn json_lines_with_numbers_as_numbers_and_times_as_written() {
    let dir = scratch("run_json", &[("case.msf", CASE)]);
    let out = kingdon(&dir, &["run", "case.msf", "--format", "json"]);
    assert_eq!(
        text(&out.stdout),
        "[{\"C\":\"tenge\",\"T\":\"1993-11-15\"},{\"C\":\"treaty\",\"T\":\"2002\"},{\"C\":\"center\",\"T\":\"2003\"}]\n\
         [{\"R\":\"horgos\",\"G\":3.2},{\"R\":\"xinjiang\",\"G\":6.8}]\n\
         true\n"
    );
}

#[test]
fn a_query_alone_in_csv_and_tsv() {
    let dir = scratch("run_query", &[("case.msf", CASE)]);
    let out = kingdon(
        &dir,
        &[
            "run",
            "case.msf",
            "--query",
            "label(X, L)",
            "--format",
            "csv",
        ],
    );
    assert_eq!(text(&out.stdout), "X,L\ncenter,\"Horgos \"\"center\"\"\"\n");
    let out = kingdon(
        &dir,
        &["run", "case.msf", "-q", "growth(R, G)?", "-f", "tsv"],
    );
    assert_eq!(text(&out.stdout), "R\tG\nhorgos\t3.2\nxinjiang\t6.8\n");
    let out = kingdon(
        &dir,
        &[
            "run",
            "case.msf",
            "-q",
            "?- change(treaty) @ 2002.",
            "-f",
            "json",
        ],
    );
    assert_eq!(text(&out.stdout), "true\n");
}

#[test]
fn output_writes_the_facts_sorted_beside_the_script() {
    let script = "edge(b, c). edge(a, b).\npath(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n\
                  output path to \"out/path.csv\".\nevent(x) @ 2005-07. event(y) @ 1992.\noutput event to \"out/events.tsv\".\n";
    let dir = scratch("run_output", &[("graph.msf", script)]);
    std::fs::create_dir_all(dir.join("out")).expect("folder");
    let out = kingdon(
        dir.parent().expect("parent"),
        &["run", "run_output/graph.msf"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(dir.join("out/path.csv")).expect("written");
    assert_eq!(written, "a,b\na,c\nb,c\n");
    let written = std::fs::read_to_string(dir.join("out/events.tsv")).expect("written");
    assert_eq!(written, "y\t1992\nx\t2005-07\n");
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("out"))
        .expect("readable")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_unwritable_output_is_an_error_with_its_place() {
    let dir = scratch(
        "run_unwritable",
        &[("w.msf", "p(1).\noutput p to \"no/such/folder/p.csv\".\n")],
    );
    let out = kingdon(&dir, &["run", "w.msf"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("w.msf:2:13: error[E207]: cannot write `no/such/folder/p.csv`: "),
        "{stderr}"
    );
}

#[test]
fn answers_before_an_error_are_printed_then_the_error_and_exit_1() {
    let script = "p(1).\n?- p(X).\nq(Y) :- p(X), Y = X / 0.5 + china.\n?- q(Y).\n?- p(2).\n";
    let dir = scratch("run_partial", &[("s.msf", script)]);
    let out = kingdon(&dir, &["run", "s.msf"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "X = 1\n");
    assert_eq!(
        text(&out.stderr),
        "s.msf:3:19: error[E204]: cannot compute `2 + china`\n 3 | q(Y) :- p(X), Y = X / 0.5 + china.\n   |                   ^^^^^^^^^^^^^^^\n1 error, 0 warnings\n"
    );
}

#[test]
fn limits_are_flags() {
    let dir = scratch(
        "run_limits",
        &[(
            "n.msf",
            "n(0).\nn(X + 1) :- n(X), X < 1000.\n?- n(X), X > 998.\n",
        )],
    );
    let out = kingdon(&dir, &["run", "n.msf", "--max-facts", "50"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with(
        "n.msf:2:1: error[E201]: evaluation stopped: more than 50 facts derived; the rule `n` at n.msf:2 kept producing new ones\n"
    ), "{}", text(&out.stderr));
    let out = kingdon(&dir, &["run", "n.msf", "--max-iterations", "10"]);
    assert!(text(&out.stderr).contains("error[E202]: evaluation stopped after 10 iterations"));
    let out = kingdon(&dir, &["run", "n.msf"]);
    assert_eq!(text(&out.stdout), "X = 999\nX = 1000\n");
}

#[test]
fn a_query_with_no_answer_says_so_in_every_format() {
    // The docs said a query with no answer prints nothing; it prints `no answers`, `[]`, or
    // the header alone: the documented forms are now the printed ones.
    let dir = std::env::temp_dir().join(format!("kingdon-noanswer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("p.msf"), "p(1).\n").expect("written");
    let run = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kingdon"))
            .args(["run", "p.msf", "-q", "p(X), X > 5", "--format", format])
            .current_dir(&dir)
            .output()
            .expect("kingdon runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(run("text"), "no answers\n");
    assert_eq!(run("json"), "[]\n");
    assert_eq!(run("csv"), "X\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_large_input_file_reports_a_bad_row_at_its_line_and_reads_quoted_cells_late_in_it() {
    // Input files are read a block at a time: line numbers and quoted cells must not notice
    // (after the first quote the rest of the file is read as one block).
    let rows: String = (0..80_000).map(|i| format!("n{i}\t{}\n", i + 1)).collect();
    let bad = format!("{rows}n80000\t1\textra\tcells\n");
    let quoted = format!("{rows}\"a\tquoted\"\tlast\n{rows}");
    let dir = scratch(
        "large-input",
        &[
            ("bad.tsv", &bad),
            ("quoted.tsv", &quoted),
            ("bad.msf", "input e/2 from \"bad.tsv\".\n?- e(n3, X).\n"),
            (
                "quoted.msf",
                "input e/2 from \"quoted.tsv\".\nn(N) :- N = count { e(_, _) }.\n?- n(N).\n?- e(X, last).\n",
            ),
        ],
    );
    let out = kingdon(&dir, &["run", "bad.msf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with(
            "bad.tsv:80001:1: error[E206]: expected 2 cells (or 3 with a time last), found 4\n"
        ),
        "{}",
        text(&out.stderr)
    );
    let out = kingdon(&dir, &["run", "quoted.msf"]);
    assert_eq!(
        text(&out.stdout),
        "N = 80001\nX = \"a\\tquoted\"\n",
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_large_input_file_keeps_each_row_once_with_the_line_it_was_first_read_from() {
    // A file of 2^17 lines or more has its rows added on a second thread while the first
    // reads on: each fact's origin is still the first line that stated it, a row stated
    // again adds nothing, and a bad row stops the reading at its line.
    let rows: String = (0..140_000).map(|i| format!("n{i},{}\n", i % 7)).collect();
    let bad = format!("{rows}n0,1,2,3\n");
    let rows = rows + "n5,5\nn29993,5\n";
    let dir = scratch(
        "large-input-lines",
        &[
            ("e.csv", &rows),
            ("bad.csv", &bad),
            (
                "e.msf",
                "input e/2 from \"e.csv\".\nf(X) :- e(X, 5).\nn(N) :- N = count { e(_, _) }.\n\
                 ?- n(N).\nwhy f(n29993).\nwhy f(n5).\n",
            ),
            ("bad.msf", "input e/2 from \"bad.csv\".\n?- e(n3, X).\n"),
        ],
    );
    let out = kingdon(&dir, &["run", "e.msf"]);
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("N = 140000\n"), "{stdout}");
    assert!(
        stdout.contains("e(n29993, 5) — read from e.csv:29994\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("e(n5, 5) — read from e.csv:6\n"),
        "{stdout}"
    );
    let out = kingdon(&dir, &["run", "bad.msf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("bad.csv:140001:1: error[E206]: expected 2 cells"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn plans_are_the_same_whether_a_question_came_before_the_facts_or_not() {
    // On a base of 65 536 facts or more rules read their smaller relations first. Plans made
    // when the base was small were kept once it grew, so a question asked before a large
    // input changed which failing row the rule met first.
    let rows: String = std::iter::once("foo\n".to_string())
        .chain((3..70_002).map(|i| format!("{i}\n")))
        .collect();
    let head = "a(1).\nb(2).\nbad(Z) :- a(X), b(Y), Z = X + Y.\n";
    let tail = "b(bar).\ninput a/1 from \"a.csv\".\n?- bad(3).\n";
    let asked = format!("{head}?- bad(Z).\n{tail}");
    let fresh = format!("{head}{tail}");
    let dir = scratch(
        "plans-by-size",
        &[
            ("a.csv", &rows),
            ("asked.msf", &asked),
            ("fresh.msf", &fresh),
        ],
    );
    let error = |file: &str| {
        let out = kingdon(&dir, &["run", file]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        stderr
            .lines()
            .next()
            .and_then(|l| l.split_once(": "))
            .map(|(_, rest)| rest.to_string())
            .unwrap_or(stderr)
    };
    assert_eq!(error("asked.msf"), error("fresh.msf"));
}

#[test]
fn an_input_file_that_is_a_pipe_is_read_once_and_a_bad_row_in_it_is_shown() {
    use std::io::Write;
    let dir = scratch(
        "pipe-input",
        &[("pipe.msf", "input e/2 from \"/dev/stdin\".\n?- e(X, Y).\n")],
    );
    let run = |rows: &[u8]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kingdon"))
            .args(["run", "--any-path", "pipe.msf"])
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("kingdon runs");
        let mut stdin = child.stdin.take().expect("a pipe");
        stdin.write_all(rows).expect("writable");
        drop(stdin);
        child.wait_with_output().expect("kingdon ends")
    };
    let out = run(b"a,b\nc,d\n");
    assert_eq!(
        text(&out.stdout),
        "X = a, Y = b\nX = c, Y = d\n",
        "{}",
        text(&out.stderr)
    );
    let out = run(b"a,b\nc,d,e\n");
    assert!(
        text(&out.stderr).starts_with("/dev/stdin:2:5: error[E206]: the extra cell `e` is not a time (YYYY, YYYY-MM or YYYY-MM-DD); a row of 3 cells must end with the fact's time\n 2 | c,d,e\n   |     ^\n"),
        "{}",
        text(&out.stderr)
    );
    // Bytes that are not UTF-8 are shown from what was read: a pipe cannot be read again.
    let out = run(b"a,b\ncaf\xe9,x\n");
    assert!(
        text(&out.stderr).starts_with(
            "/dev/stdin:2:4: error[E301]: this file is not UTF-8 text; the first bad byte is here\n 2 | caf\u{fffd},x\n   |    ^\n"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn output_then_input_gives_back_the_facts_written() {
    // `p("abc")` and `p(abc)`, `p("7")` and `p(7)`, `p("3.5")` and `p(3.5)` were written as
    // the same rows (six facts read back as three), and a string holding a line break as a
    // cell the reader refused (E206).
    let facts = r#"p("abc"). p(abc). p("7"). p(7). p("3.5"). p(3.5). p("a\nb"). p("say \"hi\"").
p("\"q\""). p(""). p("2005-07"). p("x,y"). p(" pad "). p(-2). p("-2").
output p to "p.csv".
output p to "p.tsv".
"#;
    let read = "input c/1 from \"p.csv\".\ninput t/1 from \"p.tsv\".\n\
                same(X) :- c(X), t(X), p(X).\nn(N) :- N = count { same(X) }.\n\
                m(N) :- N = count { c(X) }.\n?- n(N).\n?- m(N).\n";
    let dir = scratch(
        "run_round_trip",
        &[("w.msf", facts), ("r.msf", &format!("{facts}{read}"))],
    );
    let out = kingdon(&dir, &["run", "w.msf"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(dir.join("p.csv")).expect("written");
    assert!(
        csv.contains("\n\"\"\"7\"\"\"\n") && csv.contains("\n7\n"),
        "{csv}"
    );
    let out = kingdon(&dir, &["run", "r.msf"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "N = 15\nN = 15\n");
    // A fact of no arguments, timeless and timed (its row `""` was refused, E206).
    std::fs::write(
        dir.join("z.msf"),
        "flag. flag @ 2005.\noutput flag to \"f.csv\".\n",
    )
    .expect("written");
    std::fs::write(
        dir.join("z2.msf"),
        "input flag/0 from \"f.csv\".\n?- flag.\n?- flag @ T.\n",
    )
    .expect("written");
    assert_eq!(kingdon(&dir, &["run", "z.msf"]).status.code(), Some(0));
    let out = kingdon(&dir, &["run", "z2.msf"]);
    assert_eq!(
        text(&out.stdout),
        "true\nT = 2005\n",
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_run_that_fails_writes_no_output() {
    // The files of `output` statements were written when their file loaded, though the run
    // then failed (its whole evaluation ran out, a later file had an error): found by a
    // fresh-eyed attack.
    let dir = scratch(
        "run_fails_no_output",
        &[
            (
                "runaway.msf",
                "p(1).\noutput p to \"p.csv\".\nn(0).\nn(Y) :- n(X), Y = X + 1.\n",
            ),
            ("ok.msf", "q(1).\noutput q to \"q.csv\".\n"),
            ("bad.msf", "r(1\n"),
        ],
    );
    let out = kingdon(&dir, &["run", "--max-facts", "100", "runaway.msf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.join("p.csv").exists());
    let out = kingdon(&dir, &["run", "ok.msf", "bad.msf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.join("q.csv").exists());
    let out = kingdon(&dir, &["run", "ok.msf"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("q.csv")).expect("written"),
        "1\n"
    );
}
