//! The research tools: how robust each verdict of a case is to the modeller's assumptions and
//! the theory's parameters (`kingdon robustness`), and two readings of one case compared
//! (`kingdon compare`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use kingdon::{KnowledgeBase, HORGOS_CASE};

fn horgos() -> KnowledgeBase {
    let mut kb = KnowledgeBase::new();
    kb.load_bundle(HORGOS_CASE).expect("the case loads");
    kb
}

fn study(kb: &mut KnowledgeBase) -> kingdon::Robustness {
    kingdon::robustness::study(kb)
        .expect("a study")
        .expect("the theory is loaded")
}

fn verdict<'s>(
    study: &'s kingdon::Robustness,
    fact: &str,
) -> &'s kingdon::robustness::VerdictRobustness {
    study
        .verdicts
        .iter()
        .find(|v| v.verdict == fact)
        .unwrap_or_else(|| panic!("no verdict {fact}"))
}

#[test]
fn a_verdict_that_rests_on_one_assumption_is_fragile_and_one_that_rests_on_none_is_robust() {
    let mut kb = horgos();
    let study = study(&mut kb);
    assert_eq!(study.assumptions.len(), 21);
    // The missed window of the Soviet dissolution rests on the modeller's reading that the
    // collapse favoured the center: without it, no window serves anything.
    let soviet = verdict(&study, "missed_window(soviet_dissolution) @ 1993-12-25");
    assert!(!soviet.robust);
    assert_eq!(
        soviet.rests_on,
        [["favours(soviet_dissolution, center_program) (rules/horgos.msf:122)"]]
    );
    assert_eq!(
        soviet.reason,
        "without favours(soviet_dissolution, center_program) (rules/horgos.msf:122) no such window opens then; at another time with default_window_length 1, 3–4, with window_length(political, _) 1, 3–4"
    );
    // The VAT circular is unexplained on the paper's words alone, whatever the settings.
    let vat = verdict(&study, "unexplained(vat_circular) @ 2015-01");
    assert!(vat.robust, "{}", vat.reason);
    assert!(vat.rests_on.is_empty());
    assert!(vat.holds_with.iter().all(|h| h.values == h.tried));
    // The Framework holds in an order the dates do not fix only with windows of two years:
    // three or four make it a policy change, one leaves it unexplained.
    let framework = verdict(&study, "order_unknown(framework_agreement_signed) @ 2004");
    assert!(!framework.robust);
    let default = framework
        .holds_with
        .iter()
        .find(|h| h.setting == "default_window_length")
        .expect("the default length is swept");
    assert_eq!(default.values, [2]);
    assert_eq!(default.tried, [1, 2, 3, 4]);
    assert!(
        framework.reason.contains(
            "with default_window_length 3–4 it is then policy_change, with default_window_length 1 it is then unexplained (it holds with 2)"
        ),
        "{}",
        framework.reason
    );
    // A reading that reaches a verdict the case does not.
    assert!(study.appear.iter().any(|a| a.verdict
        == "policy_change(framework_agreement_signed) @ 2004"
        && a.when
            .contains(&"with default_window_length 3–4".to_string())));
}

#[test]
fn an_assumption_only_together_with_another_is_found_as_a_pair() {
    // A change explained by two assumed advocates: neither alone holds it up, both do.
    let mut kb = KnowledgeBase::new();
    kb.load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/msf.msf"))
        .expect("the theory loads");
    kb.load_str(
        "pair.msf",
        r#"
condition(congestion) @ 2018. framed(congestion, city) @ 2018.
alternative(charge) @ 2016. addresses(charge, congestion).
technically_feasible(charge) @ 2017. value_acceptable(charge) @ 2017.
turnover(new_council) @ 2018-06. favours(new_council, charge).
advocates(transport_office, charge) @ 2017 assumed "its report argues for it".
advocates(chamber, charge) @ 2017 assumed "its letter argues for it".
enacted(charge_adopted, charge) @ 2019.
opposes(taxi_lobby, charge) @ 2015.
"#,
    )
    .expect("the case loads");
    let study = study(&mut kb);
    // A fact nothing backs is never taken away: said, with its place.
    assert_eq!(study.unbacked.len(), 10, "{:?}", study.unbacked);
    assert!(study
        .unbacked
        .contains(&"opposes(taxi_lobby, charge) @ 2015 (pair.msf:9)".to_string()));
    let adopted = verdict(&study, "policy_change(charge_adopted) @ 2019");
    assert!(!adopted.robust);
    assert_eq!(adopted.rests_on.len(), 1, "{:?}", adopted.rests_on);
    assert_eq!(adopted.rests_on[0].len(), 2);
    assert!(
        adopted
            .reason
            .starts_with("does not hold without both of these (either alone holds it up): advocates(transport_office, charge) @ 2017 (pair.msf:6) and advocates(chamber, charge) @ 2017 (pair.msf:7)"),
        "{}",
        adopted.reason
    );
}

