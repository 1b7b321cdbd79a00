//! Exposure on Terraform modules: every directory under
//! `testdata/terraform-exposure/` is read into the neutral model, and what
//! the exposure rule reads of it (each cache's or database's groups, each
//! ingress rule's group, protocol, ports and ranges, with where each is
//! written) is snapshotted. A directory is named `fail-*` (a group in view
//! admits everyone), `pass-*` (groups in view that do not) or
//! `undetermined-*` (something the judgement needs is not in view).
//!
//! Each is then linted and CPL-005's findings and undetermined resources
//! are snapshotted with every label placed: a `fail` case has a CPL-005
//! finding, a `pass` case neither a finding nor an undetermined result of
//! CPL-005, an `undetermined` case an undetermined result and no finding.

mod common;
#[path = "common/placed.rs"]
mod placed;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cfn_port_rules::eval::{Possibility, Value};
use cfn_port_rules::model::{Model, Property, Resource, ResourceKind};
use cfn_port_rules::terraform::model::{READ_ARGUMENTS, to_model};
use cfn_port_rules::terraform::{TerraformReport, Vars, Workspace, expand, lint_module};
use cfn_port_rules::{Label, LintOptions};
use common::DiskReader;
use placed::{place, write_labels_and_notes};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/terraform-exposure")
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("testdata/terraform-exposure")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .expect("a name")
        .to_owned()
}

/// The module as the linter reads it, every kind built.
fn model_of(dir: &Path) -> (Workspace, Model) {
    let workspace =
        Workspace::load_arguments(&dir.display().to_string(), &DiskReader, READ_ARGUMENTS);
    let model = to_model(&expand(&workspace, BTreeMap::new()));
    (workspace, model)
}

fn show(value: &Value) -> String {
    match value {
        Value::Unknown(unknown) => match unknown.resource() {
            Some((name, _)) => format!("ref {name}"),
            None => format!("unknown ({})", unknown.reason),
        },
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Value::String(text) => format!("{text:?}"),
        Value::Number(text) => text.to_string(),
        Value::Absent => "absent".to_owned(),
        other => format!("{other:?}"),
    }
}

/// A possibility and the text its trace starts at (where the rule's label goes).
fn show_possibility(workspace: &Workspace, p: &Possibility) -> String {
    match p.trace.first() {
        Some(step) => format!(
            "{} at `{}`",
            show(&p.value),
            workspace.file(step.file).slice(step.span)
        ),
        None => show(&p.value),
    }
}

/// What the exposure rule reads of the model, one resource a line and
/// one property an indented line.
fn describe(workspace: &Workspace, model: &Model) -> String {
    let mut out = String::new();
    for resource in &model.resources {
        let read: &[Property] = match resource.kind {
            ResourceKind::SecurityGroup => &[],
            ResourceKind::IngressRule => &[
                Property::Group,
                Property::Protocol,
                Property::FromPort,
                Property::ToPort,
                Property::CidrIpv4,
                Property::CidrIpv6,
                Property::PrefixList,
            ],
            _ => &[Property::Engine, Property::Port, Property::SecurityGroups],
        };
        writeln!(out, "{:?} `{}`", resource.kind, resource.identity.name).unwrap();
        for property in read {
            let values = resource.property(*property);
            let shown: Vec<String> = values
                .iter()
                .map(|p| show_possibility(workspace, p))
                .collect();
            writeln!(out, "  {property:?}: {}", shown.join(" | ")).unwrap();
        }
    }
    out
}

/// The names of the resources every reference in a property refers to.
fn referenced(resource: &Resource, property: Property) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::List(items) => items.iter().for_each(|item| walk(item, out)),
            Value::Unknown(unknown) => {
                out.extend(unknown.resource().map(|(name, _)| name.to_owned()));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for p in resource.property(property) {
        walk(&p.value, &mut out);
    }
    out
}

/// Whether a value holds `0.0.0.0/0` or `::/0`.
fn admits_everyone(resource: &Resource) -> bool {
    fn open(value: &Value) -> bool {
        match value {
            Value::List(items) => items.iter().any(open),
            Value::String(text) => text == "0.0.0.0/0" || text == "::/0",
            _ => false,
        }
    }
    [Property::CidrIpv4, Property::CidrIpv6]
        .iter()
        .any(|property| resource.property(*property).iter().any(|p| open(&p.value)))
}

