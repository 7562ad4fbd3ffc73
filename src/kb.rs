//! The knowledge base: the one type embedders use. It loads programs transactionally (an
//! input with any error leaves it exactly as it was), runs their statements in order, keeps
//! base facts with where they were stated, and evaluates the rules when an answer needs them.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;

use crate::eval::exec::{evaluate, Stop};
use crate::eval::plan::PredId;
use crate::eval::relation::{Prov, Relation};
use crate::eval::value::{Interner, Value};
use crate::eval::{compile, Compiled, Const, EvalStats, Limits, QueryPlan};
use crate::load::{load_files_into, load_text_into, Loaded, ReadError};
use crate::origins::Origins;
use crate::syntax::ast::{Atom, Expr, InputDecl, Literal, OutputDecl, Rule, Statement};
use crate::syntax::{Code, Diagnostic, ParseOptions, SourceMap, Span};
use crate::value::Time;

/// Settings of a knowledge base.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Parser limits.
    pub parse: ParseOptions,
    /// Evaluation limits.
    pub limits: Limits,
}

/// Where a base fact comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Stated in a `.msf` text.
    Stated {
        /// The statement.
        span: Span,
        /// Its `note`.
        note: Option<String>,
        /// Its `source`.
        source: Option<String>,
    },
    /// Read from a row of a CSV or TSV file.
    Input {
        /// The file, as its `input` statement resolved it.
        file: String,
        /// The row's line.
        line: usize,
    },
}

/// The answers to a query: the variables in order of appearance, and one row of values per
/// distinct answer, sorted by time, then by value. A query without variables has one empty
/// row when it holds and none when it does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answers {
    /// The variables shown (`_x` ones are hidden).
    pub vars: Vec<String>,
    /// One row per answer; `None` where an alternative of an `or` leaves a variable unbound.
    pub rows: Vec<Vec<Option<Const>>>,
}

impl Answers {
    /// For a query without variables: whether it holds.
    pub fn holds(&self) -> bool {
        !self.rows.is_empty()
    }
}

/// What a statement that acts produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Output {
    /// A query's answers.
    Answers {
        /// The query as written.
        query: String,
        /// Its answers.
        answers: Answers,
    },
    /// Facts removed by `retract` (as written), and derived facts the pattern matched but
    /// `retract` could not remove.
    Retracted {
        /// The base facts removed.
        removed: Vec<String>,
        /// Facts that matched but are derived, not stated.
        derived: Vec<String>,
    },
    /// A `why` explanation.
    Why(crate::explain::Why),
    /// A `whynot` explanation.
    WhyNot(crate::explain::WhyNot),
    /// A `whatif` comparison.
    WhatIf(crate::explain::WhatIf),
    /// Facts written by `output`.
    Written {
        /// The file.
        path: String,
        /// How many facts.
        facts: usize,
    },
}

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
    /// with [`KnowledgeBase::render`].
    #[error("the input has {} error{}", diagnostics.len(), if diagnostics.len() == 1 { "" } else { "s" })]
    Rejected {
        /// The errors.
        diagnostics: Vec<Diagnostic>,
        /// Outputs of the statements that ran before the failing one (a script prints them).
        partial: Vec<Output>,
    },
    /// A file named to load could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// One predicate's entry in the table.
#[derive(Clone, Debug)]
pub(crate) struct Pred {
    pub(crate) arity: usize,
}

/// The rules and facts after evaluation.
#[derive(Clone, Debug)]
pub(crate) struct State {
    pub(crate) rels: Vec<Relation>,
    pub(crate) stats: EvalStats,
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
    pub(crate) options: Options,
    pub(crate) sources: SourceMap,
    /// The statements accepted so far, re-checked with each new input: all but facts, and of
    /// the facts the first of each predicate (which stands for the others: the checks ask
    /// whether a predicate has facts and with how many arguments, and a fact is otherwise held
    /// in the relations). A base of a million events keeps a handful of statements.
    pub(crate) statements: Vec<Statement>,
    /// The predicates whose first fact is in `statements`.
    pub(crate) stated_preds: HashSet<String>,
    pub(crate) preds: IndexMap<String, Pred>,
    pub(crate) interner: Interner,
    pub(crate) base: Vec<Relation>,
    /// Where each base fact comes from, by predicate and row.
    pub(crate) origins: Vec<Origins>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) compiled: Option<Compiled>,
    pub(crate) state: Option<State>,
    /// The lanes of `stream` declarations: name, label, predicates.
    pub(crate) lanes: Vec<(String, Option<String>, Vec<String>)>,
}

