//! The piped mode: statements read from standard input (or any reader), answered in order
//! without prompt or banner; with `echo`, each after the prompt and its own text, as a
//! terminal would show them.

use std::io::Read;

use super::commands::show;
use super::gather::{dropped, Gather, Gathered};
use super::session::{states_only, Session};

/// Statements from standard input, answered in order, without prompt or banner; with `echo`,
/// each after the prompt and its own text, as the terminal would show them.
pub fn run(session: &mut Session, input: impl Read, max_bytes: u64, echo: bool) -> bool {
    let answer = |session: &mut Session, input: &str| {
        if echo {
            out!("{}{input}", session.prompt(false));
            if !input.ends_with('\n') {
                outln!();
            }
        }
        session.handle(input)
    };
    let mut bytes = Vec::new();
    let read = input
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        errln!("kingdon: cannot read standard input: {e}");
        return true;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&valid[start..]).chars().count() + 1;
            errln!(
                "kingdon: standard input is not UTF-8 text: the first bad byte is at line {line}, column {column}; nothing was run"
            );
            return true;
        }
    };
    if text.len() as u64 > max_bytes {
        errln!(
            "kingdon: standard input is more than {max_bytes} bytes, the limit (raise it with --max-file-size)"
        );
        return true;
    }
    let mut failed = false;
    let mut gather = Gather::default();
    // Inputs that only state facts and rules, answered together when something else comes
    // (each input alone would cost the whole knowledge base: quadratic in the lines).
    let mut stated: Vec<String> = Vec::new();
    let flush = |session: &mut Session, stated: &mut Vec<String>| {
        if stated.is_empty() {
            false
        } else {
            show(session.handle_statements(&std::mem::take(stated)))
        }
    };
    for line in text.lines() {
        match gather.line(line) {
            Gathered::Command(command) => {
                failed |= flush(session, &mut stated);
                let response = answer(session, &command);
                let quit = response.quit;
                failed |= show(response);
                if quit {
                    return failed;
                }
            }
            Gathered::Run(input) if !echo && states_only(&input) => stated.push(input),
            Gathered::Run(input) => {
                failed |= flush(session, &mut stated);
                failed |= show(answer(session, &input));
            }
            Gathered::Dropped { unfinished, input } => {
                flush(session, &mut stated);
                errln!("{}", dropped(&unfinished));
                failed = true;
                failed |= show(answer(session, &input));
            }
            // A blank line after an unfinished statement drops it: said, and a failure
            // (it was dropped silently, exit 0).
            Gathered::Cancelled(unfinished) => {
                flush(session, &mut stated);
                errln!("{}", dropped(&unfinished));
                failed = true;
            }
            Gathered::More => {}
        }
    }
    failed |= flush(session, &mut stated);
    if let Some(rest) = gather.rest() {
        failed |= show(answer(session, &rest));
    }
    failed
}
