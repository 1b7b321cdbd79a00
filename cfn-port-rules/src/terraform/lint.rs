//! Linting a Terraform module directory: load, expand, build the model, run
//! the rules, apply suppression comments.

use std::collections::BTreeMap;

use super::eval::Evaluator;
use super::expand::{Expansion, expand_with};
use super::files::{FileRole, base_name, file_role};
use super::model::{READ_ARGUMENTS, to_model_of};
use super::module::{ModuleReader, Workspace, escape};
use super::value::{Possibility, Step, TfScenario, TfValue};
use crate::lint::{LintOptions, Report, Status, check_model, place};
use crate::source::{FileId, SourceFile, Span};
use crate::suppress::{self, CommentSyntax, ResourceLines};

/// Values for the root module's variables, as Terraform's `-var NAME=VALUE`
/// and `-var-file FILE` give them, in command-line order: a later one wins
/// over an earlier one, and all of them win over `terraform.tfvars`,
/// `terraform.tfvars.json` and `*.auto.tfvars[.json]` (which win over a
/// variable's `default`).
///
/// ```
/// use cfn_port_rules::SourceFile;
/// use cfn_port_rules::terraform::Vars;
///
/// let (name, value) = Vars::split_var("port=6380").unwrap();
/// let vars = Vars::new()
///     .with_var_file(SourceFile::new("prod.tfvars", "port = 6379\n"))
///     .with_var(name, value);
/// assert_eq!(vars.len(), 2);
/// ```
#[derive(Debug, Default)]
pub struct Vars {
    inputs: Vec<VarInput>,
}

#[derive(Debug)]
enum VarInput {
    Var { name: String, value: String },
    File(SourceFile),
}

/// The name of the file that holds the `--var` values, so that a step can
/// point at the one that gave a variable its value.
pub const COMMAND_LINE_FILE: &str = "<command line>";

impl Vars {
    /// No values.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `--var name=value`. The value is read as Terraform reads it: a
    /// number or bool when it reads as one, else a string, then converted
    /// to the variable's declared type.
    #[must_use]
    pub fn with_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inputs.push(VarInput::Var {
            name: name.into(),
            value: value.into(),
        });
        self
    }

    /// Adds `--var-file`: a variable definitions file, native syntax or JSON
    /// (by a `.json` name), already read by the caller.
    #[must_use]
    pub fn with_var_file(mut self, file: SourceFile) -> Self {
        self.inputs.push(VarInput::File(file));
        self
    }

    /// Splits `NAME=VALUE` as `--var` takes it; an error says what is wrong.
    ///
    /// # Errors
    /// When there is no `=` or the name is empty.
    pub fn split_var(text: &str) -> Result<(&str, &str), String> {
        match text.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => Ok((name.trim(), value)),
            _ => Err(format!("`{}` is not NAME=VALUE", escape(text))),
        }
    }

    /// How many values and files were given.
    #[must_use]
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether nothing was given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Adds the files to `workspace` and returns the `--var` values that win,
    /// each with a step on its text in the [`COMMAND_LINE_FILE`].
    fn apply(&self, workspace: &mut Workspace) -> BTreeMap<String, Possibility> {
        let mut given = BTreeMap::new();
        let mut command_line = String::new();
        let mut spans = Vec::new();
        for input in &self.inputs {
            match input {
                VarInput::Var { name, value } => {
                    command_line.push_str("--var ");
                    let start = command_line.len();
                    command_line.push_str(&format!("{name}={value}"));
                    spans.push((name, value, Span::new(start, command_line.len())));
                    command_line.push('\n');
                    given.insert(name.clone(), spans.len() - 1);
                }
                VarInput::File(file) => {
                    // The workspace keeps its own copy: the caller may lint many modules with the same files.
                    let copy = SourceFile::new(file.name(), file.text());
                    for name in workspace.add_var_file(copy) {
                        given.remove(&name);
                    }
                }
            }
        }
        if spans.is_empty() {
            return BTreeMap::new();
        }
        let file = workspace.add_file(SourceFile::new(COMMAND_LINE_FILE, command_line));
        given
            .into_iter()
            .map(|(name, index)| {
                let (_, value, span) = spans[index];
                let possibility = command_line_value(file, &name, value, span);
                (name, possibility)
            })
            .collect()
    }
}

fn command_line_value(file: FileId, name: &str, text: &str, span: Span) -> Possibility {
    Possibility {
        value: TfValue::from_command_line(text),
        scenario: TfScenario::default(),
        trace: vec![Step {
            file,
            span,
            description: format!("`--var {}={}`", escape(name), escape(text)),
        }],
    }
}

