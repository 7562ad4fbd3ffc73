//! The `kingdon` command line: argument parsing (clap), the REPL and the subcommands; the
//! only layer that prints. The binary's `main` is [`run`]. Built only with the feature `cli`
//! (on by default): an embedder with `default-features = false` has no `kingdon::cli`.

/// `print!` through the one careful writer of the standard output.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write(format_args!($($arg)*)) };
}

/// `println!` through the one careful writer of the standard output.
macro_rules! outln {
    () => { $crate::cli::output::write(format_args!("\n")) };
    ($($arg:tt)*) => {{
        $crate::cli::output::write(format_args!($($arg)*));
        $crate::cli::output::write(format_args!("\n"));
    }};
}

/// `eprint!` that never panics: see [`output::error`].
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::output::error(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics: see [`output::error`].
macro_rules! errln {
    ($($arg:tt)*) => {{
        $crate::cli::output::error(format_args!($($arg)*));
        $crate::cli::output::error(format_args!("\n"));
    }};
}

mod answers;
mod check;
pub(crate) mod commands;
mod compare;
mod evidence;
mod export;
mod gather;
mod help;
pub(crate) mod import;
mod output;
pub(crate) mod piped;
mod repl;
mod report;
mod robustness;
mod run;
pub(crate) mod session;
mod timeline;

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::syntax::ParseOptions;
use crate::value::Time;
use answers::Format;
use clap::{Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  kingdon                                       the REPL, with the Horgos case loaded
  echo 'policy_change(C) @ T?' | kingdon        answer from a pipe, no prompt
  kingdon run case.msf                          run a script, print what its queries answer
  kingdon run case.msf --query 'policy_change(C) @ T' --format json
  kingdon check a.msf b.msf                     check files together as one program
  kingdon timeline --from 2000                  the Horgos case's streams over time
  kingdon timeline --svg horgos.svg             the same as a picture
  kingdon report -o horgos.html                 the case as one page to hand out";

/// A rule engine that explains policy change with Kingdon's Multiple Streams Framework.
#[derive(Parser)]
#[command(name = "kingdon", version, after_help = EXAMPLES)]
struct Cli {
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    /// Start the REPL without the bundled theory and Horgos case.
    #[arg(long)]
    empty: bool,
    /// With standard input piped: show the banner, the prompts and each statement before its
    /// answers, as a terminal session would (a transcript for handouts).
    #[arg(long)]
    echo: bool,
    /// Files to load into the REPL (after the bundled case, unless --empty).
    files: Vec<PathBuf>,
    /// How the REPL and piped input print answers and explanations (as `kingdon run` does).
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Columns that text for people fits: trees, narratives, timelines (default: the
    /// terminal's width, else COLUMNS, else 100; at least 20, at most 1000).
    #[arg(long, global = true)]
    width: Option<usize>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run `.msf` scripts: their statements in order, printing each query's answers
    /// (sorted by time, then by value). Exit status 1 on any error.
    #[command(
        after_help = "Examples:\n  kingdon run rules/horgos.msf\n  kingdon run case.msf --query 'policy_change(C) @ T, T < 2010' --format csv"
    )]
    Run {
        /// The `.msf` files, run in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// After the files, answer this query alone (their own queries are not printed); also
        /// `why …`, `whynot …` or `whatif …`.
        #[arg(long, short)]
        query: Option<String>,
        /// How to print answers.
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// After the run, print to stderr the time per stratum and per rule, the facts
        /// derived and the memory they take.
        #[arg(long)]
        stats: bool,
        /// Draw `why` trees with ASCII characters instead of box drawing.
        #[arg(long)]
        ascii: bool,
        /// In text, print each query, `why`, `whynot` and `whatif` on a line of its own
        /// (`> p(X)?`) before its answers, to tell the answers of one from the next.
        #[arg(long)]
        echo: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Parse and check rule files without running them: syntax, arity, safety,
    /// stratification, lanes; warnings for undefined and unused predicates and singleton
    /// variables. Exit status 0 when there is no error (warnings allowed), 1 otherwise.
    #[command(after_help = "Example:\n  kingdon check rules/msf.msf rules/horgos.msf")]
    Check {
        /// The `.msf` files, read in order as one program.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        reading: ReadArgs,
    },
    /// List every stated fact and rule with what backs it: a quote of a declared document
    /// (checked against its text), a citation, the modeller's assumption, or nothing. Exit
    /// status 1 when a quote is not in its document.
    #[command(
        after_help = "Examples:\n  kingdon evidence rules/horgos.msf\n  kingdon evidence rules/horgos.msf --format json"
    )]
    Evidence {
        /// The `.msf` files, read in order as one program.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print the list.
        #[arg(long, short, value_enum, default_value_t = evidence::Format::Text)]
        format: evidence::Format,
        /// List the statements of the included files too (the theory's rules, say).
        #[arg(long)]
        includes: bool,
        #[command(flatten)]
        reading: ReadArgs,
    },
    /// Draw the streams over time: one row per lane, each dated fact at its time, windows
    /// and policy changes marked; in the terminal, or as an SVG picture with --svg.
    #[command(
        after_help = "Examples:\n  kingdon timeline                       the bundled Horgos case\n  kingdon timeline case.msf --from 2000 --to 2015\n  kingdon timeline --svg horgos.svg\n  kingdon timeline --svg slide.svg --size slide --title \"Horgos, 1962–2023\""
    )]
    Timeline {
        /// The `.msf` files, read in order (none: the bundled theory and Horgos case).
        files: Vec<PathBuf>,
        /// The first time shown (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_parser = parse_time)]
        from: Option<Time>,
        /// The last time shown, inclusive (2004 includes 2004-07).
        #[arg(long, value_parser = parse_time)]
        to: Option<Time>,
        /// Write an SVG picture to this file instead of drawing in the terminal.
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
        /// ASCII marks instead of Unicode ones.
        #[arg(long)]
        ascii: bool,
        /// The picture's title (by default the case's, or the files' names).
        #[arg(long)]
        title: Option<String>,
        /// The picture's size: page (1600 wide, as tall as it needs) or slide (1920×1080)
        #[arg(long, value_enum, default_value_t = timeline::PictureSize::Page)]
        size: timeline::PictureSize,
        /// Draw the facts of no stream too (helpers such as resolved_by), in a lane of their own.
        #[arg(long)]
        all: bool,
        /// Draw what the rules derive on the streams' lanes too (problem, viable, coupled);
        /// without it a lane shows what was stated, and the windows and verdicts.
        #[arg(long)]
        derived: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Write the case as one self-contained HTML page to hand out: the timeline, each policy
    /// change with its card, narrative and proof (with the sources' words), what the theory
    /// does not explain, the modeller's assumptions. No network needed to read it.
    #[command(
        after_help = "Examples:\n  kingdon report -o horgos.html                the bundled Horgos case\n  kingdon report case.msf -o case.html --title \"Congestion charging in Riverton\""
    )]
    Report {
        /// The `.msf` files, read in order (none: the bundled theory and Horgos case).
        files: Vec<PathBuf>,
        /// Where to write the page (without it: standard output).
        #[arg(long, short, value_name = "OUT.html")]
        output: Option<PathBuf>,
        /// The page's title (by default the case's, or the files' names).
        #[arg(long)]
        title: Option<String>,
        /// Another reading of the case (a `.msf` file): a section on the verdicts it judges
        /// otherwise, each with the premises that differ.
        #[arg(long, value_name = "OTHER.msf")]
        compare: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Write a coding sheet (CSV: date, stream, predicate, arguments, quote, source, assumed,
    /// and a note if it has one; a row an event) as a case file, a fact a row under its
    /// stream, for `kingdon check` to verify against the sources.
    #[command(
        after_help = "Example:\n  kingdon import sheet.csv -o case.msf --document report=report.txt && kingdon check case.msf"
    )]
    Import {
        /// The coding sheet.
        sheet: PathBuf,
        /// Where to write the case (without it: standard output).
        #[arg(long, short, value_name = "CASE.msf")]
        output: Option<PathBuf>,
        /// The theory the case includes, as the case file names it.
        #[arg(long, default_value = "rules/msf.msf")]
        theory: String,
        /// A document the sources name, `NAME=PATH` (the path as the case file names it);
        /// again for each.
        #[arg(long, value_name = "NAME=PATH")]
        document: Vec<String>,
    },
    /// Two readings of one case side by side (two case files, or one case under two theory
    /// files, each a file that includes what it reads): the verdicts that differ, each with the
    /// first premise of its proof that the other reading does not state.
    #[command(after_help = "Example:\n  kingdon compare rules/horgos.msf my_reading.msf")]
    Compare {
        /// The first reading: a `.msf` file (a case, or a case under a theory it includes).
        a: PathBuf,
        /// The second reading.
        b: PathBuf,
        /// How to print the comparison.
        #[arg(long, short, value_enum, default_value_t = compare::Format::Text)]
        format: compare::Format,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// How robust each verdict is: which verdicts change when each of the modeller's
    /// assumptions is taken away alone, the smallest sets of assumptions a verdict rests on,
    /// and the values of each parameter the theory declares (window length, per kind too,
    /// attention span) with which it holds; robust or fragile, with the reason.
    #[command(
        after_help = "Examples:\n  kingdon robustness                          the bundled Horgos case\n  kingdon robustness case.msf --format csv > robustness.csv"
    )]
    Robustness {
        /// The `.msf` files, read in order (none: the bundled theory and Horgos case).
        files: Vec<PathBuf>,
        /// How to print the table.
        #[arg(long, short, value_enum, default_value_t = robustness::Format::Text)]
        format: robustness::Format,
        #[command(flatten)]
        limits: LimitArgs,
    },
}

