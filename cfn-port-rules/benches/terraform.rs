//! The Terraform front-end on a generated module: loading (parsing every
//! file with spans), and loading plus expanding `count`/`for_each` plus
//! evaluating `engine` and `port` of every ElastiCache instance, and the
//! whole lint (all of that, the neutral model, EC-012 and suppression
//! comments), in MB/s.
//!
//! ```text
//! cargo bench -p cfn-port-rules --bench terraform
//! ```
//!
//! The module has variables with defaults and validation lists, a locals
//! map of ports, and resources that alternate between literal ports,
//! variables, conditionals, `lookup` of the locals map and `count`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use cfn_port_rules::LintOptions;
use cfn_port_rules::terraform::{MemoryReader, Vars, Workspace, expand, lint_module};
use divan::Bencher;
use divan::counter::BytesCount;

const SIZES: [usize; 3] = [100, 1_000, 10_000];

// The allocator `cfn-port-lint` ships with: a Terraform module's syntax tree
// is many small allocations, and the system allocator spends about half the
// time of a lint in `malloc` and `free` (perf, glibc 2.x).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// A module with `resources` ElastiCache blocks (about 300 bytes each).
fn generated_module(resources: usize) -> String {
    let mut text = String::from(
        "variable \"environment\" {\n  type    = string\n  default = \"prod\"\n}\n\nvariable \"engine\" {\n  type = string\n  validation {\n    condition     = contains([\"redis\", \"valkey\"], var.engine)\n    error_message = \"redis or valkey\"\n  }\n}\n\nvariable \"port\" {\n  type    = number\n  default = 6379\n}\n\nlocals {\n  ports = {\n    prod = 3560\n    dev  = 6379\n  }\n}\n\n",
    );
    for i in 0..resources {
        let (kind, port) = match i % 4 {
            0 => ("aws_elasticache_cluster", "6379".to_owned()),
            1 => ("aws_elasticache_cluster", "var.port".to_owned()),
            2 => (
                "aws_elasticache_replication_group",
                "var.environment == \"prod\" ? local.ports[\"prod\"] : var.port".to_owned(),
            ),
            _ => (
                "aws_elasticache_replication_group",
                "lookup(local.ports, var.environment, 6379) + count.index".to_owned(),
            ),
        };
        let count = if i % 4 == 3 { "  count = 2\n" } else { "" };
        write!(
            text,
            "resource \"{kind}\" \"cache_{i}\" {{\n{count}  cluster_id      = \"cache-{i}-${{var.environment}}\"\n  engine          = var.engine\n  node_type       = \"cache.t4g.micro\"\n  port            = {port}\n  tags = {{\n    Name = \"cache-{i}\"\n  }}\n}}\n\n"
        )
        .unwrap();
    }
    text
}

fn reader(text: &str) -> MemoryReader {
    MemoryReader::new().with_file("module", "main.tf", text)
}

#[divan::bench(args = SIZES)]
fn load(bencher: Bencher, resources: usize) {
    let text = generated_module(resources);
    let reader = reader(&text);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| Workspace::load("module", &reader));
}

#[divan::bench(args = SIZES)]
fn load_expand_evaluate(bencher: Bencher, resources: usize) {
    let text = generated_module(resources);
    let reader = reader(&text);
    bencher.counter(BytesCount::new(text.len())).bench(|| {
        let workspace = Workspace::load("module", &reader);
        let expansion = expand(&workspace, BTreeMap::new());
        let mut possibilities = 0;
        for instance in &expansion.resources {
            for argument in ["engine", "port"] {
                possibilities += expansion
                    .argument(instance, argument)
                    .map_or(0, |p| p.len());
            }
        }
        possibilities
    });
}

#[divan::bench(args = SIZES)]
fn lint(bencher: Bencher, resources: usize) {
    let text = generated_module(resources);
    let reader = reader(&text);
    let options = LintOptions::default();
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| lint_module("module", &reader, &Vars::new(), &options));
}
