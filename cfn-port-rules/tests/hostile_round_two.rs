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
    assert_eq!(
        warning.notes.last().map(String::as_str),
        Some("reported 72 times in this file; shown once"),
        "{warning:#?}"
    );
}
