resource "aws_elasticache_cluster" "excluded" {
  engine = "redis"
}
