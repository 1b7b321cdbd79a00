# Loaded after terraform.tfvars, so this value wins.
port = 6379
