//! Fuzz target: the piped mode's reading of standard input, headless. Any bytes (not UTF-8,
//! a BOM, lone carriage returns, statements split across lines, comments at line ends) are
//! handed to the piped reader as standard input would be, which gathers them into inputs and
//! answers them with a session (empty, small limits). Nothing may panic or hang. Inputs that
//! would touch files are skipped. The binary's own modules are compiled in here.

#![no_main]
#![allow(dead_code, unused_macros, unused_imports)]

use libfuzzer_sys::fuzz_target;

#[path = "common/skip.rs"]
mod skip;

#[path = "../../src/cli"]
mod cli {
    // The binary's printing macros: here they print nothing.
    macro_rules! out {
        ($($arg:tt)*) => {{ let _ = format!($($arg)*); }};
    }
    macro_rules! outln {
        () => {};
        ($($arg:tt)*) => {{ let _ = format!($($arg)*); }};
    }
    macro_rules! err {
        ($($arg:tt)*) => {{ let _ = format!($($arg)*); }};
    }
    macro_rules! errln {
        () => {};
        ($($arg:tt)*) => {{ let _ = format!($($arg)*); }};
    }
    pub mod answers;
    pub mod commands;
    pub mod export;
    pub mod gather;
    pub mod help;
    pub mod output;
    pub mod robustness;
    pub mod piped;
    pub mod session;
    pub mod timeline;
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if skip::touches_files(&text) {
        return;
    }
    let mut session = cli::session::Session::with_options(
        false,
        false,
        kingdon::Options {
            limits: kingdon::Limits {
                max_facts: 20_000,
                max_cells: 200_000,
                max_iterations: 200,
                ..kingdon::Limits::default()
            },
            ..kingdon::Options::default()
        },
    );
    let echo = data.first().is_some_and(|b| b % 2 == 1);
    cli::piped::run(&mut session, data, 1 << 20, echo);
});
