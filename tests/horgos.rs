//! The Horgos case (`rules/horgos.msf` on the theory of `rules/msf.msf`): it states evidence
//! only, every fact quoted from the shipped paper or marked assumed; the theory gives each
//! change the paper describes a verdict at the paper's date, and says no where the paper gives
//! a change no problem, entrepreneur or judgement of its own. A made-up measure with nothing
//! of its own, a crisis with no direction and an entrepreneur active only later explain
//! nothing.

mod common;

use std::path::Path;

use kingdon::check::check_files;
use kingdon::evidence::Kind;
use kingdon::syntax::ParseOptions;
use kingdon::KnowledgeBase;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn horgos() -> KnowledgeBase {
    let mut kb = KnowledgeBase::new();
    kb.load_file(root().join("rules/horgos.msf"))
        .expect("the case loads");
    kb
}

fn ask(kb: &mut KnowledgeBase, query: &str) -> Vec<String> {
    common::rows(&kb.query(query).expect("answers"), " @ ")
}

#[test]
fn every_change_of_the_paper_gets_one_verdict_at_its_time() {
    let mut kb = horgos();
    let enacted = ask(&mut kb, "enacted(C, _) @ T");
    let mut verdicts = ask(&mut kb, "policy_change(C) @ T");
    verdicts.extend(ask(&mut kb, "order_unknown(C) @ T"));
    verdicts.extend(ask(&mut kb, "unexplained(C) @ T"));
    verdicts.sort();
    let mut expected = enacted.clone();
    expected.sort();
    assert_eq!(verdicts, expected, "each enactment has exactly one verdict");
    assert_eq!(enacted.len(), 13);
}

#[test]
fn the_theory_says_no_where_the_paper_gives_no_reason() {
    let mut kb = horgos();
    // No change of the paper is coupled in an order its dates fix.
    assert!(ask(&mut kb, "policy_change(C) @ T").is_empty());
    // The agreement of 2003 and the Framework of 2004 are coupled only in an order the
    // paper's years do not fix: the presidents' exchange is of the agreement's own year, and
    // the treaty's window closes in the Framework's year.
    assert_eq!(
        ask(&mut kb, "order_unknown(C) @ T"),
        [
            "cooperation_center_initiative @ 2003",
            "framework_agreement_signed @ 2004"
        ]
    );
    assert!(ask(&mut kb, "unexplained(port_decline) @ T").len() == 1);
    assert!(ask(&mut kb, "unexplained(port_reopening) @ T").len() == 1);
    assert_eq!(
        ask(&mut kb, "missed_window(W) @ T, T < 2000"),
        [
            "lagging_development @ 1964",
            "location_unused @ 1985",
            "soviet_dissolution @ 1993-12-25",
            "diplomatic_relations @ 1994",
            "trade_development @ 1994",
        ]
    );
}

#[test]
fn every_window_closes() {
    let mut kb = horgos();
    let opened = ask(&mut kb, "window(W, K) @ T");
    let closed = ask(&mut kb, "window(W, K) @ T, window_closes(W) @ C, T <= C");
    assert!(opened.len() >= 12, "{opened:?}");
    assert_eq!(opened.len(), closed.len(), "{opened:?}\n{closed:?}");
}

#[test]
fn a_measure_with_nothing_of_its_own_is_explained_in_no_year() {
    // A made-up measure of the center, with only what every measure shares: it was an
    // alternative, part of the programme, and enacted. In no year 2003–2023 is it explained.
    for year in 2003..=2023 {
        let mut kb = horgos();
        kb.load_str(
            "<made up>",
            &format!(
                "alternative(made_up_measure) @ {year}. part_of(made_up_measure, center_program).
                 enacted(made_up_change, made_up_measure) @ {year}."
            ),
        )
        .expect("loads");
        assert!(
            ask(&mut kb, "policy_change(made_up_change)").is_empty(),
            "explained in {year}"
        );
        assert!(
            ask(&mut kb, "order_unknown(made_up_change)").is_empty(),
            "perhaps explained in {year}"
        );
    }
}

#[test]
fn a_border_crisis_with_no_direction_couples_nothing() {
    let mut kb = horgos();
    kb.load_str(
        "<crisis>",
        "international_relations(border_crisis, kazakhstan) @ 2012-08.",
    )
    .expect("loads");
    assert!(ask(&mut kb, "coupled(C, border_crisis)").is_empty());
    assert!(ask(&mut kb, "window(border_crisis, K)").is_empty());
    assert!(ask(&mut kb, "couplable(C, border_crisis, O, R)").is_empty());
}

#[test]
fn an_entrepreneur_active_only_later_couples_nothing() {
    let mut kb = horgos();
    kb.load_str(
        "<advocate>",
        "advocates(late_advocate, revised_customs_supervision) @ 2030.",
    )
    .expect("loads");
    assert!(ask(
        &mut kb,
        "advocated_by(revised_customs_supervision, T, known)"
    )
    .is_empty());
    let before = ask(&mut kb, "order_unknown(customs_revision) @ T");
    assert!(ask(&mut kb, "policy_change(customs_revision)").is_empty());
    assert!(before.is_empty() || before == ["2023"]);
}

