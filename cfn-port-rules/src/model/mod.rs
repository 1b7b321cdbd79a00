//! The neutral model: what every front-end turns its input into, and the
//! only thing rules read.
//!
//! A front-end (CloudFormation in [`crate::cloudformation`]; Terraform,
//! Terraform plans and AWS describe output beside it) reads its files and
//! yields a [`Model`]: [`Resource`]s with a neutral [`ResourceKind`], an
//! [`Identity`] (logical id, Terraform address, cluster id; the source's own
//! type name; where it is), the scenarios in which it exists, and its
//! properties under neutral [`Property`] names as the evaluator's
//! [`Possibility`]s. Every step of a value's trace carries its file, its span
//! and the front-end's own description ("parameter `CachePort` defaults to
//! 6379"), so a rule never writes text about a source language.
//!
//! Names that differ by source (a kind's type name, a property's name) are
//! tables beside the kinds, keyed by [`SourceKind`]: a new front-end adds its column, a
//! new rule adds nothing.
//!
//! [`crate::lint_model`] runs the rules on a model.

mod texts;

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use serde::Serialize;

pub(crate) use self::texts::Texts;
// The kinds sit below both the evaluator and the model (a value can be a
// reference to a resource of some kind); this is their public home.
use crate::diagnostic::{Diagnostic, Label};
use crate::eval::{Possibility, Truth, Value};
pub use crate::kind::{Property, ResourceKind, SourceKind};
pub use crate::source::FileId;
use crate::source::Span;

/// Who a resource is and where it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Identity {
    /// The name a finding gives it: a logical id, a Terraform address
    /// (`aws_elasticache_cluster.this["sessions"]`), a cluster id.
    pub name: String,
    /// The source's type name, for display (`AWS::ElastiCache::CacheCluster`).
    pub type_name: Cow<'static, str>,
    /// The file it is declared in.
    pub file: FileId,
    /// Its name where it is declared (the logical id's key, the block label).
    pub span: Span,
    /// Where its type is written, if it is (a label saying what a kind
    /// without an engine runs goes there).
    pub type_span: Option<Span>,
    /// The whole declaration: a step inside it is where a property is
    /// written; a step outside is where its value came from.
    pub extent: Span,
    /// Where a finding about a property that is not written points: the
    /// `Properties` key, the block's header.
    pub unset_anchor: Span,
    /// Who it is in its cloud, when it is a deployed resource (read from
    /// saved describe output or fetched from an account).
    pub deployed: Option<Deployed>,
}

/// A deployed resource's identity in AWS: what names it when there is no
/// file to point at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Deployed {
    /// Its ARN (`arn:aws:elasticache:eu-west-1:123456789012:cluster:sessions`).
    pub arn: String,
    /// Its region, from the ARN.
    pub region: Option<String>,
}

impl Deployed {
    /// The resource named by `arn`, in `region`.
    #[must_use]
    pub fn new(arn: impl Into<String>, region: Option<String>) -> Self {
        Self {
            arn: arn.into(),
            region,
        }
    }
}

impl Identity {
    /// A resource named `name`, of the source's type `type_name`, declared
    /// at `span` of `file`; its extent and the anchor for unset properties
    /// are that span until set.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        type_name: impl Into<Cow<'static, str>>,
        file: FileId,
        span: Span,
    ) -> Self {
        Self {
            name: name.into(),
            type_name: type_name.into(),
            file,
            span,
            type_span: None,
            extent: span,
            unset_anchor: span,
            deployed: None,
        }
    }

    /// Sets who it is in its cloud.
    #[must_use]
    pub fn with_deployed(mut self, deployed: Deployed) -> Self {
        self.deployed = Some(deployed);
        self
    }

    /// Sets the whole declaration's span.
    #[must_use]
    pub fn with_extent(mut self, extent: Span) -> Self {
        self.extent = extent;
        self
    }

    /// Sets where a finding about an unset property points.
    #[must_use]
    pub fn with_unset_anchor(mut self, anchor: Span) -> Self {
        self.unset_anchor = anchor;
        self
    }

    /// Sets where the type is written.
    #[must_use]
    pub fn with_type_span(mut self, span: Span) -> Self {
        self.type_span = Some(span);
        self
    }
}

