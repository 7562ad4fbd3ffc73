//! Where each base fact of a predicate comes from, kept in 16 bytes a fact: a stated fact is
//! its statement's span, a row of an input file its line and the file's number. Notes and
//! sources, which few facts carry, and file names, shared by every row of a file, are kept
//! aside. (Stored as [`Origin`]s, a base of a million facts spent 64 bytes a fact on them,
//! more than on the facts themselves, and a heap allocation a CSV row for the file name.)

use std::collections::HashMap;

use serde::Serialize;

use crate::evidence::Evidence;
use crate::syntax::Span;

/// Where a base fact comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Stated in a `.msf` text.
    Stated {
        /// The statement.
        span: Span,
        /// Its note, citation, quote and assumption.
        #[serde(flatten)]
        evidence: Evidence,
    },
    /// Read from a row of a CSV or TSV file.
    Input {
        /// The file, as its `input` statement resolved it.
        file: String,
        /// The row's line.
        line: usize,
    },
}

/// One fact's origin, packed.
#[derive(Clone, Copy, Debug)]
enum Packed {
    Stated(Span),
    Input { file: u32, line: u32 },
}

/// The origins of one predicate's base facts, by row.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origins {
    rows: Vec<Packed>,
    /// The evidence of the stated facts that carry any, by row.
    annotations: HashMap<u32, Evidence>,
    /// The input files named by rows.
    files: Vec<String>,
}

impl Origins {
    /// Records the next row as stated by the statement at `span`.
    pub(crate) fn push_stated(&mut self, span: Span, evidence: Evidence) {
        if !evidence.is_empty() {
            let row = self.rows.len() as u32;
            self.annotations.insert(row, evidence);
        }
        self.rows.push(Packed::Stated(span));
    }

    /// The number of an input file's name, to pass to [`Origins::push_input`] for each of its
    /// rows (the name is kept once).
    pub(crate) fn file(&mut self, name: &str) -> u32 {
        let index = match self.files.iter().position(|f| f == name) {
            Some(i) => i,
            None => {
                self.files.push(name.to_string());
                self.files.len() - 1
            }
        };
        index as u32
    }

    /// Records the next row as read from line `line` of file number `file`.
    pub(crate) fn push_input(&mut self, file: u32, line: usize) {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        self.rows.push(Packed::Input { file, line });
    }

    /// The origins of some rows, in the order given, as rows 0, 1, … of a new table (for a
    /// relation rebuilt without the others).
    pub(crate) fn select(&self, rows: &[u32]) -> Origins {
        let mut out = Origins {
            rows: Vec::with_capacity(rows.len()),
            annotations: HashMap::new(),
            files: self.files.clone(),
        };
        for (new, &row) in rows.iter().enumerate() {
            out.rows.push(self.rows[row as usize]);
            if let Some(annotation) = self.annotations.get(&row) {
                out.annotations.insert(new as u32, annotation.clone());
            }
        }
        out
    }

    /// The origin of row `row`.
    pub(crate) fn get(&self, row: u32) -> Origin {
        match self.rows[row as usize] {
            Packed::Stated(span) => {
                let evidence = self.annotations.get(&row).cloned().unwrap_or_default();
                Origin::Stated { span, evidence }
            }
            Packed::Input { file, line } => Origin::Input {
                file: self.files[file as usize].clone(),
                line: line as usize,
            },
        }
    }

    /// The `note` of row `row`, if it was stated with one.
    pub(crate) fn note(&self, row: u32) -> Option<&str> {
        self.annotations.get(&row)?.note.as_deref()
    }

    /// The evidence of row `row`, if it was stated with any.
    pub(crate) fn evidence(&self, row: u32) -> Option<&Evidence> {
        self.annotations.get(&row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::FileId;

    #[test]
    fn origins_come_back_as_they_were_pushed() {
        let stated = |start, note: Option<&str>, source: Option<&str>| Origin::Stated {
            span: Span::new(FileId(0), start, start + 5),
            evidence: Evidence {
                note: note.map(str::to_string),
                source: source.map(str::to_string),
                ..Evidence::default()
            },
        };
        let input = |file: &str, line| Origin::Input {
            file: file.to_string(),
            line,
        };
        let all = [
            stated(0, None, None),
            stated(10, Some("a note"), None),
            input("a.csv", 2),
            input("b.csv", 2),
            input("a.csv", 3),
            stated(20, None, Some("Lin 2024")),
            stated(30, Some("both"), Some("here")),
        ];
        let mut origins = Origins::default();
        for o in &all {
            match o {
                Origin::Stated { span, evidence } => origins.push_stated(*span, evidence.clone()),
                Origin::Input { file, line } => {
                    let file = origins.file(file);
                    origins.push_input(file, *line);
                }
            }
        }
        for (row, o) in all.iter().enumerate() {
            assert_eq!(&origins.get(row as u32), o);
        }
        assert_eq!(origins.files.len(), 2, "each file's name is kept once");
        assert_eq!(origins.note(1), Some("a note"));
        assert_eq!(origins.note(0), None);
        let source = |row| origins.evidence(row).and_then(|e| e.source.as_deref());
        assert_eq!(source(5), Some("Lin 2024"));
        assert_eq!(source(6), Some("here"));
        assert_eq!(std::mem::size_of::<Packed>(), 16);
        let some = origins.select(&[6, 2]);
        assert_eq!(some.get(0), all[6]);
        assert_eq!(some.get(1), all[2]);
        assert_eq!(some.note(0), Some("both"));
    }
}
