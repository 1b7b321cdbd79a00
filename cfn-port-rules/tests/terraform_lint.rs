//! EC-012 on Terraform modules, through `terraform::lint_module`: every
//! module directory under `testdata/terraform/` is linted and its findings,
//! undetermined resources and diagnostics are snapshotted with every label's
//! file, line and column. A directory named `fail-*` must have an EC-012
//! finding, `pass-*` none, `suppress-*` a suppressed one.
//!
//! A directory may hold `vars.txt`: one `--var NAME=VALUE` or
//! `--var-file FILE` per line, given in that order.

mod common;
#[path = "common/placed.rs"]
mod placed;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cfn_port_rules::terraform::{TerraformReport, Vars, lint_module};
use cfn_port_rules::{Label, LintOptions, SourceFile};
use common::DiskReader;
use placed::{place, write_labels_and_notes};

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
        write_labels_and_notes(&mut out, linted, &prefix, finding);
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

fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/terraform");
    dir.join("elasticache/LABELS.tsv").is_file().then_some(dir)
}

/// LABELS.tsv rows whose verdict the linter gives differently, on purpose.
/// Each entry is `(dir, address, why)`; keep it short and argue every one.
const ARGUED_DISAGREEMENTS: &[(&str, &str, &str)] = &[];

/// What the linter says of one address: reported (active findings),
/// undetermined, or nothing.
fn verdicts(report: &cfn_port_rules::Report) -> (Vec<&str>, Vec<&str>) {
    (
        report
            .active_findings()
            .filter(|f| f.rule == "EC-012")
            .map(|f| f.resource.as_str())
            .collect(),
        report
            .undetermined
            .iter()
            .map(|u| u.resource.as_str())
            .collect(),
    )
}

/// Findings, not just evaluated values, agree with `LABELS.tsv`, Terraform's
/// own evaluation of each corpus module checked by hand: a `default-port`
/// row has a finding (a member cluster's row is reported through its group,
/// which must have one), `custom-port` and `unknown` rows have none, and no
/// address outside the `default-port` rows has a finding.
#[test]
fn findings_agree_with_labels_on_the_corpus() {
    let Some(corpus) = corpus() else {
        say(
            "skipped: ../shared/corpus/terraform not found; findings were not compared with LABELS.tsv",
        );
        return;
    };
    let dirs = std::fs::read_to_string(corpus.join("elasticache/DIRS.tsv")).unwrap();
    let roots: std::collections::BTreeMap<&str, &str> = dirs
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next().zip(l.split('\t').nth(1)))
        .collect();
    let labels = std::fs::read_to_string(corpus.join("elasticache/LABELS.tsv")).unwrap();
    let mut rows_by_dir: std::collections::BTreeMap<&str, Vec<Vec<&str>>> = Default::default();
    for line in labels.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        rows_by_dir.entry(columns[0]).or_default().push(columns);
    }
    let argued = |dir: &str, address: &str| {
        ARGUED_DISAGREEMENTS
            .iter()
            .any(|(d, a, _)| *d == dir && *a == address)
    };
    let (mut rows, mut agree, mut disagreements) = (0, 0, Vec::new());
    for (dir, dir_rows) in &rows_by_dir {
        let root = corpus.join("elasticache").join(dir).join(roots[dir]);
        let linted = lint_module(
            &root.display().to_string(),
            &DiskReader,
            &Vars::new(),
            &LintOptions::default(),
        );
        let (reported, undetermined) = verdicts(&linted.report);
        let mut expected_reported: Vec<&str> = Vec::new();
        for row in dir_rows {
            rows += 1;
            let (address, verdict, notes) = (row[2], row[6], row[7]);
            let member_of = notes
                .split("TRICKY: member cluster of ")
                .nth(1)
                .and_then(|rest| rest.split([' ', ';', ',', ')']).next())
                .filter(|_| verdict == "default-port");
            let ours = if reported.contains(&address) {
                "default-port"
            } else if undetermined.contains(&address) {
                "unknown"
            } else {
                "nothing"
            };
            let ok = match (verdict, member_of) {
                // Reported through its group (the rule leaves the member).
                ("default-port", Some(group)) => {
                    ours == "nothing" && reported.iter().any(|r| r.ends_with(group))
                }
                ("default-port", None) => {
                    expected_reported.push(address);
                    ours == "default-port"
                }
                _ => ours != "default-port",
            };
            if ok {
                agree += 1;
            } else if !argued(dir, address) {
                disagreements.push(format!(
                    "{dir}: {address}: LABELS says {verdict}, the linter says {ours}"
                ));
            }
        }
        for address in &reported {
            if !expected_reported.contains(address) && !argued(dir, address) {
                disagreements.push(format!(
                    "{dir}: {address}: a finding, but no default-port row in LABELS"
                ));
            }
        }
    }
    say(&format!(
        "LABELS.tsv: {agree} of {rows} rows agree with the findings, {} argued, {} disagreements",
        ARGUED_DISAGREEMENTS.len(),
        disagreements.len()
    ));
    assert!(rows >= 190, "LABELS.tsv holds fewer rows than expected");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// `general/` holds real modules with no ElastiCache cluster or replication
/// group (but subnet groups, serverless caches, MemoryDB clusters and an
/// ElastiCache data source): EC-012 reports nothing there.
#[test]
fn no_finding_on_modules_without_elasticache_clusters() {
    let Some(corpus) = corpus() else {
        say("skipped: ../shared/corpus/terraform not found; general/ was not linted");
        return;
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus.join("general"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let started = std::time::Instant::now();
    let mut reported = Vec::new();
    for dir in &dirs {
        let linted = lint_module(
            &dir.display().to_string(),
            &DiskReader,
            &Vars::new(),
            // The other rules of the family have findings here: EC-012 alone.
            &LintOptions::default().with_only_rules(["EC-012"]),
        );
        reported.extend(
            linted
                .report
                .findings
                .iter()
                .map(|f| format!("{}: {}", dir.display(), f.message)),
        );
    }
    say(&format!(
        "general/: {} modules linted in {:?}, {} findings",
        dirs.len(),
        started.elapsed(),
        reported.len()
    ));
    assert!(
        dirs.len() >= 400,
        "general/ holds fewer modules than expected"
    );
    assert!(reported.is_empty(), "{}", reported.join("\n"));
}
