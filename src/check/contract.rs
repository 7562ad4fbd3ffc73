//! What a theory asks of the cases that include it: facts of a predicate its lane declares
//! timed (`enacted/2 @`) carry a time (E121), and no fact states a predicate that a rule of an
//! included file derives (E122) — a case states evidence, and the theory its conclusions.

use std::collections::HashMap;

use crate::syntax::ast::Statement;
use crate::syntax::{Code, Diagnostic, SourceMap, Span};

/// The contract's errors over the statements of a program, taken in order.
pub(super) fn verify(parts: &[&[Statement]], sources: &SourceMap) -> Vec<Diagnostic> {
    let statements = || parts.iter().copied().flatten();
    let mut timed: HashMap<&str, Span> = HashMap::new();
    let mut derived: HashMap<&str, Vec<(Span, &str)>> = HashMap::new();
    for s in statements() {
        match s {
            Statement::Stream(d) => {
                for p in d.preds.iter().filter(|p| p.timed) {
                    timed.entry(p.name.name.as_str()).or_insert(p.span);
                }
            }
            Statement::Rule(r) => derived
                .entry(r.head.pred.name.as_str())
                .or_default()
                .push((r.span, r.name.as_ref().map_or("", |n| n.name.as_str()))),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for s in statements() {
        let Statement::Fact(f) = s else { continue };
        let pred = f.atom.pred.name.as_str();
        if f.atom.time.is_none() {
            if let Some(lane) = timed.get(pred) {
                out.push(
                    Diagnostic::new(
                        Code::UndatedFact,
                        f.atom.pred.span,
                        format!(
                            "`{pred}` takes only facts with a time (its lane says so at {}), and this one has none",
                            sources.location(*lane)
                        ),
                    )
                    .with_related(*lane, format!("`{pred}` declared timed in its lane"))
                    .with_hint(format!(
                        "date it as the source does (`{pred}(…) @ 2012-07`); if the source gives no date, say which you chose and mark it `assumed \"why\"`"
                    )),
                );
            }
        }
        let file = f.atom.pred.span.file;
        let theory = derived.get(pred).and_then(|rules| {
            rules
                .iter()
                .find(|(at, _)| at.file != file && sources.includes(file, at.file))
        });
        if let Some((at, name)) = theory {
            let rule = if name.is_empty() {
                String::from("a rule")
            } else {
                format!("the rule `{name}`")
            };
            out.push(
                Diagnostic::new(
                    Code::StatedConclusion,
                    f.atom.pred.span,
                    format!(
                        "`{pred}` is derived by {rule} of the included {}: a fact of it states a conclusion the theory must reach",
                        sources.location(*at)
                    ),
                )
                .with_related(*at, format!("{rule} that derives `{pred}`"))
                .with_hint(
                    "state the evidence the rule reads instead (see `why` of such a fact), or name your own predicate",
                ),
            );
        }
    }
    out
}
