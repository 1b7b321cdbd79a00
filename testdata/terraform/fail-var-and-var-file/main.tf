variable "environment" {
  type    = string
  default = "prod"
}

variable "port" {
  type    = number
  default = 3560
}

locals {
  ports = {
    prod = var.port
    dev  = 6379
  }
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "cache-${var.environment}"
  description          = "cache"
  port                 = local.ports[var.environment]
}
