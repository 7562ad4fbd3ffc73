//! The theory of `rules/msf.msf` earns its explanations: on small cases of its own, an
//! enactment with no open window is unexplained, a resolved problem closes its window, a
//! window whose time passes closes, a window that closes unused is missed (unless it closes
//! after the record ends), a change made twice in one problem window does not ride it twice,
//! a failed criterion of survival or politics set back leaves a change unexplained, and a
//! policy window carries decisions but not agenda decisions. Third version: politics has a
//! direction, entrepreneurs act in time, attention fades and returns, judgements lapse, and
//! an order the dates do not fix is a verdict of its own.

mod common;

use std::path::Path;

use kingdon::KnowledgeBase;

/// The theory with a small case on it.
fn case(text: &str) -> KnowledgeBase {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut kb = KnowledgeBase::new();
    kb.load_file(root.join("rules/msf.msf"))
        .expect("the theory loads");
    kb.load_str("<case>", text).expect("the case loads");
    kb
}

/// The answers to a query, one `a @ b` line each.
fn ask(kb: &mut KnowledgeBase, query: &str) -> Vec<String> {
    common::rows(&kb.query(query).expect("answers"), " @ ")
}

/// A problem recognised in 2000, a viable alternative with an advocate active since 2000, a
/// political shift in 2000 that favours action on the problem, and whatever `more` adds.
fn with(more: &str) -> KnowledgeBase {
    case(&format!(
        "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods).
         technically_feasible(dams) @ 2000. value_acceptable(dams) @ 2000.
         advocates(engineers, dams) @ 2000.
         national_mood(alarm) @ 2000. favours(alarm, floods).
         {more}"
    ))
}

#[test]
fn an_enactment_inside_an_open_window_is_explained() {
    let mut kb = with("enacted(dam_act, dams) @ 2001.");
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2001"]);
    assert_eq!(
        ask(&mut kb, "coupled(dam_act, W) @ T"),
        ["alarm @ 2001", "floods @ 2001"]
    );
    assert!(ask(&mut kb, "unexplained(C) @ T").is_empty());
    assert!(ask(&mut kb, "order_unknown(C) @ T").is_empty());
}

#[test]
fn an_enactment_with_no_open_window_is_unexplained() {
    let mut kb = with("enacted(dam_act, dams) @ 2005.");
    assert!(ask(&mut kb, "policy_change(C) @ T").is_empty());
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2005"]);
    assert_eq!(
        ask(&mut kb, "window_closes(W) @ T"),
        ["alarm @ 2002", "floods @ 2002"],
        "both windows last the default two years"
    );
}

#[test]
fn a_window_whose_time_passes_closes_and_a_case_can_set_its_length() {
    let mut kb = with("enacted(dam_act, dams) @ 2003.");
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2003"]);
    let mut kb = with("enacted(dam_act, dams) @ 2003. window_length(problem, 5).");
    assert_eq!(ask(&mut kb, "coupled(dam_act, W) @ T"), ["floods @ 2003"]);
    let mut kb = with("enacted(dam_act, dams) @ 2003. window_length(alarm, 4).");
    assert_eq!(ask(&mut kb, "coupled(dam_act, W) @ T"), ["alarm @ 2003"]);
}

#[test]
fn attention_to_a_problem_fades_after_its_span_and_new_evidence_renews_it() {
    // Windows kept open ten years: only attention can fail. Raised in 2000, the problem has
    // faded by 2005 (four years, the default).
    let long = "window_length(problem, 10). window_length(political, 10).";
    let mut kb = with(&format!("{long} enacted(dam_act, dams) @ 2005."));
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2005"]);
    assert!(ask(&mut kb, "pressing(floods, T, R)").is_empty());
    // A case may say that attention lasts longer ...
    let mut kb = with(&format!(
        "{long} attention_span(floods, 6). enacted(dam_act, dams) @ 2005."
    ));
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2005"]);
    // ... and new evidence renews it.
    let mut kb = with(&format!(
        "{long} condition(floods) @ 2003. enacted(dam_act, dams) @ 2005."
    ));
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2005"]);
}

