//! An expanded Terraform module as the neutral [`Model`] the rules read.
//!
//! One [`Resource`] per instance of a resource block whose type the model
//! has a kind for, named by its full address
//! (`module.redis[0].aws_elasticache_cluster.this["sessions"]`). The
//! arguments the rules read become properties: the evaluator's values,
//! scenarios and traces turned into the crate's neutral ones, with the
//! front-end's words on every step. What the AWS provider does with them
//! ([`super::provider`]) is decided here, so a rule never learns it:
//!
//! - `null` is unset ([`Value::Absent`]);
//! - a cluster's `engine` is compared case-sensitively, as the provider
//!   does: `"Redis"` is a diagnostic and the cluster is not judged;
//! - a cluster with `replication_group_id` is a member: [`Property::MemberOf`]
//!   names its group's address when the group is a block of the same module
//!   instance, else says why the group cannot be told;
//! - a cache's or database's security groups are a list whose items are
//!   references to `aws_security_group` instances by address (the
//!   evaluator's [`TfValue::Reference`]), ids written as text, or unknown
//!   values with the reason; each group's ingress rules are resources of
//!   their own, an inline one named `<group address>.ingress[<i>]`.

use std::borrow::Cow;
use std::sync::Arc;

use super::expand::{Expansion, InstanceKey, ResourceInstance};
use super::module::{Attr, BlockInfo, FileDiagnostic, escape};
use super::value::{Possibility as TfPossibility, Step as TfStep, TfScenario, TfValue};
use super::{Workspace, format_number};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label, Severity};
use crate::eval::{Assumption, Origin, Possibility, Scenario, Step, Unknown, Value};
use crate::model::{
    Identity, Instance, Model, NotJudged, Property, Resource, ResourceKind, SourceKind,
};
use crate::source::{FileId, Span};

mod ingress;

/// Every argument of a `resource` or `data` block that linting reads:
/// the instances' `count` and `for_each`, and the properties' arguments. A
/// nested block named here is kept too (`restore_to_point_in_time`). A test
/// checks that the list holds every argument the model's Terraform rows name.
pub const READ_ARGUMENTS: &[&str] = &[
    "count",
    "for_each",
    "engine",
    "port",
    "replication_group_id",
    "cluster_identifier",
    "snapshot_identifier",
    "replicate_source_db",
    "restore_to_point_in_time",
    // Security groups: the lists caches and databases are placed in, and
    // the rules that admit traffic to them (see `ingress`).
    "security_group_ids",
    "vpc_security_group_ids",
    "ingress",
    "dynamic",
    "iterator",
    "content",
    "type",
    "protocol",
    "ip_protocol",
    "from_port",
    "to_port",
    "cidr_blocks",
    "ipv6_cidr_blocks",
    "prefix_list_ids",
    "cidr_ipv4",
    "cidr_ipv6",
    "prefix_list_id",
    "security_group_id",
];

/// The properties read into the model, each under the argument the kind
/// has for it in Terraform ([`ResourceKind::property_name`]). A replication
/// group's own `replication_group_id` is its name, and an RDS cluster's
/// `cluster_identifier` too: only a kind that can be a member has one.
fn arguments(kind: ResourceKind) -> impl Iterator<Item = (Property, &'static str)> {
    [
        Property::Engine,
        Property::Port,
        Property::MemberOf,
        Property::SecurityGroups,
    ]
    .into_iter()
    .filter_map(move |property| {
        Some((
            property,
            kind.property_name(property, SourceKind::Terraform)?,
        ))
    })
}

/// The model of an expanded workspace: every resource instance the model has
/// a kind for, and every problem met loading and expanding it.
#[must_use]
pub fn to_model(expansion: &Expansion<'_>) -> Model {
    to_model_of(expansion, |_| true)
}

/// The model of an expanded workspace with only the resources of the kinds
/// `read` accepts (those the rules that run cover): a run without the
/// exposure rule builds no security groups and no ingress rules.
#[must_use]
pub fn to_model_of(expansion: &Expansion<'_>, read: impl Fn(ResourceKind) -> bool) -> Model {
    let workspace = expansion.evaluator.workspace();
    let names = workspace
        .files
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let mut model = Model::new(SourceKind::Terraform, names);
    for diagnostic in workspace.diagnostics.iter().chain(&expansion.diagnostics) {
        model.diagnostics.push(placed(diagnostic));
    }
    for instance in &expansion.resources {
        let declared = &workspace.module(instance.module).resources[instance.resource];
        let Some(kind) = ResourceKind::from_type_name(SourceKind::Terraform, &declared.kind) else {
            continue;
        };
        let inline_rules = kind == ResourceKind::SecurityGroup && read(ResourceKind::IngressRule);
        if !read(kind) && !inline_rules {
            continue;
        }
        let builder = Builder {
            expansion,
            workspace,
            instance,
            kind,
            type_name: &declared.kind,
        };
        if kind == ResourceKind::IngressRule && !builder.may_admit_traffic_in() {
            continue;
        }
        let resource = builder.resource(&mut model.diagnostics);
        let rules = if inline_rules {
            builder.inline_rules(&resource)
        } else {
            Vec::new()
        };
        if read(kind) {
            model.resources.push(resource);
        }
        model.resources.extend(rules);
    }
    model
}

