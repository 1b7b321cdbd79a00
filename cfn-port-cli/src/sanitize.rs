//! Making input-derived text safe to print in a terminal or a CI log.
//!
//! A template decides its logical ids, values, condition names, suppression
//! reasons, YAML tags and file names, and the source lines quoted in code
//! frames. Printed raw, an ESC or OSC sequence drives the terminal, a bidi
//! override ("Trojan Source") makes the line read differently from what it
//! is, and a line break starts a line of the reader's choosing (a GitHub
//! Actions `::error::` or `::stop-commands::`). Every text format passes such
//! text through this module, which writes each dangerous character as a
//! visible escape (`\x1b`, `\u{202e}`), as rustc shows bidi characters in
//! source, so two different names never print the same.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

/// Whether `c` must not reach a terminal raw: C0 controls and DEL, C1
/// controls (NEL included), the line and paragraph separators, and the bidi
/// embedding, override, isolate and mark characters.
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f' | '\u{80}'..='\u{9f}'
        | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A cheap over-approximation of "has an unsafe character": any byte that is
/// a control or can start one of the multi-byte characters above. Most text
/// has none, and is then not decoded at all.
fn may_be_unsafe(text: &str) -> bool {
    text.bytes()
        .any(|b| b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2))
}

/// Appends the visible escape of `c`: `\x1b` below U+0080, `\u{202e}` above.
fn push_escape(out: &mut String, c: char) {
    let code = u32::from(c);
    // Writing to a String cannot fail.
    let _ = if code < 0x80 {
        write!(out, "\\x{code:02x}")
    } else {
        write!(out, "\\u{{{code:x}}}")
    };
}

/// `text` on one line with every unsafe character escaped, line breaks and
/// tabs included: for messages, names, paths and notes.
#[must_use]
pub fn inline(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

fn escape_where(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !may_be_unsafe(text) || !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source text with every unsafe character inside its lines escaped, and
/// the map between offsets in the original and in the copy, so that spans
/// found in the original still point at the same characters. Tabs stay
/// (code frames expand them) and so do `\n` and `\r`, which always end a line
/// in the source's line index.
#[derive(Debug)]
pub struct SourceCopy<'s> {
    text: Cow<'s, str>,
    /// One entry per escaped character, in order: its byte range in the
    /// original, and in the copy.
    escapes: Vec<(Range<usize>, Range<usize>)>,
}

impl<'s> SourceCopy<'s> {
    /// The copy of `text`; borrowed when nothing needs escaping.
    #[must_use]
    pub fn new(text: &'s str) -> Self {
        let keep = |c: char| matches!(c, '\t' | '\n' | '\r');
        let unsafe_char = |c: char| is_unsafe(c) && !keep(c);
        if !may_be_unsafe(text) || !text.chars().any(unsafe_char) {
            return Self {
                text: Cow::Borrowed(text),
                escapes: Vec::new(),
            };
        }
        let mut out = String::with_capacity(text.len() + 64);
        let mut escapes = Vec::new();
        for (at, c) in text.char_indices() {
            if unsafe_char(c) {
                let start = out.len();
                push_escape(&mut out, c);
                escapes.push((at..at + c.len_utf8(), start..out.len()));
            } else {
                out.push(c);
            }
        }
        Self {
            text: Cow::Owned(out),
            escapes,
        }
    }

    /// Whether nothing needed escaping (the copy is the source itself).
    #[must_use]
    pub fn is_unchanged(&self) -> bool {
        self.escapes.is_empty()
    }

    /// The text to show.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where offset `original` of the source is in the copy. The start of an
    /// escaped character maps to the start of its escape, its end to the end.
    #[must_use]
    pub fn to_copy(&self, original: usize) -> usize {
        let before = self
            .escapes
            .partition_point(|(from, _)| from.end <= original);
        match before.checked_sub(1).map(|i| &self.escapes[i]) {
            None => original,
            Some((from, to)) => original - from.end + to.end,
        }
    }

    /// Where offset `copied` of the copy is in the source; an offset inside
    /// an escape maps to the escaped character.
    #[must_use]
    pub fn to_original(&self, copied: usize) -> usize {
        let before = self.escapes.partition_point(|(_, to)| to.end <= copied);
        if let Some((from, to)) = self.escapes.get(before)
            && to.start < copied
        {
            return from.start;
        }
        match before.checked_sub(1).map(|i| &self.escapes[i]) {
            None => copied,
            Some((from, to)) => copied - to.end + from.end,
        }
    }

    /// A byte range of the source as a range of the copy.
    #[must_use]
    pub fn range_to_copy(&self, range: Range<usize>) -> Range<usize> {
        self.to_copy(range.start)..self.to_copy(range.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_visibly() {
        assert_eq!(inline("plain é 😀"), "plain é 😀");
        assert_eq!(
            inline("a\x1b]0;x\x07b\u{9b}c\u{202e}d\ne\r\tf\u{85}"),
            "a\\x1b]0;x\\x07b\\u{9b}c\\u{202e}d\\x0ae\\x0d\\x09f\\u{85}"
        );
        // Common multi-byte text that shares a first byte with unsafe characters.
        assert_eq!(inline("— … ©"), "— … ©");
    }

    #[test]
    fn source_copy_keeps_line_breaks_and_maps_spans() {
        let text = "a: \x1b[31mred\nb: \u{202e}x\r\n";
        let copy = SourceCopy::new(text);
        assert_eq!(copy.text(), "a: \\x1b[31mred\nb: \\u{202e}x\r\n");
        let red = text.find("red").unwrap();
        assert_eq!(&copy.text()[copy.to_copy(red)..], "red\nb: \\u{202e}x\r\n");
        let esc = text.find('\x1b').unwrap();
        assert_eq!(copy.range_to_copy(esc..esc + 1), 3..7);
        assert_eq!(copy.to_original(5), esc);
        assert_eq!(copy.to_original(copy.to_copy(red)), red);
        let x = text.find('x').unwrap();
        assert_eq!(copy.to_original(copy.to_copy(x)), x);
    }

    #[test]
    fn clean_source_is_borrowed() {
        let copy = SourceCopy::new("a: 1\n\tb: 2\r\n");
        assert!(matches!(copy.text, Cow::Borrowed(_)));
        assert_eq!(copy.to_copy(5), 5);
    }
}
