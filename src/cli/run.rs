//! `kingdon run FILE… [--query Q] [--format …]`: run scripts and print what they answer.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::syntax::{Code, Diagnostic, SourceMap};
use crate::{Error, KnowledgeBase, Output};

use super::answers::{render_outputs, Look};

/// Prints what a script's statements printed: answers and explanations on stdout, warnings
/// and errors on stderr; whether there was an error.
pub fn print_outputs(outputs: &[Output], look: &Look) -> bool {
    let (out, warnings, failed) = render_outputs(outputs, look);
    out!("{out}");
    err!("{warnings}");
    failed
}

/// Runs the files in order and evaluates what they state; with `query`, prints only its
/// answers. The knowledge base leaves its `output` files unwritten until asked: they are
/// written at the end of a run that succeeds.
pub fn run(
    kb: &mut KnowledgeBase,
    files: &[PathBuf],
    query: Option<&str>,
    look: &Look,
    color: bool,
) -> ExitCode {
    let mut refused = false;
    let fail = |kb: &KnowledgeBase, e: &Error| {
        if let (Error::Rejected { partial, .. }, None) = (e, query) {
            print_outputs(partial, look);
        }
        err!("{}", kb.render(e, color));
        ExitCode::FAILURE
    };
    for file in files {
        match kb.load_file(file) {
            Ok(mut report) => {
                // A predicate the question reads is used, though no file reads it.
                if let Some(q) = query {
                    report.warnings.retain(|w| !read_by(q, w, kb.sources()));
                }
                if !report.warnings.is_empty() {
                    err!(
                        "{}",
                        crate::syntax::render_all(&report.warnings, kb.sources(), color)
                    );
                }
                if query.is_none() {
                    refused |= print_outputs(&report.outputs, look);
                }
            }
            Err(e) => return fail(kb, &e),
        }
    }
    // A run computes the whole program, asked or not: an error in a rule that no query
    // reached is still an error of the script.
    if let Err(e) = kb.evaluate() {
        return fail(kb, &e);
    }
    if let Some(q) = query {
        // Exactly one question: a query, or `why`, `whynot` or `whatif` with its pattern.
        let q = q.trim();
        let after = |keyword: &str| {
            q.strip_prefix(keyword)
                .filter(|rest| rest.starts_with(char::is_whitespace))
        };
        let explained = if let Some(pattern) = after("why") {
            kb.why(pattern).map(Output::Why)
        } else if let Some(pattern) = after("whynot") {
            kb.whynot(pattern).map(Output::WhyNot)
        } else if let Some(change) = after("whatif") {
            kb.whatif(change).map(Output::WhatIf)
        } else {
            match kb.query(q) {
                Ok(answers) => {
                    let query = q.to_string();
                    print_outputs(&[Output::Answers { query, answers }], look);
                    return write_outputs(kb, &fail);
                }
                Err(e) => return fail(kb, &e),
            }
        };
        match explained {
            Ok(output) => refused |= print_outputs(&[output], look),
            Err(e) => return fail(kb, &e),
        }
    }
    if refused {
        return ExitCode::FAILURE;
    }
    write_outputs(kb, &fail)
}

/// Writes the files of the scripts' `output` statements, now that every file ran, the
/// whole program evaluated and the question was answered: a run that fails writes none.
fn write_outputs(
    kb: &mut KnowledgeBase,
    fail: &dyn Fn(&KnowledgeBase, &Error) -> ExitCode,
) -> ExitCode {
    match kb.write_outputs() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(kb, &e),
    }
}

/// Whether a warning that a predicate is never used is about one the question names.
fn read_by(question: &str, warning: &Diagnostic, sources: &SourceMap) -> bool {
    if warning.code != Code::UnusedPredicate {
        return false;
    }
    let source = sources.source(warning.span.file);
    let name = source
        .text
        .get(warning.span.start as usize..warning.span.end as usize)
        .unwrap_or("");
    question
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == name)
}

/// The statistics of the last evaluation, on stderr: where the time went, and the memory.
pub fn print_stats(kb: &KnowledgeBase) {
    let Some(stats) = kb.stats() else {
        errln!("stats: no evaluation ran");
        return;
    };
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let facts = |n: usize| format!("{n} fact{}", if n == 1 { "" } else { "s" });
    let m = &stats.memory;
    let share = |part: usize| 100.0 * part as f64 / m.total().max(1) as f64;
    errln!(
        "evaluation: {:.2} ms, {} facts ({} derived)",
        ms(stats.time),
        stats.facts,
        stats.derived
    );
    errln!(
        "memory: {:.1} KiB, {:.1} bytes a fact (rows {:.0}%, times {:.0}%, provenance {:.0}%, dedup {:.0}%, indexes {:.0}%)",
        m.total() as f64 / 1024.0,
        m.total() as f64 / stats.facts.max(1) as f64,
        share(m.rows),
        share(m.times),
        share(m.provenance),
        share(m.dedup),
        share(m.indexes)
    );
    if let Some(peak) = peak_resident_memory() {
        errln!(
            "process: peak resident memory {:.1} MiB (loading included)",
            peak as f64 / (1024.0 * 1024.0)
        );
    }
    for stratum in &stats.strata {
        let names: Vec<&str> = stratum
            .preds
            .iter()
            .map(|p| kb.predicate_name(*p).unwrap_or("?"))
            .collect();
        errln!(
            "stratum {}: {:.2} ms, {}",
            names.join(", "),
            ms(stratum.time),
            facts(stratum.derived)
        );
    }
    for (rule, time) in &stats.rule_time {
        let rule_facts = stats.rule_facts.get(rule).copied().unwrap_or(0);
        errln!(
            "  rule {}: {:.2} ms, {}",
            kb.rule_label(*rule)
                .unwrap_or_else(|| format!("number {rule}")),
            ms(*time),
            facts(rule_facts)
        );
    }
}

/// The process's highest resident memory so far, in bytes, where the system tells it (Linux).
fn peak_resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(kib * 1024)
}
