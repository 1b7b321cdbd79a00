resource "aws_elasticache_replication_group" "group" {
  replication_group_id = "group"
  description          = "sessions"
}

resource "aws_elasticache_cluster" "member" {
  cluster_id           = "member"
  replication_group_id = aws_elasticache_replication_group.group.id
}
