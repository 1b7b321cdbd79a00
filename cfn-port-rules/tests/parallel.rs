//! A template with enough resources is checked in parallel chunks; the
//! report must be the same as on one thread, byte for byte.

use std::fmt::Write as _;

use cfn_port_rules::{LintOptions, SourceFile, lint};

/// 2,000 resources mixing literal ports, parameter refs, `Fn::If` on a
/// shared condition, a cycle of conditions (a template problem every chunk
/// meets at the same place) and resources that are not ElastiCache.
fn large_template() -> String {
    let mut yaml = String::from(
        "Parameters:\n  Port:\n    Type: Number\n    Default: 6379\n    AllowedValues: [6379, 7000]\n\
         Conditions:\n  IsProd: !Equals [!Ref Port, 7000]\n  A: !Condition B\n  B: !Not [!Condition A]\n\
         Resources:\n",
    );
    for i in 0..2_000 {
        let port = match i % 5 {
            0 => "6379".to_string(),
            1 => "!Ref Port".to_string(),
            2 => "!If [IsProd, 3560, !Ref AWS::NoValue]".to_string(),
            3 => "!If [A, 1, 2]".to_string(),
            _ => "3560".to_string(),
        };
        let ty = if i % 7 == 0 {
            "AWS::SNS::Topic"
        } else {
            "AWS::ElastiCache::ReplicationGroup"
        };
        write!(
            yaml,
            "  Cache{i}:\n    Type: {ty}\n    Properties:\n      Port: {port}\n"
        )
        .unwrap();
    }
    yaml
}

fn report_on(threads: usize, source: &SourceFile) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut report = pool.install(|| lint(source, &LintOptions::default()));
    // The work done, not a result: each chunk of resources evaluates the
    // conditions it needs again, so it grows with the number of chunks.
    report.evaluation_steps = 0;
    assert!(
        report.findings.len() > 1_000,
        "the template should have many findings"
    );
    format!("{report:#?}")
}

#[test]
fn a_large_template_gives_the_same_report_on_one_and_on_four_threads() {
    let source = SourceFile::new("large.yaml", large_template());
    let one = report_on(1, &source);
    let four = report_on(4, &source);
    assert!(one == four, "reports differ between 1 and 4 threads");
    // The cycle is reported once, not once per chunk.
    assert_eq!(four.matches("refer to each other in a cycle").count(), 1);
}
