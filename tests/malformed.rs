//! Malformed programs, each pinned to the exact output of `kingdon check` on it: exit status,
//! then the rendered diagnostics (code, line, column, message, source line, caret, hint).

mod common;

#[test]
fn malformed_programs_give_their_pinned_diagnostics() {
    common::check_folder("malformed", "check", 40);
}
