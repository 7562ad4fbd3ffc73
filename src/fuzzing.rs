//! The fuzz targets' bodies (`fuzz/fuzz_targets/*.rs` call them), compiled only under
//! `cargo fuzz` (`--cfg fuzzing`): the paths that read a document, a quote, a sheet, a table
//! or a typed line are crate-private, and are fuzzed from here. Nothing may panic or hang.

use crate::evidence::text::{closest, find, fold};
use crate::syntax::{self, FileId, ParseOptions};
use crate::tabular::read_rows;
use crate::{KnowledgeBase, Limits, Options};

/// The words of the statements that read or write files (`document` reads one): a text
/// naming one is skipped, or fuzzing would read any file (a pipe would hang it) and write
/// junk where it runs.
const FILE_WORDS: [&str; 4] = ["include", "input", "output", "document"];

/// Limits small enough that any text runs in a moment.
fn small() -> Options {
    Options {
        limits: Limits {
            max_facts: 20_000,
            max_cells: 200_000,
            max_iterations: 200,
            ..Limits::default()
        },
        ..Options::default()
    }
}

/// Loads any text into a knowledge base with small limits, so that its statements run
/// (queries, `why`, `whynot`, `whatif`, `retract`) and the rules evaluate; then draws the
/// timeline. A rejected text leaves the knowledge base as it was.
pub fn load_eval(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if FILE_WORDS.iter().any(|w| text.contains(w)) {
        return;
    }
    let mut kb = KnowledgeBase::with_options(small());
    if kb
        .load_str("<seed>", "p(a) @ 2001. q(X) @ T :- p(X) @ T.")
        .is_err()
    {
        panic!("the seed does not load");
    }
    let before = kb.to_msf();
    match kb.load_str("<fuzz>", text) {
        Ok(_) => {
            let _ = kb.timeline(None, None);
        }
        Err(e) => {
            let _ = kb.render(&e, false);
            assert_eq!(
                kb.to_msf(),
                before,
                "a rejected input changed the knowledge base"
            );
        }
    }
}

/// Parses any text and checks it; a text without diagnostics prints to a text that parses
/// back and prints the same.
pub fn parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (module, diagnostics) = syntax::parse(text, FileId(0), ParseOptions::default());
    let mut sources = syntax::SourceMap::default();
    sources.add("<fuzz>", text);
    let _ = crate::check::check(&module.statements, &sources);
    for d in &diagnostics {
        let _ = syntax::render_all(std::slice::from_ref(d), &sources, false);
    }
    if diagnostics.is_empty() {
        let printed = syntax::print_module(&module);
        let (again, problems) = syntax::parse(&printed, FileId(0), ParseOptions::default());
        assert!(
            problems.is_empty(),
            "the printed text does not parse: {printed}"
        );
        assert_eq!(
            syntax::print_module(&again),
            printed,
            "printing is not stable"
        );
    }
}

/// Reads any text as CSV and TSV rows of one to four columns; rows read are stated, and the
/// saved program loads back.
pub fn csv_input(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for delimiter in [b',', b'\t'] {
        for arity in 1..=4 {
            let mut rows = Vec::new();
            let read = read_rows(text, delimiter, arity, |_, cells, time| {
                rows.push((cells.iter().map(|c| c.to_const()).collect::<Vec<_>>(), time));
            });
            if read.is_err() {
                continue;
            }
            let mut kb = KnowledgeBase::new();
            for (args, time) in &rows {
                let _ = kb.insert("p", args, *time);
            }
            let saved = kb.to_msf();
            let mut again = KnowledgeBase::new();
            if let Err(e) = again.load_str("<saved>", &saved) {
                panic!(
                    "saved rows do not load back: {}\n{saved}",
                    again.render(&e, false)
                );
            }
        }
    }
}

