//! A typed view over a parsed document: the sections of a CloudFormation
//! template, with `Fn::ForEach` loops expanded into the resources they make.

use std::collections::BTreeMap;

// Seeded (a crafted template cannot force collisions) and faster than SipHash.
use foldhash::{HashMap, HashMapExt};

use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::source::Span;
use crate::syntax::{Document, Entry, NodeId, NodeKind};

/// CloudFormation's limit on nested `Fn::ForEach` loops.
const MAX_FOR_EACH_NESTING: usize = 5;
/// Most resources that loop expansion may produce, so a hostile template
/// cannot multiply itself into millions of resources.
const MAX_EXPANDED_RESOURCES: usize = 100_000;
/// Most `Fn::ForEach` iterations, counted over every loop of a template,
/// whether or not they make a resource: nested loops over empty or broken
/// bodies multiply too (five loops of 60 items are 777 million iterations).
const MAX_LOOP_ITERATIONS: usize = 200_000;

/// A template parameter.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Parameter {
    /// The parameter's name (shared: scenarios and traces refer to it).
    pub name: std::sync::Arc<str>,
    /// The span of its name.
    pub name_span: Span,
    /// The parameter's declaration (a mapping).
    pub node: NodeId,
    /// The `Type`, when it is a string.
    pub ty: Option<Box<str>>,
    /// The `Default` value node.
    pub default: Option<NodeId>,
    /// The `AllowedValues` node.
    pub allowed_values: Option<NodeId>,
}

impl Parameter {
    /// Whether the value is read from SSM Parameter Store at deploy time.
    #[must_use]
    pub fn is_ssm(&self) -> bool {
        self.ty
            .as_deref()
            .is_some_and(|ty| ty.starts_with("AWS::SSM::Parameter::"))
    }

    /// Whether a `Ref` yields a list (`CommaDelimitedList`, `List<...>`).
    #[must_use]
    pub fn is_list(&self) -> bool {
        self.ty
            .as_deref()
            .is_some_and(|ty| ty == "CommaDelimitedList" || ty.starts_with("List<"))
    }
}

/// A value bound by an enclosing `Fn::ForEach` loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The loop's identifier.
    pub identifier: Box<str>,
    /// The value in this iteration.
    pub value: Box<str>,
    /// Where the value is written (the collection item), when it is literal.
    pub span: Span,
}

/// A resource, as written or as made by a `Fn::ForEach` loop.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Resource {
    /// The logical id, with loop identifiers substituted.
    pub logical_id: String,
    /// The span of the key that names it (inside the loop body for a loop).
    pub id_span: Span,
    /// The resource's declaration (a mapping, or any node for a broken template).
    pub node: NodeId,
    /// The `Type` string and the span of its value.
    pub ty: Option<(Box<str>, Span)>,
    /// The `Properties` entry (its key span and value node).
    pub properties: Option<(Span, NodeId)>,
    /// The `Condition` name and the span of its value.
    pub condition: Option<(Box<str>, Span)>,
    /// The `Metadata` node.
    pub metadata: Option<NodeId>,
    /// Values bound by enclosing loops, innermost last.
    pub bindings: Vec<Binding>,
}

impl Resource {
    /// The resource type, or `""` when it has none.
    #[must_use]
    pub fn type_name(&self) -> &str {
        self.ty.as_ref().map_or("", |(ty, _)| ty)
    }

    /// The value node of property `name`, if `Properties` is a mapping holding it.
    #[must_use]
    pub fn property(&self, doc: &Document, name: &str) -> Option<NodeId> {
        let (_, properties) = self.properties?;
        doc.get_value(properties, name)
    }
}

/// A typed view of a template's sections.
#[derive(Debug)]
pub struct Template<'d> {
    doc: &'d Document,
    parameters: Vec<Parameter>,
    parameter_index: HashMap<std::sync::Arc<str>, usize>,
    mappings: Option<NodeId>,
    conditions: HashMap<Box<str>, NodeId>,
    resources: Vec<Resource>,
    resource_names: HashMap<Box<str>, usize>,
    metadata: Option<NodeId>,
    transforms: Vec<Box<str>>,
    diagnostics: Vec<Diagnostic>,
}

