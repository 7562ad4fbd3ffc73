//! The files `output` statements of an input have yet to write: written only once the input
//! is kept, so that an input taken back (an error later in it, a failed `:load`, an
//! evaluation that ran out) leaves no file behind holding facts the knowledge base no longer
//! has. An `input` of such a file in the same input reads what is pending.

use std::path::{Path, PathBuf};

use crate::syntax::{Code, Diagnostic, Span};

/// One file to write: where, what, and the `output` statement's path, for its error.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    /// The file, as the statement named it (relative to its file's folder).
    pub(crate) path: PathBuf,
    /// The whole text to write.
    pub(crate) bytes: Vec<u8>,
    /// The statement's path, where a failure to write is reported.
    pub(crate) at: Span,
}

impl super::Store {
    /// Adds a file to write; a later `output` to the same path replaces an earlier one.
    pub(crate) fn write_later(&mut self, pending: Pending) {
        let same = |p: &Pending| same_file(&p.path, &pending.path);
        self.pending.retain(|p| !same(p));
        self.pending.push(pending);
    }

    /// The text pending for a file, if an `output` of this input is to write it.
    pub(crate) fn pending_text(&self, path: &Path) -> Option<&[u8]> {
        self.pending
            .iter()
            .rev()
            .find(|p| same_file(&p.path, path))
            .map(|p| p.bytes.as_slice())
    }

    /// Writes every pending file through the careful writer, in the order their statements
    /// ran; the first that fails stops it, with E207 at its statement (the files written
    /// before it stay written).
    pub(crate) fn write_pending(&mut self) -> Result<(), Diagnostic> {
        for p in std::mem::take(&mut self.pending) {
            crate::files::write(&p.path, &p.bytes).map_err(|e| {
                Diagnostic::new(
                    Code::CannotWrite,
                    p.at,
                    format!("cannot write `{}`: {e}", p.path.display()),
                )
            })?;
        }
        Ok(())
    }
}

/// Whether two paths name one file: the same once their folders are resolved.
fn same_file(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| {
        let folder = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::canonicalize(folder)
            .ok()
            .zip(p.file_name())
            .map(|(d, n)| d.join(n))
    };
    a == b || resolve(a).is_some_and(|x| resolve(b) == Some(x))
}