impl KnowledgeBase {
    /// An empty knowledge base with default limits.
    pub fn new() -> KnowledgeBase {
        KnowledgeBase::default()
    }

    /// An empty knowledge base with the given limits.
    pub fn with_options(options: Options) -> KnowledgeBase {
        KnowledgeBase {
            options,
            ..KnowledgeBase::default()
        }
    }

    /// The limits in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Changes the evaluation limits (the cancellation flag, say) for later statements.
    pub fn set_limits(&mut self, limits: Limits) {
        self.options.limits = limits;
    }

    /// Every text loaded, for rendering diagnostics.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Renders an error's diagnostics (or its read failure) for a person.
    pub fn render(&self, error: &Error, color: bool) -> String {
        match error {
            Error::Rejected { diagnostics, .. } => {
                crate::syntax::render_all(diagnostics, &self.sources, color)
            }
            Error::Read(e) => format!("{e}\n"),
        }
    }

    /// Loads a program text: checks it as part of everything loaded before, then runs its
    /// statements in order. On any error nothing of the text is kept.
    pub fn load_str(&mut self, name: &str, text: &str) -> Result<Report, Error> {
        let options = self.options.parse;
        if text.len() as u64 > options.max_file_bytes {
            return Err(Error::Read(ReadError {
                path: name.to_string(),
                reason: format!(
                    "it is {} bytes, more than the limit of {} (raise it with --max-file-size)",
                    text.len(),
                    options.max_file_bytes
                ),
                limit: true,
                not_utf8: None,
            }));
        }
        self.transaction(|sources| Ok(load_text_into(sources, name, text, options)))
    }

    /// Loads a `.msf` file (its includes relative to it), as [`KnowledgeBase::load_str`].
    pub fn load_file(&mut self, path: impl AsRef<Path>) -> Result<Report, Error> {
        let options = self.options.parse;
        let path = path.as_ref().to_path_buf();
        self.transaction(|sources| load_files_into(sources, &[path], options))
    }

    /// Loads programs bundled in the binary (`(path, text)` pairs) as one input; includes
    /// between them use the bundled texts, so this works from any directory.
    pub fn load_bundle(&mut self, files: &[(&str, &str)]) -> Result<Report, Error> {
        let options = self.options.parse;
        self.transaction(|sources| Ok(crate::load::load_bundle_into(sources, files, options)))
    }

    /// Answers a query (`p(X) @ T, T < 2010`, with or without `?-`, `?` or `.`).
    pub fn query(&mut self, query: &str) -> Result<Answers, Error> {
        let text = query_statement(query);
        let report = self.load_str("<query>", &text)?;
        match report.outputs.into_iter().next() {
            Some(Output::Answers { answers, .. }) => Ok(answers),
            _ => unreachable!("a query statement answers"),
        }
    }

    /// Removes the base facts matching a pattern (`ussr_dissolved @ 1991-12-25`); derived
    /// facts follow. Returns the facts removed.
    pub fn retract(&mut self, fact: &str) -> Result<Vec<String>, Error> {
        let text = format!("retract {}.", fact.trim().trim_end_matches('.'));
        let report = self.load_str("<retract>", &text)?;
        match report.outputs.into_iter().next() {
            Some(Output::Retracted { removed, .. }) => Ok(removed),
            _ => unreachable!("a retract statement reports"),
        }
    }

    /// Every fact, base and derived, by predicate, each written `(args) @ time`.
    #[cfg(test)]
    pub(crate) fn all_facts(
        &mut self,
    ) -> Result<std::collections::BTreeMap<String, std::collections::BTreeSet<String>>, Diagnostic>
    {
        self.ensure_state(Span::default())?;
        let state = self.state.as_ref().expect("evaluated");
        let mut out = std::collections::BTreeMap::new();
        for (p, (name, _)) in self.preds.iter().enumerate() {
            let rel = &state.rels[p];
            let facts = (0..rel.len() as u32)
                .map(|r| {
                    let args: Vec<String> = rel
                        .row(r)
                        .iter()
                        .map(|v| self.interner.get(*v).to_string())
                        .collect();
                    let t = rel.time(r);
                    if t.is_some() {
                        format!("({}) @ {}", args.join(", "), self.interner.get(t))
                    } else {
                        format!("({})", args.join(", "))
                    }
                })
                .collect();
            out.insert(name.clone(), facts);
        }
        Ok(out)
    }

