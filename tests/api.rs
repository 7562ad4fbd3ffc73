//! The library API as an embedder meets it: typed questions that run exactly one statement
//! and leave no trace, facts inserted as data, named results, errors instead of panics.

use kingdon::{Const, Error, KnowledgeBase};

fn base() -> KnowledgeBase {
    let mut kb = KnowledgeBase::new();
    kb.load_str(
        "<base>",
        "p(a). p(b) @ 2001.\n\
         q(X) :- p(X).\n",
    )
    .expect("a valid program");
    kb
}

/// The first error's rendered header line.
fn first_error(kb: &KnowledgeBase, e: &Error) -> String {
    kb.render(e, false).lines().next().unwrap_or("").to_string()
}

fn facts(kb: &mut KnowledgeBase, pred: &str) -> Vec<String> {
    kb.facts(Some(pred))
        .expect("evaluates")
        .into_iter()
        .flat_map(|p| p.facts)
        .map(|f| f.to_string())
        .collect()
}

/// Facts as the language writes them.
fn written(facts: &[kingdon::Fact]) -> Vec<String> {
    facts.iter().map(ToString::to_string).collect()
}

#[test]
fn a_query_is_exactly_one_query() {
    let mut kb = base();
    let e = kb.query("whynot p(b). p(X)?").unwrap_err();
    assert_eq!(
        first_error(&kb, &e),
        "<query>:1:14: error[E114]: expected exactly one statement here: a query"
    );
    let e = kb.query("r(c). p(X)?").unwrap_err();
    assert!(first_error(&kb, &e).starts_with("<query>:1:7: error[E114]"));
    // The fact before the query was not added.
    assert_eq!(kb.predicates().iter().filter(|p| p.name == "r").count(), 0);
    let e = kb.query("# only a comment").unwrap_err();
    assert_eq!(
        first_error(&kb, &e),
        "<query>:1:1: error[E114]: expected a query, but the text holds no statement"
    );
}

#[test]
fn retract_removes_and_adds_nothing() {
    let mut kb = base();
    let e = kb.retract("p(a). q(b)").unwrap_err();
    assert!(first_error(&kb, &e).starts_with("<retract>:1:"));
    assert_eq!(facts(&mut kb, "p"), ["p(a)", "p(b) @ 2001"]);
    let done = kb.retract("p(a)").expect("a pattern");
    assert_eq!(written(&done.removed), ["p(a)"]);
    assert_eq!(facts(&mut kb, "q"), ["q(b) @ 2001"]);
    // A derived fact is reported, not removed.
    let done = kb.retract("q(b)").expect("a pattern");
    assert!(done.removed.is_empty());
    assert_eq!(written(&done.derived), ["q(b) @ 2001"]);
}

#[test]
fn questions_leave_no_source_behind() {
    let mut kb = base();
    let before = kb.sources().len();
    for _ in 0..10_000 {
        let answers = kb.query("q(X) @ T").expect("a query");
        assert_eq!(answers.rows.len(), 1);
    }
    kb.why("q(b)").expect("a why");
    kb.whynot("q(c)").expect("a whynot");
    kb.whatif("retract p(b) show q").expect("a whatif");
    kb.retract("p(a)").expect("a retract");
    assert_eq!(kb.sources().len(), before);
}

#[test]
fn typed_explanations() {
    let mut kb = base();
    let why = kb.why("q(X) @ T").expect("a why");
    assert_eq!(why.question, "why q(X) @ T.");
    assert_eq!(why.proof.roots.len(), 1);
    assert_eq!(
        why.proof.nodes[why.proof.roots[0]].fact.to_string(),
        "q(b) @ 2001"
    );
    let whatif = kb.whatif("retract p(b) @ 2001 show q").expect("a whatif");
    assert_eq!(whatif.lost.len(), 1);
    assert_eq!(whatif.lost[0].pred, "q");
    assert_eq!(
        whatif.lost[0].facts,
        [kingdon::Fact {
            pred: "q".to_string(),
            args: vec![Const::Sym("b".into())],
            time: kingdon::value::Time::parse("2001").ok(),
        }]
    );
    // In JSON each fact is written as the language writes it, as before.
    assert_eq!(
        serde_json::to_string(&whatif.lost).expect("json"),
        r#"[{"pred":"q","facts":["q(b) @ 2001"]}]"#
    );
    assert!(kb.why("q(X). q(Y)").is_err());
    // Nothing changed.
    assert_eq!(facts(&mut kb, "q"), ["q(a)", "q(b) @ 2001"]);
}

