//! Helpers shared by the tests that pin a rule's findings over the
//! CloudFormation templates of the shared corpus: lint the templates, count
//! the findings, and check that every hand-reviewed one is still reported.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cfn_port_rules::rules::Finding;
use cfn_port_rules::{LintOptions, SourceFile, lint};

/// One finding: (what it is counted under, a rule or a folder; the file's
/// name; the resource; the message).
pub type Row = (String, String, String, String);

/// A line on stderr, which the test harness shows with `--nocapture` and
/// for a failing test.
pub fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The findings of every template in `dir`, in file name order, that
/// contains one of `needles` (the others cannot have one, and are not
/// linted), counted under what `group` says; a finding it gives `None` is
/// left out.
pub fn template_findings(
    dir: &Path,
    needles: &[&str],
    mut group: impl FnMut(&Finding) -> Option<String>,
) -> Vec<Row> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if !needles
            .iter()
            .any(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
        {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 name")
            .to_string();
        let Ok(source) = SourceFile::from_bytes(name.clone(), bytes) else {
            continue;
        };
        for finding in lint(&source, &LintOptions::default()).findings {
            if let Some(key) = group(&finding) {
                out.push((key, name.clone(), finding.resource, finding.message));
            }
        }
    }
    out
}

/// Lists `rows` in `target/tmp/<listing>` for the next review, and checks
/// that they count as `counts` says and that every `reviewed` finding
/// (key, file, resource, verdict) is among them.
pub fn check_counts_and_sample(
    what: &str,
    listing: &str,
    rows: &[Row],
    counts: &[(&str, usize)],
    reviewed: &[(&str, &str, &str, &str)],
) {
    let mut text = String::new();
    for (key, file, resource, message) in rows {
        let _ = writeln!(text, "{key}\t{file}\t{resource}\t{message}");
    }
    let _ = std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join(listing), text);
    let mut found: BTreeMap<&str, usize> = counts.iter().map(|(key, _)| (*key, 0)).collect();
    for (key, ..) in rows {
        *found.get_mut(key.as_str()).expect("a counted key") += 1;
    }
    say(&format!("{what}: {found:?}"));
    let expected: BTreeMap<&str, usize> = counts.iter().copied().collect();
    assert_eq!(found, expected, "the counts moved: check the sample again");
    let missing: Vec<_> = reviewed
        .iter()
        .filter(|(key, file, resource, _)| {
            !rows
                .iter()
                .any(|(k, f, id, _)| k == key && f == file && id == resource)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "reviewed findings no longer reported: {missing:#?}"
    );
}
