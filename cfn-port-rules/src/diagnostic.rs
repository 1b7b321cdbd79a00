//! Problems with an input, as data: kind, severity, message and labelled spans.
//!
//! Nothing here renders or prints. A front end turns a [`Diagnostic`] into a
//! code frame, a SARIF result or a JSON object; the spans, 1-based positions
//! and notes it needs are all here.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::source::{FileId, LineCol, SourceFile, Span};

/// How serious a diagnostic or finding is. Ordered: `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run unless asked to.
    Note,
    /// Should be fixed.
    Warning,
    /// Must be fixed.
    Error,
}

impl Severity {
    /// The lowercase name used in output and configuration.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `note`, `warning` or `error` (any case).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a label marks the cause itself or context around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelStyle {
    /// The place the message is about.
    Primary,
    /// Where something involved came from.
    Secondary,
}

/// A span of the source with a short message.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Label {
    /// Primary or secondary.
    pub style: LabelStyle,
    /// The source file the span is in (always the first for a
    /// CloudFormation template).
    pub file: FileId,
    /// The bytes it marks.
    pub span: Span,
    /// What to say there (may be empty). Shared: the findings of a large
    /// template point at the same parameter or mapping entry thousands of
    /// times, with the same words.
    pub message: Arc<str>,
}

impl Label {
    /// A primary label.
    #[must_use]
    pub fn primary(span: Span, message: impl Into<Arc<str>>) -> Self {
        Self {
            style: LabelStyle::Primary,
            file: FileId::FIRST,
            span,
            message: message.into(),
        }
    }

    /// The same label, in source file `file`.
    #[must_use]
    pub fn in_file(mut self, file: FileId) -> Self {
        self.file = file;
        self
    }

    /// A secondary label.
    #[must_use]
    pub fn secondary(span: Span, message: impl Into<Arc<str>>) -> Self {
        Self {
            style: LabelStyle::Secondary,
            file: FileId::FIRST,
            span,
            message: message.into(),
        }
    }
}

/// The start and end of a primary span as 1-based lines and columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// Where the span starts.
    pub start: LineCol,
    /// Where the span ends (exclusive, like the span).
    pub end: LineCol,
}

impl Location {
    /// The location of `span` in `source`.
    #[must_use]
    pub fn of(source: &SourceFile, span: Span) -> Self {
        Self {
            start: source.line_col(span.start),
            end: source.line_col(span.end),
        }
    }
}

/// What kind of problem a [`Diagnostic`] reports. Each kind has a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The input could not be read (no such file, permission denied, not a
    /// regular file). The library never reads files; front ends use this kind.
    Io,
    /// The bytes are not UTF-8 text.
    Encoding,
    /// The file is larger than [`Limits::max_file_size`](crate::Limits::max_file_size).
    FileTooLarge,
    /// A YAML or JSON syntax error.
    Syntax,
    /// A mapping has the same key twice.
    DuplicateKey,
    /// A YAML merge key (`<<`), which CloudFormation does not support.
    MergeKey,
    /// A YAML tag that is neither a CloudFormation intrinsic nor a core type.
    UnknownTag,
    /// Nesting deeper than [`Limits::max_depth`](crate::Limits::max_depth).
    TooDeep,
    /// More YAML nodes than [`Limits::max_nodes`](crate::Limits::max_nodes).
    TooManyNodes,
    /// A YAML stream with more than one document.
    MultipleDocuments,
    /// A `.json` file that is not strict JSON but was read as YAML flow syntax.
    NotStrictJson,
    /// The document parses but is not a CloudFormation template.
    NotATemplate,
    /// The document cannot be read as a template (`Resources` is not a mapping).
    InvalidTemplate,
    /// The template is wrong where a rule looks (a `Ref` to nothing, a cycle
    /// of conditions, `Properties` that is not a mapping); the rest is checked.
    TemplateProblem,
    /// A suppression without a reason, for an unknown rule, or that matched nothing.
    Suppression,
    /// A value was given for a parameter the template does not declare.
    UnknownParameter,
}

