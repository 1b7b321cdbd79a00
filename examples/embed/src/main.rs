//! Lints the files named on the command line with `cfn-port-rules` and
//! writes what it found as one JSON document on stdout, in the field names
//! of `cfn-port-lint --format json`, so a test can compare the two.
//!
//! ```console
//! $ cargo run --manifest-path examples/embed/Cargo.toml -- stack.yaml
//! ```

use std::process::ExitCode;

use cfn_port_rules::{
    Diagnostic, Finding, Label, LabelStyle, LintOptions, Report, Severity, SourceFile, Status,
    Undetermined, lint,
};
use serde::Serialize;

/// Everything found in every file, in the order the files were named.
#[derive(Debug, Default, Serialize)]
struct Output {
    files: Vec<FileOut>,
    findings: Vec<FindingOut>,
    diagnostics: Vec<DiagnosticOut>,
    undetermined: Vec<UndeterminedOut>,
}

/// How far linting one file got.
#[derive(Debug, Serialize)]
struct FileOut {
    path: String,
    status: Status,
}

#[derive(Debug, Serialize)]
struct FindingOut {
    rule: &'static str,
    severity: Severity,
    path: String,
    resource: String,
    resource_type: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: String,
    labels: Vec<LabelOut>,
    notes: Vec<String>,
    help: String,
    suppressed: bool,
}

#[derive(Debug, Serialize)]
struct LabelOut {
    style: LabelStyle,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: String,
}

#[derive(Debug, Serialize)]
struct DiagnosticOut {
    path: String,
    code: &'static str,
    severity: Severity,
    line: Option<u32>,
    column: Option<u32>,
    message: String,
}

#[derive(Debug, Serialize)]
struct UndeterminedOut {
    rule: &'static str,
    path: String,
    resource: String,
    resource_type: String,
    line: u32,
    column: u32,
    reason: String,
}

fn main() -> ExitCode {
    let mut output = Output::default();
    let options = LintOptions::default();
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("cfn-port-embed: cannot read {path:?}: {error}");
                return ExitCode::from(2);
            }
        };
        let (source, report) = match SourceFile::from_bytes(path.clone(), bytes) {
            Ok(source) => {
                let report = lint(&source, &options);
                (Some(source), report)
            }
            Err(diagnostic) => (None, Report::failed(vec![*diagnostic])),
        };
        add_report(&mut output, &path, source.as_ref(), &report);
    }
    match serde_json::to_string_pretty(&output) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cfn-port-embed: {error}");
            ExitCode::from(2)
        }
    }
}

fn add_report(output: &mut Output, path: &str, source: Option<&SourceFile>, report: &Report) {
    output.files.push(FileOut {
        path: path.to_owned(),
        status: report.status,
    });
    if let Some(source) = source {
        for finding in &report.findings {
            output.findings.push(finding_out(path, source, finding));
        }
    }
    for undetermined in &report.undetermined {
        output
            .undetermined
            .push(undetermined_out(path, undetermined));
    }
    for diagnostic in &report.diagnostics {
        output.diagnostics.push(diagnostic_out(path, diagnostic));
    }
}

fn finding_out(path: &str, source: &SourceFile, finding: &Finding) -> FindingOut {
    let location = finding.location.expect("lint places every finding");
    FindingOut {
        rule: finding.rule,
        severity: finding.severity,
        path: path.to_owned(),
        resource: finding.resource.clone(),
        resource_type: finding.resource_type.to_string(),
        line: location.start.line,
        column: location.start.column,
        end_line: location.end.line,
        end_column: location.end.column,
        message: finding.message.clone(),
        labels: finding
            .labels
            .iter()
            .map(|l| label_out(source, l))
            .collect(),
        notes: finding.notes.iter().map(ToString::to_string).collect(),
        help: finding.help.to_string(),
        suppressed: finding.suppressed.is_some(),
    }
}

fn label_out(source: &SourceFile, label: &Label) -> LabelOut {
    let start = source.line_col(label.span.start);
    let end = source.line_col(label.span.end);
    LabelOut {
        style: label.style,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        message: label.message.to_string(),
    }
}

fn diagnostic_out(path: &str, diagnostic: &Diagnostic) -> DiagnosticOut {
    DiagnosticOut {
        path: path.to_owned(),
        code: diagnostic.kind.code(),
        severity: diagnostic.severity,
        line: diagnostic.position.map(|p| p.line),
        column: diagnostic.position.map(|p| p.column),
        message: diagnostic.message.clone(),
    }
}

fn undetermined_out(path: &str, undetermined: &Undetermined) -> UndeterminedOut {
    let start = undetermined
        .location
        .expect("lint places every undetermined resource")
        .start;
    UndeterminedOut {
        rule: undetermined.rule,
        path: path.to_owned(),
        resource: undetermined.resource.clone(),
        resource_type: undetermined.resource_type.clone(),
        line: start.line,
        column: start.column,
        reason: undetermined.reason.clone(),
    }
}
