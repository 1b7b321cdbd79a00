//! Reading a file's raw bytes as text: the one place that turns an
//! encoding problem (UTF-16, a NUL byte, invalid UTF-8) into a
//! [`Diagnostic`].
//!
//! It sits above both [`crate::source`] and [`crate::diagnostic`], so that
//! `source` (spans, positions) needs nothing from the diagnostics built on
//! it.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::source::{SourceFile, Span};

impl SourceFile {
    /// A source from raw bytes, as read from disk or stdin.
    ///
    /// # Errors
    /// A [`Diagnostic`] with a position when the bytes are not UTF-8 text:
    /// UTF-16 or UTF-32 (with or without a byte order mark), binary data
    /// (a NUL byte), or an invalid UTF-8 sequence.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, Box<Diagnostic>> {
        let name = name.into();
        if let Some(problem) = sniff_non_utf8_encoding(&bytes) {
            return Err(Box::new(Diagnostic::file_error(
                DiagnosticKind::Encoding,
                problem,
            )));
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                let source = Self::new(name, text);
                match memchr::memchr(0, source.text().as_bytes()) {
                    Some(offset) => Err(Box::new(source.binary_error(offset))),
                    None => Ok(source),
                }
            }
            Err(error) => {
                let valid_up_to = error.utf8_error().valid_up_to();
                let bytes = error.into_bytes();
                // Position the error with the valid prefix so the line and
                // column are exact and the label has a real place to point at.
                let prefix = String::from_utf8_lossy(&bytes[..valid_up_to]).into_owned();
                let source = Self::new(name, prefix);
                let at = source.text().len();
                let bad = bytes[valid_up_to];
                Err(Box::new(Diagnostic::new(
                    DiagnosticKind::Encoding,
                    format!("the file is not valid UTF-8: byte 0x{bad:02X} cannot start or continue a character"),
                    Label::primary(Span::empty(at), "invalid UTF-8 here"),
                )
                .with_position(source.line_col(at as u32))
                .with_help("save the file as UTF-8; CloudFormation reads templates as UTF-8")))
            }
        }
    }

    fn binary_error(&self, offset: usize) -> Diagnostic {
        Diagnostic::new(
            DiagnosticKind::Encoding,
            "the file looks binary: it contains a NUL byte",
            Label::primary(Span::new(offset, offset + 1), "NUL byte"),
        )
        .with_position(self.line_col(offset as u32))
    }
}

/// Recognises text in an encoding other than UTF-8, which would otherwise
/// surface as a confusing syntax error far from the real problem.
fn sniff_non_utf8_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0x00, 0x00, 0xFE, 0xFF, ..] | [0xFF, 0xFE, 0x00, 0x00, ..] => Some(
            "the file is UTF-32 encoded (it starts with a UTF-32 byte order mark); save it as UTF-8",
        ),
        [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] => Some(
            "the file is UTF-16 encoded (it starts with a UTF-16 byte order mark); save it as UTF-8",
        ),
        // Without a BOM, UTF-16 text of ASCII characters has a NUL in every
        // other byte: look at the first two code units.
        [0x00, a, 0x00, b, ..] | [a, 0x00, b, 0x00, ..] if *a != 0 && *b != 0 => {
            Some("the file looks UTF-16 encoded (every other byte is NUL); save it as UTF-8")
        }
        _ => None,
    }
}
