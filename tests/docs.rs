//! The documents in `docs/`, and the README, are executed: every command and every REPL transcript they show
//! is run, and what it prints must be what the document shows. The documents cannot drift
//! from the program.
//!
//! What a document's fenced blocks mean:
//!
//! - ```` ```msf file=NAME ```` (or `csv`, `tsv`, `text`): a file; written to the document's working
//!   folder (which also holds a copy of `rules/`) before the commands after it run.
//! - ```` ```console ````: commands after `$ `, each followed by what it prints (standard
//!   output and error together). `kingdon` is the binary under test; `cargo run --release --`
//!   means `kingdon`, `cargo run --example NAME --` the example `NAME`.
//! - ```` ```repl [session=NAME] [ARGS…] ````: a REPL transcript: each line after a prompt
//!   (`kingdon> `, `kingdon@2004> `) is typed, with the lines that finish its statement;
//!   the rest is what the REPL prints. All blocks of one session (`main` by default) are one
//!   run of `kingdon --echo ARGS`, fed every typed line. A session's first block may start
//!   with the banner.
//! - ```` ```rust file=PATH ````: must be the repository's file `PATH`, word for word.
//! - ```` ```sh ````: commands to type outside kingdon (`cargo test`); never `kingdon` itself.
//! - ```` ```msf ````, ```` ```text ````, ```` ```toml ```` without a file: shown, not run; never a
//!   command or a transcript.
//!
//! In expected output a line holding only `…` stands for any number of lines, a `…` within a
//! line for any text (a time in milliseconds), and trailing spaces do not count.
//! `KINGDON_BLESS=1 cargo test --test docs` rewrites the output of every command and
//! transcript that differs with what the program prints now (losing its `…`); review the
//! diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kingdon::syntax::Code;

/// A fenced block: its info string, its lines and the line of the document it starts on.
struct Block {
    info: String,
    lines: Vec<String>,
    /// Index of the fence's opening line in the document (0-based).
    open: usize,
}

/// A document split into its lines and its fenced blocks.
struct Doc {
    path: PathBuf,
    lines: Vec<String>,
    blocks: Vec<Block>,
}

impl Doc {
    fn read(path: &Path) -> Doc {
        let text = std::fs::read_to_string(path).expect("the document is readable");
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut blocks = Vec::new();
        let mut open: Option<(usize, String)> = None;
        for (i, line) in lines.iter().enumerate() {
            if let Some(info) = line.strip_prefix("```") {
                match open.take() {
                    None => open = Some((i, info.trim().to_string())),
                    Some((start, info)) => blocks.push(Block {
                        info,
                        lines: lines[start + 1..i].to_vec(),
                        open: start,
                    }),
                }
            }
        }
        assert!(open.is_none(), "{}: a block is not closed", path.display());
        Doc {
            path: path.to_path_buf(),
            lines,
            blocks,
        }
    }

    /// `file:line` of a block's first line.
    fn at(&self, block: &Block) -> String {
        format!("{}:{}", self.path.display(), block.open + 2)
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    // The README's transcripts and counts are the program's too.
    docs.push(root().join("README.md"));
    docs
}

fn bless() -> bool {
    std::env::var_os("KINGDON_BLESS").is_some()
}

/// Whether `actual` is what `expected` shows: line by line, trailing spaces ignored, a line
/// `…` standing for any number of lines and a `…` within a line for any text.
fn matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "…" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual.split_first().is_some_and(|(a, more)| {
            line_matches(first.trim_end(), a.trim_end()) && matches(rest, more)
        }),
    }
}

