//! CPL-005: a cache or database whose security group admits everyone
//! (`0.0.0.0/0`, `::/0`) on the port it listens on.
//!
//! The port is the one the default-port judgement works out
//! ([`super::default_port`]): a written port, or the engine's default when
//! it is unset, in every configuration. It is joined with the ingress rules
//! of the groups the resource is placed in ([`Property::SecurityGroups`]):
//! rules that belong to a group in view ([`Property::Group`]), whose
//! protocol and port range carry the port, and whose ranges are the whole
//! internet. Every combination of scenarios that can exist is judged; the
//! first exposed one is the finding, the others' configurations are named
//! in a note. What is not in view (a group given by id, imported or chosen
//! at deploy time; a prefix list; a range not known before deployment)
//! makes the exposure undetermined, never a guessed finding.

use std::borrow::Cow;
use std::net::IpAddr;
use std::sync::Arc;

use super::default_port::{DefaultPortRule, Listening, ListeningPort};
use super::{RiskLevel, Rule, RuleContext, RuleMeta};
use crate::diagnostic::{Label, Severity};
use crate::eval::{Possibility, Scenario, Step, Truth, Value, parse_int};
use crate::model::{Property, Resource, ResourceKind, SourceKind};
use crate::report::Finding;
use crate::source::{FileId, Span};

/// Checks that no cache or database, from any source, is placed in a
/// security group that admits the whole internet on its port; `META` holds
/// its metadata and documentation.
#[derive(Debug)]
pub struct PortOpenToEveryone;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "CPL-005",
    name: "port-open-to-everyone",
    title: "Cache or Database Port Open to Everyone",
    summary: "A cache or database must not be placed in a security group that admits 0.0.0.0/0 or ::/0 on the port it listens on.",
    default_severity: Severity::Error,
    risk_level: RiskLevel::VeryHigh,
    compliance: &[],
    well_architected: &["Security"],
    kinds: KINDS,
    documentation: include_str!("exposure.md"),
    remediation: "admit only the clients that need the port: name their security group as the rule's source, or their private address range, \
                  instead of 0.0.0.0/0 or ::/0.",
    help_uri: "https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EC2/unrestricted-memcache-access.html",
};

/// Every kind: the caches and databases it judges, and the security groups
/// and ingress rules it follows them to.
const KINDS: &[ResourceKind] = ResourceKind::ALL;

/// The default-port tables, one per kind that listens: the port of a
/// resource whose port is unset is its engine's default in its kind's table.
const TABLES: &[&DefaultPortRule] = &[
    &super::ec012::JUDGEMENT,
    &super::rds011::JUDGEMENT,
    &super::redshift::JUDGEMENT,
    &super::docdb::JUDGEMENT,
    &super::neptune::JUDGEMENT,
    &super::memorydb::JUDGEMENT,
];

/// At most this many combinations of scenarios are judged per resource:
/// the product of a few conditional groups, rules and ports stays far
/// below it, and a hostile input cannot make it grow without bound.
const MAX_COMBINATIONS: usize = 4096;

impl Rule for PortOpenToEveryone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let mut network = None;
        for resource in cx.resources() {
            if resource.kind.listens() && resource.not_judged.is_none() {
                // Most inputs have no group at all: index them only once a
                // resource names one.
                if has_groups(resource) {
                    let network = network.get_or_insert_with(|| Network::new(cx));
                    check_resource(cx, network, resource);
                }
            }
        }
    }
}

/// Whether the resource names any security group in some configuration.
fn has_groups(resource: &Resource) -> bool {
    property_slice(resource, Property::SecurityGroups)
        .is_some_and(|groups| groups.iter().any(|p| p.value != Value::Absent))
}

/// The security groups in view, and their ingress rules by group name,
/// looked up for every resource a chunk checks.
struct Network<'a> {
    groups: foldhash::HashMap<&'a str, &'a Resource>,
    rules: foldhash::HashMap<&'a str, Vec<&'a Resource>>,
}

