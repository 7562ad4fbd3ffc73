//! Evidence (LANGUAGE.md §7): what backs each stated fact and rule — a quote found in a
//! declared document, a citation, the modeller's assumption, or nothing — as explanations
//! show it and as `kingdon evidence` lists it.

pub(crate) mod text;

use std::cell::OnceCell;

use serde::Serialize;

use crate::syntax::ast::{Annotations, Statement};
use crate::syntax::{print_statement, FileId, SourceMap};
use text::Folded;

/// What a stated fact or a rule carries besides its atom: its wording, citation, the words
/// of its source and the modeller's reason for assuming it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Its `note`.
    pub note: Option<String>,
    /// The document its `source` names, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Its `source`: the locator in the document, or the free-text citation.
    pub source: Option<String>,
    /// Its `quote`: words of the document (checked when it was loaded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Its `assumed`: why the modeller assumes what the source does not state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed: Option<String>,
}

/// How a statement is backed, from strongest to none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A `quote` of a declared document, and no assumption.
    Quoted,
    /// A `source`, but no quote and no assumption.
    Cited,
    /// Marked `assumed`: the modeller's inference (a quote may come with it, as its basis).
    Assumed,
    /// Nothing.
    None,
}

impl Kind {
    /// The kind as `kingdon evidence` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Quoted => "quoted",
            Kind::Cited => "cited",
            Kind::Assumed => "assumed",
            Kind::None => "none",
        }
    }
}

impl Evidence {
    /// The evidence a statement's annotations give.
    pub(crate) fn of(about: &Annotations) -> Evidence {
        let text =
            |s: &Option<Box<crate::syntax::ast::StringLit>>| s.as_ref().map(|s| s.value.clone());
        Evidence {
            note: text(&about.note),
            document: about
                .source
                .as_ref()
                .and_then(|c| c.document.as_ref().map(|d| d.name.clone())),
            source: about.source.as_ref().map(|c| c.locator.value.clone()),
            quote: text(&about.quote),
            assumed: text(&about.assumed),
        }
    }

    /// Whether it carries nothing at all.
    pub fn is_empty(&self) -> bool {
        *self == Evidence::default()
    }

    /// How it is backed.
    pub fn kind(&self) -> Kind {
        if self.assumed.is_some() {
            Kind::Assumed
        } else if self.quote.is_some() {
            Kind::Quoted
        } else if self.source.is_some() {
            Kind::Cited
        } else {
            Kind::None
        }
    }

    /// The annotations as the language writes them (for a saved knowledge base).
    pub fn to_msf(&self) -> String {
        crate::syntax::annotation_text(
            self.note.as_deref(),
            self.source
                .as_deref()
                .map(|s| (self.document.as_deref(), s)),
            self.quote.as_deref(),
            self.assumed.as_deref(),
        )
    }

    /// The citation as people read it: `shi2024 §3.1.1`, or the free text.
    pub fn citation(&self) -> Option<String> {
        citation(self.document.as_deref(), self.source.as_deref())
    }
}

/// One stated fact or rule as `kingdon evidence` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// `fact` or `rule`.
    pub statement: &'static str,
    /// The fact as written, or the rule's name (or head predicate).
    pub text: String,
    /// Where it is written (`file:line`).
    pub at: String,
    /// How it is backed.
    pub kind: Kind,
    /// The document cited, if any.
    pub document: Option<String>,
    /// The locator or free-text citation.
    pub source: Option<String>,
    /// The quote, if any.
    pub quote: Option<String>,
    /// Whether the quote was found in its document (`None` without a quote).
    pub found: Option<bool>,
    /// The assumption's reason, if any.
    pub assumed: Option<String>,
}

impl Entry {
    /// The citation as people read it: `shi2024 §3.1.1`, or the free text.
    pub fn citation(&self) -> Option<String> {
        citation(self.document.as_deref(), self.source.as_deref())
    }
}

/// `shi2024 §3.1.1` from a document and a locator; either alone as it is.
fn citation(document: Option<&str>, source: Option<&str>) -> Option<String> {
    match (document, source) {
        (Some(d), Some(s)) => Some(format!("{d} {s}")),
        (d, s) => d.or(s).map(str::to_string),
    }
}

