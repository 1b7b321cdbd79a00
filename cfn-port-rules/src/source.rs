//! Source text, byte spans and 1-based line/column positions.
//!
//! Every node, label and diagnostic in this crate refers to its text with a
//! [`Span`]: a half-open range of byte offsets into [`SourceFile::text`].
//! Positions shown to people are [`LineCol`]s: 1-based lines and 1-based
//! columns counted in characters (Unicode scalar values), so a tab, an `é`
//! and a `😀` each advance the column by one.

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;

/// A half-open range of byte offsets into a [`SourceFile`]'s text.
///
/// Offsets are `u32` because files are capped well below 4 GiB (see
/// [`Limits::max_file_size`](crate::Limits::max_file_size)); this keeps nodes small.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    ///
    /// # Panics
    /// Never in this crate: callers pass offsets of a text already checked to
    /// fit in `u32`. A debug assertion guards `start <= end`.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Self {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// An empty span at `offset`.
    #[must_use]
    pub fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// The span as a `Range<usize>`, for slicing the source text.
    #[must_use]
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `other` lies entirely inside `self`.
    #[must_use]
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// Which source file of a linted input a span is in: an index into the
/// input's list of sources ([`crate::model::Model::sources`]). A
/// CloudFormation template is one file, always `FileId(0)`; a Terraform
/// module is several, and one finding may label a caller's argument in one
/// file and a module's line in another.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct FileId(pub u32);

impl FileId {
    /// The first (for CloudFormation, the only) file.
    pub const FIRST: FileId = FileId(0);

    /// The index into the list of sources.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A 1-based line and 1-based column, counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LineCol {
    /// Line number, starting at 1.
    pub line: u32,
    /// Column number in characters, starting at 1.
    pub column: u32,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The format a template is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// JSON, parsed strictly.
    Json,
    /// YAML 1.2.
    Yaml,
}

/// One input: its display name and its UTF-8 text.
///
/// A leading UTF-8 byte order mark is removed and remembered, so that spans
/// and columns refer to the text a person sees in an editor.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    had_bom: bool,
    line_starts: OnceLock<Vec<u32>>,
}

const UTF8_BOM: &str = "\u{feff}";

impl SourceFile {
    /// A source from text already in memory. A leading BOM is stripped.
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        let had_bom = text.starts_with(UTF8_BOM);
        if had_bom {
            text.drain(..UTF8_BOM.len());
        }
        Self {
            name: name.into(),
            text,
            had_bom,
            line_starts: OnceLock::new(),
        }
    }

    /// The name given at construction (usually a path).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text, without a leading byte order mark.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the original input started with a UTF-8 byte order mark.
    #[must_use]
    pub fn had_bom(&self) -> bool {
        self.had_bom
    }

    /// The text a span covers, or `None` when the span is reversed, ends past
    /// the text or splits a character. Front ends check spans with this before
    /// rendering them.
    #[must_use]
    pub fn get(&self, span: Span) -> Option<&str> {
        self.text.get(span.range())
    }

    /// The text a span covers, or `""` where [`SourceFile::get`] is `None`.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.get(span).unwrap_or("")
    }

    /// Byte offsets at which each line starts. A line ends at `\n`, at a `\r`
    /// not followed by `\n`, or at the end of the text (YAML and JSON agree on
    /// these three line breaks).
    #[must_use]
    pub fn line_starts(&self) -> &[u32] {
        self.line_starts
            .get_or_init(|| compute_line_starts(&self.text))
    }

    /// The 0-based index of the line holding `offset`.
    #[must_use]
    pub fn line_index(&self, offset: u32) -> usize {
        let starts = self.line_starts();
        match starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte range of the 0-based line `line`, without its line break.
    #[must_use]
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(line)? as usize;
        let mut end = starts
            .get(line + 1)
            .map_or(self.text.len(), |&s| s as usize);
        let bytes = self.text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end)
    }

    /// The 1-based line and character column of a byte offset. An offset past
    /// the end maps to the end; an offset inside a character maps to that
    /// character.
    #[must_use]
    pub fn line_col(&self, offset: u32) -> LineCol {
        // Inside a character: count from the character's first byte.
        let offset = self.char_offset(offset);
        self.line_col_on(self.line_index(offset as u32), offset)
    }

    /// `offset` clamped to the text and moved back to a character boundary.
    fn char_offset(&self, offset: u32) -> usize {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Finds positions for offsets that mostly increase (the spans of sorted
    /// findings) by walking on from the last line found instead of searching
    /// all lines each time.
    pub(crate) fn cursor(&self) -> LineCursor<'_> {
        LineCursor {
            source: self,
            line: 0,
        }
    }

    /// The position of `offset` on the 0-based line `line`, which holds it.
    fn line_col_on(&self, line: usize, offset: usize) -> LineCol {
        let line_start = self.line_starts()[line] as usize;
        let before = &self.text.as_bytes()[line_start..offset];
        // Count characters as the bytes that do not continue a UTF-8 sequence.
        let column = before.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        LineCol {
            line: to_u32(line + 1),
            column: to_u32(column + 1),
        }
    }

    /// The byte offset of a 1-based line and character column, the inverse of
    /// [`SourceFile::line_col`]. `None` when the line does not exist; a column
    /// past the end of its line maps to the line's end.
    #[must_use]
    pub fn offset_of(&self, position: LineCol) -> Option<u32> {
        let line = (position.line as usize).checked_sub(1)?;
        let range = self.line_range(line)?;
        let text = &self.text[range.clone()];
        let skip = (position.column as usize).saturating_sub(1);
        let within = text.char_indices().nth(skip).map_or(text.len(), |(i, _)| i);
        Some(to_u32(range.start + within))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// See [`SourceFile::cursor`].
pub(crate) struct LineCursor<'s> {
    source: &'s SourceFile,
    /// The line of the last offset found.
    line: usize,
}

/// How many lines the cursor walks forward before it searches instead.
const CURSOR_WALK: usize = 8;

impl LineCursor<'_> {
    /// The same as [`SourceFile::line_col`].
    pub(crate) fn line_col(&mut self, offset: u32) -> LineCol {
        let source = self.source;
        let offset = source.char_offset(offset);
        let starts = source.line_starts();
        let at_or_after_line = starts[self.line] as usize <= offset;
        let near = starts.get(self.line + 1..).and_then(|next| {
            next.iter()
                .take(CURSOR_WALK)
                .position(|&s| s as usize > offset)
        });
        self.line = match near {
            Some(steps) if at_or_after_line => self.line + steps,
            _ => source.line_index(to_u32(offset)),
        };
        source.line_col_on(self.line, offset)
    }
}

