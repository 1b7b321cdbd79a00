# Memcached answers on UDP as well: 11211/udp from everywhere exposes it.
resource "aws_security_group" "memcached" {
  name = "memcached"

  ingress {
    protocol    = "udp"
    from_port   = 11211
    to_port     = 11211
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_elasticache_cluster" "objects" {
  cluster_id         = "objects"
  engine             = "memcached"
  node_type          = "cache.t4g.micro"
  num_cache_nodes    = 1
  port               = 11211
  security_group_ids = [aws_security_group.memcached.id]
}
