# A managed prefix list's ranges are not in view.
resource "aws_security_group" "cache" {
  name = "cache"

  ingress {
    protocol        = "tcp"
    from_port       = 6390
    to_port         = 6390
    prefix_list_ids = ["pl-0123456789abcdef0"]
  }
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  port                 = 6390
  security_group_ids   = [aws_security_group.cache.id]
}
