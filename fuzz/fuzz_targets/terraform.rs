//! Any text, read as a Terraform module's `main.tf`, `main.tf.json` and
//! `terraform.tfvars`, loads, expands and evaluates without a panic and
//! within the evaluator's budgets, and every diagnostic span lies on
//! character boundaries inside its file.
#![no_main]

use std::collections::BTreeMap;

use cfn_port_rules::terraform::{MemoryReader, Workspace, expand};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for name in ["main.tf", "main.tf.json", "terraform.tfvars"] {
        let mut reader = MemoryReader::new().with_file("m", name, text);
        if name == "terraform.tfvars" {
            reader = reader.with_file("m", "variables.tf", "variable \"port\" {}\nresource \"aws_elasticache_cluster\" \"c\" {\n  port = var.port\n}\n");
        }
        let workspace = Workspace::load("m", &reader);
        let expansion = expand(&workspace, BTreeMap::new());
        for instance in &expansion.resources {
            for argument in expansion.block(instance).attributes.keys() {
                let _ = expansion.argument(instance, argument);
            }
        }
        for problem in workspace.diagnostics.iter().chain(&expansion.diagnostics) {
            let (Some(file), Some(span)) = (problem.file, problem.diagnostic.primary_span()) else { continue };
            let text = workspace.file(file).text();
            assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize));
            assert!(span.end as usize <= text.len());
        }
    }
});
