//! CloudFormation's static evaluation: what can a value be, in which scenario,
//! and where did it come from, through parameters, conditions, mappings and
//! intrinsic functions. The answers are in the neutral terms of [`crate::eval`].
//!
//! [`Evaluator::eval`] answers with a list of [`Possibility`]s. Each holds a
//! [`Value`] (possibly [`Value::Unknown`], with the reason), the [`Scenario`]
//! in which it arises and a trace of the spans it flowed through, outermost
//! first: the `!Ref` in the resource, then the parameter's `Default`, say.
//!
//! # The scenario model
//!
//! **What a scenario assigns.** A scenario assigns values to the template's
//! free inputs ([`Assumption`]): parameters, pseudo parameters
//! (`AWS::Region`, `AWS::AccountId`, `AWS::Partition`, `AWS::StackName`,
//! `AWS::URLSuffix`, ...) and, only when a condition cannot be computed, the
//! condition itself as an opaque flag. An input's value is one value
//! (`Env = prod`, `AWS::Region = us-east-1`) or "any value but these"
//! (`AWS::Region` is none of `us-east-1` and `eu-west-1`), which stands for
//! every value the template never mentions. An input the scenario does not
//! name may take any value. Inputs are independent of one another: the
//! evaluator does not derive `AWS::Partition` or `AWS::URLSuffix` from
//! `AWS::Region`, so a condition on the partition and one on the region may
//! both hold in a scenario no real region has.
//!
//! **Which values an input ranges over.** A given value (`--parameter`, or
//! `parameters["AWS::Region"]` in [`LintOptions`](crate::LintOptions)) pins
//! it. Otherwise a parameter ranges over its distinct `AllowedValues`; a
//! parameter without them, and any pseudo parameter, over its `Default` (a
//! parameter's), the constants `Conditions` compare it with, and "any other
//! value" when conditions compare it at all. A parameter nothing compares is
//! its `Default` alone; an input with no value at all is unknown, and
//! `Fn::FindInMap` still enumerates the keys it can be (each key assumed in
//! turn, plus "none of the keys" when `DefaultValue` is given).
//!
//! **How conditions are derived.** Each named condition is computed once
//! from those values: `Fn::Equals` compares the values in each scenario,
//! `Fn::And`, `Fn::Or`, `Fn::Not` and `Condition` combine the results
//! scenario by scenario (equal outcomes in equal scenarios are kept once, so
//! conditions built from others stay small). Combining two scenarios keeps
//! each input's values where they meet and drops the pair when they do not:
//! `Fn::If` on `InIreland` inside a resource whose `Condition` is
//! `InVirginia` has no scenario in which both hold. A condition is an opaque
//! flag only when it cannot be computed (it compares a deploy-time value such
//! as `Fn::GetAtt`, or it is over the bounds below); two uses of one opaque
//! condition still agree.
//!
//! **Bounds.** Each property or named condition may visit
//! [`EVAL_BUDGET`] nodes and combinations (a list longer than what is left is
//! refused before it is walked); each value may have
//! [`Limits::max_possibilities`](crate::Limits::max_possibilities)
//! possibilities, and a `Fn::FindInMap` key may enumerate fewer keys than
//! that. Past any bound the value is unknown, never partially known: the
//! resource is undetermined unless a possibility already found uses the
//! default port. A condition past the bounds becomes opaque. Traces of
//! condition outcomes keep at most 16 steps.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

// Seeded (a crafted template cannot force collisions) and faster than SipHash.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::rc::Rc;
use std::sync::Arc;

use super::template::{Binding, Parameter, Resource, Template};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::eval::parse_int as parse_yaml_int;
use crate::eval::{
    Assumption, Origin, Possibility, Scenario, Step, Truth, Unknown, UnknownSource, Value,
    excluding,
};
use crate::model::Texts;
use crate::model::{ResourceKind, SourceKind};
use crate::source::{FileId, Span};
use crate::syntax::{Document, NodeId, NodeKind, ScalarType};
use compact_str::CompactString;

#[derive(Clone, Debug)]
enum Tri {
    Known(bool),
    Unknown,
}

impl Tri {
    fn same(&self, other: &Tri) -> bool {
        match (self, other) {
            (Tri::Known(a), Tri::Known(b)) => a == b,
            (Tri::Unknown, Tri::Unknown) => true,
            _ => false,
        }
    }
}

/// An outcome that cannot be worked out, in every scenario.
fn unknown_truth() -> TriTruth {
    TriTruth {
        value: Tri::Unknown,
        scenario: Scenario::default(),
        trace: Vec::new(),
    }
}

#[derive(Clone, Debug)]
struct TriTruth {
    value: Tri,
    scenario: Scenario,
    trace: Vec<Step>,
}

/// Most nodes and combinations evaluated for one property or one named
/// condition. YAML aliases make a document a graph, so walking it as a tree
/// can take exponential time (a "billion laughs" list used as a value), and
/// combining the outcomes of conditions built from others multiplies them;
/// real properties visit a few dozen nodes.
pub const EVAL_BUDGET: usize = 100_000;

/// Evaluates values of one template.
///
/// Conditions are evaluated once and cached, so a template with hundreds of
/// `Fn::If`s on the same few conditions costs little.
#[derive(Debug)]
pub struct Evaluator<'t, 'd> {
    template: &'t Template<'d>,
    doc: &'d Document,
    given: &'t BTreeMap<String, String>,
    limit: usize,
    /// For parameters without `AllowedValues`: the constants `Conditions`
    /// compare them with, which are values a deployer may choose.
    compared: HashMap<Box<str>, Vec<(Box<str>, Span)>>,
    /// The length of each condition's longest chain of `Condition` references.
    condition_depths: HashMap<Box<str>, usize>,
    conditions: RefCell<HashMap<Box<str>, Rc<[Truth]>>>,
    visiting: RefCell<Vec<Box<str>>>,
    problems: RefCell<Vec<Diagnostic>>,
    /// (span, message) of each problem in `problems`, to report each once.
    reported: RefCell<HashSet<(Span, String)>>,
    /// Nodes the current property (or named condition) may still visit.
    budget: Cell<usize>,
    /// Nodes visited in all, for [`Evaluator::steps`].
    steps: Cell<u64>,
    /// The values of each parameter, when none is unknown: the same for
    /// every `Ref`, and thousands of resources may refer to one parameter.
    parameter_values: RefCell<HashMap<Arc<str>, Rc<[Possibility]>>>,
    /// The keys of a mapping level with the scenario assuming each, for a
    /// `Fn::FindInMap` key that depends on an input (the region, most often).
    enumerated_keys: RefCell<HashMap<(NodeId, Assumption), Rc<KeyScenarios>>>,
    /// `Fn::FindInMap` results by their arguments, when those do not depend
    /// on where the call is written (`[Map, !Ref AWS::Region, Key]`, most
    /// often): a template may repeat one lookup thousands of times.
    lookups: RefCell<HashMap<[LookupKey; 3], Rc<[Possibility]>>>,
    /// The descriptions of steps written so far, so that equal ones share
    /// one allocation (the findings of a large template repeat a few).
    texts: RefCell<Texts>,
    /// The step of each `Fn::If` branch by condition, [does not hold,
    /// holds]: thousands of `Fn::If`s name a few conditions.
    branch_origins: RefCell<HashMap<Box<str>, [Option<Origin>; 2]>>,
}

impl<'t, 'd> Evaluator<'t, 'd> {
    /// An evaluator for `template`, with parameter values given by the user
    /// (they take precedence over `AllowedValues` and `Default`) and a cap on
    /// possibilities per value.
    #[must_use]
    pub fn new(
        template: &'t Template<'d>,
        given: &'t BTreeMap<String, String>,
        max_possibilities: usize,
    ) -> Self {
        Self {
            template,
            doc: template.document(),
            given,
            limit: max_possibilities.max(2),
            compared: compared_constants(template),
            condition_depths: condition_depths(template),
            conditions: RefCell::new(HashMap::new()),
            visiting: RefCell::new(Vec::new()),
            problems: RefCell::new(Vec::new()),
            reported: RefCell::new(HashSet::new()),
            budget: Cell::new(EVAL_BUDGET),
            steps: Cell::new(0),
            parameter_values: RefCell::new(HashMap::new()),
            enumerated_keys: RefCell::new(HashMap::new()),
            lookups: RefCell::new(HashMap::new()),
            texts: RefCell::new(Texts::default()),
            branch_origins: RefCell::new(HashMap::new()),
        }
    }

    /// A step's description: what the source says about the value there.
    fn describe(&self, args: std::fmt::Arguments<'_>) -> Arc<str> {
        self.texts.borrow_mut().get(args)
    }

