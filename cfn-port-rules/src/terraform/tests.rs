//! Loading and evaluating small modules held in memory.

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;

use super::*;
use crate::diagnostic::{DiagnosticKind, Severity};
use crate::source::FileId;

fn workspace(files: &[(&str, &str)]) -> Workspace {
    let reader = files
        .iter()
        .fold(MemoryReader::new(), |reader, (path, text)| {
            let (dir, name) = path.rsplit_once('/').unwrap_or((".", path));
            reader.with_file(dir, name, text)
        });
    Workspace::load("root", &reader)
}

/// `address: value, value` for the given argument of every instance.
fn values_of(workspace: &Workspace, argument: &str) -> Vec<String> {
    let expansion = expand(workspace, BTreeMap::new());
    expansion
        .resources
        .iter()
        .map(|instance| {
            let values = match expansion.argument(instance, argument) {
                None => "unset".to_owned(),
                Some(possibilities) => possibilities
                    .iter()
                    .map(describe)
                    .collect::<Vec<_>>()
                    .join(" | "),
            };
            format!("{}: {values}", instance.address)
        })
        .collect()
}

fn describe(p: &Possibility) -> String {
    let scenario: Vec<String> = p
        .scenario
        .assumptions()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if scenario.is_empty() {
        p.value.to_string()
    } else {
        format!("{} when {}", p.value, scenario.join(","))
    }
}

fn trace_of(workspace: &Workspace, argument: &str) -> Vec<String> {
    let expansion = expand(workspace, BTreeMap::new());
    let possibilities = expansion
        .argument(&expansion.resources[0], argument)
        .unwrap();
    possibilities[0]
        .trace
        .iter()
        .map(|step| step.description.clone())
        .collect()
}

fn text_at(workspace: &Workspace, file: FileId, span: crate::Span) -> &str {
    workspace.file(file).slice(span)
}

#[test]
fn hcl_edit_spans_cover_binary_operations_traversals_and_conditionals() {
    // Pins the hcl-edit release: 0.10 records spans on these three
    // expression kinds, which findings point at.
    let text = "locals {\n  a = var.base + 1\n  b = var.env == \"prod\" ? 6380 : local.ports[\"dev\"]\n}\n";
    let body = hcl_edit::parser::parse_body(text).unwrap();
    let locals = body.blocks().next().unwrap();
    let attrs: Vec<_> = locals.body.attributes().collect();
    let slice = |expr: &Expression| &text[span_of(expr).unwrap().range()];
    assert_eq!(slice(&attrs[0].value), "var.base + 1");
    let Expression::BinaryOp(sum) = &attrs[0].value else {
        panic!("not a binary operation")
    };
    assert_eq!(slice(&sum.lhs_expr), "var.base");
    let Expression::Conditional(conditional) = &attrs[1].value else {
        panic!("not a conditional")
    };
    assert_eq!(
        slice(&attrs[1].value),
        "var.env == \"prod\" ? 6380 : local.ports[\"dev\"]"
    );
    assert_eq!(slice(&conditional.cond_expr), "var.env == \"prod\"");
    assert_eq!(slice(&conditional.true_expr), "6380");
    assert_eq!(slice(&conditional.false_expr), "local.ports[\"dev\"]");
}

#[test]
fn a_variable_default_is_traced_to_its_file() {
    let ws = workspace(&[
        (
            "root/variables.tf",
            "variable \"port\" {\n  default = 6379\n}\n",
        ),
        (
            "root/main.tf",
            "resource \"aws_elasticache_cluster\" \"c\" {\n  engine = \"redis\"\n  port   = var.port\n}\n",
        ),
    ]);
    assert_eq!(values_of(&ws, "port"), ["aws_elasticache_cluster.c: 6379"]);
    assert_eq!(
        trace_of(&ws, "port"),
        [
            "set to 6379",
            "variable `port` defaults to 6379 (variables.tf)"
        ]
    );
}

#[test]
fn tfvars_override_defaults_and_auto_tfvars_override_terraform_tfvars() {
    let ws = workspace(&[
        (
            "root/main.tf",
            "variable \"port\" {\n  default = 1\n}\nvariable \"engine\" {}\nresource \"aws_elasticache_cluster\" \"c\" {\n  engine = var.engine\n  port = var.port\n}\n",
        ),
        (
            "root/terraform.tfvars",
            "port = 2\nengine = \"memcached\"\n",
        ),
        ("root/b.auto.tfvars", "port = 3\n"),
        ("root/prod.tfvars", "port = 4\n"),
    ]);
    assert_eq!(values_of(&ws, "port"), ["aws_elasticache_cluster.c: 3"]);
    assert_eq!(
        values_of(&ws, "engine"),
        ["aws_elasticache_cluster.c: \"memcached\""]
    );
    assert_eq!(
        trace_of(&ws, "engine")[1],
        "`terraform.tfvars` sets `engine = \"memcached\"`"
    );
}

