# A redis replication group without `port` listens on 6379, and its group
# admits 6379 from everywhere.
resource "aws_security_group" "cache" {
  name   = "cache"
  vpc_id = "vpc-0123456789abcdef0"

  ingress {
    description = "redis"
    protocol    = "tcp"
    from_port   = 6379
    to_port     = 6379
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  security_group_ids   = [aws_security_group.cache.id]
}
