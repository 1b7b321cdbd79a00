//! A plan's ElastiCache resources as the neutral [`Model`] the rules read.

use std::sync::Arc;

use super::{Plan, PlanStep, PlannedCache, PlannedKind, PlannedValue};
use crate::eval::{Origin, Possibility, Step, Unknown, Value};
use crate::model::{Identity, Model, Property, Resource, ResourceKind, SourceKind};
use crate::source::FileId;

impl Plan {
    /// The plan as a model of the one file `file_name`: one resource per
    /// planned instance, named by its address.
    #[must_use]
    pub fn to_model(&self, file_name: &str) -> Model {
        let mut model = Model::new(SourceKind::TerraformPlan, vec![file_name.to_owned()]);
        model.resources = self
            .caches
            .iter()
            .map(|cache| self.resource(cache))
            .collect();
        model
    }

    fn resource(&self, cache: &PlannedCache) -> Resource {
        let kind = match cache.kind {
            PlannedKind::Cluster => ResourceKind::ElastiCacheCluster,
            PlannedKind::ReplicationGroup => ResourceKind::ElastiCacheReplicationGroup,
        };
        let identity = Identity::new(
            cache.address.clone(),
            cache.kind.resource_type(),
            FileId::FIRST,
            cache.address_span,
        )
        .with_extent(cache.span);
        let mut resource = Resource::new(kind, identity);
        resource.properties = vec![
            (Property::Engine, vec![engine(cache)]),
            (Property::Port, vec![self.port(cache)]),
        ];
        if cache.replication_group.is_some() {
            resource
                .properties
                .push((Property::MemberOf, vec![self.group(cache)]));
        }
        resource
    }

    fn port(&self, cache: &PlannedCache) -> Possibility {
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
    fn group(&self, cache: &PlannedCache) -> Possibility {
        match self.group_of(cache) {
            Some(group) => Possibility::new(Value::String(group.address.as_str().into())),
            None => Possibility::new(Value::Unknown(Unknown::new(
                "the plan does not say which replication group it joins",
                FileId::FIRST,
                cache.address_span,
            ))),
        }
    }
}

fn engine(cache: &PlannedCache) -> Possibility {
    match &cache.engine {
        PlannedValue::Known { text, span } => Possibility::new(Value::String(text.as_str().into()))
            .then(Step::new(FileId::FIRST, *span, Origin::Written).with_value(text.as_str())),
        PlannedValue::Null { .. } | PlannedValue::Unset => Possibility::new(Value::Absent),
        PlannedValue::KnownAfterApply => {
            Possibility::new(Value::Unknown(after_apply(cache, "engine")))
        }
    }
}

fn after_apply(cache: &PlannedCache, attribute: &str) -> Unknown {
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
