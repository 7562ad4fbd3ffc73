//! The headless REPL: a line (or several) in, text out, no terminal. It holds the knowledge
//! base, runs statements and colon commands, and remembers what was loaded for `:reload`.
//! The rustyline front end (`repl.rs`) and the piped-stdin mode are thin layers over it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use kingdon::syntax::ast::Statement;
use kingdon::value::Time;
use kingdon::{KnowledgeBase, Report};

use super::answers::{render_outputs, Format};
use super::timeline;

/// The theory and the case, bundled so that the REPL works from any folder.
pub use kingdon::HORGOS_CASE as CASE;

/// The colon commands, with their one-line help.
pub const COMMANDS: &[(&str, &str)] = &[
    (":help", "[topic]  this help, or help on a topic: language, msf, why, or a command (:help asof)"),
    (":load", "FILE  load a .msf file; its statements run in order (:load rules/exercises/01_political_window.msf)"),
    (":reload", "start again from what was loaded: the case and every :load"),
    (":reset", "empty the knowledge base"),
    (":facts", "[PRED]  the facts, stated and derived, in time order (:facts policy_change)"),
    (":rules", "[PRED]  the rules, with where they are written (:rules coupled)"),
    (":lanes", "[LANE]  the streams (lanes) and their predicates; with a lane, its dated facts in time order (:lanes politics)"),
    (":asof", "TIME | off  answer as of TIME, with only the facts dated up to it (:asof 2004)"),
    (":save", "FILE  the facts and rules as a .msf file that loads back the same (:save my_case.msf)"),
    (":timeline", "[FROM..TO]  the streams over time, one row per lane (:timeline 2000..2015)"),
    (":export", "json|csv|dot|svg FILE  all facts as JSON or CSV; as DOT the proof of the last `why` (the rules' graph before any); the timeline as SVG (:export svg horgos.svg)"),
    (":stats", "facts, rules, strata, and the time of the last evaluation"),
    (":quit", "leave (Ctrl-D does too)"),
];

/// What the session answers to one input.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// What to show on the standard output.
    pub out: String,
    /// Errors and warnings, for the standard error.
    pub err: String,
    /// Whether the input failed (the knowledge base is as it was before it).
    pub failed: bool,
    /// Whether the user asked to leave.
    pub quit: bool,
}

impl Response {
    fn out(text: impl Into<String>) -> Response {
        Response {
            out: text.into(),
            ..Response::default()
        }
    }

    fn error(text: impl Into<String>) -> Response {
        Response {
            err: text.into(),
            failed: true,
            ..Response::default()
        }
    }
}

/// The knowledge base and what was loaded into it.
pub struct Session {
    kb: KnowledgeBase,
    /// Whether the bundled case is part of the start.
    with_case: bool,
    /// Files loaded with `:load` or on the command line, for `:reload`.
    loaded: Vec<PathBuf>,
    color: bool,
    /// `:asof`: the time questions are answered at, and the knowledge base as it was then.
    asof: Option<(Time, KnowledgeBase)>,
    /// The columns `:timeline` fits.
    width: usize,
    /// The answer to the last `why`, for `:export dot`.
    last_why: Option<kingdon::explain::Why>,
    /// Raised (by Ctrl-C) to stop the evaluation under way; lowered before each input.
    interrupt: Arc<AtomicBool>,
    /// The limits every knowledge base of the session gets (`:reset` and `:reload` too).
    options: kingdon::Options,
    /// How many statement inputs were typed: each is named `<input N>` in messages, so that
    /// one input's message can point at another.
    inputs: usize,
}

/// An empty knowledge base with these options whose evaluations stop when `interrupt` is
/// raised.
fn interruptible(options: &kingdon::Options, interrupt: &Arc<AtomicBool>) -> KnowledgeBase {
    let mut options = options.clone();
    options.limits.cancel = Some(Arc::clone(interrupt));
    KnowledgeBase::with_options(options)
}

impl Session {
    /// A session with the bundled theory and case loaded (or an empty one), default limits.
    #[cfg(test)]
    pub fn new(with_case: bool, color: bool) -> Session {
        Session::with_options(with_case, color, kingdon::Options::default())
    }

    /// A session whose knowledge bases have these limits.
    pub fn with_options(with_case: bool, color: bool, options: kingdon::Options) -> Session {
        let interrupt = Arc::new(AtomicBool::new(false));
        let mut session = Session {
            kb: interruptible(&options, &interrupt),
            with_case,
            loaded: Vec::new(),
            color,
            asof: None,
            width: 100,
            last_why: None,
            interrupt,
            options,
            inputs: 0,
        };
        if with_case {
            session
                .kb
                .load_bundle(CASE)
                .expect("the bundled case loads (tests/horgos.rs checks it)");
        }
        session
    }

