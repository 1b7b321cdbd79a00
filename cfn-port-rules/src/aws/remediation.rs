//! How to move a deployed cluster off its engine's default port.
//!
//! A running cluster's port cannot be changed (`modify-cache-cluster` and
//! `modify-replication-group` take no `--port`): the fix is a replacement
//! on a custom port, then moving clients, then deleting the old one.

use super::describe::{CacheKind, DeployedCache};

/// The custom port suggested for an engine: 3560 for redis and valkey,
/// 13611 for memcached (the rule's own examples).
#[must_use]
pub fn suggested_port(engine: &str) -> u16 {
    if engine == "memcached" { 13611 } else { 3560 }
}

/// The replacement steps for a deployed cluster or replication group, with
/// the AWS CLI command that creates the replacement; `None` for a serverless
/// cache, whose port is not configurable.
///
/// Identifiers are left as placeholders when the output lacks them; they
/// come from the input and are quoted, never run.
#[must_use]
pub fn replacement_steps(cache: &DeployedCache) -> Option<String> {
    let engine = cache.engine.as_ref().map_or("redis", |e| e.name.as_str());
    let port = suggested_port(engine);
    let id = cache.id.as_ref().map_or("<id>", |id| id.text.as_str());
    let region = cache
        .region
        .as_deref()
        .map(|region| format!(" --region {region}"))
        .unwrap_or_default();
    let (create, copy) = match cache.kind {
        CacheKind::ReplicationGroup => (
            format!(
                "aws elasticache create-replication-group --replication-group-id {id}-{port} \
                 --replication-group-description \"{id} on port {port}\" --engine {engine} --port {port}{region}"
            ),
            "its node type, shards, replicas, subnet group and security groups; seed the data from a snapshot \
             with `--snapshot-name` if it must be kept",
        ),
        CacheKind::CacheCluster => (
            format!(
                "aws elasticache create-cache-cluster --cache-cluster-id {id}-{port} --engine {engine} --port {port}{region}"
            ),
            "its node type, node count, subnet group and security groups",
        ),
        CacheKind::ServerlessCache => return None,
    };
    let (delete, flag) = match cache.kind {
        CacheKind::ReplicationGroup => ("delete-replication-group", "replication-group-id"),
        _ => ("delete-cache-cluster", "cache-cluster-id"),
    };
    Some(format!(
        "a running cluster's port cannot be changed: create a replacement on a custom port, \
         `{create}` (copy from `{id}` {copy}); move clients to its endpoint (and open the new port in its \
         security groups); then delete the old one, `aws elasticache {delete} --{flag} {id}{region}`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::describe::{Engine, PortReading, Spanned};
    use crate::source::Span;

    fn cache(kind: CacheKind, engine: &str) -> DeployedCache {
        DeployedCache {
            kind,
            id: Some(Spanned {
                text: "sessions".to_owned(),
                span: Span::new(0, 0),
            }),
            arn: None,
            region: Some("eu-west-1".to_owned()),
            json_path: "$.X[0]".to_owned(),
            document: 0,
            span: Span::new(0, 0),
            status: None,
            engine: Some(Engine {
                name: engine.to_owned(),
                span: None,
            }),
            port: PortReading::Read {
                port: 6379,
                span: Span::new(0, 0),
                from: crate::aws::describe::PortField::PrimaryEndpoint,
            },
        }
    }

    #[test]
    fn replication_group_is_replaced_with_create_replication_group_on_a_custom_port() {
        let steps = replacement_steps(&cache(CacheKind::ReplicationGroup, "valkey")).unwrap();
        assert!(steps.contains("create-replication-group"), "{steps}");
        assert!(
            steps.contains("--engine valkey --port 3560 --region eu-west-1"),
            "{steps}"
        );
        assert!(steps.contains("move clients"), "{steps}");
        assert!(
            steps.contains("delete-replication-group --replication-group-id sessions"),
            "{steps}"
        );
    }

    #[test]
    fn memcached_cluster_is_replaced_with_create_cache_cluster_on_13611() {
        let steps = replacement_steps(&cache(CacheKind::CacheCluster, "memcached")).unwrap();
        assert!(
            steps.contains("create-cache-cluster --cache-cluster-id sessions-13611"),
            "{steps}"
        );
        assert!(steps.contains("--port 13611"), "{steps}");
        assert!(
            steps.contains("delete-cache-cluster --cache-cluster-id sessions"),
            "{steps}"
        );
    }

    #[test]
    fn serverless_cache_has_no_replacement_steps() {
        assert_eq!(
            replacement_steps(&cache(CacheKind::ServerlessCache, "valkey")),
            None
        );
    }
}
