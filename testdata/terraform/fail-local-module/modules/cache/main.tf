variable "name" {
  type = string
}

variable "port" {
  type    = number
  default = 3560
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "cache ${var.name}"
  engine               = "valkey"
  port                 = var.port
}
