//! CPL-001: a Redshift cluster or serverless workgroup must not listen on the default port 5439.
//!
//! The rule is a table for the shared default-port judgement
//! ([`super::default_port`]): the kinds it covers, the engine a kind
//! without one runs, and its default port. `CPL-001` is this project's own
//! id: Conformity has a rule with this title, but its id could not be verified, so none is claimed.

use super::default_port::{AbsentEngine, DefaultPortRule, EngineDefault, default_port_rule};
use super::{RiskLevel, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::ResourceKind;

/// Checks that Redshift clusters and Redshift Serverless workgroups, from any source, do not use the default port
/// 5439; `META` holds its metadata and documentation.
#[derive(Debug)]
pub struct RedshiftDefaultPort;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "CPL-001",
    name: "redshift-default-port",
    title: "Redshift Cluster Default Port",
    summary: "A Redshift cluster or Redshift Serverless workgroup must not listen on the default port 5439.",
    default_severity: Severity::Warning,
    risk_level: RiskLevel::Low,
    // Not stated by a source this project could read: left empty rather than guessed.
    compliance: &[],
    well_architected: &[],
    kinds: KINDS,
    documentation: DOCUMENTATION,
    remediation: "choose a port other than 5439, for example 5440 (within the 5431-5455 and 8191-8215 ranges that RA3 clusters and serverless workgroups accept), and set it as the port. Clients, security groups and parameter stores must learn the new port before it changes.",
    help_uri: "https://github.com/cfn-port-lint/cfn-port-lint/blob/main/docs/rules.md#cpl-001",
};

/// The published documentation, with an example for each source.
const DOCUMENTATION: &str = include_str!("redshift.md");

const KINDS: &[ResourceKind] = &[
    ResourceKind::RedshiftCluster,
    ResourceKind::RedshiftServerlessWorkgroup,
];

/// The engines and their default ports.
const ENGINES: &[EngineDefault] = &[EngineDefault::named("redshift", 5439)];

/// Redshift has one engine, which no source names.
fn absent_engine(_kind: ResourceKind) -> AbsentEngine {
    AbsentEngine::Is("redshift")
}

pub(super) static JUDGEMENT: DefaultPortRule = DefaultPortRule {
    meta: &META,
    kinds: KINDS,
    engines: ENGINES,
    absent_engine,
    defaults_in_words: "5439",
};

default_port_rule!(RedshiftDefaultPort, JUDGEMENT);
