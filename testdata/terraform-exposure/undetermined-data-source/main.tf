# The group is read by a data source when Terraform plans.
data "aws_security_group" "shared" {
  name = "shared-db"
}

resource "aws_db_instance" "ledger" {
  identifier                  = "ledger"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  port                        = 5433
  username                    = "ledger"
  manage_master_user_password = true
  vpc_security_group_ids      = [data.aws_security_group.shared.id]
}