    /// A step that says where a value came from.
    fn source(&self, args: std::fmt::Arguments<'_>) -> Origin {
        Origin::Source {
            description: self.describe(args),
        }
    }

    /// The step of the branch of an `Fn::If` on condition `name` taken
    /// when it `holds` (or does not).
    fn branch_origin(&self, name: &str, holds: bool) -> Origin {
        if let Some(Some(origin)) = self
            .branch_origins
            .borrow()
            .get(name)
            .map(|pair| pair[usize::from(holds)].clone())
        {
            return origin;
        }
        let origin = self.source(format_args!(
            "chosen when `{name}` {}",
            if holds { "holds" } else { "does not hold" }
        ));
        self.branch_origins
            .borrow_mut()
            .entry(name.into())
            .or_default()[usize::from(holds)] = Some(origin.clone());
        origin
    }

    /// How many nodes this evaluator has visited, over every property and
    /// condition: a machine-independent measure of its work, for tests and
    /// the `budget` fuzz target, which check that no input makes it unbounded.
    #[must_use]
    pub fn steps(&self) -> u64 {
        self.steps.get()
    }

    /// The template being evaluated.
    #[must_use]
    pub fn template(&self) -> &'t Template<'d> {
        self.template
    }

    /// Template errors met while evaluating (a `Ref` to nothing, an undefined
    /// or cyclic condition), each reported once.
    #[must_use]
    pub fn take_problems(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.problems.borrow_mut())
    }

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

    /// Evaluates a node under the bindings of enclosing `Fn::ForEach` loops.
    #[must_use]
    pub fn eval(&self, node: NodeId, bindings: &[Binding]) -> Vec<Possibility> {
        let doc = self.doc;
        let span = doc.span(node);
        if !self.spend() {
            return vec![unknown(span, &too_large_reason())];
        }
        let node = doc.resolve(node);
        let mut result = match &doc.node(node).kind {
            NodeKind::Scalar(scalar) => vec![scalar_possibility(scalar, span)],
            NodeKind::Sequence(items) => self.list(items, bindings),
            NodeKind::Mapping(_) => match doc.intrinsic(node) {
                Some((entry, name)) => self.function(name, entry.value, span, bindings),
                None => vec![Possibility::new(Value::Object(node))],
            },
            NodeKind::Alias(_) => vec![unknown(span, "alias chain")],
        };
        dedup_possibilities(&mut result);
        // Outermost first: this node goes before what its value came from.
        let written = Step::new(FileId::FIRST, span, Origin::Written);
        for possibility in &mut result {
            if possibility.trace.is_empty() {
                // Most values are literals: one step, allocated at its size
                // rather than grown to a vector's first capacity.
                possibility.trace = vec![written.clone()];
            } else {
                possibility.trace.insert(0, written.clone());
            }
        }
        result
    }

    fn function(
        &self,
        name: &str,
        args: NodeId,
        span: Span,
        bindings: &[Binding],
    ) -> Vec<Possibility> {
        match name {
            "Ref" => self.reference(args, span, bindings),
            "Fn::If" => self.if_(args, span, bindings),
            "Fn::FindInMap" => self.find_in_map(args, span, bindings),
            "Fn::Sub" => self.sub(args, span, bindings),
            "Fn::Join" => self.join(args, span, bindings),
            "Fn::Select" => self.select(args, span, bindings),
            "Fn::Split" => self.split(args, span, bindings),
            "Fn::GetAtt" => vec![unknown(
                span,
                "`Fn::GetAtt` reads a resource attribute, known only after deployment",
            )],
            "Fn::ImportValue" => vec![unknown(
                span,
                "`Fn::ImportValue` reads another stack's export, known only at deploy time",
            )],
            "Fn::GetAZs" => vec![unknown(
                span,
                "`Fn::GetAZs` depends on the deployment region",
            )],
            _ => vec![unknown(
                span,
                &format!("`{name}` is not evaluated statically"),
            )],
        }
    }

    // ----- Ref --------------------------------------------------------------

    fn reference(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
        let Some(name) = self.doc.str(args) else {
            return vec![unknown(
                span,
                "`Ref` takes the name of a parameter or resource",
            )];
        };
        self.named_value(name, span, bindings)
    }

    /// What `Ref: name` (or `${name}` in `Fn::Sub`) yields.
    fn named_value(&self, name: &str, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
        if let Some(binding) = bindings.iter().rev().find(|b| &*b.identifier == name) {
            return vec![
                Possibility::new(Value::String(binding.value.as_ref().into())).with_valued_step(
                    binding.span,
                    Origin::Instance {
                        description: self
                            .describe(format_args!("loop value of `{}`", binding.identifier)),
                    },
                    &binding.value,
                ),
            ];
        }
        match name {
            "AWS::NoValue" => return vec![Possibility::new(Value::Absent)],
            _ if name.starts_with("AWS::") => return self.pseudo_parameter(name, span),
            _ => {}
        }
        if self.template.parameter(name).is_some() {
            return self.parameter(name, span);
        }
        if let Some(type_name) = self.template.resource_type(name) {
            let reason = format!(
                "`Ref` to resource `{name}` yields its physical id, known only after deployment"
            );
            // Kept as a reference, so that a member (an RDS instance in a
            // cluster) is judged through the resource it names.
            let source = UnknownSource::Resource {
                name: name.into(),
                kind: ResourceKind::from_type_name(SourceKind::CloudFormation, type_name),
            };
            return vec![Possibility::new(Value::Unknown(Unknown {
                reason,
                file: FileId::FIRST,
                span,
                source,
            }))];
        }
        let reason = format!("`Ref` to `{name}`, which is neither a parameter nor a resource");
        self.problem(span, &reason);
        vec![unknown(span, &reason)]
    }

    /// The values a pseudo parameter (`AWS::Region`, `AWS::AccountId`, ...)
    /// can take: a given value; else, when conditions compare it, each
    /// constant they compare it with and "any other value"; else unknown,
    /// which `Fn::FindInMap` still enumerates as a key.
    fn pseudo_parameter(&self, name: &str, span: Span) -> Vec<Possibility> {
        let shared: Arc<str> = Arc::from(name);
        if let Some(given) = self.given.get(name) {
            return vec![
                Possibility::new(Value::String(given.as_str().into())).with_valued_step(
                    span,
                    self.source(format_args!("parameter `{name}` is given as {given}")),
                    given,
                ),
            ];
        }
        let reason = match name {
            "AWS::Region" => {
                "`AWS::Region` is the deployment region; give it a value to check one region"
                    .to_string()
            }
            _ => format!(
                "the pseudo parameter `{name}` is known only at deploy time; give it a value to check it"
            ),
        };
        let Some(constants) = self.compared.get(name) else {
            return vec![Possibility::new(Value::Unknown(Unknown {
                file: FileId::FIRST,
                reason,
                span,
                source: UnknownSource::Parameter(shared),
            }))];
        };
        let assume =
            |value: Arc<str>| Scenario::single(Assumption::Parameter(shared.clone()), value);
        let mut out = Vec::with_capacity(constants.len() + 1);
        for (value, constant_span) in constants {
            let mut p = Possibility::new(Value::String((**value).into())).with_valued_step(
                *constant_span,
                self.source(format_args!("a condition compares `{name}` with {value}")),
                value,
            );
            p.scenario = assume(Arc::from(&**value));
            out.push(p);
        }
        let mut other = Possibility::new(Value::Unknown(Unknown {
            file: FileId::FIRST,
            reason,
            span,
            source: UnknownSource::Parameter(shared.clone()),
        }))
        .with_step(
            span,
            Origin::OtherValue {
                input: shared.clone(),
                description: self
                    .describe(format_args!("parameter `{name}` may take another value")),
            },
        );
        other.scenario = assume(excluding(constants.iter().map(|(c, _)| &**c)));
        out.push(other);
        self.bounded(out, span)
    }

    /// The values a parameter can take: a given value, else each of its
    /// `AllowedValues`, else its `Default`. Computed once per parameter,
    /// unless a value is unknown: an unknown names the span of the `Ref`.
    fn parameter(&self, name: &str, span: Span) -> Vec<Possibility> {
        let Some(parameter) = self.template.parameter(name) else {
            return vec![unknown(span, "no such parameter")];
        };
        if let Some(values) = self.parameter_values.borrow().get(name) {
            return values.to_vec();
        }
        let values = self.parameter_uncached(parameter, span);
        if values.iter().all(|p| !matches!(p.value, Value::Unknown(_))) {
            self.parameter_values
                .borrow_mut()
                .insert(parameter.name.clone(), values.as_slice().into());
        }
        values
    }

    fn parameter_uncached(&self, parameter: &Parameter, span: Span) -> Vec<Possibility> {
        let doc = self.doc;
        let name = &*parameter.name;
        let as_list = parameter.is_list();
        let make = |text: &str| {
            if as_list {
                Value::List(
                    text.split(',')
                        .map(|s| Value::String(s.trim().into()))
                        .collect(),
                )
            } else {
                Value::String(text.into())
            }
        };
        if let Some(given) = self.given.get(name) {
            return vec![Possibility::new(make(given)).with_valued_step(
                parameter.name_span,
                self.source(format_args!("parameter `{name}` is given as {given}")),
                given,
            )];
        }
        if parameter.is_ssm() {
            return vec![Possibility::new(Value::Unknown(Unknown {
                file: FileId::FIRST,
                reason: format!(
                    "parameter `{name}` is read from SSM Parameter Store at deploy time"
                ),
                span,
                source: UnknownSource::Parameter(parameter.name.clone()),
            }))];
        }
        if let Some(allowed) = parameter.allowed_values.and_then(|a| doc.sequence(a)) {
            // Each distinct value once: `['', '']` is one choice, not two
            // (duplicates made a long `Fn::Sub` quadratic).
            let mut seen = HashSet::with_capacity(allowed.len());
            let distinct: Vec<_> = allowed
                .iter()
                .filter_map(|&item| Some((doc.scalar(item)?, doc.span(item))))
                .filter(|(scalar, _)| seen.insert(scalar.value.as_str()))
                .collect();
            let choices: Vec<Possibility> = distinct
                .iter()
                .map(|(scalar, item_span)| {
                    let mut possibility = Possibility::new(make(&scalar.value)).with_valued_step(
                        *item_span,
                        self.source(format_args!("parameter `{name}` allows {}", scalar.value)),
                        &scalar.value,
                    );
                    if distinct.len() > 1 {
                        possibility.scenario = Scenario::single(
                            Assumption::Parameter(parameter.name.clone()),
                            Arc::from(&*scalar.value),
                        );
                    }
                    possibility
                })
                .collect();
            if !choices.is_empty() {
                return self.bounded(choices, span);
            }
        }
        self.free_parameter(parameter, span, &make)
    }

    /// A parameter without `AllowedValues` can take any value. It ranges over
    /// its `Default`, the constants `Conditions` compare it with, and "another
    /// value"; a parameter no condition compares is represented by its
    /// `Default` alone, and one without a `Default` is unknown.
    fn free_parameter(
        &self,
        parameter: &Parameter,
        span: Span,
        make: &dyn Fn(&str) -> Value,
    ) -> Vec<Possibility> {
        let doc = self.doc;
        let name = &parameter.name;
        let default = parameter
            .default
            .and_then(|node| Some((doc.scalar(node)?.value.clone(), doc.span(node))));
        let Some(constants) = self.compared.get(&**name) else {
            return match default {
                Some((value, default_span)) => {
                    vec![Possibility::new(make(&value)).with_valued_step(
                        default_span,
                        self.source(format_args!("parameter `{name}` defaults to {value}")),
                        &value,
                    )]
                }
                None => vec![Possibility::new(Value::Unknown(Unknown {
                    file: FileId::FIRST,
                    reason: format!(
                        "parameter `{name}` has no `Default`; give it a value to check it"
                    ),
                    span,
                    source: UnknownSource::Parameter(name.clone()),
                }))],
            };
        };
        let compared = constants
            .iter()
            .filter(|(c, _)| default.as_ref().is_none_or(|(d, _)| d != c));
        let assume =
            |value: &str| Scenario::single(Assumption::Parameter(name.clone()), value.into());
        let mut out = Vec::with_capacity(constants.len() + 2);
        if let Some((value, default_span)) = &default {
            let mut p = Possibility::new(make(value)).with_valued_step(
                *default_span,
                self.source(format_args!("parameter `{name}` defaults to {value}")),
                value,
            );
            p.scenario = assume(value);
            out.push(p);
        }
        for (value, constant_span) in compared {
            let mut p = Possibility::new(make(value)).with_valued_step(
                *constant_span,
                self.source(format_args!(
                    "a condition compares parameter `{name}` with {value}"
                )),
                value,
            );
            p.scenario = assume(value);
            out.push(p);
        }
        // Unknown, but from this parameter: `Fn::FindInMap` enumerates the
        // keys it can be besides the values above.
        let mut other = Possibility::new(Value::Unknown(Unknown {
            file: FileId::FIRST,
            reason: format!("parameter `{name}` may have a value other than its `Default`; give it a value to check it"),
            span,
            source: UnknownSource::Parameter(name.clone()),
        }))
        .with_step(
            parameter.name_span,
            Origin::OtherValue {
                input: name.clone(),
                description: self.describe(format_args!("parameter `{name}` may take another value")),
            },
        );
        let mentioned = default
            .iter()
            .map(|(d, _)| d.as_str())
            .chain(constants.iter().map(|(c, _)| &**c));
        other.scenario =
            Scenario::single(Assumption::Parameter(name.clone()), excluding(mentioned));
        out.push(other);
        self.bounded(out, span)
    }

    // ----- Fn::If and conditions -------------------------------------------

    fn if_(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
        let doc = self.doc;
        let Some(&[condition, when_true, when_false]) = doc.sequence(args) else {
            return vec![unknown(
                span,
                "`Fn::If` takes a condition name and two values",
            )];
        };
        let Some(name) = doc.str(condition) else {
            return vec![unknown(
                span,
                "the first item of `Fn::If` must be a condition name",
            )];
        };
        let truths = self.condition(name, doc.span(condition));
        if truths.is_empty() {
            return vec![unknown(
                span,
                &format!("condition `{name}` cannot be evaluated"),
            )];
        }
        let mut out = Vec::with_capacity(truths.len());
        for truth in truths.iter() {
            let branch = if truth.holds { when_true } else { when_false };
            let origin = self.branch_origin(name, truth.holds);
            for possibility in self.eval(branch, bindings) {
                let Some(scenario) = possibility.scenario.merge(&truth.scenario) else {
                    continue;
                };
                let mut trace = Vec::with_capacity(truth.trace.len() + possibility.trace.len());
                trace.extend_from_slice(&truth.trace);
                trace.push(Step::new(FileId::FIRST, doc.span(branch), origin.clone()));
                trace.extend(possibility.trace.into_iter().skip(1));
                out.push(Possibility {
                    value: possibility.value,
                    scenario,
                    trace,
                });
            }
        }
        self.bounded(out, span)
    }

    /// The scenarios of a named condition, evaluated once. An undefined or
    /// cyclic condition yields no truths and is reported as a problem.
    #[must_use]
    pub fn condition(&self, name: &str, use_span: Span) -> Rc<[Truth]> {
        if let Some(cached) = self.conditions.borrow().get(name) {
            return Rc::clone(cached);
        }
        let Some(node) = self.template.condition(name) else {
            self.problem(
                use_span,
                &format!("condition `{name}` is not defined in `Conditions`"),
            );
            return Rc::from(Vec::new());
        };
        if self.visiting.borrow().iter().any(|v| &**v == name) {
            let chain = self.visiting.borrow().join(" -> ");
            self.problem(
                use_span,
                &format!("conditions refer to each other in a cycle: {chain} -> {name}"),
            );
            return Rc::from(Vec::new());
        }
        // Each reference to another condition recurses: a condition whose
        // chain of references is too long is refused whoever asks first, so
        // the answer does not depend on evaluation order or threads.
        if self
            .condition_depths
            .get(name)
            .is_some_and(|&d| d > MAX_CONDITION_CHAIN)
        {
            let message = format!(
                "conditions refer to each other more than {MAX_CONDITION_CHAIN} levels deep (`{name}` and beyond are not evaluated)"
            );
            self.problem(use_span, &message);
            return Rc::from(Vec::new());
        }
        self.visiting.borrow_mut().push(name.into());
        // A named condition is evaluated once and cached: it gets its own
        // budget, and the evaluation that asked for it keeps what it had left.
        let saved = self.budget.replace(EVAL_BUDGET);
        let tri = self.condition_expr(node, &[]);
        self.budget.set(saved);
        self.visiting.borrow_mut().pop();
        let truths: Rc<[Truth]> = Rc::from(self.settle(name, tri));
        self.conditions
            .borrow_mut()
            .insert(name.into(), Rc::clone(&truths));
        truths
    }

    /// Turns three-valued results into truths: an unknown outcome becomes an
    /// opaque assumption on the condition itself, so every use of the same
    /// condition agrees.
    fn settle(&self, name: &str, tri: Vec<TriTruth>) -> Vec<Truth> {
        let mut truths = Vec::with_capacity(tri.len());
        for t in tri {
            match t.value {
                Tri::Known(holds) => truths.push(Truth {
                    holds,
                    scenario: t.scenario,
                    trace: t.trace,
                }),
                Tri::Unknown => {
                    for holds in [true, false] {
                        let assumption = Scenario::single(
                            Assumption::Condition(name.into()),
                            if holds { "true" } else { "false" }.into(),
                        );
                        if let Some(scenario) = t.scenario.merge(&assumption) {
                            truths.push(Truth {
                                holds,
                                scenario,
                                trace: t.trace.clone(),
                            });
                        }
                    }
                }
            }
        }
        // Too many outcomes to follow: the condition is an opaque flag
        // (both outcomes possible), never a partial list of its outcomes.
        if truths.len() > self.limit {
            truths = [true, false]
                .into_iter()
                .map(|holds| Truth {
                    holds,
                    scenario: Scenario::single(
                        Assumption::Condition(name.into()),
                        if holds { "true" } else { "false" }.into(),
                    ),
                    trace: Vec::new(),
                })
                .collect();
        }
        truths
    }

    fn condition_expr(&self, node: NodeId, bindings: &[Binding]) -> Vec<TriTruth> {
        let doc = self.doc;
        let opaque = || vec![unknown_truth()];
        if !self.spend() {
            return opaque();
        }
        if let Some(scalar) = doc.scalar(node) {
            return match scalar.value.to_ascii_lowercase().as_str() {
                "true" => vec![known(true)],
                "false" => vec![known(false)],
                _ => opaque(),
            };
        }
        let Some((entry, name)) = doc.intrinsic(node) else {
            return opaque();
        };
        let args = entry.value;
        match name {
            "Condition" => match doc.str(args) {
                Some(other) => self
                    .condition(other, doc.span(args))
                    .iter()
                    .map(|t| TriTruth {
                        value: Tri::Known(t.holds),
                        scenario: t.scenario.clone(),
                        trace: t.trace.clone(),
                    })
                    .collect(),
                None => opaque(),
            },
            "Fn::Equals" => self.equals(args, bindings),
            "Fn::Not" => match doc.sequence(args) {
                Some(&[inner]) => self
                    .condition_expr(inner, bindings)
                    .into_iter()
                    .map(|mut t| {
                        if let Tri::Known(b) = t.value {
                            t.value = Tri::Known(!b);
                        }
                        t
                    })
                    .collect(),
                _ => opaque(),
            },
            "Fn::And" | "Fn::Or" => match doc.sequence(args) {
                Some(items) if !items.is_empty() => {
                    self.connective(name == "Fn::And", items, bindings)
                }
                _ => opaque(),
            },
            _ => opaque(),
        }
    }

    fn equals(&self, args: NodeId, bindings: &[Binding]) -> Vec<TriTruth> {
        let Some(&[left, right]) = self.doc.sequence(args) else {
            return vec![unknown_truth()];
        };
        let lefts = self.eval(left, bindings);
        let rights = self.eval(right, bindings);
        let mut out = Vec::new();
        for l in &lefts {
            for r in &rights {
                if !self.spend() {
                    return vec![unknown_truth()];
                }
                let Some(scenario) = l.scenario.merge(&r.scenario) else {
                    continue;
                };
                let value = match (l.value.comparable(), r.value.comparable()) {
                    (Some(a), Some(b)) => Tri::Known(a == b),
                    (None, Some(c)) if self.is_other_than(l, &c) => Tri::Known(false),
                    (Some(c), None) if self.is_other_than(r, &c) => Tri::Known(false),
                    _ => Tri::Unknown,
                };
                let trace = outside_steps(&l.trace)
                    .chain(outside_steps(&r.trace))
                    .collect();
                out.push(TriTruth {
                    value,
                    scenario,
                    trace,
                });
                if out.len() > self.limit {
                    return vec![unknown_truth()];
                }
            }
        }
        out
    }

    /// Whether `p` is a parameter's "another value" possibility and `constant`
    /// is one of the values the template mentions for it, so they differ.
    fn is_other_than(&self, p: &Possibility, constant: &str) -> bool {
        let Some(parameter) = p.trace.iter().find_map(|step| match &step.origin {
            Origin::OtherValue { input, .. } => Some(input),
            _ => None,
        }) else {
            return false;
        };
        let is_default = self
            .template
            .parameter(parameter)
            .and_then(|param| param.default)
            .and_then(|node| self.doc.str(node))
            == Some(constant);
        let is_compared = self
            .compared
            .get(&**parameter)
            .is_some_and(|constants| constants.iter().any(|(c, _)| &**c == constant));
        is_default || is_compared
    }

    fn connective(&self, is_and: bool, items: &[NodeId], bindings: &[Binding]) -> Vec<TriTruth> {
        let mut acc = vec![known(is_and)];
        for &item in items {
            let operand = self.condition_expr(item, bindings);
            let mut next: Vec<TriTruth> = Vec::new();
            for a in &acc {
                for b in &operand {
                    if !self.spend() {
                        return vec![unknown_truth()];
                    }
                    let Some(scenario) = a.scenario.merge(&b.scenario) else {
                        continue;
                    };
                    let value = match (&a.value, &b.value) {
                        (Tri::Known(x), Tri::Known(y)) => {
                            Tri::Known(if is_and { *x && *y } else { *x || *y })
                        }
                        // A decisive operand settles the result even beside an unknown.
                        (Tri::Known(x), Tri::Unknown) | (Tri::Unknown, Tri::Known(x))
                            if *x != is_and =>
                        {
                            Tri::Known(*x)
                        }
                        _ => Tri::Unknown,
                    };
                    // The same outcome in the same scenario is one truth:
                    // conditions built from others repeat them, and keeping
                    // each copy multiplied the truths at every level.
                    if next
                        .iter()
                        .any(|t| t.value.same(&value) && t.scenario == scenario)
                    {
                        continue;
                    }
                    next.push(TriTruth {
                        value,
                        scenario,
                        trace: union_trace(&a.trace, &b.trace),
                    });
                }
            }
            // Past the cap the combination is opaque, never partly known.
            if next.len() > self.limit {
                return vec![unknown_truth()];
            }
            acc = next;
        }
        acc
    }

    // ----- Fn::FindInMap ----------------------------------------------------

    fn find_in_map(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
        let doc = self.doc;
        let Some(items) = doc.sequence(args) else {
            return vec![unknown(span, "`Fn::FindInMap` takes a list")];
        };
        let (map_arg, top_arg, second_arg, default) = match items {
            [m, t, s] => (*m, *t, *s, None),
            [m, t, s, options] => (*m, *t, *s, doc.get_value(*options, "DefaultValue")),
            _ => {
                return vec![unknown(
                    span,
                    "`Fn::FindInMap` takes a mapping name and two keys",
                )];
            }
        };
        let Some(mappings) = self.template.mappings() else {
            return self.map_miss(
                default,
                span,
                "the template has no `Mappings` section",
                bindings,
            );
        };
        // Each argument is evaluated once; only the keys it enumerates depend
        // on the level it is looked up in.
        let map_args = self.eval(map_arg, bindings);
        let top_args = self.eval(top_arg, bindings);
        let second_args = self.eval(second_arg, bindings);
        let shared = default
            .is_none()
            .then(|| lookup_keys(&map_args, &top_args, &second_args))
            .flatten();
        if let Some(key) = &shared
            && let Some(values) = self.lookups.borrow().get(key)
        {
            return values.to_vec();
        }
        let arguments = LookupArguments {
            map: (map_arg, &map_args),
            top: (top_arg, &top_args),
            second: (second_arg, &second_args),
            default,
        };
        let values = self.look_up(mappings, &arguments, span, bindings);
        // Only known values are kept: an unknown names the span of this call.
        if let Some(key) = shared
            && values.iter().all(|p| !matches!(p.value, Value::Unknown(_)))
        {
            self.lookups
                .borrow_mut()
                .insert(key, values.as_slice().into());
        }
        values
    }

    /// The lookups of `Fn::FindInMap` once its arguments are evaluated.
    fn look_up(
        &self,
        mappings: NodeId,
        arguments: &LookupArguments<'_>,
        span: Span,
        bindings: &[Binding],
    ) -> Vec<Possibility> {
        let doc = self.doc;
        let LookupArguments {
            map: (map_arg, map_args),
            top: (top_arg, top_args),
            second: (second_arg, second_args),
            default,
        } = *arguments;
        let mut out = Vec::new();
        // A key none of the level lists falls back to `DefaultValue`; without
        // one the stack fails to deploy there, so there is no value.
        let unlisted = |out: &mut Vec<Possibility>, scenarios: &[&Scenario], trace: &[Step]| {
            if default.is_none() {
                return;
            }
            let reason = "the key is none of the mapping's keys";
            for p in self.map_miss(default, span, reason, bindings) {
                if let Some(mut p) = with_scenarios(p, scenarios) {
                    p.trace.splice(0..0, trace.iter().cloned());
                    out.push(p);
                }
            }
        };
        for map_name in self.keys(map_args, doc.span(map_arg), mappings) {
            let (map_name, s1, t1) = match map_name {
                KeyChoice::Key(key, scenario, trace) => (key, scenario, trace),
                KeyChoice::Unlisted(scenario, trace) => {
                    unlisted(&mut out, &[&scenario], &trace);
                    continue;
                }
                KeyChoice::Unknown(unknown) => {
                    out.push(Possibility::new(Value::Unknown(unknown)));
                    continue;
                }
            };
            let Some(map) = doc.get_value(mappings, &map_name) else {
                out.extend(
                    self.map_miss(
                        default,
                        span,
                        &format!("there is no mapping named `{map_name}`"),
                        bindings,
                    )
                    .into_iter()
                    .filter_map(|p| with_scenarios(p, &[&s1])),
                );
                continue;
            };
            for top in self.keys(top_args, doc.span(top_arg), map) {
                let (top_key, s2, t2) = match top {
                    KeyChoice::Key(key, scenario, trace) => (key, scenario, trace),
                    KeyChoice::Unlisted(scenario, trace) => {
                        let trace: Vec<Step> = t1.iter().chain(&trace).cloned().collect();
                        unlisted(&mut out, &[&s1, &scenario], &trace);
                        continue;
                    }
                    KeyChoice::Unknown(unknown) => {
                        out.push(Possibility::new(Value::Unknown(unknown)));
                        continue;
                    }
                };
                let Some(level) = doc.get_value(map, &top_key) else {
                    let reason = format!("mapping `{map_name}` has no key `{top_key}`");
                    let misses = self.map_miss(default, span, &reason, bindings);
                    out.extend(
                        misses
                            .into_iter()
                            .filter_map(|p| with_scenarios(p, &[&s1, &s2])),
                    );
                    continue;
                };
                for second in self.keys(second_args, doc.span(second_arg), level) {
                    let (second_key, s3, t3) = match second {
                        KeyChoice::Key(key, scenario, trace) => (key, scenario, trace),
                        KeyChoice::Unlisted(scenario, trace) => {
                            let trace: Vec<Step> =
                                t1.iter().chain(&t2).chain(&trace).cloned().collect();
                            unlisted(&mut out, &[&s1, &s2, &scenario], &trace);
                            continue;
                        }
                        KeyChoice::Unknown(unknown) => {
                            out.push(Possibility::new(Value::Unknown(unknown)));
                            continue;
                        }
                    };
                    let Some(entry) = doc.get(level, &second_key) else {
                        let reason =
                            format!("mapping `{map_name}` has no key `{top_key}`.`{second_key}`");
                        let misses = self.map_miss(default, span, &reason, bindings);
                        out.extend(
                            misses
                                .into_iter()
                                .filter_map(|p| with_scenarios(p, &[&s1, &s2, &s3])),
                        );
                        continue;
                    };
                    let shown = doc.str(entry.value);
                    let origin = self.source(format_args!(
                        "`{map_name}` maps `{top_key}`.`{second_key}` to{}",
                        Shown(shown)
                    ));
                    for value in self.eval(entry.value, bindings) {
                        let Some(mut value) = with_scenarios(value, &[&s1, &s2, &s3]) else {
                            continue;
                        };
                        let mut trace: Vec<Step> =
                            t1.iter().chain(&t2).chain(&t3).cloned().collect();
                        trace.push(Step {
                            value: shown.map(Into::into),
                            ..Step::new(FileId::FIRST, doc.span(entry.value), origin.clone())
                        });
                        trace.extend(value.trace.drain(..).skip(1));
                        value.trace = trace;
                        out.push(value);
                    }
                    if out.len() > self.limit {
                        return self.bounded(out, span);
                    }
                }
            }
        }
        self.bounded(out, span)
    }

    fn map_miss(
        &self,
        default: Option<NodeId>,
        span: Span,
        reason: &str,
        bindings: &[Binding],
    ) -> Vec<Possibility> {
        match default {
            Some(node) => self
                .eval(node, bindings)
                .into_iter()
                .map(|mut p| {
                    let shown = doc_str(self.doc, node);
                    p.trace[0].origin = self.source(format_args!(
                        "`Fn::FindInMap` falls back to{}",
                        Shown(shown.as_deref())
                    ));
                    p.trace[0].value = shown;
                    p
                })
                .collect(),
            None => vec![unknown(span, reason)],
        }
    }

    /// The keys a `Fn::FindInMap` argument can be. A key that depends on a
    /// parameter without a value, or on the region, enumerates the keys of
    /// `level` under an assumption about that input.
    fn keys(&self, possibilities: &[Possibility], arg_span: Span, level: NodeId) -> Vec<KeyChoice> {
        let doc = self.doc;
        let mut out = Vec::new();
        for possibility in possibilities {
            let outside: Vec<Step> = outside_steps(&possibility.trace).collect();
            match &possibility.value {
                Value::String(text) | Value::Number(text) => {
                    out.push(KeyChoice::Key(
                        text.clone(),
                        possibility.scenario.clone(),
                        outside,
                    ));
                }
                Value::Unknown(unknown) => {
                    if doc.mapping(level).is_none() {
                        out.push(KeyChoice::Unknown(unknown.clone()));
                        continue;
                    }
                    let assumption = match &unknown.source {
                        UnknownSource::Parameter(name) => Some(Assumption::Parameter(name.clone())),
                        UnknownSource::Other | UnknownSource::Resource { .. } => None,
                    };
                    let keys = self.enumerate_keys(level, assumption);
                    // Past the cap the key is unknown: a lookup that tried
                    // only some keys would look known and miss the rest.
                    if keys.keys.len() >= self.limit {
                        out.push(KeyChoice::Unknown(self.too_many_reason(arg_span)));
                        continue;
                    }
                    for (key, scenario) in &keys.keys {
                        if let Some(scenario) = scenario.merge(&possibility.scenario) {
                            out.push(KeyChoice::Key(key.clone(), scenario, outside.clone()));
                        }
                    }
                    if let Some(unlisted) = &keys.unlisted
                        && let Some(scenario) = unlisted.merge(&possibility.scenario)
                    {
                        out.push(KeyChoice::Unlisted(scenario, outside.clone()));
                    }
                }
                _ => out.push(KeyChoice::Unknown(Unknown {
                    file: FileId::FIRST,
                    reason: "a `Fn::FindInMap` key must be a string".into(),
                    span: arg_span,
                    source: UnknownSource::Other,
                })),
            }
            if out.len() > self.limit {
                out.truncate(self.limit - 1);
                out.push(KeyChoice::Unknown(self.too_many_reason(arg_span)));
                break;
            }
        }
        out
    }

    /// Each key of the mapping `level` with the scenario that assumes
    /// `assumption` takes it (no assumption: the key is just possible), and
    /// the scenario in which the input is none of the keys. Shared between
    /// lookups: a template may read one mapping by region in thousands of
    /// places.
    fn enumerate_keys(&self, level: NodeId, assumption: Option<Assumption>) -> Rc<KeyScenarios> {
        let entries = self.doc.mapping(level).unwrap_or_default();
        let Some(assumption) = assumption else {
            return Rc::new(KeyScenarios {
                keys: entries
                    .iter()
                    .map(|entry| (entry.key.text.clone(), Scenario::default()))
                    .collect(),
                unlisted: None,
            });
        };
        let cache_key = (level, assumption);
        if let Some(keys) = self.enumerated_keys.borrow().get(&cache_key) {
            return Rc::clone(keys);
        }
        let keys = entries
            .iter()
            .map(|entry| {
                let value = Arc::from(&*entry.key.text);
                let scenario = Scenario::single(cache_key.1.clone(), value);
                (entry.key.text.clone(), scenario)
            })
            .collect();
        let unlisted = excluding(entries.iter().map(|entry| &*entry.key.text));
        let keys = Rc::new(KeyScenarios {
            keys,
            unlisted: Some(Scenario::single(cache_key.1.clone(), unlisted)),
        });
        self.enumerated_keys
            .borrow_mut()
            .insert(cache_key, Rc::clone(&keys));
        keys
    }

    // ----- Fn::Sub, Fn::Join, Fn::Select, Fn::Split -------------------------

    fn sub(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
        let doc = self.doc;
        let (text_node, variables) = match doc.sequence(args) {
            Some(&[text, variables]) => (text, Some(variables)),
            Some(_) => {
                return vec![unknown(
                    span,
                    "`Fn::Sub` takes a string, or a string and a mapping of variables",
                )];
            }
            None => (args, None),
        };
        let Some(text) = doc.str(text_node) else {
            return vec![unknown(span, "the `Fn::Sub` template must be a string")];
        };
        let mut parts: Vec<Vec<Possibility>> = Vec::new();
        for piece in parse_sub(text) {
            match piece {
                SubPiece::Text(literal) => {
                    parts.push(vec![Possibility::new(Value::String(literal.into()))]);
                }
                SubPiece::Variable(name) => {
                    let explicit = variables.and_then(|v| doc.get_value(v, name));
                    let values = match explicit {
                        Some(node) => self.eval(node, bindings),
                        None if name.contains('.') => vec![unknown(
                            span,
                            &format!(
                                "`${{{name}}}` reads a resource attribute, known only after deployment"
                            ),
                        )],
                        None => self.named_value(name, span, bindings),
                    };
                    parts.push(values);
                }
            }
        }
        self.concatenate(parts, "", span)
    }

    fn join(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
        let doc = self.doc;
        let Some(&[delimiter, list]) = doc.sequence(args) else {
            return vec![unknown(span, "`Fn::Join` takes a delimiter and a list")];
        };
        let Some(delimiter) = doc.str(delimiter) else {
            return vec![unknown(span, "the `Fn::Join` delimiter must be a string")];
        };
        if let Some(items) = doc.sequence(list) {
            let parts = items
                .iter()
                .map(|&item| self.eval(item, bindings))
                .collect();
            return self.concatenate(parts, delimiter, span);
        }
        self.eval(list, bindings)
            .into_iter()
            .map(|p| match &p.value {
                Value::List(items) => {
                    let texts: Option<Vec<&str>> = items.iter().map(Value::as_text).collect();
                    let value = match texts {
                        Some(texts) => Value::String(texts.join(delimiter).into()),
                        None => unknown_value(span, "`Fn::Join` of a list with unknown items"),
                    };
                    Possibility { value, ..p }
                }
                Value::Unknown(_) => p,
                _ => Possibility {
                    value: unknown_value(span, "`Fn::Join` needs a list"),
                    ..p
                },
            })
            .collect()
    }

    fn select(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
        let doc = self.doc;
        let Some(&[index, list]) = doc.sequence(args) else {
            return vec![unknown(span, "`Fn::Select` takes an index and a list")];
        };
        let mut out = Vec::new();
        for index in self.eval(index, bindings) {
            let Some(i) = index
                .value
                .as_text()
                .and_then(|t| t.trim().parse::<usize>().ok())
            else {
                out.push(Possibility {
                    value: unknown_value(span, "the `Fn::Select` index is not a known number"),
                    ..index
                });
                continue;
            };
            // A literal list: evaluate only the item selected.
            let chosen = match doc.sequence(list) {
                Some(items) => match items.get(i) {
                    Some(&item) => self.eval(item, bindings),
                    None => vec![unknown(
                        span,
                        "the `Fn::Select` index is past the end of the list",
                    )],
                },
                None => self
                    .eval(list, bindings)
                    .into_iter()
                    .map(|p| match &p.value {
                        Value::List(items) => {
                            let value = items.get(i).cloned().unwrap_or_else(|| {
                                unknown_value(
                                    span,
                                    "the `Fn::Select` index is past the end of the list",
                                )
                            });
                            Possibility { value, ..p }
                        }
                        Value::Unknown(_) => p,
                        _ => Possibility {
                            value: unknown_value(span, "`Fn::Select` needs a list"),
                            ..p
                        },
                    })
                    .collect(),
            };
            out.extend(
                chosen
                    .into_iter()
                    .filter_map(|p| with_scenarios(p, &[&index.scenario])),
            );
        }
        self.bounded(out, span)
    }

    fn split(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
        let doc = self.doc;
        let Some(&[delimiter, text]) = doc.sequence(args) else {
            return vec![unknown(span, "`Fn::Split` takes a delimiter and a string")];
        };
        let Some(delimiter) = doc.str(delimiter).filter(|d| !d.is_empty()) else {
            return vec![unknown(
                span,
                "the `Fn::Split` delimiter must be a non-empty string",
            )];
        };
        self.eval(text, bindings)
            .into_iter()
            .map(|p| match p.value.as_text() {
                Some(text) => {
                    let items = text
                        .split(delimiter)
                        .map(|s| Value::String(s.into()))
                        .collect();
                    Possibility {
                        value: Value::List(items),
                        ..p
                    }
                }
                None => match p.value {
                    Value::Unknown(_) => p,
                    _ => Possibility {
                        value: unknown_value(span, "`Fn::Split` needs a string"),
                        ..p
                    },
                },
            })
            .collect()
    }

    fn list(&self, items: &[NodeId], bindings: &[Binding]) -> Vec<Possibility> {
        // A list longer than the nodes left to visit cannot be evaluated
        // whole: say so before holding a value per item (a million items
        // under `Port` took 1.4 GB).
        if items.len() > self.budget.get() {
            self.budget.set(0);
            let span = items
                .first()
                .map_or(Span::default(), |&first| self.doc.span(first));
            return vec![unknown(span, &too_large_reason())];
        }
        let parts: Vec<Vec<Possibility>> = items.iter().map(|&i| self.eval(i, bindings)).collect();
        let span = items
            .first()
            .map_or(Span::default(), |&first| self.doc.span(first));
        self.product(parts, span, |values| {
            Value::List(values.into_iter().filter(|v| *v != Value::Absent).collect())
        })
    }

    /// Joins the text of each combination of parts.
    fn concatenate(
        &self,
        parts: Vec<Vec<Possibility>>,
        delimiter: &str,
        span: Span,
    ) -> Vec<Possibility> {
        self.product(parts, span, |values| {
            let mut text = String::new();
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    text.push_str(delimiter);
                }
                match value {
                    Value::String(t) | Value::Number(t) => text.push_str(t),
                    Value::Bool(b) => text.push_str(if *b { "true" } else { "false" }),
                    Value::Unknown(u) => return Value::Unknown(u.clone()),
                    _ => return unknown_value(span, "only strings and numbers can be joined"),
                }
            }
            Value::String(text.into())
        })
    }

    /// Every consistent combination of one possibility from each part.
    fn product(
        &self,
        parts: Vec<Vec<Possibility>>,
        span: Span,
        combine: impl Fn(Vec<Value>) -> Value,
    ) -> Vec<Possibility> {
        let mut acc: Vec<(Vec<Value>, Scenario, Vec<Step>)> =
            vec![(Vec::new(), Scenario::default(), Vec::new())];
        let mut truncated = false;
        for part in parts {
            // One possibility: extend every combination in place. Cloning
            // each combination per part made a long `Fn::Sub` or `Fn::Join`
            // quadratic (20,000 parts took seconds).
            if let [p] = part.as_slice()
                && acc.len() < self.limit
            {
                acc.retain_mut(|(values, scenario, trace)| {
                    let Some(merged) = scenario.merge(&p.scenario) else {
                        return false;
                    };
                    *scenario = merged;
                    values.push(p.value.clone());
                    trace.extend(outside_steps(&p.trace));
                    true
                });
                continue;
            }
            let mut next = Vec::with_capacity(acc.len() * part.len());
            'outer: for (values, scenario, trace) in &acc {
                for p in &part {
                    if !self.spend() {
                        truncated = true;
                        break 'outer;
                    }
                    let Some(merged) = scenario.merge(&p.scenario) else {
                        continue;
                    };
                    let mut values = values.clone();
                    values.push(p.value.clone());
                    let mut trace = trace.clone();
                    trace.extend(outside_steps(&p.trace));
                    next.push((values, merged, trace));
                    if next.len() >= self.limit {
                        truncated = true;
                        break 'outer;
                    }
                }
            }
            acc = next;
        }
        let mut out: Vec<Possibility> = acc
            .into_iter()
            .map(|(values, scenario, trace)| Possibility {
                value: combine(values),
                scenario,
                trace,
            })
            .collect();
        if truncated {
            out.push(self.too_many(span));
        }
        out
    }

    /// Counts one node against the budget; false when it is spent.
    fn spend(&self) -> bool {
        self.steps.set(self.steps.get() + 1);
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                true
            }
            None => false,
        }
    }

    /// Caps a list of possibilities, replacing the excess with one unknown.
    fn bounded(&self, mut possibilities: Vec<Possibility>, span: Span) -> Vec<Possibility> {
        if possibilities.len() > self.limit {
            possibilities.truncate(self.limit - 1);
            possibilities.push(self.too_many(span));
        }
        possibilities
    }

    fn too_many(&self, span: Span) -> Possibility {
        Possibility::new(Value::Unknown(self.too_many_reason(span)))
    }

    fn too_many_reason(&self, span: Span) -> Unknown {
        Unknown::new(
            format!(
                "more than {} combinations of values; not all were evaluated",
                self.limit
            ),
            FileId::FIRST,
            span,
        )
    }

    fn problem(&self, span: Span, message: &str) {
        // Keyed, so a template with thousands of dangling refs stays linear.
        let first_time = self
            .reported
            .borrow_mut()
            .insert((span, message.to_string()));
        if first_time {
            self.problems.borrow_mut().push(Diagnostic::new(
                DiagnosticKind::TemplateProblem,
                message,
                Label::primary(span, ""),
            ));
        }
    }
}

