//! Fuzz target: the REPL's command layer, headless. Any text is split into lines and handed
//! to a session (empty, small limits), as a person would type them: colon commands and
//! statements alike. Nothing may panic or hang. Lines that would touch files (`:load`,
//! `:save`, `:export`, `include`, `input`, `output`) are skipped. The binary's own modules are
//! compiled in here, through their paths, as the binary compiles them.

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
    pub mod help;
    pub mod output;
    pub mod robustness;
    pub mod session;
    pub mod timeline;
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
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
    for line in text.lines() {
        let response = session.handle(line);
        if response.quit {
            break;
        }
    }
});
