//! `LintOptions` and `Limits` built the way an embedder builds them: from
//! `Default` with the `with_*` methods, since both are `#[non_exhaustive]`.

use cfn_port_rules::{DiagnosticKind, Limits, LintOptions, Report, Severity, SourceFile, lint};

/// A cluster on memcached's default port unless `Env` is `prod`.
const TEMPLATE: &str = "\
Parameters:
  Env:
    Type: String
    Default: dev
  Tier:
    Type: String
    Default: small
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      Engine: memcached
      Port: !If [IsProd, 13611, 11211]
";

fn lint_with(options: &LintOptions) -> Report {
    lint(&SourceFile::new("stack.yaml", TEMPLATE), options)
}

#[test]
fn default_options_run_every_rule_at_its_own_severity() {
    let report = lint_with(&LintOptions::default());
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].severity, Severity::Warning);
}

#[test]
fn with_parameter_and_with_parameters_give_values() {
    let report = lint_with(&LintOptions::default().with_parameter("Env", "prod"));
    assert!(report.findings.is_empty(), "{:#?}", report.findings);

    let options = LintOptions::default().with_parameters([("Env", "prod"), ("Tier", "large")]);
    assert_eq!(options.parameters.len(), 2);
    assert!(lint_with(&options).findings.is_empty());
}

#[test]
fn with_checked_parameter_warns_when_the_template_does_not_declare_it() {
    let options = LintOptions::default()
        .with_checked_parameter("Env", "prod")
        .with_checked_parameter("Envv", "prod");
    let report = lint_with(&options);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    let unknown: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::UnknownParameter)
        .collect();
    assert_eq!(unknown.len(), 1, "{unknown:#?}");
    assert!(
        unknown[0].message.contains("Envv"),
        "{}",
        unknown[0].message
    );

    let unchecked = LintOptions::default().with_parameter("Envv", "prod");
    assert!(lint_with(&unchecked).diagnostics.is_empty());
}

#[test]
fn with_only_rules_and_with_disabled_rule_take_ids_or_names() {
    let by_name = LintOptions::default().with_only_rules(["elasticache-default-port"]);
    assert_eq!(lint_with(&by_name).findings.len(), 1);

    let other_rule_only = LintOptions::default().with_only_rules(["XX-000"]);
    assert!(lint_with(&other_rule_only).findings.is_empty());

    let disabled = LintOptions::default().with_disabled_rule("ec-012");
    assert!(lint_with(&disabled).findings.is_empty());
}

#[test]
fn with_rule_severity_replaces_the_rules_severity() {
    let options =
        LintOptions::default().with_rule_severity("elasticache-default-port", Severity::Error);
    assert_eq!(lint_with(&options).findings[0].severity, Severity::Error);
}

#[test]
fn limits_setters_change_one_limit_each() {
    let limits = Limits::default()
        .with_max_file_size(10)
        .with_max_depth(3)
        .with_max_nodes(4)
        .with_max_possibilities(5);
    assert_eq!(
        (
            limits.max_file_size,
            limits.max_depth,
            limits.max_nodes,
            limits.max_possibilities
        ),
        (10, 3, 4, 5)
    );
    let report =
        lint_with(&LintOptions::default().with_limits(Limits::default().with_max_depth(2)));
    assert_eq!(report.diagnostics[0].kind, DiagnosticKind::TooDeep);
}
