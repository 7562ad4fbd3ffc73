//! The headless REPL: a line (or several) in, text out, no terminal. It holds the knowledge
//! base, runs statements and colon commands, and remembers what was loaded for `:reload`.
//! The rustyline front end (`repl.rs`) and the piped-stdin mode are thin layers over it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::syntax::ast::Statement;
use crate::timeline::svg;
use crate::value::Time;
use crate::{KnowledgeBase, Report};

use super::answers::{render_outputs, Format, Look};
use super::commands::{self, Command, Response};
use super::export;
use super::help::{banner, help};
use super::output;
use super::timeline;

pub use batch::states_only;

/// The theory and the case, bundled so that the REPL works from any folder.
use crate::HORGOS_CASE as CASE;

/// How many levels below the fact a tree shows, without `depth`, at a prompt.
const PROMPT_DEPTH: u32 = 4;

/// The colon commands: name, aliases, usage, help, handler.
pub const COMMANDS: &[Command<Session>] = &[
    Command {
        name: ":help",
        aliases: &[":h", ":?"],
        usage: "[topic]",
        help: "this help, or help on a topic: case, language, msf, why, or a command (:help asof)",
        run: |s, arg| {
            let verdicts = s.verdicts();
            Response::out(help(arg, COMMANDS, s.with_case, verdicts.as_deref()))
        },
    },
    Command {
        name: ":load",
        aliases: &[],
        usage: "FILE",
        help: "load a .msf file; its statements run in order (:load rules/exercises/01_political_window.msf)",
        run: Session::load_command,
    },
    Command {
        name: ":reload",
        aliases: &[],
        usage: "",
        help: "start again from what was loaded: the case and every :load",
        run: |s, _| s.reload(),
    },
    Command {
        name: ":reset",
        aliases: &[],
        usage: "",
        help: "empty the knowledge base",
        run: |s, _| s.reset(),
    },
    Command {
        name: ":facts",
        aliases: &[],
        usage: "[PRED]",
        help: "the facts, stated and derived, in time order (:facts policy_change)",
        run: Session::facts,
    },
    Command {
        name: ":rules",
        aliases: &[],
        usage: "[PRED]",
        help: "the rules, with where they are written (:rules coupled)",
        run: Session::rules,
    },
    Command {
        name: ":lanes",
        aliases: &[],
        usage: "[LANE]",
        help: "the streams (lanes) and their predicates; with a lane, its dated facts in time order (:lanes politics)",
        run: Session::lanes,
    },
    Command {
        name: ":asof",
        aliases: &[],
        usage: "TIME | off",
        help: "answer as of TIME, with only the facts dated up to it (:asof 2004)",
        run: Session::set_asof,
    },
    Command {
        name: ":save",
        aliases: &[],
        usage: "FILE",
        help: "the facts and rules as a .msf file that loads back the same (:save my_case.msf)",
        run: Session::save,
    },
    Command {
        name: ":robustness",
        aliases: &[],
        usage: "",
        help: "how each verdict fares without each assumption and across the theory's parameters",
        run: Session::robustness,
    },
    Command {
        name: ":timeline",
        aliases: &[],
        usage: "[FROM..TO]",
        help: "the streams over time, one row per lane (:timeline 2000..2015)",
        run: Session::timeline,
    },
    Command {
        name: ":export",
        aliases: &[],
        usage: "json|csv|tsv|dot|svg FILE",
        help: "all facts as JSON, or as a table (CSV, TSV: a column per argument and the time); as DOT the proof of the last `why` (the rules' graph before any); the timeline as SVG (:export svg horgos.svg)",
        run: Session::export,
    },
    Command {
        name: ":stats",
        aliases: &[],
        usage: "",
        help: "facts, rules, strata, and the time of the last evaluation",
        run: |s, _| s.stats(),
    },
    Command {
        name: ":quit",
        aliases: &[":q", ":exit"],
        usage: "",
        help: "leave (Ctrl-D does too)",
        run: |_, _| Response {
            quit: true,
            ..Response::default()
        },
    },
];

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
    last_why: Option<crate::explain::Why>,
    /// Raised (by Ctrl-C) to stop the evaluation under way; lowered before each input.
    interrupt: Arc<AtomicBool>,
    /// The limits every knowledge base of the session gets (`:reset` and `:reload` too).
    options: crate::Options,
    /// How many statement inputs were typed: each is named `<input N>` in messages, so that
    /// one input's message can point at another.
    inputs: usize,
    /// How answers and explanations print (`--format`; text by default).
    format: Format,
}

