# The group is made by one local module and handed to another through an
# output.
module "network" {
  source = "./modules/network"
}

module "db" {
  source            = "./modules/db"
  security_group_id = module.network.db_security_group_id
}