/// Why a resource cannot be judged at all: its properties cannot be read,
/// or it exists in no configuration considered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NotJudged {
    /// Why, in one sentence.
    pub reason: String,
    /// The file of [`NotJudged::span`].
    pub file: FileId,
    /// What to point at.
    pub span: Span,
}

/// One resource, as every rule sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Resource {
    /// What it is.
    pub kind: ResourceKind,
    /// Who it is and where.
    pub identity: Identity,
    /// The scenarios in which it exists (one unconditional truth for a
    /// resource that always does).
    pub existence: Vec<Truth>,
    /// A label on what makes it exist only sometimes ("the resource exists
    /// only when `IsProd` holds"), shown when a finding is not about every
    /// configuration.
    pub existence_label: Option<Label>,
    /// The properties the front-end read, each with its possibilities. A
    /// property the kind has but the source does not write is
    /// [`Value::Absent`]; a property missing from this list was not read.
    pub properties: Vec<(Property, Vec<Possibility>)>,
    /// Set when the resource cannot be judged at all.
    pub not_judged: Option<NotJudged>,
    /// For one instance of a repeated declaration (`Fn::ForEach`, `count`,
    /// `for_each`): a note naming it and labels on the values that made it.
    pub instance: Option<Instance>,
}

/// Which instance of a repeated declaration a resource is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Instance {
    /// "`Cache3` is made by `Fn::ForEach` with `Name` = 3".
    pub note: Arc<str>,
    /// Labels on the values that made it.
    pub labels: Vec<Label>,
}

impl Resource {
    /// A resource that always exists, with no properties read yet.
    #[must_use]
    pub fn new(kind: ResourceKind, identity: Identity) -> Self {
        Self {
            kind,
            identity,
            existence: vec![Truth::always()],
            existence_label: None,
            properties: Vec::new(),
            not_judged: None,
            instance: None,
        }
    }

    /// The possibilities of `property`: [`Value::Absent`] when it was not read.
    #[must_use]
    pub fn property(&self, property: Property) -> &[Possibility] {
        // Rules ask for properties a kind does not have (an engine of a
        // Redshift cluster) for every resource: one shared absent value.
        static ABSENT: LazyLock<[Possibility; 1]> =
            LazyLock::new(|| [Possibility::new(Value::Absent)]);
        self.read(property).unwrap_or(&*ABSENT)
    }

    /// The possibilities of `property` as the front-end read them, or
    /// `None` when it did not read it (a property the kind does not have).
    #[must_use]
    pub fn read(&self, property: Property) -> Option<&[Possibility]> {
        self.properties
            .iter()
            .find(|(p, _)| *p == property)
            .map(|(_, values)| values.as_slice())
    }

    /// Whether `span` of `file` is inside the declaration.
    #[must_use]
    pub fn contains(&self, file: FileId, span: Span) -> bool {
        file == self.identity.file && self.identity.extent.contains(span)
    }
}

/// Everything a front-end read from one input: the resources, and the
/// problems it met (syntax errors, references to nothing), as data.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Model {
    /// The language of the input.
    pub source: Option<SourceKind>,
    /// The names of the input's files; a [`FileId`] indexes this list.
    pub sources: Vec<String>,
    /// The resources, in source order.
    pub resources: Vec<Resource>,
    /// Problems with the input.
    pub diagnostics: Vec<Diagnostic>,
}

impl Model {
    /// An empty model of an input in `source`, made of the files `sources`.
    #[must_use]
    pub fn new(source: SourceKind, sources: Vec<String>) -> Self {
        Self {
            source: Some(source),
            sources,
            resources: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}
