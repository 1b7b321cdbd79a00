//! The default-port family beyond EC-012 (RDS-011, CPL-001 to CPL-004):
//! configuration, suppressions, membership and restores, and the same
//! judgement on a Terraform model. The per-kind and per-engine cases are
//! the fixtures in `testdata/<rule>/`.

use cfn_port_rules::model::{Identity, Model, Property, Resource, ResourceKind, SourceKind};
use cfn_port_rules::rules;
use cfn_port_rules::{FileId, LintOptions, Report, Severity, SourceFile, Span, lint, lint_model};

fn run(text: &str, options: &LintOptions) -> Report {
    lint(&SourceFile::new("t.yaml", text), options)
}

fn rules_of(report: &Report) -> Vec<(&str, &str)> {
    report
        .findings
        .iter()
        .map(|f| (f.rule, f.resource.as_str()))
        .collect()
}

const ONE_OF_EACH: &str = "Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
  Warehouse:
    Type: AWS::Redshift::Cluster
  Documents:
    Type: AWS::DocDB::DBCluster
  Graph:
    Type: AWS::Neptune::DBCluster
  Sessions:
    Type: AWS::MemoryDB::Cluster
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
";

#[test]
fn every_rule_of_the_family_runs_by_default() {
    let report = run(ONE_OF_EACH, &LintOptions::default());
    assert_eq!(
        rules_of(&report),
        [
            ("RDS-011", "Db"),
            ("CPL-001", "Warehouse"),
            ("CPL-002", "Documents"),
            ("CPL-003", "Graph"),
            ("CPL-004", "Sessions"),
            ("EC-012", "Cache"),
        ]
    );
}

#[test]
fn family_rules_are_disabled_and_selected_by_id_or_name() {
    let options = LintOptions::default()
        .with_disabled_rule("rds-default-port")
        .with_disabled_rule("CPL-003");
    let report = run(ONE_OF_EACH, &options);
    let ids: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(ids, ["CPL-001", "CPL-002", "CPL-004", "EC-012"]);

    let only = LintOptions::default().with_only_rules(["memorydb-default-port"]);
    assert_eq!(
        rules_of(&run(ONE_OF_EACH, &only)),
        [("CPL-004", "Sessions")]
    );
}

#[test]
fn a_configured_severity_applies_to_one_family_rule() {
    let options = LintOptions::default().with_rule_severity("RDS-011", Severity::Error);
    let report = run(ONE_OF_EACH, &options);
    for finding in &report.findings {
        let expected = if finding.rule == "RDS-011" {
            Severity::Error
        } else {
            Severity::Warning
        };
        assert_eq!(finding.severity, expected, "{}", finding.rule);
    }
}

#[test]
fn a_suppression_comment_names_a_family_rule() {
    let yaml = "Resources:
  # cfn-port-lint: ignore RDS-011 -- reached only through RDS Proxy
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
  # cfn-port-lint: ignore EC-012 -- names another rule, so it does not cover this one
  Other:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
";
    let report = run(yaml, &LintOptions::default());
    let suppressed: Vec<(&str, bool)> = report
        .findings
        .iter()
        .map(|f| (f.resource.as_str(), f.suppressed.is_some()))
        .collect();
    assert_eq!(suppressed, [("Db", true), ("Other", false)]);
}

#[test]
fn every_family_rule_is_registered_with_its_documentation() {
    for (id, title) in [
        ("RDS-011", "RDS Default Port"),
        ("CPL-001", "Redshift Cluster Default Port"),
        ("CPL-002", "DocumentDB Cluster Default Port"),
        ("CPL-003", "Neptune Cluster Default Port"),
        ("CPL-004", "MemoryDB Cluster Default Port"),
    ] {
        let meta = rules::find(id).expect("registered").meta();
        assert_eq!(meta.title, title);
        // No source this project could read states compliance tags for these.
        assert!(meta.compliance.is_empty(), "{id}");
        assert!(
            meta.sources().contains(&SourceKind::CloudFormation)
                && meta.sources().contains(&SourceKind::Terraform),
            "{id} covers CloudFormation and Terraform"
        );
        assert!(meta.documentation.contains("### References"), "{id}");
    }
}

