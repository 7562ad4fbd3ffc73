//! `kingdon report [FILE…] [-o OUT.html] [--title T] [--compare OTHER.msf]`: the case as one
//! HTML page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::report::{html, Options};

use super::timeline::{load_for_drawing, title_of, write_file};

/// Loads the files (or the bundled case) and writes their report; with `compare`, a section
/// on the verdicts another reading of the case judges otherwise.
pub fn run(
    files: &[PathBuf],
    options: crate::Options,
    output: Option<&Path>,
    title: Option<&str>,
    compare: Option<&Path>,
    color: bool,
) -> ExitCode {
    let (mut kb, loaded) = load_for_drawing(files, options.clone());
    let compared = match (compare, &loaded) {
        (Some(other), Ok(())) => {
            let (mut second, read) = load_for_drawing(&[other.to_path_buf()], options);
            let compared = read.and_then(|()| crate::compare::compare(&mut kb, &mut second));
            match compared {
                Ok(c) => Some((other.display().to_string(), c)),
                Err(e) => {
                    err!("{}", second.render(&e, color));
                    return ExitCode::FAILURE;
                }
            }
        }
        _ => None,
    };
    let names: Vec<String> = if files.is_empty() {
        crate::HORGOS_CASE
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
                compared: compared.as_ref().map(|(name, c)| (name.as_str(), c)),
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