/// A loader's or expander's diagnostic with its labels in their file.
fn placed(problem: &FileDiagnostic) -> Diagnostic {
    let mut diagnostic = problem.diagnostic.clone();
    if let Some(file) = problem.file {
        for label in &mut diagnostic.labels {
            label.file = file;
        }
    }
    diagnostic
}

/// Builds the model resource of one instance.
struct Builder<'a, 'w> {
    expansion: &'a Expansion<'w>,
    workspace: &'w Workspace,
    instance: &'a ResourceInstance,
    kind: ResourceKind,
    type_name: &'a str,
}

impl Builder<'_, '_> {
    fn block(&self) -> &BlockInfo {
        self.expansion.block(self.instance)
    }

    fn resource(&self, diagnostics: &mut Vec<Diagnostic>) -> Resource {
        let context = &self.instance.context;
        let evaluated: Vec<(Property, &Attr, Vec<TfPossibility>)> = arguments(self.kind)
            .filter_map(|(property, argument)| {
                let attr = self.block().attr(argument)?;
                let values = match property {
                    Property::MemberOf => Vec::new(),
                    _ => self.expansion.evaluator.eval_attr(attr, context),
                };
                Some((property, attr, values))
            })
            .collect();
        let ports = evaluated
            .iter()
            .find(|(property, ..)| *property == Property::Port)
            .map_or(&[][..], |(_, _, values)| values.as_slice());
        let identity = match self.calling_argument(ports) {
            Some(call) => self.declared_by(call),
            None => self.identity(),
        };
        let mut resource = Resource::new(self.kind, identity);
        for (property, attr, values) in &evaluated {
            let values = match property {
                Property::MemberOf => vec![self.member_of(attr)],
                Property::SecurityGroups => {
                    let fallback = (attr.file, attr.value_span());
                    let argument = self
                        .kind
                        .property_name(*property, SourceKind::Terraform)
                        .unwrap_or("security_group_ids");
                    values
                        .iter()
                        .map(|p| as_list(neutral(p, fallback, &resource.identity, argument)))
                        .collect()
                }
                _ => {
                    let fallback = (attr.file, attr.value_span());
                    let argument = self
                        .kind
                        .property_name(*property, SourceKind::Terraform)
                        .unwrap_or("port");
                    let values = values
                        .iter()
                        .map(|p| neutral(p, fallback, &resource.identity, argument));
                    if self.kind == ResourceKind::ElastiCacheReplicationGroup
                        && *property == Property::Engine
                    {
                        self.group_engines(attr, values)
                    } else {
                        values.collect()
                    }
                }
            };
            resource.properties.push((*property, values));
        }
        if let Some(restored) = self.restored_from() {
            resource.properties.push((Property::RestoredFrom, restored));
        }
        if self.kind == ResourceKind::IngressRule {
            self.standalone_rule(&mut resource);
        }
        if self.kind == ResourceKind::ElastiCacheCluster && !is_member(&resource) {
            resource.not_judged = self.misspelt_engine(&resource, diagnostics);
        }
        resource.instance = self.instance_note();
        resource
    }

    /// The outermost local module call, among those that lead to this
    /// instance, whose argument the port's value passes through: where the
    /// module's user sets the port, so a finding points there (with a
    /// label in the module).
    fn calling_argument(&self, ports: &[TfPossibility]) -> Option<&BlockInfo> {
        let evaluator = &self.expansion.evaluator;
        let mut found = None;
        let mut current = evaluator.instance(self.instance.instance).caller;
        while let Some((caller, index)) = current {
            let module = self.workspace.module(evaluator.instance(caller).module);
            let call = &module.module_calls[index];
            let passes = ports
                .iter()
                .flat_map(|p| &p.trace)
                .any(|step| step.file == call.block.file && call.block.span.contains(step.span));
            if passes {
                found = Some(&call.block);
            }
            current = evaluator.instance(caller).caller;
        }
        found
    }

