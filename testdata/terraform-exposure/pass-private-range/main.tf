# 10.0.0.0/8 is a private range, not everyone.
resource "aws_security_group" "db" {
  name = "db"

  ingress {
    protocol    = "tcp"
    from_port   = 5433
    to_port     = 5433
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_db_instance" "ledger" {
  identifier                  = "ledger"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  port                        = 5433
  username                    = "ledger"
  manage_master_user_password = true
  vpc_security_group_ids      = [aws_security_group.db.id]
}