impl<'a> Network<'a> {
    fn new(cx: &RuleContext<'a>) -> Self {
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
                    for group in possibilities(resource, Property::Group) {
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
struct Placement<'a> {
    /// The group's name in the model.
    group: &'a str,
    /// Where the resource names it.
    file: FileId,
    span: Span,
    scenario: Scenario,
    /// The steps that chose the list of groups (a parameter, a condition).
    trace: &'a [Step],
}

/// What one ingress rule's fields can be: one possibility of each.
#[derive(Clone, Copy)]
struct RuleValues<'a> {
    rule: &'a Resource,
    existence: &'a Truth,
    group: &'a Possibility,
    protocol: &'a Possibility,
    from: &'a Possibility,
    to: &'a Possibility,
    /// The CIDR or prefix-list value that admits the traffic.
    peer: &'a Possibility,
    peer_kind: PeerKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PeerKind {
    Ipv4,
    Ipv6,
    PrefixList,
}

/// An exposure found: the combination and the port it reaches.
struct Exposure<'a> {
    placement: &'a Placement<'a>,
    values: RuleValues<'a>,
    listening: &'a ListeningPort,
    scenario: Scenario,
    /// The whole-internet range admitted (`0.0.0.0/0`).
    range: String,
    protocol: Protocol,
}

fn check_resource(cx: &mut RuleContext<'_>, network: &Network<'_>, resource: &Resource) {
    let groups = resource.property(Property::SecurityGroups);
    let mut unknown: Option<(String, FileId, Span)> = None;
    let placements = placements(network, resource, &groups, &mut unknown);
    let candidates: Vec<(usize, RuleValues<'_>)> = placements
        .iter()
        .enumerate()
        .flat_map(|(i, placement)| open_rules(network, placement).map(move |values| (i, values)))
        .collect();
    if candidates.is_empty() {
        report_unknown(cx, resource, unknown);
        return;
    }
    let Some(table) = TABLES.iter().find(|t| t.kinds.contains(&resource.kind)) else {
        return;
    };
    let (ports, port_unknown) = match table.listening(cx, resource) {
        Listening::ThroughGroup => return,
        Listening::Ports { known, unknown } => (known, unknown),
    };
    let mut exposures = Vec::new();
    let mut combinations = 0usize;
    'judge: for listening in &ports {
        for (i, values) in &candidates {
            combinations += 1;
            if combinations > MAX_COMBINATIONS {
                break 'judge;
            }
            match judge(&placements[*i], values, listening) {
                Judged::Exposed(exposure) => exposures.push(exposure),
                Judged::Unknown(reason) => {
                    unknown.get_or_insert(reason);
                }
                Judged::Closed => {}
            }
        }
    }
    if exposures.is_empty() {
        // A world-open rule whose port could not be compared: the port is
        // what is unknown.
        report_unknown(cx, resource, unknown.or(port_unknown));
        return;
    }
    let finding = build_finding(cx, resource, &exposures);
    cx.report(finding);
}

fn report_unknown(
    cx: &mut RuleContext<'_>,
    resource: &Resource,
    unknown: Option<(String, FileId, Span)>,
) {
    if let Some((reason, file, span)) = unknown {
        cx.undetermined_at(META.id, resource, reason, file, span);
    }
}

/// The groups in view that `resource` is placed in, in each scenario of
/// its list of groups. A group that is not in view (an id, an import, a
/// value chosen at deploy time) is the first reason kept in `unknown`.
fn placements<'a>(
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
fn group_reference<'a>(
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
fn open_rules<'a>(
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

fn rule_values<'a>(rule: &'a Resource, group: &str) -> Vec<RuleValues<'a>> {
    let Some(groups) = property_slice(rule, Property::Group) else {
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
            let Some(values) = property_slice(rule, property) else {
                continue;
            };
            for peer in values
                .iter()
                .filter(|p| may_admit_everyone(&p.value, peer_kind))
            {
                for existence in &rule.existence {
                    for protocol in possibilities(rule, Property::Protocol) {
                        for from in possibilities(rule, Property::FromPort) {
                            for to in possibilities(rule, Property::ToPort) {
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

/// The possibilities of a property the front-end read, or `None` when it
/// did not.
fn property_slice(resource: &Resource, property: Property) -> Option<&[Possibility]> {
    resource
        .properties
        .iter()
        .find(|(p, _)| *p == property)
        .map(|(_, values)| values.as_slice())
}

/// The possibilities of a property, one absent value when it was not read.
fn possibilities(resource: &Resource, property: Property) -> &[Possibility] {
    static ABSENT: std::sync::LazyLock<[Possibility; 1]> =
        std::sync::LazyLock::new(|| [Possibility::new(Value::Absent)]);
    property_slice(resource, property).unwrap_or(&*ABSENT)
}

/// Whether a CIDR value (or list of them) is, or may be, the whole
/// internet; a prefix list's ranges are never in view.
fn may_admit_everyone(value: &Value, kind: PeerKind) -> bool {
    match value {
        Value::Absent | Value::Null => false,
        _ if kind == PeerKind::PrefixList => true,
        Value::Unknown(_) => true,
        Value::List(items) => items.iter().any(|item| may_admit_everyone(item, kind)),
        Value::String(text) => is_everyone(text),
        _ => false,
    }
}

/// Whether `text` is a CIDR block with prefix length 0 (`0.0.0.0/0`,
/// `::/0`, `::0/0`): every address of its family.
fn is_everyone(text: &str) -> bool {
    let Some((address, length)) = text.trim().split_once('/') else {
        return false;
    };
    length == "0" && address.parse::<IpAddr>().is_ok()
}

/// The whole-internet range in a CIDR value, as written.
fn everyone_in(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if is_everyone(text) => Some(text.trim().to_owned()),
        Value::List(items) => items.iter().find_map(everyone_in),
        _ => None,
    }
}

/// The first unknown item of a list of ranges, at any depth.
fn unknown_item(value: &Value) -> Option<&crate::eval::Unknown> {
    match value {
        Value::Unknown(unknown) => Some(unknown),
        Value::List(items) => items.iter().find_map(unknown_item),
        _ => None,
    }
}

/// An ingress rule's protocol, as it bears on a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Protocol {
    /// `-1`, `all`: every protocol and port.
    All,
    Tcp,
    Udp,
    /// Another protocol (ICMP, ...): no port of a cache or database.
    Other,
}

impl Protocol {
    fn read(value: &Value) -> Result<Option<Protocol>, ()> {
        let text = match value {
            Value::String(text) | Value::Number(text) => text.trim().to_ascii_lowercase(),
            Value::Absent => return Ok(None),
            Value::Unknown(_) => return Err(()),
            _ => return Ok(Some(Protocol::Other)),
        };
        Ok(Some(match text.as_str() {
            "-1" | "all" => Protocol::All,
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            _ => Protocol::Other,
        }))
    }

    fn words(self) -> &'static str {
        match self {
            Protocol::All => "every protocol",
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Other => "another protocol",
        }
    }
}

enum Judged<'a> {
    Exposed(Exposure<'a>),
    Unknown((String, FileId, Span)),
    Closed,
}

/// Whether one combination of a port and an ingress rule's values admits
/// everyone on the port, in a scenario that can exist.
fn judge<'a>(
    placement: &'a Placement<'a>,
    values: &RuleValues<'a>,
    listening: &'a ListeningPort,
) -> Judged<'a> {
    let Some(scenario) = merge_all(&[
        &listening.scenario,
        &placement.scenario,
        &values.existence.scenario,
        &values.group.scenario,
        &values.protocol.scenario,
        &values.from.scenario,
        &values.to.scenario,
        &values.peer.scenario,
    ]) else {
        return Judged::Closed;
    };
    let at = |p: &Possibility| {
        p.trace.first().map_or(
            (values.rule.identity.file, values.rule.identity.span),
            |s| (s.file, s.span),
        )
    };
    let unknown = |p: &Possibility, what: &str| {
        let (file, span) = match &p.value {
            Value::Unknown(u) => (u.file, u.span),
            _ => at(p),
        };
        let reason = match &p.value {
            Value::Unknown(u) => format!("{what} cannot be determined: {}", u.reason),
            _ => format!("{what} cannot be determined"),
        };
        Judged::Unknown((reason, file, span))
    };
    let protocol = match Protocol::read(&values.protocol.value) {
        Ok(Some(protocol)) => protocol,
        // Every ingress rule names its protocol: one without is rejected.
        Ok(None) => return Judged::Closed,
        Err(()) => return unknown(values.protocol, "the protocol of an ingress rule"),
    };
    let carries = match protocol {
        Protocol::All | Protocol::Tcp => true,
        // Memcached also listens on UDP; the other engines do not.
        Protocol::Udp => listening.engine == Some("memcached"),
        Protocol::Other => false,
    };
    if !carries {
        return Judged::Closed;
    }
    if protocol != Protocol::All {
        match port_range(values) {
            Ok(Some((from, to))) if (from..=to).contains(&i128::from(listening.port)) => {}
            Ok(Some(_) | None) => return Judged::Closed,
            Err(p) => return unknown(p, "the port range of an ingress rule"),
        }
    }
    let range = match (&values.peer.value, values.peer_kind) {
        (_, PeerKind::PrefixList) => {
            let (file, span) = at(values.peer);
            return Judged::Unknown((
                format!(
                    "an ingress rule of security group `{}` admits a managed prefix list on port {}, whose ranges are not in view",
                    placement.group, listening.port
                ),
                file,
                span,
            ));
        }
        (Value::Unknown(_), _) => {
            return unknown(values.peer, "the address range of an ingress rule");
        }
        (value, _) => match everyone_in(value) {
            Some(range) => range,
            // A list with an item that is unknown: say why that item is.
            None => {
                return match unknown_item(value) {
                    Some(item) => Judged::Unknown((
                        format!(
                            "the address range of an ingress rule cannot be determined: {}",
                            item.reason
                        ),
                        item.file,
                        item.span,
                    )),
                    None => unknown(values.peer, "the address range of an ingress rule"),
                };
            }
        },
    };
    Judged::Exposed(Exposure {
        placement,
        values: *values,
        listening,
        scenario,
        range,
        protocol,
    })
}

/// The port range of a TCP or UDP rule: `-1` at either end means every
/// port, an unwritten range none (the service rejects a TCP or UDP rule
/// without one). `Err` holds the value that cannot be read.
fn port_range<'a>(values: &RuleValues<'a>) -> Result<Option<(i128, i128)>, &'a Possibility> {
    let read = |p: &'a Possibility| match &p.value {
        Value::Absent => Ok(None),
        Value::Number(text) | Value::String(text) => parse_int(text.trim()).map(Some).ok_or(p),
        _ => Err(p),
    };
    let (from, to) = (read(values.from)?, read(values.to)?);
    Ok(match (from, to) {
        (Some(-1), _) | (_, Some(-1)) => Some((0, 65535)),
        (Some(from), Some(to)) => Some((from, to)),
        (Some(port), None) | (None, Some(port)) => Some((port, port)),
        (None, None) => None,
    })
}

