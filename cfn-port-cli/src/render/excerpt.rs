//! Code frames of very long lines (a minified JSON template is one line of
//! megabytes): each labelled line is cut to a window around its labels,
//! with `…` where text was left out, instead of printing the whole line.
//!
//! codespan-reporting prints whole lines, so the frame is drawn over an
//! [`Excerpt`]: a small text holding only the labelled lines, trimmed, seen
//! through codespan's `Files` trait with the original line numbers and
//! columns.

use std::ops::Range;

use cfn_port_rules::SourceFile;
use codespan_reporting::files::{Error as FilesError, Files};

/// Lines longer than this (in characters) are trimmed.
pub(super) const MAX_LINE_CHARS: usize = 160;
/// Characters kept on each side of the labels of a trimmed line.
const CONTEXT_CHARS: usize = 40;
const ELLIPSIS: &str = "…";

/// One labelled line as the excerpt holds it.
#[derive(Debug)]
struct Piece {
    /// The original 0-based line index.
    line: usize,
    /// Where the line is in the excerpt's text, ellipses included.
    range: Range<usize>,
    /// The parts of the original line kept, in order: where each starts in
    /// the excerpt's text, and the original bytes.
    kept: Vec<(usize, Range<usize>)>,
}

impl Piece {
    /// The kept part holding original `offset`, or the nearest one.
    fn part_of_original(&self, offset: usize) -> &(usize, Range<usize>) {
        self.kept
            .iter()
            .find(|(_, original)| offset < original.end)
            .unwrap_or_else(|| self.kept.last().expect("a piece keeps text"))
    }

    /// The kept part holding excerpt byte `byte`, or the nearest one.
    fn part_of_excerpt(&self, byte: usize) -> &(usize, Range<usize>) {
        self.kept
            .iter()
            .rev()
            .find(|(at, _)| *at <= byte)
            .unwrap_or_else(|| self.kept.first().expect("a piece keeps text"))
    }
}

/// The labelled lines of one code frame, long ones trimmed.
#[derive(Debug)]
pub(super) struct Excerpt<'s> {
    source: &'s SourceFile,
    text: String,
    pieces: Vec<Piece>,
}

impl<'s> Excerpt<'s> {
    /// An excerpt for labels at `ranges` (original byte ranges), or `None`
    /// when no labelled line is long or a label spans lines (those frames
    /// are drawn over the whole text, as before).
    pub(super) fn new(source: &'s SourceFile, ranges: &[Range<usize>]) -> Option<Self> {
        let mut lines: Vec<(usize, Vec<Range<usize>>)> = Vec::new();
        for range in ranges {
            let line = source.line_index(u32::try_from(range.start).ok()?);
            let line_range = source.line_range(line)?;
            if range.end > line_range.end.max(range.start) {
                return None;
            }
            match lines.iter_mut().find(|(l, _)| *l == line) {
                Some((_, labelled)) => labelled.push(range.clone()),
                None => lines.push((line, vec![range.clone()])),
            }
        }
        let text = source.text();
        // Counting stops after the limit: a minified template is one line
        // of megabytes, and each of its findings asks.
        let long = |line: usize| {
            source.line_range(line).is_some_and(|r| {
                r.len() > MAX_LINE_CHARS && text[r].chars().nth(MAX_LINE_CHARS).is_some()
            })
        };
        if !lines.iter().any(|(line, _)| long(*line)) {
            return None;
        }
        lines.sort_by_key(|(line, _)| *line);
        let mut excerpt = Self {
            source,
            text: String::new(),
            pieces: Vec::new(),
        };
        for (line, labelled) in lines {
            let whole = source.line_range(line)?;
            let kept = if long(line) {
                windows(text, &whole, labelled)
            } else {
                vec![whole.clone()]
            };
            excerpt.push(line, &whole, kept);
        }
        Some(excerpt)
    }

    fn push(&mut self, line: usize, whole: &Range<usize>, windows: Vec<Range<usize>>) {
        let start = self.text.len();
        let mut kept = Vec::with_capacity(windows.len());
        let mut previous_end = whole.start;
        for window in windows {
            if window.start > previous_end {
                self.text.push_str(ELLIPSIS);
            }
            kept.push((self.text.len(), window.clone()));
            self.text.push_str(&self.source.text()[window.clone()]);
            previous_end = window.end;
        }
        if previous_end < whole.end {
            self.text.push_str(ELLIPSIS);
        }
        let end = self.text.len();
        self.text.push('\n');
        self.pieces.push(Piece {
            line,
            range: start..end,
            kept,
        });
    }