#[test]
fn a_validation_list_gives_one_scenario_per_allowed_value() {
    let ws = workspace(&[(
        "root/main.tf",
        "variable \"engine\" {\n  validation {\n    condition = contains([\"redis\", \"memcached\"], var.engine)\n    error_message = \"no\"\n  }\n}\nresource \"aws_elasticache_cluster\" \"c\" {\n  engine = var.engine\n}\n",
    )]);
    assert_eq!(
        values_of(&ws, "engine"),
        [
            "aws_elasticache_cluster.c: \"redis\" when var.engine=redis | \"memcached\" when var.engine=memcached"
        ]
    );
}

#[test]
fn a_variable_without_value_is_unknown_with_the_reason() {
    let ws = workspace(&[(
        "root/main.tf",
        "variable \"port\" {}\nresource \"aws_elasticache_cluster\" \"c\" {\n  port = var.port\n}\n",
    )]);
    assert_eq!(
        values_of(&ws, "port"),
        [
            "aws_elasticache_cluster.c: (unknown: variable `port` has no default and no value is given)"
        ]
    );
}

#[test]
fn locals_index_expressions_and_functions_evaluate() {
    let ws = workspace(&[(
        "root/main.tf",
        r#"variable "env" { default = "prod" }
locals {
  ports = { prod = 6380, dev = "6379" }
  port  = local.ports[var.env]
  fallback = lookup(local.ports, "qa", 11211)
}
resource "aws_elasticache_cluster" "a" { port = local.port }
resource "aws_elasticache_cluster" "b" { port = tonumber(local.fallback) }
resource "aws_elasticache_cluster" "c" { port = coalesce(null, try(local.missing, 7000)) }
resource "aws_elasticache_cluster" "d" { port = element([1, 2], 3) + merge({a = 1}, {a = 5}).a }
resource "aws_elasticache_cluster" "e" { port = "${local.ports.dev}" }
resource "aws_elasticache_cluster" "f" { port = "p${local.ports.dev}" }
"#,
    )]);
    assert_eq!(
        values_of(&ws, "port"),
        [
            "aws_elasticache_cluster.a: 6380",
            "aws_elasticache_cluster.b: 11211",
            "aws_elasticache_cluster.c: 7000",
            "aws_elasticache_cluster.d: 7",
            "aws_elasticache_cluster.e: \"6379\"",
            "aws_elasticache_cluster.f: \"p6379\"",
        ]
    );
}

#[test]
fn null_means_the_argument_is_unset() {
    let ws = workspace(&[(
        "root/main.tf",
        "resource \"aws_elasticache_replication_group\" \"g\" {\n  port = null\n}\n",
    )]);
    assert_eq!(
        values_of(&ws, "port"),
        ["aws_elasticache_replication_group.g: null"]
    );
    assert_eq!(
        values_of(&ws, "engine"),
        ["aws_elasticache_replication_group.g: unset"]
    );
}

#[test]
fn conditionals_on_the_same_unknown_condition_stay_correlated() {
    let ws = workspace(&[(
        "root/main.tf",
        "variable \"prod\" {}\nresource \"aws_elasticache_cluster\" \"c\" {\n  port = \"${var.prod ? 1 : 2}-${var.prod ? 1 : 2}\"\n}\n",
    )]);
    assert_eq!(
        values_of(&ws, "port"),
        [
            "aws_elasticache_cluster.c: \"1-1\" when condition `var.prod`=true | \"2-2\" when condition `var.prod`=false"
        ]
    );
}

#[test]
fn a_known_condition_picks_its_branch() {
    let ws = workspace(&[(
        "root/main.tf",
        "variable \"engine\" { default = \"memcached\" }\nresource \"aws_elasticache_cluster\" \"c\" {\n  port = var.engine == \"memcached\" ? 11211 : 6379\n}\n",
    )]);
    assert_eq!(values_of(&ws, "port"), ["aws_elasticache_cluster.c: 11211"]);
}

