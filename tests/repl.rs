//! The REPL driven for real in a pseudo-terminal: the banner, Tab completion of a command and
//! of a file name, Tab listing candidates, a rule typed over three lines after continuation
//! prompts, a runaway rule taken back, an answer, Ctrl-C on a half-typed line, `:quit`, and
//! the history written.

use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::spawn_command;

#[test]
fn a_session_at_the_terminal() {
    let data = std::env::temp_dir().join(format!("kingdon-repl-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut command = Command::new(env!("CARGO_BIN_EXE_kingdon"));
    command
        .env("XDG_DATA_HOME", &data)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = spawn_command(command, Some(20_000)).expect("kingdon starts in a pty");
    p.exp_string("policy change with the Multiple Streams Framework")
        .expect("the banner");
    p.exp_string("Verdicts: 0 changes explained from the sources' words")
        .expect("the verdicts");
    p.exp_string("why order_unknown(cooperation_center_initiative) brief.")
        .expect("examples to try");
    p.exp_string("kingdon> ").expect("a prompt");
    // The editor switches the terminal to raw mode after printing its prompt.
    let settle = || std::thread::sleep(std::time::Duration::from_millis(300));
    settle();

    // Tab completes a command.
    p.send(":he").expect("typed");
    p.send("\t").expect("tab");
    p.flush().expect("sent");
    p.exp_string("lp").expect(":he completes to :help");
    p.send("\r").expect("enter");
    p.flush().expect("sent");
    p.exp_string(":load FILE")
        .expect("the help lists the commands");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();

    // Tab completes a file name after `:export FORMAT`; Ctrl-C then drops the line unrun.
    p.send(":export svg docs/horgos-tim").expect("typed");
    p.send("\t").expect("tab");
    p.flush().expect("sent");
    p.exp_string("eline.svg").expect("the file name completes");
    p.send_control('c').expect("ctrl-c");
    settle();

    // Tab twice lists the commands a start stands for.
    p.send(":re").expect("typed");
    p.send("\t").expect("tab");
    p.flush().expect("sent");
    settle();
    p.send("\t").expect("tab");
    p.flush().expect("sent");
    p.exp_string(":reload").expect("the candidates are listed");
    p.exp_string(":reset").expect("the candidates are listed");
    p.send_control('c').expect("ctrl-c");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();

    // A rule over three lines, each after a continuation prompt, then a query that uses it.
    p.send_line("early(C) :-").expect("typed");
    p.exp_string("    ...> ").expect("a continuation prompt");
    settle();
    p.send_line("    unexplained(C) @ T,").expect("typed");
    p.exp_string("    ...> ").expect("a continuation prompt");
    settle();
    p.send_line("    T < 1990.").expect("typed");
    p.exp_string("kingdon> ").expect("the rule is accepted");
    settle();

    // A runaway rule is taken back whole: it is not among the rules, and questions answer.
    p.send_line("n(0). n(X) :- n(Y), X = Y + 1.")
        .expect("typed");
    p.exp_string("nothing of this input was kept")
        .expect("taken back");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();
    p.send_line(":rules n").expect("typed");
    p.exp_string("no rules").expect("the runaway rule is gone");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();
    p.send_line("unexplained(C) @ 2012?").expect("typed");
    p.exp_string("C = interim_measures")
        .expect("questions still answer");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();
    p.send_line("early(C)?").expect("typed");
    p.exp_string("C = port_decline").expect("an answer");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();

    // Ctrl-C cancels a half-typed line; the session goes on.
    p.send("half typed").expect("typed");
    p.flush().expect("sent");
    p.send_control('c').expect("ctrl-c");
    settle();
    p.send_line("unexplained(vat_circular) @ T?")
        .expect("typed");
    p.exp_string("T = 2015-01")
        .expect("an answer after the cancelled line");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();

    // Ctrl-C during a long evaluation stops it; nothing of that input is kept. (A join of
    // 2.5 billion candidates that keeps none: long, but well inside the iteration limit.)
    p.send_line("n(0). n(X + 1) :- n(X), X < 50000. m(X, Y) :- n(X), n(Y), X + Y < 0. m(X, Y)?")
        .expect("typed");
    std::thread::sleep(std::time::Duration::from_millis(400));
    p.send_control('c').expect("ctrl-c");
    p.exp_string("evaluation interrupted")
        .expect("the evaluation stops");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();
    p.send_line("n(X)?").expect("typed");
    p.exp_string("`n/1` is used but has no facts")
        .expect("n is unknown: the interrupted input was not kept");
    p.exp_string("kingdon> ").expect("a prompt");
    settle();

    p.send_line(":quit").expect("typed");
    p.exp_eof().expect("the REPL ends");
    assert!(matches!(p.process().wait(), Ok(WaitStatus::Exited(_, 0))));

    let history =
        std::fs::read_to_string(data.join("kingdon/history.txt")).expect("history written");
    assert!(history.contains("early(C)?"), "{history}");
    assert!(!history.contains("half typed"), "{history}");
    let _ = std::fs::remove_dir_all(&data);
}

/// Whether a test that drives the REPL through tmux must be skipped: tmux is not on this
/// machine (a fresh one may lack it: the README's `cargo test` still passes). In CI it is an
/// error: `.ci/run` installs tmux.
#[allow(clippy::print_stderr)] // a skipped test says so, as tests/browser.rs does in its own
fn without_tmux() -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("tmux").is_file()));
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "no tmux on PATH: .ci/run installs it (apt-get install tmux)"
        );
        eprintln!("skipped: no tmux on PATH (.ci/run installs it)");
    }
    !found
}

