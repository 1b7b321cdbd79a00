//! Rules, their metadata, and the registry.
//!
//! Rules read only the neutral model ([`crate::model`]): resource kinds,
//! neutral property names, possibilities whose steps the front-end
//! described. None names a file format, so a new front-end changes no rule.
//!
//! A rule is one file in this folder: a unit struct implementing [`Rule`],
//! its [`RuleMeta`] (id, title, severity, compliance tags, the kinds it
//! covers, documentation, remediation) and its tests. Adding a rule is that
//! file plus a line in [`REGISTRY`]. A default-port rule is a table for the
//! shared judgement in `default_port.rs`: its kinds, how a missing engine
//! is read, and each engine's default port.

mod default_port;
mod docdb;
mod ec012;
mod exposure;
mod memorydb;
mod neptune;
mod rds011;
mod redshift;

use serde::Serialize;

pub use self::docdb::DocumentDbDefaultPort;
pub use self::ec012::ElastiCacheDefaultPort;
pub use self::exposure::PortOpenToEveryone;
pub use self::memorydb::MemoryDbDefaultPort;
pub use self::neptune::NeptuneDefaultPort;
pub use self::rds011::RdsDefaultPort;
pub use self::redshift::RedshiftDefaultPort;
use crate::diagnostic::Severity;
use crate::model::{Resource, ResourceKind, SourceKind, Texts};
pub use crate::report::{Finding, Undetermined};
use crate::source::{FileId, Span};

/// Conformity risk level of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum RiskLevel {
    /// Low risk.
    Low,
    /// Medium risk.
    Medium,
    /// High risk.
    High,
    /// Very high risk.
    VeryHigh,
}

impl RiskLevel {
    /// The name used in output.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::VeryHigh => "very high",
        }
    }
}

/// Everything about a rule except its check.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct RuleMeta {
    /// Stable id, e.g. `EC-012`.
    pub id: &'static str,
    /// Kebab-case name, e.g. `elasticache-default-port`.
    pub name: &'static str,
    /// Title, e.g. "ElastiCache Cluster Default Port".
    pub title: &'static str,
    /// One-sentence summary.
    pub summary: &'static str,
    /// Severity a finding gets unless configured otherwise.
    pub default_severity: Severity,
    /// Conformity risk level.
    pub risk_level: RiskLevel,
    /// Compliance frameworks the rule maps to.
    pub compliance: &'static [&'static str],
    /// AWS Well-Architected pillars.
    pub well_architected: &'static [&'static str],
    /// The kinds of resource it checks; each kind knows its type name in
    /// each source ([`RuleMeta::resource_types`], [`RuleMeta::sources`]).
    pub kinds: &'static [ResourceKind],
    /// Full documentation in Markdown (What it does / Why is this bad? /
    /// Example / Use instead / Fix safety / References).
    pub documentation: &'static str,
    /// How to fix a finding, shown as help.
    pub remediation: &'static str,
    /// Where the rule's source is described.
    pub help_uri: &'static str,
}

impl RuleMeta {
    /// The type names of the kinds it checks in `source`, spelt the way
    /// that source spells them (a CloudFormation `Type`, a Terraform
    /// resource type).
    #[must_use]
    pub fn resource_types(&self, source: SourceKind) -> Vec<&'static str> {
        self.kinds
            .iter()
            .flat_map(|kind| kind.type_names(source))
            .collect()
    }

    /// The sources in which it checks at least one kind, and reads every
    /// kind it needs beside it: a rule that follows a cache to its
    /// security groups covers only the sources that have groups.
    #[must_use]
    pub fn sources(&self) -> Vec<SourceKind> {
        SourceKind::ALL
            .iter()
            .copied()
            .filter(|&source| {
                let has = |kind: &ResourceKind| kind.type_name(source).is_some();
                self.kinds.iter().any(|k| k.listens() && has(k))
                    && self.kinds.iter().filter(|k| !k.listens()).all(has)
            })
            .collect()
    }
}

/// What a rule sees and where it puts its results.
#[derive(Debug)]
pub struct RuleContext<'a> {
    /// The language of the input.
    pub(crate) source: SourceKind,
    /// The resources to check: all of them, or one chunk of a large input
    /// checked in parallel.
    pub(crate) resources: &'a [Resource],
    /// Every resource in view (a member's group is looked up here).
    pub(crate) in_view: &'a [Resource],
    /// Security groups and ingress rules in view that are not in
    /// `in_view` (a template's, read once for all its chunks).
    pub(crate) network: &'a [Resource],
    pub(crate) severity: Severity,
    pub(crate) findings: Vec<Finding>,
    pub(crate) undetermined: Vec<Undetermined>,
    pub(crate) texts: Texts,
}