/// The arguments of a `Fn::FindInMap`: each node with its values.
struct LookupArguments<'a> {
    map: (NodeId, &'a [Possibility]),
    top: (NodeId, &'a [Possibility]),
    second: (NodeId, &'a [Possibility]),
    default: Option<NodeId>,
}

/// One argument of a `Fn::FindInMap` as far as the lookup is concerned,
/// when that does not depend on where the call is written: a literal key,
/// or a free input (the region, a parameter without a value) whose keys the
/// lookup enumerates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum LookupKey {
    Literal(CompactString),
    Input(Assumption),
}

/// The three arguments of a lookup, when each is a [`LookupKey`]: its
/// result then depends on nothing else, so it can be shared between calls.
fn lookup_keys(
    map_args: &[Possibility],
    top_args: &[Possibility],
    second_args: &[Possibility],
) -> Option<[LookupKey; 3]> {
    Some([
        lookup_key(map_args)?,
        lookup_key(top_args)?,
        lookup_key(second_args)?,
    ])
}

fn lookup_key(args: &[Possibility]) -> Option<LookupKey> {
    let [p] = args else {
        return None;
    };
    if !p.scenario.is_unconditional() || outside_steps(&p.trace).next().is_some() {
        return None;
    }
    match &p.value {
        Value::String(text) | Value::Number(text) => Some(LookupKey::Literal(text.clone())),
        Value::Unknown(unknown) => match &unknown.source {
            UnknownSource::Parameter(name) => {
                Some(LookupKey::Input(Assumption::Parameter(name.clone())))
            }
            UnknownSource::Other | UnknownSource::Resource { .. } => None,
        },
        _ => None,
    }
}

/// The keys of a mapping level, each with the scenario that assumes it.
#[derive(Debug)]
struct KeyScenarios {
    keys: Box<[(CompactString, Scenario)]>,
    /// The scenario in which the input is none of the keys (with an input).
    unlisted: Option<Scenario>,
}

/// What a `Fn::FindInMap` key can be.
enum KeyChoice {
    /// This key, in this scenario, with the steps that chose it.
    Key(CompactString, Scenario, Vec<Step>),
    /// None of the level's keys, in this scenario: the lookup falls back to
    /// its `DefaultValue`, or fails (a configuration that cannot deploy).
    Unlisted(Scenario, Vec<Step>),
    /// Not knowable.
    Unknown(Unknown),
}

/// Drops possibilities that repeat an earlier one's value and scenario: the
/// same choice reached twice (an `AllowedValues` listed twice, two branches
/// with one value) is one choice, and combining repeats multiplies work.
fn dedup_possibilities(possibilities: &mut Vec<Possibility>) {
    if possibilities.len() < 2 {
        return;
    }
    let mut kept = 0;
    for i in 0..possibilities.len() {
        let repeat = possibilities[..kept]
            .iter()
            .any(|p| p.value == possibilities[i].value && p.scenario == possibilities[i].scenario);
        if !repeat {
            possibilities.swap(kept, i);
            kept += 1;
        }
    }
    possibilities.truncate(kept);
}

/// Most steps kept in the trace of a condition's truth: the places that
/// decide it, for labels. A condition that combines others repeats their
/// steps; without a cap a DAG of conditions doubles them at each level.
const MAX_TRUTH_TRACE: usize = 16;

/// `a`'s steps, then those of `b` that `a` does not have, up to the cap.
fn union_trace(a: &[Step], b: &[Step]) -> Vec<Step> {
    let mut trace = Vec::with_capacity((a.len() + b.len()).min(MAX_TRUTH_TRACE));
    for step in a.iter().chain(b) {
        if trace.len() == MAX_TRUTH_TRACE {
            break;
        }
        if !trace.contains(step) {
            trace.push(step.clone());
        }
    }
    trace
}

/// The possibility restricted to scenarios consistent with all of `others`.
fn with_scenarios(mut p: Possibility, others: &[&Scenario]) -> Option<Possibility> {
    for other in others {
        p.scenario = p.scenario.merge(other)?;
    }
    Some(p)
}

fn known(value: bool) -> TriTruth {
    TriTruth {
        value: Tri::Known(value),
        scenario: Scenario::default(),
        trace: Vec::new(),
    }
}

/// Steps of a trace other than plain `Written` nodes: the places a value came
/// from (a `Default`, a mapping entry, a branch), which explain a scenario.
fn outside_steps(trace: &[Step]) -> impl Iterator<Item = Step> + '_ {
    trace
        .iter()
        .filter(|step| step.origin != Origin::Written)
        .cloned()
}

