//! Literal values shared by the parser and the evaluator: calendar times and exact numbers.

mod number;
mod time;

pub(crate) use number::MAX_SCALE;
pub use number::{Decimal, Number, NumberError};
pub(crate) use time::month_name;
pub use time::{Granularity, Time, TimeError};

/// Whether text may not hold this character: a control character other than a tab (it would
/// reach a terminal raw), or a bidirectional formatting character (U+202E and kin: it would
/// reorder the text around it on a screen, in a page or in a picture). Strings, notes, CSV
/// cells and inserted strings all follow this.
pub(crate) fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\t') || is_bidi_control(c)
}

/// Whether a character is a bidirectional formatting character: the embeddings, overrides
/// and isolates (U+202A–U+202E, U+2066–U+2069) and the marks (U+200E, U+200F, U+061C).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A character as text for people shows it: a control character (other than a tab) as its
/// Unicode picture (`ESC` as `␛`), one column like the character it stands for; a
/// bidirectional formatting character, which would reorder the line, as `�`.
pub(crate) fn visible(c: char) -> char {
    match u32::from(c) {
        0x09 => c,
        n @ 0x00..=0x1f => char::from_u32(0x2400 + n).unwrap_or('?'),
        0x7f => '\u{2421}',
        _ if c.is_control() || is_bidi_control(c) => '\u{fffd}',
        _ => c,
    }
}

/// Whether a character is invisible where it stands alone: a zero-width or joining
/// character, a byte order mark, a tag (U+200B–U+200F, U+2060–U+2064, U+FEFF, U+E0000–…).
/// A document's passage shown in a hint shows each as U+FFFD.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{e0000}'..='\u{e007f}')
}

/// A text, a file name say, as people may be shown it: each character [`visible`].
pub(crate) fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(|c| visible(c) == c) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().map(visible).collect())
    }
}

/// What kind of character [`is_unprintable`] refuses, for messages: `a control character
/// (U+001B)`, `a bidirectional formatting character (U+202E)`.
pub(crate) fn unprintable_name(c: char) -> String {
    let kind = if is_bidi_control(c) {
        "a bidirectional formatting character"
    } else {
        "a control character"
    };
    format!("{kind} (U+{:04X})", u32::from(c))
}

/// A string as the language writes it: in quotes, with `\"`, `\\`, `\n`, `\t` escaped.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
