//! RDS-011: an RDS database must not listen on its engine's default port.
//!
//! The rule is a table for the shared default-port judgement
//! ([`super::default_port`]): the kinds it covers, what a kind without an
//! engine runs, and each engine's default port. An instance that is a
//! member of a cluster takes the cluster's port and is judged through it.

use super::default_port::{AbsentEngine, DefaultPortRule, EngineDefault, default_port_rule};
use super::{RiskLevel, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::ResourceKind;

/// Checks that RDS DB instances and DB clusters, from any source, do not
/// use their engine's default port; `META` holds its metadata and
/// documentation.
#[derive(Debug)]
pub struct RdsDefaultPort;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "RDS-011",
    name: "rds-default-port",
    title: "RDS Default Port",
    summary: "An RDS database must not listen on its engine's default port (3306 for MySQL, MariaDB and Aurora MySQL, 5432 for PostgreSQL and Aurora PostgreSQL, 1521 for Oracle, 1433 for SQL Server, 50000 for Db2).",
    default_severity: Severity::Warning,
    risk_level: RiskLevel::Low,
    // Not stated by a source this project could read: left empty rather than guessed.
    compliance: &[],
    well_architected: &[],
    kinds: KINDS,
    documentation: DOCUMENTATION,
    remediation: "choose a port that is not the engine's default, for example 3406 for MySQL, MariaDB or Aurora MySQL and 5532 for PostgreSQL, \
                  and set it as the database's port (on the cluster, for an instance that is a member of one). \
                  Clients, security groups and parameter stores must learn the new port before it changes.",
    help_uri: "https://github.com/cfn-port-lint/cfn-port-lint/blob/main/docs/rules.md#rds-011",
};

/// The published documentation, with an example for each source.
const DOCUMENTATION: &str = include_str!("rds011.md");

const KINDS: &[ResourceKind] = &[ResourceKind::RdsInstance, ResourceKind::RdsCluster];

/// The engines and their default ports (RDS `CreateDBInstance` and
/// `CreateDBCluster`, parameter `Port`). RDS stores engine names in lower
/// case, so they are matched in any case.
const ENGINES: &[EngineDefault] = &[
    EngineDefault::named("mysql", 3306),
    EngineDefault::named("mariadb", 3306),
    EngineDefault::named("postgres", 5432),
    EngineDefault::family("oracle", "oracle-", 1521),
    EngineDefault::family("sqlserver", "sqlserver-", 1433),
    EngineDefault::family("db2", "db2-", 50000),
    // Aurora instances are members of their cluster and take its port.
    EngineDefault::named("aurora-mysql", 3306).member_only(),
    // The engine name of Aurora MySQL 5.6, still accepted.
    EngineDefault::named("aurora", 3306).member_only(),
    EngineDefault::named("aurora-postgresql", 5432).member_only(),
];

/// A cluster must name its engine; an instance without one is made from a
/// snapshot or a source database, whose engine is not read.
fn absent_engine(kind: ResourceKind) -> AbsentEngine {
    match kind {
        ResourceKind::RdsInstance => AbsentEngine::Inherited,
        _ => AbsentEngine::Required,
    }
}

pub(super) static JUDGEMENT: DefaultPortRule = DefaultPortRule {
    meta: &META,
    kinds: KINDS,
    engines: ENGINES,
    absent_engine,
    defaults_in_words: "3306 for MySQL, MariaDB and Aurora MySQL, 5432 for PostgreSQL and Aurora PostgreSQL, 1521 for Oracle, 1433 for SQL Server, 50000 for Db2",
};

default_port_rule!(RdsDefaultPort, JUDGEMENT);
