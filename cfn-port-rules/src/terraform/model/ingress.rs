//! Security groups' ingress rules as [`ResourceKind::IngressRule`]
//! resources, in the AWS provider's three shapes
//! (hashicorp/terraform-provider-aws, `internal/service/ec2/`):
//!
//! - `ingress` entries of `aws_security_group` (`vpc_security_group.go`,
//!   `securityGroupRuleNestedBlock`): blocks, `dynamic "ingress"` blocks, or
//!   the argument form `ingress = [{ ... }]` (the set is
//!   `SchemaConfigModeAttr`, so both are accepted), with `protocol`,
//!   `from_port`, `to_port`, `cidr_blocks`, `ipv6_cidr_blocks`,
//!   `prefix_list_ids`. Each becomes a rule named `<group>.ingress[<i>]`;
//! - `aws_security_group_rule` (`vpc_security_group_rule.go`): the same
//!   fields plus `security_group_id` and `type`, which the provider accepts
//!   as `ingress` or `egress` only, case-sensitively
//!   (`validation.StringInSlice(securityGroupRuleType_Values(), false)`);
//!   an egress rule is not a rule of this kind;
//! - `aws_vpc_security_group_ingress_rule` (`vpc_security_group_ingress_rule.go`):
//!   one range each, `ip_protocol`, `from_port`, `to_port`, `cidr_ipv4`,
//!   `cidr_ipv6`, `prefix_list_id`, `security_group_id`.
//!
//! Protocols are kept as written: the provider's `protocolForValue` reads
//! `-1` and `all` (any case) as every protocol and maps numbers to names
//! (`6` is `tcp`, `17` is `udp`), which is the rule's to judge. Sources that
//! are other security groups (`security_groups`, `self`,
//! `source_security_group_id`, `referenced_security_group_id`) are not read:
//! traffic from another group is not exposure.

use std::sync::Arc;

use hcl_edit::expr::Expression;

use super::super::eval::Context;
use super::super::expand::MAX_INSTANCES;
use super::super::module::{Attr, BlockInfo, escape, json_block, unwrap_interpolation};
use super::super::value::TfValue;
use super::{Builder, header_span, neutral};
use crate::diagnostic::Label;
use crate::eval::{Origin, Possibility, Step, Unknown, Value};
use crate::model::{Identity, Instance, Property, Resource, ResourceKind};
use crate::source::{FileId, Span};

/// The argument each rule property is read from, in one shape of rule.
struct Fields {
    protocol: &'static str,
    cidr_ipv4: &'static str,
    cidr_ipv6: &'static str,
    prefix_list: &'static str,
}

/// `aws_security_group`'s `ingress` entries and `aws_security_group_rule`.
const LIST_FIELDS: Fields = Fields {
    protocol: "protocol",
    cidr_ipv4: "cidr_blocks",
    cidr_ipv6: "ipv6_cidr_blocks",
    prefix_list: "prefix_list_ids",
};

/// `aws_vpc_security_group_ingress_rule`: one range per rule.
const SINGLE_FIELDS: Fields = Fields {
    protocol: "ip_protocol",
    cidr_ipv4: "cidr_ipv4",
    cidr_ipv6: "cidr_ipv6",
    prefix_list: "prefix_list_id",
};

/// The type whose rules may be egress rules.
const LEGACY_RULE_TYPE: &str = "aws_security_group_rule";

/// Where an inline rule's fields are read, and how its instance came about.
struct Entry<'b> {
    /// The rule's fields (an `ingress` block, a `dynamic` block's `content`,
    /// an object of the `ingress` argument).
    fields: &'b BlockInfo,
    /// The whole entry as written (for a `dynamic` rule, the `dynamic` block).
    written: &'b BlockInfo,
    /// The context its fields are evaluated in.
    context: Context,
    /// For a rule a `dynamic` block makes: its note and label.
    instance: Option<Instance>,
}

impl<'b> Entry<'b> {
    /// An entry written out in full (an `ingress` block, an object of the
    /// `ingress` argument), evaluated in the group instance's `context`.
    fn written(block: &'b BlockInfo, context: &Context) -> Self {
        Entry {
            fields: block,
            written: block,
            context: context.clone(),
            instance: None,
        }
    }
}

