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
use std::time::Instant;

use anyhow::{Context as _, Result};
use cfn_port_rules::aws::describe::{DescribeReading, read_describe_output};
use cfn_port_rules::{LintOptions, Report, SourceFile};

use crate::args::AwsArgs;
use crate::check::{ExitStatus, FileResult, Summary};
use crate::inputs::Origin;
use crate::render::{self, InputKind, SarifOptions};

/// Runs `cfn-port-lint aws`: fetches every region, lints each region's
/// clusters in process, writes the findings in every format asked for (and
/// what was fetched, with `--save-output`). Exit status as for files: 1 for
/// findings, 2 when any region failed, the others having still been
/// audited.
pub fn run(args: &AwsArgs) -> Result<ExitStatus> {
    let outputs = args.outputs()?;
    let cwd = std::env::current_dir().context("could not read the current directory")?;
    let target = fetch::Target {
        profile: args.profile.clone(),
        regions: args.regions.clone(),
        endpoint_url: args.endpoint_url.clone(),
        concurrent_regions: usize::from(args.concurrent_regions),
    };
    let start = Instant::now();
    let audits = fetch::fetch(&target)?;
    if let Some(path) = &args.save_output {
        let text: String = audits
            .iter()
            .filter_map(|audit| audit.as_ref().ok())
            .map(describe_output)
            .collect();
        write_saved_output(path, &text)?;
    }
    let options = LintOptions::default();
    let results: Vec<FileResult> = audits
        .iter()
        .map(|audit| region_result(audit, &options))
        .collect();
    if outputs.is_empty() {
        // Only the fetched documents go to stdout: failures go to stderr.
        for audit in &audits {
            if let Err(failure) = audit {
                crate::error_line(&failure_line(failure))?;
            }
        }
    } else {
        let workers = crate::check::Workers::new(1);
        let sarif = SarifOptions::default();
        let cx = render::Context {
            workers: &workers,
            color: args.wants_color(),
            show_suppressed: false,
            show_undetermined: args.show_undetermined,
            cwd: &cwd,
            config_file: None,
            quiet: args.quiet,
            sarif: &sarif,
        };
        let totals = render::Totals {
            summary: Summary::of(&results),
            elapsed: start.elapsed(),
            inputs: InputKind::Regions,
        };
        crate::write_results(&outputs, cx, &results, &totals)?;
    }
    let status = ExitStatus::of(&results, args.fail_level.into());
    if args.exit_zero && status == ExitStatus::Findings {
        return Ok(ExitStatus::Clean);
    }
    Ok(status)
}

/// One region's result, as a file's would be: its clusters linted, or why
/// it could not be audited.
///
/// The region's clusters are turned back into the documents the AWS CLI
/// prints and read by the same reader as saved output, rather than mapped
/// from the SDK's structs onto the model: one reader means a live audit and
/// a saved one give the same verdicts by construction (the same endpoint
/// precedence, member clusters judged through their group, the same
/// hints), at the cost of printing and re-reading JSON that is small next
/// to the network time. The positions of that text are nobody's file, so
/// they are dropped: each finding is located by its cluster's ARN.
pub fn region_result(audit: &fetch::RegionAudit, options: &LintOptions) -> FileResult {
    match audit {
        Ok(documents) => {
            let mut result = FileResult::new(documents.region.clone(), Origin::Deployed);
            let source = SourceFile::new(documents.region.as_str(), describe_output(documents));
            result.report = lint_documents(&source, options);
            result
        }
        Err(failure) => {
            let mut result = FileResult::new(failure.region.clone(), Origin::Deployed);
            result.io_error = Some(format!(
                "the region could not be audited: {}",
                failure.message
            ));
            result
        }
    }
}

