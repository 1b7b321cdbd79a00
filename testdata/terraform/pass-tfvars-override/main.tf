variable "port" {
  type    = number
  default = 6379
}

resource "aws_elasticache_replication_group" "jobs" {
  replication_group_id = "jobs"
  description          = "job queue"
  port                 = var.port
}
