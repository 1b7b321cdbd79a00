//! Terraform's built-in functions that port values commonly pass through,
//! over known values. Each follows Terraform's documented behaviour; an
//! unknown argument makes the result unknown unless the function is one
//! that skips arguments (`try`, `coalesce`).

use std::collections::BTreeMap;

use super::value::TfValue;

/// The names [`call`] evaluates.
pub const SUPPORTED: &[&str] = &[
    "lookup", "tonumber", "tostring", "tobool", "toset", "tolist", "tomap", "coalesce", "try",
    "merge", "element", "contains", "length", "lower", "upper", "concat", "join", "format",
    "compact", "distinct", "flatten", "one",
];

/// The result of calling `name` with `args`.
#[must_use]
pub fn call(name: &str, args: &[TfValue]) -> TfValue {
    match name {
        "try" => try_first_known(args),
        "coalesce" => coalesce(args),
        _ => {
            if let Some(unknown) = args.iter().find(|a| !a.is_known()) {
                return unknown.clone();
            }
            call_known(name, args)
                .unwrap_or_else(|reason| TfValue::unknown(format!("`{name}(…)` fails: {reason}")))
        }
    }
}

fn call_known(name: &str, args: &[TfValue]) -> Result<TfValue, String> {
    match (name, args) {
        ("lookup", [map, key]) => lookup(map, key, None),
        ("lookup", [map, key, default]) => lookup(map, key, Some(default)),
        ("tonumber" | "tostring" | "tobool", [TfValue::Null]) => Ok(TfValue::Null),
        ("tonumber", [value]) => value
            .to_number()
            .map(TfValue::Number)
            .ok_or_else(|| format!("{value} is not a number")),
        ("tostring", [value]) => value
            .to_text()
            .map(TfValue::String)
            .ok_or_else(|| format!("{value} is not a string")),
        ("tobool", [value]) => value
            .to_bool()
            .map(TfValue::Bool)
            .ok_or_else(|| format!("{value} is not a bool")),
        ("toset" | "tolist", [TfValue::List(items)]) => Ok(TfValue::List(items.clone())),
        ("tomap", [TfValue::Map(entries)]) => Ok(TfValue::Map(entries.clone())),
        ("merge", maps) => merge(maps),
        ("element", [TfValue::List(items), index]) => element(items, index),
        ("contains", [TfValue::List(items), value]) => Ok(TfValue::Bool(items.contains(value))),
        ("length", [value]) => length(value),
        ("lower", [TfValue::String(text)]) => Ok(TfValue::String(text.to_lowercase())),
        ("upper", [TfValue::String(text)]) => Ok(TfValue::String(text.to_uppercase())),
        ("concat", lists) => concat(lists),
        ("compact", [TfValue::List(items)]) => compact(items),
        ("distinct", [TfValue::List(items)]) => Ok(distinct(items)),
        ("flatten", [TfValue::List(items)]) => Ok(TfValue::List(flatten(items))),
        ("one", [TfValue::List(items)]) => match items.as_slice() {
            [] => Ok(TfValue::Null),
            [item] => Ok(item.clone()),
            _ => Err("the list has more than one element".to_owned()),
        },
        ("join", [TfValue::String(separator), TfValue::List(items)]) => join(separator, items),
        ("format", [TfValue::String(spec), rest @ ..]) => format(spec, rest),
        ("substr", [TfValue::String(text), offset, length]) => substr(text, offset, length),
        ("keys", [TfValue::Map(entries)]) => Ok(TfValue::List(
            entries.keys().cloned().map(TfValue::String).collect(),
        )),
        ("values", [TfValue::Map(entries)]) => {
            Ok(TfValue::List(entries.values().cloned().collect()))
        }
        ("max" | "min", numbers) if !numbers.is_empty() => extreme(name == "max", numbers),
        ("startswith", [TfValue::String(text), TfValue::String(prefix)]) => {
            Ok(TfValue::Bool(text.starts_with(prefix.as_str())))
        }
        ("endswith", [TfValue::String(text), TfValue::String(suffix)]) => {
            Ok(TfValue::Bool(text.ends_with(suffix.as_str())))
        }
        ("trimspace", [TfValue::String(text)]) => Ok(TfValue::String(text.trim().to_owned())),
        // A `/…/` pattern is a regular expression, which is not evaluated.
        (
            "replace",
            [
                TfValue::String(text),
                TfValue::String(from),
                TfValue::String(to),
            ],
        ) if !(from.len() > 1 && from.starts_with('/') && from.ends_with('/')) => {
            Ok(TfValue::String(text.replace(from.as_str(), to)))
        }
        _ if SUPPORTED.contains(&name) => Err("unexpected arguments".to_owned()),
        _ => Err("the function is not evaluated statically".to_owned()),
    }
}

