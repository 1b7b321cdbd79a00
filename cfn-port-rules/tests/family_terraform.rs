//! The default-port family on Terraform modules, through
//! `terraform::lint_module`: every directory under
//! `testdata/terraform-family/` is linted and its findings and undetermined
//! resources are snapshotted. A directory is named `<rule>-fail-*` (at least
//! one finding of that rule, `rds011` being `RDS-011`) or `<rule>-pass-*`
//! (no finding).

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cfn_port_rules::LintOptions;
use cfn_port_rules::terraform::{TerraformReport, Vars, lint_module};
use common::DiskReader;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/terraform-family")
}

/// Findings and undetermined resources, one line each, placed.
fn describe(linted: &TerraformReport) -> String {
    let mut out = String::new();
    let report = &linted.report;
    for finding in &report.findings {
        let at = finding.location.expect("located").start;
        writeln!(
            out,
            "finding {} `{}` at {}:{}: {}",
            finding.rule, finding.resource, at.line, at.column, finding.message
        )
        .unwrap();
        for note in &finding.notes {
            writeln!(out, "  note: {note}").unwrap();
        }
    }
    for undetermined in &report.undetermined {
        writeln!(
            out,
            "undetermined {} `{}`: {}",
            undetermined.rule, undetermined.resource, undetermined.reason
        )
        .unwrap();
    }
    for diagnostic in &report.diagnostics {
        writeln!(
            out,
            "diagnostic {}: {}",
            diagnostic.severity, diagnostic.message
        )
        .unwrap();
    }
    out
}

/// `rds011-fail-defaults` is a `fail` case of `RDS-011`.
fn rule_and_outcome(name: &str) -> (String, &str) {
    let (folder, rest) = name.split_once('-').expect("<rule>-<outcome>-<case>");
    let digits = folder
        .find(|c: char| c.is_ascii_digit())
        .expect("a rule number");
    let rule = format!(
        "{}-{}",
        folder[..digits].to_ascii_uppercase(),
        &folder[digits..]
    );
    let outcome = rest.split('-').next().expect("an outcome");
    (rule, outcome)
}

#[test]
fn terraform_family_fixtures_match_their_snapshots_and_expectations() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("testdata/terraform-family")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "expected a pass and a fail case per rule");
    for dir in dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a name")
            .to_string();
        let (rule, outcome) = rule_and_outcome(&name);
        let linted = lint_module(
            &dir.display().to_string(),
            &DiskReader,
            &Vars::new(),
            &LintOptions::default(),
        );
        let findings = &linted.report.findings;
        match outcome {
            "fail" => assert!(
                findings.iter().any(|f| f.rule == rule),
                "{name} should have a {rule} finding"
            ),
            "pass" => assert!(findings.is_empty(), "{name}: {findings:#?}"),
            other => panic!("{name}: unknown outcome {other}"),
        }
        insta::assert_snapshot!(name.clone(), describe(&linted));
    }
}

/// The family's findings over the Terraform corpus's module directories
/// (`../shared/corpus/terraform/general/`), counted per rule. The counts
/// are pinned; every finding is listed in
/// `target/tmp/family-terraform-corpus-findings.txt` for review. Without
/// the corpus the test says so and checks nothing.
#[test]
fn family_findings_over_the_terraform_corpus_are_counted() {
    let general =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/terraform/general");
    if !general.is_dir() {
        say(
            "skipped: ../shared/corpus/terraform/general not found; the family's Terraform counts were not checked",
        );
        return;
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&general)
        .expect("corpus folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let options = LintOptions::default().with_disabled_rule("EC-012");
    let mut counts = std::collections::BTreeMap::new();
    let mut listing = String::new();
    for dir in &dirs {
        let linted = lint_module(
            &dir.display().to_string(),
            &DiskReader,
            &Vars::new(),
            &options,
        );
        for finding in &linted.report.findings {
            *counts.entry(finding.rule).or_insert(0usize) += 1;
            let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let _ = writeln!(
                listing,
                "{}\t{name}\t{}\t{}",
                finding.rule, finding.resource, finding.message
            );
        }
    }
    let _ = std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("family-terraform-corpus-findings.txt"),
        listing,
    );
    say(&format!(
        "family findings over terraform/general/: {counts:?}"
    ));
    let expected: std::collections::BTreeMap<&str, usize> =
        TERRAFORM_COUNTS.iter().copied().collect();
    assert_eq!(counts, expected, "the counts moved: check the sample again");
    let reported = std::fs::read_to_string(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("family-terraform-corpus-findings.txt"),
    )
    .unwrap_or_default();
    for (rule, module, address, verdict) in REVIEWED_TERRAFORM {
        let line = format!("{rule}\t{module}\t{address}\t");
        assert!(
            reported.lines().any(|l| l.starts_with(&line)),
            "reviewed finding no longer reported: {rule} {module} {address} ({verdict})"
        );
    }
}

/// Findings per rule over `terraform/general/`.
const TERRAFORM_COUNTS: &[(&str, usize)] = &[
    ("CPL-001", 7),
    ("CPL-002", 1),
    ("CPL-003", 6),
    ("CPL-004", 3),
    ("CPL-005", 2),
    ("RDS-011", 77),
];

