//! Terraform plan JSON (`terraform show -json plan.out`): each planned
//! resource of a kind the plan reads (the caches and databases whose
//! [`ResourceKind::type_name`] for [`SourceKind::TerraformPlan`] is set:
//! `aws_elasticache_cluster`, `aws_db_instance`, `aws_rds_cluster`, ...),
//! with what the plan knows of its engine, port, group and restore
//! arguments, read under the names the kind table gives them.
//!
//! Terraform has already expanded modules, `count` and `for_each` in
//! `resource_changes`, so each entry is one instance with its address as
//! Terraform writes it (`module.cache["a"].aws_elasticache_cluster.this[0]`).
//! Its `change.after` holds the planned values and `change.after_unknown` the
//! ones known only after apply. An attribute that is Optional and Computed
//! (the cluster's `port`) is unknown both when the configuration leaves it
//! out (the provider then uses the engine's default) and when it is set from
//! something known only after apply; the `configuration` section (the
//! resource's `expressions`, in the module the address names) tells the two
//! apart, and an expression that is the literal `null` is unset. An
//! attribute with a default in the provider's schema (`aws_redshift_cluster`'s
//! `port`, 5439) is a number in `after` even when the configuration leaves
//! it out: that number is what the provider sends, so it is read as known.
//!
//! A number in `after.port` is what this plan run would deploy; it may come
//! from a `-var` value or a prior state rather than from the code, so the
//! configuration expression (`var.port`, a constant) is kept beside it.

mod address;
mod describe;
mod model;
mod sources;

use crate::limits::Limits;
use crate::model::{Property, ResourceKind, SourceKind};
use crate::source::{SourceFile, Span};
use crate::syntax::{self, Document, NodeId, ScalarType};

pub use self::address::module_call_names;
pub use self::describe::PlanStep;
pub use self::sources::PlanWithSources;

/// What a JSON file turned out to be.
#[derive(Debug)]
pub enum PlanReading {
    /// Not a Terraform plan (a template, other JSON, or not JSON).
    NotAPlan,
    /// A plan and the resources it reads.
    Plan(Plan),
}

/// The caches and databases of a plan, in `resource_changes` order.
#[derive(Debug, Default)]
pub struct Plan {
    /// `format_version` of the plan JSON.
    pub format_version: String,
    /// `terraform_version`, when present.
    pub terraform_version: Option<String>,
    /// Each planned cache or database that exists after apply.
    pub resources: Vec<PlannedResource>,
    /// The root module's input variables with a scalar value in this plan
    /// run (from `-var`, var files, tfvars or defaults).
    pub variables: Vec<PlanVariable>,
}

/// A root module variable's value in the plan's `variables`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanVariable {
    /// The variable's name.
    pub name: String,
    /// The value's text (a number's digits, a string's decoded text).
    pub value: String,
    /// The value in the file.
    pub span: Span,
}

impl Plan {
    /// The root variable a root-module resource's port is written as
    /// (`port = var.port`), with its value in this plan run: the planned port
    /// then comes from how the plan was made, not from the code alone.
    #[must_use]
    pub fn port_variable(&self, cache: &PlannedResource) -> Option<&PlanVariable> {
        if cache.module_address.is_some() {
            return None;
        }
        let [reference] = cache.port_expression.as_ref()?.references.as_slice() else {
            return None;
        };
        let name = reference.strip_prefix("var.")?;
        self.variables.iter().find(|variable| variable.name == name)
    }

    /// The planned group a member belongs to (a cache cluster's
    /// replication group, a DB instance's cluster), when the configuration
    /// names it and the plan holds it.
    #[must_use]
    pub fn group_of(&self, member: &PlannedResource) -> Option<&PlannedResource> {
        let address = member.group_address.as_deref()?;
        let group_kind = member.kind.group_kind()?;
        self.resources
            .iter()
            .find(|resource| resource.kind == group_kind && resource.address == address)
    }
}

