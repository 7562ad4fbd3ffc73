//! Every example block of LANGUAGE.md, copied into `tests/language/`, parses without a
//! diagnostic and checks without an error. The warnings each fragment draws (facts that no
//! rule of the fragment reads, and so on) are pinned too.

use std::path::{Path, PathBuf};

use kingdon::check::check_files;
use kingdon::syntax::ParseOptions;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/language")
}

/// Loads and checks the named blocks as one program; returns the rendered warnings.
fn check_clean(blocks: &[&str]) -> String {
    let paths: Vec<PathBuf> = blocks
        .iter()
        .map(|b| dir().join(format!("{b}.msf")))
        .collect();
    let checked = check_files(&paths, ParseOptions::default()).expect("the blocks are readable");
    let rendered = checked.render(false);
    assert!(!checked.has_errors(), "errors:\n{rendered}");
    let root = format!("{}/", dir().display());
    rendered.replace(&root, "")
}

#[test]
fn facts_block() {
    assert_eq!(
        check_clean(&["facts"]),
        "\
facts.msf:2:1: warning[W102]: `diplomatic_ties/2` has facts or rules but nothing uses it
 2 | diplomatic_ties(china, kazakhstan) @ 1992
   | ^^^^^^^^^^^^^^^
   = hint: use it in a rule or a query, or show it in a lane with `stream`
facts.msf:5:1: warning[W102]: `gdp_growth/3` has facts or rules but nothing uses it
 5 | gdp_growth(horgos, 2023, 3.2) source \"seed §3.1.2\".
   | ^^^^^^^^^^
   = hint: use it in a rule or a query, or show it in a lane with `stream`
facts.msf:6:1: warning[W102]: `ussr_dissolved/0` has facts or rules but nothing uses it
 6 | ussr_dissolved @ 1991-12-25.
   | ^^^^^^^^^^^^^^
   = hint: use it in a rule or a query, or show it in a lane with `stream`
facts.msf:7:1: warning[W102]: `port_reopened/1` has facts or rules but nothing uses it
 7 | port_reopened(horgos) @ 1983.
   | ^^^^^^^^^^^^^
   = hint: use it in a rule or a query, or show it in a lane with `stream`
0 errors, 4 warnings
"
    );
}

#[test]
fn rules_block() {
    assert_eq!(
        check_clean(&["rules"]),
        "\
rules.msf:2:1: warning[W102]: `political_window/2` has facts or rules but nothing uses it
 2 | political_window(A, B) :- diplomatic_ties(A, B), trade_complementarity(A, B).
   | ^^^^^^^^^^^^^^^^
   = hint: use it in a rule or a query, or show it in a lane with `stream`
rules.msf:2:27: warning[W101]: `diplomatic_ties/2` is used but has no facts, rules or input, so it never holds
 2 | political_window(A, B) :- diplomatic_ties(A, B), trade_complementarity(A, B).
   |                           ^^^^^^^^^^^^^^^
   = hint: state facts of `diplomatic_ties`, or declare it in a lane if the case supplies it
rules.msf:2:50: warning[W101]: `trade_complementarity/2` is used but has no facts, rules or input, so it never holds
 2 | political_window(A, B) :- diplomatic_ties(A, B), trade_complementarity(A, B).
   |                                                  ^^^^^^^^^^^^^^^^^^^^^
   = hint: state facts of `trade_complementarity`, or declare it in a lane if the case supplies it
rules.msf:5:5: warning[W102]: `window_open/1` has facts or rules but nothing uses it
 5 |     window_open(political) when diplomatic_ties(china, kazakhstan)
   |     ^^^^^^^^^^^
   = hint: use it in a rule or a query, or show it in a lane with `stream`
0 errors, 4 warnings
"
    );
}

#[test]
fn streams_block() {
    let warnings = check_clean(&["streams"]);
    assert!(warnings.ends_with("0 errors, 6 warnings\n"), "{warnings}");
    assert!(warnings.starts_with(
        "streams.msf:2:37: warning[W104]: the lane names `indicator/2`, which no fact, rule or query mentions\n"
    ));
}

#[test]
fn statements_block_with_the_case_it_includes() {
    assert_eq!(check_clean(&["statements"]), "");
}

#[test]
fn all_blocks_as_one_program() {
    let warnings = check_clean(&["facts", "rules", "streams", "statements"]);
    let headers: Vec<&str> = warnings
        .lines()
        .filter(|l| l.contains(": warning["))
        .collect();
    assert_eq!(
        headers,
        [
            "facts.msf:5:1: warning[W102]: `gdp_growth/3` has facts or rules but nothing uses it",
            "facts.msf:7:1: warning[W102]: `port_reopened/1` has facts or rules but nothing uses it",
            "rules.msf:2:1: warning[W102]: `political_window/2` has facts or rules but nothing uses it",
            "rules.msf:2:50: warning[W101]: `trade_complementarity/2` is used but has no facts, rules or input, so it never holds",
            "streams.msf:2:37: warning[W104]: the lane names `indicator/2`, which no fact, rule or query mentions",
            "streams.msf:2:50: warning[W104]: the lane names `focusing_event/1`, which no fact, rule or query mentions",
            "streams.msf:2:68: warning[W104]: the lane names `problem/1`, which no fact, rule or query mentions",
            "streams.msf:3:56: warning[W104]: the lane names `political_shift/1`, which no fact, rule or query mentions",
        ]
    );
}

/// The copies are verbatim: when LANGUAGE.md (beside the repository, in `../shared/`) is
/// present, each of its example blocks matches the file that copies it.
#[test]
fn copies_match_language_md() {
    let contract = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/LANGUAGE.md");
    let Ok(text) = std::fs::read_to_string(&contract) else {
        return;
    };
    // Sections 1–6, the core contract; the second version's additions (§7) are tested where
    // each is built.
    let core = text.split("\n## 7.").next().unwrap_or(&text);
    let blocks: Vec<&str> = core.split("```\n").skip(1).step_by(2).collect();
    let names = ["facts", "rules", "streams", "statements"];
    assert_eq!(blocks.len(), names.len());
    for (name, block) in names.iter().zip(blocks) {
        let copy = std::fs::read_to_string(dir().join(format!("{name}.msf"))).expect("copy exists");
        let body = copy.split_once('\n').expect("a header line").1;
        assert_eq!(
            body, block,
            "tests/language/{name}.msf differs from LANGUAGE.md"
        );
    }
}