fn lookup(map: &TfValue, key: &TfValue, default: Option<&TfValue>) -> Result<TfValue, String> {
    let TfValue::Map(entries) = map else {
        return Err(format!("{map} is not a map"));
    };
    let key = key.to_text().ok_or("the key is not a string")?;
    match (entries.get(&key), default) {
        (Some(value), _) => Ok(value.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(format!("no key {key:?}")),
    }
}

/// `try` gives its first argument that evaluates without an error: a known
/// value, or the id of a resource in view (known after apply, but no error).
fn try_first_known(args: &[TfValue]) -> TfValue {
    args.iter()
        .find(|a| a.is_known() || matches!(a, TfValue::Reference(_)))
        .cloned()
        .unwrap_or_else(|| TfValue::unknown("no argument of `try(…)` can be evaluated"))
}

/// Terraform's `coalesce` skips `null` and `""`; an unknown argument before
/// the first usable one makes the result unknown.
fn coalesce(args: &[TfValue]) -> TfValue {
    for arg in args {
        match arg {
            TfValue::Null => {}
            TfValue::String(text) if text.is_empty() => {}
            other => return other.clone(),
        }
    }
    TfValue::unknown("`coalesce(…)` fails: every argument is null or empty")
}

fn merge(maps: &[TfValue]) -> Result<TfValue, String> {
    let mut merged = BTreeMap::new();
    for map in maps {
        match map {
            TfValue::Map(entries) => {
                merged.extend(entries.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            TfValue::Null => {}
            other => return Err(format!("{other} is not a map")),
        }
    }
    Ok(TfValue::Map(merged))
}

fn element(items: &[TfValue], index: &TfValue) -> Result<TfValue, String> {
    let index = index.to_number().ok_or("the index is not a number")?;
    if items.is_empty() || index < 0.0 {
        return Err("no such element".to_owned());
    }
    // `element` wraps around: element(["a", "b"], 3) is "b".
    let at = (index as usize) % items.len();
    Ok(items[at].clone())
}

fn length(value: &TfValue) -> Result<TfValue, String> {
    let n = match value {
        TfValue::List(items) => items.len(),
        TfValue::Map(entries) => entries.len(),
        TfValue::String(text) => text.chars().count(),
        other => return Err(format!("{other} has no length")),
    };
    Ok(TfValue::Number(n as f64))
}

fn concat(lists: &[TfValue]) -> Result<TfValue, String> {
    let mut out = Vec::new();
    for list in lists {
        let TfValue::List(items) = list else {
            return Err(format!("{list} is not a list"));
        };
        out.extend(items.iter().cloned());
    }
    Ok(TfValue::List(out))
}

/// Terraform's `compact` drops `null` and `""` elements. The id of a
/// resource in view ([`TfValue::Reference`]) is never empty, so it stays;
/// an element not known may be empty, which makes the result unknown.
fn compact(items: &[TfValue]) -> Result<TfValue, String> {
    let mut out = Vec::new();
    for item in items {
        match item {
            TfValue::Null => {}
            TfValue::String(text) if text.is_empty() => {}
            TfValue::Unknown(_) => return Ok(item.clone()),
            TfValue::String(_) | TfValue::Reference(_) => out.push(item.clone()),
            other => return Err(format!("{other} is not a string")),
        }
    }
    Ok(TfValue::List(out))
}

/// `distinct`: the first of each equal element, in order.
fn distinct(items: &[TfValue]) -> TfValue {
    let mut out: Vec<TfValue> = Vec::new();
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    TfValue::List(out)
}

/// `flatten`: nested lists' elements in order, at any depth.
fn flatten(items: &[TfValue]) -> Vec<TfValue> {
    items
        .iter()
        .flat_map(|item| match item {
            TfValue::List(nested) => flatten(nested),
            other => vec![other.clone()],
        })
        .collect()
}

fn join(separator: &str, items: &[TfValue]) -> Result<TfValue, String> {
    // `join("", aws_security_group.x.*.id)` of one element is that element:
    // the reference is kept, so a rule can follow it.
    if let [TfValue::Reference(_)] = items {
        return Ok(items[0].clone());
    }
    if items.iter().any(|item| !item.is_known()) {
        return Ok(TfValue::unknown(
            "an element joined is known only after apply",
        ));
    }
    let texts: Option<Vec<String>> = items.iter().map(TfValue::to_text).collect();
    Ok(TfValue::String(
        texts.ok_or("an element is not a string")?.join(separator),
    ))
}

/// `substr(text, offset, length)` in characters; a length of -1 means to the end.
fn substr(text: &str, offset: &TfValue, length: &TfValue) -> Result<TfValue, String> {
    let (Some(offset), Some(length)) = (offset.to_number(), length.to_number()) else {
        return Err("the offset or length is not a number".to_owned());
    };
    let chars: Vec<char> = text.chars().collect();
    let start = if offset < 0.0 {
        chars.len().saturating_sub((-offset) as usize)
    } else {
        (offset as usize).min(chars.len())
    };
    let end = if length < 0.0 {
        chars.len()
    } else {
        (start + length as usize).min(chars.len())
    };
    Ok(TfValue::String(chars[start..end].iter().collect()))
}

fn extreme(largest: bool, numbers: &[TfValue]) -> Result<TfValue, String> {
    let values: Option<Vec<f64>> = numbers.iter().map(TfValue::to_number).collect();
    let values = values.ok_or("an argument is not a number")?;
    let pick = if largest { f64::max } else { f64::min };
    Ok(TfValue::Number(
        values.into_iter().reduce(pick).unwrap_or_default(),
    ))
}

/// `format` with the verbs real configurations use: `%s`, `%d`, `%v`, `%%`.
fn format(spec: &str, args: &[TfValue]) -> Result<TfValue, String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v') => {
                let arg = args.next().ok_or("too few arguments")?;
                out.push_str(&arg.to_text().ok_or("an argument is not a string")?);
            }
            _ => return Err("a format verb that is not evaluated".to_owned()),
        }
    }
    Ok(TfValue::String(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> TfValue {
        TfValue::String(text.to_owned())
    }

    fn map(entries: &[(&str, TfValue)]) -> TfValue {
        TfValue::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn lookup_falls_back_to_its_default() {
        let ports = map(&[("prod", TfValue::Number(6380.0))]);
        assert_eq!(
            call("lookup", &[ports.clone(), s("prod")]),
            TfValue::Number(6380.0)
        );
        assert_eq!(call("lookup", &[ports, s("dev"), s("")]), s(""));
    }

    #[test]
    fn coalesce_skips_null_and_empty_strings() {
        assert_eq!(
            call("coalesce", &[TfValue::Null, s(""), TfValue::Number(6379.0)]),
            TfValue::Number(6379.0)
        );
        assert!(!call("coalesce", &[TfValue::unknown("x"), TfValue::Number(1.0)]).is_known());
    }

    #[test]
    fn try_returns_the_first_argument_that_evaluates() {
        assert_eq!(
            call("try", &[TfValue::unknown("x"), TfValue::Number(11211.0)]),
            TfValue::Number(11211.0)
        );
    }

    #[test]
    fn conversions_follow_terraform() {
        assert_eq!(call("tonumber", &[s("6379")]), TfValue::Number(6379.0));
        assert_eq!(call("tostring", &[TfValue::Number(6379.0)]), s("6379"));
        assert_eq!(call("tonumber", &[TfValue::Null]), TfValue::Null);
        assert!(!call("tonumber", &[s("redis")]).is_known());
    }

    #[test]
    fn merge_later_maps_win_and_element_wraps_around() {
        let merged = call(
            "merge",
            &[
                map(&[("port", TfValue::Number(1.0))]),
                map(&[("port", TfValue::Number(2.0))]),
            ],
        );
        assert_eq!(merged, map(&[("port", TfValue::Number(2.0))]));
        assert_eq!(
            call(
                "element",
                &[TfValue::List(vec![s("a"), s("b")]), TfValue::Number(3.0)]
            ),
            s("b")
        );
    }

    #[test]
    fn string_functions_follow_terraform() {
        assert_eq!(
            call(
                "substr",
                &[
                    s("memcached1.4"),
                    TfValue::Number(0.0),
                    TfValue::Number(5.0)
                ]
            ),
            s("memca")
        );
        assert_eq!(
            call(
                "substr",
                &[s("redis"), TfValue::Number(2.0), TfValue::Number(-1.0)]
            ),
            s("dis")
        );
        assert_eq!(call("replace", &[s("a-b"), s("-"), s("_")]), s("a_b"));
        assert!(!call("replace", &[s("a-b"), s("/-/"), s("_")]).is_known());
        assert_eq!(
            call("max", &[TfValue::Number(1.0), s("3")]),
            TfValue::Number(3.0)
        );
    }

    #[test]
    fn format_substitutes_its_verbs() {
        assert_eq!(
            call("format", &[s("%s-%d%%"), s("a"), TfValue::Number(1.0)]),
            s("a-1%")
        );
    }

    #[test]
    fn compact_distinct_and_flatten_follow_terraform() {
        let list = |items: &[TfValue]| TfValue::List(items.to_vec());
        assert_eq!(
            call("compact", &[list(&[s("a"), s(""), TfValue::Null, s("b")])]),
            list(&[s("a"), s("b")])
        );
        // An element that may be empty makes the result unknown.
        assert!(!call("compact", &[list(&[s("a"), TfValue::unknown("x")])]).is_known());
        assert_eq!(
            call("distinct", &[list(&[s("a"), s("b"), s("a")])]),
            list(&[s("a"), s("b")])
        );
        assert_eq!(
            call(
                "flatten",
                &[list(&[s("a"), list(&[s("b"), list(&[s("c")])])])]
            ),
            list(&[s("a"), s("b"), s("c")])
        );
    }
}
