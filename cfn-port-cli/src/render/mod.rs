//! Turning results into output. Each format is one module writing to an
//! [`io::Write`]; none of them prints directly, so the caller decides what a
//! write error means (a closed pipe ends quietly, a full disk is an error).

mod compact;
mod excerpt;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use std::borrow::Cow;
use std::io;
use std::path::Path;
use std::time::Duration;

use cfn_port_rules::model::Deployed;
use cfn_port_rules::{
    Diagnostic, DiagnosticKind, Finding, LineCol, Severity, SourceFile, Undetermined,
};

pub(crate) use sarif::relative_uri;
pub use sarif::{GITHUB_MAX_RESULTS, SarifOptions};

use crate::args::OutputFormat;
use crate::check::{FileResult, Summary};

/// What every format may need besides the results.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The threads a large file's code frames are rendered on.
    pub workers: &'a crate::check::Workers,
    /// Colour human output.
    pub color: bool,
    /// List suppressed findings.
    pub show_suppressed: bool,
    /// List undetermined resources.
    pub show_undetermined: bool,
    /// The working directory, the base of SARIF URIs.
    pub cwd: &'a Path,
    /// The config file in use, as shown (relative to the working directory
    /// when inside it).
    pub config_file: Option<&'a str>,
    /// Line formats print findings and errors only, and no summary.
    pub quiet: bool,
    /// What goes into a SARIF log.
    pub sarif: &'a SarifOptions,
}

/// What is known only once every file is done.
#[derive(Clone, Copy, Debug)]
pub struct Totals {
    /// The totals.
    pub summary: Summary,
    /// How long linting took (shown only in human output).
    pub elapsed: Duration,
    /// What each result is: a file, or a region of a live audit.
    pub inputs: InputKind,
}

/// What the results of a run are about, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputKind {
    /// Files (templates, plans, saved output).
    #[default]
    Files,
    /// Regions of a live AWS audit, one result each.
    Regions,
}

/// Writes results in one format, a file at a time, so that no file's text
/// is kept once it is written: line formats (human, compact, GitHub) write
/// each file as it comes; document formats (JSON, SARIF, JUnit) keep what
/// they will write, which is the size of the output, not of the input.
#[derive(Debug)]
pub struct Renderer<'a> {
    cx: Context<'a>,
    format: Format,
}

#[derive(Debug)]
enum Format {
    Human(human::Human),
    Json(json::Json),
    Sarif(sarif::SarifLog),
    Junit(junit::Junit),
    CodeQuality(gitlab::CodeQuality),
    Github,
    Compact,
}

impl<'a> Renderer<'a> {
    /// A renderer for `format`.
    #[must_use]
    pub fn new(format: OutputFormat, cx: Context<'a>) -> Self {
        let format = match format {
            OutputFormat::Human => Format::Human(human::Human::default()),
            OutputFormat::Json => Format::Json(json::Json::default()),
            OutputFormat::Sarif => Format::Sarif(sarif::SarifLog::default()),
            OutputFormat::Junit => Format::Junit(junit::Junit::default()),
            OutputFormat::Gitlab => Format::CodeQuality(gitlab::CodeQuality::default()),
            OutputFormat::Github => Format::Github,
            OutputFormat::Compact => Format::Compact,
        };
        Self { cx, format }
    }

    /// Renders one file's result (or keeps what the document needs of it).
    ///
    /// # Errors
    /// When writing fails.
    pub fn file(&mut self, out: &mut dyn io::Write, result: &FileResult) -> io::Result<()> {
        let cx = &self.cx;
        match &mut self.format {
            Format::Human(human) => human.file(out, result, cx),
            Format::Json(json) => {
                json.file(result, cx);
                Ok(())
            }
            Format::Sarif(sarif) => {
                sarif.file(result, cx);
                Ok(())
            }
            Format::Junit(junit) => {
                junit.file(result, cx);
                Ok(())
            }
            Format::CodeQuality(report) => {
                report.file(result, cx);
                Ok(())
            }
            Format::Github => github::file(out, result, cx),
            Format::Compact => compact::file(out, result, cx),
        }
    }

    /// A warning for stderr about what the output left out (results past
    /// the SARIF limit), to be shown when the run ends.
    #[must_use]
    pub fn warning(&self) -> Option<String> {
        match &self.format {
            Format::Sarif(sarif) => sarif.warning(&self.cx),
            _ => None,
        }
    }

    /// Writes what comes after the files: the summary, or the document.
    ///
    /// # Errors
    /// When writing fails.
    pub fn finish(self, out: &mut dyn io::Write, totals: &Totals) -> io::Result<()> {
        match self.format {
            Format::Human(human) => human.finish(out, &self.cx, totals),
            Format::Json(json) => json.finish(out, &self.cx, totals),
            Format::Sarif(sarif) => sarif.finish(out, &self.cx, totals),
            Format::Junit(junit) => junit.finish(out, totals),
            Format::CodeQuality(report) => report.finish(out),
            Format::Github | Format::Compact => Ok(()),
        }
    }
}

