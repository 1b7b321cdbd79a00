//! `--format sarif`: SARIF 2.1.0 (the object model is in [`model`]), for
//! GitHub code scanning and other viewers.
//!
//! - `tool.driver.rules` describes every rule: title, summary, the full
//!   documentation as help, the help URI and compliance tags.
//! - Regions are 1-based, in Unicode code points (`columnKind`), with the
//!   end column exclusive, as SARIF defines it.
//! - URIs are relative to the working directory, with `uriBaseId` `%SRCROOT%`.
//! - `partialFingerprints` hash the rule, path, resource and the property
//!   path of the finding (`Resources/Cache/Properties/Port`), never a line
//!   number, so an alert keeps its identity when lines move.
//! - Only active findings are results by default: GitHub code scanning
//!   ignores `suppressions` unless a repository setting is on, so a
//!   suppressed finding would open an alert. `--sarif-include-suppressed`
//!   adds them with an `inSource` suppression and the reason.
//! - Input errors and warnings are results of the `input-error` and
//!   `input-warning` rules (code scanning shows results, not notifications),
//!   and also tool execution notifications for other consumers.
//! - A run holds at most `--sarif-max-results` results (25,000 by default,
//!   the most GitHub accepts in one run); the rest are left out and a
//!   notification and a warning on stderr say how many.
//! - Messages link the secondary labels with `[text](id)`, so a viewer links
//!   the parameter `Default` or mapping entry that the value came from.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use cfn_port_rules::model::{Deployed, SourceKind};
use cfn_port_rules::syntax;
use cfn_port_rules::terraform::COMMAND_LINE_FILE;
use cfn_port_rules::{FileId, Finding, LabelStyle, Limits, Severity, SourceFile, Span};
use serde_json::json;

use self::model::{
    ArtifactLocation, Invocation, Level, Location, Log, LogicalLocation, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, ReportingDescriptorReference, Run,
    RunAutomationDetails, SarifResult, Suppression, Tool, ToolComponent,
};

use super::{Context, Item, Totals, items};
use crate::check::FileResult;
use crate::fingerprint::{fingerprint, has_property_paths, property_path};
use crate::inputs::Origin;

mod model;

/// The `uriBaseId` every artifact location is relative to.
pub const SRCROOT: &str = "%SRCROOT%";
/// The key of the partial fingerprint.
pub const FINGERPRINT_KEY: &str = "cfnPortLint/v1";
/// The rule of results that report an input which could not be read or
/// parsed (exit status 2).
pub const INPUT_ERROR_RULE: &str = "input-error";
/// The rule of results that report a warning about an input (a suppression
/// without a reason, lenient JSON), which fails the run at the default
/// fail level.
pub const INPUT_WARNING_RULE: &str = "input-warning";
/// The most results GitHub code scanning accepts in one run: a larger run
/// is rejected whole. <https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit>
pub const GITHUB_MAX_RESULTS: usize = 25_000;

/// What the SARIF log holds beyond the active findings.
#[derive(Clone, Debug)]
pub struct SarifOptions {
    /// Include suppressed findings, marked with their suppression.
    pub include_suppressed: bool,
    /// `runs[0].automationDetails.id` is this category and a `/`.
    pub category: Option<String>,
    /// Results past this many are left out, with a notification.
    pub max_results: usize,
}

impl Default for SarifOptions {
    fn default() -> Self {
        Self {
            include_suppressed: false,
            category: None,
            max_results: GITHUB_MAX_RESULTS,
        }
    }
}

