# `ip_protocol = "-1"` admits every protocol on every port: the DocumentDB
# cluster's 27017 included.
resource "aws_security_group" "docdb" {
  name = "docdb"
}

resource "aws_vpc_security_group_ingress_rule" "everything" {
  security_group_id = aws_security_group.docdb.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_docdb_cluster" "catalog" {
  cluster_identifier     = "catalog"
  engine                 = "docdb"
  master_username        = "catalog"
  master_password        = "change-me-please"
  vpc_security_group_ids = [aws_security_group.docdb.id]
}
