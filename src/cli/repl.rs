//! The interactive front end (rustyline), a thin layer over
//! [`Session`]: the editor completes, highlights and asks the parser whether a statement is
//! finished; the session does the work.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use crate::syntax::KEYWORDS;

use super::commands::show;
use super::gather::{dropped, Gather, Gathered};
use super::session::{Session, COMMANDS};

/// How a session starts: the case or not, the files to load, and how it prints.
pub struct Start {
    /// Whether the bundled theory and Horgos case are loaded first.
    pub with_case: bool,
    /// The files to load after them.
    pub files: Vec<PathBuf>,
    /// Whether to colour messages.
    pub color: bool,
    /// With a pipe: print the banner, prompts and inputs as a terminal would.
    pub echo: bool,
    /// The columns text fits, if given.
    pub width: Option<usize>,
    /// How answers and explanations print.
    pub format: super::answers::Format,
    /// The knowledge base's limits.
    pub options: crate::Options,
}

/// Runs the REPL on a terminal, or reads statements from a pipe.
pub fn run(start: &Start) -> ExitCode {
    let (with_case, color, echo, width) = (start.with_case, start.color, start.echo, start.width);
    let options = start.options.clone();
    let interactive = std::io::stdin().is_terminal();
    let max_bytes = options.parse.max_file_bytes;
    let mut session = Session::with_options(with_case, color && interactive, options);
    session.set_width(super::timeline::width(width));
    session.set_format(start.format);
    let mut failed = false;
    for file in start.files.iter().cloned() {
        failed |= show(session.load(file));
    }
    if interactive {
        out!("{}", session.banner());
        interactive_loop(&mut session, color, width)
    } else {
        if echo {
            out!("{}", session.banner());
        }
        failed |= super::piped::run(&mut session, std::io::stdin(), max_bytes, echo);
        if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// The prompt of a line that goes on with an unfinished statement, as wide as the first.
fn continuation(color: bool) -> String {
    if color {
        "\x1b[2m    ...>\x1b[0m ".to_string()
    } else {
        "    ...> ".to_string()
    }
}

fn history_path() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("kingdon").join("history.txt"))
}

/// Lines in a row that may fail to decode before the terminal is taken to be broken.
const MAX_UNDECODABLE: usize = 100;

fn interactive_loop(session: &mut Session, color: bool, width: Option<usize>) -> ExitCode {
    // Tab lists the candidates (and completes what they share), as a shell does.
    let config = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut editor: Editor<Assist, rustyline::history::DefaultHistory> =
        match Editor::with_config(config) {
            Ok(editor) => editor,
            Err(e) => {
                errln!("kingdon: cannot start the line editor: {e}");
                return ExitCode::FAILURE;
            }
        };
    editor.set_helper(Some(Assist::new(session, color)));
    // While a line is edited, rustyline reads Ctrl-C itself; during an evaluation it arrives
    // as a signal, which stops the evaluation and keeps nothing of that input.
    let interrupt = session.interrupter();
    if let Err(e) = ctrlc::set_handler(move || {
        interrupt.store(true, std::sync::atomic::Ordering::SeqCst);
    }) {
        errln!("kingdon: Ctrl-C will not interrupt evaluations: {e}");
    }
    let mut history = history_path();
    if let Some(path) = &history {
        if path.exists() {
            if let Err(e) = editor.load_history(path) {
                errln!(
                    "kingdon: warning: the history in {} cannot be read ({e}); starting without it, and leaving that file as it is",
                    path.display()
                );
                // Saving at the end would replace a file this session could not read.
                history = None;
            }
        }
    }
    let mut gather = Gather::default();
    // Lines in a row the terminal sent as bytes that are not UTF-8.
    let mut undecodable = 0;
    loop {
        let shown = if gather.unfinished() {
            continuation(color)
        } else {
            session.prompt(color)
        };
        match editor.readline(&shown) {
            Ok(line) => {
                undecodable = 0;
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let input = match gather.line(&line) {
                    Gathered::More => continue,
                    Gathered::Cancelled(_) => {
                        outln!("(cancelled: the statement was not finished)");
                        continue;
                    }
                    Gathered::Command(input) | Gathered::Run(input) => input,
                    Gathered::Dropped { unfinished, input } => {
                        errln!("{}", dropped(&unfinished));
                        input
                    }
                };
                session.set_width(super::timeline::width(width));
                let response = session.handle(&input);
                let quit = response.quit;
                show(response);
                if quit {
                    break;
                }
                editor.set_helper(Some(Assist::new(session, color)));
            }
            Err(ReadlineError::Interrupted) if gather.unfinished() => {
                gather = Gather::default();
                outln!("(cancelled: the statement was not finished)");
            }
            // Ctrl-D on an unfinished statement cancels it; on an empty prompt it leaves.
            Err(ReadlineError::Eof) if gather.unfinished() => {
                gather = Gather::default();
                outln!("(cancelled: the statement was not finished)");
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            // A byte that is not UTF-8 (a terminal set to Latin-1): that line is lost, the
            // session is not.
            Err(ReadlineError::Io(e))
                if e.kind() == std::io::ErrorKind::InvalidData && undecodable < MAX_UNDECODABLE =>
            {
                undecodable += 1;
                gather = Gather::default();
                errln!("kingdon: the terminal sent bytes that are not UTF-8 text (is it set to another encoding?); that line was dropped: type it again");
                continue;
            }
            Err(e) => {
                errln!("kingdon: {e}");
                break;
            }
        }
    }
    if let Some(path) = &history {
        let saved = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(|e| e.to_string())
            .and_then(|()| editor.save_history(path).map_err(|e| e.to_string()));
        if let Err(e) = saved {
            errln!(
                "kingdon: warning: the history cannot be saved to {} ({e})",
                path.display()
            );
        }
    }
    ExitCode::SUCCESS
}

/// What the editor knows: the words to complete, and whether to colour.
struct Assist {
    words: Vec<(String, String)>,
    files: FilenameCompleter,
    color: bool,
}

impl Assist {
    fn new(session: &Session, color: bool) -> Assist {
        let kb = session.kb();
        // Each word to complete, and how the list of candidates shows it (predicates with
        // their number of arguments).
        let mut words: Vec<(String, String)> = KEYWORDS
            .iter()
            .map(|k| (k.to_string(), k.to_string()))
            .collect();
        words.extend(
            kb.predicates()
                .into_iter()
                .map(|p| (p.name.clone(), format!("{}/{}", p.name, p.arity))),
        );
        words.extend(kb.symbols().into_iter().map(|s| (s.clone(), s)));
        words.sort();
        words.dedup_by(|a, b| a.0 == b.0);
        Assist {
            words,
            files: FilenameCompleter::new(),
            color,
        }
    }
}

impl Helper for Assist {}

impl Completer for Assist {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        // File names after the commands that read or write a file (`:export` after its format).
        let file_at = [":load ", ":save "]
            .iter()
            .find(|c| line.starts_with(*c))
            .map(|c| c.len())
            .or_else(|| {
                let rest = line.strip_prefix(":export ")?;
                let format = rest.find(' ')?;
                Some(":export ".len() + format + 1)
            });
        if let Some(at) = file_at.filter(|&at| pos >= at) {
            let (start, mut pairs) = self.files.complete(&line[at..], pos - at, ctx)?;
            // A file's name may hold escapes: listed as shown, never raw.
            for pair in &mut pairs {
                pair.display = crate::value::shown(&pair.display).into_owned();
            }
            return Ok((start + at, pairs));
        }
        let start = line[..pos]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |i| i + 1);
        let word = &line[start..pos];
        let pairs = if word.starts_with(':') {
            COMMANDS
                .iter()
                .filter(|c| c.name.starts_with(word))
                .map(|c| Pair {
                    display: c.name.to_string(),
                    replacement: c.name.to_string(),
                })
                .collect()
        } else if word.is_empty() {
            Vec::new()
        } else {
            self.words
                .iter()
                .filter(|(w, _)| w.starts_with(word))
                .map(|(w, shown)| Pair {
                    display: shown.clone(),
                    replacement: w.clone(),
                })
                .collect()
        };
        Ok((start, pairs))
    }
}

