//! The one writer of the standard output. A reader that goes away (`kingdon run … | head -1`)
//! ends the program quietly with status 0, as the usual Unix tools do; any other failure to
//! write (a full device) is an error on stderr with status 1. (A standard output closed
//! before the start cannot be told from `/dev/null`: the Rust runtime opens that in its
//! place.)

#![allow(clippy::print_stderr)]

use std::io::{ErrorKind, Write};

/// Writes to the standard output, or ends the program as the module says.
pub fn write(args: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args) {
        fail(&e);
    }
}

/// Flushes the standard output at the end, with the same care.
pub fn flush() {
    if let Err(e) = std::io::stdout().lock().flush() {
        fail(&e);
    }
}

fn fail(e: &std::io::Error) -> ! {
    if e.kind() == ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("kingdon: cannot write to standard output: {e}");
    std::process::exit(1);
}
