//! The `kingdon` command line. Only its layer of the library ([`kingdon::cli`]) prints; the
//! rest of the library returns data.

fn main() -> std::process::ExitCode {
    kingdon::cli::run()
}