fn unknown_value(span: Span, reason: &str) -> Value {
    Value::Unknown(Unknown::new(reason, FileId::FIRST, span))
}

fn unknown(span: Span, reason: &str) -> Possibility {
    Possibility::new(unknown_value(span, reason))
}

/// Constants that `Fn::Equals` in `Conditions` compares each parameter
/// without `AllowedValues` with: `!Equals [!Ref Env, prod]` makes `prod` a
/// value of `Env` worth considering.
fn compared_constants(template: &Template<'_>) -> HashMap<Box<str>, Vec<(Box<str>, Span)>> {
    let doc = template.document();
    let mut out: HashMap<Box<str>, Vec<(Box<str>, Span)>> = HashMap::new();
    let Some(conditions) = doc.get_value(doc.root(), "Conditions") else {
        return out;
    };
    let mut stack = vec![conditions];
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > 100_000 {
            break;
        }
        match doc.kind(node) {
            NodeKind::Mapping(entries) => {
                if let Some((entry, "Fn::Equals")) = doc.intrinsic(node)
                    && let Some(&[a, b]) = doc.sequence(entry.value)
                {
                    for (r, c) in [(a, b), (b, a)] {
                        let Some(param) = referenced_parameter(template, r) else {
                            continue;
                        };
                        let Some(constant) = doc.scalar(c) else {
                            continue;
                        };
                        let list = out.entry(param.into()).or_default();
                        if !list.iter().any(|(v, _)| **v == *constant.value) {
                            list.push((constant.value.as_str().into(), doc.span(c)));
                        }
                    }
                }
                stack.extend(entries.iter().map(|e| e.value));
            }
            NodeKind::Sequence(items) => stack.extend(items.iter().copied()),
            NodeKind::Scalar(_) | NodeKind::Alias(_) => {}
        }
    }
    out
}