impl Builder<'_, '_> {
    /// Whether this rule instance may admit traffic in: any rule but an
    /// `aws_security_group_rule` whose `type` is `egress` in every case
    /// (or not written, which the provider rejects).
    pub(super) fn may_admit_traffic_in(&self) -> bool {
        if self.type_name != LEGACY_RULE_TYPE {
            return true;
        }
        let Some(attr) = self.block().attr("type") else {
            return false;
        };
        self.expansion
            .evaluator
            .eval_attr(attr, &self.instance.context)
            .iter()
            .any(|p| p.value.to_text().is_none_or(|text| text != "egress"))
    }

    /// The properties of a standalone rule (`aws_security_group_rule`,
    /// `aws_vpc_security_group_ingress_rule`), its group from `security_group_id`.
    pub(super) fn standalone_rule(&self, rule: &mut Resource) {
        let block = self.block();
        let fields = if self.type_name == LEGACY_RULE_TYPE {
            &LIST_FIELDS
        } else {
            &SINGLE_FIELDS
        };
        if let Some(attr) = block.attr("security_group_id") {
            let group = self.evaluated(
                &rule.identity,
                attr,
                &self.instance.context,
                "security_group_id",
            );
            rule.properties.push((Property::Group, group));
        }
        self.read_fields(rule, fields, block, &self.instance.context);
        if self.type_name == LEGACY_RULE_TYPE {
            self.unknown_direction(rule);
        }
    }

    /// An `aws_security_group_rule` whose `type` cannot be told: its ranges
    /// may admit traffic in or out, so they are read as unknown.
    fn unknown_direction(&self, rule: &mut Resource) {
        let Some(attr) = self.block().attr("type") else {
            return;
        };
        let types = self
            .expansion
            .evaluator
            .eval_attr(attr, &self.instance.context);
        if types
            .iter()
            .all(|p| p.value.to_text().is_some_and(|text| text == "ingress"))
        {
            return;
        }
        let reason = match types.iter().find_map(|p| match &p.value {
            TfValue::Unknown(reason) => Some(reason.to_string()),
            _ => None,
        }) {
            Some(reason) => format!(
                "`type` cannot be evaluated ({reason}), so whether the rule admits traffic in is not known"
            ),
            None => "`type` can be `ingress` or another value, so whether the rule admits traffic in is not known".to_owned(),
        };
        for property in [Property::CidrIpv4, Property::CidrIpv6] {
            if let Some((_, values)) = rule.properties.iter_mut().find(|(p, _)| *p == property) {
                *values = vec![unknown_at(&reason, attr.file, attr.value_span())];
            }
        }
    }

    /// The inline rules of a security group instance, in the order written:
    /// the objects of an `ingress` argument, then `ingress` and
    /// `dynamic "ingress"` blocks, each a rule named `<group>.ingress[<i>]`.
    pub(super) fn inline_rules(&self, group: &Resource) -> Vec<Resource> {
        let block = self.block();
        let mut rules = Vec::new();
        if let Some(attr) = block.attr("ingress") {
            self.argument_rules(group, attr, &mut rules);
        }
        for (kind, nested) in &block.blocks {
            match kind.as_str() {
                "ingress" => {
                    let entry = Entry::written(nested, &self.instance.context);
                    rules.push(self.inline_rule(group, rules.len(), &entry));
                }
                "dynamic" if nested.labels.first().is_some_and(|l| l == "ingress") => {
                    self.dynamic_rules(group, nested, &mut rules);
                }
                _ => {}
            }
        }
        rules
    }

