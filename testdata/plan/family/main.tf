# One resource of each database kind the default-port rules judge, planned
# by scripts/make-plan.sh into plan.json beside this file.

variable "docdb_port" {
  type    = number
  default = 27017
}

# PostgreSQL without `port`: the engine's default, 5432.
resource "aws_db_instance" "postgres_default" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "orders"
  password          = "plan-only-password"
}

# MySQL on a port of its own.
resource "aws_db_instance" "mysql_custom" {
  identifier        = "catalog"
  engine            = "mysql"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "catalog"
  password          = "plan-only-password"
  port              = 3307
}

# An Aurora PostgreSQL cluster on its default port.
resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "ledger"
  engine             = "aurora-postgresql"
  master_username    = "ledger"
  master_password    = "plan-only-password"
}

# Restored from a snapshot without `port`: the snapshot's port, not in view.
resource "aws_rds_cluster" "restored" {
  cluster_identifier  = "archive"
  engine              = "aurora-mysql"
  snapshot_identifier = "archive-final"
}

# Redshift without `port`.
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier = "warehouse"
  node_type          = "ra3.xlplus"
  master_username    = "warehouse"
  master_password    = "Plan-only-password1"
}

# Redshift Serverless on a port of its own.
resource "aws_redshiftserverless_workgroup" "analytics" {
  namespace_name = "analytics"
  workgroup_name = "analytics"
  port           = 5440
}

# DocumentDB on its default port, through a variable.
resource "aws_docdb_cluster" "documents" {
  cluster_identifier = "documents"
  master_username    = "documents"
  master_password    = "plan-only-password"
  port               = var.docdb_port
}

# Neptune on a port of its own.
resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  port               = 8183
}

# MemoryDB with `port = null`: the engine's default.
resource "aws_memorydb_cluster" "sessions" {
  name      = "sessions"
  node_type = "db.t4g.small"
  acl_name  = "open-access"
  port      = null
}
