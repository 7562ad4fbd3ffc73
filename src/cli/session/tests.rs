//! The session driven with strings: statements, colon commands, transactions.

use super::*;

fn session() -> Session {
    Session::new(true, false)
}

#[test]
fn a_query_on_the_case_answers_in_time_order() {
    let mut s = session();
    let r = s.handle("unexplained(C) @ T, T < 2004?");
    assert_eq!(
        r.out,
        "C = port_decline, T = 1962\nC = port_reopening, T = 1983\n"
    );
    assert!(!r.failed);
}

#[test]
fn every_statement_kind_acts() {
    let mut s = Session::new(false, false);
    assert_eq!(s.handle("edge(a, b). edge(b, c).").out, "");
    assert_eq!(
        s.handle("path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).")
            .out,
        ""
    );
    assert_eq!(s.handle("?- path(a, X).").out, "X = b\nX = c\n");
    assert!(s
        .handle("why path(a, c).")
        .out
        .starts_with("path(a, c) ⇐ rule path (<input 2>:2)\n"));
    assert!(s
        .handle("whynot path(c, a).")
        .out
        .starts_with("path(c, a) does not hold.\n"));
    assert_eq!(
        s.handle("whatif retract edge(b, c) show path.").out,
        "path: 2 would no longer hold\n  - path(a, c)\n  - path(b, c)\n"
    );
    assert_eq!(s.handle("retract edge(b, c).").out, "");
    assert_eq!(s.handle("path(a, X)?").out, "X = b\n");
}

#[test]
fn an_error_leaves_the_knowledge_base_as_it_was() {
    let mut s = Session::new(false, false);
    s.handle("p(1).");
    let r = s.handle("p(2).\nq(X) :- p(X, Y).");
    assert!(r.failed);
    assert!(
        r.err
            .starts_with("<input 2>:2:9: error[E101]: arity mismatch: `p` has 2 arguments here but 1 argument at <input 1>:1:1\n"),
        "{}",
        r.err
    );
    assert_eq!(s.handle("p(X)?").out, "X = 1\n");
}

#[test]
fn an_interrupted_evaluation_keeps_the_knowledge_base_as_it_was() {
    // No iteration limit: only the interrupt can stop this evaluation, however fast the build.
    let mut options = crate::Options::default();
    options.limits.max_iterations = usize::MAX;
    let mut s = Session::with_options(false, false, options);
    s.handle("n(0). stop(100000000).");
    let before = s.handle(":facts").out;
    let interrupt = s.interrupter();
    let raiser = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        interrupt.store(true, Ordering::SeqCst);
    });
    let started = std::time::Instant::now();
    let r = s.handle("n(X + 1) :- n(X), stop(S), X < S.\nn(X)?");
    raiser.join().expect("the raiser ran");
    assert!(r.failed, "{r:?}");
    assert!(
        r.err.contains("error[E205]: evaluation interrupted"),
        "{}",
        r.err
    );
    assert!(
        r.err.contains("nothing of this input was kept"),
        "{}",
        r.err
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(s.handle(":facts").out, before);
    assert_eq!(s.handle(":rules").out, "no rules\n");
    // The next input runs as usual: the flag is lowered before it.
    assert_eq!(s.handle("n(X)?").out, "X = 0\n");
}

