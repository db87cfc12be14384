//! Text from a park file made safe to show.
//!
//! Ids and names come from whoever wrote the park file. Printed raw, a name
//! holding terminal escape sequences can recolour the terminal, retitle its
//! window or forge a line of output ("verified independently: 999 checks
//! passed"); a line break can start a fake line; a right-to-left override
//! can show text in another order than it is stored. Every place that puts
//! such text on a terminal goes through [`printable`], and long text
//! quoted in a message goes through [`abbreviated`], so that a message
//! about a 250 MB name is not 250 MB long. Validation refuses control
//! characters in ids outright ([`first_control`]); names keep theirs and
//! are escaped when shown.

use std::borrow::Cow;

/// Whether `c` would act on a terminal or reorder text instead of being
/// shown: a C0 or C1 control (ESC, CR, LF, BEL, DEL, …) or a bidirectional
/// embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).
pub fn is_unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every [unprintable](is_unprintable) character written as
/// its Rust escape (`\u{1b}`, `\n`, `\r`, `\t`), everything else as it is
/// (Chinese names stay Chinese).
pub fn printable(text: &str) -> Cow<'_, str> {
    escaped_where(text, is_unprintable)
}

/// `text` with every character `escape` picks written as its Rust escape.
fn escaped_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` without what an XML document may not hold: C0 control
/// characters other than tab, line feed and carriage return (ESC, BEL, …)
/// and U+FFFE/U+FFFF, each written as its Rust escape (`\u{1b}`). SVG
/// figures and `report.html` quote park names; one ESC in a name would
/// make the figure a document no viewer opens.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    escaped_where(text, |c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    })
}

/// [`printable`] for text of several lines: each line made printable, the
/// line breaks between them kept.
pub fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first control character of `text` (see [`is_unprintable`]), and
/// its position in characters, for a message that says where it is.
pub fn first_control(text: &str) -> Option<(usize, char)> {
    text.chars().enumerate().find(|(_, c)| is_unprintable(*c))
}

/// The most characters an id may have (validation refuses longer ones):
/// ids are shown in every table and message, so a bound keeps them
/// readable and the outputs small. A message shows an id up to this
/// length, so only an id refused for its length is cut.
pub const MAX_ID_CHARS: usize = 256;

/// Characters of a long text shown in a message before it is cut.
pub const SHOWN_CHARS: usize = 40;

/// `text` as it may be quoted in a message: whole when it has at most
/// [`SHOWN_CHARS`] characters, otherwise its beginning, `…` and its length
/// in characters.
pub fn abbreviated(text: &str) -> Cow<'_, str> {
    cut(text, SHOWN_CHARS)
}

/// `text` whole when it has at most `most` characters, otherwise its first
/// `most` characters, `…` and its length in characters.
pub fn cut(text: &str, most: usize) -> Cow<'_, str> {
    match text.char_indices().nth(most) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!(
            "{}… ({} characters)",
            &text[..end],
            text.chars().count()
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_safe_escapes_what_xml_forbids_and_keeps_line_breaks() {
        assert_eq!(
            super::xml_safe("唐山\u{1b}[31m\u{7}"),
            "唐山\\u{1b}[31m\\u{7}"
        );
        assert_eq!(super::xml_safe("a\tb\nc"), "a\tb\nc");
    }

    use super::*;

    #[test]
    fn escape_sequences_and_line_breaks_are_shown_not_obeyed() {
        assert_eq!(
            printable("boiler\u{1b}[31m red\r\nverified\u{7}"),
            "boiler\\u{1b}[31m red\\r\\nverified\\u{7}"
        );
        assert_eq!(printable("a\u{9b}b\u{202e}c"), "a\\u{9b}b\\u{202e}c");
    }

    #[test]
    fn ordinary_text_is_borrowed_as_it_is() {
        assert!(matches!(printable("电厂 A — slag, 30 %"), Cow::Borrowed(_)));
    }

    #[test]
    fn lines_keep_their_breaks_but_not_their_escapes() {
        assert_eq!(printable_lines("a\u{1b}]0;x\nb"), "a\\u{1b}]0;x\nb");
    }

    #[test]
    fn the_first_control_character_is_found_with_its_position() {
        assert_eq!(first_control("ab\rc\n"), Some((2, '\r')));
        assert_eq!(first_control("电厂"), None);
    }

    #[test]
    fn long_text_is_cut_and_its_length_said() {
        assert_eq!(abbreviated("short"), "short");
        let long = "x".repeat(1000);
        let shown = abbreviated(&long);
        assert!(shown.starts_with(&"x".repeat(SHOWN_CHARS)), "{shown}");
        assert!(shown.ends_with("… (1000 characters)"), "{shown}");
        assert!(abbreviated(&"电".repeat(41)).ends_with("电… (41 characters)"));
    }
}