/// Runs tmux with these arguments; tmux is needed (`.ci/run` installs it).
fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(args)
        .output()
        .expect("tmux runs (.ci/run installs it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Pastes `text` into a REPL started with `env` and `args`, in tmux without bracketed paste, then
/// types a rule counting the `edge` facts and asks for the count; what the screen shows once
/// the answer is there (or after three minutes).
fn paste_and_count(name: &str, env: &str, args: &str, text: &str) -> String {
    // One paste at a time: two terminals echoing thousands of lines at once on a small
    // machine made each wait past its minute.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = std::env::temp_dir().join(format!("kingdon-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    let paste = dir.join("paste.txt");
    std::fs::write(&paste, text).expect("written");
    let session = format!("kingdon-{name}-{}", std::process::id());
    let command = format!(
        "XDG_DATA_HOME={} {env} {} --empty {args}",
        dir.display(),
        env!("CARGO_BIN_EXE_kingdon")
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "100",
        "-y",
        "30",
        &command,
    ]);
    std::thread::sleep(std::time::Duration::from_millis(800));
    let buffer = format!("{session}-buffer");
    tmux(&["load-buffer", "-b", &buffer, &paste.display().to_string()]);
    tmux(&["paste-buffer", "-b", &buffer, "-t", &session]);
    // Typed after the paste, so read after it (an Enter first ends a paste left open).
    tmux(&[
        "send-keys",
        "-t",
        &session,
        "Enter",
        "cnt(N) :- N = count { edge(X, Y) }.",
        "Enter",
        "cnt(N)?",
        "Enter",
    ]);
    let mut screen = String::new();
    for _ in 0..1800 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        screen = tmux(&["capture-pane", "-t", &session, "-p"]);
        // The answer's own line (the typed rule holds "N = count" too).
        if screen.lines().any(|l| l.starts_with("N = ")) {
            break;
        }
    }
    tmux(&["kill-session", "-t", &session]);
    let _ = std::fs::remove_dir_all(&dir);
    screen
}

#[test]
fn pasting_without_bracketed_paste_keeps_every_line() {
    if without_tmux() {
        return;
    }
    // Pasted without bracketed paste (tmux paste-buffer without -p, screen, type-ahead), about
    // one line per KiB arrived: of 2 000 facts, 8. rustyline now keeps what it has buffered.
    let facts: String = (0..2000)
        .map(|i| format!("edge(n{i}, n{}).\n", i + 1))
        .collect();
    let screen = paste_and_count("paste", "NO_COLOR=1", "", &facts);
    assert!(screen.contains("N = 2000"), "{screen}");
}

#[test]
fn ctrl_c_stops_a_long_explanation() {
    // The interrupt covered evaluation only: `why` of the end of a long chain ran on.
    let data = std::env::temp_dir().join(format!("kingdon-why-{}", std::process::id()));
    let mut command = Command::new(env!("CARGO_BIN_EXE_kingdon"));
    command
        .args(["--empty", "--max-iterations", "1000000"])
        .env("XDG_DATA_HOME", &data)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = spawn_command(command, Some(30_000)).expect("kingdon starts in a pty");
    p.exp_string("kingdon> ").expect("a prompt");
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_line("n(0). n(Y) :- n(X), X < 100000, Y = X + 1.")
        .expect("typed");
    p.exp_string("kingdon> ").expect("a prompt");
    p.send_line("n(100000)?").expect("typed");
    p.exp_string("true").expect("evaluated once");
    p.exp_string("kingdon> ").expect("a prompt");
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_line("why n(100000) depth 1.").expect("typed");
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_control('c').expect("ctrl-c");
    p.exp_string("evaluation interrupted")
        .expect("the explanation stops");
    p.exp_string("kingdon> ").expect("a prompt");
    p.send_line(":quit").expect("typed");
    p.exp_eof().expect("the REPL ends");
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_long_pasted_line_is_read_without_redrawing_it_at_every_key() {
    if without_tmux() {
        return;
    }
    // A single pasted line of 48 KB took over two minutes: the prompt coloured the whole line
    // again at every one of its keys. The answer must come while the test waits.
    let line: String = (0..2500)
        .map(|i| format!("edge(n{i}, n{}). ", i + 1))
        .collect();
    // Colour on, as at a terminal: the colouring was the cost.
    let screen = paste_and_count("longline", "TERM=xterm-256color", "--color always", &line);
    assert!(screen.contains("N = 2500"), "{screen}");
}

/// Waits until the screen of a tmux session shows `text` `times` times, for at most 20 s;
/// the screen.
fn wait_for_times(session: &str, text: &str, times: usize) -> String {
    let mut screen = String::new();
    for _ in 0..200 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        screen = tmux(&["capture-pane", "-t", session, "-p"]);
        if screen.matches(text).count() >= times {
            break;
        }
    }
    screen
}

