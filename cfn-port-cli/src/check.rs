//! Linting every collected file in parallel, and the totals of a run.
//!
//! Files are taken in path order, a batch at a time, and their results come
//! back in that order: the output does not depend on the number of threads
//! or the order in which they finish, and a run holds one batch of files,
//! not all of them.

use std::path::Path;

use cfn_port_rules::model::SourceKind;
use cfn_port_rules::terraform::Vars;
use cfn_port_rules::{
    Diagnostic, DiagnosticKind, FileId, Finding, LintOptions, Report, Severity, SourceFile, Status,
    Undetermined,
};
use rayon::prelude::*;

use crate::inputs::{self, Candidate, CandidateKind, Collected, Origin, ReadError};

/// What happened to one file or input.
#[derive(Debug)]
pub struct FileResult {
    /// The name shown in output.
    pub display: String,
    /// How it was found.
    pub origin: Origin,
    /// The files the report's labels point into, indexed by [`FileId`]:
    /// the input itself first (a template is one file; a Terraform module is
    /// every file it and the local modules it calls were read from). Empty
    /// when the input could not be read as UTF-8.
    pub sources: Vec<SourceFile>,
    /// What the input was linted as, once it was read.
    pub kind: Option<SourceKind>,
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
            sources: Vec::new(),
            kind: None,
            report: Report::failed(Vec::new()),
            io_error: None,
            skipped: false,
            baselined: 0,
            elapsed: std::time::Duration::ZERO,
        }
    }

    /// The input's own text (its first file), when it could be read.
    #[must_use]
    pub fn source(&self) -> Option<&SourceFile> {
        self.sources.first()
    }

    /// The text of file `file` of the input, when it was read.
    #[must_use]
    pub fn source_of(&self, file: FileId) -> Option<&SourceFile> {
        self.sources.get(file.index())
    }

    /// The path shown for file `file` of the input: the name it was read
    /// as, or the input's name when it was not read.
    #[must_use]
    pub fn path_of(&self, file: FileId) -> &str {
        self.source_of(file).map_or(&self.display, SourceFile::name)
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
    let vars = Vars::default();
    let workers = Workers::new(threads);
    for_each_in_order(collected, options, &vars, cwd, &workers, |result| {
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
/// Terraform modules are linted first, all of them, since a walked module
/// that another walked module calls is linted through its caller (with the
/// arguments it is given) and not again on its own; their results are held
/// until their turn. `vars` are the values given for Terraform variables.
///
/// # Errors
/// The first error `visit` returns.
pub fn for_each_in_order<E>(
    collected: Collected,
    options: &LintOptions,
    vars: &Vars,
    cwd: &Path,
    workers: &Workers,
    mut visit: impl FnMut(FileResult) -> Result<(), E>,
) -> Result<(), E> {
    let jobs = lint_modules_first(sorted_jobs(collected), options, vars, cwd, workers);
    let batch_size = workers.threads * FILES_PER_THREAD_AT_ONCE;
    let mut jobs = jobs.into_iter().peekable();
    while jobs.peek().is_some() {
        let batch: Vec<Job> = jobs.by_ref().take(batch_size).collect();
        let lint_batch = || -> Vec<FileResult> {
            batch
                .into_par_iter()
                .map(|job| run_job(job, options, vars, cwd))
                .collect()
        };
        let results = workers.install(lint_batch);
        for result in results {
            visit(result)?;
        }
    }
    Ok(())
}

fn run_job(job: Job, options: &LintOptions, vars: &Vars, cwd: &Path) -> FileResult {
    match job {
        Job::Lint(candidate) => lint_one(&candidate, options, vars, cwd),
        Job::Failed(display, message) => {
            let mut result = FileResult::new(display, Origin::Explicit);
            result.io_error = Some(message);
            result
        }
        Job::Done(result) => *result,
    }
}

/// A file to lint, an input that failed before it could be read, or a
/// Terraform module already linted.
enum Job {
    Lint(Candidate),
    Failed(String, String),
    Done(Box<FileResult>),
}

impl Job {
    fn sort_key(&self) -> (&str, Origin) {
        match self {
            Job::Lint(candidate) => (&candidate.display, candidate.origin),
            Job::Failed(display, _) => (display, Origin::Explicit),
            Job::Done(result) => (&result.display, result.origin),
        }
    }
}

/// Lints the Terraform modules among `jobs` (in parallel) and leaves out
/// each walked module that a module it is not called by itself calls: that
/// one is judged through its caller, with the values the caller gives it,
/// and on its own would be judged on its variables' defaults alone. A
/// module named on the command line is always linted. Order is kept.
fn lint_modules_first(
    jobs: Vec<Job>,
    options: &LintOptions,
    vars: &Vars,
    cwd: &Path,
    workers: &Workers,
) -> Vec<Job> {
    let is_module =
        |job: &Job| matches!(job, Job::Lint(c) if c.kind == CandidateKind::TerraformModule);
    if !jobs.iter().any(is_module) {
        return jobs;
    }
    let linted: Vec<Job> = workers.install(|| {
        jobs.into_par_iter()
            .map(|job| match job {
                Job::Lint(candidate) if candidate.kind == CandidateKind::TerraformModule => {
                    Job::Done(Box::new(lint_one(&candidate, options, vars, cwd)))
                }
                other => other,
            })
            .collect()
    });
    let modules: Vec<(&str, Vec<String>)> = linted
        .iter()
        .filter_map(|job| match job {
            Job::Done(result) => Some((result.display.as_str(), called_dirs(result))),
            _ => None,
        })
        .collect();
    let called: std::collections::BTreeSet<&str> = modules
        .iter()
        .flat_map(|(_, calls)| calls.iter().map(String::as_str))
        .collect();
    let called_by_a_root: std::collections::BTreeSet<String> = modules
        .iter()
        .filter(|(dir, _)| !called.contains(dir))
        .flat_map(|(_, calls)| calls.iter().cloned())
        .collect();
    linted
        .into_iter()
        .filter(|job| match job {
            Job::Done(result) => {
                result.origin != Origin::Walked || !called_by_a_root.contains(&result.display)
            }
            _ => true,
        })
        .collect()
}

/// The directories of the local modules a module's result read besides its
/// own, as shown (`modules/cache`).
fn called_dirs(result: &FileResult) -> Vec<String> {
    let mut dirs: Vec<String> = result
        .sources
        .iter()
        .filter(|source| crate::terraform::is_configuration(source))
        .map(|source| {
            let parent = Path::new(source.name()).parent().unwrap_or(Path::new(""));
            inputs::display_path(parent)
        })
        .filter(|dir| *dir != result.display)
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
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

fn lint_one(candidate: &Candidate, options: &LintOptions, vars: &Vars, cwd: &Path) -> FileResult {
    let start = std::time::Instant::now();
    let mut result = match candidate.kind {
        CandidateKind::File
            if candidate.origin == Origin::Stdin
                && crate::terraform::names_configuration(&candidate.display) =>
        {
            lint_stdin_module(candidate, options, vars, cwd)
        }
        CandidateKind::File => lint_one_untimed(candidate, options, cwd),
        CandidateKind::TerraformModule => lint_module(candidate, options, vars, cwd),
    };
    result.elapsed = start.elapsed();
    result
}

/// Lints a Terraform module directory; files it could not read are
/// diagnostics of the module.
fn lint_module(
    candidate: &Candidate,
    options: &LintOptions,
    vars: &Vars,
    cwd: &Path,
) -> FileResult {
    let reader = crate::terraform::DiskReader::new(cwd, options.limits.max_file_size);
    let linted = cfn_port_rules::terraform::lint_module(&candidate.display, &reader, vars, options);
    let mut result = module_result(candidate, linted);
    result.report.diagnostics.extend(reader.into_problems());
    // A walked directory's `.tf` files could not be read: nothing to show
    // but the reasons, which are errors and shown anyway.
    result.skipped = candidate.origin == Origin::Walked
        && result.report.status == Status::NotATemplate
        && result.report.diagnostics.is_empty();
    result
}

/// Lints Terraform configuration read from stdin (`--stdin-filename
/// main.tf`) as a module of that one file, with the `--var` values.
fn lint_stdin_module(
    candidate: &Candidate,
    options: &LintOptions,
    vars: &Vars,
    cwd: &Path,
) -> FileResult {
    use crate::terraform::{STDIN_MODULE_DIR, StdinModule};
    let source = match inputs::read(candidate, cwd, options.limits.max_file_size) {
        Ok(source) => source,
        Err(error) => return unreadable(candidate, error),
    };
    let linted = cfn_port_rules::terraform::lint_module(
        STDIN_MODULE_DIR,
        &StdinModule(source),
        vars,
        options,
    );
    module_result(candidate, linted)
}

/// The result of a linted module: its report, and its files to show labels in.
fn module_result(
    candidate: &Candidate,
    linted: cfn_port_rules::terraform::TerraformReport,
) -> FileResult {
    let mut result = FileResult::new(candidate.display.clone(), candidate.origin);
    result.report = linted.report;
    result.sources = linted.files;
    if result.report.status == Status::Linted {
        result.kind = Some(SourceKind::Terraform);
    }
    result
}

fn lint_one_untimed(candidate: &Candidate, options: &LintOptions, cwd: &Path) -> FileResult {
    let source = match inputs::read(candidate, cwd, options.limits.max_file_size) {
        Ok(source) => source,
        Err(error) => return unreadable(candidate, error),
    };
    let mut result = FileResult::new(candidate.display.clone(), candidate.origin);
    let (kind, report, configuration) = lint_source(&source, options, cwd);
    result.report = report;
    result.kind = (result.report.status == Status::Linted).then_some(kind);
    result.skipped =
        candidate.origin == Origin::Walked && !looks_like_template(&result.report, &source);
    result.sources = vec![source];
    result.sources.extend(configuration);
    result
}

/// The result of an input that could not be read: why, as an I/O error or
/// a located diagnostic (too large, not UTF-8).
fn unreadable(candidate: &Candidate, error: ReadError) -> FileResult {
    let mut result = FileResult::new(candidate.display.clone(), candidate.origin);
    match error {
        ReadError::Io(message) => result.io_error = Some(message),
        ReadError::Diagnostic(diagnostic) => result.report.diagnostics.push(*diagnostic),
    }
    result
}

/// Lints one input: a `.json` file that is a Terraform plan or saved AWS CLI
/// `describe-*` output through its front-end's model, anything else as a
/// CloudFormation template. A plan's labels may point into the configuration
/// beside it, whose files come back with the report.
fn lint_source(
    source: &SourceFile,
    options: &LintOptions,
    cwd: &Path,
) -> (SourceKind, Report, Vec<SourceFile>) {
    saved_output_report(source, options, cwd).unwrap_or_else(|| {
        (
            SourceKind::CloudFormation,
            cfn_port_rules::lint(source, options),
            Vec::new(),
        )
    })
}

/// The report of a plan or describe output, or `None` when the file is
/// neither (only `.json` files whose text names their keys are parsed here).
fn saved_output_report(
    source: &SourceFile,
    options: &LintOptions,
    cwd: &Path,
) -> Option<(SourceKind, Report, Vec<SourceFile>)> {
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
        let (report, configuration) = lint_plan(&plan, source, options, cwd);
        return Some((SourceKind::TerraformPlan, report, configuration));
    }
    if !may_be_describe_output(text) {
        return None;
    }
    match read_describe_output(source, &options.limits) {
        DescribeReading::Output(output) => Some((
            SourceKind::AwsDescribe,
            output.lint(source, options),
            Vec::new(),
        )),
        DescribeReading::Unrecognised => None,
    }
}

/// Lints a plan with labels in the `.tf` files of the module directory the
/// plan file is in (the root module `terraform plan` ran in, by convention)
/// and the local modules it calls. Those files are optional: one that is
/// missing or unreadable only means no label, so the reader's problems are
/// not reported.
fn lint_plan(
    plan: &cfn_port_rules::plan::Plan,
    source: &SourceFile,
    options: &LintOptions,
    cwd: &Path,
) -> (Report, Vec<SourceFile>) {
    let plan_dir = Path::new(source.name()).parent().unwrap_or(Path::new(""));
    let reader = crate::terraform::DiskReader::new(cwd, options.limits.max_file_size);
    let with_sources =
        plan.to_model_with_sources(source.name(), &reader, &inputs::display_path(plan_dir));
    let mut sources = vec![source];
    sources.extend(&with_sources.sources);
    let report = cfn_port_rules::lint_model(&with_sources.model, &sources, options);
    (report, with_sources.sources)
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
    /// Inputs the rules ran on, of every kind (the name is older than the
    /// other kinds); the fields below count those that are not templates.
    pub templates: usize,
    /// Terraform module directories among [`Summary::templates`].
    #[serde(skip_serializing_if = "is_zero")]
    pub terraform_modules: usize,
    /// Terraform plans among [`Summary::templates`].
    #[serde(skip_serializing_if = "is_zero")]
    pub terraform_plans: usize,
    /// Saved AWS describe outputs among [`Summary::templates`].
    #[serde(skip_serializing_if = "is_zero")]
    pub describe_outputs: usize,
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

    /// CloudFormation templates the rules ran on.
    #[must_use]
    pub fn cloudformation_templates(&self) -> usize {
        self.templates - self.terraform_modules - self.terraform_plans - self.describe_outputs
    }

    /// Counts one more result.
    pub fn add(&mut self, result: &FileResult) {
        // A Terraform module is a directory: each of its `.tf` and `.tf.json`
        // files counts (not its variable files).
        self.files += match result.kind {
            Some(SourceKind::Terraform) => result
                .sources
                .iter()
                .filter(|s| crate::terraform::is_configuration(s))
                .count()
                .max(1),
            _ => 1,
        };
        self.templates += usize::from(result.is_template());
        if result.is_template() {
            match result.kind {
                Some(SourceKind::Terraform) => self.terraform_modules += 1,
                Some(SourceKind::TerraformPlan) => self.terraform_plans += 1,
                Some(SourceKind::AwsDescribe) => self.describe_outputs += 1,
                _ => {}
            }
        }
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

// serde's `skip_serializing_if` passes a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
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
