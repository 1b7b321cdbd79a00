//! The groups a resource is placed in, and the ingress rules that belong
//! to them: what the model links by reference, indexed once per chunk.

use super::ingress::{PeerKind, may_admit_everyone};
use crate::eval::{Possibility, Scenario, Step, Truth, Value};
use crate::model::{Property, Resource, ResourceKind};
use crate::rules::RuleContext;
use crate::source::{FileId, Span};

/// The security groups in view, and their ingress rules by group name,
/// looked up for every resource a chunk checks.
pub(super) struct Network<'a> {
    pub(super) groups: foldhash::HashMap<&'a str, &'a Resource>,
    pub(super) rules: foldhash::HashMap<&'a str, Vec<&'a Resource>>,
}

impl<'a> Network<'a> {
    pub(super) fn new(cx: &RuleContext<'a>) -> Self {
        let mut network = Network {
            groups: foldhash::HashMap::default(),
            rules: foldhash::HashMap::default(),
        };
        for resource in cx.in_view_resources() {
            match resource.kind {
                ResourceKind::SecurityGroup => {
                    network
                        .groups
                        .insert(resource.identity.name.as_str(), resource);
                }
                ResourceKind::IngressRule if resource.not_judged.is_none() => {
                    for group in resource.property(Property::Group) {
                        if let Value::Unknown(unknown) = &group.value
                            && let Some((name, _)) = unknown.resource()
                        {
                            let rules = network.rules.entry(name).or_default();
                            // A rule whose group is chosen by a condition
                            // names it in several possibilities.
                            if !rules.iter().any(|r| std::ptr::eq(*r, resource)) {
                                rules.push(resource);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        network
    }
}

/// A security group a resource is placed in, in one scenario.
pub(super) struct Placement<'a> {
    /// The group's name in the model.
    pub(super) group: &'a str,
    /// Where the resource names it.
    pub(super) file: FileId,
    pub(super) span: Span,
    pub(super) scenario: Scenario,
    /// The steps that chose the list of groups (a parameter, a condition).
    pub(super) trace: &'a [Step],
}

/// What one ingress rule's fields can be: one possibility of each.
#[derive(Clone, Copy)]
pub(super) struct RuleValues<'a> {
    pub(super) rule: &'a Resource,
    pub(super) existence: &'a Truth,
    pub(super) group: &'a Possibility,
    pub(super) protocol: &'a Possibility,
    pub(super) from: &'a Possibility,
    pub(super) to: &'a Possibility,
    /// The CIDR or prefix-list value that admits the traffic.
    pub(super) peer: &'a Possibility,
    pub(super) peer_kind: PeerKind,
}

/// The groups in view that `resource` is placed in, in each scenario of
/// its list of groups. A group that is not in view (an id, an import, a
/// value chosen at deploy time) is the first reason kept in `unknown`.
pub(super) fn placements<'a>(
    network: &Network<'_>,
    resource: &'a Resource,
    groups: &'a [Possibility],
    unknown: &mut Option<(String, FileId, Span)>,
) -> Vec<Placement<'a>> {
    let mut out = Vec::new();
    let written = |p: &Possibility| {
        p.trace.first().map_or(
            (resource.identity.file, resource.identity.unset_anchor),
            |s| (s.file, s.span),
        )
    };
    for possibility in groups {
        let items: &[Value] = match &possibility.value {
            // No group: the VPC's default group, which is not in view and
            // admits only its own members unless changed elsewhere.
            Value::Absent => continue,
            Value::List(items) => items,
            single => std::slice::from_ref(single),
        };
        for item in items {
            match group_reference(network, item) {
                Ok((group, file, span)) => out.push(Placement {
                    group,
                    file,
                    span,
                    scenario: possibility.scenario.clone(),
                    trace: &possibility.trace,
                }),
                Err(reason) => {
                    let (file, span) = match item {
                        Value::Unknown(u) => (u.file, u.span),
                        _ => written(possibility),
                    };
                    unknown.get_or_insert((reason, file, span));
                }
            }
        }
    }
    out
}

/// The group in view an item of a list of groups names, with where it is
/// named; or why the item names no group in view.
pub(super) fn group_reference<'a>(
    network: &Network<'_>,
    item: &'a Value,
) -> Result<(&'a str, FileId, Span), String> {
    match item {
        Value::Unknown(unknown) => match unknown.resource() {
            Some((name, Some(ResourceKind::SecurityGroup)))
                if network.groups.contains_key(name) =>
            {
                match &network.groups[name].not_judged {
                    // Its rules could not be read: it may admit anyone.
                    Some(not_judged) => Err(format!(
                        "its security group `{name}` cannot be read, so who can reach its port cannot be told: {}",
                        not_judged.reason
                    )),
                    None => Ok((name, unknown.file, unknown.span)),
                }
            }
            Some((name, _)) => Err(format!(
                "it is placed in `{name}`, which is not a security group in view, so who can reach its port cannot be told"
            )),
            None => Err(format!(
                "one of its security groups cannot be determined, so who can reach its port cannot be told: {}",
                unknown.reason
            )),
        },
        Value::String(id) => Err(format!(
            "it is placed in security group `{id}`, which is not in view, so who can reach its port cannot be told"
        )),
        _ => Err("one of its security groups is not a group id or a reference to one".into()),
    }
}

/// Every combination of one possibility of each field of the ingress rules
/// that belong to `placement`'s group and admit a range that is, or may
/// be, the whole internet (or a prefix list): the candidates a port is
/// compared with.
pub(super) fn open_rules<'a>(
    network: &Network<'a>,
    placement: &Placement<'_>,
) -> impl Iterator<Item = RuleValues<'a>> {
    let group = placement.group;
    network
        .rules
        .get(group)
        .into_iter()
        .flatten()
        .flat_map(move |rule| rule_values(rule, group))
}

pub(super) fn rule_values<'a>(rule: &'a Resource, group: &str) -> Vec<RuleValues<'a>> {
    let Some(groups) = rule.read(Property::Group) else {
        return Vec::new();
    };
    let belongs = |p: &&Possibility| matches!(&p.value, Value::Unknown(u) if u.resource().is_some_and(|(name, _)| name == group));
    let peers = [
        (Property::CidrIpv4, PeerKind::Ipv4),
        (Property::CidrIpv6, PeerKind::Ipv6),
        (Property::PrefixList, PeerKind::PrefixList),
    ];
    let mut out = Vec::new();
    for group in groups.iter().filter(belongs) {
        for (property, peer_kind) in peers {
            let Some(values) = rule.read(property) else {
                continue;
            };
            for peer in values
                .iter()
                .filter(|p| may_admit_everyone(&p.value, peer_kind))
            {
                for existence in &rule.existence {
                    for protocol in rule.property(Property::Protocol) {
                        for from in rule.property(Property::FromPort) {
                            for to in rule.property(Property::ToPort) {
                                out.push(RuleValues {
                                    rule,
                                    existence,
                                    group,
                                    protocol,
                                    from,
                                    to,
                                    peer,
                                    peer_kind,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out
}
