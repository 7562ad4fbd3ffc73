//! The rules' dependency graph as Graphviz DOT: a box per predicate, an edge from each
//! predicate a body reads to the head it supports, dashed through `not`.

use std::collections::BTreeSet;

use crate::syntax::ast::{Literal, Rule};

/// The dependency graph of rules as a Graphviz digraph, edges sorted.
pub fn dependency_dot<'r>(rules: impl IntoIterator<Item = &'r Rule>) -> String {
    let mut edges = BTreeSet::new();
    for r in rules {
        collect(&r.body, &r.head.pred.name, false, &mut edges);
    }
    let mut out = String::from(
        "digraph rules {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n",
    );
    for (from, to, negated) in edges {
        let style = if negated {
            " [style=dashed, label=\"not\"]"
        } else {
            ""
        };
        out.push_str(&format!("  \"{from}\" -> \"{to}\"{style};\n"));
    }
    out.push_str("}\n");
    out
}

/// Each (body predicate, head, through `not`) edge of a body.
fn collect<'b>(
    body: &'b [Literal],
    head: &'b str,
    negated: bool,
    edges: &mut BTreeSet<(&'b str, &'b str, bool)>,
) {
    for l in body {
        match l {
            Literal::Atom(a) => {
                edges.insert((&a.pred.name, head, negated));
            }
            Literal::Not(a, _) => {
                edges.insert((&a.pred.name, head, true));
            }
            Literal::Aggregate(agg) => collect(&agg.body, head, negated, edges),
            Literal::Or(alternatives, _) => {
                for a in alternatives {
                    collect(a, head, negated, edges);
                }
            }
            Literal::Compare(_) => {}
        }
    }
}