/// Looks a quote up in a document (the two split at the first zero byte): any range found
/// lies on character boundaries, and any run of the document's own words is found.
pub fn evidence(data: &[u8]) {
    let (doc, quote) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &data[data.len() / 2..]),
    };
    let doc = String::from_utf8_lossy(doc);
    let quote = String::from_utf8_lossy(quote);
    let folded = fold(&doc);
    let whole = |(s, e): (usize, usize)| {
        let (a, b) = folded.original(&doc, s, e);
        assert!(a <= b && b <= doc.len(), "{a}..{b} of {}", doc.len());
        assert!(doc.is_char_boundary(a) && doc.is_char_boundary(b));
    };
    if let Ok(Some(range)) = find(&folded, &quote) {
        whole(range);
    }
    if let Some(range) = closest(&folded, &quote) {
        whole(range);
    }
    let words: Vec<&str> = doc.split_whitespace().collect();
    if let Some(first) = quote.bytes().next() {
        let start = usize::from(first) % words.len().max(1);
        let len = 1 + usize::from(quote.bytes().nth(1).unwrap_or(0)) % 6;
        let passage = words
            .iter()
            .skip(start)
            .take(len)
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let plain = |w: &str| w.chars().all(|c| c.is_alphanumeric() || c == ' ');
        if !passage.is_empty() && plain(&passage) && passage.chars().any(char::is_alphanumeric) {
            assert!(
                matches!(find(&folded, &passage), Ok(Some(_))),
                "{passage:?} not found in {doc:?}"
            );
        }
    }
}

/// Imports any bytes as the rows of an evidence sheet: a case written parses, and a sheet
/// rejected says where.
#[cfg(feature = "cli")]
pub fn import(data: &[u8]) {
    let mut bytes = b"date,stream,predicate,arguments,quote,source,assumed,note\n".to_vec();
    bytes.extend_from_slice(data);
    let docs = vec!["report=report.txt".to_string()];
    match crate::cli::import::sheet::sheet(&bytes, "s.csv", "rules/msf.msf", &docs) {
        Ok(imported) => {
            let (_, errors) = syntax::parse(&imported.case, FileId(0), Default::default());
            assert!(errors.is_empty(), "{:?}\n{}", errors, imported.case);
        }
        Err(rejected) => {
            assert!(!rejected.errors.is_empty());
            assert!(rejected.errors.iter().all(|e| e.starts_with("s.csv:")));
        }
    }
}

#[cfg(feature = "cli")]
pub use self::session::{piped, repl};

/// The REPL's and the piped mode's targets: a session, headless, on text as a person would
/// type or pipe it.
#[cfg(feature = "cli")]
mod session {
    use super::{small, FILE_WORDS};
    use crate::cli::commands::find;
    use crate::cli::session::{Session, COMMANDS};

    /// Whether a text names a statement or a command that reads or writes files: one of
    /// [`FILE_WORDS`], or a command that resolves (by its name, an alias or an unambiguous
    /// start of it, as the session reads it: `:sav x` is `:save x`) to `:load`, `:save`,
    /// `:export` or `:reload`. Such texts are skipped whole.
    fn touches_files(text: &str) -> bool {
        if FILE_WORDS.iter().any(|w| text.contains(w)) {
            return true;
        }
        text.split(['\n', '\r', '.', '?']).any(|line| {
            let word = line.split_whitespace().next().unwrap_or("");
            find(COMMANDS, word)
                .is_ok_and(|c| [":load", ":save", ":export", ":reload"].contains(&c.name))
        })
    }

    /// An empty session with small limits, its output printed nowhere.
    fn session() -> Session {
        Session::with_options(false, false, small())
    }

    /// Any text, split into lines and handed to a session as typed: colon commands and
    /// statements alike.
    pub fn repl(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if touches_files(text) {
            return;
        }
        let mut session = session();
        for line in text.lines() {
            if session.handle(line).quit {
                break;
            }
        }
    }

    /// Any bytes (not UTF-8, a BOM, lone carriage returns, statements split across lines)
    /// handed to the piped reader as standard input would be.
    pub fn piped(data: &[u8]) {
        if touches_files(&String::from_utf8_lossy(data)) {
            return;
        }
        let echo = data.first().is_some_and(|b| b % 2 == 1);
        crate::cli::piped::run(&mut session(), data, 1 << 20, echo);
    }
}
