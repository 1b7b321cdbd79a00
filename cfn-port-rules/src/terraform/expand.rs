//! `count`, `for_each` and module calls, expanded into instances with the
//! addresses Terraform gives them (`module.redis[0].aws_elasticache_cluster.this["sessions"]`).

use std::collections::BTreeMap;
use std::sync::Arc;

use hcl_edit::expr::{Expression, TraversalOperator};

use super::eval::{Context, Evaluator, InstanceId, ModuleInstance};
use super::module::{
    Attr, BlockInfo, FileDiagnostic, MODULE_META_ARGUMENTS, ModuleId, Workspace, escape,
    unwrap_interpolation,
};
use super::value::{Possibility, Step, TfValue, format_number};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};

/// The most instances one block expands to; `count = 1e9` is checked for
/// its first instances only, with a diagnostic.
pub const MAX_INSTANCES: usize = 1_000;
/// The deepest chain of module calls followed.
pub const MAX_MODULE_DEPTH: usize = 16;

/// Which instance of a block.
#[derive(Clone, Debug, PartialEq)]
pub enum InstanceKey {
    /// A block without `count` or `for_each`.
    Single,
    /// `count.index`.
    Index(usize),
    /// `each.key`.
    Key(String),
    /// `count` or `for_each` could not be evaluated: the instance that
    /// would exist, with the reason.
    Unknown(Arc<str>),
}

impl InstanceKey {
    /// The key as Terraform writes it after the block's address: `[0]`,
    /// `["sessions"]`, `[*]` when unknown, nothing for a single instance.
    #[must_use]
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::Single => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(key) => format!("[{key:?}]"),
            InstanceKey::Unknown(_) => "[*]".to_owned(),
        }
    }
}

/// One instance of a `resource` block.
#[derive(Clone, Debug)]
pub struct ResourceInstance {
    /// The module instance it belongs to.
    pub instance: InstanceId,
    /// The module declaring it.
    pub module: ModuleId,
    /// The index of the block in [`Module::resources`](super::Module::resources).
    pub resource: usize,
    /// The full address.
    pub address: String,
    /// Which instance.
    pub key: InstanceKey,
    /// The context its arguments are evaluated in.
    pub context: Context,
}

/// Every resource instance of a workspace, and the problems met on the way.
#[derive(Debug)]
pub struct Expansion<'w> {
    /// The evaluator, holding the module instances.
    pub evaluator: Evaluator<'w>,
    /// Every resource instance, in module and file order.
    pub resources: Vec<ResourceInstance>,
    /// Cycles, limits and counts that cannot be evaluated.
    pub diagnostics: Vec<FileDiagnostic>,
}

impl Expansion<'_> {
    /// The block of an instance.
    #[must_use]
    pub fn block(&self, instance: &ResourceInstance) -> &BlockInfo {
        &self.evaluator.workspace().module(instance.module).resources[instance.resource].block
    }

    /// The possibilities of an argument of an instance, `None` when the
    /// argument is not written.
    #[must_use]
    pub fn argument(&self, instance: &ResourceInstance, name: &str) -> Option<Vec<Possibility>> {
        let attr = self.block(instance).attr(name)?;
        Some(self.evaluator.eval_attr(attr, &instance.context))
    }
}