/// What linting a Terraform module directory found, and the files its
/// labels point into.
#[derive(Debug)]
#[non_exhaustive]
pub struct TerraformReport {
    /// Findings, undetermined resources and diagnostics. A [`crate::FileId`]
    /// in a label indexes [`TerraformReport::files`]; positions are already
    /// filled in.
    pub report: Report,
    /// Every file read: the root module's and the local modules' files,
    /// `--var-file` files and, when `--var` was given, the
    /// [`COMMAND_LINE_FILE`] holding those values.
    pub files: Vec<SourceFile>,
}

/// Lints the Terraform module in directory `dir` (and the local modules it
/// calls), reading files through `reader`, with root variable values `vars`.
///
/// Its [`Report`] holds findings with labels in several files (a local
/// module's argument in the caller, a variable's default in `variables.tf`),
/// so the files come back with it. The report's status is
/// [`Status::NotATemplate`] when `dir` holds no `.tf` or `.tf.json` file.
///
/// ```
/// use cfn_port_rules::LintOptions;
/// use cfn_port_rules::terraform::{MemoryReader, Vars, lint_module};
///
/// let reader = MemoryReader::new()
///     .with_file("app", "variables.tf", "variable \"port\" {\n  default = 6379\n}\n")
///     .with_file("app", "main.tf", "\
/// resource \"aws_elasticache_replication_group\" \"cache\" {
///   port = var.port
/// }
/// ");
/// let linted = lint_module("app", &reader, &Vars::new(), &LintOptions::default());
/// let finding = &linted.report.findings[0];
/// assert_eq!(finding.resource, "aws_elasticache_replication_group.cache");
/// assert_eq!(finding.location.unwrap().start.line, 2);
/// let labels: Vec<&str> = finding.labels.iter().map(|l| &*l.message).collect();
/// assert!(labels.contains(&"variable `port` defaults to 6379 (variables.tf)"));
///
/// // `--var port=3560` wins over the default: no finding.
/// let vars = Vars::new().with_var("port", "3560");
/// let linted = lint_module("app", &reader, &vars, &LintOptions::default());
/// assert!(linted.report.findings.is_empty());
/// ```
#[must_use]
pub fn lint_module(
    dir: &str,
    reader: &dyn ModuleReader,
    vars: &Vars,
    options: &LintOptions,
) -> TerraformReport {
    let mut workspace = Workspace::load_arguments(dir, reader, READ_ARGUMENTS);
    let given = vars.apply(&mut workspace);
    let (model, mut declared) = {
        let expansion = expand_with(Evaluator::with_given(&workspace, given));
        let kinds = options.kinds();
        let model = to_model_of(&expansion, |kind| kinds.contains(&kind));
        (model, suppressions(&workspace, &expansion))
    };
    // The syntax trees are not needed any more; the files are, to place
    // the labels. A large module's trees are most of the memory in use.
    let configured = has_configuration(&workspace);
    workspace.modules = Vec::new();
    workspace.var_files = BTreeMap::new();
    let mut report = check_model(&model, options);
    report.diagnostics.append(&mut declared.1);
    suppress::mark(&mut declared.0, &mut report);
    let sources: Vec<&SourceFile> = workspace.files.iter().collect();
    let mut report = place(report, &sources);
    if !configured {
        report.status = Status::NotATemplate;
    }
    TerraformReport {
        report,
        files: workspace.files,
    }
}

fn has_configuration(workspace: &Workspace) -> bool {
    workspace.root().files.iter().any(|&id| {
        matches!(
            file_role(base_name(workspace.file(id).name())),
            Some(FileRole::Config | FileRole::ConfigJson)
        )
    })
}

/// The `# cfn-port-lint: ignore RULE reason` comments of every
/// configuration file, each attached to the instances of the resource block
/// below it, and the warnings about misplaced ones.
fn suppressions(
    workspace: &Workspace,
    expansion: &Expansion<'_>,
) -> (Vec<suppress::Declared>, Vec<crate::Diagnostic>) {
    let mut by_file: BTreeMap<FileId, Vec<(u32, &str)>> = BTreeMap::new();
    for instance in &expansion.resources {
        let block = expansion.block(instance);
        by_file
            .entry(block.file)
            .or_default()
            .push((block.span.start, instance.address.as_str()));
    }
    let mut declared = Vec::new();
    let mut diagnostics = Vec::new();
    for (index, source) in workspace.files.iter().enumerate() {
        let file = FileId(index as u32);
        let config = matches!(file_role(base_name(source.name())), Some(FileRole::Config));
        if !config || !source.text().contains(suppress::MARKER) {
            continue;
        }
        let mut lines = ResourceLines::default();
        for &(start, address) in by_file.get(&file).map_or(&[][..], Vec::as_slice) {
            lines
                .entry(source.line_index(start))
                .or_default()
                .push(address);
        }
        suppress::collect_comments(
            source,
            file,
            CommentSyntax::HashOrSlashes,
            &lines,
            &mut declared,
            &mut diagnostics,
        );
    }
    (declared, diagnostics)
}
