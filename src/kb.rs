//! The facade: [`KnowledgeBase`], the one type embedders use. It loads programs
//! transactionally (an input with any error leaves it exactly as it was), and answers typed
//! questions — `query`, `why`, `whynot`, `whatif`, `retract` — each parsed as exactly one
//! statement and run with no trace left behind.

use std::path::Path;

use crate::eval::{Const, EvalStats, PredicateId, RuleId};
use crate::explain::{WhatIf, Why, WhyNot};
use crate::interpret::{self, Output};
use crate::load::{load_files_into, load_text_into, Loaded, ReadError};
use crate::store::{
    Answers, Assumption, Document, Fact, Lane, Options, Predicate, PredicateFacts, Retraction,
    Store,
};
use crate::syntax::ast::Statement;
use crate::syntax::{Code, Diagnostic, SourceMap, Span};
use crate::timeline::Timeline;
use crate::value::Time;

/// What a load produced: the outputs of its statements, in order, and the warnings about it.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// One entry per printing statement.
    pub outputs: Vec<Output>,
    /// Lint warnings about the input.
    pub warnings: Vec<Diagnostic>,
}

/// Why an input was refused. The knowledge base is as it was before the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Errors in the input (syntax, checks, evaluation), each with its place; render them
    /// with [`KnowledgeBase::render`], which shows where. Displayed, it is the first error's
    /// code and message, and how many more there are.
    #[error("{}", summary(diagnostics))]
    Rejected {
        /// The errors.
        diagnostics: Vec<Diagnostic>,
        /// Outputs of the statements that ran before the failing one (a script prints them).
        partial: Vec<Output>,
    },
    /// A file named to load could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A fact given as data to [`KnowledgeBase::insert`] that the language cannot state: a
    /// name that is not a name, a time as an argument.
    #[error("{0}")]
    Data(String),
}

/// The first diagnostic's code and message, and how many more there are: what an error shows
/// without the texts its places point into.
fn summary(diagnostics: &[Diagnostic]) -> String {
    let Some(first) = diagnostics.first() else {
        return "the input was refused".to_string();
    };
    let more = match diagnostics.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more error)".to_string(),
        n => format!(" (and {n} more errors)"),
    };
    format!("error[{}]: {}{more}", first.code.as_str(), first.message)
}

impl Error {
    pub(crate) fn one(diagnostic: Diagnostic) -> Error {
        Error::Rejected {
            diagnostics: vec![diagnostic],
            partial: Vec::new(),
        }
    }
}

/// A rule as loaded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RuleText {
    /// `file:line` where it was stated.
    pub at: String,
    /// The rule in the canonical spelling.
    pub text: String,
}

/// A knowledge base: rules, base facts, and (computed on demand) everything they imply.
///
/// ```
/// use kingdon::KnowledgeBase;
///
/// let mut kb = KnowledgeBase::new();
/// kb.load_str("<example>", "
///     edge(a, b). edge(b, c).
///     path(X, Y) :- edge(X, Y).
///     path(X, Z) :- path(X, Y), edge(Y, Z).
/// ").expect("a valid program");
/// let answers = kb.query("path(a, X)?").expect("a valid query");
/// let shown: Vec<String> = answers.rows.iter().map(|r| r[0].as_ref().unwrap().to_string()).collect();
/// assert_eq!(shown, ["b", "c"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct KnowledgeBase {
    pub(crate) store: Store,
    /// Where the text of the last typed question that failed begins among the sources: it
    /// stays, for rendering that question's error, until the next typed question.
    failed_question: Option<usize>,
}

impl KnowledgeBase {
    /// An empty knowledge base with default limits.
    pub fn new() -> KnowledgeBase {
        KnowledgeBase::default()
    }

    /// An empty knowledge base with the given options (limits, parsing, outputs).
    pub fn with_options(options: Options) -> KnowledgeBase {
        KnowledgeBase {
            store: Store::new(options),
            failed_question: None,
        }
    }

    /// The options in force (limits as last set, parsing, outputs).
    pub fn options(&self) -> &Options {
        self.store.options()
    }