fn lint_documents(source: &SourceFile, options: &LintOptions) -> Report {
    let mut report = match read_describe_output(source, &options.limits) {
        DescribeReading::Output(output) => output.lint(source, options),
        // Never: the documents are the ones the reader recognises. An
        // empty report rather than a panic, should that ever change.
        DescribeReading::Unrecognised => Report::failed(Vec::new()),
    };
    for finding in &mut report.findings {
        finding.location = None;
    }
    for undetermined in &mut report.undetermined {
        undetermined.location = None;
    }
    for diagnostic in &mut report.diagnostics {
        diagnostic.position = None;
    }
    report
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

    fn region_with_group(arn: &str) -> fetch::RegionAudit {
        Ok(fetch::RegionDocuments {
            region: "eu-west-1".into(),
            replication_groups: serde_json::json!({"ReplicationGroups": [{
                "ReplicationGroupId": "orders",
                "NodeGroups": [{"NodeGroupId": "0001",
                                "PrimaryEndpoint": {"Address": "orders.example", "Port": 6379}}],
                "Engine": "redis",
                "ARN": arn
            }]}),
            cache_clusters: serde_json::json!({"CacheClusters": []}),
        })
    }

    fn compact(result: &FileResult) -> String {
        let workers = crate::check::Workers::new(1);
        let sarif = SarifOptions::default();
        let cwd = std::path::PathBuf::from("/");
        let cx = render::Context {
            workers: &workers,
            color: false,
            show_suppressed: false,
            show_undetermined: false,
            cwd: &cwd,
            config_file: None,
            quiet: true,
            sarif: &sarif,
        };
        let mut renderer = render::Renderer::new(crate::args::OutputFormat::Compact, cx);
        let mut out = Vec::new();
        renderer.file(&mut out, result).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn a_region_finding_has_no_position_and_is_named_by_its_arn() {
        let arn = "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:orders";
        let result = region_result(&region_with_group(arn), &LintOptions::default());
        assert_eq!(result.origin, Origin::Deployed);
        assert!(result.sources.is_empty());
        let [finding] = result.report.findings.as_slice() else {
            panic!("{:?}", result.report.findings);
        };
        assert_eq!(finding.location, None);
        let deployed = finding.deployed.as_ref().expect("the ARN");
        assert_eq!(
            (deployed.arn.as_str(), deployed.region.as_deref()),
            (arn, Some("eu-west-1"))
        );
        assert_eq!(
            compact(&result),
            format!(
                "{arn}: warning[EC-012] ReplicationGroup `orders` listens on port 6379, the default port of redis\n"
            )
        );
    }

    #[test]
    fn an_arn_from_the_network_cannot_drive_the_terminal() {
        let arn = "arn:aws:elasticache:eu-west-1:1:replicationgroup:\u{1b}[2Jorders";
        let result = region_result(&region_with_group(arn), &LintOptions::default());
        let line = compact(&result);
        assert!(!line.contains('\u{1b}'), "{line}");
        assert!(line.contains("\\x1b[2J"), "{line}");
    }

    #[test]
    fn a_failed_region_is_an_input_error_named_by_the_region() {
        let failure = fetch::RegionFailure {
            region: "ap-east-1".into(),
            message: "OptInRequired: not enabled".into(),
        };
        let result = region_result(&Err(failure), &LintOptions::default());
        assert!(result.has_errors());
        assert_eq!(
            compact(&result),
            "ap-east-1: error[io] the region could not be audited: OptInRequired: not enabled\n"
        );
    }

    #[test]
    fn a_cluster_still_being_created_is_undetermined_with_its_arn_and_no_position() {
        let arn = "arn:aws:elasticache:eu-west-1:123456789012:cluster:new-cache";
        let audit = Ok(fetch::RegionDocuments {
            region: "eu-west-1".into(),
            replication_groups: serde_json::json!({"ReplicationGroups": []}),
            cache_clusters: serde_json::json!({"CacheClusters": [{
                "CacheClusterId": "new-cache",
                "Engine": "redis",
                "CacheClusterStatus": "creating",
                "ARN": arn
            }]}),
        });
        let result = region_result(&audit, &LintOptions::default());
        assert!(result.report.findings.is_empty());
        let [undetermined] = result.report.undetermined.as_slice() else {
            panic!("{:?}", result.report.undetermined);
        };
        assert_eq!(undetermined.location, None);
        assert!(
            undetermined.reason.contains("creating"),
            "{}",
            undetermined.reason
        );
        let deployed = undetermined.deployed.as_ref().expect("the ARN");
        assert_eq!(deployed.arn, arn);
    }
}
