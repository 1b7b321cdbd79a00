//! Possibilities: one value a property can take, in which scenario, and the
//! trace of where it came from, each step described by the front-end that
//! read the source.

use std::sync::Arc;

use serde::Serialize;

use super::scenario::Scenario;
use super::value::Value;
use crate::source::{FileId, Span};

/// How one step of a value's trace relates to the value. The words are the
/// front-end's: a rule shows them and never writes source-specific text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Origin {
    /// The expression as written where the value is used (a literal or a
    /// function call). Never a label of its own: the rule says what it means.
    Written,
    /// Where the value came from, described: "parameter `CachePort`
    /// defaults to 6379", "chosen when `IsProd` holds". Shown as a label
    /// when it is outside the resource.
    Source {
        /// What this step is, with its value.
        description: Arc<str>,
    },
    /// A free input's "any value other than the ones the source names"
    /// (a parameter without `AllowedValues` that conditions compare).
    OtherValue {
        /// The input (a parameter's name).
        input: Arc<str>,
        /// What this step is.
        description: Arc<str>,
    },
    /// The value that made one instance of a repeated resource (a
    /// `Fn::ForEach` value, a `count.index`). Shown as a label even inside
    /// the resource: the instances of one body share their code.
    Instance {
        /// What this step is.
        description: Arc<str>,
    },
    /// A number written in a form whose reading needs saying: a YAML 1.1
    /// integer (`014353`, `0b…`, `6_379`) or a whole number written as a
    /// float (`6379.0`). The step's value is the number read. Shown as a
    /// note, not a label.
    NumberReading {
        /// One sentence on how the text is read.
        note: Box<str>,
    },
}

impl Origin {
    /// The label text of a step that says where a value came from.
    #[must_use]
    pub fn description(&self) -> Option<&Arc<str>> {
        match self {
            Origin::Source { description }
            | Origin::OtherValue { description, .. }
            | Origin::Instance { description } => Some(description),
            Origin::Written | Origin::NumberReading { .. } => None,
        }
    }
}

/// One step of a value's provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Step {
    /// The source file the span is in.
    pub file: FileId,
    /// The span of the node the value passed through.
    pub span: Span,
    /// How that node relates to the value.
    pub origin: Origin,
    /// The value at this step, when it is a scalar (a `Default` of `"79"`
    /// that a `Fn::Sub` turns into `6379` shows `79`).
    pub value: Option<Box<str>>,
}

impl Step {
    /// A step at `span` of `file`.
    #[must_use]
    pub fn new(file: FileId, span: Span, origin: Origin) -> Self {
        Self {
            file,
            span,
            origin,
            value: None,
        }
    }

    /// The same step, showing `value`.
    #[must_use]
    pub fn with_value(mut self, value: impl Into<Box<str>>) -> Self {
        self.value = Some(value.into());
        self
    }
}

/// One value a node can take, with the scenario and the trace.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Possibility {
    /// The value.
    pub value: Value,
    /// When it arises.
    pub scenario: Scenario,
    /// Where it came from, outermost first.
    pub trace: Vec<Step>,
}

impl Possibility {
    /// `value` in every scenario, with no trace.
    #[must_use]
    pub fn new(value: Value) -> Self {
        Self {
            value,
            scenario: Scenario::default(),
            trace: Vec::new(),
        }
    }

    /// The same possibility in `scenario`.
    #[must_use]
    pub fn in_scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = scenario;
        self
    }

    /// Adds a step (in `file` 0, the only file of a CloudFormation source).
    #[must_use]
    pub fn with_step(self, span: Span, origin: Origin) -> Self {
        self.then(Step::new(FileId::default(), span, origin))
    }

    /// Adds a step that shows `value` (in `file` 0).
    #[must_use]
    pub fn with_valued_step(self, span: Span, origin: Origin, value: &str) -> Self {
        self.then(Step::new(FileId::default(), span, origin).with_value(value))
    }

    /// Adds `step` at the end of the trace.
    #[must_use]
    pub fn then(mut self, step: Step) -> Self {
        // Room for this step and the `Written` step an evaluator puts
        // before it, which is all most traces ever hold: a trace grown one
        // step at a time reallocates on the second.
        self.trace.reserve_exact(2);
        self.trace.push(step);
        self
    }
}

/// Whether a condition holds, in a scenario: a resource's existence, most
/// often.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Truth {
    /// Whether it holds.
    pub holds: bool,
    /// When.
    pub scenario: Scenario,
    /// Where the deciding values came from.
    pub trace: Vec<Step>,
}

impl Truth {
    /// A truth that holds in every scenario, with no trace: a resource that
    /// always exists.
    #[must_use]
    pub fn always() -> Self {
        Self {
            holds: true,
            scenario: Scenario::default(),
            trace: Vec::new(),
        }
    }

    /// `holds` in `scenario`, explained by `trace`.
    #[must_use]
    pub fn new(holds: bool, scenario: Scenario, trace: Vec<Step>) -> Self {
        Self {
            holds,
            scenario,
            trace,
        }
    }
}
