//! The one writer of the standard output. A reader that goes away (`kingdon run … | head -1`)
//! ends the program quietly with status 0, as the usual Unix tools do; any other failure to
//! write (a full device) is an error on stderr with status 1. (A standard output closed
//! before the start cannot be told from `/dev/null`: the Rust runtime opens that in its
//! place.)
//!
//! The standard error is written with the same care: a message that cannot be written there
//! (`kingdon check f.msf 2>&1 | head -1`, a full disk) is dropped, and the program goes on to
//! its own exit status. There is nowhere left to report it.

use std::io::{ErrorKind, Write};

/// Writes to the standard output, or ends the program as the module says.
pub fn write(args: std::fmt::Arguments<'_>) {
    if cfg!(fuzzing) {
        // Under `cargo fuzz` the text is written, but nowhere.
        let _ = std::fmt::format(args);
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args) {
        fail(&e);
    }
}

/// Flushes the standard output at the end, with the same care.
pub fn flush() {
    if let Err(e) = std::io::stdout().lock().flush() {
        fail(&e);
    }
}

/// Text for a terminal of `width` columns: each longer line wrapped between words under its
/// own indentation (four columns further in), but for the source lines and carets of a
/// diagnostic (`  3 | …`, `    | ^^^`), which must stay as they are to line up.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let source_line = body
            .trim_start()
            .split_once('|')
            .is_some_and(|(n, _)| n.trim().chars().all(|c| c.is_ascii_digit()));
        if source_line {
            out.push_str(line);
            continue;
        }
        for fitted in crate::explain::render::fit_line(body, width) {
            out.push_str(&fitted);
            out.push('\n');
        }
        if !line.ends_with('\n') {
            out.pop();
        }
    }
    out
}

/// Writes to the standard error, dropping what cannot be written (see the module).
pub fn error(args: std::fmt::Arguments<'_>) {
    let text = args.to_string();
    if cfg!(fuzzing) {
        return;
    }
    let _ = std::io::stderr()
        .lock()
        .write_all(with_flags(&text).as_bytes());
}

/// The library's settings and the flags that set them: its messages name a setting
/// (`` raise the limit (`Limits::max_facts`) ``), and a person at the command line reads the
/// flag beside it (`` raise the limit with --max-facts (`Limits::max_facts` in the library) ``).
const FLAGS: &[(&str, &str)] = &[
    ("Limits::max_facts", "--max-facts"),
    ("Limits::max_cells", "--max-cells"),
    ("Limits::max_iterations", "--max-iterations"),
    ("Limits::max_groups", "--max-groups"),
    ("Limits::max_explain_depth", "--max-explain-depth"),
    ("ParseOptions::max_file_bytes", "--max-file-size"),
    ("ParseOptions::max_line_bytes", "--max-line-length"),
    ("ParseOptions::max_includes", "--max-includes"),
    ("ParseOptions::max_depth", "--max-nesting"),
    ("ParseOptions::confine_paths", "--any-path"),
];

/// A message from the library with the command line's flag named beside each setting it
/// names (see [`FLAGS`]).
fn with_flags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("(`") {
        return text.into();
    }
    let mut out = text.to_string();
    for (setting, flag) in FLAGS {
        out = out.replace(
            &format!("(`{setting}`"),
            &format!("with {flag} (`{setting}` in the library"),
        );
    }
    out.into()
}

fn fail(e: &std::io::Error) -> ! {
    if e.kind() == ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    error(format_args!(
        "kingdon: cannot write to standard output: {e}\n"
    ));
    std::process::exit(1);
}
