//! Reading programs from files: UTF-8 checks, parsing, and `include` expansion (paths relative
//! to the including file, each file included once per load, cycles reported).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

mod fence;
mod waiting;
pub(crate) use fence::outside;
pub(crate) use waiting::read_waiting;

use crate::syntax::ast::Statement;
use crate::syntax::{parse, Code, Diagnostic, FileId, ParseOptions, SourceMap, Span};

/// A program read from files: its sources, its statements with includes expanded in place,
/// and the diagnostics found while reading and parsing.
#[derive(Debug, Default)]
pub struct Program {
    /// Every text read, for rendering diagnostics.
    pub sources: SourceMap,
    /// The statements in execution order (an `include` is replaced by the included text).
    pub statements: Vec<Statement>,
    /// Syntax errors and include problems, in reading order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A file named on the command line (or by an embedder) that cannot be read, and why.
#[derive(Debug)]
pub enum ReadError {
    /// The system could not open or read it (missing, not permitted, …): its error.
    Io {
        /// The path as given.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// A directory where a file was named.
    Directory {
        /// The path as given.
        path: String,
    },
    /// Larger than the limit on a file's size (`ParseOptions::max_file_bytes`).
    TooLarge {
        /// The path as given.
        path: String,
        /// By how much, in words (`it is 12 bytes, more than the limit of 5`).
        what: String,
    },
    /// Not UTF-8 text.
    NotUtf8 {
        /// The path as given.
        path: String,
        /// The 1-based line and column of the first bad byte.
        line: usize,
        /// See `line`.
        column: usize,
        /// The text with each bad sequence replaced by `�`, as in the file (lines before a
        /// block read late stand as empty lines), so that a diagnostic can point at it.
        lossy: String,
        /// The byte offset of the first bad byte in `lossy`.
        at: usize,
    },
    /// The reading was given up: interrupted (Ctrl-C), or stopped.
    Stopped {
        /// The path as given.
        path: String,
        /// Why, in words.
        why: String,
    },
}

impl ReadError {
    /// The path as given.
    pub fn path(&self) -> &str {
        match self {
            ReadError::Io { path, .. }
            | ReadError::Directory { path }
            | ReadError::TooLarge { path, .. }
            | ReadError::NotUtf8 { path, .. }
            | ReadError::Stopped { path, .. } => path,
        }
    }

    /// Whether a limit refused it (its reason says which), rather than the file being
    /// missing or unreadable.
    pub fn is_limit(&self) -> bool {
        matches!(self, ReadError::TooLarge { .. })
    }