    /// `ingress = [{ ... }, ...]` written out: one rule per object. Any
    /// other expression is one rule whose ranges cannot be told.
    fn argument_rules(&self, group: &Resource, attr: &Attr, rules: &mut Vec<Resource>) {
        let objects: Option<Vec<BlockInfo>> = match unwrap_interpolation(&attr.expr) {
            Expression::Array(items) => items
                .iter()
                .map(|item| match item {
                    Expression::Object(_) => json_block(item, attr.file).pop(),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        match objects {
            Some(objects) => {
                for object in &objects {
                    let entry = Entry::written(object, &self.instance.context);
                    rules.push(self.inline_rule(group, rules.len(), &entry));
                }
            }
            None => {
                let written = BlockInfo {
                    file: attr.file,
                    span: attr.value_span(),
                    ..BlockInfo::default()
                };
                let reason = "the `ingress` argument is not a list of objects written out, so its rules are not read";
                rules.push(self.unread_rule(group, rules.len(), &written, reason, attr));
            }
        }
    }

    /// A `dynamic "ingress"` block: one rule per element of a `for_each`
    /// with one known value, its `content` evaluated with the iterator
    /// bound; otherwise one rule whose ranges cannot be told.
    fn dynamic_rules(&self, group: &Resource, dynamic: &BlockInfo, rules: &mut Vec<Resource>) {
        let content = dynamic.blocks.iter().find(|(kind, _)| kind == "content");
        let Some(for_each) = dynamic.attr("for_each") else {
            return;
        };
        let Some((_, content)) = content else {
            return;
        };
        let values =
            self.expansion
                .evaluator
                .eval(&for_each.expr, for_each.file, &self.instance.context);
        let elements = match values.as_slice() {
            [single] => elements_of(&single.value),
            _ => Err("its `for_each` has several possible values".to_owned()),
        }
        .and_then(|elements| {
            // As many as a block's instances, at most: each is a rule to judge.
            if elements.len() > MAX_INSTANCES {
                Err(format!(
                    "its `for_each` has more than {MAX_INSTANCES} elements"
                ))
            } else {
                Ok(elements)
            }
        });
        let elements = match elements {
            Ok(elements) => elements,
            Err(why) => {
                let reason = format!("a `dynamic \"ingress\"` block is not expanded: {why}");
                rules.push(self.unread_rule(group, rules.len(), dynamic, &reason, for_each));
                return;
            }
        };
        let iterator = dynamic
            .attr("iterator")
            .and_then(|attr| match unwrap_interpolation(&attr.expr) {
                Expression::Variable(name) => Some(name.as_str().to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| "ingress".to_owned());
        for (key, value) in elements {
            let name = format!("{}.ingress[{}]", group.identity.name, rules.len());
            let note = format!(
                "`{}` is made by a `dynamic \"ingress\"` block with `{}.key` = {key}",
                escape(&name),
                escape(&iterator)
            );
            let label = Label::secondary(
                for_each.value_span(),
                format!("`{}.value` = {value}", escape(&iterator)),
            )
            .in_file(for_each.file);
            let mut context = self.instance.context.clone();
            let bound = TfValue::Map([("key".to_owned(), key), ("value".to_owned(), value)].into());
            context.bindings.push((Arc::from(iterator.as_str()), bound));
            let entry = Entry {
                fields: content,
                written: dynamic,
                context,
                instance: Some(Instance {
                    note: Arc::from(note),
                    labels: vec![label],
                }),
            };
            rules.push(self.inline_rule(group, rules.len(), &entry));
        }
    }

    /// One inline rule: its identity is the entry, its group the parent.
    fn inline_rule(&self, group: &Resource, index: usize, entry: &Entry<'_>) -> Resource {
        let identity = self.rule_identity(group, index, entry.written);
        let mut rule = Resource::new(ResourceKind::IngressRule, identity);
        rule.existence.clone_from(&group.existence);
        rule.properties.push((Property::Group, vec![parent(group)]));
        self.read_fields(&mut rule, &LIST_FIELDS, entry.fields, &entry.context);
        rule.instance.clone_from(&entry.instance);
        rule
    }

    /// An inline rule whose fields cannot be read: its IPv4 ranges are an
    /// unknown value saying why, at `at`.
    fn unread_rule(
        &self,
        group: &Resource,
        index: usize,
        written: &BlockInfo,
        reason: &str,
        at: &Attr,
    ) -> Resource {
        let identity = self.rule_identity(group, index, written);
        let mut rule = Resource::new(ResourceKind::IngressRule, identity);
        rule.existence.clone_from(&group.existence);
        rule.properties.push((Property::Group, vec![parent(group)]));
        let unknown = unknown_at(reason, at.file, at.value_span());
        rule.properties.push((Property::CidrIpv4, vec![unknown]));
        rule
    }

    fn rule_identity(&self, group: &Resource, index: usize, written: &BlockInfo) -> Identity {
        let header = header_span(self.workspace, written);
        Identity::new(
            format!("{}.ingress[{index}]", group.identity.name),
            group.identity.type_name.clone(),
            written.file,
            header,
        )
        .with_extent(written.span)
        .with_unset_anchor(header)
    }

    /// Protocol, ports and ranges, each property only when written.
    fn read_fields(
        &self,
        rule: &mut Resource,
        fields: &Fields,
        block: &BlockInfo,
        context: &Context,
    ) {
        let read = [
            (Property::Protocol, fields.protocol),
            (Property::FromPort, "from_port"),
            (Property::ToPort, "to_port"),
            (Property::CidrIpv4, fields.cidr_ipv4),
            (Property::CidrIpv6, fields.cidr_ipv6),
            (Property::PrefixList, fields.prefix_list),
        ];
        for (property, argument) in read {
            if let Some(attr) = block.attr(argument) {
                let values = self.evaluated(&rule.identity, attr, context, argument);
                rule.properties.push((property, values));
            }
        }
    }

    fn evaluated(
        &self,
        identity: &Identity,
        attr: &Attr,
        context: &Context,
        argument: &str,
    ) -> Vec<Possibility> {
        let fallback = (attr.file, attr.value_span());
        self.expansion
            .evaluator
            .eval_attr(attr, context)
            .iter()
            .map(|p| neutral(p, fallback, identity, argument))
            .collect()
    }
}

/// The group an inline rule belongs to: a reference to it, at its header.
fn parent(group: &Resource) -> Possibility {
    let identity = &group.identity;
    let reference = Unknown::reference(
        format!("`{}.id` is known only after apply", identity.name),
        identity.file,
        identity.span,
        &identity.name,
        Some(ResourceKind::SecurityGroup),
    );
    Possibility::new(Value::Unknown(reference)).then(Step::new(
        identity.file,
        identity.span,
        Origin::Written,
    ))
}

fn unknown_at(reason: &str, file: FileId, span: Span) -> Possibility {
    Possibility::new(Value::Unknown(Unknown::new(reason, file, span))).then(Step::new(
        file,
        span,
        Origin::Written,
    ))
}

/// The `(key, value)` pairs a `dynamic` block iterates over: a list's
/// indexes, a map's keys.
fn elements_of(collection: &TfValue) -> Result<Vec<(TfValue, TfValue)>, String> {
    match collection {
        TfValue::List(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, item)| (TfValue::Number(i as f64), item.clone()))
            .collect()),
        TfValue::Map(entries) => Ok(entries
            .iter()
            .map(|(key, value)| (TfValue::String(key.clone()), value.clone()))
            .collect()),
        TfValue::Unknown(reason) => Err(format!("its `for_each` cannot be evaluated ({reason})")),
        other => Err(format!("its `for_each` is {other}, not a collection")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::READ_ARGUMENTS;
    use super::{LIST_FIELDS, SINGLE_FIELDS};

    /// A field the loader drops would read as "not written".
    #[test]
    fn every_field_of_every_rule_shape_is_kept_by_the_loader() {
        for fields in [&LIST_FIELDS, &SINGLE_FIELDS] {
            let names = [
                fields.protocol,
                fields.cidr_ipv4,
                fields.cidr_ipv6,
                fields.prefix_list,
                "from_port",
                "to_port",
                "security_group_id",
                "type",
                "ingress",
                "dynamic",
                "for_each",
                "iterator",
                "content",
            ];
            for name in names {
                assert!(READ_ARGUMENTS.contains(&name), "`{name}` is not kept");
            }
        }
    }
}
