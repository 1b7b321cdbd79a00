//! What is deployed: saved output of the AWS CLI's ElastiCache `describe-*`
//! calls, read into one record per cluster or replication group.
//!
//! - [`stream`]: split a file holding several JSON documents (pages saved one
//!   after another) into its top-level values;
//! - [`describe`]: recognise `describe-cache-clusters` and
//!   `describe-replication-groups` output and read each cluster's engine,
//!   port and identity the way the Terraform AWS provider reads them;
//! - [`remediation`]: how to move a running cluster to a custom port.

pub mod describe;
mod model;
pub mod remediation;
pub mod stream;
