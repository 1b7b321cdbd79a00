//! Rules, their metadata, and the registry.
//!
//! A rule is one file in this folder: a unit struct implementing [`Rule`],
//! its [`RuleMeta`] (id, title, severity, compliance tags, documentation,
//! remediation) and its tests. Adding a rule is that file plus a line in
//! [`REGISTRY`].

mod ec012_elasticache_default_port;

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use serde::Serialize;

pub use self::ec012_elasticache_default_port::ElastiCacheDefaultPort;
use crate::diagnostic::{Label, Location, Severity};
use crate::eval::Evaluator;
use crate::source::Span;
use crate::template::{Resource, Template};

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
#[non_exhaustive]
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
    /// When it happens, if not always, and other context. Shared like
    /// [`Label::message`].
    pub notes: Vec<Arc<str>>,
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
#[non_exhaustive]
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
    pub(crate) texts: Texts,
}

/// Label and note texts written so far, so that equal texts share one
/// allocation. Formatting goes to a reused buffer; only a text not seen
/// before is copied out.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    seen: foldhash::HashSet<Arc<str>>,
    buffer: String,
}

impl Texts {
    /// The text `args` formats to: `texts.get(format_args!("allows {value}"))`.
    pub(crate) fn get(&mut self, args: fmt::Arguments<'_>) -> Arc<str> {
        self.format(args);
        self.share()
    }

    /// The same with its first letter in upper case, to start a sentence.
    pub(crate) fn sentence(&mut self, args: fmt::Arguments<'_>) -> Arc<str> {
        self.format(args);
        if let Some(first) = self.buffer.chars().next() {
            let upper: String = first.to_uppercase().collect();
            self.buffer.replace_range(..first.len_utf8(), &upper);
        }
        self.share()
    }

    fn format(&mut self, args: fmt::Arguments<'_>) {
        self.buffer.clear();
        // Writing to a `String` cannot fail.
        let _ = self.buffer.write_fmt(args);
    }

    /// The buffer's text, shared with an equal one made before.
    fn share(&mut self) -> Arc<str> {
        if let Some(text) = self.seen.get(self.buffer.as_str()) {
            return Arc::clone(text);
        }
        let text: Arc<str> = Arc::from(self.buffer.as_str());
        self.seen.insert(Arc::clone(&text));
        text
    }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::Texts;
    use crate::{LintOptions, SourceFile, lint};

    #[test]
    fn equal_texts_are_one_allocation() {
        let mut texts = Texts::default();
        let name = "Env";
        let first = texts.get(format_args!("parameter `{name}` allows prod"));
        let second = texts.get(format_args!("parameter `{}` allows prod", "Env"));
        let other = texts.get(format_args!("parameter `{name}` allows dev"));
        assert_eq!(&*first, "parameter `Env` allows prod");
        assert!(Arc::ptr_eq(&first, &second));
        assert!(!Arc::ptr_eq(&first, &other));
    }

    #[test]
    fn a_sentence_starts_with_a_capital_letter() {
        let mut texts = Texts::default();
        assert_eq!(
            &*texts.sentence(format_args!("when {}", "`C` holds")),
            "When `C` holds"
        );
        assert_eq!(&*texts.sentence(format_args!("étage")), "Étage");
        assert_eq!(&*texts.sentence(format_args!("")), "");
    }

    #[test]
    fn findings_that_point_at_one_parameter_share_its_label() {
        let yaml = "Parameters:\n  Port:\n    Type: Number\n    Default: 6379\nResources:\n  A:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !Ref Port\n  B:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !Ref Port\n";
        let report = lint(&SourceFile::new("t.yaml", yaml), &LintOptions::default());
        let label = |i: usize| {
            let finding = &report.findings[i];
            finding
                .labels
                .iter()
                .find(|l| &yaml[l.span.range()] == "6379")
                .map(|l| Arc::clone(&l.message))
                .expect("a label on the parameter's Default")
        };
        let (a, b) = (label(0), label(1));
        assert_eq!(&*a, "parameter `Port` defaults to 6379");
        assert!(Arc::ptr_eq(&a, &b));
    }
}