/// The run's results and notifications, added a file at a time.
///
/// Each result is written out as JSON when its file is added: a `Result`
/// with its locations takes about ten times the memory of its text, which
/// made a template with 7,000 findings peak at 112 MB.
#[derive(Debug, Default)]
pub(super) struct SarifLog {
    results: ResultsJson,
    notifications: Vec<Notification>,
    /// Results not written because the run already held the maximum.
    left_out: usize,
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
        // The identity of a finding is the input's; each location is in the
        // file it points into (a module's findings span several files).
        let input_uri = relative_uri(&result.display, cx.cwd);
        let findings: Vec<&Finding> = result
            .report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() || cx.sarif.include_suppressed)
            .collect();
        let document = result
            .source()
            .filter(|_| !findings.is_empty() && has_property_paths(result))
            .map(|s| (s, syntax::parse(s, &Limits::default())));
        let rules = cfn_port_rules::rules::all();
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
            let files = InputFiles {
                result,
                cwd: cx.cwd,
            };
            let identity = Identity {
                input_uri: &input_uri,
                property_path: &property_path,
                rule_index,
            };
            self.push(&finding_result(finding, &files, &identity), cx);
        }
        for item in &items(result, cx) {
            let uri = relative_uri(item.path(result), cx.cwd);
            let source = result.source_of(item.file());
            match item {
                Item::Undetermined(u) => {
                    let location = match item.deployed_without_file() {
                        Some(deployed) => {
                            deployed_location(&u.resource, &u.resource_type, result.kind, deployed)
                        }
                        None => {
                            let mut location = location(&uri, source, Some(u.span), None);
                            location.logical_locations =
                                vec![logical(&u.resource, &u.resource_type, result.kind)];
                            location
                        }
                    };
                    let undetermined = SarifResult {
                        kind: Some("review"),
                        level: Some(Level::None),
                        locations: vec![location],
                        message: Message::from(&*item.message()),
                        rule_id: u.rule.to_string(),
                        ..SarifResult::default()
                    };
                    self.push(&undetermined, cx);
                }
                Item::Io(_) | Item::Diagnostic(_) => {
                    let location = if result.origin == Origin::Deployed {
                        region_location(&result.display)
                    } else {
                        input_location(item, &uri, source)
                    };
                    if let Some(input) = input_result(item, location.clone()) {
                        self.push(&input, cx);
                    }
                    self.notifications.push(Notification {
                        descriptor: ReportingDescriptorReference {
                            id: item.code().to_string(),
                        },
                        level: level(item.severity()),
                        locations: vec![location],
                        message: Message::from(&*item.message()),
                    });
                }
                Item::Finding(_) => {}
            }
        }
    }

    /// Adds a result, or counts it as left out when the run is full.
    fn push(&mut self, result: &SarifResult, cx: &Context<'_>) {
        if self.results.0.len() < cx.sarif.max_results {
            self.results.push(result);
        } else {
            self.left_out += 1;
        }
    }

    /// A warning for stderr when results were left out, so that a CI log
    /// says it even when nobody opens the SARIF file.
    pub(super) fn warning(&self, cx: &Context<'_>) -> Option<String> {
        (self.left_out > 0).then(|| left_out_message(self.left_out, cx.sarif.max_results))
    }

    /// Writes the log.
    pub(super) fn finish(
        self,
        out: &mut dyn io::Write,
        cx: &Context<'_>,
        totals: &Totals,
    ) -> io::Result<()> {
        let (sarif_results, mut notifications) = (self.results, self.notifications);
        if self.left_out > 0 {
            notifications.push(Notification {
                descriptor: ReportingDescriptorReference {
                    id: "too-many-results".to_string(),
                },
                level: Level::Error,
                locations: Vec::new(),
                message: Message::from(
                    left_out_message(self.left_out, cx.sarif.max_results).as_str(),
                ),
            });
        }
        let invocation = Invocation {
            execution_successful: totals.summary.errors == 0 && self.left_out == 0,
            tool_execution_notifications: notifications,
            properties: cx.config_file.map(|config| PropertyBag {
                others: BTreeMap::from([(
                    "cfnPortLint/configFile".to_string(),
                    serde_json::Value::from(config),
                )]),
                ..PropertyBag::default()
            }),
        };
        let base = BTreeMap::from([(
            SRCROOT.to_string(),
            ArtifactLocation {
                uri: directory_uri(cx.cwd),
                uri_base_id: None,
            },
        )]);
        let run = Run {
            automation_details: cx.sarif.category.as_deref().map(automation_details),
            column_kind: "unicodeCodePoints",
            invocations: vec![invocation],
            original_uri_base_ids: base,
            results: Vec::new(),
            tool: Tool { driver: driver() },
        };
        let log = serde_json::to_vec_pretty(&sarif_log(run)).map_err(io::Error::from)?;
        sarif_results.write_into(&log, out)?;
        writeln!(out)
    }
}

/// The root object around one run.
fn sarif_log(run: Run) -> Log {
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: vec![run],
        version: "2.1.0",
    }
}

/// `--sarif-category`: GitHub takes everything before the last `/` of the
/// id as the analysis category, so the id is the category and a `/`.
fn automation_details(category: &str) -> RunAutomationDetails {
    let id = if category.ends_with('/') {
        category.to_string()
    } else {
        format!("{category}/")
    };
    RunAutomationDetails { id }
}

