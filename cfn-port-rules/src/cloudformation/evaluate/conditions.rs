//! Conditions: `Fn::If`, the named conditions of `Conditions` (evaluated
//! once and cached, with cycles and over-long chains refused), and the
//! three-valued `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` and `Condition`
//! they are built from.

use super::{EVAL_BUDGET, Evaluator, outside_steps, unknown};
use crate::cloudformation::template::{Binding, Template};
use crate::eval::{Assumption, Origin, Possibility, Scenario, Step, Truth};
use crate::source::{FileId, Span};
use crate::syntax::{Document, NodeId, NodeKind};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::rc::Rc;

impl Evaluator<'_, '_> {
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

    pub(super) fn if_(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
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
}

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

fn known(value: bool) -> TriTruth {
    TriTruth {
        value: Tri::Known(value),
        scenario: Scenario::default(),
        trace: Vec::new(),
    }
}

/// Longest accepted chain of conditions referring to conditions
/// (`C1: !Condition C2`, `C2: !Condition C3`, ...); evaluation recurses once
/// per link. The deepest chain in 5,700 real templates is 6.
const MAX_CONDITION_CHAIN: usize = 16;

/// For each condition, the length of its longest chain of references to
/// other conditions (1 for one that refers to none), computed without
/// recursion. A reference back into the chain being walked (a cycle) adds
/// nothing here: cycles are reported when they are evaluated.
pub(super) fn condition_depths(template: &Template<'_>) -> HashMap<Box<str>, usize> {
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