    /// Changes the evaluation limits (the cancellation flag, say) for later statements.
    pub fn set_limits(&mut self, limits: crate::eval::Limits) {
        self.store.set_limits(limits);
    }

    /// Every text loaded, for rendering diagnostics.
    pub fn sources(&self) -> &SourceMap {
        &self.store.stated().sources
    }

    /// Renders an error's diagnostics (or its read failure) for a person.
    pub fn render(&self, error: &Error, color: bool) -> String {
        match error {
            Error::Rejected { diagnostics, .. } => {
                crate::syntax::render_all(diagnostics, self.sources(), color)
            }
            Error::Read(e) => format!("{}\n", crate::value::shown(&e.to_string())),
            Error::Data(message) => format!("error: {message}\n"),
        }
    }

    /// Loads a program text: checks it as part of everything loaded before, then runs its
    /// statements in order. On any error nothing of the text is kept.
    pub fn load_str(&mut self, name: &str, text: &str) -> Result<Report, Error> {
        self.check_size(name, text)?;
        let options = self.store.options().parse;
        self.transaction(|sources| Ok(load_text_into(sources, name, text, options)))
    }

    /// Loads several program texts as one input, in order, each under its own name (as a
    /// diagnostic shows it): one check, one transaction, whatever their number.
    pub fn load_strs(&mut self, texts: &[(&str, &str)]) -> Result<Report, Error> {
        for (name, text) in texts {
            self.check_size(name, text)?;
        }
        let options = self.store.options().parse;
        self.transaction(|sources| Ok(crate::load::load_texts_into(sources, texts, options)))
    }

    /// Writes the files of the `output` statements loaded so far, now that the caller keeps
    /// the input (until then an input taken back writes nothing). With
    /// [`Options::write_on_load`] they were written when each load succeeded.
    pub fn write_outputs(&mut self) -> Result<(), Error> {
        self.store.write_pending().map_err(Error::one)
    }

    /// Loads a `.msf` file (its includes relative to it), as [`KnowledgeBase::load_str`].
    pub fn load_file(&mut self, path: impl AsRef<Path>) -> Result<Report, Error> {
        let options = self.store.options().parse;
        let path = path.as_ref().to_path_buf();
        let cancel = self.store.options().limits.cancel.clone();
        self.transaction(|sources| load_files_into(sources, &[path], options, cancel.as_ref()))
    }

    /// Loads programs given as `(path, text)` pairs (such as [`crate::HORGOS_CASE`]) as one
    /// input; includes between them use the given texts, so this works from any directory.
    pub fn load_bundle(&mut self, files: &[(&str, &str)]) -> Result<Report, Error> {
        let options = self.store.options().parse;
        self.transaction(|sources| Ok(crate::load::load_bundle_into(sources, files, options)))
    }

    /// Answers one query (`p(X) @ T, T < 2010`, with or without `?-`, `?` or `.`). Anything
    /// but exactly one query is an error; the knowledge base is not changed.
    pub fn query(&mut self, query: &str) -> Result<Answers, Error> {
        let text = self.query_text(query);
        self.ask(
            "<query>",
            &text,
            "a query",
            |s| matches!(s, Statement::Query(_)),
            |output| match output {
                Output::Answers { answers, .. } => Some(answers),
                _ => None,
            },
        )
    }

    /// Explains the facts an atom pattern matches (`policy_change(C) @ T`): their proofs.
    /// What follows the pattern in the language's `why` statement may follow it here too
    /// (`depth 2`, `brief`: they set [`Why::depth`] and [`Why::brief`]). The text is read as
    /// the statement `why PATTERN.` (a leading `why` is taken as that one): an error's span
    /// points into that statement, which [`KnowledgeBase::render`] shows. A question that
    /// succeeds leaves no trace; the text of the last one that failed stays, for rendering
    /// its error, until the next question.
    pub fn why(&mut self, pattern: &str) -> Result<Why, Error> {
        let text = self.after_keyword("why", pattern);
        self.ask(
            "<why>",
            &text,
            "a `why` question",
            |s| matches!(s, Statement::Why(_)),
            |output| match output {
                Output::Why(why) => Some(why),
                _ => None,
            },
        )
    }

