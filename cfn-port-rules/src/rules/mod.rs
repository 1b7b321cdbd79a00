//! Rules, their metadata, and the registry.
//!
//! A rule is one file in this folder: a unit struct implementing [`Rule`],
//! its [`RuleMeta`] (id, title, severity, compliance tags, documentation,
//! remediation) and its tests. Adding a rule is that file plus a line in
//! [`REGISTRY`].

mod ec012_elasticache_default_port;

use std::borrow::Cow;

use serde::Serialize;

pub use self::ec012_elasticache_default_port::ElastiCacheDefaultPort;
use crate::diagnostic::{Label, Location, Severity};
use crate::eval::Evaluator;
use crate::source::Span;
use crate::template::{Resource, Template};

/// Conformity risk level of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
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
    /// The resource types it checks.
    pub resource_types: &'static [&'static str],
    /// Full documentation in Markdown (What it does / Why is this bad? /
    /// Example / Use instead / Fix safety / References).
    pub documentation: &'static str,
    /// How to fix a finding, shown as help.
    pub remediation: &'static str,
    /// Where the rule's source is described.
    pub help_uri: &'static str,
}

/// A rule violation on one resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule id.
    pub rule: &'static str,
    /// The severity (the rule's default unless configured).
    pub severity: Severity,
    /// The resource's logical id.
    pub resource: String,
    /// The resource type.
    pub resource_type: Cow<'static, str>,
    /// One sentence saying what is wrong.
    pub message: String,
    /// The primary label first (the node that causes it), then where its
    /// value came from.
    pub labels: Vec<Label>,
    /// When it happens, if not always, and other context.
    pub notes: Vec<String>,
    /// How to fix it (usually the rule's remediation, not copied).
    pub help: Cow<'static, str>,
    /// The primary label's position; filled by [`crate::lint`].
    pub location: Option<Location>,
    /// Set when a suppression covers this finding.
    pub suppressed: Option<crate::suppress::Suppression>,
}

impl Finding {
    /// The primary span.
    #[must_use]
    pub fn primary_span(&self) -> Span {
        self.labels
            .first()
            .map_or(Span::default(), |label| label.span)
    }
}

/// A resource a rule applies to but could not judge statically.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Undetermined {
    /// The rule id.
    pub rule: &'static str,
    /// The resource's logical id.
    pub resource: String,
    /// The resource type.
    pub resource_type: String,
    /// Why it could not be judged.
    pub reason: String,
    /// The node that could not be resolved.
    pub span: Span,
    /// The span's position; filled by [`crate::lint`].
    pub location: Option<Location>,
}

/// What a rule sees and where it puts its results.
#[derive(Debug)]
pub struct RuleContext<'a, 't, 'd> {
    /// The template.
    pub template: &'a Template<'d>,
    /// The evaluator for its values.
    pub evaluator: &'a Evaluator<'t, 'd>,
    /// The resources to check: all of them, or one chunk of a large
    /// template checked in parallel.
    pub(crate) resources: &'a [Resource],
    pub(crate) severity: Severity,
    pub(crate) findings: Vec<Finding>,
    pub(crate) undetermined: Vec<Undetermined>,
    pub(crate) diagnostics: Vec<crate::Diagnostic>,
}

impl<'a> RuleContext<'a, '_, '_> {
    /// The resources this run of the rule checks. Rules iterate these, not
    /// `template.resources()`, so a large template can be split across threads.
    #[must_use]
    pub fn resources(&self) -> &'a [Resource] {
        self.resources
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

    /// Records a problem with the template that the rule met.
    pub fn problem(&mut self, diagnostic: crate::Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records a resource that could not be judged.
    pub fn undetermined(
        &mut self,
        rule: &'static str,
        resource: &Resource,
        reason: String,
        span: Span,
    ) {
        self.undetermined.push(Undetermined {
            rule,
            resource: resource.logical_id.clone(),
            resource_type: resource.type_name().to_string(),
            reason,
            span,
            location: None,
        });
    }
}

/// A check over a template.
pub trait Rule: Sync + std::fmt::Debug {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;

    /// Checks the template, reporting into `cx`.
    fn check(&self, cx: &mut RuleContext<'_, '_, '_>);
}

/// Every rule, in id order.
pub static REGISTRY: &[&dyn Rule] = &[&ElastiCacheDefaultPort];

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
         | ID | Title | Severity | Risk | Compliance | Resource types |\n|---|---|---|---|---|---|\n",
    );
    for rule in REGISTRY {
        let m = rule.meta();
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} | {} |\n",
            m.id,
            m.id.to_ascii_lowercase(),
            m.title,
            m.default_severity,
            m.risk_level.as_str(),
            m.compliance.join(", "),
            m.resource_types
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", "),
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
            m.compliance.join(", "),
            m.well_architected.join(", "),
            m.documentation.trim(),
        ));
    }
    out
}
