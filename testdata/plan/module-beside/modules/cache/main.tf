resource "aws_elasticache_cluster" "this" {
  count           = 2
  cluster_id      = "catalog-${count.index}"
  engine          = "memcached"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}
