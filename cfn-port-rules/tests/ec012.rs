//! EC-012's cases over CloudFormation: given values, severities, metadata,
//! notes and shared labels. The rule file itself names no source; its
//! fixtures per source live in `testdata/`.

use std::sync::Arc;

use cfn_port_rules::rules::{self, RiskLevel};
use cfn_port_rules::{LintOptions, Report, Severity, SourceFile, lint};

fn run(name: &str, text: &str, options: &LintOptions) -> Report {
    lint(&SourceFile::new(name, text), options)
}

fn findings(name: &str, text: &str) -> Vec<String> {
    run(name, text, &LintOptions::default())
        .findings
        .iter()
        .map(|f| f.resource.clone())
        .collect()
}

const PARAMETER_PORT_YAML: &str = "Parameters:\n  CachePort:\n    Type: Number\n    Default: 7000\nResources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: c\n      Port: !Ref CachePort\n";
const PARAMETER_PORT_JSON: &str = r#"{"Parameters": {"CachePort": {"Type": "Number", "Default": "7000"}},
  "Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup",
    "Properties": {"ReplicationGroupDescription": "c", "Port": {"Ref": "CachePort"}}}}}"#;

#[test]
fn a_given_parameter_value_decides_in_yaml_and_json() {
    for (name, text) in [
        ("t.yaml", PARAMETER_PORT_YAML),
        ("t.json", PARAMETER_PORT_JSON),
    ] {
        assert!(
            findings(name, text).is_empty(),
            "{name}: default 7000 is custom"
        );
        let options = LintOptions::default().with_parameter("CachePort", "6379");
        let report = run(name, text, &options);
        assert_eq!(report.findings.len(), 1, "{name}");
        let labels: Vec<_> = report.findings[0]
            .labels
            .iter()
            .map(|l| &*l.message)
            .collect();
        assert!(
            labels.contains(&"parameter `CachePort` is given as 6379"),
            "{name}: {labels:?}"
        );
    }
}

#[test]
fn help_says_how_to_fix_and_that_the_cluster_is_replaced() {
    let report = run(
        "t.yaml",
        "Resources:\n  C:\n    Type: AWS::ElastiCache::ReplicationGroup\n",
        &LintOptions::default(),
    );
    let help = &report.findings[0].help;
    assert!(help.contains("3560") && help.contains("13611"), "{help}");
    assert!(help.contains("replaces the cluster"), "{help}");
}

#[test]
fn metadata_describes_the_conformity_rule() {
    let meta = rules::find("EC-012").expect("EC-012 is registered").meta();
    assert_eq!(
        (meta.id, meta.title),
        ("EC-012", "ElastiCache Cluster Default Port")
    );
    assert_eq!(meta.risk_level, RiskLevel::Low);
    assert_eq!(meta.compliance, ["PCI", "APRA", "NIST4"]);
    assert_eq!(meta.well_architected, ["Security"]);
    for section in [
        "### What it does",
        "### Why is this bad?",
        "### Example",
        "### Use instead",
        "### Fix safety",
        "### References",
    ] {
        assert!(meta.documentation.contains(section), "missing {section}");
    }
}

#[test]
fn configured_severity_is_used() {
    let mut options = LintOptions::default();
    options.severities.insert("EC-012".into(), Severity::Error);
    let report = run(
        "t.yaml",
        "Resources:\n  C:\n    Type: AWS::ElastiCache::ReplicationGroup\n",
        &options,
    );
    assert_eq!(report.findings[0].severity, Severity::Error);
}

#[test]
fn a_disabled_rule_does_not_run() {
    let mut options = LintOptions::default();
    options
        .disabled_rules
        .insert("elasticache-default-port".into());
    let report = run(
        "t.yaml",
        "Resources:\n  C:\n    Type: AWS::ElastiCache::ReplicationGroup\n",
        &options,
    );
    assert!(report.findings.is_empty());
}

#[test]
fn engine_default_ports_pass_and_fail() {
    let cases = [
        ("redis", "6379", true),
        ("valkey", "6379", true),
        ("memcached", "11211", true),
        ("memcached", "6379", false),
        ("redis", "11211", false),
        ("REDIS", "\"6379\"", true),
        ("redis", "6380", false),
    ];
    for (engine, port, flagged) in cases {
        let yaml = format!(
            "Resources:\n  C:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: {engine}\n      Port: {port}\n"
        );
        assert_eq!(
            !findings("t.yaml", &yaml).is_empty(),
            flagged,
            "{engine} on {port}"
        );
    }
}

#[test]
fn port_absent_in_one_if_branch_is_a_finding_on_that_branch() {
    let yaml = "Conditions:\n  C: !Equals [!Ref AWS::AccountId, '1']\nResources:\n  R:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !If [C, 3560, !Ref AWS::NoValue]\n";
    let report = run("t.yaml", yaml, &LintOptions::default());
    let finding = &report.findings[0];
    let primary = finding.labels[0].span;
    assert_eq!(&yaml[primary.range()], "!Ref AWS::NoValue");
    assert_eq!(
        &*finding.notes[0],
        "When AWS::AccountId is not 1: redis with no `Port`, so on 6379"
    );
}

/// Notes are worked out once per shape of configurations and reused:
/// resources with the same inputs but other verdicts get their own.
#[test]
fn notes_are_reused_only_for_the_same_configurations() {
    let yaml = "Conditions:\n  C: !Equals [!Ref AWS::AccountId, '1']\nResources:\n  A:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !If [C, 6379, 3560]\n  B:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !If [C, 3560, 6379]\n  C2:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !If [C, 6379, 3560]\n  D:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: memcached\n      Port: !If [C, 11211, 3560]\n";
    let report = run("t.yaml", yaml, &LintOptions::default());
    let notes = |id: &str| -> Vec<String> {
        let finding = report
            .findings
            .iter()
            .find(|f| f.resource == id)
            .expect("a finding");
        finding.notes.iter().map(ToString::to_string).collect()
    };
    let other = "in the other configurations the port is not the engine's default";
    assert_eq!(
        notes("A"),
        [
            "When AWS::AccountId = 1: redis on its default port 6379",
            other
        ]
    );
    assert_eq!(
        notes("B"),
        [
            "When AWS::AccountId is not 1: redis on its default port 6379",
            other
        ]
    );
    assert_eq!(notes("C2"), notes("A"));
    assert_eq!(
        notes("D"),
        [
            "When AWS::AccountId = 1: memcached on its default port 11211",
            other
        ]
    );
}

#[test]
fn findings_that_point_at_one_parameter_share_its_label() {
    let yaml = "Parameters:\n  Port:\n    Type: Number\n    Default: 6379\nResources:\n  A:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !Ref Port\n  B:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !Ref Port\n";
    let report = lint(&SourceFile::new("t.yaml", yaml), &LintOptions::default());
    let label = |i: usize| {
        let finding = &report.findings[i];
        finding
            .labels
            .iter()
            .find(|l| &yaml[l.span.range()] == "6379")
            .map(|l| Arc::clone(&l.message))
            .expect("a label on the parameter's Default")
    };
    let (a, b) = (label(0), label(1));
    assert_eq!(&*a, "parameter `Port` defaults to 6379");
    assert!(Arc::ptr_eq(&a, &b));
}
