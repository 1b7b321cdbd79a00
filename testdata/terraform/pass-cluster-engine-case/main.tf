# The AWS provider compares a cluster's engine case-sensitively: it
# rejects "Redis", so the cluster is not judged (no guess), and a
# diagnostic says why.
resource "aws_elasticache_cluster" "sessions" {
  cluster_id      = "sessions"
  engine          = "Redis"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}

# A replication group accepts any case of redis and valkey: on 3560 it is fine.
resource "aws_elasticache_replication_group" "queue" {
  replication_group_id = "queue"
  description          = "queue"
  engine               = "Valkey"
  port                 = 3560
}
