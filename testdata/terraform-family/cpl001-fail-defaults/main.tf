# Redshift listens on 5439. The provider sends its `port` default (5439) to a
# snapshot restore too, so a restored cluster without `port` is on 5439.
resource "aws_redshift_cluster" "no_port" {
  cluster_identifier = "analytics"
  node_type          = "ra3.xlplus"
}

resource "aws_redshift_cluster" "restored" {
  cluster_identifier  = "restored"
  node_type           = "ra3.xlplus"
  snapshot_identifier = "nightly"
}

resource "aws_redshiftserverless_workgroup" "written" {
  namespace_name = "reports"
  workgroup_name = "reports"
  port           = 5439
}
