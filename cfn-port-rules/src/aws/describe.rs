//! Saved output of `aws elasticache describe-cache-clusters
//! [--show-cache-node-info]` and `aws elasticache describe-replication-groups`
//! (as printed with `--output json`), read into one [`DeployedCache`] per
//! cluster or replication group.
//!
//! A file may hold one document or several pages saved one after another
//! (each with its `NextToken` or `Marker`). The single-object outputs of
//! `create-*`, `modify-*`, `delete-*` and similar commands (`{"CacheCluster":
//! {...}}`, `{"ReplicationGroup": {...}}`) carry the same objects and are read
//! the same way. Output that merely looks similar, such as a `--query`
//! projection (`[6379]`), is recognised and reported as
//! [`NotAuditable`]: bare ports cannot be attributed to a cluster.
//!
//! # How a port is read
//!
//! The same way the Terraform AWS provider reads a deployed cluster back into
//! its state (`hashicorp/terraform-provider-aws`,
//! `internal/service/elasticache/`, read at commit `01606926`):
//!
//! - replication group (`resourceReplicationGroupRead` in
//!   `replication_group.go`: `if rgp.ConfigurationEndpoint != nil { … } else if
//!   len(rgp.NodeGroups) > 0 { … rgp.NodeGroups[0].PrimaryEndpoint.Port … }`):
//!   `port` is `ConfigurationEndpoint.Port` when the
//!   group has a configuration endpoint (cluster mode enabled), else
//!   `NodeGroups[0].PrimaryEndpoint.Port`; reader endpoints are not used. The
//!   engine is `Engine`; output from before valkey has no `Engine`, and such a
//!   group is redis (the provider's default engine);
//! - cache cluster (`resourceClusterRead` in `cluster.go`: `if
//!   c.ConfigurationEndpoint != nil { d.Set(port, c.ConfigurationEndpoint.Port)
//!   } else if len(c.CacheNodes) > 0 { d.Set(port, c.CacheNodes[0].Endpoint.Port)
//!   }`): `ConfigurationEndpoint.Port` (memcached) when present, else
//!   `CacheNodes[0].Endpoint.Port`, which the API returns only with
//!   `--show-cache-node-info` (the provider reads through
//!   `findCacheClusterWithNodeInfoByID`, which sets `ShowCacheNodeInfo`);
//! - a cache cluster with a `ReplicationGroupId` is a member of that group: its
//!   port is the group's (the resource schema in `cluster.go` lists `port`
//!   under `replication_group_id`'s `ConflictsWith`), so it is judged through
//!   the group, never alone;
//! - no endpoint (status `creating`, or output taken without
//!   `--show-cache-node-info`) leaves the port undetermined;
//! - serverless caches have no configurable cluster port and are out of scope.

use crate::limits::Limits;
use crate::source::{SourceFile, Span};
use crate::syntax::{self, Document, NodeId, ScalarType};

use super::stream::split_top_level_values;

/// What a file of saved AWS CLI output holds.
#[derive(Debug)]
pub enum DescribeReading {
    /// Not ElastiCache `describe-*` output (a template, a plan, other JSON).
    Unrecognised,
    /// ElastiCache output: its clusters, and what could not be audited.
    Output(DescribeOutput),
}

/// The clusters and replication groups found in a file, in file order.
#[derive(Debug, Default)]
pub struct DescribeOutput {
    /// Each top-level JSON document (page) of the file.
    pub documents: Vec<DescribedDocument>,
    /// Every cluster, replication group and serverless cache found.
    pub caches: Vec<DeployedCache>,
    /// Parts of the file that look like ElastiCache output but cannot be
    /// judged, with the reason.
    pub not_auditable: Vec<NotAuditable>,
}

impl DescribeOutput {
    /// The replication group a member cluster belongs to, when this output
    /// holds it (a file with both `describe-cache-clusters` and
    /// `describe-replication-groups` pages).
    #[must_use]
    pub fn group_of(&self, member: &DeployedCache) -> Option<&DeployedCache> {
        let PortReading::Undetermined(NoPort::MemberOfGroup { group_id, .. }) = &member.port else {
            return None;
        };
        self.caches.iter().find(|cache| {
            cache.kind == CacheKind::ReplicationGroup
                && cache.id.as_ref().is_some_and(|id| id.text == *group_id)
        })
    }
}

/// A place in the output and what it says about a cache, for a finding's
/// labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputStep {
    /// Where, in the file.
    pub span: Span,
    /// What it says, in words (input text included verbatim: a renderer
    /// escapes it).
    pub description: String,
}

