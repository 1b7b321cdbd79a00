//! JSON front end: strict `jsonc-parser` into the shared node tree, with a
//! fallback to YAML flow syntax for the not-quite-JSON real templates hold.

use jsonc_parser::ast::{Array, Object, ObjectPropName, Value};
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

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

pub(super) fn parse_json_or_flow_yaml(source: &SourceFile, limits: &Limits) -> Parsed {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let error = match jsonc_parser::parse_to_ast(source.text(), &collect, &STRICT) {
        Ok(result) => return from_ast(result.value.as_ref(), limits),
        Err(error) => error,
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

fn from_ast(value: Option<&Value<'_>>, limits: &Limits) -> Parsed {
    let Some(value) = value else {
        return Parsed {
            document: None,
            diagnostics: vec![
                Diagnostic::file_error(
                    DiagnosticKind::NotATemplate,
                    "the file holds no JSON value",
                )
                .with_position(crate::LineCol { line: 1, column: 1 }),
            ],
        };
    };
    let mut converter = Converter {
        builder: Builder::default(),
        diagnostics: Vec::new(),
        limits,
    };
    match converter.value(value, 0) {
        Ok(root) => Parsed {
            document: Some(converter.builder.finish(root, Format::Json)),
            diagnostics: converter.diagnostics,
        },
        Err(fatal) => {
            converter.diagnostics.push(fatal);
            Parsed {
                document: None,
                diagnostics: converter.diagnostics,
            }
        }
    }
}

struct Converter<'l> {
    builder: Builder,
    diagnostics: Vec<Diagnostic>,
    limits: &'l Limits,
}

impl Converter<'_> {
    /// Converts one value. Recursion depth is bounded by jsonc-parser's own
    /// nesting limit (512) and by [`Limits::max_depth`], checked here first.
    fn value(&mut self, value: &Value<'_>, depth: usize) -> Result<NodeId, Diagnostic> {
        if self.builder.nodes.len() >= self.limits.max_nodes {
            return Err(Diagnostic::file_error(
                DiagnosticKind::TooManyNodes,
                format!("the document has more than {} nodes", self.limits.max_nodes),
            ));
        }
        let scalar = |value: &str, style, ty| {
            NodeKind::Scalar(Scalar {
                value: value.into(),
                style,
                ty,
            })
        };
        let (range, kind) = match value {
            Value::StringLit(s) => (
                s.range,
                scalar(&s.value, ScalarStyle::DoubleQuoted, ScalarType::String),
            ),
            Value::NumberLit(n) => {
                let ty = if n.value.contains(['.', 'e', 'E']) {
                    ScalarType::Float
                } else {
                    ScalarType::Int
                };
                (n.range, scalar(n.value, ScalarStyle::Plain, ty))
            }
            Value::BooleanLit(b) => (
                b.range,
                scalar(
                    if b.value { "true" } else { "false" },
                    ScalarStyle::Plain,
                    ScalarType::Bool,
                ),
            ),
            Value::NullKeyword(n) => (
                n.range,
                scalar("null", ScalarStyle::Plain, ScalarType::Null),
            ),
            Value::Array(array) => (array.range, self.array(array, depth)?),
            Value::Object(object) => (object.range, self.object(object, depth)?),
        };
        Ok(self.builder.push(Span::new(range.start, range.end), kind))
    }

    fn check_depth(
        &self,
        depth: usize,
        range: jsonc_parser::common::Range,
    ) -> Result<(), Diagnostic> {
        if depth >= self.limits.max_depth {
            return Err(too_deep(
                Span::new(range.start, range.start + 1),
                self.limits,
            ));
        }
        Ok(())
    }

    fn array(&mut self, array: &Array<'_>, depth: usize) -> Result<NodeKind, Diagnostic> {
        self.check_depth(depth, array.range)?;
        let items = array
            .elements
            .iter()
            .map(|element| self.value(element, depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NodeKind::Sequence(items.into_boxed_slice()))
    }

    fn object(&mut self, object: &Object<'_>, depth: usize) -> Result<NodeKind, Diagnostic> {
        self.check_depth(depth, object.range)?;
        let mut entries: Vec<Entry> = Vec::with_capacity(object.properties.len());
        let mut duplicates = DuplicateKeys::default();
        for property in &object.properties {
            let (text, range) = match &property.name {
                ObjectPropName::String(s) => (&*s.value, s.range),
                ObjectPropName::Word(w) => (w.value, w.range),
            };
            let key = Key {
                text: text.into(),
                span: Span::new(range.start, range.end),
            };
            if let Some(first) = duplicates.check(&entries, text) {
                self.diagnostics
                    .push(duplicate_key_diagnostic(&key, &entries[first].key));
            }
            let value = self.value(&property.value, depth + 1)?;
            entries.push(Entry { key, value });
        }
        Ok(NodeKind::Mapping(entries.into_boxed_slice()))
    }
}
