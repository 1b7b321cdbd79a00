# Custom ports pass. A member of a cluster out of view, restores and
# replicas without a port, and an Aurora instance without a cluster are
# undetermined.
resource "aws_db_instance" "custom" {
  engine = "postgres"
  port   = 5532
}

resource "aws_rds_cluster" "custom" {
  engine = "aurora-postgresql"
  port   = 5532
}

resource "aws_rds_cluster_instance" "member_elsewhere" {
  engine             = "aurora-postgresql"
  cluster_identifier = "shared-cluster"
}

resource "aws_db_instance" "from_snapshot" {
  engine              = "mysql"
  snapshot_identifier = "nightly"
}

resource "aws_db_instance" "replica" {
  replicate_source_db = "primary"
}

resource "aws_rds_cluster" "point_in_time" {
  engine = "aurora-mysql"
  restore_to_point_in_time {
    source_cluster_identifier  = "primary"
    use_latest_restorable_time = true
  }
}

resource "aws_db_instance" "aurora_without_cluster" {
  engine = "aurora-mysql"
}
