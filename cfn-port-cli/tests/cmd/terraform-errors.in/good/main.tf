resource "aws_elasticache_cluster" "cache" {
  cluster_id      = "cache"
  engine          = "redis"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}
