//! The invariants of ARCHITECTURE.md that the source itself shows: the modules depend on one
//! another one way (no cycle), only the facade implements `KnowledgeBase`, and no file grows
//! far past what one reader holds in mind.
//!
//! The module graph is read from the source: each file is a module (`mod.rs` is its folder),
//! and `crate::a::b` or `super::b` in it is an edge to the deepest module that path names.
//! A module's edges to its own ancestors are not counted (a child uses its parent's types).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a source file may be: a backstop, not the rule. The rule is a review habit
/// (ARCHITECTURE.md): past about 700 lines a file is split where its parts are separate jobs,
/// not where a count says.
const MAX_LINES: usize = 1000;

fn sources() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut todo = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a UTF-8 source");
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

/// A file's module path below `src/`: `eval/plan.rs` → `[eval, plan]`, `eval/mod.rs` →
/// `[eval]`; the binary's files (`main.rs`, `cli/`) under a root of their own.
fn module_of(path: &Path) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path
        .strip_prefix(&src)
        .expect("under src/")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    if parts.first().is_some_and(|p| p == "main") {
        parts = vec!["<bin>".to_string()];
    } else if parts.first().is_some_and(|p| p == "cli") {
        parts.insert(0, "<bin>".to_string());
    }
    parts
}

/// The module paths a text names: `crate::x::y` and `super::…::y`, resolved from `module`.
fn named_paths(module: &[String], text: &str) -> Vec<Vec<String>> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let preceded = i > 0 && word(bytes[i - 1]);
        let (mut base, mut j) = if !preceded && rest.starts_with(b"crate::") {
            let root = if module.first().is_some_and(|m| m == "<bin>") {
                vec!["<bin>".to_string()]
            } else {
                Vec::new()
            };
            (root, i + "crate::".len())
        } else if !preceded && rest.starts_with(b"super::") {
            let mut base = module.to_vec();
            let mut j = i;
            while bytes[j..].starts_with(b"super::") {
                base.pop();
                j += "super::".len();
            }
            (base, j)
        } else {
            i += 1;
            continue;
        };
        loop {
            let start = j;
            while j < bytes.len() && word(bytes[j]) {
                j += 1;
            }
            if start == j {
                break;
            }
            base.push(code[start..j].to_string());
            if bytes[j..].starts_with(b"::") {
                j += 2;
            } else {
                break;
            }
        }
        out.push(base);
        i = j.max(i + 1);
    }
    out
}

#[test]
fn modules_depend_on_each_other_one_way() {
    let files = sources();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(p, _)| module_of(p)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (path, text) in &files {
        let from = module_of(path);
        for named in named_paths(&from, text) {
            let target = (1..=named.len())
                .rev()
                .map(|n| named[..n].to_vec())
                .find(|m| modules.contains(m));
            if let Some(to) = target {
                let ancestor_or_self = from.starts_with(&to);
                if !ancestor_or_self {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    // A cycle is an edge from a module to one that reaches it back.
    let reaches = |from: &Vec<String>, to: &Vec<String>| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            if &m == to {
                return true;
            }
            if seen.insert(m.clone()) {
                todo.extend(edges.get(&m).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut cycles = Vec::new();
    for (from, tos) in &edges {
        for to in tos {
            if reaches(to, from) && !from.starts_with(to) && !to.starts_with(from) {
                cycles.push(format!("{} -> {}", from.join("/"), to.join("/")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "edges on a cycle of modules:\n{}",
        cycles.join("\n")
    );
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 50,
        "the scan found the module graph"
    );
}

#[test]
fn only_the_facade_implements_the_knowledge_base() {
    let outside: Vec<String> = sources()
        .into_iter()
        .filter(|(p, text)| !p.ends_with("src/kb.rs") && text.contains("impl KnowledgeBase"))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(outside.is_empty(), "impl KnowledgeBase in {outside:?}");
}

#[test]
fn no_source_file_is_longer_than_one_reader_holds() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| text.lines().count() > MAX_LINES)
        .map(|(p, text)| format!("{}: {} lines", p.display(), text.lines().count()))
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
}

#[test]
fn the_scan_sees_a_cycle_when_there_is_one() {
    // The scan's own check: two sibling modules naming each other are found.
    let a = vec!["x".to_string(), "a".to_string()];
    let b = vec!["x".to_string(), "b".to_string()];
    assert_eq!(
        named_paths(&a, "use super::b::Thing;"),
        [vec!["x", "b", "Thing"]]
    );
    assert_eq!(named_paths(&b, "crate::x::a::f()"), [vec!["x", "a", "f"]]);
    assert!(named_paths(&a, "my_crate::x").is_empty());
}
