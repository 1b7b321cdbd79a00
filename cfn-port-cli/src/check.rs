//! Linting every collected file in parallel, and the totals of a run.
//!
//! Files are taken in path order, a batch at a time, and their results come
//! back in that order: the output does not depend on the number of threads
//! or the order in which they finish, and a run holds one batch of files,
//! not all of them.

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
    /// Findings taken out because a baseline records them.
    pub baselined: usize,
    /// How long reading and linting it took (JUnit's `time`).
    pub elapsed: std::time::Duration,
}

impl FileResult {
    /// A result for `display` with nothing found yet.
    pub(crate) fn new(display: String, origin: Origin) -> Self {
        Self {
            display,
            origin,
            source: None,
            report: Report::failed(Vec::new()),
            io_error: None,
            skipped: false,
            baselined: 0,
            elapsed: std::time::Duration::ZERO,
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
///
/// This holds every file's text until the end; the command line uses
/// [`for_each_in_order`] instead, which does not.
#[must_use]
pub fn run(
    collected: Collected,
    options: &LintOptions,
    cwd: &Path,
    threads: usize,
) -> Vec<FileResult> {
    let mut results = Vec::new();
    for_each_in_order(collected, options, cwd, &Workers::new(threads), |result| {
        results.push(result);
        Ok(())
    })
    .unwrap_or_else(|never: std::convert::Infallible| match never {});
    results
}

/// How many files are linted, and held, at once per thread: enough that one
/// slow file in a batch rarely leaves a thread idle, few enough that memory
/// stays a small multiple of the largest file, whatever the number of files.
const FILES_PER_THREAD_AT_ONCE: usize = 8;

/// Lints every candidate on `threads` threads and hands each result (and
/// each input error) to `visit` in path order, one batch at a time: a
/// result is dropped once visited, so a run over ten thousand files holds
/// only a batch of them. Stops at the first error `visit` returns.
///
/// # Errors
/// The first error `visit` returns.
pub fn for_each_in_order<E>(
    collected: Collected,
    options: &LintOptions,
    cwd: &Path,
    workers: &Workers,
    mut visit: impl FnMut(FileResult) -> Result<(), E>,
) -> Result<(), E> {
    let jobs = sorted_jobs(collected);
    let batch_size = workers.threads * FILES_PER_THREAD_AT_ONCE;
    for batch in jobs.chunks(batch_size) {
        let lint_batch = || -> Vec<FileResult> {
            batch
                .par_iter()
                .map(|job| match job {
                    Job::Lint(candidate) => lint_one(candidate, options, cwd),
                    Job::Failed(display, message) => {
                        let mut result = FileResult::new(display.clone(), Origin::Explicit);
                        result.io_error = Some(message.clone());
                        result
                    }
                })
                .collect()
        };
        let results = workers.install(lint_batch);
        for result in results {
            visit(result)?;
        }
    }
    Ok(())
}

/// A file to lint, or an input that failed before it could be read.
enum Job {
    Lint(Candidate),
    Failed(String, String),
}

impl Job {
    fn sort_key(&self) -> (&str, Origin) {
        match self {
            Job::Lint(candidate) => (&candidate.display, candidate.origin),
            Job::Failed(display, _) => (display, Origin::Explicit),
        }
    }
}

/// The threads that lint files and render large outputs: `-j`.
#[derive(Debug)]
pub struct Workers {
    pool: Option<rayon::ThreadPool>,
    threads: usize,
}

impl Workers {
    /// `threads` threads (at least one); just this one when no thread can
    /// be started.
    #[must_use]
    pub fn new(threads: usize) -> Self {
        let threads = threads.max(1);
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => Self {
                pool: Some(pool),
                threads,
            },
            Err(_) => Self {
                pool: None,
                threads: 1,
            },
        }
    }

    /// How many threads there are.
    #[must_use]
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `work` on the workers, so that its parallel iterators use
    /// them, or on this thread when no thread could be started.
    pub fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

/// Every candidate and input error, in the order results are shown.
fn sorted_jobs(collected: Collected) -> Vec<Job> {
    let Collected {
        candidates, errors, ..
    } = collected;
    let mut jobs: Vec<Job> = candidates.into_iter().map(Job::Lint).collect();
    jobs.extend(
        errors
            .into_iter()
            .map(|error| Job::Failed(error.display, error.message)),
    );
    // Stable: a path both found and failed keeps candidates first, as before.
    jobs.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    jobs
}

fn lint_one(candidate: &Candidate, options: &LintOptions, cwd: &Path) -> FileResult {
    let start = std::time::Instant::now();
    let mut result = lint_one_untimed(candidate, options, cwd);
    result.elapsed = start.elapsed();
    result
}

fn lint_one_untimed(candidate: &Candidate, options: &LintOptions, cwd: &Path) -> FileResult {
    let mut result = FileResult::new(candidate.display.clone(), candidate.origin);
    match inputs::read(candidate, cwd, options.limits.max_file_size) {
        Ok(source) => {
            result.report = lint_source(&source, options);
            result.skipped =
                candidate.origin == Origin::Walked && !looks_like_template(&result.report, &source);
            result.source = Some(source);
        }
        Err(ReadError::Io(message)) => result.io_error = Some(message),
        Err(ReadError::Diagnostic(diagnostic)) => result.report.diagnostics.push(*diagnostic),
    }
    result
}

/// Lints one input: a `.json` file that is a Terraform plan or saved AWS CLI
/// `describe-*` output through its front-end's model, anything else as a
/// CloudFormation template.
fn lint_source(source: &SourceFile, options: &LintOptions) -> Report {
    saved_output_report(source, options).unwrap_or_else(|| cfn_port_rules::lint(source, options))
}

/// The report of a plan or describe output, or `None` when the file is
/// neither (only `.json` files whose text names their keys are parsed here).
fn saved_output_report(source: &SourceFile, options: &LintOptions) -> Option<Report> {
    use cfn_port_rules::aws::describe::{
        DescribeReading, may_be_describe_output, read_describe_output,
    };
    use cfn_port_rules::plan::{PlanReading, may_be_plan, read_plan};
    if !source.name().to_ascii_lowercase().ends_with(".json") {
        return None;
    }
    let text = source.text();
    if may_be_plan(text)
        && let PlanReading::Plan(plan) = read_plan(source, &options.limits)
    {
        let model = plan.to_model(source.name());
        return Some(cfn_port_rules::lint_model(&model, &[source], options));
    }
    if !may_be_describe_output(text) {
        return None;
    }
    match read_describe_output(source, &options.limits) {
        DescribeReading::Output(output) => Some(output.lint(source, options)),
        DescribeReading::Unrecognised => None,
    }
}

/// Whether a file that is not named on the command line should be reported
/// on: it is a template, or its text [looks like one](cfn_port_rules::looks_like_template)
/// although it could not be read as one. Anything else (a docker-compose
/// file with merge keys, a multi-document Kubernetes manifest, JSON nested
/// past the depth limit) is skipped and counted, whatever its problems.
///
/// Public so that a front end can treat named files the same way (for
/// example a pre-commit hook, which names every staged YAML file).
#[must_use]
pub fn looks_like_template(report: &Report, source: &SourceFile) -> bool {
    match report.status {
        // Parsed, and judged not a template by the library itself.
        Status::NotATemplate => false,
        Status::Failed => cfn_port_rules::looks_like_template(source.text()),
        // Linted, and any status added later: report it rather than hide it.
        _ => true,
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
    /// Findings a baseline records, not reported.
    pub baselined: usize,
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
        let mut summary = Summary::default();
        for result in results {
            summary.add(result);
        }
        summary
    }

    /// Counts one more result.
    pub fn add(&mut self, result: &FileResult) {
        self.files += 1;
        self.templates += usize::from(result.is_template());
        self.skipped += usize::from(result.skipped || result.report.status == Status::NotATemplate);
        self.findings += result.active_findings().count();
        self.suppressed += result.suppressed_findings().count();
        self.baselined += result.baselined;
        self.undetermined += result.undetermined().len();
        self.errors += usize::from(result.io_error.is_some());
        for diagnostic in result.diagnostics() {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note => {}
            }
        }
    }
}

/// The process exit status, ordered from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
        results
            .iter()
            .map(|result| Self::of_one(result, fail_level))
            .max()
            .unwrap_or(ExitStatus::Clean)
    }

    /// The status one result calls for; a run's is the worst of them.
    #[must_use]
    pub fn of_one(result: &FileResult, fail_level: Severity) -> Self {
        if result.has_errors() {
            return ExitStatus::Error;
        }
        let failing = result.active_findings().any(|f| f.severity >= fail_level)
            || result
                .diagnostics()
                .any(|d| d.severity >= fail_level && d.kind != DiagnosticKind::NotATemplate);
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
