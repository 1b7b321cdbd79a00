//! Every template under `testdata/` linted (the template folders of the
//! rules, `ec012/`, `rds011/`, `cpl001/` ..., and `parse/` and `suppress/`;
//! `plan/`, `terraform/` and `aws-describe/` hold other inputs with tests of
//! their own), its report snapshotted in a form a
//! reviewer can read (positions, the source text each label covers, notes),
//! plus the checks that make the snapshots honest:
//!
//! - `testdata/<rule>/fail/*`: at least one finding of that rule (the folder
//!   `rds011` is the rule `RDS-011`);
//! - `testdata/<rule>/pass/*`: no finding;
//! - `testdata/parse/*`: an error or a "not a template" result;
//! - `testdata/suppress/*`: at least one suppressed finding;
//! - a YAML fixture and its JSON twin give the same findings and the same
//!   undetermined resources.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cfn_port_rules::{Label, LabelStyle, LintOptions, Report, SourceFile, Status, lint};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

fn lint_path(path: &Path) -> (SourceFile, Report) {
    let bytes = std::fs::read(path).expect("fixture is readable");
    let source =
        SourceFile::from_bytes(path.display().to_string(), bytes).expect("fixture is UTF-8");
    let report = lint(&source, &LintOptions::default());
    (source, report)
}

fn label_line(source: &SourceFile, label: &Label) -> String {
    let style = match label.style {
        LabelStyle::Primary => "primary",
        LabelStyle::Secondary => "secondary",
    };
    let start = source.line_col(label.span.start);
    let end = source.line_col(label.span.end);
    let text: String = source.slice(label.span).escape_debug().collect();
    format!("  {style} {start}-{end} `{text}`: {}", label.message)
}

/// A plain-text rendering of a report for snapshots.
fn describe(source: &SourceFile, report: &Report) -> String {
    let mut out = String::new();
    let format = report
        .format
        .map_or("-".to_string(), |f| format!("{f:?}").to_lowercase());
    writeln!(out, "status: {:?}, read as {format}", report.status).unwrap();
    for finding in &report.findings {
        let location = finding.location.expect("findings are located");
        writeln!(
            out,
            "finding {} {} `{}` ({}) at {}-{}",
            finding.rule,
            finding.severity,
            finding.resource,
            finding.resource_type,
            location.start,
            location.end
        )
        .unwrap();
        writeln!(out, "  message: {}", finding.message).unwrap();
        for label in &finding.labels {
            writeln!(out, "{}", label_line(source, label)).unwrap();
        }
        for note in &finding.notes {
            writeln!(out, "  note: {note}").unwrap();
        }
        if let Some(suppressed) = &finding.suppressed {
            writeln!(
                out,
                "  suppressed by {:?}: {:?}",
                suppressed.source, suppressed.reason
            )
            .unwrap();
        }
    }
    for undetermined in &report.undetermined {
        let location = undetermined
            .location
            .expect("undetermined results are located");
        writeln!(
            out,
            "undetermined {} `{}` at {}: {}",
            undetermined.rule, undetermined.resource, location.start, undetermined.reason
        )
        .unwrap();
    }
    for diagnostic in &report.diagnostics {
        let position = diagnostic.position.map_or("-".into(), |p| p.to_string());
        writeln!(
            out,
            "diagnostic {}[{}] at {position}: {}",
            diagnostic.severity,
            diagnostic.kind.code(),
            diagnostic.message
        )
        .unwrap();
        for label in &diagnostic.labels {
            writeln!(out, "{}", label_line(source, label)).unwrap();
        }
        for note in &diagnostic.notes {
            writeln!(out, "  note: {note}").unwrap();
        }
        if let Some(help) = &diagnostic.help {
            writeln!(out, "  help: {help}").unwrap();
        }
    }
    out
}