impl DiagnosticKind {
    /// The stable code shown in output, e.g. `duplicate-key`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            DiagnosticKind::Io => "io",
            DiagnosticKind::Encoding => "encoding",
            DiagnosticKind::FileTooLarge => "file-too-large",
            DiagnosticKind::Syntax => "syntax",
            DiagnosticKind::DuplicateKey => "duplicate-key",
            DiagnosticKind::MergeKey => "merge-key",
            DiagnosticKind::UnknownTag => "unknown-tag",
            DiagnosticKind::TooDeep => "too-deep",
            DiagnosticKind::TooManyNodes => "too-many-nodes",
            DiagnosticKind::MultipleDocuments => "multiple-documents",
            DiagnosticKind::NotStrictJson => "not-strict-json",
            DiagnosticKind::NotATemplate => "not-a-template",
            DiagnosticKind::InvalidTemplate => "invalid-template",
            DiagnosticKind::TemplateProblem => "template-problem",
            DiagnosticKind::Suppression => "suppression",
            DiagnosticKind::UnknownParameter => "unknown-parameter",
        }
    }

    /// The severity a diagnostic of this kind gets.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            DiagnosticKind::NotStrictJson
            | DiagnosticKind::Suppression
            | DiagnosticKind::TemplateProblem
            | DiagnosticKind::UnknownParameter => Severity::Warning,
            DiagnosticKind::NotATemplate => Severity::Note,
            _ => Severity::Error,
        }
    }
}

/// A problem with an input, located by labels on its spans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub kind: DiagnosticKind,
    /// How serious it is.
    pub severity: Severity,
    /// One sentence a person understands.
    pub message: String,
    /// The spans involved, the primary one first. Empty when the problem is
    /// about the file as a whole (it is too large, say).
    pub labels: Vec<Label>,
    /// Extra explanation, one sentence each.
    pub notes: Vec<String>,
    /// How to fix it, when that is known.
    pub help: Option<String>,
    /// The 1-based position of the primary label's start, when there is one.
    pub position: Option<LineCol>,
}

impl Diagnostic {
    /// A diagnostic with a primary label; severity comes from the kind.
    #[must_use]
    pub fn new(kind: DiagnosticKind, message: impl Into<String>, primary: Label) -> Self {
        Self {
            kind,
            severity: kind.severity(),
            message: message.into(),
            labels: vec![primary],
            notes: Vec::new(),
            help: None,
            position: None,
        }
    }

    /// A diagnostic about a whole file, with no span to point at.
    #[must_use]
    pub fn file_error(kind: DiagnosticKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            severity: kind.severity(),
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            position: None,
        }
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_secondary(mut self, span: Span, message: impl Into<Arc<str>>) -> Self {
        self.labels.push(Label::secondary(span, message));
        self
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the position explicitly.
    #[must_use]
    pub fn with_position(mut self, position: LineCol) -> Self {
        self.position = Some(position);
        self
    }

    /// The primary label's span, if any.
    #[must_use]
    pub fn primary_span(&self) -> Option<Span> {
        self.labels
            .iter()
            .find(|label| label.style == LabelStyle::Primary)
            .map(|label| label.span)
    }

    /// Fills [`Diagnostic::position`] from the primary span.
    pub fn locate(&mut self, source: &SourceFile) {
        if self.position.is_none() {
            self.position = self.primary_span().map(|span| source.line_col(span.start));
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(position) => write!(
                f,
                "{position}: {}[{}] {}",
                self.severity,
                self.kind.code(),
                self.message
            ),
            None => write!(
                f,
                "{}[{}] {}",
                self.severity,
                self.kind.code(),
                self.message
            ),
        }
    }
}

impl std::error::Error for Diagnostic {}
