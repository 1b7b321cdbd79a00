# A downloaded module: `terraform init` put it here; it is not linted.
resource "aws_elasticache_cluster" "vendored" {
  engine = "redis"
}
