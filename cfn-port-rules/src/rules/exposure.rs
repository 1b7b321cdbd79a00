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

use self::finding::{Exposure, build_finding};
use self::ingress::{PeerKind, Protocol, everyone_in, port_range, unknown_item};
use self::network::{Network, Placement, RuleValues, open_rules, placements};
use super::default_port::{DefaultPortRule, Listening, ListeningPort};
use super::{RiskLevel, Rule, RuleContext, RuleMeta};
use crate::diagnostic::Severity;
use crate::eval::{Possibility, Scenario, Value};
use crate::model::{Property, Resource, ResourceKind};
use crate::source::{FileId, Span};

mod finding;
mod ingress;
mod network;

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
    resource
        .read(Property::SecurityGroups)
        .is_some_and(|groups| groups.iter().any(|p| p.value != Value::Absent))
}

fn check_resource(cx: &mut RuleContext<'_>, network: &Network<'_>, resource: &Resource) {
    let groups = resource.property(Property::SecurityGroups);
    let mut unknown: Option<(String, FileId, Span)> = None;
    let placements = placements(network, resource, groups, &mut unknown);
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
    let finding = build_finding(cx, &META, resource, &exposures);
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
        match port_range(values.from, values.to) {
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

fn merge_all(scenarios: &[&Scenario]) -> Option<Scenario> {
    scenarios
        .iter()
        .try_fold(Scenario::default(), |acc, next| acc.merge(next))
}
