//! `kingdon import SHEET.csv [-o CASE.msf] [--theory PATH] [--document NAME=PATH]…`: a coding
//! sheet written as a case file ([`sheet`]), for `kingdon check` to verify.

pub(crate) mod sheet;

use std::path::Path;
use std::process::ExitCode;

/// What to write besides the facts.
pub struct Args<'a> {
    /// The sheet.
    pub sheet: &'a Path,
    /// Where to write the case (none: standard output).
    pub output: Option<&'a Path>,
    /// The theory the case includes, as the case file will name it.
    pub theory: &'a str,
    /// The documents the sources name: `NAME=PATH`.
    pub documents: &'a [String],
}

/// Reads the sheet and writes the case, or says at which row and column a cell cannot be a
/// fact's part.
pub fn run(args: &Args<'_>) -> ExitCode {
    let name = args.sheet.display().to_string();
    let bytes = match std::fs::read(args.sheet) {
        Ok(bytes) => bytes,
        Err(e) => {
            errln!("error: cannot read `{name}`: {e}");
            return ExitCode::FAILURE;
        }
    };
    match sheet::sheet(&bytes, &name, args.theory, args.documents) {
        Ok(imported) => {
            for note in &imported.notes {
                errln!("note: {note}");
            }
            match args.output {
                Some(path) => super::timeline::write_file(path, imported.case.as_bytes()),
                None => {
                    out!("{}", imported.case);
                    ExitCode::SUCCESS
                }
            }
        }
        Err(rejected) => {
            for note in &rejected.notes {
                errln!("note: {note}");
            }
            for error in &rejected.errors {
                errln!("error: {error}");
            }
            ExitCode::FAILURE
        }
    }
}