#[test]
fn facts_inserted_as_data() {
    let mut kb = base();
    let sym = |s: &str| Const::Sym(s.into());
    let time = kingdon::value::Time::parse("2005-07").expect("a time");
    assert!(kb.insert("p", &[sym("c")], Some(time)).expect("fits"));
    assert!(!kb.insert("p", &[sym("c")], Some(time)).expect("fits"));
    assert_eq!(
        facts(&mut kb, "q"),
        ["q(a)", "q(b) @ 2001", "q(c) @ 2005-07"]
    );
    // A new predicate's first fact is checked as a statement would be.
    assert!(kb.insert("edge", &[sym("a"), sym("b")], None).expect("new"));
    assert!(kb
        .insert("edge", &[sym("b"), sym("c")], None)
        .expect("fits"));
    assert_eq!(kb.query("edge(X, Y)").expect("a query").rows.len(), 2);
    let e = kb.insert("p", &[sym("a"), sym("b")], None).unwrap_err();
    assert!(first_error(&kb, &e)
        .contains("arity mismatch: `p` has 2 arguments here but 1 argument at <base>:1:1"));
    assert!(kb.insert("Bad", &[], None).is_err());
}

#[test]
fn facts_as_data_are_checked_like_statements() {
    // Found from outside: on a predicate with facts, insert took any symbol and a time as an
    // argument, and to_msf wrote text that did not load; on a new one, a name with a `.` in
    // it stated two facts.
    let mut kb = base();
    let sym = |s: &str| Const::Sym(s.into());
    let refused = |kb: &KnowledgeBase, e: Error| kb.render(&e, false);
    for bad in ["hello world", "", "X", "a). q(b", "not"] {
        let e = kb.insert("p", &[sym(bad)], None).unwrap_err();
        assert!(refused(&kb, e).contains("cannot be a symbol"), "{bad:?}");
    }
    // A time is a value like any other (LANGUAGE.md §8), and a year as a time is saved as
    // `@2020`, so that it loads back as a time and not the number 2020.
    let february = kingdon::value::Time::parse("2020-02").expect("a time");
    let year = kingdon::value::Time::parse("2020").expect("a time");
    assert!(kb
        .insert("p", &[Const::Time(february)], None)
        .expect("stated"));
    assert!(kb.insert("p", &[Const::Time(year)], None).expect("stated"));
    assert!(kb.insert("p", &[Const::Int(2020)], None).expect("stated"));
    let saved = kb.to_msf();
    assert!(
        saved.contains("p(2020-02).") && saved.contains("p(@2020).") && saved.contains("p(2020)."),
        "{saved}"
    );
    let mut again = KnowledgeBase::new();
    again
        .load_str("<saved>", &saved)
        .expect("the saved text loads");
    assert_eq!(
        again.query("p(X)?").expect("asked").rows.len(),
        kb.query("p(X)?").expect("asked").rows.len()
    );
    for bad in ["n(a). m", "", "Bad Name", "why"] {
        let e = kb.insert(bad, &[sym("b")], None).unwrap_err();
        assert!(refused(&kb, e).contains("cannot be a predicate"), "{bad:?}");
    }
    assert!(kb
        .insert("s", &[Const::Str("a). j(b".into())], None)
        .expect("a string"));
    let names: Vec<String> = kb.predicates().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["p", "q", "s"]);
    let mut again = KnowledgeBase::new();
    again
        .load_str("<saved>", &kb.to_msf())
        .expect("what was saved loads back");
}

