//! Security groups, their ingress rules and the groups caches and databases
//! are placed in, as the neutral model holds them (what the exposure rule reads).

use std::collections::BTreeMap;

use super::model::{READ_ARGUMENTS, to_model, to_model_of};
use super::*;
use crate::eval::Value;
use crate::model::{Model, Property, Resource, ResourceKind};

/// Loads like the linter (only [`READ_ARGUMENTS`] kept) and builds the model.
fn model_of(files: &[(&str, &str)]) -> (Workspace, Model) {
    let reader = files
        .iter()
        .fold(MemoryReader::new(), |reader, (path, text)| {
            let (dir, name) = path.rsplit_once('/').unwrap_or((".", path));
            reader.with_file(dir, name, text)
        });
    let workspace = Workspace::load_arguments("root", &reader, READ_ARGUMENTS);
    let model = to_model(&expand(&workspace, BTreeMap::new()));
    (workspace, model)
}

fn resource<'m>(model: &'m Model, name: &str) -> &'m Resource {
    model
        .resources
        .iter()
        .find(|r| r.identity.name == name)
        .unwrap_or_else(|| panic!("no resource {name} in {:?}", names(model)))
}

fn names(model: &Model) -> Vec<String> {
    model
        .resources
        .iter()
        .map(|r| format!("{:?} {}", r.kind, r.identity.name))
        .collect()
}

/// A value in short: `ref <name>` for a reference to a resource in view.
fn show(value: &Value) -> String {
    match value {
        Value::Unknown(unknown) => match unknown.resource() {
            Some((name, kind)) => format!("ref {name} ({kind:?})"),
            None => format!("unknown: {}", unknown.reason),
        },
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Value::String(text) => format!("{text:?}"),
        Value::Number(text) => text.to_string(),
        Value::Absent => "absent".to_owned(),
        other => format!("{other:?}"),
    }
}

/// Each possibility of a property: its value and the text its trace
/// starts at.
fn property(workspace: &Workspace, resource: &Resource, property: Property) -> Vec<String> {
    resource
        .property(property)
        .iter()
        .map(|p| match p.trace.first() {
            Some(step) => format!(
                "{} at `{}`",
                show(&p.value),
                workspace.file(step.file).slice(step.span)
            ),
            None => show(&p.value),
        })
        .collect()
}

/// The spans of the references in a value, as written.
fn reference_texts(workspace: &Workspace, value: &Value) -> Vec<String> {
    match value {
        Value::List(items) => items
            .iter()
            .flat_map(|item| reference_texts(workspace, item))
            .collect(),
        Value::Unknown(unknown) if unknown.resource().is_some() => {
            vec![workspace.file(unknown.file).slice(unknown.span).to_owned()]
        }
        _ => Vec::new(),
    }
}

const REDIS_OPEN: &str = r#"
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    protocol    = "tcp"
    from_port   = 6379
    to_port     = 6379
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_elasticache_replication_group" "cache" {
  engine             = "redis"
  security_group_ids = [aws_security_group.web.id]
}
"#;

#[test]
fn an_inline_ingress_block_is_a_rule_of_its_group() {
    let (ws, model) = model_of(&[("root/main.tf", REDIS_OPEN)]);
    let group = resource(&model, "aws_security_group.web");
    assert_eq!(group.kind, ResourceKind::SecurityGroup);
    let rule = resource(&model, "aws_security_group.web.ingress[0]");
    assert_eq!(rule.kind, ResourceKind::IngressRule);
    assert_eq!(
        property(&ws, rule, Property::Group),
        [
            "ref aws_security_group.web (Some(SecurityGroup)) at `resource \"aws_security_group\" \"web\"`"
        ]
    );
    assert_eq!(
        property(&ws, rule, Property::Protocol),
        ["\"tcp\" at `\"tcp\"`"]
    );
    assert_eq!(property(&ws, rule, Property::FromPort), ["6379 at `6379`"]);
    assert_eq!(property(&ws, rule, Property::ToPort), ["6379 at `6379`"]);
    assert_eq!(
        property(&ws, rule, Property::CidrIpv4),
        ["[\"0.0.0.0/0\"] at `[\"0.0.0.0/0\"]`"]
    );
    assert_eq!(property(&ws, rule, Property::CidrIpv6), ["absent"]);
    // The rule is the entry: its extent is the block, inside the group's.
    assert_eq!(
        ws.file(rule.identity.file).slice(rule.identity.span),
        "ingress"
    );
    // `egress` blocks are not rules of this kind.
    assert_eq!(
        model
            .resources
            .iter()
            .filter(|r| r.kind == ResourceKind::IngressRule)
            .count(),
        1
    );
}

