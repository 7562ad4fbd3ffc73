//! Diagnostics as data (`code`, `message`, `span`, `hint`, `related` places) and their
//! rendering as `file:line:column: error[CODE]: message`, the source line and a caret under
//! the spot.

use std::fmt::Write as _;

use serde::Serialize;

use super::source::{SourceMap, Span};

/// How bad a diagnostic is: errors stop a load, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is rejected.
    Error,
    /// The input is accepted, but probably not what was meant.
    Warning,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident = $text:literal, $severity:ident; )*) => {
        /// Every diagnostic the front end can emit. The docs list them all. Displayed and in
        /// JSON it is written as printed (`E101`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $name, )*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The code as printed (`E101`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $text,)* }
            }

            /// Whether the code is an error or a warning.
            pub fn severity(self) -> Severity {
                match self { $(Code::$name => Severity::$severity,)* }
            }
        }

        impl std::fmt::Display for Code {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for Code {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

codes! {
    /// A character that starts no token (`$`, `é` outside a string), or a control character
    /// inside a string.
    UnexpectedChar = "E001", Error;
    /// A string whose closing `"` is missing on its line.
    UnclosedString = "E002", Error;
    /// A backslash escape other than `\"`, `\\`, `\n`, `\t`.
    BadEscape = "E003", Error;
    /// A statement without its final `.` (or `?` for a query).
    MissingPeriod = "E004", Error;
    /// A token where the grammar expects something else.
    Expected = "E005", Error;
    /// A time that is no calendar date (`2005-13`, `2023-02-30`, `99`).
    BadTime = "E006", Error;
    /// A number outside the range of i64 or with more than 18 digits.
    BadNumber = "E007", Error;
    /// Input nested deeper than the parser allows.
    TooDeep = "E008", Error;
    /// A lower-case word where a variable must stand.
    ExpectedVariable = "E009", Error;
    /// A keyword used as a predicate, constant or name.
    ReservedWord = "E010", Error;
    /// A fact or rule with `note`, `source`, `quote` or `assumed` given twice.
    DuplicateAnnotation = "E011", Error;
    /// A line longer than `ParseOptions::max_line_bytes`.
    LineTooLong = "E012", Error;
    /// A predicate used with two different numbers of arguments.
    ArityMismatch = "E101", Error;
    /// A fact with a variable or an expression in it.
    NonGroundFact = "E102", Error;
    /// Two rules with the same name.
    DuplicateRuleName = "E103", Error;
    /// A head variable not bound by the body.
    UnsafeHeadVariable = "E104", Error;
    /// A variable of a negated atom not bound positively elsewhere.
    UnsafeNegation = "E105", Error;
    /// A variable of a comparison (or aggregate) not bound positively elsewhere.
    UnsafeComparison = "E106", Error;
    /// Negation inside a recursive cycle.
    NegationCycle = "E107", Error;
    /// An aggregate inside a recursive cycle.
    AggregateCycle = "E108", Error;
    /// A predicate declared in two lanes.
    TwoLanes = "E109", Error;
    /// A body atom argument that is an expression rather than a variable or constant.
    ExpressionInBodyAtom = "E110", Error;
    /// A time where the language does not allow one, or a time position holding a non-time.
    MisplacedTime = "E111", Error;
    /// A lane declared twice.
    DuplicateLane = "E112", Error;
    /// A call of a function the language does not have, or with the wrong number of arguments.
    UnknownFunction = "E113", Error;
    /// A construct not allowed where it stands (an aggregate inside an aggregate, `or` in braces).
    NotAllowedHere = "E114", Error;
    /// A disjunction that expands into too many rules.
    TooManyAlternatives = "E115", Error;
    /// An atom with more arguments, or a rule or query with more conditions or variables,
    /// than the engine holds.
    TooLarge = "E116", Error;
    /// A pattern to change (`whatif retract …`) that matches no fact.
    NothingMatches = "E117", Error;
    /// A `quote` that does not occur in its document.
    QuoteNotFound = "E118", Error;
    /// A `source NAME` naming no declared document, or a `quote` citing none.
    UnknownDocument = "E119", Error;
    /// A document name declared twice for two different texts.
    DocumentTwice = "E120", Error;
    /// A fact without a time of a predicate its lane declares timed (`enacted/2 @`).
    UndatedFact = "E121", Error;
    /// A fact of a predicate that a rule of an included file derives: a conclusion stated.
    StatedConclusion = "E122", Error;
    /// More facts derived than the limit allows.
    TooManyFacts = "E201", Error;
    /// A stratum that needs more iterations than the limit allows.
    TooManyIterations = "E202", Error;
    /// Arithmetic whose result does not fit.
    Overflow = "E203", Error;
    /// Arithmetic on values of the wrong kind (`china + 1`), or a head time that is no time.
    WrongKind = "E204", Error;
    /// An evaluation stopped by the user (Ctrl-C).
    Interrupted = "E205", Error;
    /// A CSV or TSV row that does not make a fact.
    BadRow = "E206", Error;
    /// A file that cannot be written.
    CannotWrite = "E207", Error;
    /// An aggregate that formed more groups than `Limits::max_groups`.
    TooManyGroups = "E208", Error;
    /// A `why` proof deeper than `Limits::max_explain_depth`.
    TooDeepExplanation = "E209", Error;
    /// Derived facts holding more values than `Limits::max_cells` (a bound on memory).
    TooManyCells = "E210", Error;
    /// A construct the checker refuses, met by the evaluator: a fault of kingdon's, answered
    /// as an error instead of a panic.
    Unchecked = "E211", Error;
    /// A file that cannot be read (missing, a directory, not UTF-8).
    CannotRead = "E301", Error;
    /// A file that includes itself, directly or through others.
    IncludeCycle = "E302", Error;
    /// More files included in one load than `ParseOptions::max_includes`, or includes nested
    /// more than 256 deep.
    TooManyIncludes = "E303", Error;
    /// A predicate used in a body or query but never given facts, rules or input.
    UndefinedPredicate = "W101", Warning;
    /// A predicate with facts or rules that nothing uses.
    UnusedPredicate = "W102", Warning;
    /// A named variable that occurs only once in its rule.
    SingletonVariable = "W103", Warning;
    /// A stream declaration naming a predicate the program never mentions.
    UnknownStreamPredicate = "W104", Warning;
    /// A file with nothing in it (often one whose saving failed).
    EmptyFile = "W105", Warning;
    /// A dated fact whose quote does not give its year, and that is not marked `assumed`.
    UndatedQuote = "W106", Warning;
    /// A question naming a constant that no fact or rule mentions (a typo, or a variable
    /// written in lower case).
    UnknownName = "W107", Warning;
    /// A number where a column holds only times (`p(a, 2005)`: write `@2005`), or a variable
    /// joined with times in one column and numbers in another: it never matches.
    TimeNotNumber = "W108", Warning;
}

/// One finding about the input: what, where, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Which rule of the language was broken.
    pub code: Code,
    /// One line saying what is wrong.
    pub message: String,
    /// The spot the caret points at.
    pub span: Span,
    /// A suggestion, when one helps.
    pub hint: Option<String>,
    /// Other places the message speaks of (where a predicate was first used, a lane first
    /// declared), each with what it is: the message names them in words, this as data.
    pub related: Vec<Related>,
}

/// A place a diagnostic speaks of besides its own (see [`Diagnostic::related`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// The place.
    pub span: Span,
    /// What it is, in a few words (`first used here with 2 arguments`).
    pub label: String,
}