#[test]
fn count_and_for_each_expand_into_named_instances() {
    let ws = workspace(&[(
        "root/main.tf",
        r#"variable "caches" { default = { sessions = 6379, jobs = 6380 } }
resource "aws_elasticache_cluster" "counted" {
  count = 2
  port  = 7000 + count.index
}
resource "aws_elasticache_cluster" "this" {
  for_each = var.caches
  port     = each.value
  engine   = each.key
}
resource "aws_elasticache_cluster" "none" {
  count = 0
}
resource "aws_elasticache_cluster" "set" {
  for_each = toset(["a"])
  port = each.value
}
"#,
    )]);
    assert_eq!(
        values_of(&ws, "port"),
        [
            "aws_elasticache_cluster.counted[0]: 7000",
            "aws_elasticache_cluster.counted[1]: 7001",
            "aws_elasticache_cluster.this[\"jobs\"]: 6380",
            "aws_elasticache_cluster.this[\"sessions\"]: 6379",
            "aws_elasticache_cluster.set[\"a\"]: \"a\"",
        ]
    );
}

#[test]
fn a_count_that_cannot_be_evaluated_gives_one_instance_with_the_reason() {
    let ws = workspace(&[(
        "root/main.tf",
        "variable \"n\" {}\nresource \"aws_elasticache_cluster\" \"c\" {\n  count = var.n\n  port = 1\n}\n",
    )]);
    let expansion = expand(&ws, BTreeMap::new());
    assert_eq!(expansion.resources.len(), 1);
    assert_eq!(
        expansion.resources[0].address,
        "aws_elasticache_cluster.c[*]"
    );
    assert!(
        matches!(&expansion.resources[0].key, InstanceKey::Unknown(reason) if reason.contains("no default"))
    );
}

#[test]
fn a_local_module_is_evaluated_with_the_callers_arguments() {
    let ws = workspace(&[
        (
            "root/main.tf",
            "variable \"p\" { default = 6379 }\nmodule \"cache\" {\n  source = \"./modules/cache\"\n  count  = 1\n  port   = var.p\n}\n",
        ),
        (
            "root/modules/cache/main.tf",
            "variable \"port\" { default = 1 }\nvariable \"engine\" { default = \"redis\" }\nresource \"aws_elasticache_cluster\" \"this\" {\n  port   = var.port\n  engine = var.engine\n}\n",
        ),
    ]);
    assert_eq!(ws.modules.len(), 2);
    assert_eq!(
        values_of(&ws, "port"),
        ["module.cache[0].aws_elasticache_cluster.this: 6379"]
    );
    assert_eq!(
        values_of(&ws, "engine"),
        ["module.cache[0].aws_elasticache_cluster.this: \"redis\""]
    );
    let trace = trace_of(&ws, "port");
    assert_eq!(trace[1], "module `cache` is called with `port` = 6379");
    assert_eq!(trace[2], "variable `p` defaults to 6379 (main.tf)");
}

#[test]
fn a_remote_module_is_noted_once_and_not_fetched() {
    let ws = workspace(&[(
        "root/main.tf",
        "module \"redis\" {\n  source = \"cloudposse/elasticache-redis/aws\"\n  port = 6379\n}\n",
    )]);
    let notes: Vec<_> = ws
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.severity == Severity::Note)
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].diagnostic.message.contains("not fetched"));
    let span = notes[0].diagnostic.primary_span().unwrap();
    assert_eq!(
        text_at(&ws, notes[0].file.unwrap(), span),
        "\"cloudposse/elasticache-redis/aws\""
    );
    assert!(expand(&ws, BTreeMap::new()).resources.is_empty());
}

#[test]
fn a_member_cluster_keeps_its_replication_group_reference_unknown() {
    let ws = workspace(&[(
        "root/main.tf",
        "resource \"aws_elasticache_replication_group\" \"g\" {\n  port = 6380\n}\nresource \"aws_elasticache_cluster\" \"member\" {\n  replication_group_id = aws_elasticache_replication_group.g.id\n}\n",
    )]);
    let values = values_of(&ws, "replication_group_id");
    assert_eq!(values[0], "aws_elasticache_replication_group.g: unset");
    assert!(values[1].contains("known only after apply"), "{values:?}");
    // The reference names the group, which the mapping onto the model follows.
    let block = &ws.root().resources[1].block;
    let text = text_at(
        &ws,
        block.file,
        block.attr("replication_group_id").unwrap().value_span(),
    );
    assert_eq!(text, "aws_elasticache_replication_group.g.id");
}

