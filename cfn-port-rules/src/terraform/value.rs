//! The values Terraform expressions evaluate to, and the possibilities
//! (value, scenario, trace) the evaluator answers with.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::source::Span;

/// A Terraform value, as far as static evaluation can know it.
#[derive(Clone, Debug, PartialEq)]
pub enum TfValue {
    /// `null`: an argument set to `null` is unset.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (Terraform numbers are arbitrary precision; ports fit an `f64`).
    Number(f64),
    /// A string.
    String(String),
    /// A list, tuple or set.
    List(Vec<TfValue>),
    /// A map or object, keys sorted as Terraform sorts them.
    Map(BTreeMap<String, TfValue>),
    /// Not knowable before apply, or not evaluated; the text says why.
    Unknown(Arc<str>),
    /// The id of a resource instance in view (`aws_security_group.web.id`):
    /// known only after apply, but which instance it names is known, and
    /// a rule can follow it there.
    Reference(Arc<Reference>),
}

/// Where a [`TfValue::Reference`] is written and the instance it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The instance's full address, as the expansion names it
    /// (`module.db.aws_security_group.web[0]`).
    pub address: String,
    /// The instance's resource type (`aws_security_group`).
    pub type_name: &'static str,
    /// The file the reference is written in.
    pub file: FileId,
    /// The reference expression (`aws_security_group.web.id`).
    pub span: Span,
}

impl Reference {
    /// Why its value is not known: "`aws_security_group.web.id` is known only after apply".
    #[must_use]
    pub fn reason(&self) -> String {
        format!("`{}.id` is known only after apply", self.address)
    }
}

impl TfValue {
    /// An unknown value with a reason.
    #[must_use]
    pub fn unknown(reason: impl Into<Arc<str>>) -> Self {
        TfValue::Unknown(reason.into())
    }

    /// Whether the value is known (not [`TfValue::Unknown`] nor a
    /// [`TfValue::Reference`], whose value is known only after apply).
    #[must_use]
    pub fn is_known(&self) -> bool {
        !matches!(self, TfValue::Unknown(_) | TfValue::Reference(_))
    }

    /// The value as Terraform converts it to a string, when it can
    /// (strings, numbers and booleans).
    #[must_use]
    pub fn to_text(&self) -> Option<String> {
        match self {
            TfValue::String(text) => Some(text.clone()),
            TfValue::Number(number) => Some(format_number(*number)),
            TfValue::Bool(flag) => Some(flag.to_string()),
            _ => None,
        }
    }

    /// The value as Terraform converts it to a number, when it can
    /// (numbers and strings that are numbers, as the provider converts `"6379"`).
    #[must_use]
    pub fn to_number(&self) -> Option<f64> {
        match self {
            TfValue::Number(number) => Some(*number),
            TfValue::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as Terraform converts it to a bool (`true`, `"true"`).
    #[must_use]
    pub fn to_bool(&self) -> Option<bool> {
        match self {
            TfValue::Bool(flag) => Some(*flag),
            TfValue::String(text) => match text.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

impl TfValue {
    /// A value given on the command line (`--var port=6379`): a number or
    /// bool when it reads as one, else a string. A variable's declared type
    /// converts it further, as Terraform does.
    #[must_use]
    pub fn from_command_line(text: &str) -> Self {
        match text {
            "true" => TfValue::Bool(true),
            "false" => TfValue::Bool(false),
            _ => text
                .parse()
                .map_or_else(|_| TfValue::String(text.to_owned()), TfValue::Number),
        }
    }
}

/// Numbers print as Terraform prints them: whole numbers without a fraction.
#[must_use]
pub fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}

impl fmt::Display for TfValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TfValue::Null => f.write_str("null"),
            TfValue::Bool(flag) => write!(f, "{flag}"),
            TfValue::Number(number) => f.write_str(&format_number(*number)),
            TfValue::String(text) => write!(f, "{text:?}"),
            TfValue::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            TfValue::Map(entries) => {
                f.write_str("{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{key:?} = {value}")?;
                }
                f.write_str("}")
            }
            TfValue::Unknown(reason) => write!(f, "(unknown: {reason})"),
            TfValue::Reference(reference) => write!(f, "{}.id", reference.address),
        }
    }
}

/// Which of the loaded files a span belongs to (an index into
/// [`Workspace::files`](super::Workspace::files)): the crate's one [`FileId`].
pub(crate) use crate::source::FileId;

/// One step of a value's trace: a place in a file and what happened there,
/// in words the front-end chose ("variable `port` defaults to 6379 (variables.tf)").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The file the span is in.
    pub file: FileId,
    /// The expression or argument.
    pub span: Span,
    /// What this step contributes.
    pub description: String,
}

/// The inputs a value depends on, each with the value assumed for it: a
/// variable chosen from its `validation` list (`var.engine` = `"redis"`), or
/// a condition that cannot be evaluated (`var.x != ""` = `true`). Kept
/// sorted so that two scenarios compare and merge in a linear walk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TfScenario(BTreeMap<Arc<str>, Arc<str>>);

impl TfScenario {
    /// A scenario with one assumption.
    #[must_use]
    pub fn single(input: impl Into<Arc<str>>, value: impl Into<Arc<str>>) -> Self {
        Self(BTreeMap::from([(input.into(), value.into())]))
    }

    /// Whether nothing is assumed.
    #[must_use]
    pub fn is_unconditional(&self) -> bool {
        self.0.is_empty()
    }

    /// The assumptions, sorted by input.
    pub fn assumptions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (&**k, &**v))
    }

    /// The value assumed for `input`.
    #[must_use]
    pub fn get(&self, input: &str) -> Option<&str> {
        self.0.get(input).map(|v| &**v)
    }

    /// Both scenarios at once, or `None` when they assume different values
    /// for the same input (the combination can never happen).
    #[must_use]
    pub fn merge(&self, other: &TfScenario) -> Option<TfScenario> {
        let mut merged = self.0.clone();
        for (input, value) in &other.0 {
            match merged.get(input) {
                Some(existing) if existing != value => return None,
                Some(_) => {}
                None => {
                    merged.insert(input.clone(), value.clone());
                }
            }
        }
        Some(TfScenario(merged))
    }
}

/// One value an expression can take, when, and how it got there.
#[derive(Clone, Debug, PartialEq)]
pub struct Possibility {
    /// The value.
    pub value: TfValue,
    /// The assumptions under which the expression has this value.
    pub scenario: TfScenario,
    /// Where the value flowed through, outermost first.
    pub trace: Vec<Step>,
}

impl Possibility {
    /// A value that holds in every scenario, with a one-step trace.
    #[must_use]
    pub fn certain(value: TfValue, step: Step) -> Self {
        Self {
            value,
            scenario: TfScenario::default(),
            trace: vec![step],
        }
    }
}
