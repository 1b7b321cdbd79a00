//! Static evaluation of Terraform expressions, with scenarios and traces.
//!
//! Pure functions over `hcl-edit` expressions: the same expression in the
//! same [`Context`] always gives the same [`Possibility`] list. A context
//! is a module instance (which gives `var.*` and `local.*` their values)
//! plus `count.index` or `each.key`/`each.value` for one resource instance.
//!
//! Bounds: the number of possibilities per value, the recursion depth and
//! the total work are capped; past a cap the answer is an unknown value
//! with the reason, never a hang.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::Element;

use super::expand::InstanceKey;
use super::functions;
use super::module::{Attr, BlockInfo, ModuleId, Workspace, escape, object_key_text};
use super::span_of;
use super::value::{FileId, Possibility, Reference, Step, TfScenario, TfValue, format_number};
use crate::source::Span;

/// The most possibilities one expression may have; past it, unknown.
pub const MAX_POSSIBILITIES: usize = 64;
/// The deepest expression recursion (nested calls, locals referring to locals).
pub const MAX_DEPTH: usize = 96;
/// The most expression nodes one [`Evaluator`] evaluates in total.
pub const MAX_WORK: usize = 5_000_000;

/// Which module instance (an index into the evaluator's instances).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InstanceId(pub usize);

/// A module as instantiated: the root, or one call (one `count` index or
/// `for_each` key of it) with the values of its arguments.
#[derive(Clone, Debug)]
pub struct ModuleInstance {
    /// The module.
    pub module: ModuleId,
    /// The address prefix of its resources: `""` for the root,
    /// `module.redis[0].` below it.
    pub address: String,
    /// The caller's arguments, evaluated in the caller.
    pub inputs: BTreeMap<String, Vec<Possibility>>,
    /// The module instance that calls it and the index of the call among
    /// its module's [`module_calls`](super::Module::module_calls); `None`
    /// for the root.
    pub caller: Option<(InstanceId, usize)>,
}

/// Where an expression is evaluated.
#[derive(Clone, Debug)]
pub struct Context {
    /// The module instance.
    pub instance: InstanceId,
    /// `count.index` of the resource or module instance.
    pub count_index: Option<f64>,
    /// `each.key` and `each.value`.
    pub each: Option<(TfValue, TfValue)>,
    /// The iterator variables of the `for` expressions around the expression.
    pub bindings: Vec<(Arc<str>, TfValue)>,
}

impl Context {
    /// A context in a module instance, outside any `count` or `for_each`.
    #[must_use]
    pub fn module(instance: InstanceId) -> Self {
        Self {
            instance,
            count_index: None,
            each: None,
            bindings: Vec::new(),
        }
    }

    fn binding(&self, name: &str) -> Option<&TfValue> {
        self.bindings
            .iter()
            .rev()
            .find(|(bound, _)| &**bound == name)
            .map(|(_, value)| value)
    }
}

/// Evaluates expressions of one workspace.
#[derive(Debug)]
pub struct Evaluator<'w> {
    workspace: &'w Workspace,
    /// Values given for root variables (`--var`), winning over variable
    /// files, each with the step that says where it was given.
    given: BTreeMap<String, Possibility>,
    instances: Vec<ModuleInstance>,
    locals: RefCell<HashMap<(usize, String), Vec<Possibility>>>,
    in_progress: RefCell<HashSet<(usize, String)>>,
    depth: Cell<usize>,
    work: Cell<usize>,
}

impl<'w> Evaluator<'w> {
    /// An evaluator with one instance, the root module.
    #[must_use]
    pub fn new(workspace: &'w Workspace, given: BTreeMap<String, TfValue>) -> Self {
        let given = given
            .into_iter()
            .map(|(name, value)| {
                let possibility = Possibility {
                    value,
                    scenario: TfScenario::default(),
                    trace: Vec::new(),
                };
                (name, possibility)
            })
            .collect();
        Self::with_given(workspace, given)
    }

    /// An evaluator whose given root variable values carry their own trace
    /// (a step on the `--var` that gave each).
    #[must_use]
    pub fn with_given(workspace: &'w Workspace, given: BTreeMap<String, Possibility>) -> Self {
        Self {
            workspace,
            given,
            instances: vec![ModuleInstance {
                module: ModuleId(0),
                address: String::new(),
                inputs: BTreeMap::new(),
                caller: None,
            }],
            locals: RefCell::default(),
            in_progress: RefCell::default(),
            depth: Cell::new(0),
            work: Cell::new(0),
        }
    }