    /// Explains why an atom pattern matches no fact: which condition of each rule fails.
    /// Read as the statement `whynot PATTERN.`, as [`KnowledgeBase::why`] reads its own.
    pub fn whynot(&mut self, pattern: &str) -> Result<WhyNot, Error> {
        let text = self.after_keyword("whynot", pattern);
        self.ask(
            "<whynot>",
            &text,
            "a `whynot` question",
            |s| matches!(s, Statement::WhyNot(_)),
            |output| match output {
                Output::WhyNot(whynot) => Some(whynot),
                _ => None,
            },
        )
    }

    /// What a changed history would gain and lose (`retract p(a) @ 1991 show q`), computed
    /// on a copy: the knowledge base is not changed. Read as the statement `whatif CHANGE.`,
    /// as [`KnowledgeBase::why`] reads its own.
    pub fn whatif(&mut self, change: &str) -> Result<WhatIf, Error> {
        let text = self.after_keyword("whatif", change);
        self.ask(
            "<whatif>",
            &text,
            "a `whatif` question",
            |s| matches!(s, Statement::WhatIf(_)),
            |output| match output {
                Output::WhatIf(whatif) => Some(whatif),
                _ => None,
            },
        )
    }

    /// Removes the base facts matching one pattern (`ussr_dissolved @ 1991-12-25`); derived
    /// facts follow.
    pub fn retract(&mut self, pattern: &str) -> Result<Retraction, Error> {
        let text = self.after_keyword("retract", pattern);
        let mark = self.store.stated().sources.len();
        let statement = self.one_statement("<retract>", &text, "a `retract` pattern", |s| {
            matches!(s, Statement::Retract(_))
        })?;
        let mut next = self.store.clone();
        match interpret::run(&mut next, std::slice::from_ref(&statement)) {
            Ok(outputs) => {
                next.sources_mut().truncate(mark);
                self.store = next;
                match outputs.into_iter().next() {
                    Some(Output::Retracted(done)) => Ok(done),
                    _ => Ok(Retraction::default()),
                }
            }
            Err(failure) => Err(Error::one(failure.diagnostic)),
        }
    }

    /// States a fact given as data: `insert("ties", &[Const::Sym("china".into()), …],
    /// Some(time))`. Returns whether it was new. Names must be names and strings printable
    /// (`Error::Data`); a predicate's first fact is checked as a statement would be (its
    /// arity against every other use).
    pub fn insert(
        &mut self,
        pred: &str,
        args: &[Const],
        time: Option<Time>,
    ) -> Result<bool, Error> {
        let name = |what: &str, w: &str| {
            let mut chars = w.chars();
            let word = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
            if word && !crate::syntax::is_keyword(w) {
                Ok(())
            } else {
                Err(Error::Data(format!(
                    "`{w}` cannot be {what}: a name starts with a lower-case letter, has only letters, digits and `_`, and is no keyword"
                )))
            }
        };
        name("a predicate", pred)?;
        for a in args {
            match a {
                Const::Sym(s) => name("a symbol", s)?,
                Const::Str(s) => {
                    if let Some(c) = s.chars().find(|&c| crate::value::is_unprintable(c)) {
                        return Err(Error::Data(format!(
                            "the string {:?} holds {}: strings hold printable text",
                            s.as_ref() as &str,
                            crate::value::unprintable_name(c)
                        )));
                    }
                }
                _ => {}
            }
        }
        let args: Vec<Const> = args.iter().cloned().map(Const::canonical).collect();
        let args = args.as_slice();
        if let Some(added) = self.store.insert(pred, args, time) {
            return Ok(added);
        }
        let mut text = pred.to_string();
        if !args.is_empty() {
            let shown: Vec<String> = args.iter().map(Const::to_string).collect();
            text.push_str(&format!("({})", shown.join(", ")));
        }
        if let Some(t) = time {
            text.push_str(&format!(" @ {t}"));
        }
        text.push('.');
        let before = self
            .store
            .stated()
            .base
            .iter()
            .map(|r| r.len())
            .sum::<usize>();
        self.load_str("<insert>", &text)?;
        Ok(self
            .store
            .stated()
            .base
            .iter()
            .map(|r| r.len())
            .sum::<usize>()
            > before)
    }

