# An egress rule lets the database reach everything; nothing reaches it.
resource "aws_security_group" "db" {
  name = "db"
}

resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = aws_security_group.db.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_db_instance" "ledger" {
  identifier                  = "ledger"
  engine                      = "mysql"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  port                        = 3307
  username                    = "ledger"
  manage_master_user_password = true
  vpc_security_group_ids      = [aws_security_group.db.id]
}
