//! The store saved as a `.msf` text.

use super::{Document, PredId, Store};

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
}
