//! What the REPL's and the piped mode's fuzz targets skip: a text that would read or write
//! files. Included by both, each of which compiles the binary's modules as `crate::cli`.

/// Whether a text names a statement or a command that reads or writes files: `include`,
/// `input`, `output`, or a command that resolves (by its name, an alias or an unambiguous
/// start of it, as the session reads it: `:sav x` is `:save x`) to `:load`, `:save`,
/// `:export` or `:reload`. Such texts are skipped: fuzzing would write junk files where it
/// runs.
pub fn touches_files(text: &str) -> bool {
    if ["include", "input", "output"].iter().any(|w| text.contains(w)) {
        return true;
    }
    text.split(['\n', '\r', '.', '?']).any(|line| {
        let word = line.split_whitespace().next().unwrap_or("");
        crate::cli::commands::find(crate::cli::session::COMMANDS, word)
            .is_ok_and(|c| [":load", ":save", ":export", ":reload"].contains(&c.name))
    })
}
