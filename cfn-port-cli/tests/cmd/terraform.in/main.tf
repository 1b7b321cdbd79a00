# The sessions cache: the module takes its port from this call.
module "sessions" {
  source = "./modules/cache"
  port   = 6379
}

# The queue cache, on a custom port.
resource "aws_elasticache_replication_group" "queue" {
  replication_group_id = "queue"
  description          = "queue"
  port                 = 3560
}

# cfn-port-lint: ignore EC-012 the legacy client cannot change its port until it is replaced
resource "aws_elasticache_cluster" "legacy" {
  cluster_id      = "legacy"
  engine          = "memcached"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}
