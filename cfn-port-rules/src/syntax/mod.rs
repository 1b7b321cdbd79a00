//! One node tree for JSON and YAML templates, with a byte span on every node
//! and every mapping key.
//!
//! Nodes live in an arena ([`Document::node`]) and refer to each other by
//! [`NodeId`], so a YAML alias is a reference to its anchor's node rather than
//! a copy (an alias bomb stays small), and a value's provenance is a list of
//! ids and spans rather than borrowed subtrees.
//!
//! CloudFormation's YAML short forms become the long forms JSON uses:
//! `!Ref X` is a one-entry mapping `{Ref: X}` whose key span is the tag's
//! span, and `!GetAtt A.B.C` is `{Fn::GetAtt: [A, B.C]}`.

mod charset;
mod json;
mod yaml;

use compact_str::CompactString;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::source::{Format, SourceFile, Span};

pub use self::yaml::SHORT_FORM_TAGS;

/// Index of a node in its [`Document`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    /// The position in the arena.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScalarStyle {
    /// YAML plain scalar, or a JSON number, `true`, `false` or `null`.
    Plain,
    /// YAML `'single quoted'`.
    SingleQuoted,
    /// YAML or JSON `"double quoted"`.
    DoubleQuoted,
    /// YAML `|` block.
    Literal,
    /// YAML `>` block.
    Folded,
}

/// The type a scalar resolves to under the YAML 1.2 core schema (JSON's types
/// for JSON). Quoted scalars are always strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScalarType {
    /// `null`, `~` or nothing at all.
    Null,
    /// `true` or `false`.
    Bool,
    /// An integer, including YAML's `0x` and `0o` forms.
    Int,
    /// A floating-point number, including `.inf` and `.nan`.
    Float,
    /// Anything else.
    String,
}

/// A scalar value: its decoded text, how it was written and what it resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Scalar {
    /// The decoded text: escapes processed, quotes removed. The raw text is
    /// the source slice at the node's span.
    pub value: CompactString,
    /// How it was written.
    pub style: ScalarStyle,
    /// What it resolves to.
    pub ty: ScalarType,
}

/// A mapping key: its text and its own span.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Key {
    /// The key's text (decoded).
    pub text: CompactString,
    /// The key's span; for a short-form tag, the tag's span.
    pub span: Span,
}

/// One `key: value` pair of a mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The key.
    pub key: Key,
    /// The value node.
    pub value: NodeId,
}

/// What a node is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar.
    Scalar(Scalar),
    /// A sequence of nodes.
    Sequence(Box<[NodeId]>),
    /// A mapping, in source order. Keys are unique within a mapping in any
    /// document that parsed without errors.
    Mapping(Box<[Entry]>),
    /// A YAML alias, referring to the node its anchor named.
    Alias(NodeId),
}

/// A node with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Node {
    /// The node's bytes, including a tag or anchor written before it.
    pub span: Span,
    /// What it is.
    pub kind: NodeKind,
}

/// A parsed JSON or YAML document.
#[derive(Debug)]
pub struct Document {
    nodes: Vec<Node>,
    root: NodeId,
    format: Format,
}

impl Document {
    /// The root node.
    #[must_use]
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The format it was read as (a `.json` file read as YAML flow syntax is
    /// [`Format::Yaml`]).
    #[must_use]
    pub fn format(&self) -> Format {
        self.format
    }

    /// The node with this id.
    #[must_use]
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// How many nodes the document holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the document holds no nodes (never true for a parsed document).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Follows aliases to the node they refer to. Chains are bounded: an
    /// alias can only refer to a node completed before it, so this ends.
    #[must_use]
    pub fn resolve(&self, mut id: NodeId) -> NodeId {
        while let NodeKind::Alias(target) = self.node(id).kind {
            id = target;
        }
        id
    }

    /// The node's kind, after following aliases.
    #[must_use]
    pub fn kind(&self, id: NodeId) -> &NodeKind {
        &self.node(self.resolve(id)).kind
    }

    /// The span of the node itself (an alias's own span, not its target's).
    #[must_use]
    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span
    }