#[test]
fn exposure_fixtures_are_read_into_the_model_the_rule_judges() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 14, "the exposure fixtures are missing");
    for dir in dirs {
        let name = name_of(&dir);
        let (workspace, model) = model_of(&dir);
        assert!(
            model.diagnostics.is_empty(),
            "{name}: {:#?}",
            model.diagnostics
        );
        let listening: Vec<&Resource> = model
            .resources
            .iter()
            .filter(|r| r.kind.listens())
            .collect();
        assert!(!listening.is_empty(), "{name}: no cache or database");
        let group_names: Vec<&str> = model
            .resources
            .iter()
            .filter(|r| r.kind == ResourceKind::SecurityGroup)
            .map(|r| r.identity.name.as_str())
            .collect();
        // Every reference names a group of the model, by the same name.
        for resource in &model.resources {
            for property in [Property::SecurityGroups, Property::Group] {
                for target in referenced(resource, property) {
                    assert!(
                        group_names.contains(&target.as_str()),
                        "{name}: `{}` refers to `{target}`, not a group of the model",
                        resource.identity.name
                    );
                }
            }
        }
        let placed_in: Vec<String> = listening
            .iter()
            .flat_map(|r| referenced(r, Property::SecurityGroups))
            .collect();
        let open_rule_of_a_used_group = model.resources.iter().any(|r| {
            r.kind == ResourceKind::IngressRule
                && admits_everyone(r)
                && referenced(r, Property::Group)
                    .iter()
                    .any(|group| placed_in.contains(group))
        });
        match name.split('-').next() {
            Some("fail") => assert!(
                open_rule_of_a_used_group,
                "{name}: no rule admitting everyone to a group in use"
            ),
            Some("pass") => assert!(
                !placed_in.is_empty(),
                "{name}: a pass case judges groups in view"
            ),
            Some("undetermined") => {}
            other => panic!("{name}: unknown outcome {other:?}"),
        }
        insta::assert_snapshot!(format!("model-{name}"), describe(&workspace, &model));
    }
}

/// The rule this file is about.
const RULE: &str = "CPL-005";