    /// Evaluates the rules now (queries do so when needed) and returns what it took.
    pub fn evaluate(&mut self) -> Result<&EvalStats, Error> {
        let at = Span::default();
        if let Err(d) = self.ensure_state(at) {
            return Err(Error::Rejected {
                diagnostics: vec![d],
                partial: Vec::new(),
            });
        }
        Ok(&self.state.as_ref().expect("evaluated").stats)
    }

    /// Every fact (stated and derived) of a predicate, or of every predicate, as written, in
    /// time order, by predicate in the order they were first named.
    pub fn facts(&mut self, pred: Option<&str>) -> Result<Vec<(String, Vec<String>)>, Error> {
        self.evaluate()?;
        let names: Vec<String> = self.preds.keys().cloned().collect();
        Ok(names
            .into_iter()
            .enumerate()
            .filter(|(_, n)| pred.is_none_or(|p| p == n))
            .map(|(i, n)| (n, self.facts_of(i as PredId)))
            .filter(|(_, facts)| !facts.is_empty())
            .collect())
    }

    /// The rules (of one predicate, or all), each printed with its `file:line`.
    pub fn rules(&self, pred: Option<&str>) -> Vec<(String, String)> {
        self.rules
            .iter()
            .filter(|r| pred.is_none_or(|p| p == r.head.pred.name))
            .map(|r| {
                let text = crate::syntax::print_rule(r);
                (self.sources.file_line(r.span), text)
            })
            .collect()
    }

    /// The predicates with their number of arguments, in the order they were first named.
    pub fn predicates(&self) -> Vec<(String, usize)> {
        self.preds
            .iter()
            .map(|(n, p)| (n.clone(), p.arity))
            .collect()
    }

    /// Every symbol constant known, for completion.
    pub fn symbols(&self) -> Vec<String> {
        self.interner.symbols()
    }

    /// The lanes declared by `stream`, in order: name, label, predicates as `name/arity`.
    pub fn lanes(&self) -> &[(String, Option<String>, Vec<String>)] {
        &self.lanes
    }

    /// The lane a predicate belongs to, if a `stream` declares one.
    pub(crate) fn lane_of(&self, pred: PredId) -> Option<String> {
        self.lane_index(pred).map(|l| self.lanes[l].0.clone())
    }

    /// The position among the lanes of the one a predicate belongs to, if any.
    pub(crate) fn lane_index(&self, pred: PredId) -> Option<usize> {
        let (name, p) = self.preds.get_index(pred as usize)?;
        let key = format!("{name}/{}", p.arity);
        self.lanes
            .iter()
            .position(|(_, _, preds)| preds.contains(&key))
    }

    /// The knowledge base as it was at `time`: only base facts dated up to it (and timeless
    /// ones); rules unchanged.
    pub fn as_of(&self, time: Time) -> KnowledgeBase {
        let mut past = self.clone();
        past.state = None;
        for p in 0..self.base.len() {
            let (keep, origins) = self.base_where(p, |_, t| {
                !t.is_some() || matches!(self.interner.get(t), Const::Time(at) if *at <= time)
            });
            past.base[p] = keep;
            past.origins[p] = origins;
        }
        past
    }

    /// The base facts of predicate `p` that `keep` accepts (given arguments and time), as a
    /// new relation with their origins.
    fn base_where(
        &self,
        p: usize,
        mut keep: impl FnMut(&[Value], Value) -> bool,
    ) -> (Relation, Origins) {
        let rel = &self.base[p];
        let mut kept = Relation::new(rel.arity());
        let mut rows = Vec::new();
        for r in 0..rel.len() as u32 {
            let (args, t) = (rel.row(r), rel.time(r));
            if keep(args, t) {
                kept.insert(args, t, Prov::BASE);
                rows.push(r);
            }
        }
        (kept, self.origins[p].select(&rows))
    }

