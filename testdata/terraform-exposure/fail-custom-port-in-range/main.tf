# A custom port (6390, from the variable's default) is still open to
# everyone: the group admits 6000-7000 from 0.0.0.0/0.
resource "aws_security_group" "cache" {
  name = "cache"

  ingress {
    protocol    = "tcp"
    from_port   = 6000
    to_port     = 7000
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
}

resource "aws_elasticache_replication_group" "queue" {
  replication_group_id = "queue"
  description          = "queue"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  port                 = var.port
  security_group_ids   = [aws_security_group.cache.id]
}
