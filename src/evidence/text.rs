//! Quotes against a document's text (LANGUAGE.md §7, "Evidence"): both are compared after
//! folding case, whitespace, line-end hyphenation and typographic quotes and dashes, and a
//! quote may leave words out with `…` (or `...`) between its parts.

/// How far apart (in folded bytes) two parts of a quote split by `…` may be found.
const MAX_GAP: usize = 400;

/// A text folded for comparing quotes, with where each folded byte came from.
#[derive(Debug)]
pub struct Folded {
    /// The folded text: lower case, single spaces, ASCII quotes and dashes.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original it came from.
    origin: Vec<usize>,
    /// The original text's length.
    len: usize,
}

impl Folded {
    /// The original byte range of the folded range `start..end`.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        let at = |i: usize| self.origin.get(i).copied().unwrap_or(self.len);
        let last = if end > start { at(end - 1) } else { at(start) };
        (at(start), (last + 1).min(self.len))
    }
}

/// One character as compared: typographic quotes and dashes as their ASCII forms.
fn plain(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '«' | '»' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        other => other,
    }
}

/// Folds a text; see the module's documentation.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
        len: text.len(),
    };
    let mut space = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            space = !out.text.is_empty();
            continue;
        }
        let c = plain(c);
        if c == '-' && !space && out.text.ends_with(char::is_alphabetic) {
            // `devel-` at a line's end and `opment` on the next: one word.
            let rest = &text[i + 1..];
            let gap = rest.len() - rest.trim_start().len();
            let next = rest.trim_start().chars().next();
            if rest[..gap].contains('\n') && next.is_some_and(char::is_alphabetic) {
                while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                    chars.next();
                }
                continue;
            }
        }
        if space {
            out.text.push(' ');
            out.origin.push(i);
            space = false;
        }
        if c == '…' {
            out.text.push_str("...");
            out.origin.extend([i, i, i]);
            continue;
        }
        for lower in c.to_lowercase() {
            let mut buf = [0; 4];
            let s = lower.encode_utf8(&mut buf);
            out.text.push_str(s);
            out.origin.extend(std::iter::repeat_n(i, s.len()));
        }
    }
    out
}

/// A quote folded for searching, without the quotation marks it may be wrapped in
/// (`"“In 1983, …”"`): the words are what must occur.
fn folded_quote(quote: &str) -> String {
    let folded = fold(quote).text;
    folded
        .trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
        .to_string()
}

/// Whether a quote has any words to look for.
pub fn is_empty(quote: &str) -> bool {
    folded_quote(quote)
        .split("...")
        .all(|p| p.trim().is_empty())
}

/// Where a quote occurs in a folded document: the folded byte range from its first part's
/// start to its last part's end, or `None`.
pub fn find(document: &Folded, quote: &str) -> Option<(usize, usize)> {
    let folded = folded_quote(quote);
    let parts: Vec<&str> = folded
        .split("...")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let (first, rest) = parts.split_first()?;
    let text = &document.text;
    let mut from = 0;
    // Each occurrence of the first part is a candidate start; the rest must follow in order.
    'starts: while let Some(at) = text[from..].find(first).map(|p| p + from) {
        from = at + first.len().max(1);
        let mut end = at + first.len();
        for part in rest {
            let window = &text[end..text.len().min(end + MAX_GAP + part.len())];
            match window.find(part) {
                Some(p) => end += p + part.len(),
                None => continue 'starts,
            }
        }
        return Some((at, end));
    }
    None
}

/// The passage of the document most like the quote (the run of as many words that shares
/// the most words with it, in order give or take one place), as a folded byte range, if any
/// passage shares at least a third of its words.
pub fn closest(document: &Folded, quote: &str) -> Option<(usize, usize)> {
    let folded = folded_quote(&quote.replace(['…'], " ").replace("...", " "));
    let wanted: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let words: Vec<(usize, &str)> = document
        .text
        .split(' ')
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .collect();
    if wanted.is_empty() || words.is_empty() {
        return None;
    }
    let n = wanted.len();
    let same = |k: usize, j: usize| words.get(k).is_some_and(|(_, w)| *w == wanted[j]);
    // (words matched give or take one place, words matched in place, start)
    let mut best = (0, 0, 0);
    for start in 0..words.len() {
        let near = (0..n)
            .filter(|&j| {
                let k = start + j;
                same(k.wrapping_sub(1), j) || same(k, j) || same(k + 1, j)
            })
            .count();
        let exact = (0..n).filter(|&j| same(start + j, j)).count();
        if (near, exact) > (best.0, best.1) {
            best = (near, exact, start);
        }
    }
    let (score, _, start) = best;
    if score * 3 < n {
        return None;
    }
    let last = (start + n).min(words.len()) - 1;
    Some((words[start].0, words[last].0 + words[last].1.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_spacing_hyphenation_and_typography() {
        let doc = fold("The “zero-tariff”  environment was  devel-\n  oped in\nJuly – 2005.");
        assert_eq!(
            doc.text,
            "the \"zero-tariff\" environment was developed in july - 2005."
        );
        assert!(find(&doc, "ZERO-TARIFF\" environment").is_some());
        assert!(find(&doc, "was developed in July — 2005").is_some());
        assert!(find(&doc, "was developed in August").is_none());
        assert!(
            find(&doc, "“the “zero-tariff” environment”").is_some(),
            "quotation marks around a quote are not part of it"
        );
        assert!(is_empty("“ … ”") && !is_empty("a"));
    }

    #[test]
    fn an_ellipsis_skips_words_in_order() {
        let doc =
            fold("In 1983, the State Council approved the official reopening of Horgos port.");
        assert!(find(&doc, "In 1983, … approved the official reopening").is_some());
        assert!(find(&doc, "In 1983 ... reopening of Horgos").is_some());
        assert!(
            find(&doc, "reopening … In 1983").is_none(),
            "parts keep their order"
        );
    }

    #[test]
    fn the_original_range_of_a_match_reads_as_written() {
        let text = "Alpha  BETA\ngamma.";
        let doc = fold(text);
        let (s, e) = find(&doc, "beta gamma").expect("found");
        let (s, e) = doc.original(s, e);
        assert_eq!(&text[s..e], "BETA\ngamma");
    }

    #[test]
    fn the_closest_passage_is_the_one_with_one_word_changed() {
        let text =
            "China and Kazakhstan established diplomacy in 1992, which is undoubtedly important. \
                    Other words follow here.";
        let doc = fold(text);
        let (s, e) =
            closest(&doc, "China and Kazakhstan established relations in 1992").expect("close");
        let (s, e) = doc.original(s, e);
        assert_eq!(
            &text[s..e],
            "China and Kazakhstan established diplomacy in 1992,"
        );
        assert_eq!(closest(&doc, "nothing like it anywhere at all"), None);
    }
}
