resource "aws_neptune_cluster" "custom" {
  port = 8282
}
