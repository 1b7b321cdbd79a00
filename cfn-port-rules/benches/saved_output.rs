//! Throughput of the readers of saved output, in MB/s: a Terraform plan
//! (`terraform show -json`) and saved `aws elasticache describe-*` output,
//! each with 100, 1,000 and 10,000 ElastiCache resources.
//!
//! ```text
//! cargo bench -p cfn-port-rules --bench saved_output
//! ```
//!
//! The inputs are generated here, shaped like the corpus's real ones: each
//! planned cluster carries the ~20 attributes Terraform writes in `after`
//! and `after_unknown` and a `configuration` block inside a module call;
//! describe output comes in pages of 100 clusters saved one after another.

use std::fmt::Write as _;

use cfn_port_rules::aws::describe::{DescribeReading, read_describe_output};
use cfn_port_rules::plan::{PlanReading, read_plan};
use cfn_port_rules::{Limits, LintOptions, SourceFile, lint_model};
use divan::Bencher;
use divan::counter::BytesCount;

const SIZES: [usize; 3] = [100, 1_000, 10_000];

// The allocator `cfn-port-lint` ships with, so the numbers are the binary's:
// a parsed document is many small allocations, freed all at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// A plan whose clusters sit in `module.cache[i]`, every other one with its
/// port known only after apply.
fn plan(resources: usize) -> String {
    let mut changes = Vec::with_capacity(resources);
    for i in 0..resources {
        let port = if i % 2 == 0 { "\"port\": 6379," } else { "" };
        changes.push(format!(
            r#"{{"address": "module.cache[{i}].aws_elasticache_cluster.this", "module_address": "module.cache[{i}]",
  "mode": "managed", "type": "aws_elasticache_cluster", "name": "this", "provider_name": "registry.terraform.io/hashicorp/aws",
  "change": {{"actions": ["create"], "before": null,
    "after": {{"auto_minor_version_upgrade": "true", "cluster_id": "cache-{i}", "engine": "redis", "engine_version": "7.1",
      "final_snapshot_identifier": null, "log_delivery_configuration": [], "node_type": "cache.t3.micro",
      "notification_topic_arn": null, "num_cache_nodes": 1, "outpost_mode": null, "parameter_group_name": "default.redis7",
      {port} "preferred_availability_zones": null, "snapshot_arns": null, "snapshot_name": null,
      "snapshot_retention_limit": null, "tags": {{"Name": "cache-{i}"}}, "timeouts": null}},
    "after_unknown": {{"apply_immediately": true, "arn": true, "availability_zone": true, "az_mode": true, "cache_nodes": true,
      "cluster_address": true, "configuration_endpoint": true, "engine_version_actual": true, "id": true, "port": true,
      "replication_group_id": true, "security_group_ids": true, "tags": {{}}, "tags_all": true}},
    "before_sensitive": false, "after_sensitive": {{"tags": {{}}}}}}}}"#
        ));
    }
    let port_expression = r#""port": {"references": ["var.port"]},"#;
    format!(
        r#"{{"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [{}],
"configuration": {{"root_module": {{"module_calls": {{"cache": {{"source": "./modules/cache",
  "count_expression": {{"constant_value": {resources}}},
  "module": {{"resources": [{{"address": "aws_elasticache_cluster.this", "mode": "managed",
    "type": "aws_elasticache_cluster", "name": "this",
    "expressions": {{"engine": {{"constant_value": "redis"}}, {port_expression} "node_type": {{"constant_value": "cache.t3.micro"}}}}}}]}}}}}}}}}}}}"#,
        changes.join(",\n")
    )
}

/// `describe-cache-clusters --show-cache-node-info` pages of 100 clusters,
/// each page with a `Marker` but the last.
fn describe_output(clusters: usize) -> String {
    let mut text = String::new();
    for page in (0..clusters).collect::<Vec<_>>().chunks(100) {
        let items: Vec<String> = page
            .iter()
            .map(|i| {
                format!(
                    r#"        {{
            "CacheClusterId": "cache-{i}",
            "CacheNodeType": "cache.t3.micro",
            "Engine": "redis",
            "EngineVersion": "7.1.0",
            "CacheClusterStatus": "available",
            "NumCacheNodes": 1,
            "CacheNodes": [
                {{
                    "CacheNodeId": "0001",
                    "CacheNodeStatus": "available",
                    "Endpoint": {{
                        "Address": "cache-{i}.abc123.0001.use1.cache.amazonaws.com",
                        "Port": {port}
                    }},
                    "CustomerAvailabilityZone": "us-east-1a"
                }}
            ],
            "ARN": "arn:aws:elasticache:us-east-1:123456789012:cluster:cache-{i}"
        }}"#,
                    port = if i % 2 == 0 { 6379 } else { 6380 }
                )
            })
            .collect();
        let last = page.last().copied().unwrap_or_default() + 1 >= clusters;
        let marker = if last {
            String::new()
        } else {
            "    \"Marker\": \"next\",\n".to_owned()
        };
        let _ = writeln!(
            text,
            "{{\n{marker}    \"CacheClusters\": [\n{}\n    ]\n}}",
            items.join(",\n")
        );
    }
    text
}

#[divan::bench(args = SIZES)]
fn terraform_plan(bencher: Bencher<'_, '_>, resources: usize) {
    let source = SourceFile::new("plan.json", plan(resources));
    let limits = Limits::default();
    let PlanReading::Plan(plan) = read_plan(&source, &limits) else {
        panic!("the generated plan is a plan");
    };
    assert_eq!(plan.resources.len(), resources);
    assert!(plan.resources.iter().all(|cache| cache.configuration_found));
    bencher
        .counter(BytesCount::of_str(source.text()))
        .bench(|| read_plan(divan::black_box(&source), &limits));
}

/// What the CLI does with a plan file: read it, build the model, run the
/// rules (half the clusters are on the default port).
#[divan::bench(args = SIZES)]
fn terraform_plan_lint(bencher: Bencher<'_, '_>, resources: usize) {
    let source = SourceFile::new("plan.json", plan(resources));
    let limits = Limits::default();
    let options = LintOptions::default();
    bencher
        .counter(BytesCount::of_str(source.text()))
        .bench(|| {
            let PlanReading::Plan(plan) = read_plan(divan::black_box(&source), &limits) else {
                panic!("the generated plan is a plan");
            };
            lint_model(&plan.to_model(source.name()), &[&source], &options)
        });
}

#[divan::bench(args = SIZES)]
fn describe_cache_clusters(bencher: Bencher<'_, '_>, clusters: usize) {
    let source = SourceFile::new("clusters.json", describe_output(clusters));
    let limits = Limits::default();
    let DescribeReading::Output(output) = read_describe_output(&source, &limits) else {
        panic!("the generated output is describe output");
    };
    assert_eq!(output.caches.len(), clusters);
    bencher
        .counter(BytesCount::of_str(source.text()))
        .bench(|| read_describe_output(divan::black_box(&source), &limits));
}
