//! CPL-002: an Amazon DocumentDB cluster must not listen on the default port 27017.
//!
//! The rule is a table for the shared default-port judgement
//! ([`super::default_port`]): the kinds it covers, the engine a kind
//! without one runs, and its default port. `CPL-002` is this project's own
//! id: no Conformity rule for it was found.

use super::default_port::{AbsentEngine, DefaultPortRule, EngineDefault, default_port_rule};
use super::{RiskLevel, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::ResourceKind;

/// Checks that Amazon DocumentDB clusters, from any source, do not use the default port
/// 27017; `META` holds its metadata and documentation.
#[derive(Debug)]
pub struct DocumentDbDefaultPort;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "CPL-002",
    name: "documentdb-default-port",
    title: "DocumentDB Cluster Default Port",
    summary: "An Amazon DocumentDB cluster must not listen on the default port 27017.",
    default_severity: Severity::Warning,
    risk_level: RiskLevel::Low,
    // Not stated by a source this project could read: left empty rather than guessed.
    compliance: &[],
    well_architected: &[],
    kinds: KINDS,
    documentation: DOCUMENTATION,
    remediation: "choose a port other than 27017, for example 27117, and set it as the cluster's port. Clients, security groups and parameter stores must learn the new port before it changes.",
    help_uri: "https://github.com/cfn-port-lint/cfn-port-lint/blob/main/docs/rules.md#cpl-002",
};

/// The published documentation, with an example for each source.
const DOCUMENTATION: &str = include_str!("docdb.md");

const KINDS: &[ResourceKind] = &[ResourceKind::DocDbCluster];

/// The engines and their default ports.
const ENGINES: &[EngineDefault] = &[EngineDefault::named("docdb", 27017)];

/// DocumentDB has one engine, `docdb`, the Terraform provider's default.
fn absent_engine(_kind: ResourceKind) -> AbsentEngine {
    AbsentEngine::Is("docdb")
}

pub(super) static JUDGEMENT: DefaultPortRule = DefaultPortRule {
    meta: &META,
    kinds: KINDS,
    engines: ENGINES,
    absent_engine,
    defaults_in_words: "27017",
};

default_port_rule!(DocumentDbDefaultPort, JUDGEMENT);
