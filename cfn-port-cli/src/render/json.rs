//! `--format json`: one stable, versioned document (schema in the README).
//!
//! Bump [`VERSION`] when a field is removed or changes meaning; adding a
//! field does not change the version.

use std::io;
use std::sync::Arc;

use cfn_port_rules::{FileId, Finding, LabelStyle, LineCol, Severity, Span};
use serde::Serialize;

use super::{Context, Item, Totals, items};
use crate::check::{FileResult, Summary};

/// The document's schema version.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    /// The config file in use; absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<&'a str>,
    #[serde(flatten)]
    entries: &'a Json,
    summary: Summary,
}

/// The document's lists, filled a file at a time; every entry owns its
/// text, so no file is kept once its entries are made.
#[derive(Debug, Default, Serialize)]
pub(super) struct Json {
    findings: Vec<JsonFinding>,
    errors: Vec<JsonProblem>,
    warnings: Vec<JsonProblem>,
    undetermined: Vec<JsonUndetermined>,
}

#[derive(Debug, Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Debug, Serialize)]
struct JsonFinding {
    rule: &'static str,
    severity: Severity,
    path: String,
    resource: String,
    resource_type: String,
    /// A deployed cluster's ARN and region (saved describe output, or a
    /// live audit, where `path` is the ARN and there are no positions).
    #[serde(skip_serializing_if = "Option::is_none")]
    arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    message: String,
    labels: Vec<JsonLabel>,
    notes: Vec<Arc<str>>,
    help: String,
    suppressed: Option<JsonSuppression>,
}

#[derive(Debug, Serialize)]
struct JsonLabel {
    style: LabelStyle,
    /// The file the label is in, when it is not the finding's own (a
    /// module's line of a Terraform finding in its caller).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: Arc<str>,
}

#[derive(Debug, Serialize)]
struct JsonSuppression {
    source: cfn_port_rules::suppress::SuppressionSource,
    reason: Option<String>,
    /// The file it is written in, when not the finding's own (a module's
    /// resource block, for a finding at the caller's argument).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    line: Option<u32>,
}

#[derive(Debug, Serialize)]
struct JsonProblem {
    path: String,
    code: &'static str,
    severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    message: String,
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
}

#[derive(Debug, Serialize)]
struct JsonUndetermined {
    rule: &'static str,
    path: String,
    resource: String,
    resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    reason: String,
}

impl Json {
    /// Adds one file's entries.
    pub(super) fn file(&mut self, result: &FileResult, cx: &Context<'_>) {
        for item in items(result, cx) {
            let path = item.path(result).to_owned();
            match item {
                Item::Finding(f) => self.findings.push(finding(f, item.place(result), result)),
                Item::Undetermined(u) => self.undetermined.push(JsonUndetermined {
                    rule: u.rule,
                    path: item.place(result).to_owned(),
                    resource: u.resource.clone(),
                    resource_type: u.resource_type.clone(),
                    arn: u.deployed.as_ref().map(|d| d.arn.clone()),
                    region: u.deployed.as_ref().and_then(|d| d.region.clone()),
                    line: u.location.map(|l| l.start.line),
                    column: u.location.map(|l| l.start.column),
                    reason: u.reason.clone(),
                }),
                Item::Io(_) | Item::Diagnostic(_) => {
                    let (notes, help) = match item {
                        Item::Diagnostic(d) => (d.notes.clone(), d.help.clone()),
                        _ => (Vec::new(), None),
                    };
                    let start = item.position();
                    let end = item.end(result);
                    let problem = JsonProblem {
                        path,
                        code: match item {
                            Item::Diagnostic(d) => d.kind.code(),
                            _ => "io",
                        },
                        severity: item.severity(),
                        line: start.map(|p| p.line),
                        column: start.map(|p| p.column),
                        end_line: end.map(|p| p.line),
                        end_column: end.map(|p| p.column),
                        message: item.message().into_owned(),
                        notes,
                        help,
                    };
                    if problem.severity == Severity::Error {
                        self.errors.push(problem);
                    } else {
                        self.warnings.push(problem);
                    }
                }
            }
        }
    }

    /// Writes the document.
    pub(super) fn finish(
        self,
        out: &mut dyn io::Write,
        cx: &Context<'_>,
        totals: &Totals,
    ) -> io::Result<()> {
        let document = Document {
            version: VERSION,
            tool: Tool {
                name: "cfn-port-lint",
                version: env!("CARGO_PKG_VERSION"),
            },
            config: cx.config_file,
            entries: &self,
            summary: totals.summary,
        };
        serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
        writeln!(out)
    }
}

/// A finding's entry, at `place` (the file it is in, or a deployed
/// cluster's ARN). Only a finding on a deployed cluster with no file (a live
/// audit) has no location; any other is placed at 1:1 rather than dropped.
fn finding(f: &Finding, place: &str, result: &FileResult) -> JsonFinding {
    let location = match (f.location, &f.deployed) {
        (None, Some(_)) => None,
        (location, _) => Some(location.unwrap_or(cfn_port_rules::Location {
            start: LineCol { line: 1, column: 1 },
            end: LineCol { line: 1, column: 1 },
        })),
    };
    let position = |file: FileId, span: Span| -> Option<(LineCol, LineCol)> {
        let source = result.source_of(file)?;
        source
            .get(span)
            .map(|_| (source.line_col(span.start), source.line_col(span.end)))
    };
    let own_file = f.primary_file();
    JsonFinding {
        rule: f.rule,
        severity: f.severity,
        path: place.to_owned(),
        resource: f.resource.clone(),
        resource_type: f.resource_type.to_string(),
        arn: f.deployed.as_ref().map(|d| d.arn.clone()),
        region: f.deployed.as_ref().and_then(|d| d.region.clone()),
        line: location.map(|l| l.start.line),
        column: location.map(|l| l.start.column),
        end_line: location.map(|l| l.end.line),
        end_column: location.map(|l| l.end.column),
        message: f.message.clone(),
        labels: f
            .labels
            .iter()
            .filter_map(|label| {
                let (start, end) = position(label.file, label.span)?;
                Some(JsonLabel {
                    style: label.style,
                    path: (label.file != own_file).then(|| result.path_of(label.file).to_owned()),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    message: label.message.clone(),
                })
            })
            .collect(),
        notes: f.notes.clone(),
        help: f.help.to_string(),
        suppressed: f.suppressed.as_ref().map(|s| JsonSuppression {
            source: s.source,
            reason: s.reason.clone(),
            path: (s.file != own_file).then(|| result.path_of(s.file).to_owned()),
            line: position(s.file, s.span).map(|(start, _)| start.line),
        }),
    }
}
