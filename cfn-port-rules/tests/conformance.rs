//! EC-012 against the hand-labelled ground truth in
//! `../shared/corpus/elasticache/LABELS.tsv`: every `default-port` resource
//! must be a finding, every `custom-port` and `unknown` one must not.
//!
//! The corpus lives beside the repository and is not part of it; when it is
//! absent the test says so and checks nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cfn_port_rules::{LintOptions, Report, SourceFile, Status, lint};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/elasticache");
    dir.join("LABELS.tsv").is_file().then_some(dir)
}

/// Says, past the test harness's output capture, that nothing was checked.
fn say_skipped() {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: ../shared/corpus/elasticache/LABELS.tsv not found; EC-012 conformance was not checked"
    );
}

struct Label {
    file: String,
    logical_id: String,
    verdict: String,
}

fn labels(dir: &Path) -> Vec<Label> {
    let text = std::fs::read_to_string(dir.join("LABELS.tsv")).expect("LABELS.tsv is readable");
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            Label {
                file: columns[0].to_string(),
                logical_id: columns[1].to_string(),
                verdict: columns[5].to_string(),
            }
        })
        .collect()
}

fn lint_file(path: &Path) -> Report {
    let bytes = std::fs::read(path).expect("corpus file is readable");
    let source =
        SourceFile::from_bytes(path.display().to_string(), bytes).expect("corpus file is UTF-8");
    lint(&source, &LintOptions::default())
}

#[test]
fn every_labelled_resource_gets_the_labelled_verdict() {
    let Some(dir) = corpus() else {
        say_skipped();
        return;
    };
    let labels = labels(&dir);
    assert_eq!(
        labels.len(),
        204,
        "LABELS.tsv should describe 204 resources"
    );

    let mut reports: BTreeMap<&str, Report> = BTreeMap::new();
    let mut disagreements = Vec::new();
    for label in &labels {
        let report = reports
            .entry(&label.file)
            .or_insert_with(|| lint_file(&dir.join(&label.file)));
        assert_eq!(
            report.status,
            Status::Linted,
            "{} did not lint: {:?}",
            label.file,
            report.diagnostics
        );
        let found = report
            .findings
            .iter()
            .any(|f| f.resource == label.logical_id);
        let expected = label.verdict == "default-port";
        if found != expected {
            let undetermined: Vec<_> = report
                .undetermined
                .iter()
                .filter(|u| u.resource == label.logical_id)
                .map(|u| u.reason.clone())
                .collect();
            disagreements.push(format!(
                "{} {}: labelled {}, finding={found}, undetermined={undetermined:?}",
                label.file, label.logical_id, label.verdict
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} labelled resources disagree:\n{}",
        disagreements.len(),
        labels.len(),
        disagreements.join("\n")
    );
}

#[test]
fn unknown_verdicts_are_reported_as_undetermined_with_a_reason() {
    let Some(dir) = corpus() else {
        say_skipped();
        return;
    };
    for label in labels(&dir).iter().filter(|l| l.verdict == "unknown") {
        let report = lint_file(&dir.join(&label.file));
        let undetermined = report
            .undetermined
            .iter()
            .find(|u| u.resource == label.logical_id)
            .unwrap_or_else(|| {
                panic!("{} {} should be undetermined", label.file, label.logical_id)
            });
        assert!(!undetermined.reason.is_empty());
    }
}
