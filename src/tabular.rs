//! Facts in CSV and TSV files (`input` and `output`): typed cells, one fact per row; the
//! bytes of an `output` file (`files::write` writes them).
//!
//! A cell reads as an integer (`2023`, `-12`), a decimal (`3.2`), a symbol (`china`: the
//! syntax of a symbol constant), a string written as the language writes one (`"7"`,
//! `"line\nbreak"`: quotes and escapes inside the cell), or else the string of its text.
//! `output` writes a string bare only where it reads back as that string, and as the
//! language writes it otherwise, so that a file read back holds the facts written
//! (LANGUAGE.md §8, "Numbers"). A row of `N` cells is a timeless fact of
//! `pred/N`; a row of `N + 1` cells whose last cell is a time (`2005-07`, `1991-12-25`, or a
//! year, `1992`) is the fact at that time. Among the arguments a cell `2005-07` or `@2006` is a
//! time, as in a rule file (LANGUAGE.md §8); one written like a time that is none (`2005-13`)
//! is the string of its text. A cell that runs
//! across lines (a `"` left open swallows the rows after it) is an error.

use std::path::Path;

use crate::eval::Const;
use crate::syntax::is_keyword;
use crate::value::{Number, Time};

/// The field separator a file's extension implies: tab for `.tsv`, comma otherwise.
pub fn delimiter(path: &Path) -> u8 {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("tsv") => b'\t',
        _ => b',',
    }
}

/// A row that does not make a fact: where (1-based line and column, in characters) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line of the row.
    pub line: usize,
    /// The column of the offending cell (1 when the whole row is wrong).
    pub column: usize,
    /// How many characters to underline.
    pub width: usize,
    /// What is wrong.
    pub message: String,
}

/// A cell read as the constant it spells, borrowing its text: reading a large file makes no
/// string per cell (the interner copies a text the first time it meets it).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'t> {
    /// An integer.
    Int(i64),
    /// A symbol (`china`).
    Sym(&'t str),
    /// A string (any other text).
    Str(&'t str),
    /// A decimal.
    Other(Const),
}

#[cfg(any(test, fuzzing))]
impl Cell<'_> {
    /// The constant the cell holds.
    pub fn to_const(&self) -> Const {
        match self {
            Cell::Int(n) => Const::Int(*n),
            Cell::Sym(s) => Const::Sym((*s).into()),
            Cell::Str(s) => Const::Str((*s).into()),
            Cell::Other(c) => c.clone(),
        }
    }
}

/// Reads a cell as the most specific constant it spells.
#[cfg(test)]
fn cell(text: &str) -> Result<Const, String> {
    match classify(text)? {
        Classified::Time(t) => Ok(Const::Time(t)),
        Classified::Cell(c) => Ok(c.to_const()),
    }
}

/// A cell's constant: a time, or any other.
enum Classified<'t> {
    Time(Time),
    Cell(Cell<'t>),
}

/// Reads a cell as the most specific constant it spells, without copying its text.
fn classify(text: &str) -> Result<Classified<'_>, String> {
    if let Some(n) = small_int(text) {
        return Ok(Classified::Cell(Cell::Int(n)));
    }
    // `@2006`: a year written as a time, where a bare `2006` is a number.
    if let Some(time) = text.strip_prefix('@') {
        return Time::parse(time)
            .map(Classified::Time)
            .map_err(|e| e.to_string());
    }
    // Before the numbers: a text written like a time is no number (its `-` is inside).
    if looks_like_time(text) {
        return Time::parse(text)
            .map(Classified::Time)
            .map_err(|e| e.to_string());
    }
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        return match crate::syntax::string_body(text) {
            Ok(("", value)) => match value
                .chars()
                .find(|&c| crate::value::is_unprintable(c) && c != '\n')
            {
                Some(c) => Err(format!(
                    "{} in a string: strings hold printable text",
                    crate::value::unprintable_name(c)
                )),
                None => Ok(Classified::Cell(Cell::Other(Const::Str(value.into())))),
            },
            Ok(_) => Err(format!(
                "`{text}` is not one string: a `\"` inside a string is written `\\\"`"
            )),
            Err(e) => Err(e.message),
        };
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let is_int = digits(unsigned);
    let is_dec = unsigned
        .split_once('.')
        .is_some_and(|(a, b)| digits(a) && digits(b));
    if is_int || is_dec {
        return match Number::parse(text).map(Const::number) {
            Ok(Const::Int(n)) => Ok(Classified::Cell(Cell::Int(n))),
            Ok(other) => Ok(Classified::Cell(Cell::Other(other))),
            Err(e) => Err(e.to_string()),
        };
    }
    if let Some(c) = text.chars().find(|c| crate::value::is_unprintable(*c)) {
        return Err(format!(
            "{} in a cell: cells hold printable text",
            crate::value::unprintable_name(c)
        ));
    }
    let is_symbol = text.starts_with(|c: char| c.is_ascii_lowercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_keyword(text);
    Ok(Classified::Cell(if is_symbol {
        Cell::Sym(text)
    } else {
        Cell::Str(text)
    }))
}

