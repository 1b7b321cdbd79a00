# The group is not in view: only its id is written.
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  port                 = 6390
  security_group_ids   = ["sg-0123456789abcdef0"]
}