    /// Evaluates the rules now (queries do so when needed) and returns what it took. The
    /// statistics borrow the knowledge base; to name their rules and predicates
    /// ([`KnowledgeBase::rule_label`]) while reading them, read them again with
    /// [`KnowledgeBase::stats`].
    pub fn evaluate(&mut self) -> Result<&EvalStats, Error> {
        let view = self.store.evaluated(Span::default()).map_err(Error::one)?;
        Ok(view.stats)
    }

    /// Every fact (stated and derived) of a predicate, or of every predicate, as written, in
    /// time order, by predicate in the order they were first named.
    pub fn facts(&mut self, pred: Option<&str>) -> Result<Vec<PredicateFacts>, Error> {
        let view = self.store.evaluated(Span::default()).map_err(Error::one)?;
        Ok(view
            .stated
            .program
            .preds
            .keys()
            .enumerate()
            .filter(|(_, n)| pred.is_none_or(|p| p == n.as_str()))
            .map(|(i, n)| PredicateFacts {
                pred: n.clone(),
                facts: view.facts_of(i as u32),
            })
            .filter(|p| !p.facts.is_empty())
            .collect())
    }

    /// Every fact (stated and derived) of a predicate, or of every predicate, as data, in the
    /// order of [`KnowledgeBase::facts`].
    pub fn fact_data(&mut self, pred: Option<&str>) -> Result<Vec<Fact>, Error> {
        let view = self.store.evaluated(Span::default()).map_err(Error::one)?;
        let names: Vec<usize> = (0..view.stated.program.preds.len())
            .filter(|&i| pred.is_none_or(|p| p == view.stated.pred_name(i as u32)))
            .collect();
        Ok(names
            .into_iter()
            .flat_map(|i| {
                let p = i as u32;
                view.sorted_rows(p)
                    .into_iter()
                    .map(move |r| (p, r))
                    .collect::<Vec<_>>()
            })
            .map(|fact| view.fact(fact))
            .collect())
    }

    /// The rules (of one predicate, or all), each printed with its `file:line`.
    pub fn rules(&self, pred: Option<&str>) -> Vec<RuleText> {
        let stated = self.store.stated();
        stated
            .program
            .rules
            .iter()
            .filter(|r| pred.is_none_or(|p| p == r.head.pred.name))
            .map(|r| RuleText {
                at: stated.sources.file_line(r.span),
                text: crate::syntax::print_rule(r),
            })
            .collect()
    }

    /// The predicates with their number of arguments, in the order they were first named.
    pub fn predicates(&self) -> Vec<Predicate> {
        self.store
            .stated()
            .program
            .preds
            .iter()
            .map(|(name, sig)| Predicate {
                name: name.clone(),
                arity: sig.arity,
            })
            .collect()
    }

    /// Every symbol constant known, for completion.
    pub fn symbols(&self) -> Vec<String> {
        self.store.interner().symbols()
    }

    /// The lanes declared by `stream`, in order.
    pub fn lanes(&self) -> &[Lane] {
        &self.store.stated().lanes
    }

    /// The name of a predicate [`EvalStats`] names; `None` for one of another knowledge base
    /// that this one does not have.
    pub fn predicate_name(&self, id: PredicateId) -> Option<&str> {
        self.store.stated().pred_named(id.0)
    }

    /// How messages name a rule [`EvalStats`] names: its `rule NAME`, or its head predicate
    /// and line; `None` for one of another knowledge base that this one does not have.
    pub fn rule_label(&self, rule: RuleId) -> Option<String> {
        self.store.stated().rule_label(rule.0)
    }

    /// The knowledge base as it was at `time`: only base facts dated up to it (and timeless
    /// ones); rules unchanged.
    pub fn as_of(&self, time: Time) -> KnowledgeBase {
        KnowledgeBase {
            store: self.store.as_of(time),
            failed_question: None,
        }
    }

