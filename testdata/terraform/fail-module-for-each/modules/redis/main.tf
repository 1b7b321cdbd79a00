variable "name" {
  type = string
}

variable "port" {
  type    = number
  default = null
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "cache ${var.name}"
  engine               = "redis"
  port                 = var.port
}