fn merge_all(scenarios: &[&Scenario]) -> Option<Scenario> {
    scenarios
        .iter()
        .try_fold(Scenario::default(), |acc, next| acc.merge(next))
}

fn build_finding(
    cx: &mut RuleContext<'_>,
    resource: &Resource,
    exposures: &[Exposure<'_>],
) -> Finding {
    let source = cx.source();
    let first = &exposures[0];
    let port = first.listening.port;
    let group = first.placement.group;
    let mut labels: Vec<Label> = Vec::new();
    let mut push = |label: Label| {
        if !labels
            .iter()
            .any(|l| l.file == label.file && l.span == label.span)
        {
            labels.push(label);
        }
    };
    let (peer_file, peer_span) = first.values.peer.trace.first().map_or(
        (
            first.values.rule.identity.file,
            first.values.rule.identity.span,
        ),
        |s| (s.file, s.span),
    );
    push(
        Label::primary(
            peer_span,
            format!(
                "admits every {} address ({}) on {}",
                if first.values.peer_kind == PeerKind::Ipv6 {
                    "IPv6"
                } else {
                    "IPv4"
                },
                first.range,
                ports_in_words(first.protocol, first.values, port)
            ),
        )
        .in_file(peer_file),
    );
    push(
        Label::secondary(
            first.placement.span,
            format!("placed in security group `{group}`"),
        )
        .in_file(first.placement.file),
    );
    push(port_label(source, resource, first.listening));
    for step in first
        .listening
        .port_value
        .trace
        .iter()
        .chain(&first.listening.existence_trace)
        .chain(first.placement.trace)
        .chain(first.values.peer.trace.iter().skip(1))
        .chain(&first.values.existence.trace)
    {
        if let Some(label) = described(step, resource, first.values.rule) {
            push(label);
        }
    }
    if let (Some(label), false) = (
        &first.values.rule.existence_label,
        first.values.existence.scenario.is_unconditional(),
    ) {
        push(label.clone());
    }
    if let (Some(label), false) = (
        &resource.existence_label,
        first.listening.scenario.is_unconditional(),
    ) {
        push(label.clone());
    }
    let mut notes: Vec<Arc<str>> = Vec::new();
    if !first.scenario.is_unconditional() {
        let mut scenarios: Vec<String> = exposures.iter().map(|e| e.scenario.to_string()).collect();
        scenarios.sort();
        scenarios.dedup();
        notes.push(
            format!(
                "the port is open to everyone only in some configurations: {}",
                scenarios.join("; ")
            )
            .into(),
        );
    }
    if let Some(instance) = &resource.instance {
        for label in &instance.labels {
            push(label.clone());
        }
        notes.push(Arc::clone(&instance.note));
    }
    Finding {
        rule: META.id,
        severity: cx.severity(),
        resource: resource.identity.name.clone(),
        resource_type: resource.identity.type_name.clone(),
        message: format!(
            "{} listens on port {port}, and its security group `{group}` admits {} to it: {} endpoints in a VPC are reachable from everything that can route to them, which {} makes every such host",
            super::default_port::subject(resource, source),
            first.range,
            resource.kind.service(),
            first.range,
        ),
        labels,
        notes,
        help: Cow::Borrowed(META.remediation),
        location: None,
        suppressed: None,
        deployed: resource.identity.deployed.clone(),
    }
}

/// "TCP port 6379", "TCP ports 6000 to 7000", "every protocol and port".
fn ports_in_words(protocol: Protocol, values: RuleValues<'_>, port: u16) -> String {
    if protocol == Protocol::All {
        return "every protocol and port".into();
    }
    match port_range(&values) {
        Ok(Some((0, 65535))) => format!("every {} port", protocol.words()),
        Ok(Some((from, to))) if from == to => format!("{} port {from}", protocol.words()),
        Ok(Some((from, to))) => format!(
            "{} ports {from} to {to}, which include {port}",
            protocol.words()
        ),
        _ => format!("{} port {port}", protocol.words()),
    }
}

/// Where the port comes from: the written value, or the resource's anchor
/// for an unset port, which is its engine's default.
fn port_label(source: SourceKind, resource: &Resource, listening: &ListeningPort) -> Label {
    let property = resource.kind.port_name(source);
    let written = listening
        .port_value
        .trace
        .first()
        .filter(|_| listening.port_value.value != Value::Absent);
    match written {
        Some(step) => Label::secondary(step.span, format!("listens on port {}", listening.port))
            .in_file(step.file),
        None => Label::secondary(
            resource.identity.unset_anchor,
            match listening.engine {
                Some(engine) => format!(
                    "`{property}` is not set, so it listens on the {engine} default port {}",
                    listening.port
                ),
                None => format!(
                    "`{property}` is not set, so it listens on the default port {}",
                    listening.port
                ),
            },
        )
        .in_file(resource.identity.file),
    }
}

/// A label for a step that says where a value came from, when it is
/// outside both the resource and the ingress rule (where the value is
/// written, labelled already).
fn described(step: &Step, resource: &Resource, rule: &Resource) -> Option<Label> {
    let description = step.origin.description()?;
    if resource.contains(step.file, step.span) || rule.contains(step.file, step.span) {
        return None;
    }
    Some(Label::secondary(step.span, Arc::clone(description)).in_file(step.file))
}
