//! Parsing one file with `hcl-edit`: native syntax as a body, JSON syntax
//! as one object expression (JSON is a subset of HCL's expression syntax,
//! and Terraform reads JSON strings as templates, as `hcl-edit` does).

use std::ops::ControlFlow;

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::structure::Body;
use hcl_edit::template::{Element, StringTemplate};
use hcl_edit::visit::{self, Visit};

use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::source::Span;

/// Deepest bracket nesting read. `hcl-edit` parses recursively, so a file
/// nested thousands deep would exhaust the stack; no real configuration
/// comes near this.
pub const MAX_NESTING: usize = 64;

/// A parsed file and the warnings found while reading it.
pub type Parsed<T> = Result<(T, Vec<Diagnostic>), Box<Diagnostic>>;

/// Parse native syntax (`.tf`, `.tfvars`).
///
/// # Errors
/// A located syntax diagnostic, or a nesting diagnostic before parsing.
pub fn parse_native(text: &str) -> Parsed<Body> {
    check_nesting(text)?;
    parse_checked(text)
}

/// A file larger than this is parsed in pieces of about this size.
pub const PIECE_BYTES: usize = 256 * 1024;

/// What [`parse_native_pieces`] did.
#[derive(Debug)]
pub enum Pieces {
    /// Every piece parsed and was handed over; the warnings of all.
    Read(Vec<Diagnostic>),
    /// A piece did not parse, so the whole file was parsed as one: what was
    /// handed over so far is to be discarded, and this is the result.
    Whole(Parsed<Body>),
}

/// Parse native syntax in pieces: the top-level blocks of a large file a
/// few hundred kilobytes at a time, each piece's body handed to `each` as
/// soon as it is parsed, so that `hcl-edit`'s syntax tree (some 40 bytes
/// per byte of text) is never built for the whole file at once.
///
/// Each piece is parsed with the text before it blanked out, so its spans
/// are offsets into the whole file. When a piece does not parse (the cut
/// fell somewhere it should not, or the file has an error), the whole file
/// is parsed instead ([`Pieces::Whole`]), so errors and results are those of
/// [`parse_native`].
pub fn parse_native_pieces(text: &str, each: impl FnMut(Body)) -> Pieces {
    parse_native_pieces_sized(text, PIECE_BYTES, each)
}

fn parse_native_pieces_sized(text: &str, piece: usize, mut each: impl FnMut(Body)) -> Pieces {
    if let Err(error) = check_nesting(text) {
        return Pieces::Whole(Err(error));
    }
    let cuts = piece_starts(text.as_bytes(), piece);
    // One buffer of blanks the length of the text: each piece is copied in
    // at its own offset, parsed with the blanks before it, and blanked
    // again, so the copying is linear in the text.
    let mut padded = if cuts.len() > 1 {
        vec![b' '; text.len()]
    } else {
        Vec::new()
    };
    let mut warnings = Vec::new();
    for (i, &start) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(text.len());
        let parsed = if cuts.len() == 1 {
            parse_checked(text)
        } else {
            padded[start..end].copy_from_slice(&text.as_bytes()[start..end]);
            // Pieces start at line starts, so the bytes are whole characters.
            let Ok(current) = std::str::from_utf8(&padded[..end]) else {
                return Pieces::Whole(parse_checked(text));
            };
            let parsed = parse_checked(current);
            padded[start..end].fill(b' ');
            parsed
        };
        match parsed {
            Ok((body, more)) => {
                each(body);
                warnings.extend(more);
            }
            Err(error) if cuts.len() == 1 => return Pieces::Whole(Err(error)),
            Err(_) => return Pieces::Whole(parse_checked(text)),
        }
    }
    Pieces::Read(warnings)
}

