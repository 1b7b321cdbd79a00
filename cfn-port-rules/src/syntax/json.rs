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
    if let Some(parsed) = fast::parse(source.text(), limits) {
        return parsed;
    }
    parse_with_jsonc(source, limits)
}

/// The full path: `jsonc-parser`'s diagnostics, then YAML flow syntax.
fn parse_with_jsonc(source: &SourceFile, limits: &Limits) -> Parsed {
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

/// A strict JSON reader straight into the node tree, for the common case:
/// plain RFC 8259 JSON within the limits. It builds exactly the tree and
/// duplicate-key diagnostics that `jsonc-parser` plus [`Converter`] build,
/// without the intermediate AST (about four times faster), and gives up on
/// anything else (a syntax error, a comment, a surrogate `\u` escape, a
/// limit reached), leaving the decision and its diagnostics to the full path.
mod fast {
    use std::borrow::Cow;

    use super::super::{
        Builder, DuplicateKeys, Entry, Key, NodeId, NodeKind, Parsed, Scalar, ScalarStyle,
        ScalarType, duplicate_key_diagnostic,
    };
    use crate::diagnostic::Diagnostic;
    use crate::limits::Limits;
    use crate::source::{Format, Span};

    /// Below `jsonc-parser`'s own nesting limit (512), so that limit's
    /// diagnostic always comes from the full path.
    const MAX_NESTING: usize = 500;

    /// The input is not plain JSON within the limits: use the full path.
    struct GiveUp;

    struct Reader<'t, 'l> {
        text: &'t str,
        bytes: &'t [u8],
        pos: usize,
        limits: &'l Limits,
        builder: Builder,
        diagnostics: Vec<Diagnostic>,
        /// Entries and items of the open collections, so each collection is
        /// allocated once, at its exact size.
        entries: Vec<Entry>,
        items: Vec<NodeId>,
    }

    pub(super) fn parse(text: &str, limits: &Limits) -> Option<Parsed> {
        let mut reader = Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            limits,
            builder: Builder {
                nodes: Vec::with_capacity(text.len() / 16),
            },
            diagnostics: Vec::new(),
            entries: Vec::new(),
            items: Vec::new(),
        };
        reader.skip_whitespace();
        let root = reader.value(0).ok()?;
        reader.skip_whitespace();
        if reader.pos != reader.bytes.len() {
            return None;
        }
        reader.builder.nodes.shrink_to_fit();
        Some(Parsed {
            document: Some(reader.builder.finish(root, Format::Json)),
            diagnostics: reader.diagnostics,
        })
    }

    impl<'t> Reader<'t, '_> {
        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        fn skip_whitespace(&mut self) {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
                self.pos += 1;
            }
        }

        fn expect(&mut self, byte: u8) -> Result<(), GiveUp> {
            if self.peek() == Some(byte) {
                self.pos += 1;
                Ok(())
            } else {
                Err(GiveUp)
            }
        }

        /// One value, its children pushed before it, as [`super::Converter`] does.
        fn value(&mut self, depth: usize) -> Result<NodeId, GiveUp> {
            if self.builder.nodes.len() >= self.limits.max_nodes {
                return Err(GiveUp);
            }
            let start = self.pos;
            let kind = match self.peek().ok_or(GiveUp)? {
                b'{' => self.object(depth)?,
                b'[' => self.array(depth)?,
                b'"' => {
                    let value = self.string()?;
                    scalar(&value, ScalarStyle::DoubleQuoted, ScalarType::String)
                }
                b't' => self.word("true", ScalarType::Bool)?,
                b'f' => self.word("false", ScalarType::Bool)?,
                b'n' => self.word("null", ScalarType::Null)?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return Err(GiveUp),
            };
            Ok(self.builder.push(Span::new(start, self.pos), kind))
        }

        fn word(&mut self, word: &'static str, ty: ScalarType) -> Result<NodeKind, GiveUp> {
            if !self.bytes[self.pos..].starts_with(word.as_bytes()) {
                return Err(GiveUp);
            }
            self.pos += word.len();
            Ok(scalar(word, ScalarStyle::Plain, ty))
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        fn number(&mut self) -> Result<NodeKind, GiveUp> {
            let start = self.pos;
            if self.peek() == Some(b'-') {
                self.pos += 1;
            }
            match self.peek() {
                Some(b'0') => self.pos += 1,
                Some(b'1'..=b'9') => self.digits(),
                _ => return Err(GiveUp),
            }
            let mut ty = ScalarType::Int;
            if self.peek() == Some(b'.') {
                self.pos += 1;
                self.at_least_one_digit()?;
                ty = ScalarType::Float;
            }
            if let Some(b'e' | b'E') = self.peek() {
                self.pos += 1;
                if let Some(b'+' | b'-') = self.peek() {
                    self.pos += 1;
                }
                self.at_least_one_digit()?;
                ty = ScalarType::Float;
            }
            Ok(scalar(&self.text[start..self.pos], ScalarStyle::Plain, ty))
        }

        fn digits(&mut self) {
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }

        fn at_least_one_digit(&mut self) -> Result<(), GiveUp> {
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(GiveUp);
            }
            self.digits();
            Ok(())
        }

        /// A string's decoded text; `pos` is at its opening quote.
        fn string(&mut self) -> Result<Cow<'t, str>, GiveUp> {
            let start = self.pos + 1;
            let end = start + memchr::memchr2(b'"', b'\\', &self.bytes[start..]).ok_or(GiveUp)?;
            if self.bytes[end] == b'"' {
                self.pos = end + 1;
                return Ok(Cow::Borrowed(&self.text[start..end]));
            }
            let mut decoded = String::with_capacity(end - start + 16);
            let mut segment = start;
            self.pos = end;
            loop {
                let at = self.pos;
                match self.bytes.get(at).ok_or(GiveUp)? {
                    b'"' => {
                        decoded.push_str(&self.text[segment..at]);
                        self.pos = at + 1;
                        return Ok(Cow::Owned(decoded));
                    }
                    b'\\' => {
                        decoded.push_str(&self.text[segment..at]);
                        let escaped = match self.bytes.get(at + 1).ok_or(GiveUp)? {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{08}',
                            b'f' => '\u{0C}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            b'u' => {
                                let hex = self.text.get(at + 2..at + 6).ok_or(GiveUp)?;
                                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                    return Err(GiveUp);
                                }
                                let code = u32::from_str_radix(hex, 16).map_err(|_| GiveUp)?;
                                // Surrogates (pairs and strays) are jsonc-parser's to judge.
                                let c = char::from_u32(code).ok_or(GiveUp)?;
                                self.pos = at + 6;
                                segment = self.pos;
                                decoded.push(c);
                                continue;
                            }
                            _ => return Err(GiveUp),
                        };
                        decoded.push(escaped);
                        self.pos = at + 2;
                        segment = self.pos;
                    }
                    _ => {
                        let rest = &self.bytes[at..];
                        self.pos = at + memchr::memchr2(b'"', b'\\', rest).ok_or(GiveUp)?;
                    }
                }
            }
        }

        fn array(&mut self, depth: usize) -> Result<NodeKind, GiveUp> {
            if depth >= self.limits.max_depth || depth >= MAX_NESTING {
                return Err(GiveUp);
            }
            self.pos += 1;
            self.skip_whitespace();
            let mark = self.items.len();
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(NodeKind::Sequence(Box::new([])));
            }
            loop {
                let item = self.value(depth + 1)?;
                self.items.push(item);
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_whitespace();
                    }
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(GiveUp),
                }
            }
            Ok(NodeKind::Sequence(self.items.drain(mark..).collect()))
        }

        fn object(&mut self, depth: usize) -> Result<NodeKind, GiveUp> {
            if depth >= self.limits.max_depth || depth >= MAX_NESTING {
                return Err(GiveUp);
            }
            self.pos += 1;
            self.skip_whitespace();
            let mark = self.entries.len();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(NodeKind::Mapping(Box::new([])));
            }
            let mut duplicates = DuplicateKeys::default();
            loop {
                if self.peek() != Some(b'"') {
                    return Err(GiveUp);
                }
                let key_start = self.pos;
                let text: Box<str> = self.string()?.into();
                let key = Key {
                    text,
                    span: Span::new(key_start, self.pos),
                };
                self.skip_whitespace();
                self.expect(b':')?;
                self.skip_whitespace();
                let open = &self.entries[mark..];
                if let Some(first) = duplicates.check(open, &key.text) {
                    let diagnostic = duplicate_key_diagnostic(&key, &open[first].key);
                    self.diagnostics.push(diagnostic);
                }
                let value = self.value(depth + 1)?;
                self.entries.push(Entry { key, value });
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_whitespace();
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(GiveUp),
                }
            }
            Ok(NodeKind::Mapping(self.entries.drain(mark..).collect()))
        }
    }

    fn scalar(value: &str, style: ScalarStyle, ty: ScalarType) -> NodeKind {
        NodeKind::Scalar(Scalar {
            value: value.into(),
            style,
            ty,
        })
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::{fast, parse_with_jsonc};
    use crate::limits::Limits;
    use crate::source::SourceFile;
    use crate::syntax::Parsed;

    /// The fast path either gives up or builds what the full path builds.
    fn same_as_full_path(text: &str, limits: &Limits) -> bool {
        let Some(fast) = fast::parse(text, limits) else {
            return false;
        };
        let full = parse_with_jsonc(&SourceFile::new("t.json", text), limits);
        assert_same(&fast, &full, text);
        true
    }

    fn assert_same(fast: &Parsed, full: &Parsed, text: &str) {
        assert_eq!(fast.diagnostics, full.diagnostics, "{text}");
        let (a, b) = (fast.document.as_ref(), full.document.as_ref());
        let (a, b) = (a.expect("fast document"), b.expect("full document"));
        assert_eq!(
            (a.root(), a.format(), a.len()),
            (b.root(), b.format(), b.len()),
            "{text}"
        );
        for i in 0..a.len() {
            let id = crate::syntax::NodeId(u32::try_from(i).expect("small"));
            assert_eq!(a.node(id), b.node(id), "node {i} of {text}");
        }
    }

    #[test]
    fn plain_json_takes_the_fast_path_and_builds_the_same_tree() {
        let limits = Limits::default();
        for text in [
            "{}",
            "[]",
            " \t\r\n{ \"a\" : [ 1 , -0.5e+3, 2E7, 0, -12, true, false, null, \"\" ] }\n",
            r#"{"Resources": {"C": {"Type": "AWS::ElastiCache::CacheCluster", "Properties": {"Port": "6379"}}}}"#,
            r#"{"esc": "q\" b\\ s\/ \b\f\n\r\t \u00e9\u20AC end", "raw": "tab\there é😀"}"#,
            r#"{"dup": 1, "dup": {"x": [ {"dup": 2, "dup": 3} ]}}"#,
            r#"{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":18}"#,
            "\"just a string\"",
            "6379",
        ] {
            assert!(
                same_as_full_path(text, &limits),
                "fast path gave up on {text}"
            );
        }
    }

    #[test]
    fn anything_else_is_left_to_the_full_path() {
        let limits = Limits::default();
        for text in [
            "",
            "   ",
            "{\"a\": 1,}",
            "[1 2]",
            "{\"a\": 1} // comment",
            "{\"a\": 01}",
            "{\"a\": .5}",
            "{\"a\": 1.}",
            "{\"a\": +1}",
            "{\"a\": 0x1F}",
            "{\"a\": NaN}",
            "{\"a\": truex}",
            "{'a': 1}",
            "{a: 1}",
            "{\"a\": \"\\ud83d\\ude00\"}",
            "{\"a\": \"\\x41\"}",
            "{\"a\": \"open",
            "{\"a\": 1}\u{000B}",
            "{\"a\": 1} {}",
        ] {
            assert!(
                !same_as_full_path(text, &limits),
                "fast path accepted {text:?}"
            );
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(!same_as_full_path(&deep, &limits));
        let tight = Limits {
            max_nodes: 3,
            ..Limits::default()
        };
        assert!(!same_as_full_path("[1, 2, 3, 4]", &tight));
        assert!(same_as_full_path("[1, 2, 3]", &tight));
    }

    /// Every JSON file of the shared corpus, when it is there: the fast path
    /// agrees with the full path wherever it does not give up.
    #[test]
    fn fast_path_agrees_with_the_full_path_on_the_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        let Ok(folders) = std::fs::read_dir(&root) else {
            return;
        };
        let limits = Limits::default();
        let (mut fast, mut all) = (0, 0);
        for folder in folders.flatten() {
            let Ok(files) = std::fs::read_dir(folder.path()) else {
                continue;
            };
            for file in files.flatten() {
                let path = file.path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                if text.trim_start().starts_with(['{', '[']) {
                    all += 1;
                    fast += usize::from(same_as_full_path(text, &limits));
                }
            }
        }
        // Nearly all real JSON templates are plain JSON.
        assert!(fast * 10 >= all * 9, "{fast} of {all} took the fast path");
    }
}