impl Hinter for Assist {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<String> {
        let c = COMMANDS.iter().find(|c| c.name == line.trim_end())?;
        let hint = if c.usage.is_empty() { c.help } else { c.usage };
        (pos == line.len() && line.len() == c.name.len()).then(|| format!(" {hint}"))
    }
}

/// Lines are gathered into statements outside the editor (each line its own prompt).
impl Validator for Assist {}

/// The longest line the prompt colours. A line is coloured whole at every key, so a line of
/// 50 KB (a paste) cost its length at each of its keys; past this it is left plain, and a key
/// costs one character.
const COLOURED: usize = 1000;

impl Highlighter for Assist {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.len() > COLOURED {
            return Cow::Borrowed(line);
        }
        Cow::Owned(colour(line))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color && line.len() <= COLOURED
    }
}

/// Colours a line by token: keywords, predicates, variables, constants, numbers and times,
/// strings, comments.
fn colour(line: &str) -> String {
    let paint = |code: &str, text: &str| format!("\x1b[{code}m{text}\x1b[0m");
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = String::with_capacity(line.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let run = |pred: &dyn Fn(char) -> bool, from: usize| {
            let mut j = from;
            while j < chars.len() && pred(chars[j].1) {
                j += 1;
            }
            j
        };
        let end_of = |j: usize| chars.get(j).map_or(line.len(), |(b, _)| *b);
        if c == '#' || c == '%' {
            out.push_str(&paint("2", &line[at..]));
            break;
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].1 != '"' {
                j += if chars[j].1 == '\\' { 2 } else { 1 };
            }
            let j = (j + 1).min(chars.len());
            out.push_str(&paint("32", &line[at..end_of(j)]));
            i = j;
        } else if c.is_ascii_digit() {
            let j = run(&|c: char| c.is_ascii_digit() || c == '-' || c == '.', i);
            out.push_str(&paint("36", &line[at..end_of(j)]));
            i = j;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let j = run(&|c: char| c.is_ascii_alphanumeric() || c == '_', i);
            let word = &line[at..end_of(j)];
            let code = if KEYWORDS.contains(&word) {
                "35"
            } else if word.starts_with(|c: char| c.is_ascii_uppercase() || c == '_') {
                "33"
            } else if chars.get(j).is_some_and(|(_, c)| *c == '(') {
                "1;34"
            } else {
                "0"
            };
            out.push_str(&paint(code, word));
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}