impl<'d> Template<'d> {
    /// Reads the template sections of a document.
    ///
    /// `parameters` are values given for template parameters; they decide the
    /// collection of a `Fn::ForEach` loop that refers to a parameter.
    ///
    /// # Errors
    /// A [`DiagnosticKind::NotATemplate`] diagnostic when the document is not
    /// a mapping with a `Resources` section (a docker-compose file, say), or a
    /// [`DiagnosticKind::InvalidTemplate`] one when `Resources` is not a mapping.
    pub fn new(
        doc: &'d Document,
        parameters: &BTreeMap<String, String>,
    ) -> Result<Self, Box<Diagnostic>> {
        let root = doc.root();
        let Some(sections) = doc.mapping(root) else {
            return Err(Box::new(not_a_template(
                doc.span(root),
                "the document is not a mapping, so it is not a CloudFormation template",
            )));
        };
        let Some(resources_entry) = sections.iter().find(|e| &*e.key.text == "Resources") else {
            let message = if doc.get(root, "AWSTemplateFormatVersion").is_some() {
                "the template has no `Resources` section"
            } else {
                "the document has no `Resources` section, so it is not a CloudFormation template"
            };
            return Err(Box::new(not_a_template(
                first_key_span(sections, doc.span(root)),
                message,
            )));
        };
        if doc.mapping(resources_entry.value).is_none() {
            return Err(Box::new(
                Diagnostic::new(
                    DiagnosticKind::InvalidTemplate,
                    "`Resources` must be a mapping of logical ids to resources",
                    Label::primary(doc.span(resources_entry.value), "not a mapping"),
                )
                .with_secondary(resources_entry.key.span, "section declared here"),
            ));
        }
        // Without loops, one resource per entry: sized once, the lists are
        // never copied to grow (a copy of a large list is fresh pages to fault in).
        let declared = doc.mapping(resources_entry.value).map_or(0, <[Entry]>::len);
        let mut template = Template {
            doc,
            parameters: Vec::new(),
            parameter_index: HashMap::new(),
            mappings: doc.get_value(root, "Mappings"),
            conditions: HashMap::new(),
            resources: Vec::with_capacity(declared),
            resource_names: HashMap::with_capacity(declared),
            metadata: doc.get_value(root, "Metadata"),
            transforms: Vec::new(),
            diagnostics: Vec::new(),
        };
        template.read_parameters();
        template.read_conditions();
        template.read_transforms();
        let mut expander = Expander {
            template: &mut template,
            overrides: parameters,
            iterations: 0,
            reported: HashMap::new(),
        };
        expander.fragment(resources_entry.value, &mut Vec::new());
        expander.count_repeats();
        Ok(template)
    }

    /// The document the view is over.
    #[must_use]
    pub fn document(&self) -> &'d Document {
        self.doc
    }

    /// Parameters in source order.
    #[must_use]
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The parameter named `name`.
    #[must_use]
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameter_index.get(name).map(|&i| &self.parameters[i])
    }

    /// The `Mappings` section node.
    #[must_use]
    pub fn mappings(&self) -> Option<NodeId> {
        self.mappings
    }

    /// The condition named `name`: its expression node.
    #[must_use]
    pub fn condition(&self, name: &str) -> Option<NodeId> {
        self.conditions.get(name).copied()
    }

    /// Resources in source order, loops expanded.
    #[must_use]
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The type of the resource with this logical id, if there is one
    /// (`""` when it has no `Type`).
    #[must_use]
    pub fn resource_type(&self, logical_id: &str) -> Option<&str> {
        let index = *self.resource_names.get(logical_id)?;
        self.resources.get(index).map(Resource::type_name)
    }

    /// Whether a resource with this logical id exists.
    #[must_use]
    pub fn has_resource(&self, logical_id: &str) -> bool {
        self.resource_names.contains_key(logical_id)
    }

    /// The template-level `Metadata` node.
    #[must_use]
    pub fn metadata(&self) -> Option<NodeId> {
        self.metadata
    }

    /// The names in `Transform` (a string or a list of strings).
    #[must_use]
    pub fn transforms(&self) -> &[Box<str>] {
        &self.transforms
    }

    /// Problems found while reading the sections (a loop that cannot be
    /// expanded, a resource that is not a mapping).
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    fn read_parameters(&mut self) {
        let doc = self.doc;
        let Some(entries) = doc
            .get_value(doc.root(), "Parameters")
            .and_then(|p| doc.mapping(p))
        else {
            return;
        };
        for entry in entries {
            let node = entry.value;
            let parameter = Parameter {
                name: std::sync::Arc::from(&*entry.key.text),
                name_span: entry.key.span,
                node,
                ty: doc
                    .get_value(node, "Type")
                    .and_then(|t| doc.str(t))
                    .map(Into::into),
                default: doc.get_value(node, "Default"),
                allowed_values: doc.get_value(node, "AllowedValues"),
            };
            self.parameter_index
                .insert(parameter.name.clone(), self.parameters.len());
            self.parameters.push(parameter);
        }
    }

    fn read_conditions(&mut self) {
        let doc = self.doc;
        let Some(entries) = doc
            .get_value(doc.root(), "Conditions")
            .and_then(|c| doc.mapping(c))
        else {
            return;
        };
        for entry in entries {
            self.conditions
                .insert(entry.key.text.as_str().into(), entry.value);
        }
    }

    fn read_transforms(&mut self) {
        let doc = self.doc;
        let Some(node) = doc.get_value(doc.root(), "Transform") else {
            return;
        };
        if let Some(name) = doc.str(node) {
            self.transforms.push(name.into());
        } else if let Some(items) = doc.sequence(node) {
            self.transforms
                .extend(items.iter().filter_map(|&i| doc.str(i)).map(Into::into));
        }
    }

    fn add_resource(
        &mut self,
        logical_id: String,
        id_span: Span,
        node: NodeId,
        bindings: &[Binding],
    ) {
        let doc = self.doc;
        let string_with_span = |key: &str| {
            let value = doc.get_value(node, key)?;
            Some((Box::<str>::from(doc.str(value)?), doc.span(value)))
        };
        let resource = Resource {
            ty: string_with_span("Type"),
            condition: string_with_span("Condition"),
            properties: doc.get(node, "Properties").map(|e| (e.key.span, e.value)),
            metadata: doc.get_value(node, "Metadata"),
            logical_id,
            id_span,
            node,
            bindings: bindings.to_vec(),
        };
        if doc.mapping(node).is_none() {
            self.diagnostics.push(Diagnostic::new(
                DiagnosticKind::TemplateProblem,
                format!("resource `{}` must be a mapping", resource.logical_id),
                Label::primary(doc.span(node), "not a mapping"),
            ));
        }
        self.resource_names
            .insert(resource.logical_id.as_str().into(), self.resources.len());
        self.resources.push(resource);
    }
}