/// One planned resource instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedResource {
    /// The instance address, as Terraform writes it.
    pub address: String,
    /// The resource block's name label (`this` in
    /// `aws_elasticache_cluster.this[0]`).
    pub name: String,
    /// The `address` value in the file.
    pub address_span: Span,
    /// The module instance holding it (`module.cache[0]`), `None` at the root.
    pub module_address: Option<String>,
    /// Which kind of resource it is.
    pub kind: ResourceKind,
    /// `change.actions`, e.g. `["create"]` or `["no-op"]`.
    pub actions: Vec<String>,
    /// The whole `resource_changes` entry.
    pub span: Span,
    /// The planned engine ([`PlannedValue::Unset`] for a kind without one).
    pub engine: PlannedValue,
    /// The planned port.
    pub port: PlannedValue,
    /// For a kind that can be a member ([`ResourceKind::group_kind`]), the
    /// group it names (a cluster's `replication_group_id`; the kind table's
    /// `cluster_identifier` for a DB instance, which AWS provider 5.x's
    /// `aws_db_instance` does not have) when the configuration sets one or
    /// the plan knows one: it then takes the group's port. `None` when it
    /// stands alone.
    pub member_of: Option<PlannedValue>,
    /// For a member, the address of the group its membership argument
    /// refers to in the configuration (in the same module instance), e.g.
    /// `aws_elasticache_replication_group.this`; see [`Plan::group_of`].
    pub group_address: Option<String>,
    /// The restore arguments that are set ([`ResourceKind::restore_properties`]:
    /// `snapshot_identifier`, a `restore_to_point_in_time` block, ...), in
    /// the table's order: an unset port is then the origin's port.
    pub restored_from: Vec<PlannedRestore>,
    /// The configuration's `port` expression for this resource.
    pub port_expression: Option<ConfigExpression>,
    /// The configuration's `engine` expression for this resource.
    pub engine_expression: Option<ConfigExpression>,
    /// Whether the resource was found in `configuration`; without it an
    /// unknown port cannot be told from an unset one.
    pub configuration_found: bool,
}

/// A restore argument a planned resource sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRestore {
    /// The argument's name (`snapshot_identifier`).
    pub argument: &'static str,
    /// Where it is set: its value in `change.after`, or its expression in
    /// `configuration` when the value is known only after apply.
    pub span: Span,
}

/// What a plan says about one attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlannedValue {
    /// A value known at plan time (a number or a string, as written).
    Known {
        /// The value's text (a number's digits, a string's decoded text).
        text: String,
        /// The value in `change.after`.
        span: Span,
    },
    /// The configuration sets the attribute to an expression that is `null`:
    /// the provider's default applies.
    Null {
        /// The `null` in `change.after` (or, for an attribute the provider
        /// computes, the literal `null` expression in `configuration`).
        span: Span,
    },
    /// The configuration does not set the attribute: the provider's default
    /// applies.
    Unset,
    /// Known only after apply (`after_unknown`), from an expression in the
    /// configuration (or a resource missing from `configuration`).
    KnownAfterApply,
}

/// A `configuration` expression: a constant or the references it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigExpression {
    /// The expression object in the file.
    pub span: Span,
    /// The `constant_value`, when the expression is a literal.
    pub constant: Option<String>,
    /// The `references`, e.g. `["var.port"]` or `["local.port"]`.
    pub references: Vec<String>,
    /// Whether the expression is the literal `null` (a `constant_value` of
    /// `null`).
    pub null: bool,
}

/// A cheap guess, without parsing, at whether `text` may be a plan, so a
/// caller parses only those files twice: it has the `format_version` and
/// `resource_changes` keys `terraform show -json` writes.
#[must_use]
pub fn may_be_plan(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"\"format_version\"").is_some()
        && memchr::memmem::find(bytes, b"\"resource_changes\"").is_some()
}

/// Reads a plan file: parses it and, when it is a plan, reads its resources.
#[must_use]
pub fn read_plan(source: &SourceFile, limits: &Limits) -> PlanReading {
    let parsed = syntax::parse(source, limits);
    match parsed.usable_document() {
        Some(document) => plan_from_document(document),
        None => PlanReading::NotAPlan,
    }
}