/// A folder with the theory, the case and its source, and a copy of the case with one fact
/// read otherwise.
fn readings() -> (PathBuf, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("kingdon-compare-{}", std::process::id()));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    std::fs::create_dir_all(dir.join("sources")).expect("a folder");
    for file in ["msf.msf", "horgos.msf", "sources/shi2024.txt"] {
        std::fs::copy(root.join(file), dir.join(file)).expect("copied");
    }
    let case = std::fs::read_to_string(root.join("horgos.msf")).expect("the case");
    let reread = case.replacen(
        "advocates(hu_jintao_and_nazarbayev, frontier_cooperation_center) @ 2003",
        "advocates(hu_jintao_and_nazarbayev, frontier_cooperation_center) @ 2002",
        1,
    );
    assert_ne!(case, reread);
    std::fs::write(dir.join("reread.msf"), reread).expect("written");
    (dir.clone(), dir.join("horgos.msf"), dir.join("reread.msf"))
}

#[test]
fn compare_gives_exactly_the_verdicts_that_differ_each_with_its_premise() {
    let (dir, a, b) = readings();
    let out = Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .current_dir(&dir)
        .args(["compare", "horgos.msf", "reread.msf", "--width", "200"])
        .output()
        .expect("kingdon runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "horgos.msf and reread.msf: 21 verdicts the same, 1 subject judged otherwise.\n\
         only horgos.msf states:\n\
         \x20 advocates(hu_jintao_and_nazarbayev, frontier_cooperation_center) @ 2003 (horgos.msf:202)\n\
         only reread.msf states:\n\
         \x20 advocates(hu_jintao_and_nazarbayev, frontier_cooperation_center) @ 2002 (reread.msf:202)\n\
         cooperation_center_initiative\n\
         \x20 horgos.msf: order_unknown(cooperation_center_initiative) @ 2003\n\
         \x20 reread.msf: policy_change(cooperation_center_initiative) @ 2003\n\
         \x20 premise horgos.msf states and reread.msf does not: advocates(hu_jintao_and_nazarbayev, frontier_cooperation_center) @ 2003 (horgos.msf:202)\n\
         \x20 premise reread.msf states and horgos.msf does not: advocates(hu_jintao_and_nazarbayev, frontier_cooperation_center) @ 2002 (reread.msf:202)\n"
    );
    // The same as a section of the handout.
    let out = Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .current_dir(&dir)
        .args([
            "report",
            "horgos.msf",
            "--compare",
            "reread.msf",
            "-o",
            "page.html",
        ])
        .output()
        .expect("kingdon runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(dir.join("page.html")).expect("the page");
    assert!(page.contains("<li><a href=\"#compared\">Another reading: reread.msf</a></li>"));
    assert!(page.contains("<tr><td>cooperation_center_initiative</td><td><code>order_unknown(cooperation_center_initiative) @ 2003</code><br>rests on <code>advocates(hu_jintao_and_nazarbayev, frontier_cooperation_center) @ 2003 (horgos.msf:202)</code>, which the other does not state</td>"), "{page}");
    // The same comparison as data.
    let mut first = KnowledgeBase::new();
    first.load_file(&a).expect("loads");
    let mut second = KnowledgeBase::new();
    second.load_file(&b).expect("loads");
    let c = kingdon::compare::compare(&mut first, &mut second).expect("compared");
    assert_eq!(c.differences.len(), 1);
    // A setting that acts through a negation: no premise of either proof differs, and what
    // the readings state otherwise is named.
    std::fs::write(
        dir.join("longer.msf"),
        "include \"horgos.msf\".\nwindow_length(political, 3) assumed \"a longer political window\".\n",
    )
    .expect("written");
    let mut longer = KnowledgeBase::new();
    longer.load_file(dir.join("longer.msf")).expect("loads");
    let c = kingdon::compare::compare(&mut first, &mut longer).expect("compared");
    assert_eq!(c.only_b.len(), 1);
    assert!(c.only_b[0].starts_with("window_length(political, 3) ("));
    assert!(c.only_b[0].ends_with("longer.msf:2)"));
    let framework = c
        .differences
        .iter()
        .find(|d| d.subject == "framework_agreement_signed")
        .expect("the Framework differs");
    assert_eq!(
        framework.b,
        ["policy_change(framework_agreement_signed) @ 2004"]
    );
    // A reading compared with itself: nothing differs.
    let mut again = KnowledgeBase::new();
    again.load_file(&a).expect("loads");
    let c = kingdon::compare::compare(&mut first, &mut again).expect("compared");
    assert!(c.differences.is_empty());
    assert_eq!(c.same, 22);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn robustness_prints_a_table_json_and_csv() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kingdon"))
            .args(args)
            .output()
            .expect("kingdon runs")
    };
    let out = run(&["robustness", "--width", "100"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("15 of 22 verdicts robust, 7 fragile"),
        "{text}"
    );
    assert!(text.contains("fragile  order_unknown(framework_agreement_signed) @ 2004\n"));
    let out = run(&["robustness", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(json["verdicts"].as_array().map(Vec::len), Some(22));
    let out = run(&["robustness", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.starts_with("verdict,robust,reason,rests_on,holds_with\n"));
    assert_eq!(csv.lines().count(), 23);
    // Without the theory there is no verdict to study: said, exit 1.
    let dir = std::env::temp_dir().join(format!("kingdon-norobust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("plain.msf"), "p(1).\n").expect("written");
    let out = run(&["robustness", &dir.join("plain.msf").to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("there is no verdict of the theory to study")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_coding_sheet_becomes_a_case_that_check_verifies_and_a_bad_cell_is_placed() {
    let dir = std::env::temp_dir().join(format!("kingdon-import-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("rules")).expect("a folder");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/msf.msf"),
        dir.join("rules/msf.msf"),
    )
    .expect("copied");
    std::fs::write(
        dir.join("report.txt"),
        "In March 2021 the council passed the bike lane ordinance.\n",
    )
    .expect("written");
    std::fs::write(
        dir.join("sheet.csv"),
        "date,stream,predicate,arguments,quote,source,assumed\n\
         2021-03,change,enacted,\"ordinance, lanes\",In March 2021 the council passed the bike lane ordinance,report p. 1,\n\
         ,policy,addresses,\"lanes, \"\"safety, first\"\"\",,,\"A \"\"quoted\"\" reason\"\n",
    )
    .expect("written");
    let kingdon = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kingdon"))
            .current_dir(&dir)
            .args(args)
            .output()
            .expect("kingdon runs")
    };
    let out = kingdon(&[
        "import",
        "sheet.csv",
        "-o",
        "case.msf",
        "--document",
        "report=report.txt",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let case = std::fs::read_to_string(dir.join("case.msf")).expect("the case");
    assert!(case.contains(
        "enacted(ordinance, lanes) @ 2021-03\n    source report \"p. 1\"\n    quote \"In March 2021 the council passed the bike lane ordinance\"."
    ), "{case}");
    assert!(
        case.contains(
            "addresses(lanes, \"safety, first\")\n    assumed \"A \\\"quoted\\\" reason\"."
        ),
        "{case}"
    );
    let out = kingdon(&["check", "case.msf"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A date that is no date, at its row and column; nothing written.
    std::fs::write(
        dir.join("bad.csv"),
        "date,stream,predicate,arguments,quote,source,assumed\n2021-03,change,enacted,\"a, b\",,,\n2021-13,change,enacted,\"c, d\",,,\n",
    )
    .expect("written");
    let out = kingdon(&["import", "bad.csv", "-o", "bad.msf"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: bad.csv:3:1: `2021-13`: `2021-13` is not a time: months run from 01 to 12\n"
    );
    assert!(!dir.join("bad.msf").exists());
    // Every bad cell at once, an invisible character that `check` would refuse among them,
    // and a column that is not read, said.
    std::fs::write(
        dir.join("many.csv"),
        "date,stream,predicate,arguments,quote,source,assumed,coder\n\
         2019,problem,Condition,x,,,,me\n\
         2019,problem,condition,z,\"a \u{202E} quote\",,,me\n",
    )
    .expect("written");
    // What the fuzzer found: values the language would not read, refused at their rows.
    std::fs::write(
        dir.join("values.csv"),
        "date,stream,predicate,arguments,quote,source,assumed\n\
         2019,problem,lags,\"a, 777777777777777777777777\",,,\n\
         2019,problem,lags,\"a, if\",,,\n\
         2019,problem,lags,\"a, 767.77730164176719202\",,,\n",
    )
    .expect("written");
    let out = kingdon(&["import", "values.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&out.stderr);
    for row in 2..=4 {
        assert!(
            errors.contains(&format!("error: values.csv:{row}")),
            "{errors}"
        );
    }
    let out = kingdon(&["import", "many.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "note: many.csv:1:8: the column `coder` is not read\n\
         error: many.csv:2:3: `Condition` is not a predicate's name (a lower-case letter, then letters, digits or `_`, and no keyword)\n\
         error: many.csv:3:5: the character U+202E cannot be part of a case file (a control or invisible formatting character)\n"
    );
    std::fs::remove_dir_all(&dir).ok();
}
