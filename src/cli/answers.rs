//! Printing query answers as text, JSON lines, TSV or CSV.

use crate::explain::render as explain;
use crate::{Answers, Const, Output};
use clap::ValueEnum;

/// How answers are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `C = management_agreement, T = 2005-07`, one answer per line.
    Text,
    /// One JSON document per line: an array of objects keyed by variable name.
    Json,
    /// One JSON object per printing statement, naming it: `{"statement": "p(X)?", "answers":
    /// […]}`, and `"why"`, `"whynot"` or `"whatif"` for an explanation.
    Objects,
    /// A header of variable names, then one row per answer, tab-separated.
    Tsv,
    /// A header of variable names, then one row per answer, comma-separated.
    Csv,
    /// `why` as a Graphviz digraph (other statements print as text).
    Dot,
    /// `why` as a paragraph built from the notes (other statements print as text).
    Narrative,
}

fn cell(c: &Const) -> String {
    match c {
        Const::Str(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// A query's answers as LANGUAGE.md §6 gives them in JSON: an array of objects keyed by
/// variable name, or `true` / `false` for a query without variables.
fn answers_json(answers: &Answers) -> serde_json::Value {
    if answers.vars.is_empty() {
        return serde_json::Value::Bool(answers.holds());
    }
    let objects = answers.rows.iter().map(|row| {
        let object: serde_json::Map<String, serde_json::Value> = answers
            .vars
            .iter()
            .zip(row)
            .filter_map(|(v, c)| Some((v.clone(), c.as_ref()?.plain_json())))
            .collect();
        serde_json::Value::Object(object)
    });
    serde_json::Value::Array(objects.collect())
}

/// One statement's answer as an object that names the statement (`--format objects`).
fn named(statement: &str, key: &str, value: serde_json::Value) -> String {
    let mut object = serde_json::Map::new();
    object.insert("statement".to_string(), statement.trim().into());
    object.insert(key.to_string(), value);
    format!("{}\n", serde_json::Value::Object(object))
}

/// The answers in the given format, ending with a newline.
pub fn render(answers: &Answers, format: Format) -> String {
    if answers.vars.is_empty() && format != Format::Objects {
        return format!("{}\n", answers.holds());
    }
    match format {
        Format::Text | Format::Dot | Format::Narrative => {
            if answers.rows.is_empty() {
                return "no answers\n".to_string();
            }
            let mut out = String::new();
            for row in &answers.rows {
                let parts: Vec<String> = answers
                    .vars
                    .iter()
                    .zip(row)
                    .filter_map(|(v, c)| c.as_ref().map(|c| format!("{v} = {c}")))
                    .collect();
                out.push_str(&parts.join(", "));
                out.push('\n');
            }
            out
        }
        Format::Json | Format::Objects => format!(
            "{}\n",
            serde_json::to_string(&answers_json(answers)).expect("JSON serialises")
        ),
        Format::Tsv | Format::Csv => {
            let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
            let mut writer = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(Vec::new());
            let written = writer.write_record(&answers.vars).and_then(|()| {
                answers.rows.iter().try_for_each(|row| {
                    writer
                        .write_record(row.iter().map(|c| c.as_ref().map(cell).unwrap_or_default()))
                })
            });
            written.expect("writing to memory cannot fail");
            let bytes = writer.into_inner().expect("flushing to memory cannot fail");
            String::from_utf8(bytes).expect("cells are UTF-8")
        }
    }
}

/// How outputs are drawn for a reader.
#[derive(Clone, Copy, Debug)]
pub struct Look {
    /// Text, a machine format, DOT or the narrative alone.
    pub format: Format,
    /// ASCII lines instead of box drawing in trees.
    pub ascii: bool,
    /// The columns text fits.
    pub width: usize,
    /// How many levels a `why` tree shows when the question says no `depth` (all: `None`).
    pub depth: Option<u32>,
    /// In text, each printing statement on a line of its own (`> p(X)?`) before its answers.
    pub echo: bool,
}

/// What statements print: answers and explanations, and separately the warnings (a
/// `retract` that matched nothing, or only derived facts) and errors (a question the format
/// cannot print as asked), with whether there was an error. Facts, rules and `output` print
/// nothing.
pub fn render_outputs(outputs: &[Output], look: &Look) -> (String, String, bool) {
    let Look {
        format,
        ascii,
        width,
        depth,
        echo,
    } = *look;
    let json = |value: &dyn Json| format!("{}\n", value.json());
    let object = |statement: &str, key: &str, value: &dyn Json| {
        named(
            statement,
            key,
            serde_json::from_str(&value.json()).unwrap_or_default(),
        )
    };
    let mut out = String::new();
    let mut warnings = String::new();
    let mut failed = false;
    for output in outputs {
        // With `echo`, each statement in text before its answers, setting them apart.
        if echo && matches!(format, Format::Text | Format::Narrative) {
            let statement = match output {
                Output::Answers { query, .. } => Some(query.as_str()),
                Output::Why(w) => Some(w.question.as_str()),
                Output::WhyNot(w) => Some(w.question.as_str()),
                Output::WhatIf(w) => Some(w.question.as_str()),
                Output::Retracted(_) | Output::Written { .. } => None,
            };
            if let Some(statement) = statement {
                out.push_str(&format!("> {}\n", statement.trim()));
            }
        }
        match output {
            Output::Answers { query, answers } if format == Format::Objects => {
                out.push_str(&named(query, "answers", answers_json(answers)));
            }
            Output::Answers { answers, .. } => out.push_str(&render(answers, format)),
            // A card has no drawing and no story of its own: asked for one, say so.
            Output::Why(why) if why.brief && matches!(format, Format::Dot | Format::Narrative) => {
                let name = if format == Format::Dot {
                    "dot"
                } else {
                    "narrative"
                };
                warnings.push_str(&format!(
                    "kingdon: error: `{}` asks for the card, which --format {name} cannot print: drop `brief`, or the format\n",
                    why.question.trim_end_matches('.')
                ));
                failed = true;
            }
            Output::Why(why) => match format {
                Format::Json => out.push_str(&json(why)),
                Format::Objects => out.push_str(&object(&why.question, "why", why)),
                Format::Dot => out.push_str(&explain::why_dot(why)),
                Format::Narrative => out.push_str(&explain::why_narrative(why, width)),
                _ if why.proof.roots.is_empty() || why.brief => {
                    out.push_str(&explain::why_text(why, ascii, width))
                }
                _ => {
                    // The tree to the depth asked (or the REPL's), then its story; each pushed
                    // as it is made (a proof 100 000 deep prints 16 MB of tree).
                    let shown = why.depth.or(depth);
                    out.push_str(&explain::why_text_to(why, shown, ascii, width));
                    out.push('\n');
                    out.push_str(&explain::why_narrative(why, width));
                }
            },
            Output::WhyNot(w) => out.push_str(&match format {
                Format::Json => json(w),
                Format::Objects => object(&w.question, "whynot", w),
                _ => explain::whynot_text(w, width),
            }),
            Output::WhatIf(w) => out.push_str(&match format {
                Format::Json => json(w),
                Format::Objects => object(&w.question, "whatif", w),
                _ => explain::whatif_text(w),
            }),
            Output::Retracted(crate::Retraction { removed, derived }) => {
                for fact in derived {
                    warnings.push_str(&format!(
                        "kingdon: warning: `{fact}` is derived, not stated: retract the facts it rests on\n"
                    ));
                }
                if removed.is_empty() && derived.is_empty() {
                    warnings.push_str("kingdon: warning: `retract` matched no fact\n");
                }
            }
            Output::Written { .. } => {}
        }
    }
    (out, warnings, failed)
}

/// One line of JSON for any serialisable explanation.
trait Json {
    fn json(&self) -> String;
}

impl<T: serde::Serialize> Json for T {
    fn json(&self) -> String {
        serde_json::to_string(self).expect("explanations serialise")
    }
}