#[test]
fn json_configuration_is_read_with_spans() {
    let ws = workspace(&[(
        "root/main.tf.json",
        r#"{
  "variable": { "port": { "default": 6379 } },
  "resource": { "aws_elasticache_cluster": { "c": { "engine": "redis", "port": "${var.port}" } } }
}"#,
    )]);
    assert_eq!(values_of(&ws, "port"), ["aws_elasticache_cluster.c: 6379"]);
    let block = &ws.root().resources[0].block;
    assert_eq!(
        text_at(&ws, block.file, block.attr("port").unwrap().value_span()),
        "\"${var.port}\""
    );
}

#[test]
fn a_file_with_a_syntax_error_is_reported_and_the_others_are_read() {
    let ws = workspace(&[
        (
            "root/broken.tf",
            "resource \"a\" \"b\" {\n  port = = 1\n}\n",
        ),
        (
            "root/main.tf",
            "resource \"aws_elasticache_cluster\" \"c\" {\n  port = 6380\n}\n",
        ),
    ]);
    assert_eq!(ws.diagnostics.len(), 1);
    let problem = &ws.diagnostics[0];
    assert_eq!(problem.diagnostic.kind, DiagnosticKind::Syntax);
    assert_eq!(ws.file(problem.file.unwrap()).name(), "root/broken.tf");
    assert_eq!(values_of(&ws, "port"), ["aws_elasticache_cluster.c: 6380"]);
}

#[test]
fn an_argument_written_twice_is_a_located_error() {
    let ws = workspace(&[(
        "root/main.tf",
        "resource \"a\" \"b\" {\n  port = 1\n  port = 2\n}\n",
    )]);
    // hcl-edit rejects it as Terraform does ("attribute redefined").
    let problem = &ws.diagnostics[0].diagnostic;
    assert_eq!(problem.kind, DiagnosticKind::Syntax);
    assert!(problem.message.contains("redefined"), "{}", problem.message);
    assert!((30..=32).contains(&problem.primary_span().unwrap().start));
}

#[test]
fn recursive_locals_are_unknown_not_a_hang() {
    let ws = workspace(&[(
        "root/main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_elasticache_cluster\" \"c\" {\n  port = local.a\n}\n",
    )]);
    let values = values_of(&ws, "port");
    assert!(values[0].contains("refers to itself"), "{values:?}");
}

#[test]
fn a_huge_count_is_capped_with_a_diagnostic() {
    let ws = workspace(&[(
        "root/main.tf",
        "resource \"aws_elasticache_cluster\" \"c\" {\n  count = 1e9\n  port = count.index\n}\n",
    )]);
    let expansion = expand(&ws, BTreeMap::new());
    assert_eq!(expansion.resources.len(), expand::MAX_INSTANCES);
    assert!(
        expansion.diagnostics[0]
            .diagnostic
            .message
            .contains("1000000000 instances")
    );
}

#[test]
fn a_module_calling_itself_is_a_diagnostic_not_a_loop() {
    let ws = workspace(&[
        (
            "root/main.tf",
            "module \"me\" {\n  source = \"./\"\n}\nmodule \"a\" {\n  source = \"./a\"\n}\n",
        ),
        (
            "root/a/main.tf",
            "module \"b\" {\n  source = \"../\"\n}\nresource \"aws_elasticache_cluster\" \"c\" {}\n",
        ),
    ]);
    let expansion = expand(&ws, BTreeMap::new());
    let cycles = expansion
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.message.contains("calls itself"))
        .count();
    assert_eq!(cycles, 2);
    assert_eq!(expansion.resources.len(), 1);
    assert_eq!(
        expansion.resources[0].address,
        "module.a.aws_elasticache_cluster.c"
    );
}

#[test]
fn doubling_locals_stay_within_the_possibility_budget() {
    // Each local doubles the possibilities of the one before; the cap turns
    // the result unknown instead of growing to 2^40.
    let mut text = String::from("variable \"v\" {}\nlocals {\n  l0 = var.v ? 1 : 2\n");
    for i in 1..40 {
        text.push_str(&format!(
            "  l{i} = \"${{local.l{}}}${{var.v{i} ? 1 : 2}}\"\n",
            i - 1
        ));
    }
    text.push_str("}\nresource \"aws_elasticache_cluster\" \"c\" {\n  port = local.l39\n}\n");
    let ws = workspace(&[("root/main.tf", &text)]);
    let values = values_of(&ws, "port");
    assert!(values[0].contains("possible values"), "{values:?}");
}