    /// The knowledge base without the modeller's assumptions (every stated fact and rule
    /// marked `assumed` taken away): a verdict that still holds in it holds on the sources'
    /// words alone.
    pub fn without_assumptions(&self) -> KnowledgeBase {
        KnowledgeBase {
            store: self.store.without_assumptions(),
            failed_question: None,
        }
    }

    /// A copy without the assumptions (numbered as [`KnowledgeBase::assumptions`] lists them)
    /// that `drop` accepts: one reading of a robustness study.
    pub(crate) fn without_assumed(&self, drop: &dyn Fn(usize) -> bool) -> KnowledgeBase {
        KnowledgeBase {
            store: self.store.without_assumed(drop),
            failed_question: None,
        }
    }

    /// The stated facts that nothing backs (no quote, source or assumption), as written with
    /// their place; names for people and parameters aside.
    pub(crate) fn unbacked(&self) -> Vec<String> {
        self.store.unbacked()
    }

    /// What the knowledge base states, with where: each stated or read fact as written, and
    /// each rule by name with its text (see `compare`).
    pub(crate) fn statements(&mut self) -> Result<crate::store::Statements, Error> {
        self.store.statements().map_err(Error::one)
    }

    /// The stated facts, then the rules, that the modeller marked `assumed`, in the order
    /// stated.
    pub fn assumptions(&self) -> Vec<Assumption> {
        self.store.assumptions()
    }

    /// The documents declared (`document NAME "path"`), in declared order.
    pub fn documents(&self) -> &[Document] {
        &self.store.stated().documents
    }

    /// The knowledge base as a `.msf` text that loads back to the same facts and rules: its
    /// lanes, its documents (by the path each was found at, made absolute, so that the text
    /// finds them wherever it goes), its stated facts (with notes and sources), its rules.
    pub fn to_msf(&self) -> String {
        self.store.to_msf(&|d| {
            std::fs::canonicalize(&d.path)
                .map_or_else(|_| d.path.clone(), |p| p.display().to_string())
        })
    }

    /// [`KnowledgeBase::to_msf`] with each document named as `path_of` says: a text saved
    /// elsewhere names the copies of its documents saved beside it.
    pub fn to_msf_naming(&self, path_of: impl Fn(&Document) -> String) -> String {
        self.store.to_msf(&path_of)
    }

    /// The statistics of the last evaluation, if one ran since the last change.
    pub fn stats(&self) -> Option<&EvalStats> {
        self.store.stats()
    }

    /// The timeline: every stated timed fact from `from` to `to` (each inclusive, at its own
    /// granularity: `2004` includes `2004-07`), or of all time, with the windows and
    /// verdicts the rules derive.
    pub fn timeline(&mut self, from: Option<Time>, to: Option<Time>) -> Result<Timeline, Error> {
        let derived = false;
        self.timeline_with(crate::timeline::Options { from, to, derived })
    }

    /// The timeline as `options` ask (the facts the rules derive on the streams' lanes too,
    /// with `derived`).
    pub fn timeline_with(&mut self, options: crate::timeline::Options) -> Result<Timeline, Error> {
        let mut view = self.store.evaluated(Span::default()).map_err(Error::one)?;
        crate::timeline::build(&mut view, options).map_err(Error::one)
    }

    /// The rules' dependency graph as Graphviz DOT: an edge from each predicate a body reads
    /// to the head it supports, dashed through `not`.
    pub fn rules_dot(&self) -> String {
        crate::check::dependency_dot(&self.store.stated().program.rules)
    }

    fn check_size(&self, name: &str, text: &str) -> Result<(), Error> {
        let limit = self.store.options().parse.max_file_bytes;
        if text.len() as u64 > limit {
            return Err(Error::Read(crate::load::too_big(
                name,
                format!("it is {} bytes, more than the limit of {limit}", text.len()),
            )));
        }
        Ok(())
    }

