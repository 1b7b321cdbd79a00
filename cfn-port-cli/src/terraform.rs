//! Terraform module directories: reading their files from disk for the
//! library, the values of `--var` and `--var-file`, and linting one module.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cfn_port_rules::terraform::files::{FileRole, base_name, file_role};
use cfn_port_rules::terraform::{ModuleReader, Vars};
use cfn_port_rules::{Diagnostic, DiagnosticKind, SourceFile};

use crate::inputs::{self, Candidate, Origin, ReadError};

/// One `--var NAME=VALUE` or `--var-file FILE`, in command-line order: as in
/// Terraform, a later one wins over an earlier one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarArg {
    /// `--var NAME=VALUE`.
    Value {
        /// The variable's name.
        name: String,
        /// Its value as written (Terraform reads it as a number or bool
        /// when it reads as one, else a string).
        value: String,
    },
    /// `--var-file FILE`.
    File(PathBuf),
}

/// Reads every `--var-file` (within `max` bytes, as UTF-8) into the values
/// every module is linted with, in command-line order.
///
/// # Errors
/// When a variable file cannot be read: unlike an input, a file the user
/// gives values in must be there, or every module would be judged wrongly.
pub fn read_vars(args: &[VarArg], cwd: &Path, max: usize) -> anyhow::Result<Vars> {
    let mut vars = Vars::new();
    for arg in args {
        vars = match arg {
            VarArg::Value { name, value } => vars.with_var(name, value),
            VarArg::File(path) => {
                let display = inputs::display_path(path);
                let candidate = Candidate::file(path.clone(), display.clone(), Origin::Explicit);
                match inputs::read(&candidate, cwd, max) {
                    Ok(source) => vars.with_var_file(source),
                    Err(ReadError::Io(message)) => {
                        anyhow::bail!("--var-file `{display}`: {message}")
                    }
                    Err(ReadError::Diagnostic(diagnostic)) => {
                        anyhow::bail!("--var-file `{display}`: {}", diagnostic.message)
                    }
                }
            }
        };
    }
    Ok(vars)
}

/// Splits `NAME=VALUE` at the first `=`.
///
/// # Errors
/// When there is no `=` or the name is empty.
pub fn parse_var(pair: &str) -> anyhow::Result<VarArg> {
    match Vars::split_var(pair) {
        Ok((name, value)) => Ok(VarArg::Value {
            name: name.to_string(),
            value: value.to_string(),
        }),
        Err(message) => anyhow::bail!("--var {message}"),
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

/// Whether a file of a module's result is one of a module directory's
/// configuration files (not a `--var-file` or the `--var` values).
#[must_use]
pub fn is_configuration(source: &SourceFile) -> bool {
    matches!(
        file_role(base_name(source.name())),
        Some(FileRole::Config | FileRole::ConfigJson)
    )
}

/// The name of the directory a module read from stdin stands in.
pub const STDIN_MODULE_DIR: &str = ".";

/// Whether stdin named `name` (`--stdin-filename`) is Terraform
/// configuration, to be linted as a module of that one file.
#[must_use]
pub fn names_configuration(name: &str) -> bool {
    matches!(
        file_role(base_name(name)),
        Some(FileRole::Config | FileRole::ConfigJson)
    )
}

/// A module of one file, read from stdin: the root directory holds it under
/// the name stdin is reported as; a local module it calls is not in view.
#[derive(Debug)]
pub struct StdinModule(pub SourceFile);

impl ModuleReader for StdinModule {
    fn read_dir(&self, dir: &str) -> Option<Vec<SourceFile>> {
        (dir == STDIN_MODULE_DIR).then(|| vec![SourceFile::new(self.0.name(), self.0.text())])
    }
}
