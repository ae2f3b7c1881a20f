//! Escaping for the XML formats (JUnit and Checkstyle).
//!
//! Written here rather than with an XML crate: the two formats are flat and
//! need nothing but escaping.

/// `text` escaped for use inside a double-quoted attribute value or as
/// element content.
///
/// `&`, `<`, `>`, `"` and `'` become entities. Tab, line feed and carriage
/// return become character references, so that attribute values keep them
/// (a parser turns a literal one into a space). Characters XML 1.0 forbids
/// even as references (the other C0 controls, U+FFFE and U+FFFF) are written
/// as a visible `\u{…}` escape instead, so the document stays well-formed.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` escaped for element content, where line breaks stay as they are
/// so that a multi-line body reads naturally.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        out.push_str(&escape(body));
        out.push_str(newline);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_become_entities() {
        assert_eq!(
            escape(r#"a & b < c > d "e" 'f'"#),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;"
        );
    }

    #[test]
    fn whitespace_controls_become_references_and_others_a_visible_escape() {
        assert_eq!(escape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
        assert_eq!(
            escape("bell\u{7} esc\u{1b} nul\u{0}"),
            "bell\\u{7} esc\\u{1b} nul\\u{0}"
        );
        assert_eq!(escape("\u{ffff}"), "\\u{ffff}");
        assert_eq!(escape("é ✓ 𐐀"), "é ✓ 𐐀");
    }

    #[test]
    fn element_text_keeps_line_feeds() {
        assert_eq!(escape_text("a<b\nc&d\n"), "a&lt;b\nc&amp;d\n");
        assert_eq!(escape_text("x\r\ny"), "x&#13;\ny");
    }
}
