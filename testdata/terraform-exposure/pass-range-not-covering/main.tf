# The open range 6379-6380 does not cover the cache's port 6390.
resource "aws_security_group" "cache" {
  name = "cache"

  ingress {
    protocol    = "tcp"
    from_port   = 6379
    to_port     = 6380
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_elasticache_replication_group" "queue" {
  replication_group_id = "queue"
  description          = "queue"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  port                 = 6390
  security_group_ids   = [aws_security_group.cache.id]
}
