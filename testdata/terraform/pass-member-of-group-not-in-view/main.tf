# A member cluster cannot set a port: it listens on its group's. The
# group here comes from a data source, so it is not in view and the
# member is undetermined (never "missing port").
data "aws_elasticache_replication_group" "shared" {
  replication_group_id = "shared"
}

resource "aws_elasticache_cluster" "replica" {
  cluster_id           = "replica"
  replication_group_id = data.aws_elasticache_replication_group.shared.id
}

# A group named by a literal string is not a block of this module either.
resource "aws_elasticache_cluster" "named" {
  cluster_id           = "named"
  replication_group_id = "shared-group"
}
