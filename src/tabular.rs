//! Facts in CSV and TSV files (`input` and `output`): typed cells, one fact per row, and
//! atomic writes.
//!
//! A cell reads as an integer (`2023`, `-12`), a decimal (`3.2`), a symbol (`china`: the
//! syntax of a symbol constant), or else a string. A row of `N` cells is a timeless fact of
//! `pred/N`; a row of `N + 1` cells whose last cell is a time (`2005-07`, `1991-12-25`, or a
//! year, `1992`) is the fact at that time. A time cannot be an argument (LANGUAGE.md §2): a
//! cell that spells one among the arguments is the string of its text. A cell that runs
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

/// One fact read from a row: its arguments and, if the row gave one, its time.
pub type Row = (Vec<Const>, Option<Time>);

/// Reads a cell as the most specific constant it spells.
pub fn cell(text: &str) -> Result<Const, String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let is_int = digits(unsigned);
    let is_dec = unsigned
        .split_once('.')
        .is_some_and(|(a, b)| digits(a) && digits(b));
    if is_int || is_dec {
        return Number::parse(text)
            .map(Const::number)
            .map_err(|e| e.to_string());
    }
    if looks_like_time(text) {
        return Time::parse(text)
            .map(Const::Time)
            .map_err(|e| e.to_string());
    }
    if let Some(c) = text.chars().find(|c| crate::value::is_unprintable(*c)) {
        return Err(format!(
            "a control character (U+{:04X}) in a cell: cells hold printable text",
            u32::from(c)
        ));
    }
    let is_symbol = text.starts_with(|c: char| c.is_ascii_lowercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_keyword(text);
    Ok(if is_symbol {
        Const::Sym(text.into())
    } else {
        Const::Str(text.into())
    })
}

/// Whether a cell is written like a time (`2005-07`, `1991-12-25`, or a bad one, `2005-13`).
fn looks_like_time(text: &str) -> bool {
    text.len() >= 7
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && text.as_bytes()[4] == b'-'
}

/// Reads every row of a CSV or TSV text as a fact of `arity` arguments.
pub fn read_rows(text: &str, delimiter: u8, arity: usize) -> Result<Vec<Row>, RowError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(rows),
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
        let line = record.position().map_or(line, |p| p.line() as usize);
        // The row's own text, found from its byte offset (never by counting lines: that
        // would make reading a file quadratic in its length).
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let line_text = text
            .get(start..)
            .and_then(|rest| rest.lines().next())
            .unwrap_or("");
        let column_of = |i: usize, cell: &str| {
            let byte = line_text.find(cell).filter(|_| i > 0 || !cell.is_empty());
            byte.map_or(1, |b| line_text[..b].chars().count() + 1)
        };
        let cells: Vec<&str> = record.iter().collect();
        if let Some(open) = cells.iter().position(|c| c.contains('\n')) {
            let lines = cells[open].split('\n').count();
            return Err(RowError {
                line,
                column: line_text
                    .find('"')
                    .map_or(1, |b| line_text[..b].chars().count() + 1),
                width: 1,
                message: format!(
                    "this cell runs across {lines} lines: a `\"` opens a quoted cell that is never closed, or closes too late"
                ),
            });
        }
        if cells.len() != arity && cells.len() != arity + 1 {
            return Err(RowError {
                line,
                column: 1,
                width: line_text.chars().count().max(1),
                message: format!(
                    "expected {arity} cell{} (or {} with a time last), found {}",
                    if arity == 1 { "" } else { "s" },
                    arity + 1,
                    cells.len()
                ),
            });
        }
        let mut args = Vec::with_capacity(arity);
        for (i, text) in cells.iter().enumerate().take(arity) {
            let arg = match cell(text) {
                // A time cannot be an argument: the cell is the string it spells.
                Ok(Const::Time(_)) | Err(_) if looks_like_time(text) => Const::Str((*text).into()),
                other => other.map_err(|message| RowError {
                    line,
                    column: column_of(i, text),
                    width: text.chars().count().max(1),
                    message,
                })?,
            };
            args.push(arg);
        }
        let time = match cells.get(arity) {
            None => None,
            Some(last) => match cell(last) {
                Ok(Const::Time(t)) => Some(t),
                Ok(Const::Int(y)) if last.len() == 4 && Time::from_year(y).is_some() => {
                    Time::from_year(y)
                }
                Err(message) if looks_like_time(last) => {
                    return Err(RowError {
                        line,
                        column: column_of(arity, last),
                        width: last.chars().count().max(1),
                        message,
                    })
                }
                _ => {
                    return Err(RowError {
                        line,
                        column: column_of(arity, last),
                        width: last.chars().count().max(1),
                        message: format!(
                            "the extra cell `{last}` is not a time (YYYY, YYYY-MM or YYYY-MM-DD); \
                             a row of {} cells must end with the fact's time",
                            arity + 1
                        ),
                    })
                }
            },
        };
        rows.push((args, time));
    }
}

/// Writes rows (already formatted cells) as CSV or TSV to `path`, through the careful writer
/// ([`crate::files::write`]): an interrupted write never leaves half a file.
pub fn write_rows(path: &Path, rows: &[Vec<String>]) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter(path))
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).map_err(std::io::Error::other)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    crate::files::write(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_typed() {
        assert_eq!(cell("2023"), Ok(Const::Int(2023)));
        assert_eq!(cell("-12"), Ok(Const::Int(-12)));
        assert_eq!(cell("3.20").map(|c| c.to_string()), Ok("3.2".into()));
        assert_eq!(cell("2005-07").map(|c| c.to_string()), Ok("2005-07".into()));
        assert_eq!(cell("china"), Ok(Const::Sym("china".into())));
        assert_eq!(cell("China"), Ok(Const::Str("China".into())));
        assert_eq!(cell("note"), Ok(Const::Str("note".into())));
        assert_eq!(cell("a b"), Ok(Const::Str("a b".into())));
        assert!(cell("2023-02-30").is_err());
        assert!(cell("99999999999999999999").is_err());
    }

    #[test]
    fn rows_with_a_time_and_bad_rows() {
        let rows = read_rows("a,b\nc,d,1992\n", b',', 2).expect("valid");
        assert_eq!(rows[1].1, Some(Time::year(1992)));
        let e = read_rows("a,b\nc,d,e,f\n", b',', 2).expect_err("bad row");
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "expected 2 cells (or 3 with a time last), found 4")
        );
        let e = read_rows("a,b\nc,99999999999999999999\n", b',', 2).expect_err("bad cell");
        assert_eq!((e.line, e.column), (2, 3));
    }
}
