//! `kingdon report`: the case as one HTML page — the same bytes every time, nothing fetched
//! from the network, a section per change with its card, narrative and proof, the verdicts
//! of no, the assumptions; a user's own case and bad input as a user meets them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn kingdon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("kingdon runs")
}

/// A folder of the calling test's own.
fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kingdon-report-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fn horgos() -> String {
    let out = kingdon(&["report"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_report_is_the_same_bytes_every_time_and_fetches_nothing() {
    let dir = folder("same");
    let (a, b) = (dir.join("a.html"), dir.join("b.html"));
    for file in [&a, &b] {
        let out = kingdon(&["report", "-o", file.to_str().expect("UTF-8")]);
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty(), "written to the file only");
    }
    let (a, b) = (
        std::fs::read(&a).expect("written"),
        std::fs::read(&b).expect("written"),
    );
    assert!(a == b, "two runs differ");
    assert_eq!(
        a,
        horgos().into_bytes(),
        "-o writes what standard output shows"
    );
    std::fs::remove_dir_all(&dir).expect("cleaned up");

    let page = horgos();
    // Addresses only inside the sources' citation text: here there are none at all.
    assert!(!page.contains("http://") && !page.contains("https://"));
    for outside in ["<link", "src=", "@import", "url(", "@font-face"] {
        assert!(
            !page.contains(outside),
            "the page fetches something: {outside}"
        );
    }
    // No script: nothing needs one.
    assert!(!page.contains("<script"));
}

#[test]
fn each_change_has_its_narrative_card_and_proof_with_the_papers_words() {
    let page = horgos();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(
        page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
    assert!(page.contains("@media print"));
    assert!(page.contains(
        "<title>The China–Kazakhstan Horgos Frontier International Cooperation Center</title>"
    ));
    assert!(page.contains(
        "0 changes explained from the sources' words, 0 only with the modeller's assumptions, 2 in an order the dates do not fix (the leaders' agreement to establish the center (2003), the Framework Agreement on the center (2004)); 11 enactments the theory does not explain; 9 windows missed."
    ));
    assert!(page.contains("No <code>policy_change</code> holds"));
    // The changes coupled in an order the dates do not fix: narrative, card, proof, quotes.
    let sections: Vec<&str> = page.split("<article class=\"change\"").skip(1).collect();
    assert_eq!(sections.len(), 2);
    for (i, s) in sections.iter().enumerate() {
        let s = s.split("</article>").next().expect("a section");
        assert!(s.contains(&format!("id=\"order-unknown-{}\"", i + 1)));
        assert!(
            s.contains("<p class=\"narrative\">"),
            "section {i} has no narrative"
        );
        assert!(s.contains("<dl class=\"card\">"), "section {i} has no card");
        assert!(
            s.contains("<dt>Window</dt>"),
            "section {i}'s card names no window"
        );
        assert!(
            s.contains("<details class=\"proof\">"),
            "section {i} has no proof"
        );
        assert!(s.contains("<blockquote>“"), "section {i} quotes nothing");
        assert!(
            s.contains("<cite>shi2024 §"),
            "section {i} cites no locator"
        );
    }
    // The contents link to each section.
    for i in 1..=2 {
        assert!(page.contains(&format!("<li><a href=\"#order-unknown-{i}\">")));
    }
    let first = sections[0];
    // Headings in the case's own words (`display`), not "Cooperation center initiative".
    assert!(first.contains(
        "<h3 id=\"order-unknown-1-h\">The leaders' agreement to establish the center, 2003</h3>"
    ));
    assert!(page.contains(
        "<li><a href=\"#order-unknown-2\">The Framework Agreement on the center, 2004</a></li>"
    ));
    assert!(first.contains("<span class=\"assumed-mark\">assumed</span>"));
    // The proof links a fact it reaches twice instead of unfolding it again.
    assert!(page.contains("as above</a>"));

    // The verdicts of no, each with its proof.
    assert!(page.contains(
        "<h4 id=\"unexplained-1-h\">The closure of Horgos port: enacted, not explained, 1962</h4>"
    ));
    assert!(page
        .contains("The Soviet Union's dissolution: window closed unused, 25 December 1993</h4>"));
    assert!(page.contains("The circular on VAT refunds: enacted, not explained, January 2015</h4>"));
    // How robust each verdict is: the table, a fragile verdict with its assumption.
    assert!(page.contains("<li><a href=\"#robustness\">How robust each verdict is</a></li>"));
    assert!(page.contains(
        "<tr><td><code>missed_window(soviet_dissolution) @ 1993-12-25</code></td><td>fragile</td><td>without favours(soviet_dissolution, center_program) (rules/horgos.msf:122) no such window opens then; at another time with default_window_length 1, 3–4, with window_length(political, _) 1, 3–4</td></tr>"
    ));
    // Conditions in words, as the terminal says them.
    assert!(page
        .contains("<li class=\"condition\">✓ 1 January 2002 is not after 31 December 2003</li>"));
    // The timeline as a table too, a row per fact drawn; printed, the page does not promise
    // the table it leaves to the screen.
    assert!(page.contains("<summary>The same as a table ("));
    assert!(page.contains("<span class=\"screen-only\">Every fact is in the table below.</span>"));
    assert!(page.contains(".screen-only { display: none; }"));
    assert_eq!(
        page.matches("<article class=\"verdict\" id=\"missed-window-")
            .count(),
        9
    );
    assert_eq!(
        page.matches("<article class=\"verdict\" id=\"unexplained-")
            .count(),
        11
    );
    // The modeller's assumptions: the 21 facts of the case (it states no rule).
    let table = page
        .split("<section id=\"assumptions\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("the assumptions");
    assert_eq!(table.matches("<tr><td><code>").count(), 21);
    assert!(!table.contains("<code>rule "));
    // The picture, inline, with its title for a screen reader.
    assert!(page.contains("<svg width=\"1920\" height=\"1080\" viewBox=\"0 0 1920 1080\""));
    assert!(page.contains("role=\"img\" aria-labelledby=\"title\""));
}

#[test]
fn a_users_case_gets_its_title_and_says_what_it_lacks() {
    let dir = folder("user");
    let case = dir.join("riverton.msf");
    std::fs::write(
        &case,
        "stream problem \"Problems\": pressure/1.\n\
         pressure(air) @ 2004 note \"Air quality <fell> & kept falling\".\n",
    )
    .expect("written");
    let out = kingdon(&[
        "report",
        case.to_str().expect("UTF-8"),
        "--title",
        "Riverton & the <charge>",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(page.contains("<h1>Riverton &amp; the &lt;charge&gt;</h1>"));
    assert!(page.contains("These rules do not name <code>policy_change</code>"));
    assert!(!page.contains("explains this case"));
    assert!(page.contains("<p>None: every fact is stated by the sources.</p>"));
    assert!(!page.contains("id=\"verdicts\""));
    // The note, escaped, in the picture's label.
    assert!(
        page.contains(">Air quality &lt;fell&gt; &amp; kept"),
        "{page}"
    );
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[test]
fn a_broken_case_writes_no_page_and_says_where() {
    let dir = folder("broken");
    let case = dir.join("broken.msf");
    std::fs::write(&case, "p(a).\nq(X) :- p(X\n").expect("written");
    let page = dir.join("out.html");
    let out = kingdon(&[
        "report",
        case.to_str().expect("UTF-8"),
        "-o",
        page.to_str().expect("UTF-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.msf:3:1: error"), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(!page.exists());
    let out = kingdon(&["report", "-o", "/nonexistent-folder/case.html"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("error: cannot write `/nonexistent-folder/case.html`"));
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[test]
fn a_long_proof_under_every_change_is_drawn_once_a_page() {
    // Each change's proof was drawn whole: 2 000 changes along one chain made a page of
    // 700 MB in a peak of 3 GB, and an 88 KB case aborted past 4 GB.
    let dir = folder("chain");
    let mut case = String::from("reach(n0).\n");
    for i in 0..2000 {
        case.push_str(&format!("edge(n{i}, n{}).\n", i + 1));
    }
    case.push_str("reach(Y) :- reach(X), edge(X, Y).\npolicy_change(X) :- reach(X).\n");
    std::fs::write(dir.join("chain.msf"), case).expect("written");
    let page = dir.join("chain.html");
    let out = kingdon(&[
        "report",
        &dir.join("chain.msf").display().to_string(),
        "-o",
        &page.display().to_string(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let size = std::fs::metadata(&page).expect("written").len();
    assert!(size < 10_000_000, "{size} bytes");
    let html = std::fs::read_to_string(&page).expect("readable");
    assert_eq!(html.matches("<article class=\"change\"").count(), 2001);
    assert!(html.contains("its proof is above"));
    // Each change's story and card read at most 1 000 facts of its proof (reading every
    // change's whole chain made the report's time grow with the square of the case), and
    // say so where they stopped short: the 1 501 changes from step 500 on.
    assert_eq!(
        html.matches(
            "policy_change(n1999) holds. (No fact among the first 1000 of its proof has a note.)"
        )
        .count(),
        1
    );
    assert_eq!(
        html.matches("none quoted or assumed of the first 1000 facts of a longer proof")
            .count(),
        1501
    );
    assert!(html.contains("policy_change(n499) holds.</p>"));
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}