    /// Parses and checks a text that must be exactly one statement of the kind `fits`
    /// accepts, added to the sources (the caller forgets it again once it has run). On an
    /// error the text stays, for rendering the error.
    fn one_statement(
        &mut self,
        name: &str,
        text: &str,
        what: &str,
        fits: fn(&Statement) -> bool,
    ) -> Result<Statement, Error> {
        self.check_size(name, text)?;
        let options = self.store.options().parse;
        let sources = self.store.sources_mut();
        let mark = sources.len();
        let loaded = load_text_into(sources, name, text, options);
        let loaded = self.checked(loaded)?.0;
        let mut statements = loaded.into_iter();
        match (statements.next(), statements.next()) {
            (Some(s), None) if fits(&s) => Ok(s),
            (None, _) => Err(Error::one(Diagnostic::new(
                Code::NotAllowedHere,
                Span::new(crate::syntax::FileId(mark as u32), 0, 0),
                format!("expected {what}, but the text holds no statement"),
            ))),
            (first, second) => {
                let span = second.or(first).map_or_else(
                    || Span::new(crate::syntax::FileId(mark as u32), 0, 0),
                    |s| s.span(),
                );
                Err(Error::one(Diagnostic::new(
                    Code::NotAllowedHere,
                    span,
                    format!("expected exactly one statement here: {what}"),
                )))
            }
        }
    }

    /// Runs one asking statement in place and forgets it: the knowledge base keeps no trace
    /// of it (the text of a question that failed stays, to render its error). The text must
    /// be one statement that `fits`; `take` is its output.
    fn ask<T>(
        &mut self,
        name: &str,
        text: &str,
        what: &str,
        fits: fn(&Statement) -> bool,
        take: fn(Output) -> Option<T>,
    ) -> Result<T, Error> {
        // The last failed question's text goes now, if nothing was read after it: a program
        // that answers bad input for ever does not grow the sources by a text a failure.
        if let Some(failed) = self.failed_question.take() {
            if failed + 1 == self.store.stated().sources.len() {
                self.store.sources_mut().truncate(failed);
            }
        }
        let mark = self.store.stated().sources.len();
        let asked = self
            .one_statement(name, text, what, fits)
            .and_then(|statement| {
                self.store
                    .asking(statement.span(), |store| {
                        interpret::execute(store, &statement)
                    })
                    .and_then(|output| output)
                    .map_err(Error::one)
            });
        match asked {
            Ok(output) => {
                self.store.sources_mut().truncate(mark);
                output
                    .and_then(take)
                    .ok_or_else(|| Error::Data(format!("expected {what}")))
            }
            Err(e) => {
                if self.store.stated().sources.len() == mark + 1 {
                    self.failed_question = Some(mark);
                }
                Err(e)
            }
        }
    }

    /// A statement of `keyword` and the text after it, its `.` on a line of its own (so a
    /// comment at the end of the text cannot hide it); the text alone when it holds nothing
    /// but blanks and comments, which is then an error.
    fn after_keyword(&self, keyword: &str, rest: &str) -> String {
        if self.blank(rest) {
            return rest.to_string();
        }
        let rest = rest.trim();
        // Written with its keyword already (`why p(a)`): the keyword once.
        let rest = rest
            .strip_prefix(keyword)
            .filter(|r| r.starts_with(char::is_whitespace))
            .map_or(rest, str::trim_start);
        format!("{keyword} {}\n.", rest.strip_suffix('.').unwrap_or(rest))
    }

    /// A query in any of its spellings as a statement: the text as written when it is one
    /// (`?- p(X).`, `p(X)?`); a single `p(X).` with its `.` read as `?`; else with a `?`
    /// added (`p(X)`). Several statements stay as written: that is an error.
    fn query_text(&self, query: &str) -> String {
        let q = query.trim();
        let parse = |t: &str| {
            let (module, errors) =
                crate::syntax::parse(t, crate::syntax::FileId(0), self.store.options().parse);
            errors.is_empty().then_some(module.statements)
        };
        match parse(q) {
            Some(statements) => match statements.as_slice() {
                // The fact's final `.` (its span's last byte) becomes the query's `?`.
                [fact @ Statement::Fact(_)] => {
                    let end = fact.span().end as usize;
                    match (q.get(..end.saturating_sub(1)), q.get(end..)) {
                        (Some(atom), Some(rest)) => format!("{atom}?{rest}"),
                        _ => q.to_string(),
                    }
                }
                _ => q.to_string(),
            },
            None => [format!("{q}?"), format!("{q}\n.")]
                .into_iter()
                .find(|t| parse(t).is_some())
                .unwrap_or_else(|| format!("{q}?")),
        }
    }