impl DeployedCache {
    /// Where the port was read, when it was.
    #[must_use]
    pub fn port_step(&self) -> Option<OutputStep> {
        let PortReading::Read { port, span, from } = self.port else {
            return None;
        };
        let what = match self.kind {
            CacheKind::ReplicationGroup => "replication group",
            _ => "cache cluster",
        };
        let id = self.id.as_ref().map_or("?", |id| id.text.as_str());
        Some(OutputStep {
            span,
            description: format!("`{}` of {what} `{id}` is {port}", from.path()),
        })
    }

    /// Where the engine comes from, when the output says or implies it.
    #[must_use]
    pub fn engine_step(&self) -> Option<OutputStep> {
        let engine = self.engine.as_ref()?;
        Some(match engine.span {
            Some(span) => OutputStep {
                span,
                description: format!("the engine is {}", engine.name),
            },
            None => OutputStep {
                span: self.id.as_ref().map_or(self.span, |id| id.span),
                description: "no `Engine` in the output (written before valkey existed): redis"
                    .to_owned(),
            },
        })
    }
}

/// One top-level document (page) of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribedDocument {
    /// The document's bytes in the file.
    pub span: Span,
    /// The pagination token, when the page says more follow.
    pub next_page: Option<PageToken>,
}

/// A `NextToken` (the CLI's own pagination) or `Marker` (the API's) in a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageToken {
    /// `NextToken` or `Marker`.
    pub key: &'static str,
    /// The token's value in the file.
    pub span: Span,
}

/// A part of the file that cannot be judged, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAuditable {
    /// The part of the file.
    pub span: Span,
    /// Why it cannot be audited.
    pub reason: String,
}

/// What an ElastiCache object in the output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CacheKind {
    /// An entry of `CacheClusters` (or a single `CacheCluster`).
    CacheCluster,
    /// An entry of `ReplicationGroups` (or a single `ReplicationGroup`).
    ReplicationGroup,
    /// An entry of `ServerlessCaches`: out of scope for port rules.
    ServerlessCache,
}

/// One cluster, replication group or serverless cache from the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedCache {
    /// What it is.
    pub kind: CacheKind,
    /// `CacheClusterId`, `ReplicationGroupId` or `ServerlessCacheName`.
    pub id: Option<Spanned>,
    /// Its `ARN`.
    pub arn: Option<Spanned>,
    /// The region, taken from the ARN.
    pub region: Option<String>,
    /// Where it is in its document, e.g. `$.CacheClusters[2]`.
    pub json_path: String,
    /// Which document (page) of the file holds it, from 0.
    pub document: usize,
    /// The whole object in the file.
    pub span: Span,
    /// `CacheClusterStatus` or `Status`.
    pub status: Option<String>,
    /// The engine, when the output says or implies it.
    pub engine: Option<Engine>,
    /// The port, or why it cannot be read.
    pub port: PortReading,
}

/// A string value and its span in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned {
    /// The decoded text.
    pub text: String,
    /// Where the value is written.
    pub span: Span,
}

/// A cache's engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Engine {
    /// `redis`, `valkey` or `memcached` (as written).
    pub name: String,
    /// The `Engine` value in the file; `None` for a replication group whose
    /// output has no `Engine` (redis by default).
    pub span: Option<Span>,
}

/// The port of a cache as the output shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortReading {
    /// The port was read from an endpoint.
    Read {
        /// The port number.
        port: u16,
        /// The `Port` value in the file.
        span: Span,
        /// Which endpoint it was read from.
        from: PortField,
    },
    /// The port cannot be judged from this output.
    Undetermined(NoPort),
}

/// The endpoint a port was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortField {
    /// `ConfigurationEndpoint.Port`.
    ConfigurationEndpoint,
    /// `NodeGroups[0].PrimaryEndpoint.Port` of a replication group.
    PrimaryEndpoint,
    /// `CacheNodes[0].Endpoint.Port` of a cache cluster.
    CacheNodeEndpoint,
}

impl PortField {
    /// The field path, as the AWS CLI output spells it.
    #[must_use]
    pub fn path(self) -> &'static str {
        match self {
            Self::ConfigurationEndpoint => "ConfigurationEndpoint.Port",
            Self::PrimaryEndpoint => "NodeGroups[0].PrimaryEndpoint.Port",
            Self::CacheNodeEndpoint => "CacheNodes[0].Endpoint.Port",
        }
    }
}