#[test]
fn a_huge_heredoc_is_read_in_bounded_time() {
    let body = "x".repeat(80).repeat(50_000);
    let text = format!(
        "locals {{\n  doc = <<EOT\n{body}\nEOT\n}}\nresource \"aws_elasticache_cluster\" \"c\" {{\n  port = length(local.doc)\n}}\n"
    );
    let started = std::time::Instant::now();
    let ws = workspace(&[("root/main.tf", &text)]);
    assert_eq!(
        values_of(&ws, "port"),
        ["aws_elasticache_cluster.c: 4000001"]
    );
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn the_comment_above_a_block_is_kept_for_suppressions() {
    let ws = workspace(&[(
        "root/main.tf",
        "# cfn-port-lint: ignore EC-012 legacy clients\nresource \"aws_elasticache_cluster\" \"c\" {}\n",
    )]);
    assert!(
        ws.root().resources[0]
            .block
            .leading_comments
            .contains("ignore EC-012 legacy clients")
    );
}

#[test]
fn for_expressions_filter_and_build_collections() {
    let ws = workspace(&[(
        "root/main.tf",
        r#"variable "caches" { default = { a = { engine = "redis", port = 1 }, b = { engine = "memcached", port = 2 } } }
locals {
  redis = { for name, cache in var.caches : name => cache if cache.engine == "redis" }
  ports = [for cache in var.caches : cache.port + 10]
}
resource "aws_elasticache_cluster" "this" {
  for_each = local.redis
  port     = each.value.port
}
resource "aws_elasticache_cluster" "list" {
  port = local.ports[1]
}
"#,
    )]);
    assert_eq!(
        values_of(&ws, "port"),
        [
            "aws_elasticache_cluster.this[\"a\"]: 1",
            "aws_elasticache_cluster.list: 12"
        ]
    );
}

#[test]
fn a_var_file_overrides_auto_tfvars_and_a_given_value_overrides_both() {
    let mut ws = workspace(&[
        (
            "root/main.tf",
            "variable \"port\" {}\nresource \"aws_elasticache_cluster\" \"c\" {\n  port = var.port\n}\n",
        ),
        ("root/terraform.tfvars", "port = 1\n"),
    ]);
    ws.add_var_file(crate::SourceFile::new(
        "prod.tfvars.json",
        "{\"port\": 2}\n",
    ));
    assert_eq!(values_of(&ws, "port"), ["aws_elasticache_cluster.c: 2"]);
    assert_eq!(
        trace_of(&ws, "port")[1],
        "`prod.tfvars.json` sets `port = 2`"
    );
    let given = BTreeMap::from([("port".to_owned(), TfValue::Number(3.0))]);
    let expansion = expand(&ws, given);
    let port = expansion.argument(&expansion.resources[0], "port").unwrap();
    assert_eq!(port[0].value, TfValue::Number(3.0));
}

#[test]
fn a_member_cluster_finds_the_group_it_refers_to() {
    let ws = workspace(&[(
        "root/main.tf",
        r#"resource "aws_elasticache_replication_group" "g" {
  count = 2
  port  = 6380 + count.index
}
resource "aws_elasticache_cluster" "member" {
  count                = 2
  replication_group_id = aws_elasticache_replication_group.g[count.index].id
}
resource "aws_elasticache_cluster" "other" {
  replication_group_id = "sessions"
}
"#,
    )]);
    let expansion = expand(&ws, BTreeMap::new());
    let find = |address: &str| {
        expansion
            .resources
            .iter()
            .find(|r| r.address == address)
            .unwrap()
    };
    let group = expansion.referenced_instance(
        find("aws_elasticache_cluster.member[1]"),
        "replication_group_id",
        "aws_elasticache_replication_group",
    );
    assert_eq!(
        group.unwrap().address,
        "aws_elasticache_replication_group.g[1]"
    );
    let none = expansion.referenced_instance(
        find("aws_elasticache_cluster.other"),
        "replication_group_id",
        "aws_elasticache_replication_group",
    );
    assert!(none.is_none());
}

#[test]
fn a_variables_declared_type_converts_its_value() {
    let ws = workspace(&[(
        "root/main.tf",
        r#"variable "port" {
  type    = string
  default = 6379
}
variable "count_text" {
  type    = number
  default = "2"
}
resource "aws_elasticache_cluster" "c" {
  count = var.count_text
  port  = var.port
}
"#,
    )]);
    assert_eq!(
        values_of(&ws, "port"),
        [
            "aws_elasticache_cluster.c[0]: \"6379\"",
            "aws_elasticache_cluster.c[1]: \"6379\""
        ]
    );
    assert_eq!(TfValue::from_command_line("6380"), TfValue::Number(6380.0));
    assert_eq!(
        TfValue::from_command_line("redis"),
        TfValue::String("redis".into())
    );
}