    /// Where an original byte offset is in the excerpt's text (clamped to
    /// the kept text of its line).
    pub(super) fn map(&self, offset: usize) -> usize {
        let line = self
            .source
            .line_index(u32::try_from(offset).unwrap_or(u32::MAX));
        let Some(piece) = self.pieces.iter().find(|p| p.line == line) else {
            return 0;
        };
        let (at, original) = piece.part_of_original(offset);
        at + (offset.clamp(original.start, original.end) - original.start)
    }

    fn piece_at(&self, byte: usize) -> Option<&Piece> {
        self.pieces
            .iter()
            .rev()
            .find(|p| p.range.start <= byte)
            .or_else(|| self.pieces.first())
    }
}

/// The parts of `line` to keep: each label with up to [`CONTEXT_CHARS`]
/// characters on each side, on character boundaries; labels whose windows
/// meet share one.
fn windows(text: &str, line: &Range<usize>, mut labelled: Vec<Range<usize>>) -> Vec<Range<usize>> {
    labelled.sort_by_key(|r| r.start);
    let mut windows: Vec<Range<usize>> = Vec::new();
    for range in labelled {
        let window = around(text, line, &range);
        match windows.last_mut() {
            Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
            _ => windows.push(window),
        }
    }
    windows
}

/// `range` and up to [`CONTEXT_CHARS`] characters of `line` on each side.
fn around(text: &str, line: &Range<usize>, range: &Range<usize>) -> Range<usize> {
    let before = &text[line.start..range.start];
    let start = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS.saturating_sub(1))
        .map_or(line.start, |(i, _)| line.start + i);
    let after = &text[range.end..line.end];
    let end = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(line.end, |(i, _)| range.end + i);
    start..end
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.source.name())
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        self.piece_at(byte_index)
            .map(|p| p.line)
            .ok_or(FilesError::FileMissing)
    }

    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let piece = self.piece_at(byte_index).ok_or(FilesError::FileMissing)?;
        let (at, kept) = piece.part_of_excerpt(byte_index);
        let original = (kept.start + byte_index.saturating_sub(*at)).min(kept.end);
        Ok(self
            .source
            .line_col(u32::try_from(original).unwrap_or(u32::MAX))
            .column as usize)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        // A line without labels is never drawn; an empty range stands for it.
        Ok(self
            .pieces
            .iter()
            .find(|p| p.line == line_index)
            .map_or(self.text.len()..self.text.len(), |p| p.range.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_not_excerpted() {
        let source = SourceFile::new("t.yaml", "Port: 6379\n");
        assert!(Excerpt::new(&source, std::slice::from_ref(&(6..10))).is_none());
    }

    #[test]
    fn labels_far_apart_on_a_long_line_get_a_window_each() {
        let line = format!(
            "{{\"Default\": 6379{}\"Port\": 6379}}",
            ", \"x\": 1".repeat(100)
        );
        let source = SourceFile::new("t.json", line.as_str());
        let first = line.find("6379").unwrap();
        let last = line.rfind("6379").unwrap();
        let excerpt = Excerpt::new(&source, &[first..first + 4, last..last + 4]).unwrap();
        let shown = excerpt.text.trim_end();
        assert_eq!(shown.matches('…').count(), 1, "{shown}");
        assert!(
            shown.chars().count() <= 2 * (4 + 2 * CONTEXT_CHARS) + 1,
            "{shown}"
        );
        for at in [first, last] {
            let mapped = excerpt.map(at);
            assert_eq!(&excerpt.text[mapped..mapped + 4], "6379");
            let column = excerpt.column_number((), 0, mapped).unwrap();
            assert_eq!(column, line[..at].chars().count() + 1);
        }
    }

    #[test]
    fn a_long_line_keeps_its_labels_and_some_context() {
        let line = format!(
            "{{{}\"Port\": 6379{}}}",
            " ".repeat(300),
            ", \"x\": 1".repeat(50)
        );
        let source = SourceFile::new("t.json", line.as_str());
        let at = line.find("6379").unwrap();
        let excerpt = Excerpt::new(&source, std::slice::from_ref(&(at..at + 4))).unwrap();
        let shown = excerpt.text.trim_end();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(
            shown.chars().count() <= 4 + 2 * CONTEXT_CHARS + 2,
            "{shown}"
        );
        let mapped = excerpt.map(at);
        assert_eq!(&excerpt.text[mapped..mapped + 4], "6379");
        assert_eq!(excerpt.line_index((), mapped).unwrap(), 0);
        // Columns are the original ones.
        let column = excerpt.column_number((), 0, mapped).unwrap();
        assert_eq!(column, line[..at].chars().count() + 1);
    }
}