#[test]
fn a_caches_security_group_ids_refer_to_the_group_by_its_address() {
    let (ws, model) = model_of(&[("root/main.tf", REDIS_OPEN)]);
    let cache = resource(&model, "aws_elasticache_replication_group.cache");
    assert_eq!(
        property(&ws, cache, Property::SecurityGroups),
        ["[ref aws_security_group.web (Some(SecurityGroup))] at `[aws_security_group.web.id]`"]
    );
    let groups = cache.property(Property::SecurityGroups);
    assert_eq!(
        reference_texts(&ws, &groups[0].value),
        ["aws_security_group.web.id"]
    );
}

#[test]
fn indexed_keyed_and_splat_references_name_each_instance() {
    let text = r#"
resource "aws_security_group" "counted" {
  count = 2
}

resource "aws_security_group" "keyed" {
  for_each = toset(["a", "b"])
}

resource "aws_db_instance" "one" {
  engine                 = "postgres"
  vpc_security_group_ids = [aws_security_group.counted[1].id, aws_security_group.keyed["a"].id]
}

resource "aws_db_instance" "all" {
  engine                 = "postgres"
  vpc_security_group_ids = aws_security_group.counted[*].id
}

resource "aws_db_instance" "each" {
  count                  = 2
  engine                 = "postgres"
  vpc_security_group_ids = [aws_security_group.counted[count.index].id]
}

resource "aws_db_instance" "legacy" {
  engine                 = "postgres"
  vpc_security_group_ids = ["${aws_security_group.counted.0.id}"]
}
"#;
    let (ws, model) = model_of(&[("root/main.tf", text)]);
    let groups = |name: &str| {
        resource(&model, name)
            .property(Property::SecurityGroups)
            .iter()
            .map(|p| show(&p.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        groups("aws_db_instance.one"),
        [
            "[ref aws_security_group.counted[1] (Some(SecurityGroup)), ref aws_security_group.keyed[\"a\"] (Some(SecurityGroup))]"
        ]
    );
    assert_eq!(
        groups("aws_db_instance.all"),
        [
            "[ref aws_security_group.counted[0] (Some(SecurityGroup)), ref aws_security_group.counted[1] (Some(SecurityGroup))]"
        ]
    );
    assert_eq!(
        groups("aws_db_instance.each[1]"),
        ["[ref aws_security_group.counted[1] (Some(SecurityGroup))]"]
    );
    assert_eq!(
        groups("aws_db_instance.legacy"),
        ["[ref aws_security_group.counted[0] (Some(SecurityGroup))]"]
    );
    // Every name is a resource of the model.
    for name in [
        "aws_security_group.counted[0]",
        "aws_security_group.counted[1]",
        "aws_security_group.keyed[\"a\"]",
    ] {
        assert_eq!(resource(&model, name).kind, ResourceKind::SecurityGroup);
    }
    let all = resource(&model, "aws_db_instance.all").property(Property::SecurityGroups);
    assert_eq!(
        reference_texts(&ws, &all[0].value),
        [
            "aws_security_group.counted[*].id",
            "aws_security_group.counted[*].id"
        ]
    );
}

#[test]
fn a_group_whose_instances_cannot_be_told_is_referred_to_as_all_of_them() {
    let text = r#"
variable "groups" {}

resource "aws_security_group" "web" {
  count = var.groups
}

resource "aws_elasticache_cluster" "cache" {
  engine             = "memcached"
  security_group_ids = [aws_security_group.web[0].id]
}
"#;
    let (_, model) = model_of(&[("root/main.tf", text)]);
    let cache = resource(&model, "aws_elasticache_cluster.cache");
    assert_eq!(
        show(&cache.property(Property::SecurityGroups)[0].value),
        "[ref aws_security_group.web[*] (Some(SecurityGroup))]"
    );
    assert_eq!(
        resource(&model, "aws_security_group.web[*]").kind,
        ResourceKind::SecurityGroup
    );
}

#[test]
fn references_in_a_module_and_through_its_arguments_carry_the_full_address() {
    let root = r#"
resource "aws_security_group" "app" {}

module "cache" {
  source             = "./cache"
  security_group_ids = [aws_security_group.app.id]
}
"#;
    let module = r#"
variable "security_group_ids" {}

resource "aws_security_group" "own" {}

resource "aws_elasticache_cluster" "passed" {
  engine             = "memcached"
  security_group_ids = var.security_group_ids
}

resource "aws_elasticache_cluster" "own" {
  engine             = "memcached"
  security_group_ids = [aws_security_group.own.id]
}
"#;
    let (ws, model) = model_of(&[("root/main.tf", root), ("root/cache/main.tf", module)]);
    let passed = resource(&model, "module.cache.aws_elasticache_cluster.passed");
    assert_eq!(
        show(&passed.property(Property::SecurityGroups)[0].value),
        "[ref aws_security_group.app (Some(SecurityGroup))]"
    );
    let groups = passed.property(Property::SecurityGroups);
    // The reference is written in the caller.
    assert_eq!(
        reference_texts(&ws, &groups[0].value),
        ["aws_security_group.app.id"]
    );
    let own = resource(&model, "module.cache.aws_elasticache_cluster.own");
    assert_eq!(
        show(&own.property(Property::SecurityGroups)[0].value),
        "[ref module.cache.aws_security_group.own (Some(SecurityGroup))]"
    );
    assert_eq!(
        resource(&model, "module.cache.aws_security_group.own").kind,
        ResourceKind::SecurityGroup
    );
}

#[test]
fn groups_not_in_view_are_literal_ids_or_unknown_with_a_reason() {
    let text = r#"
variable "group" {}

data "aws_security_group" "shared" {
  name = "shared"
}

module "network" {
  source = "terraform-aws-modules/security-group/aws"
}

resource "aws_db_instance" "db" {
  engine = "mysql"
  vpc_security_group_ids = [
    "sg-0123456789abcdef0",
    data.aws_security_group.shared.id,
    var.group,
    module.network.security_group_id,
    aws_security_group.missing.id,
  ]
}

resource "aws_db_instance" "single" {
  engine                 = "mysql"
  vpc_security_group_ids = var.group
}

resource "aws_db_instance" "unset" {
  engine = "mysql"
}
"#;
    let (ws, model) = model_of(&[("root/main.tf", text)]);
    let db = resource(&model, "aws_db_instance.db");
    let Value::List(items) = &db.property(Property::SecurityGroups)[0].value else {
        panic!("a list")
    };
    let shown: Vec<String> = items.iter().map(show).collect();
    assert_eq!(
        shown,
        [
            "\"sg-0123456789abcdef0\"",
            "unknown: data source `data.aws_security_group.shared` is read when Terraform plans",
            "unknown: variable `group` has no default and no value is given",
            "unknown: outputs of `module.network` are not evaluated",
            "unknown: no `aws_security_group` block named `missing` is declared in this module (Terraform rejects the reference)",
        ]
    );
    assert_eq!(
        property(
            &ws,
            resource(&model, "aws_db_instance.single"),
            Property::SecurityGroups
        ),
        ["[unknown: variable `group` has no default and no value is given] at `var.group`"]
    );
    assert_eq!(
        property(
            &ws,
            resource(&model, "aws_db_instance.unset"),
            Property::SecurityGroups
        ),
        ["absent"]
    );
}

#[test]
fn standalone_rules_name_their_group_and_egress_rules_are_left_out() {
    let text = r#"
variable "direction" {}

resource "aws_security_group" "db" {}

resource "aws_security_group_rule" "v6" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  ipv6_cidr_blocks  = ["::/0"]
}

resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = aws_security_group.db.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "either" {
  type              = var.direction
  security_group_id = aws_security_group.db.id
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "listed" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  prefix_list_id    = "pl-0123456789abcdef0"
}
"#;
    let (ws, model) = model_of(&[("root/main.tf", text)]);
    let v6 = resource(&model, "aws_security_group_rule.v6");
    assert_eq!(v6.kind, ResourceKind::IngressRule);
    assert_eq!(v6.identity.type_name, "aws_security_group_rule");
    assert_eq!(
        property(&ws, v6, Property::Group),
        ["ref aws_security_group.db (Some(SecurityGroup)) at `aws_security_group.db.id`"]
    );
    assert_eq!(
        property(&ws, v6, Property::CidrIpv6),
        ["[\"::/0\"] at `[\"::/0\"]`"]
    );
    assert_eq!(
        property(&ws, v6, Property::Protocol),
        ["\"tcp\" at `\"tcp\"`"]
    );
    assert!(
        model
            .resources
            .iter()
            .all(|r| r.identity.name != "aws_security_group_rule.out"),
        "an egress rule is not an ingress rule"
    );
    let either = resource(&model, "aws_security_group_rule.either");
    assert_eq!(
        property(&ws, either, Property::CidrIpv4),
        [
            "unknown: `type` cannot be evaluated (variable `direction` has no default and no value is given), so whether the rule admits traffic in is not known at `var.direction`"
        ]
    );
    let all = resource(&model, "aws_vpc_security_group_ingress_rule.all");
    assert_eq!(
        property(&ws, all, Property::Protocol),
        ["\"-1\" at `\"-1\"`"]
    );
    assert_eq!(property(&ws, all, Property::FromPort), ["absent"]);
    assert_eq!(
        property(&ws, all, Property::CidrIpv4),
        ["\"0.0.0.0/0\" at `\"0.0.0.0/0\"`"]
    );
    let listed = resource(&model, "aws_vpc_security_group_ingress_rule.listed");
    assert_eq!(
        property(&ws, listed, Property::Group),
        ["\"sg-0123456789abcdef0\" at `\"sg-0123456789abcdef0\"`"]
    );
    assert_eq!(
        property(&ws, listed, Property::PrefixList),
        ["\"pl-0123456789abcdef0\" at `\"pl-0123456789abcdef0\"`"]
    );
}

#[test]
fn a_dynamic_ingress_block_over_a_known_collection_is_one_rule_per_element() {
    let text = r#"
variable "ports" {
  default = [6379, 6380]
}

resource "aws_security_group" "web" {
  ingress {
    protocol        = "tcp"
    from_port       = 22
    to_port         = 22
    security_groups = ["sg-0123456789abcdef0"]
  }

  dynamic "ingress" {
    for_each = var.ports
    iterator = port
    content {
      protocol    = "tcp"
      from_port   = port.value
      to_port     = port.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
"#;
    let (ws, model) = model_of(&[("root/main.tf", text)]);
    let first = resource(&model, "aws_security_group.web.ingress[0]");
    assert_eq!(property(&ws, first, Property::CidrIpv4), ["absent"]);
    let second = resource(&model, "aws_security_group.web.ingress[1]");
    assert_eq!(
        property(&ws, second, Property::FromPort),
        ["6379 at `port.value`"]
    );
    let third = resource(&model, "aws_security_group.web.ingress[2]");
    assert_eq!(
        property(&ws, third, Property::ToPort),
        ["6380 at `port.value`"]
    );
    assert_eq!(
        property(&ws, third, Property::CidrIpv4),
        ["[\"0.0.0.0/0\"] at `[\"0.0.0.0/0\"]`"]
    );
    assert_eq!(
        ws.file(third.identity.file).slice(third.identity.span),
        "dynamic \"ingress\""
    );
    let note = &third.instance.as_ref().expect("an instance note").note;
    assert_eq!(
        &**note,
        "`aws_security_group.web.ingress[2]` is made by a `dynamic \"ingress\"` block with `port.key` = 1"
    );
}

#[test]
fn a_dynamic_ingress_block_that_cannot_be_expanded_is_one_rule_with_unknown_ranges() {
    let text = r#"
variable "rules" {}

resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      protocol    = "tcp"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = ingress.value.cidrs
    }
  }
}
"#;
    let (ws, model) = model_of(&[("root/main.tf", text)]);
    let rule = resource(&model, "aws_security_group.web.ingress[0]");
    assert_eq!(
        property(&ws, rule, Property::CidrIpv4),
        [
            "unknown: a `dynamic \"ingress\"` block is not expanded: its `for_each` cannot be evaluated (variable `rules` has no default and no value is given) at `var.rules`"
        ]
    );
    assert_eq!(
        property(&ws, rule, Property::Group),
        [
            "ref aws_security_group.web (Some(SecurityGroup)) at `resource \"aws_security_group\" \"web\"`"
        ]
    );
}

#[test]
fn the_ingress_argument_written_as_a_list_of_objects_is_read_entry_by_entry() {
    let text = r#"
resource "aws_security_group" "web" {
  ingress = [
    {
      protocol         = "udp"
      from_port        = 11211
      to_port          = 11211
      cidr_blocks      = ["0.0.0.0/0"]
      ipv6_cidr_blocks = []
      prefix_list_ids  = []
      security_groups  = []
      self             = false
      description      = "memcached"
    },
  ]
}

resource "aws_security_group" "computed" {
  ingress = var.rules
}
"#;
    let (ws, model) = model_of(&[("root/main.tf", text)]);
    let rule = resource(&model, "aws_security_group.web.ingress[0]");
    assert_eq!(
        property(&ws, rule, Property::Protocol),
        ["\"udp\" at `\"udp\"`"]
    );
    assert_eq!(
        property(&ws, rule, Property::CidrIpv4),
        ["[\"0.0.0.0/0\"] at `[\"0.0.0.0/0\"]`"]
    );
    let computed = resource(&model, "aws_security_group.computed.ingress[0]");
    assert_eq!(
        property(&ws, computed, Property::CidrIpv4),
        [
            "unknown: the `ingress` argument is not a list of objects written out, so its rules are not read at `var.rules`"
        ]
    );
}

#[test]
fn groups_and_rules_are_built_only_when_a_rule_reads_them() {
    let reader = MemoryReader::new().with_file("root", "main.tf", REDIS_OPEN);
    let workspace = Workspace::load_arguments("root", &reader, READ_ARGUMENTS);
    let expansion = expand(&workspace, BTreeMap::new());
    let caches_only = to_model_of(&expansion, ResourceKind::listens);
    assert_eq!(
        names(&caches_only),
        ["ElastiCacheReplicationGroup aws_elasticache_replication_group.cache"]
    );
    let rules_only = to_model_of(&expansion, |kind| kind == ResourceKind::IngressRule);
    assert_eq!(
        names(&rules_only),
        ["IngressRule aws_security_group.web.ingress[0]"]
    );
}

#[test]
fn a_group_a_module_may_create_is_followed_through_try_and_compact() {
    // The shape of the community modules: the module's own group when it
    // creates one, then the caller's.
    let text = r#"
variable "create_security_group" {
  default = true
}

variable "vpc_security_group_ids" {
  default = []
}

resource "aws_security_group" "this" {
  count = var.create_security_group ? 1 : 0
}

resource "aws_rds_cluster" "this" {
  engine                 = "aurora-postgresql"
  vpc_security_group_ids = compact(concat([try(aws_security_group.this[0].id, "")], var.vpc_security_group_ids))
}

resource "aws_rds_cluster" "none" {
  engine                 = "aurora-postgresql"
  vpc_security_group_ids = compact([try(aws_security_group.this[1].id, ""), null])
}
"#;
    let (_, model) = model_of(&[("root/main.tf", text)]);
    let groups =
        |name: &str| show(&resource(&model, name).property(Property::SecurityGroups)[0].value);
    assert_eq!(
        groups("aws_rds_cluster.this"),
        "[ref aws_security_group.this[0] (Some(SecurityGroup))]"
    );
    // `[1]` is not an instance the block makes: `try` falls back to "".
    assert_eq!(groups("aws_rds_cluster.none"), "[]");
}

#[test]
fn json_syntax_groups_rules_and_references_are_read_alike() {
    let text = r#"{
  "resource": {
    "aws_security_group": {
      "web": {
        "ingress": [
          {
            "protocol": "tcp",
            "from_port": 6379,
            "to_port": 6379,
            "cidr_blocks": ["0.0.0.0/0"]
          }
        ]
      }
    },
    "aws_elasticache_replication_group": {
      "cache": {
        "engine": "redis",
        "security_group_ids": ["${aws_security_group.web.id}"]
      }
    }
  }
}
"#;
    let (ws, model) = model_of(&[("root/main.tf.json", text)]);
    let rule = resource(&model, "aws_security_group.web.ingress[0]");
    assert_eq!(
        property(&ws, rule, Property::CidrIpv4),
        ["[\"0.0.0.0/0\"] at `[\"0.0.0.0/0\"]`"]
    );
    assert_eq!(property(&ws, rule, Property::FromPort), ["6379 at `6379`"]);
    let cache = resource(&model, "aws_elasticache_replication_group.cache");
    assert_eq!(
        show(&cache.property(Property::SecurityGroups)[0].value),
        "[ref aws_security_group.web (Some(SecurityGroup))]"
    );
}

