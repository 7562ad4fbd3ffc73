//! The store as text: saved as a `.msf` file, and what it states listed with where.

use std::collections::BTreeMap;

use super::{Document, Origin, PredId, Store};
use crate::syntax::{Diagnostic, Span};

/// What a reading states: its facts as written and its rules by name with their text, each
/// with where it is written (for `compare`).
pub(crate) struct Statements {
    /// Each stated or read fact as written, and its place.
    pub(crate) facts: BTreeMap<String, String>,
    /// Each rule by name: its text and its place.
    pub(crate) rules: BTreeMap<String, (String, String)>,
}

impl Store {
    /// The store as a `.msf` text that loads back to the same facts and rules: its lanes,
    /// its documents (each at the path `path_of` gives it), its stated facts (with notes and
    /// sources), its rules.
    pub(crate) fn to_msf(&self, path_of: &dyn Fn(&Document) -> String) -> String {
        let mut out = String::from("# Saved by kingdon: lanes, documents, facts, rules.\n");
        for lane in &self.stated.lanes {
            let label = lane
                .label
                .as_ref()
                .map(|l| format!(" {}", crate::value::quote(l)))
                .unwrap_or_default();
            let preds: Vec<String> = lane
                .preds
                .iter()
                .map(|p| {
                    if lane.timed.contains(p) {
                        format!("{p} @")
                    } else {
                        p.clone()
                    }
                })
                .collect();
            out.push_str(&format!(
                "stream {}{label}: {}.\n",
                lane.name,
                preds.join(", ")
            ));
        }
        for d in &self.stated.documents {
            let path = path_of(d);
            let note = d
                .note
                .as_ref()
                .map(|n| format!("\n    note {}", crate::value::quote(n)))
                .unwrap_or_default();
            out.push_str(&format!(
                "document {} {}{note}.\n",
                d.name,
                crate::value::quote(&path)
            ));
        }
        for (p, rel) in self.stated.base.iter().enumerate() {
            let origins = &self.stated.origins[p];
            for r in 0..rel.len() as u32 {
                out.push_str(&self.show_fact(p as PredId, rel.row(r), rel.time(r)));
                if let Some(e) = origins.evidence(r) {
                    out.push_str(&e.to_msf());
                }
                out.push_str(".\n");
            }
        }
        for r in &self.stated.program.rules {
            out.push_str(&crate::syntax::print_rule(r));
            out.push('\n');
        }
        out
    }

    /// What the store states, listed with where (see [`Statements`]).
    pub(crate) fn statements(&mut self) -> Result<Statements, Diagnostic> {
        let view = self.evaluated(Span::default())?;
        let mut facts = BTreeMap::new();
        for (p, base) in view.stated.base.iter().enumerate() {
            for r in 0..base.len() as u32 {
                let at = match view.stated.origins[p].get(r) {
                    Origin::Stated { span, .. } => view.stated.location(span).to_string(),
                    Origin::Input { file, line } => format!("{file}:{line}"),
                };
                facts.insert(view.show_row((p as u32, r)), at);
            }
        }
        let rules = view
            .stated
            .program
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    view.stated.rule_name(i as u32),
                    (
                        crate::syntax::print_rule(r),
                        view.stated.location(r.span).to_string(),
                    ),
                )
            })
            .collect();
        Ok(Statements { facts, rules })
    }
}