impl Diagnostic {
    /// A diagnostic without a hint.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            span,
            hint: None,
            related: Vec::new(),
        }
    }

    /// Adds a place the message speaks of.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Error or warning, from the code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Whether this diagnostic rejects the input.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// Renders the diagnostic against its source: location, message, source line, caret, hint.
    /// With `color`, ANSI colours mark the severity and the caret.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let paint = |style: &str, text: &str| {
            if color {
                format!("\x1b[{style}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let source = sources.source(self.span.file);
        let (line, col) = source.line_col(self.span.start);
        let (word, style) = match self.severity() {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {}: {}",
            paint(
                "1",
                &format!("{}:{line}:{col}", crate::value::shown(&source.name))
            ),
            paint(style, &format!("{word}[{}]", self.code.as_str())),
            paint("1", &self.message)
        );
        let (text, col) = window(source.line_text(line), col);
        // A control character of the input is shown as its picture (␛), never sent raw.
        let text: String = text.chars().map(crate::value::visible).collect();
        let gutter = line.to_string();
        let pad = " ".repeat(gutter.len());
        let _ = writeln!(out, " {} {text}", paint("34", &format!("{gutter} |")));
        let before: String = text
            .chars()
            .take(col - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let (end_line, end_col) = source.line_col(self.span.end.max(self.span.start));
        let (_, orig_col) = source.line_col(self.span.start);
        let span_chars = if end_line == line {
            end_col.saturating_sub(orig_col)
        } else {
            usize::MAX
        };
        let width = span_chars
            .min((text.chars().count() + 1).saturating_sub(col))
            .max(1);
        let _ = writeln!(
            out,
            " {} {before}{}",
            paint("34", &format!("{pad} |")),
            paint(style, &"^".repeat(width))
        );
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, " {} hint: {hint}", paint("34", &format!("{pad} =")));
        }
        out
    }
}

/// The widest source line shown; longer lines are cut to a window around the caret.
const MAX_SHOWN: usize = 100;

/// Cuts a long line to at most [`MAX_SHOWN`] characters around column `col`, marking the cuts
/// with `…`; returns the shown text and the caret's column in it.
fn window(text: &str, col: usize) -> (String, usize) {
    let len = text.chars().count();
    if len <= MAX_SHOWN {
        return (text.to_string(), col);
    }
    let start = (col - 1).saturating_sub(MAX_SHOWN / 2).min(len - MAX_SHOWN);
    let end = start + MAX_SHOWN;
    let mut shown: String = text.chars().skip(start).take(MAX_SHOWN).collect();
    let mut col = col - start;
    if start > 0 {
        shown.insert(0, '…');
        col += 1;
    }
    if end < len {
        shown.push('…');
    }
    (shown, col)
}

/// Puts diagnostics in the order they are shown: the errors alone when there is one (warnings
/// would mostly restate them, and come back, still true, once the errors are fixed), sorted
/// by file and position (a stable sort: diagnostics of one place keep their order).
pub fn in_order(diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.retain(Diagnostic::is_error);
    }
    diagnostics.sort_by_key(|d| (d.span.file, d.span.start));
}

/// Renders many diagnostics, errors and warnings in the order given, then a summary line
/// (`2 errors, 1 warning`) when there is anything to report.
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.render(sources, color));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let _ = writeln!(
            out,
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
    }
    out
}