/// Counts of a listing by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Facts and rules listed.
    pub statements: usize,
    /// Quoted.
    pub quoted: usize,
    /// Cited only.
    pub cited: usize,
    /// Assumed.
    pub assumed: usize,
    /// Bare.
    pub none: usize,
    /// Quotes not found in their document.
    pub not_found: usize,
}

impl Totals {
    /// The counts of some entries.
    pub fn of(entries: &[Entry]) -> Totals {
        let mut t = Totals {
            statements: entries.len(),
            ..Totals::default()
        };
        for e in entries {
            match e.kind {
                Kind::Quoted => t.quoted += 1,
                Kind::Cited => t.cited += 1,
                Kind::Assumed => t.assumed += 1,
                Kind::None => t.none += 1,
            }
            if e.found == Some(false) {
                t.not_found += 1;
            }
        }
        t
    }
}

/// Lists every fact and rule of some statements (includes expanded, documents read by the
/// loader) with its evidence, checking each quote against its document.
pub(crate) fn entries(statements: &[Statement], sources: &SourceMap) -> Vec<Entry> {
    let documents = Documents::of(statements, sources);
    let mut out = Vec::new();
    for s in statements {
        let (statement, text, about, span) = match s {
            // A name for people is not a claim about the case.
            Statement::Fact(f)
                if crate::syntax::is_display(&f.atom.pred.name, f.atom.args.len()) =>
            {
                continue
            }
            Statement::Fact(f) => (
                "fact",
                print_statement(&Statement::Fact(plain(f))),
                &f.about,
                f.span,
            ),
            Statement::Rule(r) => (
                "rule",
                r.name
                    .as_ref()
                    .map_or_else(|| r.head.pred.name.clone(), |n| n.name.clone()),
                &r.about,
                r.span,
            ),
            _ => continue,
        };
        let evidence = Evidence::of(about);
        let found = about.quote.as_ref().map(|q| {
            documents
                .cited(about)
                .is_some_and(|(_, d)| matches!(text::find(d, &q.value), Ok(Some(_))))
        });
        out.push(Entry {
            statement,
            text: text.trim_end_matches('.').to_string(),
            at: sources.file_line(span),
            kind: evidence.kind(),
            document: evidence.document,
            source: evidence.source,
            quote: evidence.quote,
            found,
            assumed: evidence.assumed,
        });
    }
    out
}

/// A fact without its annotations, to print its atom alone.
fn plain(f: &crate::syntax::ast::Fact) -> crate::syntax::ast::Fact {
    crate::syntax::ast::Fact {
        atom: f.atom.clone(),
        about: Annotations::default(),
        span: f.span,
    }
}

/// The documents some statements declare, by name, each folded when first needed.
pub(crate) struct Documents<'s> {
    sources: &'s SourceMap,
    /// `(name, its text among the sources, the text folded)`, in declared order, the first
    /// declaration of each name.
    declared: Vec<(String, Option<FileId>, OnceCell<Folded>)>,
}

impl<'s> Documents<'s> {
    /// The documents declared by `statements`.
    pub(crate) fn of<'a>(
        statements: impl IntoIterator<Item = &'a Statement>,
        sources: &'s SourceMap,
    ) -> Documents<'s> {
        let mut declared: Vec<(String, Option<FileId>, OnceCell<Folded>)> = Vec::new();
        for s in statements {
            if let Statement::Document(d) = s {
                // The first declaration of a name stands (a second, for another text, is E120).
                if !declared.iter().any(|(name, _, _)| *name == d.name.name) {
                    declared.push((d.name.name.clone(), d.text, OnceCell::new()));
                }
            }
        }
        Documents { sources, declared }
    }

    /// Whether a document of this name is declared.
    pub(crate) fn knows(&self, name: &str) -> bool {
        self.declared.iter().any(|(n, _, _)| n == name)
    }

    /// The names declared.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.declared.iter().map(|(n, _, _)| n.as_str())
    }

    /// The folded text of the document a statement cites, if it was read, with its file.
    pub(crate) fn cited(&self, about: &Annotations) -> Option<(FileId, &Folded)> {
        let name = &about.source.as_ref()?.document.as_ref()?.name;
        let (_, file, folded) = self.declared.iter().find(|(n, _, _)| n == name)?;
        let file = (*file)?;
        Some((
            file,
            folded.get_or_init(|| text::fold(&self.sources.source(file).text)),
        ))
    }
}
