//! Reading a resource: the possible values of one of its properties
//! (including a `Properties` computed by a function) and the scenarios in
//! which it exists.

use super::{EVAL_BUDGET, Evaluator, unknown};
use crate::cloudformation::template::Resource;
use crate::eval::{Origin, Possibility, Scenario, Step, Truth, Value};
use crate::syntax::NodeId;

impl Evaluator<'_, '_> {
    /// The possible values of property `name` of `resource`, in the scenarios
    /// where the resource exists. A property that is not written is
    /// [`Value::Absent`].
    #[must_use]
    pub fn property(&self, resource: &Resource, name: &str) -> Vec<Possibility> {
        self.budget.set(EVAL_BUDGET);
        let doc = self.doc;
        let Some((_, properties)) = resource.properties else {
            return vec![Possibility::new(Value::Absent)];
        };
        if doc.intrinsic(properties).is_none() {
            return match doc.get_value(properties, name) {
                Some(node) => self.eval(node, &resource.bindings),
                None => vec![Possibility::new(Value::Absent)],
            };
        }
        self.computed_property(resource, properties, name)
    }

    /// Starts a new allowance of [`EVAL_BUDGET`] nodes for the values
    /// [`Evaluator::value_in`] reads next: all of them together, as for one
    /// property ([`Evaluator::property`] starts its own).
    pub fn new_allowance(&self) {
        self.budget.set(EVAL_BUDGET);
    }

    /// The possible values of `node`, written inside `resource` below one
    /// of its properties (a field of one entry of a list the front-end
    /// reads entry by entry), under the resource's `Fn::ForEach` values,
    /// within the allowance of [`Evaluator::new_allowance`]: past it, the
    /// value is unknown.
    #[must_use]
    pub fn value_in(&self, resource: &Resource, node: NodeId) -> Vec<Possibility> {
        self.eval(node, &resource.bindings)
    }

    /// Property `name` of a `Properties` computed by a function (an
    /// `Fn::If` over whole property maps, most often): the property of each
    /// map it can be, in that map's scenario.
    fn computed_property(
        &self,
        resource: &Resource,
        properties: NodeId,
        name: &str,
    ) -> Vec<Possibility> {
        let doc = self.doc;
        let resource_span = doc.span(resource.node);
        let mut out = Vec::new();
        for map in self.eval(properties, &resource.bindings) {
            // The steps that chose the map (an `Fn::If` branch, its
            // condition's inputs) explain the scenario; the nodes inside the
            // resource are not where the property is written.
            let chosen_by: Vec<Step> = map
                .trace
                .iter()
                .filter(|step| step.origin != Origin::Written && !resource_span.contains(step.span))
                .cloned()
                .collect();
            let values = match &map.value {
                Value::Object(node) => match doc.get_value(*node, name) {
                    Some(value) => self.eval(value, &resource.bindings),
                    None => vec![Possibility::new(Value::Absent)],
                },
                // `AWS::NoValue`: no properties at all.
                Value::Absent => vec![Possibility::new(Value::Absent)],
                Value::Unknown(unknown) => vec![Possibility::new(Value::Unknown(unknown.clone()))],
                _ => vec![unknown(
                    doc.span(properties),
                    "`Properties` is computed to something other than a mapping",
                )],
            };
            for mut value in values {
                let Some(scenario) = value.scenario.merge(&map.scenario) else {
                    continue;
                };
                value.scenario = scenario;
                value.trace.splice(0..0, chosen_by.iter().cloned());
                out.push(value);
            }
        }
        self.bounded(out, doc.span(properties))
    }

    /// The scenarios in which the resource exists: one unconditional truth
    /// without a `Condition`, else the scenarios where its condition holds
    /// (possibly none).
    #[must_use]
    pub fn existence(&self, resource: &Resource) -> Vec<Truth> {
        let Some((name, span)) = &resource.condition else {
            return vec![Truth {
                holds: true,
                scenario: Scenario::default(),
                trace: Vec::new(),
            }];
        };
        self.condition(name, *span)
            .iter()
            .filter(|truth| truth.holds)
            .cloned()
            .collect()
    }
}