#[test]
fn questions_name_no_predicate_for_good() {
    // Found from outside: a query or whynot of an unknown predicate kept it, with the
    // arity it was asked with, and a later fact of another arity was refused.
    let mut kb = base();
    kb.query("zzz(X)").expect("a query");
    kb.whynot("yyy(a)").expect("a whynot");
    kb.load_str("<ask>", "xxx(A, B)?").expect("a query");
    kb.retract("www(a)").expect("nothing to retract");
    kb.load_str("<later>", "zzz(a, b). yyy. xxx(c). www(d, e).")
        .expect("the questions fixed no arity");
    let names: Vec<String> = kb.predicates().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["p", "q", "zzz", "yyy", "xxx", "www"]);
}

#[test]
fn empty_and_odd_questions_say_what_they_lack() {
    let mut kb = base();
    let first = |kb: &mut KnowledgeBase, e: Error| first_error(kb, &e);
    let e = kb.query("").unwrap_err();
    assert_eq!(
        first(&mut kb, e),
        "<query>:1:1: error[E114]: expected a query, but the text holds no statement"
    );
    let e = kb.why("  # only a comment").unwrap_err();
    assert!(
        first(&mut kb, e).ends_with("expected a `why` question, but the text holds no statement")
    );
    let e = kb.query("retract p(a)").unwrap_err();
    assert!(
        first(&mut kb, e).ends_with("error[E114]: expected exactly one statement here: a query")
    );
    let e = kb.query("p(X)? p(b).").unwrap_err();
    assert_eq!(
        kb.render(&e, false).lines().nth(1).unwrap_or(""),
        " 1 | p(X)? p(b)."
    );
    // A comment after a pattern does not hide the statement's end.
    assert_eq!(
        kb.why("q(b) # which one").expect("a why").proof.roots.len(),
        1
    );
    assert_eq!(kb.query("q(X). % all").expect("a query").rows.len(), 2);
}

#[test]
fn a_question_fixes_no_arity() {
    // Found from outside: a query named `foo/1`, then a fact gave it two arguments; the
    // checker did not know the query's predicate and evaluation indexed past the row
    // (a panic). A question leaves no trace, so the fact is simply the first of `foo/2`.
    let mut kb = KnowledgeBase::new();
    kb.load_str("<1>", "foo(X)?").expect("a query");
    kb.load_str("<2>", "foo(a, b).")
        .expect("the first fact of foo/2");
    assert_eq!(kb.query("foo(X, Y)").expect("a query").rows.len(), 1);
    let e = kb.load_str("<3>", "foo(c).").unwrap_err();
    assert_eq!(
        first_error(&kb, &e),
        "<3>:1:1: error[E101]: arity mismatch: `foo` has 1 argument here but 2 arguments at <2>:1:1"
    );
}