    /// The instance as declared by `block`: its header
    /// (`resource "aws_elasticache_cluster" "this"`) is where a finding about
    /// an unset argument points. An instance whose port is set by a module
    /// call's argument is declared, for the rules, by that call.
    fn declared_by(&self, block: &BlockInfo) -> Identity {
        let header = header_span(self.workspace, block);
        // A kind with two type names (`aws_security_group_rule` beside
        // `aws_vpc_security_group_ingress_rule`) shows the one written.
        let type_name = match self.kind.type_name(SourceKind::Terraform) {
            Some(name) if name == self.type_name => Cow::Borrowed(name),
            _ => Cow::Owned(self.type_name.to_owned()),
        };
        Identity::new(self.instance.address.clone(), type_name, block.file, header)
            .with_extent(block.span)
            .with_unset_anchor(header)
    }

    /// The identity declared by the resource block itself; its type label
    /// says what a kind without `engine` runs.
    fn identity(&self) -> Identity {
        let block = self.block();
        let header = header_span(self.workspace, block);
        let identity = self.declared_by(block);
        let text = self
            .workspace
            .file(block.file)
            .get(header)
            .unwrap_or_default();
        let quoted = format!("\"{}\"", self.type_name);
        match text.find(&quoted) {
            Some(at) => {
                let start = header.start as usize + at;
                identity.with_type_span(Span::new(start, start + quoted.len()))
            }
            None => identity,
        }
    }

    /// A replication group's engine that cannot be evaluated is still one
    /// the provider accepts, `redis` or `valkey` (both on 6379): one
    /// possibility each, assuming the engine expression's value.
    fn group_engines(
        &self,
        attr: &Attr,
        values: impl Iterator<Item = Possibility>,
    ) -> Vec<Possibility> {
        let text = self
            .workspace
            .file(attr.file)
            .get(attr.value_span())
            .unwrap_or("engine");
        let input = Assumption::Parameter(Arc::from(escape(text)));
        values
            .flat_map(|p| {
                if !matches!(p.value, Value::Unknown(_)) {
                    return vec![p];
                }
                ["redis", "valkey"]
                    .into_iter()
                    .filter_map(|engine| {
                        let assumed = Scenario::single(input.clone(), Arc::from(engine));
                        let scenario = p.scenario.merge(&assumed)?;
                        let mut chosen = p.clone().in_scenario(scenario);
                        chosen.value = Value::String(engine.into());
                        Some(chosen)
                    })
                    .collect()
            })
            .collect()
    }

    /// The group a member cluster belongs to, by its address when it is a
    /// block of this module instance (then the rules judge the group and
    /// leave the member); otherwise why it cannot be told.
    /// Where the resource is made from a snapshot or another database
    /// (`snapshot_identifier`, `replicate_source_db`, a
    /// `restore_to_point_in_time` block): one possibility per argument or
    /// block that is written and not `null`, or `None` when the kind has
    /// no such arguments.
    fn restored_from(&self) -> Option<Vec<Possibility>> {
        let names = self.kind.restore_properties(SourceKind::Terraform);
        if names.is_empty() {
            return None;
        }
        let block = self.block();
        let mut written = Vec::new();
        for name in names {
            if let Some(attr) = block.attr(name) {
                let values = self
                    .expansion
                    .evaluator
                    .eval_attr(attr, &self.instance.context);
                if values.iter().any(|p| p.value != TfValue::Null) {
                    let step = Step::new(attr.file, attr.value_span(), Origin::Written);
                    written.push(Possibility::new(Value::String((*name).into())).then(step));
                }
            }
            if let Some((_, nested)) = block.blocks.iter().find(|(kind, _)| kind == name) {
                let step = Step::new(nested.file, nested.span, Origin::Written);
                written.push(Possibility::new(Value::String((*name).into())).then(step));
            }
        }
        Some(written)
    }