/// Reads a plan from a document already parsed (so a caller that parsed a
/// `.json` file to see what it is does not parse it twice).
#[must_use]
pub fn plan_from_document(doc: &Document) -> PlanReading {
    let root = doc.root();
    let Some(format_version) = string(doc, root, "format_version") else {
        return PlanReading::NotAPlan;
    };
    let is_plan = ["resource_changes", "planned_values"]
        .iter()
        .any(|key| doc.get_value(root, key).is_some());
    if !is_plan {
        return PlanReading::NotAPlan;
    }
    let configuration = doc
        .get_value(root, "configuration")
        .and_then(|c| doc.get_value(c, "root_module"))
        .map(|root_module| ConfigIndex::build(doc, root_module))
        .unwrap_or_default();
    let changes = doc
        .get_value(root, "resource_changes")
        .and_then(|changes| doc.sequence(changes))
        .unwrap_or_default();
    let resources = changes
        .iter()
        .filter_map(|&change| read_change(doc, change, &configuration))
        .collect();
    PlanReading::Plan(Plan {
        format_version,
        terraform_version: string(doc, root, "terraform_version"),
        resources,
        variables: variables(doc, root),
    })
}

fn variables(doc: &Document, root: NodeId) -> Vec<PlanVariable> {
    let entries = doc
        .get_value(root, "variables")
        .and_then(|v| doc.mapping(v))
        .unwrap_or_default();
    entries
        .iter()
        .filter_map(|entry| {
            let value = doc.get_value(entry.value, "value")?;
            let scalar = doc.scalar(value).filter(|s| s.ty != ScalarType::Null)?;
            Some(PlanVariable {
                name: entry.key.text.to_string(),
                value: scalar.value.to_string(),
                span: doc.span(value),
            })
        })
        .collect()
}

fn string(doc: &Document, id: NodeId, key: &str) -> Option<String> {
    let scalar = doc.scalar(doc.get_value(id, key)?)?;
    (scalar.ty == ScalarType::String).then(|| scalar.value.to_string())
}

/// The kind a plan's resource type stands for, when the plan reads it: the
/// kind table's rows for [`SourceKind::TerraformPlan`], caches and
/// databases only.
fn planned_kind(type_name: &str) -> Option<ResourceKind> {
    ResourceKind::from_type_name(SourceKind::TerraformPlan, type_name).filter(|k| k.listens())
}

/// The plan's name of `property` on `kind` (the Terraform provider's).
fn argument(kind: ResourceKind, property: Property) -> Option<&'static str> {
    kind.property_name(property, SourceKind::TerraformPlan)
}

/// One `resource_changes` entry, when it is a managed resource of a kind
/// the plan reads that exists after apply.
fn read_change(
    doc: &Document,
    change: NodeId,
    configuration: &ConfigIndex,
) -> Option<PlannedResource> {
    let kind = planned_kind(&string(doc, change, "type")?)?;
    if string(doc, change, "mode").as_deref() != Some("managed") {
        return None;
    }
    let address_node = doc.get_value(change, "address")?;
    let address = doc.str(address_node)?.to_owned();
    let module_address = string(doc, change, "module_address");
    let body = doc.get_value(change, "change")?;
    // A resource being destroyed has no `after`: nothing will listen.
    let after = doc
        .get_value(body, "after")
        .filter(|&a| doc.mapping(a).is_some())?;
    let name = string(doc, change, "name")?;
    let config = configuration.find(module_address.as_deref(), kind, &name);
    let reader = ChangeReader {
        doc,
        after,
        unknown: doc.get_value(body, "after_unknown"),
        config,
    };
    let member_of = argument(kind, Property::MemberOf).and_then(|name| reader.membership(name));
    let member = member_of.is_some();
    let group_address = argument(kind, Property::MemberOf)
        .and_then(|name| reader.expression(name))
        .filter(|_| member)
        .and_then(|e| referenced_group(kind, &e.references, module_address.as_deref()));
    let engine = argument(kind, Property::Engine)
        .map_or(PlannedValue::Unset, |name| reader.attribute(name, member));
    let port_name = kind.port_name(SourceKind::TerraformPlan);
    Some(PlannedResource {
        address,
        name,
        address_span: doc.span(address_node),
        module_address,
        kind,
        actions: actions(doc, body),
        span: doc.span(change),
        engine,
        port: reader.attribute(port_name, member),
        member_of,
        group_address,
        restored_from: reader.restored_from(kind),
        port_expression: reader.expression(port_name),
        engine_expression: argument(kind, Property::Engine).and_then(|n| reader.expression(n)),
        configuration_found: config.is_some(),
    })
}

