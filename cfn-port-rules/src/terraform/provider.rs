//! What the AWS provider does with ElastiCache arguments, read from its
//! source (`hashicorp/terraform-provider-aws`, `internal/service/elasticache/`):
//!
//! - **Default ports.** `cluster.go` (commit `0160692`, lines 40–43) declares
//!   `defaultRedisPort = "6379"` and `defaultMemcachedPort = "11211"`; the
//!   `port` argument of both resources is optional and, when unset, is not
//!   sent to `CreateCacheCluster` / `CreateReplicationGroup`, so ElastiCache
//!   picks the engine's default (valkey shares redis's 6379).
//! - **Cluster engine.** `aws_elasticache_cluster`'s `engine` schema is
//!   `validation.StringInSlice([]string{engineMemcached, engineRedis, engineValkey}, false)`:
//!   the last argument, `ignoreCase`, is false, so `"Redis"` is rejected.
//!   `engine` is `ExactlyOneOf` with `replication_group_id`.
//! - **Member clusters.** A cluster's `replication_group_id` schema lists
//!   `port` (and `engine_version`, `node_type`, `num_cache_nodes`, …) in
//!   `ConflictsWith`: a member cannot set a port and listens on its group's.
//! - **Replication group engine.** `replication_group.go` (commit `001b636`,
//!   the `engine` schema around lines 129–141) makes `engine` optional and
//!   computed, validated against `redis` and `valkey` with `ignoreCase` true
//!   plus a deprecation warning for other casings; ElastiCache creates a
//!   redis group when none is given, and provider 5.x declared
//!   `Default: engineRedis` outright. Its `port` is optional with no default
//!   (6379 from ElastiCache).

use super::value::TfValue;

/// The default port of redis and valkey.
pub const REDIS_PORT: u16 = 6379;
/// The default port of memcached.
pub const MEMCACHED_PORT: u16 = 11_211;

/// An ElastiCache engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// `redis`.
    Redis,
    /// `valkey`.
    Valkey,
    /// `memcached`.
    Memcached,
}

impl Engine {
    /// The port ElastiCache uses when none is given.
    #[must_use]
    pub fn default_port(self) -> u16 {
        match self {
            Engine::Redis | Engine::Valkey => REDIS_PORT,
            Engine::Memcached => MEMCACHED_PORT,
        }
    }

    /// The engine's name as the provider spells it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Engine::Redis => "redis",
            Engine::Valkey => "valkey",
            Engine::Memcached => "memcached",
        }
    }
}

/// The engine of an `aws_elasticache_cluster`, compared case-sensitively as
/// the provider does; `None` for a value the provider rejects.
#[must_use]
pub fn cluster_engine(value: &TfValue) -> Option<Engine> {
    match value {
        TfValue::String(text) => match text.as_str() {
            "redis" => Some(Engine::Redis),
            "valkey" => Some(Engine::Valkey),
            "memcached" => Some(Engine::Memcached),
            _ => None,
        },
        _ => None,
    }
}

/// The engine of an `aws_elasticache_replication_group`: unset or `null`
/// is redis; `redis` and `valkey` are accepted in any case.
#[must_use]
pub fn replication_group_engine(value: Option<&TfValue>) -> Option<Engine> {
    match value {
        None | Some(TfValue::Null) => Some(Engine::Redis),
        Some(TfValue::String(text)) if text.eq_ignore_ascii_case("redis") => Some(Engine::Redis),
        Some(TfValue::String(text)) if text.eq_ignore_ascii_case("valkey") => Some(Engine::Valkey),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_engines_are_case_sensitive() {
        assert_eq!(
            cluster_engine(&TfValue::String("memcached".into())),
            Some(Engine::Memcached)
        );
        assert_eq!(cluster_engine(&TfValue::String("Redis".into())), None);
    }

    #[test]
    fn a_replication_group_without_engine_is_redis() {
        assert_eq!(replication_group_engine(None), Some(Engine::Redis));
        assert_eq!(
            replication_group_engine(Some(&TfValue::Null)),
            Some(Engine::Redis)
        );
        assert_eq!(
            replication_group_engine(Some(&TfValue::String("Valkey".into()))),
            Some(Engine::Valkey)
        );
        assert_eq!(Engine::Valkey.default_port(), 6379);
    }
}
