//! Checking without evaluating, as `kingdon check` does: files or a text read (includes
//! expanded), parsed and checked, and what was found, as data and rendered.

use std::path::{Path, PathBuf};

use crate::evidence::{entries, Entry};
use crate::load::{load_files, load_text, Program, ReadError};
use crate::syntax::ast::Statement;
use crate::syntax::{in_order, render_all, Diagnostic, ParseOptions, SourceMap};

/// A program read and checked, not evaluated: its diagnostics in the order they are shown
/// (the errors alone when there is one), and the texts they point into.
#[derive(Clone, Debug)]
pub struct Checked {
    sources: SourceMap,
    diagnostics: Vec<Diagnostic>,
    statements: Vec<Statement>,
}

impl Checked {
    /// Checks a program read: its syntax problems, or, when it has none, what the checker
    /// finds.
    fn of(program: Program) -> Checked {
        let mut diagnostics = program.diagnostics;
        if !diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.extend(super::check(&program.statements, &program.sources));
        }
        in_order(&mut diagnostics);
        Checked {
            sources: program.sources,
            diagnostics,
            statements: program.statements,
        }
    }

    /// The diagnostics in file and position order: the errors alone when there are any.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The texts read, which the diagnostics' spans point into.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// How many statements were read, includes expanded.
    pub fn statements(&self) -> usize {
        self.statements.len()
    }

    /// Every fact and rule stated, included files' too, with its evidence (as `kingdon
    /// evidence --includes` lists it): each quote checked against its document, in the
    /// order they are read.
    pub fn evidence(&self) -> Vec<Entry> {
        entries(&self.statements, &self.sources)
    }

    /// Whether any diagnostic is an error (a knowledge base would refuse the program).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics rendered with their places and carets, and a summary line
    /// (`2 errors, 1 warning`); empty when nothing was found.
    pub fn render(&self, color: bool) -> String {
        render_all(&self.diagnostics, &self.sources, color)
    }
}

/// Reads the files as one program (in order, includes expanded) and checks it.
pub fn check_files<P: AsRef<Path>>(
    paths: &[P],
    options: ParseOptions,
) -> Result<Checked, ReadError> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
    load_files(&paths, options).map(Checked::of)
}

/// Checks a text as a program named `name` (includes are read relative to the current
/// folder).
pub fn check_text(name: &str, text: &str, options: ParseOptions) -> Checked {
    Checked::of(load_text(name, text, options))
}
