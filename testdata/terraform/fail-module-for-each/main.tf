# One module call per cache; the port is set by the caller, so the finding
# points at the call's argument, with a label in the module.
module "redis" {
  source   = "./modules/redis"
  for_each = { sessions = 6379, queue = 3560 }
  name     = each.key
  port     = each.value
}

# A call that leaves the port to the module's default: the finding points
# into the module.
module "defaults" {
  source = "./modules/redis"
  name   = "defaults"
}
