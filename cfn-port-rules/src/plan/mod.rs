//! Terraform plan JSON (`terraform show -json plan.out`): each planned
//! `aws_elasticache_cluster` and `aws_elasticache_replication_group`, with
//! what the plan knows of its engine and port.
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
//! apart.
//!
//! A number in `after.port` is what this plan run would deploy; it may come
//! from a `-var` value or a prior state rather than from the code, so the
//! configuration expression (`var.port`, a constant) is kept beside it.

mod address;
mod describe;
mod model;
mod sources;

use crate::limits::Limits;
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
    /// A plan and its ElastiCache resources.
    Plan(Plan),
}

/// The ElastiCache resources of a plan, in `resource_changes` order.
#[derive(Debug, Default)]
pub struct Plan {
    /// `format_version` of the plan JSON.
    pub format_version: String,
    /// `terraform_version`, when present.
    pub terraform_version: Option<String>,
    /// Each planned cluster and replication group that exists after apply.
    pub caches: Vec<PlannedCache>,
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
    pub fn port_variable(&self, cache: &PlannedCache) -> Option<&PlanVariable> {
        if cache.module_address.is_some() {
            return None;
        }
        let [reference] = cache.port_expression.as_ref()?.references.as_slice() else {
            return None;
        };
        let name = reference.strip_prefix("var.")?;
        self.variables.iter().find(|variable| variable.name == name)
    }

    /// The planned replication group a member cluster belongs to, when the
    /// configuration names it and the plan holds it.
    #[must_use]
    pub fn group_of(&self, member: &PlannedCache) -> Option<&PlannedCache> {
        let address = member.group_address.as_deref()?;
        self.caches
            .iter()
            .find(|cache| cache.kind == PlannedKind::ReplicationGroup && cache.address == address)
    }
}

/// The two ElastiCache resource types a port rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlannedKind {
    /// `aws_elasticache_cluster`.
    Cluster,
    /// `aws_elasticache_replication_group`.
    ReplicationGroup,
}

impl PlannedKind {
    /// The Terraform resource type.
    #[must_use]
    pub fn resource_type(self) -> &'static str {
        match self {
            Self::Cluster => "aws_elasticache_cluster",
            Self::ReplicationGroup => "aws_elasticache_replication_group",
        }
    }

    fn from_type(name: &str) -> Option<Self> {
        match name {
            "aws_elasticache_cluster" => Some(Self::Cluster),
            "aws_elasticache_replication_group" => Some(Self::ReplicationGroup),
            _ => None,
        }
    }
}

/// One planned resource instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedCache {
    /// The instance address, as Terraform writes it.
    pub address: String,
    /// The resource block's name label (`this` in
    /// `aws_elasticache_cluster.this[0]`).
    pub name: String,
    /// The `address` value in the file.
    pub address_span: Span,
    /// The module instance holding it (`module.cache[0]`), `None` at the root.
    pub module_address: Option<String>,
    /// Which resource type it is.
    pub kind: PlannedKind,
    /// `change.actions`, e.g. `["create"]` or `["no-op"]`.
    pub actions: Vec<String>,
    /// The whole `resource_changes` entry.
    pub span: Span,
    /// The planned engine.
    pub engine: PlannedValue,
    /// The planned port.
    pub port: PlannedValue,
    /// For a cluster, its `replication_group_id` when the configuration sets
    /// one or the plan knows one: the cluster is then a member of that group
    /// and takes the group's port. `None` when the cluster stands alone.
    pub replication_group: Option<PlannedValue>,
    /// For a member cluster, the address of the replication group its
    /// `replication_group_id` refers to in the configuration (in the same
    /// module instance), e.g. `aws_elasticache_replication_group.this`; see
    /// [`Plan::group_of`].
    pub group_address: Option<String>,
    /// The configuration's `port` expression for this resource.
    pub port_expression: Option<ConfigExpression>,
    /// The configuration's `engine` expression for this resource.
    pub engine_expression: Option<ConfigExpression>,
    /// Whether the resource was found in `configuration`; without it an
    /// unknown port cannot be told from an unset one.
    pub configuration_found: bool,
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
        /// The `null` in `change.after`.
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
    let caches = changes
        .iter()
        .filter_map(|&change| read_change(doc, change, &configuration))
        .collect();
    PlanReading::Plan(Plan {
        format_version,
        terraform_version: string(doc, root, "terraform_version"),
        caches,
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

/// One `resource_changes` entry, when it is a managed ElastiCache cluster or
/// group that exists after apply.
fn read_change(
    doc: &Document,
    change: NodeId,
    configuration: &ConfigIndex,
) -> Option<PlannedCache> {
    let kind = PlannedKind::from_type(&string(doc, change, "type")?)?;
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
    let unknown = doc.get_value(body, "after_unknown");
    let name = string(doc, change, "name")?;
    let config = configuration.find(module_address.as_deref(), kind, &name);
    let expression = |attribute: &str| config.and_then(|c| config_expression(doc, c, attribute));
    let attribute = |attribute: &str, member: bool| {
        Attribute {
            doc,
            after,
            unknown,
            // A member's engine and port come from its group, so unknown
            // there means "the group's", never "unset".
            set_in_config: member || config.is_none() || expression(attribute).is_some(),
        }
        .read(attribute)
    };
    let replication_group = (kind == PlannedKind::Cluster)
        .then(|| attribute("replication_group_id", false))
        .filter(|value| match value {
            PlannedValue::Known { .. } => true,
            // Computed, so unknown also for a lone cluster: only the
            // configuration says it is set.
            PlannedValue::KnownAfterApply => expression("replication_group_id").is_some(),
            PlannedValue::Null { .. } | PlannedValue::Unset => false,
        });
    let member = replication_group.is_some();
    let group_address = expression("replication_group_id")
        .filter(|_| member)
        .and_then(|e| referenced_group(&e.references, module_address.as_deref()));
    Some(PlannedCache {
        address,
        name,
        address_span: doc.span(address_node),
        module_address,
        kind,
        actions: actions(doc, body),
        span: doc.span(change),
        engine: attribute("engine", member),
        port: attribute("port", member),
        replication_group,
        group_address,
        port_expression: expression("port"),
        engine_expression: expression("engine"),
        configuration_found: config.is_some(),
    })
}

/// The group resource among `references` (Terraform lists
/// `aws_elasticache_replication_group.this.id` and then
/// `aws_elasticache_replication_group.this`), as an instance address in the
/// member's module instance.
fn referenced_group(references: &[String], module_address: Option<&str>) -> Option<String> {
    let prefix = "aws_elasticache_replication_group.";
    let group = references.iter().find(|reference| {
        reference
            .strip_prefix(prefix)
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

/// The managed ElastiCache resources of `configuration`, by module call
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
            let kind = string(doc, resource, "type").and_then(|t| PlannedKind::from_type(&t));
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

    fn key(path: &str, kind: PlannedKind, name: &str) -> String {
        format!("{path}\0{}.{name}", kind.resource_type())
    }

    /// The block of a resource: in the module the instance's module address
    /// names (instance keys dropped), by type and name.
    fn find(&self, module_address: Option<&str>, kind: PlannedKind, name: &str) -> Option<NodeId> {
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
    let constant = doc
        .get_value(expression, "constant_value")
        .and_then(|c| doc.scalar(c))
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
    })
}