fn compute_line_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
    starts.push(0);
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let is_crlf_first_half = bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n');
        if !is_crlf_first_half {
            starts.push(to_u32(i + 1));
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The cursor gives what `line_col` gives, for offsets in any order
        /// (inside characters and past the end included).
        #[test]
        fn cursor_agrees_with_line_col(
            text in "([a-c\t é😀]{0,12}(\n|\r\n|\r)){0,30}",
            offsets in prop::collection::vec(0u32..400, 0..60),
            sorted in any::<bool>(),
        ) {
            let source = SourceFile::new("t", text);
            let mut offsets = offsets;
            if sorted {
                offsets.sort_unstable();
            }
            let mut cursor = source.cursor();
            for offset in offsets {
                prop_assert_eq!(cursor.line_col(offset), source.line_col(offset), "offset {}", offset);
            }
        }
    }

    fn pos(source: &SourceFile, needle: &str) -> LineCol {
        let offset = source.text().find(needle).expect("needle in text");
        source.line_col(offset as u32)
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = SourceFile::new("t", "a: é😀x\n\tb: y\n");
        assert_eq!(pos(&source, "x"), LineCol { line: 1, column: 6 });
        assert_eq!(pos(&source, "b"), LineCol { line: 2, column: 2 });
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let source = SourceFile::new("t", "a\r\nb\rc\nd");
        assert_eq!(pos(&source, "b"), LineCol { line: 2, column: 1 });
        assert_eq!(pos(&source, "c"), LineCol { line: 3, column: 1 });
        assert_eq!(pos(&source, "d"), LineCol { line: 4, column: 1 });
        assert_eq!(source.line_range(0), Some(0..1));
    }

    #[test]
    fn bom_is_stripped_and_not_counted() {
        let source = SourceFile::new("t", "\u{feff}Resources: {}\n");
        assert!(source.had_bom());
        assert_eq!(pos(&source, "Resources"), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let source = SourceFile::new("t", "ab\r\n\té😀z\n");
        for (offset, _) in source.text().char_indices() {
            let lc = source.line_col(offset as u32);
            let back = source.offset_of(lc).expect("line exists");
            // Line-break bytes map to the end of their line.
            let on_break = matches!(source.text().as_bytes()[offset], b'\r' | b'\n');
            if !on_break {
                assert_eq!(back as usize, offset, "{lc}");
            }
        }
    }

    #[test]
    fn get_rejects_reversed_overlong_and_split_spans() {
        let source = SourceFile::new("t", "a: é\n");
        assert_eq!(source.get(Span::new(3, 5)), Some("é"));
        assert_eq!(source.get(Span::new(4, 5)), None);
        assert_eq!(source.get(Span::new(3, 99)), None);
        assert_eq!(source.get(Span { start: 5, end: 3 }), None);
    }

    #[test]
    fn utf16_with_and_without_bom_is_named() {
        let with_bom = [0xFF, 0xFE, b'a', 0, b':', 0].to_vec();
        let err = SourceFile::from_bytes("t", with_bom).unwrap_err();
        assert!(err.message.contains("UTF-16"), "{}", err.message);
        let without_bom = [b'a', 0, b':', 0, b' ', 0].to_vec();
        let err = SourceFile::from_bytes("t", without_bom).unwrap_err();
        assert!(err.message.contains("UTF-16"), "{}", err.message);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = SourceFile::from_bytes("t", b"a: 1\nb: \xFFx\n".to_vec()).unwrap_err();
        assert_eq!(err.position, Some(LineCol { line: 2, column: 4 }));
    }

    #[test]
    fn nul_byte_means_binary() {
        let err = SourceFile::from_bytes("t", b"abc\n\x01\x00\x02".to_vec()).unwrap_err();
        assert!(err.message.contains("binary"));
        assert_eq!(err.position, Some(LineCol { line: 2, column: 2 }));
    }
}
