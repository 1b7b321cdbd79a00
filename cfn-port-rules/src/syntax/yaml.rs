//! YAML front end: `saphyr-parser-cfn` events into the shared node tree.
//!
//! The tree is built with an explicit stack of open collections, so nesting
//! depth costs heap, not call stack, and is capped by [`Limits::max_depth`].

use std::collections::HashMap;

use compact_str::CompactString;
use saphyr_parser_cfn::{Event, Parser, ScalarStyle as YamlStyle, ScanError, Tag};

use super::{
    Builder, DuplicateKeys, Entry, Key, NodeId, NodeKind, Parsed, Scalar, ScalarStyle, ScalarType,
    duplicate_key_diagnostic,
};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::limits::Limits;
use crate::source::{Format, SourceFile, Span};

/// CloudFormation's YAML short-form tags and the long-form keys they stand for.
pub const SHORT_FORM_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAtt", "Fn::GetAtt"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("Sub", "Fn::Sub"),
    ("Transform", "Fn::Transform"),
    ("And", "Fn::And"),
    ("Equals", "Fn::Equals"),
    ("If", "Fn::If"),
    ("Not", "Fn::Not"),
    ("Or", "Fn::Or"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
];

const CORE_SCHEMA_HANDLE: &str = "tag:yaml.org,2002:";

