//! Fetching what is deployed: every replication group and cache cluster of
//! each region, through the AWS SDK for Rust, regions concurrently.
//!
//! Only read-only calls are made: `elasticache:DescribeReplicationGroups`,
//! `elasticache:DescribeCacheClusters` and, when no region is named,
//! `account:ListRegions`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};
use aws_config::{BehaviorVersion, Region, SdkConfig, timeout::TimeoutConfig};
use aws_sdk_elasticache::config::http::HttpResponse;
use aws_sdk_elasticache::error::{ProvideErrorMetadata, SdkError};
use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::shape;

/// Every IAM action the audit needs, all read-only; the README's policy
/// lists exactly these (`account:ListRegions` only without `--region`).
pub const IAM_ACTIONS: [&str; 3] = [
    "elasticache:DescribeReplicationGroups",
    "elasticache:DescribeCacheClusters",
    "account:ListRegions",
];

/// Which account, which regions, and how.
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// A named profile of the shared config files; `None` leaves the
    /// standard credential chain (and `AWS_PROFILE`) to choose.
    pub profile: Option<String>,
    /// The regions to audit; empty means every region enabled for the
    /// account.
    pub regions: Vec<String>,
    /// Send every request here (an emulator or a VPC endpoint).
    pub endpoint_url: Option<String>,
    /// How many regions are audited at once. Each region makes one request
    /// at a time, so this bounds the requests in flight.
    pub concurrent_regions: usize,
}

/// What one region holds, as the AWS CLI prints it.
#[derive(Clone, Debug)]
pub struct RegionDocuments {
    /// The region's name, e.g. `eu-west-1`.
    pub region: String,
    /// The output of `aws elasticache describe-replication-groups`, every
    /// page in one document.
    pub replication_groups: Value,
    /// The output of `aws elasticache describe-cache-clusters
    /// --show-cache-node-info`, every page in one document.
    pub cache_clusters: Value,
}

/// A region that could not be audited (no access, an opt-in region that
/// is off, a timeout), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionFailure {
    /// The region's name.
    pub region: String,
    /// What went wrong, as the service or the SDK said it. It may hold text
    /// from the network: escape it before it reaches a terminal.
    pub message: String,
}

/// One region's outcome.
pub type RegionAudit = std::result::Result<RegionDocuments, RegionFailure>;

/// Fetches every region of `target`, concurrently, and returns one outcome
/// per region in region-name order. Only failing to find out which regions
/// to audit is an error here; a region that fails is an outcome.
pub fn fetch(target: &Target) -> Result<Vec<RegionAudit>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the runtime for the AWS SDK")?;
    runtime.block_on(fetch_all(target))
}

async fn fetch_all(target: &Target) -> Result<Vec<RegionAudit>> {
    let base = load_config(target).await;
    let mut regions = if target.regions.is_empty() {
        enabled_regions(&base).await?
    } else {
        target.regions.clone()
    };
    regions.sort();
    regions.dedup();
    let permits = Arc::new(Semaphore::new(target.concurrent_regions.max(1)));
    let mut tasks = JoinSet::new();
    for region in regions {
        let client = elasticache_client(&base, &region);
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            // The semaphore is never closed, so acquiring only waits.
            let _permit = permits.acquire_owned().await;
            fetch_region(&client, region).await
        });
    }
    let mut audits = tasks.join_all().await;
    audits.sort_by(|a, b| region_of(a).cmp(region_of(b)));
    Ok(audits)
}

fn region_of(audit: &RegionAudit) -> &str {
    match audit {
        Ok(documents) => &documents.region,
        Err(failure) => &failure.region,
    }
}

/// The shared configuration: the standard credential chain (or the named
/// profile), its region, and the SDK's standard retries. The timeouts keep
/// a region that does not answer from holding the whole audit.
async fn load_config(target: &Target) -> SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_secs(120))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeouts);
    if let Some(profile) = &target.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &target.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

fn elasticache_client(base: &SdkConfig, region: &str) -> aws_sdk_elasticache::Client {
    let config = aws_sdk_elasticache::config::Builder::from(base)
        .region(Region::new(region.to_owned()))
        .build();
    aws_sdk_elasticache::Client::from_conf(config)
}

/// The regions enabled for the account, by `account:ListRegions`: the
/// Account Management API is a far smaller SDK crate than EC2's (whose
/// `DescribeRegions` would answer the same).
async fn enabled_regions(base: &SdkConfig) -> Result<Vec<String>> {
    use aws_sdk_account::types::RegionOptStatus;
    let mut config = aws_sdk_account::config::Builder::from(base);
    // The Account Management API answers in us-east-1 for every partition
    // region of the commercial partition; a profile's region is kept.
    if base.region().is_none() {
        config = config.region(Region::from_static("us-east-1"));
    }
    let client = aws_sdk_account::Client::from_conf(config.build());
    let regions = client
        .list_regions()
        .region_opt_status_contains(RegionOptStatus::Enabled)
        .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|error| {
            anyhow!(
                "could not list the account's enabled regions (account:ListRegions); \
                 name them with --region: {}",
                error_message(&error)
            )
        })?;
    Ok(regions
        .iter()
        .filter_map(|region| region.region_name())
        .map(str::to_owned)
        .collect())
}

/// Both describe calls of one region, every page of each; the SDK's
/// paginators follow `Marker` and its retry policy handles throttling.
async fn fetch_region(client: &aws_sdk_elasticache::Client, region: String) -> RegionAudit {
    let groups = client
        .describe_replication_groups()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await;
    let groups = match groups {
        Ok(groups) => groups,
        Err(error) => return Err(failure(region, "DescribeReplicationGroups", &error)),
    };
    let clusters = client
        .describe_cache_clusters()
        .show_cache_node_info(true)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await;
    let clusters = match clusters {
        Ok(clusters) => clusters,
        Err(error) => return Err(failure(region, "DescribeCacheClusters", &error)),
    };
    Ok(RegionDocuments {
        region,
        replication_groups: shape::replication_groups_document(&groups),
        cache_clusters: shape::cache_clusters_document(&clusters),
    })
}

fn failure<E>(region: String, operation: &str, error: &SdkError<E, HttpResponse>) -> RegionFailure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    RegionFailure {
        region,
        message: format!("{operation} failed: {}", error_message(error)),
    }
}

/// The service's error code and message when it answered with one; else
/// what went wrong, in one line (the SDK's own rendering of an unreadable
/// answer holds the whole raw response).
fn error_message<E>(error: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let Some(code) = error.code() {
        return match error.message() {
            Some(message) => format!("{code}: {message}"),
            None => code.to_owned(),
        };
    }
    match error {
        SdkError::TimeoutError(_) => "timed out".to_owned(),
        SdkError::DispatchFailure(failure) => match failure.as_connector_error() {
            Some(connector) => format!("no answer: {}", causes(connector)),
            None => "no answer".to_owned(),
        },
        SdkError::ServiceError(service) => unreadable(service.raw()),
        SdkError::ResponseError(response) => unreadable(response.raw()),
        _ => causes(error),
    }
}

/// An error and its causes, `: `-separated, each by its `Display` (the
/// SDK's `DisplayErrorContext` adds a `Debug` dump).
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // Some causes repeat their source's text; say each once.
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn unreadable(response: &HttpResponse) -> String {
    format!(
        "HTTP status {} with an answer that is not the service's",
        response.status().as_u16()
    )
}
