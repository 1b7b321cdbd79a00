//! The finding of an exposed resource: its message, its labels (the open
//! range, the group reference, where the port comes from) and its notes.

use std::borrow::Cow;
use std::sync::Arc;

use super::ingress::{PeerKind, Protocol, port_range};
use super::network::{Placement, RuleValues};
use crate::diagnostic::Label;
use crate::eval::{Scenario, Step, Value};
use crate::model::{Resource, SourceKind};
use crate::report::Finding;
use crate::rules::default_port::{ListeningPort, subject};
use crate::rules::{RuleContext, RuleMeta};

/// An exposure found: the combination and the port it reaches.
pub(super) struct Exposure<'a> {
    pub(super) placement: &'a Placement<'a>,
    pub(super) values: RuleValues<'a>,
    pub(super) listening: &'a ListeningPort,
    pub(super) scenario: Scenario,
    /// The whole-internet range admitted (`0.0.0.0/0`).
    pub(super) range: String,
    pub(super) protocol: Protocol,
}

/// The finding of `resource`, for the rule `meta`, from its exposed
/// configurations (the first one is shown, the others' scenarios noted).
pub(super) fn build_finding(
    cx: &mut RuleContext<'_>,
    meta: &'static RuleMeta,
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
        rule: meta.id,
        severity: cx.severity(),
        resource: resource.identity.name.clone(),
        resource_type: resource.identity.type_name.clone(),
        message: format!(
            "{} listens on port {port}, and its security group `{group}` admits {} to it: {} endpoints in a VPC are reachable from everything that can route to them, which {} makes every such host",
            subject(resource, source),
            first.range,
            resource.kind.service(),
            first.range,
        ),
        labels,
        notes,
        help: Cow::Borrowed(meta.remediation),
        location: None,
        suppressed: None,
        deployed: resource.identity.deployed.clone(),
    }
}

/// "TCP port 6379", "TCP ports 6000 to 7000", "every protocol and port".
pub(super) fn ports_in_words(protocol: Protocol, values: RuleValues<'_>, port: u16) -> String {
    if protocol == Protocol::All {
        return "every protocol and port".into();
    }
    match port_range(values.from, values.to) {
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
pub(super) fn port_label(
    source: SourceKind,
    resource: &Resource,
    listening: &ListeningPort,
) -> Label {
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
pub(super) fn described(step: &Step, resource: &Resource, rule: &Resource) -> Option<Label> {
    let description = step.origin.description()?;
    if resource.contains(step.file, step.span) || rule.contains(step.file, step.span) {
        return None;
    }
    Some(Label::secondary(step.span, Arc::clone(description)).in_file(step.file))
}
