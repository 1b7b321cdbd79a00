//! `--format json`: one stable, versioned document (schema in the README).
//!
//! Bump [`VERSION`] when a field is removed or changes meaning; adding a
//! field does not change the version.

use std::io;

use cfn_port_rules::{Finding, LabelStyle, LineCol, Severity, SourceFile, Span};
use serde::Serialize;

use super::{Context, Item, items};
use crate::check::{FileResult, Summary};

/// The document's schema version.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonProblem<'a>>,
    warnings: Vec<JsonProblem<'a>>,
    undetermined: Vec<JsonUndetermined<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    path: &'a str,
    resource: &'a str,
    resource_type: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: &'a str,
    suppressed: Option<JsonSuppression<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    style: LabelStyle,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    source: cfn_port_rules::suppress::SuppressionSource,
    reason: Option<&'a str>,
    line: Option<u32>,
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    path: &'a str,
    code: &'a str,
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
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonUndetermined<'a> {
    rule: &'a str,
    path: &'a str,
    resource: &'a str,
    resource_type: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    reason: &'a str,
}

pub(super) fn render(
    out: &mut dyn io::Write,
    results: &[FileResult],
    cx: &Context<'_>,
) -> io::Result<()> {
    let mut document = Document {
        version: VERSION,
        tool: Tool {
            name: "cfn-port-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        undetermined: Vec::new(),
        summary: cx.summary,
    };
    for result in results {
        let source = result.source.as_ref();
        for item in items(result, cx) {
            match item {
                Item::Finding(f) => document.findings.push(finding(f, &result.display, source)),
                Item::Undetermined(u) => document.undetermined.push(JsonUndetermined {
                    rule: u.rule,
                    path: &result.display,
                    resource: &u.resource,
                    resource_type: &u.resource_type,
                    line: u.location.map(|l| l.start.line),
                    column: u.location.map(|l| l.start.column),
                    reason: &u.reason,
                }),
                Item::Io(_) | Item::Diagnostic(_) => {
                    let (notes, help): (&[String], _) = match item {
                        Item::Diagnostic(d) => (&d.notes, d.help.as_deref()),
                        _ => (&[], None),
                    };
                    let start = item.position();
                    let end = item.end(source);
                    let problem = JsonProblem {
                        path: &result.display,
                        code: match item {
                            Item::Diagnostic(d) => d.kind.code(),
                            _ => "io",
                        },
                        severity: item.severity(),
                        line: start.map(|p| p.line),
                        column: start.map(|p| p.column),
                        end_line: end.map(|p| p.line),
                        end_column: end.map(|p| p.column),
                        message: item.message(),
                        notes,
                        help,
                    };
                    if problem.severity == Severity::Error {
                        document.errors.push(problem);
                    } else {
                        document.warnings.push(problem);
                    }
                }
            }
        }
    }
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    writeln!(out)
}

fn finding<'a>(f: &'a Finding, path: &'a str, source: Option<&SourceFile>) -> JsonFinding<'a> {
    let location = f.location.unwrap_or(cfn_port_rules::Location {
        start: LineCol { line: 1, column: 1 },
        end: LineCol { line: 1, column: 1 },
    });
    let position = |span: Span| -> Option<(LineCol, LineCol)> {
        let source = source?;
        source
            .get(span)
            .map(|_| (source.line_col(span.start), source.line_col(span.end)))
    };
    JsonFinding {
        rule: f.rule,
        severity: f.severity,
        path,
        resource: &f.resource,
        resource_type: &f.resource_type,
        line: location.start.line,
        column: location.start.column,
        end_line: location.end.line,
        end_column: location.end.column,
        message: &f.message,
        labels: f
            .labels
            .iter()
            .filter_map(|label| {
                let (start, end) = position(label.span)?;
                Some(JsonLabel {
                    style: label.style,
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    message: &label.message,
                })
            })
            .collect(),
        notes: &f.notes,
        help: &f.help,
        suppressed: f.suppressed.as_ref().map(|s| JsonSuppression {
            source: s.source,
            reason: s.reason.as_deref(),
            line: position(s.span).map(|(start, _)| start.line),
        }),
    }
}
