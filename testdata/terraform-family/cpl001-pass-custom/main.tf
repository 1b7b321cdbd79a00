resource "aws_redshift_cluster" "custom" {
  cluster_identifier = "analytics"
  node_type          = "ra3.xlplus"
  port               = 5440
}

resource "aws_redshiftserverless_workgroup" "custom" {
  namespace_name = "reports"
  workgroup_name = "reports"
  port           = 8192
}
