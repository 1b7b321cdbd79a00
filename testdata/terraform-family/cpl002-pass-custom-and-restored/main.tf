# A custom port passes; a restore without `port` keeps the snapshot's port
# (the provider sends `port` only when it is set) and is undetermined.
resource "aws_docdb_cluster" "custom" {
  port = 27117
}

resource "aws_docdb_cluster" "restored" {
  snapshot_identifier = "nightly"
}
