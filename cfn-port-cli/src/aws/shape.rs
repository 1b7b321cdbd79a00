//! SDK values turned back into the JSON the AWS CLI prints for
//! `aws elasticache describe-replication-groups` and
//! `aws elasticache describe-cache-clusters --show-cache-node-info`.
//!
//! A live audit produces these documents so that it is judged by exactly
//! the code that reads saved output: one reader, one verdict. Only the
//! members that reader (or a person reading a finding) needs are kept;
//! like the AWS CLI, a member the service did not send is left out rather
//! than written as `null`.

use aws_sdk_elasticache::types::{CacheCluster, CacheNode, Endpoint, NodeGroup, ReplicationGroup};
use serde_json::{Map, Value, json};

/// `{"ReplicationGroups": [...]}`, as one page of
/// `describe-replication-groups` prints it (without `Marker`: every page
/// was fetched).
pub fn replication_groups_document(groups: &[ReplicationGroup]) -> Value {
    json!({ "ReplicationGroups": groups.iter().map(replication_group).collect::<Vec<_>>() })
}

/// `{"CacheClusters": [...]}`, as one page of
/// `describe-cache-clusters --show-cache-node-info` prints it.
pub fn cache_clusters_document(clusters: &[CacheCluster]) -> Value {
    json!({ "CacheClusters": clusters.iter().map(cache_cluster).collect::<Vec<_>>() })
}

/// One element of `ReplicationGroups`.
pub fn replication_group(group: &ReplicationGroup) -> Value {
    let mut object = Map::new();
    put(
        &mut object,
        "ReplicationGroupId",
        group.replication_group_id(),
    );
    put(&mut object, "Description", group.description());
    put(&mut object, "Status", group.status());
    if !group.member_clusters().is_empty() {
        object.insert("MemberClusters".into(), json!(group.member_clusters()));
    }
    if !group.node_groups().is_empty() {
        let node_groups = group.node_groups().iter().map(node_group).collect();
        object.insert("NodeGroups".into(), Value::Array(node_groups));
    }
    put_endpoint(
        &mut object,
        "ConfigurationEndpoint",
        group.configuration_endpoint(),
    );
    if let Some(enabled) = group.cluster_enabled() {
        object.insert("ClusterEnabled".into(), Value::Bool(enabled));
    }
    put(&mut object, "CacheNodeType", group.cache_node_type());
    put(&mut object, "Engine", group.engine());
    put(&mut object, "ARN", group.arn());
    Value::Object(object)
}

/// One element of `CacheClusters`.
pub fn cache_cluster(cluster: &CacheCluster) -> Value {
    let mut object = Map::new();
    put(&mut object, "CacheClusterId", cluster.cache_cluster_id());
    put_endpoint(
        &mut object,
        "ConfigurationEndpoint",
        cluster.configuration_endpoint(),
    );
    put(&mut object, "CacheNodeType", cluster.cache_node_type());
    put(&mut object, "Engine", cluster.engine());
    put(&mut object, "EngineVersion", cluster.engine_version());
    put(
        &mut object,
        "CacheClusterStatus",
        cluster.cache_cluster_status(),
    );
    if let Some(count) = cluster.num_cache_nodes() {
        object.insert("NumCacheNodes".into(), json!(count));
    }
    if !cluster.cache_nodes().is_empty() {
        let nodes = cluster.cache_nodes().iter().map(cache_node).collect();
        object.insert("CacheNodes".into(), Value::Array(nodes));
    }
    put(
        &mut object,
        "ReplicationGroupId",
        cluster.replication_group_id(),
    );
    put(&mut object, "ARN", cluster.arn());
    Value::Object(object)
}

fn node_group(group: &NodeGroup) -> Value {
    let mut object = Map::new();
    put(&mut object, "NodeGroupId", group.node_group_id());
    put(&mut object, "Status", group.status());
    put_endpoint(&mut object, "PrimaryEndpoint", group.primary_endpoint());
    put_endpoint(&mut object, "ReaderEndpoint", group.reader_endpoint());
    Value::Object(object)
}

fn cache_node(node: &CacheNode) -> Value {
    let mut object = Map::new();
    put(&mut object, "CacheNodeId", node.cache_node_id());
    put(&mut object, "CacheNodeStatus", node.cache_node_status());
    put_endpoint(&mut object, "Endpoint", node.endpoint());
    Value::Object(object)
}

fn put_endpoint(object: &mut Map<String, Value>, key: &str, endpoint: Option<&Endpoint>) {
    let Some(endpoint) = endpoint else { return };
    let mut inner = Map::new();
    put(&mut inner, "Address", endpoint.address());
    if let Some(port) = endpoint.port() {
        inner.insert("Port".into(), json!(port));
    }
    object.insert(key.into(), Value::Object(inner));
}

fn put(object: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        object.insert(key.into(), Value::String(value.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replication_group_keeps_the_cli_member_names_and_leaves_out_absent_ones() {
        let group = ReplicationGroup::builder()
            .replication_group_id("sessions")
            .engine("valkey")
            .cluster_enabled(true)
            .member_clusters("sessions-0001-001")
            .configuration_endpoint(
                Endpoint::builder()
                    .address("cfg.example")
                    .port(6379)
                    .build(),
            )
            .arn("arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions")
            .build();
        assert_eq!(
            replication_group(&group),
            json!({
                "ReplicationGroupId": "sessions",
                "MemberClusters": ["sessions-0001-001"],
                "ConfigurationEndpoint": {"Address": "cfg.example", "Port": 6379},
                "ClusterEnabled": true,
                "Engine": "valkey",
                "ARN": "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions"
            })
        );
    }

    #[test]
    fn cache_cluster_node_endpoints_are_kept_per_node() {
        let cluster = CacheCluster::builder()
            .cache_cluster_id("memo")
            .engine("memcached")
            .cache_nodes(
                CacheNode::builder()
                    .cache_node_id("0001")
                    .endpoint(
                        Endpoint::builder()
                            .address("n1.example")
                            .port(11211)
                            .build(),
                    )
                    .build(),
            )
            .build();
        assert_eq!(
            cache_clusters_document(&[cluster]),
            json!({"CacheClusters": [{
                "CacheClusterId": "memo",
                "Engine": "memcached",
                "CacheNodes": [{"CacheNodeId": "0001", "Endpoint": {"Address": "n1.example", "Port": 11211}}]
            }]})
        );
    }
}