#[test]
fn a_dynamic_ingress_block_over_too_many_elements_is_not_expanded() {
    let ports: Vec<String> = (0..=1_000).map(|i| i.to_string()).collect();
    let text = format!(
        r#"
resource "aws_security_group" "web" {{
  dynamic "ingress" {{
    for_each = [{}]
    content {{
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
    }}
  }}
}}
"#,
        ports.join(", ")
    );
    let (_, model) = model_of(&[("root/main.tf", &text)]);
    let rules: Vec<&Resource> = model
        .resources
        .iter()
        .filter(|r| r.kind == ResourceKind::IngressRule)
        .collect();
    assert_eq!(rules.len(), 1);
    assert_eq!(
        show(&rules[0].property(Property::CidrIpv4)[0].value),
        "unknown: a `dynamic \"ingress\"` block is not expanded: its `for_each` has more than 1000 elements"
    );
}

#[test]
fn a_local_modules_output_that_hands_out_a_group_is_followed() {
    let root = r#"
module "network" {
  source = "./network"
}

resource "aws_db_instance" "db" {
  engine                 = "postgres"
  vpc_security_group_ids = [module.network.group_id, module.network.name]
}
"#;
    let network = r#"
resource "aws_security_group" "db" {}

output "group_id" {
  value = aws_security_group.db.id
}

output "name" {
  value = "db-${aws_security_group.db.id}"
}
"#;
    let (ws, model) = model_of(&[("root/main.tf", root), ("root/network/main.tf", network)]);
    let db = resource(&model, "aws_db_instance.db");
    assert_eq!(
        show(&db.property(Property::SecurityGroups)[0].value),
        "[ref module.network.aws_security_group.db (Some(SecurityGroup)), unknown: outputs of `module.network` are not evaluated]"
    );
    // The reference points where the module writes it.
    let groups = db.property(Property::SecurityGroups);
    assert_eq!(
        reference_texts(&ws, &groups[0].value),
        ["aws_security_group.db.id"]
    );
}
