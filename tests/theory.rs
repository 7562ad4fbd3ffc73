//! The theory of `rules/msf.msf` can say no: on small cases of its own, an enactment with no
//! open window is unexplained, a resolved problem closes its window, a window whose time
//! passes closes, a window that closes unused is missed (unless it closes after the record
//! ends), a change made twice in one problem window does not ride it twice, a failed
//! criterion of survival or politics set back leaves a change unexplained, and a policy
//! window carries decisions but not agenda decisions.

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

/// A problem recognised in 2000, a viable alternative with an advocate, a political shift in
/// 2000 and whatever `more` adds.
fn with(more: &str) -> KnowledgeBase {
    case(&format!(
        "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods).
         technically_feasible(dams) @ 2000. value_acceptable(dams) @ 2000.
         advocates(engineers, dams).
         national_mood(alarm) @ 2000.
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
    assert_eq!(
        ask(&mut kb, "coupled(C, W) @ T"),
        ["dam_act @ floods @ 2003"]
    );
    assert_eq!(
        ask(&mut kb, "window_closes(floods) @ T"),
        ["2003"],
        "used up"
    );
    let mut kb = with("enacted(dam_act, dams) @ 2003. window_length(alarm, 4).");
    assert_eq!(
        ask(&mut kb, "coupled(C, W) @ T"),
        ["dam_act @ alarm @ 2003"]
    );
}

#[test]
fn resolving_the_problem_closes_its_window() {
    let mut kb = with("resolved(floods) @ 2001. enacted(dam_act, dams) @ 2001-06.");
    assert_eq!(ask(&mut kb, "window_closes(floods) @ T"), ["2001"]);
    assert!(ask(&mut kb, "policy_change(C) @ T").is_empty());
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001-06"]);
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

#[test]
fn a_change_made_twice_does_not_ride_a_problem_window_twice() {
    // No political shift: the problem window is the only one.
    let mut kb = case(
        "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods).
         technically_feasible(dams) @ 2000. value_acceptable(dams) @ 2000.
         advocates(engineers, dams). international_relations(treaty, neighbour) @ 1990.
         window_length(political, 1).
         enacted(dam_act, dams) @ 2000-06. enacted(dam_act, dams) @ 2001.",
    );
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2000-06"]);
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001"]);
    assert_eq!(ask(&mut kb, "window_closes(floods) @ T"), ["2000-06"]);
}

#[test]
fn a_political_window_closes_when_the_government_turns_over() {
    let mut kb = case(
        "condition(floods) @ 1990. framed(floods, press) @ 1990.
         alternative(dams) @ 2000. addresses(dams, floods).
         technically_feasible(dams) @ 2000. value_acceptable(dams) @ 2000.
         advocates(engineers, dams). national_mood(alarm) @ 2000.
         turnover(new_government) @ 2001. enacted(dam_act, dams) @ 2001-06.",
    );
    assert_eq!(ask(&mut kb, "window_closes(alarm) @ T"), ["2001"]);
    // The new government opens a window of its own, which the change rides.
    assert_eq!(ask(&mut kb, "coupled(dam_act, W)"), ["new_government"]);
    let mut kb = case(
        "condition(floods) @ 1990. framed(floods, press) @ 1990.
         alternative(dams) @ 2000. addresses(dams, floods).
         technically_feasible(dams) @ 2000. value_acceptable(dams) @ 2000.
         advocates(engineers, dams). national_mood(alarm) @ 2000.
         turnover(new_government) @ 2001. window_length(new_government, 0).
         enacted(dam_act, dams) @ 2001-06.",
    );
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001-06"]);
}

#[test]
fn an_alternative_fails_on_any_criterion_of_survival() {
    for fatal in [
        "intolerable_cost(dams)",
        "public_resistance(dams)",
        "decision_makers_reject(dams)",
    ] {
        let mut kb = with(&format!("enacted(dam_act, dams) @ 2001. {fatal}."));
        assert_eq!(
            ask(&mut kb, "unexplained(C) @ T"),
            ["dam_act @ 2001"],
            "{fatal}"
        );
        // Dated after the decision, it does not undo it.
        let mut kb = with(&format!("enacted(dam_act, dams) @ 2001. {fatal} @ 2005."));
        assert_eq!(
            ask(&mut kb, "policy_change(C) @ T"),
            ["dam_act @ 2001"],
            "{fatal}"
        );
    }
    let mut kb = case(
        "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods). advocates(engineers, dams).
         technically_feasible(dams) @ 2000. national_mood(alarm) @ 2000.
         enacted(dam_act, dams) @ 2001.",
    );
    assert!(
        ask(&mut kb, "policy_change(C)").is_empty(),
        "no value acceptability"
    );
}

#[test]
fn organised_opposition_leaves_the_political_stream_unreceptive() {
    let mut kb =
        with("enacted(dam_act, dams) @ 2001. organised_interests(farmers, dams, opposes).");
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001"]);
    let mut kb = with(
        "enacted(dam_act, dams) @ 2001. organised_interests(farmers, dams, opposes).
         organised_interests(builders, dams, supports).",
    );
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2001"]);
}

#[test]
fn agenda_windows_carry_agenda_decisions_policy_windows_only_decisions() {
    // The only window open in 2013 is a policy window: a programme grown feasible in 2012.
    let base = "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2010. addresses(dams, floods). advocates(engineers, dams).
         technically_feasible(dams) @ 2010. value_acceptable(dams) @ 2010.
         national_mood(alarm) @ 2000. feasibility_gain(new_turbines, dam_programme) @ 2012.
         enacted(dam_study, dams) @ 2013.";
    let mut kb = case(base);
    assert_eq!(
        ask(&mut kb, "coupled(dam_study, W) @ T"),
        ["new_turbines @ 2013"]
    );
    let mut kb = case(&format!("{base} agenda_decision(dam_study)."));
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_study @ 2013"]);
    // Agenda coupling, like decision coupling, needs a viable alternative (Herweg et al.).
    let mut kb = case(
        "condition(floods) @ 2000. framed(floods, press) @ 2000.
         alternative(dams) @ 2000. addresses(dams, floods). advocates(engineers, dams).
         national_mood(alarm) @ 2000. enacted(dam_study, dams) @ 2001. agenda_decision(dam_study).",
    );
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_study @ 2001"]);
}

#[test]
fn politics_set_back_leaves_decision_makers_unreceptive() {
    // A deterioration after the mood: through the problem window, politics is not receptive.
    let mut kb = with(
        "international_relations(border_clash, neighbour) @ 2000-06. deterioration(border_clash).
         window_length(political, 0). enacted(dam_act, dams) @ 2001.",
    );
    assert_eq!(ask(&mut kb, "unexplained(C) @ T"), ["dam_act @ 2001"]);
    let mut kb = with("window_length(political, 0). enacted(dam_act, dams) @ 2001.");
    assert_eq!(ask(&mut kb, "coupled(C, W)"), ["dam_act @ floods"]);
}

#[test]
fn receptivity_is_read_at_each_decision() {
    // Receptive in 2000; set back by 2001-06: the second enactment finds politics unreceptive.
    let mut kb = with(
        "window_length(political, 0). window_length(problem, 5).
         enacted(dam_act, dams) @ 2000-06. enacted(dam_act_two, dams) @ 2002.
         international_relations(border_clash, neighbour) @ 2001-06. deterioration(border_clash).",
    );
    assert_eq!(ask(&mut kb, "policy_change(C) @ T"), ["dam_act @ 2000-06"]);
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
fn turnover_closes_every_window_open_before_it() {
    let mut kb = with("turnover(new_government) @ 2001. window_length(new_government, 0).");
    assert_eq!(
        ask(&mut kb, "window_closes(W) @ T"),
        ["alarm @ 2001", "floods @ 2001", "new_government @ 2001"]
    );
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
    let mut kb = with("initiative(green_deal, climate) @ 2010.");
    assert_eq!(
        ask(&mut kb, "window(W, spillover)"),
        Vec::<String>::new(),
        "an initiative of a domain not adjacent opens nothing"
    );
}