fn parse_time(text: &str) -> Result<Time, String> {
    // `@2006` as the language writes a year as a time elsewhere.
    Time::parse(text.strip_prefix('@').unwrap_or(text)).map_err(|e| e.to_string())
}

/// `--max-nesting`: a depth up to the ceiling the stack allows.
fn parse_nesting(text: &str) -> Result<usize, String> {
    let ceiling = crate::syntax::MAX_DEPTH_CEILING;
    match text.parse::<usize>() {
        Ok(n) if (1..=ceiling).contains(&n) => Ok(n),
        _ => Err(format!("a depth from 1 to {ceiling} (deeper expressions would overflow the stack; split them with intermediate variables)")),
    }
}

/// Evaluation limits.
#[derive(clap::Args)]
struct LimitArgs {
    /// Stop when rules have derived more facts than this.
    #[arg(long, default_value_t = crate::Limits::default().max_facts)]
    max_facts: usize,
    /// The most values (arguments and times) derived facts may hold: a bound on memory.
    #[arg(long, default_value_t = crate::Limits::default().max_cells)]
    max_cells: usize,
    /// Stop when a stratum needs more iterations than this.
    #[arg(long, default_value_t = crate::Limits::default().max_iterations)]
    max_iterations: usize,
    /// Stop when an aggregate forms more groups than this.
    #[arg(long, default_value_t = crate::Limits::default().max_groups)]
    max_groups: usize,
    /// Refuse to explain with a proof deeper than this many levels.
    #[arg(long, default_value_t = crate::Limits::default().max_explain_depth)]
    max_explain_depth: usize,
    #[command(flatten)]
    reading: ReadArgs,
}

