//! Fuzz target: quotes against documents. The bytes are a document and a quote (split at
//! the first NUL; either read lossily as UTF-8, so any Unicode, dashes, ellipses and hyphens
//! at line ends arrive). Folding, finding and the closest passage must never panic, every
//! range they give must map back to whole characters of the document, and a passage cut
//! from the document at word ends must be found.

#![no_main]

use kingdon::evidence::text::{closest, find, fold};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (doc, quote) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &data[data.len() / 2..]),
    };
    let doc = String::from_utf8_lossy(doc);
    let quote = String::from_utf8_lossy(quote);
    let folded = fold(&doc);
    let whole = |(s, e): (usize, usize)| {
        let (a, b) = folded.original(&doc, s, e);
        assert!(a <= b && b <= doc.len(), "{a}..{b} of {}", doc.len());
        assert!(doc.is_char_boundary(a) && doc.is_char_boundary(b));
    };
    if let Ok(Some(range)) = find(&folded, &quote) {
        whole(range);
    }
    if let Some(range) = closest(&folded, &quote) {
        whole(range);
    }
    // Any run of the document's own words, taken whole, is found in it.
    let words: Vec<&str> = doc.split_whitespace().collect();
    if let Some(first) = quote.bytes().next() {
        let start = usize::from(first) % words.len().max(1);
        let len = 1 + usize::from(quote.bytes().nth(1).unwrap_or(0)) % 6;
        let passage = words.iter().skip(start).take(len).copied().collect::<Vec<_>>().join(" ");
        let plain = |w: &str| w.chars().all(|c| c.is_alphanumeric() || c == ' ');
        if !passage.is_empty() && plain(&passage) && passage.chars().any(char::is_alphanumeric) {
            assert!(
                matches!(find(&folded, &passage), Ok(Some(_))),
                "{passage:?} not found in {doc:?}"
            );
        }
    }
});