#[test]
fn fixtures_match_their_snapshots_and_expectations() {
    let mut checked = 0;
    insta::glob!(
        "../../testdata",
        "{ec012,rds011,cpl001,cpl002,cpl003,cpl004,cpl005,parse,suppress}/**/*.{yaml,json}",
        |path| {
            let (source, report) = lint_path(path);
            let folder = path
                .parent()
                .and_then(Path::file_name)
                .and_then(|f| f.to_str());
            match folder {
                Some("fail") => {
                    let rule = rule_of(path);
                    assert!(
                        report.findings.iter().any(|f| f.rule == rule),
                        "{} should have a {rule} finding",
                        path.display()
                    );
                }
                Some("pass") => assert!(
                    report.findings.is_empty(),
                    "{} should have no finding, got {:#?}",
                    path.display(),
                    report.findings
                ),
                Some("parse") => assert!(
                    report.has_errors()
                        || report.status == Status::NotATemplate
                        || report
                            .diagnostics
                            .iter()
                            .any(|d| d.kind.code() == "not-strict-json"),
                    "{} should fail to parse or not be a template",
                    path.display()
                ),
                Some("suppress") => assert!(
                    report.findings.iter().any(|f| f.suppressed.is_some()),
                    "{} should suppress a finding",
                    path.display()
                ),
                _ => panic!("{} is in a folder the test does not know", path.display()),
            }
            checked += 1;
            insta::assert_snapshot!(describe(&source, &report));
        }
    );
    assert!(
        checked >= 40,
        "expected the whole testdata tree, linted {checked} files"
    );
}

/// The rule whose fixtures a `pass` or `fail` folder's parent holds:
/// `rds011` is `RDS-011`.
fn rule_of(path: &Path) -> String {
    let folder = path
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .and_then(|f| f.to_str())
        .expect("a rule folder");
    let digits = folder
        .find(|c: char| c.is_ascii_digit())
        .expect("a rule folder ends with the rule's number");
    format!(
        "{}-{}",
        folder[..digits].to_ascii_uppercase(),
        &folder[digits..]
    )
}

/// The rule folders of `testdata/`, each with `pass/` and `fail/` (the
/// `docs` test checks that every registered rule has one).
const RULE_FOLDERS: &[&str] = &[
    "ec012", "rds011", "cpl001", "cpl002", "cpl003", "cpl004", "cpl005",
];

/// Resource ids with findings and undetermined resource ids.
fn outcome(report: &Report) -> (BTreeSet<String>, BTreeSet<String>) {
    (
        report.findings.iter().map(|f| f.resource.clone()).collect(),
        report
            .undetermined
            .iter()
            .map(|u| u.resource.clone())
            .collect(),
    )
}

#[test]
fn yaml_fixtures_and_their_json_twins_agree() {
    let mut pairs = 0;
    let folders = RULE_FOLDERS
        .iter()
        .flat_map(|rule| ["fail", "pass"].map(|outcome| format!("{rule}/{outcome}")));
    for folder in folders {
        for entry in std::fs::read_dir(testdata().join(&folder)).expect("fixture folder") {
            let yaml = entry.expect("entry").path();
            let json = yaml.with_extension("json");
            if yaml.extension().is_none_or(|e| e != "yaml") || !json.exists() {
                continue;
            }
            let (_, from_yaml) = lint_path(&yaml);
            let (_, from_json) = lint_path(&json);
            assert_eq!(
                from_json.format,
                Some(cfn_port_rules::Format::Json),
                "{}",
                json.display()
            );
            assert_eq!(
                outcome(&from_yaml),
                outcome(&from_json),
                "{} and its JSON twin",
                yaml.display()
            );
            let messages = |r: &Report| {
                r.findings
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                messages(&from_yaml),
                messages(&from_json),
                "{}",
                yaml.display()
            );
            pairs += 1;
        }
    }
    assert!(
        pairs >= 20,
        "expected JSON twins for the YAML fixtures, found {pairs}"
    );
}