/// An integer of at most 18 digits, optionally signed, read without a detour (most cells of
/// large files are these; longer ones go through [`Number::parse`]).
#[inline]
fn small_int(text: &str) -> Option<i64> {
    // The cell is all of `text`: a `,` in it ends the integer before the end, so it is none.
    int_cell(text.as_bytes(), 0, b',').and_then(|(n, end)| (end == text.len()).then_some(n))
}

/// Whether a cell is written like a time (`2005-07`, `1991-12-25`, or a bad one, `2005-13`).
fn looks_like_time(text: &str) -> bool {
    text.len() >= 7
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && text.as_bytes()[4] == b'-'
}

/// Reads every row of a CSV or TSV text as a fact of `arity` arguments and hands each to
/// `fact`: its line, its cells, and its time if the row gave one. A text without quotes is
/// split at line ends and delimiters directly; any other goes through the `csv` crate. The
/// first bad row stops the reading (the facts before it have been handed on).
pub fn read_rows(
    text: &str,
    delimiter: u8,
    arity: usize,
    mut fact: impl FnMut(usize, &[Cell<'_>], Option<Time>),
) -> Result<(), RowError> {
    if is_plain(text.as_bytes()) {
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(arity);
        let mut texts: Vec<&str> = Vec::with_capacity(arity + 1);
        let bytes = text.as_bytes();
        let (mut start, mut line) = (0, 0);
        while start <= bytes.len() {
            line += 1;
            // Most lines of a large file are integers, a time last or not: read as they come,
            // their end found on the way.
            if let Some((next, time)) = int_line(bytes, start, delimiter, arity, &mut cells) {
                fact(line, &cells, time);
                start = next;
                continue;
            }
            let end = bytes
                .get(start..)
                .and_then(|rest| memchr::memchr(b'\n', rest))
                .map_or(bytes.len(), |at| start + at);
            let line_text = text.get(start..end).unwrap_or("");
            start = end + 1;
            let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
            if line_text.is_empty() {
                // The csv crate skips empty lines too.
                continue;
            }
            split(line_text, delimiter, &mut texts);
            let time = row(line, line_text, &texts, arity, &mut cells)?;
            fact(line, &cells, time);
        }
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    // The byte offset up to which lines are counted, and the line there.
    let mut counted = (0, 1);
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                return Err(RowError {
                    line,
                    column: 1,
                    width: 1,
                    message: format!("this row cannot be read: {e}"),
                });
            }
        }
        // The row's line and text, found from its byte offset: the lines are counted from the
        // previous row on (from the start each time, reading would be quadratic in the
        // length; the csv crate's own count goes wrong after a CRLF and a blank line).
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        // The crate's position is where the previous row ended, before the line ends it skips.
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if let Some(skipped) = text.get(counted.0..start) {
            counted = (
                start,
                counted.1 + skipped.bytes().filter(|&b| b == b'\n').count(),
            );
        }
        let line = counted.1;
        let line_text = text
            .get(start..)
            .and_then(|rest| rest.lines().next())
            .unwrap_or("");
        // The row's own text, line ends included, checked for what the csv crate lets pass:
        // a quote left open (it swallows the rest of the file), a cell across lines, a stray
        // quote (read as a character) and text after a closing quote (joined to the cell).
        let end = (reader.position().byte() as usize).max(start);
        let raw = text.get(start..end).unwrap_or("");
        if let Some(trouble) = quote_trouble(raw.as_bytes(), delimiter) {
            let at = trouble.at();
            let lines_to = |to: usize| raw.get(at..to).map_or(0, |s| s.matches('\n').count()) + 1;
            let message = match trouble {
                QuoteTrouble::Unclosed(_) => {
                    // The file's last line end closes its last line, not a line more.
                    match lines_to(raw.len()) - usize::from(raw.ends_with('\n')) {
                        0 | 1 => "a `\"` opens a quoted cell that is never closed".to_string(),
                        n => format!(
                            "a `\"` opens a quoted cell that is never closed: it runs across {n} lines, to the end of the file"
                        ),
                    }
                }
                QuoteTrouble::Spans(_, close) => format!(
                    "this quoted cell runs across {} lines: a cell closes on the line it opens",
                    lines_to(close)
                ),
                QuoteTrouble::Stray(_) => "a `\"` inside a cell that does not start with one: quote the whole cell, writing the `\"` twice (`\"a \"\"b\"\"\"`)".to_string(),
                QuoteTrouble::AfterClose(_) => "text after the `\"` that closes a quoted cell: a `\"` inside a quoted cell is written twice (`\"\"`)".to_string(),
            };
            return Err(RowError {
                line: line + raw.get(..at).map_or(0, |s| s.matches('\n').count()),
                column: column_at(text, start + at),
                width: 1,
                message,
            });
        }
        let texts: Vec<&str> = record.iter().collect();
        // Cells borrow the record, which the next row reuses: a vector for each row (quoted
        // files are the rarer kind).
        let mut cells = Vec::with_capacity(arity);
        // A lone carriage return ends a row but not a line: a row after one starts inside its
        // line, and its columns are counted from the line's start.
        let time = row(line, line_text, &texts, arity, &mut cells).map_err(|e| RowError {
            column: e.column + column_at(text, start) - 1,
            ..e
        })?;
        fact(line, &cells, time);
    }
}

