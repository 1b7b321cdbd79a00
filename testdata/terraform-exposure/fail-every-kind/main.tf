# One kind of each that CPL-005 judges, all placed in one group that admits
# every protocol and port from everywhere: each is exposed on its own port.

resource "aws_security_group" "open" {
  name = "open"
}

resource "aws_vpc_security_group_ingress_rule" "everything" {
  security_group_id = aws_security_group.open.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_elasticache_cluster" "valkey" {
  cluster_id         = "valkey"
  engine             = "valkey"
  node_type          = "cache.t4g.micro"
  num_cache_nodes    = 1
  security_group_ids = [aws_security_group.open.id]
}

resource "aws_rds_cluster" "aurora" {
  engine                 = "aurora-mysql"
  port                   = 3310
  vpc_security_group_ids = [aws_security_group.open.id]
}

resource "aws_redshiftserverless_workgroup" "analytics" {
  namespace_name     = "analytics"
  workgroup_name     = "analytics"
  security_group_ids = [aws_security_group.open.id]
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  vpc_security_group_ids = [aws_security_group.open.id]
}

resource "aws_docdb_cluster" "documents" {
  vpc_security_group_ids = [aws_security_group.open.id]
}

resource "aws_neptune_cluster" "graph" {
  port                   = 8183
  vpc_security_group_ids = [aws_security_group.open.id]
}

resource "aws_memorydb_cluster" "memory" {
  name               = "sessions"
  node_type          = "db.t4g.small"
  acl_name           = "open-access"
  security_group_ids = [aws_security_group.open.id]
}
