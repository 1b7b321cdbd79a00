//! CPL-005 on hand-built models: the rule's judgement, apart from any
//! front-end. Each model is the shape a front-end gives a cache, its
//! security group and the group's ingress rules (the contract is on
//! `Property::SecurityGroups` and `ResourceKind::IngressRule`); the
//! CloudFormation and Terraform fixtures test the same end to end.

use cfn_port_rules::eval::{Assumption, Origin, Possibility, Scenario, Unknown, Value};
use cfn_port_rules::model::{Identity, Model, Property, Resource, ResourceKind, SourceKind};
use cfn_port_rules::{FileId, LintOptions, Report, SourceFile, Span, lint_model};

const MAIN_TF: &str = r#"resource "aws_elasticache_replication_group" "cache" {
  engine             = "memcached"
  port               = 6390
  security_group_ids = [aws_security_group.cache.id]
}
resource "aws_security_group" "cache" {
  ingress {
    protocol    = "tcp"
    from_port   = 6000
    to_port     = 7000
    cidr_blocks = ["0.0.0.0/0"]
    prefix_list_ids = ["pl-123"]
  }
}
"#;

/// The span of the first `needle` after `after` in `MAIN_TF`.
fn span(needle: &str, after: &str) -> Span {
    let start = MAIN_TF.find(after).expect("anchor")
        + MAIN_TF[MAIN_TF.find(after).unwrap()..]
            .find(needle)
            .expect("needle");
    Span::new(start, start + needle.len())
}

fn written(value: Value, at: Span) -> Possibility {
    Possibility::new(value).with_step(at, Origin::Written)
}

fn number(text: &str, after: &str) -> Possibility {
    written(Value::Number(text.into()), span(text, after))
}

fn group_reference(at: Span) -> Value {
    Value::Unknown(Unknown::reference(
        "known after apply",
        FileId::FIRST,
        at,
        "aws_security_group.cache",
        Some(ResourceKind::SecurityGroup),
    ))
}

fn resource(kind: ResourceKind, name: &str, header: &str) -> Resource {
    let start = MAIN_TF.find(header).expect("header");
    let end = MAIN_TF[start..]
        .find("\n}")
        .map_or(MAIN_TF.len(), |e| start + e + 2);
    let identity = Identity::new(
        name,
        kind.type_name(SourceKind::Terraform).expect("a type"),
        FileId::FIRST,
        Span::new(start, start + header.len()),
    )
    .with_extent(Span::new(start, end));
    Resource::new(kind, identity)
}

/// The cache on `port` (`None`: unset) with `engine`, placed in the group,
/// and the group's one ingress rule with `protocol` and `cidr`.
fn model(engine: &str, port: Option<&str>, protocol: &str, cidr: Value) -> Model {
    let mut cache = resource(
        ResourceKind::ElastiCacheReplicationGroup,
        "aws_elasticache_replication_group.cache",
        "resource \"aws_elasticache_replication_group\" \"cache\"",
    );
    cache.properties = vec![
        (
            Property::Engine,
            vec![written(
                Value::String(engine.into()),
                span("\"memcached\"", "engine"),
            )],
        ),
        (
            Property::Port,
            vec![port.map_or(Possibility::new(Value::Absent), |p| {
                written(Value::Number(p.into()), span("6390", "port"))
            })],
        ),
        (
            Property::SecurityGroups,
            vec![written(
                Value::List(vec![group_reference(span(
                    "aws_security_group.cache.id",
                    "security_group_ids",
                ))]),
                span("[aws_security_group.cache.id]", "security_group_ids"),
            )],
        ),
    ];
    let group = resource(
        ResourceKind::SecurityGroup,
        "aws_security_group.cache",
        "resource \"aws_security_group\" \"cache\"",
    );
    let mut rule = resource(
        ResourceKind::IngressRule,
        "aws_security_group.cache.ingress[0]",
        "ingress {",
    );
    rule.properties = vec![
        (
            Property::Group,
            vec![Possibility::new(group_reference(span(
                "\"cache\"",
                "aws_security_group\"",
            )))],
        ),
        (
            Property::Protocol,
            // Written where the fixture text has `"tcp"`, whatever it is.
            vec![written(
                Value::String(protocol.into()),
                span("\"tcp\"", "protocol"),
            )],
        ),
        (Property::FromPort, vec![number("6000", "from_port")]),
        (Property::ToPort, vec![number("7000", "to_port")]),
        (
            Property::CidrIpv4,
            vec![written(cidr, span("[\"0.0.0.0/0\"]", "cidr_blocks"))],
        ),
    ];
    let mut model = Model::new(SourceKind::Terraform, vec!["main.tf".into()]);
    model.resources = vec![cache, group, rule];
    model
}