/// Where the pieces of a file start: offset 0, then the first line start
/// after every `piece` bytes that follows a line closing a top-level block
/// (`}` at nesting 0, outside strings, comments and heredocs).
fn piece_starts(bytes: &[u8], piece: usize) -> Vec<usize> {
    let mut starts = vec![0];
    if bytes.len() < 2 * piece {
        return starts;
    }
    let mut depth = 0usize;
    let mut last_closing = false;
    let _ = for_each_code_byte(bytes, |i, byte| {
        match byte {
            b'(' | b'[' | b'{' => {
                depth += 1;
                last_closing = false;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                last_closing = depth == 0 && byte == b'}';
            }
            b'\n' => {
                let start = i + 1;
                if depth == 0 && last_closing && start - starts[starts.len() - 1] >= piece {
                    starts.push(start);
                }
                last_closing = false;
            }
            b' ' | b'\t' | b'\r' => {}
            _ => last_closing = false,
        }
        ControlFlow::<()>::Continue(())
    });
    if bytes.len() - starts[starts.len() - 1] < piece / 2 && starts.len() > 1 {
        starts.pop();
    }
    starts
}

/// Skips a heredoc from just after its `<<`: to the end of the line whose
/// trimmed text is the heredoc's marker.
fn skip_heredoc(bytes: &[u8], i: usize) -> usize {
    let start = if bytes.get(i) == Some(&b'-') {
        i + 1
    } else {
        i
    };
    let end = bytes[start..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'))
        .map_or(bytes.len(), |n| start + n);
    let marker = &bytes[start..end];
    if marker.is_empty() {
        return i;
    }
    let mut line = skip_line(bytes, end);
    while line < bytes.len() {
        let next = skip_line(bytes, line);
        if bytes[line..next].trim_ascii() == marker {
            return next;
        }
        line = next;
    }
    bytes.len()
}

/// Parse native syntax whose nesting is checked.
fn parse_checked(text: &str) -> Parsed<Body> {
    let (body, warnings) = parse_tolerating_repeated_keys(text, hcl_edit::parser::parse_body)?;
    let mut strict = StrictHcl {
        text,
        problem: None,
    };
    strict.visit_body(&body);
    match strict.problem {
        Some(problem) => Err(Box::new(problem)),
        None => Ok((body, warnings)),
    }
}

/// What Terraform's parser rejects and `hcl-edit` accepts: a quoted string
/// with a line break in it (HCL 1 syntax) and a number followed by
/// `.digits` (`10.11.10.12/32` written without quotes).
struct StrictHcl<'t> {
    text: &'t str,
    problem: Option<Diagnostic>,
}

impl StrictHcl<'_> {
    fn report(&mut self, span: Span, message: &str, label: &str) {
        if self.problem.is_none() {
            self.problem = Some(Diagnostic::new(
                DiagnosticKind::Syntax,
                message,
                Label::primary(span, label),
            ));
        }
    }

    fn check_quoted(&mut self, span: Option<Span>) {
        let Some(span) = span else { return };
        if let Some(at) = self.text.get(span.range()).and_then(|raw| raw.find('\n')) {
            let offset = span.start as usize + at;
            self.report(
                Span::new(offset, offset + 1),
                "invalid HCL: a quoted string cannot span lines (use a heredoc)",
                "line break in a quoted string",
            );
        }
    }
}

impl Visit for StrictHcl<'_> {
    fn visit_expr(&mut self, expr: &Expression) {
        if let Expression::String(_) = expr {
            self.check_quoted(super::span_of(expr));
        }
        visit::visit_expr(self, expr);
    }

    fn visit_string_template(&mut self, template: &StringTemplate) {
        for element in template {
            if let Element::Literal(literal) = element {
                self.check_quoted(super::span_of(literal));
            }
        }
        visit::visit_string_template(self, template);
    }

    fn visit_traversal(&mut self, traversal: &Traversal) {
        let legacy_index = traversal
            .operators
            .first()
            .is_some_and(|op| matches!(op.value(), TraversalOperator::LegacyIndex(_)));
        if traversal.expr.is_number() && legacy_index {
            let span = super::span_of(traversal).unwrap_or_default();
            self.report(span, "invalid HCL: invalid number literal", "not a number");
        }
        visit::visit_traversal(self, traversal);
    }
}