    fn member_of(&self, attr: &Attr) -> Possibility {
        let written = Step::new(attr.file, attr.value_span(), Origin::Written);
        let source = SourceKind::Terraform;
        let argument = self
            .kind
            .property_name(Property::MemberOf, source)
            .unwrap_or("replication_group_id");
        let group_type = self.kind.group_kind().and_then(|k| k.type_name(source));
        let group = group_type.and_then(|group_type| {
            self.expansion
                .referenced_instance(self.instance, argument, group_type)
        });
        if let Some(group) = group {
            return Possibility::new(Value::String(group.address.as_str().into())).then(written);
        }
        let values = self
            .expansion
            .evaluator
            .eval_attr(attr, &self.instance.context);
        if values.iter().all(|p| p.value == TfValue::Null) {
            return Possibility::new(Value::Absent).then(written);
        }
        let reason = match values.iter().find_map(|p| match &p.value {
            TfValue::Unknown(reason) => Some(reason.clone()),
            _ => None,
        }) {
            Some(reason) => format!("`{argument}` cannot be evaluated ({reason})"),
            None => {
                let group = match self.kind.group_kind() {
                    Some(ResourceKind::ElastiCacheReplicationGroup) => "replication group",
                    _ => "cluster",
                };
                format!("`{argument}` does not refer to a {group} block of this module")
            }
        };
        Possibility::new(Value::Unknown(Unknown::new(
            reason,
            attr.file,
            attr.value_span(),
        )))
        .then(written)
    }

