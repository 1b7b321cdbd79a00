//! Linting every collected file in parallel, and the totals of a run.
//!
//! Results are sorted by path afterwards, so the output does not depend on
//! the number of threads or the order in which they finish.

use std::path::Path;

use cfn_port_rules::{
    Diagnostic, DiagnosticKind, Finding, LintOptions, Report, Severity, SourceFile, Status,
    Undetermined,
};
use rayon::prelude::*;

use crate::inputs::{self, Candidate, Collected, Origin, ReadError};

/// What happened to one file or input.
#[derive(Debug)]
pub struct FileResult {
    /// The name shown in output.
    pub display: String,
    /// How it was found.
    pub origin: Origin,
    /// Its text, when it could be read as UTF-8.
    pub source: Option<SourceFile>,
    /// What the library found; empty when the file could not be read.
    pub report: Report,
    /// Why it could not be read, when it could not.
    pub io_error: Option<String>,
    /// A walked file that is not a template: counted, otherwise not shown.
    pub skipped: bool,
}

impl FileResult {
    fn new(display: String, origin: Origin) -> Self {
        Self {
            display,
            origin,
            source: None,
            report: Report::failed(Vec::new()),
            io_error: None,
            skipped: false,
        }
    }

    /// Findings no suppression covers.
    pub fn active_findings(&self) -> impl Iterator<Item = &Finding> {
        self.report.active_findings()
    }

    /// Findings a suppression covers.
    pub fn suppressed_findings(&self) -> impl Iterator<Item = &Finding> {
        self.report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_some())
    }

    /// Diagnostics worth showing: none for a skipped file.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.report.diagnostics.iter().filter(|_| !self.skipped)
    }

    /// Resources whose port could not be determined.
    pub fn undetermined(&self) -> &[Undetermined] {
        &self.report.undetermined
    }

    /// Whether this is a template the rules ran on.
    #[must_use]
    pub fn is_template(&self) -> bool {
        self.report.status == Status::Linted
    }

    /// Whether it could not be read or parsed.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.io_error.is_some() || self.diagnostics().any(|d| d.severity == Severity::Error)
    }
}

/// Lints every candidate on `threads` threads and returns one result per
/// file and per input error, sorted by path.
#[must_use]
pub fn run(
    collected: Collected,
    options: &LintOptions,
    cwd: &Path,
    threads: usize,
) -> Vec<FileResult> {
    let Collected { candidates, errors } = collected;
    let lint_all = || -> Vec<FileResult> {
        candidates
            .into_par_iter()
            .map(|candidate| lint_one(&candidate, options, cwd))
            .collect()
    };
    let mut results = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(lint_all),
        // No thread could be started: lint on this one.
        Err(_) => lint_all(),
    };
    results.extend(errors.into_iter().map(|error| {
        let mut result = FileResult::new(error.display, Origin::Explicit);
        result.io_error = Some(error.message);
        result
    }));
    results.sort_by(|a, b| (&a.display, a.origin).cmp(&(&b.display, b.origin)));
    results
}

fn lint_one(candidate: &Candidate, options: &LintOptions, cwd: &Path) -> FileResult {
    let mut result = FileResult::new(candidate.display.clone(), candidate.origin);
    match inputs::read(candidate, cwd, options.limits.max_file_size) {
        Ok(source) => {
            result.report = cfn_port_rules::lint(&source, options);
            result.skipped =
                candidate.origin == Origin::Walked && !looks_like_template(&result.report, &source);
            result.source = Some(source);
        }
        Err(ReadError::Io(message)) => result.io_error = Some(message),
        Err(ReadError::Diagnostic(diagnostic)) => result.report.diagnostics.push(*diagnostic),
    }
    result
}

/// Whether a walked file should be reported on: it is a template, or it
/// failed to parse but mentions `Resources` (which every template has), so
/// it may be a broken template. A `tsconfig.json` with comments is skipped.
fn looks_like_template(report: &Report, source: &SourceFile) -> bool {
    match report.status {
        Status::Linted => true,
        Status::NotATemplate => false,
        Status::Failed => {
            let only_syntax = report.diagnostics.iter().all(|d| {
                matches!(
                    d.kind,
                    DiagnosticKind::Syntax
                        | DiagnosticKind::DuplicateKey
                        | DiagnosticKind::UnknownTag
                        | DiagnosticKind::NotStrictJson
                )
            });
            !only_syntax || source.text().contains("Resources")
        }
    }
}

/// Totals over a run, shown in the summary line and the JSON `summary`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files and inputs considered (including those that failed).
    pub files: usize,
    /// Templates the rules ran on.
    pub templates: usize,
    /// Files that are not templates.
    pub skipped: usize,
    /// Findings not suppressed.
    pub findings: usize,
    /// Findings a suppression covers.
    pub suppressed: usize,
    /// Resources whose port could not be determined.
    pub undetermined: usize,
    /// Inputs that could not be read or parsed, counted per problem.
    pub errors: usize,
    /// Warnings about inputs (suppressions without a reason, lenient JSON).
    pub warnings: usize,
}

impl Summary {
    /// Counts `results`.
    #[must_use]
    pub fn of(results: &[FileResult]) -> Self {
        let mut summary = Summary {
            files: results.len(),
            ..Summary::default()
        };
        for result in results {
            summary.templates += usize::from(result.is_template());
            summary.skipped +=
                usize::from(result.skipped || result.report.status == Status::NotATemplate);
            summary.findings += result.active_findings().count();
            summary.suppressed += result.suppressed_findings().count();
            summary.undetermined += result.undetermined().len();
            summary.errors += usize::from(result.io_error.is_some());
            for diagnostic in result.diagnostics() {
                match diagnostic.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Note => {}
                }
            }
        }
        summary
    }
}

/// The process exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the fail level.
    Clean = 0,
    /// Findings (or warnings about inputs) at or above the fail level.
    Findings = 1,
    /// A usage error, or an input that could not be read or parsed.
    Error = 2,
}

impl ExitStatus {
    /// The status of a run: 2 when any input failed, else 1 when any finding
    /// or warning is at or above `fail_level`, else 0. Notes about inputs
    /// ("not a template") never fail a run.
    #[must_use]
    pub fn of(results: &[FileResult], fail_level: Severity) -> Self {
        if results.iter().any(FileResult::has_errors) {
            return ExitStatus::Error;
        }
        let failing = results.iter().any(|r| {
            r.active_findings().any(|f| f.severity >= fail_level)
                || r.diagnostics()
                    .any(|d| d.severity >= fail_level && d.kind != DiagnosticKind::NotATemplate)
        });
        if failing {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status as u8)
    }
}
