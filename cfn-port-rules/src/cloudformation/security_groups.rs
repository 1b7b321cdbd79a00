//! Security groups as the neutral model: the groups a cache or database is
//! placed in, each `AWS::EC2::SecurityGroup`, each entry of a group's inline
//! `SecurityGroupIngress` and each standalone `AWS::EC2::SecurityGroupIngress`
//! (one [`ResourceKind::IngressRule`] resource per rule, whatever its shape).
//!
//! Values are the evaluator's possibilities, as for every other property;
//! a group in view is named by a reference ([`Unknown::reference`]) that
//! `Ref` and `Fn::GetAtt … GroupId` yield.

use std::iter;

use foldhash::{HashMap, HashMapExt};

use super::evaluate::Evaluator;
use super::resources::{Context, judged_resource};
use super::template::Resource;
use crate::diagnostic::Label;
use crate::eval::{Origin, Possibility, Scenario, Step, Truth, Unknown, Value};
use crate::model::{self, Identity, Property, ResourceKind, SourceKind};
use crate::source::{FileId, Span};
use crate::syntax::NodeId;

/// A group's list of inline ingress rules.
const INLINE_RULES: &str = "SecurityGroupIngress";

/// The fields of an ingress rule that rules read, by their CloudFormation
/// names, which an inline entry and a standalone rule share. The source
/// groups (`SourceSecurityGroupId`, `SourceSecurityGroupName`) are not read:
/// ingress from another group is not exposure.
const RULE_FIELDS: &[(Property, &str)] = &[
    (Property::Protocol, "IpProtocol"),
    (Property::FromPort, "FromPort"),
    (Property::ToPort, "ToPort"),
    (Property::CidrIpv4, "CidrIp"),
    (Property::CidrIpv6, "CidrIpv6"),
    (Property::PrefixList, "SourcePrefixListId"),
];

/// The security groups a cache or database of `kind` is placed in, if the
/// kind has them: each possibility a list (a single value is read as a
/// list of one), [`Value::Absent`] when not written.
pub(super) fn security_groups(
    evaluator: &Evaluator<'_, '_>,
    resource: &Resource,
    kind: ResourceKind,
) -> Option<(Property, Vec<Possibility>)> {
    let name = kind.property_name(Property::SecurityGroups, SourceKind::CloudFormation)?;
    let values = evaluator
        .property(resource, name)
        .into_iter()
        .map(|possibility| written_first(as_list(possibility)))
        .collect();
    Some((Property::SecurityGroups, values))
}

/// A value that is not a list as a list of one: a template that gives one
/// group where a list is expected deploys it as one.
fn as_list(mut possibility: Possibility) -> Possibility {
    if !matches!(possibility.value, Value::List(_) | Value::Absent) {
        let value = std::mem::replace(&mut possibility.value, Value::Absent);
        possibility.value = Value::List(vec![value]);
    }
    possibility
}

/// The possibility with the node written in the resource as its first
/// step, where a rule puts its label. A `Properties` chosen by `Fn::If`
/// puts the steps that chose it (outside the resource) first.
fn written_first(mut possibility: Possibility) -> Possibility {
    let written = possibility
        .trace
        .iter()
        .position(|step| step.origin == Origin::Written);
    if let Some(i) = written.filter(|&i| i > 0) {
        let step = possibility.trace.remove(i);
        possibility.trace.insert(0, step);
    }
    possibility
}

/// The properties of a standalone `AWS::EC2::SecurityGroupIngress`: its
/// group (`GroupId`, or `GroupName` when it has no `GroupId`) and its fields.
pub(super) fn standalone_rule_properties(
    evaluator: &Evaluator<'_, '_>,
    resource: &Resource,
) -> Vec<(Property, Vec<Possibility>)> {
    let unwritten = |values: &[Possibility]| values.iter().all(|p| p.value == Value::Absent);
    let mut group = evaluator.property(resource, "GroupId");
    if unwritten(&group) {
        let by_name = evaluator.property(resource, "GroupName");
        if !unwritten(&by_name) {
            group = by_name;
        }
    }
    iter::once((Property::Group, group))
        .chain(
            RULE_FIELDS
                .iter()
                .map(|&(property, name)| (property, evaluator.property(resource, name))),
        )
        .map(|(property, values)| (property, values.into_iter().map(written_first).collect()))
        .collect()
}

