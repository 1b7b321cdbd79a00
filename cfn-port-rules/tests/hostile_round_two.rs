//! Hostile input, round two (issue 11): shapes that tied the tool up or
//! repeated one warning thousands of times. Each test is named after what it
//! pins and sized to finish in a few seconds in a debug build.

use cfn_port_rules::{LintOptions, Report, SourceFile, lint};

fn lint_text(name: &str, text: impl Into<String>) -> (SourceFile, Report) {
    let source = SourceFile::new(name, text);
    let report = lint(&source, &LintOptions::default());
    (source, report)
}

#[test]
fn long_block_of_suppression_comments_is_matched_in_linear_time() {
    // Regression: each comment of a block scanned the rest of the block to
    // find its resource, so 40,000 comments took 5.5 s and 200,000 never
    // finished.
    let comments = "  # cfn-port-lint: ignore EC-012 legacy\n".repeat(200_000);
    let text = format!(
        "Resources:\n{comments}  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {{Engine: redis, Port: 6379}}\n"
    );
    let start = std::time::Instant::now();
    let (_, report) = lint_text("t.yaml", text);
    let [finding] = report.findings.as_slice() else {
        panic!("{:#?}", report.findings);
    };
    assert!(finding.suppressed.is_some());
    // A generous bound for a debug build on a busy machine; the quadratic
    // version needed minutes.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

/// Six nested loops, one past CloudFormation's limit of five, whose outer
/// loops run 72 times in all.
fn six_nested_loops() -> String {
    let mut body = "Cache${A}${B}${C}${D}${E}${F}:\n  Type: AWS::ElastiCache::CacheCluster\n  Properties: {Engine: redis, Port: 6379}\n".to_string();
    for (name, items) in [
        ("F", "[f1, f2]"),
        ("E", "[e1, e2]"),
        ("D", "[d1, d2]"),
        ("C", "[c1, c2]"),
        ("B", "[b1, b2, b3]"),
        ("A", "[a1, a2, a3]"),
    ] {
        let indented: String = body.lines().map(|l| format!("    {l}\n")).collect();
        body = format!("Fn::ForEach::{name}:\n  - {name}\n  - {items}\n  -\n{indented}");
    }
    let indented: String = body.lines().map(|l| format!("  {l}\n")).collect();
    format!("Transform: AWS::LanguageExtensions\nResources:\n{indented}")
}

#[test]
fn limit_warning_met_in_every_iteration_is_reported_once_with_a_count() {
    let (_, report) = lint_text("t.yaml", six_nested_loops());
    let deep: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("nest deeper than 5 levels"))
        .collect();
    let [warning] = deep.as_slice() else {
        panic!("expected one warning: {:#?}", report.diagnostics);
    };
    // The count comes from the loop expansion itself ("met 72 times"), or
    // from the generic merge of repeated diagnostics ("reported 72 times").
    assert!(
        warning.notes.iter().any(|n| n.contains("72 times")),
        "{warning:#?}"
    );
}

fn single_syntax_error(report: &Report) -> &cfn_port_rules::Diagnostic {
    let [error] = report.diagnostics.as_slice() else {
        panic!("expected one diagnostic: {:#?}", report.diagnostics);
    };
    assert_eq!(
        error.kind,
        cfn_port_rules::DiagnosticKind::Syntax,
        "{error:#?}"
    );
    assert!(report.findings.is_empty());
    error
}

const CACHE: &str =
    "  C:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: redis, Port: 6379}\n";

#[test]
fn nel_line_breaks_are_a_located_error_not_a_silent_non_template() {
    // CloudFormation reads YAML 1.1, where NEL ends a line; YAML 1.2 does not.
    let text = format!("Resources:\u{85}{}", CACHE.replace('\n', "\u{85}"));
    let (_, report) = lint_text("t.yaml", text.clone());
    let error = single_syntax_error(&report);
    assert!(error.message.contains("U+0085 (NEL, next line)"), "{error}");
    assert_eq!(error.position.map(|p| (p.line, p.column)), Some((1, 11)));
    assert!(cfn_port_rules::looks_like_template(&text));
}

#[test]
fn raw_escape_in_a_yaml_comment_is_refused_as_libyaml_refuses_it() {
    let (_, report) = lint_text("t.yaml", format!("Resources: # \x1b[2J\n{CACHE}"));
    let error = single_syntax_error(&report);
    assert!(error.message.contains("U+001B"), "{error}");
    assert_eq!(error.position.map(|p| (p.line, p.column)), Some((1, 14)));
}

#[test]
fn raw_escape_in_a_json_string_is_refused_as_rfc_8259_requires() {
    let text = "{\"Resources\": {\"C\": {\"Type\": \"AWS::ElastiCache::CacheCluster\", \"Properties\": {\"Engine\": \"redis\", \"Port\": 6379, \"CacheSubnetGroupName\": \"a\x1bb\"}}}}";
    let (_, report) = lint_text("t.json", text);
    let error = single_syntax_error(&report);
    assert!(error.message.contains("U+001B must be escaped"), "{error}");
    // A raw tab stays accepted, as before.
    let (_, report) = lint_text("t.json", text.replace('\x1b', "\t"));
    assert_eq!(report.findings.len(), 1, "{:#?}", report.diagnostics);
}

#[test]
fn yaml_version_2_directive_is_refused_as_libyaml_refuses_it() {
    let (_, report) = lint_text("t.yaml", format!("%YAML 2.0\n---\nResources:\n{CACHE}"));
    let error = single_syntax_error(&report);
    assert!(
        error.message.contains("YAML version 2.0 is not supported"),
        "{error}"
    );
    let (_, report) = lint_text("t.yaml", format!("%YAML 1.1\n---\nResources:\n{CACHE}"));
    assert_eq!(report.findings.len(), 1, "{:#?}", report.diagnostics);
}

#[test]
fn repeated_diagnostics_of_any_source_are_merged_with_a_count() {
    // Each suppression names an unknown rule on the same comment line: one
    // problem, not three.
    let text = format!("Resources:\n  # cfn-port-lint: ignore NOPE-1,NOPE-1,NOPE-1 why\n{CACHE}");
    let (_, report) = lint_text("t.yaml", text);
    let unknown: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("`NOPE-1`, which is not a rule"))
        .collect();
    let [warning] = unknown.as_slice() else {
        panic!("expected one warning: {:#?}", report.diagnostics);
    };
    assert!(
        warning
            .notes
            .iter()
            .any(|n| n == "reported 3 times in this file; shown once"),
        "{warning:#?}"
    );
}
