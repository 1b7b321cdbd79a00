//! Parsing one file with `hcl-edit`: native syntax as a body, JSON syntax
//! as one object expression (JSON is a subset of HCL's expression syntax,
//! and Terraform reads JSON strings as templates, as `hcl-edit` does).

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::source::Span;

/// Deepest bracket nesting read. `hcl-edit` parses recursively, so a file
/// nested thousands deep would exhaust the stack; no real configuration
/// comes near this.
pub const MAX_NESTING: usize = 64;

/// Parse native syntax (`.tf`, `.tfvars`).
///
/// # Errors
/// A located syntax diagnostic, or a nesting diagnostic before parsing.
pub fn parse_native(text: &str) -> Result<Body, Box<Diagnostic>> {
    check_nesting(text)?;
    hcl_edit::parser::parse_body(text).map_err(|error| Box::new(syntax_error(text, &error)))
}

/// Parse JSON syntax (`.tf.json`, `.tfvars.json`) into its top-level object.
///
/// # Errors
/// A located syntax diagnostic; an empty file or a top level that is not an
/// object is one too, as Terraform rejects both.
pub fn parse_json(text: &str) -> Result<Expression, Box<Diagnostic>> {
    check_nesting(text)?;
    let expr =
        hcl_edit::parser::parse_expr(text).map_err(|error| Box::new(syntax_error(text, &error)))?;
    if expr.is_object() {
        Ok(expr)
    } else {
        let span = super::span_of(&expr).unwrap_or(Span::empty(0));
        Err(Box::new(Diagnostic::new(
            DiagnosticKind::Syntax,
            "a Terraform JSON file must hold one JSON object",
            Label::primary(span, "expected an object here"),
        )))
    }
}

fn syntax_error(text: &str, error: &hcl_edit::parser::Error) -> Diagnostic {
    let offset = floor_char_boundary(text, error.location().offset().min(text.len()));
    let end = text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    Diagnostic::new(
        DiagnosticKind::Syntax,
        format!("invalid HCL: {}", first_line(error.message())),
        Label::primary(Span::new(offset, end), "the parser stopped here"),
    )
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Rejects text whose brackets nest deeper than [`MAX_NESTING`], outside
/// strings and comments, with the place it gets too deep.
fn check_nesting(text: &str) -> Result<(), Box<Diagnostic>> {
    match too_deep_at(text.as_bytes()) {
        Some(offset) => Err(Box::new(Diagnostic::new(
            DiagnosticKind::TooDeep,
            format!("brackets nest deeper than {MAX_NESTING} levels; the file is not read"),
            Label::primary(Span::new(offset, offset + 1), "too deep here"),
        ))),
        None => Ok(()),
    }
}

fn too_deep_at(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i + 1),
            b'#' => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&bytes[i + 2..], b"*/")
                    .map_or(bytes.len(), |at| i + 2 + at + 2);
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// Skips a quoted string, counting `${` … `}` interpolations as nesting
/// would be too clever: an interpolation's brackets are scanned as text.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\n' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |at| i + at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_points_at_where_the_parser_stopped() {
        let error = parse_native("resource \"a\" \"b\" {\n  port = \n}\n").unwrap_err();
        assert_eq!(error.kind, DiagnosticKind::Syntax);
        assert!(error.primary_span().unwrap().start >= 20);
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let text = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let error = parse_native(&text).unwrap_err();
        assert_eq!(error.kind, DiagnosticKind::TooDeep);
    }

    #[test]
    fn nesting_at_the_limit_parses() {
        let depth = MAX_NESTING - 1;
        let text = format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
        assert!(parse_native(&text).is_ok());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = format!("# {}\nx = \"{}\"\n", "[".repeat(500), "(".repeat(500));
        assert!(parse_native(&text).is_ok());
    }

    #[test]
    fn an_empty_json_file_is_an_error() {
        assert_eq!(parse_json("").unwrap_err().kind, DiagnosticKind::Syntax);
        assert_eq!(parse_json("[1]").unwrap_err().kind, DiagnosticKind::Syntax);
        assert!(parse_json("{\"variable\": {\"port\": {\"default\": 6379}}}").is_ok());
    }
}
