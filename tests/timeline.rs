//! The streams over time: the terminal timeline pinned at fixed widths, and the SVG picture
//! of the Horgos case parsed as XML and checked for what a class needs to see.

mod common;

use std::path::Path;
use std::process::Command;

/// A label's box as the picture draws it: left, top, width, height.
#[derive(Clone, Copy, Debug)]
struct LabelBox {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

impl LabelBox {
    /// Whether two boxes share any area.
    fn overlaps(&self, other: &LabelBox) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }
}

#[test]
fn terminal_timelines_are_as_pinned() {
    common::check_folder("timeline", "timeline", 7);
}

/// The SVG of the bundled case, as `kingdon timeline --svg` writes it (into a folder of the
/// calling test's own, as tests run in parallel).
fn horgos_svg(test: &str) -> String {
    let dir = std::env::temp_dir().join(format!("kingdon-svg-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let out = dir.join("horgos.svg");
    let status = Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(["timeline", "--svg"])
        .arg(&out)
        .status()
        .expect("kingdon runs");
    assert!(status.success());
    let text = std::fs::read_to_string(&out).expect("the picture is written");
    std::fs::remove_dir_all(&dir).expect("cleaned up");
    text
}

fn number(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .unwrap_or_else(|| panic!("{name} on {node:?}"))
        .parse()
        .expect("a number")
}

fn has_class(node: &roxmltree::Node<'_, '_>, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|w| w == class))
}

#[test]
fn the_horgos_picture_has_a_band_per_lane_every_change_and_no_overlapping_labels() {
    let svg = horgos_svg("checks");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let nodes: Vec<_> = doc.descendants().filter(|n| n.is_element()).collect();

    let bands: Vec<&str> = nodes
        .iter()
        .filter(|n| has_class(n, "band"))
        .map(|n| n.attribute("data-lane").expect("a lane name"))
        .collect();
    assert_eq!(bands, ["problem", "policy", "politics", "window", "change"]);

    let mut kb = kingdon::KnowledgeBase::new();
    kb.load_file(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/horgos.msf"))
        .expect("the case (with the theory) loads");
    // Each change the theory couples is drawn with its verdict's mark: a star for a policy
    // change, a hollow one for a change of unknown order.
    let mut expected = Vec::new();
    for (verdict, class) in [("policy_change", "change"), ("order_unknown", "unknown")] {
        let rows = kb
            .query(&format!("{verdict}(C) @ T?"))
            .expect("a query")
            .rows;
        for row in rows {
            let (c, t) = (row[0].as_ref().expect("C"), row[1].as_ref().expect("T"));
            expected.push((class, format!("{verdict}({c}) @ {t}")));
        }
    }
    assert_eq!(expected.len(), 2);
    for (class, fact) in &expected {
        let drawn = nodes.iter().filter(|n| has_class(n, class)).any(|n| {
            let title = n.children().find(|c| c.has_tag_name("title"));
            title.and_then(|t| t.text()) == Some(fact.as_str())
        });
        assert!(drawn, "{fact} is not drawn as a {class}");
    }
    let marks = nodes
        .iter()
        .filter(|n| has_class(n, "change") || has_class(n, "unknown"))
        .count();
    assert_eq!(marks, 2);

    let couplings = nodes.iter().filter(|n| has_class(n, "coupling")).count();
    assert!(couplings >= 2, "{couplings} coupling lines");

    let boxes: Vec<LabelBox> = nodes
        .iter()
        .filter(|n| has_class(n, "label-box"))
        .map(|n| LabelBox {
            x: number(*n, "x"),
            y: number(*n, "y"),
            width: number(*n, "width"),
            height: number(*n, "height"),
        })
        .collect();
    assert!(boxes.len() > 50, "{} labels", boxes.len());
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    let width = number(doc.root_element(), "width");
    assert!(boxes.iter().all(|b| b.x >= 0.0 && b.x + b.width <= width));

    for outside in ["<script", "href", "@font-face", "url("] {
        assert!(!svg.contains(outside), "the picture refers to {outside}");
    }
}

#[test]
fn the_picture_in_docs_is_the_one_kingdon_draws() {
    let checked_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/horgos-timeline.svg"),
    )
    .expect("docs/horgos-timeline.svg is checked in");
    assert!(
        checked_in == horgos_svg("docs"),
        "docs/horgos-timeline.svg is stale: run `cargo run -- timeline --svg docs/horgos-timeline.svg`"
    );
}