/// An `AWS::EC2::SecurityGroup`: the group, when the rules that run read
/// groups, and its inline rules, when they read rules. A group that cannot
/// be judged (its `Properties` unreadable) yields no rules: it says why.
pub(super) fn group_and_inline_rules(
    cx: &mut Context<'_, '_, '_>,
    resource: &Resource,
    out: &mut Vec<model::Resource>,
) {
    let reads_groups = cx.kinds.contains(&ResourceKind::SecurityGroup);
    let reads_rules = cx.kinds.contains(&ResourceKind::IngressRule);
    if !reads_groups && !reads_rules {
        return;
    }
    let group = judged_resource(cx, resource, ResourceKind::SecurityGroup);
    let rules = if reads_rules && group.not_judged.is_none() {
        inline_rules(cx.evaluator, resource, &group)
    } else {
        Vec::new()
    };
    if reads_groups {
        out.push(group);
    }
    out.extend(rules);
}

/// One entry of a group's inline rules, as the evaluator found it.
struct Entry {
    /// The entry's mapping, or why it is not known.
    what: EntryValue,
    /// Its position in the list.
    index: Option<usize>,
    /// The scenarios in which the list holds it, each with the steps that
    /// chose it (an `Fn::If` branch, the inputs of its condition).
    chosen: Vec<(Scenario, Vec<Step>)>,
}

/// What an entry is: a mapping written in the template, or a value not
/// known before deployment (an imported entry, one past the evaluator's
/// bounds, one that is not a mapping).
enum EntryValue {
    Mapping(NodeId),
    Unknown(Unknown),
}

impl EntryValue {
    /// What tells two entries apart: the mapping, or the unknown's node
    /// and reason.
    fn key(&self) -> (Option<NodeId>, Span, &str) {
        match self {
            EntryValue::Mapping(node) => (Some(*node), Span::default(), ""),
            EntryValue::Unknown(unknown) => (None, unknown.span, &unknown.reason),
        }
    }
}

/// Each inline entry of `group` as an ingress rule of its own.
fn inline_rules(
    evaluator: &Evaluator<'_, '_>,
    resource: &Resource,
    group: &model::Resource,
) -> Vec<model::Resource> {
    // One allowance for the whole list, its entries and their fields, as
    // for any other property: a list of a thousand aliases to a "billion
    // laughs" costs what one does, not a thousand times that. A group has
    // at most 1,000 inbound rules, a few nodes each: far below it.
    evaluator.new_allowance();
    let mut entries: Vec<Entry> = Vec::new();
    // Where each entry is in `entries`: a group may have thousands.
    let mut seen: HashMap<(Option<NodeId>, Span, String), usize> = HashMap::new();
    for (item, index) in inline_items(evaluator, resource) {
        let what = match item.value {
            // `AWS::NoValue`: no entry in this scenario.
            Value::Absent => continue,
            Value::Object(node) => EntryValue::Mapping(node),
            Value::Unknown(unknown) => EntryValue::Unknown(unknown),
            _ => EntryValue::Unknown(Unknown::new(
                format!("an entry of `{INLINE_RULES}` is not a mapping"),
                FileId::FIRST,
                item.trace
                    .first()
                    .map_or(group.identity.span, |step| step.span),
            )),
        };
        let steps = item
            .trace
            .into_iter()
            .filter(|step| step.origin != Origin::Written)
            .collect();
        let choice = (item.scenario, steps);
        let (node, span, reason) = what.key();
        let key = (node, span, reason.to_string());
        match seen.get(&key) {
            Some(&i) => entries[i].chosen.push(choice),
            None => {
                seen.insert(key, entries.len());
                entries.push(Entry {
                    what,
                    index,
                    chosen: vec![choice],
                });
            }
        }
    }
    entries
        .into_iter()
        .filter_map(|entry| inline_rule(evaluator, resource, group, &entry))
        .collect()
}

/// The items of a group's `SecurityGroupIngress`, each with its position.
/// A list written as a list is evaluated item by item, so that an entry's
/// scenarios are its own choices, not their product with the other
/// entries'. A list chosen as a whole (`Fn::If` between lists, a
/// `Properties` chosen by `Fn::If`) is evaluated whole, each item in the
/// scenario of its list.
fn inline_items(
    evaluator: &Evaluator<'_, '_>,
    resource: &Resource,
) -> Vec<(Possibility, Option<usize>)> {
    let doc = evaluator.template().document();
    let written = resource
        .property(doc, INLINE_RULES)
        .and_then(|node| doc.sequence(doc.resolve(node)));
    if let Some(items) = written {
        return items
            .iter()
            .enumerate()
            .flat_map(|(i, &item)| {
                evaluator
                    .value_in(resource, item)
                    .into_iter()
                    .map(move |p| (p, Some(i)))
            })
            .collect();
    }
    let mut out = Vec::new();
    for list in evaluator.property(resource, INLINE_RULES) {
        match list.value {
            Value::List(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    let possibility = Possibility {
                        value: item,
                        scenario: list.scenario.clone(),
                        trace: list.trace.clone(),
                    };
                    out.push((possibility, Some(i)));
                }
            }
            Value::Absent | Value::Unknown(_) => out.push((list, None)),
            _ => {
                let span = list
                    .trace
                    .first()
                    .map_or(resource.id_span, |step| step.span);
                let reason = format!("`{INLINE_RULES}` is not a list");
                let value = Value::Unknown(Unknown::new(reason, FileId::FIRST, span));
                out.push((Possibility { value, ..list }, None));
            }
        }
    }
    out
}