/// Why a cache's port cannot be judged from the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoPort {
    /// A member cluster of a replication group: judged through the group.
    MemberOfGroup {
        /// The group's `ReplicationGroupId`.
        group_id: String,
        /// The port the member's node shows, if any (the group's port).
        shown: Option<(u16, Span)>,
    },
    /// The output has no endpoint for the cache.
    NoEndpoint {
        /// The status, when it is not `available` (`creating`, `deleting`…).
        status: Option<String>,
        /// A cache cluster listed without `CacheNodes`: the output was taken
        /// without `--show-cache-node-info`.
        node_info_missing: bool,
    },
    /// A serverless cache: out of scope for cluster port rules.
    Serverless,
    /// A `Port` that is not a port number.
    NotAPort {
        /// The value in the file.
        span: Span,
    },
}

impl NoPort {
    /// Why the port is undetermined, in words.
    #[must_use]
    pub fn reason(&self) -> String {
        match self {
            Self::MemberOfGroup { group_id, .. } => format!(
                "member of replication group `{group_id}`: its port is the group's, judged from `describe-replication-groups`"
            ),
            Self::NoEndpoint {
                status: Some(status),
                ..
            } => format!("status `{status}`: the output shows no endpoint yet"),
            Self::NoEndpoint {
                node_info_missing: true,
                ..
            } => {
                "no `CacheNodes`: the output was taken without `--show-cache-node-info`".to_owned()
            }
            Self::NoEndpoint { .. } => "the output shows no endpoint".to_owned(),
            Self::Serverless => {
                "serverless cache: no configurable cluster port, out of scope".to_owned()
            }
            Self::NotAPort { .. } => "`Port` is not a port number".to_owned(),
        }
    }

    /// What to do to get a judgement, when something can be done.
    #[must_use]
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::NoEndpoint {
                node_info_missing: true,
                ..
            } => Some("re-run `aws elasticache describe-cache-clusters --show-cache-node-info`"),
            Self::NoEndpoint {
                status: Some(_), ..
            } => Some("describe the cluster again once its status is `available`"),
            Self::MemberOfGroup { .. } => {
                Some("audit `aws elasticache describe-replication-groups`")
            }
            _ => None,
        }
    }
}

/// The top-level keys that hold ElastiCache objects, and what they hold.
const COLLECTIONS: [(&str, CacheKind, bool); 6] = [
    ("CacheClusters", CacheKind::CacheCluster, true),
    ("CacheCluster", CacheKind::CacheCluster, false),
    ("ReplicationGroups", CacheKind::ReplicationGroup, true),
    ("ReplicationGroup", CacheKind::ReplicationGroup, false),
    ("ServerlessCaches", CacheKind::ServerlessCache, true),
    ("ServerlessCache", CacheKind::ServerlessCache, false),
];

/// A cheap guess, without parsing, at whether `text` may be ElastiCache
/// `describe-*` output (or a `--query` projection of it), so a caller parses
/// only those files twice: it names one of the output's top-level keys, or
/// it is a JSON array.
#[must_use]
pub fn may_be_describe_output(text: &str) -> bool {
    if text.trim_start().starts_with('[') {
        return true;
    }
    COLLECTIONS.iter().any(|(key, ..)| {
        memchr::memmem::find(text.as_bytes(), format!("\"{key}\"").as_bytes()).is_some()
    })
}

/// Reads a file of saved AWS CLI output.
///
/// Returns [`DescribeReading::Unrecognised`] for anything that is not
/// ElastiCache output (including JSON that does not parse), so a caller can
/// try another reader.
#[must_use]
pub fn read_describe_output(source: &SourceFile, limits: &Limits) -> DescribeReading {
    let Ok(values) = split_top_level_values(source.text()) else {
        return DescribeReading::Unrecognised;
    };
    let mut output = DescribeOutput::default();
    let mut recognised = false;
    for (index, &span) in values.iter().enumerate() {
        let parsed = parse_value(source, span, values.len(), limits);
        let Some(document) = parsed.document() else {
            output.not_auditable.push(NotAuditable {
                span,
                reason: "this document is not strict JSON, which the AWS CLI always prints"
                    .to_owned(),
            });
            continue;
        };
        let view = View {
            doc: document,
            offset: parsed.offset,
        };
        recognised |= read_document(&view, index, span, &mut output);
    }
    if recognised {
        DescribeReading::Output(output)
    } else {
        DescribeReading::Unrecognised
    }
}

/// A parsed top-level value and the offset of its text in the file.
struct ParsedValue {
    parsed: syntax::Parsed,
    offset: usize,
}

