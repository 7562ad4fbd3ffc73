//! Words for people: dates as a reader says them, names as words, and text wrapped to a
//! width at word boundaries under its own indentation.

use crate::value::{month_name, Time};

use crate::eval::Const;
use crate::syntax::ast::CmpOp;
pub(crate) use crate::syntax::capitalise;

/// A time as a reader says it, with its preposition: "on 25 December 1991", "in July 2005",
/// "in 1992".
pub fn when(t: Time) -> String {
    let month = t.month_of().and_then(month_name);
    match (month, t.day_of()) {
        (Some(month), Some(day)) => format!("on {day} {month} {}", t.year_of()),
        (Some(month), None) => format!("in {month} {}", t.year_of()),
        _ => format!("in {}", t.year_of()),
    }
}

/// A time as a reader writes it, without a preposition: "25 December 1991", "July 2005",
/// "1992".
pub fn date(t: Time) -> String {
    let said = when(t);
    said.split_once(' ')
        .map_or(said.clone(), |(_, d)| d.to_string())
}

/// A name as words: `trade_development` → "trade development".
pub fn name_words(name: &str) -> String {
    name.replace('_', " ")
}

/// The leading spaces of a line as seen, colour sequences among them aside.
fn indentation(line: &str) -> usize {
    seen(line).take_while(|c| *c == ' ').count()
}

/// The number of columns a text takes (a character a column; colour sequences none).
pub fn columns(s: &str) -> usize {
    seen(s).count()
}

/// The characters of a text as a terminal shows them: colour (CSI) sequences, `ESC [ … letter`,
/// left out.
fn seen(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = s.chars();
    std::iter::from_fn(move || loop {
        match chars.next()? {
            '\x1b' => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            c => return Some(c),
        }
    })
}

/// `text` wrapped to `width` columns: the first line after `first`, the others after `rest`.
/// Lines break between words only; a word longer than the room left stands on a line of its
/// own rather than being split.
pub fn wrap(first: &str, rest: &str, text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let room = width.saturating_sub(columns(&line));
        let needed = columns(word) + usize::from(!empty);
        if !empty && needed > room {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

/// One line for `width` columns: as it is when it fits, else wrapped between words under its
/// own indentation, four columns further in.
pub fn fit_line(line: &str, width: usize) -> Vec<String> {
    if columns(line) <= width {
        return vec![line.to_string()];
    }
    let indent = " ".repeat(indentation(line));
    let rest = format!("{indent}    ");
    wrap(&indent, &rest, line.trim_start(), width)
}

/// A comparison of a derivation in words: `July 2005 is not after July 2005`, `3.2 is less
/// than 6.8`; a side without a value shows `?`.
pub fn comparison_words(left: Option<&Const>, op: CmpOp, right: Option<&Const>) -> String {
    let show = |c: Option<&Const>| match c {
        Some(Const::Time(t)) => date(*t),
        Some(other) => other.to_string(),
        None => "?".to_string(),
    };
    let times = matches!(left, Some(Const::Time(_))) || matches!(right, Some(Const::Time(_)));
    let words = match (op, times) {
        (CmpOp::Lt, true) => "is before",
        (CmpOp::Le, true) => "is not after",
        (CmpOp::Gt, true) => "is after",
        (CmpOp::Ge, true) => "is not before",
        (CmpOp::Lt, false) => "is less than",
        (CmpOp::Le, false) => "is at most",
        (CmpOp::Gt, false) => "is more than",
        (CmpOp::Ge, false) => "is at least",
        (CmpOp::Eq, _) => "is",
        (CmpOp::Ne, _) => "is not",
    };
    format!("{} {words} {}", show(left), show(right))
}

/// How many facts an aggregate ranged over: `over 1 fact`, `over 12 facts`.
pub fn over_facts(n: usize) -> String {
    format!("over {n} fact{}", if n == 1 { "" } else { "s" })
}

/// A value as a reader says it: a symbol or string as words (`trade_development` → "trade
/// development"), anything else as written.
pub fn value_words(c: &Const) -> String {
    match c {
        Const::Sym(s) | Const::Str(s) => name_words(s),
        other => other.to_string(),
    }
}

/// The atom of a question (`why p(X) @ T depth 2.` → `p(X) @ T`).
pub(crate) fn subject(question: &str) -> String {
    let q = question.trim_end_matches('.');
    let q = q.split_once(' ').map_or(q, |(_, rest)| rest);
    q.split(" depth ").next().unwrap_or(q).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        Time::parse(s).expect("a time")
    }

    #[test]
    fn dates_as_said() {
        assert_eq!(when(t("1991-12-25")), "on 25 December 1991");
        assert_eq!(when(t("2005-07")), "in July 2005");
        assert_eq!(when(t("1992")), "in 1992");
        assert_eq!(date(t("2005-07")), "July 2005");
    }

    #[test]
    fn colour_takes_no_column() {
        assert_eq!(columns("\x1b[1;34mkingdon>\x1b[0m "), 9);
        let coloured = format!("\x1b[2m{}\x1b[0m", "x".repeat(50));
        assert_eq!(fit_line(&coloured, 60), std::slice::from_ref(&coloured));
        assert_eq!(indentation("\x1b[2m   = hint"), 3);
    }

    #[test]
    fn wrapping_keeps_words_whole_and_the_indentation() {
        let lines = wrap("├─ ", "│     ", "the quick brown fox jumps over", 16);
        assert_eq!(
            lines,
            ["├─ the quick", "│     brown fox", "│     jumps over"]
        );
        assert!(lines.iter().all(|l| columns(l) <= 16));
        let long = wrap("  ", "  ", "a Zahariadis-2014-very-long-word b", 10);
        assert_eq!(long, ["  a", "  Zahariadis-2014-very-long-word", "  b"]);
    }
}
