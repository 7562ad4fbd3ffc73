//! `kingdon report [FILE…] [-o OUT.html] [--title T]`: the case as one HTML page.

#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kingdon::report::{html, Options};
use kingdon::KnowledgeBase;

use super::timeline::title_of;

/// Loads the files (or the bundled case) and writes their report.
pub fn run(files: &[PathBuf], output: Option<&Path>, title: Option<&str>, color: bool) -> ExitCode {
    // The page reads the program; it does not run its `output` statements.
    let mut kb = KnowledgeBase::with_options(kingdon::Options {
        skip_outputs: true,
        ..kingdon::Options::default()
    });
    let loaded = if files.is_empty() {
        kb.load_bundle(kingdon::HORGOS_CASE).map(|_| ())
    } else {
        files.iter().try_for_each(|f| kb.load_file(f).map(|_| ()))
    };
    let names: Vec<String> = if files.is_empty() {
        kingdon::HORGOS_CASE
            .iter()
            .filter(|(name, _)| name.ends_with(".msf"))
            .map(|(name, _)| (*name).to_string())
            .collect()
    } else {
        files.iter().map(|f| f.display().to_string()).collect()
    };
    let title = title.map_or_else(|| title_of(files), str::to_string);
    let page = loaded.and_then(|()| {
        html(
            &mut kb,
            &Options {
                title: &title,
                files: &names,
            },
        )
    });
    let page = match page {
        Ok(page) => page,
        Err(e) => {
            eprint!("{}", kb.render(&e, color));
            return ExitCode::FAILURE;
        }
    };
    match output {
        Some(path) => match kingdon::files::write(path, page.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                ExitCode::FAILURE
            }
            Ok(()) => ExitCode::SUCCESS,
        },
        None => {
            out!("{page}");
            ExitCode::SUCCESS
        }
    }
}