#[test]
fn resolving_the_problem_closes_its_window() {
    let mut kb = with("resolved(floods) @ 2001. enacted(dam_act, dams) @ 2002.");
    assert_eq!(ask(&mut kb, "window_closes(floods) @ T"), ["2001"]);
    assert!(ask(&mut kb, "policy_change(C) @ T").is_empty());
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2002"]);
}

#[test]
fn a_window_that_closes_unused_is_missed() {
    let mut kb = with("");
    assert_eq!(
        ask(&mut kb, "missed_window(W) @ T"),
        ["alarm @ 2002", "floods @ 2002"]
    );
    let mut kb = with("enacted(dam_act, dams) @ 2001.");
    assert!(ask(&mut kb, "missed_window(W) @ T").is_empty());
}

/// The problem and alternative of [`with`], politics receptive through a standing doctrine
/// (undated, so it opens no window) and whatever `more` adds.
fn without_political_window(more: &str) -> KnowledgeBase {
    case(&format!(
        "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods).
         technically_feasible(dams) @ 2000. value_acceptable(dams) @ 2000.
         advocates(engineers, dams) @ 2000.
         national_strategy(flood_safety). favours(flood_safety, floods).
         {more}"
    ))
}

#[test]
fn a_change_made_twice_does_not_ride_a_problem_window_twice() {
    let mut kb = without_political_window(
        "window_length(problem, 5).
         enacted(dam_act, dams) @ 2001. enacted(dam_act_two, dams) @ 2002.",
    );
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2001"]);
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act_two @ 2002"]);
    assert_eq!(ask(&mut kb, "window_closes(floods) @ T"), ["2001"]);
}

#[test]
fn a_second_focusing_event_on_a_known_problem_opens_a_new_window() {
    let first = "focusing_event(flood_2000, floods) @ 2000.
         enacted(dam_act, dams) @ 2001. enacted(dam_act_two, dams) @ 2006.";
    let mut kb = without_political_window(first);
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act_two @ 2006"]);
    let mut kb = without_political_window(&format!(
        "{first} focusing_event(flood_2005, floods) @ 2005."
    ));
    assert_eq!(
        ask(&mut kb, "policy_change(C) @ T"),
        ["dam_act @ 2001", "dam_act_two @ 2006"]
    );
    assert_eq!(
        ask(&mut kb, "window(floods, problem) @ T"),
        ["2000", "2005"],
        "the known problem reopens"
    );
}

#[test]
fn a_political_window_closes_when_the_government_turns_over_a_problem_window_does_not() {
    let mut kb = with("turnover(new_government) @ 2001.");
    assert_eq!(
        ask(&mut kb, "window_closes(W) @ T"),
        ["alarm @ 2001", "floods @ 2002"]
    );
    // Turnover with no direction opens no window of its own; the problem window carries.
    let mut kb = with("turnover(new_government) @ 2001. enacted(dam_act, dams) @ 2001-06.");
    assert_eq!(ask(&mut kb, "coupled(dam_act, W)"), ["floods"]);
}

#[test]
fn politics_has_a_direction() {
    // No political event favours the dams: with the mood's favour gone, nothing is receptive
    // and a crisis in August opens no window for them.
    let text = "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods).
         technically_feasible(dams) @ 2000. value_acceptable(dams) @ 2000.
         advocates(engineers, dams) @ 2000.
         international_relations(border_crisis, neighbour) @ 2000-08.
         enacted(dam_act, dams) @ 2001.";
    let mut kb = case(text);
    assert!(ask(&mut kb, "window(border_crisis, K)").is_empty());
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001"]);
    // A crisis that calls for border troops opens a window for them, not for the dams.
    let mut kb = case(&format!(
        "{text} favours(border_crisis, border_troops). alternative(troops_law) @ 2000.
         part_of(troops_law, border_troops)."
    ));
    assert_eq!(ask(&mut kb, "window(border_crisis, K)"), ["political"]);
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001"]);
    // An event that opposes the dams after the one that favoured them: not receptive.
    let mut kb = with(
        "national_mood(dam_fatigue) @ 2001-03. opposes(dam_fatigue, dams).
         window_length(problem, 5). enacted(dam_act, dams) @ 2002.",
    );
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2002"]);
    // Whether it came after the favouring mood of 2000, a date of June 2000 does not say.
    let mut kb = with(
        "national_mood(dam_fatigue) @ 2000-06. opposes(dam_fatigue, dams).
         window_length(problem, 5). enacted(dam_act, dams) @ 2002.",
    );
    assert_eq!(ask(&mut kb, "order_unknown(C) @ T"), ["dam_act @ 2002"]);
}