fn lint(model: &Model) -> Report {
    let main = SourceFile::new("main.tf", MAIN_TF);
    lint_model(
        model,
        &[&main],
        &LintOptions::default().with_only_rules(["CPL-005"]),
    )
}

fn everyone() -> Value {
    Value::List(vec![Value::String("0.0.0.0/0".into())])
}

#[test]
fn a_custom_port_inside_an_open_range_is_exposed() {
    let report = lint(&model("redis", Some("6390"), "tcp", everyone()));
    let [finding] = report.findings.as_slice() else {
        panic!("one finding expected: {report:#?}");
    };
    assert_eq!(finding.rule, "CPL-005");
    assert_eq!(finding.resource, "aws_elasticache_replication_group.cache");
    assert_eq!(
        finding.message,
        "`aws_elasticache_replication_group.cache` listens on port 6390, and its security group `aws_security_group.cache` admits 0.0.0.0/0 to it: \
         ElastiCache endpoints in a VPC are reachable from everything that can route to them, which 0.0.0.0/0 makes every such host"
    );
    let labels: Vec<(&str, &str)> = finding
        .labels
        .iter()
        .map(|l| {
            (
                &MAIN_TF[l.span.start as usize..l.span.end as usize],
                &*l.message,
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            (
                "[\"0.0.0.0/0\"]",
                "admits every IPv4 address (0.0.0.0/0) on TCP ports 6000 to 7000, which include 6390"
            ),
            (
                "aws_security_group.cache.id",
                "placed in security group `aws_security_group.cache`"
            ),
            ("6390", "listens on port 6390"),
        ]
    );
    assert!(finding.notes.is_empty(), "{:?}", finding.notes);
}

#[test]
fn an_unset_port_is_the_engines_default_and_udp_reaches_only_memcached() {
    // 11211 is outside 6000-7000: widen nothing, use protocol -1 instead.
    let report = lint(&model("memcached", None, "-1", everyone()));
    assert_eq!(report.findings.len(), 1, "{report:#?}");
    let port_label = &report.findings[0].labels[2];
    assert_eq!(
        &*port_label.message,
        "`port` is not set, so it listens on the memcached default port 11211"
    );
    // UDP on a redis port carries nothing redis listens on.
    let report = lint(&model("redis", Some("6390"), "udp", everyone()));
    assert!(report.findings.is_empty(), "{report:#?}");
    let report = lint(&model("memcached", Some("6390"), "17", everyone()));
    assert_eq!(report.findings.len(), 1, "{report:#?}");
}

#[test]
fn a_private_range_or_a_port_outside_the_range_is_not_exposure() {
    let private = Value::List(vec![Value::String("10.0.0.0/8".into())]);
    let report = lint(&model("redis", Some("6390"), "tcp", private));
    assert!(
        report.findings.is_empty() && report.undetermined.is_empty(),
        "{report:#?}"
    );
    // redis unset: 6379 is inside 6000-7000 ...
    let report = lint(&model("redis", None, "tcp", everyone()));
    assert_eq!(report.findings.len(), 1);
    // ... memcached's 11211 is not.
    let report = lint(&model("memcached", None, "tcp", everyone()));
    assert!(report.findings.is_empty(), "{report:#?}");
}

#[test]
fn a_range_not_known_before_deployment_is_undetermined() {
    let unknown = Value::Unknown(Unknown::new(
        "`var.cidr` has no value",
        FileId::FIRST,
        span("[\"0.0.0.0/0\"]", "cidr_blocks"),
    ));
    let report = lint(&model("redis", Some("6390"), "tcp", unknown));
    assert!(report.findings.is_empty());
    assert_eq!(
        report.undetermined[0].reason,
        "the address range of an ingress rule cannot be determined: `var.cidr` has no value"
    );
}

#[test]
fn a_group_given_by_id_is_undetermined() {
    let mut model = model("redis", Some("6390"), "tcp", everyone());
    model.resources[0].properties[2].1 = vec![written(
        Value::List(vec![Value::String("sg-0123".into())]),
        span("[aws_security_group.cache.id]", "security_group_ids"),
    )];
    let report = lint(&model);
    assert!(report.findings.is_empty());
    assert_eq!(
        report.undetermined[0].reason,
        "it is placed in security group `sg-0123`, which is not in view, so who can reach its port cannot be told"
    );
}

#[test]
fn a_prefix_list_on_the_port_is_undetermined() {
    let mut model = model("redis", Some("6390"), "tcp", Value::Absent);
    model.resources[2].properties.push((
        Property::PrefixList,
        vec![written(
            Value::List(vec![Value::String("pl-123".into())]),
            span("[\"pl-123\"]", "prefix_list_ids"),
        )],
    ));
    let report = lint(&model);
    assert!(report.findings.is_empty());
    assert_eq!(
        report.undetermined[0].reason,
        "an ingress rule of security group `aws_security_group.cache` admits a managed prefix list on port 6390, whose ranges are not in view"
    );
}

#[test]
fn exposure_in_one_configuration_is_a_finding_with_a_note() {
    let mut model = model("redis", Some("6390"), "tcp", everyone());
    let prod = Scenario::single(Assumption::Parameter("var.env".into()), "prod".into());
    let dev = Scenario::single(Assumption::Parameter("var.env".into()), "dev".into());
    let cidr = span("[\"0.0.0.0/0\"]", "cidr_blocks");
    model.resources[2].properties[4].1 = vec![
        written(everyone(), cidr).in_scenario(dev),
        written(Value::List(vec![Value::String("10.0.0.0/8".into())]), cidr).in_scenario(prod),
    ];
    let report = lint(&model);
    let [finding] = report.findings.as_slice() else {
        panic!("one finding expected: {report:#?}");
    };
    assert_eq!(
        finding.notes.iter().map(|n| &**n).collect::<Vec<_>>(),
        ["the port is open to everyone only in some configurations: when var.env = dev"]
    );
}

#[test]
fn an_unknown_item_of_a_list_of_ranges_gives_its_own_reason() {
    let item = Unknown::new(
        "`data.aws_vpc.main.cidr_block` is read from a data source",
        FileId::FIRST,
        span("\"0.0.0.0/0\"", "cidr_blocks"),
    );
    let ranges = Value::List(vec![
        Value::String("10.0.0.0/8".into()),
        Value::Unknown(item),
    ]);
    let report = lint(&model("redis", Some("6390"), "tcp", ranges));
    assert!(report.findings.is_empty());
    let [undetermined] = report.undetermined.as_slice() else {
        panic!("one undetermined expected: {report:#?}");
    };
    assert_eq!(
        undetermined.reason,
        "the address range of an ingress rule cannot be determined: `data.aws_vpc.main.cidr_block` is read from a data source"
    );
    assert_eq!(undetermined.span, span("\"0.0.0.0/0\"", "cidr_blocks"));
}
