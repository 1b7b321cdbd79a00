//! The template model renders to documents the library accepts, and a good
//! share of generated templates reach EC-012 findings, so the structured
//! target exercises the evaluator rather than the parser's error paths.

use arbitrary::{Arbitrary, Unstructured};
use cfn_port_rules::{SourceFile, Status};
use cfn_port_rules_fuzz::model::{Syntax, Template};
use cfn_port_rules_fuzz::parse_and_lint;

/// Deterministic pseudo-random bytes (xorshift), so the test needs no seed files.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

#[test]
fn generated_templates_lint_in_every_syntax_and_often_have_findings() {
    let mut with_findings = 0;
    let mut with_undetermined = 0;
    let total = 300;
    for seed in 0..total {
        let data = bytes(seed, 2048);
        let Ok(template) = Template::arbitrary(&mut Unstructured::new(&data)) else {
            continue;
        };
        let mut summaries = Vec::new();
        for syntax in [Syntax::Json, Syntax::YamlLong, Syntax::YamlShort] {
            let (text, name) = template.render(syntax);
            let source = SourceFile::new(name, text);
            let report = parse_and_lint(&source);
            assert!(
                !report.has_errors() && report.status == Status::Linted,
                "seed {seed} {syntax:?}: {:#?}\n{}",
                report.diagnostics,
                source.text()
            );
            let mut findings: Vec<_> = report
                .findings
                .iter()
                .map(|f| (f.resource.clone(), f.message.clone()))
                .collect();
            findings.sort();
            summaries.push(findings);
            if syntax == Syntax::YamlShort {
                with_findings += usize::from(!report.findings.is_empty());
                with_undetermined += usize::from(!report.undetermined.is_empty());
            }
        }
        // JSON renders YAML's 0x18EB as 6379; numbers compare by spelling.
        if !format!("{template:?}").contains("HexPort") {
            assert_eq!(
                summaries[0], summaries[1],
                "seed {seed}: JSON and long-form YAML disagree"
            );
        }
        assert_eq!(
            summaries[1], summaries[2],
            "seed {seed}: long and short YAML disagree"
        );
    }
    assert!(
        with_findings >= 5,
        "only {with_findings} of {total} templates had a finding"
    );
    assert!(
        with_undetermined >= 5,
        "only {with_undetermined} of {total} had an undetermined resource"
    );
}

#[test]
fn generated_blowups_parse_as_templates() {
    use cfn_port_rules::Limits;
    use cfn_port_rules::syntax;
    use cfn_port_rules_fuzz::model::Blowup;
    // Parsed only: linting the largest shapes is the budget target's job.
    let mut parsed = 0;
    for seed in 0..200 {
        let data = bytes(seed, 256);
        let Ok(blowup) = Blowup::arbitrary(&mut Unstructured::new(&data)) else {
            continue;
        };
        let source = SourceFile::new("budget.yaml", blowup.render());
        let result = syntax::parse(&source, &Limits::default());
        assert!(
            result.diagnostics.is_empty() && result.document.is_some(),
            "seed {seed}: {:#?}\n{}",
            result.diagnostics,
            &source.text()[..source.text().len().min(2000)]
        );
        parsed += 1;
    }
    assert!(parsed > 150, "only {parsed} of 200 seeds made a template");
}
