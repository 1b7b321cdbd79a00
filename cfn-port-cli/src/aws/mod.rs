//! `cfn-port-lint aws`: what is deployed in live AWS accounts (cargo
//! feature `aws`).
//!
//! The audit fetches each region's replication groups and cache clusters
//! through the AWS SDK for Rust ([`fetch`]) and turns them back into the
//! documents the AWS CLI prints ([`shape`]), so that live accounts and saved
//! `describe-*` output are read by the same reader and judged alike.

pub mod fetch;
pub mod shape;

use std::io::Write;

use anyhow::{Context as _, Result};

use crate::args::AwsArgs;
use crate::check::ExitStatus;

/// Runs `cfn-port-lint aws`: fetches every region, writes what was fetched,
/// and reports each region that failed on stderr. Exit status 2 when any
/// region failed, the others having still been audited.
pub fn run(args: &AwsArgs) -> Result<ExitStatus> {
    let target = fetch::Target {
        profile: args.profile.clone(),
        regions: args.regions.clone(),
        endpoint_url: args.endpoint_url.clone(),
        concurrent_regions: usize::from(args.concurrent_regions),
    };
    let audits = fetch::fetch(&target)?;
    let mut text = String::new();
    let mut status = ExitStatus::Clean;
    let mut failures = Vec::new();
    for audit in &audits {
        match audit {
            Ok(documents) => text.push_str(&describe_output(documents)),
            Err(failure) => {
                status = ExitStatus::Error;
                failures.push(failure_line(failure));
            }
        }
    }
    write_saved_output(&args.save_output, &text)?;
    for line in failures {
        crate::error_line(&line)?;
    }
    Ok(status)
}

/// One region's documents, one after another, as saved AWS CLI output.
pub fn describe_output(documents: &fetch::RegionDocuments) -> String {
    let mut text = String::new();
    for document in [&documents.replication_groups, &documents.cache_clusters] {
        // A `Value` always serialises.
        text.push_str(&serde_json::to_string_pretty(document).unwrap_or_default());
        text.push('\n');
    }
    text
}

/// `region eu-west-1: …`, with the service's message made printable: it
/// comes from the network and must not drive the terminal.
fn failure_line(failure: &fetch::RegionFailure) -> String {
    format!(
        "region {}: {}",
        printable(&failure.region),
        printable(&failure.message)
    )
}

/// `text` with control characters escaped (`\n`, `\u{1b}`).
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn write_saved_output(path: &std::path::Path, text: &str) -> Result<()> {
    if path.as_os_str() == "-" {
        return crate::write_stdout(text.as_bytes());
    }
    let mut file = std::fs::File::create(path)
        .with_context(|| format!("could not create `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("could not write `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_messages_from_the_network_cannot_drive_the_terminal() {
        let failure = fetch::RegionFailure {
            region: "eu-west-1".into(),
            message: "AccessDenied: \u{1b}[31mno\nway".into(),
        };
        assert_eq!(
            failure_line(&failure),
            "region eu-west-1: AccessDenied: \\u{1b}[31mno\\nway"
        );
    }
}