pub(super) fn parse_yaml(source: &SourceFile, limits: &Limits) -> Parsed {
    if let Some(problem) = super::charset::yaml_problem(source.text()) {
        return Parsed {
            document: None,
            diagnostics: vec![problem],
        };
    }
    let mut tree = TreeBuilder::new(source, limits);
    let mut parser = Parser::new_from_str(source.text());
    while let Some(next) = parser.next_event() {
        let flow = match next {
            Ok((event, span)) => {
                let span = tree.offsets.span(span);
                tree.on_event(event, span)
            }
            Err(error) => {
                let diagnostic = tree.syntax_error(&error);
                tree.diagnostics.push(diagnostic);
                Flow::Stop
            }
        };
        if flow == Flow::Stop {
            break;
        }
    }
    tree.finish()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

/// Properties written before a node: its anchor and its tag, resolved.
#[derive(Clone, Debug)]
struct Props {
    anchor: usize,
    tag: TagMeaning,
    /// Span of the tag token, when there is a tag.
    tag_span: Option<Span>,
    /// Where the node's own content starts, after the properties.
    content_start: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum TagMeaning {
    None,
    /// A short form, standing for this long-form key.
    Intrinsic(&'static str),
    /// Another local tag `!Name`, read as `Fn::Name` the way cfn-lint does
    /// (tools such as Rain add their own, e.g. `!Rain::Embed`).
    OtherLocal(Box<str>),
    /// A YAML core-schema tag forcing a type (`!!str`, `!!int`, ...).
    Core(ScalarType),
    /// A core-schema collection tag (`!!map`, `!!seq`), which changes nothing.
    CoreCollection,
}

/// An open collection.
struct Frame {
    start: Span,
    props: Props,
    /// A block collection (indentation matters), not a flow one (`[...]`, `{...}`).
    block: bool,
    /// Where its children start on the builder's shared `items` or `entries`
    /// stack: one stack for all open collections, so a collection costs one
    /// allocation of the exact size when it closes, not a growing Vec.
    first_child: usize,
    kind: FrameKind,
}

enum FrameKind {
    Sequence,
    Mapping {
        pending_key: Option<Key>,
        duplicates: DuplicateKeys,
    },
}

struct TreeBuilder<'s> {
    source: &'s SourceFile,
    limits: &'s Limits,
    offsets: Offsets<'s>,
    builder: Builder,
    stack: Vec<Frame>,
    /// The children of all open sequences, innermost last.
    items: Vec<NodeId>,
    /// The entries of all open mappings, innermost last.
    entries: Vec<Entry>,
    tabs: TabIndentedLines,
    anchors: HashMap<usize, NodeId>,
    root: Option<NodeId>,
    documents: usize,
    diagnostics: Vec<Diagnostic>,
}

impl<'s> TreeBuilder<'s> {
    fn new(source: &'s SourceFile, limits: &'s Limits) -> Self {
        Self {
            source,
            limits,
            offsets: Offsets::new(source.text()),
            builder: Builder::for_text(source.text().len(), limits),
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            tabs: TabIndentedLines::new(source.text()),
            anchors: HashMap::new(),
            root: None,
            documents: 0,
            diagnostics: Vec::new(),
        }
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> Flow {
        match event {
            Event::DocumentStart(_) => self.on_document_start(span),
            Event::Scalar(value, style, anchor, tag) => {
                let props = self.props(span, anchor, tag.as_deref());
                self.on_scalar(&value, style, props, span)
            }
            Event::SequenceStart(anchor, tag) => {
                let props = self.props(span, anchor, tag.as_deref());
                self.open(span, props, FrameKind::Sequence)
            }
            Event::MappingStart(anchor, tag) => {
                let props = self.props(span, anchor, tag.as_deref());
                let kind = FrameKind::Mapping {
                    pending_key: None,
                    duplicates: DuplicateKeys::default(),
                };
                self.open(span, props, kind)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::Alias(anchor) => self.on_alias(anchor, span),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {
                Flow::Continue
            }
        }
    }

    fn on_document_start(&mut self, span: Span) -> Flow {
        self.documents += 1;
        if self.documents == 1 {
            return Flow::Continue;
        }
        self.diagnostics.push(
            Diagnostic::new(
                DiagnosticKind::MultipleDocuments,
                "the file holds more than one YAML document",
                Label::primary(self.visible(span), "a second document starts here"),
            )
            .with_note("CloudFormation reads a template as exactly one document")
            .with_help("split the documents into separate files"),
        );
        Flow::Stop
    }

    /// The span to show for an event whose own span may be empty (a document
    /// start or a block collection start): one character, when there is one.
    fn visible(&self, span: Span) -> Span {
        if !span.is_empty() {
            return span;
        }
        let start = span.start as usize;
        let len = self.source.text()[start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Span::new(start, start + len)
    }

    fn props(&mut self, span: Span, anchor: usize, tag: Option<&Tag>) -> Props {
        let text = self.source.text();
        // Only skip properties the event has: an indentless sequence starts
        // at its first item, whose own tag must not be taken for the
        // sequence's (`a:\n- !Ref\n` gave the sequence a reversed span).
        let (tag_span, content_start) = if anchor == 0 && tag.is_none() {
            (None, span.start as usize)
        } else {
            skip_properties(text, span.start as usize)
        };
        let meaning = match tag {
            None => TagMeaning::None,
            Some(tag) => match self.tag_meaning(tag, tag_span.unwrap_or(span)) {
                Some(meaning) => meaning,
                None => TagMeaning::None,
            },
        };
        Props {
            anchor,
            tag: meaning,
            tag_span,
            content_start,
        }
    }

    /// What a tag means, or `None` after reporting an unknown tag.
    fn tag_meaning(&mut self, tag: &Tag, tag_span: Span) -> Option<TagMeaning> {
        // saphyr reports the non-specific tag `!` as handle "" and suffix "!":
        // the node is a string, never resolved.
        if tag.handle.is_empty() && tag.suffix == "!" {
            return Some(TagMeaning::Core(ScalarType::String));
        }
        if tag.handle == "!" {
            if let Some(&(_, long)) = SHORT_FORM_TAGS
                .iter()
                .find(|(short, _)| *short == tag.suffix)
            {
                return Some(TagMeaning::Intrinsic(long));
            }
            return Some(TagMeaning::OtherLocal(format!("Fn::{}", tag.suffix).into()));
        } else if tag.handle == CORE_SCHEMA_HANDLE {
            let core = match tag.suffix.as_str() {
                "str" => Some(TagMeaning::Core(ScalarType::String)),
                "int" => Some(TagMeaning::Core(ScalarType::Int)),
                "float" => Some(TagMeaning::Core(ScalarType::Float)),
                "bool" => Some(TagMeaning::Core(ScalarType::Bool)),
                "null" => Some(TagMeaning::Core(ScalarType::Null)),
                "map" | "seq" => Some(TagMeaning::CoreCollection),
                _ => None,
            };
            if core.is_some() {
                return core;
            }
        }
        self.diagnostics.push(unknown_tag(tag, tag_span));
        None
    }

    fn open(&mut self, start: Span, props: Props, kind: FrameKind) -> Flow {
        if self.stack.len() >= self.limits.max_depth {
            self.diagnostics.push(
                Diagnostic::new(
                    DiagnosticKind::TooDeep,
                    format!(
                        "nesting is deeper than the limit of {} levels",
                        self.limits.max_depth
                    ),
                    Label::primary(self.visible(start), "this collection is too deep"),
                )
                .with_note("real CloudFormation templates nest a few dozen levels at most"),
            );
            return Flow::Stop;
        }
        if let Some(flow) = self.reject_complex_key(start) {
            return flow;
        }
        let first_child = match kind {
            FrameKind::Sequence => self.items.len(),
            FrameKind::Mapping { .. } => self.entries.len(),
        };
        self.stack.push(Frame {
            start,
            props,
            block: self.is_block_start(start),
            first_child,
            kind,
        });
        Flow::Continue
    }

    /// Whether a collection whose start event has this span is a block one.
    fn is_block_start(&self, start: Span) -> bool {
        // A flow collection's start event covers its bracket (and sometimes
        // the blanks after it); a block collection's is empty or its tag.
        let opening = self.source.slice(start).trim_end();
        !(opening.ends_with('[') || opening.ends_with('{'))
    }

    /// Whether the next scalar or collection is a key of the innermost mapping.
    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: FrameKind::Mapping {
                    pending_key: None,
                    ..
                },
                ..
            })
        )
    }

    /// CloudFormation keys are strings: a collection in key position is an error.
    fn reject_complex_key(&mut self, start: Span) -> Option<Flow> {
        if !self.expects_key() {
            return None;
        }
        self.diagnostics.push(Diagnostic::new(
            DiagnosticKind::Syntax,
            "a mapping key must be a string, not a sequence or mapping",
            Label::primary(self.visible(start), "complex key"),
        ));
        Some(Flow::Stop)
    }

    fn close(&mut self, end: Span) -> Flow {
        let Some(frame) = self.stack.pop() else {
            return Flow::Continue;
        };
        let (kind, last_child) = self.take_children(&frame);
        let last_end = last_child.map(|id| self.builder.nodes[id.index()].span.end);
        let Frame { start, props, .. } = frame;
        // Flow collections end at their bracket; block collections end where
        // their last child does (their end event has an empty span further on).
        let end_offset = if end.is_empty() {
            last_end.unwrap_or(start.end)
        } else {
            end.end
        };
        let content = Span::new(
            props.content_start.max(start.start as usize),
            end_offset as usize,
        );
        let full = Span::new(start.start as usize, end_offset as usize);
        let id = self.push_node(content, kind);
        let id = self.wrap(id, props, full);
        self.attach(id)
    }

    /// Moves a closing collection's children off the shared stack into its
    /// node; returns the node and its last child.
    fn take_children(&mut self, frame: &Frame) -> (NodeKind, Option<NodeId>) {
        match frame.kind {
            FrameKind::Sequence => {
                let items: Box<[NodeId]> = self.items.drain(frame.first_child..).collect();
                let last = items.last().copied();
                (NodeKind::Sequence(items), last)
            }
            FrameKind::Mapping { .. } => {
                let entries: Box<[Entry]> = self.entries.drain(frame.first_child..).collect();
                let last = entries.last().map(|entry| entry.value);
                (NodeKind::Mapping(entries), last)
            }
        }
    }

    fn on_scalar(&mut self, value: &str, style: YamlStyle, props: Props, span: Span) -> Flow {
        let scalar = make_scalar(value, style, &props.tag);
        if self.expects_key() {
            return self.on_key(scalar, &props, span);
        }
        let content = Span::new(
            props.content_start.min(span.end as usize),
            span.end as usize,
        );
        let id = if props.tag == TagMeaning::Intrinsic("Fn::GetAtt") && style == YamlStyle::Plain {
            self.split_get_att(&scalar.value, content)
        } else {
            self.push_node(content, NodeKind::Scalar(scalar))
        };
        let id = self.wrap(id, props, span);
        self.attach(id)
    }

    fn on_key(&mut self, scalar: Scalar, props: &Props, span: Span) -> Flow {
        let content = Span::new(
            props.content_start.min(span.end as usize),
            span.end as usize,
        );
        if let TagMeaning::Intrinsic(_) | TagMeaning::OtherLocal(_) = props.tag {
            self.diagnostics.push(Diagnostic::new(
                DiagnosticKind::Syntax,
                "a mapping key cannot be an intrinsic function",
                Label::primary(span, "tagged key"),
            ));
            return Flow::Stop;
        }
        if scalar.style == ScalarStyle::Plain && &*scalar.value == "<<" {
            self.diagnostics.push(merge_key(content));
        }
        if self.in_block_collection()
            && let Some(tab) = self.tabs.indentation_tab(span.start as usize)
        {
            self.diagnostics.push(tab_indentation(tab));
            return Flow::Stop;
        }
        let key = Key {
            text: scalar.value,
            span: content,
        };
        if props.anchor != 0 {
            // An anchored key can only be aliased as a key, which CloudFormation
            // never needs; record the scalar so such an alias still resolves.
            let id = self.push_node(
                content,
                NodeKind::Scalar(Scalar {
                    value: key.text.clone(),
                    style: ScalarStyle::Plain,
                    ty: ScalarType::String,
                }),
            );
            self.anchors.insert(props.anchor, id);
        }
        self.set_key(key)
    }

    fn set_key(&mut self, key: Key) -> Flow {
        if let Some(Frame {
            first_child,
            kind:
                FrameKind::Mapping {
                    pending_key,
                    duplicates,
                },
            ..
        }) = self.stack.last_mut()
        {
            let entries = &self.entries[*first_child..];
            if let Some(first) = duplicates.check(entries, &key.text) {
                let diagnostic = duplicate_key_diagnostic(&key, &entries[first].key);
                self.diagnostics.push(diagnostic);
            }
            *pending_key = Some(key);
        }
        Flow::Continue
    }

    fn on_alias(&mut self, anchor: usize, span: Span) -> Flow {
        let Some(&target) = self.anchors.get(&anchor) else {
            self.diagnostics.push(Diagnostic::new(
                DiagnosticKind::Syntax,
                "this alias refers to an anchor that is not defined before it",
                Label::primary(span, "unknown anchor"),
            ));
            return Flow::Stop;
        };
        if self.expects_key() {
            let text = match &self.builder.nodes[target.index()].kind {
                NodeKind::Scalar(scalar) => scalar.value.clone(),
                _ => {
                    self.diagnostics.push(Diagnostic::new(
                        DiagnosticKind::Syntax,
                        "a mapping key must be a string, but this alias refers to a collection",
                        Label::primary(span, "complex key"),
                    ));
                    return Flow::Stop;
                }
            };
            return self.set_key(Key { text, span });
        }
        let id = self.push_node(span, NodeKind::Alias(target));
        self.attach(id)
    }

    /// `!GetAtt Resource.Attribute.Path` becomes `[Resource, Attribute.Path]`,
    /// each part with its own span.
    fn split_get_att(&mut self, value: &str, content: Span) -> NodeId {
        let Some(dot) = value.find('.') else {
            return self.push_node(content, NodeKind::Scalar(plain_string(value)));
        };
        let raw = self.source.slice(content);
        // Sub-spans are exact when the raw text is the value (a plain
        // one-line scalar); otherwise both parts point at the whole scalar.
        let (left, right) = if raw == value {
            let split = content.start as usize + dot;
            (
                Span::new(content.start as usize, split),
                Span::new(split + 1, content.end as usize),
            )
        } else {
            (content, content)
        };
        let resource = self.push_node(left, NodeKind::Scalar(plain_string(&value[..dot])));
        let attribute = self.push_node(right, NodeKind::Scalar(plain_string(&value[dot + 1..])));
        self.push_node(content, NodeKind::Sequence(Box::new([resource, attribute])))
    }

    /// Wraps a short-form node into its long form, and records its anchor.
    fn wrap(&mut self, inner: NodeId, props: Props, full: Span) -> NodeId {
        let long = match props.tag {
            // No allocation: the static name is stored inline or referenced.
            TagMeaning::Intrinsic(long) => Some(CompactString::const_new(long)),
            TagMeaning::OtherLocal(long) => Some(CompactString::from(long)),
            _ => None,
        };
        let id = match (long, props.tag_span) {
            (Some(long), Some(tag_span)) => {
                let entry = Entry {
                    key: Key {
                        text: long,
                        span: tag_span,
                    },
                    value: inner,
                };
                self.push_node(full, NodeKind::Mapping(Box::new([entry])))
            }
            _ => inner,
        };
        if props.anchor != 0 {
            self.anchors.insert(props.anchor, id);
        }
        id
    }

    fn push_node(&mut self, span: Span, kind: NodeKind) -> NodeId {
        self.builder.push(span, kind)
    }

    /// Whether the innermost open collection is a block one (indentation
    /// matters) rather than a flow one (`[...]`, `{...}`).
    fn in_block_collection(&self) -> bool {
        self.stack.last().is_some_and(|frame| frame.block)
    }

    fn attach(&mut self, id: NodeId) -> Flow {
        if let Some(Frame {
            kind: FrameKind::Sequence,
            block: true,
            ..
        }) = self.stack.last()
        {
            let start = self.builder.nodes[id.index()].span.start as usize;
            if let Some(tab) = self.tabs.indentation_tab(start) {
                self.diagnostics.push(tab_indentation(tab));
                return Flow::Stop;
            }
        }
        if self.builder.nodes.len() > self.limits.max_nodes {
            self.diagnostics.push(
                Diagnostic::new(
                    DiagnosticKind::TooManyNodes,
                    format!("the document has more than {} nodes", self.limits.max_nodes),
                    Label::primary(self.builder.nodes[id.index()].span, "limit reached here"),
                )
                .with_note("CloudFormation accepts templates of at most 1 MB"),
            );
            return Flow::Stop;
        }
        match self.stack.last_mut().map(|frame| &mut frame.kind) {
            None => self.root = Some(id),
            Some(FrameKind::Sequence) => self.items.push(id),
            Some(FrameKind::Mapping { pending_key, .. }) => {
                if let Some(key) = pending_key.take() {
                    self.entries.push(Entry { key, value: id });
                }
            }
        }
        Flow::Continue
    }

    fn syntax_error(&self, error: &ScanError) -> Diagnostic {
        let marker = error.marker();
        let mut offset = self.offsets.byte_of(marker.index());
        let mut message = error.info().to_string();
        if message.starts_with("tabs disallowed") {
            // Point at the first tab of the line's indentation: that is the
            // character the user has to change.
            offset = first_indentation_tab(self.source.text(), offset).unwrap_or(offset);
            message = "tabs are not allowed for indentation".into();
        }
        let span = self.visible(Span::empty(offset.min(self.source.text().len())));
        let mut diagnostic = Diagnostic::new(
            DiagnosticKind::Syntax,
            format!("YAML syntax error: {message}"),
            Label::primary(span, message.clone()),
        );
        if message.starts_with("tabs are not allowed") {
            diagnostic = diagnostic.with_help("indent with spaces");
        }
        diagnostic
    }

    fn finish(mut self) -> Parsed {
        let document = match self.root {
            Some(root) => Some(self.builder.finish(root, Format::Yaml)),
            None => {
                if self.diagnostics.is_empty() {
                    self.diagnostics.push(
                        Diagnostic::file_error(
                            DiagnosticKind::NotATemplate,
                            "the file holds no YAML document (it is empty or only comments)",
                        )
                        .with_position(crate::LineCol { line: 1, column: 1 }),
                    );
                }
                None
            }
        };
        Parsed {
            document,
            diagnostics: self.diagnostics,
        }
    }
}

/// The lines whose indentation holds a tab, found in one pass over the text.
///
/// saphyr reads a tab after indentation spaces as separation; libyaml, and
/// so CloudFormation, rejects it. Every block key and item is checked, so the
/// check must not rescan its line each time; and most templates have no such
/// line at all.
struct TabIndentedLines {
    /// The first tab of each such line and the offset of the break ending
    /// that line, in order.
    lines: Vec<(usize, usize)>,
}

impl TabIndentedLines {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut from = 0;
        // Each step finds the first tab of a line, then skips the line.
        while let Some(tab) = memchr::memchr(b'\t', &bytes[from..]).map(|i| from + i) {
            let line_start = memchr::memrchr2(b'\n', b'\r', &bytes[..tab]).map_or(0, |i| i + 1);
            let line_end = memchr::memchr2(b'\n', b'\r', &bytes[tab..]).map(|i| tab + i);
            if bytes[line_start..tab].iter().all(|&b| b == b' ') {
                // Offsets past the end of the text count as on the last line.
                lines.push((tab, line_end.unwrap_or(usize::MAX)));
            }
            let Some(line_end) = line_end else { break };
            from = line_end;
        }
        Self { lines }
    }

    /// A tab in the indentation of the line holding `offset` (the whitespace
    /// before its first other character, when that character comes no later
    /// than `offset`).
    fn indentation_tab(&self, offset: usize) -> Option<usize> {
        // Only the latest such tab before `offset` can be on its line.
        let before = self.lines.partition_point(|&(tab, _)| tab < offset);
        let &(tab, line_end) = self.lines.get(before.checked_sub(1)?)?;
        (offset <= line_end).then_some(tab)
    }
}

