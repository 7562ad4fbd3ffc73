//! `input` and `output` statements: facts read from the rows of a CSV or TSV file into the
//! store, and a predicate's facts written to one. The cell format is [`crate::tabular`]'s.

use std::thread::Scope;

use crate::eval::apart::Apart;
use crate::eval::relation::Batch;
use crate::eval::value::Value;
use crate::interpret::Output;
use crate::store::{RowSink, Store};
use crate::stream;
use crate::syntax::ast::{InputDecl, OutputDecl};
use crate::syntax::{Code, Diagnostic, Span};
use crate::tabular::Cell;

/// Reads the rows of an `input` file as base facts, each with its file and line as origin.
/// A bad row stops the input; the facts read before it go with the copy of the store that the
/// failed statement leaves behind.
pub(crate) fn input(store: &mut Store, d: &InputDecl) -> Result<(), Diagnostic> {
    let path = named_file(store, d.span, &d.path, "reads")?;
    let arity = d.pred.arity.unwrap_or(0) as usize;
    let max_bytes = store.options().parse.max_file_bytes;
    let cannot_read = |store: &mut Store, e: crate::load::ReadError| {
        if let crate::load::ReadError::NotUtf8 { lossy, at, .. } = e {
            return crate::load::not_utf8(store.sources_mut(), &path, lossy, at);
        }
        let diagnostic = Diagnostic::new(Code::CannotRead, d.path.span, e.to_string());
        if e.is_limit() {
            diagnostic
        } else {
            diagnostic.with_hint("the path is relative to the file with the `input` statement")
        }
    };
    let pred = store.pred(&d.pred.name, arity);
    let file = store.input_file(pred, &path.display().to_string());
    let mut args: Vec<Value> = Vec::with_capacity(arity);
    // Rows reach the relation a batch at a time, so that the probes of its table overlap
    // their cache misses (see `Batch`).
    let mut batch = Batch::default();
    let mut lines: Vec<usize> = Vec::new();
    // An `output` of this input not yet written is read as it will be; a named pipe is read
    // aside, whole, so that Ctrl-C is heard while it waits for its writer.
    let waits = std::fs::metadata(&path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let pending = match store.pending_text(&path) {
        Some(text) => Some(text.to_vec()),
        None => match store.options().limits.cancel.clone().filter(|_| waits) {
            Some(cancel) => match crate::load::read_waiting(&path, max_bytes, Some(&cancel)) {
                Ok(text) => Some(text.into_bytes()),
                Err(e) => return Err(cannot_read(store, e)),
            },
            None => None,
        },
    };
    // Room for every line is made once the first row shows whether rows are timed.
    let lines_ahead = match &pending {
        Some(text) => Some(memchr::memchr_iter(b'\n', text).count() + 1),
        None => stream::count_lines(&path, max_bytes),
    };
    let delimiter = crate::tabular::delimiter(&path);
    let (interner, sink) = store.input_parts(pred, file);
    let read = std::thread::scope(|scope| {
        let mut adder = Adder::start(scope, sink, lines_ahead.unwrap_or(0));
        let each_block = |text: &str, first_line: usize| {
            let to_file = |line: usize| line + first_line - 1;
            crate::tabular::read_rows(text, delimiter, arity, |line, cells, time| {
                args.clear();
                for c in cells {
                    args.push(match *c {
                        Cell::Int(n) => interner.intern_int(n),
                        Cell::Sym(s) => interner.intern_text(true, s),
                        Cell::Str(s) => interner.intern_text(false, s),
                        Cell::Other(ref c) => interner.intern(c.clone()),
                    });
                }
                let time = time.map_or(Value::NONE, Value::time);
                lines.push(to_file(line));
                let full = batch.push(&args, time);
                adder.pushed(&mut batch, &mut lines, full);
            })
            // The block goes with the error, placed as in the file: the caret's line is in it
            // (a pipe cannot be read again).
            .map_err(|e| {
                let e = crate::tabular::RowError {
                    line: to_file(e.line),
                    ..e
                };
                (e, crate::load::as_in_file(text, first_line))
            })
        };
        let read = match &pending {
            Some(text) => stream::for_each_block_of(text, &path, max_bytes, each_block),
            None => stream::for_each_block(&path, max_bytes, each_block),
        };
        adder.finish(&mut batch, &mut lines);
        read
    });
    let (e, text) = match read {
        Ok(()) => return Ok(()),
        Err(stream::Stopped::Read(e)) => return Err(cannot_read(store, e)),
        Err(stream::Stopped::Handler(e)) => e,
    };
    let sources = store.sources_mut();
    let file = sources.add(path.display().to_string(), text);
    let source = sources.source(file);
    let start = line_column_offset(&source.text, e.line, e.column);
    let end = line_column_offset(&source.text, e.line, e.column + e.width);
    Err(
        Diagnostic::new(Code::BadRow, Span::new(file, start, end), e.message).with_hint(format!(
            "each row of `{}` must be one fact of `{}/{arity}`",
            path.display(),
            d.pred.name.name
        )),
    )
}

/// The file a statement names, relative to the file it is in, once it is known to lie
/// under that file's folder (docs/cli.md, "What a case may touch"); `verb` says what the
/// statement does with it.
fn named_file(
    store: &Store,
    statement: Span,
    path: &crate::syntax::ast::StringLit,
    verb: &str,
) -> Result<std::path::PathBuf, Diagnostic> {
    let file = store.stated().statement_dir(statement).join(&path.value);
    let source = store.stated().sources.source(statement.file);
    match crate::load::outside(
        source.fence.as_deref(),
        &source.name,
        &file,
        path.span,
        verb,
    ) {
        Some(e) => Err(e),
        None => Ok(file),
    }
}

/// Queues every fact of a predicate for an `output` file, in time order, then by value; a
/// timed fact's time in a last cell. The file is written when the store's outputs are.
pub(crate) fn output(store: &mut Store, d: &OutputDecl) -> Result<Output, Diagnostic> {
    let path = named_file(store, d.span, &d.path, "writes")?;
    let name = &d.pred.name;
    let arity = store
        .stated()
        .program
        .preds
        .get(&name.name)
        .map_or(0, |sig| sig.arity);
    let pred = store.pred(name, arity);
    let view = store.evaluated(d.span)?;
    let rel = &view.rels[pred as usize];
    let rows: Vec<Vec<String>> = view
        .sorted_rows(pred)
        .into_iter()
        .map(|r| {
            let mut row: Vec<String> = rel
                .row(r)
                .iter()
                .map(|v| crate::tabular::cell_text(&view.value(*v)))
                .collect();
            if rel.time(r).is_some() {
                row.push(view.value(rel.time(r)).to_string());
            }
            row
        })
        .collect();
    let bytes = crate::tabular::rows_text(&path, &rows).map_err(|e| {
        Diagnostic::new(
            Code::CannotWrite,
            d.path.span,
            format!("cannot write `{}`: {e}", path.display()),
        )
    })?;
    store.write_later(crate::store::Pending {
        path: path.clone(),
        bytes,
        at: d.path.span,
    });
    Ok(Output::Written {
        path: path.display().to_string(),
        facts: rows.len(),
    })
}

/// The byte offset of a 1-based line and character column in a text.
fn line_column_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(start..).unwrap_or("");
    let line_text = rest.split('\n').next().unwrap_or("");
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

/// Where the batches of an input's rows go: added on this thread, or, for a file of
/// [`Adder::LARGE`] lines or more on a machine with a second core, on a second thread while
/// this one reads and interns the rows after them (see [`Apart`]). The rows are added in
/// their order either way.
enum Adder<'scope, 's> {
    /// Added here, room made for `room` rows before the first.
    Here {
        sink: RowSink<'s>,
        room: Option<usize>,
    },
    /// Sent, with their lines, to the thread that holds the sink and its room.
    Apart(Apart<'scope, Room<'s>, Rows, ()>),
}

/// A sink and the rows it is to make room for before the first.
type Room<'s> = (RowSink<'s>, Option<usize>);