/// The 1-based column, in characters, of byte `byte` of `text` in its line.
fn column_at(text: &str, byte: usize) -> usize {
    let before = text.get(..byte).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before.get(line_start..).map_or(0, |t| t.chars().count()) + 1
}

/// A row's quotes that the csv crate reads leniently, each at a byte of the row's raw text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QuoteTrouble {
    /// A quoted cell opens here and is never closed.
    Unclosed(usize),
    /// A quoted cell opens at the first byte and closes at the second, on a later line.
    Spans(usize, usize),
    /// A `"` inside a cell that does not start with one.
    Stray(usize),
    /// Text right after the `"` that closes a quoted cell.
    AfterClose(usize),
}

impl QuoteTrouble {
    /// The byte to point at: the opening quote, the stray one, or the text after the close.
    fn at(self) -> usize {
        match self {
            QuoteTrouble::Unclosed(at)
            | QuoteTrouble::Spans(at, _)
            | QuoteTrouble::Stray(at)
            | QuoteTrouble::AfterClose(at) => at,
        }
    }
}

/// The first thing wrong with the quotes of a row's raw text (`raw`, cells split at
/// `delimiter`), if any: one pass that follows a cell from its start through its quotes.
fn quote_trouble(raw: &[u8], delimiter: u8) -> Option<QuoteTrouble> {
    enum State {
        Start,
        Plain,
        Quoted(usize),
        Closed,
    }
    let mut state = State::Start;
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let ends_cell = b == delimiter || b == b'\n' || b == b'\r';
        state = match state {
            State::Start | State::Plain | State::Closed if ends_cell => State::Start,
            State::Start if b == b'"' => State::Quoted(i),
            State::Plain if b == b'"' => return Some(QuoteTrouble::Stray(i)),
            State::Start | State::Plain => State::Plain,
            State::Closed => return Some(QuoteTrouble::AfterClose(i)),
            State::Quoted(at) if b == b'"' && raw.get(i + 1) == Some(&b'"') => {
                i += 1;
                State::Quoted(at)
            }
            State::Quoted(at) if b == b'"' => {
                if raw.get(at..i).is_some_and(|cell| cell.contains(&b'\n')) {
                    return Some(QuoteTrouble::Spans(at, i));
                }
                State::Closed
            }
            State::Quoted(at) => State::Quoted(at),
        };
        i += 1;
    }
    match state {
        State::Quoted(at) => Some(QuoteTrouble::Unclosed(at)),
        _ => None,
    }
}