fn left_out_message(left_out: usize, max: usize) -> String {
    format!(
        "{left_out} results were left out of the SARIF run, which holds the first {max} \
         (GitHub code scanning rejects a run of more than {GITHUB_MAX_RESULTS} results); \
         lint fewer files per run or fix the findings first"
    )
}

/// Where an input problem is: its span, else its position, else the file.
fn input_location(item: &Item<'_>, uri: &str, source: Option<&SourceFile>) -> Location {
    let span = match item {
        Item::Diagnostic(d) => d.primary_span(),
        _ => None,
    };
    let mut location = location(uri, source, span, None);
    if let Some(physical) = &mut location.physical_location
        && physical.region.is_none()
        && let Some(p) = item.position()
    {
        // No usable span: the position alone.
        physical.region = Some(Region {
            start_line: p.line,
            start_column: p.column,
            ..Region::default()
        });
    }
    location
}

/// An input error or warning as a result, so that code scanning shows it:
/// GitHub makes alerts of results only. Notes about inputs (not a template)
/// never fail a run and stay notifications.
fn input_result(item: &Item<'_>, location: Location) -> Option<SarifResult> {
    let (rule, rule_index) = match item.severity() {
        Severity::Error => (INPUT_ERROR_RULE, input_rule_index(0)),
        Severity::Warning => (INPUT_WARNING_RULE, input_rule_index(1)),
        Severity::Note => return None,
    };
    let properties = PropertyBag {
        others: BTreeMap::from([("code".to_string(), json!(item.code()))]),
        ..PropertyBag::default()
    };
    Some(SarifResult {
        level: Some(level(item.severity())),
        locations: vec![location],
        message: Message {
            text: format!("{}: {}", item.code(), item.message()),
        },
        properties: Some(properties),
        rule_id: rule.to_string(),
        rule_index: Some(rule_index),
        ..SarifResult::default()
    })
}

/// The index in `tool.driver.rules` of the `n`th input rule: they come
/// after the lint rules, so the lint rules keep their indices.
fn input_rule_index(n: usize) -> usize {
    cfn_port_rules::rules::all().len() + n
}

/// The descriptors of [`INPUT_ERROR_RULE`] and [`INPUT_WARNING_RULE`].
fn input_rules() -> [ReportingDescriptor; 2] {
    let rule = |id: &str, title: &str, text: &str, severity: Severity| ReportingDescriptor {
        default_configuration: ReportingConfiguration {
            level: level(severity),
        },
        full_description: plain(text),
        help: MultiformatMessageString {
            markdown: Some(format!("**{title}**\n\n{text}")),
            text: text.to_string(),
        },
        help_uri: concat!(env!("CARGO_PKG_REPOSITORY"), "#exit-codes").to_string(),
        id: id.to_string(),
        name: id.to_string(),
        properties: None,
        short_description: plain(title),
    };
    [
        rule(
            INPUT_ERROR_RULE,
            "A file could not be read or parsed",
            "The file could not be read, or is not valid YAML or JSON, so it was not \
             checked. The message names the problem (io, encoding, syntax, duplicate-key, \
             too-deep, ...). The run exits with status 2.",
            Severity::Error,
        ),
        rule(
            INPUT_WARNING_RULE,
            "A problem with a template",
            "A problem that does not stop the checks: a suppression without a reason or \
             that matches nothing, a .json file that is not strict JSON, a Ref to nothing. \
             The run exits with status 1 at the default fail level.",
            Severity::Warning,
        ),
    ]
}

/// A text without a Markdown form.
fn plain(text: &str) -> MultiformatMessageString {
    MultiformatMessageString {
        markdown: None,
        text: text.to_string(),
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
            let others = BTreeMap::from([
                (
                    "security-severity".to_string(),
                    json!(security_severity(meta.risk_level.as_str())),
                ),
                ("precision".to_string(), json!("very-high")),
                ("risk-level".to_string(), json!(meta.risk_level.as_str())),
            ]);
            let documentation = meta.documentation.trim();
            ReportingDescriptor {
                default_configuration: ReportingConfiguration {
                    level: level(meta.default_severity),
                },
                full_description: plain(meta.summary),
                help: MultiformatMessageString {
                    markdown: Some(format!("**{}**\n\n{documentation}", meta.title)),
                    text: format!("{}\n\n{documentation}", meta.summary),
                },
                help_uri: meta.help_uri.to_string(),
                id: meta.id.to_string(),
                name: meta.name.to_string(),
                properties: Some(PropertyBag { tags, others }),
                short_description: plain(meta.title),
            }
        })
        .chain(input_rules())
        .collect::<Vec<_>>();
    ToolComponent {
        information_uri: env!("CARGO_PKG_REPOSITORY"),
        name: "cfn-port-lint",
        rules,
        semantic_version: env!("CARGO_PKG_VERSION"),
        version: env!("CARGO_PKG_VERSION"),
    }
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

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Note => Level::Note,
        Severity::Warning => Level::Warning,
        Severity::Error => Level::Error,
    }
}

