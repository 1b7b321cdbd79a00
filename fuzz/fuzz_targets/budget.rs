//! Hostile shapes ([`Blowup`]: condition DAGs with repeated references,
//! nested `Fn::ForEach` with empty and unknown bodies, large mappings with
//! unknown keys, duplicate `AllowedValues`, long suppression blocks, large
//! lists) must finish within a fixed budget:
//!
//! - at most [`STEP_BUDGET`] evaluator steps (`Report::evaluation_steps`,
//!   nodes visited), whatever the shape;
//! - at most [`time_budget`] of CPU time (four seconds, plus three per MiB
//!   of text, plus 100 µs per finding or undetermined resource), which catches work the step
//!   count does not see (combining possibilities, matching suppressions);
//! - each distinct diagnostic once.
//!
//! Memory is bounded by libFuzzer's `-rss_limit_mb` (scripts/fuzz.sh).
#![no_main]

use std::time::Duration;

use cfn_port_rules::{LintOptions, SourceFile, lint};
use cfn_port_rules_fuzz::check_report;
use cfn_port_rules_fuzz::model::Blowup;
use libfuzzer_sys::fuzz_target;

/// Evaluator steps any generated template may take. The largest shapes
/// visit a few hundred thousand nodes when evaluated once each.
const STEP_BUDGET: u64 = 10_000_000;

/// CPU time `lint` may take on a generated template in the fuzz build
/// (optimised, with AddressSanitizer): a fixed allowance, plus an allowance
/// per MiB of text, plus one per finding or undetermined resource (loops
/// may make up to 100,000 resources from a kilobyte of text, each judged and
/// reported: 1.3 KB of nested loops over a cache give 100,000 findings in
/// 0.6 s of a release build, 7 s with AddressSanitizer; linear in what is
/// reported, so allowed). CPU time, not the wall clock: a fuzzer usually runs
/// beside other work, and waiting for a core is not the template's doing.
/// Linear work stays far inside it (a release build lints tens of MB a
/// second; AddressSanitizer costs about five times that; the largest
/// templates are about 2 MiB, and 47,000 suppression comments take about
/// 2.9 s; loops cut off at the 200,000-iteration budget take about 0.15 s,
/// 2.4 s with AddressSanitizer), while the quadratic shapes this target exists
/// for take minutes at that size. Only `lint` is timed: the other targets'
/// document checks cost more than linting on a 2 MB line and are not what
/// this target measures.
fn time_budget(text_len: usize, results: usize) -> Duration {
    const BASE: Duration = Duration::from_secs(4);
    const PER_MIB: Duration = Duration::from_secs(3);
    const PER_RESULT: Duration = Duration::from_micros(100);
    // Lossless for any text a fuzzer produces (far below 2^52 bytes).
    #[allow(clippy::cast_precision_loss)]
    let mib = text_len as f64 / (1024.0 * 1024.0);
    BASE + PER_MIB.mul_f64(mib) + PER_RESULT * u32::try_from(results).unwrap_or(u32::MAX)
}

/// CPU time used by this process so far, user and system, all threads
/// (`lint` uses a thread pool).
fn cpu_time() -> Duration {
    // SAFETY: `getrusage` only writes the struct it is given, which is
    // plain data that an all-zero value initialises.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fuzz_target!(|blowup: Blowup| {
    let text = blowup.render();
    let source = SourceFile::new("budget.yaml", text);
    let start = cpu_time();
    let report = lint(&source, &LintOptions::default());
    let elapsed = cpu_time().saturating_sub(start);
    let budget = time_budget(
        source.text().len(),
        report.findings.len() + report.undetermined.len(),
    );
    check_report(&source, &report);
    assert!(
        report.evaluation_steps <= STEP_BUDGET,
        "{} evaluator steps, over the budget of {STEP_BUDGET}: {blowup:?}",
        report.evaluation_steps
    );
    assert!(
        elapsed <= budget,
        "{elapsed:?} of CPU time, over the budget of {budget:?}: {blowup:?}"
    );
    let mut seen = std::collections::HashSet::new();
    for d in &report.diagnostics {
        assert!(
            seen.insert((d.kind.code(), d.primary_span(), d.message.as_str())),
            "diagnostic repeated: {d}"
        );
    }
});
