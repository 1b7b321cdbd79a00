resource "aws_memorydb_cluster" "custom" {
  name      = "sessions"
  node_type = "db.t4g.small"
  acl_name  = "open-access"
  port      = 3560
}
