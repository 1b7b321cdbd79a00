variable "port" {
  type = number
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = "sessions"
  description          = "sessions"
  engine               = "valkey"
  port                 = var.port
}
