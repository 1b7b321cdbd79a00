resource "aws_docdb_cluster" "no_port" {
  master_username = "admin"
}

resource "aws_docdb_cluster" "written" {
  engine = "docdb"
  port   = 27017
}
