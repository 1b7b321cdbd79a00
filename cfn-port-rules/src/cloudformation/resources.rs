//! A template's resources as the neutral model: the kind a type stands
//! for, its identity, when it exists, and the properties rules read.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use super::evaluate::Evaluator;
use super::security_groups;
use super::template::{Resource, Template, node_kind_name};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::eval::{Possibility, Value};
use crate::model::{
    self, Identity, Instance, NotJudged, Property, ResourceKind, SourceKind, Texts,
};
use crate::source::FileId;
use crate::syntax::NodeKind;

/// The properties rules read, for every kind: a property a kind does not
/// have in CloudFormation (a Redshift cluster's engine) is left out by
/// [`ResourceKind::property_name`].
const READ: &[Property] = &[
    Property::Engine,
    Property::Port,
    Property::MemberOf,
    Property::RestoredFrom,
];

/// The resources of `resources` whose type is one of `kinds`, with
/// the properties rules read evaluated. A security group also yields its
/// inline ingress rules, one resource each, when `kinds` holds
/// [`ResourceKind::IngressRule`]. Problems met on the way (a `Properties`
/// that is not a mapping) go to `problems`.
pub(crate) fn model_resources(
    template: &Template<'_>,
    evaluator: &Evaluator<'_, '_>,
    resources: &[Resource],
    kinds: &BTreeSet<ResourceKind>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<model::Resource> {
    let mut texts = Texts::default();
    let mut condition_labels = HashMap::new();
    let mut cx = Context {
        template,
        evaluator,
        problems,
        texts: &mut texts,
        condition_labels: &mut condition_labels,
        kinds,
    };
    let mut out = Vec::with_capacity(resources.len());
    for resource in resources {
        let Some(kind) =
            ResourceKind::from_type_name(SourceKind::CloudFormation, resource.type_name())
        else {
            continue;
        };
        if kind == ResourceKind::SecurityGroup {
            security_groups::group_and_inline_rules(&mut cx, resource, &mut out);
        } else if kinds.contains(&kind) {
            out.push(model_resource(&mut cx, resource, kind));
        }
    }
    out
}

/// What reading one chunk of resources shares.
pub(super) struct Context<'c, 't, 'd> {
    pub(super) template: &'c Template<'d>,
    pub(super) evaluator: &'c Evaluator<'t, 'd>,
    problems: &'c mut Vec<Diagnostic>,
    texts: &'c mut Texts,
    /// "The resource exists only when `C` holds", by condition: thousands
    /// of resources share a few conditions.
    condition_labels: &'c mut HashMap<Box<str>, Arc<str>>,
    /// The kinds the rules that run read.
    pub(super) kinds: &'c BTreeSet<ResourceKind>,
}

fn model_resource(
    cx: &mut Context<'_, '_, '_>,
    resource: &Resource,
    kind: ResourceKind,
) -> model::Resource {
    let mut out = judged_resource(cx, resource, kind);
    if out.not_judged.is_some() {
        return out;
    }
    let evaluator = cx.evaluator;
    out.properties = if kind == ResourceKind::IngressRule {
        security_groups::standalone_rule_properties(evaluator, resource)
    } else {
        READ.iter()
            .filter_map(|&property| read_property(evaluator, resource, kind, property))
            // Read whichever rules run: the groups and their rules are read
            // apart (once per template), so the kinds asked for here do not
            // say whether a rule follows them, and an unwritten list costs
            // one lookup.
            .chain(security_groups::security_groups(evaluator, resource, kind))
            .collect()
    };
    out
}

/// A resource's identity, `Fn::ForEach` instance and existence, without
/// its properties; [`model::Resource::not_judged`] says why when its
/// properties cannot be read or it exists in no configuration considered.
pub(super) fn judged_resource(
    cx: &mut Context<'_, '_, '_>,
    resource: &Resource,
    kind: ResourceKind,
) -> model::Resource {
    let (template, evaluator) = (cx.template, cx.evaluator);
    let doc = template.document();
    let identity = Identity {
        name: resource.logical_id.clone(),
        // The type name of a known kind is static: no copy per resource.
        type_name: Cow::Borrowed(
            kind.type_name(SourceKind::CloudFormation)
                .unwrap_or_default(),
        ),
        file: FileId::FIRST,
        span: resource.id_span,
        type_span: resource.ty.as_ref().map(|(_, span)| *span),
        extent: doc.span(resource.node).cover(resource.id_span),
        unset_anchor: resource
            .properties
            .map(|(key, _)| key)
            .or(resource.ty.as_ref().map(|(_, span)| *span))
            .unwrap_or(resource.id_span),
        deployed: None,
    };
    let mut out = model::Resource::new(kind, identity);
    out.instance = instance(resource, cx.texts);
    if let Some(reason) = unreadable_properties(template, resource, cx.problems) {
        let span = resource.properties.map_or(resource.id_span, |(key, _)| key);
        out.not_judged = Some(NotJudged {
            reason,
            file: FileId::FIRST,
            span,
        });
        return out;
    }
    out.existence = evaluator.existence(resource);
    if let Some((name, span)) = &resource.condition {
        if out.existence.is_empty() {
            let reason = if template.condition(name).is_none() {
                format!("the resource's condition `{name}` is not defined in `Conditions`")
            } else {
                format!(
                    "the resource's condition `{name}` does not hold for any parameter values considered; give parameter values to check other configurations"
                )
            };
            out.not_judged = Some(NotJudged {
                reason,
                file: FileId::FIRST,
                span: *span,
            });
            return out;
        }
        let texts = &mut *cx.texts;
        let words = cx.condition_labels.entry(name.clone()).or_insert_with(|| {
            texts.get(format_args!("the resource exists only when `{name}` holds"))
        });
        out.existence_label = Some(Label::secondary(*span, Arc::clone(words)));
    } else if out.existence.is_empty() {
        out.not_judged = Some(NotJudged {
            reason: "the resource exists in no configuration considered".into(),
            file: FileId::FIRST,
            span: resource.id_span,
        });
        return out;
    }
    out
}

