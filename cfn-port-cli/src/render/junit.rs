//! `--format junit`: JUnit XML for CI test reports. One test suite,
//! `cfn-port-lint`; one test case per template (and per input that failed),
//! named by its path. A template with findings fails, and its failure lists
//! every finding, one per line; an input that could not be read or parsed is
//! an error; a file named explicitly that is not a template is skipped.
//!
//! Each test case has a `file` attribute (the path, which GitLab and
//! Jenkins link) and a `time` (seconds spent reading and linting it); the
//! suite's `time` is the whole run.

use std::io;

use cfn_port_rules::Severity;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Context, Item, Totals, items, plural};
use crate::check::FileResult;
use crate::sanitize;

/// One test suite; a test case is added per file as it comes.
#[derive(Debug)]
pub(super) struct Junit {
    suite: TestSuite,
}

impl Default for Junit {
    fn default() -> Self {
        Self {
            suite: TestSuite::new("cfn-port-lint"),
        }
    }
}

impl Junit {
    pub(super) fn file(&mut self, result: &FileResult, cx: &Context<'_>) {
        if !result.skipped {
            self.suite.add_test_case(test_case(result, cx));
        }
    }

    pub(super) fn finish(mut self, out: &mut dyn io::Write, totals: &Totals) -> io::Result<()> {
        let mut report = Report::new("cfn-port-lint");
        self.suite.set_time(totals.elapsed);
        report.set_time(totals.elapsed);
        report.add_test_suite(self.suite);
        // Serialised first and written in one go: the serialiser's error
        // hides the write error's kind, and a closed pipe must stay
        // `BrokenPipe`, which the caller treats as "stop quietly", as it does
        // for every other format.
        let mut xml = Vec::new();
        report
            .serialize(&mut xml)
            .map_err(|e| io::Error::other(e.to_string()))?;
        out.write_all(&xml)?;
        writeln!(out)
    }
}

fn test_case(result: &FileResult, cx: &Context<'_>) -> TestCase {
    let items = items(result, cx);
    // XML 1.0 cannot hold most controls, and a writer that drops them could
    // give two different files the same name: escape them visibly instead.
    let display = sanitize::inline(&result.display);
    let lines: Vec<String> = items
        .iter()
        // The file the item is in, or the ARN of a deployed resource in no file.
        .map(|item| (sanitize::inline(item.place(result)), item))
        .map(|(path, item)| match item.position() {
            Some(p) => format!(
                "{path}:{}:{}: {}[{}] {}",
                p.line,
                p.column,
                item.severity(),
                item.code(),
                sanitize::inline(&item.message())
            ),
            None => format!(
                "{path}: {}[{}] {}",
                item.severity(),
                item.code(),
                sanitize::inline(&item.message())
            ),
        })
        .collect();
    let errors = items
        .iter()
        .filter(|i| i.severity() == Severity::Error && !matches!(i, Item::Finding(_)))
        .count();
    let findings = items
        .iter()
        .filter(|i| matches!(i, Item::Finding(f) if f.suppressed.is_none()))
        .count();
    let mut status = if errors > 0 {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message("the file could not be read or parsed");
        status.set_type("error");
        status
    } else if findings > 0 {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(plural(findings, "finding", "findings"));
        status.set_type("finding");
        status
    } else if !result.is_template() {
        let mut status = TestCaseStatus::skipped();
        status.set_message("not a CloudFormation template");
        status
    } else {
        TestCaseStatus::success()
    };
    if !lines.is_empty() && !matches!(status, TestCaseStatus::Success { .. }) {
        status.set_description(lines.join("\n"));
    }
    let display = display.into_owned();
    let mut case = TestCase::new(display.clone(), status);
    case.set_classname("cfn-port-lint");
    case.extra.insert("file".into(), display.into());
    case.set_time(result.elapsed);
    if matches!(case.status, TestCaseStatus::Success { .. }) && !lines.is_empty() {
        case.set_system_out(lines.join("\n"));
    }
    case
}