fn tab_indentation(tab: usize) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::Syntax,
        "YAML syntax error: tabs are not allowed for indentation",
        Label::primary(
            Span::new(tab, tab + 1),
            "tabs are not allowed for indentation",
        ),
    )
    .with_help("indent with spaces")
}

fn unknown_tag(tag: &Tag, span: Span) -> Diagnostic {
    let written = if tag.handle == CORE_SCHEMA_HANDLE {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    };
    let mut diagnostic = Diagnostic::new(
        DiagnosticKind::UnknownTag,
        format!("unknown tag `{written}`"),
        Label::primary(span, "not a CloudFormation intrinsic function"),
    );
    let is_short_form = SHORT_FORM_TAGS
        .iter()
        .any(|(short, _)| *short == tag.suffix);
    if is_short_form {
        diagnostic = diagnostic.with_help(format!("did you mean `!{}`?", tag.suffix));
    } else {
        diagnostic = diagnostic.with_note(
            "CloudFormation understands the short forms !Ref, !Sub, !GetAtt, !If and the other Fn:: functions",
        );
    }
    diagnostic
}

fn merge_key(span: Span) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::MergeKey,
        "YAML merge keys (`<<`) are not supported by CloudFormation",
        Label::primary(span, "merge key"),
    )
    .with_help("write the merged keys out in full")
}