/// One line against its pattern, where `…` stands for any text (the ellipsis that cuts a
/// long label short matches itself).
fn line_matches(pattern: &str, line: &str) -> bool {
    let mut parts = pattern.split('…');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

fn lines_of(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// A document's working folder: empty but for a copy of `rules/`.
fn workdir(doc: &Path) -> PathBuf {
    let name = doc.file_stem().expect("a name").to_string_lossy();
    let dir = std::env::temp_dir().join(format!("kingdon-docs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("rules"), &dir.join("rules"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder can be made");
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("readable entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("a copy");
        }
    }
}

/// The folder of the binary under test, and that of the examples `cargo test` builds.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_kingdon"))
        .parent()
        .expect("a folder")
        .to_path_buf()
}

/// A command as the document shows it, as the test runs it.
fn runnable(command: &str) -> String {
    if let Some(rest) = command.strip_prefix("cargo run --example ") {
        let (name, args) = rest.split_once(' ').unwrap_or((rest, ""));
        let args = args.strip_prefix("--").unwrap_or(args);
        let example = bin_dir().join("examples").join(name);
        assert!(
            example.exists(),
            "the example `{name}` is not built: run `cargo test`, which builds the examples"
        );
        return format!("{}{args}", example.display());
    }
    for prefix in ["cargo run --release -- ", "cargo run --release"] {
        if let Some(rest) = command.strip_prefix(prefix) {
            return format!("kingdon {rest}");
        }
    }
    command.to_string()
}

/// Runs a shell command line in `dir` with `kingdon` on the path; what it prints, standard
/// output and error together, in order.
fn shell(dir: &Path, command: &str, input: Option<&str>) -> String {
    use std::io::Write;
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin_dir()];
    paths.extend(std::env::split_paths(&path));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1; {command}"))
        .current_dir(dir)
        .env("PATH", std::env::join_paths(paths).expect("a path"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .spawn()
        .expect("sh runs");
    if let Some(input) = input {
        let mut stdin = child.stdin.take().expect("a pipe");
        stdin.write_all(input.as_bytes()).expect("writable");
    }
    let output = child.wait_with_output().expect("the command ends");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The prompt a transcript line starts with, and what was typed after it.
fn typed(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("kingdon")?;
    let rest = match rest.strip_prefix('@') {
        Some(tagged) => &tagged[tagged.find('>')?..],
        None => rest,
    };
    rest.strip_prefix("> ")
}

/// Whether a typed statement goes on to the next line of a transcript: it does not yet end
/// with the period or question mark that ends every statement (a comment after it aside).
fn unfinished(text: &str) -> bool {
    let last = text.lines().last().unwrap_or("");
    let code = last.split(['%', '#']).next().unwrap_or("").trim_end();
    !(code.ends_with('.') || code.ends_with('?'))
}

/// The typed inputs of a transcript block, each with the index of its prompt line.
fn inputs(lines: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(first) = typed(&lines[i]) {
            let start = i;
            let mut text = first.to_string();
            if !first.trim_start().starts_with(':') {
                while unfinished(&text) && i + 1 < lines.len() {
                    i += 1;
                    text.push('\n');
                    text.push_str(&lines[i]);
                }
            }
            found.push((start, text));
        }
        i += 1;
    }
    found
}

/// What went wrong in one document, collected so that every mismatch is reported at once.
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    /// New block bodies, by block index, for `KINGDON_BLESS`.
    blessed: BTreeMap<usize, Vec<String>>,
}

impl Report {
    /// Records a mismatch; returns whether the output matched.
    fn compare(
        &mut self,
        doc: &Doc,
        index: usize,
        what: &str,
        expected: &[String],
        actual: &str,
    ) -> bool {
        let actual = lines_of(actual);
        let matched = matches(expected, &actual);
        if !matched {
            self.failures.push(format!(
                "{}: {what} printed something else.\n--- the document shows:\n{}\n--- the program prints:\n{}\n",
                doc.at(&doc.blocks[index]),
                expected.join("\n"),
                actual.join("\n")
            ));
        }
        matched
    }
}

fn run_console(doc: &Doc, index: usize, dir: &Path, report: &mut Report) {
    let block = &doc.blocks[index];
    assert!(
        block.lines.first().is_some_and(|l| l.starts_with("$ ")),
        "{}: a console block starts with a `$ ` command",
        doc.at(block)
    );
    let mut blessed = Vec::new();
    let mut failed = false;
    let mut i = 0;
    while i < block.lines.len() {
        let command = block.lines[i]
            .strip_prefix("$ ")
            .expect("a command")
            .to_string();
        let end = (i + 1..block.lines.len())
            .find(|&j| block.lines[j].starts_with("$ "))
            .unwrap_or(block.lines.len());
        let expected = &block.lines[i + 1..end];
        let actual = shell(dir, &runnable(&command), None);
        blessed.push(block.lines[i].clone());
        if report.compare(doc, index, &format!("`{command}`"), expected, &actual) {
            blessed.extend(expected.iter().cloned());
        } else {
            failed = true;
            blessed.extend(lines_of(&actual));
        }
        i = end;
    }
    if failed {
        report.blessed.insert(index, blessed);
    }
}

/// The sessions of transcripts in a document: each one `kingdon --echo` with its arguments,
/// fed the inputs of its blocks (by index, in order).
fn sessions(doc: &Doc) -> BTreeMap<String, (Vec<String>, Vec<usize>)> {
    let mut sessions: BTreeMap<String, (Vec<String>, Vec<usize>)> = BTreeMap::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        let mut words = block.info.split_whitespace();
        if words.next() != Some("repl") {
            continue;
        }
        let mut name = "main".to_string();
        let mut args = Vec::new();
        for word in words {
            match word.strip_prefix("session=") {
                Some(n) => name = n.to_string(),
                None => args.push(word.to_string()),
            }
        }
        let session = sessions.entry(name).or_insert_with(|| (args, Vec::new()));
        session.1.push(index);
    }
    sessions
}

