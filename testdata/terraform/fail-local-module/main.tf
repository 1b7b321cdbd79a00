module "cache" {
  source = "./modules/cache"
  name   = "sessions"
  port   = 6379
}
