//! What a case may touch (docs/cli.md): the files a file names lie under its own folder.

use std::path::{Path, PathBuf};

use crate::syntax::{Code, Diagnostic, Span};

/// The error for a file a case names outside its fence (see
/// [`crate::syntax::Source::fence`]), if `target` lies outside it; `verb` says what the case
/// would do with it (`reads`, `writes`). A path that cannot be resolved lies outside.
pub(crate) fn outside(
    fence: Option<&Path>,
    file: &str,
    target: &Path,
    at: Span,
    verb: &str,
) -> Option<Diagnostic> {
    let fence = fence?;
    if resolve(target).is_some_and(|r| r.starts_with(fence)) {
        return None;
    }
    let code = if verb == "writes" {
        Code::CannotWrite
    } else {
        Code::CannotRead
    };
    Some(
        Diagnostic::new(
            code,
            at,
            format!(
                "`{}` is outside the folder of `{file}`, which names it: a case {verb} files under its own folder only",
                target.display(),
            ),
        )
        .with_hint("to let it reach further, lift the fence (`ParseOptions::confine_paths`; only for a case you trust)"),
    )
}

/// Where a path leads: links followed to the end, as reading and the writer follow them
/// (a dangling link leads to the file it would make); a path not there yet, its deepest
/// folder that is, resolved, with the rest as written. `None` when it cannot be told (a
/// `..` past a folder that is not there, a loop of links): it counts as outside.
fn resolve(target: &Path) -> Option<PathBuf> {
    let end = crate::files::link_chain(target)?.pop()?;
    match std::fs::symlink_metadata(&end) {
        Ok(_) => std::fs::canonicalize(&end).ok(),
        Err(_) => deepest(&end),
    }
}

/// A path that is not there: its deepest existing folder resolved, then the rest.
fn deepest(path: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut base = path;
    loop {
        let folder = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        if let Ok(mut found) = std::fs::canonicalize(folder) {
            found.extend(rest.iter().rev());
            return Some(found);
        }
        // A `..` or the root has no name: where it leads is not known.
        rest.push(base.file_name()?);
        base = base.parent()?;
    }
}