impl Expansion<'_> {
    /// The instance that an argument refers to directly, as a member
    /// cluster's `replication_group_id = aws_elasticache_replication_group.x.id`
    /// (or `x[0].id`, `x[count.index].id`, `x[each.key].id`) does: a block of
    /// type `kind` in the same module instance. `None` when the argument is
    /// anything else, so the group is not in view.
    #[must_use]
    pub fn referenced_instance(
        &self,
        instance: &ResourceInstance,
        argument: &str,
        kind: &str,
    ) -> Option<&ResourceInstance> {
        let attr = self.block(instance).attr(argument)?;
        let Expression::Traversal(traversal) = unwrap_interpolation(&attr.expr) else {
            return None;
        };
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        if root.as_str() != kind {
            return None;
        }
        let (name, key) = match traversal
            .operators
            .iter()
            .map(hcl_edit::Decorated::value)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [
                TraversalOperator::GetAttr(name),
                TraversalOperator::GetAttr(_),
            ] => (name.as_str(), InstanceKey::Single),
            [
                TraversalOperator::GetAttr(name),
                TraversalOperator::LegacyIndex(index),
                TraversalOperator::GetAttr(_),
            ] => (
                name.as_str(),
                InstanceKey::Index(usize::try_from(*index.value()).ok()?),
            ),
            [
                TraversalOperator::GetAttr(name),
                TraversalOperator::Index(index),
                TraversalOperator::GetAttr(_),
            ] => {
                let values = self.evaluator.eval(index, attr.file, &instance.context);
                let [value] = values.as_slice() else {
                    return None;
                };
                let key = match &value.value {
                    TfValue::Number(n) if *n >= 0.0 => InstanceKey::Index(*n as usize),
                    TfValue::String(key) => InstanceKey::Key(key.clone()),
                    _ => return None,
                };
                (name.as_str(), key)
            }
            _ => return None,
        };
        let module = self.evaluator.workspace().module(instance.module);
        self.resources.iter().find(|candidate| {
            let resource = &module.resources[candidate.resource];
            candidate.instance == instance.instance
                && resource.kind == kind
                && resource.name == name
                && candidate.key == key
        })
    }
}

/// Expands the root module of `workspace` with the given root variable values.
#[must_use]
pub fn expand(workspace: &Workspace, given: BTreeMap<String, TfValue>) -> Expansion<'_> {
    expand_with(Evaluator::new(workspace, given))
}

