//! Where each base fact of a predicate comes from, kept in 20 bytes a stated fact and next to
//! nothing a row of an input file: a stated fact is its statement's span; the rows of a file
//! read one line after another are one run (the file's number and the first line). Notes and
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

/// One fact's origin, packed; for an input, the origin of the first row of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Packed {
    Stated(Span),
    Input { file: u32, line: u32 },
}

/// The origins of one predicate's base facts, by row.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origins {
    /// Runs of rows: the first row of each and its origin. A stated fact is a run of its own;
    /// the rows of an input file on consecutive lines are one run.
    runs: Vec<(u32, Packed)>,
    /// How many rows there are.
    rows: u32,
    /// The evidence of the stated facts that carry any, by row.
    annotations: HashMap<u32, Evidence>,
    /// The input files named by rows.
    files: Vec<String>,
}

impl Origins {
    /// Records the next row as stated by the statement at `span`.
    pub(crate) fn push_stated(&mut self, span: Span, evidence: Evidence) {
        if !evidence.is_empty() {
            self.annotations.insert(self.rows, evidence);
        }
        self.push(Packed::Stated(span));
    }

    /// Records the next row's origin, extending the last run when the row is the next line
    /// of the same file.
    fn push(&mut self, origin: Packed) {
        let extends = match (self.runs.last(), origin) {
            (Some(&(first, Packed::Input { file: f, line: l })), Packed::Input { file, line }) => {
                f == file && u64::from(l) + u64::from(self.rows - first) == u64::from(line)
            }
            _ => false,
        };
        if !extends {
            self.runs.push((self.rows, origin));
        }
        self.rows += 1;
    }

    /// The packed origin of row `row`.
    fn packed(&self, row: u32) -> Packed {
        let run = self.runs.partition_point(|&(first, _)| first <= row);
        match self.runs.get(run.wrapping_sub(1)) {
            Some(&(first, Packed::Input { file, line })) => Packed::Input {
                file,
                line: line.saturating_add(row - first),
            },
            Some(&(_, stated)) => stated,
            // Rows are numbered below `self.rows`, each in a run.
            None => Packed::Input { file: 0, line: 0 },
        }
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
        self.push(Packed::Input { file, line });
    }

    /// The origins of some rows, in the order given, as rows 0, 1, … of a new table (for a
    /// relation rebuilt without the others).
    pub(crate) fn select(&self, rows: &[u32]) -> Origins {
        let mut out = Origins {
            runs: Vec::new(),
            rows: 0,
            annotations: HashMap::new(),
            files: self.files.clone(),
        };
        for (new, &row) in rows.iter().enumerate() {
            out.push(self.packed(row));
            if let Some(annotation) = self.annotations.get(&row) {
                out.annotations.insert(new as u32, annotation.clone());
            }
        }
        out
    }

    /// The origin of row `row`.
    pub(crate) fn get(&self, row: u32) -> Origin {
        match self.packed(row) {
            Packed::Stated(span) => {
                let evidence = self.annotations.get(&row).cloned().unwrap_or_default();
                Origin::Stated { span, evidence }
            }
            Packed::Input { file, line } => Origin::Input {
                file: self.files.get(file as usize).cloned().unwrap_or_default(),
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
        assert_eq!(std::mem::size_of::<(u32, Packed)>(), 20);
        // Consecutive lines of one file are one run.
        let mut lines = Origins::default();
        let file = lines.file("big.tsv");
        for line in [1, 2, 3, 5, 6] {
            lines.push_input(file, line);
        }
        assert_eq!(lines.runs.len(), 2);
        assert_eq!(lines.get(2), input("big.tsv", 3));
        assert_eq!(lines.get(3), input("big.tsv", 5));
        assert_eq!(lines.select(&[4, 0]).get(0), input("big.tsv", 6));
        let some = origins.select(&[6, 2]);
        assert_eq!(some.get(0), all[6]);
        assert_eq!(some.get(1), all[2]);
        assert_eq!(some.note(0), Some("both"));
    }
}
