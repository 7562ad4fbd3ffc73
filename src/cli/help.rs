//! The REPL's help: the overview with every colon command, and the help topics.

use super::commands::Command;

/// The REPL's first screen: what is loaded (the case, or the files given, with how many rules
/// and predicates), the theory's verdicts when it is loaded, and what to try.
pub fn banner(
    with_case: bool,
    loaded: &[String],
    (rules, preds): (usize, usize),
    verdicts: Option<&str>,
) -> String {
    let verdicts = verdicts.map_or_else(String::new, |v| format!("Verdicts: {v}\n"));
    let what = if with_case {
        format!(
            "Loaded: rules/msf.msf (Kingdon's Multiple Streams Framework) and rules/horgos.msf\n\
             (the China-Kazakhstan Horgos Frontier International Cooperation Center): {rules} rules, {preds} predicates.\n\
             {verdicts}\
             Try:\n  \
             unexplained(C) @ T?\n  \
             why order_unknown(cooperation_center_initiative) brief.\n  \
             whynot policy_change(cooperation_center_initiative).\n  \
             whatif assert window_length(political, 3) show policy_change, order_unknown.\n"
        )
    } else if loaded.is_empty() {
        "The knowledge base is empty. Type facts and rules, or :load a file.\n".to_string()
    } else {
        format!(
            "Loaded: {} ({rules} rules, {preds} predicates), without the Horgos case.\n{verdicts}",
            loaded.join(", ")
        )
    };
    format!(
        "kingdon {} — policy change with the Multiple Streams Framework, executable.\n{what}\
         Statements end with `.` (a query may end with `?`). :help for help, :quit to leave.\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The help text: the overview, or one topic (`case` says so when the session has no case).
pub fn help<S>(
    topic: &str,
    commands: &[Command<S>],
    with_case: bool,
    verdicts: Option<&str>,
) -> String {
    let topic = topic.trim_start_matches(':');
    if topic == "case" && !with_case {
        let verdicts = verdicts.map_or_else(String::new, |v| {
            format!("The verdicts on what is loaded: {v}\n")
        });
        return format!(
            "(this session started without the Horgos case: `kingdon` without --empty loads it)\n{verdicts}"
        );
    }
    match topic {
        "" => {
            let mut out = String::from(
                "Type statements of the rule language, ending with `.` (a query may end with `?`):\n  \
                 a fact      ties(china, kazakhstan) @ 1992 note \"…\" source \"…\".\n  \
                 a rule      window(A) :- ties(A, B), complementary(A, B).\n  \
                 a query     policy_change(C) @ T, T < 2010?\n  \
                 explain     why order_unknown(framework_agreement_signed).   whynot …   whatif … show ….\n\
                 A statement may span lines; an empty line cancels an unfinished one.\n\nCommands:\n",
            );
            for c in commands {
                out.push_str(&format!("  {}\n", c.line()));
            }
            out.push_str(
                "\nTopics: :help case, :help language, :help msf, :help why, :help COMMAND\n",
            );
            out
        }
        "case" => format!(
            "The Horgos case (rules/horgos.msf): evidence quoted from Shi et al. (2024).\n\
             Verdicts: {}\n\
             Try:\n  \
             order_unknown(C) @ T?  changes coupled only in an order the paper's years do not fix\n  \
             whynot policy_change(framework_agreement_signed).  the date that would settle it\n  \
             unexplained(C) @ T?  where the theory says no: the paper gives no problem or entrepreneur\n  \
             whynot policy_change(state_council_reply).  what the Reply of 2006 lacks\n  \
             window(W, K) @ T, window_closes(W) @ C?  each window, when it opened and closed\n  \
             whatif assert advocates(hu_jintao_and_nazarbayev, frontier_cooperation_center) @ 2002\n    \
             show policy_change, order_unknown.  had the presidents pushed the center a year earlier\n  \
             :asof 2004  the case as it stood in 2004\n  \
             :timeline 2000..2015  the streams in the years of the center\n",
            verdicts.unwrap_or("(the rules loaded do not state the theory's verdicts)")
        ),
        "language" => {
            "The language (LANGUAGE.md): facts `p(a, 3) @ 2005-07`, rules `head :- body`\n\
             (or `rule name: head when a and b`), negation `not p(X)`, comparisons `X < 3`,\n\
             arithmetic, aggregates `N = count { p(X) }`, `or`, lanes `stream problem: p/1.`,\n\
             times YYYY, YYYY-MM, YYYY-MM-DD (coarser first on the same day).\n\
             Try: ?- problem(P) @ T.\n"
                .to_string()
        }
        "msf" => "Kingdon's Multiple Streams Framework: problems, policies and politics flow\n\
             independently until a window opens and an entrepreneur couples them.\n\
             rules/msf.msf states it: a case states evidence; the theory derives problem/1,\n\
             viable/1, receptive/3, window/2 (problem, political, spillover, policy) and\n\
             window_closes/1, coupled/2, and a verdict for each enactment: policy_change/1,\n\
             order_unknown/1 (coupled only in an order the dates do not fix) or\n\
             unexplained/1; and missed_window/1.\n\
             Try: ?- missed_window(W) @ T.   why order_unknown(cooperation_center_initiative) brief.\n"
            .to_string(),
        "why" | "whynot" | "whatif" => {
            "why ATOM [@ TIME] [depth N].     the proof of each matching fact, and its story\n\
             why ATOM [@ TIME] brief.         the MSF card: one line per stream, then the fact\n\
             whynot ATOM [@ TIME].            the condition each rule fails on\n\
             whatif retract|assert FACT, … [show PRED, … | show all].   what would be gained and\n  \
               lost (without show: the theory's verdicts)\n\
             Try: whatif assert window_length(political, 3) show order_unknown, unexplained.\n"
                .to_string()
        }
        other => match commands
            .iter()
            .find(|c| c.name.trim_start_matches(':') == other)
        {
            Some(c) => format!("{}\n", c.line()),
            None => format!("no help on `{other}`; :help lists the topics\n"),
        },
    }
}
