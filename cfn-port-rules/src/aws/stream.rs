//! Splits a text holding several JSON documents one after another (pages of
//! AWS CLI output saved into one file) into the span of each top-level value.
//!
//! Such a stream is not valid JSON, so [`crate::syntax::parse`] rejects it;
//! each value found here is parsed on its own. jsonc-parser's scanner does the
//! tokenising (strings with escapes, numbers), so only the nesting is counted
//! here.

use jsonc_parser::Scanner;
use jsonc_parser::ScannerOptions;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::tokens::Token;

use crate::source::Span;

/// Every token-level leniency off: AWS CLI output is strict JSON.
const STRICT_TOKENS: ScannerOptions = ScannerOptions {
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// Why a text could not be split into JSON values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamError {
    /// Where the problem is.
    pub span: Span,
    /// What is wrong, in words.
    pub message: String,
}

/// The spans of the top-level JSON values in `text`, in order. Whitespace
/// between values is allowed; a text of only whitespace has no values.
///
/// The values are not validated beyond their brackets: a value that is not
/// well-formed inside is reported when it is parsed.
///
/// # Errors
/// A token the scanner rejects, a closing bracket with no opening one, a
/// bracket of the wrong kind, or a value left open at the end of the text.
pub fn split_top_level_values(text: &str) -> Result<Vec<Span>, StreamError> {
    let mut scanner = Scanner::new(text, &STRICT_TOKENS);
    let mut open: Vec<(Token<'static>, usize)> = Vec::new();
    let mut values = Vec::new();
    let mut value_start = 0;
    loop {
        let token = match scanner.scan() {
            Ok(Some(token)) => token,
            Ok(None) => break,
            Err(error) => return Err(scan_error(error.kind(), error.range())),
        };
        let (start, end) = (scanner.token_start(), scanner.token_end());
        match token {
            Token::OpenBrace | Token::OpenBracket => {
                if open.is_empty() {
                    value_start = start;
                }
                let closer = if token == Token::OpenBrace {
                    Token::CloseBrace
                } else {
                    Token::CloseBracket
                };
                open.push((closer, start));
            }
            Token::CloseBrace | Token::CloseBracket => {
                match open.pop() {
                    Some((expected, _)) if expected == token => {}
                    _ => {
                        return Err(StreamError {
                            span: Span::new(start, end),
                            message: format!("unexpected `{}`", token.as_str()),
                        });
                    }
                }
                if open.is_empty() {
                    values.push(Span::new(value_start, end));
                }
            }
            // A scalar at the top level is a whole value; inside a value,
            // scalars, commas and colons are left to the parser.
            _ if open.is_empty() => values.push(Span::new(start, end)),
            _ => {}
        }
    }
    match open.first() {
        Some(&(_, start)) => Err(StreamError {
            span: Span::new(start, text.len()),
            message: "a JSON value is not closed before the end of the file".to_owned(),
        }),
        None => Ok(values),
    }
}

fn scan_error(kind: &ParseErrorKind, range: jsonc_parser::common::Range) -> StreamError {
    StreamError {
        span: Span::new(range.start, range.end),
        message: kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slices(text: &str) -> Vec<&str> {
        split_top_level_values(text)
            .unwrap()
            .into_iter()
            .map(|span| &text[span.range()])
            .collect()
    }

    #[test]
    fn one_document_is_one_value() {
        assert_eq!(slices(" {\"a\": [1, {}]}\n"), ["{\"a\": [1, {}]}"]);
    }

    #[test]
    fn pages_saved_one_after_another_are_separate_values() {
        let text = "{\"CacheClusters\": [], \"Marker\": \"m\"}\n{\"CacheClusters\": []}\n";
        assert_eq!(
            slices(text),
            [
                "{\"CacheClusters\": [], \"Marker\": \"m\"}",
                "{\"CacheClusters\": []}"
            ]
        );
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        assert_eq!(
            slices("{\"k\": \"}]{[\\\"\"} [1]"),
            ["{\"k\": \"}]{[\\\"\"}", "[1]"]
        );
    }

    #[test]
    fn top_level_scalars_are_values() {
        assert_eq!(slices("6379 \"x\" null"), ["6379", "\"x\"", "null"]);
    }

    #[test]
    fn whitespace_only_has_no_values() {
        assert!(split_top_level_values(" \n\t").unwrap().is_empty());
    }

    #[test]
    fn unclosed_value_is_an_error_at_its_opening() {
        let error = split_top_level_values("{} {\"a\": [1").unwrap_err();
        assert_eq!(error.span.start, 3);
    }

    #[test]
    fn mismatched_bracket_is_an_error_at_the_bracket() {
        let error = split_top_level_values("{\"a\": [1}").unwrap_err();
        assert_eq!(error.span, Span::new(8, 9));
    }
}