/// Waits until the screen of a tmux session shows `text`; the screen.
fn wait_for(session: &str, text: &str) -> String {
    wait_for_times(session, text, 1)
}

/// A new tmux session of 150 × 30 running `kingdon --empty` (then `after`, a shell command)
/// with `dir` as its data folder; the session's name.
fn start(name: &str, dir: &std::path::Path, after: &str) -> String {
    let session = format!("kingdon-{name}-{}", std::process::id());
    let command = format!(
        "XDG_DATA_HOME={} NO_COLOR=1 {} --empty{after}",
        dir.display(),
        env!("CARGO_BIN_EXE_kingdon")
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "150",
        "-y",
        "30",
        &command,
    ]);
    session
}

#[test]
fn a_byte_that_is_not_utf8_drops_its_line_not_the_session_and_an_unreadable_history_is_kept() {
    if without_tmux() {
        return;
    }
    // A Latin-1 é (0xE9) typed at the prompt ended the REPL ("invalid data", exit 0) and the
    // unsaved session was lost; a history file that is not UTF-8 was overwritten at exit.
    let name = "latin1";
    let dir = std::env::temp_dir().join(format!("kingdon-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("kingdon")).expect("a folder");
    let old_history = b"p(1).\ncaf\xe9(1)?\n".to_vec();
    std::fs::write(dir.join("kingdon/history.txt"), &old_history).expect("written");
    let session = start(name, &dir, "; echo exited $?; sleep 60");
    let screen = wait_for(&session, "kingdon>");
    assert!(screen.contains("leaving that file as it is"), "{screen}");
    tmux(&["send-keys", "-t", &session, "p(1).", "Enter"]);
    wait_for_times(&session, "kingdon>", 2);
    tmux(&["send-keys", "-t", &session, "-l", "q(caf"]);
    tmux(&["send-keys", "-t", &session, "-H", "e9"]);
    tmux(&["send-keys", "-t", &session, "-l", ")."]);
    tmux(&["send-keys", "-t", &session, "Enter"]);
    let screen = wait_for(&session, "that line was dropped");
    assert!(screen.contains("not UTF-8"), "{screen}");
    tmux(&["send-keys", "-t", &session, "p(X)?", "Enter"]);
    let screen = wait_for(&session, "X = 1");
    assert!(screen.contains("X = 1"), "the session goes on: {screen}");
    tmux(&["send-keys", "-t", &session, ":quit", "Enter"]);
    let screen = wait_for(&session, "exited");
    tmux(&["kill-session", "-t", &session]);
    assert!(screen.contains("exited 0"), "{screen}");
    let history = std::fs::read(dir.join("kingdon/history.txt")).expect("still there");
    assert_eq!(
        history, old_history,
        "the unreadable history is left as it was"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ctrl_c_stops_a_load_that_waits_for_a_named_pipe() {
    if without_tmux() {
        return;
    }
    // `:load` of a named pipe nobody writes to waited for ever: Ctrl-C was heard only during
    // evaluation and `why`.
    let name = "fifo";
    let dir = std::env::temp_dir().join(format!("kingdon-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    let fifo = dir.join("waiting.msf");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let session = start(name, &dir, "");
    wait_for(&session, "kingdon>");
    tmux(&[
        "send-keys",
        "-t",
        &session,
        &format!(":load {}", fifo.display()),
        "Enter",
    ]);
    std::thread::sleep(std::time::Duration::from_millis(800));
    tmux(&["send-keys", "-t", &session, "C-c"]);
    let screen = wait_for(&session, "interrupted");
    assert!(screen.contains("interrupted (Ctrl-C)"), "{screen}");
    tmux(&["send-keys", "-t", &session, "p(1). p(X)?", "Enter"]);
    let screen = wait_for(&session, "X = 1");
    assert!(screen.contains("X = 1"), "the session goes on: {screen}");
    // The same for an `input` of a named pipe in a file loaded (found by a second attack).
    let rows = dir.join("rows.csv");
    let made = Command::new("mkfifo")
        .arg(&rows)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::fs::write(dir.join("reads.msf"), "input c/1 from \"rows.csv\".\n").expect("written");
    tmux(&[
        "send-keys",
        "-t",
        &session,
        &format!(":load {}", dir.join("reads.msf").display()),
        "Enter",
    ]);
    std::thread::sleep(std::time::Duration::from_millis(800));
    tmux(&["send-keys", "-t", &session, "C-c"]);
    let screen = wait_for_times(&session, "interrupted (Ctrl-C)", 2);
    tmux(&["kill-session", "-t", &session]);
    assert_eq!(
        screen.matches("interrupted (Ctrl-C)").count(),
        2,
        "{screen}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