/// Longest accepted chain of conditions referring to conditions
/// (`C1: !Condition C2`, `C2: !Condition C3`, ...); evaluation recurses once
/// per link. The deepest chain in 5,700 real templates is 6.
const MAX_CONDITION_CHAIN: usize = 16;

/// For each condition, the length of its longest chain of references to
/// other conditions (1 for one that refers to none), computed without
/// recursion. A reference back into the chain being walked (a cycle) adds
/// nothing here: cycles are reported when they are evaluated.
fn condition_depths(template: &Template<'_>) -> HashMap<Box<str>, usize> {
    let doc = template.document();
    let Some(entries) = doc
        .get_value(doc.root(), "Conditions")
        .and_then(|c| doc.mapping(c))
    else {
        return HashMap::new();
    };
    let references: HashMap<&str, Vec<&str>> = entries
        .iter()
        .map(|e| (&*e.key.text, referenced_conditions(doc, e.value)))
        .collect();
    let mut depths: HashMap<Box<str>, usize> = HashMap::new();
    let mut on_path: HashSet<&str> = HashSet::new();
    for start in entries.iter().map(|e| &*e.key.text) {
        // Post-order walk with an explicit stack of (condition, next reference).
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        on_path.insert(start);
        while let Some(&mut (name, ref mut next)) = stack.last_mut() {
            if depths.contains_key(name) {
                on_path.remove(name);
                stack.pop();
                continue;
            }
            let refs = references.get(name).map_or(&[][..], Vec::as_slice);
            if let Some(&child) = refs.get(*next) {
                *next += 1;
                let known = depths.contains_key(child) || !references.contains_key(child);
                if !known && on_path.insert(child) {
                    stack.push((child, 0));
                }
                continue;
            }
            let depth = 1 + refs
                .iter()
                .filter_map(|r| depths.get(*r))
                .copied()
                .max()
                .unwrap_or(0);
            depths.insert(name.into(), depth);
            on_path.remove(name);
            stack.pop();
        }
    }
    depths
}

