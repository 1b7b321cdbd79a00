variable "port" {
  type    = number
  default = 3560
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "cache"
  description          = "cache"
  port                 = var.port
}
