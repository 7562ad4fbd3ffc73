//! Source files, byte spans, and the line/column arithmetic used only when rendering.

use serde::Serialize;

/// Identifies one source text in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct FileId(pub(crate) u32);

/// A half-open byte range `start..end` inside one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct Span {
    /// The file the bytes belong to.
    pub file: FileId,
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `file` covering bytes `start..end`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both `self` and `other` (same file).
    pub(crate) fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One source text: its display name (a path, or `<input>`) and contents.
#[derive(Clone, Debug)]
pub struct Source {
    /// How the file is named in diagnostics (`rules/horgos.msf`).
    pub name: String,
    /// The full text.
    pub text: String,
    /// The folder every file this text names (`document`, `input`, `output`, and an
    /// `include` of anything but a `.msf` rule file) must lie under: this file's own, links
    /// followed. `None`: anywhere (a text typed or passed by a program, a bundled one, or
    /// any file when the user lifted the fence).
    pub(crate) fence: Option<std::path::PathBuf>,
    line_starts: Vec<u32>,
}

impl Source {
    /// Wraps a text under a display name.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
            .collect();
        Source {
            name: name.into(),
            text,
            fence: None,
            line_starts,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = offset.min(self.text.len() as u32);
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).map_or(0, |&s| s as usize);
        let end = floor_char_boundary(&self.text, offset as usize);
        let column = self.text.get(start..end).map_or(0, |t| t.chars().count());
        (line + 1, column + 1)
    }

    /// The text of 1-based line `line`, without its line ending (empty past the last line).
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = line.checked_sub(1).and_then(|l| self.line_starts.get(l)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e as usize);
        self.text
            .get(start as usize..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every source text seen so far, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    /// Shared: a transaction's copy of the knowledge base copies pointers, not texts (a
    /// piped session of 8 000 inputs copied every earlier input at each one).
    files: Vec<std::sync::Arc<Source>>,
    /// Which file includes which (each pair once), whether the included file was read then
    /// or before.
    includes: Vec<(FileId, FileId)>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a text and returns its id.
    pub(crate) fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files
            .push(std::sync::Arc::new(Source::new(name, text)));
        FileId(self.files.len() as u32 - 1)
    }

    /// The text of the source named `name` (a document's path as its declaration resolved
    /// it), if one was read.
    pub(crate) fn text_of(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.text.as_str())
    }

    /// Records that `from` includes `to`.
    pub(crate) fn add_include(&mut self, from: FileId, to: FileId) {
        if from != to && !self.includes.contains(&(from, to)) {
            self.includes.push((from, to));
        }
    }

    /// Whether `from` includes `to`, directly or through other files.
    pub(crate) fn includes(&self, from: FileId, to: FileId) -> bool {
        let mut seen = vec![from];
        let mut todo = vec![from];
        while let Some(f) = todo.pop() {
            for &(a, b) in &self.includes {
                if a == f && !seen.contains(&b) {
                    if b == to {
                        return true;
                    }
                    seen.push(b);
                    todo.push(b);
                }
            }
        }
        false
    }

    /// Confines the files a text names to a folder (see [`Source::fence`]).
    pub(crate) fn set_fence(&mut self, id: FileId, fence: Option<std::path::PathBuf>) {
        if let Some(source) = self.files.get_mut(id.0 as usize) {
            std::sync::Arc::make_mut(source).fence = fence;
        }
    }

    /// The source with id `id`, if it came from this map.
    pub fn get(&self, id: FileId) -> Option<&Source> {
        self.files.get(id.0 as usize).map(|s| &**s)
    }

    /// The source with id `id`; for an id that did not come from this map (a span of
    /// another knowledge base), an empty text named `<unknown>`.
    pub fn source(&self, id: FileId) -> &Source {
        static UNKNOWN: std::sync::LazyLock<Source> =
            std::sync::LazyLock::new(|| Source::new("<unknown>", ""));
        self.get(id).unwrap_or(&UNKNOWN)
    }

    /// `name:line:column` of the start of a span.
    pub fn location(&self, span: Span) -> String {
        let source = self.source(span.file);
        let (line, col) = source.line_col(span.start);
        format!("{}:{line}:{col}", crate::value::shown(&source.name))
    }

    /// The file and line a span starts at.
    pub fn locate(&self, span: Span) -> Location {
        let source = self.source(span.file);
        Location {
            file: crate::value::shown(&source.name).into_owned(),
            line: source.line_col(span.start).0,
        }
    }

    /// `name:line` of the start of a span.
    pub fn file_line(&self, span: Span) -> String {
        let source = self.source(span.file);
        format!(
            "{}:{}",
            crate::value::shown(&source.name),
            source.line_col(span.start).0
        )
    }

    /// The number of sources.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no source was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Forgets sources added after the first `len` (used to roll back a failed load).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.files.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let s = Source::new("f", "ab\nç§x\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(7), (2, 3));
        assert_eq!(s.line_text(2), "ç§x");
        assert_eq!(s.line_col(9), (3, 1));
    }
}

/// Where a statement or a row was written: a file and a line. Displayed (and serialised)
/// as `file:line`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, as it was named when loaded.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl serde::Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
