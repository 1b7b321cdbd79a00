//! The part of the SARIF 2.1.0 object model this tool writes, as plain
//! serde structs.
//!
//! These replace the `serde-sarif` crate, whose build script generates its
//! types from the schema: it alone brought `syn` 1 and `syn` 2 (through
//! `schemafy_lib`, `prettyplease`, `typed-builder` and `strum`) into the
//! build of the binary, which every `cargo install` (pre-commit's first
//! use, the GitHub Action, the container image) paid for.
//!
//! Fields are declared in alphabetical order, as the schema-generated types
//! wrote them, so the output is byte for byte what it was. The schema test
//! (`tests/filesystem.rs`) validates what these write against the OASIS
//! schema.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// The root object: `$schema`, `runs`, `version`.
#[derive(Debug, Serialize)]
pub(crate) struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub runs: Vec<Run>,
    pub version: &'static str,
}

/// One run of the tool.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Run {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automation_details: Option<RunAutomationDetails>,
    pub column_kind: &'static str,
    pub invocations: Vec<Invocation>,
    pub original_uri_base_ids: BTreeMap<String, ArtifactLocation>,
    pub results: Vec<SarifResult>,
    pub tool: Tool,
}

/// `automationDetails`: the run's identity (GitHub's analysis category).
#[derive(Debug, Serialize)]
pub(crate) struct RunAutomationDetails {
    pub id: String,
}

/// How the tool ran.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Invocation {
    pub execution_successful: bool,
    pub tool_execution_notifications: Vec<Notification>,
    /// `cfnPortLint/configFile`: the config file in use, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<PropertyBag>,
}

/// A problem of the run rather than a result.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Notification {
    pub descriptor: ReportingDescriptorReference,
    pub level: Level,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    pub message: Message,
}

/// A reference to a rule or notification by id.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ReportingDescriptorReference {
    pub id: String,
}

/// `tool`.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Tool {
    pub driver: ToolComponent,
}

/// `tool.driver`.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ToolComponent {
    pub information_uri: &'static str,
    pub name: &'static str,
    pub rules: Vec<ReportingDescriptor>,
    pub semantic_version: &'static str,
    pub version: &'static str,
}

/// A rule's description.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReportingDescriptor {
    pub default_configuration: ReportingConfiguration,
    pub full_description: MultiformatMessageString,
    pub help: MultiformatMessageString,
    pub help_uri: String,
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<PropertyBag>,
    pub short_description: MultiformatMessageString,
}

/// A rule's default level.
#[derive(Debug, Serialize)]
pub(crate) struct ReportingConfiguration {
    pub level: Level,
}

/// A text with an optional Markdown form.
#[derive(Debug, Serialize)]
pub(crate) struct MultiformatMessageString {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    pub text: String,
}

/// Tags and other properties.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct PropertyBag {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(flatten)]
    pub others: BTreeMap<String, Value>,
}

/// `level` of a result, notification or rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Level {
    None,
    Note,
    Warning,
    Error,
}

/// One result. (Named so as not to hide `std::result::Result`.)
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SarifResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    pub locations: Vec<Location>,
    pub message: Message,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub partial_fingerprints: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<PropertyBag>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
    pub rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
}

/// A message: plain text, which may hold `[text](id)` links.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Message {
    pub text: String,
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Self {
            text: text.to_string(),
        }
    }
}

/// A place in a file, and the resource it belongs to.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// Absent only for what is in no file (a deployed cluster, a region of
    /// a live audit), which its logical location names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_location: Option<PhysicalLocation>,
}

/// A file and a region of it.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

/// A file, by URI.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

/// 1-based lines and columns; the end column is exclusive.
#[derive(Clone, Copy, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    pub start_column: u32,
    pub start_line: u32,
}

/// A resource, by logical id.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LogicalLocation {
    pub fully_qualified_name: String,
    pub kind: &'static str,
    pub name: String,
    pub properties: PropertyBag,
}

/// An in-source suppression and its reason.
#[derive(Debug, Serialize)]
pub(crate) struct Suppression {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}
