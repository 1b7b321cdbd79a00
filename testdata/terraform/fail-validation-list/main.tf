variable "engine" {
  type = string
  validation {
    condition     = contains(["redis", "memcached"], var.engine)
    error_message = "The engine must be redis or memcached."
  }
}

resource "aws_elasticache_cluster" "cache" {
  cluster_id = "cache"
  engine     = var.engine
}