fn not_a_template(span: Span, message: &str) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::NotATemplate,
        message,
        Label::primary(span, ""),
    )
    .with_note("a CloudFormation template is a mapping with a `Resources` section")
}

fn first_key_span(entries: &[Entry], fallback: Span) -> Span {
    entries.first().map_or(fallback, |entry| entry.key.span)
}

/// Expands `Fn::ForEach` loops in the `Resources` section.
struct Expander<'t, 'd> {
    template: &'t mut Template<'d>,
    overrides: &'t BTreeMap<String, String>,
    /// Loop iterations so far, against [`MAX_LOOP_ITERATIONS`].
    iterations: usize,
    /// Each problem reported, by span and message: the index of its
    /// diagnostic and how often it was met (a loop body is met once per
    /// iteration of the loops around it).
    reported: HashMap<(Span, String), (usize, usize)>,
}

impl Expander<'_, '_> {
    /// Adds the resources of a fragment (the `Resources` mapping or a loop's
    /// output mapping) under the bindings of the loops around it.
    fn fragment(&mut self, node: NodeId, bindings: &mut Vec<Binding>) {
        let doc = self.template.doc;
        let Some(entries) = doc.mapping(node) else {
            return;
        };
        for entry in entries {
            if self.template.resources.len() >= MAX_EXPANDED_RESOURCES {
                self.report(entry.key.span, format!(
                    "loops expand to more than {MAX_EXPANDED_RESOURCES} resources; the rest are not checked"
                ));
                return;
            }
            if entry.key.text.starts_with("Fn::ForEach::") {
                self.for_each(entry, bindings);
            } else {
                let logical_id = substitute_identifiers(&entry.key.text, bindings);
                self.template
                    .add_resource(logical_id, entry.key.span, entry.value, bindings);
            }
        }
    }

