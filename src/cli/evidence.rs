//! `kingdon evidence FILE…`: every stated fact and rule with what backs it — quoted, cited,
//! assumed or nothing — and whether each quote occurs in its document.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::evidence::{entries, Entry, Totals};
use crate::load::load_files;
use crate::syntax::{render_all, ParseOptions};
use clap::ValueEnum;

/// How `kingdon evidence` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A summary line, then one line per fact or rule.
    Text,
    /// One JSON document: `totals` and `entries`.
    Json,
    /// A header, then one row per fact or rule, comma-separated.
    Csv,
}

/// Lists the evidence of the files, read in order as one program: of their own statements, or
/// with `includes` of the files they include too. Exit 1 when a file cannot be read or parsed,
/// or a quote is not in its document.
pub fn run(
    files: &[PathBuf],
    includes: bool,
    options: ParseOptions,
    format: Format,
    color: bool,
) -> ExitCode {
    let program = match load_files(files, options) {
        Ok(program) => program,
        Err(e) => {
            errln!("kingdon: {e}");
            return ExitCode::FAILURE;
        }
    };
    if program.diagnostics.iter().any(|d| d.is_error()) {
        err!(
            "{}",
            render_all(&program.diagnostics, &program.sources, color)
        );
        return ExitCode::FAILURE;
    }
    let named: Vec<String> = files
        .iter()
        .map(|f| format!("{}:", crate::value::shown(&f.display().to_string())))
        .collect();
    let list: Vec<Entry> = entries(&program.statements, &program.sources)
        .into_iter()
        .filter(|e| includes || named.iter().any(|n| e.at.starts_with(n.as_str())))
        .collect();
    let totals = Totals::of(&list);
    match format {
        Format::Json => {
            let doc = serde_json::json!({ "totals": totals, "entries": list });
            outln!("{doc}");
        }
        Format::Csv => out!("{}", csv(&list)),
        Format::Text => {
            outln!("{}", summary(&totals));
            for e in &list {
                outln!("{}", text_line(e));
            }
        }
    }
    if totals.not_found > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `42 facts and rules: 30 quoted, 2 cited, 10 assumed, 0 with nothing; every quote found`.
fn summary(t: &Totals) -> String {
    let found = match t.not_found {
        0 => "every quote found".to_string(),
        n => format!("{n} quote{} not found", if n == 1 { "" } else { "s" }),
    };
    format!(
        "{} facts and rules: {} quoted, {} cited, {} assumed, {} with nothing; {found}",
        t.statements, t.quoted, t.cited, t.assumed, t.none
    )
}

/// `quoted   rules/horgos.msf:14  dissolution(ussr) @ 1991-12-25  [shi2024 §3.2.1] “…”`,
/// on one line: a line break or tab in a text is written `\n`, `\t`.
fn text_line(e: &Entry) -> String {
    text_parts(e).replace('\n', "\\n").replace('\t', "\\t")
}

/// [`text_line`] before its breaks are written out.
fn text_parts(e: &Entry) -> String {
    let mut line = format!("{:<8} {}  {}", e.kind.as_str(), e.at, e.text);
    if let Some(c) = e.citation() {
        line.push_str(&format!("  [{c}]"));
    }
    if let Some(q) = &e.quote {
        let mark = match (e.found, &e.document) {
            (Some(false), None) => " (NOT CHECKED: it cites no document)",
            (Some(false), Some(_)) => " (NOT FOUND)",
            _ => "",
        };
        line.push_str(&format!("  “{q}”{mark}"));
    }
    if let Some(a) = &e.assumed {
        line.push_str(&format!("  assumed: {a}"));
    }
    line
}

/// The listing as CSV: a header, then a row per fact or rule.
fn csv(list: &[Entry]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "kind",
        "statement",
        "text",
        "at",
        "document",
        "source",
        "quote",
        "found",
        "assumed",
    ]);
    for e in list {
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let _ = out.write_record([
            e.kind.as_str().to_string(),
            e.statement.to_string(),
            e.text.clone(),
            e.at.clone(),
            opt(&e.document),
            opt(&e.source),
            opt(&e.quote),
            e.found.map(|f| f.to_string()).unwrap_or_default(),
            opt(&e.assumed),
        ]);
    }
    // Writing to memory cannot fail.
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