/// An empty knowledge base with these options whose evaluations stop when `interrupt` is
/// raised.
fn interruptible(options: &crate::Options, interrupt: &Arc<AtomicBool>) -> KnowledgeBase {
    let mut options = options.clone();
    options.limits.cancel = Some(Arc::clone(interrupt));
    // An input may be taken back after its load (its evaluation runs out): its files are
    // written once it is kept (`Session::change`), as the library leaves them by default.
    KnowledgeBase::with_options(options)
}

impl Session {
    /// A session with the bundled theory and case loaded (or an empty one), default limits.
    #[cfg(test)]
    pub fn new(with_case: bool, color: bool) -> Session {
        Session::with_options(with_case, color, crate::Options::default())
    }

    /// A session whose knowledge bases have these limits.
    pub fn with_options(with_case: bool, color: bool, options: crate::Options) -> Session {
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
            format: Format::Text,
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

    /// Sets how answers and explanations print (`--format`).
    pub fn set_format(&mut self, format: Format) {
        self.format = format;
    }

    /// The knowledge base (for completion).
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// One screen saying what is loaded and what to try.
    pub fn banner(&mut self) -> String {
        let loaded: Vec<String> = self
            .loaded
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let size = (self.kb.rules(None).len(), self.kb.predicates().len());
        let verdicts = self.verdicts();
        let text = banner(self.with_case, &loaded, size, verdicts.as_deref());
        output::fit(&text, self.width)
    }

    /// The theory's verdicts in one paragraph, when the rules load it and evaluate.
    fn verdicts(&mut self) -> Option<String> {
        let verdicts = crate::Verdicts::of(&mut self.kb).ok().flatten()?;
        Some(verdicts.summary())
    }

    /// The flag that interrupts the evaluation under way (Ctrl-C raises it); an interrupted
    /// input keeps nothing, and the knowledge base is as it was before it.
    pub fn interrupter(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.interrupt)
    }

    /// Runs an input: a colon command, or statements of the language.
    pub fn handle(&mut self, input: &str) -> Response {
        let response = self.answer(input);
        self.fitted(response)
    }

    /// Messages, help and answers fit the terminal, words whole; answers in a format for
    /// programs (JSON, TSV, CSV, DOT) are printed as they are: a JSON document is one line.
    fn fitted(&self, mut response: Response) -> Response {
        if matches!(self.format, Format::Text | Format::Narrative) {
            response.out = output::fit(&response.out, self.width);
        }
        response.before = output::fit(&response.before, self.width);
        response.err = output::fit(&response.err, self.width);
        response
    }

