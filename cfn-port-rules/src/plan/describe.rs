//! The front-end's words for where a planned port and engine come from: one
//! step per place in the plan file, for a finding's labels.

use super::{Plan, PlannedResource, PlannedValue};
use crate::model::ResourceKind;
use crate::source::Span;

/// A place in the plan file and what it says about the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanStep {
    /// Where, in the plan file.
    pub span: Span,
    /// What it says, in words (input text included verbatim: a renderer
    /// escapes it).
    pub description: String,
}

impl Plan {
    /// Where the port of `cache` comes from, primary place first; empty when
    /// the port is known only after apply.
    #[must_use]
    pub fn port_steps(&self, cache: &PlannedResource) -> Vec<PlanStep> {
        let mut steps = Vec::new();
        match &cache.port {
            PlannedValue::Known { text, span } => {
                steps.push(step(*span, format!("the plan sets `port` to {text}")));
                if let Some(variable) = self.port_variable(cache) {
                    steps.push(step(
                        variable.span,
                        format!(
                            "variable `{}` is {} in this plan run (from `-var`, a var file or its default)",
                            variable.name, variable.value
                        ),
                    ));
                }
            }
            PlannedValue::Null { span } => steps.push(step(
                *span,
                "`port` is null, so the provider uses the engine's default port".to_owned(),
            )),
            PlannedValue::Unset => steps.push(step(
                cache.address_span,
                format!(
                    "`{}` sets no `port`, so the provider uses the engine's default port",
                    cache.address
                ),
            )),
            PlannedValue::KnownAfterApply => {}
        }
        steps
    }

    /// Where the engine of `cache` comes from, when the plan knows it.
    #[must_use]
    pub fn engine_step(&self, cache: &PlannedResource) -> Option<PlanStep> {
        match (&cache.engine, cache.kind) {
            (PlannedValue::Known { text, span }, _) => {
                Some(step(*span, format!("the engine is {text}")))
            }
            (
                PlannedValue::Unset | PlannedValue::Null { .. },
                ResourceKind::ElastiCacheReplicationGroup,
            ) => Some(step(
                cache.address_span,
                "no `engine`: the provider creates a redis replication group".to_owned(),
            )),
            _ => None,
        }
    }
}

fn step(span: Span, description: String) -> PlanStep {
    PlanStep { span, description }
}
