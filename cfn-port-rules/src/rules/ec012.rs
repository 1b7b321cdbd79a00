//! EC-012: an ElastiCache cluster must not listen on its engine's default port.
//!
//! The rule is a table for the shared default-port judgement
//! ([`super::default_port`]): the kinds it covers, what a kind without an
//! engine runs, and each engine's default port.

use super::default_port::{AbsentEngine, DefaultPortRule, EngineDefault, default_port_rule};
use super::{RiskLevel, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::ResourceKind;

/// Checks that ElastiCache clusters and replication groups, from any
/// source, do not use their engine's default port; `META` holds its
/// metadata and documentation.
#[derive(Debug)]
pub struct ElastiCacheDefaultPort;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "EC-012",
    name: "elasticache-default-port",
    title: "ElastiCache Cluster Default Port",
    summary: "An ElastiCache cluster must not listen on its engine's default port (6379 for redis and valkey, 11211 for memcached).",
    default_severity: Severity::Warning,
    risk_level: RiskLevel::Low,
    compliance: &["PCI", "APRA", "NIST4"],
    well_architected: &["Security"],
    kinds: KINDS,
    documentation: DOCUMENTATION,
    remediation: "choose a non-default port, for example 3560 for redis or valkey and 13611 for memcached, and set it as the cluster's port. \
                  Changing the port replaces the cluster: CloudFormation and Terraform both create a new cluster and delete the old one with its data, \
                  so create the new cluster on the custom port, move clients and data to it, then remove the old one.",
    help_uri: "https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/ElastiCache/default-port.html",
};

/// The published documentation, with an example for each source.
const DOCUMENTATION: &str = include_str!("ec012.md");

const KINDS: &[ResourceKind] = &[
    ResourceKind::ElastiCacheCluster,
    ResourceKind::ElastiCacheReplicationGroup,
];

/// The engines and their default ports.
const ENGINES: &[EngineDefault] = &[
    EngineDefault::named("redis", 6379),
    EngineDefault::named("valkey", 6379),
    EngineDefault::named("memcached", 11211),
];

/// A replication group without an engine runs redis; a cache cluster must
/// name its engine.
fn absent_engine(kind: ResourceKind) -> AbsentEngine {
    match kind {
        ResourceKind::ElastiCacheReplicationGroup => AbsentEngine::Is("redis"),
        _ => AbsentEngine::Required,
    }
}

pub(super) static JUDGEMENT: DefaultPortRule = DefaultPortRule {
    meta: &META,
    kinds: KINDS,
    engines: ENGINES,
    absent_engine,
    defaults_in_words: "6379 for redis and valkey, 11211 for memcached",
};

default_port_rule!(ElastiCacheDefaultPort, JUDGEMENT);