/// The ingress rule one inline entry makes, if it exists in a scenario in
/// which its group does.
fn inline_rule(
    evaluator: &Evaluator<'_, '_>,
    resource: &Resource,
    group: &model::Resource,
    entry: &Entry,
) -> Option<model::Resource> {
    let doc = evaluator.template().document();
    let span = match &entry.what {
        EntryValue::Mapping(node) => doc.span(*node),
        EntryValue::Unknown(unknown) => unknown.span,
    };
    let name = match entry.index {
        Some(i) => format!("{}.{INLINE_RULES}[{i}]", group.identity.name),
        None => format!("{}.{INLINE_RULES}", group.identity.name),
    };
    let kind = ResourceKind::IngressRule;
    let type_name = kind
        .type_name(SourceKind::CloudFormation)
        .unwrap_or_default();
    let mut rule = model::Resource::new(kind, Identity::new(name, type_name, FileId::FIRST, span));
    rule.existence = existence(group, &entry.chosen);
    if rule.existence.is_empty() {
        return None;
    }
    rule.existence_label = group
        .existence_label
        .clone()
        .or_else(|| choice_label(group, &entry.chosen));
    rule.instance.clone_from(&group.instance);
    let fields = RULE_FIELDS.iter().map(|&(property, name)| {
        let values = match &entry.what {
            EntryValue::Mapping(node) => match doc.get_value(*node, name) {
                Some(value) => evaluator.value_in(resource, value),
                None => vec![Possibility::new(Value::Absent)],
            },
            EntryValue::Unknown(unknown) => vec![
                Possibility::new(Value::Unknown(unknown.clone()))
                    .with_step(unknown.span, Origin::Written),
            ],
        };
        (property, values)
    });
    rule.properties = iter::once((Property::Group, vec![parent_group(resource)]))
        .chain(fields)
        .collect();
    Some(rule)
}

/// The group an inline entry belongs to: a reference to it, at its
/// logical id.
fn parent_group(resource: &Resource) -> Possibility {
    let reason = format!(
        "the id of group `{}` is known only after deployment",
        resource.logical_id
    );
    Possibility::new(Value::Unknown(Unknown::reference(
        reason,
        FileId::FIRST,
        resource.id_span,
        &resource.logical_id,
        Some(ResourceKind::SecurityGroup),
    )))
    .with_step(resource.id_span, Origin::Written)
}

/// The scenarios in which an inline entry exists: its group's, each
/// merged with a scenario in which the list holds the entry.
fn existence(group: &model::Resource, chosen: &[(Scenario, Vec<Step>)]) -> Vec<Truth> {
    let mut out: Vec<Truth> = Vec::new();
    for truth in &group.existence {
        for (scenario, steps) in chosen {
            let Some(merged) = truth.scenario.merge(scenario) else {
                continue;
            };
            if out.iter().any(|t| t.scenario == merged) {
                continue;
            }
            let trace = truth.trace.iter().chain(steps).cloned().collect();
            out.push(Truth::new(true, merged, trace));
        }
    }
    out
}

/// For an entry that an `Fn::If` in its group holds only sometimes: a
/// label on the branch that chooses it ("chosen when `Open` holds").
fn choice_label(group: &model::Resource, chosen: &[(Scenario, Vec<Step>)]) -> Option<Label> {
    if chosen
        .iter()
        .any(|(scenario, _)| scenario.is_unconditional())
    {
        return None;
    }
    let extent: Span = group.identity.extent;
    chosen
        .iter()
        .flat_map(|(_, steps)| steps.iter().rev())
        .find(|step| extent.contains(step.span))
        .and_then(|step| {
            let description = step.origin.description()?;
            Some(Label::secondary(step.span, description.clone()))
        })
}

#[cfg(test)]
mod tests;
