# The sessions cache takes its port from a variable whose default is redis's
# own port: cfn-port-lint reports it, and points at the default.
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "User sessions"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  num_cache_clusters   = 2
  port                 = var.sessions_port
}

# The queue cache listens on a custom port: no finding.
resource "aws_elasticache_replication_group" "queue" {
  replication_group_id = "queue"
  description          = "Job queue"
  engine               = "valkey"
  node_type            = "cache.t4g.micro"
  num_cache_clusters   = 2
  port                 = 3560
}
