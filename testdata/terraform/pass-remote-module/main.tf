module "redis" {
  source  = "cloudposse/elasticache-redis/aws"
  version = "1.0.0"
  port    = 6379
}
