//! What a case may touch (docs/cli.md): the files a file names lie under its own folder.

use std::path::Path;

use crate::syntax::{Code, Diagnostic, Span};

/// The error for a file a case names outside its fence (see
/// [`crate::syntax::Source::fence`]), if `target` lies outside it; `verb` says what the case
/// would do with it (`reads`, `writes`). A file not there yet lies where its folder does.
pub(crate) fn outside(
    fence: Option<&Path>,
    file: &str,
    target: &Path,
    at: Span,
    verb: &str,
) -> Option<Diagnostic> {
    let fence = fence?;
    // The process's own streams hold nothing of anyone else's.
    if ["/dev/stdin", "/dev/stdout", "/dev/stderr"]
        .iter()
        .any(|s| target == Path::new(s))
    {
        return None;
    }
    let resolved = match std::fs::canonicalize(target) {
        Ok(resolved) => resolved,
        Err(_) => {
            let parent = target
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            // A folder that is not there: the read or write fails on its own, and says why.
            let (Ok(parent), Some(name)) = (std::fs::canonicalize(parent), target.file_name())
            else {
                return None;
            };
            parent.join(name)
        }
    };
    if resolved.starts_with(fence) {
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
        .with_hint("to let it reach further, run kingdon with --any-path (only for a case you trust)"),
    )
}
