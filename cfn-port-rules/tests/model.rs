//! The neutral model, as a front-end other than CloudFormation fills it:
//! rules judge it the same way, in the source's own words, with labels in
//! several files.

use cfn_port_rules::eval::{Origin, Possibility, Step, Value};
use cfn_port_rules::model::{Identity, Model, Property, Resource, ResourceKind, SourceKind};
use cfn_port_rules::{FileId, LintOptions, Report, SourceFile, Span, lint_model};

const MAIN_TF: &str =
    "resource \"aws_elasticache_replication_group\" \"cache\" {\n  port = var.port\n}\n";
const VARIABLES_TF: &str = "variable \"port\" {\n  default = 6379\n}\n";

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("the needle is in the text");
    Span::new(start, start + needle.len())
}

fn group(name: &str, kind: ResourceKind) -> Resource {
    let identity = Identity::new(
        name,
        kind.type_name(SourceKind::Terraform)
            .expect("a Terraform type"),
        FileId::FIRST,
        span_of(MAIN_TF, "\"cache\""),
    )
    .with_extent(Span::new(0, MAIN_TF.len()))
    .with_unset_anchor(span_of(MAIN_TF, "\"cache\""));
    Resource::new(kind, identity)
}

/// `port = var.port` in `main.tf`, the variable's default in `variables.tf`.
fn port_from_variable() -> Vec<Possibility> {
    let written = Step::new(FileId::FIRST, span_of(MAIN_TF, "var.port"), Origin::Written);
    let default = Step::new(
        FileId(1),
        span_of(VARIABLES_TF, "6379"),
        Origin::Source {
            description: "variable `port` defaults to 6379 (variables.tf)".into(),
        },
    )
    .with_value("6379");
    vec![
        Possibility::new(Value::Number("6379".into()))
            .then(written)
            .then(default),
    ]
}

fn lint(resources: Vec<Resource>) -> Report {
    let main = SourceFile::new("main.tf", MAIN_TF);
    let variables = SourceFile::new("variables.tf", VARIABLES_TF);
    let mut model = Model::new(
        SourceKind::Terraform,
        vec!["main.tf".into(), "variables.tf".into()],
    );
    model.resources = resources;
    lint_model(&model, &[&main, &variables], &LintOptions::default())
}

#[test]
fn a_port_from_a_variable_in_another_file_is_labelled_there() {
    let mut cache = group(
        "aws_elasticache_replication_group.cache",
        ResourceKind::ElastiCacheReplicationGroup,
    );
    cache
        .properties
        .push((Property::Port, port_from_variable()));
    let report = lint(vec![cache]);
    let finding = &report.findings[0];
    assert_eq!(
        finding.message,
        "`aws_elasticache_replication_group.cache` listens on port 6379, the default port of redis"
    );
    let labels: Vec<_> = finding
        .labels
        .iter()
        .map(|l| (l.file, &*l.message))
        .collect();
    assert_eq!(
        labels,
        [
            (FileId(0), "6379 is the default port of redis"),
            (FileId(1), "variable `port` defaults to 6379 (variables.tf)"),
        ]
    );
    let at = finding.location.expect("placed in main.tf").start;
    assert_eq!((at.line, at.column), (2, 10));
}

#[test]
fn an_unset_port_is_named_with_the_sources_property_name() {
    let report = lint(vec![group(
        "aws_elasticache_replication_group.cache",
        ResourceKind::ElastiCacheReplicationGroup,
    )]);
    assert_eq!(
        report.findings[0].labels[0].message.as_ref(),
        "no `port` here, so the default port 6379 is used"
    );
}

#[test]
fn a_cluster_without_an_engine_is_undetermined_in_the_sources_words() {
    let report = lint(vec![group(
        "aws_elasticache_cluster.c",
        ResourceKind::ElastiCacheCluster,
    )]);
    assert!(report.findings.is_empty());
    assert_eq!(
        report.undetermined[0].reason,
        "the aws_elasticache_cluster has no `engine` (a required property), so it has no defined default port"
    );
}

fn member_of(group_name: &str) -> Resource {
    let mut member = group(
        "aws_elasticache_cluster.member",
        ResourceKind::ElastiCacheCluster,
    );
    let written = Step::new(
        FileId::FIRST,
        span_of(MAIN_TF, "\"cache\""),
        Origin::Written,
    );
    member.properties.push((
        Property::MemberOf,
        vec![Possibility::new(Value::String(group_name.into())).then(written)],
    ));
    member
}

#[test]
fn a_member_cluster_is_judged_through_its_group_when_the_group_is_in_view() {
    let group_name = "aws_elasticache_replication_group.cache";
    let report = lint(vec![
        group(group_name, ResourceKind::ElastiCacheReplicationGroup),
        member_of(group_name),
    ]);
    assert_eq!(
        report.findings.len(),
        1,
        "only the group: {:?}",
        report.findings
    );
    assert_eq!(report.findings[0].resource, group_name);
    assert!(report.undetermined.is_empty(), "{:?}", report.undetermined);
}

#[test]
fn a_member_cluster_whose_group_is_not_in_view_is_undetermined_never_missing_a_port() {
    let report = lint(vec![member_of(
        "aws_elasticache_replication_group.elsewhere",
    )]);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert!(
        report.undetermined[0].reason.contains("not in view"),
        "{:?}",
        report.undetermined
    );
}

#[test]
fn rule_metadata_says_which_sources_a_rule_covers() {
    let meta = cfn_port_rules::rules::find("EC-012")
        .expect("EC-012")
        .meta();
    assert_eq!(
        meta.resource_types(SourceKind::Terraform),
        [
            "aws_elasticache_cluster",
            "aws_elasticache_replication_group"
        ]
    );
    assert!(meta.sources().contains(&SourceKind::CloudFormation));
}