/// Whether a text can be split without a CSV parser: no quotes, and no carriage return but
/// before a line feed.
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    !memchr::memchr2_iter(b'"', b'\r', bytes)
        .any(|i| bytes.get(i) == Some(&b'"') || bytes.get(i + 1) != Some(&b'\n'))
}

/// The cells of a line without quotes, split at `delimiter` into `texts`. The delimiter is
/// ASCII, so every piece is whole characters.
#[inline]
fn split<'t>(line: &'t str, delimiter: u8, texts: &mut Vec<&'t str>) {
    texts.clear();
    let mut start = 0;
    for (i, &b) in line.as_bytes().iter().enumerate() {
        if b == delimiter {
            texts.push(line.get(start..i).unwrap_or(""));
            start = i + 1;
        }
    }
    texts.push(line.get(start..).unwrap_or(""));
}

/// A line of `arity` integer cells, and a time last if it has one, read from `start` of the
/// whole text: where the next line starts (past the line end, or past the text when it has
/// none), and the time. `None` for any other line (a cell of another kind, an empty line, a
/// last cell that is not a time), which is then read on its own.
#[inline]
fn int_line(
    bytes: &[u8],
    start: usize,
    delimiter: u8,
    arity: usize,
    cells: &mut Vec<Cell<'_>>,
) -> Option<(usize, Option<Time>)> {
    let at = int_cells(bytes, start, delimiter, arity, cells)?;
    // Where the line that ends at `at` is followed by the next, if it ends there.
    let next = |at: usize| match bytes.get(at) {
        None | Some(b'\n') => Some(at + 1),
        Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => Some(at + 2),
        Some(_) => None,
    };
    if let Some(next) = next(at) {
        return Some((next, None));
    }
    // A time last: digits and dashes to the line's end.
    (bytes.get(at) == Some(&delimiter)).then_some(())?;
    let from = at + 1;
    let rest = bytes.get(from..)?;
    let len = rest
        .iter()
        .position(|&b| !(b.is_ascii_digit() || b == b'-'))
        .unwrap_or(rest.len());
    let next = next(from + len)?;
    Some((next, Some(Time::parse_bytes(rest.get(..len)?).ok()?)))
}

/// Reads into `cells` the `arity` integers from `start` of `bytes`, one after each
/// `delimiter`; answers where the last one's digits end (what follows is the caller's to
/// read). `None` when there are not so many integers there, or none are asked for.
#[inline(always)]
fn int_cells(
    bytes: &[u8],
    start: usize,
    delimiter: u8,
    arity: usize,
    cells: &mut Vec<Cell<'_>>,
) -> Option<usize> {
    if arity == 0 {
        return None;
    }
    cells.clear();
    let mut at = start;
    for k in 0..arity {
        if k > 0 {
            (bytes.get(at) == Some(&delimiter)).then_some(())?;
            at += 1;
        }
        let (n, end) = int_at(bytes, at)?;
        cells.push(Cell::Int(n));
        at = end;
    }
    Some(at)
}

/// The unsigned or `-`-signed integer of at most 18 digits that starts at `at` and runs to a
/// delimiter or the end, and where it ends; what [`small_int`] reads.
#[inline]
fn int_cell(line: &[u8], at: usize, delimiter: u8) -> Option<(i64, usize)> {
    let (n, end) = int_at(line, at)?;
    line.get(end)
        .is_none_or(|&b| b == delimiter)
        .then_some((n, end))
}