#[test]
fn a_made_up_change_with_no_new_event_is_unexplained() {
    let mut kb = horgos();
    let change = "alternative(free_port) @ 2049. addresses(free_port, trade_development).
         technically_feasible(free_port) @ 2049. value_acceptable(free_port) @ 2049.
         advocates(someone, free_port) @ 2049. condition(trade_development) @ 2049.
         enacted(free_port_act, free_port) @ 2050.";
    kb.load_str("<made up>", change).expect("loads");
    assert_eq!(ask(&mut kb, "unexplained(free_port_act) @ T"), ["2050"]);
    // A political event of its own that favours nothing explains nothing ...
    kb.load_str("<event>", "national_mood(free_port_enthusiasm) @ 2049.")
        .expect("loads");
    assert_eq!(ask(&mut kb, "unexplained(free_port_act) @ T"), ["2050"]);
    // ... one that favours the free port does.
    kb.load_str("<direction>", "favours(free_port_enthusiasm, free_port).")
        .expect("loads");
    assert_eq!(ask(&mut kb, "policy_change(free_port_act) @ T"), ["2050"]);
}

/// The stated facts and rules of the case's own file, with their evidence.
fn case_entries() -> Vec<kingdon::evidence::Entry> {
    let checked =
        check_files(&[root().join("rules/horgos.msf")], ParseOptions::default()).expect("readable");
    assert!(
        checked.diagnostics().is_empty(),
        "{}",
        checked.render(false)
    );
    checked
        .evidence()
        .into_iter()
        .filter(|e| e.at.contains("rules/horgos.msf:"))
        .collect()
}

#[test]
fn every_fact_is_quoted_or_assumed_and_most_are_quoted() {
    let all = case_entries();
    let facts: Vec<_> = all.iter().filter(|e| e.statement == "fact").collect();
    assert!(facts.len() >= 90, "only {} facts", facts.len());
    let bare: Vec<&str> = facts
        .iter()
        .filter(|e| !matches!(e.kind, Kind::Quoted | Kind::Assumed))
        .map(|e| e.text.as_str())
        .collect();
    assert!(bare.is_empty(), "neither quoted nor assumed: {bare:?}");
    let quoted = facts.iter().filter(|e| e.kind == Kind::Quoted).count();
    assert!(
        quoted * 4 >= facts.len() * 3,
        "{quoted} of {} quoted",
        facts.len()
    );
    assert!(all.iter().all(|e| e.found != Some(false)));
    let rules: Vec<_> = all.iter().filter(|e| e.statement == "rule").collect();
    assert!(rules.iter().all(|e| e.kind == Kind::Assumed), "{rules:?}");
}

#[test]
fn no_conclusion_of_the_theory_is_stated() {
    const DERIVED: [&str; 6] = [
        "window",
        "window_closes",
        "coupled",
        "policy_change",
        "unexplained",
        "missed_window",
    ];
    // Neither a fact of the case's own file nor a rule in it has a derived name.
    let mut kb = horgos();
    let case = "rules/horgos.msf:";
    let mut stated_heads: Vec<String> = case_entries()
        .into_iter()
        .filter(|e| e.statement == "fact")
        .map(|e| {
            e.text
                .split(['(', ' ', '@'])
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    for pred in DERIVED {
        if kb.rules(Some(pred)).iter().any(|r| r.at.contains(case)) {
            stated_heads.push(pred.to_string());
        }
    }
    for pred in DERIVED {
        assert!(
            !stated_heads.iter().any(|h| h == pred),
            "the case states or derives `{pred}` itself"
        );
    }
    // No stated fact names a change together with a window it rode.
    let rode = ask(&mut kb, "coupled(C, W)");
    for e in case_entries().iter().filter(|e| e.statement == "fact") {
        for pair in &rode {
            let (c, w) = pair.split_once(" @ ").expect("two columns");
            let names = |n: &str| {
                e.text
                    .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                    .any(|word| word == n)
            };
            assert!(
                !(names(c) && names(w)),
                "`{}` names the change {c} and the window {w} it rode",
                e.text
            );
        }
    }
}

#[test]
fn a_quote_changed_by_one_word_is_an_error_at_that_quote() {
    let text = std::fs::read_to_string(root().join("rules/horgos.msf")).expect("readable");
    let original = "China and Kazakhstan established diplomacy in 1992";
    let at = text.find(original).expect("the case quotes it");
    let changed = text.replacen(
        original,
        "China and Kazakhstan established relations in 1992",
        1,
    );
    let dir = std::env::temp_dir().join(format!("kingdon-quote-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sources")).expect("writable");
    std::fs::copy(root().join("rules/msf.msf"), dir.join("msf.msf")).expect("copied");
    std::fs::copy(
        root().join("rules/sources/shi2024.txt"),
        dir.join("sources/shi2024.txt"),
    )
    .expect("copied");
    std::fs::write(dir.join("horgos.msf"), &changed).expect("writable");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(["check", "horgos.msf"])
        .current_dir(&dir)
        .output()
        .expect("kingdon runs");
    std::fs::remove_dir_all(&dir).expect("removed");
    let line = text[..at].lines().count();
    let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.starts_with(&format!(
            "horgos.msf:{line}:{column}: error[E118]: this quote does not occur in `sources/shi2024.txt`"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("the closest passage, at sources/shi2024.txt:61: \"China and Kazakhstan established diplomacy in 1992,\""),
        "{stderr}"
    );
}
