//! Quotes checked against documents from the command line, as a modeller meets them: any
//! Unicode in either, dashes and ellipses, hyphens at line ends, words that only contain the
//! quoted ones (issue 35, items 1–3, 7, 15, 16).

use std::path::PathBuf;
use std::process::{Command, Output};

/// A folder of its own for one test, holding `doc.txt` and `case.msf`.
struct Case {
    dir: PathBuf,
}

impl Case {
    /// A case citing `document` with one fact quoting `quote`.
    fn new(name: &str, document: &str, quote: &str) -> Case {
        let dir =
            std::env::temp_dir().join(format!("kingdon-evidence-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("writable");
        std::fs::write(dir.join("doc.txt"), document).expect("writable");
        let quote = quote.replace('\\', "\\\\").replace('"', "\\\"");
        std::fs::write(
            dir.join("case.msf"),
            format!(
                "document d \"doc.txt\".\nseen(x)\n  source d \"p. 1\"\n  quote \"{quote}\".\n"
            ),
        )
        .expect("writable");
        Case { dir }
    }

    /// `kingdon SUBCOMMAND case.msf` in the case's folder.
    fn run(&self, subcommand: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kingdon"))
            .args([subcommand, "case.msf"])
            .current_dir(&self.dir)
            .output()
            .expect("kingdon runs")
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether `check` finds the quote (exit 0), refuses it (exit 1 with E118), never more.
fn accepted(name: &str, document: &str, quote: &str) -> bool {
    let case = Case::new(name, document, quote);
    let out = case.run("check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => true,
        Some(1) => {
            assert!(stderr.contains("error[E118]"), "{stderr}");
            false
        }
        other => panic!("exit {other:?}: {stderr}"),
    }
}

#[test]
fn an_en_dash_after_a_letter_is_read_not_crashed_on() {
    let doc = "Relations after the Sino–Soviet split were tense.";
    for sub in ["check", "run", "evidence"] {
        let case = Case::new(&format!("dash-{sub}"), doc, "after the Sino–Soviet split");
        let out = case.run(sub);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{sub}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for dash in [
        '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}',
    ] {
        let doc = format!("the Sino{dash}Soviet split");
        assert!(
            accepted("dashes", &doc, "the Sino-Soviet split"),
            "{dash:?}"
        );
        assert!(accepted(
            "dashes",
            "the Sino-Soviet split",
            &format!("Sino{dash}Soviet")
        ));
    }
}

#[test]
fn an_ellipsis_whose_window_ends_inside_a_character_is_searched_whole() {
    let doc = format!("a {} bc", "é".repeat(300));
    assert!(
        !accepted("window", &doc, "a … bc"),
        "the parts are too far apart"
    );
    let doc = format!("a {} bc", "é".repeat(100));
    assert!(accepted("window-near", &doc, "a … bc"));
}

#[test]
fn the_closest_passage_ends_on_a_whole_character() {
    let case = Case::new("closest", "alpha beta gammaé", "alpha beta gammax");
    let out = case.run("check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the closest passage, at doc.txt:1: \"alpha beta gammaé\""),
        "{stderr}"
    );
}

#[test]
fn a_quote_is_found_only_as_whole_words() {
    let doc = "The council disapproved the reopening of Horgos port in 1983.";
    assert!(!accepted(
        "words",
        doc,
        "approved the reopening of Horgos port"
    ));
    assert!(!accepted(
        "words-parts",
        doc,
        "council … approved the reopening"
    ));
    assert!(!accepted("words-end", doc, "the reopening of Horgos po"));
    assert!(accepted(
        "words-whole",
        doc,
        "disapproved the reopening of Horgos port"
    ));
}

#[test]
fn a_hyphen_at_a_line_end_before_a_capital_is_the_words_own() {
    let doc = "the Sino-\nSoviet split, then a devel-\nopment";
    assert!(accepted("hyphen", doc, "the Sino-Soviet split"));
    assert!(!accepted("hyphen-joined", doc, "the SinoSoviet split"));
    assert!(accepted("hyphen-soft", doc, "then a development"));
}

#[test]
fn the_closest_passage_of_a_long_quote_in_a_long_document_takes_linear_time() {
    // About 2.3 MB of document and a 23 KB quote that is not in it (the attack took 44 s).
    let words: Vec<String> = (0..330_000).map(|i| format!("w{}", i % 9_973)).collect();
    let doc = words.join(" ");
    let quote: Vec<String> = (0..3_000).map(|i| format!("q{}", i % 97)).collect();
    let case = Case::new("long", &doc, &quote.join(" "));
    let start = std::time::Instant::now();
    let out = case.run("check");
    assert_eq!(out.status.code(), Some(1));
    // A ceiling far above the release binary's time, low enough to catch a quadratic search.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn a_document_in_any_script_is_compared_whole() {
    let doc = "Ни одна — «граница» не закрыта. 国境は閉鎖されていない。";
    assert!(accepted("script", doc, "Ни одна - \"граница\" не закрыта."));
    assert!(!accepted("script-bad", doc, "граница закрыта"));
}

#[test]
fn the_closest_passage_never_prints_a_bidirectional_override_raw() {
    let case = Case::new(
        "bidi",
        "alpha beta \u{202e}gamma delta",
        "alpha beta gamma deltax",
    );
    let out = case.run("check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains('\u{202e}'), "{stderr}");
    assert!(
        stderr.contains("alpha beta \u{fffd}gamma delta"),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_stops_the_checking_of_quotes() {
    // At the REPL, Ctrl-C was heard only during evaluation and `why`: a slow evidence check
    // ran to its end. Here the interrupt is already set when the quotes are checked.
    let case = Case::new("cancel", "alpha beta gamma", "beta gamma");
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut options = kingdon::Options::default();
    options.limits.cancel = Some(cancel);
    let mut kb = kingdon::KnowledgeBase::with_options(options);
    let e = kb
        .load_file(case.dir.join("case.msf"))
        .expect_err("interrupted");
    let shown = kb.render(&e, false);
    assert!(
        shown.contains("error[E205]: interrupted (Ctrl-C) while the quotes were checked"),
        "{shown}"
    );
}

#[test]
fn a_year_inside_a_longer_number_does_not_date_a_fact() {
    // W106 took "20060 tenge" as giving the year 2006 (found by the fresh-eyed attack).
    let case = Case::new(
        "w106",
        "It cost 20060 tenge; in 2006, it opened.",
        "It cost 20060 tenge",
    );
    let text = std::fs::read_to_string(case.dir.join("case.msf")).expect("readable");
    std::fs::write(
        case.dir.join("case.msf"),
        text.replace("seen(x)\n", "seen(x) @ 2006\n"),
    )
    .expect("written");
    let out = case.run("check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning[W106]: the quote does not give this fact's year, 2006"),
        "{stderr}"
    );
}

#[test]
fn a_quote_must_give_the_whole_date_of_its_fact() {
    // W106 compared the year alone: a fact dated 2006-07 passed with a quote of "in 2006".
    for (date, quote, warning) in [
        ("2006-07", "in 2006, it opened", Some("month, July")),
        ("2006-07", "In July 2006, the port", None),
        (
            "2006-07-14",
            "In July 2006, the port",
            Some("day, the 14th"),
        ),
        ("2006-07-14", "on 14 July 2006 it opened", None),
    ] {
        let case = Case::new(
            "w106-date",
            "in 2006, it opened. In July 2006, the port closed; on 14 July 2006 it opened.",
            quote,
        );
        let text = std::fs::read_to_string(case.dir.join("case.msf")).expect("readable");
        std::fs::write(
            case.dir.join("case.msf"),
            text.replace("seen(x)\n", &format!("seen(x) @ {date}\n")),
        )
        .expect("written");
        let out = case.run("check");
        let stderr = String::from_utf8_lossy(&out.stderr);
        match warning {
            Some(w) => assert!(
                stderr.contains(&format!(
                    "warning[W106]: the quote does not give this fact's {w}"
                )),
                "{date} {quote}: {stderr}"
            ),
            None => assert!(!stderr.contains("W106"), "{date} {quote}: {stderr}"),
        }
    }
}

#[test]
fn a_quote_of_punctuation_alone_is_empty() {
    // `quote ","` was accepted as found, while `"…"` was refused as empty.
    let case = Case::new("comma", "alpha, beta", ",");
    let out = case.run("check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("this quote is empty"), "{stderr}");
}

#[test]
fn the_evidence_listing_keeps_one_line_a_statement() {
    // A locator's `\n` broke `kingdon evidence`'s one line per fact (found by a second
    // fresh-eyed attack).
    let case = Case::new("listing", "alpha beta gamma", "beta gamma");
    let text = std::fs::read_to_string(case.dir.join("case.msf")).expect("readable");
    std::fs::write(
        case.dir.join("case.msf"),
        text.replace("\"p. 1\"", "\"p. 1\\nand\\tmore\""),
    )
    .expect("written");
    let out = case.run("evidence");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains("[d p. 1\\nand\\tmore]"), "{stdout}");
}
