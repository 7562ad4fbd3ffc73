//! `kingdon report [FILE…] [-o OUT.html] [--title T]`: the case as one HTML page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kingdon::report::{html, Options};

use super::timeline::{load_for_drawing, title_of, write_file};

/// Loads the files (or the bundled case) and writes their report.
pub fn run(
    files: &[PathBuf],
    options: kingdon::Options,
    output: Option<&Path>,
    title: Option<&str>,
    color: bool,
) -> ExitCode {
    let (mut kb, loaded) = load_for_drawing(files, options);
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
            err!("{}", kb.render(&e, color));
            return ExitCode::FAILURE;
        }
    };
    match output {
        Some(path) => write_file(path, page.as_bytes()),
        None => {
            out!("{page}");
            ExitCode::SUCCESS
        }
    }
}