/// The unsigned or `-`-signed integer of 1 to 18 digits that starts at `at`, and where its
/// digits end (whatever follows them).
#[inline]
fn int_at(line: &[u8], at: usize) -> Option<(i64, usize)> {
    let negative = line.get(at) == Some(&b'-');
    let start = at + usize::from(negative);
    let mut n: i64 = 0;
    let mut digits = 0;
    // Wrapping: more than 18 digits are refused below, whatever they summed to.
    for &b in line.get(start..)? {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        n = n.wrapping_mul(10).wrapping_add(i64::from(digit));
        digits += 1;
    }
    let end = start + digits;
    (1..=18)
        .contains(&digits)
        .then_some((if negative { -n } else { n }, end))
}

/// Reads one row's cells into `cells` (the arguments) and returns its time, or says what is
/// wrong with it.
fn row<'t>(
    line: usize,
    line_text: &str,
    texts: &[&'t str],
    arity: usize,
    cells: &mut Vec<Cell<'t>>,
) -> Result<Option<Time>, RowError> {
    let column_of = |i: usize, cell: &str| {
        // A cell split from the line lies in it: its place is exact (an empty cell, or one
        // whose text comes earlier in the line too). A quoted cell was unquoted apart from
        // the line: it is looked for.
        let start = line_text.as_ptr() as usize;
        let at = (cell.as_ptr() as usize).wrapping_sub(start);
        let byte = if line_text.get(at..at.saturating_add(cell.len())) == Some(cell) {
            Some(at)
        } else {
            line_text.find(cell).filter(|_| i > 0 || !cell.is_empty())
        };
        byte.map_or(1, |b| line_text[..b].chars().count() + 1)
    };
    // A fact of no arguments and no time: `output` writes it as one empty cell, `""`.
    if arity == 0 && texts == [""] {
        cells.clear();
        return Ok(None);
    }
    if texts.len() != arity && texts.len() != arity + 1 {
        return Err(RowError {
            line,
            column: 1,
            width: line_text.chars().count().max(1),
            message: format!(
                "expected {arity} cell{} (or {} with a time last), found {}",
                if arity == 1 { "" } else { "s" },
                arity + 1,
                texts.len()
            ),
        });
    }
    cells.clear();
    for (i, text) in texts.iter().enumerate().take(arity) {
        let arg = match classify(text) {
            Ok(Classified::Cell(c)) => c,
            // A time is a value like any other (LANGUAGE.md §8).
            Ok(Classified::Time(t)) => Cell::Other(Const::Time(t)),
            // Written like a time but none (`2005-13`): in a data file, the string it spells.
            Err(_) if looks_like_time(text) => Cell::Str(text),
            Err(message) => {
                return Err(RowError {
                    line,
                    column: column_of(i, text),
                    width: text.chars().count().max(1),
                    message,
                })
            }
        };
        cells.push(arg);
    }
    let Some(last) = texts.get(arity) else {
        return Ok(None);
    };
    match classify(last) {
        Ok(Classified::Time(t)) => Ok(Some(t)),
        Ok(Classified::Cell(Cell::Int(y))) if last.len() == 4 && Time::from_year(y).is_some() => {
            Ok(Time::from_year(y))
        }
        Err(message) if looks_like_time(last) => Err(RowError {
            line,
            column: column_of(arity, last),
            width: last.chars().count().max(1),
            message,
        }),
        _ => Err(RowError {
            line,
            column: column_of(arity, last),
            width: last.chars().count().max(1),
            message: format!(
                "the extra cell {} not a time (YYYY, YYYY-MM or YYYY-MM-DD); \
                 a row of {} cells must end with the fact's time",
                if last.is_empty() {
                    "is empty,".to_string()
                } else {
                    format!("`{last}` is")
                },
                arity + 1
            ),
        }),
    }
}

/// A constant as the cell `output` writes: a string bare where it reads back as itself,
/// else as the language writes it (`"7"`, `"a\nb"`); any other constant as it prints.
pub fn cell_text(c: &Const) -> String {
    match c {
        Const::Str(s) => match classify(s) {
            Ok(Classified::Cell(Cell::Str(read))) if read == &**s => s.to_string(),
            _ => crate::value::quote(s),
        },
        other => other.written().to_string(),
    }
}

/// Rows (already formatted cells) as the CSV or TSV text `path`'s extension asks for.
pub fn rows_text(path: &Path, rows: &[Vec<String>]) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter(path))
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).map_err(std::io::Error::other)?;
    }
    writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests;