    /// What one input answers, before it is fitted to the width.
    fn answer(&mut self, input: &str) -> Response {
        self.interrupt.store(false, Ordering::SeqCst);
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Response::default();
        }
        if trimmed.starts_with(':') {
            return self.command(trimmed);
        }
        if let Some(command) = bare_command(trimmed) {
            let mut response = self.command(command);
            response.err.insert_str(
                0,
                &format!("(commands start with `:`: this is {command})\n"),
            );
            return response;
        }
        self.inputs += 1;
        let name = format!("<input {}>", self.inputs);
        // With `:asof`, questions go to the knowledge base as it was; anything that states
        // goes to the real one (and the past is taken again from it).
        if asks_only(input) {
            let (color, width, format) = (self.color, self.width, self.format);
            let asked = self.asked();
            let result = asked.load_str(&name, input);
            let why = last_why(&result);
            let response = report(asked, result, color, width, format);
            if why.is_some() {
                self.last_why = why;
            }
            return response;
        }
        self.change(|kb| kb.load_str(&name, input)).0
    }

    /// Runs an input that states facts or rules as one transaction, its evaluation included:
    /// an input whose rules cannot be evaluated (a limit, an interrupt) is taken back whole,
    /// rules and all, so that every later question still answers. Returns what to show and
    /// whether the input was kept.
    fn change(
        &mut self,
        load: impl FnOnce(&mut KnowledgeBase) -> Result<Report, crate::Error>,
    ) -> (Response, bool) {
        let before = self.kb.clone();
        // The files of its `output` statements are written last, once nothing else can
        // take the input back.
        let (result, evaluation_failed) = match load(&mut self.kb) {
            Ok(report) => match self.kb.evaluate() {
                Ok(_) => (self.kb.write_outputs().map(|()| report), false),
                Err(e) => (Err(e), true),
            },
            Err(e) => (Err(e), false),
        };
        let kept = result.is_ok();
        let mut response = self.report(result);
        if !kept {
            // The error is rendered: its texts are not needed any more.
            self.kb = before;
        }
        if evaluation_failed {
            response
                .err
                .push_str("nothing of this input was kept: its facts and rules are taken back\n");
        }
        self.refresh_asof();
        (response, kept)
    }

    /// Takes the `:asof` view again from the knowledge base as it is now.
    fn refresh_asof(&mut self) {
        if let Some((time, _)) = self.asof {
            self.asof = Some((time, self.kb.as_of(time)));
        }
    }

    /// The prompt, showing the `:asof` time when one is set.
    pub fn prompt(&self, color: bool) -> String {
        let tag = self.asof().map(|t| format!("@{t}")).unwrap_or_default();
        if color {
            format!("\x1b[1;34mkingdon{tag}>\x1b[0m ")
        } else {
            format!("kingdon{tag}> ")
        }
    }

    /// The time `:asof` answers at, for the prompt.
    pub fn asof(&self) -> Option<Time> {
        self.asof.as_ref().map(|(t, _)| *t)
    }

    fn report(&mut self, result: Result<Report, crate::Error>) -> Response {
        if let Some(why) = last_why(&result) {
            self.last_why = Some(why);
        }
        report(&self.kb, result, self.color, self.width, self.format)
    }

    fn command(&mut self, line: &str) -> Response {
        let (name, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        match commands::find(COMMANDS, name) {
            Ok(command) => (command.run)(self, arg.trim()),
            Err(response) => response,
        }
    }

    /// Empties the knowledge base; `:reload` brings back the start (the case and every
    /// `:load`).
    fn reset(&mut self) -> Response {
        self.kb = interruptible(&self.options, &self.interrupt);
        self.refresh_asof();
        Response::out("the knowledge base is empty (:reload brings back what was loaded)\n")
    }

    /// The facts, as of the `:asof` time when one is set.
    fn facts(&mut self, arg: &str) -> Response {
        let color = self.color;
        let kb = self.asked();
        match kb.facts((!arg.is_empty()).then_some(arg)) {
            Ok(groups) if groups.is_empty() => Response::out(if arg.is_empty() {
                "no facts\n".to_string()
            } else {
                format!("no facts of `{arg}`\n")
            }),
            Ok(groups) => {
                let mut out = String::new();
                for crate::PredicateFacts { pred, facts } in groups {
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
            Err(e) => Response::error(kb.render(&e, color)),
        }
    }

    fn rules(&mut self, arg: &str) -> Response {
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

    fn lanes(&mut self, arg: &str) -> Response {
        if !arg.is_empty() {
            return self.lane(arg);
        }
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
            // `@2006` as the language writes a year as a time elsewhere.
            text => match Time::parse(text.strip_prefix('@').unwrap_or(text)) {
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

    fn robustness(&mut self, _: &str) -> Response {
        match crate::robustness::study(&mut self.kb) {
            Ok(Some(study)) => Response::out(super::robustness::text(&study, self.width)),
            Ok(None) => Response::error(
                "these rules do not derive `policy_change`: there is no verdict of the theory to study\n",
            ),
            Err(e) => Response::error(self.kb.render(&e, self.color)),
        }
    }

    fn timeline(&mut self, arg: &str) -> Response {
        let (from, to) = match timeline::parse_range(arg) {
            Ok(range) => range,
            Err(e) => return Response::error(format!("{e}\nusage: :timeline [FROM..TO]\n")),
        };
        let (width, color) = (self.width, self.color);
        match self.asked().timeline(from, to) {
            Ok(t) => Response::out(crate::timeline::text::render(
                &t.streams_only(),
                width,
                color,
                false,
            )),
            Err(e) => Response::error(self.kb.render(&e, color)),
        }
    }

    fn export(&mut self, arg: &str) -> Response {
        let Some((format, file)) = arg.split_once(char::is_whitespace) else {
            return Response::error("usage: :export json|csv|tsv|dot|svg FILE\n");
        };
        let file = file.trim();
        let text = match format {
            "json" => export::facts_json(&mut self.kb),
            "csv" => export::facts_table(&mut self.kb, b','),
            "tsv" => export::facts_table(&mut self.kb, b'\t'),
            "dot" => Ok(match &self.last_why {
                Some(why) => crate::explain::render::why_dot(why),
                None => self.kb.rules_dot(),
            }),
            "svg" => {
                let title = self.title();
                self.asked()
                    .timeline(None, None)
                    .map(|t| svg::render(&t.streams_only(), &title, svg::Size::Page))
            }
            other => {
                return Response::error(format!(
                    "unknown export format `{other}`: json, csv, tsv, dot or svg\n"
                ))
            }
        };
        let text = match text {
            Ok(text) => text,
            Err(e) => return Response::error(self.kb.render(&e, self.color)),
        };
        match crate::files::write(std::path::Path::new(file), text.as_bytes()) {
            Ok(()) => Response::out(format!("exported {format} to {file}\n")),
            Err(e) => Response::error(format!("cannot write `{file}`: {e}\n")),
        }
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
}

/// The colon command a bare word stands for, when a student leaves out the colon: `help`,
/// `quit`, `exit`.
pub fn bare_command(input: &str) -> Option<&'static str> {
    match input {
        "help" | "?" => Some(":help"),
        "quit" | "exit" => Some(":quit"),
        _ => None,
    }
}

/// What a load's result shows: outputs, warnings (but "defined but never used"), errors.
fn report(
    kb: &KnowledgeBase,
    result: Result<Report, crate::Error>,
    color: bool,
    width: usize,
    format: Format,
) -> Response {
    // At a prompt a `why` tree shows a few levels, and says how to see more.
    let look = Look {
        format,
        ascii: false,
        width,
        depth: Some(PROMPT_DEPTH),
        echo: false,
    };
    match result {
        Ok(report) => {
            let (out, err, refused) = render_outputs(&report.outputs, &look);
            // At a prompt, rules come before the queries that use them: "defined but never
            // used" would greet every rule.
            let warnings: Vec<_> = report
                .warnings
                .into_iter()
                .filter(|d| d.code != crate::syntax::Code::UnusedPredicate)
                .collect();
            Response {
                before: crate::syntax::render_all(&warnings, kb.sources(), color),
                out,
                err,
                failed: refused,
                ..Response::default()
            }
        }
        Err(e) => {
            let mut response = Response::error(kb.render(&e, color));
            if let crate::Error::Rejected { partial, .. } = &e {
                let (out, err, _) = render_outputs(partial, &look);
                response.out = out;
                response.err.insert_str(0, &err);
            }
            response
        }
    }
}

/// The last `why` an input answered, if any.
fn last_why(result: &Result<Report, crate::Error>) -> Option<crate::explain::Why> {
    let report = result.as_ref().ok()?;
    report.outputs.iter().rev().find_map(|o| match o {
        crate::Output::Why(why) => Some(why.clone()),
        _ => None,
    })
}

/// Whether an input only asks (queries, `why`, `whynot`, `whatif`).
fn asks_only(input: &str) -> bool {
    let (module, diagnostics) =
        crate::syntax::parse(input, crate::syntax::FileId(0), Default::default());
    diagnostics.is_empty() && module.statements.iter().all(Statement::only_asks)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

mod batch;
mod loading;
mod saving;
#[cfg(test)]
mod tests;