impl<'a> RuleContext<'a> {
    /// The resources this run of the rule checks. Rules iterate these, so a
    /// large input can be split across threads.
    #[must_use]
    pub fn resources(&self) -> &'a [Resource] {
        self.resources
    }

    /// The language of the input, for the names findings use.
    #[must_use]
    pub fn source(&self) -> SourceKind {
        self.source
    }

    /// Whether a resource named `name` is in view.
    #[must_use]
    pub fn in_view(&self, name: &str) -> bool {
        self.in_view.iter().any(|r| r.identity.name == name)
    }

    /// Every resource in view: those checked, the others a member's group
    /// or a cache's security groups are looked up in.
    pub fn in_view_resources(&self) -> impl Iterator<Item = &'a Resource> + use<'a> {
        self.in_view.iter().chain(self.network)
    }

    /// The severity findings of the running rule get.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Records a finding.
    pub fn report(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Records a resource that could not be judged, pointing at `span` of `file`.
    pub fn undetermined_at(
        &mut self,
        rule: &'static str,
        resource: &Resource,
        reason: String,
        file: FileId,
        span: Span,
    ) {
        self.undetermined.push(Undetermined {
            rule,
            resource: resource.identity.name.clone(),
            resource_type: resource.identity.type_name.to_string(),
            reason,
            file,
            span,
            location: None,
            deployed: resource.identity.deployed.clone(),
        });
    }
}

/// A check over the resources of the neutral model.
pub trait Rule: Sync + std::fmt::Debug {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;

    /// Checks the resources of `cx`, reporting into it.
    fn check(&self, cx: &mut RuleContext<'_>);
}

/// Every rule, in id order. All run unless configured otherwise: each
/// judges only its own kinds of resource, so an input without them pays
/// for a kind comparison per resource and gets no finding.
pub static REGISTRY: &[&dyn Rule] = &[
    &RedshiftDefaultPort,
    &DocumentDbDefaultPort,
    &NeptuneDefaultPort,
    &MemoryDbDefaultPort,
    &PortOpenToEveryone,
    &ElastiCacheDefaultPort,
    &RdsDefaultPort,
];

/// Every rule, in id order.
#[must_use]
pub fn all() -> &'static [&'static dyn Rule] {
    REGISTRY
}

/// The rule with this id (any case) or name.
#[must_use]
pub fn find(id_or_name: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|rule| {
        let meta = rule.meta();
        meta.id.eq_ignore_ascii_case(id_or_name) || meta.name == id_or_name
    })
}

/// The documentation of every rule as one Markdown page, the source of
/// `docs/rules.md` (a test keeps that file current).
#[must_use]
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rule metadata by `cargo test`; do not edit. -->\n\n\
         | ID | Title | Severity | Risk | Compliance | CloudFormation types | Terraform types |\n|---|---|---|---|---|---|---|\n",
    );
    for rule in REGISTRY {
        let m = rule.meta();
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} |\n",
            m.id,
            m.id.to_ascii_lowercase(),
            m.title,
            m.default_severity,
            m.risk_level.as_str(),
            or_none(m.compliance),
            code_list(&m.resource_types(SourceKind::CloudFormation)),
            code_list(&m.resource_types(SourceKind::Terraform)),
        ));
    }
    for rule in REGISTRY {
        let m = rule.meta();
        out.push_str(&format!(
            "\n## {}\n\n**{}** (`{}`). Severity {}, risk {}. Compliance: {}. Well-Architected: {}.\n\n{}\n",
            m.id,
            m.title,
            m.name,
            m.default_severity,
            m.risk_level.as_str(),
            or_none(m.compliance),
            or_none(m.well_architected),
            m.documentation.trim(),
        ));
    }
    out
}

/// A list of tags in words: "PCI, APRA", or "none" when the rule's source
/// states none.
#[must_use]
pub fn or_none(tags: &[&str]) -> String {
    if tags.is_empty() {
        "none".into()
    } else {
        tags.join(", ")
    }
}

/// "`a`, `b`".
fn code_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
