//! CPL-003: an Amazon Neptune cluster must not listen on the default port 8182.
//!
//! The rule is a table for the shared default-port judgement
//! ([`super::default_port`]): the kinds it covers, the engine a kind
//! without one runs, and its default port. `CPL-003` is this project's own
//! id: no Conformity rule for it was found.

use super::default_port::{AbsentEngine, DefaultPortRule, EngineDefault, default_port_rule};
use super::{RiskLevel, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::ResourceKind;

/// Checks that Amazon Neptune clusters, from any source, do not use the default port
/// 8182; `META` holds its metadata and documentation.
#[derive(Debug)]
pub struct NeptuneDefaultPort;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "CPL-003",
    name: "neptune-default-port",
    title: "Neptune Cluster Default Port",
    summary: "An Amazon Neptune cluster must not listen on the default port 8182.",
    default_severity: Severity::Warning,
    risk_level: RiskLevel::Low,
    // Not stated by a source this project could read: left empty rather than guessed.
    compliance: &[],
    well_architected: &[],
    kinds: KINDS,
    documentation: DOCUMENTATION,
    remediation: "choose a port other than 8182, for example 8282, and set it as the cluster's port. Clients, security groups and parameter stores must learn the new port before it changes.",
    help_uri: "https://github.com/cfn-port-lint/cfn-port-lint/blob/main/docs/rules.md#cpl-003",
};

/// The published documentation, with an example for each source.
const DOCUMENTATION: &str = include_str!("neptune.md");

const KINDS: &[ResourceKind] = &[ResourceKind::NeptuneCluster];

/// The engines and their default ports.
const ENGINES: &[EngineDefault] = &[EngineDefault::named("neptune", 8182)];

/// Neptune has one engine, `neptune`, the Terraform provider's default.
fn absent_engine(_kind: ResourceKind) -> AbsentEngine {
    AbsentEngine::Is("neptune")
}

pub(super) static JUDGEMENT: DefaultPortRule = DefaultPortRule {
    meta: &META,
    kinds: KINDS,
    engines: ENGINES,
    absent_engine,
    defaults_in_words: "8182",
};

default_port_rule!(NeptuneDefaultPort, JUDGEMENT);
