//! `--format sarif`: SARIF 2.1.0 built from serde-sarif's types, for GitHub
//! code scanning and other viewers.
//!
//! - `tool.driver.rules` describes every rule: title, summary, the full
//!   documentation as help, the help URI and compliance tags.
//! - Regions are 1-based, in Unicode code points (`columnKind`), with the
//!   end column exclusive, as SARIF defines it.
//! - URIs are relative to the working directory, with `uriBaseId` `%SRCROOT%`.
//! - `partialFingerprints` hash the rule, path, resource and the property
//!   path of the finding (`Resources/Cache/Properties/Port`), never a line
//!   number, so an alert keeps its identity when lines move.
//! - Suppressed findings are included with an `inSource` suppression and the
//!   reason, so the audit trail survives; input errors and warnings are tool
//!   execution notifications.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use cfn_port_rules::syntax;
use cfn_port_rules::{Finding, LabelStyle, Limits, Severity, SourceFile, Span};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, ReportingDescriptorReference, Result as SarifResult, ResultKind,
    ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};

use super::{Context, Item, Totals, items};
use crate::check::FileResult;
use crate::fingerprint::{fingerprint, property_path};

/// The `uriBaseId` every artifact location is relative to.
pub const SRCROOT: &str = "%SRCROOT%";
/// The key of the partial fingerprint.
pub const FINGERPRINT_KEY: &str = "cfnPortLint/v1";

/// The run's results and notifications, added a file at a time.
///
/// Each result is written out as JSON when its file is added: serde-sarif's
/// `Result` with its locations takes about ten times the memory of its
/// text, which made a template with 7,000 findings peak at 112 MB.
#[derive(Debug, Default)]
pub(super) struct SarifLog {
    results: ResultsJson,
    notifications: Vec<Notification>,
}

/// The items of `runs[0].results`, each pretty-printed at the depth it has
/// in the log. One buffer per item: a single growing buffer would hold up to
/// twice the output while it is reallocated.
#[derive(Debug, Default)]
struct ResultsJson(Vec<Vec<u8>>);

/// `runs[0].results` in the log `serde_json::to_writer_pretty` writes: the
/// key is 3 levels deep, its items 4, two spaces a level.
const RESULTS_KEY_INDENT: &[u8] = b"      ";
const RESULT_INDENT: &[u8] = b"        ";

/// The results array of a log whose run was built with no results. Every
/// `"` inside a JSON string is escaped, so this only matches the key.
const EMPTY_RESULTS: &[u8] = b"\"results\": []";

impl ResultsJson {
    fn push(&mut self, result: &SarifResult) {
        // Serializing structs, strings, numbers and maps with string keys
        // into memory cannot fail.
        let json = serde_json::to_vec_pretty(result).expect("SARIF types serialize to JSON");
        let lines = json.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut item = Vec::with_capacity(json.len() + lines * RESULT_INDENT.len());
        // Raw line breaks in pretty JSON are all between tokens (a string
        // escapes its own), so indenting after each one nests the item.
        for (i, line) in json.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                item.push(b'\n');
            }
            item.extend_from_slice(RESULT_INDENT);
            item.extend_from_slice(line);
        }
        self.0.push(item);
    }

    /// Writes `log` (serialized with an empty results array) with the
    /// results in place of that array.
    fn write_into(&self, log: &[u8], out: &mut dyn io::Write) -> io::Result<()> {
        let at = log
            .windows(EMPTY_RESULTS.len())
            .position(|w| w == EMPTY_RESULTS)
            .filter(|_| !self.0.is_empty());
        let Some(at) = at else {
            return out.write_all(log);
        };
        out.write_all(&log[..at])?;
        out.write_all(b"\"results\": [")?;
        for (i, item) in self.0.iter().enumerate() {
            out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            out.write_all(item)?;
        }
        out.write_all(b"\n")?;
        out.write_all(RESULTS_KEY_INDENT)?;
        out.write_all(b"]")?;
        out.write_all(&log[at + EMPTY_RESULTS.len()..])
    }
}

