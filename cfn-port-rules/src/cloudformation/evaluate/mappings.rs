//! `Fn::FindInMap`: looking keys up in `Mappings`, enumerating the keys a
//! free input (the region, a parameter without a value) can be, falling back
//! to `DefaultValue`, and sharing lookups that do not depend on where they
//! are written.

use super::{Evaluator, outside_steps, unknown, with_scenarios};
use crate::cloudformation::template::Binding;
use crate::eval::{
    Assumption, Possibility, Scenario, Step, Unknown, UnknownSource, Value, excluding,
};
use crate::source::{FileId, Span};
use crate::syntax::{Document, NodeId};
use compact_str::CompactString;
use std::rc::Rc;
use std::sync::Arc;

impl Evaluator<'_, '_> {
    pub(super) fn find_in_map(
        &self,
        args: NodeId,
        span: Span,
        bindings: &[Binding],
    ) -> Vec<Possibility> {
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
pub(super) enum LookupKey {
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
pub(super) struct KeyScenarios {
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