#[test]
fn the_repl_draws_the_timeline_and_exports_the_picture() {
    let dir = std::env::temp_dir().join(format!("kingdon-repl-svg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let file = dir.join("t.svg");
    let input = format!(
        ":timeline 2005..2006\n:timeline 2010..2000\n:export svg {}\n",
        file.display()
    );
    let out = common::piped_with(&[], &[("COLUMNS", "90")], &input);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "the bad range fails the script");
    assert!(stdout.contains("The two governm… +1 more"), "{stdout}");
    assert!(stdout.contains("The Sta… +1 more"), "{stdout}");
    assert!(!stdout.contains("port_decline"), "{stdout}");
    assert!(stdout.lines().all(|l| l.chars().count() <= 90), "{stdout}");
    assert!(stdout.contains(&format!("exported svg to {}", file.display())));
    assert_eq!(
        stderr,
        "the range 2010..2000 ends before it starts\nusage: :timeline [FROM..TO]\n"
    );
    let picture = std::fs::read_to_string(&file).expect("the picture is written");
    assert!(picture.starts_with("<svg "));
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

fn kingdon(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("kingdon runs")
}

#[test]
fn lanes_are_coloured_only_when_asked_or_on_a_terminal() {
    let plain = kingdon(&["timeline", "tests/timeline/small.msf", "--width", "72"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
    let coloured = kingdon(&[
        "timeline",
        "tests/timeline/small.msf",
        "--width",
        "72",
        "--color",
        "always",
    ]);
    let text = String::from_utf8_lossy(&coloured.stdout);
    assert!(text.contains("\x1b[31m●"), "the first lane in red: {text}");
    assert!(text.contains("\x1b[34m"), "politics in blue: {text}");
    assert!(text.contains("\x1b[35m"), "windows in magenta: {text}");
}

#[test]
fn bad_ranges_and_unwritable_pictures_are_errors() {
    let backwards = kingdon(&["timeline", "--from", "2010", "--to", "2000"]);
    assert_eq!(backwards.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&backwards.stderr),
        "error: --to 2000 is before --from 2010\n"
    );
    let bad_time = kingdon(&["timeline", "--from", "2005-13"]);
    assert_eq!(bad_time.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_time.stderr)
        .contains("`2005-13` is not a time: months run from 01 to 12"));
    let unwritable = kingdon(&["timeline", "--svg", "/no/such/folder/t.svg"]);
    assert_eq!(unwritable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unwritable.stderr)
        .starts_with("error: cannot write `/no/such/folder/t.svg`"));
}

#[test]
fn a_control_character_never_reaches_a_picture_or_a_terminal() {
    // A note with a control character made the SVG ill-formed XML (browsers refused it) and
    // reached the terminal raw: strings and notes now hold printable text only.
    let mut kb = kingdon::KnowledgeBase::new();
    let e = kb
        .load_str(
            "<t>",
            "stream events: e/1. e(a) @ 2001 note \"bell\u{7} and escape\u{1b}[31m here\".",
        )
        .expect_err("refused");
    let text = kb.render(&e, false);
    assert!(
        text.contains("error[E001]: a control character (U+0007) in a string"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(text.contains("bell␇ and escape␛[31m here"), "{text}");
    let e = kb
        .insert("e", &[kingdon::Const::Str("x\u{1b}[2J".into())], None)
        .expect_err("refused");
    assert!(kb.render(&e, false).contains("control character"));
    let timeline = kb.timeline(None, None).expect("a timeline");
    let svg =
        kingdon::timeline::svg::render(&timeline, "t\u{1b}", kingdon::timeline::svg::Size::Page);
    roxmltree::Document::parse(&svg)
        .expect("well-formed XML, even with a control character in the title");
}

#[test]
fn drawing_a_timeline_runs_no_output_statement() {
    // `kingdon timeline` ran the program's `output` statements: drawing a picture wrote files.
    let dir = std::env::temp_dir().join(format!("kingdon-timeline-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(
        dir.join("t.msf"),
        "p(a) @ 2001.\noutput p to \"out.csv\".\n",
    )
    .expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(["timeline", "t.msf"])
        .current_dir(&dir)
        .output()
        .expect("kingdon runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        !dir.join("out.csv").exists(),
        "the output statement wrote its file"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The x of a window's mark (the centre of its diamond), found by the fact its title names.
fn window_x(doc: &roxmltree::Document<'_>, fact: &str) -> f64 {
    let mark = doc
        .descendants()
        .find(|n| {
            has_class(n, "window")
                && n.children()
                    .any(|c| c.has_tag_name("title") && c.text() == Some(fact))
        })
        .unwrap_or_else(|| panic!("a mark for {fact}"));
    let polygon = mark
        .children()
        .find(|c| c.has_tag_name("polygon"))
        .expect("a diamond");
    let points = polygon.attribute("points").expect("points");
    // The second point is the top of the diamond: its x is the centre's.
    let top = points.split(' ').nth(1).expect("a second point");
    top.split(',').next().expect("x").parse().expect("a number")
}

#[test]
fn a_window_is_drawn_from_its_opening_to_its_closing() {
    // The legend promised "a bar while it is open", but no window was ever drawn as one.
    let out = kingdon(&[
        "timeline",
        "--svg",
        "/dev/stdout",
        "--title",
        "Horgos for the class",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let svg = String::from_utf8_lossy(&out.stdout);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let opened = window_x(&doc, "window(good_neighbourly_treaty, political) @ 2002");
    let two_years = window_x(&doc, "window(framework_agreement_signed, policy) @ 2004");
    let year = (two_years - opened) / 2.0;
    let span = doc
        .descendants()
        .filter(|n| has_class(n, "window-span"))
        .find(|n| {
            (number(*n, "x") - opened).abs() < 0.05 && {
                n.children()
                    .any(|c| c.text().is_some_and(|t| t.ends_with("open until 2004")))
            }
        })
        .expect("the treaty's window as a span");
    let closed = number(span, "x") + number(span, "width");
    assert!(
        (closed - (opened + 2.0 * year)).abs() < 0.5,
        "the span ends at {closed}, 2004 is at {}",
        opened + 2.0 * year
    );
    // The title given, and no lane for the facts of no stream unless asked.
    assert!(doc
        .descendants()
        .any(|n| n.text() == Some("Horgos for the class")));
    // A helper of the theory, a fact of no stream: neither a lane nor a mark nor a label.
    let helper = |doc: &roxmltree::Document<'_>| {
        doc.descendants().any(|n| {
            n.attribute("data-lane") == Some("other")
                || (n.has_tag_name("title") && n.text().is_some_and(|t| t.contains("resolved_by(")))
        })
    };
    assert!(!helper(&doc));
    let all = kingdon(&["timeline", "--svg", "/dev/stdout", "--all"]);
    let svg = String::from_utf8_lossy(&all.stdout);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    assert!(helper(&doc));
}

#[test]
fn a_slide_is_16_by_9_with_every_label_inside_under_its_mark_and_none_overlapping() {
    for range in [&[][..], &["--from", "2000", "--to", "2016"][..]] {
        let mut args = vec![
            "timeline",
            "--svg",
            "/dev/stdout",
            "--size",
            "slide",
            "--title",
            "Horgos on a slide",
        ];
        args.extend_from_slice(range);
        let out = kingdon(&args);
        assert_eq!(out.status.code(), Some(0), "{range:?}");
        let svg = String::from_utf8_lossy(&out.stdout);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.attribute("viewBox"), Some("0 0 1920 1080"));
        let title = doc
            .descendants()
            .find(|n| has_class(n, "title"))
            .and_then(|n| n.text());
        assert_eq!(title, Some("Horgos on a slide"));

        let labels: Vec<_> = doc
            .descendants()
            .filter(|n| has_class(n, "label"))
            .collect();
        let boxes: Vec<LabelBox> = labels
            .iter()
            .map(|g| {
                let rect = g
                    .children()
                    .find(|c| has_class(c, "label-box"))
                    .expect("a box");
                LabelBox {
                    x: number(rect, "x"),
                    y: number(rect, "y"),
                    width: number(rect, "width"),
                    height: number(rect, "height"),
                }
            })
            .collect();
        assert!(boxes.len() >= 18, "{} labels on the slide", boxes.len());
        for b in &boxes {
            assert!(
                b.x >= 0.0 && b.y >= 0.0 && b.x + b.width <= 1920.0 && b.y + b.height <= 1080.0,
                "{b:?} leaves the slide"
            );
        }
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
        // Each label hangs from its mark: the leader's line meets the box's top edge.
        let leaders: Vec<(f64, f64)> = doc
            .descendants()
            .filter(|n| has_class(n, "leader"))
            .map(|n| (number(n, "x1"), number(n, "y2")))
            .collect();
        assert_eq!(leaders.len(), boxes.len());
        for b in &boxes {
            assert!(
                leaders
                    .iter()
                    .any(|(x, y)| *x >= b.x && *x <= b.x + b.width && (*y - b.y).abs() < 0.05),
                "no mark above {b:?}"
            );
        }
        // Text stays inside its box: the longest line at the monospace advance.
        for (g, b) in labels.iter().zip(&boxes) {
            let text = g
                .descendants()
                .find(|n| n.has_tag_name("text"))
                .expect("text");
            let size = number(text, "font-size");
            let lines: Vec<&str> = text
                .children()
                .filter(|t| t.has_tag_name("tspan"))
                .filter_map(|t| t.text())
                .collect();
            assert!((1..=3).contains(&lines.len()), "{lines:?}");
            for line in lines {
                assert!(
                    line.chars().count() as f64 * size * 0.6 + 5.0 <= b.width,
                    "{line}"
                );
            }
        }
        // Every change is drawn, and the marks left without a label are counted.
        let changes = doc
            .descendants()
            .filter(|n| has_class(n, "change") || has_class(n, "unknown"))
            .count();
        assert!(changes >= 2, "{changes} changes");
        let footnote = doc
            .descendants()
            .find(|n| has_class(n, "footnote"))
            .and_then(|n| n.text())
            .expect("a footnote counts the labels left out");
        assert!(footnote.contains("left out for room"), "{footnote}");
        // A projector audience cannot point at a mark.
        assert!(!footnote.contains("point at"), "{footnote}");
    }
}

#[test]
fn a_label_is_wrapped_to_two_lines_before_it_is_cut() {
    let note = "The idea was to put the center under the jurisdiction of both countries";
    let program = format!(
        "stream policy \"Policy stream\": idea/1.\n\
         idea(joint) @ 2004 note \"{note}\".\nidea(other) @ 2010.\n"
    );
    let dir = std::env::temp_dir().join(format!("kingdon-wrap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let file = dir.join("case.msf");
    std::fs::write(&file, program).expect("written");
    let out = kingdon(&[
        "timeline",
        "--svg",
        "/dev/stdout",
        file.to_str().expect("utf-8"),
    ]);
    std::fs::remove_dir_all(&dir).expect("cleaned up");
    let svg = String::from_utf8_lossy(&out.stdout);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let lines: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("tspan"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        lines,
        [
            "The idea was to put the center",
            "under the jurisdiction of…",
            "idea: other"
        ]
    );
}

#[test]
fn a_lane_of_a_million_dated_facts_draws_ten_thousand_and_says_so() {
    // Every dated fact became an event with its words: a rule over two dated facts of 4 000
    // each dated 16 million facts, and `timeline` aborted where `run` took 1 GB.
    let dir = std::env::temp_dir().join(format!("kingdon-cross-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let mut case: String = (0..1000)
        .map(|i| format!("a({i}) @ {}.\n", 1900 + i % 100))
        .collect();
    case.push_str("p(X, Y) :- a(X), a(Y).\n");
    std::fs::write(dir.join("cross.msf"), case).expect("written");
    let out = common::piped_in(
        &dir,
        &["timeline", "--svg", "cross.svg", "cross.msf"],
        &[],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(dir.join("cross.svg")).expect("written");
    assert!(
        svg.contains("991000 facts of Other facts not drawn (a lane draws at most 10000)"),
        "the picture says what it leaves out"
    );
    let out = common::piped_in(
        &dir,
        &["timeline", "--max-facts", "5000", "cross.msf"],
        &[],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[E201]"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_label_near_the_right_edge_starts_under_its_mark() {
    // A student read the 1992 problem as 1990: its label had moved ten columns left of its
    // mark to fit the width.
    let out = common::piped_with(&[], &[("COLUMNS", "100")], ":timeline 1960..2000\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let lane = lines
        .iter()
        .position(|l| l.starts_with("Problem stream"))
        .expect("the problem lane");
    let marks: Vec<usize> = lines[lane]
        .chars()
        .enumerate()
        .filter(|(_, c)| *c == '●')
        .map(|(i, _)| i)
        .collect();
    let last = *marks.last().expect("marks");
    let label = lines[lane + 1..]
        .iter()
        .take_while(|l| l.starts_with(' '))
        .find_map(|l| {
            let start = l.chars().position(|c| c != ' ')?;
            (l.chars()
                .skip(start)
                .collect::<String>()
                .starts_with("With"))
            .then_some(start)
        })
        .expect("the label of 1992");
    assert_eq!(label, last, "{stdout}");
}

/// The 2000–2016 slide of the case, parsed.
fn slide() -> String {
    let dir = std::env::temp_dir().join(format!("kingdon-slide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let out = dir.join("slide.svg");
    let status = Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args([
            "timeline", "--from", "2000", "--to", "2016", "--size", "slide", "--svg",
        ])
        .arg(&out)
        .status()
        .expect("kingdon runs");
    assert!(status.success());
    let svg = std::fs::read_to_string(&out).expect("the slide");
    std::fs::remove_dir_all(&dir).ok();
    svg
}

#[test]
fn the_slide_marks_what_lies_outside_it_and_every_verdict_and_keeps_windows_apart() {
    // A lecturer's 2000–2016 slide lost the problem of 1992, stacked every window bar in one
    // row, and gave missed windows and unexplained enactments no mark of their own.
    let svg = slide();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let nodes: Vec<_> = doc.descendants().filter(|n| n.is_element()).collect();
    let title = |n: &roxmltree::Node<'_, '_>| {
        n.children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or_default()
            .to_string()
    };
    // The premise of 1992 (the condition of trade development), at the left edge, its
    // year said, with a line from the changes that rest on it.
    let edges: Vec<String> = nodes
        .iter()
        .filter(|n| has_class(n, "edge") && n.has_tag_name("g"))
        .map(title)
        .collect();
    assert!(
        edges
            .iter()
            .any(|t| t == "premises before the years drawn: 1992"),
        "{edges:?}"
    );
    assert!(svg.contains(">1992</text>"));
    assert!(nodes
        .iter()
        .any(|n| has_class(n, "coupling") && has_class(n, "edge")));
    // Each verdict its mark, and the legend names them.
    let count = |class: &str| {
        nodes
            .iter()
            .filter(|n| has_class(n, "mark") && has_class(n, class))
            .count()
    };
    assert_eq!(
        count("unexplained"),
        8,
        "the enactments of 2005–2015 the theory does not explain"
    );
    assert_eq!(
        count("missed"),
        4,
        "the windows of 2000–2016 that closed unused"
    );
    assert_eq!(count("unknown"), 2);
    for words in [
        "window closed unused",
        "enacted, not explained",
        "a premise before or after the years drawn",
    ] {
        assert!(
            svg.contains(&format!(">{words}</text>")),
            "the legend lacks {words}"
        );
    }
    // Windows open at once are drawn on rows of their own: no two bars overlap.
    let bars: Vec<(f64, f64, f64)> = nodes
        .iter()
        .filter(|n| has_class(n, "window-span"))
        .map(|n| {
            (
                number(*n, "x"),
                number(*n, "x") + number(*n, "width"),
                number(*n, "y"),
            )
        })
        .collect();
    assert!(bars.len() >= 4, "{bars:?}");
    let rows: std::collections::BTreeSet<i64> = bars.iter().map(|b| b.2 as i64).collect();
    assert!(rows.len() >= 2, "every bar on one row: {bars:?}");
    for (i, a) in bars.iter().enumerate() {
        for b in &bars[i + 1..] {
            assert!(
                a.2 != b.2 || a.1 <= b.0 || b.1 <= a.0,
                "{a:?} overlaps {b:?}"
            );
        }
    }
    // What the rules derive on the streams' lanes (a problem, a viable alternative, a
    // coupling) is not drawn unless asked; what was stated is.
    let marks: Vec<String> = nodes
        .iter()
        .filter(|n| has_class(n, "mark"))
        .map(title)
        .collect();
    for derived in ["problem(", "viable(", "coupled(", "receptive("] {
        assert!(
            !marks.iter().any(|m| m.starts_with(derived)),
            "{derived} is drawn"
        );
    }
    assert!(marks
        .iter()
        .any(|m| m.starts_with("framed(trade_development")));
}