/// The files of one input, to place a label in the file it points into.
struct InputFiles<'r> {
    result: &'r FileResult,
    cwd: &'r Path,
}

impl InputFiles<'_> {
    /// A location of `span` in file `file`, with its own artifact.
    fn location(&self, file: FileId, span: Span, message: Option<&str>) -> Location {
        let uri = relative_uri(self.result.path_of(file), self.cwd);
        location(&uri, self.result.source_of(file), Some(span), message)
    }
}

/// What identifies a finding across runs, and its rule.
struct Identity<'a> {
    /// The input's URI (a template's, a Terraform module directory's).
    input_uri: &'a str,
    property_path: &'a str,
    rule_index: Option<usize>,
}

fn finding_result(
    finding: &Finding,
    files: &InputFiles<'_>,
    identity: &Identity<'_>,
) -> SarifResult {
    let deployed = Item::Finding(finding).deployed_without_file();
    let primary = match deployed {
        Some(deployed) => deployed_location(
            &finding.resource,
            &finding.resource_type,
            files.result.kind,
            deployed,
        ),
        None => {
            let mut primary = files.location(finding.primary_file(), finding.primary_span(), None);
            primary.logical_locations = vec![logical(
                &finding.resource,
                &finding.resource_type,
                files.result.kind,
            )];
            primary
        }
    };
    // Ids start at 1: a message links a related location as `[text](id)`.
    // Each related location names its own artifact, so a label in another
    // file of the input (a module's line) is placed in that file. The
    // values of `--var` are in no file, so their labels are text only. A
    // deployed cluster with no file has no related locations at all.
    let mut related_locations: Vec<Location> = Vec::new();
    let mut links: Vec<String> = Vec::new();
    for label in finding
        .labels
        .iter()
        .filter(|label| label.style == LabelStyle::Secondary && deployed.is_none())
    {
        let text = escape_message(&label.message);
        if files.result.path_of(label.file) == COMMAND_LINE_FILE {
            links.push(text);
            continue;
        }
        let mut related = files.location(label.file, label.span, Some(&label.message));
        let id = related_locations.len() + 1;
        related.id = Some(id);
        related_locations.push(related);
        links.push(format!("[{text}]({id})"));
    }
    let mut text = escape_message(&finding.message);
    if !links.is_empty() {
        text.push_str(" (");
        text.push_str(&links.join("; "));
        text.push(')');
    }
    for note in &finding.notes {
        text.push('\n');
        text.push_str(&escape_message(note));
    }
    let property_path = identity.property_path;
    let partial_fingerprints = BTreeMap::from([(
        FINGERPRINT_KEY.to_string(),
        fingerprint(&[
            finding.rule,
            deployed.map_or(identity.input_uri, |d| &d.arn),
            &finding.resource,
            property_path,
        ]),
    )]);
    let properties = PropertyBag {
        others: BTreeMap::from([
            ("resource".to_string(), json!(finding.resource)),
            ("resourceType".to_string(), json!(finding.resource_type)),
            ("propertyPath".to_string(), json!(property_path)),
        ]),
        ..PropertyBag::default()
    };
    let suppressions = finding
        .suppressed
        .iter()
        .map(|suppression| Suppression {
            justification: suppression.reason.clone(),
            kind: "inSource",
            location: files
                .result
                .source_of(suppression.file)
                .is_some_and(|s| s.get(suppression.span).is_some())
                .then(|| files.location(suppression.file, suppression.span, None)),
        })
        .collect();
    SarifResult {
        kind: None,
        level: Some(level(finding.severity)),
        locations: vec![primary],
        message: Message { text },
        partial_fingerprints,
        properties: Some(properties),
        related_locations,
        rule_id: finding.rule.to_string(),
        rule_index: identity.rule_index,
        suppressions,
    }
}

