resource "aws_neptune_cluster" "no_port" {
  iam_database_authentication_enabled = true
}

resource "aws_neptune_cluster" "written" {
  engine = "neptune"
  port   = 8182
}
