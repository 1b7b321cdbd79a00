//! Hostile shapes ([`Blowup`]: condition DAGs with repeated references,
//! nested `Fn::ForEach` with empty and unknown bodies, large mappings with
//! unknown keys, duplicate `AllowedValues`, long suppression blocks, large
//! lists) must finish within a fixed budget:
//!
//! - at most [`STEP_BUDGET`] evaluator steps (`Report::evaluation_steps`,
//!   nodes visited), whatever the shape;
//! - at most [`TIME_BUDGET`] of wall-clock time, which catches work the step
//!   count does not see (combining possibilities, matching suppressions);
//! - each distinct diagnostic once.
//!
//! Memory is bounded by libFuzzer's `-rss_limit_mb` (scripts/fuzz.sh).
#![no_main]

use std::time::{Duration, Instant};

use cfn_port_rules::{LintOptions, SourceFile, lint};
use cfn_port_rules_fuzz::check_report;
use cfn_port_rules_fuzz::model::Blowup;
use libfuzzer_sys::fuzz_target;

/// Evaluator steps any generated template may take. The largest shapes
/// visit a few hundred thousand nodes when evaluated once each.
const STEP_BUDGET: u64 = 10_000_000;

/// Time `lint` may take on any generated template in the fuzz build
/// (optimised, with AddressSanitizer; the largest templates are about 2 MB
/// of text, and a release build lints tens of MB a second). Only `lint` is
/// timed: the other targets' document checks cost more than linting on a
/// 2 MB line and are not what this target measures.
const TIME_BUDGET: Duration = Duration::from_secs(2);

fuzz_target!(|blowup: Blowup| {
    let text = blowup.render();
    let source = SourceFile::new("budget.yaml", text);
    let start = Instant::now();
    let report = lint(&source, &LintOptions::default());
    let elapsed = start.elapsed();
    check_report(&source, &report);
    assert!(
        report.evaluation_steps <= STEP_BUDGET,
        "{} evaluator steps, over the budget of {STEP_BUDGET}: {blowup:?}",
        report.evaluation_steps
    );
    assert!(
        elapsed <= TIME_BUDGET,
        "{elapsed:?}, over the budget of {TIME_BUDGET:?}: {blowup:?}"
    );
    let mut seen = std::collections::HashSet::new();
    for d in &report.diagnostics {
        assert!(
            seen.insert((d.kind.code(), d.primary_span(), d.message.as_str())),
            "diagnostic repeated: {d}"
        );
    }
});
