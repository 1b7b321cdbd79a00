//! The intrinsic functions that build strings and lists (`Fn::Sub`,
//! `Fn::Join`, `Fn::Select`, `Fn::Split`), literal lists, and the
//! combination of their parts' possibilities scenario by scenario.

use super::budget::too_large_reason;
use super::{Evaluator, outside_steps, unknown, unknown_value, with_scenarios};
use crate::cloudformation::template::Binding;
use crate::eval::{Possibility, Scenario, Step, Value};
use crate::source::Span;
use crate::syntax::NodeId;

impl Evaluator<'_, '_> {
    pub(super) fn sub(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
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

    pub(super) fn join(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
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

    pub(super) fn select(
        &self,
        args: NodeId,
        span: Span,
        bindings: &[Binding],
    ) -> Vec<Possibility> {
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

    pub(super) fn split(&self, args: NodeId, span: Span, bindings: &[Binding]) -> Vec<Possibility> {
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

    pub(super) fn list(&self, items: &[NodeId], bindings: &[Binding]) -> Vec<Possibility> {
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