/// Limits on reading rule texts and data files.
#[derive(clap::Args)]
struct ReadArgs {
    /// Refuse to include more files than this in one load.
    #[arg(long, default_value_t = ParseOptions::default().max_includes)]
    max_includes: usize,
    /// Refuse to read a rule or data file larger than this many bytes.
    #[arg(long, default_value_t = ParseOptions::default().max_file_bytes)]
    max_file_size: u64,
    /// Refuse expressions nested deeper than this (parentheses, braces, operators, calls);
    /// at most 200.
    #[arg(long, default_value_t = ParseOptions::default().max_depth, value_parser = parse_nesting)]
    max_nesting: usize,
    /// Refuse a rule text with a line longer than this many bytes.
    #[arg(long, default_value_t = ParseOptions::default().max_line_bytes)]
    max_line_length: usize,
    /// Let the files a case names (document, input, output, an include of anything but a
    /// .msf file) lie outside the folder of the file naming them. Only for a case you trust.
    #[arg(long)]
    any_path: bool,
}

impl ReadArgs {
    fn options(&self) -> ParseOptions {
        ParseOptions {
            max_includes: self.max_includes,
            max_file_bytes: self.max_file_size,
            max_line_bytes: self.max_line_length,
            max_depth: self.max_nesting,
            confine_paths: !self.any_path,
        }
    }
}

impl LimitArgs {
    fn knowledge_base(&self) -> crate::KnowledgeBase {
        crate::KnowledgeBase::with_options(self.options())
    }

