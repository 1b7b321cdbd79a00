//! CPL-004: an Amazon MemoryDB cluster must not listen on the default port 6379.
//!
//! The rule is a table for the shared default-port judgement
//! ([`super::default_port`]): the kinds it covers, the engine a kind
//! without one runs, and its default port. `CPL-004` is this project's own
//! id: no Conformity rule for it was found.

use super::default_port::{AbsentEngine, DefaultPortRule, EngineDefault, default_port_rule};
use super::{RiskLevel, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::ResourceKind;

/// Checks that Amazon MemoryDB clusters, from any source, do not use the default port
/// 6379; `META` holds its metadata and documentation.
#[derive(Debug)]
pub struct MemoryDbDefaultPort;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "CPL-004",
    name: "memorydb-default-port",
    title: "MemoryDB Cluster Default Port",
    summary: "An Amazon MemoryDB cluster must not listen on the default port 6379 (redis and valkey alike).",
    default_severity: Severity::Warning,
    risk_level: RiskLevel::Low,
    // Not stated by a source this project could read: left empty rather than guessed.
    compliance: &[],
    well_architected: &[],
    kinds: KINDS,
    documentation: DOCUMENTATION,
    remediation: "choose a port other than 6379, for example 3560, and set it as the cluster's port. MemoryDB cannot change the port of a running cluster: create a new cluster on the custom port, move clients and data to it, then remove the old one.",
    help_uri: "https://github.com/cfn-port-lint/cfn-port-lint/blob/main/docs/rules.md#cpl-004",
};

/// The published documentation, with an example for each source.
const DOCUMENTATION: &str = include_str!("memorydb.md");

const KINDS: &[ResourceKind] = &[ResourceKind::MemoryDbCluster];

/// The engines and their default ports.
const ENGINES: &[EngineDefault] = &[
    EngineDefault::named("redis", 6379),
    EngineDefault::named("valkey", 6379),
];

/// A cluster without an engine runs redis, MemoryDB's default engine.
fn absent_engine(_kind: ResourceKind) -> AbsentEngine {
    AbsentEngine::Is("redis")
}

pub(super) static JUDGEMENT: DefaultPortRule = DefaultPortRule {
    meta: &META,
    kinds: KINDS,
    engines: ENGINES,
    absent_engine,
    defaults_in_words: "6379 for redis and valkey",
};

default_port_rule!(MemoryDbDefaultPort, JUDGEMENT);