/// The hand-checked sample: `random.Random(16).sample` over each rule's
/// findings sorted by module and address, up to 30 per rule (all 17 of the
/// CPL rules, 30 of RDS-011's 77). Each was read in its module and is a
/// true finding; the verdict says what the resource sets.
const REVIEWED_TERRAFORM: &[(&str, &str, &str, &str)] = &[
    (
        "CPL-001",
        "DataDog__kics__assets__queries__terraform__aws__redshift_not_encrypted__test",
        "aws_redshift_cluster.negative1",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__terraform__aws__redshift_not_encrypted__test",
        "aws_redshift_cluster.positive1",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__terraform__aws__redshift_not_encrypted__test",
        "aws_redshift_cluster.positive2",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-001",
        "sum41k__ecc-aws-rulepack__terraform__ecc-aws-353-redshift_user_activity_logging_enabled__green",
        "aws_redshift_cluster.this",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-001",
        "terraform-aws-modules__terraform-aws-redshift",
        "aws_redshift_cluster.this[0]",
        "`port = var.port`, whose default is 5439",
    ),
    (
        "CPL-001",
        "terraform-aws-modules__terraform-aws-redshift__examples__complete",
        "aws_redshift_cluster.this[0]",
        "`port = var.port`, whose default is 5439",
    ),
    (
        "CPL-001",
        "terraform-aws-modules__terraform-aws-redshift__wrappers",
        "aws_redshift_cluster.this[0]",
        "`port = var.port`, whose default is 5439",
    ),
    (
        "CPL-002",
        "Poornachandra3__roboshop-terraform__modules__docdb",
        "aws_docdb_cluster.main",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__terraform__aws__neptune_logging_disabled__test",
        "aws_neptune_cluster.negative1",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__terraform__aws__neptune_logging_disabled__test",
        "aws_neptune_cluster.negative2",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__terraform__aws__neptune_logging_disabled__test",
        "aws_neptune_cluster.postive1",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__terraform__aws__neptune_logging_disabled__test",
        "aws_neptune_cluster.postive2",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__terraform__aws__neptune_logging_disabled__test",
        "aws_neptune_cluster.postive3",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-003",
        "bridgecrewio__terragoat__terraform__aws",
        "aws_neptune_cluster.default",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "CPL-004",
        "terraform-aws-modules__terraform-aws-memory-db",
        "aws_memorydb_cluster.this[0]",
        "`port = var.port`, whose default is null: MemoryDB uses 6379 (redis and valkey alike)",
    ),
    (
        "CPL-004",
        "terraform-aws-modules__terraform-aws-memory-db__examples__redis",
        "aws_memorydb_cluster.this[0]",
        "`port = var.port`, whose default is null: MemoryDB uses 6379 (redis and valkey alike)",
    ),
    (
        "CPL-004",
        "terraform-aws-modules__terraform-aws-memory-db__examples__valkey",
        "aws_memorydb_cluster.this[0]",
        "`port = var.port`, whose default is null: MemoryDB uses 6379 (redis and valkey alike)",
    ),
    (
        "CPL-005",
        "esmail-elmoussel__terraform-elasticache-ecs__infra__postgres",
        "module.rds.aws_db_instance.sample_app_postgres",
        "postgres with no `port` (5432), given the `security_groups` module's output: its group admits 0.0.0.0/0 on TCP 5432",
    ),
    (
        "CPL-005",
        "hashicorp__learn-terraform-rds",
        "aws_db_instance.education",
        "postgres with no `port` (5432), in `aws_security_group.rds` whose `ingress` admits 0.0.0.0/0 on TCP 5432",
    ),
    (
        "RDS-011",
        "1nval1dctf__terraform-aws-ctfd__modules__rds",
        "aws_rds_cluster.ctfdb",
        "`engine = var.db_engine` (aurora-mysql), no `port`, no restore",
    ),
    (
        "RDS-011",
        "DataDog__kics__assets__queries__terraform__aws__automatic_minor_upgrades_disabled__test",
        "aws_db_instance.negative1",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "aquasecurity__tfsec__test__testdata__issues__1661",
        "aws_db_instance.toplevel_db",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "esmail-elmoussel__terraform-elasticache-ecs__infra__postgres__modules__rds",
        "aws_db_instance.sample_app_postgres",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.extended_support[\"mysql-5.7\"]",
        "`engine = each.value.engine` (mysql, from the `for_each` of `local.extended_support_engined`), no `port`, no restore",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.extended_support[\"mysql-8.0.36\"]",
        "`engine = each.value.engine` (mysql, from the `for_each` of `local.extended_support_engined`), no `port`, no restore",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.extended_support[\"postgres-11.22\"]",
        "`engine = each.value.engine` (postgres, from the `for_each` of `local.extended_support_engined`), no `port`, no restore",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.gp3[\"above_low_baseline\"]",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.gp3[\"below_high_baseline\"]",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.gp3[\"below_low_baseline\"]",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.mysql",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.mysql-1yr-no-upfront-multi-az",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.mysql-1yr-no-upfront-single-az",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.mysql-1yr-partial-upfront-multi-az",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.mysql-default-iops",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.mysql-multi-az",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.mysql-performance-insights",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.oracle-ee-cdb",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.oracle-se",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.oracle-se1",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.oracle-se1-byol",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.oracle-se2",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.postgres",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.postgres-3yr-all-upfront-multi-az",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.postgres-3yr-all-upfront-single-az",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.postgres-3yr-partial-upfront-single-az",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.sqlserver-ee",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.sqlserver-ex",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "infracost__infracost__internal__providers__terraform__aws__testdata__db_instance_test",
        "aws_db_instance.sqlserver-web",
        "no `port`, not restored from a snapshot or a source database",
    ),
    (
        "RDS-011",
        "tenable__terrascan__test__e2e__test_data__iac__resource_skipping__terraform",
        "aws_db_instance.PtShGgAdi1",
        "no `port`, not restored from a snapshot or a source database",
    ),
];

fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}