fn plain_string(value: &str) -> Scalar {
    Scalar {
        value: value.into(),
        style: ScalarStyle::Plain,
        ty: ScalarType::String,
    }
}

fn make_scalar(value: &str, style: YamlStyle, tag: &TagMeaning) -> Scalar {
    let style = match style {
        YamlStyle::Plain => ScalarStyle::Plain,
        YamlStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        YamlStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        YamlStyle::Literal => ScalarStyle::Literal,
        YamlStyle::Folded => ScalarStyle::Folded,
    };
    let ty = match tag {
        TagMeaning::Core(ty) => *ty,
        _ if style == ScalarStyle::Plain => resolve_plain(value),
        _ => ScalarType::String,
    };
    Scalar {
        value: value.into(),
        style,
        ty,
    }
}

/// Resolves a plain scalar's type by the YAML 1.2 core schema.
pub(crate) fn resolve_plain(value: &str) -> ScalarType {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return ScalarType::Bool,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return ScalarType::Float,
        _ => {}
    }
    // Numbers start with a digit, a sign or a dot; most strings do not, and
    // skip the scans below.
    if !value.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')) {
        return ScalarType::String;
    }
    if is_core_int(value) {
        ScalarType::Int
    } else if is_core_float(value) {
        ScalarType::Float
    } else {
        ScalarType::String
    }
}

