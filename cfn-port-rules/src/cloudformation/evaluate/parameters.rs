//! What a name stands for: `Ref` and `Fn::Sub` variables, resolved to
//! `Fn::ForEach` loop values, pseudo parameters (`AWS::Region`, ...),
//! template parameters (given, `AllowedValues`, `Default`, or the constants
//! conditions compare them with) and resources, whose `GroupId` read by
//! `Fn::GetAtt` is a reference too.

use super::{Evaluator, unknown};
use crate::cloudformation::template::{Binding, Parameter, Template};
use crate::eval::{
    Assumption, Origin, Possibility, Scenario, Unknown, UnknownSource, Value, excluding,
};
use crate::model::{ResourceKind, SourceKind};
use crate::source::{FileId, Span};
use crate::syntax::{Document, NodeId, NodeKind};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::Arc;

impl Evaluator<'_, '_> {
    pub(super) fn reference(
        &self,
        args: NodeId,
        span: Span,
        bindings: &[Binding],
    ) -> Vec<Possibility> {
        let Some(name) = self.doc.str(args) else {
            return vec![unknown(
                span,
                "`Ref` takes the name of a parameter or resource",
            )];
        };
        self.named_value(name, span, bindings)
    }

    /// What `Ref: name` (or `${name}` in `Fn::Sub`) yields.
    pub(super) fn named_value(
        &self,
        name: &str,
        span: Span,
        bindings: &[Binding],
    ) -> Vec<Possibility> {
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

    /// What `Fn::GetAtt` yields: a resource attribute, known only after
    /// deployment. A group's `GroupId` is kept as a reference to the group,
    /// as `Ref` is, so that the groups of a cache or database are followed
    /// to the group and its rules.
    pub(super) fn get_att(&self, args: NodeId, span: Span) -> Vec<Possibility> {
        let target = attribute_target(self.doc, args);
        let referenced = target
            .filter(|(_, attribute)| *attribute == "GroupId")
            .and_then(|(name, _)| Some((name, self.template.resource_type(name)?)));
        let Some((name, type_name)) = referenced else {
            return vec![unknown(
                span,
                "`Fn::GetAtt` reads a resource attribute, known only after deployment",
            )];
        };
        let reason =
            format!("`Fn::GetAtt` reads the id of group `{name}`, known only after deployment");
        let kind = ResourceKind::from_type_name(SourceKind::CloudFormation, type_name);
        vec![Possibility::new(Value::Unknown(Unknown::reference(
            reason,
            FileId::FIRST,
            span,
            name,
            kind,
        )))]
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
}

/// Constants that `Fn::Equals` in `Conditions` compares each parameter
/// without `AllowedValues` with: `!Equals [!Ref Env, prod]` makes `prod` a
/// value of `Env` worth considering.
pub(super) fn compared_constants(
    template: &Template<'_>,
) -> HashMap<Box<str>, Vec<(Box<str>, Span)>> {
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

/// The logical id and attribute an `Fn::GetAtt` names, when both are
/// written as text: `[Sg, GroupId]`, or `Sg.GroupId` (the short form, which
/// YAML's `!GetAtt Sg.GroupId` is too). A logical id has no dot; an
/// attribute may (`Endpoint.Port`).
fn attribute_target(doc: &Document, args: NodeId) -> Option<(&str, &str)> {
    match doc.sequence(args) {
        Some(&[name, attribute]) => Some((doc.str(name)?, doc.str(attribute)?)),
        Some(_) => None,
        None => doc.str(args)?.split_once('.'),
    }
}
