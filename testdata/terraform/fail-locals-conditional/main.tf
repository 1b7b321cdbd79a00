variable "environment" {
  type = string
}

locals {
  ports = {
    prod = 3560
    dev  = 6379
  }
  port = var.environment == "prod" ? local.ports["prod"] : local.ports["dev"]
}

resource "aws_elasticache_cluster" "cache" {
  cluster_id = "cache"
  engine     = "redis"
  port       = local.port
}