/// One thing to report about a file.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Item<'a> {
    /// The file could not be read.
    Io(&'a str),
    /// A problem with the input.
    Diagnostic(&'a Diagnostic),
    /// A rule finding (possibly suppressed, when those are shown).
    Finding(&'a Finding),
    /// A resource that could not be judged (when those are shown).
    Undetermined(&'a Undetermined),
}

impl<'a> Item<'a> {
    /// The 1-based start position, when there is one.
    pub(crate) fn position(&self) -> Option<LineCol> {
        match self {
            Item::Io(_) => None,
            Item::Diagnostic(d) => d.position,
            Item::Finding(f) => f.location.map(|l| l.start),
            Item::Undetermined(u) => u.location.map(|l| l.start),
        }
    }

    /// The severity shown.
    pub(crate) fn severity(&self) -> Severity {
        match self {
            Item::Io(_) => Severity::Error,
            Item::Diagnostic(d) => d.severity,
            Item::Finding(f) if f.suppressed.is_some() => Severity::Note,
            Item::Finding(f) => f.severity,
            Item::Undetermined(_) => Severity::Note,
        }
    }

    /// The rule id or diagnostic code.
    pub(crate) fn code(&self) -> &str {
        match self {
            Item::Io(_) => "io",
            Item::Diagnostic(d) => d.kind.code(),
            Item::Finding(f) => f.rule,
            Item::Undetermined(u) => u.rule,
        }
    }

    /// The one-line message (borrowed unless it says more than the item).
    pub(crate) fn message(&self) -> Cow<'a, str> {
        match *self {
            Item::Io(message) => message.into(),
            Item::Diagnostic(d) => d.message.as_str().into(),
            Item::Finding(f) => match &f.suppressed {
                None => f.message.as_str().into(),
                Some(s) => format!(
                    "{} (suppressed: {})",
                    f.message,
                    s.reason.as_deref().unwrap_or("no reason given")
                )
                .into(),
            },
            Item::Undetermined(u) => format!(
                "could not check {} `{}`: {}",
                short_type(&u.resource_type),
                u.resource,
                u.reason
            )
            .into(),
        }
    }

    /// The deployed resource a finding or undetermined resource is about,
    /// when it has no position in a file (a live audit): its ARN is then
    /// where it is.
    pub(crate) fn deployed_without_file(&self) -> Option<&'a Deployed> {
        match *self {
            Item::Finding(f) if f.location.is_none() => f.deployed.as_ref(),
            Item::Undetermined(u) if u.location.is_none() => u.deployed.as_ref(),
            _ => None,
        }
    }

    /// Where the item is, as line formats name it: the file it is in, or
    /// the ARN of a deployed resource that is in no file.
    pub(crate) fn place(&self, result: &'a FileResult) -> &'a str {
        self.deployed_without_file()
            .map_or(result.display.as_str(), |deployed| deployed.arn.as_str())
    }

    /// The end position, when known.
    pub(crate) fn end(&self, source: Option<&SourceFile>) -> Option<LineCol> {
        match self {
            Item::Finding(f) => f.location.map(|l| l.end),
            Item::Undetermined(u) => u.location.map(|l| l.end),
            Item::Diagnostic(d) => {
                let (source, span) = (source?, d.primary_span()?);
                source.get(span).map(|_| source.line_col(span.end))
            }
            Item::Io(_) => None,
        }
    }
}

/// `AWS::ElastiCache::CacheCluster` → `CacheCluster`.
pub(crate) fn short_type(resource_type: &str) -> &str {
    resource_type.rsplit("::").next().unwrap_or(resource_type)
}

/// Everything to report about one file, in source order: read errors first,
/// then diagnostics, findings and (when asked) undetermined resources by
/// position.
pub(crate) fn items<'a>(result: &'a FileResult, cx: &Context<'_>) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    if let Some(message) = &result.io_error {
        items.push(Item::Io(message));
    }
    items.extend(result.diagnostics().map(Item::Diagnostic));
    items.extend(
        result
            .report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() || cx.show_suppressed)
            .map(Item::Finding),
    );
    if cx.show_undetermined && !result.skipped {
        items.extend(result.undetermined().iter().map(Item::Undetermined));
    }
    // Stable: items at the same position keep the order above.
    items.sort_by_key(|item| item.position().map(|p| (p.line, p.column)));
    items
}

/// The items a line format (human, compact, GitHub) prints: all of them,
/// or with `--quiet` all but notes about inputs ("not a template").
/// Documents (JSON, SARIF, JUnit) always hold everything.
pub(crate) fn line_items<'a>(result: &'a FileResult, cx: &Context<'_>) -> Vec<Item<'a>> {
    let mut items = items(result, cx);
    if cx.quiet {
        items.retain(|item| !matches!(item, Item::Diagnostic(d) if d.severity == Severity::Note));
    }
    items
}

/// Whether the file is said to be "not a template" by a diagnostic of that kind.
pub(crate) fn is_not_a_template(diagnostic: &Diagnostic) -> bool {
    diagnostic.kind == DiagnosticKind::NotATemplate
}

/// The counts of the summary as a phrase, e.g. `2 findings, 1 suppressed`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