#[test]
fn the_case_topic_lists_demonstrations_that_work() {
    let mut s = session();
    let help = s.handle(":help case").out;
    let demos: Vec<String> = help
        .lines()
        .skip(1)
        .skip_while(|l| !l.starts_with("Try:"))
        .skip(1)
        .map(|l| l.trim().split("  ").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
        // A demonstration may go on over two lines (a `show` list).
        .replace("\nshow ", " show ")
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(demos.len(), 8);
    for demo in &demos {
        let r = s.handle(demo);
        assert!(!r.failed && !r.out.is_empty(), "{demo}: {r:?}");
    }
    // The `whatif` demonstration answers what it says: the earlier advocate would settle it.
    let whatif = demos.iter().find(|d| d.starts_with("whatif")).expect("one");
    s.handle(":asof off");
    assert!(s
        .handle(whatif)
        .out
        .contains("+ policy_change(cooperation_center_initiative) @ 2003"));
    assert!(s
        .handle("whynot policy_change(framework_agreement_signed).")
        .out
        .contains("✗ open_at(")); // no window is surely open at the Framework's year
}

#[test]
fn files_at_the_prompt_include_input_output_and_lanes() {
    let dir = std::env::temp_dir().join(format!("kingdon-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    std::fs::write(dir.join("rules.msf"), "path(X, Y) :- edge(X, Y).\n").expect("writable");
    std::fs::write(dir.join("edges.csv"), "a,b\nb,c\n").expect("writable");
    let mut s = Session::new(false, false);
    let at = |f: &str| dir.join(f).display().to_string();
    assert!(
        !s.handle(&format!("include \"{}\".", at("rules.msf")))
            .failed
    );
    assert!(
        !s.handle(&format!("input edge/2 from \"{}\".", at("edges.csv")))
            .failed
    );
    assert_eq!(s.handle("path(a, X)?").out, "X = b\n");
    assert!(
        !s.handle(&format!("output path to \"{}\".", at("path.csv")))
            .failed
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("path.csv")).expect("written"),
        "a,b\nb,c\n"
    );
    assert!(!s.handle("stream graph \"Graph\": edge/2, path/2.").failed);
    assert_eq!(s.handle(":lanes").out, "graph \"Graph\": edge/2, path/2\n");
    let r = s.handle(&format!("input edge/2 from \"{}\".", at("missing.csv")));
    assert!(r.failed && r.err.contains("error[E301]"), "{}", r.err);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn colon_commands() {
    let mut s = session();
    assert!(s.handle(":help").out.contains(":load FILE"));
    assert_eq!(
        s.handle(":help asof").out,
        ":asof TIME | off  answer as of TIME, with only the facts dated up to it (:asof 2004)\n"
    );
    assert!(s
        .handle(":facts window_closes")
        .out
        .starts_with("window_closes: 13 facts\n  window_closes(lagging_development) @ 1964\n"));
    assert!(s
        .handle(":rules window")
        .out
        .starts_with("% rules/msf.msf:"));
    assert!(s
        .handle(":lanes")
        .out
        .starts_with("problem \"Problem stream\": indicator/3"));
    assert!(s.handle(":stats").out.contains(" rules, "));
    assert!(s.handle(":lanes change").out.starts_with(
        "Policy change: 27 dated facts\n  enacted(port_decline, port_closure) @ 1962\n"
    ));
    assert_eq!(
        s.handle(":lanes streams").err,
        "no lane `streams`; the lanes are: problem, policy, politics, window, change\n"
    );
    let r = s.handle(":lood x");
    assert!(r.failed);
    assert_eq!(
        r.err,
        "unknown command `:lood` (did you mean `:load`?); :help lists the commands\n"
    );
    assert!(s.handle(":quit").quit);
    assert_eq!(s.handle(":fac stage").out, s.handle(":facts stage").out);
    assert_eq!(
        s.handle(":re").err,
        "`:re` could be :reload or :reset; type more of it\n"
    );
    assert_eq!(
        s.handle(":reset").out,
        "the knowledge base is empty (:reload brings back what was loaded)\n"
    );
    assert_eq!(s.handle(":facts").out, "no facts\n");
}

#[test]
fn reload_starts_again_from_what_was_loaded() {
    let dir = std::env::temp_dir().join(format!("kingdon-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    let file = dir.join("extra.msf");
    std::fs::write(&file, "extra(a).\n").expect("writable");
    let mut s = Session::new(false, false);
    assert!(!s.handle(&format!(":load {}", file.display())).failed);
    s.handle("typed(b).");
    std::fs::write(&file, "extra(a). extra(c).\n").expect("writable");
    let r = s.handle(":reload");
    assert_eq!(r.out, format!("loaded {}\nreloaded\n", file.display()));
    assert_eq!(
        s.handle(":facts").out,
        "extra: 2 facts\n  extra(a)\n  extra(c)\n"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn asof_answers_with_the_facts_of_then() {
    let mut s = session();
    assert_eq!(
        s.handle(":asof 2004").out,
        "answering as of 2004: only facts dated up to it\n"
    );
    assert_eq!(s.asof().map(|t| t.to_string()).as_deref(), Some("2004"));
    let r = s.handle("order_unknown(C) @ T, T > 2000?");
    assert_eq!(
        r.out,
        "C = cooperation_center_initiative, T = 2003\nC = framework_agreement_signed, T = 2004\n"
    );
    assert_eq!(
        s.handle(":asof off").out,
        "answering with every fact again\n"
    );
    assert_eq!(
        s.handle("unexplained(C) @ T, T > 2014?").out,
        "C = vat_circular, T = 2015-01\nC = customs_revision, T = 2023\n"
    );
    assert!(s.handle(":asof 2005-13").failed);
}

#[test]
fn save_writes_a_file_that_loads_back_the_same() {
    let dir = std::env::temp_dir().join(format!("kingdon-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    let file = dir.join("saved.msf");
    let mut s = session();
    s.handle("extra(fact) @ 2024 note \"typed at the prompt\".");
    // Saved, its document copied beside it (it lies elsewhere).
    let said = s.handle(&format!(":save {}", file.display())).out;
    assert_eq!(
        said,
        format!(
            "saved to {}\nits documents lay outside its folder: copied beside it, as saved-documents/shi2024.txt\n",
            file.display()
        )
    );
    // It keeps what the theory's lanes ask: an enactment must carry a time.
    let saved = std::fs::read_to_string(&file).expect("saved");
    assert!(
        saved.contains("\"Policy change\": enacted/2 @, "),
        "{saved}"
    );
    // It loads where it is, confined to its folder as any case is.
    let mut again = Session::new(false, false);
    let loaded = again.handle(&format!(":load {}", file.display()));
    assert!(!loaded.failed, "{}", loaded.err);
    // The same facts (predicates may come in another order: the order they were named).
    let lines = |text: String| {
        text.lines()
            .map(str::to_string)
            .collect::<std::collections::BTreeSet<_>>()
    };
    let before = lines(s.handle(":facts").out);
    assert_eq!(lines(again.handle(":facts").out), before);
    assert!(before.contains("  extra(fact) @ 2024"));
    assert_eq!(
        again.handle("why extra(fact).").out.lines().nth(1),
        Some("   “typed at the prompt”")
    );
    let exported = dir.join("facts.json");
    assert!(s
        .handle(&format!(":export json {}", exported.display()))
        .out
        .starts_with("exported json"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).expect("written")).expect("JSON");
    assert_eq!(
        json["window"][0],
        "window(lagging_development, problem) @ 1962"
    );
    assert!(s
        .handle(&format!(":export dot {}", dir.join("rules.dot").display()))
        .out
        .starts_with("exported dot"));
    let rules = std::fs::read_to_string(dir.join("rules.dot")).expect("written");
    assert!(rules.starts_with("digraph rules"), "{rules}");
    s.handle("why order_unknown(framework_agreement_signed).");
    s.handle(&format!(":export dot {}", dir.join("why.dot").display()));
    let why = std::fs::read_to_string(dir.join("why.dot")).expect("written");
    assert!(why.starts_with("digraph why"), "{why}");
    assert!(
        why.contains("n0 [label=<<B>order_unknown(framework_agreement_signed) @ 2004</B>")
            && why.contains("rule change_in_unknown_order")
            && why.contains("fillcolor=\"#f5e4c8\""),
        "the change lane's colour: {why}"
    );
    s.handle(&format!(":export svg {}", dir.join("t.svg").display()));
    let svg = std::fs::read_to_string(dir.join("t.svg")).expect("written");
    assert!(svg.contains(super::timeline::CASE_TITLE));
    assert!(s
        .handle(":export png x.png")
        .err
        .contains("json, csv, tsv, dot or svg"));
    assert!(s.handle(":save /no/such/folder/x.msf").failed);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_exercise_loads_over_the_bundled_case() {
    // The exercises include `../horgos.msf`, which the REPL already holds, bundled: it is
    // read once, whatever folder kingdon runs from.
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/exercises");
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .expect("the exercises")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".solution.msf"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 10);
    for path in names {
        let mut s = session();
        let r = s.handle(&format!(":load {}", path.display()));
        assert!(!r.failed, "{}: {}", path.display(), r.err);
        assert!(r.out.ends_with(&format!("loaded {}\n", path.display())));
        // The case's enactments, each with its verdict (an exercise may add its own).
        assert!(s.handle("unexplained(C)?").out.lines().count() >= 5);
        let rules = s.handle(":rules policy_change").out;
        assert_eq!(rules.lines().filter(|l| l.starts_with("% ")).count(), 1);
    }
}

#[test]
fn a_failing_load_loads_nothing() {
    let dir = std::env::temp_dir().join(format!("kingdon-session-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    let file = dir.join("broken.msf");
    std::fs::write(&file, "a(1).\nb(2).\nc(X) :- a(1).\n").expect("writable");
    let mut s = Session::new(false, false);
    let r = s.handle(&format!(":load {}", file.display()));
    assert!(r.failed);
    assert!(r.err.contains("error[E104]"), "{}", r.err);
    assert_eq!(s.handle(":facts").out, "no facts\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_input_taken_back_writes_no_file() {
    // A failed `:load` was rolled back, but the files its `output` statements wrote stayed,
    // holding facts the knowledge base no longer had.
    let dir = std::env::temp_dir().join(format!("kingdon-taken-back-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp folder");
    let failing = dir.join("failing.msf");
    std::fs::write(
        &failing,
        "p(1).\noutput p to \"p.csv\".\nq(X) :- p(X), X = china + 1.\n?- q(X).\n",
    )
    .expect("written");
    let runaway = dir.join("runaway.msf");
    std::fs::write(
        &runaway,
        "n(0).\noutput n to \"n.csv\".\nn(X) :- n(Y), X = Y + 1.\n",
    )
    .expect("written");
    let good = dir.join("good.msf");
    std::fs::write(
        &good,
        "r(1).\noutput r to \"r.csv\".\ninput s/1 from \"r.csv\".\n?- s(X).\n",
    )
    .expect("written");
    let mut s = session();
    assert!(s.handle(&format!(":load {}", failing.display())).failed);
    assert!(
        !dir.join("p.csv").exists(),
        "a load that failed wrote its output"
    );
    let mut small = crate::Options::default();
    small.limits.max_iterations = 50;
    let mut s = Session::with_options(false, false, small);
    let r = s.handle(&format!(":load {}", runaway.display()));
    assert!(r.failed, "{}", r.err);
    assert!(
        !dir.join("n.csv").exists(),
        "a load whose evaluation ran out wrote its output"
    );
    let r = s.handle(&format!(":load {}", good.display()));
    assert!(!r.failed, "{}", r.err);
    assert_eq!(
        std::fs::read_to_string(dir.join("r.csv")).expect("written"),
        "1\n"
    );
    assert!(
        r.out.contains("X = 1"),
        "an input of the file just output reads it: {}",
        r.out
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_year_as_a_time_and_a_quoted_path_are_taken_at_the_prompt() {
    // `:asof @2006` said "`@2006` is not a time"; `:load "ok.msf"` kept the quotes (found by
    // the fresh-eyed attack).
    let mut s = session();
    assert_eq!(
        s.handle(":asof @2004").out,
        "answering as of 2004: only facts dated up to it\n"
    );
    let dir = std::env::temp_dir().join(format!("kingdon-quoted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    let file = dir.join("ok.msf");
    std::fs::write(&file, "extra(fact).\n").expect("written");
    let r = s.handle(&format!(":load \"{}\"", file.display()));
    assert!(!r.failed, "{}", r.err);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_name_never_stated_is_warned_of_before_the_answer_each_time() {
    // W107 came after the answer it explains, and only the first time: the question had
    // made the name known.
    let mut s = session();
    for _ in 0..2 {
        let r = s.handle("policy_change(vat_circulr)?");
        assert!(r.before.contains("warning[W107]"), "{r:?}");
        assert!(!r.err.contains("W107"), "{r:?}");
        assert_eq!(r.out, "false\n");
    }
}