/// Escapes `\`, `[` and `]`, which SARIF messages reserve for embedded
/// links (SARIF 2.1.0, 3.11.6), so only the links we add are links.
fn escape_message(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The resource as a logical location: `Resources/Cache` in a template;
/// elsewhere its name is whole already (a Terraform address, a cluster id).
fn logical(resource: &str, resource_type: &str, kind: Option<SourceKind>) -> LogicalLocation {
    let fully_qualified_name = match kind {
        None | Some(SourceKind::CloudFormation) => format!("Resources/{resource}"),
        Some(_) => resource.to_string(),
    };
    LogicalLocation {
        fully_qualified_name,
        kind: "resource",
        name: resource.to_string(),
        properties: PropertyBag {
            others: BTreeMap::from([("resourceType".to_string(), json!(resource_type))]),
            ..PropertyBag::default()
        },
    }
}

/// Where a deployed cluster with no file is: a logical location only,
/// its fully qualified name the ARN. Code scanning needs a file, so such a
/// log is for other consumers; lint saved describe output for code scanning.
fn deployed_location(
    resource: &str,
    resource_type: &str,
    kind: Option<SourceKind>,
    deployed: &Deployed,
) -> Location {
    let mut logical = logical(resource, resource_type, kind);
    logical.fully_qualified_name.clone_from(&deployed.arn);
    if let Some(region) = &deployed.region {
        logical
            .properties
            .others
            .insert("region".to_string(), json!(region));
    }
    Location {
        id: None,
        logical_locations: vec![logical],
        message: None,
        physical_location: None,
    }
}

/// Where a problem with a region of a live audit is: the region, by name.
fn region_location(region: &str) -> Location {
    Location {
        id: None,
        logical_locations: vec![LogicalLocation {
            fully_qualified_name: region.to_string(),
            kind: "namespace",
            name: region.to_string(),
            properties: PropertyBag::default(),
        }],
        message: None,
        physical_location: None,
    }
}

/// A location with a 1-based region when the span is valid.
fn location(
    uri: &str,
    source: Option<&SourceFile>,
    span: Option<Span>,
    message: Option<&str>,
) -> Location {
    let artifact_location = ArtifactLocation {
        uri: uri.to_string(),
        uri_base_id: (!uri.starts_with("file://")).then_some(SRCROOT),
    };
    let region = source
        .zip(span)
        .filter(|(source, span)| source.get(*span).is_some())
        .map(|(source, span)| {
            let (start, end) = (source.line_col(span.start), source.line_col(span.end));
            Region {
                end_column: Some(end.column),
                end_line: Some(end.line),
                start_column: start.column,
                start_line: start.line,
            }
        });
    Location {
        id: None,
        logical_locations: Vec::new(),
        message: message.map(Message::from),
        physical_location: Some(PhysicalLocation {
            artifact_location,
            region,
        }),
    }
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

    /// A log with `results`, the way serde_json writes it
    /// when the run holds them.
    fn log_with(results: Vec<SarifResult>) -> Vec<u8> {
        let run = Run {
            results,
            tool: Tool { driver: driver() },
            ..Run::default()
        };
        serde_json::to_vec_pretty(&sarif_log(run)).unwrap()
    }

    #[test]
    fn results_written_one_at_a_time_read_as_the_whole_log_would() {
        let result = |i: usize| SarifResult {
            rule_id: "EC-012".to_string(),
            message: Message::from(format!("finding {i}\n\"results\": []").as_str()),
            locations: vec![location("t.yaml", None, None, Some("here"))],
            properties: Some(PropertyBag {
                others: BTreeMap::from([("note".to_string(), json!("a \"quoted\"\nline"))]),
                ..PropertyBag::default()
            }),
            ..SarifResult::default()
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
    fn message_brackets_are_escaped_so_only_our_links_are_links() {
        assert_eq!(escape_message("plain `text`"), "plain `text`");
        assert_eq!(
            escape_message(r"Cache[0] \ [x](1)"),
            r"Cache\[0\] \\ \[x\](1)"
        );
    }

    #[test]
    fn category_becomes_an_automation_id_ending_in_a_slash() {
        assert_eq!(automation_details("cfn-port-lint").id, "cfn-port-lint/");
        assert_eq!(automation_details("stacks/prod/").id, "stacks/prod/");
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