/// CPL-005's findings (every label placed, notes) and undetermined results.
fn describe_lint(dir: &Path, linted: &TerraformReport) -> String {
    let prefix = format!("{}/", dir.display());
    let report = &linted.report;
    let mut out = String::new();
    for finding in report.findings.iter().filter(|f| f.rule == RULE) {
        writeln!(
            out,
            "{}[{}] `{}`: {}",
            finding.severity.as_str(),
            finding.rule,
            finding.resource,
            finding.message
        )
        .unwrap();
        write_labels_and_notes(&mut out, linted, &prefix, finding);
    }
    for undetermined in report.undetermined.iter().filter(|u| u.rule == RULE) {
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
    out
}

#[test]
fn exposure_fixtures_are_judged_as_their_names_say() {
    for dir in fixture_dirs() {
        let name = name_of(&dir);
        let linted = lint_module(
            &dir.display().to_string(),
            &DiskReader,
            &Vars::new(),
            &LintOptions::default(),
        );
        let report = &linted.report;
        let found = report.findings.iter().any(|f| f.rule == RULE);
        let undetermined = report.undetermined.iter().any(|u| u.rule == RULE);
        match name.split('-').next() {
            Some("fail") => assert!(found, "{name} should have a {RULE} finding"),
            Some("pass") => assert!(
                !found && !undetermined,
                "{name}: {:#?} {:#?}",
                report.findings,
                report.undetermined
            ),
            Some("undetermined") => assert!(
                undetermined && !found,
                "{name}: {:#?} {:#?}",
                report.findings,
                report.undetermined
            ),
            other => panic!("{name}: unknown outcome {other:?}"),
        }
        insta::assert_snapshot!(format!("lint-{name}"), describe_lint(&dir, &linted));
    }
}

/// CPL-005's findings over the Terraform corpus's module directories
/// (`../shared/corpus/terraform/general/` and `elasticache/`), counted per
/// folder and pinned; every finding and undetermined result is listed in
/// `target/tmp/exposure-terraform-corpus.txt` for review. Without the
/// corpus the test says so and checks nothing.
#[test]
fn exposure_findings_over_the_terraform_corpus_are_counted() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/terraform");
    if !corpus.is_dir() {
        say(
            "skipped: ../shared/corpus/terraform not found; CPL-005's Terraform counts were not checked",
        );
        return;
    }
    let options = LintOptions::default().with_only_rules([RULE]);
    let mut counts = BTreeMap::new();
    let mut listing = String::new();
    for folder in ["general", "elasticache"] {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus.join(folder))
            .expect("corpus folder")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in &dirs {
            let linted = lint_module(
                &dir.display().to_string(),
                &DiskReader,
                &Vars::new(),
                &options,
            );
            let name = name_of(dir);
            let report = &linted.report;
            *counts.entry(folder).or_insert(0usize) += report.findings.len();
            for finding in &report.findings {
                let _ = writeln!(
                    listing,
                    "finding\t{folder}/{name}\t{}\t{}",
                    finding.resource, finding.message
                );
            }
            for undetermined in &report.undetermined {
                let _ = writeln!(
                    listing,
                    "undetermined\t{folder}/{name}\t{}\t{}",
                    undetermined.resource, undetermined.reason
                );
            }
        }
    }
    let _ = std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("exposure-terraform-corpus.txt"),
        &listing,
    );
    say(&format!(
        "CPL-005 findings over the Terraform corpus: {counts:?}"
    ));
    let expected: BTreeMap<&str, usize> = [("elasticache", 4), ("general", 2)].into();
    assert_eq!(counts, expected, "the counts moved: check the sample again");
    for (module, address, verdict) in REVIEWED {
        let line = format!("finding\t{module}\t{address}\t");
        assert!(
            listing.lines().any(|l| l.starts_with(&line)),
            "reviewed finding no longer reported: {module} {address} ({verdict})"
        );
    }
}

/// Every CPL-005 finding over the corpus (6, fewer than the 30 a sample
/// would take), each read in its module: all are true findings.
const REVIEWED: &[(&str, &str, &str)] = &[
    (
        "elasticache/ONSdigital__spp-cognito-poc__terraform",
        "aws_elasticache_cluster.poc_client",
        "redis without `port` (6379) in `aws_security_group.poc_elasticache`, whose `ingress` admits 0.0.0.0/0 on protocol -1",
    ),
    (
        "elasticache/esmail-elmoussel__terraform-elasticache-ecs__infra__redis",
        "module.elasticache.aws_elasticache_cluster.sample_app_redis",
        "`port = 6379` in the module's `aws_security_group.sample_app_redis`, whose `ingress` admits 0.0.0.0/0 on TCP 6379",
    ),
    (
        "elasticache/palerique__aws-terraform-step-function-lambda-elasticache-redis__terraform-2",
        "aws_elasticache_cluster.redis",
        "`port = \"6379\"` in `aws_security_group.redis_sg`, whose `ingress` admits 0.0.0.0/0 on TCP 6379",
    ),
    (
        "elasticache/palerique__aws-terraform-step-function-lambda-elasticache-redis__terraform-3",
        "aws_elasticache_cluster.redis",
        "`port = \"6379\"` in `aws_security_group.default-security-gp` (\"allow-all\"), whose `ingress` admits 0.0.0.0/0 on protocol -1",
    ),
    (
        "general/esmail-elmoussel__terraform-elasticache-ecs__infra__postgres",
        "module.rds.aws_db_instance.sample_app_postgres",
        "postgres without `port` (5432), given the output of the sibling module `security_groups`: its `aws_security_group.sample_app_postgres` admits 0.0.0.0/0 on TCP 5432",
    ),
    (
        "general/hashicorp__learn-terraform-rds",
        "aws_db_instance.education",
        "postgres without `port` (5432) in `aws_security_group.rds`, whose `ingress` admits 0.0.0.0/0 on TCP 5432",
    ),
];

fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}