#[test]
fn entrepreneurs_act_in_time() {
    let base = "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods).
         technically_feasible(dams) @ 2000. value_acceptable(dams) @ 2000.
         national_mood(alarm) @ 2000. favours(alarm, floods).
         enacted(dam_act, dams) @ 2001.";
    let mut kb = case(&format!("{base} advocates(engineers, dams) @ 2030."));
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001"]);
    // Undated, the entrepreneur may have acted before or after: the order is unknown.
    let mut kb = case(&format!("{base} advocates(engineers, dams)."));
    assert!(ask(&mut kb, "policy_change(C) @ T").is_empty());
    assert_eq!(ask(&mut kb, "order_unknown(C) @ T"), ["dam_act @ 2001"]);
}

#[test]
fn a_year_window_does_not_plainly_explain_a_change_of_a_month_in_that_year() {
    let mut kb = with("enacted(dam_act, dams) @ 2000-07.");
    assert!(ask(&mut kb, "policy_change(C) @ T").is_empty());
    assert!(ask(&mut kb, "unexplained(C) @ T").is_empty());
    assert_eq!(ask(&mut kb, "order_unknown(C) @ T"), ["dam_act @ 2000-07"]);
    // Dated to the month, the same events fix the order.
    let mut kb = case(
        "condition(floods) @ 2000-03. framed(floods, press) @ 2000-03.
         alternative(dams) @ 2000-03. addresses(dams, floods).
         technically_feasible(dams) @ 2000-03. value_acceptable(dams) @ 2000-03.
         advocates(engineers, dams) @ 2000-03.
         national_mood(alarm) @ 2000-03. favours(alarm, floods).
         enacted(dam_act, dams) @ 2000-07.",
    );
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2000-07"]);
}

#[test]
fn a_rejection_lapses_when_it_is_reversed_a_u_turn() {
    let base = "condition(floods) @ 2009. framed(floods, press) @ 2009.
         alternative(dams) @ 2009. addresses(dams, floods).
         technically_feasible(dams) @ 2009. value_acceptable(dams) @ 2009.
         advocates(engineers, dams) @ 2009.
         national_mood(alarm) @ 2009. favours(alarm, floods). window_length(political, 3).
         decision_makers_reject(dams) @ 2010-03.
         enacted(dam_act, dams) @ 2011.";
    let mut kb = case(base);
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2011"]);
    let mut kb = case(&format!("{base} reversed(dams) @ 2010-06."));
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2011"]);
    // A rejection dated by its year alone may have come after a reversal of June.
    let year_only = base.replace("reject(dams) @ 2010-03", "reject(dams) @ 2010");
    let mut kb = case(&format!("{year_only} reversed(dams) @ 2010-06."));
    assert_eq!(ask(&mut kb, "order_unknown(C) @ T"), ["dam_act @ 2011"]);
    // New decision makers do not inherit the rejection (this government favours action on
    // floods, and its window carries the change: the turnover closed the mood's).
    let mut kb = case(&format!(
        "{base} turnover(new_government) @ 2010-09. favours(new_government, floods)."
    ));
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2011"]);
}

#[test]
fn an_alternative_fails_on_any_criterion_of_survival() {
    for (fact, what) in [
        ("intolerable_cost(dams) @ 2000.", "an intolerable cost"),
        ("public_resistance(dams) @ 2000.", "public resistance"),
        ("decision_makers_reject(dams) @ 2000.", "rejection"),
    ] {
        let mut kb = with(&format!("{fact} enacted(dam_act, dams) @ 2001."));
        assert_eq!(
            ask(&mut kb, "unexplained(C) @ T"),
            ["dam_act @ 2001"],
            "{what} leaves the change unexplained"
        );
    }
    // Evidence against an alternative counts from its date: a later failure undoes nothing.
    let mut kb = with("public_resistance(dams) @ 2002. enacted(dam_act, dams) @ 2001.");
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2001"]);
    // Without a dated criterion, the alternative is not viable at all.
    let mut kb = case(
        "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods). technically_feasible(dams).
         advocates(engineers, dams) @ 2000.
         national_mood(alarm) @ 2000. favours(alarm, floods). enacted(dam_act, dams) @ 2001.",
    );
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001"]);
}