    /// A cluster `engine` the provider rejects because of its case
    /// (`"Redis"`): a diagnostic, and the cluster is not judged, since the
    /// provider would not create it.
    fn misspelt_engine(
        &self,
        resource: &Resource,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<NotJudged> {
        let engines = resource.property(Property::Engine);
        let (written, step) = engines.iter().find_map(|p| {
            let name = p.value.as_text()?;
            let valid = ["redis", "valkey", "memcached"];
            let near = valid
                .iter()
                .find(|v| v.eq_ignore_ascii_case(name) && **v != name)?;
            Some(((name.to_owned(), *near), p.trace.first()?.clone()))
        })?;
        let (name, near) = written;
        let reason = format!(
            "`engine` is `{}`; the AWS provider accepts only `redis`, `valkey` or `memcached`, in lower case",
            escape(&name)
        );
        let mut diagnostic = Diagnostic::new(
            DiagnosticKind::TemplateProblem,
            format!(
                "the AWS provider rejects `engine = \"{}\"` of `{}`: engine names are case-sensitive",
                escape(&name),
                escape(&self.instance.address)
            ),
            Label::primary(step.span, format!("write `{near}`")).in_file(step.file),
        );
        diagnostic.severity = Severity::Warning;
        diagnostics.push(diagnostic);
        Some(NotJudged {
            reason,
            file: step.file,
            span: step.span,
        })
    }

    /// For one instance of a block with `count` or `for_each`: a note
    /// naming it and a label on the argument that made it.
    fn instance_note(&self) -> Option<Instance> {
        let address = escape(&self.instance.address);
        let (argument, note, label) = match &self.instance.key {
            InstanceKey::Single => return None,
            InstanceKey::Index(i) => (
                "count",
                format!("`{address}` is instance {i} of its block's `count`"),
                format!("`count.index` = {i} for `{address}`"),
            ),
            InstanceKey::Key(key) => (
                "for_each",
                format!(
                    "`{address}` is the instance of its block's `for_each` with key \"{}\"",
                    escape(key)
                ),
                format!("`each.key` = \"{}\" for `{address}`", escape(key)),
            ),
            InstanceKey::Unknown(reason) => (
                if self.block().attr("count").is_some() {
                    "count"
                } else {
                    "for_each"
                },
                format!(
                    "the instances of `{address}` cannot be told ({reason}); `[*]` stands for each of them"
                ),
                "the instances cannot be told".to_owned(),
            ),
        };
        let labels = self
            .block()
            .attr(argument)
            .map(|attr| Label::secondary(attr.value_span(), label).in_file(attr.file))
            .into_iter()
            .collect();
        Some(Instance {
            note: Arc::from(note),
            labels,
        })
    }
}

/// A block's first line up to its `{`: `resource "aws_elasticache_cluster"
/// "this"`, `module "cache"` (for JSON syntax, the opening brace).
/// A block's header (`resource "aws_elasticache_cluster" "this"`), up to its `{`.
pub(crate) fn header_span(workspace: &Workspace, block: &BlockInfo) -> Span {
    let text = workspace
        .file(block.file)
        .get(block.span)
        .unwrap_or_default();
    let start = block.span.start as usize;
    let end = text.find('{').unwrap_or(text.len()).max(1);
    let header = text.get(..end).unwrap_or_default().trim_end();
    Span::new(start, start + header.len().max(1))
}

fn is_member(resource: &Resource) -> bool {
    resource
        .property(Property::MemberOf)
        .iter()
        .any(|p| p.value != Value::Absent)
}

/// One of the evaluator's possibilities in the neutral model's terms. The
/// first step of an argument's trace is the argument as written: inside the
/// resource's declaration it needs no words; outside it (a module's
/// argument, when a caller declares the instance for the rules) it says
/// what it is. The other steps say where the value came from, in the
/// evaluator's words. `fallback` is where an unknown value points when its
/// trace does not say.
fn neutral(
    possibility: &TfPossibility,
    fallback: (FileId, Span),
    identity: &Identity,
    argument: &str,
) -> Possibility {
    let at = possibility
        .trace
        .last()
        .map_or(fallback, |step| (step.file, step.span));
    let mut out = Possibility::new(neutral_value(&possibility.value, at, true))
        .in_scenario(neutral_scenario(&possibility.scenario));
    for (i, step) in possibility.trace.iter().enumerate() {
        let inside = step.file == identity.file && identity.extent.contains(step.span);
        let step = match (i, inside) {
            (0, true) => written_step(step, &possibility.value),
            (0, false) => described_step(
                step,
                &format!("the module's `{argument}` is {} here", possibility.value),
            ),
            _ => described_step(step, &step.description),
        };
        out = out.then(step);
    }
    out
}

fn written_step(step: &TfStep, value: &TfValue) -> Step {
    let written = Step::new(step.file, step.span, Origin::Written);
    match scalar_text(value) {
        Some(text) => written.with_value(text),
        None => written,
    }
}

fn described_step(step: &TfStep, description: &str) -> Step {
    Step::new(
        step.file,
        step.span,
        Origin::Source {
            description: Arc::from(description),
        },
    )
}

fn scalar_text(value: &TfValue) -> Option<String> {
    match value {
        TfValue::String(text) => Some(text.clone()),
        TfValue::Number(n) => Some(format_number(*n)),
        TfValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A Terraform value as a neutral one: `null` of an argument is unset.
fn neutral_value(value: &TfValue, at: (FileId, Span), top: bool) -> Value {
    match value {
        TfValue::Null if top => Value::Absent,
        TfValue::Null => Value::Null,
        TfValue::Bool(flag) => Value::Bool(*flag),
        TfValue::Number(n) => Value::Number(format_number(*n).into()),
        TfValue::String(text) => Value::String(text.as_str().into()),
        TfValue::List(items) => Value::List(
            items
                .iter()
                .map(|item| neutral_value(item, at, false))
                .collect(),
        ),
        TfValue::Map(_) => Value::Unknown(Unknown::new(
            "the value is an object, not a single value",
            at.0,
            at.1,
        )),
        TfValue::Unknown(reason) => Value::Unknown(Unknown::new(reason.to_string(), at.0, at.1)),
        TfValue::Reference(reference) => Value::Unknown(Unknown::reference(
            reference.reason(),
            reference.file,
            reference.span,
            &reference.address,
            ResourceKind::from_type_name(SourceKind::Terraform, reference.type_name),
        )),
    }
}

/// A list property's possibility with a single value read as a one-item
/// list (`security_group_ids = var.group`); unset stays unset.
fn as_list(mut possibility: Possibility) -> Possibility {
    if !matches!(possibility.value, Value::List(_) | Value::Absent) {
        let single = std::mem::replace(&mut possibility.value, Value::Absent);
        possibility.value = Value::List(vec![single]);
    }
    possibility
}

/// The evaluator's assumptions as the neutral model's: a variable chosen
/// from its validation list is a parameter named `var.x` ("when var.engine
/// = redis"), a condition that cannot be evaluated is a condition named by
/// its text ("when condition `var.enabled` holds").
fn neutral_scenario(scenario: &TfScenario) -> Scenario {
    scenario
        .assumptions()
        .fold(Scenario::default(), |acc, (input, value)| {
            let assumption = match input.strip_prefix("condition ") {
                Some(text) => Assumption::Condition(Arc::from(text)),
                None => Assumption::Parameter(Arc::from(input)),
            };
            acc.merge(&Scenario::single(assumption, Arc::from(value)))
                .unwrap_or(acc)
        })
}

#[cfg(test)]
mod tests {
    use super::READ_ARGUMENTS;
    use crate::model::{Property, ResourceKind, SourceKind};

    /// A name the model reads but the loader drops would read as "not set".
    #[test]
    fn every_argument_the_model_names_is_kept_by_the_loader() {
        let terraform = SourceKind::Terraform;
        for kind in ResourceKind::ALL {
            let properties = [
                Property::Engine,
                Property::Port,
                Property::MemberOf,
                Property::SecurityGroups,
            ];
            let names = properties
                .iter()
                .filter_map(|p| kind.property_name(*p, terraform))
                .chain(kind.restore_properties(terraform).iter().copied());
            for name in names {
                assert!(
                    READ_ARGUMENTS.contains(&name),
                    "{kind:?}: `{name}` is not kept"
                );
            }
        }
    }
}
