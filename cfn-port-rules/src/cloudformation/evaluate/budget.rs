//! The evaluator's bounds: the node budget each property or named
//! condition spends ([`EVAL_BUDGET`](super::EVAL_BUDGET)) and the cap on
//! possibilities per value, with the unknowns that stand for what lies past
//! them.

use super::{EVAL_BUDGET, Evaluator};
use crate::eval::{Possibility, Unknown, Value};
use crate::source::{FileId, Span};

impl Evaluator<'_, '_> {
    /// Counts one node against the budget; false when it is spent.
    pub(super) fn spend(&self) -> bool {
        self.steps.set(self.steps.get() + 1);
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                true
            }
            None => false,
        }
    }

    /// Caps a list of possibilities, replacing the excess with one unknown.
    pub(super) fn bounded(
        &self,
        mut possibilities: Vec<Possibility>,
        span: Span,
    ) -> Vec<Possibility> {
        if possibilities.len() > self.limit {
            possibilities.truncate(self.limit - 1);
            possibilities.push(self.too_many(span));
        }
        possibilities
    }

    pub(super) fn too_many(&self, span: Span) -> Possibility {
        Possibility::new(Value::Unknown(self.too_many_reason(span)))
    }

    pub(super) fn too_many_reason(&self, span: Span) -> Unknown {
        Unknown::new(
            format!(
                "more than {} combinations of values; not all were evaluated",
                self.limit
            ),
            FileId::FIRST,
            span,
        )
    }
}

pub(super) fn too_large_reason() -> String {
    format!(
        "the value is too large to evaluate (more than {EVAL_BUDGET} nodes and combinations of values, as YAML aliases that repeat a value or very long lists make)"
    )
}
