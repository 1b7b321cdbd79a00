//! Terraform module directories: reading their files from disk for the
//! library, the values of `--var` and `--var-file`, and linting one module.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cfn_port_rules::terraform::ModuleReader;
use cfn_port_rules::terraform::files::file_role;
use cfn_port_rules::{Diagnostic, DiagnosticKind, LintOptions, Report, SourceFile};

use crate::inputs::{self, Candidate, Origin, ReadError};

/// One `--var NAME=VALUE` or `--var-file FILE`, in command-line order: as in
/// Terraform, a later one wins over an earlier one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarArg {
    /// `--var NAME=VALUE`.
    Value {
        /// The variable's name.
        name: String,
        /// Its value as written (Terraform reads it as a string, or as an
        /// expression for a variable of a complex type).
        value: String,
    },
    /// `--var-file FILE`.
    File(PathBuf),
}

/// The variable values given on the command line, with each variable file
/// read once for every module.
#[derive(Debug, Default)]
pub struct TerraformVars {
    /// The values and files, in command-line order; files already read.
    pub given: Vec<GivenVar>,
}

/// A value, or a variable file's text.
#[derive(Debug)]
pub enum GivenVar {
    /// `--var NAME=VALUE`.
    Value {
        /// The variable's name.
        name: String,
        /// Its value as written.
        value: String,
    },
    /// A `--var-file`, read.
    File(SourceFile),
}

impl TerraformVars {
    /// Reads every `--var-file` (within `max` bytes, as UTF-8).
    ///
    /// # Errors
    /// When a variable file cannot be read: unlike an input, a file the
    /// user gives values in must be there, or every module is judged wrong.
    pub fn read(args: &[VarArg], cwd: &Path, max: usize) -> anyhow::Result<Self> {
        let mut given = Vec::with_capacity(args.len());
        for arg in args {
            given.push(match arg {
                VarArg::Value { name, value } => GivenVar::Value {
                    name: name.clone(),
                    value: value.clone(),
                },
                VarArg::File(path) => {
                    let display = inputs::display_path(path);
                    let candidate =
                        Candidate::file(path.clone(), display.clone(), Origin::Explicit);
                    match inputs::read(&candidate, cwd, max) {
                        Ok(source) => GivenVar::File(source),
                        Err(ReadError::Io(message)) => {
                            anyhow::bail!("--var-file `{display}`: {message}")
                        }
                        Err(ReadError::Diagnostic(diagnostic)) => {
                            anyhow::bail!("--var-file `{display}`: {}", diagnostic.message)
                        }
                    }
                }
            });
        }
        Ok(Self { given })
    }
}

/// Splits `NAME=VALUE` at the first `=`.
///
/// # Errors
/// When there is no `=` or the name is empty.
pub fn parse_var(pair: &str) -> anyhow::Result<VarArg> {
    match pair.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok(VarArg::Value {
            name: name.trim().to_string(),
            value: value.to_string(),
        }),
        _ => anyhow::bail!("--var `{pair}` must look like NAME=VALUE"),
    }
}

/// Reads module directories from disk, relative to the working directory,
/// within the size limit; what it could not read is kept as diagnostics.
#[derive(Debug)]
pub struct DiskReader<'a> {
    cwd: &'a Path,
    max_file_size: usize,
    problems: Mutex<Vec<Diagnostic>>,
}

impl<'a> DiskReader<'a> {
    /// A reader of directories under `cwd`, of files up to `max_file_size` bytes.
    #[must_use]
    pub fn new(cwd: &'a Path, max_file_size: usize) -> Self {
        Self {
            cwd,
            max_file_size,
            problems: Mutex::new(Vec::new()),
        }
    }

    /// The files it could not read, one diagnostic each.
    #[must_use]
    pub fn into_problems(self) -> Vec<Diagnostic> {
        self.problems
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn problem(&self, diagnostic: Diagnostic) {
        if let Ok(mut problems) = self.problems.lock() {
            problems.push(diagnostic);
        }
    }
}

impl ModuleReader for DiskReader<'_> {
    fn read_dir(&self, dir: &str) -> Option<Vec<SourceFile>> {
        let entries = match fs::read_dir(self.cwd.join(dir)) {
            Ok(entries) => entries,
            Err(error) => {
                self.problem(Diagnostic::file_error(
                    DiagnosticKind::Io,
                    format!("could not read the module directory `{dir}`: {error}"),
                ));
                return None;
            }
        };
        // Sorted: the files' order decides their ids and which duplicate
        // block Terraform would call the first.
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| file_role(name).is_some())
            .collect();
        names.sort();
        let mut files = Vec::with_capacity(names.len());
        for name in names {
            let path = Path::new(dir).join(&name);
            let display = inputs::display_path(&path);
            let candidate = Candidate::file(path, display.clone(), Origin::Walked);
            match inputs::read(&candidate, self.cwd, self.max_file_size) {
                Ok(source) => files.push(source),
                Err(ReadError::Io(message)) => self.problem(Diagnostic::file_error(
                    DiagnosticKind::Io,
                    format!("`{display}`: {message}"),
                )),
                Err(ReadError::Diagnostic(diagnostic)) => {
                    let mut diagnostic = *diagnostic;
                    diagnostic.message = format!("`{display}`: {}", diagnostic.message);
                    self.problem(diagnostic);
                }
            }
        }
        Some(files)
    }
}

/// Lints the module in `dir` (as shown, relative to the working directory)
/// with the local modules it calls; returns the report and every file its
/// labels point into.
#[must_use]
pub fn lint_module(
    dir: &str,
    reader: &dyn ModuleReader,
    vars: &TerraformVars,
    options: &LintOptions,
) -> (Report, Vec<SourceFile>) {
    use cfn_port_rules::FileId;
    use cfn_port_rules::model::{Model, SourceKind};
    use cfn_port_rules::terraform::Workspace;

    let mut workspace = Workspace::load(dir, reader);
    for given in &vars.given {
        if let GivenVar::File(source) = given {
            // Each module reads its own copy: its files are its input's.
            workspace.add_var_file(SourceFile::new(source.name(), source.text()));
        }
    }
    let names = workspace
        .files
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let mut model = Model::new(SourceKind::Terraform, names);
    for problem in &workspace.diagnostics {
        let mut diagnostic = problem.diagnostic.clone();
        if let Some(file) = problem.file {
            for label in &mut diagnostic.labels {
                label.file = FileId(file.0);
            }
        }
        model.diagnostics.push(diagnostic);
    }
    let sources: Vec<&SourceFile> = workspace.files.iter().collect();
    let report = cfn_port_rules::lint_model(&model, &sources, options);
    (report, workspace.files)
}