/// An instance whose cluster is a `Ref` to a cluster of another kind (or
/// to something that is not a cluster) is not covered by a cluster finding.
#[test]
fn a_member_of_something_other_than_a_cluster_is_undetermined() {
    let yaml = "Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-mysql
      DBClusterIdentifier: !Ref Bucket
";
    let report = run(yaml, &LintOptions::default());
    assert!(report.findings.is_empty());
    assert_eq!(report.undetermined.len(), 1);
    assert!(
        report.undetermined[0]
            .reason
            .starts_with("it takes the port of the group it is a member of"),
        "{}",
        report.undetermined[0].reason
    );
}

/// A member whose cluster is in view adds nothing: the cluster's own
/// finding (or its custom port) covers it.
#[test]
fn a_member_instance_is_judged_through_its_cluster() {
    for (port, findings) in [
        ("", vec![("RDS-011", "Cluster")]),
        ("\n      Port: 3406", vec![]),
    ] {
        let yaml = format!(
            "Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql{port}
  Member:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-mysql
      DBClusterIdentifier: !Ref Cluster
"
        );
        let report = run(&yaml, &LintOptions::default());
        assert_eq!(rules_of(&report), findings, "{port:?}");
        assert!(report.undetermined.is_empty());
    }
}

/// A restore property removed in one branch still leaves the other branch
/// restored: the unset port is not flagged in either (the rule does not
/// pair the branches, so it stays on the side of no false finding).
#[test]
fn a_restore_in_one_branch_keeps_the_unset_port_undetermined() {
    let yaml = "Conditions:
  FromSnapshot: !Equals [!Ref AWS::AccountId, '1']
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      DBSnapshotIdentifier: !If [FromSnapshot, nightly, !Ref AWS::NoValue]
";
    let report = run(yaml, &LintOptions::default());
    assert!(report.findings.is_empty());
    assert_eq!(report.undetermined.len(), 1);
}

const MAIN_TF: &str = "resource \"aws_neptune_cluster\" \"graph\" {\n}\n";

fn terraform(kind: ResourceKind, name: &str) -> Resource {
    let identity = Identity::new(
        name,
        kind.type_name(SourceKind::Terraform)
            .expect("a Terraform type"),
        FileId::FIRST,
        Span::new(30, 37),
    )
    .with_extent(Span::new(0, MAIN_TF.len()));
    Resource::new(kind, identity)
}

#[test]
fn terraform_models_are_judged_in_the_providers_names() {
    let main = SourceFile::new("main.tf", MAIN_TF);
    let mut model = Model::new(SourceKind::Terraform, vec!["main.tf".into()]);
    model.resources = vec![
        terraform(ResourceKind::NeptuneCluster, "aws_neptune_cluster.graph"),
        terraform(ResourceKind::RdsCluster, "aws_rds_cluster.db"),
    ];
    let report = lint_model(&model, &[&main], &LintOptions::default());
    let messages: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "aws_neptune_cluster `aws_neptune_cluster.graph` does not set `port`, so it listens on the neptune default port 8182"
        ]
    );
    // A cluster must name its engine: the one without is undetermined, in Terraform's words.
    assert_eq!(
        report.undetermined[0].reason,
        "the aws_rds_cluster has no `engine` (a required property), so it has no defined default port"
    );
}

#[test]
fn each_kind_names_its_port_and_membership_per_source() {
    let neptune = ResourceKind::NeptuneCluster;
    assert_eq!(neptune.port_name(SourceKind::CloudFormation), "DBPort");
    assert_eq!(neptune.port_name(SourceKind::Terraform), "port");
    let instance = ResourceKind::RdsInstance;
    assert_eq!(
        instance.property_name(Property::MemberOf, SourceKind::Terraform),
        Some("cluster_identifier")
    );
    assert_eq!(
        ResourceKind::from_type_name(SourceKind::Terraform, "aws_redshiftserverless_workgroup"),
        Some(ResourceKind::RedshiftServerlessWorkgroup)
    );
}

/// A written `DBClusterIdentifier` is a physical name: one that happens to
/// equal a logical id of the template does not make the cluster in view.
#[test]
fn a_written_cluster_name_is_not_a_logical_id() {
    let yaml = "Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      Port: 3406
  Member:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-mysql
      DBClusterIdentifier: Cluster
";
    let report = run(yaml, &LintOptions::default());
    assert!(report.findings.is_empty());
    let undetermined: Vec<&str> = report
        .undetermined
        .iter()
        .map(|u| u.resource.as_str())
        .collect();
    assert_eq!(undetermined, ["Member"]);
}