#[test]
fn organised_opposition_leaves_the_political_stream_unreceptive() {
    let mut kb =
        with("organised_interests(farmers, dams, opposes) @ 2000. enacted(dam_act, dams) @ 2001.");
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001"]);
    let mut kb = with(
        "organised_interests(farmers, dams, opposes) @ 2000.
         organised_interests(builders, dams, supports) @ 2000. enacted(dam_act, dams) @ 2001.",
    );
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2001"]);
}

#[test]
fn agenda_windows_carry_agenda_decisions_policy_windows_only_decisions() {
    // The only window open in 2013 is a policy window: a programme grown feasible in 2012.
    // A standing doctrine keeps politics receptive; the problem was renewed in 2011.
    let base = "condition(floods) @ 2011. framed(floods, press) @ 2011.
         window_length(problem, 1).
         alternative(dams) @ 2010. addresses(dams, floods). advocates(engineers, dams) @ 2010.
         technically_feasible(dams) @ 2010. value_acceptable(dams) @ 2010.
         part_of(dams, dam_programme).
         national_strategy(flood_safety). favours(flood_safety, floods).
         feasibility_gain(new_turbines, dam_programme) @ 2012.
         enacted(dam_study, dams) @ 2013.";
    let mut kb = case(base);
    assert_eq!(
        ask(&mut kb, "coupled(dam_study, W) @ T"),
        ["new_turbines @ 2013"]
    );
    let mut kb = case(&format!("{base} agenda_decision(dam_study)."));
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_study @ 2013"]);
    // Agenda coupling needs no viable alternative: problem, politics and an entrepreneur.
    let mut kb = case(
        "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods). advocates(engineers, dams) @ 2000.
         national_mood(alarm) @ 2000. favours(alarm, floods).
         enacted(dam_study, dams) @ 2001. agenda_decision(dam_study).",
    );
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_study @ 2001"]);
}

#[test]
fn an_agenda_decision_does_not_use_up_the_window_the_decision_rides() {
    let mut kb = without_political_window(
        "window_length(problem, 5). enacted(dam_study, dams) @ 2001. agenda_decision(dam_study).
         enacted(dam_act, dams) @ 2002.",
    );
    assert_eq!(
        ask(&mut kb, "policy_change(C) @ T"),
        ["dam_study @ 2001", "dam_act @ 2002"]
    );
}

#[test]
fn politics_set_back_leaves_decision_makers_unreceptive() {
    // A deterioration after the mood: through the problem window, politics is not receptive.
    let mut kb = with(
        "international_relations(border_clash, neighbour) @ 2001-03. deterioration(border_clash).
         window_length(political, 0). window_length(problem, 5). enacted(dam_act, dams) @ 2002.",
    );
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2002"]);
    let mut kb = with("window_length(political, 0). enacted(dam_act, dams) @ 2001.");
    assert_eq!(ask(&mut kb, "coupled(C, W)"), ["dam_act @ floods"]);
}

#[test]
fn receptivity_is_read_at_each_decision() {
    // Receptive in 2001-03; set back by 2001-06: the second enactment finds politics
    // unreceptive.
    let mut kb = with(
        "window_length(problem, 5).
         enacted(dam_act, dams) @ 2001-03. enacted(dam_act_two, dams) @ 2002.
         international_relations(border_clash, neighbour) @ 2001-06. deterioration(border_clash).",
    );
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2001-03"]);
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act_two @ 2002"]);
}

#[test]
fn a_measure_where_less_is_better_lags_above_its_benchmark() {
    let mut kb = case(
        "indicator(unemployment, town, 9) @ 2020. benchmark(unemployment, region, 5) @ 2020.
         lower_is_better(unemployment). measures(joblessness, unemployment).
         indicator(growth, town, 3) @ 2020. benchmark(growth, region, 1) @ 2020.
         measures(stagnation, growth).",
    );
    assert_eq!(ask(&mut kb, "problem(P) @ T"), ["joblessness @ 2020"]);
}