/// The possibilities of `property` of a resource of `kind`, if the kind
/// has it. The properties that restore a resource from a snapshot are
/// several: their written values are kept together (any one of them makes
/// the resource inherit a port).
fn read_property(
    evaluator: &Evaluator<'_, '_>,
    resource: &Resource,
    kind: ResourceKind,
    property: Property,
) -> Option<(Property, Vec<Possibility>)> {
    let source = SourceKind::CloudFormation;
    if property == Property::Port {
        return Some((property, read_port(evaluator, resource, kind)));
    }
    if property != Property::RestoredFrom {
        let name = kind.property_name(property, source)?;
        return Some((property, evaluator.property(resource, name)));
    }
    let names = kind.restore_properties(source);
    if names.is_empty() {
        return None;
    }
    let written: Vec<Possibility> = names
        .iter()
        .flat_map(|name| evaluator.property(resource, name))
        .filter(|possibility| possibility.value != Value::Absent)
        .collect();
    Some((property, written))
}

/// The port under its current name, or, when that is not written at all,
/// under the first older name that is.
fn read_port(
    evaluator: &Evaluator<'_, '_>,
    resource: &Resource,
    kind: ResourceKind,
) -> Vec<Possibility> {
    let source = SourceKind::CloudFormation;
    let current = evaluator.property(resource, kind.port_name(source));
    let unwritten = |values: &[Possibility]| values.iter().all(|p| p.value == Value::Absent);
    if !unwritten(&current) {
        return current;
    }
    kind.port_aliases(source)
        .iter()
        .map(|alias| evaluator.property(resource, alias))
        .find(|values| !unwritten(values))
        .unwrap_or(current)
}

/// Why `Properties` cannot be read as a mapping, if it cannot.
fn unreadable_properties(
    template: &Template<'_>,
    resource: &Resource,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let doc = template.document();
    if doc.mapping(resource.node).is_none() {
        return Some(format!(
            "the resource is {}, not a mapping",
            node_kind_name(doc, resource.node)
        ));
    }
    let (key_span, properties) = resource.properties?;
    // `Fn::If` over whole property maps is evaluated per scenario.
    if let Some((_, name)) = doc.intrinsic(properties) {
        return (name != "Fn::If").then(|| {
            format!("`Properties` is computed by `{name}`, which is not evaluated as a whole")
        });
    }
    if matches!(doc.kind(properties), NodeKind::Mapping(_)) {
        return None;
    }
    let found = node_kind_name(doc, properties);
    problems.push(
        Diagnostic::new(
            DiagnosticKind::TemplateProblem,
            format!(
                "`Properties` of `{}` must be a mapping, not {found}",
                resource.logical_id
            ),
            Label::primary(doc.span(properties), format!("{found} here")),
        )
        .with_secondary(key_span, "declared here"),
    );
    Some(format!("`Properties` is {found}, not a mapping"))
}

/// For a resource made by `Fn::ForEach`, which loop values made it: the
/// resources of one loop body share their code frames, so each finding
/// names its own iteration in a note and labels the value in the collection.
fn instance(resource: &Resource, texts: &mut Texts) -> Option<Instance> {
    if resource.bindings.is_empty() {
        return None;
    }
    let mut values = String::new();
    let mut labels: Vec<Label> = Vec::with_capacity(resource.bindings.len());
    for (i, binding) in resource.bindings.iter().enumerate() {
        if i > 0 {
            values.push_str(" and ");
        }
        values.push_str(&format!("`{}` = {}", binding.identifier, binding.value));
        labels.push(Label::secondary(
            binding.span,
            texts.get(format_args!(
                "`{}` is made with `{}` = {}",
                resource.logical_id, binding.identifier, binding.value
            )),
        ));
    }
    Some(Instance {
        note: texts.get(format_args!(
            "`{}` is made by `Fn::ForEach` with {values}",
            resource.logical_id
        )),
        labels,
    })
}
