//! EC-012: an ElastiCache cluster must not listen on its engine's default port.
//!
//! The rule is a table for the shared default-port judgement
//! ([`super::default_port`]): the kinds it covers, what a kind without an
//! engine runs, and each engine's default port.

use super::default_port::{AbsentEngine, DefaultPortRule, EngineDefault};
use super::{RiskLevel, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::ResourceKind;

/// Checks that `AWS::ElastiCache::CacheCluster` and `ReplicationGroup`
/// resources do not use their engine's default port; `META` holds its
/// metadata and documentation.
#[derive(Debug)]
pub struct ElastiCacheDefaultPort;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "EC-012",
    name: "elasticache-default-port",
    title: "ElastiCache Cluster Default Port",
    summary: "An ElastiCache cluster must not listen on its engine's default port (6379 for redis and valkey, 11211 for memcached).",
    default_severity: Severity::Warning,
    risk_level: RiskLevel::Low,
    compliance: &["PCI", "APRA", "NIST4"],
    well_architected: &["Security"],
    kinds: KINDS,
    documentation: DOCUMENTATION,
    remediation: "choose a non-default port, for example 3560 for redis or valkey and 13611 for memcached, and set it as `Port`. \
                  Changing `Port` replaces the cluster: CloudFormation creates a new cluster and deletes the old one with its data, \
                  so create the new cluster on the custom port, move clients and data to it, then remove the old one.",
    help_uri: "https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/ElastiCache/default-port.html",
};

const DOCUMENTATION: &str = r#"
### What it does
Flags `AWS::ElastiCache::CacheCluster` and `AWS::ElastiCache::ReplicationGroup`
resources that listen on their engine's default port: 6379 for redis and
valkey, 11211 for memcached. A resource without `Port` uses the default port.

The rule evaluates `Engine` and `Port` statically: literals, `Ref` to
parameters (given values, then `AllowedValues`, then `Default`) and to pseudo
parameters such as `AWS::Region` and `AWS::AccountId`, `Fn::FindInMap` (region
keys and `DefaultValue` included), `Fn::If` per condition (on a property or on
the whole `Properties`), `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split` and
`Fn::ForEach` loops. Conditions are computed from the values of the inputs
they compare, so a resource that exists only in `us-east-1` is never judged by
a branch taken only in `eu-west-1`. It reports a finding when any
configuration in which the resource exists uses the default port, and says
which configuration when it is not all of them. A `ReplicationGroup` without
`Engine` is redis. When `Port` is not set and the engine cannot be resolved,
the resource is still flagged: every engine then uses its own default port;
when a parameter chooses the engine, the notes name each engine's default.

Numbers are read as CloudFormation documents them: YAML 1.1, so `014353` is
the octal 6379 and `0b1100011101011` and `6_379` are 6379 (a note says how
YAML 1.2 would read them), and a whole number written as a float (`6379.0`)
is that integer, as the resource schema's JSON Schema `integer` type accepts.

When the port cannot be known before deployment (a parameter without a
default, `Fn::ImportValue`, an SSM parameter, a dynamic reference) or the
engine is not one of redis, valkey and memcached, there is no finding; the
resource is listed as undetermined, with the reason.

### Why is this bad?
Default ports are the first ones scanners and worms try. Running a cache on a
custom port adds a layer of obscurity that filters out untargeted attacks and
makes unexpected connection attempts stand out. It is one layer only: security
groups that admit only the application, private subnets, in-transit
encryption and AUTH tokens matter more.

### Example
```yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.micro
```

### Use instead
```yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.micro
    Port: 3560
```

### Fix safety
Changing `Port` requires replacement: CloudFormation creates a new cluster and
deletes the old one, and the data in it. Create the new cluster on a custom
port, move clients and data over, then delete the old cluster.

### References
- [Trend Micro Conformity EC-012: ElastiCache Cluster Default Port](https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/ElastiCache/default-port.html)
- [AWS::ElastiCache::CacheCluster `Port`](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-cache-cluster.html#cfn-elasticache-cachecluster-port)
- [AWS::ElastiCache::ReplicationGroup `Port`](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-replicationgroup.html#cfn-elasticache-replicationgroup-port)
"#;

const KINDS: &[ResourceKind] = &[
    ResourceKind::ElastiCacheCluster,
    ResourceKind::ElastiCacheReplicationGroup,
];

/// The engines and their default ports.
const ENGINES: &[EngineDefault] = &[
    EngineDefault::named("redis", 6379),
    EngineDefault::named("valkey", 6379),
    EngineDefault::named("memcached", 11211),
];

/// A replication group without an engine runs redis; a cache cluster must
/// name its engine.
fn absent_engine(kind: ResourceKind) -> AbsentEngine {
    match kind {
        ResourceKind::ElastiCacheReplicationGroup => AbsentEngine::Is("redis"),
        _ => AbsentEngine::Required,
    }
}

static JUDGEMENT: DefaultPortRule = DefaultPortRule {
    meta: &META,
    kinds: KINDS,
    engines: ENGINES,
    absent_engine,
    defaults_in_words: "6379 for redis and valkey, 11211 for memcached",
};

impl Rule for ElastiCacheDefaultPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        JUDGEMENT.check(cx);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::{LintOptions, Report, Severity, SourceFile, lint};

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
            let options = LintOptions {
                parameters: BTreeMap::from([("CachePort".to_string(), "6379".to_string())]),
                ..LintOptions::default()
            };
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
        let meta = &super::META;
        assert_eq!(
            (meta.id, meta.title),
            ("EC-012", "ElastiCache Cluster Default Port")
        );
        assert_eq!(meta.risk_level, super::RiskLevel::Low);
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
}