#[test]
fn windows_closing_after_the_record_ends_are_not_missed() {
    let mut kb = with("record_ends @ 2001-06.");
    assert!(ask(&mut kb, "missed_window(W) @ T").is_empty());
    assert_eq!(
        ask(&mut kb, "window_closes(W) @ T"),
        ["alarm @ 2002", "floods @ 2002"]
    );
}

#[test]
fn spillover_and_policy_windows_open_from_evidence() {
    let mut kb = with(
        "initiative(green_deal, climate) @ 2010. adjacent_domain(climate).
         favours(green_deal, floods).
         feasibility_gain(new_turbines, dam_programme) @ 2012.",
    );
    assert_eq!(
        ask(&mut kb, "window(W, K) @ T"),
        [
            "alarm @ political @ 2000",
            "floods @ problem @ 2000",
            "green_deal @ spillover @ 2010",
            "new_turbines @ policy @ 2012"
        ]
    );
    let mut kb = with("initiative(green_deal, climate) @ 2010. favours(green_deal, floods).");
    assert_eq!(
        ask(&mut kb, "window(W, spillover)"),
        Vec::<String>::new(),
        "an initiative of a domain not adjacent opens nothing"
    );
}

/// The codes of the errors a load of `file` gives, after `before` (files loaded first).
fn refused(before: &[&Path], file: &Path) -> Vec<String> {
    let mut kb = KnowledgeBase::new();
    for b in before {
        kb.load_file(b).expect("loads");
    }
    match kb.load_file(file) {
        Err(kingdon::Error::Rejected { diagnostics, .. }) => diagnostics
            .iter()
            .map(|d| d.code.as_str().to_string())
            .collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_case_may_not_state_a_conclusion_of_the_theory_or_an_undated_enactment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let theory = root.join("rules/msf.msf");
    let dir = std::env::temp_dir().join(format!("kingdon-contract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    let case = dir.join("case.msf");
    std::fs::write(
        &case,
        format!(
            "include {:?}.\nalternative(made_up) @ 2001.\ncoupled(law, made_up) @ 2001.\nenacted(law, made_up).\n",
            theory.display().to_string()
        ),
    )
    .expect("written");
    assert_eq!(refused(&[], &case), ["E122", "E121"]);
    // The theory loaded before: the include reads nothing, and the case still includes it.
    assert_eq!(refused(&[&theory], &case), ["E122", "E121"]);
    std::fs::remove_dir_all(&dir).expect("removed");
}

#[test]
fn a_window_known_only_from_the_words_of_the_change_is_the_change_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("kingdon-passage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    std::fs::write(
        dir.join("report.txt"),
        "Floods hit the valley in 1999. In March 2001 a new minister, elected on flood safety, \
         had parliament pass the dam act.",
    )
    .expect("written");
    let case = |mood_quote: &str| {
        format!(
            "include {:?}.
             document report \"report.txt\".
             condition(floods) @ 1999 source report \"p. 1\" quote \"Floods hit the valley in 1999\".
             framed(floods, press) @ 1999.
             alternative(dams) @ 1999. addresses(dams, floods).
             technically_feasible(dams) @ 1999. value_acceptable(dams) @ 1999.
             advocates(engineers, dams) @ 1999. window_length(problem, 1).
             national_mood(flood_minister) @ 2001-03
                 source report \"p. 1\" quote \"{mood_quote}\".
             favours(flood_minister, floods).
             enacted(dam_act, dams) @ 2001-03-30
                 source report \"p. 1\" quote \"In March 2001 a new minister, elected on flood safety, had parliament pass the dam act\".",
            root.join("rules/msf.msf").display().to_string()
        )
    };
    // The minister's election is known only from the sentence that records the act.
    std::fs::write(
        dir.join("case.msf"),
        case("a new minister, elected on flood safety"),
    )
    .expect("written");
    let mut kb = KnowledgeBase::new();
    kb.load_file(dir.join("case.msf")).expect("loads");
    assert_eq!(
        ask(&mut kb, "same_as_change(W, C)"),
        ["flood_minister @ dam_act"]
    );
    assert!(ask(&mut kb, "coupled(C, W)").is_empty());
    assert!(ask(&mut kb, "unexplained(C)").len() == 1);
    std::fs::remove_dir_all(&dir).expect("removed");
}
