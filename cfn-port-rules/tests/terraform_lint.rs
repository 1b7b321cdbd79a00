//! EC-012 on Terraform modules, through `terraform::lint_module`: every
//! module directory under `testdata/terraform/` is linted and its findings,
//! undetermined resources and diagnostics are snapshotted with every label's
//! file, line and column. A directory named `fail-*` must have an EC-012
//! finding, `pass-*` none, `suppress-*` a suppressed one.
//!
//! A directory may hold `vars.txt`: one `--var NAME=VALUE` or
//! `--var-file FILE` per line, given in that order.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cfn_port_rules::terraform::files::file_role;
use cfn_port_rules::terraform::{ModuleReader, TerraformReport, Vars, lint_module};
use cfn_port_rules::{Label, LintOptions, SourceFile};

/// Reads module directories from disk, as the command line does.
struct DiskReader;

impl ModuleReader for DiskReader {
    fn read_dir(&self, dir: &str) -> Option<Vec<SourceFile>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).ok()? {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?;
            if path.is_file() && file_role(name).is_some() {
                let bytes = std::fs::read(&path).ok()?;
                files.extend(SourceFile::from_bytes(path.display().to_string(), bytes).ok());
            }
        }
        Some(files)
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/terraform")
}

/// The `--var` and `--var-file` arguments of `vars.txt`, if any.
fn vars_of(dir: &Path) -> Vars {
    let Ok(text) = std::fs::read_to_string(dir.join("vars.txt")) else {
        return Vars::new();
    };
    text.lines().fold(Vars::new(), |vars, line| {
        if let Some(assignment) = line.strip_prefix("--var ") {
            let (name, value) = Vars::split_var(assignment).unwrap();
            vars.with_var(name, value)
        } else if let Some(file) = line.strip_prefix("--var-file ") {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            vars.with_var_file(SourceFile::new(file, text))
        } else {
            panic!("vars.txt: cannot read `{line}`");
        }
    })
}

/// Lints a fixture directory.
fn lint_dir(dir: &Path) -> TerraformReport {
    lint_module(
        &dir.display().to_string(),
        &DiskReader,
        &vars_of(dir),
        &LintOptions::default(),
    )
}

/// `file:line:col` of a span, the file relative to the fixture directory.
fn place(linted: &TerraformReport, prefix: &str, label: &Label) -> String {
    let source = &linted.files[label.file.index()];
    let at = source.line_col(label.span.start);
    let name = source.name().strip_prefix(prefix).unwrap_or(source.name());
    format!("{name}:{}:{}", at.line, at.column)
}

/// Everything the report says, one line per item, each label placed.
fn describe(dir: &Path, linted: &TerraformReport) -> String {
    let prefix = format!("{}/", dir.display());
    let report = &linted.report;
    let mut out = String::new();
    writeln!(out, "status: {:?}", report.status).unwrap();
    for finding in &report.findings {
        writeln!(
            out,
            "{}[{}] {}",
            finding.severity.as_str(),
            finding.rule,
            finding.message
        )
        .unwrap();
        for (i, label) in finding.labels.iter().enumerate() {
            let kind = if i == 0 { "-->" } else { "   " };
            writeln!(
                out,
                "  {kind} {}: {}",
                place(linted, &prefix, label),
                label.message
            )
            .unwrap();
        }
        for note in &finding.notes {
            writeln!(out, "  note: {note}").unwrap();
        }
        if let Some(suppression) = &finding.suppressed {
            writeln!(
                out,
                "  suppressed ({:?}): {}",
                suppression.source,
                suppression.reason.as_deref().unwrap_or("no reason")
            )
            .unwrap();
        }
    }
    for undetermined in &report.undetermined {
        let label = Label::primary(undetermined.span, "").in_file(undetermined.file);
        writeln!(
            out,
            "undetermined[{}] `{}` at {}: {}",
            undetermined.rule,
            undetermined.resource,
            place(linted, &prefix, &label),
            undetermined.reason
        )
        .unwrap();
    }
    for diagnostic in &report.diagnostics {
        writeln!(
            out,
            "{}[{}] {}",
            diagnostic.severity.as_str(),
            diagnostic.kind.code(),
            diagnostic.message
        )
        .unwrap();
        for label in &diagnostic.labels {
            writeln!(
                out,
                "  {}: {}",
                place(linted, &prefix, label),
                label.message
            )
            .unwrap();
        }
    }
    out
}

#[test]
fn terraform_fixtures_match_their_finding_snapshots() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12, "the Terraform fixtures are missing");
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let linted = lint_dir(dir);
        let report = &linted.report;
        // The snapshot first: when a verdict is wrong, its diff shows why.
        insta::assert_snapshot!(name.as_str(), describe(dir, &linted));
        let ec012 = || report.findings.iter().filter(|f| f.rule == "EC-012");
        if name.starts_with("fail-") {
            assert!(
                ec012().any(|f| f.suppressed.is_none()),
                "{name} should have an EC-012 finding"
            );
        } else if name.starts_with("pass-") {
            assert!(
                report.active_findings().next().is_none(),
                "{name} should have no finding, got {:#?}",
                report.findings
            );
        } else if name.starts_with("suppress-") {
            assert!(
                ec012().any(|f| f.suppressed.is_some()),
                "{name} should suppress a finding"
            );
        } else {
            panic!("{name}: a fixture's name starts with fail-, pass- or suppress-");
        }
    }
}
