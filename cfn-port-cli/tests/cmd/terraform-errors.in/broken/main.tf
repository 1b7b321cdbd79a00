resource "aws_elasticache_cluster" "half_written" {
  engine = "redis"
  port   =
}