    /// Why it cannot be read, in words a person can act on.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io { source, .. } => io_reason(source),
            ReadError::Directory { .. } => "it is a directory, not a file".to_string(),
            ReadError::TooLarge { what, .. } => format!(
                "{what}; raise the limit (`ParseOptions::max_file_bytes`)"
            ),
            ReadError::NotUtf8 { line, column, .. } => format!(
                "it is not UTF-8 text (the first bad byte is at line {line}, column {column}); save it as UTF-8"
            ),
            ReadError::Stopped { why, .. } => why.clone(),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read `{}`: {}", self.path(), self.reason())
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The error for a file that is not UTF-8: its text (made readable) joins the source map and
/// the caret goes under the first bad byte.
pub(crate) fn not_utf8(
    sources: &mut SourceMap,
    path: &Path,
    lossy: String,
    at: usize,
) -> Diagnostic {
    let file = sources.add(path.display().to_string(), lossy);
    let end = at
        + sources.source(file).text[at..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
    Diagnostic::new(
        Code::CannotRead,
        Span::new(file, at, end),
        "this file is not UTF-8 text; the first bad byte is here",
    )
    .with_hint("save it as UTF-8 (editors offer the encoding when saving)")
}

/// Reads a file of at most `max_bytes` as UTF-8 text, with a reason a person can act on
/// when that fails. A byte order mark at the start (Windows editors write one) is dropped.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, ReadError> {
    let (file, size) = open_checked(path, max_bytes)?;
    // The size a file's metadata gives is not what reading it yields (`/dev/zero`, a FIFO, a
    // file still growing): at most the limit is read, whatever it said.
    let mut bytes = Vec::new();
    {
        use std::io::Read;
        file.take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(path, e))?;
    }
    if bytes.len() as u64 > max_bytes {
        return Err(grew_past(path, max_bytes, size));
    }
    let bytes = match bytes.strip_prefix(BOM) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| not_utf8_error(path, e.as_bytes(), 1))
}

/// The error for text that is not UTF-8: `bytes`, which start at line `first_line` of the
/// file at `path` (the lines before stand as empty lines in the readable text, so that a
/// diagnostic's line numbers are the file's).
pub(crate) fn not_utf8_error(path: &Path, bytes: &[u8], first_line: usize) -> ReadError {
    let at = std::str::from_utf8(bytes)
        .err()
        .map_or(bytes.len(), |e| e.valid_up_to());
    let valid = bytes.get(..at).unwrap_or(bytes);
    let line = first_line + valid.iter().filter(|&&b| b == b'\n').count();
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(valid.get(line_start..).unwrap_or(&[]))
        .chars()
        .count()
        + 1;
    ReadError::NotUtf8 {
        path: path.display().to_string(),
        line,
        column,
        lossy: as_in_file(&String::from_utf8_lossy(bytes), first_line),
        at: first_line - 1 + at,
    }
}

/// A piece of a file's text that starts at line `first_line`, after as many empty lines as
/// come before it in the file: a diagnostic on it gives the file's line numbers.
pub(crate) fn as_in_file(text: &str, first_line: usize) -> String {
    "\n".repeat(first_line - 1) + text
}

/// The byte order mark some editors start a UTF-8 file with.
pub(crate) const BOM: &[u8] = b"\xef\xbb\xbf";

/// A file opened for reading, and its size, once it is known not to be a directory nor, by
/// its metadata, larger than `max_bytes`.
pub(crate) fn open_checked(path: &Path, max_bytes: u64) -> Result<(std::fs::File, u64), ReadError> {
    if path.is_dir() {
        return Err(ReadError::Directory {
            path: path.display().to_string(),
        });
    }
    let size = std::fs::metadata(path)
        .map_err(|e| io_error(path, e))?
        .len();
    if size > max_bytes {
        return Err(too_big(
            &path.display().to_string(),
            format!("it is {size} bytes, more than the limit of {max_bytes}"),
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    Ok((file, size))
}

/// The error for a file the system could not open or read.
pub(crate) fn io_error(path: &Path, source: std::io::Error) -> ReadError {
    ReadError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The error for a file that reading found larger than the limit, though its size said
/// `size` (a pipe or a device says 0: nothing is said of it then).
pub(crate) fn grew_past(path: &Path, max_bytes: u64, size: u64) -> ReadError {
    let said = if size > 0 {
        format!(", though its size said {size}")
    } else {
        String::new()
    };
    too_big(
        &path.display().to_string(),
        format!("reading it gave more than the limit of {max_bytes} bytes{said}"),
    )
}

/// The error for a file over the size limit: `what` says by how much.
pub(crate) fn too_big(path: &str, what: String) -> ReadError {
    ReadError::TooLarge {
        path: path.to_string(),
        what,
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Reads, parses and expands the given files, in order, into one program.
pub fn load_files(paths: &[PathBuf], options: ParseOptions) -> Result<Program, ReadError> {
    let mut sources = SourceMap::new();
    let loaded = load_files_into(&mut sources, paths, options, None)?;
    Ok(Program {
        sources,
        statements: loaded.statements,
        diagnostics: loaded.diagnostics,
    })
}

/// Parses a text that did not come from a file (`<input>`, a REPL line), expanding its
/// includes relative to the current directory.
pub fn load_text(name: &str, text: &str, options: ParseOptions) -> Program {
    let mut sources = SourceMap::new();
    let loaded = load_text_into(&mut sources, name, text, options);
    Program {
        sources,
        statements: loaded.statements,
        diagnostics: loaded.diagnostics,
    }
}

/// What one load added: statements (includes expanded) and diagnostics; the texts went into
/// the caller's source map.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The statements in execution order.
    pub statements: Vec<Statement>,
    /// Syntax errors and include problems, in reading order.
    pub diagnostics: Vec<Diagnostic>,
}

/// [`load_files`] into an existing source map.
pub fn load_files_into(
    sources: &mut SourceMap,
    paths: &[PathBuf],
    options: ParseOptions,
    cancel: Option<&Arc<AtomicBool>>,
) -> Result<Loaded, ReadError> {
    let mut loader = Loader::new(sources, options);
    loader.cancel = cancel.cloned();
    for path in paths {
        // A file already read in this load (included by an earlier one) is read once.
        if loader.has_read(path) {
            continue;
        }

        let read = loader.read_file(path);
        if let Some(e) = loader.read(path, read) {
            return Err(e);
        }
    }
    Ok(loader.loaded)
}

/// Loads texts bundled in a program (not read from disk) as one input, in order; an
/// `include` or `document` naming one of them (after tidying the path) uses the bundled text.
/// Only `.msf` texts are loaded as programs: the others are documents.
pub fn load_bundle_into(
    sources: &mut SourceMap,
    files: &[(&str, &str)],
    options: ParseOptions,
) -> Loaded {
    let mut loader = Loader::new(sources, options);
    // Bundled texts are the program's own: they name what they like.
    loader.confine = false;
    loader.bundle = files
        .iter()
        .map(|(n, t)| (PathBuf::from(n), t.to_string()))
        .collect();
    for (name, text) in files {
        let path = Path::new(name);
        let program = path.extension().is_some_and(|e| e == "msf");
        if program && !loader.has_read(path) {
            loader.file(path, text.to_string(), true);
        }
    }
    loader.loaded
}

/// [`load_text`] into an existing source map.
pub fn load_text_into(
    sources: &mut SourceMap,
    name: &str,
    text: &str,
    options: ParseOptions,
) -> Loaded {
    let mut loader = Loader::new(sources, options);
    loader.file(Path::new(name), text.to_string(), false);
    loader.loaded
}

/// [`load_text_into`] of several texts as one load, in order.
pub fn load_texts_into(
    sources: &mut SourceMap,
    texts: &[(&str, &str)],
    options: ParseOptions,
) -> Loaded {
    let mut loader = Loader::new(sources, options);
    for (name, text) in texts {
        loader.file(Path::new(name), text.to_string(), false);
    }
    loader.loaded
}

/// How deep includes may nest (a file including a file including …).
const MAX_INCLUDE_DEPTH: usize = 256;

struct Loader<'s> {
    sources: &'s mut SourceMap,
    loaded: Loaded,
    options: ParseOptions,
    /// The files being read, outermost first (for cycle reports), with their ids.
    active: Vec<(PathBuf, String, FileId)>,
    /// Files already read in this load (included once).
    seen: Vec<(PathBuf, FileId)>,
    /// Texts bundled in the program, by path, found before the disk.
    bundle: Vec<(PathBuf, String)>,
    /// How many files `include` has read in this load.
    included: usize,
    /// The sources loaded before this load began: an `include` of one of them (the same
    /// file, or a copy with the same name and text, like the bundled case) reads nothing.
    earlier: usize,
    /// The canonical paths of those sources (`None` for texts not from a file), found at the
    /// first `include` of the load and reused by the others.
    earlier_keys: Option<Vec<Option<PathBuf>>>,
    /// Whether the files a file names must lie under its folder (see
    /// [`crate::syntax::Source::fence`]): files read from disk, unless the user lifted it.
    confine: bool,
    /// Set by Ctrl-C: a read that waits (a named pipe with no writer yet) gives up.
    cancel: Option<Arc<AtomicBool>>,
}

impl<'s> Loader<'s> {
    fn new(sources: &'s mut SourceMap, options: ParseOptions) -> Loader<'s> {
        Loader {
            loaded: Loaded::default(),
            options,
            active: Vec::new(),
            seen: Vec::new(),
            bundle: Vec::new(),
            included: 0,
            earlier: sources.len(),
            earlier_keys: None,
            confine: options.confine_paths,
            cancel: None,
            sources,
        }
    }

    /// The folder of the file being read, which the files it names must lie under; `None`
    /// when they may lie anywhere.
    fn fence(&self) -> Option<PathBuf> {
        if !self.confine {
            return None;
        }
        let (key, name, _) = self.active.last()?;
        // A text typed or passed by a program (`<input 2>`) is the user's: it names any file.
        if name.starts_with('<') {
            return None;
        }
        // A text read from a pipe or a device (`kingdon run /dev/stdin`) has no folder of
        // its own: nothing lies under it (its "folder" was /dev).
        if !std::fs::metadata(key).is_ok_and(|m| m.is_file()) {
            return Some(PathBuf::from("/\0no folder"));
        }
        // The folder the file was named in, as its relative paths are read from it (a case
        // opened through a link names files beside the link, and was fenced to its target's).
        let named = Path::new(name)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::canonicalize(named)
            .ok()
            .or_else(|| key.parent().map(Path::to_path_buf))
    }

    /// The text of a file, read aside when it may wait (see [`read_waiting`]).
    fn read_file(&self, path: &Path) -> Result<String, ReadError> {
        read_waiting(path, self.options.max_file_bytes, self.cancel.as_deref())
    }

    /// The file being read, as named in diagnostics.
    fn current(&self) -> &str {
        self.active.last().map_or("", |(_, name, _)| name.as_str())
    }

    /// Whether an earlier load already read this file: the same path, or the same name and
    /// text (the bundled theory and case, included again from disk by an exercise).
    fn loaded_before(&mut self, target: &Path, key: &Path, text: Option<&str>) -> Option<FileId> {
        let sources = &*self.sources;
        let keys = self.earlier_keys.get_or_insert_with(|| {
            (0..self.earlier)
                .map(|i| {
                    let name = &sources.source(FileId(i as u32)).name;
                    (!name.starts_with('<')).then(|| canonical(Path::new(name)))
                })
                .collect()
        });
        let i = keys.iter().enumerate().position(|(i, k)| {
            let Some(k) = k else { return false };
            let source = sources.source(FileId(i as u32));
            k == key
                || (Path::new(&source.name).file_name() == target.file_name()
                    && text == Some(source.text.as_str()))
        })?;
        Some(FileId(i as u32))
    }

    /// Whether this load has read the file at `path` already.
    fn has_read(&self, path: &Path) -> bool {
        let key = canonical(path);
        self.seen.iter().any(|(k, _)| *k == key)
    }

    /// Records that the file being read includes `file` (read now or before), for the
    /// checker's test of a conclusion stated over an included theory.
    fn link(&mut self, file: FileId) {
        if let Some((_, _, from)) = self.active.last() {
            self.sources.add_include(*from, file);
        }
    }

    /// Parses a text and follows its includes. A file read from disk that is empty is worth
    /// a warning (a text passed as a string is not).
    fn file(&mut self, path: &Path, text: String, from_disk: bool) {
        let empty = from_disk && text.trim().is_empty();
        let key = canonical(path);
        let file = self.sources.add(path.display().to_string(), text);
        self.link(file);
        self.seen.push((key.clone(), file));
        self.active.push((key, path.display().to_string(), file));
        self.sources.set_fence(file, self.fence());
        if empty {
            self.loaded.diagnostics.push(
                Diagnostic::new(Code::EmptyFile, Span::new(file, 0, 0), "this file is empty")
                    .with_hint("an empty file is an empty program; check that it was saved"),
            );
        }
        let (module, diagnostics) = parse(&self.sources.source(file).text, file, self.options);
        self.loaded.diagnostics.extend(diagnostics);
        let includes = module
            .statements
            .iter()
            .any(|s| matches!(s, Statement::Include(_) | Statement::Document(_)));
        if !includes && self.loaded.statements.is_empty() {
            // The whole input in one file: its statements are taken as they are, not copied
            // (a copy of a million facts' syntax trees would double the load's peak).
            self.loaded.statements = module.statements;
        } else {
            self.expand(path, module.statements);
        }
        self.active.pop();
    }

    /// Appends statements read from `path`, each `include` replaced by what it includes and
    /// each `document` given the text it names.
    fn expand(&mut self, path: &Path, statements: Vec<Statement>) {
        let relative = |to: &str| resolve(&path.parent().unwrap_or(Path::new("")).join(to));
        for statement in statements {
            match statement {
                Statement::Include(include) => {
                    self.include(&relative(&include.path.value), include.path.span);
                }
                Statement::Document(mut d) => {
                    let target = relative(&d.path.value);
                    d.text = self.document(&target, d.path.span);
                    d.file = Some(canonical(&target));
                    self.loaded.statements.push(Statement::Document(d));
                }
                other => self.loaded.statements.push(other),
            }
        }
    }

    /// Reads the text a `document` names (a bundled one first) into the sources; a text that
    /// cannot be read is an error at its path.
    fn document(&mut self, target: &Path, at: Span) -> Option<FileId> {
        let bundled = self.bundle.iter().find(|(p, _)| p == target);
        if bundled.is_none() {
            if let Some(d) = outside(self.fence().as_deref(), self.current(), target, at, "reads") {
                self.loaded.diagnostics.push(d);
                return None;
            }
        }
        let read = match bundled {
            Some((_, text)) => Ok(text.clone()),
            None => self.read_file(target),
        };
        match read {
            Ok(text) => Some(self.sources.add(target.display().to_string(), text)),
            Err(e) => {
                let d = Diagnostic::new(
                    Code::CannotRead,
                    at,
                    format!(
                        "cannot read the document `{}`: {}",
                        target.display(),
                        e.reason()
                    ),
                );
                self.loaded.diagnostics.push(if e.is_limit() {
                    d
                } else {
                    d.with_hint("the path is relative to the file that declares the document")
                });
                None
            }
        }
    }

    fn include(&mut self, target: &Path, at: Span) {
        // Each level of nesting is a level of this reader's recursion: bounded by design.
        if self.active.len() >= MAX_INCLUDE_DEPTH {
            self.loaded.diagnostics.push(
                Diagnostic::new(
                    Code::TooManyIncludes,
                    at,
                    format!("includes nested more than {MAX_INCLUDE_DEPTH} deep: this include is one too deep"),
                )
                .with_hint("include the files from fewer levels (a file may include many)"),
            );
            return;
        }
        let key = canonical(target);
        if let Some(start) = self.active.iter().position(|(k, _, _)| *k == key) {
            let mut chain: Vec<&str> = self.active[start..]
                .iter()
                .map(|(_, n, _)| n.as_str())
                .collect();
            let shown = target.display().to_string();
            chain.push(&shown);
            self.loaded.diagnostics.push(
                Diagnostic::new(
                    Code::IncludeCycle,
                    at,
                    format!("include cycle: {}", chain.join(" -> ")),
                )
                .with_hint("remove one of the includes; a file cannot include itself, directly or through others"),
            );
            return;
        }
        let done = self.seen.iter().find(|(k, _)| *k == key).map(|(_, f)| *f);
        if let Some(file) = done.or_else(|| self.loaded_before(target, &key, None)) {
            return self.link(file);
        }
        let bundled = self
            .bundle
            .iter()
            .find(|(p, _)| p == target)
            .map(|(_, t)| t.clone());
        // A rule file may be included from anywhere (a case includes the theory); any other
        // file only from under the including file's folder.
        let rule_file = key.extension().is_some_and(|e| e == "msf");
        if bundled.is_none() && !rule_file {
            if let Some(d) = outside(self.fence().as_deref(), self.current(), target, at, "reads") {
                self.loaded.diagnostics.push(d);
                return;
            }
        }
        let read = bundled.map_or_else(|| self.read_file(target), Ok);
        if let Ok(text) = &read {
            if let Some(file) = self.loaded_before(target, &key, Some(text)) {
                return self.link(file);
            }
        }
        self.included += 1;
        if self.included > self.options.max_includes {
            self.loaded.diagnostics.push(
                Diagnostic::new(
                    Code::TooManyIncludes,
                    at,
                    format!(
                        "more than {} file{} included in one load: this include is one too many",
                        self.options.max_includes,
                        if self.options.max_includes == 1 { "" } else { "s" }
                    ),
                )
                .with_hint("raise the limit (`ParseOptions::max_includes`), or check for includes generated by mistake"),
            );
            return;
        }
        if let Some(e) = self.read(target, read) {
            let d = Diagnostic::new(
                Code::CannotRead,
                at,
                format!("cannot include `{}`: {}", target.display(), e.reason()),
            );
            self.loaded.diagnostics.push(if e.is_limit() {
                d
            } else {
                d.with_hint("the path is relative to the file that includes it")
            });
        }
    }

    /// Takes a file just read: parses it, or reports a text that is not UTF-8 where its
    /// first bad byte is. Any other failure is handed back.
    fn read(&mut self, path: &Path, read: Result<String, ReadError>) -> Option<ReadError> {
        match read {
            Ok(text) => self.file(path, text, true),
            Err(ReadError::NotUtf8 { lossy, at, .. }) => {
                let d = not_utf8(self.sources, path, lossy, at);
                self.loaded.diagnostics.push(d);
            }
            Err(e) => return Some(e),
        }
        None
    }
}

/// A path with `x/..` pairs removed, as people write it (`rules/msf.msf`, not
/// `tests/programs/../../rules/msf.msf`); leading `..` stay.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// The path a file names another by, as the system resolves it and shown as people write it:
/// tidied (`rules/msf.msf`) where that is the same file, as joined where a symbolic link makes
/// `link/..` something else than its text says, and `.` rather than nothing.
fn resolve(joined: &Path) -> PathBuf {
    let tidied = tidy(joined);
    if tidied.as_os_str().is_empty() {
        return PathBuf::from(".");
    }
    if joined.exists() && canonical(joined) != canonical(&tidied) {
        return joined.to_path_buf();
    }
    tidied
}

/// A path as the file system resolves it (as given when it does not exist).
pub(crate) fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::tidy;
    use std::path::Path;

    #[test]
    fn included_paths_read_as_written() {
        assert_eq!(
            tidy(Path::new("tests/programs/../../rules/msf.msf")),
            Path::new("rules/msf.msf")
        );
        assert_eq!(
            tidy(Path::new("../shared/./a.msf")),
            Path::new("../shared/a.msf")
        );
        assert_eq!(tidy(Path::new("a/b/../../../c.msf")), Path::new("../c.msf"));
    }
}

#[cfg(test)]
mod texts {
    use crate::KnowledgeBase;

    #[test]
    fn a_text_over_the_file_size_limit_is_refused_and_changes_nothing() {
        let mut kb = KnowledgeBase::with_options(crate::Options {
            parse: crate::syntax::ParseOptions {
                max_file_bytes: 10,
                ..Default::default()
            },
            ..Default::default()
        });
        let err = kb
            .load_str("<input>", "p(a). p(b). p(c).")
            .expect_err("too long");
        assert_eq!(
            err.to_string(),
            "cannot read `<input>`: it is 17 bytes, more than the limit of 10; raise the limit (`ParseOptions::max_file_bytes`)"
        );
        assert!(kb.predicates().is_empty());
    }

    #[test]
    fn an_empty_file_is_a_warning_but_an_empty_string_is_not() {
        let mut kb = KnowledgeBase::new();
        let report = kb.load_str("<input>", "").expect("an empty text loads");
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        let path = std::env::temp_dir().join(format!("kingdon-empty-{}.msf", std::process::id()));
        std::fs::write(&path, "\n").expect("writable");
        let report = kb.load_file(&path).expect("an empty file loads");
        std::fs::remove_file(&path).expect("removed");
        let codes: Vec<&str> = report.warnings.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["W105"]);
    }
}