impl SarifLog {
    /// Adds one file's results and notifications.
    pub(super) fn file(&mut self, result: &FileResult, cx: &Context<'_>) {
        let rules = cfn_port_rules::rules::all();
        let sarif_results = &mut self.results;
        let notifications = &mut self.notifications;
        let uri = relative_uri(&result.display, cx.cwd);
        let source = result.source.as_ref();
        let document = source
            .filter(|_| !result.report.findings.is_empty())
            .map(|s| (s, syntax::parse(s, &Limits::default())));
        let shown = items(result, cx);
        // Suppressed findings are always included, marked, for the audit trail.
        let findings = &result.report.findings;
        for finding in findings {
            let property_path = document
                .as_ref()
                .and_then(|(source, parsed)| {
                    parsed
                        .document
                        .as_ref()
                        .map(|doc| property_path(doc, source, finding.primary_span()))
                })
                .unwrap_or_default();
            let rule_index = rules.iter().position(|r| r.meta().id == finding.rule);
            sarif_results.push(&finding_result(
                finding,
                &uri,
                source,
                &property_path,
                rule_index,
            ));
        }
        for item in &shown {
            match item {
                Item::Undetermined(u) => {
                    let mut location = location(&uri, source, Some(u.span), None);
                    location.logical_locations = Some(vec![logical(&u.resource, &u.resource_type)]);
                    sarif_results.push(
                        &SarifResult::builder()
                            .rule_id(u.rule)
                            .kind(ResultKind::Review)
                            .level(ResultLevel::None)
                            .message(Message::from(&*item.message()))
                            .locations(vec![location])
                            .build(),
                    );
                }
                Item::Io(_) | Item::Diagnostic(_) => {
                    let span = match item {
                        Item::Diagnostic(d) => d.primary_span(),
                        _ => None,
                    };
                    let mut location = location(&uri, source, span, None);
                    if location
                        .physical_location
                        .as_ref()
                        .is_some_and(|p| p.region.is_none())
                        && let Some(p) = item.position()
                    {
                        // No usable span: the position alone.
                        if let Some(physical) = location.physical_location.as_mut() {
                            physical.region = Some(
                                Region::builder()
                                    .start_line(i64::from(p.line))
                                    .start_column(i64::from(p.column))
                                    .build(),
                            );
                        }
                    }
                    notifications.push(
                        Notification::builder()
                            .level(json!(level(item.severity())))
                            .message(Message::from(&*item.message()))
                            .descriptor(
                                ReportingDescriptorReference::builder()
                                    .id(item.code())
                                    .build(),
                            )
                            .locations(vec![location])
                            .build(),
                    );
                }
                Item::Finding(_) => {}
            }
        }
    }

    /// Writes the log.
    pub(super) fn finish(
        self,
        out: &mut dyn io::Write,
        cx: &Context<'_>,
        totals: &Totals,
    ) -> io::Result<()> {
        let (sarif_results, notifications) = (self.results, self.notifications);
        let invocation = Invocation::builder()
            .execution_successful(totals.summary.errors == 0)
            .tool_execution_notifications(notifications)
            .build();
        let mut base = BTreeMap::new();
        base.insert(
            SRCROOT.to_string(),
            ArtifactLocation::builder()
                .uri(directory_uri(cx.cwd))
                .build(),
        );
        let run = Run::builder()
            .tool(Tool::from(driver()))
            .results(Vec::new())
            .invocations(vec![invocation])
            .original_uri_base_ids(base)
            .column_kind(json!("unicodeCodePoints"))
            .build();
        let sarif = Sarif::builder()
            .schema("https://json.schemastore.org/sarif-2.1.0.json")
            .version(json!("2.1.0"))
            .runs(vec![run])
            .build();
        let log = serde_json::to_vec_pretty(&sarif).map_err(io::Error::from)?;
        sarif_results.write_into(&log, out)?;
        writeln!(out)
    }
}

