# The group is the caller's; the database is the module's.
resource "aws_security_group" "open" {
  name = "open"

  ingress {
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "db" {
  source             = "./modules/db"
  security_group_ids = [aws_security_group.open.id]
}
