//! `:export`'s tables of facts: JSON (an object of predicates, each a list of its facts as
//! written), and CSV or TSV (a header, then one row a fact: its predicate, one column per
//! argument, and its time).

use crate::{Const, Error, KnowledgeBase};

/// Every fact as a JSON object: predicate → facts as written, in time order.
pub fn facts_json(kb: &mut KnowledgeBase) -> Result<String, Error> {
    let map: serde_json::Map<String, serde_json::Value> = kb
        .facts(None)?
        .into_iter()
        .map(|p| {
            let written: Vec<String> = p.facts.iter().map(ToString::to_string).collect();
            (p.pred, serde_json::Value::from(written))
        })
        .collect();
    Ok(format!("{}\n", serde_json::Value::Object(map)))
}

/// Every fact as a row of a table with a header: `predicate`, `arg1` … `argN` (as many as the
/// widest predicate has; a narrower one leaves the rest empty) and `time`, cells separated by
/// `delimiter` (`,` for CSV, a tab for TSV) and quoted as the format needs. Strings are
/// written without their quotes, numbers, symbols and times as the language writes them.
pub fn facts_table(kb: &mut KnowledgeBase, delimiter: u8) -> Result<String, Error> {
    let facts = kb.fact_data(None)?;
    let width = facts.iter().map(|f| f.args.len()).max().unwrap_or(0);
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let mut header = vec!["predicate".to_string()];
    header.extend((1..=width).map(|i| format!("arg{i}")));
    header.push("time".to_string());
    // Writing to memory does not fail.
    let _ = out.write_record(&header);
    for fact in &facts {
        let mut row = vec![fact.pred.clone()];
        row.extend(fact.args.iter().map(|c| match c {
            Const::Str(s) => s.to_string(),
            other => other.to_string(),
        }));
        row.resize(width + 1, String::new());
        row.push(fact.time.map(|t| t.to_string()).unwrap_or_default());
        let _ = out.write_record(&row);
    }
    let bytes = out.into_inner().unwrap_or_default();
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