fn is_core_int(value: &str) -> bool {
    let all = |s: &str, f: fn(&u8) -> bool| !s.is_empty() && s.as_bytes().iter().all(f);
    if let Some(hex) = value.strip_prefix("0x") {
        return all(hex, u8::is_ascii_hexdigit);
    }
    if let Some(octal) = value.strip_prefix("0o") {
        return all(octal, |b| (b'0'..=b'7').contains(b));
    }
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    all(digits, u8::is_ascii_digit)
}

fn is_core_float(value: &str) -> bool {
    let body = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match fraction {
        Some(fraction) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !whole.is_empty() && digits(whole),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok && (fraction.is_some() || exponent.is_some())
}

/// Skips a node's properties (`!tag`, `&anchor`) starting at `start`; returns
/// the tag token's span and where the content begins.
fn skip_properties(text: &str, start: usize) -> (Option<Span>, usize) {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut tag_span = None;
    while pos < bytes.len() && matches!(bytes[pos], b'!' | b'&') {
        let token_start = pos;
        let verbatim = bytes.get(pos + 1) == Some(&b'<');
        while pos < bytes.len() && !is_token_end(bytes[pos], verbatim) {
            pos += 1;
        }
        if verbatim && pos < bytes.len() {
            pos += 1;
        }
        if bytes[token_start] == b'!' {
            tag_span = Some(Span::new(token_start, pos));
        }
        while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t' | b'\r' | b'\n') {
            pos += 1;
        }
    }
    (tag_span, pos)
}

