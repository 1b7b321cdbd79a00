//! JSON front end: jsonc-parser's scanner, with every leniency off, read
//! straight into the shared node tree; a fallback to YAML flow syntax for the
//! not-quite-JSON real templates hold.
//!
//! Valid JSON is read token by token into the arena, without building
//! jsonc-parser's AST first: on a 2.4 MB template that AST was 15 MB of heap
//! and half of the parse time. Input that is not strict JSON is handed to
//! `jsonc_parser::parse_to_ast`, whose error (kind and range) is the one
//! reported, so the messages are jsonc-parser's own.

use std::borrow::Cow;

use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::tokens::Token;
use jsonc_parser::{
    CollectOptions, CommentCollectionStrategy, ParseOptions, Scanner, ScannerOptions,
};

use super::{
    Builder, DuplicateKeys, Entry, Key, NodeId, NodeKind, Parsed, Scalar, ScalarStyle, ScalarType,
    duplicate_key_diagnostic, yaml,
};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::limits::Limits;
use crate::source::{Format, SourceFile, Span};

/// Every leniency off: what is accepted is RFC 8259 JSON.
const STRICT: ParseOptions = ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// The scanner's share of [`STRICT`]: every token-level leniency off.
const STRICT_TOKENS: ScannerOptions = ScannerOptions {
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// jsonc-parser's own nesting limit, kept so that a `max_depth` above it
/// still bounds the reader's recursion.
const MAX_NESTING: usize = 512;

pub(super) fn parse_json_or_flow_yaml(source: &SourceFile, limits: &Limits) -> Parsed {
    if let Some(problem) = super::charset::json_problem(source.text()) {
        return Parsed {
            document: None,
            diagnostics: vec![problem],
        };
    }
    let stopped_at = match Reader::new(source.text(), limits).read() {
        Ok(parsed) => return parsed,
        Err(Stop::Fatal(diagnostic)) => {
            return Parsed {
                document: None,
                diagnostics: vec![*diagnostic],
            };
        }
        Err(Stop::NotStrict(offset)) => offset,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    // jsonc-parser accepting what the reader stopped at would be a
    // disagreement the tests rule out; report it rather than read half a file.
    let Err(error) = jsonc_parser::parse_to_ast(source.text(), &collect, &STRICT) else {
        return Parsed {
            document: None,
            diagnostics: vec![unexpected_token(source, stopped_at)],
        };
    };
    let json_error = strict_json_error(source, &error);
    // Comments are not JSON and CloudFormation rejects them; reading them as
    // YAML would turn `// text` into a key, so report them as they are.
    if matches!(error.kind(), ParseErrorKind::CommentsNotAllowed) {
        return Parsed {
            document: None,
            diagnostics: vec![
                json_error.with_help("remove the comment: JSON templates cannot have comments"),
            ],
        };
    }
    if matches!(error.kind(), ParseErrorKind::NestingDepthExceeded) {
        return Parsed {
            document: None,
            diagnostics: vec![too_deep(json_error.labels[0].span, limits)],
        };
    }
    // Real templates have trailing commas and raw tabs in strings; cfn-lint
    // reads them as YAML flow syntax, so do the same and say so.
    let mut parsed = yaml::parse_yaml(source, limits);
    if parsed.usable_document().is_some() {
        let label = json_error.labels[0].clone();
        let warning = Diagnostic::new(
            DiagnosticKind::NotStrictJson,
            format!(
                "not strict JSON ({}); read as YAML flow syntax instead",
                json_error.message
            ),
            Label::primary(label.span, label.message),
        )
        .with_note("CloudFormation accepts this, but other JSON tools may not")
        .with_help("make the file strict JSON");
        parsed.diagnostics.insert(0, warning);
        parsed
    } else {
        Parsed {
            document: None,
            diagnostics: vec![json_error],
        }
    }
}

fn strict_json_error(source: &SourceFile, error: &jsonc_parser::errors::ParseError) -> Diagnostic {
    let range = error.range();
    let start = range.start.min(source.text().len());
    let end = range.end.clamp(start, source.text().len());
    let kind = error.kind().to_string();
    Diagnostic::new(
        DiagnosticKind::Syntax,
        format!("JSON syntax error: {}", kind.to_lowercase()),
        Label::primary(Span::new(start, end), kind),
    )
}

fn too_deep(span: Span, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::TooDeep,
        format!(
            "nesting is deeper than the limit of {} levels",
            limits.max_depth
        ),
        Label::primary(span, "this collection is too deep"),
    )
    .with_note("real CloudFormation templates nest a few dozen levels at most")
}

/// Where the reader stopped, when jsonc-parser would not say.
fn unexpected_token(source: &SourceFile, offset: usize) -> Diagnostic {
    let start = offset.min(source.text().len());
    let end = source.text()[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let kind = ParseErrorKind::UnexpectedToken.to_string();
    Diagnostic::new(
        DiagnosticKind::Syntax,
        format!("JSON syntax error: {}", kind.to_lowercase()),
        Label::primary(Span::new(start, end), kind),
    )
}

/// Why the reader stopped.
enum Stop {
    /// The input is not strict JSON; the offset is where that showed.
    NotStrict(usize),
    /// A limit was hit: reported as it is, with no fallback to YAML.
    Fatal(Box<Diagnostic>),
}

/// Reads strict JSON from jsonc-parser's tokens into the node arena.
///
/// Recursion follows the nesting of the input and stops at
/// [`Limits::max_depth`] (and never past [`MAX_NESTING`]).
struct Reader<'t, 'l> {
    scanner: Scanner<'t>,
    builder: Builder,
    diagnostics: Vec<Diagnostic>,
    limits: &'l Limits,
    /// Entries of the objects being read, innermost last. One growing stack
    /// instead of a growing `Vec` per object: each object's entries are
    /// copied out once, at the exact size, when it closes.
    open_entries: Vec<Entry>,
    /// Items of the arrays being read, innermost last.
    open_items: Vec<NodeId>,
}

impl<'t, 'l> Reader<'t, 'l> {
    fn new(text: &'t str, limits: &'l Limits) -> Self {
        Self {
            scanner: Scanner::new(text, &STRICT_TOKENS),
            builder: Builder::for_text(text.len(), limits),
            diagnostics: Vec::new(),
            limits,
            open_entries: Vec::new(),
            open_items: Vec::new(),
        }
    }

    fn read(mut self) -> Result<Parsed, Stop> {
        let Some(first) = self.next()? else {
            return Ok(Parsed {
                document: None,
                diagnostics: vec![
                    Diagnostic::file_error(
                        DiagnosticKind::NotATemplate,
                        "the file holds no JSON value",
                    )
                    .with_position(crate::LineCol { line: 1, column: 1 }),
                ],
            });
        };
        let root = self.value(first, 0)?;
        if self.next()?.is_some() {
            return Err(self.not_strict());
        }
        Ok(Parsed {
            document: Some(self.builder.finish(root, Format::Json)),
            diagnostics: self.diagnostics,
        })
    }

    /// The next token; comments and scanner errors are not strict JSON.
    fn next(&mut self) -> Result<Option<Token<'t>>, Stop> {
        match self.scanner.scan() {
            Ok(Some(Token::CommentLine(_) | Token::CommentBlock(_))) | Err(_) => {
                Err(self.not_strict())
            }
            Ok(token) => Ok(token),
        }
    }

    fn not_strict(&self) -> Stop {
        Stop::NotStrict(self.scanner.token_start())
    }

    fn token_span(&self) -> Span {
        Span::new(self.scanner.token_start(), self.scanner.token_end())
    }

    /// Reads the value that starts with `token`, which was just scanned.
    fn value(&mut self, token: Token<'t>, depth: usize) -> Result<NodeId, Stop> {
        if self.builder.nodes.len() >= self.limits.max_nodes {
            return Err(Stop::Fatal(Box::new(Diagnostic::file_error(
                DiagnosticKind::TooManyNodes,
                format!("the document has more than {} nodes", self.limits.max_nodes),
            ))));
        }
        let span = self.token_span();
        let (style, ty, text) = match token {
            Token::OpenBrace => return self.object(span.start as usize, depth),
            Token::OpenBracket => return self.array(span.start as usize, depth),
            Token::String(text) => (ScalarStyle::DoubleQuoted, ScalarType::String, text),
            Token::Number(text) => {
                let ty = if text.contains(['.', 'e', 'E']) {
                    ScalarType::Float
                } else {
                    ScalarType::Int
                };
                (ScalarStyle::Plain, ty, Cow::Borrowed(text))
            }
            Token::Boolean(b) => (
                ScalarStyle::Plain,
                ScalarType::Bool,
                Cow::Borrowed(if b { "true" } else { "false" }),
            ),
            Token::Null => (ScalarStyle::Plain, ScalarType::Null, Cow::Borrowed("null")),
            _ => return Err(self.not_strict()),
        };
        let scalar = Scalar {
            value: text.as_ref().into(),
            style,
            ty,
        };
        Ok(self.builder.push(span, NodeKind::Scalar(scalar)))
    }

    fn enter(&self, start: usize, depth: usize) -> Result<(), Stop> {
        if depth >= self.limits.max_depth.min(MAX_NESTING) {
            return Err(Stop::Fatal(Box::new(too_deep(
                Span::new(start, start + 1),
                self.limits,
            ))));
        }
        Ok(())
    }

    /// Reads an object whose `{` starts at `start`.
    fn object(&mut self, start: usize, depth: usize) -> Result<NodeId, Stop> {
        self.enter(start, depth)?;
        let base = self.open_entries.len();
        let mut duplicates = DuplicateKeys::default();
        let mut token = self.next()?;
        if token != Some(Token::CloseBrace) {
            loop {
                let Some(Token::String(text)) = token else {
                    return Err(self.not_strict());
                };
                let key = Key {
                    text: text.as_ref().into(),
                    span: self.token_span(),
                };
                if self.next()? != Some(Token::Colon) {
                    return Err(self.not_strict());
                }
                let entries = &self.open_entries[base..];
                if let Some(first) = duplicates.check(entries, &key.text) {
                    self.diagnostics
                        .push(duplicate_key_diagnostic(&key, &entries[first].key));
                }
                let first = self.next()?.ok_or_else(|| self.not_strict())?;
                let value = self.value(first, depth + 1)?;
                self.open_entries.push(Entry { key, value });
                match self.after_element(&Token::CloseBrace)? {
                    Some(next) => token = next,
                    None => break,
                }
            }
        }
        let span = Span::new(start, self.scanner.token_end());
        let entries = self.open_entries.drain(base..).collect();
        Ok(self.builder.push(span, NodeKind::Mapping(entries)))
    }

    /// After an entry or item: a comma and the token after it (`Some`), or
    /// the collection's `close` (`None`); anything else is not strict JSON.
    fn after_element(&mut self, close: &Token<'_>) -> Result<Option<Option<Token<'t>>>, Stop> {
        match self.next()? {
            Some(Token::Comma) => Ok(Some(self.next()?)),
            Some(ref token) if token == close => Ok(None),
            _ => Err(self.not_strict()),
        }
    }

    /// Reads an array whose `[` starts at `start`.
    fn array(&mut self, start: usize, depth: usize) -> Result<NodeId, Stop> {
        self.enter(start, depth)?;
        let base = self.open_items.len();
        let mut token = self.next()?;
        if token != Some(Token::CloseBracket) {
            loop {
                let first = token.ok_or_else(|| self.not_strict())?;
                let item = self.value(first, depth + 1)?;
                self.open_items.push(item);
                match self.after_element(&Token::CloseBracket)? {
                    Some(next) => token = next,
                    None => break,
                }
            }
        }
        let span = Span::new(start, self.scanner.token_end());
        let items = self.open_items.drain(base..).collect();
        Ok(self.builder.push(span, NodeKind::Sequence(items)))
    }
}

#[cfg(test)]
mod tests {
    use jsonc_parser::ast::{ObjectPropName, Value};
    use proptest::prelude::*;

    use super::*;

    /// A node as both readers see it: kind, span and decoded text.
    #[derive(Debug, PartialEq)]
    enum Shape {
        Scalar(Span, String),
        List(Span, Vec<Shape>),
        Map(Span, Vec<(Span, String, Shape)>),
    }

    fn span_of(range: jsonc_parser::common::Range) -> Span {
        Span::new(range.start, range.end)
    }

    fn from_jsonc(value: &Value<'_>) -> Shape {
        match value {
            Value::StringLit(s) => Shape::Scalar(span_of(s.range), s.value.to_string()),
            Value::NumberLit(n) => Shape::Scalar(span_of(n.range), n.value.to_string()),
            Value::BooleanLit(b) => Shape::Scalar(span_of(b.range), b.value.to_string()),
            Value::NullKeyword(n) => Shape::Scalar(span_of(n.range), "null".into()),
            Value::Array(a) => Shape::List(
                span_of(a.range),
                a.elements.iter().map(from_jsonc).collect(),
            ),
            Value::Object(o) => Shape::Map(
                span_of(o.range),
                o.properties
                    .iter()
                    .map(|p| {
                        let (text, range) = match &p.name {
                            ObjectPropName::String(s) => (s.value.to_string(), s.range),
                            ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                        };
                        (span_of(range), text, from_jsonc(&p.value))
                    })
                    .collect(),
            ),
        }
    }

    fn from_document(doc: &super::super::Document, id: NodeId) -> Shape {
        let span = doc.span(id);
        match doc.kind(id) {
            NodeKind::Scalar(s) => Shape::Scalar(span, s.value.to_string()),
            NodeKind::Sequence(items) => {
                Shape::List(span, items.iter().map(|&i| from_document(doc, i)).collect())
            }
            NodeKind::Mapping(entries) => Shape::Map(
                span,
                entries
                    .iter()
                    .map(|e| {
                        (
                            e.key.span,
                            e.key.text.to_string(),
                            from_document(doc, e.value),
                        )
                    })
                    .collect(),
            ),
            NodeKind::Alias(_) => unreachable!("JSON has no aliases"),
        }
    }

    /// Checks that the reader accepts exactly what jsonc-parser's strict
    /// parser accepts, and builds the same tree with the same spans.
    fn assert_agrees(text: &str) {
        let limits = Limits::default();
        let ours = Reader::new(text, &limits).read();
        let collect = CollectOptions {
            comments: CommentCollectionStrategy::Off,
            tokens: false,
        };
        let reference = jsonc_parser::parse_to_ast(text, &collect, &STRICT);
        match (ours, reference) {
            (Ok(parsed), Ok(ast)) => match (parsed.document, ast.value) {
                (Some(doc), Some(value)) => {
                    assert_eq!(
                        from_document(&doc, doc.root()),
                        from_jsonc(&value),
                        "{text:?}"
                    );
                }
                (None, None) => {}
                (doc, value) => panic!("{text:?}: document {doc:?}, jsonc value {value:?}"),
            },
            (Err(Stop::NotStrict(_)), Err(_)) => {}
            (Err(Stop::Fatal(d)), _) => panic!("{text:?}: limit hit: {}", d.message),
            (Ok(_), Err(e)) => panic!("{text:?}: accepted, jsonc-parser says {e}"),
            (Err(Stop::NotStrict(at)), Ok(_)) => {
                panic!("{text:?}: rejected at {at}, jsonc-parser accepts")
            }
        }
    }

    #[test]
    fn agrees_with_jsonc_parser_on_edge_cases() {
        for text in [
            "",
            " ",
            "{}",
            "[]",
            "1",
            "-0.5e+3",
            "\"\\u00e9\\n\"",
            "true",
            "null",
            "{\"a\":1,\"a\":2}",
            "{\"a\":[1,{\"b\":null}]}",
            "\u{feff}{}",
            "{,}",
            "[,]",
            "{\"a\":1,}",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "{'a':1}",
            "[0x10]",
            "[+1]",
            "[.5]",
            "[5.]",
            "[NaN]",
            "[Infinity]",
            "[\"\\x41\"]",
            "[\"a\tb\"]",
            "{} {}",
            "{}//c",
            "/*c*/{}",
            "{\"a\":}",
            "[1",
            "{\"a\":1",
            "\"abc",
            "[tru]",
            "[nul]",
            "{\"a\":1}}",
            "]",
            "{\"a\":{\"b\":[[[]]]}}",
            "[1,,2]",
            "{\"a\"::1}",
            "[\"\\ud800\"]",
        ] {
            assert_agrees(text);
        }
    }

    /// Valid JSON with short strings (escapes included) and numbers.
    fn json() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_string()),
            Just("true".to_string()),
            Just("false".to_string()),
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,2})?([eE][+-]?[0-9])?",
            "[a-zé\\\\\"/ ]{0,4}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[ab]{1,2}", inner), 0..4).prop_map(|v| {
                    let entries: Vec<String> = v
                        .into_iter()
                        .map(|(k, v)| format!("\"{k}\" : {v}"))
                        .collect();
                    format!("{{ {} }}", entries.join(",\n"))
                }),
            ]
        })
    }

    /// Fragments that make JSON invalid, or lenient JSON that strict mode rejects.
    const BREAKERS: &[&str] = &[
        ",", ":", "{", "}", "[", "]", "\"", "//c\n", "/*c*/", "'a'", "0x1", "+1", ".5", "NaN",
        "tru", "\t", "\\", "a", " ", "1",
    ];

    proptest! {
        #[test]
        fn agrees_with_jsonc_parser_on_valid_json(text in json()) {
            assert_agrees(&text);
        }

        #[test]
        fn agrees_with_jsonc_parser_on_broken_json(
            text in json(),
            at in any::<prop::sample::Index>(),
            breaker in prop::sample::select(BREAKERS),
            delete in any::<bool>(),
        ) {
            let mut text = text;
            let boundaries: Vec<usize> =
                text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let at = boundaries[at.index(boundaries.len())];
            if delete && at < text.len() {
                text.remove(at);
            } else {
                text.insert_str(at, breaker);
            }
            assert_agrees(&text);
        }
    }
}