    /// Whether a text holds nothing but blanks and comments.
    fn blank(&self, text: &str) -> bool {
        let (module, errors) =
            crate::syntax::parse(text, crate::syntax::FileId(0), self.store.options().parse);
        errors.is_empty() && module.statements.is_empty()
    }

    /// The statements of a load, checked as part of everything loaded before, with the
    /// warnings about the new texts; or the errors. The store learns where each predicate
    /// was first named.
    fn checked(&mut self, loaded: Loaded) -> Result<(Vec<Statement>, Vec<Diagnostic>), Error> {
        if loaded.diagnostics.iter().any(Diagnostic::is_error) {
            let mut diagnostics = loaded.diagnostics;
            crate::syntax::in_order(&mut diagnostics);
            return Err(Error::Rejected {
                diagnostics,
                partial: Vec::new(),
            });
        }
        let store = &self.store;
        let checked = crate::check::check_parts(
            &store.stated().program.preds,
            &[store.checked(), &loaded.statements],
            &store.stated().sources,
            store.options().limits.cancel.as_deref(),
        );
        let diagnostics = checked.diagnostics;
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Rejected {
                diagnostics,
                partial: Vec::new(),
            });
        }
        self.store.learn_signatures(checked.signatures);
        Ok((
            loaded.statements,
            loaded.diagnostics.into_iter().chain(diagnostics).collect(),
        ))
    }

    /// Warnings for the names a question uses that the knowledge base has never seen
    /// (W107), judged against the names stated before and in this input.
    fn unknown_names(&self, statements: &[Statement]) -> Vec<Diagnostic> {
        let interner = self.store.interner();
        crate::check::unknown_names(
            statements,
            |name| interner.knows(&Const::Sym(name.into())),
            || interner.symbols(),
        )
    }

    /// Loads an input and runs its statements. An input that only asks (queries, `why`,
    /// `whynot`, `whatif`) runs in place: it changes no fact or rule. Any other input runs on a
    /// copy that is kept only if every statement succeeded. Either way the texts read stay in
    /// the source map, so that diagnostics about them can be shown.
    fn transaction(
        &mut self,
        load: impl FnOnce(&mut SourceMap) -> Result<Loaded, ReadError>,
    ) -> Result<Report, Error> {
        let first_new_file = self.store.stated().sources.len();
        let loaded = load(self.store.sources_mut())?;
        let (statements, diagnostics) = self.checked(loaded)?;
        // The loader's own warnings (an empty file), then the checker's about the new texts.
        let warnings: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| d.span.file.0 as usize >= first_new_file)
            .collect();
        let warnings: Vec<Diagnostic> = warnings
            .into_iter()
            .chain(self.unknown_names(&statements))
            .collect();
        if statements.iter().all(Statement::only_asks) {
            // A question leaves no trace (`Store::asking`).
            let at = statements
                .first()
                .map_or_else(Span::default, Statement::span);
            let outputs = self
                .store
                .asking(at, |store| interpret::run(store, &statements))
                .map_err(Error::one)?
                .map_err(|f| Error::Rejected {
                    diagnostics: vec![f.diagnostic],
                    partial: f.partial,
                })?;
            return Ok(Report { outputs, warnings });
        }
        let mut next = self.store.clone();
        match interpret::run(&mut next, &statements) {
            Ok(outputs) => {
                next.keep_checked(statements);
                // The files of `output` statements, now that the input is kept.
                if next.options().write_on_load {
                    if let Err(d) = next.write_pending() {
                        self.store.keep_texts_of(next);
                        return Err(Error::one(d));
                    }
                }
                self.store = next;
                Ok(Report { outputs, warnings })
            }
            Err(f) => {
                // Statements may have read texts (a CSV file with a bad row): keep them.
                self.store.keep_texts_of(next);
                Err(Error::Rejected {
                    diagnostics: vec![f.diagnostic],
                    partial: f.partial,
                })
            }
        }
    }
}
