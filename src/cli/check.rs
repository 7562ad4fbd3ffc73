//! `kingdon check FILE…`: every diagnostic of the files, exit 1 on any error.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::check::check_files;
use crate::syntax::ParseOptions;

/// Checks the files as one program. Syntax errors are reported alone, without the loading's
/// warnings: the later checks would only repeat them as missing definitions.
pub fn run(files: &[PathBuf], options: ParseOptions, color: bool) -> ExitCode {
    let checked = match check_files(files, options) {
        Ok(checked) => checked,
        Err(e) => {
            errln!("kingdon: {e}");
            return ExitCode::FAILURE;
        }
    };
    if checked.diagnostics().is_empty() {
        let n = checked.statements();
        outln!(
            "{}: {n} statement{}, no problems found",
            files
                .iter()
                .map(|f| crate::value::shown(&f.display().to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            if n == 1 { "" } else { "s" }
        );
        return ExitCode::SUCCESS;
    }
    err!("{}", checked.render(color));
    if checked.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
