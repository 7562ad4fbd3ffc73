//! `kingdon check FILE…`: every diagnostic of the files, exit 1 on any error.

use std::path::PathBuf;
use std::process::ExitCode;

use kingdon::load::load_files;
use kingdon::syntax::{render_all, ParseOptions};

/// Checks the files as one program. Syntax errors are reported alone, without the loading's
/// warnings: the later checks would only repeat them as missing definitions.
pub fn run(files: &[PathBuf], options: ParseOptions, color: bool) -> ExitCode {
    let program = match load_files(files, options) {
        Ok(program) => program,
        Err(e) => {
            errln!("kingdon: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut diagnostics = program.diagnostics;
    if !diagnostics.iter().any(|d| d.is_error()) {
        diagnostics.extend(kingdon::check::check(&program.statements, &program.sources));
    }
    kingdon::syntax::in_order(&mut diagnostics);
    if diagnostics.is_empty() {
        let n = program.statements.len();
        outln!(
            "{}: {n} statement{}, no problems found",
            files
                .iter()
                .map(|f| kingdon::value::shown(&f.display().to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            if n == 1 { "" } else { "s" }
        );
        return ExitCode::SUCCESS;
    }
    err!("{}", render_all(&diagnostics, &program.sources, color));
    if diagnostics.iter().any(|d| d.is_error()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
