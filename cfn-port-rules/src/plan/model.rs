//! A plan's caches and databases as the neutral [`Model`] the rules read.

use std::sync::Arc;

use super::{Plan, PlanStep, PlannedResource, PlannedValue};
use crate::eval::{Origin, Possibility, Step, Unknown, Value};
use crate::model::{Identity, Model, Property, Resource, SourceKind};
use crate::source::FileId;

impl Plan {
    /// The plan as a model of the one file `file_name`: one resource per
    /// planned instance, named by its address.
    #[must_use]
    pub fn to_model(&self, file_name: &str) -> Model {
        let mut model = Model::new(SourceKind::TerraformPlan, vec![file_name.to_owned()]);
        model.resources = self
            .resources
            .iter()
            .map(|cache| self.resource(cache))
            .collect();
        model
    }

    fn resource(&self, cache: &PlannedResource) -> Resource {
        let identity = Identity::new(
            cache.address.clone(),
            cache.kind.short_name(SourceKind::TerraformPlan),
            FileId::FIRST,
            cache.address_span,
        )
        .with_extent(cache.span);
        let mut resource = Resource::new(cache.kind, identity);
        if cache
            .kind
            .property_name(Property::Engine, SourceKind::TerraformPlan)
            .is_some()
        {
            resource
                .properties
                .push((Property::Engine, vec![engine(cache)]));
        }
        resource
            .properties
            .push((Property::Port, vec![self.port(cache)]));
        if cache.member_of.is_some() {
            resource
                .properties
                .push((Property::MemberOf, vec![self.group(cache)]));
        }
        if !cache.restored_from.is_empty() {
            resource
                .properties
                .push((Property::RestoredFrom, restored_from(cache)));
        }
        resource
    }

    fn port(&self, cache: &PlannedResource) -> Possibility {
        let value = match &cache.port {
            PlannedValue::Known { text, .. } => Value::Number(text.as_str().into()),
            PlannedValue::Null { .. } | PlannedValue::Unset => Value::Absent,
            PlannedValue::KnownAfterApply => Value::Unknown(after_apply(cache, "port")),
        };
        let mut steps = self.port_steps(cache).into_iter();
        let mut possibility = Possibility::new(value);
        // The value itself is written where it is used; a variable behind it
        // is where it came from.
        if let (Some(first), PlannedValue::Known { .. } | PlannedValue::Null { .. }) =
            (steps.next(), &cache.port)
        {
            possibility = possibility.then(Step::new(FileId::FIRST, first.span, Origin::Written));
        }
        steps.fold(possibility, |p, step| p.then(source_step(step)))
    }

    /// The group a member belongs to, by the name its resource has in this
    /// model (its address), when the plan holds it.
    fn group(&self, cache: &PlannedResource) -> Possibility {
        match self.group_of(cache) {
            Some(group) => Possibility::new(Value::String(group.address.as_str().into())),
            None => {
                let group = cache
                    .kind
                    .group_kind()
                    .and_then(|kind| kind.type_name(SourceKind::TerraformPlan))
                    .map_or("group".to_owned(), |name| format!("`{name}`"));
                Possibility::new(Value::Unknown(Unknown::new(
                    format!("the plan does not say which {group} it joins"),
                    FileId::FIRST,
                    cache.address_span,
                )))
            }
        }
    }
}

/// One possibility per restore argument that is set, naming it and
/// written where the plan sets it.
fn restored_from(cache: &PlannedResource) -> Vec<Possibility> {
    cache
        .restored_from
        .iter()
        .map(|restore| {
            Possibility::new(Value::String(restore.argument.into())).then(Step::new(
                FileId::FIRST,
                restore.span,
                Origin::Written,
            ))
        })
        .collect()
}

fn engine(cache: &PlannedResource) -> Possibility {
    match &cache.engine {
        PlannedValue::Known { text, span } => Possibility::new(Value::String(text.as_str().into()))
            .then(Step::new(FileId::FIRST, *span, Origin::Written).with_value(text.as_str())),
        PlannedValue::Null { .. } | PlannedValue::Unset => Possibility::new(Value::Absent),
        PlannedValue::KnownAfterApply => {
            Possibility::new(Value::Unknown(after_apply(cache, "engine")))
        }
    }
}

fn after_apply(cache: &PlannedResource, attribute: &str) -> Unknown {
    let expression = match attribute {
        "port" => cache.port_expression.as_ref(),
        _ => cache.engine_expression.as_ref(),
    };
    let from = expression
        .and_then(|e| e.references.first())
        .map(|reference| format!(" (from `{reference}`)"))
        .unwrap_or_default();
    Unknown::new(
        format!("`{attribute}` is known only after apply{from}"),
        FileId::FIRST,
        cache.address_span,
    )
}

fn source_step(step: PlanStep) -> Step {
    Step::new(
        FileId::FIRST,
        step.span,
        Origin::Source {
            description: Arc::from(step.description),
        },
    )
}