impl ParsedValue {
    /// The document, when the value is strict JSON: the AWS CLI prints
    /// nothing else, so any leniency the parser reports means another tool
    /// (or a hand) wrote it.
    fn document(&self) -> Option<&Document> {
        if self.parsed.diagnostics.is_empty() {
            self.parsed.document.as_ref()
        } else {
            None
        }
    }
}

/// Parses one top-level value: the whole file when it holds only one (the
/// spans are then the file's own), else the value's text on its own.
fn parse_value(source: &SourceFile, span: Span, count: usize, limits: &Limits) -> ParsedValue {
    if count == 1 {
        return ParsedValue {
            parsed: syntax::parse(source, limits),
            offset: 0,
        };
    }
    // A `.json` name keeps the reader strict JSON, whatever the file's name.
    let piece = SourceFile::new("page.json", source.slice(span));
    ParsedValue {
        parsed: syntax::parse(&piece, limits),
        offset: span.range().start,
    }
}

/// A document and the offset that turns its spans into the file's.
struct View<'a> {
    doc: &'a Document,
    offset: usize,
}

impl View<'_> {
    fn span(&self, id: NodeId) -> Span {
        let range = self.doc.span(id).range();
        Span::new(range.start + self.offset, range.end + self.offset)
    }

    fn string(&self, id: NodeId, key: &str) -> Option<Spanned> {
        let value = self.doc.get_value(id, key)?;
        let scalar = self.doc.scalar(value)?;
        (scalar.ty == ScalarType::String).then(|| Spanned {
            text: scalar.value.to_string(),
            span: self.span(value),
        })
    }

    /// The node at a path of keys and sequence indexes.
    fn at(&self, mut id: NodeId, path: &[Step]) -> Option<NodeId> {
        for step in path {
            id = match *step {
                Step::Key(key) => self.doc.get_value(id, key)?,
                Step::Index(index) => *self.doc.sequence(id)?.get(index)?,
            };
        }
        Some(id)
    }

    /// The `Port` under `path`, when there is one and it is not `null`.
    fn port(&self, id: NodeId, path: &[Step], from: PortField) -> Option<PortReading> {
        let port = self.at(id, path)?;
        let scalar = self.doc.scalar(port)?;
        if scalar.ty == ScalarType::Null {
            return None;
        }
        let span = self.span(port);
        Some(match (scalar.ty, scalar.value.parse::<u16>()) {
            (ScalarType::Int, Ok(port)) => PortReading::Read { port, span, from },
            _ => PortReading::Undetermined(NoPort::NotAPort { span }),
        })
    }
}