/// The condition names a condition expression refers to with `Condition`.
fn referenced_conditions(doc: &Document, node: NodeId) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > EVAL_BUDGET {
            break;
        }
        if let Some((entry, "Condition")) = doc.intrinsic(node)
            && let Some(name) = doc.str(entry.value)
        {
            out.push(name);
            continue;
        }
        match doc.kind(node) {
            NodeKind::Mapping(entries) => stack.extend(entries.iter().map(|e| e.value)),
            NodeKind::Sequence(items) => stack.extend(items.iter().copied()),
            NodeKind::Scalar(_) | NodeKind::Alias(_) => {}
        }
    }
    out
}

/// The name of the free input a `Ref` node refers to: a parameter without
/// `AllowedValues`, not read from SSM, or a pseudo parameter (`AWS::Region`).
fn referenced_parameter<'d>(template: &Template<'d>, node: NodeId) -> Option<&'d str> {
    let doc = template.document();
    let (entry, "Ref") = doc.intrinsic(node)? else {
        return None;
    };
    let name = doc.str(entry.value)?;
    if name.starts_with("AWS::") {
        return (name != "AWS::NoValue").then_some(name);
    }
    let parameter = template.parameter(name)?;
    (parameter.allowed_values.is_none() && !parameter.is_ssm()).then_some(name)
}

