# Every engine of the table on its default port, unset or written; the
# cluster's member instance takes the cluster's port and has no finding.
resource "aws_db_instance" "mysql" {
  engine         = "mysql"
  instance_class = "db.t4g.micro"
}

resource "aws_db_instance" "mariadb" {
  engine = "mariadb"
}

resource "aws_db_instance" "postgres" {
  engine = "postgres"
  port   = 5432
}

resource "aws_db_instance" "oracle" {
  engine = "oracle-se2"
}

resource "aws_db_instance" "sqlserver" {
  engine = "sqlserver-ex"
  port   = var.sqlserver_port
}

variable "sqlserver_port" {
  default = 1433
}

resource "aws_db_instance" "db2" {
  engine = "db2-se"
}

resource "aws_rds_cluster" "aurora_mysql" {
  engine = "aurora-mysql"
}

resource "aws_rds_cluster_instance" "aurora_writer" {
  engine             = "aurora-mysql"
  cluster_identifier = aws_rds_cluster.aurora_mysql.id
  instance_class     = "db.r6g.large"
}

resource "aws_rds_cluster" "aurora_postgresql" {
  engine = "aurora-postgresql"
  port   = 5432
}

resource "aws_rds_cluster" "multi_az_mysql" {
  engine                    = "mysql"
  db_cluster_instance_class = "db.m6gd.large"
}