    /// The workspace.
    #[must_use]
    pub fn workspace(&self) -> &'w Workspace {
        self.workspace
    }

    /// A module instance.
    #[must_use]
    pub fn instance(&self, id: InstanceId) -> &ModuleInstance {
        &self.instances[id.0]
    }

    /// Adds a module instance and returns its id.
    pub fn add_instance(&mut self, instance: ModuleInstance) -> InstanceId {
        self.instances.push(instance);
        InstanceId(self.instances.len() - 1)
    }

    /// The possibilities of an argument, the first step being the argument
    /// itself ("`port = var.port`").
    #[must_use]
    pub fn eval_attr(&self, attr: &Attr, context: &Context) -> Vec<Possibility> {
        let mut possibilities = self.eval(&attr.expr, attr.file, context);
        let span = attr.value_span();
        for p in &mut possibilities {
            p.trace.insert(
                0,
                Step {
                    file: attr.file,
                    span,
                    description: format!("set to {}", p.value),
                },
            );
        }
        possibilities
    }

    /// The possibilities of an expression written in `file`.
    #[must_use]
    pub fn eval(&self, expr: &Expression, file: FileId, context: &Context) -> Vec<Possibility> {
        let span = span_of(expr).unwrap_or_default();
        let work = self.work.get() + 1;
        self.work.set(work);
        if work > MAX_WORK {
            return unknown("the evaluation budget is spent", file, span);
        }
        if self.depth.get() >= MAX_DEPTH {
            return unknown("the expression nests too deeply to evaluate", file, span);
        }
        self.depth.set(self.depth.get() + 1);
        let result = self.eval_inner(expr, file, context, span);
        self.depth.set(self.depth.get() - 1);
        result
    }

    fn eval_inner(
        &self,
        expr: &Expression,
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Vec<Possibility> {
        match expr {
            Expression::Null(_) => known(TfValue::Null),
            Expression::Bool(flag) => known(TfValue::Bool(*flag.value())),
            Expression::Number(number) => match number.as_f64() {
                Some(n) => known(TfValue::Number(n)),
                None => unknown("the number cannot be read", file, span),
            },
            Expression::String(text) => known(TfValue::String(text.value().clone())),
            Expression::Array(array) => {
                let parts = array
                    .iter()
                    .map(|item| self.eval(item, file, context))
                    .collect();
                combine(parts, file, span, TfValue::List)
            }
            Expression::Object(object) => self.eval_object(object, file, context, span),
            Expression::StringTemplate(template) => {
                self.eval_template(template.iter(), file, context, span)
            }
            Expression::HeredocTemplate(heredoc) => {
                self.eval_template(heredoc.template.iter(), file, context, span)
            }
            Expression::Parenthesis(inner) => self.eval(inner.inner(), file, context),
            Expression::Variable(name) => match context.binding(name.as_str()) {
                Some(value) => known(value.clone()),
                None => unknown(
                    format!("`{}` alone is not a value", escape(name.as_str())),
                    file,
                    span,
                ),
            },
            Expression::Conditional(conditional) => self.eval_conditional(
                &conditional.cond_expr,
                &conditional.true_expr,
                &conditional.false_expr,
                file,
                context,
            ),
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                if !call.name.namespace.is_empty() || call.args.expand_final() {
                    return unknown(
                        format!("the call of `{}` is not evaluated", escape(name)),
                        file,
                        span,
                    );
                }
                let parts = call
                    .args
                    .iter()
                    .map(|arg| self.eval(arg, file, context))
                    .collect();
                combine(parts, file, span, |args| functions::call(name, &args))
            }
            Expression::Traversal(traversal) => {
                self.eval_traversal(&traversal.expr, &traversal.operators, file, context, span)
            }
            Expression::UnaryOp(op) => {
                let operator = *op.operator.value();
                map_each(self.eval(&op.expr, file, context), |value| {
                    unary(operator, value)
                })
            }
            Expression::BinaryOp(op) => {
                let operator = *op.operator.value();
                let parts = vec![
                    self.eval(&op.lhs_expr, file, context),
                    self.eval(&op.rhs_expr, file, context),
                ];
                combine(parts, file, span, |values| {
                    binary(operator, &values[0], &values[1])
                })
            }
            Expression::ForExpr(for_expr) => self.eval_for(for_expr, file, context, span),
        }
    }

    /// `[for v in c : e if cond]` and `{for k, v in c : k => v}` over a known
    /// collection; grouping (`...`) is not evaluated.
    fn eval_for(
        &self,
        for_expr: &hcl_edit::expr::ForExpr,
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Vec<Possibility> {
        if for_expr.grouping {
            return unknown("grouping `for` expressions are not evaluated", file, span);
        }
        let intro = &for_expr.intro;
        let mut out = Vec::new();
        for collection in self.eval(&intro.collection_expr, file, context) {
            let elements: Vec<(TfValue, TfValue)> = match &collection.value {
                TfValue::List(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (TfValue::Number(i as f64), item.clone()))
                    .collect(),
                TfValue::Map(entries) => entries
                    .iter()
                    .map(|(key, value)| (TfValue::String(key.clone()), value.clone()))
                    .collect(),
                TfValue::Unknown(_) => {
                    out.push(collection);
                    continue;
                }
                other => {
                    return unknown(
                        format!("`for` over {other}, which is not a collection"),
                        file,
                        span,
                    );
                }
            };
            let mut parts = vec![vec![collection.clone()]];
            for (key, value) in elements {
                let mut inner = context.clone();
                if let Some(key_var) = &intro.key_var {
                    inner.bindings.push((Arc::from(key_var.as_str()), key));
                }
                inner
                    .bindings
                    .push((Arc::from(intro.value_var.as_str()), value));
                parts.push(self.eval_for_element(for_expr, file, &inner, span));
            }
            let object = for_expr.key_expr.is_some();
            out.extend(combine(parts, file, span, |values| {
                collect_for(object, values.into_iter().skip(1))
            }));
        }
        cap(out, file, span)
    }

    /// One element of a `for`: `[key, value]`, or null when its `if` is false.
    fn eval_for_element(
        &self,
        for_expr: &hcl_edit::expr::ForExpr,
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Vec<Possibility> {
        let condition = match &for_expr.cond {
            Some(cond) => self.eval(&cond.expr, file, context),
            None => known(TfValue::Bool(true)),
        };
        let key = match &for_expr.key_expr {
            Some(key) => self.eval(key, file, context),
            None => known(TfValue::Null),
        };
        let value = self.eval(&for_expr.value_expr, file, context);
        combine(vec![condition, key, value], file, span, |mut values| {
            let value = values.pop().unwrap_or(TfValue::Null);
            let key = values.pop().unwrap_or(TfValue::Null);
            match values[0].to_bool() {
                Some(true) => TfValue::List(vec![key, value]),
                Some(false) => TfValue::Null,
                None if values[0].is_known() => TfValue::unknown("a `for` condition is not a bool"),
                None => values[0].clone(),
            }
        })
    }

    fn eval_object(
        &self,
        object: &hcl_edit::expr::Object,
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Vec<Possibility> {
        let mut keys = Vec::new();
        let mut parts = Vec::new();
        for (key, value) in object {
            let key_text = match key {
                ObjectKey::Ident(_) => object_key_text(key),
                ObjectKey::Expression(expr) => {
                    let evaluated = self.eval(expr, file, context);
                    match evaluated.as_slice() {
                        [single] => single.value.to_text(),
                        _ => None,
                    }
                }
            };
            let Some(key_text) = key_text else {
                return unknown("an object key cannot be evaluated", file, span);
            };
            keys.push(key_text);
            parts.push(self.eval(value.expr(), file, context));
        }
        combine(parts, file, span, |values| {
            TfValue::Map(keys.iter().cloned().zip(values).collect())
        })
    }

    fn eval_template<'e>(
        &self,
        elements: impl Iterator<Item = &'e Element>,
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Vec<Possibility> {
        let mut parts = Vec::new();
        for element in elements {
            match element {
                Element::Literal(text) => parts.push(known(TfValue::String(text.value().clone()))),
                Element::Interpolation(interpolation) => {
                    parts.push(self.eval(&interpolation.expr, file, context));
                }
                Element::Directive(_) => {
                    return unknown("template directives are not evaluated", file, span);
                }
            }
        }
        // A template that is one interpolation keeps the value's type:
        // `"${var.port}"` is a number when `var.port` is.
        if parts.len() == 1 {
            return parts.pop().unwrap_or_default();
        }
        combine(parts, file, span, |values| {
            let mut out = String::new();
            for value in &values {
                match value.to_text() {
                    Some(text) => out.push_str(&text),
                    None => return TfValue::unknown(format!("{value} cannot be part of a string")),
                }
            }
            TfValue::String(out)
        })
    }

    fn eval_conditional(
        &self,
        condition: &Expression,
        if_true: &Expression,
        if_false: &Expression,
        file: FileId,
        context: &Context,
    ) -> Vec<Possibility> {
        let condition_span = span_of(condition).unwrap_or_default();
        let mut out = Vec::new();
        for test in self.eval(condition, file, context) {
            let branches: Vec<(bool, TfScenario)> = match test.value.to_bool() {
                Some(flag) => vec![(flag, test.scenario.clone())],
                None if test.value.is_known() => {
                    return unknown("the condition is not a bool", file, condition_span);
                }
                None => {
                    // Unknown condition: both branches, each under an
                    // assumption named after the condition's text, so two
                    // conditionals on the same test stay correlated.
                    let text = self
                        .workspace
                        .file(file)
                        .get(condition_span)
                        .unwrap_or("condition");
                    let input = format!("condition `{}`", escape(text));
                    [true, false]
                        .into_iter()
                        .filter_map(|flag| {
                            test.scenario
                                .merge(&TfScenario::single(input.as_str(), flag.to_string()))
                                .map(|s| (flag, s))
                        })
                        .collect()
                }
            };
            for (flag, scenario) in branches {
                let branch = if flag { if_true } else { if_false };
                for p in self.eval(branch, file, context) {
                    if let Some(merged) = p.scenario.merge(&scenario) {
                        let mut trace = test.trace.clone();
                        trace.extend(p.trace);
                        out.push(Possibility {
                            value: p.value,
                            scenario: merged,
                            trace,
                        });
                    }
                }
            }
        }
        cap(out, file, condition_span)
    }

    fn eval_traversal(
        &self,
        root: &Expression,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Vec<Possibility> {
        let Expression::Variable(root_name) = root else {
            let base = self.eval(root, file, context);
            return self.apply_operators(base, operators, file, context, span);
        };
        if context.binding(root_name.as_str()).is_some() {
            return self.apply_operators(
                self.eval(root, file, context),
                operators,
                file,
                context,
                span,
            );
        }
        let first = operators.first().map(hcl_edit::Decorated::value);
        let name = match first {
            Some(TraversalOperator::GetAttr(name)) => name.as_str(),
            _ => "",
        };
        let rest = operators.get(1..).unwrap_or_default();
        let base = match root_name.as_str() {
            "var" => self.variable(name, context, file, span),
            "local" => self.local(name, context, file, span),
            "count" if name == "index" => match context.count_index {
                Some(index) => known(TfValue::Number(index)),
                None => unknown("`count.index` outside a block with `count`", file, span),
            },
            "each" if name == "key" || name == "value" => match &context.each {
                Some((key, value)) => known(if name == "key" {
                    key.clone()
                } else {
                    value.clone()
                }),
                None => unknown("`each` outside a block with `for_each`", file, span),
            },
            "data" => {
                // `data.<type>.<name>`: both say which data source it is.
                let source = match rest.first().map(hcl_edit::Decorated::value) {
                    Some(TraversalOperator::GetAttr(label)) => format!("{name}.{}", label.as_str()),
                    _ => name.to_owned(),
                };
                unknown(
                    format!(
                        "data source `data.{}` is read when Terraform plans",
                        escape(&source)
                    ),
                    file,
                    span,
                )
            }
            "module" => {
                if let Some(values) = self.module_output(name, rest, file, context, span) {
                    return values;
                }
                unknown(
                    format!("outputs of `module.{}` are not evaluated", escape(name)),
                    file,
                    span,
                )
            }
            "path" | "terraform" => unknown(
                format!(
                    "`{}.{}` depends on where Terraform runs",
                    root_name.as_str(),
                    escape(name)
                ),
                file,
                span,
            ),
            GROUP_TYPE => {
                if let Some(references) = self.group_reference(name, rest, file, context, span) {
                    return references;
                }
                another_resource(GROUP_TYPE, name, file, span)
            }
            resource_type => another_resource(resource_type, name, file, span),
        };
        self.apply_operators(base, rest, file, context, span)
    }

    /// `module.<call>.<output>` of a local module called once (no `count`
    /// or `for_each`): the output's `value`, evaluated in the call's
    /// instance, then the operators after it. `None` for a remote module
    /// (not loaded), a repeated call or another shape.
    fn module_output(
        &self,
        call: &str,
        rest: &[hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Option<Vec<Possibility>> {
        let Some(TraversalOperator::GetAttr(output)) = rest.first().map(hcl_edit::Decorated::value)
        else {
            return None;
        };
        let module = self
            .workspace
            .module(self.instances[context.instance.0].module);
        let index = module.module_calls.iter().position(|c| c.name == call)?;
        let block = &module.module_calls[index].block;
        if block.attr("count").is_some() || block.attr("for_each").is_some() {
            return None;
        }
        let child = self
            .instances
            .iter()
            .position(|i| i.caller == Some((context.instance, index)))?;
        let outputs = &self.workspace.module(self.instances[child].module).outputs;
        let Some(value) = outputs.get(output.as_str()).and_then(|o| o.attr("value")) else {
            let reason = format!(
                "module `{}` has no output `{}` (Terraform rejects the reference)",
                escape(call),
                escape(output.as_str())
            );
            return Some(unknown(reason, file, span));
        };
        // Only an output that hands out security groups is followed: any
        // output would carry whole modules' values (labels, tag maps) from
        // call to call, with traces that grow at every step.
        if !hands_out_groups(&value.expr) {
            return None;
        }
        // Evaluated once per module instance, as locals are (a space
        // cannot be part of a local's name).
        let key = (child, format!("output {}", output.as_str()));
        let cached = self.locals.borrow().get(&key).cloned();
        let values = match cached {
            Some(values) => values,
            None => {
                if !self.in_progress.borrow_mut().insert(key.clone()) {
                    return Some(unknown("a module output refers to itself", file, span));
                }
                let values = self.with_step(value, &Context::module(InstanceId(child)), |v| {
                    format!(
                        "output `{}` of module `{}` is {v}",
                        escape(output.as_str()),
                        escape(call)
                    )
                });
                self.in_progress.borrow_mut().remove(&key);
                self.locals.borrow_mut().insert(key, values.clone());
                values
            }
        };
        Some(self.apply_operators(values, &rest[1..], file, context, span))
    }

    /// `aws_security_group.<name>.id`, `<name>[0].id`, `<name>["a"].id`,
    /// `<name>[count.index].id` or the splat `<name>[*].id`, when `<name>`
    /// is a group block of this module instance: one [`TfValue::Reference`]
    /// per instance named, by the address the expansion gives it (`[*]`
    /// when the block's instances cannot be told). `None` for any other
    /// attribute or shape, which is then a plain unknown.
    fn group_reference(
        &self,
        name: &str,
        rest: &[hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Option<Vec<Possibility>> {
        use TraversalOperator as Op;
        let instance = &self.instances[context.instance.0];
        let module = self.workspace.module(instance.module);
        let Some(declared) = module
            .resources
            .iter()
            .find(|r| r.kind == GROUP_TYPE && r.name == name)
        else {
            let reason = format!(
                "no `{GROUP_TYPE}` block named `{}` is declared in this module (Terraform rejects the reference)",
                escape(name)
            );
            return Some(unknown(reason, file, span));
        };
        let block = &declared.block;
        let operators: Vec<&Op> = rest.iter().map(hcl_edit::Decorated::value).collect();
        let (key, attribute) = match operators.as_slice() {
            [Op::GetAttr(attribute)] => (None, attribute),
            [key, Op::GetAttr(attribute)] => (Some(*key), attribute),
            _ => return None,
        };
        if attribute.as_str() != "id" {
            return None;
        }
        let base = format!("{}{GROUP_TYPE}.{name}", instance.address);
        let reference = |key: &InstanceKey| {
            TfValue::Reference(Arc::new(Reference {
                address: format!("{base}{}", key.suffix()),
                type_name: GROUP_TYPE,
                file,
                span,
            }))
        };
        let keys = self.instance_keys_of(block, context);
        // One instance: a reference to it when the block makes it (or its
        // instances cannot be told: then the one the expansion names `[*]`);
        // otherwise Terraform rejects the reference, which `try` catches.
        let one = |key: InstanceKey| match &keys {
            None => reference(&InstanceKey::Unknown(Arc::from(""))),
            Some(keys) if keys.contains(&key) => reference(&key),
            Some(_) => TfValue::unknown(format!(
                "`{base}{}` is not an instance its block makes (Terraform rejects the reference)",
                key.suffix()
            )),
        };
        match key {
            None => Some(known(one(InstanceKey::Single))),
            Some(Op::LegacyIndex(index)) => {
                let key = InstanceKey::Index(usize::try_from(*index.value()).ok()?);
                Some(known(one(key)))
            }
            Some(Op::Index(index)) => {
                Some(map_each(
                    self.eval(index, file, context),
                    |value| match &value {
                        TfValue::Number(n) if *n >= 0.0 => one(InstanceKey::Index(*n as usize)),
                        TfValue::String(key) => one(InstanceKey::Key(key.clone())),
                        _ if !value.is_known() => value,
                        _ => TfValue::unknown(format!("{value} is not an instance key")),
                    },
                ))
            }
            Some(Op::AttrSplat(_) | Op::FullSplat(_)) => {
                let keys = keys.unwrap_or_else(|| vec![InstanceKey::Unknown(Arc::from(""))]);
                Some(known(TfValue::List(keys.iter().map(reference).collect())))
            }
            Some(_) => None,
        }
    }

    /// The keys of a block's instances as the expansion makes them, from
    /// `count` or `for_each` evaluated in the module instance (every
    /// instance that exists in one of their possible values); `None` when
    /// they cannot be told.
    fn instance_keys_of(&self, block: &BlockInfo, context: &Context) -> Option<Vec<InstanceKey>> {
        let module_context = Context::module(context.instance);
        if let Some(count) = block.attr("count") {
            let mut largest = 0.0_f64;
            for p in self.eval(&count.expr, count.file, &module_context) {
                largest = largest.max(p.value.to_number()?);
            }
            let n = (largest.max(0.0) as usize).min(super::expand::MAX_INSTANCES);
            return Some((0..n).map(InstanceKey::Index).collect());
        }
        if let Some(for_each) = block.attr("for_each") {
            let mut keys = std::collections::BTreeSet::new();
            for p in self.eval(&for_each.expr, for_each.file, &module_context) {
                match p.value {
                    TfValue::Map(map) => keys.extend(map.into_keys()),
                    TfValue::List(items) => keys.extend(items.iter().filter_map(TfValue::to_text)),
                    TfValue::Unknown(_) | TfValue::Reference(_) => return None,
                    _ => {}
                }
            }
            return Some(keys.into_iter().map(InstanceKey::Key).collect());
        }
        Some(vec![InstanceKey::Single])
    }

    fn apply_operators(
        &self,
        mut current: Vec<Possibility>,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        context: &Context,
        span: Span,
    ) -> Vec<Possibility> {
        for operator in operators {
            current = match operator.value() {
                TraversalOperator::GetAttr(name) => {
                    let key = TfValue::String(name.as_str().to_owned());
                    map_each(current, |value| index_value(&value, &key))
                }
                TraversalOperator::LegacyIndex(index) => {
                    let key = TfValue::Number(*index.value() as f64);
                    map_each(current, |value| index_value(&value, &key))
                }
                TraversalOperator::Index(index) => {
                    let parts = vec![current, self.eval(index, file, context)];
                    combine(parts, file, span, |values| {
                        index_value(&values[0], &values[1])
                    })
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    return unknown("splat expressions are not evaluated", file, span);
                }
            };
        }
        current
    }

    /// The possibilities of `var.<name>` in a module instance, with where
    /// each comes from: the caller's argument, `--var`, a variable file,
    /// the default, or the values its validation allows.
    fn variable(
        &self,
        name: &str,
        context: &Context,
        file: FileId,
        span: Span,
    ) -> Vec<Possibility> {
        let possibilities = self.variable_untyped(name, context, file, span);
        let module = self
            .workspace
            .module(self.instances[context.instance.0].module);
        let declared = module
            .variables
            .get(name)
            .and_then(|v| v.block.attr("type"))
            .map(|t| &*t.expr);
        match declared.and_then(primitive_type) {
            Some(primitive) => map_each(possibilities, |value| convert(value, primitive)),
            None => possibilities,
        }
    }

    fn variable_untyped(
        &self,
        name: &str,
        context: &Context,
        file: FileId,
        span: Span,
    ) -> Vec<Possibility> {
        let instance = &self.instances[context.instance.0];
        let module = self.workspace.module(instance.module);
        let Some(variable) = module.variables.get(name) else {
            return unknown(
                format!("no variable `{}` is declared", escape(name)),
                file,
                span,
            );
        };
        if let Some(argument) = instance.inputs.get(name) {
            return argument.clone();
        }
        let root = context.instance.0 == 0;
        let module_context = Context::module(context.instance);
        if root {
            if let Some(given) = self.given.get(name) {
                return vec![given.clone()];
            }
            let from_file = self
                .workspace
                .var_files
                .get(name)
                .or_else(|| module.auto_vars.get(name));
            if let Some(attr) = from_file {
                let file_name =
                    super::files::base_name(self.workspace.file(attr.file).name()).to_owned();
                return self.with_step(attr, &module_context, |value| {
                    format!("`{}` sets `{} = {value}`", escape(&file_name), escape(name))
                });
            }
        }
        if let Some(default) = variable.block.attr("default") {
            let file_name =
                super::files::base_name(self.workspace.file(default.file).name()).to_owned();
            return self.with_step(default, &module_context, |value| {
                format!(
                    "variable `{}` defaults to {value} ({})",
                    escape(name),
                    escape(&file_name)
                )
            });
        }
        if let Some(allowed) = &variable.allowed {
            return self.allowed_values(name, allowed, &module_context);
        }
        let reason = if root {
            format!(
                "variable `{}` has no default and no value is given",
                escape(name)
            )
        } else {
            format!(
                "variable `{}` has no default and the module call gives no argument",
                escape(name)
            )
        };
        unknown(reason, variable.block.file, variable.block.span)
    }

    fn with_step(
        &self,
        attr: &Attr,
        context: &Context,
        describe: impl Fn(&TfValue) -> String,
    ) -> Vec<Possibility> {
        let span = attr.value_span();
        let mut possibilities = self.eval(&attr.expr, attr.file, context);
        for p in &mut possibilities {
            p.trace.insert(
                0,
                Step {
                    file: attr.file,
                    span,
                    description: describe(&p.value),
                },
            );
        }
        possibilities
    }

    fn allowed_values(&self, name: &str, allowed: &Attr, context: &Context) -> Vec<Possibility> {
        let input = format!("var.{name}");
        let span = allowed.value_span();
        let mut out = Vec::new();
        for list in self.eval(&allowed.expr, allowed.file, context) {
            let TfValue::List(items) = list.value else {
                return unknown(
                    "the validation list cannot be evaluated",
                    allowed.file,
                    span,
                );
            };
            for item in items {
                let text = item.to_text().unwrap_or_else(|| item.to_string());
                let scenario = TfScenario::single(input.as_str(), text.as_str());
                let description = format!(
                    "variable `{}` can be {item} (its validation allows it)",
                    escape(name)
                );
                out.push(Possibility {
                    value: item,
                    scenario,
                    trace: vec![Step {
                        file: allowed.file,
                        span,
                        description,
                    }],
                });
            }
        }
        cap(out, allowed.file, span)
    }

    /// The possibilities of `local.<name>`, evaluated once per module instance.
    fn local(&self, name: &str, context: &Context, file: FileId, span: Span) -> Vec<Possibility> {
        let key = (context.instance.0, name.to_owned());
        if let Some(cached) = self.locals.borrow().get(&key) {
            return cached.clone();
        }
        let module = self
            .workspace
            .module(self.instances[context.instance.0].module);
        let Some(attr) = module.locals.get(name) else {
            return unknown(
                format!("no local value `{}` is declared", escape(name)),
                file,
                span,
            );
        };
        if !self.in_progress.borrow_mut().insert(key.clone()) {
            return unknown(
                format!("local value `{}` refers to itself", escape(name)),
                file,
                span,
            );
        }
        let result = self.with_step(attr, &Context::module(context.instance), |value| {
            format!("local value `{}` is {value}", escape(name))
        });
        self.in_progress.borrow_mut().remove(&key);
        self.locals.borrow_mut().insert(key, result.clone());
        result
    }
}

/// The resource type whose ids the evaluator follows: the security groups
/// a cache or database is placed in.
const GROUP_TYPE: &str = "aws_security_group";

/// Whether a module output's value is written as security groups' ids:
/// `aws_security_group.x.id` (indexed, splat), a list of them, or one of
/// the functions such lists go through, over them and literals.
fn hands_out_groups(expr: &Expression) -> bool {
    match super::module::unwrap_interpolation(expr) {
        Expression::Traversal(traversal) => {
            matches!(&traversal.expr, Expression::Variable(root) if root.as_str() == GROUP_TYPE)
        }
        Expression::Array(items) => !items.is_empty() && items.iter().all(hands_out_groups),
        Expression::FuncCall(call) => {
            [
                "one", "join", "try", "compact", "concat", "element", "tolist", "toset",
            ]
            .contains(&call.name.name.as_str())
                && call.args.iter().any(hands_out_groups)
                && call.args.iter().all(|arg| {
                    hands_out_groups(arg)
                        || matches!(
                            arg,
                            Expression::String(_) | Expression::Number(_) | Expression::Null(_)
                        )
                        || matches!(arg, Expression::Array(items) if items.is_empty())
                })
        }
        _ => false,
    }
}

fn another_resource(resource_type: &str, name: &str, file: FileId, span: Span) -> Vec<Possibility> {
    unknown(
        format!(
            "`{}.{}` is an attribute of another resource, known only after apply",
            escape(resource_type),
            escape(name)
        ),
        file,
        span,
    )
}

fn known(value: TfValue) -> Vec<Possibility> {
    vec![Possibility {
        value,
        scenario: TfScenario::default(),
        trace: Vec::new(),
    }]
}

fn unknown(reason: impl Into<Arc<str>>, file: FileId, span: Span) -> Vec<Possibility> {
    let reason = reason.into();
    vec![Possibility {
        value: TfValue::Unknown(reason.clone()),
        scenario: TfScenario::default(),
        trace: vec![Step {
            file,
            span,
            description: reason.to_string(),
        }],
    }]
}

fn cap(possibilities: Vec<Possibility>, file: FileId, span: Span) -> Vec<Possibility> {
    if possibilities.len() > MAX_POSSIBILITIES {
        unknown(
            format!("more than {MAX_POSSIBILITIES} possible values"),
            file,
            span,
        )
    } else {
        possibilities
    }
}

fn map_each(possibilities: Vec<Possibility>, f: impl Fn(TfValue) -> TfValue) -> Vec<Possibility> {
    possibilities
        .into_iter()
        .map(|p| Possibility {
            value: f(p.value),
            ..p
        })
        .collect()
}

/// Every consistent combination of the parts' possibilities, each turned
/// into one value by `build`; scenarios that contradict are dropped.
fn combine(
    parts: Vec<Vec<Possibility>>,
    file: FileId,
    span: Span,
    build: impl Fn(Vec<TfValue>) -> TfValue,
) -> Vec<Possibility> {
    let mut partial = vec![(Vec::new(), TfScenario::default(), Vec::new())];
    for part in parts {
        let mut next = Vec::new();
        for (values, scenario, trace) in &partial {
            for p in &part {
                let Some(merged) = scenario.merge(&p.scenario) else {
                    continue;
                };
                let mut values: Vec<TfValue> = values.clone();
                values.push(p.value.clone());
                let mut trace: Vec<Step> = trace.clone();
                trace.extend(p.trace.iter().cloned());
                next.push((values, merged, trace));
            }
        }
        if next.len() > MAX_POSSIBILITIES {
            return unknown(
                format!("more than {MAX_POSSIBILITIES} possible values"),
                file,
                span,
            );
        }
        partial = next;
    }
    partial
        .into_iter()
        .map(|(values, scenario, trace)| Possibility {
            value: build(values),
            scenario,
            trace,
        })
        .collect()
}

/// A variable's declared primitive type (`string`, `number`, `bool`).
fn primitive_type(expr: &Expression) -> Option<&'static str> {
    match expr {
        Expression::Variable(name) => match name.as_str() {
            "string" => Some("string"),
            "number" => Some("number"),
            "bool" => Some("bool"),
            _ => None,
        },
        _ => None,
    }
}

/// A value converted to a variable's primitive type, as Terraform converts
/// `default = 6379` of a `string` variable to `"6379"`; `null` stays null.
fn convert(value: TfValue, primitive: &str) -> TfValue {
    if value == TfValue::Null || !value.is_known() {
        return value;
    }
    let converted = match primitive {
        "string" => value.to_text().map(TfValue::String),
        "number" => value.to_number().map(TfValue::Number),
        _ => value.to_bool().map(TfValue::Bool),
    };
    converted.unwrap_or_else(|| {
        TfValue::unknown(format!(
            "{value} is not a {primitive} (Terraform rejects it)"
        ))
    })
}

/// The result of a `for` from its elements' `[key, value]` pairs.
fn collect_for(object: bool, elements: impl Iterator<Item = TfValue>) -> TfValue {
    let mut list = Vec::new();
    let mut map = BTreeMap::new();
    for element in elements {
        match element {
            TfValue::Null => {}
            TfValue::List(mut pair) if pair.len() == 2 => {
                let value = pair.pop().unwrap_or(TfValue::Null);
                let key = pair.pop().unwrap_or(TfValue::Null);
                if !object {
                    list.push(value);
                } else if let Some(key) = key.to_text() {
                    if map.insert(key, value).is_some() {
                        return TfValue::unknown(
                            "a `for` gives the same key twice (Terraform rejects it)",
                        );
                    }
                } else {
                    return TfValue::unknown("a `for` key is not a string");
                }
            }
            unknown => return unknown,
        }
    }
    if object {
        TfValue::Map(map)
    } else {
        TfValue::List(list)
    }
}

fn index_value(collection: &TfValue, key: &TfValue) -> TfValue {
    match (collection, key) {
        (TfValue::Unknown(_), _) => collection.clone(),
        (_, TfValue::Unknown(_)) => key.clone(),
        (_, TfValue::Reference(_)) => TfValue::unknown("the key is known only after apply"),
        (TfValue::Reference(reference), _) => TfValue::unknown(format!(
            "`{}.id` is an attribute of another resource, known only after apply",
            escape(&reference.address)
        )),
        (TfValue::List(items), _) => match key.to_number() {
            Some(n) if n >= 0.0 && (n as usize) < items.len() => items[n as usize].clone(),
            _ => TfValue::unknown(format!(
                "index {key} is out of range (Terraform rejects it)"
            )),
        },
        (TfValue::Map(entries), _) => match key.to_text().and_then(|k| entries.get(&k)) {
            Some(value) => value.clone(),
            None => TfValue::unknown(format!("no key {key} (Terraform rejects it)")),
        },
        (TfValue::Null, _) => {
            TfValue::unknown("a null value has no attributes (Terraform rejects it)")
        }
        _ => TfValue::unknown(format!("{collection} cannot be indexed")),
    }
}

fn unary(operator: UnaryOperator, value: TfValue) -> TfValue {
    match (operator, &value) {
        (_, TfValue::Unknown(_)) => value,
        (UnaryOperator::Not, _) => value.to_bool().map_or_else(
            || TfValue::unknown("`!` of a non-bool"),
            |b| TfValue::Bool(!b),
        ),
        (UnaryOperator::Neg, _) => value.to_number().map_or_else(
            || TfValue::unknown("`-` of a non-number"),
            |n| TfValue::Number(-n),
        ),
    }
}

fn binary(operator: BinaryOperator, lhs: &TfValue, rhs: &TfValue) -> TfValue {
    use BinaryOperator as B;
    // `false && unknown` and `true || unknown` are still unknown in
    // Terraform (it does not short-circuit), so unknown wins first.
    if let Some(unknown) = [lhs, rhs].into_iter().find(|v| !v.is_known()) {
        return unknown.clone();
    }
    match operator {
        B::Eq => TfValue::Bool(lhs == rhs),
        B::NotEq => TfValue::Bool(lhs != rhs),
        B::And | B::Or => match (lhs.to_bool(), rhs.to_bool()) {
            (Some(a), Some(b)) => TfValue::Bool(if operator == B::And { a && b } else { a || b }),
            _ => TfValue::unknown("a logical operator on a non-bool"),
        },
        _ => {
            let (Some(a), Some(b)) = (lhs.to_number(), rhs.to_number()) else {
                return TfValue::unknown("arithmetic on a non-number");
            };
            match operator {
                B::Less => TfValue::Bool(a < b),
                B::LessEq => TfValue::Bool(a <= b),
                B::Greater => TfValue::Bool(a > b),
                B::GreaterEq => TfValue::Bool(a >= b),
                B::Plus => TfValue::Number(a + b),
                B::Minus => TfValue::Number(a - b),
                B::Mul => TfValue::Number(a * b),
                B::Div if b != 0.0 => TfValue::Number(a / b),
                B::Mod if b != 0.0 => TfValue::Number(a % b),
                _ => TfValue::unknown(format!("{} divided by zero", format_number(a))),
            }
        }
    }
}