fn too_large_reason() -> String {
    format!(
        "the value is too large to evaluate (more than {EVAL_BUDGET} nodes and combinations of values, as YAML aliases that repeat a value or very long lists make)"
    )
}

/// Whether `text` is an integer written as its decimal value already (no
/// `+`, no leading zero, not `-0`, few enough digits to fit an `i128`), so
/// reading and writing it back would give the same text.
fn is_canonical_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    match digits.as_bytes() {
        [b'0'] => digits.len() == text.len(),
        [b'1'..=b'9', rest @ ..] => rest.len() < 38 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// A step's value after a description's words (` 6379`), or nothing.
struct Shown<'a>(Option<&'a str>);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(value) => write!(f, " {value}"),
            None => Ok(()),
        }
    }
}

fn doc_str(doc: &Document, node: NodeId) -> Option<Box<str>> {
    doc.str(node).map(Into::into)
}

/// A scalar's value, with a step saying how a number was read when its form
/// needs saying (see [`number_reading`]).
fn scalar_possibility(scalar: &crate::syntax::Scalar, span: Span) -> Possibility {
    if scalar.style == crate::syntax::ScalarStyle::Plain
        && let Some((number, note)) = number_reading(&scalar.value, scalar.ty)
    {
        let decimal = number.to_string();
        return Possibility::new(Value::Number(decimal.as_str().into())).with_valued_step(
            span,
            Origin::NumberReading { note: note.into() },
            &decimal,
        );
    }
    Possibility::new(scalar_value(scalar, span))
}