/// Parse JSON syntax (`.tf.json`, `.tfvars.json`) into its top-level object.
///
/// # Errors
/// A located syntax diagnostic; an empty file or a top level that is not an
/// object is one too, as Terraform rejects both.
pub fn parse_json(text: &str) -> Parsed<Expression> {
    check_nesting(text)?;
    // hcl-edit's expression parser takes no trailing line break; the spans
    // are unchanged by cutting the end.
    let (expr, warnings) =
        parse_tolerating_repeated_keys(text.trim_end(), hcl_edit::parser::parse_expr)?;
    if expr.is_object() {
        Ok((expr, warnings))
    } else {
        let span = super::span_of(&expr).unwrap_or(Span::empty(0));
        Err(Box::new(Diagnostic::new(
            DiagnosticKind::Syntax,
            "a Terraform JSON file must hold one JSON object",
            Label::primary(span, "expected an object here"),
        )))
    }
}

/// The most repeated object keys tolerated in one file.
const MAX_REPEATED_KEYS: usize = 64;

/// hcl-edit rejects a key repeated in an object constructor while parsing;
/// Terraform parses the file and rejects the object only if it evaluates
/// it (often a dashboard's `jsonencode`, far from any port). So the repeated
/// key is renamed in a copy of the text (same length: spans stay exact), the
/// text parsed again, and each repetition reported as a warning.
fn parse_tolerating_repeated_keys<T>(
    text: &str,
    parse: impl Fn(&str) -> Result<T, hcl_edit::parser::Error>,
) -> Parsed<T> {
    let mut patched: Option<String> = None;
    let mut warnings = Vec::new();
    loop {
        let current = patched.as_deref().unwrap_or(text);
        let error = match parse(current) {
            Ok(parsed) => return Ok((parsed, warnings)),
            Err(error) => error,
        };
        let repeated =
            error.message().contains("redefined object key") && warnings.len() < MAX_REPEATED_KEYS;
        let Some((key, rename_at)) = repeated
            .then(|| repeated_key(current, error.location().offset()))
            .flatten()
        else {
            return Err(Box::new(syntax_error(text, &error)));
        };
        let mut warning = Diagnostic::new(
            DiagnosticKind::DuplicateKey,
            "this object repeats a key; Terraform rejects the object when it evaluates it",
            Label::primary(key, "repeated key"),
        );
        warning.severity = crate::diagnostic::Severity::Warning;
        warnings.push(warning);
        let mut owned = current.to_owned();
        owned.replace_range(rename_at..=rename_at, "_");
        patched = Some(owned);
    }
}

