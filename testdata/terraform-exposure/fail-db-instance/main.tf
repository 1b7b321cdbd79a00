# A MySQL instance on 3306 in a group that admits 3306 from everywhere.
resource "aws_security_group" "mysql" {
  name = "mysql"

  ingress {
    protocol    = "6"
    from_port   = 3306
    to_port     = 3306
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "billing" {
  identifier                  = "billing"
  engine                      = "mysql"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "billing"
  manage_master_user_password = true
  vpc_security_group_ids      = [aws_security_group.mysql.id]
}
