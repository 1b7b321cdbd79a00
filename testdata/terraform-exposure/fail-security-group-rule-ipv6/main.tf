# A standalone rule opens the cluster's port to every IPv6 address.
resource "aws_security_group" "db" {
  name = "db"
}

resource "aws_security_group_rule" "postgres_v6" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  ipv6_cidr_blocks  = ["::/0"]
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier          = "orders"
  engine                      = "aurora-postgresql"
  master_username             = "orders"
  manage_master_user_password = true
  vpc_security_group_ids      = [aws_security_group.db.id]
}
