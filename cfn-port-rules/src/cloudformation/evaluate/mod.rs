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

use super::template::{Binding, Template};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::eval::{Assumption, Origin, Possibility, Scenario, Step, Truth, Unknown, Value};
use crate::model::Texts;
use crate::source::{FileId, Span};
use crate::syntax::{Document, NodeId, NodeKind};

mod budget;
mod conditions;
mod functions;
mod mappings;
mod parameters;
mod properties;
mod scalars;

use budget::too_large_reason;
use conditions::condition_depths;
use mappings::{KeyScenarios, LookupKey};
use parameters::compared_constants;
use scalars::scalar_possibility;

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
            "Fn::GetAtt" => self.get_att(args, span),
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

/// The possibility restricted to scenarios consistent with all of `others`.
fn with_scenarios(mut p: Possibility, others: &[&Scenario]) -> Option<Possibility> {
    for other in others {
        p.scenario = p.scenario.merge(other)?;
    }
    Some(p)
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

#[cfg(test)]
mod tests;
