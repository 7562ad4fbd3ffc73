//! Argument parsing (clap) and the subcommands; the only layer that prints.

mod check;

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
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
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
