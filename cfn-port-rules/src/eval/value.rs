//! Values: what a property can be, whatever the source language.

use compact_str::CompactString;
use serde::Serialize;

use crate::kind::ResourceKind;
use crate::source::{FileId, Span};
use crate::syntax::NodeId;

/// A value a property can take.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Value {
    /// No value: the property is not written, or is removed (`AWS::NoValue`
    /// in CloudFormation, `null` in Terraform).
    Absent,
    /// A JSON or YAML `null` that a source keeps as a value.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as written (`6379`, `0x18EB`, `6379.0`).
    Number(CompactString),
    /// A string.
    String(CompactString),
    /// A list.
    List(Vec<Value>),
    /// A mapping of a source's syntax tree that is not a function call.
    Object(NodeId),
    /// Not knowable before deployment, or not evaluated.
    Unknown(Unknown),
}

impl Value {
    /// The text of a string or number.
    #[must_use]
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::String(text) | Value::Number(text) => Some(text),
            _ => None,
        }
    }

    /// The text a comparison of two values compares (CloudFormation's
    /// `Fn::Equals` compares lists joined with commas).
    pub(crate) fn comparable(&self) -> Option<String> {
        match self {
            Value::String(text) | Value::Number(text) => Some(text.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::List(items) => items
                .iter()
                .map(Value::comparable)
                .collect::<Option<Vec<_>>>()
                .map(|parts| parts.join(",")),
            _ => None,
        }
    }
}

/// Why a value cannot be known statically.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Unknown {
    /// A sentence saying why.
    pub reason: String,
    /// The source file of [`Unknown::span`].
    pub file: FileId,
    /// The node that could not be evaluated.
    pub span: Span,
    /// Which free input the value depends on, so a lookup can still
    /// enumerate a table's keys under an assumption about it.
    #[serde(skip)]
    pub(crate) source: UnknownSource,
}

impl Unknown {
    /// An unknown value at `span` of `file`, for `reason`.
    #[must_use]
    pub fn new(reason: impl Into<String>, file: FileId, span: Span) -> Self {
        Self {
            reason: reason.into(),
            file,
            span,
            source: UnknownSource::Other,
        }
    }

    /// A reference to the resource named `name` (its identity's name in the
    /// model: a logical id, a Terraform address) of `kind`, whose value is
    /// known only once it is deployed: a `Ref` to a security group, an
    /// `aws_security_group.web.id`. Rules follow it to the resource.
    #[must_use]
    pub fn reference(
        reason: impl Into<String>,
        file: FileId,
        span: Span,
        name: &str,
        kind: Option<ResourceKind>,
    ) -> Self {
        Self {
            reason: reason.into(),
            file,
            span,
            source: UnknownSource::Resource {
                name: name.into(),
                kind,
            },
        }
    }

    /// The resource this value refers to, when it is a reference to a
    /// resource in view (a CloudFormation `Ref` to a logical id): its name
    /// and its kind, if it is one the model knows.
    #[must_use]
    pub fn resource(&self) -> Option<(&str, Option<ResourceKind>)> {
        match &self.source {
            UnknownSource::Resource { name, kind } => Some((name, *kind)),
            _ => None,
        }
    }
}

/// What an unknown value depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum UnknownSource {
    Other,
    /// A free input (a parameter, a pseudo parameter such as `AWS::Region`)
    /// without a value.
    Parameter(std::sync::Arc<str>),
    /// A resource declared beside it, known only once it is deployed.
    Resource {
        name: std::sync::Arc<str>,
        kind: Option<ResourceKind>,
    },
}

/// Reads an integer as YAML 1.2 and JSON write it: decimal with an optional
/// sign, `0x` hex, `0o` octal. Front-ends turn other forms (YAML 1.1 octal,
/// `6379.0`) into decimal text before a rule reads them.
#[must_use]
pub fn parse_int(text: &str) -> Option<i128> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i128::from_str_radix(hex, 16).ok();
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i128::from_str_radix(octal, 8).ok();
    }
    text.strip_prefix('+').unwrap_or(text).parse::<i128>().ok()
}
