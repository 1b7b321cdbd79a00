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
