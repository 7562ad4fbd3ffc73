//! Argument parsing (clap) and the subcommands; the only layer that prints.

mod check;

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  kingdon check rules/horgos.msf      parse and check a rule file
  kingdon check a.msf b.msf           check files together (one program)";

/// A rule engine that explains policy change with Kingdon's Multiple Streams Framework.
#[derive(Parser)]
#[command(name = "kingdon", version, arg_required_else_help = true, after_help = EXAMPLES)]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and check rule files without running them: syntax, arity, safety,
    /// stratification, lanes; warnings for undefined and unused predicates and singleton
    /// variables. Exit status 0 when there is no error (warnings allowed), 1 otherwise.
    #[command(after_help = "Example:\n  kingdon check rules/msf.msf rules/horgos.msf")]
    Check {
        /// The `.msf` files, read in order as one program.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// `auto` colours only on a terminal and never when `NO_COLOR` is set.
#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
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
    match cli.command {
        Command::Check { files } => check::run(&files, cli.color.for_stderr()),
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
