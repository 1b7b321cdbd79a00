resource "aws_security_group" "db" {
  name = "db"

  ingress {
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    cidr_blocks = ["0.0.0.0/0"]
  }
}

output "db_security_group_id" {
  value = aws_security_group.db.id
}
