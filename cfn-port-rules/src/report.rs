//! The data a lint produces: a [`Report`] of [`Finding`]s, [`Undetermined`]
//! resources and diagnostics, and the [`Suppression`] that covers a finding.
//!
//! Plain data with no behaviour beyond reading it, kept below the modules
//! that make it ([`crate::rules`] finds, [`crate::suppress`] marks, the
//! lint entry points assemble), so none of them needs another to name a
//! type. Each type is published where it always was: `Report` and `Status`
//! at the crate root, `Finding` and `Undetermined` in [`crate::rules`],
//! `Suppression` in [`crate::suppress`].

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Label, Location, Severity};
use crate::model::Deployed;
use crate::source::{FileId, Format, Span};

/// How far linting a source got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Status {
    /// It is a template and the rules ran.
    Linted,
    /// It parsed but is not a CloudFormation template (no `Resources`).
    NotATemplate,
    /// It could not be read as a template: see the error diagnostics.
    Failed,
}

/// Everything linting one source found. Nothing is printed; render it as
/// you like.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// How far it got.
    pub status: Status,
    /// The format it was read as, when it parsed.
    pub format: Option<Format>,
    /// Rule findings (suppressed ones included, marked), in source order.
    pub findings: Vec<Finding>,
    /// Resources a rule could not judge, with the reason.
    pub undetermined: Vec<Undetermined>,
    /// Problems with the input, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Nodes the evaluator visited ([`Evaluator::steps`](crate::cloudformation::evaluate::Evaluator::steps)),
    /// summed over threads: a measure of the work an input cost, not output.
    #[serde(skip)]
    pub evaluation_steps: u64,
    /// Names in [`LintOptions::checked_parameters`](crate::LintOptions::checked_parameters) this template does not
    /// declare. A run over several templates warns about a name that none
    /// of them declares.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undeclared_parameters: Vec<String>,
}

impl Report {
    /// The report for an input that could not be read at all (a missing
    /// file, a FIFO, an encoding error), with the diagnostics that say why.
    #[must_use]
    pub fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            diagnostics,
            ..Self::new(Status::Failed)
        }
    }

    pub(crate) fn new(status: Status) -> Self {
        Self {
            status,
            format: None,
            findings: Vec::new(),
            undetermined: Vec::new(),
            diagnostics: Vec::new(),
            evaluation_steps: 0,
            undeclared_parameters: Vec::new(),
        }
    }

    /// Findings no suppression covers.
    pub fn active_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    /// Whether any diagnostic is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// A rule violation on one resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The rule id.
    pub rule: &'static str,
    /// The severity (the rule's default unless configured).
    pub severity: Severity,
    /// The resource's name: a logical id, a Terraform address, a cluster id.
    pub resource: String,
    /// The resource's type as its source names it.
    pub resource_type: Cow<'static, str>,
    /// One sentence saying what is wrong.
    pub message: String,
    /// The primary label first (the node that causes it), then where its
    /// value came from.
    pub labels: Vec<Label>,
    /// When it happens, if not always, and other context. Shared like
    /// [`Label::message`].
    pub notes: Vec<Arc<str>>,
    /// How to fix it (usually the rule's remediation, not copied).
    pub help: Cow<'static, str>,
    /// The primary label's position; filled by [`crate::lint`].
    pub location: Option<Location>,
    /// Set when a suppression covers this finding.
    pub suppressed: Option<Suppression>,
    /// The resource's ARN and region, when it is deployed: with no file to
    /// point at (a live audit), this is where the finding is.
    pub deployed: Option<Deployed>,
}

impl Finding {
    /// The source file of the primary label.
    #[must_use]
    pub fn primary_file(&self) -> FileId {
        self.labels
            .first()
            .map_or(FileId::FIRST, |label| label.file)
    }

    /// The primary span.
    #[must_use]
    pub fn primary_span(&self) -> Span {
        self.labels
            .first()
            .map_or(Span::default(), |label| label.span)
    }
}

/// A resource a rule applies to but could not judge statically.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Undetermined {
    /// The rule id.
    pub rule: &'static str,
    /// The resource's logical id.
    pub resource: String,
    /// The resource type.
    pub resource_type: String,
    /// Why it could not be judged.
    pub reason: String,
    /// The source file of [`Undetermined::span`].
    pub file: FileId,
    /// The node that could not be resolved.
    pub span: Span,
    /// The span's position; filled by [`crate::lint`].
    pub location: Option<Location>,
    /// The resource's ARN and region, when it is deployed.
    pub deployed: Option<Deployed>,
}

/// Where a suppression was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SuppressionSource {
    /// The resource's `Metadata`.
    ResourceMetadata,
    /// The template's `Metadata`.
    TemplateMetadata,
    /// A YAML comment.
    Comment,
}

/// A suppression that covers a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Suppression {
    /// Where it was written.
    pub source: SuppressionSource,
    /// Why, in the author's words.
    pub reason: Option<String>,
    /// Its span.
    pub span: Span,
    /// The file of [`Suppression::span`] (an input of several files, such
    /// as a Terraform module, has suppressions in each).
    #[serde(skip_serializing_if = "is_first_file")]
    pub file: FileId,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
fn is_first_file(file: &FileId) -> bool {
    *file == FileId::FIRST
}
