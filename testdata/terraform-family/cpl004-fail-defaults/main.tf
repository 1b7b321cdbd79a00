resource "aws_memorydb_cluster" "no_engine_no_port" {
  name      = "sessions"
  node_type = "db.t4g.small"
  acl_name  = "open-access"
}

resource "aws_memorydb_cluster" "valkey" {
  name      = "queue"
  node_type = "db.t4g.small"
  acl_name  = "open-access"
  engine    = "valkey"
  port      = 6379
}
