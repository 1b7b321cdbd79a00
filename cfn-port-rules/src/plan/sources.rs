//! Where a planned resource is written in the configuration the plan was
//! made from, when that configuration is beside the plan file: a finding in
//! the plan then also points at the `.tf` line to change.
//!
//! The plan's `configuration` names each resource's module by its calls
//! (`module.cache` calls `cache`); the root module is the plan file's
//! directory and local calls' `source` paths are relative to their caller,
//! which is how [`Workspace::load`] follows them. Only local sources are
//! read, through a [`ModuleReader`]; a file or block that is not there gives
//! no label and no error, since the plan alone is still linted in full.

use std::sync::Arc;

use super::{Plan, PlannedResource, module_call_names};
use crate::eval::{Origin, Step};
use crate::model::{Model, Property, SourceKind};
use crate::source::{FileId, SourceFile, Span};
use crate::terraform::model::header_span;
use crate::terraform::{BlockInfo, Module, ModuleReader, Workspace};

/// The arguments of a resource block the labels need (every planned
/// kind's port argument): the rest of each block is not kept in memory.
const ARGUMENTS: &[&str] = &["port"];

/// A plan's model with labels in the configuration beside it.
#[derive(Debug)]
pub struct PlanWithSources {
    /// The model: the plan file is [`FileId::FIRST`], each of
    /// [`PlanWithSources::sources`] the next id in order.
    pub model: Model,
    /// The configuration files a label points into, in the order of their
    /// ids after the plan file's.
    pub sources: Vec<SourceFile>,
}

impl Plan {
    /// The plan as a model of `file_name`, like [`Plan::to_model`], with a
    /// secondary label on each planned resource's `port` argument (or on
    /// its block's header when it has none) in the module directory
    /// `plan_dir` and the local modules it calls, read through `reader`.
    #[must_use]
    pub fn to_model_with_sources(
        &self,
        file_name: &str,
        reader: &dyn ModuleReader,
        plan_dir: &str,
    ) -> PlanWithSources {
        let mut model = self.to_model(file_name);
        if self.resources.is_empty() {
            return PlanWithSources {
                model,
                sources: Vec::new(),
            };
        }
        let workspace = Workspace::load_arguments(plan_dir, reader, ARGUMENTS);
        let mut used = UsedFiles::default();
        // `to_model` makes one resource per planned resource, in order.
        for (resource, cache) in model.resources.iter_mut().zip(&self.resources) {
            let Some(block) = declaration(&workspace, cache) else {
                continue;
            };
            let port = cache.kind.port_name(SourceKind::TerraformPlan);
            let step = configuration_step(&workspace, block, port, used.id(block.file));
            for (property, possibilities) in &mut resource.properties {
                if *property == Property::Port {
                    for possibility in possibilities {
                        possibility.trace.push(step.clone());
                    }
                }
            }
        }
        let sources = used.into_files(workspace);
        model
            .sources
            .extend(sources.iter().map(|s| s.name().to_owned()));
        PlanWithSources { model, sources }
    }
}

/// The workspace files labels point into, numbered after the plan file.
#[derive(Default)]
struct UsedFiles {
    /// Workspace file ids, in the order their model ids were given.
    files: Vec<FileId>,
}

impl UsedFiles {
    /// The model's id of a workspace file.
    fn id(&mut self, file: FileId) -> FileId {
        let index = match self.files.iter().position(|&f| f == file) {
            Some(index) => index,
            None => {
                self.files.push(file);
                self.files.len() - 1
            }
        };
        FileId(index as u32 + 1)
    }

    /// The used files, taken out of the workspace in id order.
    fn into_files(self, workspace: Workspace) -> Vec<SourceFile> {
        let mut all: Vec<Option<SourceFile>> = workspace.files.into_iter().map(Some).collect();
        self.files
            .iter()
            .filter_map(|id| all.get_mut(id.index()).and_then(Option::take))
            .collect()
    }
}

/// The resource block a planned instance was made from: in the module its
/// module address names (instance keys dropped), by type and name.
fn declaration<'w>(workspace: &'w Workspace, cache: &PlannedResource) -> Option<&'w BlockInfo> {
    if workspace.modules.is_empty() {
        return None;
    }
    let calls = module_call_names(cache.module_address.as_deref().unwrap_or_default())?;
    let mut module: &Module = workspace.root();
    for name in &calls {
        let call = module.module_calls.iter().find(|call| &call.name == name)?;
        module = workspace.module(call.target?);
    }
    module
        .resources
        .iter()
        .find(|r| {
            cache.kind.type_name(SourceKind::TerraformPlan) == Some(r.kind.as_str())
                && r.name == cache.name
        })
        .map(|r| &r.block)
}

/// The step on the port argument `port` of `block`, or on its header when
/// the block does not set it, in model file `file`.
fn configuration_step(workspace: &Workspace, block: &BlockInfo, port: &str, file: FileId) -> Step {
    let (span, description) = match block.attr(port) {
        Some(attr) => (
            Span::new(attr.key_span.start as usize, attr.value_span().end as usize),
            format!("`{port}` is written here in the configuration"),
        ),
        None => (
            header_span(workspace, block),
            format!("the resource is declared here without `{port}`"),
        ),
    };
    Step::new(
        file,
        span,
        Origin::Source {
            description: Arc::from(description),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::ARGUMENTS;
    use crate::model::{ResourceKind, SourceKind};

    /// A label can only be put on an argument the workspace kept.
    #[test]
    fn arguments_hold_every_planned_kinds_port() {
        for kind in ResourceKind::ALL {
            if kind.type_name(SourceKind::TerraformPlan).is_some() {
                let port = kind.port_name(SourceKind::TerraformPlan);
                assert!(ARGUMENTS.contains(&port), "{kind:?}: `{port}`");
            }
        }
    }
}