fn is_token_end(byte: u8, verbatim: bool) -> bool {
    if verbatim {
        byte == b'>'
    } else {
        matches!(
            byte,
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
        )
    }
}

fn first_indentation_tab(text: &str, offset: usize) -> Option<usize> {
    let line_start = text[..offset.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let indentation_end = text[line_start..]
        .find(|c| c != ' ' && c != '\t')
        .map_or(text.len(), |i| line_start + i);
    text[line_start..indentation_end]
        .find('\t')
        .map(|i| line_start + i)
}

/// Converts saphyr's character indexes into byte offsets.
///
/// Events arrive in nearly increasing order, so a cursor that walks forward
/// (and, rarely, back) costs O(1) amortised per event; ASCII text needs no
/// walking at all.
struct Offsets<'s> {
    text: &'s str,
    ascii: bool,
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'s> Offsets<'s> {
    fn new(text: &'s str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            cursor: std::cell::Cell::new((0, 0)),
        }
    }

    fn span(&self, span: saphyr_parser_cfn::Span) -> Span {
        Span::new(
            self.byte_of(span.start.index()),
            self.byte_of(span.end.index()),
        )
    }

    fn byte_of(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let bytes = self.text.as_bytes();
        let (mut chars, mut byte) = self.cursor.get();
        while chars < char_index && byte < bytes.len() {
            byte += utf8_width(bytes[byte]);
            chars += 1;
        }
        while chars > char_index && byte > 0 {
            byte -= 1;
            while byte > 0 && (bytes[byte] & 0xC0) == 0x80 {
                byte -= 1;
            }
            chars -= 1;
        }
        let byte = byte.min(bytes.len());
        self.cursor.set((chars, byte));
        byte
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}
