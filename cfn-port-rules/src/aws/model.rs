//! Saved `describe-*` output as the neutral [`Model`] the rules read.

use super::describe::{
    CacheKind, DeployedCache, DescribeOutput, NoPort, NotAuditable, PortReading,
};
use std::borrow::Cow;

use super::remediation::replacement_steps;
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::eval::{Origin, Possibility, Step, Unknown, Value};
use crate::lint::{LintOptions, Report, lint_model};
use crate::model::{Deployed, Identity, Model, Property, Resource, ResourceKind, SourceKind};
use crate::source::FileId;
use crate::source::SourceFile;

impl DescribeOutput {
    /// Runs the rules on the output (`source` is the file it was read
    /// from) and gives each finding the remediation for a running cluster:
    /// its port cannot be modified, so the help is the replacement (see
    /// [`replacement_steps`]).
    #[must_use]
    pub fn lint(&self, source: &SourceFile, options: &LintOptions) -> Report {
        let mut report = lint_model(&self.to_model(source.name()), &[source], options);
        for finding in &mut report.findings {
            let cache = self.caches.iter().find(|cache| {
                cache.kind != CacheKind::ServerlessCache
                    && cache
                        .id
                        .as_ref()
                        .is_some_and(|id| id.text == finding.resource)
            });
            if let Some(steps) = cache.and_then(replacement_steps) {
                finding.help = Cow::Owned(steps);
            }
        }
        report
    }

    /// The output as a model of the one file `file_name`: one resource per
    /// cluster and replication group, named by its id. Serverless caches
    /// are left out (no configurable port).
    #[must_use]
    pub fn to_model(&self, file_name: &str) -> Model {
        let mut model = Model::new(SourceKind::AwsDescribe, vec![file_name.to_owned()]);
        model.resources = self.caches.iter().filter_map(resource).collect();
        model.diagnostics = self.not_auditable.iter().map(not_auditable).collect();
        model
    }
}

/// A part of the output that cannot be judged, as a located problem (the
/// rest of the file is still checked).
fn not_auditable(part: &NotAuditable) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::TemplateProblem,
        format!("not auditable: {}", part.reason),
        Label::primary(part.span, "this cannot be attributed to a cluster"),
    )
}

fn resource(cache: &DeployedCache) -> Option<Resource> {
    let kind = match cache.kind {
        CacheKind::CacheCluster => ResourceKind::ElastiCacheCluster,
        CacheKind::ReplicationGroup => ResourceKind::ElastiCacheReplicationGroup,
        CacheKind::ServerlessCache => return None,
    };
    let name = cache
        .id
        .as_ref()
        .map_or_else(|| cache.json_path.clone(), |id| id.text.clone());
    let span = cache.id.as_ref().map_or(cache.span, |id| id.span);
    let type_name = kind
        .type_name(SourceKind::AwsDescribe)
        .unwrap_or("ElastiCache");
    let mut identity = Identity::new(name, type_name, FileId::FIRST, span).with_extent(cache.span);
    if let Some(arn) = &cache.arn {
        identity = identity.with_deployed(Deployed::new(arn.text.clone(), cache.region.clone()));
    }
    let mut resource = Resource::new(kind, identity);
    resource.properties = vec![(Property::Engine, vec![engine(cache)])];
    match &cache.port {
        PortReading::Undetermined(NoPort::MemberOfGroup { group_id, .. }) => {
            let group = Possibility::new(Value::String(group_id.as_str().into()));
            resource.properties.push((Property::MemberOf, vec![group]));
        }
        port => resource
            .properties
            .push((Property::Port, vec![self::port(cache, port)])),
    }
    Some(resource)
}

fn engine(cache: &DeployedCache) -> Possibility {
    match &cache.engine {
        Some(engine) => {
            let possibility = Possibility::new(Value::String(engine.name.as_str().into()));
            match engine.span {
                Some(span) => possibility.then(
                    Step::new(FileId::FIRST, span, Origin::Written)
                        .with_value(engine.name.as_str()),
                ),
                // A group without `Engine` is redis, which the rule assumes
                // for a group that names no engine.
                None => Possibility::new(Value::Absent),
            }
        }
        None => Possibility::new(Value::Unknown(Unknown::new(
            "the output has no `Engine`",
            FileId::FIRST,
            cache.span,
        ))),
    }
}

fn port(cache: &DeployedCache, port: &PortReading) -> Possibility {
    match port {
        PortReading::Read { port, span, .. } => {
            let possibility = Possibility::new(Value::Number(port.to_string().into()))
                .then(Step::new(FileId::FIRST, *span, Origin::Written));
            match cache.port_step() {
                Some(step) => possibility.then(Step::new(
                    FileId::FIRST,
                    step.span,
                    Origin::Source {
                        description: step.description.into(),
                    },
                )),
                None => possibility,
            }
        }
        PortReading::Undetermined(reason) => {
            let mut why = reason.reason();
            if let Some(hint) = reason.hint() {
                why = format!("{why}; {hint}");
            }
            let anchor = cache.id.as_ref().map_or(cache.span, |id| id.span);
            Possibility::new(Value::Unknown(Unknown::new(why, FileId::FIRST, anchor)))
        }
    }
}