    fn options(&self) -> crate::Options {
        crate::Options {
            limits: crate::Limits {
                max_facts: self.max_facts,
                max_cells: self.max_cells,
                max_iterations: self.max_iterations,
                max_groups: self.max_groups,
                max_explain_depth: self.max_explain_depth,
                ..crate::Limits::default()
            },
            parse: self.reading.options(),
            ..crate::Options::default()
        }
    }
}

/// `auto` colours only on a terminal and never when `NO_COLOR` is set.
#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn for_stdout(self) -> bool {
        self.decide(
            std::env::var_os("NO_COLOR").as_deref(),
            std::io::stdout().is_terminal(),
        )
    }

    fn for_stderr(self) -> bool {
        self.decide(
            std::env::var_os("NO_COLOR").as_deref(),
            std::io::stderr().is_terminal(),
        )
    }

    /// Colour or not, given `NO_COLOR` (no-color.org: any non-empty value disables it) and
    /// whether the output is a terminal.
    fn decide(self, no_color: Option<&OsStr>, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => no_color.is_none_or(OsStr::is_empty) && terminal,
        }
    }
}

/// Parses the arguments and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = dispatch(cli);
    output::flush();
    code
}

/// Runs the subcommand (or the REPL).
fn dispatch(cli: Cli) -> ExitCode {
    let Some(command) = cli.command else {
        let options = cli.limits.knowledge_base().options().clone();
        return repl::run(&repl::Start {
            with_case: !cli.empty,
            files: cli.files,
            color: cli.color.for_stderr(),
            echo: cli.echo,
            width: cli.width,
            format: cli.format,
            options,
        });
    };
    match command {
        Command::Report {
            files,
            output,
            title,
            compare,
            limits,
        } => report::run(
            &files,
            limits.options(),
            output.as_deref(),
            title.as_deref(),
            compare.as_deref(),
            cli.color.for_stderr(),
        ),
        Command::Import {
            sheet,
            output,
            theory,
            document,
        } => import::run(&import::Args {
            sheet: &sheet,
            output: output.as_deref(),
            theory: &theory,
            documents: &document,
        }),
        Command::Compare {
            a,
            b,
            format,
            limits,
        } => compare::run(
            &a,
            &b,
            limits.options(),
            format,
            timeline::width(cli.width),
            cli.color.for_stderr(),
        ),
        Command::Robustness {
            files,
            format,
            limits,
        } => robustness::run(
            &files,
            limits.options(),
            format,
            timeline::width(cli.width),
            cli.color.for_stderr(),
        ),
        Command::Check { files, reading } => {
            check::run(&files, reading.options(), cli.color.for_stderr())
        }
        Command::Evidence {
            files,
            format,
            includes,
            reading,
        } => evidence::run(
            &files,
            includes,
            reading.options(),
            format,
            cli.color.for_stderr(),
        ),
        Command::Timeline {
            files,
            from,
            to,
            svg,
            ascii,
            title,
            size,
            all,
            derived,
            limits,
        } => timeline::run(&timeline::Args {
            files: &files,
            options: limits.options(),
            from,
            to,
            width: timeline::width(cli.width),
            svg: svg.as_deref(),
            ascii,
            title: title.as_deref(),
            size: size.size(),
            all,
            derived,
            color: cli.color.for_stdout(),
            color_err: cli.color.for_stderr(),
        }),
        Command::Run {
            files,
            query,
            format,
            stats,
            ascii,
            echo,
            limits,
        } => {
            // The files of `output` statements are written at the end of a run that succeeds.
            let mut kb = crate::KnowledgeBase::with_options(limits.options());
            let look = answers::Look {
                format,
                ascii,
                width: timeline::width(cli.width),
                depth: None,
                echo,
            };
            let code = run::run(
                &mut kb,
                &files,
                query.as_deref(),
                &look,
                cli.color.for_stderr(),
            );
            if stats {
                run::print_stats(&kb);
            }
            // The process ends next: its memory goes back to the system whole, without a
            // walk that frees the knowledge base's millions of rows allocation by allocation.
            std::mem::forget(kb);
            code
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_and_never_with_no_color() {
        let auto = ColorChoice::Auto;
        assert!(auto.decide(None, true));
        assert!(!auto.decide(None, false));
        assert!(!auto.decide(Some(OsStr::new("1")), true));
        assert!(auto.decide(Some(OsStr::new("")), true));
        assert!(ColorChoice::Always.decide(Some(OsStr::new("1")), false));
        assert!(!ColorChoice::Never.decide(None, true));
    }
}
