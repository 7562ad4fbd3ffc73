//! `:export`'s text formats of the facts: JSON (an object of predicates, each a list of its
//! facts as written) and CSV (one row a fact: predicate, then the fact as written).

use kingdon::{Error, KnowledgeBase, PredicateFacts};

/// Every fact as a JSON object: predicate → facts as written, in time order.
pub fn facts_json(kb: &mut KnowledgeBase) -> Result<String, Error> {
    let map: serde_json::Map<String, serde_json::Value> = kb
        .facts(None)?
        .into_iter()
        .map(|p| (p.pred, serde_json::Value::from(p.facts)))
        .collect();
    Ok(format!("{}\n", serde_json::Value::Object(map)))
}

/// Every fact as a CSV row: its predicate, then the fact as written.
pub fn facts_csv(kb: &mut KnowledgeBase) -> Result<String, Error> {
    Ok(kb
        .facts(None)?
        .into_iter()
        .flat_map(|PredicateFacts { pred, facts }| {
            facts
                .into_iter()
                .map(move |f| format!("{pred},\"{}\"\n", f.replace('"', "\"\"")))
        })
        .collect())
}