/// Runs one session of transcripts and compares each block's share of what it printed.
fn run_session(doc: &Doc, dir: &Path, args: &[String], indices: &[usize], report: &mut Report) {
    {
        let typed: Vec<Vec<(usize, String)>> = indices
            .iter()
            .map(|&i| inputs(&doc.blocks[i].lines))
            .collect();
        let mut stdin = String::new();
        for (_, text) in typed.iter().flatten() {
            stdin.push_str(text);
            stdin.push('\n');
        }
        let command = format!("kingdon --echo {}", args.join(" "));
        let actual = lines_of(&shell(dir, &command, Some(&stdin)));
        // Each block's share of the output begins where its first input is echoed.
        let mut starts = Vec::new();
        let mut from = 0;
        for (k, &index) in indices.iter().enumerate() {
            let block = &doc.blocks[index];
            let Some(&(line, _)) = typed[k].first() else {
                panic!("{}: a transcript without a prompt", doc.at(block));
            };
            let prompt = block.lines[line].trim_end();
            let found = (from..actual.len()).find(|&j| actual[j].trim_end() == prompt);
            let start = if k == 0 && line > 0 {
                0
            } else {
                found.unwrap_or(from)
            };
            starts.push(start);
            from = found.map_or(from, |j| j + 1);
        }
        starts.push(actual.len());
        for (k, &index) in indices.iter().enumerate() {
            let share = &actual[starts[k]..starts[k + 1].max(starts[k])];
            let expected = &doc.blocks[index].lines;
            if !report.compare(doc, index, "the transcript", expected, &share.join("\n")) {
                report.blessed.insert(index, share.to_vec());
            }
        }
    }
}

/// Writes a file block into the working folder.
fn write_file(doc: &Doc, block: &Block, dir: &Path, name: &str) {
    assert!(
        !name.contains("..") && !name.starts_with('/'),
        "{}: files stay in the working folder",
        doc.at(block)
    );
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a folder can be made");
    }
    let mut text = block.lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).expect("writable");
}

fn check_document(path: &Path) -> Vec<String> {
    let doc = Doc::read(path);
    let dir = workdir(path);
    let sessions = sessions(&doc);
    let mut report = Report::default();
    for (index, block) in doc.blocks.iter().enumerate() {
        let mut words = block.info.split_whitespace();
        let kind = words.next().unwrap_or("");
        let file = words.find_map(|w| w.strip_prefix("file="));
        match (kind, file) {
            ("msf" | "csv" | "tsv" | "text", Some(name)) => write_file(&doc, block, &dir, name),
            ("rust", Some(name)) => {
                let text = std::fs::read_to_string(root().join(name))
                    .unwrap_or_else(|e| panic!("{}: {name}: {e}", doc.at(block)));
                if lines_of(&text) != block.lines {
                    report.failures.push(format!(
                        "{}: the block is not {name} as it is now",
                        doc.at(block)
                    ));
                }
            }
            ("console", None) => run_console(&doc, index, &dir, &mut report),
            // A session runs at its last block, so that the commands after it see the files
            // it wrote.
            ("repl", None) => {
                for (args, indices) in sessions.values() {
                    if indices.last() == Some(&index) {
                        run_session(&doc, &dir, args, indices, &mut report);
                    }
                }
            }
            ("sh", None) => assert!(
                !block.lines.iter().any(|l| l.contains("kingdon")),
                "{}: commands of kingdon belong in console blocks, where they are run",
                doc.at(block)
            ),
            ("msf" | "text" | "toml", None) => assert!(
                !block
                    .lines
                    .iter()
                    .any(|l| l.starts_with("$ ") || typed(l).is_some()),
                "{}: commands and transcripts belong in console and repl blocks",
                doc.at(block)
            ),
            _ => panic!("{}: unknown block `{}`", doc.at(block), block.info),
        }
    }
    if bless() && !report.blessed.is_empty() {
        let mut lines = doc.lines.clone();
        for (index, body) in report.blessed.iter().rev() {
            let block = &doc.blocks[*index];
            let start = block.open + 1;
            lines.splice(start..start + block.lines.len(), body.iter().cloned());
        }
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::write(path, text).expect("the document is writable");
    }
    let _ = std::fs::remove_dir_all(&dir);
    report.failures
}