/// How a plain number in one of the forms YAML 1.1 and YAML 1.2 read
/// differently, or a whole number written as a float, is read, with a note
/// saying so. CloudFormation documents YAML 1.1, so its reading wins:
///
/// | written | read as | YAML 1.2 reads |
/// |---|---|---|
/// | `014353` | octal, 6379 | decimal 14353 |
/// | `0b1100011101011` | binary, 6379 | a string |
/// | `6_379` | 6379 | a string |
/// | `0o14353` | octal, 6379 | (same; YAML 1.1 reads a string) |
/// | `6379.0`, `6.379e3` | 6379 | (same) |
///
/// `+6379` and `0x18EB` read the same in both and need no note; `.inf` and
/// `.nan` are floats that are no whole number, `~` is null.
pub(crate) fn number_reading(text: &str, ty: ScalarType) -> Option<(i128, String)> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let sign = |n: i128| if negative { -n } else { n };
    let digits = |s: &str, radix: u32| -> Option<i128> {
        let cleaned: String = s.chars().filter(|&c| c != '_').collect();
        (!cleaned.is_empty() && !s.starts_with('_'))
            .then(|| i128::from_str_radix(&cleaned, radix).ok())
            .flatten()
    };
    match ty {
        ScalarType::Float => {
            let value: f64 = text.parse().ok()?;
            // Whole, and small enough that the float is the integer exactly.
            (value.is_finite() && value.fract() == 0.0 && value.abs() < 9.0e15).then(|| {
                #[allow(clippy::cast_possible_truncation)]
                let n = value as i128;
                (
                    n,
                    format!("`{text}` is the whole number {n}: CloudFormation checks properties against the resource type's JSON Schema, whose `integer` type accepts any number with no fractional part"),
                )
            })
        }
        ScalarType::Int if body.starts_with("0o") => {
            let n = sign(digits(&body[2..], 8)?);
            Some((
                n,
                format!(
                    "`{text}` is read as the YAML 1.2 octal integer {n}; YAML 1.1, which CloudFormation documents, reads it as a string"
                ),
            ))
        }
        ScalarType::Int if body.len() > 1 && body.starts_with('0') && !body.starts_with("0x") => {
            let n = sign(digits(&body[1..], 8)?);
            Some((
                n,
                format!(
                    "`{text}` is read as the YAML 1.1 octal integer {n}, as CloudFormation documents YAML 1.1; YAML 1.2 reads it as the decimal {}",
                    body.trim_start_matches('0')
                ),
            ))
        }
        ScalarType::String if body.starts_with("0b") => {
            let n = sign(digits(&body[2..], 2)?);
            Some((
                n,
                format!(
                    "`{text}` is read as the YAML 1.1 binary integer {n}, as CloudFormation documents YAML 1.1; YAML 1.2 reads it as a string"
                ),
            ))
        }
        ScalarType::String
            if body.contains('_')
                && body.starts_with(|c: char| c.is_ascii_digit())
                && body.bytes().all(|b| b.is_ascii_digit() || b == b'_') =>
        {
            let n = sign(digits(body, 10)?);
            Some((
                n,
                format!(
                    "`{text}` is read as the YAML 1.1 integer {n} (YAML 1.1 allows `_` between digits, and CloudFormation documents YAML 1.1); YAML 1.2 reads it as a string"
                ),
            ))
        }
        _ => None,
    }
}

fn scalar_value(scalar: &crate::syntax::Scalar, span: Span) -> Value {
    match scalar.ty {
        ScalarType::Null => Value::Null,
        ScalarType::Bool => Value::Bool(scalar.value.eq_ignore_ascii_case("true")),
        // CloudFormation turns a YAML integer into its decimal value: `0x18EB`
        // compares, joins and looks up as `6379`.
        ScalarType::Int if is_canonical_decimal(&scalar.value) => {
            Value::Number(scalar.value.clone())
        }
        ScalarType::Int => Value::Number(
            parse_yaml_int(&scalar.value)
                .map_or_else(|| scalar.value.clone(), |n| n.to_string().into()),
        ),
        ScalarType::Float => Value::Number(scalar.value.clone()),
        ScalarType::String if scalar.value.contains("{{resolve:") => unknown_value(
            span,
            "a dynamic reference (`{{resolve:...}}`) is resolved only at deploy time",
        ),
        ScalarType::String => Value::String(scalar.value.clone()),
    }
}

enum SubPiece<'a> {
    Text(String),
    Variable(&'a str),
}

/// Splits a `Fn::Sub` string into literal text and `${Name}` variables;
/// `${!Literal}` stands for the text `${Literal}`.
fn parse_sub(text: &str) -> Vec<SubPiece<'_>> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        literal.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            literal.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        if let Some(escaped) = inner.strip_prefix('!') {
            literal.push_str("${");
            literal.push_str(escaped);
            literal.push('}');
        } else {
            if !literal.is_empty() {
                pieces.push(SubPiece::Text(std::mem::take(&mut literal)));
            }
            pieces.push(SubPiece::Variable(inner.trim()));
        }
        rest = &after[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() || pieces.is_empty() {
        pieces.push(SubPiece::Text(literal));
    }
    pieces
}

#[cfg(test)]
mod tests;