    /// `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: Body}]`.
    fn for_each(&mut self, entry: &Entry, bindings: &mut Vec<Binding>) {
        let doc = self.template.doc;
        let loop_span = entry.key.span;
        if bindings.len() >= MAX_FOR_EACH_NESTING {
            self.report(
                loop_span,
                format!("`Fn::ForEach` loops nest deeper than {MAX_FOR_EACH_NESTING} levels"),
            );
            return;
        }
        let Some(&[identifier, collection, output]) = doc.sequence(entry.value) else {
            self.report(loop_span, "`Fn::ForEach` takes a list of three items: an identifier, a collection and an output mapping".into());
            return;
        };
        let Some(identifier) = doc.str(identifier) else {
            self.report(
                doc.span(identifier),
                "the loop identifier must be a string".into(),
            );
            return;
        };
        let Some(values) = self.collection(collection) else {
            self.report(doc.span(collection), format!(
                "cannot tell which values the collection of `{}` takes, so the resources it makes are not checked",
                entry.key.text
            ));
            return;
        };
        for (value, span) in values {
            if self.iterations >= MAX_LOOP_ITERATIONS {
                // Reported once, where the budget ran out; the loops around
                // this one stop at their next iteration without a word.
                if self.iterations == MAX_LOOP_ITERATIONS {
                    self.iterations += 1;
                    self.report_limit(loop_span, format!(
                        "loops run more than {MAX_LOOP_ITERATIONS} iterations; the rest are not expanded or checked"
                    ));
                }
                return;
            }
            self.iterations += 1;
            bindings.push(Binding {
                identifier: identifier.into(),
                value: value.into(),
                span,
            });
            self.fragment(output, bindings);
            bindings.pop();
        }
    }

    /// The values of a loop collection: a literal list, or a `Ref` to a list
    /// parameter (its given value, else its `Default`).
    fn collection(&self, node: NodeId) -> Option<Vec<(String, Span)>> {
        let doc = self.template.doc;
        if let Some(items) = doc.sequence(node) {
            return items
                .iter()
                .map(|&item| Some((doc.str(item)?.to_string(), doc.span(item))))
                .collect();
        }
        let (entry, "Ref") = doc.intrinsic(node)? else {
            return None;
        };
        let name = doc.str(entry.value)?;
        let parameter = self.template.parameter(name)?;
        let (text, span) = match self.overrides.get(name) {
            Some(value) => (value.as_str(), parameter.name_span),
            None => {
                let default = parameter.default?;
                (doc.str(default)?, doc.span(default))
            }
        };
        Some(
            text.split(',')
                .map(|item| (item.trim().to_string(), span))
                .collect(),
        )
    }

    /// Reports a problem once, however many iterations meet it.
    fn report(&mut self, span: Span, message: String) {
        self.report_once(span, message, true);
    }

    /// Reports a limit of the expansion, once: the template may be valid.
    fn report_limit(&mut self, span: Span, message: String) {
        self.report_once(span, message, false);
    }

    fn report_once(&mut self, span: Span, message: String, about_the_loop: bool) {
        let next = self.template.diagnostics.len();
        let (_, count) = self
            .reported
            .entry((span, message.clone()))
            .or_insert((next, 0));
        *count += 1;
        if *count > 1 {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            DiagnosticKind::TemplateProblem,
            message,
            Label::primary(span, ""),
        );
        if about_the_loop {
            diagnostic =
                diagnostic.with_note("`Fn::ForEach` needs `Transform: AWS::LanguageExtensions`");
        }
        self.template.diagnostics.push(diagnostic);
    }

    /// Adds to each problem met more than once how often it was met.
    fn count_repeats(&mut self) {
        for &(index, count) in self.reported.values() {
            if count > 1 {
                self.template.diagnostics[index].notes.push(format!(
                    "met {count} times, once per iteration of the loops around it"
                ));
            }
        }
    }
}

/// Replaces `${Identifier}` with the bound value and `&{Identifier}` with the
/// value stripped of non-alphanumeric characters, as CloudFormation does in
/// loop output keys.
pub(crate) fn substitute_identifiers(text: &str, bindings: &[Binding]) -> String {
    if bindings.is_empty() || !text.contains('{') {
        return text.to_string();
    }
    let mut out = text.to_string();
    for binding in bindings.iter().rev() {
        let plain = format!("${{{}}}", binding.identifier);
        out = out.replace(&plain, &binding.value);
        let alphanumeric = format!("&{{{}}}", binding.identifier);
        let stripped: String = binding
            .value
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        out = out.replace(&alphanumeric, &stripped);
    }
    out
}

/// Whether a node (after aliases) is a mapping, sequence, scalar or alias: a
/// short name for messages.
#[must_use]
pub fn node_kind_name(doc: &Document, node: NodeId) -> &'static str {
    match doc.kind(node) {
        NodeKind::Scalar(scalar) if scalar.ty == crate::syntax::ScalarType::Null => "null",
        NodeKind::Scalar(_) => "a scalar",
        NodeKind::Sequence(_) => "a list",
        NodeKind::Mapping(_) => "a mapping",
        NodeKind::Alias(_) => "an alias",
    }
}
