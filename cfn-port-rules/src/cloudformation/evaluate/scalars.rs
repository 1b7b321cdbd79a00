//! Scalars as CloudFormation reads them: YAML 1.1 number forms, integers
//! turned into their decimal value, and dynamic references that are resolved
//! only at deploy time.

use super::unknown_value;
use crate::eval::parse_int as parse_yaml_int;
use crate::eval::{Origin, Possibility, Value};
use crate::source::Span;
use crate::syntax::ScalarType;

/// Whether `text` is an integer written as its decimal value already (no
/// `+`, no leading zero, not `-0`, few enough digits to fit an `i128`), so
/// reading and writing it back would give the same text.
pub(super) fn is_canonical_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    match digits.as_bytes() {
        [b'0'] => digits.len() == text.len(),
        [b'1'..=b'9', rest @ ..] => rest.len() < 38 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// A scalar's value, with a step saying how a number was read when its form
/// needs saying (see [`number_reading`]).
pub(super) fn scalar_possibility(scalar: &crate::syntax::Scalar, span: Span) -> Possibility {
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