    /// The entries, if the node (after aliases) is a mapping.
    #[must_use]
    pub fn mapping(&self, id: NodeId) -> Option<&[Entry]> {
        match self.kind(id) {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if the node (after aliases) is a sequence.
    #[must_use]
    pub fn sequence(&self, id: NodeId) -> Option<&[NodeId]> {
        match self.kind(id) {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// The scalar, if the node (after aliases) is one.
    #[must_use]
    pub fn scalar(&self, id: NodeId) -> Option<&Scalar> {
        match self.kind(id) {
            NodeKind::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The scalar's text, if the node is a scalar.
    #[must_use]
    pub fn str(&self, id: NodeId) -> Option<&str> {
        self.scalar(id).map(|scalar| &*scalar.value)
    }

    /// The entry with key `key` in a mapping node.
    #[must_use]
    pub fn get(&self, id: NodeId, key: &str) -> Option<&Entry> {
        self.mapping(id)?
            .iter()
            .find(|entry| &*entry.key.text == key)
    }

    /// The value under `key` in a mapping node.
    #[must_use]
    pub fn get_value(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.get(id, key).map(|entry| entry.value)
    }

    /// If the node is a one-entry mapping whose key starts with `Fn::` or is
    /// `Ref` or `Condition`, its function name and argument.
    #[must_use]
    pub fn intrinsic(&self, id: NodeId) -> Option<(&Entry, &str)> {
        let [entry] = self.mapping(id)? else {
            return None;
        };
        let name = &*entry.key.text;
        let is_function = name == "Ref" || name == "Condition" || name.starts_with("Fn::");
        is_function.then_some((entry, name))
    }
}

/// The result of parsing: a document when one could be built, and the
/// diagnostics found on the way.
///
/// When any diagnostic is an error, the document (if any) must not be used to
/// draw conclusions: [`Parsed::usable_document`] returns `None` then.
#[derive(Debug)]
pub struct Parsed {
    /// The document, when the input parsed far enough to build one.
    pub document: Option<Document>,
    /// Syntax errors, duplicate keys, warnings about leniency.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// The document, if it parsed without errors.
    #[must_use]
    pub fn usable_document(&self) -> Option<&Document> {
        let has_error = self
            .diagnostics
            .iter()
            .any(|d| d.severity == crate::Severity::Error);
        if has_error {
            None
        } else {
            self.document.as_ref()
        }
    }
}

/// Parses a source as JSON or YAML.
///
/// The format is chosen by the file name: `.json` is JSON (with a fallback to
/// YAML flow syntax, reported as a warning, for JSON that is not strict),
/// `.yaml` and `.yml` are YAML, and anything else is JSON when its first
/// non-blank character is `{` and YAML otherwise.
#[must_use]
pub fn parse(source: &SourceFile, limits: &Limits) -> Parsed {
    if let Some(too_large) = limits.check_size(source.text().len()) {
        return Parsed {
            document: None,
            diagnostics: vec![too_large],
        };
    }
    match detect_format(source) {
        Format::Json => json::parse_json_or_flow_yaml(source, limits),
        Format::Yaml => yaml::parse_yaml(source, limits),
    }
}

fn detect_format(source: &SourceFile) -> Format {
    let name = source.name().to_ascii_lowercase();
    if name.ends_with(".json") {
        return Format::Json;
    }
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        return Format::Yaml;
    }
    let first = source.text().trim_start().as_bytes().first();
    if first == Some(&b'{') {
        Format::Json
    } else {
        Format::Yaml
    }
}

/// Builds a document's arena. Shared by the JSON and YAML front ends so both
/// produce identical trees for identical data.
#[derive(Debug)]
struct Builder {
    nodes: Vec<Node>,
}

impl Builder {
    /// A builder with room for the nodes a text of `text_len` bytes usually
    /// holds (templates take 16 to 30 bytes a node), so a large arena is
    /// not copied to grow: each copy is a new buffer's worth of fresh pages
    /// to fault in. Reserved pages that are never written cost nothing.
    fn for_text(text_len: usize, limits: &Limits) -> Self {
        let estimate = (text_len / 16).min(limits.max_nodes);
        Self {
            nodes: Vec::with_capacity(estimate),
        }
    }

    fn push(&mut self, span: Span, kind: NodeKind) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX));
        self.nodes.push(Node { span, kind });
        id
    }

    fn finish(self, root: NodeId, format: Format) -> Document {
        Document {
            nodes: self.nodes,
            root,
            format,
        }
    }
}

/// Detects duplicate keys as a mapping's entries arrive. Small mappings use a
/// linear scan; large ones switch to a hash map so a mapping with a million
/// keys stays linear.
#[derive(Debug, Default)]
struct DuplicateKeys {
    /// Short keys (most of them) are stored inline, without an allocation.
    index: Option<foldhash::HashMap<CompactString, usize>>,
}

const LINEAR_SCAN_LIMIT: usize = 16;

impl DuplicateKeys {
    /// The index of an earlier entry with the same key text, if any; records
    /// `new_key` otherwise.
    fn check(&mut self, entries: &[Entry], new_key: &str) -> Option<usize> {
        if let Some(index) = &mut self.index {
            if let Some(&first) = index.get(new_key) {
                return Some(first);
            }
            index.insert(new_key.into(), entries.len());
            return None;
        }
        if let Some(first) = entries.iter().position(|e| &*e.key.text == new_key) {
            return Some(first);
        }
        if entries.len() >= LINEAR_SCAN_LIMIT {
            let mut index: foldhash::HashMap<CompactString, usize> = entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.text.clone(), i))
                .collect();
            index.insert(new_key.into(), entries.len());
            self.index = Some(index);
        }
        None
    }
}

fn duplicate_key_diagnostic(key: &Key, first: &Key) -> Diagnostic {
    Diagnostic::new(
        crate::DiagnosticKind::DuplicateKey,
        format!("duplicate key `{}`", key.text),
        crate::diagnostic::Label::primary(key.span, "this key is a duplicate"),
    )
    .with_secondary(first.span, "first defined here")
    .with_note("CloudFormation tools disagree on which of the two values wins, so neither is used")
    .with_help("remove or rename one of the two keys")
}

#[cfg(test)]
mod tests;
