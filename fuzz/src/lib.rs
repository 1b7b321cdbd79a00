//! Shared pieces of the fuzz targets: invariant checks on reports and
//! documents, and a template model that `arbitrary` can generate and that
//! renders to YAML (block style, short or long intrinsic forms) or JSON.

pub mod model;

use cfn_port_rules::syntax::{self, Document, NodeKind};
use cfn_port_rules::{Limits, Report, SourceFile, Span};

/// Reads `source` as a Terraform plan; panics unless every span of every
/// planned resource is valid.
pub fn check_plan(source: &SourceFile) {
    use cfn_port_rules::plan::{PlanReading, PlannedValue, read_plan};
    let PlanReading::Plan(plan) = read_plan(source, &Limits::default()) else {
        return;
    };
    for cache in &plan.resources {
        check_span(source, cache.span, "planned resource");
        check_span(source, cache.address_span, "planned address");
        let values = [
            Some(&cache.engine),
            Some(&cache.port),
            cache.member_of.as_ref(),
        ];
        for value in values.into_iter().flatten() {
            if let PlannedValue::Known { span, .. } | PlannedValue::Null { span } = value {
                check_span(source, *span, "planned value");
            }
        }
        for restore in &cache.restored_from {
            check_span(source, restore.span, "restore argument");
        }
        for expression in [&cache.port_expression, &cache.engine_expression]
            .into_iter()
            .flatten()
        {
            check_span(source, expression.span, "configuration expression");
        }
    }
}

/// Reads `source` as saved `describe-*` output; panics unless every span of
/// every cache, page and unauditable part is valid.
pub fn check_describe_output(source: &SourceFile) {
    use cfn_port_rules::aws::describe::{DescribeReading, PortReading, read_describe_output};
    let DescribeReading::Output(output) = read_describe_output(source, &Limits::default()) else {
        return;
    };
    for document in &output.documents {
        check_span(source, document.span, "page");
        if let Some(token) = &document.next_page {
            check_span(source, token.span, "page token");
        }
    }
    for problem in &output.not_auditable {
        check_span(source, problem.span, "not auditable");
    }
    for cache in &output.caches {
        check_span(source, cache.span, "cache");
        for value in [&cache.id, &cache.arn].into_iter().flatten() {
            check_span(source, value.span, "cache id or ARN");
        }
        if let Some(span) = cache.engine.as_ref().and_then(|engine| engine.span) {
            check_span(source, span, "engine");
        }
        if let PortReading::Read { span, .. } = cache.port {
            check_span(source, span, "port");
        }
    }
}

/// Panics unless `span` lies inside the text and on character boundaries.
pub fn check_span(source: &SourceFile, span: Span, what: &str) {
    // `get` is `None` for a reversed span, one past the end, or one that
    // splits a character.
    assert!(
        source.get(span).is_some(),
        "{what}: span {span:?} is not a slice of the {} bytes of text",
        source.text().len()
    );
}

/// Every label, finding and undetermined span of a report is valid, and every
/// position is the line/column of its span.
pub fn check_report(source: &SourceFile, report: &Report) {
    for diagnostic in &report.diagnostics {
        for label in &diagnostic.labels {
            check_span(
                source,
                label.span,
                &format!("diagnostic `{}`", diagnostic.message),
            );
        }
        if let (Some(position), Some(span)) = (diagnostic.position, diagnostic.primary_span()) {
            assert_eq!(
                position,
                source.line_col(span.start),
                "diagnostic `{}`: position is not the primary span's start",
                diagnostic.message
            );
        }
    }
    for finding in &report.findings {
        assert!(!finding.labels.is_empty(), "finding without labels");
        for label in &finding.labels {
            check_span(
                source,
                label.span,
                &format!("finding `{}`", finding.message),
            );
        }
    }
    for undetermined in &report.undetermined {
        check_span(
            source,
            undetermined.span,
            &format!("undetermined `{}`", undetermined.reason),
        );
    }
}

/// `offset_of(line_col(offset)) == offset` for an offset that does not sit on
/// a line break (line breaks map to the end of their line).
pub fn round_trip(source: &SourceFile, offset: u32) {
    let text = source.text();
    let at = offset as usize;
    if at < text.len() && matches!(text.as_bytes()[at], b'\r' | b'\n') {
        return;
    }
    let position = source.line_col(offset);
    assert_eq!(
        source.offset_of(position),
        Some(offset),
        "offset {offset} -> {position} does not map back"
    );
}

/// Parses and lints `source`, checking the invariants on both results.
pub fn parse_and_lint(source: &SourceFile) -> Report {
    let limits = Limits::default();
    let parsed = syntax::parse(source, &limits);
    if let Some(doc) = &parsed.document {
        check_document(source, doc);
    }
    for diagnostic in &parsed.diagnostics {
        for label in &diagnostic.labels {
            check_span(source, label.span, "parse diagnostic");
        }
    }
    let report = cfn_port_rules::lint(source, &cfn_port_rules::LintOptions::default());
    check_report(source, &report);
    report
}

/// Line/column round trips [`check_document`] makes per document. A
/// position costs a walk along its line, so a round trip for each of the
/// 8,000 nodes of a 48 KB one-line list took 10 s under AddressSanitizer
/// (the harness, not the linter, was quadratic; a fuzzer timeout). The
/// first nodes of a document cover every shape of line the fuzzer makes.
const ROUND_TRIPS: usize = 2_000;

/// Every node span and key span of a parsed document lies on character
/// boundaries inside the text, and the line/column of the span starts of
/// the first [`ROUND_TRIPS`] nodes and keys maps back to the same byte
/// offset. Visits every reachable node once.
pub fn check_document(source: &SourceFile, doc: &Document) {
    let mut stack = vec![doc.root()];
    let mut visited = vec![false; doc.len()];
    let mut round_trips = 0;
    let mut round_trip_while_cheap = |offset: u32| {
        if round_trips < ROUND_TRIPS {
            round_trips += 1;
            round_trip(source, offset);
        }
    };
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut visited[id.index()], true) {
            continue;
        }
        let span = doc.span(id);
        check_span(source, span, "node");
        round_trip_while_cheap(span.start);
        match &doc.node(id).kind {
            NodeKind::Sequence(items) => stack.extend(items.iter().copied()),
            NodeKind::Mapping(entries) => {
                for entry in entries {
                    check_span(source, entry.key.span, "key");
                    round_trip_while_cheap(entry.key.span.start);
                    stack.push(entry.value);
                }
            }
            NodeKind::Alias(target) => stack.push(*target),
            NodeKind::Scalar(_) => {}
        }
    }
}
