variable "caches" {
  type = map(object({ engine = string, port = number }))
  default = {
    sessions = { engine = "redis", port = 6379 }
    pages    = { engine = "memcached", port = 11212 }
  }
}

variable "replicas" {
  default = 2
}

resource "aws_elasticache_cluster" "this" {
  for_each   = var.caches
  cluster_id = each.key
  engine     = each.value.engine
  port       = each.value.port
}

resource "aws_elasticache_cluster" "replica" {
  count      = var.replicas
  cluster_id = "replica-${count.index}"
  engine     = "memcached"
}