#[test]
fn an_ellipsis_stands_for_lines_or_text() {
    let lines = |t: &str| lines_of(t);
    assert!(matches(&lines("a\n…\nd"), &lines("a\nb\nc\nd")));
    assert!(matches(&lines("a\n…\nd"), &lines("a\nd")));
    assert!(!matches(&lines("a\n…\nd"), &lines("a\nb")));
    assert!(line_matches("time: … ms", "time: 1.25 ms"));
    assert!(line_matches(
        "cooperation_center_i…",
        "cooperation_center_i…"
    ));
    assert!(!line_matches("time: … ms", "time: 1.25 s"));
    assert!(!line_matches("ab…ba", "aba"));
    assert!(!line_matches("same", "same but longer"));
}

#[test]
fn every_command_and_transcript_in_the_docs_prints_what_the_docs_show() {
    let docs = documents();
    let failures: Vec<String> = docs.iter().flat_map(|d| check_document(d)).collect();
    if !failures.is_empty() && !bless() {
        panic!(
            "{} block(s) differ (KINGDON_BLESS=1 rewrites them):\n\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    let names: Vec<_> = docs.iter().filter_map(|d| d.file_name()).collect();
    for guide in [
        "tutorial.md",
        "language.md",
        "repl.md",
        "cli.md",
        "embedding.md",
        "modelling.md",
    ] {
        assert!(names.iter().any(|n| *n == guide), "docs/{guide} is missing");
    }
}

/// The section of `docs/language.md` for each code: `### E101 …` headings.
fn documented_codes(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("### "))
        .filter_map(|h| h.split_whitespace().next())
        .filter(|w| {
            w.len() == 4 && w.starts_with(['E', 'W']) && w[1..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_error_code_is_documented_with_an_example_that_gives_it() {
    let path = root().join("docs/language.md");
    let text = std::fs::read_to_string(&path).expect("docs/language.md exists");
    let documented = documented_codes(&text);
    let emitted: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    assert_eq!(
        documented, emitted,
        "docs/language.md documents these codes, in this order; the program emits those"
    );
    // Each code's section shows it happen, unless it cannot happen in a document.
    // E205 is Ctrl-C (tests/repl.rs presses it in a pseudo-terminal); E211 a fault no
    // program gives (src/eval/lower.rs's tests lower unchecked rules to see it).
    let without_example = ["E205", "E211"];
    let sections = text.split("\n### ").skip(1);
    for section in sections.filter(|s| !documented_codes(&format!("### {s}")).is_empty()) {
        let code = &section[..4];
        if without_example.contains(&code) {
            continue;
        }
        let shown = section
            .split("```console")
            .skip(1)
            .chain(section.split("```repl").skip(1))
            .any(|block| {
                block
                    .split("\n```")
                    .next()
                    .is_some_and(|b| b.contains(&format!("[{code}]")))
            });
        assert!(
            shown,
            "docs/language.md: {code} has no example that prints it"
        );
    }
}

/// A number the README states, found after `before` (the first run of digits).
fn stated_number(text: &str, before: &str) -> usize {
    let at = text
        .find(before)
        .unwrap_or_else(|| panic!("the README says `{before}`"));
    let digits: String = text[at + before.len()..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a number")
}

#[test]
fn the_counts_the_readme_states_are_the_repositorys() {
    // It said 57 programs and 61 malformed ones when there were 77 and 63.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let files = |dir: &str| {
        std::fs::read_dir(root().join(dir))
            .expect("a folder")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "msf"))
            })
            .count()
    };
    assert_eq!(
        stated_number(&readme, "`tests/programs/` holds"),
        files("tests/programs")
    );
    assert_eq!(
        stated_number(&readme, "`tests/malformed/`"),
        files("tests/malformed")
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(["evidence", "rules/horgos.msf", "--format", "json"])
        .current_dir(root())
        .output()
        .expect("kingdon runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let totals = &json["totals"];
    let sentence = "(`kingdon evidence rules/horgos.msf` lists them:";
    assert_eq!(
        stated_number(&readme, sentence) as u64,
        totals["quoted"].as_u64().expect("quoted")
    );
    assert_eq!(
        stated_number(&readme, "of the case's") as u64,
        totals["statements"].as_u64().expect("statements")
    );
    assert_eq!(
        stated_number(&readme, "facts are quoted,") as u64,
        totals["assumed"].as_u64().expect("assumed")
    );
}