    /// The knowledge base as a `.msf` text that loads back to the same facts and rules: its
    /// lanes, its stated facts (with notes and sources), its rules.
    pub fn to_msf(&self) -> String {
        let mut out = String::from("# Saved by kingdon: lanes, facts, rules.\n");
        for (name, label, preds) in &self.lanes {
            let label = label
                .as_ref()
                .map(|l| format!(" {}", crate::value::quote(l)))
                .unwrap_or_default();
            out.push_str(&format!("stream {name}{label}: {}.\n", preds.join(", ")));
        }
        for (p, rel) in self.base.iter().enumerate() {
            for r in 0..rel.len() as u32 {
                out.push_str(&self.show_fact(p as PredId, rel.row(r), rel.time(r)));
                if let Some(n) = self.origins[p].note(r) {
                    out.push_str(&format!(" note {}", crate::value::quote(n)));
                }
                if let Some(s) = self.origins[p].source(r) {
                    out.push_str(&format!(" source {}", crate::value::quote(s)));
                }
                out.push_str(".\n");
            }
        }
        for r in &self.rules {
            out.push_str(&crate::syntax::print_rule(r));
            out.push('\n');
        }
        out
    }

    /// The statistics of the last evaluation, if one ran since the last change.
    pub fn stats(&self) -> Option<&EvalStats> {
        self.state.as_ref().map(|s| &s.stats)
    }