    /// Sets the columns `:timeline` fits (the terminal's width).
    pub fn set_width(&mut self, width: usize) {
        self.width = width;
    }

    /// The knowledge base (for completion).
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// One screen saying what is loaded and what to try.
    pub fn banner(&self) -> String {
        let facts: usize = self.kb.predicates().len();
        let loaded = if self.with_case {
            format!(
                "Loaded: rules/msf.msf (Kingdon's Multiple Streams Framework) and rules/horgos.msf\n\
                 (the China-Kazakhstan Horgos Frontier International Cooperation Center): {} rules, {facts} predicates.\n\
                 Try:\n  \
                 policy_change(C) @ T?\n  \
                 why policy_change(management_agreement).\n  \
                 whatif retract dissolution(ussr) show policy_change.\n",
                self.kb.rules(None).len()
            )
        } else {
            "The knowledge base is empty. Type facts and rules, or :load a file.\n".to_string()
        };
        format!(
            "kingdon {} — policy change with the Multiple Streams Framework, executable.\n{loaded}\
             Statements end with `.` (a query may end with `?`). :help for help, :quit to leave.\n",
            env!("CARGO_PKG_VERSION")
        )
    }

    /// The flag that interrupts the evaluation under way (Ctrl-C raises it); an interrupted
    /// input keeps nothing, and the knowledge base is as it was before it.
    pub fn interrupter(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.interrupt)
    }

    /// Runs an input: a colon command, or statements of the language.
    pub fn handle(&mut self, input: &str) -> Response {
        self.interrupt.store(false, Ordering::SeqCst);
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Response::default();
        }
        if trimmed.starts_with(':') {
            return self.command(trimmed);
        }
        self.inputs += 1;
        let name = format!("<input {}>", self.inputs);
        // With `:asof`, questions go to the knowledge base as it was; anything that states
        // goes to the real one (and the past is taken again from it).
        if let Some((time, past)) = &mut self.asof {
            if asks_only(input) {
                let result = past.load_str(&name, input);
                let why = last_why(&result);
                let response = report(past, result, self.color);
                if why.is_some() {
                    self.last_why = why;
                }
                return response;
            }
            let result = self.kb.load_str(&name, input);
            let response = report(&self.kb, result, self.color);
            self.asof = Some((*time, self.kb.as_of(*time)));
            return response;
        }
        let result = self.kb.load_str(&name, input);
        self.report(result)
    }

    /// The time `:asof` answers at, for the prompt.
    pub fn asof(&self) -> Option<Time> {
        self.asof.as_ref().map(|(t, _)| *t)
    }

    fn report(&mut self, result: Result<Report, kingdon::Error>) -> Response {
        if let Some(why) = last_why(&result) {
            self.last_why = Some(why);
        }
        report(&self.kb, result, self.color)
    }

    fn command(&mut self, line: &str) -> Response {
        let (name, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let arg = arg.trim();
        // Any unambiguous start of a command stands for it (`:he`, `:ti`).
        let mut starting = COMMANDS.iter().filter(|(c, _)| c.starts_with(name));
        let name = match (starting.next(), starting.next()) {
            (Some((only, _)), None) if name.len() > 2 => only,
            _ => name,
        };
        match name {
            ":help" | ":h" | ":?" => Response::out(help(arg)),
            ":quit" | ":q" | ":exit" => Response {
                quit: true,
                ..Response::default()
            },
            ":load" if arg.is_empty() => Response::error("usage: :load FILE\n"),
            ":load" => {
                let path = PathBuf::from(arg);
                let result = self.kb.load_file(&path);
                let ok = result.is_ok();
                let mut response = self.report(result);
                if ok {
                    self.loaded.push(path);
                    response.out.push_str(&format!("loaded {arg}\n"));
                }
                response
            }
            ":reload" => self.reload(),
            ":reset" => {
                self.kb = interruptible(&self.options, &self.interrupt);
                self.with_case = false;
                self.loaded.clear();
                Response::out("the knowledge base is empty\n")
            }
            ":facts" => match self.kb.facts((!arg.is_empty()).then_some(arg)) {
                Ok(groups) if groups.is_empty() => Response::out(if arg.is_empty() {
                    "no facts\n".to_string()
                } else {
                    format!("no facts of `{arg}`\n")
                }),
                Ok(groups) => {
                    let mut out = String::new();
                    for kingdon::PredicateFacts { pred, facts } in groups {
                        out.push_str(&format!(
                            "{pred}: {} fact{}\n",
                            facts.len(),
                            plural(facts.len())
                        ));
                        for f in facts {
                            out.push_str(&format!("  {f}\n"));
                        }
                    }
                    Response::out(out)
                }
                Err(e) => Response::error(self.kb.render(&e, self.color)),
            },
            ":rules" => {
                let rules = self.kb.rules((!arg.is_empty()).then_some(arg));
                if rules.is_empty() {
                    return Response::out("no rules\n");
                }
                let out = rules
                    .iter()
                    .map(|r| format!("% {}\n{}\n", r.at, r.text))
                    .collect::<String>();
                Response::out(out)
            }
            ":lanes" if !arg.is_empty() => self.lane(arg),
            ":lanes" => {
                let lanes = self.kb.lanes();
                if lanes.is_empty() {
                    return Response::out(
                        "no lanes: declare them with `stream NAME \"Label\": pred/N, … .`\n",
                    );
                }
                let out = lanes
                    .iter()
                    .map(|lane| {
                        let label = lane
                            .label
                            .as_ref()
                            .map(|l| format!(" \"{l}\""))
                            .unwrap_or_default();
                        format!("{}{label}: {}\n", lane.name, lane.preds.join(", "))
                    })
                    .collect::<String>();
                Response::out(out)
            }
            ":stats" => self.stats(),
            ":asof" => self.set_asof(arg),
            ":save" if arg.is_empty() => Response::error("usage: :save FILE\n"),
            ":save" => match kingdon::tabular::write_atomically(
                std::path::Path::new(arg),
                self.kb.to_msf().as_bytes(),
            ) {
                Ok(()) => Response::out(format!("saved to {arg}\n")),
                Err(e) => Response::error(format!("cannot write `{arg}`: {e}\n")),
            },
            ":export" => self.export(arg),
            ":timeline" => self.timeline(arg),
            other => {
                let starting: Vec<&str> = COMMANDS
                    .iter()
                    .map(|(c, _)| *c)
                    .filter(|c| other.len() > 1 && c.starts_with(other))
                    .collect();
                if starting.len() > 1 {
                    return Response::error(format!(
                        "`{other}` could be {}; type more of it\n",
                        starting.join(" or ")
                    ));
                }
                let names = COMMANDS.iter().map(|(c, _)| *c);
                let nearest = names
                    .map(|c| (edit_distance(other, c), c))
                    .min()
                    .filter(|(d, _)| *d <= 3)
                    .map(|(_, c)| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                Response::error(format!(
                    "unknown command `{other}`{nearest}; :help lists the commands\n"
                ))
            }
        }
    }

    /// One lane's dated facts in time order, derived ones marked.
    fn lane(&mut self, name: &str) -> Response {
        let timeline = match self.asked().timeline(None, None) {
            Ok(timeline) => timeline,
            Err(e) => return Response::error(self.kb.render(&e, self.color)),
        };
        let Some(lane) = timeline.lanes.iter().find(|l| l.name == name) else {
            let names: Vec<String> = self.kb.lanes().iter().map(|l| l.name.clone()).collect();
            return Response::error(format!(
                "no lane `{name}`; the lanes are: {}\n",
                names.join(", ")
            ));
        };
        let mut out = format!(
            "{}: {} dated fact{}\n",
            lane.label,
            lane.events.len(),
            plural(lane.events.len())
        );
        // Within a time, what was stated before what the rules made of it.
        let mut events: Vec<_> = lane.events.iter().collect();
        events.sort_by_key(|e| (e.time, !e.stated));
        for event in events {
            let derived = if event.stated { "" } else { "  (derived)" };
            out.push_str(&format!("  {}{derived}\n", event.fact));
        }
        Response::out(out)
    }

    fn set_asof(&mut self, arg: &str) -> Response {
        match arg {
            "" => Response::error("usage: :asof TIME (YYYY, YYYY-MM or YYYY-MM-DD) or :asof off\n"),
            "off" => {
                self.asof = None;
                Response::out("answering with every fact again\n")
            }
            text => match Time::parse(text) {
                Ok(time) => {
                    self.asof = Some((time, self.kb.as_of(time)));
                    Response::out(format!(
                        "answering as of {time}: only facts dated up to it\n"
                    ))
                }
                Err(e) => Response::error(format!("{e}\n")),
            },
        }
    }

    /// The knowledge base questions go to: as of the `:asof` time, or now.
    fn asked(&mut self) -> &mut KnowledgeBase {
        match &mut self.asof {
            Some((_, past)) => past,
            None => &mut self.kb,
        }
    }

    /// The title of pictures: the case's, or the files loaded.
    fn title(&self) -> String {
        if self.with_case && self.loaded.is_empty() {
            timeline::CASE_TITLE.to_string()
        } else if self.loaded.is_empty() {
            "kingdon".to_string()
        } else {
            timeline::title_of(&self.loaded)
        }
    }

    fn timeline(&mut self, arg: &str) -> Response {
        let (from, to) = match timeline::parse_range(arg) {
            Ok(range) => range,
            Err(e) => return Response::error(format!("{e}\nusage: :timeline [FROM..TO]\n")),
        };
        let (width, color) = (self.width, self.color);
        match self.asked().timeline(from, to) {
            Ok(t) => Response::out(kingdon::timeline::text::render(&t, width, color, false)),
            Err(e) => Response::error(self.kb.render(&e, color)),
        }
    }

    fn export(&mut self, arg: &str) -> Response {
        let Some((format, file)) = arg.split_once(char::is_whitespace) else {
            return Response::error("usage: :export json|dot|csv|svg FILE\n");
        };
        let file = file.trim();
        let text = match format {
            "json" => match self.kb.facts(None) {
                Ok(groups) => {
                    let map: serde_json::Map<String, serde_json::Value> = groups
                        .into_iter()
                        .map(|p| (p.pred, serde_json::Value::from(p.facts)))
                        .collect();
                    format!("{}\n", serde_json::Value::Object(map))
                }
                Err(e) => return Response::error(self.kb.render(&e, self.color)),
            },
            "csv" => match self.kb.facts(None) {
                Ok(groups) => groups
                    .into_iter()
                    .flat_map(|kingdon::PredicateFacts { pred: p, facts }| {
                        facts
                            .into_iter()
                            .map(move |f| format!("{p},\"{}\"\n", f.replace('"', "\"\"")))
                    })
                    .collect(),
                Err(e) => return Response::error(self.kb.render(&e, self.color)),
            },
            "dot" => match &self.last_why {
                Some(why) => kingdon::explain::render::why_dot(why),
                None => rules_dot(&self.kb),
            },
            "svg" => {
                let title = self.title();
                match self.asked().timeline(None, None) {
                    Ok(t) => kingdon::timeline::svg::render(&t, &title),
                    Err(e) => return Response::error(self.kb.render(&e, self.color)),
                }
            }
            other => {
                return Response::error(format!(
                    "unknown export format `{other}`: json, dot, csv or svg\n"
                ))
            }
        };
        match kingdon::tabular::write_atomically(std::path::Path::new(file), text.as_bytes()) {
            Ok(()) => Response::out(format!("exported {format} to {file}\n")),
            Err(e) => Response::error(format!("cannot write `{file}`: {e}\n")),
        }
    }

    fn reload(&mut self) -> Response {
        let mut fresh = Session::with_options(self.with_case, self.color, self.options.clone());
        fresh.width = self.width;
        fresh.interrupt = Arc::clone(&self.interrupt);
        fresh.kb.set_limits(self.kb.options().limits.clone());
        let mut response = Response::default();
        for path in &self.loaded {
            if let Err(e) = fresh.kb.load_file(path) {
                return Response::error(fresh.kb.render(&e, self.color));
            }
            response
                .out
                .push_str(&format!("loaded {}\n", path.display()));
        }
        fresh.loaded = std::mem::take(&mut self.loaded);
        *self = fresh;
        response.out.push_str("reloaded\n");
        response
    }

    fn stats(&mut self) -> Response {
        let rules = self.kb.rules(None).len();
        let predicates = self.kb.predicates().len();
        match self.kb.evaluate() {
            Ok(stats) => Response::out(format!(
                "{} facts ({} derived), {rules} rules, {predicates} predicates, {} strata; \
                 last evaluation {:.2} ms, {:.1} KiB\n",
                stats.facts,
                stats.derived,
                stats.strata.len(),
                stats.time.as_secs_f64() * 1000.0,
                stats.memory.total() as f64 / 1024.0
            )),
            Err(e) => Response::error(self.kb.render(&e, self.color)),
        }
    }

    /// Loads a file given on the command line.
    pub fn load(&mut self, path: PathBuf) -> Response {
        let line = format!(":load {}", path.display());
        self.command(&line)
    }
}

/// What a load's result shows: outputs, warnings (but "defined but never used"), errors.
fn report(kb: &KnowledgeBase, result: Result<Report, kingdon::Error>, color: bool) -> Response {
    match result {
        Ok(report) => {
            let (out, mut err) = render_outputs(&report.outputs, Format::Text, false);
            // At a prompt, rules come before the queries that use them: "defined but never
            // used" would greet every rule.
            let warnings: Vec<_> = report
                .warnings
                .into_iter()
                .filter(|d| d.code != kingdon::syntax::Code::UnusedPredicate)
                .collect();
            if !warnings.is_empty() {
                err.push_str(&kingdon::syntax::render_all(&warnings, kb.sources(), color));
            }
            Response {
                out,
                err,
                ..Response::default()
            }
        }
        Err(e) => {
            let mut response = Response::error(kb.render(&e, color));
            if let kingdon::Error::Rejected { partial, .. } = &e {
                response.out = render_outputs(partial, Format::Text, false).0;
            }
            response
        }
    }
}

/// The last `why` an input answered, if any.
fn last_why(result: &Result<Report, kingdon::Error>) -> Option<kingdon::explain::Why> {
    let report = result.as_ref().ok()?;
    report.outputs.iter().rev().find_map(|o| match o {
        kingdon::Output::Why(why) => Some(why.clone()),
        _ => None,
    })
}

/// Whether an input only asks (queries, `why`, `whynot`, `whatif`).
fn asks_only(input: &str) -> bool {
    let (module, diagnostics) =
        kingdon::syntax::parse(input, kingdon::syntax::FileId(0), Default::default());
    diagnostics.is_empty()
        && module.statements.iter().all(|s| {
            matches!(
                s,
                Statement::Query(_)
                    | Statement::Why(_)
                    | Statement::WhyNot(_)
                    | Statement::WhatIf(_)
            )
        })
}

/// The rules as a Graphviz graph: a box per predicate, an edge from each body predicate to
/// the head it supports (dashed through `not`).
fn rules_dot(kb: &KnowledgeBase) -> String {
    let mut out = String::from("digraph rules {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    let mut edges = std::collections::BTreeSet::new();
    for rule in kb.rules(None) {
        let (module, _) =
            kingdon::syntax::parse(&rule.text, kingdon::syntax::FileId(0), Default::default());
        for s in &module.statements {
            if let Statement::Rule(r) = s {
                collect_edges(&r.body, &r.head.pred.name, false, &mut edges);
            }
        }
    }
    for (from, to, negated) in edges {
        let style = if negated {
            " [style=dashed, label=\"not\"]"
        } else {
            ""
        };
        out.push_str(&format!("  \"{from}\" -> \"{to}\"{style};\n"));
    }
    out.push_str("}\n");
    out
}

fn collect_edges(
    body: &[kingdon::syntax::ast::Literal],
    head: &str,
    negated: bool,
    edges: &mut std::collections::BTreeSet<(String, String, bool)>,
) {
    use kingdon::syntax::ast::Literal;
    for l in body {
        match l {
            Literal::Atom(a) => {
                edges.insert((a.pred.name.clone(), head.to_string(), negated));
            }
            Literal::Not(a, _) => {
                edges.insert((a.pred.name.clone(), head.to_string(), true));
            }
            Literal::Aggregate(agg) => collect_edges(&agg.body, head, negated, edges),
            Literal::Or(alternatives, _) => {
                for a in alternatives {
                    collect_edges(a, head, negated, edges);
                }
            }
            Literal::Compare(_) => {}
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The help text: the overview, or one topic.
pub fn help(topic: &str) -> String {
    let topic = topic.trim_start_matches(':');
    match topic {
        "" => {
            let mut out = String::from(
                "Type statements of the rule language, ending with `.` (a query may end with `?`):\n  \
                 a fact      ties(china, kazakhstan) @ 1992 note \"…\" source \"…\".\n  \
                 a rule      window(A) :- ties(A, B), complementary(A, B).\n  \
                 a query     policy_change(C) @ T, T < 2010?\n  \
                 explain     why policy_change(management_agreement).   whynot …   whatif retract … show ….\n\
                 A statement may span lines; an empty line cancels an unfinished one.\n\nCommands:\n",
            );
            for (name, text) in COMMANDS {
                out.push_str(&format!("  {name} {text}\n"));
            }
            out.push_str(
                "\nTopics: :help case, :help language, :help msf, :help why, :help COMMAND\n",
            );
            out
        }
        "case" => "The Horgos case (rules/horgos.msf), from Shi et al. (2024). Try:\n  \
                   policy_change(C) @ T?  the twelve changes, 1962 to 2023\n  \
                   problem_level(L) @ T?  nothing, something, complexity\n  \
                   why policy_change(management_agreement).  the causal story of 2005-07\n  \
                   whynot policy_change(port_reopening) @ 1970.  no reopening yet in 1970\n  \
                   whynot problem(location_unused) @ 1970.  why nothing changed before 1983\n  \
                   whatif retract dissolution(ussr) show policy_change.  no Soviet collapse, no center\n  \
                   :asof 2004  the case as it stood in 2004\n  \
                   :timeline 2000..2015  the streams in the years of the center\n"
            .to_string(),
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
             rules/msf.msf states it: problem/1 (from indicators, focusing events, feedback,\n\
             framed conditions), viable/1, receptive/1, problem_window/1, political_window/1,\n\
             coupled/1, policy_change/1, stage/1, problem_level/1.\n\
             Try: ?- problem_level(L) @ T.   why policy_change(cooperation_center_initiative).\n"
            .to_string(),
        "why" | "whynot" | "whatif" => {
            "why ATOM [@ TIME] [depth N].     the proof of each matching fact\n\
             whynot ATOM [@ TIME].            the condition each rule fails on\n\
             whatif retract|assert FACT, … [show PRED, …].   what would be gained and lost\n\
             Try: whatif retract dissolution(ussr) show policy_change.\n"
                .to_string()
        }
        other => match COMMANDS
            .iter()
            .find(|(c, _)| c.trim_start_matches(':') == other)
        {
            Some((name, text)) => format!("{name} {text}\n"),
            None => format!("no help on `{other}`; :help lists the topics\n"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::new(true, false)
    }

    #[test]
    fn a_query_on_the_case_answers_in_time_order() {
        let mut s = session();
        let r = s.handle("policy_change(C) @ T, T < 2004?");
        assert_eq!(
            r.out,
            "C = port_decline, T = 1962\nC = port_reopening, T = 1983\nC = cooperation_center_initiative, T = 2003\n"
        );
        assert!(!r.failed);
    }

    #[test]
    fn every_statement_kind_acts() {
        let mut s = Session::new(false, false);
        assert_eq!(s.handle("edge(a, b). edge(b, c).").out, "");
        assert_eq!(
            s.handle("path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).")
                .out,
            ""
        );
        assert_eq!(s.handle("?- path(a, X).").out, "X = b\nX = c\n");
        assert!(s
            .handle("why path(a, c).")
            .out
            .starts_with("path(a, c)  ⇐ rule path (<input 2>:2)\n"));
        assert!(s
            .handle("whynot path(c, a).")
            .out
            .starts_with("path(c, a) does not hold.\n"));
        assert_eq!(
            s.handle("whatif retract edge(b, c) show path.").out,
            "path: 2 would no longer hold\n  - path(a, c)\n  - path(b, c)\n"
        );
        assert_eq!(s.handle("retract edge(b, c).").out, "");
        assert_eq!(s.handle("path(a, X)?").out, "X = b\n");
    }

    #[test]
    fn an_error_leaves_the_knowledge_base_as_it_was() {
        let mut s = Session::new(false, false);
        s.handle("p(1).");
        let r = s.handle("p(2).\nq(X) :- p(X, Y).");
        assert!(r.failed);
        assert!(
            r.err
                .starts_with("<input 2>:2:9: error[E101]: arity mismatch: `p` has 2 arguments here but 1 argument at <input 1>:1:1\n"),
            "{}",
            r.err
        );
        assert_eq!(s.handle("p(X)?").out, "X = 1\n");
    }

    #[test]
    fn an_interrupted_evaluation_keeps_the_knowledge_base_as_it_was() {
        let mut s = Session::new(false, false);
        s.handle("n(0). stop(100000000).");
        let before = s.handle(":facts").out;
        let interrupt = s.interrupter();
        let raiser = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            interrupt.store(true, Ordering::SeqCst);
        });
        let started = std::time::Instant::now();
        let r = s.handle("n(X + 1) :- n(X), stop(S), X < S.\nn(X)?");
        raiser.join().expect("the raiser ran");
        assert!(r.failed, "{r:?}");
        assert!(
            r.err.contains("error[E205]: evaluation interrupted"),
            "{}",
            r.err
        );
        assert!(
            r.err.contains("nothing of this input was kept"),
            "{}",
            r.err
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        assert_eq!(s.handle(":facts").out, before);
        assert_eq!(s.handle(":rules").out, "no rules\n");
        // The next input runs as usual: the flag is lowered before it.
        assert_eq!(s.handle("n(X)?").out, "X = 0\n");
    }

    #[test]
    fn the_case_topic_lists_demonstrations_that_work() {
        let mut s = session();
        let help = s.handle(":help case").out;
        let demos: Vec<&str> = help
            .lines()
            .skip(1)
            .map(|l| l.trim().split("  ").next().unwrap_or(""))
            .collect();
        assert_eq!(demos.len(), 8);
        for demo in demos {
            let r = s.handle(demo);
            assert!(!r.failed && !r.out.is_empty(), "{demo}: {r:?}");
        }
        assert!(
            s.handle("why policy_change(management_agreement).")
                .out
                .contains("does not hold"),
            "as of 2004"
        );
        s.handle(":asof off");
        assert!(s
            .handle("why policy_change(management_agreement).")
            .out
            .contains("dissolution(ussr) @ 1991-12-25"));
    }

    #[test]
    fn files_at_the_prompt_include_input_output_and_lanes() {
        let dir = std::env::temp_dir().join(format!("kingdon-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp folder");
        std::fs::write(dir.join("rules.msf"), "path(X, Y) :- edge(X, Y).\n").expect("writable");
        std::fs::write(dir.join("edges.csv"), "a,b\nb,c\n").expect("writable");
        let mut s = Session::new(false, false);
        let at = |f: &str| dir.join(f).display().to_string();
        assert!(
            !s.handle(&format!("include \"{}\".", at("rules.msf")))
                .failed
        );
        assert!(
            !s.handle(&format!("input edge/2 from \"{}\".", at("edges.csv")))
                .failed
        );
        assert_eq!(s.handle("path(a, X)?").out, "X = b\n");
        assert!(
            !s.handle(&format!("output path to \"{}\".", at("path.csv")))
                .failed
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("path.csv")).expect("written"),
            "a,b\nb,c\n"
        );
        assert!(!s.handle("stream graph \"Graph\": edge/2, path/2.").failed);
        assert_eq!(s.handle(":lanes").out, "graph \"Graph\": edge/2, path/2\n");
        let r = s.handle(&format!("input edge/2 from \"{}\".", at("missing.csv")));
        assert!(r.failed && r.err.contains("error[E301]"), "{}", r.err);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn colon_commands() {
        let mut s = session();
        assert!(s.handle(":help").out.contains(":load FILE"));
        assert_eq!(
            s.handle(":help asof").out,
            ":asof TIME | off  answer as of TIME, with only the facts dated up to it (:asof 2004)\n"
        );
        assert!(s
            .handle(":facts stage")
            .out
            .starts_with("stage: 10 facts\n  stage(initiative) @ 2003\n"));
        assert!(s.handle(":rules stage").out.starts_with("% rules/msf.msf:"));
        assert!(s
            .handle(":lanes")
            .out
            .starts_with("problem \"Problem stream\": indicator/3"));
        assert!(s.handle(":stats").out.contains(" rules, "));
        assert!(s
            .handle(":lanes change")
            .out
            .starts_with("Policy change: 46 dated facts\n  enacted(port_decline) @ 1962\n"));
        assert_eq!(
            s.handle(":lanes streams").err,
            "no lane `streams`; the lanes are: problem, policy, politics, window, change\n"
        );
        let r = s.handle(":lood x");
        assert!(r.failed);
        assert_eq!(
            r.err,
            "unknown command `:lood` (did you mean `:load`?); :help lists the commands\n"
        );
        assert!(s.handle(":quit").quit);
        assert_eq!(s.handle(":fac stage").out, s.handle(":facts stage").out);
        assert_eq!(
            s.handle(":re").err,
            "`:re` could be :reload or :reset; type more of it\n"
        );
        assert_eq!(s.handle(":reset").out, "the knowledge base is empty\n");
        assert_eq!(s.handle(":facts").out, "no facts\n");
    }

    #[test]
    fn reload_starts_again_from_what_was_loaded() {
        let dir = std::env::temp_dir().join(format!("kingdon-reload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp folder");
        let file = dir.join("extra.msf");
        std::fs::write(&file, "extra(a).\n").expect("writable");
        let mut s = Session::new(false, false);
        assert!(!s.handle(&format!(":load {}", file.display())).failed);
        s.handle("typed(b).");
        std::fs::write(&file, "extra(a). extra(c).\n").expect("writable");
        let r = s.handle(":reload");
        assert_eq!(r.out, format!("loaded {}\nreloaded\n", file.display()));
        assert_eq!(
            s.handle(":facts").out,
            "extra: 2 facts\n  extra(a)\n  extra(c)\n"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn asof_answers_with_the_facts_of_then() {
        let mut s = session();
        assert_eq!(
            s.handle(":asof 2004").out,
            "answering as of 2004: only facts dated up to it\n"
        );
        assert_eq!(s.asof().map(|t| t.to_string()).as_deref(), Some("2004"));
        let r = s.handle("policy_change(C) @ T, T > 2000?");
        assert_eq!(r.out, "C = cooperation_center_initiative, T = 2003\nC = framework_agreement_signed, T = 2004\n");
        assert_eq!(
            s.handle(":asof off").out,
            "answering with every fact again\n"
        );
        assert_eq!(
            s.handle("policy_change(C) @ T, T > 2014?").out,
            "C = vat_circular, T = 2015-01\nC = customs_revision, T = 2023\n"
        );
        assert!(s.handle(":asof 2005-13").failed);
    }

    #[test]
    fn save_writes_a_file_that_loads_back_the_same() {
        let dir = std::env::temp_dir().join(format!("kingdon-save-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp folder");
        let file = dir.join("saved.msf");
        let mut s = session();
        s.handle("extra(fact) @ 2024 note \"typed at the prompt\".");
        assert_eq!(
            s.handle(&format!(":save {}", file.display())).out,
            format!("saved to {}\n", file.display())
        );
        let mut again = Session::new(false, false);
        assert!(!again.handle(&format!(":load {}", file.display())).failed);
        // The same facts (predicates may come in another order: the order they were named).
        let lines = |text: String| {
            text.lines()
                .map(str::to_string)
                .collect::<std::collections::BTreeSet<_>>()
        };
        let before = lines(s.handle(":facts").out);
        assert_eq!(lines(again.handle(":facts").out), before);
        assert!(before.contains("  extra(fact) @ 2024"));
        assert_eq!(
            again.handle("why extra(fact).").out.lines().nth(1),
            Some("   “typed at the prompt”")
        );
        let exported = dir.join("facts.json");
        assert!(s
            .handle(&format!(":export json {}", exported.display()))
            .out
            .starts_with("exported json"));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&exported).expect("written"))
                .expect("JSON");
        assert_eq!(json["stage"][0], "stage(initiative) @ 2003");
        assert!(s
            .handle(&format!(":export dot {}", dir.join("rules.dot").display()))
            .out
            .starts_with("exported dot"));
        let rules = std::fs::read_to_string(dir.join("rules.dot")).expect("written");
        assert!(rules.starts_with("digraph rules"), "{rules}");
        s.handle("why policy_change(management_agreement).");
        s.handle(&format!(":export dot {}", dir.join("why.dot").display()));
        let why = std::fs::read_to_string(dir.join("why.dot")).expect("written");
        assert!(why.starts_with("digraph why"), "{why}");
        assert!(
            why.contains("policy_change(management_agreement) @ 2005-07\\nrule change_happens\", fillcolor=\"#f5e4c8\""),
            "the change lane's colour: {why}"
        );
        s.handle(&format!(":export svg {}", dir.join("t.svg").display()));
        let svg = std::fs::read_to_string(dir.join("t.svg")).expect("written");
        assert!(svg.contains(super::timeline::CASE_TITLE));
        assert!(s
            .handle(":export png x.png")
            .err
            .contains("json, dot, csv or svg"));
        assert!(s.handle(":save /no/such/folder/x.msf").failed);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn every_exercise_loads_over_the_bundled_case() {
        // The exercises include `../horgos.msf`, which the REPL already holds, bundled: it is
        // read once, whatever folder kingdon runs from.
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/exercises");
        let mut names: Vec<_> = std::fs::read_dir(&folder)
            .expect("the exercises")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".solution.msf"))
            .collect();
        names.sort();
        assert_eq!(names.len(), 6);
        for path in names {
            let mut s = session();
            let r = s.handle(&format!(":load {}", path.display()));
            assert!(!r.failed, "{}: {}", path.display(), r.err);
            assert!(r.out.ends_with(&format!("loaded {}\n", path.display())));
            // The case's twelve changes, once each (an exercise may add its own).
            assert!(s.handle("policy_change(C)?").out.lines().count() >= 12);
            let rules = s.handle(":rules policy_change").out;
            assert_eq!(rules.lines().filter(|l| l.starts_with("% ")).count(), 1);
        }
    }

    #[test]
    fn a_failing_load_loads_nothing() {
        let dir = std::env::temp_dir().join(format!("kingdon-session-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp folder");
        let file = dir.join("broken.msf");
        std::fs::write(&file, "a(1).\nb(2).\nc(X) :- a(1).\n").expect("writable");
        let mut s = Session::new(false, false);
        let r = s.handle(&format!(":load {}", file.display()));
        assert!(r.failed);
        assert!(r.err.contains("error[E104]"), "{}", r.err);
        assert_eq!(s.handle(":facts").out, "no facts\n");
        std::fs::remove_dir_all(&dir).ok();
    }
}
