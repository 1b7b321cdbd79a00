//! Every file of the shared corpus (`../shared/corpus`, beside the
//! repository) goes through `SourceFile::from_bytes` and `lint` without a
//! panic, and:
//!
//! - every file in `general/` and `elasticache/` (real templates that
//!   cfn-lint parses) parses without an error diagnostic;
//! - every file in `bad/` yields an error diagnostic with a position, or a
//!   "not a template" result.
//!
//! The corpus is not part of the repository; without it the test says so
//! and checks nothing. All violations are collected and listed together.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cfn_port_rules::{LintOptions, Severity, SourceFile, Status, lint};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    dir.join("general").is_dir().then_some(dir)
}

fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Files of `general/` and `elasticache/` that are allowed an error, with the
/// reason the behaviour is arguably right. Keep this list short and explain
/// every entry.
const GOOD_FILES_ALLOWED_AN_ERROR: &[(&str, &str)] = &[];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Parses without an error diagnostic.
    Parses,
    /// An error diagnostic with a position, or "not a template".
    Broken,
}

fn templates(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .filter(|path| path.extension().is_none_or(|ext| ext != "tsv"))
        .collect();
    files.sort();
    files
}

/// What is wrong with one file, if anything.
fn check(path: &Path, expect: Expect) -> Option<String> {
    let bytes = std::fs::read(path).expect("corpus file is readable");
    let name = path.display().to_string();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        match SourceFile::from_bytes(name, bytes) {
            Err(diagnostic) => Err(diagnostic),
            Ok(source) => Ok(lint(&source, &LintOptions::default())),
        }
    }));
    let result = match outcome {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            return Some(format!("PANIC: {message}"));
        }
    };
    match (expect, result) {
        (Expect::Parses, Err(diagnostic)) => Some(format!("{diagnostic}")),
        (Expect::Parses, Ok(report)) => {
            let errors: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(ToString::to_string)
                .collect();
            (!errors.is_empty()).then(|| errors.join(" | "))
        }
        (Expect::Broken, Err(diagnostic)) => (diagnostic.position.is_none())
            .then(|| format!("encoding error without a position: {diagnostic}")),
        (Expect::Broken, Ok(report)) => {
            let located_error = report
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error && d.position.is_some());
            let not_a_template = report.status == Status::NotATemplate;
            (!located_error && !not_a_template).then(|| {
                let shown: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
                format!(
                    "no located error and not \"not a template\" (status {:?}, {} finding(s)): [{}]",
                    report.status,
                    report.findings.len(),
                    shown.join(" | ")
                )
            })
        }
    }
}

#[test]
fn every_corpus_file_is_linted_without_panic_and_as_expected() {
    let Some(corpus) = corpus() else {
        say("skipped: ../shared/corpus not found; corpus robustness was not checked");
        return;
    };
    let mut work: Vec<(PathBuf, Expect)> = Vec::new();
    for (folder, expect) in [
        ("general", Expect::Parses),
        ("elasticache", Expect::Parses),
        ("bad", Expect::Broken),
    ] {
        work.extend(
            templates(&corpus.join(folder))
                .into_iter()
                .map(|p| (p, expect)),
        );
    }
    assert!(
        work.len() > 5000,
        "the corpus looks incomplete: {} files",
        work.len()
    );

    // A panic is caught and reported per file; keep the default hook quiet.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let violations = Mutex::new(Vec::new());
    let next = Mutex::new(work.iter());
    let threads = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(4);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let Some((path, expect)) = next.lock().unwrap().next() else {
                        break;
                    };
                    if let Some(problem) = check(path, *expect) {
                        let file = path
                            .strip_prefix(&corpus)
                            .unwrap_or(path)
                            .display()
                            .to_string();
                        violations.lock().unwrap().push((file, problem));
                    }
                }
            });
        }
    });
    std::panic::set_hook(hook);

    let mut violations = violations.into_inner().unwrap();
    violations.retain(|(file, _)| {
        !GOOD_FILES_ALLOWED_AN_ERROR
            .iter()
            .any(|(allowed, _)| file.ends_with(allowed))
    });
    violations.sort();
    say(&format!(
        "corpus robustness: {} files checked, {} violation(s)",
        work.len(),
        violations.len()
    ));
    let listing: Vec<String> = violations
        .iter()
        .map(|(file, problem)| format!("{file}: {problem}"))
        .collect();
    assert!(
        violations.is_empty(),
        "corpus files not handled as expected:\n{}",
        listing.join("\n")
    );
}
