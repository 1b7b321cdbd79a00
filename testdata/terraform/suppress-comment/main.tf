variable "port" {
  type    = number
  default = 6379
}

# cfn-port-lint: ignore EC-012 legacy cluster behind a private NLB, replaced in Q3
resource "aws_elasticache_replication_group" "legacy" {
  replication_group_id = "legacy"
  description          = "legacy"
  port                 = var.port
}

// cfn-port-lint: ignore EC-012 each instance is reached only through a VPC endpoint
resource "aws_elasticache_cluster" "memcached" {
  count           = 2
  cluster_id      = "memcached-${count.index}"
  engine          = "memcached"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}

# cfn-port-lint: ignore EC-012
resource "aws_elasticache_replication_group" "no_reason" {
  replication_group_id = "no-reason"
  description          = "a suppression without a reason is reported"
}

# cfn-port-lint: ignore EC-012 this one is on a custom port, so the suppression is unused
resource "aws_elasticache_replication_group" "custom" {
  replication_group_id = "custom"
  description          = "custom"
  port                 = 3560
}
