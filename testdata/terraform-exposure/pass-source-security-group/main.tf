# Only the application's group may reach the cache: traffic from another
# group is not exposure.
resource "aws_security_group" "app" {
  name = "app"
}

resource "aws_security_group" "cache" {
  name = "cache"

  ingress {
    protocol        = "tcp"
    from_port       = 6390
    to_port         = 6390
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_app" {
  security_group_id            = aws_security_group.cache.id
  ip_protocol                  = "tcp"
  from_port                    = 6390
  to_port                      = 6390
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  port                 = 6390
  security_group_ids   = [aws_security_group.cache.id]
}