fn driver() -> ToolComponent {
    let rules = cfn_port_rules::rules::all()
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            let mut tags = vec!["security".to_string()];
            tags.extend(meta.compliance.iter().map(|c| (*c).to_string()));
            tags.extend(
                meta.well_architected
                    .iter()
                    .map(|p| format!("well-architected/{}", p.to_ascii_lowercase())),
            );
            let mut extra = BTreeMap::new();
            extra.insert(
                "security-severity".to_string(),
                json!(security_severity(meta.risk_level.as_str())),
            );
            extra.insert("precision".to_string(), json!("very-high"));
            extra.insert("risk-level".to_string(), json!(meta.risk_level.as_str()));
            let documentation = meta.documentation.trim();
            ReportingDescriptor::builder()
                .id(meta.id)
                .name(meta.name)
                .short_description(MultiformatMessageString::builder().text(meta.title).build())
                .full_description(
                    MultiformatMessageString::builder()
                        .text(meta.summary)
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(format!("{}\n\n{documentation}", meta.summary))
                        .markdown(format!("**{}**\n\n{documentation}", meta.title))
                        .build(),
                )
                .help_uri(meta.help_uri)
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level(meta.default_severity)))
                        .build(),
                )
                .properties(
                    PropertyBag::builder()
                        .tags(tags)
                        .additional_properties(extra)
                        .build(),
                )
                .build()
        })
        .collect::<Vec<_>>();
    ToolComponent::builder()
        .name("cfn-port-lint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(rules)
        .build()
}

/// GitHub's `security-severity` score for a risk level (low is below 4.0).
fn security_severity(risk: &str) -> &'static str {
    match risk {
        "low" => "3.0",
        "medium" => "5.5",
        "high" => "8.0",
        _ => "9.5",
    }
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Note => ResultLevel::Note,
        Severity::Warning => ResultLevel::Warning,
        Severity::Error => ResultLevel::Error,
    }
}

fn finding_result(
    finding: &Finding,
    uri: &str,
    source: Option<&SourceFile>,
    property_path: &str,
    rule_index: Option<usize>,
) -> SarifResult {
    let mut primary = location(uri, source, Some(finding.primary_span()), None);
    primary.logical_locations = Some(vec![logical(&finding.resource, &finding.resource_type)]);
    let related: Vec<Location> = finding
        .labels
        .iter()
        .filter(|label| label.style == LabelStyle::Secondary)
        .enumerate()
        .map(|(i, label)| {
            let mut related = location(uri, source, Some(label.span), Some(&label.message));
            related.id = i64::try_from(i).ok();
            related
        })
        .collect();
    let mut text = finding.message.clone();
    for note in &finding.notes {
        text.push('\n');
        text.push_str(note);
    }
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        FINGERPRINT_KEY.to_string(),
        fingerprint(&[finding.rule, uri, &finding.resource, property_path]),
    );
    let mut properties = BTreeMap::new();
    properties.insert("resource".to_string(), json!(finding.resource));
    properties.insert("resourceType".to_string(), json!(finding.resource_type));
    properties.insert("propertyPath".to_string(), json!(property_path));
    let mut result = SarifResult::builder()
        .rule_id(finding.rule)
        .level(level(finding.severity))
        .message(Message::builder().text(text).build())
        .locations(vec![primary])
        .partial_fingerprints(fingerprints)
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    result.rule_index = rule_index.and_then(|i| i64::try_from(i).ok());
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if let Some(suppression) = &finding.suppressed {
        let mut entry = Suppression::builder().kind(json!("inSource")).build();
        entry.justification = suppression.reason.clone();
        if source.is_some_and(|s| s.get(suppression.span).is_some()) {
            entry.location = Some(location(uri, source, Some(suppression.span), None));
        }
        result.suppressions = Some(vec![entry]);
    }
    result
}

