//! `same_passage(X, Y)`: the facts kingdon states itself, when the rules name the predicate,
//! for two stated facts whose quotes overlap in one document — by their first arguments (the
//! event, the change). A theory reads it to tell a window opened by the very words that record
//! the change it would carry: the change under another name, which explains nothing.

use crate::eval::relation::Relation;
use crate::eval::value::Value;
use crate::eval::PredId;
use crate::evidence::{text, Evidence};
use crate::syntax::Span;

use super::{Origin, Store};

/// The predicate kingdon fills.
pub(crate) const SAME_PASSAGE: &str = "same_passage";

/// One stated fact's quote, found: its first argument, where it is stated, its document and
/// the folded range of its words there.
struct Quoted {
    first: Value,
    span: Span,
    document: String,
    range: (usize, usize),
}

impl Store {
    /// States `same_passage(X, Y)` (and `(Y, X)`) for every two stated facts of other
    /// predicates whose quotes overlap in one document, unless stated already: when the rules
    /// name `same_passage/2`, and only then (the documents are read again for it).
    pub(crate) fn state_same_passages(&mut self) {
        let Some(pred) = self.stated.pred_id(SAME_PASSAGE) else {
            return;
        };
        if self.stated.base[pred as usize].arity() != 2 {
            return;
        }
        let mut quoted = self.quoted(pred);
        quoted.sort_by(|a, b| (&a.document, a.range).cmp(&(&b.document, b.range)));
        // Pairs of overlapping quotes, as many as the facts an evaluation may hold at most
        // (thousands of facts quoting one sentence would otherwise make millions).
        let most = self.options.limits.max_facts / 2;
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        'pairs: for (i, a) in quoted.iter().enumerate() {
            for (j, b) in quoted.iter().enumerate().skip(i + 1) {
                if b.document != a.document || b.range.0 >= a.range.1 {
                    break;
                }
                if a.first != b.first {
                    if pairs.len() == most {
                        break 'pairs;
                    }
                    pairs.push((i, j));
                }
            }
        }
        for (i, j) in pairs {
            let (a, b) = (&quoted[i], &quoted[j]);
            // Stated where the later of the two is, with both places in its note.
            let (earlier, later) = if (a.span.file.0, a.span.start) <= (b.span.file.0, b.span.start)
            {
                (a, b)
            } else {
                (b, a)
            };
            let note = format!(
                "The facts stated at {} and at {} quote the same passage of {}",
                self.stated.location(earlier.span),
                self.stated.location(later.span),
                a.document
            );
            for (x, y) in [(a.first, b.first), (b.first, a.first)] {
                if self.add_fact(pred, &[x, y], Value::NONE) {
                    let evidence = Evidence {
                        note: Some(note.clone()),
                        document: Some(a.document.clone()),
                        ..Evidence::default()
                    };
                    self.stated.origins[pred as usize].push_stated(later.span, evidence);
                }
            }
        }
    }

    /// Every stated fact (of a predicate other than `skip`) with a quote found in its
    /// document.
    fn quoted(&self, skip: PredId) -> Vec<Quoted> {
        let mut folded: Vec<(String, Option<text::Folded>)> = Vec::new();
        let mut out = Vec::new();
        for (p, rel) in self.stated.base.iter().enumerate() {
            if p == skip as usize || rel.arity() == 0 {
                continue;
            }
            let origins = &self.stated.origins[p];
            for r in 0..rel.len() as u32 {
                let Some(evidence) = origins.evidence(r) else {
                    continue;
                };
                let (Some(document), Some(quote)) = (&evidence.document, &evidence.quote) else {
                    continue;
                };
                let Origin::Stated { span, .. } = origins.get(r) else {
                    continue;
                };
                let Some(doc) = self.folded_document(&mut folded, document) else {
                    continue;
                };
                if let Ok(Some(range)) = text::find(doc, quote) {
                    out.push(Quoted {
                        first: first(rel, r),
                        span,
                        document: document.clone(),
                        range,
                    });
                }
            }
        }
        out
    }

    /// The folded text of a declared document, folded once.
    fn folded_document<'f>(
        &self,
        folded: &'f mut Vec<(String, Option<text::Folded>)>,
        name: &str,
    ) -> Option<&'f text::Folded> {
        let i = match folded.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                let document = self.stated.documents.iter().find(|d| d.name == name);
                let text = document.and_then(|d| self.stated.sources.text_of(&d.path));
                folded.push((name.to_string(), text.map(text::fold)));
                folded.len() - 1
            }
        };
        folded[i].1.as_ref()
    }
}

/// A row's first argument.
fn first(rel: &Relation, row: u32) -> Value {
    rel.row(row).first().copied().unwrap_or(Value::NONE)
}