#[test]
fn more_than_the_engine_holds_is_a_located_error() {
    // Column numbers were 16 bits with the time at u16::MAX: an atom of 65 536 arguments
    // answered the fact's time as an argument.
    let mut kb = KnowledgeBase::new();
    let args = vec!["a"; 70_000].join(", ");
    let e = kb
        .load_str("<wide>", &format!("wide({args})."))
        .unwrap_err();
    assert_eq!(
        first_error(&kb, &e),
        "<wide>:1:1: error[E116]: `wide` has 70000 arguments here; an atom may have at most 1024"
    );
    let vars: Vec<String> = (0..5000).map(|i| format!("X{i}")).collect();
    let rule = format!(
        "big({}) :- {}.",
        vars[0],
        vars.iter()
            .map(|v| format!("w({v})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let e = kb
        .load_str("<long>", &format!("w(1).\n{rule}"))
        .unwrap_err();
    assert_eq!(
        first_error(&kb, &e),
        "<long>:2:1: error[E116]: this statement has 5000 conditions; a rule or query may have at most 1024"
    );
    assert!(kb.predicates().is_empty());
}

#[test]
fn a_question_leaves_no_name_behind() {
    // A question interned its constants for good: `p(vat_circulr)?` warned W107 once and never
    // again, completion offered the typo, and each distinct question grew the interner.
    let mut kb = base();
    let warned = |kb: &mut KnowledgeBase, text: &str| {
        let report = kb.load_str("<ask>", text).expect("a question");
        report
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.code.as_str(), w.message))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let first = warned(&mut kb, "p(vat_circulr)?");
    assert!(first.starts_with("W107: "), "{first}");
    assert_eq!(warned(&mut kb, "p(vat_circulr)?"), first);
    assert!(!kb.symbols().contains(&"vat_circulr".to_string()));
    let symbols = kb.symbols();
    for i in 0..1000 {
        kb.query(&format!("p(typo_{i}), X = \"text {i}\""))
            .expect("a query");
        warned(&mut kb, &format!("why q(typo_{i}) @ {}.", 1000 + i));
    }
    assert_eq!(kb.symbols(), symbols);
    // A retract of a pattern no fact matches leaves its names behind no more than a question.
    let retracted = kb.retract("p(vat_circulr)").expect("a retract");
    assert!(retracted.removed.is_empty());
    assert_eq!(kb.symbols(), symbols);
    assert_eq!(warned(&mut kb, "p(vat_circulr)?"), first);
    // What the rules derive stays: a computed time, interned by evaluation, still answers.
    kb.load_str("<more>", "r(Y) :- p(X) @ T, Y = T + 1.")
        .expect("a rule");
    assert_eq!(kb.query("r(Y)").expect("a query").rows.len(), 1);
    assert_eq!(kb.query("r(Y)").expect("a query").rows.len(), 1);
}

#[test]
fn ids_from_another_knowledge_base_answer_none() {
    // `rule_label(n)` and `SourceMap::get` indexed without a check: a number from another
    // knowledge base panicked.
    let mut kb = base();
    kb.evaluate().expect("evaluates");
    let stats = kb.stats().expect("evaluated").clone();
    let rules: Vec<_> = stats.rule_time.keys().copied().collect();
    assert_eq!(rules.len(), 1);
    assert_eq!(kb.rule_label(rules[0]).as_deref(), Some("`q` at <base>:2"));
    let preds: Vec<_> = stats.strata.iter().flat_map(|s| s.preds.clone()).collect();
    let names: Vec<_> = preds.iter().map(|&p| kb.predicate_name(p)).collect();
    assert_eq!(names, [Some("q")]);
    // The ids of a knowledge base of more rules and predicates, asked of this one.
    let mut other = KnowledgeBase::new();
    other
        .load_str(
            "<other>",
            "a(1). b(X) :- a(X). c(X) :- b(X). d(X) :- c(X). e(X) :- d(X).",
        )
        .expect("a valid program");
    other.evaluate().expect("evaluates");
    let other_stats = other.stats().expect("evaluated").clone();
    let last_rule = *other_stats.rule_time.keys().last().expect("rules ran");
    let last_pred = other_stats.strata.last().expect("strata").preds[0];
    assert_eq!(other.predicate_name(last_pred), Some("e"));
    assert_eq!(kb.rule_label(last_rule), None);
    assert_eq!(kb.predicate_name(last_pred), None);
    // A file id of a knowledge base that read more texts.
    for i in 0..5 {
        other
            .load_str(&format!("<more {i}>"), "a(2).")
            .expect("a fact");
    }
    let error = other
        .load_str("<typo>", "a(1, 2).")
        .expect_err("an arity error");
    let Error::Rejected { diagnostics, .. } = &error else {
        panic!("not rejected: {error:?}");
    };
    let foreign = diagnostics[0].span.file;
    assert!(kb.sources().get(foreign).is_none());
    assert_eq!(kb.sources().source(foreign).name, "<unknown>");
    let span = kingdon::syntax::Span::new(foreign, 3, 9);
    assert_eq!(kb.sources().location(span), "<unknown>:1:1");
    let d = kingdon::syntax::Diagnostic::new(kingdon::syntax::Code::UnknownName, span, "x");
    assert!(d
        .render(kb.sources(), false)
        .starts_with("<unknown>:1:1: warning[W107]: x"));
    let source = kingdon::syntax::Source::new("f", "a\nb");
    assert_eq!(
        (
            source.line_text(0),
            source.line_text(2),
            source.line_text(9)
        ),
        ("", "b", "")
    );
}

#[test]
fn a_file_that_cannot_be_read_says_why_as_data() {
    // `ReadError` was a path and a reason in words: a program could not tell a missing file
    // from one too large, nor reach the system's error.
    use std::error::Error as _;
    let mut kb = KnowledgeBase::new();
    let Err(Error::Read(e)) = kb.load_file("no/such/file.msf") else {
        panic!("a missing file is a read error");
    };
    assert_eq!(
        e.to_string(),
        "cannot read `no/such/file.msf`: no such file"
    );
    match &e {
        kingdon::ReadError::Io { path, source } => {
            assert_eq!(path, "no/such/file.msf");
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("not an I/O error: {other:?}"),
    }
    assert!(e.source().is_some() && !e.is_limit());
    let Err(Error::Read(e)) = kb.load_file("src") else {
        panic!("a folder is a read error");
    };
    assert!(matches!(e, kingdon::ReadError::Directory { .. }), "{e:?}");
    let mut small = KnowledgeBase::with_options(kingdon::Options {
        parse: kingdon::syntax::ParseOptions {
            max_file_bytes: 5,
            ..Default::default()
        },
        ..Default::default()
    });
    let Err(Error::Read(e)) = small.load_str("<big>", "p(a). p(b).") else {
        panic!("over the limit");
    };
    assert!(e.is_limit() && e.source().is_none(), "{e:?}");
}

#[test]
fn a_diagnostic_gives_the_places_it_speaks_of_as_data() {
    // The place of a predicate's first use was in the message's words only: a program
    // reading the diagnostic (as JSON, say) lost it.
    let mut kb = KnowledgeBase::new();
    kb.load_str("<first>", "ties(china, kazakhstan).")
        .expect("a fact");
    let Err(Error::Rejected { diagnostics, .. }) = kb.load_str("<second>", "ties(china).") else {
        panic!("an arity mismatch");
    };
    let d = &diagnostics[0];
    assert_eq!(d.code.as_str(), "E101");
    assert!(d.message.ends_with("at <first>:1:1"), "{}", d.message);
    assert_eq!(d.related.len(), 1);
    assert_eq!(kb.sources().location(d.related[0].span), "<first>:1:1");
    assert_eq!(d.related[0].label, "`ties` with 2 arguments");
    let json = serde_json::to_string(d).expect("serialised");
    assert!(
        json.contains(r#""related":[{"span":{"file":"#) && json.contains("with 2 arguments"),
        "{json}"
    );
}

#[test]
fn a_knowledge_base_writes_no_file_unasked() {
    // `output` wrote its file as soon as a load succeeded, from the library, by default: an
    // embedder that only reads a case wrote the case's files.
    let dir = std::env::temp_dir().join(format!("kingdon-outputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("p.csv");
    let text = format!("p(a). p(b).\noutput p to {:?}.", file.display().to_string());
    let mut kb = KnowledgeBase::new();
    kb.load_str("<outputs>", &text).expect("loads");
    assert!(!file.exists(), "written unasked");
    kb.write_outputs().expect("written");
    assert_eq!(std::fs::read_to_string(&file).expect("written"), "a\nb\n");
    std::fs::remove_file(&file).expect("removed");
    let mut eager = KnowledgeBase::with_options(kingdon::Options {
        write_on_load: true,
        ..Default::default()
    });
    eager.load_str("<outputs>", &text).expect("loads");
    assert!(file.exists(), "written with the load");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_symbol_and_a_string_stay_two_values_in_json() {
    // `china` and `"china"` serialised alike: a program reading the JSON could not tell the
    // symbol from the string.
    let sym = serde_json::to_string(&Const::Sym("china".into())).expect("json");
    let string = serde_json::to_string(&Const::Str("china".into())).expect("json");
    assert_eq!(
        (sym.as_str(), string.as_str()),
        (r#""china""#, r#""\"china\"""#)
    );
    assert_eq!(serde_json::to_string(&Const::Int(3)).expect("json"), "3");
    // A query's answers in JSON (LANGUAGE.md §6) give a string's letters alone.
    assert_eq!(
        Const::Str("china".into()).plain_json(),
        serde_json::json!("china")
    );
}

#[test]
fn a_load_that_fails_gives_its_errors_alone_in_order() {
    // A load's own diagnostics came in reading order, warnings kept beside the errors: an
    // empty included file's warning (W105) beside a syntax error, and the include that fails
    // on line 1 after the syntax error of line 3.
    let dir = std::env::temp_dir().join(format!("kingdon-order-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("empty.msf"), "").expect("written");
    let main = dir.join("main.msf");
    std::fs::write(
        &main,
        "include \"missing.msf\".\ninclude \"empty.msf\".\np(a.\n",
    )
    .expect("written");
    let mut kb = KnowledgeBase::new();
    let Err(Error::Rejected { diagnostics, .. }) = kb.load_file(&main) else {
        panic!("refused");
    };
    let codes: Vec<(&str, String)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), kb.sources().location(d.span)))
        .collect();
    assert!(codes.iter().all(|(c, _)| c.starts_with('E')), "{codes:?}");
    let lines: Vec<&str> = codes
        .iter()
        .map(|(_, at)| at.rsplit(':').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(lines, ["1", "3"], "{codes:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_error_says_what_it_is_and_a_question_may_name_its_keyword() {
    // `Error`'s Display said only "the input has 1 error"; `kb.why("why q(a)")` read
    // `why why q(a)`.
    let mut kb = base();
    let error = kb
        .load_str("<typo>", "q(a, b).")
        .expect_err("an arity error");
    assert_eq!(
        error.to_string(),
        "error[E101]: arity mismatch: `q` has 2 arguments here but 1 argument at <base>:2:1"
    );
    // A diagnostic's code is written as printed, in JSON too (it was `"ArityMismatch"`).
    let Error::Rejected { diagnostics, .. } = &error else {
        panic!("not rejected: {error:?}");
    };
    assert_eq!(diagnostics[0].code.to_string(), "E101");
    let json = serde_json::to_value(&diagnostics[0]).expect("JSON");
    assert_eq!(json["code"], "E101");
    let plain = kb.why("q(a)").expect("a why");
    let named = kb.why("why q(a)").expect("a why with its keyword");
    assert_eq!(named.proof.roots.len(), 1);
    assert_eq!(named.proof.nodes.len(), plain.proof.nodes.len());
    let whynot = kb.whynot("whynot q(c)").expect("a whynot with its keyword");
    assert_eq!(whynot.question, "whynot q(c).");
}

#[test]
fn failed_questions_do_not_pile_up_their_texts() {
    // Each failed question kept its text for good: a program answering bad input for ever
    // grew the sources by a text a failure (1 000 failed `why`s: 1 000 texts).
    let mut kb = base();
    let texts = kb.sources().len();
    for i in 0..1000 {
        let error = kb.why(&format!("q(a, {i})")).expect_err("an arity error");
        // The last failure's error still renders with its place.
        assert!(
            kb.render(&error, false)
                .starts_with("<why>:1:5: error[E101]"),
            "{}",
            kb.render(&error, false)
        );
    }
    assert_eq!(kb.sources().len(), texts + 1);
    // A question that succeeds takes the last failure's text back too.
    kb.why("q(a)").expect("a why");
    assert_eq!(kb.sources().len(), texts);
}