#[derive(Clone, Copy)]
enum Step {
    Key(&'static str),
    Index(usize),
}

const CONFIGURATION_ENDPOINT_PORT: &[Step] =
    &[Step::Key("ConfigurationEndpoint"), Step::Key("Port")];
const PRIMARY_ENDPOINT_PORT: &[Step] = &[
    Step::Key("NodeGroups"),
    Step::Index(0),
    Step::Key("PrimaryEndpoint"),
    Step::Key("Port"),
];
const CACHE_NODE_PORT: &[Step] = &[
    Step::Key("CacheNodes"),
    Step::Index(0),
    Step::Key("Endpoint"),
    Step::Key("Port"),
];

/// Reads one document into `output`; whether it is ElastiCache output.
fn read_document(view: &View, index: usize, span: Span, output: &mut DescribeOutput) -> bool {
    let root = view.doc.root();
    if view.doc.mapping(root).is_none() {
        if is_query_projection(view.doc, root) {
            output.not_auditable.push(NotAuditable {
                span,
                reason: "a `--query` projection: bare values with no cluster id or engine cannot be attributed to a cluster; save the whole `describe-*` output instead".to_owned(),
            });
            return true;
        }
        return false;
    }
    let mut recognised = false;
    for (key, kind, is_list) in COLLECTIONS {
        let Some(value) = view.doc.get_value(root, key) else {
            continue;
        };
        if is_list {
            let Some(items) = view.doc.sequence(value) else {
                continue;
            };
            recognised = true;
            for (position, &item) in items.iter().enumerate() {
                // A user group's `ReplicationGroups` lists group ids, not groups.
                if view.doc.mapping(item).is_some() {
                    let path = format!("$.{key}[{position}]");
                    output
                        .caches
                        .push(read_cache(view, item, kind, path, index));
                }
            }
        } else if view.doc.mapping(value).is_some() {
            recognised = true;
            output
                .caches
                .push(read_cache(view, value, kind, format!("$.{key}"), index));
        }
    }
    if recognised {
        output.documents.push(DescribedDocument {
            span,
            next_page: page_token(view, root),
        });
    }
    recognised
}

/// A top-level array of numbers (or arrays of them), as `--query` prints.
fn is_query_projection(doc: &Document, id: NodeId) -> bool {
    match doc.sequence(id) {
        Some(items) => items.iter().all(|&item| {
            doc.scalar(item).is_some_and(|s| s.ty == ScalarType::Int)
                || is_query_projection(doc, item)
        }),
        None => false,
    }
}

fn page_token(view: &View, root: NodeId) -> Option<PageToken> {
    ["NextToken", "Marker"].into_iter().find_map(|key| {
        let value = view.string(root, key)?;
        Some(PageToken {
            key,
            span: value.span,
        })
    })
}

fn read_cache(
    view: &View,
    id: NodeId,
    kind: CacheKind,
    json_path: String,
    document: usize,
) -> DeployedCache {
    let id_key = match kind {
        CacheKind::CacheCluster => "CacheClusterId",
        CacheKind::ReplicationGroup => "ReplicationGroupId",
        CacheKind::ServerlessCache => "ServerlessCacheName",
    };
    let arn = view.string(id, "ARN");
    let status_key = if kind == CacheKind::CacheCluster {
        "CacheClusterStatus"
    } else {
        "Status"
    };
    let status = view.string(id, status_key).map(|s| s.text);
    DeployedCache {
        kind,
        id: view.string(id, id_key),
        region: arn.as_ref().and_then(|arn| region_of(&arn.text)),
        arn,
        json_path,
        document,
        span: view.span(id),
        engine: engine(view, id, kind),
        port: port(view, id, kind, status.as_deref()),
        status,
    }
}

/// `Engine`, or redis for a replication group whose output predates valkey.
fn engine(view: &View, id: NodeId, kind: CacheKind) -> Option<Engine> {
    match view.string(id, "Engine") {
        Some(engine) => Some(Engine {
            name: engine.text,
            span: Some(engine.span),
        }),
        None => (kind == CacheKind::ReplicationGroup).then(|| Engine {
            name: "redis".to_owned(),
            span: None,
        }),
    }
}

fn port(view: &View, id: NodeId, kind: CacheKind, status: Option<&str>) -> PortReading {
    let read = match kind {
        CacheKind::ServerlessCache => return PortReading::Undetermined(NoPort::Serverless),
        CacheKind::ReplicationGroup => view
            .port(
                id,
                CONFIGURATION_ENDPOINT_PORT,
                PortField::ConfigurationEndpoint,
            )
            .or_else(|| view.port(id, PRIMARY_ENDPOINT_PORT, PortField::PrimaryEndpoint)),
        CacheKind::CacheCluster => view
            .port(
                id,
                CONFIGURATION_ENDPOINT_PORT,
                PortField::ConfigurationEndpoint,
            )
            .or_else(|| view.port(id, CACHE_NODE_PORT, PortField::CacheNodeEndpoint)),
    };
    let group = view
        .string(id, "ReplicationGroupId")
        .filter(|group| kind == CacheKind::CacheCluster && !group.text.is_empty());
    if let Some(group) = group {
        let shown = match read {
            Some(PortReading::Read { port, span, .. }) => Some((port, span)),
            _ => None,
        };
        return PortReading::Undetermined(NoPort::MemberOfGroup {
            group_id: group.text,
            shown,
        });
    }
    read.unwrap_or_else(|| {
        PortReading::Undetermined(NoPort::NoEndpoint {
            status: status.filter(|s| *s != "available").map(str::to_owned),
            node_info_missing: kind == CacheKind::CacheCluster
                && view.doc.get_value(id, "CacheNodes").is_none(),
        })
    })
}

/// The region field of an ARN (`arn:aws:elasticache:us-east-1:…`).
fn region_of(arn: &str) -> Option<String> {
    let mut fields = arn.split(':');
    (fields.next()? == "arn").then_some(())?;
    let region = fields.nth(2)?;
    (!region.is_empty()).then(|| region.to_owned())
}

#[cfg(test)]
mod tests {
    use super::region_of;

    #[test]
    fn region_is_the_fourth_field_of_an_arn() {
        assert_eq!(
            region_of("arn:aws:elasticache:us-east-1:123456789012:cluster:c").as_deref(),
            Some("us-east-1")
        );
        assert_eq!(
            region_of("arn:aws-us-gov:elasticache:us-gov-west-1:1:cluster:c").as_deref(),
            Some("us-gov-west-1")
        );
    }

    #[test]
    fn no_region_from_what_is_not_an_arn() {
        assert_eq!(region_of("cluster:c"), None);
        assert_eq!(region_of("arn:aws:iam::123456789012:role/r"), None);
    }
}