fn logical(resource: &str, resource_type: &str) -> LogicalLocation {
    LogicalLocation::builder()
        .name(resource)
        .fully_qualified_name(format!("Resources/{resource}"))
        .kind("resource")
        .properties(
            PropertyBag::builder()
                .additional_properties(BTreeMap::from([(
                    "resourceType".to_string(),
                    json!(resource_type),
                )]))
                .build(),
        )
        .build()
}

/// A location with a 1-based region when the span is valid.
fn location(
    uri: &str,
    source: Option<&SourceFile>,
    span: Option<Span>,
    message: Option<&str>,
) -> Location {
    let artifact = if uri.starts_with("file://") {
        ArtifactLocation::builder().uri(uri).build()
    } else {
        ArtifactLocation::builder()
            .uri(uri)
            .uri_base_id(SRCROOT)
            .build()
    };
    let region = source
        .zip(span)
        .filter(|(source, span)| source.get(*span).is_some())
        .map(|(source, span)| {
            let (start, end) = (source.line_col(span.start), source.line_col(span.end));
            Region::builder()
                .start_line(i64::from(start.line))
                .start_column(i64::from(start.column))
                .end_line(i64::from(end.line))
                .end_column(i64::from(end.column))
                .build()
        });
    let mut physical = PhysicalLocation::builder()
        .artifact_location(artifact)
        .build();
    physical.region = region;
    let mut location = Location::builder().physical_location(physical).build();
    location.message = message.map(Message::from);
    location
}

/// The path relative to the working directory, percent-encoded, or a
/// `file://` URI when it is outside it.
pub(crate) fn relative_uri(display: &str, cwd: &Path) -> String {
    let path = Path::new(display);
    if path.is_absolute() {
        return match path.strip_prefix(cwd) {
            Ok(relative) => encode(&crate::inputs::display_path(relative)),
            Err(_) => format!("file://{}", encode(display)),
        };
    }
    encode(display)
}

fn directory_uri(cwd: &Path) -> String {
    let mut text = encode(&cwd.to_string_lossy());
    if !text.ends_with('/') {
        text.push('/');
    }
    format!("file://{text}")
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log with `results`, the way serde-sarif and serde_json write it
    /// when the run holds them.
    fn log_with(results: Vec<SarifResult>) -> Vec<u8> {
        let run = Run::builder()
            .tool(Tool::from(driver()))
            .results(results)
            .build();
        let sarif = Sarif::builder()
            .version(json!("2.1.0"))
            .runs(vec![run])
            .build();
        serde_json::to_vec_pretty(&sarif).unwrap()
    }

    #[test]
    fn results_written_one_at_a_time_read_as_the_whole_log_would() {
        let result = |i: usize| {
            let mut properties = BTreeMap::new();
            properties.insert("note".to_string(), json!("a \"quoted\"\nline"));
            SarifResult::builder()
                .rule_id("EC-012")
                .message(Message::from(
                    format!("finding {i}\n\"results\": []").as_str(),
                ))
                .locations(vec![location("t.yaml", None, None, Some("here"))])
                .properties(
                    PropertyBag::builder()
                        .additional_properties(properties)
                        .build(),
                )
                .build()
        };
        for count in [0, 1, 3] {
            let mut items = ResultsJson::default();
            for i in 0..count {
                items.push(&result(i));
            }
            let mut written = Vec::new();
            items
                .write_into(&log_with(Vec::new()), &mut written)
                .unwrap();
            let whole = log_with((0..count).map(result).collect());
            assert_eq!(
                String::from_utf8(written).unwrap(),
                String::from_utf8(whole).unwrap(),
                "{count} results"
            );
        }
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        let cwd = Path::new("/repo");
        assert_eq!(relative_uri("stacks/a b.yaml", cwd), "stacks/a%20b.yaml");
        assert_eq!(relative_uri("/repo/x.yaml", cwd), "x.yaml");
        assert_eq!(
            relative_uri("/elsewhere/x.yaml", cwd),
            "file:///elsewhere/x.yaml"
        );
    }
}
