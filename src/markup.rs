//! Text as XML and HTML character data, for the pictures, the proof graph's labels and the
//! report page: markup escaped, and the control characters XML 1.0 forbids dropped, so that
//! every browser and Graphviz read the result.

/// `text` escaped for XML or HTML (element text or a quoted attribute value).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped_and_forbidden_controls_dropped() {
        assert_eq!(
            escape("a < b & \"c\" > d"),
            "a &lt; b &amp; &quot;c&quot; &gt; d"
        );
        assert_eq!(escape("t\u{1b}[31m\tx\n"), "t[31m\tx\n");
    }
}