/// What one `resource_changes` entry and its `configuration` block say
/// about the resource's attributes.
struct ChangeReader<'a> {
    doc: &'a Document,
    after: NodeId,
    unknown: Option<NodeId>,
    config: Option<NodeId>,
}

impl ChangeReader<'_> {
    fn expression(&self, attribute: &str) -> Option<ConfigExpression> {
        self.config
            .and_then(|c| config_expression(self.doc, c, attribute))
    }

    /// An attribute the configuration may set; a member's engine and port
    /// come from its group, so unknown there means "the group's", never
    /// "unset".
    fn attribute(&self, name: &str, member: bool) -> PlannedValue {
        let expression = self.expression(name);
        // `port = null` on an attribute the provider computes: `after`
        // says only "unknown", the configuration says unset.
        if let Some(null) = expression.as_ref().filter(|e| e.null)
            && !member
            && self.doc.get_value(self.after, name).is_none()
        {
            return PlannedValue::Null { span: null.span };
        }
        Attribute {
            doc: self.doc,
            after: self.after,
            unknown: self.unknown,
            set_in_config: member || self.config.is_none() || expression.is_some(),
        }
        .read(name)
    }

    fn after_value(&self, name: &str) -> Option<NodeId> {
        self.doc.get_value(self.after, name).filter(|&value| {
            self.doc
                .scalar(value)
                .is_none_or(|s| s.ty != ScalarType::Null)
        })
    }

    /// The group a member names, when it is one. The argument is computed
    /// on some kinds, so unknown also for a resource standing alone: only
    /// the configuration says it is set.
    fn membership(&self, name: &str) -> Option<PlannedValue> {
        Some(self.attribute(name, false)).filter(|value| match value {
            PlannedValue::Known { .. } => true,
            PlannedValue::KnownAfterApply => self.expression(name).is_some(),
            PlannedValue::Null { .. } | PlannedValue::Unset => false,
        })
    }

    /// The restore arguments of `kind` that are set: a string that is not
    /// `null` or a nested block that is written (a non-empty list), or a
    /// value known only after apply that the configuration writes.
    fn restored_from(&self, kind: ResourceKind) -> Vec<PlannedRestore> {
        kind.restore_properties(SourceKind::TerraformPlan)
            .iter()
            .filter_map(|&argument| {
                let span = match self.after_value(argument) {
                    Some(value) if self.doc.sequence(value).is_some_and(<[_]>::is_empty) => None,
                    Some(value) => Some(self.doc.span(value)),
                    None => self
                        .expression(argument)
                        .filter(|e| !e.null && self.is_unknown(argument))
                        .map(|e| e.span),
                }?;
                Some(PlannedRestore { argument, span })
            })
            .collect()
    }

    fn is_unknown(&self, name: &str) -> bool {
        self.unknown
            .and_then(|u| self.doc.get_value(u, name))
            .and_then(|u| self.doc.scalar(u))
            .is_some_and(|s| s.ty == ScalarType::Bool && s.value == "true")
    }
}

/// The group resource among `references` (Terraform lists
/// `aws_elasticache_replication_group.this.id` and then
/// `aws_elasticache_replication_group.this`), as an instance address in the
/// member's module instance.
fn referenced_group(
    kind: ResourceKind,
    references: &[String],
    module_address: Option<&str>,
) -> Option<String> {
    let group_type = kind.group_kind()?.type_name(SourceKind::TerraformPlan)?;
    let group = references.iter().find(|reference| {
        reference
            .strip_prefix(group_type)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|name| !name.contains('.'))
    })?;
    Some(match module_address {
        Some(module) => format!("{module}.{group}"),
        None => group.clone(),
    })
}

fn actions(doc: &Document, body: NodeId) -> Vec<String> {
    doc.get_value(body, "actions")
        .and_then(|a| doc.sequence(a))
        .unwrap_or_default()
        .iter()
        .filter_map(|&action| doc.str(action).map(str::to_owned))
        .collect()
}

/// Reads one attribute from `after` / `after_unknown`.
struct Attribute<'a> {
    doc: &'a Document,
    after: NodeId,
    unknown: Option<NodeId>,
    /// Whether the configuration writes the attribute (assumed when the
    /// resource's configuration is missing).
    set_in_config: bool,
}