/// A batch of rows and their lines.
type Rows = (Batch, Vec<usize>);

impl<'scope, 's: 'scope> Adder<'scope, 's> {
    /// Rows a batch sent apart holds: enough that handing it over costs next to nothing a row.
    const APART: usize = 4096;
    /// The fewest lines of a file whose rows are added apart. Below them the thread costs
    /// more than it saves: rows added on another core are read from it again by the rules
    /// (a file of 10⁵ rows of two integers took 1.15× as long, 21 paired runs).
    const LARGE: usize = 1 << 17;

    /// Where the rows of a file of about `lines` lines go: `sink`, on this thread or handed
    /// to a second one. Made room for (with the first batch, which shows whether rows are
    /// timed), so that a large load neither copies its columns nor rehashes its table.
    fn start(scope: &'scope Scope<'scope, '_>, sink: RowSink<'s>, lines: usize) -> Self {
        let state = (sink, Some(lines));
        if lines < Self::LARGE || !crate::eval::apart::second_core() {
            let (sink, room) = state;
            return Adder::Here { sink, room };
        }
        let add = |(sink, room): &mut Room<'s>, (batch, lines): &mut Rows| {
            Self::add(sink, room, batch, lines)
        };
        // A thread that cannot start leaves the rows to this one.
        match Apart::start(scope, "input rows", state, add) {
            Ok(apart) => Adder::Apart(apart),
            Err((sink, room)) => Adder::Here { sink, room },
        }
    }

    /// Adds a batch to the sink, after making room for the file's rows before the first.
    fn add(
        sink: &mut RowSink<'_>,
        room: &mut Option<usize>,
        batch: &mut Batch,
        lines: &mut Vec<usize>,
    ) {
        if batch.is_empty() {
            return;
        }
        if let Some(rows) = room.take() {
            sink.reserve(rows, batch.first_timed());
        }
        sink.add(batch, lines);
    }

    /// A row was queued in `batch` (its line in `lines`), which the batch says is `full` for
    /// adding here; a batch is sent apart when it holds [`Adder::APART`] rows.
    fn pushed(&mut self, batch: &mut Batch, lines: &mut Vec<usize>, full: bool) {
        match self {
            Adder::Here { sink, room } if full => Self::add(sink, room, batch, lines),
            Adder::Apart(apart) if batch.len() >= Self::APART => {
                let mut item = (std::mem::take(batch), std::mem::take(lines));
                apart.send(&mut item, drop);
                (*batch, *lines) = item;
            }
            Adder::Here { .. } | Adder::Apart(_) => {}
        }
    }

    /// Adds the rows still queued, and waits for the second thread to add every row sent.
    fn finish(self, batch: &mut Batch, lines: &mut Vec<usize>) {
        match self {
            Adder::Here { mut sink, mut room } => Self::add(&mut sink, &mut room, batch, lines),
            Adder::Apart(apart) => {
                apart.finish((std::mem::take(batch), std::mem::take(lines)), drop);
            }
        }
    }
}
