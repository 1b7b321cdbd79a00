//! `--format gitlab` (alias `codequality`): a GitLab Code Quality report,
//! the subset of the CodeClimate issue format that GitLab reads: a JSON
//! array of issues with `description`, `check_name`, `fingerprint`,
//! `severity` and `location.path` / `location.lines.begin`.
//!
//! - Findings are issues of their rule; suppressed findings are left out
//!   (GitLab has no notion of a suppressed issue).
//! - Inputs that could not be read or parsed, and warnings about inputs,
//!   are issues too (`check_name` is the diagnostic code), so a broken
//!   template shows in the merge request. Notes (not a template) are not.
//! - The fingerprint of a finding is the one SARIF uses (rule, path,
//!   resource and property path, no line), so GitLab keeps an issue's
//!   identity when lines move and tells new issues from old ones.

use std::io;
use std::path::Path;

use cfn_port_rules::syntax;
use cfn_port_rules::{Finding, Limits, Severity};
use serde::Serialize;

use super::{Context, Item, items};
use crate::check::FileResult;
use crate::fingerprint::{fingerprint, property_path};

/// The issues of every file, written as one array at the end.
#[derive(Debug, Default)]
pub(super) struct CodeQuality {
    issues: Vec<Issue>,
}

/// One CodeClimate issue, with the fields GitLab reads.
#[derive(Debug, Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Debug, Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Debug, Serialize)]
struct Lines {
    begin: u32,
}

impl CodeQuality {
    /// Adds one file's issues.
    pub(super) fn file(&mut self, result: &FileResult, cx: &Context<'_>) {
        // The identity of a finding is the input's (a module's findings keep
        // theirs when a resource moves between its files); its location is
        // the file it is in.
        let input_path = repository_path(&result.display, cx.cwd);
        let document = result
            .source()
            .filter(|_| crate::fingerprint::has_property_paths(result))
            .filter(|_| result.report.active_findings().next().is_some())
            .map(|source| (source, syntax::parse(source, &Limits::default())));
        for item in items(result, cx) {
            let path = repository_path(item.path(result), cx.cwd);
            let issue = match item {
                Item::Finding(finding) if finding.suppressed.is_none() => {
                    let property_path = document
                        .as_ref()
                        .and_then(|(source, parsed)| {
                            let doc = parsed.document.as_ref()?;
                            Some(property_path(doc, source, finding.primary_span()))
                        })
                        .unwrap_or_default();
                    // A deployed cluster with no file is at its ARN, which
                    // is its identity too.
                    match item.deployed_without_file() {
                        Some(d) => finding_issue(finding, &d.arn, &d.arn, &property_path),
                        None => finding_issue(finding, &input_path, &path, &property_path),
                    }
                }
                Item::Io(_) | Item::Diagnostic(_) if item.severity() != Severity::Note => {
                    input_issue(&item, &path)
                }
                // Suppressed findings, notes and undetermined resources are
                // not problems to fix in the merge request.
                _ => continue,
            };
            self.issues.push(issue);
        }
    }

    /// Writes the report.
    pub(super) fn finish(self, out: &mut dyn io::Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.issues).map_err(io::Error::from)?;
        writeln!(out)
    }
}

fn finding_issue(finding: &Finding, input_path: &str, path: &str, property_path: &str) -> Issue {
    Issue {
        kind: "issue",
        description: finding.message.clone(),
        check_name: finding.rule.to_string(),
        fingerprint: fingerprint(&[finding.rule, input_path, &finding.resource, property_path]),
        severity: severity(finding.severity),
        location: IssueLocation {
            path: path.to_string(),
            lines: Lines {
                begin: finding.location.map_or(1, |l| l.start.line),
            },
        },
    }
}

/// A file that could not be read or parsed, or a warning about it. Its
/// fingerprint includes the message and line: there is no resource to
/// anchor it, and two problems of one file must not share one.
fn input_issue(item: &Item<'_>, path: &str) -> Issue {
    let line = item.position().map_or(1, |p| p.line);
    let message = item.message();
    Issue {
        kind: "issue",
        description: format!("{}: {message}", item.code()),
        check_name: item.code().to_string(),
        fingerprint: fingerprint(&["input", item.code(), path, &message, &line.to_string()]),
        severity: severity(item.severity()),
        location: IssueLocation {
            path: path.to_string(),
            lines: Lines { begin: line },
        },
    }
}

/// GitLab's severities are info, minor, major, critical and blocker.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Note => "info",
        Severity::Warning => "minor",
        Severity::Error => "major",
    }
}

/// GitLab matches `location.path` against the repository's files, relative
/// to its root: a path under the working directory is made relative to it.
fn repository_path(display: &str, cwd: &Path) -> String {
    let path = Path::new(display);
    match path.strip_prefix(cwd) {
        Ok(relative) if path.is_absolute() => crate::inputs::display_path(relative),
        _ => display.strip_prefix("./").unwrap_or(display).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_working_directory() {
        let cwd = Path::new("/repo");
        assert_eq!(repository_path("/repo/stacks/a.yaml", cwd), "stacks/a.yaml");
        assert_eq!(repository_path("./stacks/a.yaml", cwd), "stacks/a.yaml");
        assert_eq!(
            repository_path("/elsewhere/a.yaml", cwd),
            "/elsewhere/a.yaml"
        );
    }
}