/// The span of the key at `offset` and the byte to rename: the key's first
/// character (after the quote of a quoted key), when it is ASCII and not `_`.
fn repeated_key(text: &str, offset: usize) -> Option<(Span, usize)> {
    let rest = text.get(offset..)?;
    let (quoted, body_start) = if rest.starts_with('"') {
        (true, offset + 1)
    } else {
        (false, offset)
    };
    let body = text.get(body_start..)?;
    let len = if quoted {
        body.find('"')?
    } else {
        body.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(body.len())
    };
    let first = *body.as_bytes().first()?;
    if len == 0 || !first.is_ascii_alphanumeric() {
        return None;
    }
    let end = body_start + len + usize::from(quoted);
    Some((Span::new(offset, end), body_start))
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

/// Brackets still open at the end of the text from which the file is
/// refused before `hcl-edit` sees it. `hcl-edit` 0.10 backtracks at every
/// open level when the text ends inside them: time doubles with each level
/// (a 573-byte fuzzer input with 22 open braces took 10 s, 6 minutes under
/// AddressSanitizer), while the same text with its brackets closed parses in
/// microseconds. Text that ends with brackets open is not HCL whatever the
/// parser says, and 2^8 is still cheap for the few levels below this.
pub const MAX_OPEN_AT_END: usize = 8;

/// Rejects text whose brackets nest deeper than [`MAX_NESTING`], or that
/// ends with [`MAX_OPEN_AT_END`] or more brackets open, outside strings,
/// comments and heredocs, with the place of the problem.
fn check_nesting(text: &str) -> Result<(), Box<Diagnostic>> {
    match scan_brackets(text.as_bytes()) {
        Brackets::TooDeep(offset) => Err(Box::new(Diagnostic::new(
            DiagnosticKind::TooDeep,
            format!("brackets nest deeper than {MAX_NESTING} levels; the file is not read"),
            Label::primary(Span::new(offset, offset + 1), "too deep here"),
        ))),
        Brackets::OpenAtEnd(open) if open.len() >= MAX_OPEN_AT_END => {
            let first = open[0];
            let bracket = char::from(text.as_bytes()[first]);
            Err(Box::new(
                Diagnostic::new(
                    DiagnosticKind::Syntax,
                    format!(
                        "the file ends with {} brackets still open; the file is not read",
                        open.len()
                    ),
                    Label::primary(
                        Span::new(first, first + 1),
                        format!("this `{bracket}` is never closed"),
                    ),
                )
                .with_help("close every `{`, `[` and `(`"),
            ))
        }
        Brackets::OpenAtEnd(_) => Ok(()),
    }
}

/// What a scan of the brackets found.
enum Brackets {
    /// Nesting passes [`MAX_NESTING`] at this offset.
    TooDeep(usize),
    /// The offsets of the brackets still open at the end, outermost first.
    OpenAtEnd(Vec<usize>),
}

fn scan_brackets(bytes: &[u8]) -> Brackets {
    let mut open: Vec<usize> = Vec::new();
    let flow = for_each_code_byte(bytes, |i, byte| {
        match byte {
            b'(' | b'[' | b'{' if open.len() == MAX_NESTING => return ControlFlow::Break(i),
            b'(' | b'[' | b'{' => open.push(i),
            b')' | b']' | b'}' => {
                open.pop();
            }
            _ => {}
        }
        ControlFlow::Continue(())
    });
    match flow {
        ControlFlow::Break(at) => Brackets::TooDeep(at),
        ControlFlow::Continue(()) => Brackets::OpenAtEnd(open),
    }
}

/// Hands `visit` every byte of HCL text that is code, with its offset:
/// quoted strings, comments and heredocs are skipped (the line feed that
/// ends a `#` or `//` comment is code). The one lexer of the bracket scans
/// ([`piece_starts`], [`scan_brackets`]); stops when `visit` breaks.
fn for_each_code_byte<B>(
    bytes: &[u8],
    mut visit: impl FnMut(usize, u8) -> ControlFlow<B>,
) -> ControlFlow<B> {
    let mut i = 0;
    while i < bytes.len() {
        i = match bytes[i] {
            b'"' => skip_string(bytes, i + 1),
            b'#' => line_end(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => line_end(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => memchr::memmem::find(&bytes[i + 2..], b"*/")
                .map_or(bytes.len(), |at| i + 2 + at + 2),
            // Not a heredoc when no marker follows: step over the `<<`.
            b'<' if bytes.get(i + 1) == Some(&b'<') => skip_heredoc(bytes, i + 2).max(i + 2),
            byte => {
                visit(i, byte)?;
                i + 1
            }
        };
    }
    ControlFlow::Continue(())
}

/// The offset of the line feed ending the line at `i`, or the end.
fn line_end(bytes: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |at| i + at)
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
    fn text_ending_inside_many_brackets_is_refused_before_parsing() {
        // Shaped like the fuzzer input that took hcl-edit 10 s: each level
        // doubled the time.
        let text = "variaavari=ar>h2f!=f!={ar==ivariaavari2f!=f!={".repeat(11);
        let error = parse_native(&text).unwrap_err();
        assert_eq!(error.kind, DiagnosticKind::Syntax);
        assert!(
            error.message.contains("22 brackets still open"),
            "{}",
            error.message
        );
        assert_eq!(error.primary_span(), Some(Span::new(22, 23)));
        // A few open brackets are left to the parser, whose message is better.
        let few = parse_native("x = {\n  y = [\n").unwrap_err();
        assert!(!few.message.contains("still open"), "{}", few.message);
    }

    #[test]
    fn brackets_in_heredocs_do_not_count_as_open() {
        let text = format!("x = <<EOT\n{}\nEOT\n", "{".repeat(20));
        assert!(parse_native(&text).is_ok());
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
    fn a_quoted_string_across_lines_is_an_error_as_in_terraform() {
        let error = parse_native("x = \"${f(\"\n\")}\"\n").unwrap_err();
        assert_eq!(error.primary_span().unwrap().start, 10);
        assert!(parse_native("x = <<EOT\na\nb\nEOT\ny = \"a\\nb\"\n").is_ok());
    }

    #[test]
    fn an_unquoted_address_is_an_invalid_number() {
        let error = parse_native("cidr = 10.11.10.12/32\n").unwrap_err();
        assert!(error.message.contains("number"));
        assert!(parse_native("x = var.list.0\n").is_ok());
    }

    #[test]
    fn a_repeated_object_key_is_a_warning_and_the_file_is_read() {
        let (body, warnings) = parse_native("x = {\n  a = 1\n  a = 2\n}\ny = 3\n").unwrap();
        assert_eq!(body.attributes().count(), 2);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].primary_span(), Some(Span::new(16, 17)));
        let (_, warnings) = parse_json("{\"a\": {\"k\": 1, \"k\": 2}}\n").unwrap();
        assert_eq!(warnings[0].primary_span(), Some(Span::new(15, 18)));
    }

    #[test]
    fn a_large_file_parsed_in_pieces_gives_the_blocks_and_spans_of_a_whole_parse() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!(
                "# block {i}\nresource \"a\" \"r{i}\" {{\n  x = <<EOT\n}}\nEOT\n  y = \"}}\" # }}\n}}\n\n"
            ));
        }
        let starts = piece_starts(text.as_bytes(), 200);
        assert!(starts.len() > 5, "{starts:?}");
        let mut bodies = Vec::new();
        let outcome = parse_native_pieces_sized(&text, 200, |body| bodies.push(body));
        assert!(matches!(outcome, Pieces::Read(_)));
        let (whole, _) = parse_native(&text).unwrap();
        let spans = |body: &Body| -> Vec<_> {
            body.blocks()
                .map(|b| (b.labels[1].as_str().to_owned(), super::super::span_of(b)))
                .collect()
        };
        let pieces: Vec<_> = bodies.iter().flat_map(spans).collect();
        assert_eq!(pieces, spans(&whole));
    }

    #[test]
    fn an_error_in_a_piece_is_the_error_of_the_whole_file() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("resource \"a\" \"r{i}\" {{\n  x = 1\n}}\n"));
        }
        text.push_str("resource \"a\" \"broken\" {\n  x = \n}\n");
        let Pieces::Whole(Err(in_pieces)) = parse_native_pieces_sized(&text, 100, drop) else {
            panic!("the error is not found");
        };
        let whole = parse_native(&text).unwrap_err();
        assert_eq!(in_pieces.message, whole.message);
        assert_eq!(in_pieces.primary_span(), whole.primary_span());
    }

    #[test]
    fn an_empty_json_file_is_an_error() {
        assert_eq!(parse_json("").unwrap_err().kind, DiagnosticKind::Syntax);
        assert_eq!(parse_json("[1]").unwrap_err().kind, DiagnosticKind::Syntax);
        assert!(parse_json("{\"variable\": {\"port\": {\"default\": 6379}}}").is_ok());
    }
}
