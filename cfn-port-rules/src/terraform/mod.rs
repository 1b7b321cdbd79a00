//! The Terraform front-end: module directories (`.tf`, `.tf.json`,
//! auto-loaded `.tfvars`) read with [`hcl_edit`], which keeps a byte span on
//! every expression, and a static evaluator over those expressions.
//!
//! - [`files`]: which files belong to a module directory;
//! - [`parse`]: one file into `hcl-edit` syntax, errors as located diagnostics;
//! - [`module`]: a directory's blocks ([`Workspace::load`] follows local module calls);
//! - [`eval`]: what an expression can be, in which scenario, and why;
//! - [`expand`](mod@expand): `count`, `for_each` and module calls into instances with addresses;
//! - [`provider`]: what the AWS provider does with ElastiCache arguments;
//! - [`model`](mod@model): an expansion as the neutral [`Model`](crate::model::Model);
//! - [`lint_module`]: all of it, then the rules and suppression comments.
//!
//! The library reads no files: a [`ModuleReader`] gives it each directory's
//! files. Spans are byte offsets into each [`SourceFile`](crate::SourceFile).

pub mod eval;
pub mod expand;
pub mod files;
pub mod functions;
mod lint;
pub mod model;
pub mod module;
pub mod parse;
pub mod provider;
pub mod value;

#[cfg(test)]
mod exposure_tests;
#[cfg(test)]
mod tests;

pub use eval::{Context, Evaluator, InstanceId, ModuleInstance};
pub use expand::{Expansion, InstanceKey, ResourceInstance, expand, expand_with};
pub use lint::{COMMAND_LINE_FILE, TerraformReport, Vars, lint_module};
pub use module::{
    Attr, BlockInfo, FileDiagnostic, MemoryReader, Module, ModuleCall, ModuleId, ModuleReader,
    Resource, Variable, Workspace,
};
pub use value::{Possibility, Reference, Step, TfScenario, TfValue, format_number};

use crate::source::Span;

/// The span `hcl-edit` recorded for a node, as the library's [`Span`].
pub(crate) fn span_of(node: &impl hcl_edit::Span) -> Option<Span> {
    node.span().map(|range| Span::new(range.start, range.end))
}