    /// Loads an input and runs its statements. An input that only asks (queries, `why`,
    /// `whynot`, `whatif`) runs in place: it changes no fact or rule. Any other input runs on a
    /// copy that is kept only if every statement succeeded. Either way the texts read stay in
    /// the source map, so that diagnostics about them can be shown.
    fn transaction(
        &mut self,
        load: impl FnOnce(&mut SourceMap) -> Result<Loaded, ReadError>,
    ) -> Result<Report, Error> {
        let first_new_file = self.sources.len();
        let loaded = load(&mut self.sources)?;
        if loaded.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Rejected {
                diagnostics: loaded.diagnostics,
                partial: Vec::new(),
            });
        }
        let diagnostics =
            crate::check::check_parts(&[&self.statements, &loaded.statements], &self.sources);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Rejected {
                diagnostics,
                partial: Vec::new(),
            });
        }
        // The loader's own warnings (an empty file), then the checker's about the new texts.
        let warnings = loaded
            .diagnostics
            .into_iter()
            .chain(diagnostics)
            .filter(|d| d.span.file.0 as usize >= first_new_file)
            .collect();
        let asks_only = loaded.statements.iter().all(|s| {
            matches!(
                s,
                Statement::Query(_)
                    | Statement::Why(_)
                    | Statement::WhyNot(_)
                    | Statement::WhatIf(_)
            )
        });
        if asks_only {
            let outputs = self.run_statements(&loaded.statements)?;
            return Ok(Report { outputs, warnings });
        }
        let mut next = self.clone();
        match next.run_statements(&loaded.statements) {
            Ok(outputs) => {
                next.keep(loaded.statements);
                *self = next;
                Ok(Report { outputs, warnings })
            }
            Err(e) => {
                // Statements may have read texts (a CSV file with a bad row): keep them.
                self.sources = next.sources;
                Err(e)
            }
        }
    }

    /// Keeps accepted statements for the checks of later inputs: facts only as the first of
    /// their predicate.
    fn keep(&mut self, statements: Vec<Statement>) {
        for statement in statements {
            if let Statement::Fact(fact) = &statement {
                if self.stated_preds.contains(&fact.atom.pred.name) {
                    continue;
                }
                self.stated_preds.insert(fact.atom.pred.name.clone());
            }
            self.statements.push(statement);
        }
    }

    /// Runs statements in order; on an error, the outputs so far come with it.
    fn run_statements(&mut self, statements: &[Statement]) -> Result<Vec<Output>, Error> {
        let mut outputs = Vec::new();
        for s in statements {
            match self.execute(s) {
                Ok(Some(out)) => outputs.push(out),
                Ok(None) => {}
                Err(d) => {
                    return Err(Error::Rejected {
                        diagnostics: vec![d],
                        partial: outputs,
                    })
                }
            }
        }
        Ok(outputs)
    }

    pub(crate) fn pred(&mut self, name: &str, arity: usize) -> PredId {
        if let Some(i) = self.preds.get_index_of(name) {
            return i as PredId;
        }
        self.preds.insert(name.to_string(), Pred { arity });
        self.base.push(Relation::new(arity));
        self.origins.push(Origins::default());
        if let Some(state) = &mut self.state {
            state.rels.push(Relation::new(arity));
        }
        self.compiled = None;
        (self.preds.len() - 1) as PredId
    }

    fn register_literals(&mut self, body: &[Literal]) {
        for l in body {
            match l {
                Literal::Atom(a) | Literal::Not(a, _) => {
                    self.pred(&a.pred.name, a.args.len());
                }
                Literal::Aggregate(agg) => self.register_literals(&agg.body),
                Literal::Or(alternatives, _) => {
                    for alternative in alternatives {
                        self.register_literals(alternative);
                    }
                }
                Literal::Compare(_) => {}
            }
        }
    }

    pub(crate) fn constant(&mut self, e: &Expr) -> Value {
        let c = match e {
            Expr::Symbol(s) => Const::Sym(s.name.as_str().into()),
            Expr::Str(s) => Const::Str(s.value.as_str().into()),
            Expr::Number(n, _) => Const::number(*n),
            Expr::Time(t, _) => Const::Time(*t),
            _ => unreachable!("the checker admits only constants in facts"),
        };
        self.interner.intern(c)
    }

    /// Adds a base fact unless present; returns whether it was new (its origin is then the
    /// caller's to record).
    fn add_fact(&mut self, pred: PredId, args: &[Value], time: Value) -> bool {
        let new = self.base[pred as usize].insert(args, time, Prov::BASE);
        if new {
            self.state = None;
        }
        new
    }

    /// Runs one checked statement.
    pub(crate) fn execute(&mut self, s: &Statement) -> Result<Option<Output>, Diagnostic> {
        match s {
            Statement::Fact(f) => {
                let pred = self.pred(&f.atom.pred.name, f.atom.args.len());
                let args: Vec<Value> = f.atom.args.iter().map(|e| self.constant(e)).collect();
                let time = f
                    .atom
                    .time
                    .as_ref()
                    .map_or(Value::NONE, |t| self.constant(t));
                if self.add_fact(pred, &args, time) {
                    let note = f.note.as_ref().map(|s| s.value.as_str());
                    let source = f.source.as_ref().map(|s| s.value.as_str());
                    self.origins[pred as usize].push_stated(f.span, note, source);
                }
                Ok(None)
            }
            Statement::Rule(r) => {
                self.pred(&r.head.pred.name, r.head.args.len());
                self.register_literals(&r.body);
                self.rules.push((**r).clone());
                self.compiled = None;
                self.state = None;
                Ok(None)
            }
            Statement::Input(d) => self.input(d).map(|()| None),
            Statement::Output(d) => self.output(d).map(Some),
            Statement::Query(q) => {
                self.register_literals(&q.body);
                self.ensure_state(q.span)?;
                let preds = &self.preds;
                let pred_id = |name: &str| preds.get_index_of(name).expect("registered") as PredId;
                let mut plan = QueryPlan::new(&q.body, &pred_id, &mut self.interner);
                let state = self.state.as_mut().expect("evaluated");
                let (rows, flat) = plan
                    .answers(&mut state.rels, &mut self.interner, &self.options.limits)
                    .map_err(|stop| self.stop_diagnostic(stop, q.span))?;
                let answers = self.sorted_answers(plan.vars.clone(), rows, flat);
                let query = crate::syntax::print_statement(s);
                Ok(Some(Output::Answers { query, answers }))
            }
            Statement::Retract(r) => {
                let mut removed = Vec::new();
                let mut derived = Vec::new();
                for atom in &r.atoms {
                    self.retract_atom(atom, &mut removed, &mut derived, r.span)?;
                }
                Ok(Some(Output::Retracted { removed, derived }))
            }
            Statement::Stream(d) => {
                let preds = d
                    .preds
                    .iter()
                    .map(|p| format!("{}/{}", p.name.name, p.arity.unwrap_or(0)))
                    .collect();
                let label = d.label.as_ref().map(|l| l.value.clone());
                self.lanes.push((d.name.name.clone(), label, preds));
                Ok(None)
            }
            Statement::Include(_) => Ok(None),
            Statement::Why(w) => {
                self.ensure_state(w.span)?;
                let facts = self.matching_rows(&w.atom);
                let proof = self
                    .prove(&facts)
                    .map_err(|d| Diagnostic { span: w.span, ..d })?;
                Ok(Some(Output::Why(crate::explain::Why {
                    question: crate::syntax::print_statement(s),
                    proof,
                    depth: w.depth,
                })))
            }
            Statement::WhyNot(w) => {
                let finding = crate::explain::whynot(self, &w.atom, w.span)?;
                Ok(Some(Output::WhyNot(crate::explain::WhyNot {
                    question: crate::syntax::print_statement(s),
                    finding,
                })))
            }
            Statement::WhatIf(w) => Ok(Some(Output::WhatIf(self.whatif(w)?))),
        }
    }

    /// The rules compiled to plans.
    fn compile_rules(&mut self) -> Compiled {
        let preds = &self.preds;
        let pred_id = |name: &str| preds.get_index_of(name).expect("registered") as PredId;
        let rules: Vec<&Rule> = self.rules.iter().collect();
        compile(&rules, &pred_id, preds.len(), &mut self.interner)
    }

    /// Compiles the rules again if a new predicate dropped the plans while the evaluated
    /// facts stayed (a question naming an unknown predicate does that), for proof search.
    pub(crate) fn ensure_compiled(&mut self) {
        if self.compiled.is_some() {
            return;
        }
        let mut compiled = self.compile_rules();
        if let Some(state) = &mut self.state {
            compiled.resolve(&mut state.rels);
        }
        self.compiled = Some(compiled);
    }

    /// Evaluates the rules over the base facts, unless nothing changed since the last time.
    pub(crate) fn ensure_state(&mut self, at: Span) -> Result<(), Diagnostic> {
        if self.state.is_some() {
            return Ok(());
        }
        let mut compiled = match self.compiled.take() {
            Some(c) => c,
            None => self.compile_rules(),
        };
        let mut rels = self.base.clone();
        if !self.options.limits.provenance {
            rels.iter_mut().for_each(Relation::clear_provenance);
        }
        compiled.resolve(&mut rels);
        let result = evaluate(
            &mut rels,
            &mut self.interner,
            &compiled.rules,
            &compiled.strata,
            &self.options.limits,
        );
        self.compiled = Some(compiled);
        match result {
            Ok(stats) => {
                self.state = Some(State { rels, stats });
                Ok(())
            }
            Err(stop) => Err(self.stop_diagnostic(stop, at)),
        }
    }

    /// The name of predicate number `id` (as numbered in [`EvalStats`]).
    pub fn predicate_name(&self, id: u32) -> &str {
        self.preds
            .get_index(id as usize)
            .map_or("?", |(name, _)| name.as_str())
    }

    /// How messages name rule number `rule`: its `rule NAME`, or its head predicate and line.
    pub fn rule_label(&self, rule: u32) -> String {
        let r = &self.rules[rule as usize];
        match &r.name {
            Some(name) => format!("`{}`", name.name),
            None => format!(
                "`{}` at {}",
                r.head.pred.name,
                self.sources.file_line(r.span)
            ),
        }
    }

    pub(crate) fn stop_diagnostic(&self, stop: Stop, at: Span) -> Diagnostic {
        match stop {
            Stop::Facts { rule, limit } => Diagnostic::new(
                Code::TooManyFacts,
                self.rules[rule as usize].span,
                format!(
                    "evaluation stopped: more than {limit} facts derived; the rule {} kept producing new ones",
                    self.rule_label(rule)
                ),
            )
            .with_hint("a rule that computes new values (`n(X + 1) :- n(X)`) can run forever: bound it (`X < 100`), or raise the limit with --max-facts"),
            Stop::Iterations { rule, limit, last } => Diagnostic::new(
                Code::TooManyIterations,
                self.rules[rule as usize].span,
                format!(
                    "evaluation stopped after {limit} iterations: the rule {} kept producing new facts (the last: {}({last}))",
                    self.rule_label(rule),
                    self.rules[rule as usize].head.pred.name
                ),
            )
            .with_hint("a rule that computes new values (`n(X + 1) :- n(X)`) can run forever: bound it (`X < 100`), or raise the limit with --max-iterations"),
            Stop::Arith { error, span } => match error {
                crate::eval::value::ArithError::Overflow => Diagnostic::new(
                    Code::Overflow,
                    span,
                    "arithmetic overflow: the result does not fit in a 64-bit integer (or 18 decimal digits)",
                ),
                crate::eval::value::ArithError::Type(message) => {
                    Diagnostic::new(Code::WrongKind, span, message)
                }
            },
            Stop::Groups { limit, span } => Diagnostic::new(
                Code::TooManyGroups,
                span,
                format!("evaluation stopped: this aggregate formed more than {limit} groups"),
            )
            .with_hint("group by fewer variables, or raise the limit with --max-groups"),
            Stop::Enough => unreachable!("only searches that stop early see `Enough`, and they consume it"),
            Stop::Cancelled => Diagnostic::new(Code::Interrupted, at, "evaluation interrupted")
                .with_hint("nothing of this input was kept"),
        }
    }

    /// Sorts answers by their times, then by their values, and turns ids into constants.
    fn sorted_answers(&self, vars: Vec<String>, rows: usize, flat: Vec<Value>) -> Answers {
        let interner = &self.interner;
        let width = vars.len();
        let row = |i: usize| &flat[i * width..(i + 1) * width];
        let time = |v: &Value| match v.is_some().then(|| interner.get(*v)) {
            Some(Const::Time(t)) => Some(*t),
            _ => None,
        };
        let mut order: Vec<usize> = (0..rows).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (row(a), row(b));
            let times = a.iter().filter_map(time).cmp(b.iter().filter_map(time));
            times.then_with(|| {
                a.iter()
                    .zip(b)
                    .map(|(x, y)| match (x.is_some(), y.is_some()) {
                        (true, true) => interner.get(*x).total_cmp(interner.get(*y)),
                        (x, y) => x.cmp(&y),
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        });
        let rows = order
            .into_iter()
            .map(|i| {
                row(i)
                    .iter()
                    .map(|v| v.is_some().then(|| interner.get(*v).clone()))
                    .collect()
            })
            .collect();
        Answers { vars, rows }
    }

    /// A fact as the language writes it: `p(a, 3) @ 1992`.
    pub(crate) fn show_fact(&self, pred: PredId, args: &[Value], time: Value) -> String {
        let (name, _) = self
            .preds
            .get_index(pred as usize)
            .expect("a known predicate");
        let mut out = name.clone();
        if !args.is_empty() {
            let shown: Vec<String> = args
                .iter()
                .map(|v| self.interner.get(*v).to_string())
                .collect();
            out.push_str(&format!("({})", shown.join(", ")));
        }
        if time.is_some() {
            out.push_str(&format!(" @ {}", self.interner.get(time)));
        }
        out
    }

    pub(crate) fn retract_atom(
        &mut self,
        atom: &Atom,
        removed: &mut Vec<String>,
        derived: &mut Vec<String>,
        at: Span,
    ) -> Result<(), Diagnostic> {
        let pred = self.pred(&atom.pred.name, atom.args.len());
        let pattern: Vec<Option<Value>> = atom.args.iter().map(|e| self.pattern_value(e)).collect();
        let time = atom.time.as_ref().map(|t| self.pattern_value(t));
        let matches = |args: &[Value], t: Value, pattern: &[Option<Value>]| {
            args.iter()
                .zip(pattern)
                .all(|(v, p)| p.is_none_or(|p| p == *v))
                && match time {
                    None => true,
                    Some(None) => t.is_some(),
                    Some(Some(want)) => t == want,
                }
        };
        // Facts that hold only by derivation are reported, not removed.
        self.ensure_state(at)?;
        let state = self.state.as_ref().expect("evaluated");
        let rel = &state.rels[pred as usize];
        for r in 0..rel.len() as u32 {
            let stated = r < self.base[pred as usize].len() as u32;
            if !stated && matches(rel.row(r), rel.time(r), &pattern) {
                derived.push(self.show_fact(pred, rel.row(r), rel.time(r)));
            }
        }
        let (keep, origins) = self.base_where(pred as usize, |args, t| {
            let gone = matches(args, t, &pattern);
            if gone {
                removed.push(self.show_fact(pred, args, t));
            }
            !gone
        });
        if keep.len() != self.base[pred as usize].len() {
            self.base[pred as usize] = keep;
            self.origins[pred as usize] = origins;
            self.state = None;
        }
        Ok(())
    }

    /// A constant of a pattern, or `None` for a variable or `_` (they match anything).
    fn pattern_value(&mut self, e: &Expr) -> Option<Value> {
        match e {
            Expr::Var(_) | Expr::Wildcard(_) => None,
            other => Some(self.constant(other)),
        }
    }

    fn statement_dir(&self, span: Span) -> PathBuf {
        let name = &self.sources.get(span.file).name;
        if name.starts_with('<') {
            return PathBuf::new();
        }
        Path::new(name)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    fn input(&mut self, d: &InputDecl) -> Result<(), Diagnostic> {
        let path = self.statement_dir(d.span).join(&d.path.value);
        let arity = d.pred.arity.unwrap_or(0) as usize;
        let text =
            crate::load::read_text(&path, self.options.parse.max_file_bytes).map_err(|e| {
                if let Some((lossy, at)) = e.not_utf8 {
                    return crate::load::not_utf8(&mut self.sources, &path, lossy, at);
                }
                let d = Diagnostic::new(
                    Code::CannotRead,
                    d.path.span,
                    format!("cannot read `{}`: {}", e.path, e.reason),
                );
                if e.limit {
                    d
                } else {
                    d.with_hint("the path is relative to the file with the `input` statement")
                }
            })?;
        let rows = crate::tabular::read_rows(&text, crate::tabular::delimiter(&path), arity)
            .map_err(|e| {
                let file = self.sources.add(path.display().to_string(), text.clone());
                let source = self.sources.get(file);
                let start = line_column_offset(&source.text, e.line, e.column);
                let end = line_column_offset(&source.text, e.line, e.column + e.width);
                Diagnostic::new(Code::BadRow, Span::new(file, start, end), e.message).with_hint(
                    format!(
                        "each row of `{}` must be one fact of `{}/{arity}`",
                        path.display(),
                        d.pred.name.name
                    ),
                )
            })?;
        let pred = self.pred(&d.pred.name.name, arity);
        let file = self.origins[pred as usize].file(&path.display().to_string());
        for (i, (args, time)) in rows.into_iter().enumerate() {
            let args: Vec<Value> = args.into_iter().map(|c| self.interner.intern(c)).collect();
            let time = time.map_or(Value::NONE, |t| self.interner.intern(Const::Time(t)));
            if self.add_fact(pred, &args, time) {
                self.origins[pred as usize].push_input(file, i + 1);
            }
        }
        Ok(())
    }

    fn output(&mut self, d: &OutputDecl) -> Result<Output, Diagnostic> {
        let path = self.statement_dir(d.span).join(&d.path.value);
        let name = &d.pred.name.name;
        let arity = self.preds.get(name).map_or(0, |p| p.arity);
        let pred = self.pred(name, arity);
        self.ensure_state(d.span)?;
        let state = self.state.as_ref().expect("evaluated");
        let rel = &state.rels[pred as usize];
        let mut facts: Vec<(Value, Vec<Value>)> = (0..rel.len() as u32)
            .map(|r| (rel.time(r), rel.row(r).to_vec()))
            .collect();
        let interner = &self.interner;
        let cmp = |a: &Value, b: &Value| match (a.is_some(), b.is_some()) {
            (true, true) => interner.get(*a).total_cmp(interner.get(*b)),
            (x, y) => x.cmp(&y),
        };
        facts.sort_by(|(ta, a), (tb, b)| {
            cmp(ta, tb).then_with(|| {
                a.iter()
                    .zip(b)
                    .map(|(x, y)| cmp(x, y))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        });
        let rows: Vec<Vec<String>> = facts
            .iter()
            .map(|(t, args)| {
                let mut row: Vec<String> =
                    args.iter().map(|v| cell_text(interner.get(*v))).collect();
                if t.is_some() {
                    row.push(interner.get(*t).to_string());
                }
                row
            })
            .collect();
        crate::tabular::write_rows(&path, &rows).map_err(|e| {
            Diagnostic::new(
                Code::CannotWrite,
                d.path.span,
                format!("cannot write `{}`: {e}", path.display()),
            )
        })?;
        Ok(Output::Written {
            path: path.display().to_string(),
            facts: rows.len(),
        })
    }
}

/// A constant as a CSV cell: strings without their quotes (the CSV writer quotes as needed).
fn cell_text(c: &Const) -> String {
    match c {
        Const::Str(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// The byte offset of a 1-based line and character column in a text.
fn line_column_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    let line_text = rest.split('\n').next().unwrap_or("");
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

/// A query in any of its spellings as a statement: `p(X)` → `p(X)?`.
fn query_statement(query: &str) -> String {
    let q = query.trim();
    if q.starts_with("?-") || q.ends_with('?') {
        q.to_string()
    } else {
        format!("{}?", q.trim_end_matches('.'))
    }
}
