//! Classic programs, each pinned to the exact output of `kingdon run` on it: transitive
//! closure, same generation, the game program, sets, negation, every aggregate, arithmetic,
//! times, `retract`, CSV and TSV input, limits. The comment at the top of each file says
//! what it shows.

mod common;

#[test]
fn classic_programs_give_their_pinned_answers() {
    common::check_folder("programs", "run", 40);
}
