variable "security_group_id" {
  type = string
}

resource "aws_db_instance" "this" {
  identifier                  = "reports"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "reports"
  manage_master_user_password = true
  vpc_security_group_ids      = [var.security_group_id]
}
