//! The `kingdon` command line. Only this binary prints; the library returns data.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