impl Attribute<'_> {
    fn read(&self, name: &str) -> PlannedValue {
        let doc = self.doc;
        let unknown = self
            .unknown
            .and_then(|u| doc.get_value(u, name))
            .and_then(|u| doc.scalar(u))
            .is_some_and(|s| s.ty == ScalarType::Bool && s.value == "true");
        let after = doc
            .get_value(self.after, name)
            .and_then(|value| Some((value, doc.scalar(value)?)));
        if let Some((value, scalar)) = after {
            return match scalar.ty {
                ScalarType::Null if self.set_in_config => PlannedValue::Null {
                    span: doc.span(value),
                },
                ScalarType::Null => PlannedValue::Unset,
                _ => PlannedValue::Known {
                    text: scalar.value.to_string(),
                    span: doc.span(value),
                },
            };
        }
        if unknown && self.set_in_config {
            PlannedValue::KnownAfterApply
        } else {
            PlannedValue::Unset
        }
    }
}

/// The managed resources of `configuration` of the kinds the plan reads, by module call
/// path, type and name, so each planned instance finds its block in constant
/// time (a plan of 10,000 resources would otherwise search 10,000 blocks
/// 10,000 times).
#[derive(Debug, Default)]
struct ConfigIndex {
    /// Keyed by `module calls joined by "."`, NUL, `type.name`.
    resources: foldhash::HashMap<String, NodeId>,
}

impl ConfigIndex {
    fn build(doc: &Document, root_module: NodeId) -> Self {
        let mut index = Self::default();
        index.add_module(doc, root_module, "");
        index
    }

    /// Adds a module's resources, then its calls' modules. The recursion
    /// follows the document's nesting, which the parser bounds.
    fn add_module(&mut self, doc: &Document, module: NodeId, path: &str) {
        let resources = doc
            .get_value(module, "resources")
            .and_then(|r| doc.sequence(r))
            .unwrap_or_default();
        for &resource in resources {
            let managed = string(doc, resource, "mode").as_deref() == Some("managed");
            let kind = string(doc, resource, "type").and_then(|t| planned_kind(&t));
            if let (true, Some(kind), Some(name)) = (managed, kind, string(doc, resource, "name")) {
                self.resources
                    .insert(Self::key(path, kind, &name), resource);
            }
        }
        let calls = doc
            .get_value(module, "module_calls")
            .and_then(|c| doc.mapping(c))
            .unwrap_or_default();
        for call in calls {
            if let Some(child) = doc.get_value(call.value, "module") {
                let child_path = if path.is_empty() {
                    call.key.text.to_string()
                } else {
                    format!("{path}.{}", call.key.text)
                };
                self.add_module(doc, child, &child_path);
            }
        }
    }

    fn key(path: &str, kind: ResourceKind, name: &str) -> String {
        let type_name = kind
            .type_name(SourceKind::TerraformPlan)
            .unwrap_or_default();
        format!("{path}\0{type_name}.{name}")
    }

    /// The block of a resource: in the module the instance's module address
    /// names (instance keys dropped), by type and name.
    fn find(&self, module_address: Option<&str>, kind: ResourceKind, name: &str) -> Option<NodeId> {
        let calls = module_call_names(module_address.unwrap_or_default())?;
        self.resources
            .get(&Self::key(&calls.join("."), kind, name))
            .copied()
    }
}

fn config_expression(
    doc: &Document,
    resource: NodeId,
    attribute: &str,
) -> Option<ConfigExpression> {
    let expressions = doc.get_value(resource, "expressions")?;
    let expression = doc.get_value(expressions, attribute)?;
    let constant_scalar = doc
        .get_value(expression, "constant_value")
        .and_then(|c| doc.scalar(c));
    let null = constant_scalar
        .as_ref()
        .is_some_and(|s| s.ty == ScalarType::Null);
    let constant = constant_scalar
        .filter(|s| s.ty != ScalarType::Null)
        .map(|s| s.value.to_string());
    let references = doc
        .get_value(expression, "references")
        .and_then(|r| doc.sequence(r))
        .unwrap_or_default()
        .iter()
        .filter_map(|&r| doc.str(r).map(str::to_owned))
        .collect();
    Some(ConfigExpression {
        span: doc.span(expression),
        constant,
        references,
        null,
    })
}
