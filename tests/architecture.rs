//! The invariants of ARCHITECTURE.md that the source itself shows: the modules depend on one
//! another one way (no cycle) and only on their own layer or lower ones; only the facade
//! implements `KnowledgeBase` and reaches into its store; the code map names every module;
//! the library names settings, not flags; and no file grows far past what one reader holds
//! in mind.
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
/// `[eval]`; the binary's one file (`main.rs`) under a root of its own.
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
    }
    parts
}

/// The text with comments, string and character literals blanked (their bytes turned to
/// spaces, so that offsets stay): what the scan reads is code.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |e| i + e);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"r\"") || rest.starts_with(b"r#") {
            // A raw string: r"…", r#"…"#, with as many # as it opens with.
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes;
            let end = text[body..]
                .find(&close)
                .map_or(b.len(), |e| body + e + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if rest[0] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, i, j + 1);
            i = j + 1;
        } else if rest[0] == b'\'' {
            // A character literal ('x', '\n', '{'); a lifetime ('a) has no closing quote.
            let close = if rest.get(1) == Some(&b'\\') {
                rest.iter().skip(2).position(|&c| c == b'\'').map(|p| p + 2)
            } else {
                let width = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (rest.get(1 + width) == Some(&b'\'')).then_some(1 + width)
            };
            match close {
                Some(c) => {
                    blank(&mut out, i, i + c + 1);
                    i += c + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The byte ranges of the items under `#[cfg(test)]` in `code` (a `mod tests { … }`
/// wherever it stands, code after it kept; `code` as [`code_only`] gives it, so that braces in
/// strings do not count), and the names of the test modules declared in files of their own
/// (`#[cfg(test)] mod tests;`).
fn test_items(code: &str) -> (Vec<std::ops::Range<usize>>, Vec<String>) {
    let mut ranges = Vec::new();
    let mut test_files = Vec::new();
    let mut from = 0;
    while let Some(at) = code
        .get(from..)
        .and_then(|c| c.find("#[cfg(test)]"))
        .map(|p| from + p)
    {
        let after = at + "#[cfg(test)]".len();
        let rest = code.get(after..).unwrap_or("");
        let end = match (rest.find('{'), rest.find(';')) {
            (b, Some(s)) if b.is_none_or(|b| s < b) => {
                // `mod name;`: the module is a file of its own.
                if let Some(name) = rest[..s].trim().strip_prefix("mod ") {
                    test_files.push(name.trim().to_string());
                }
                after + s + 1
            }
            (Some(b), _) => {
                let mut depth = 0;
                let mut end = code.len();
                for (k, c) in rest[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = after + b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, _) => code.len(),
        };
        ranges.push(at..end);
        from = end;
    }
    (ranges, test_files)
}

/// `text` with the bytes of `ranges` turned to spaces (line ends kept, so that offsets and
/// line numbers stay).
fn blanked(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in bytes.get_mut(r.clone()).into_iter().flatten() {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The code with every item under `#[cfg(test)]` blanked, and the names of the test modules
/// declared in files of their own.
fn without_tests(code: &str) -> (String, Vec<String>) {
    let (ranges, files) = test_items(code);
    (blanked(code, &ranges), files)
}

/// The paths of a use tree written at `code[i..]` after a prefix that stands for `base`
/// (`{eval::X, store::{self, Y}}`, `eval::X as Z`, `*`); returns them and where it ends.
fn use_tree(code: &str, mut i: usize, base: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let b = code.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let skip_blank = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut path = base;
    loop {
        i = skip_blank(i);
        if b.get(i) == Some(&b'{') {
            let mut all = Vec::new();
            i += 1;
            loop {
                i = skip_blank(i);
                match b.get(i) {
                    Some(b'}') => return (all, i + 1),
                    Some(b',') => i += 1,
                    None => return (all, i),
                    _ => {
                        let (paths, end) = use_tree(code, i, path.clone());
                        all.extend(paths);
                        i = end.max(i + 1);
                    }
                }
            }
        }
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        if start == i {
            // `*`, or the end of the path.
            return (vec![path], i.max(start));
        }
        let segment = &code[start..i];
        if segment != "self" {
            path.push(segment.to_string());
        }
        let next = skip_blank(i);
        if code[next..].starts_with("::") {
            i = next + 2;
            continue;
        }
        // `X as Y` names X.
        if code[next..].starts_with("as") && b.get(next + 2).is_some_and(u8::is_ascii_whitespace) {
            let mut j = skip_blank(next + 2);
            while j < b.len() && word(b[j]) {
                j += 1;
            }
            return (vec![path], j);
        }
        return (vec![path], i);
    }
}

/// The module paths a text names: `crate::…`, `super::…` and (in the binary) `kingdon::…`,
/// groups (`crate::{a::X, b::Y}`) included, resolved from `module`; code under
/// `#[cfg(test)]`, comments and strings left out.
fn named_paths(module: &[String], text: &str) -> Vec<Vec<String>> {
    let (code, _) = without_tests(&code_only(text));
    let bytes = code.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let in_bin = module.first().is_some_and(|m| m == "<bin>");
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &code[i..];
        let preceded = i > 0 && word(bytes[i - 1]);
        let (base, start) = if preceded {
            (None, i)
        } else if rest.starts_with("crate::") {
            let root = if in_bin {
                vec!["<bin>".to_string()]
            } else {
                Vec::new()
            };
            (Some(root), i + "crate::".len())
        } else if in_bin && rest.starts_with("kingdon::") {
            (Some(Vec::new()), i + "kingdon::".len())
        } else if rest.starts_with("super::") {
            let mut base = module.to_vec();
            let mut j = i;
            while code[j..].starts_with("super::") {
                base.pop();
                j += "super::".len();
            }
            (Some(base), j)
        } else {
            (None, i)
        };
        match base {
            Some(base) => {
                let (paths, end) = use_tree(&code, start, base);
                out.extend(paths);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// What the crate root re-exports (`pub use kb::{KnowledgeBase, Error}`): each name and the
/// module path it comes from, so that `crate::KnowledgeBase` is an edge to `kb`.
fn root_exports(lib: &str) -> BTreeMap<String, Vec<String>> {
    let code = code_only(lib);
    let mut out = BTreeMap::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("pub use ").map(|p| from + p) {
        let (paths, end) = use_tree(&code, at + "pub use ".len(), Vec::new());
        for path in paths {
            if let Some((name, module)) = path.split_last() {
                out.insert(name.clone(), module.to_vec());
            }
        }
        from = end.max(at + 1);
    }
    out
}

/// The layers of ARCHITECTURE.md, lowest first: a module may name only modules of its own
/// layer or below. (A module's own children and its ancestors are its own.)
const LAYERS: &[&[&str]] = &[
    &["value", "markup", "files"],
    &["syntax"],
    &["load", "evidence"],
    &["check"],
    &["eval"],
    &["tabular", "stream"],
    &["store"],
    &["explain", "timeline"],
    &["interpret"],
    &["kb"],
    &["verdicts", "robustness", "compare"],
    &["report"],
    &["cli"],
    &["fuzzing"],
    &["<bin>"],
];

/// The layer of a module path (its first part), if ARCHITECTURE.md names one.
fn layer_of(module: &[String]) -> Option<usize> {
    let top = module.first()?;
    LAYERS
        .iter()
        .position(|layer| layer.contains(&top.as_str()))
}

/// A module's path below `src/`.
type Module = Vec<String>;

/// The modules that are test modules of their parent in files of their own
/// (`#[cfg(test)] mod tests;`).
fn test_modules(files: &[(PathBuf, String)]) -> BTreeSet<Module> {
    let mut out = BTreeSet::new();
    for (path, text) in files {
        for name in test_items(&code_only(text)).1 {
            let mut child = module_of(path);
            child.push(name);
            out.insert(child);
        }
    }
    out
}

/// For each module, the modules it names.
type Edges = BTreeMap<Module, BTreeSet<Module>>;

/// The modules and the module graph read from the source.
fn module_graph() -> (BTreeSet<Module>, Edges) {
    let files = sources();
    let lib = files
        .iter()
        .find(|(p, _)| p.ends_with("src/lib.rs"))
        .map(|(_, text)| text.as_str())
        .unwrap_or("");
    let exports = root_exports(lib);
    // Files that are test modules of their parent are not read.
    let test_files = test_modules(&files);
    let modules: BTreeSet<Vec<String>> = files
        .iter()
        .map(|(p, _)| module_of(p))
        .filter(|m| !test_files.contains(m))
        .collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (path, text) in &files {
        let from = module_of(path);
        if test_files.contains(&from) {
            continue;
        }
        for mut named in named_paths(&from, text) {
            // A name the crate root re-exports stands for the module it comes from.
            let root_len = usize::from(named.first().is_some_and(|m| m == "<bin>"));
            if let Some(module) = named.get(root_len).and_then(|n| exports.get(n)) {
                if named.len() == root_len + 1 {
                    let mut resolved = named[..root_len].to_vec();
                    resolved.extend(module.iter().cloned());
                    named = resolved;
                }
            }
            let target = (1..=named.len())
                .rev()
                .map(|n| named[..n].to_vec())
                .find(|m| modules.contains(m));
            if let Some(to) = target {
                if !from.starts_with(&to) {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    (modules, edges)
}

/// The edges on a cycle: an edge from a module to one that reaches it back (a module and its
/// own descendants excepted).
fn cycles(edges: &Edges) -> Vec<String> {
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
    let mut out = Vec::new();
    for (from, tos) in edges {
        for to in tos {
            if reaches(to, from) && !from.starts_with(to) && !to.starts_with(from) {
                out.push(format!("{} -> {}", from.join("/"), to.join("/")));
            }
        }
    }
    out
}

#[test]
fn modules_depend_on_each_other_one_way() {
    let (_, edges) = module_graph();
    let cycles = cycles(&edges);
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
fn modules_name_only_their_own_layer_or_lower_ones() {
    let (modules, edges) = module_graph();
    let unplaced: Vec<String> = modules
        .iter()
        .filter(|m| !m.is_empty() && layer_of(m).is_none())
        .map(|m| m.join("/"))
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules in no layer of ARCHITECTURE.md: {unplaced:?}"
    );
    let upward: Vec<String> = edges
        .iter()
        .flat_map(|(from, tos)| tos.iter().map(move |to| (from, to)))
        .filter(|(from, to)| match (layer_of(from), layer_of(to)) {
            (Some(a), Some(b)) => b > a,
            _ => false,
        })
        .map(|(from, to)| format!("{} -> {}", from.join("/"), to.join("/")))
        .collect();
    assert!(
        upward.is_empty(),
        "edges to a higher layer:\n{}",
        upward.join("\n")
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
fn only_the_facade_reaches_into_its_store() {
    // robustness and compare built knowledge bases from `kb.store` and read its fields: they
    // now go through the facade's crate-private doors (`without_assumed`, `unbacked`,
    // `statements`).
    let outside: Vec<String> = sources()
        .into_iter()
        .filter(|(p, _)| !p.ends_with("src/kb.rs"))
        .filter(|(_, text)| {
            let (code, _) = without_tests(&code_only(text));
            // A struct literal, not a return type (`-> KnowledgeBase {`) or an impl.
            let literal = code.match_indices("KnowledgeBase {").any(|(at, _)| {
                let before = code[..at].trim_end();
                !["->", "&", "mut", "impl", "for", "::"]
                    .iter()
                    .any(|t| before.ends_with(t))
            });
            code.contains(".store.") || literal
        })
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(
        outside.is_empty(),
        "the facade's store reached from {outside:?}"
    );
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
fn the_scan_reads_every_form_of_path_and_sees_a_cycle() {
    let a = vec!["x".to_string(), "a".to_string()];
    let b = vec!["x".to_string(), "b".to_string()];
    let paths = |module: &[String], text: &str| -> Vec<Vec<String>> { named_paths(module, text) };
    let v = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(paths(&a, "use super::b::Thing;"), [v(&["x", "b", "Thing"])]);
    assert_eq!(paths(&b, "crate::x::a::f()"), [v(&["x", "a", "f"])]);
    assert!(paths(&a, "my_crate::x").is_empty());
    // Groups, nested, with `self` and aliases.
    assert_eq!(
        paths(&a, "use crate::{eval::{self, X as Y}, store::Z};"),
        [v(&["eval"]), v(&["eval", "X"]), v(&["store", "Z"])]
    );
    // Code after a test module is read; the test module, comments and strings are not.
    let text = "#[cfg(test)]\nmod tests { use crate::t::X; fn f() { let s = \"{\"; } }\n\
                // crate::comment::X\nconst S: &str = \"crate::string::X\";\nuse crate::after::Y;";
    assert_eq!(paths(&a, text), [v(&["after", "Y"])]);
    // A cycle between two siblings is found, and a module's use of its parent is not one.
    let mut edges = BTreeMap::new();
    edges.insert(a.clone(), BTreeSet::from([b.clone()]));
    edges.insert(b.clone(), BTreeSet::from([a.clone()]));
    assert_eq!(cycles(&edges), ["x/a -> x/b", "x/b -> x/a"]);
    edges.remove(&b);
    assert!(cycles(&edges).is_empty());
    // A name the crate root re-exports is an edge to its module.
    let exports = root_exports("pub use kb::{Error, KnowledgeBase};\npub use store::Options;");
    assert_eq!(exports.get("KnowledgeBase"), Some(&v(&["kb"])));
    assert_eq!(exports.get("Options"), Some(&v(&["store"])));
}

#[test]
fn the_code_map_names_every_module() {
    // ARCHITECTURE.md's code map lacked whole modules (report/, markup.rs, stream.rs, …).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let map = doc
        .split("## Code map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a code map");
    // Each row: its first cell, and the whole row.
    let rows: Vec<(&str, &str)> = map
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| (l.split(" | ").next().unwrap_or(l), l))
        .collect();
    let files = sources();
    let test_modules = test_modules(&files);
    let missing: Vec<String> = files
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| !test_modules.contains(&module_of(p)))
        .map(|p| {
            p.strip_prefix(root)
                .expect("under the root")
                .display()
                .to_string()
        })
        .filter(|p| p != "src/lib.rs")
        .filter(|p| {
            let named = |(first, row): &(&str, &str)| {
                // The first cell's paths, each written in full or, after the first, relative to
                // the first one's folder (`src/eval/exec.rs`, `exec/aggregate.rs`).
                let items: Vec<&str> = first.split('`').skip(1).step_by(2).collect();
                let base = items
                    .first()
                    .and_then(|f| f.rfind('/').map(|i| &f[..=i]))
                    .unwrap_or("");
                let paths: Vec<String> = items
                    .iter()
                    .map(|i| {
                        if i.starts_with("src/") {
                            i.to_string()
                        } else {
                            format!("{base}{i}")
                        }
                    })
                    .collect();
                let (dir, name) = p.rsplit_once('/').unwrap_or(("", p));
                let dir = format!("{dir}/");
                // Named itself; or a module's folder names its `mod.rs`; or the row is about
                // its folder (the folder, or a file right in it) and names it.
                paths.iter().any(|q| q == p)
                    || (name == "mod.rs" && paths.contains(&dir))
                    || (paths.iter().any(|q| {
                        q == &dir || (q.starts_with(&dir) && !q[dir.len()..].contains('/'))
                    }) && row.contains(&format!("`{name}`")))
            };
            !rows.iter().any(named)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "not in ARCHITECTURE.md's code map: {missing:?}"
    );
}

#[test]
fn the_library_names_settings_not_flags() {
    // Eleven library messages named command-line flags (`--max-facts`): an embedder has no
    // flags. The library names the setting; the command line adds its flag.
    let flagged: Vec<String> = sources()
        .into_iter()
        .filter(|(p, _)| {
            let m = module_of(p);
            m.first().is_none_or(|top| top != "<bin>" && top != "cli")
        })
        .flat_map(|(p, text)| {
            let (tests, _) = test_items(&code_only(&text));
            blanked(&text, &tests)
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim_start().starts_with("//"))
                .filter(|(_, l)| {
                    // A flag in a string: `--` and a letter (`--max-facts`, `--document`).
                    l.contains('"')
                        && l.match_indices("--")
                            .any(|(i, _)| l[i + 2..].starts_with(|c: char| c.is_ascii_lowercase()))
                })
                .map(|(i, _)| format!("{}:{}", p.display(), i + 1))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        flagged.is_empty(),
        "library text naming a flag: {flagged:?}"
    );
}
