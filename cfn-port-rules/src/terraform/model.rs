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
//!   instance, else says why the group cannot be told.

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

/// The arguments read into each property.
const ARGUMENTS: &[(Property, &str)] = &[
    (Property::Engine, "engine"),
    (Property::Port, "port"),
    (Property::MemberOf, "replication_group_id"),
];

/// The model of an expanded workspace: every resource instance the model has
/// a kind for, and every problem met loading and expanding it.
#[must_use]
pub fn to_model(expansion: &Expansion<'_>) -> Model {
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
        let builder = Builder {
            expansion,
            workspace,
            instance,
            kind,
            type_name: &declared.kind,
        };
        model
            .resources
            .push(builder.resource(&mut model.diagnostics));
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
        let mut resource = Resource::new(self.kind, self.identity());
        for &(property, argument) in ARGUMENTS {
            let Some(attr) = self.block().attr(argument) else {
                continue;
            };
            let values = match property {
                Property::MemberOf => vec![self.member_of(attr)],
                _ => self.argument(attr),
            };
            resource.properties.push((property, values));
        }
        if self.kind == ResourceKind::ElastiCacheCluster && !is_member(&resource) {
            resource.not_judged = self.misspelt_engine(&resource, diagnostics);
        }
        resource.instance = self.instance_note();
        resource
    }

    /// The block's header (`resource "aws_elasticache_cluster" "this"`) is
    /// where a finding about an unset argument points; its type label says
    /// what a kind without `engine` runs.
    fn identity(&self) -> Identity {
        let block = self.block();
        let source = self.workspace.file(block.file);
        let text = source.get(block.span).unwrap_or_default();
        let start = block.span.start as usize;
        let header_end = text.find('{').unwrap_or(text.len()).max(1);
        let header_text = text.get(..header_end).unwrap_or_default().trim_end();
        let header = Span::new(start, start + header_text.len().max(1));
        let mut identity = Identity::new(
            self.instance.address.clone(),
            self.kind
                .type_name(SourceKind::Terraform)
                .unwrap_or("resource"),
            block.file,
            header,
        )
        .with_extent(block.span)
        .with_unset_anchor(header);
        let quoted = format!("\"{}\"", self.type_name);
        if let Some(at) = header_text.find(&quoted) {
            let start = start + at;
            identity = identity.with_type_span(Span::new(start, start + quoted.len()));
        }
        identity
    }

    /// The possibilities of an argument, in the neutral model's terms.
    fn argument(&self, attr: &Attr) -> Vec<Possibility> {
        let fallback = (attr.file, attr.value_span());
        self.expansion
            .evaluator
            .eval_attr(attr, &self.instance.context)
            .iter()
            .map(|p| neutral(p, fallback))
            .collect()
    }

    /// The group a member cluster belongs to, by its address when it is a
    /// block of this module instance (then the rules judge the group and
    /// leave the member); otherwise why it cannot be told.
    fn member_of(&self, attr: &Attr) -> Possibility {
        let written = Step::new(attr.file, attr.value_span(), Origin::Written);
        let group = self.expansion.referenced_instance(
            self.instance,
            "replication_group_id",
            "aws_elasticache_replication_group",
        );
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
            Some(reason) => format!("`replication_group_id` cannot be evaluated ({reason})"),
            None => {
                "`replication_group_id` does not refer to a replication group block of this module"
                    .to_owned()
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

fn is_member(resource: &Resource) -> bool {
    resource
        .property(Property::MemberOf)
        .iter()
        .any(|p| p.value != Value::Absent)
}

/// One of the evaluator's possibilities in the neutral model's terms. The
/// first step of an argument's trace is the argument as written; the others
/// say where the value came from, in the evaluator's words. `fallback` is
/// where an unknown value points when its trace does not say.
fn neutral(possibility: &TfPossibility, fallback: (FileId, Span)) -> Possibility {
    let at = possibility
        .trace
        .last()
        .map_or(fallback, |step| (step.file, step.span));
    let mut out = Possibility::new(neutral_value(&possibility.value, at, true))
        .in_scenario(neutral_scenario(&possibility.scenario));
    for (i, step) in possibility.trace.iter().enumerate() {
        out = out.then(neutral_step(step, i == 0, &possibility.value));
    }
    out
}

fn neutral_step(step: &TfStep, written: bool, value: &TfValue) -> Step {
    if written {
        let shown = scalar_text(value);
        let step = Step::new(step.file, step.span, Origin::Written);
        return match shown {
            Some(text) => step.with_value(text),
            None => step,
        };
    }
    Step::new(
        step.file,
        step.span,
        Origin::Source {
            description: Arc::from(step.description.as_str()),
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
    }
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