/// Expands the root module of the evaluator's workspace.
#[must_use]
pub fn expand_with(evaluator: Evaluator<'_>) -> Expansion<'_> {
    let mut expansion = Expansion {
        evaluator,
        resources: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut stack = vec![ModuleId(0)];
    expand_instance(&mut expansion, InstanceId(0), &mut stack);
    expansion
}

fn expand_instance(expansion: &mut Expansion<'_>, id: InstanceId, stack: &mut Vec<ModuleId>) {
    let workspace = expansion.evaluator.workspace();
    let instance = expansion.evaluator.instance(id).clone();
    let module = workspace.module(instance.module);
    for (index, resource) in module.resources.iter().enumerate() {
        let base = format!("{}{}.{}", instance.address, resource.kind, resource.name);
        for (key, context) in instance_keys(expansion, &resource.block, id, &base) {
            expansion.resources.push(ResourceInstance {
                instance: id,
                module: instance.module,
                resource: index,
                address: format!("{base}{}", key.suffix()),
                key,
                context,
            });
        }
    }
    for (call_index, call) in module.module_calls.iter().enumerate() {
        let Some(target) = call.target else { continue };
        let span = call
            .block
            .attr("source")
            .map_or(call.block.span, Attr::value_span);
        if stack.contains(&target) || stack.len() >= MAX_MODULE_DEPTH {
            let message = if stack.contains(&target) {
                format!(
                    "module `{}` calls itself, directly or through other modules; the cycle is not followed",
                    escape(&call.name)
                )
            } else {
                format!(
                    "module calls nest deeper than {MAX_MODULE_DEPTH}; `{}` is not followed",
                    escape(&call.name)
                )
            };
            expansion.diagnostics.push(FileDiagnostic {
                file: Some(call.block.file),
                diagnostic: Diagnostic::new(
                    DiagnosticKind::TemplateProblem,
                    message,
                    Label::primary(span, "not followed"),
                ),
            });
            continue;
        }
        let base = format!("{}module.{}", instance.address, call.name);
        for (key, context) in instance_keys(expansion, &call.block, id, &base) {
            let inputs = call_inputs(&expansion.evaluator, &call.name, &call.block, &context);
            let address = format!("{base}{}.", key.suffix());
            let child = expansion.evaluator.add_instance(ModuleInstance {
                module: target,
                address,
                inputs,
                caller: Some((id, call_index)),
            });
            stack.push(target);
            expand_instance(expansion, child, stack);
            stack.pop();
        }
    }
}

/// The caller's arguments, evaluated in the caller, each with a first step
/// at the argument ("module `redis` is called with `port` = 6379").
fn call_inputs(
    evaluator: &Evaluator<'_>,
    call_name: &str,
    block: &BlockInfo,
    context: &Context,
) -> BTreeMap<String, Vec<Possibility>> {
    block
        .attributes
        .iter()
        .filter(|(name, _)| !MODULE_META_ARGUMENTS.contains(&name.as_str()))
        .map(|(name, attr)| {
            let mut possibilities = evaluator.eval(&attr.expr, attr.file, context);
            for p in &mut possibilities {
                let description = format!(
                    "module `{}` is called with `{}` = {}",
                    escape(call_name),
                    escape(name),
                    p.value
                );
                p.trace.insert(
                    0,
                    Step {
                        file: attr.file,
                        span: attr.value_span(),
                        description,
                    },
                );
            }
            (name.clone(), possibilities)
        })
        .collect()
}

/// The instances of a block with `count`, `for_each` or neither.
fn instance_keys(
    expansion: &mut Expansion<'_>,
    block: &BlockInfo,
    instance: InstanceId,
    address: &str,
) -> Vec<(InstanceKey, Context)> {
    let module_context = Context::module(instance);
    if let Some(count) = block.attr("count") {
        let values = expansion
            .evaluator
            .eval(&count.expr, count.file, &module_context);
        return count_keys(expansion, count, &values, instance, address);
    }
    if let Some(for_each) = block.attr("for_each") {
        let values = expansion
            .evaluator
            .eval(&for_each.expr, for_each.file, &module_context);
        return for_each_keys(expansion, for_each, &values, instance, address);
    }
    vec![(InstanceKey::Single, module_context)]
}

fn count_keys(
    expansion: &mut Expansion<'_>,
    count: &Attr,
    values: &[Possibility],
    instance: InstanceId,
    address: &str,
) -> Vec<(InstanceKey, Context)> {
    // With several possible counts, every instance that exists in one of them is checked.
    let known: Vec<f64> = values.iter().filter_map(|p| p.value.to_number()).collect();
    if known.len() < values.len() || known.is_empty() {
        let reason = values.iter().find_map(|p| match &p.value {
            TfValue::Unknown(reason) => Some(reason.clone()),
            _ => None,
        });
        let reason = reason.unwrap_or_else(|| Arc::from("`count` is not a number"));
        let context = Context::module(instance);
        return vec![(InstanceKey::Unknown(reason), context)];
    }
    let largest = known.iter().copied().fold(0.0, f64::max);
    let n = if largest > MAX_INSTANCES as f64 {
        too_many(expansion, count, address, &format_number(largest));
        MAX_INSTANCES
    } else {
        largest.max(0.0) as usize
    };
    (0..n)
        .map(|i| {
            (
                InstanceKey::Index(i),
                Context {
                    count_index: Some(i as f64),
                    ..Context::module(instance)
                },
            )
        })
        .collect()
}

fn for_each_keys(
    expansion: &mut Expansion<'_>,
    for_each: &Attr,
    values: &[Possibility],
    instance: InstanceId,
    address: &str,
) -> Vec<(InstanceKey, Context)> {
    let mut entries: BTreeMap<String, TfValue> = BTreeMap::new();
    for p in values {
        match &p.value {
            TfValue::Map(map) => entries.extend(map.iter().map(|(k, v)| (k.clone(), v.clone()))),
            TfValue::List(items) => {
                // A set of strings: each key and value is the element.
                for item in items {
                    let Some(text) = item.to_text() else { continue };
                    entries.insert(text.clone(), TfValue::String(text));
                }
            }
            TfValue::Unknown(reason) => {
                let context = Context::module(instance);
                return vec![(InstanceKey::Unknown(reason.clone()), context)];
            }
            _ => {}
        }
    }
    if entries.len() > MAX_INSTANCES {
        too_many(expansion, for_each, address, &entries.len().to_string());
    }
    entries
        .into_iter()
        .take(MAX_INSTANCES)
        .map(|(key, value)| {
            let each = Some((TfValue::String(key.clone()), value));
            (
                InstanceKey::Key(key),
                Context {
                    each,
                    ..Context::module(instance)
                },
            )
        })
        .collect()
}

fn too_many(expansion: &mut Expansion<'_>, attr: &Attr, address: &str, n: &str) {
    expansion.diagnostics.push(FileDiagnostic {
        file: Some(attr.file),
        diagnostic: Diagnostic::new(
            DiagnosticKind::TemplateProblem,
            format!(
                "`{}` has {n} instances; only the first {MAX_INSTANCES} are checked",
                escape(address)
            ),
            Label::primary(attr.value_span(), "too many instances"),
        ),
    });
}
