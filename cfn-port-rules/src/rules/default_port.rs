//! The judgement every default-port rule shares: a resource listens on its
//! engine's default port when the port is that default, or when it is not
//! set at all.
//!
//! A rule of the family is a [`DefaultPortRule`]: its metadata, the
//! [`ResourceKind`]s it covers, how the engine is read when it is not set
//! ([`AbsentEngine`]) and a table from engine to default port
//! ([`EngineDefault`]). Everything else is here, written once:
//!
//! - every combination of existence, engine and port scenarios is judged
//!   ([`combine`]), and a finding names the configurations that use a
//!   default port when not all do (notes, shared by findings with the same
//!   shape of configurations);
//! - an engine a deployer chooses makes each engine listen on its own
//!   default when the port is unset;
//! - a port that cannot be known, an engine outside the table or a resource
//!   that is a member of a group not in view is undetermined, with the
//!   reason, never a finding;
//! - labels come from the possibilities' traces, in the front-end's words.

use std::borrow::Cow;
use std::sync::Arc;

use super::{Finding, RuleContext, RuleMeta};
use crate::diagnostic::Label;
use crate::eval::{Assumption, Origin, Possibility, Scenario, Step, Truth, Value, parse_int};
use crate::model::{Property, Resource, ResourceKind, SourceKind, Texts};
use crate::source::{FileId, Span};

/// `format!` into a string with room for a typical note or label: `format!`
/// starts nearly empty when the text is mostly arguments and grows a few
/// times per message, which adds up over thousands of findings. Used where
/// profiles showed it pays.
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut text = String::with_capacity(96);
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!($($arg)*));
        text
    }};
}

/// Makes the rule type `$rule` the shared judgement with the table
/// `$judgement`: its metadata is the table's, and checking runs the table.
/// Each rule file then holds only its metadata, documentation and table.
macro_rules! default_port_rule {
    ($rule:ty, $judgement:expr) => {
        impl super::Rule for $rule {
            fn meta(&self) -> &'static super::RuleMeta {
                $judgement.meta
            }

            fn check(&self, cx: &mut super::RuleContext<'_>) {
                $judgement.check(cx);
            }
        }
    };
}
pub(crate) use default_port_rule;

/// A default-port rule, as data.
#[derive(Debug)]
pub(crate) struct DefaultPortRule {
    /// The rule's metadata.
    pub meta: &'static RuleMeta,
    /// The kinds it checks.
    pub kinds: &'static [ResourceKind],
    /// Each engine and its default port, in the order messages list them.
    pub engines: &'static [EngineDefault],
    /// What a resource of each kind runs when its engine is not set.
    pub absent_engine: fn(ResourceKind) -> AbsentEngine,
    /// Every engine's default port in words, for a message about a port
    /// that is unset while the engine is unknown: "6379 for redis and
    /// valkey, 11211 for memcached".
    pub defaults_in_words: &'static str,
}

/// An engine of the table and its default port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EngineDefault {
    /// The engine's name as findings show it (`redis`, `oracle`).
    pub name: &'static str,
    /// For a family of engines, the start of every engine name it covers
    /// (`oracle-` for `oracle-ee`, `oracle-se2` ...); `None` for one engine
    /// named exactly [`EngineDefault::name`].
    pub prefix: Option<&'static str>,
    /// The port it listens on unless told otherwise.
    pub port: u16,
    /// Whether a resource running it is always a member of a group and
    /// takes the group's port (an Aurora instance in its cluster): one of a
    /// kind that can name a group, but names none, has no port of its own.
    pub member_only: bool,
}

impl EngineDefault {
    /// An engine named exactly `name` (in any case).
    pub(crate) const fn named(name: &'static str, port: u16) -> Self {
        Self {
            name,
            prefix: None,
            port,
            member_only: false,
        }
    }

    /// The same engine, run only by members of a group on kinds that name
    /// one: `named("aurora-mysql", 3306).member_only()`.
    pub(crate) const fn member_only(self) -> Self {
        Self {
            member_only: true,
            ..self
        }
    }

    /// A family of engines whose names start with `prefix` (in any case),
    /// shown as `name`: `family("oracle", "oracle-", 1521)`.
    pub(crate) const fn family(name: &'static str, prefix: &'static str, port: u16) -> Self {
        Self {
            name,
            prefix: Some(prefix),
            port,
            member_only: false,
        }
    }

    fn matches(&self, written: &str) -> bool {
        let written = written.trim();
        match self.prefix {
            Some(prefix) => written
                .get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix)),
            None => written.eq_ignore_ascii_case(self.name),
        }
    }
}

/// Hashes what tells a table's engines apart cheaply: notes are cached by
/// a key holding an engine per configuration of every finding.
impl std::hash::Hash for EngineDefault {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.port.hash(state);
        self.name.len().hash(state);
    }
}

/// What a resource runs when its engine is not set.
#[derive(Clone, Copy, Debug)]
pub(crate) enum AbsentEngine {
    /// This engine (a replication group without one runs redis).
    Is(&'static str),
    /// None: the engine is required, so no default port is defined.
    Required,
    /// The one the resource is restored or replicated from (an RDS
    /// instance made from a snapshot needs no engine of its own), which is
    /// not read: no default port can be told.
    Inherited,
}

impl DefaultPortRule {
    /// Judges the resources of `cx` the rule covers.
    pub(crate) fn check(&self, cx: &mut RuleContext<'_>) {
        let mut notes = NotesCache::default();
        for resource in cx.resources() {
            if self.kinds.contains(&resource.kind) {
                self.check_resource(cx, &mut notes, resource);
            }
        }
    }

    fn engine(&self, written: &str) -> Option<&'static EngineDefault> {
        self.engines.iter().find(|engine| engine.matches(written))
    }

    fn check_resource(
        &self,
        cx: &mut RuleContext<'_>,
        notes: &mut NotesCache,
        resource: &Resource,
    ) {
        if let Some(not_judged) = &resource.not_judged {
            cx.undetermined_at(
                self.meta.id,
                resource,
                not_judged.reason.clone(),
                not_judged.file,
                not_judged.span,
            );
            return;
        }
        match membership(cx, resource) {
            Membership::None => {}
            Membership::GroupInView => return,
            Membership::GroupNotInView(reason, file, span) => {
                cx.undetermined_at(self.meta.id, resource, reason, file, span);
                return;
            }
        }
        let source = cx.source();
        let engines = resource.property(Property::Engine);
        let ports = resource.property(Property::Port);
        let restored = restored_from(source, resource);
        let mut combinations = self.combine(source, resource, &resource.existence, engines, ports);
        if let Some(restored) = &restored {
            inherit_unset_ports(&mut combinations, restored);
        }

        let defaults: Vec<&Combination<'_>> = combinations
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::Default { .. }))
            .collect();
        if !defaults.is_empty() {
            let finding = self.build_finding(cx, notes, resource, &defaults, &combinations);
            cx.report(finding);
            return;
        }
        if let Some(Combination {
            verdict: Verdict::Undetermined(reason, file, span),
            ..
        }) = combinations
            .iter()
            .find(|c| matches!(c.verdict, Verdict::Undetermined(..)))
        {
            cx.undetermined_at(self.meta.id, resource, reason.clone(), *file, *span);
        }
    }

    fn combine<'p>(
        &self,
        source: SourceKind,
        resource: &Resource,
        existence: &'p [Truth],
        engines: &'p [Possibility],
        ports: &'p [Possibility],
    ) -> Vec<Combination<'p>> {
        let mut out = Vec::with_capacity(existence.len() * engines.len() * ports.len());
        for truth in existence {
            for engine in engines {
                let Some(scenario) = truth.scenario.merge(&engine.scenario) else {
                    continue;
                };
                for port in ports {
                    let Some(scenario) = scenario.merge(&port.scenario) else {
                        continue;
                    };
                    let verdict = self.judge(
                        self.classify_engine(source, resource, &engine.value),
                        classify_port(source, resource.kind, &port.value),
                        resource,
                    );
                    out.push(Combination {
                        engine,
                        port,
                        existence: truth,
                        scenario,
                        verdict,
                    });
                }
            }
        }
        out
    }

    fn judge(&self, engine: EngineClass, port: PortClass, resource: &Resource) -> Verdict {
        let id = &resource.identity;
        let is_a_default = |port: u16| self.engines.iter().any(|e| e.port == port);
        match (engine, port) {
            (_, PortClass::Unknown(reason, file, span)) => {
                Verdict::Undetermined(reason, file, span)
            }
            (_, PortClass::Invalid(reason)) => Verdict::Undetermined(reason, id.file, id.span),
            (EngineClass::Known { engine }, PortClass::Absent) => Verdict::Default {
                engine: Some(engine),
                port: None,
            },
            (EngineClass::Free, PortClass::Absent) => Verdict::Default {
                engine: None,
                port: None,
            },
            (EngineClass::Known { engine }, PortClass::Port(port)) if port == engine.port => {
                Verdict::Default {
                    engine: Some(engine),
                    port: Some(port),
                }
            }
            (EngineClass::Known { .. }, PortClass::Port(_)) => Verdict::Custom,
            (EngineClass::Free | EngineClass::Unjudgeable(_), PortClass::Port(port))
                if !is_a_default(port) =>
            {
                Verdict::Custom
            }
            (EngineClass::Free, PortClass::Port(port)) => Verdict::Undetermined(
                format!(
                    "port {port} is a default port of some engines, and the engine cannot be determined"
                ),
                id.file,
                id.span,
            ),
            (EngineClass::Unjudgeable(reason), PortClass::Absent | PortClass::Port(_)) => {
                Verdict::Undetermined(reason, id.file, id.span)
            }
        }
    }

    fn classify_engine(
        &self,
        source: SourceKind,
        resource: &Resource,
        value: &Value,
    ) -> EngineClass {
        let property = resource
            .kind
            .property_name(Property::Engine, source)
            .unwrap_or("engine");
        match value {
            Value::Absent => match (self.absent_engine)(resource.kind) {
                AbsentEngine::Is(name) => match self.engine(name) {
                    Some(engine) => EngineClass::Known { engine },
                    None => EngineClass::Unjudgeable(format!("`{property}` is not set")),
                },
                AbsentEngine::Required => EngineClass::Unjudgeable(format!(
                    "the {} has no `{property}` (a required property), so it has no defined default port",
                    resource.kind.short_name(source)
                )),
                AbsentEngine::Inherited => EngineClass::Unjudgeable(format!(
                    "the {} does not set `{property}`; one made from a snapshot or another database takes its engine, which is not in view",
                    resource.kind.short_name(source)
                )),
            },
            Value::String(name) => match self.engine(name) {
                // Membership was looked at first: this resource names no group.
                Some(engine) if engine.member_only => {
                    match resource.kind.property_name(Property::MemberOf, source) {
                        Some(group) => EngineClass::Unjudgeable(format!(
                            "the {} runs {}, whose instances take the port of the cluster they belong to, and it sets no `{group}`",
                            resource.kind.short_name(source),
                            engine.name
                        )),
                        None => EngineClass::Known { engine },
                    }
                }
                Some(engine) => EngineClass::Known { engine },
                None => EngineClass::Unjudgeable(format!(
                    "`{property}` is `{name}`, which is not {}",
                    self.engine_names()
                )),
            },
            Value::Unknown(_) => EngineClass::Free,
            _ => EngineClass::Unjudgeable(format!("`{property}` is not a string")),
        }
    }

    /// "redis, valkey or memcached".
    fn engine_names(&self) -> String {
        let mut names = String::new();
        for (i, engine) in self.engines.iter().enumerate() {
            if i > 0 {
                names.push_str(if i + 1 == self.engines.len() {
                    " or "
                } else {
                    ", "
                });
            }
            match engine.prefix {
                Some(prefix) => {
                    names.push_str(prefix);
                    names.push('*');
                }
                None => names.push_str(engine.name),
            }
        }
        names
    }
}

/// One configuration in which a resource listens on a port that is known:
/// what the exposure rule joins with the ingress rules of its groups.
#[derive(Debug)]
pub(crate) struct ListeningPort {
    /// The port.
    pub port: u16,
    /// The engine, when it is known (memcached also listens on UDP).
    pub engine: Option<&'static str>,
    /// When it listens there: the resource exists, and its engine and
    /// port take these values.
    pub scenario: Scenario,
    /// The port's possibility: where it is written and where its value
    /// came from. [`Value::Absent`] when the engine's default is used.
    pub port_value: Possibility,
    /// The existence's trace, for labels on a condition's inputs.
    pub existence_trace: Vec<Step>,
}

/// The ports a resource listens on, as far as they can be told.
#[derive(Debug)]
pub(crate) enum Listening {
    /// It is a member of a group in view, and listens on that group's port:
    /// it is judged as part of the group.
    ThroughGroup,
    /// The configurations whose port is known, and the first reason another
    /// configuration's port is not.
    Ports {
        known: Vec<ListeningPort>,
        unknown: Option<(String, FileId, Span)>,
    },
}

impl DefaultPortRule {
    /// The ports `resource` listens on: a written port, or its engine's
    /// default when it is unset, in every configuration where it exists.
    /// What cannot be told (an unknown port, an unset port whose engine is
    /// unknown, a restored resource, a group not in view) is the reason
    /// in [`Listening::Ports::unknown`].
    pub(crate) fn listening(&self, cx: &RuleContext<'_>, resource: &Resource) -> Listening {
        match membership(cx, resource) {
            Membership::None => {}
            Membership::GroupInView => return Listening::ThroughGroup,
            Membership::GroupNotInView(reason, file, span) => {
                return Listening::Ports {
                    known: Vec::new(),
                    unknown: Some((reason, file, span)),
                };
            }
        }
        let source = cx.source();
        let engines = resource.property(Property::Engine);
        let ports = resource.property(Property::Port);
        let restored = restored_from(source, resource);
        let mut known = Vec::new();
        let mut unknown = None;
        for combination in self.combine(source, resource, &resource.existence, engines, ports) {
            let engine_class = self.classify_engine(source, resource, &combination.engine.value);
            let engine = match &engine_class {
                EngineClass::Known { engine } => Some(engine.name),
                _ => None,
            };
            let port = match classify_port(source, resource.kind, &combination.port.value) {
                PortClass::Port(port) => Ok(port),
                PortClass::Absent => match (&restored, engine_class) {
                    (Some(restored), _) => {
                        Err((restored.reason.clone(), restored.file, restored.span))
                    }
                    (None, EngineClass::Known { engine }) => Ok(engine.port),
                    (None, EngineClass::Free) => Err((
                        text!(
                            "`{}` is not set and the engine cannot be determined, so neither can its default port",
                            resource.kind.port_name(source)
                        ),
                        resource.identity.file,
                        resource.identity.unset_anchor,
                    )),
                    (None, EngineClass::Unjudgeable(reason)) => {
                        Err((reason, resource.identity.file, resource.identity.span))
                    }
                },
                PortClass::Unknown(reason, file, span) => Err((reason, file, span)),
                PortClass::Invalid(reason) => {
                    Err((reason, resource.identity.file, resource.identity.span))
                }
            };
            match port {
                Ok(port) => known.push(ListeningPort {
                    port,
                    engine,
                    scenario: combination.scenario,
                    port_value: combination.port.clone(),
                    existence_trace: combination.existence.trace.clone(),
                }),
                Err(reason) => {
                    unknown.get_or_insert(reason);
                }
            }
        }
        Listening::Ports { known, unknown }
    }
}

/// Where and why a resource whose port is unset takes the port of what it
/// is restored or replicated from, if it is.
struct Restored {
    reason: String,
    file: FileId,
    span: Span,
}

/// The first written value of the properties that make `resource` from a
/// snapshot or another database, as a reason an unset port is not the
/// engine's default.
fn restored_from(source: SourceKind, resource: &Resource) -> Option<Restored> {
    let written = resource.read(Property::RestoredFrom)?;
    let first = written.iter().find(|p| p.value != Value::Absent)?;
    let (file, span) = first
        .trace
        .first()
        .map_or((resource.identity.file, resource.identity.span), |s| {
            (s.file, s.span)
        });
    Some(Restored {
        reason: format!(
            "`{}` is not set and the {} is restored or replicated from a snapshot or another database, whose port it keeps",
            resource.kind.port_name(source),
            resource.kind.short_name(source)
        ),
        file,
        span,
    })
}

/// An unset port of a restored resource is its origin's port, which is
/// not in view: those configurations are undetermined, not defaults.
fn inherit_unset_ports(combinations: &mut [Combination<'_>], restored: &Restored) {
    for combination in combinations {
        let unset = combination.port.value == Value::Absent;
        if unset && matches!(combination.verdict, Verdict::Default { .. }) {
            combination.verdict =
                Verdict::Undetermined(restored.reason.clone(), restored.file, restored.span);
        }
    }
}

/// Whether a resource is a member of a group (a cache cluster in a
/// replication group) and takes its port from it.
enum Membership {
    /// It is not: it is judged on its own.
    None,
    /// It is, and the group is in view and judged on its own.
    GroupInView,
    /// It is, and the group is not in view (or cannot be told): undetermined.
    GroupNotInView(String, FileId, Span),
}

fn membership(cx: &RuleContext<'_>, resource: &Resource) -> Membership {
    let Some(groups) = resource.read(Property::MemberOf) else {
        return Membership::None;
    };
    let Some(group) = groups.iter().find(|p| p.value != Value::Absent) else {
        return Membership::None;
    };
    let (file, span) = group
        .trace
        .first()
        .map_or((resource.identity.file, resource.identity.span), |s| {
            (s.file, s.span)
        });
    let reason = match &group.value {
        Value::String(name) if cx.source().names_groups_by_identity() && cx.in_view(name) => {
            return Membership::GroupInView;
        }
        Value::String(name) => {
            format!("it is a member of `{name}`, which is not in view, and takes that group's port")
        }
        // A reference to a group of its kind declared beside it, judged on its own.
        Value::Unknown(unknown) => match unknown.resource() {
            Some((_, Some(kind))) if resource.kind.group_kind() == Some(kind) => {
                return Membership::GroupInView;
            }
            _ => format!(
                "it takes the port of the group it is a member of, which cannot be determined: {}",
                unknown.reason
            ),
        },
        _ => "it takes the port of the group it is a member of, which cannot be determined".into(),
    };
    Membership::GroupNotInView(reason, file, span)
}

/// What the engine value means for a rule.
enum EngineClass {
    /// An engine of the table (a kind's engine when it is not set included).
    Known { engine: &'static EngineDefault },
    /// Resolved only at deploy time: whichever engine it is, it has a default.
    Free,
    /// Missing where it is required, or not in the table: no default port is defined.
    Unjudgeable(String),
}

/// What the port value means for a rule.
enum PortClass {
    Absent,
    Port(u16),
    Invalid(String),
    Unknown(String, FileId, Span),
}

enum Verdict {
    /// Uses the default port. `engine` is `None` for "whichever engine".
    Default {
        engine: Option<&'static EngineDefault>,
        port: Option<u16>,
    },
    Custom,
    Undetermined(String, FileId, Span),
}

struct Combination<'p> {
    engine: &'p Possibility,
    port: &'p Possibility,
    existence: &'p Truth,
    scenario: Scenario,
    verdict: Verdict,
}

fn classify_port(source: SourceKind, kind: ResourceKind, value: &Value) -> PortClass {
    let property = kind.port_name(source);
    match value {
        Value::Absent => PortClass::Absent,
        Value::Number(text) => match parse_int(text) {
            Some(n) => port_in_range(property, n, text),
            None => PortClass::Invalid(format!(
                "`{property}` is {text}, which is not a whole number"
            )),
        },
        Value::String(text) => match text.parse::<u64>() {
            Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => {
                port_in_range(property, i128::from(n), text)
            }
            _ => PortClass::Invalid(format!(
                "`{property}` is \"{text}\", which is not a whole number"
            )),
        },
        Value::Unknown(unknown) => {
            PortClass::Unknown(unknown.reason.clone(), unknown.file, unknown.span)
        }
        Value::Null => PortClass::Invalid(format!(
            "`{property}` is null, which {} rejects",
            source.name()
        )),
        Value::Bool(_) => PortClass::Invalid(format!("`{property}` is a boolean, not a number")),
        Value::List(_) => PortClass::Invalid(format!("`{property}` is a list, not a number")),
        Value::Object(_) => PortClass::Invalid(format!("`{property}` is a mapping, not a number")),
    }
}

fn port_in_range(property: &str, n: i128, text: &str) -> PortClass {
    match u16::try_from(n) {
        Ok(port) if port > 0 => PortClass::Port(port),
        _ => PortClass::Invalid(format!(
            "`{property}` is {}, which is not a TCP port (1 to 65535)",
            text.trim()
        )),
    }
}

impl DefaultPortRule {
    fn build_finding(
        &self,
        cx: &mut RuleContext<'_>,
        notes: &mut NotesCache,
        resource: &Resource,
        defaults: &[&Combination<'_>],
        combinations: &[Combination<'_>],
    ) -> Finding {
        let source = cx.source();
        let first = defaults[0];
        let Verdict::Default { engine, port } = first.verdict else {
            unreachable!("only default verdicts are passed in");
        };
        let severity = cx.severity();
        let texts = &mut cx.texts;
        let mut labels = LabelSet::default();
        // The engine is a choice, and each choice has its own default port.
        let each_engine = engines_on_their_defaults(defaults);
        let shown_engine = if each_engine.is_empty() { engine } else { None };
        labels.push(primary(
            texts,
            source,
            resource,
            first.port,
            shown_engine,
            port,
        ));
        push_trace_labels(&mut labels, texts, resource, &first.port.trace);
        engine_labels(
            &mut labels,
            texts,
            source,
            resource,
            first.engine,
            &each_engine,
            engine,
        );
        push_trace_labels(&mut labels, texts, resource, &first.existence.trace);
        if let (Some(label), false) = (
            &resource.existence_label,
            first.existence.scenario.is_unconditional(),
        ) {
            labels.push(label.clone());
        }
        // Other configurations that also use a default port, where the cause is elsewhere.
        for other in &defaults[1..] {
            let (file, span) = cause(resource, other.port);
            if labels.has(file, span) {
                continue;
            }
            let message = if other.scenario.is_unconditional() {
                texts.get(format_args!("also the default port"))
            } else {
                texts.get(format_args!("also the default port {}", other.scenario))
            };
            labels.push(Label::secondary(span, message).in_file(file));
        }

        let mut notes = notes.get(
            texts,
            resource.kind.port_name(source),
            defaults,
            combinations,
        );
        for step in &first.port.trace {
            if let Origin::NumberReading { note } = &step.origin {
                notes.push(texts.get(format_args!("{note}")));
            }
        }
        if let Some(instance) = &resource.instance {
            for label in &instance.labels {
                labels.push(label.clone());
            }
            notes.push(Arc::clone(&instance.note));
        }

        Finding {
            rule: self.meta.id,
            severity,
            resource: resource.identity.name.clone(),
            resource_type: resource.identity.type_name.clone(),
            message: match each_engine.as_slice() {
                [] => self.message(source, resource, engine, port),
                engines => message_each_engine(source, resource, engines),
            },
            labels: labels.into_vec(),
            notes,
            help: Cow::Borrowed(self.meta.remediation),
            location: None,
            suppressed: None,
            deployed: resource.identity.deployed.clone(),
        }
    }

    fn message(
        &self,
        source: SourceKind,
        resource: &Resource,
        engine: Option<&EngineDefault>,
        port: Option<u16>,
    ) -> String {
        let subject = subject(resource, source);
        let property = resource.kind.port_name(source);
        match (engine, port) {
            (Some(engine), Some(port)) => text!(
                "{subject} listens on port {port}, the default port of {}",
                engine.name
            ),
            (Some(engine), None) => text!(
                "{subject} does not set `{property}`, so it listens on the {} default port {}",
                engine.name,
                engine.port
            ),
            (None, _) => text!(
                "{subject} does not set `{property}`, so it listens on its engine's default port ({})",
                self.defaults_in_words
            ),
        }
    }
}

/// Labels for the steps of a trace that say where a value came from.
fn push_trace_labels(
    labels: &mut LabelSet,
    texts: &mut Texts,
    resource: &Resource,
    trace: &[Step],
) {
    for step in trace {
        if let Some(label) = secondary_for(texts, step, resource) {
            labels.push(label);
        }
    }
}

/// Notes already worked out, by what they depend on: each configuration's
/// scenario and, where the port is a default one, how. The findings of a
/// large input repeat a few dozen of these thousands of times.
#[derive(Default)]
struct NotesCache(foldhash::HashMap<(&'static str, NotesKey), Vec<Arc<str>>>);

/// Each configuration's scenario, with the engine and port of a
/// [`Verdict::Default`] (`None` for any other verdict). The notes also
/// name the port property, which differs by kind (`Port`, `DBPort`).
type NotesKey = Vec<(Scenario, Option<DefaultUse>)>;

/// The engine and port of a [`Verdict::Default`].
type DefaultUse = (Option<&'static EngineDefault>, Option<u16>);

impl NotesCache {
    fn get(
        &mut self,
        texts: &mut Texts,
        port_name: &'static str,
        defaults: &[&Combination<'_>],
        all: &[Combination<'_>],
    ) -> Vec<Arc<str>> {
        let key: NotesKey = all
            .iter()
            .map(|c| {
                let default_use = match c.verdict {
                    Verdict::Default { engine, port } => Some((engine, port)),
                    _ => None,
                };
                (c.scenario.clone(), default_use)
            })
            .collect();
        self.0
            .entry((port_name, key))
            .or_insert_with(|| scenario_notes(texts, port_name, defaults, all))
            .clone()
    }
}

/// Most configurations listed in a finding's notes; the rest are counted.
const MAX_SCENARIO_NOTES: usize = 4;

/// Notes saying in which configurations the default port is used, when not
/// in all of them. An input is left out when every value it takes gives the
/// default (the choice of engine does not matter when the port is absent,
/// say), so each note names only what decides.
fn scenario_notes(
    texts: &mut Texts,
    port_name: &'static str,
    defaults: &[&Combination<'_>],
    all: &[Combination<'_>],
) -> Vec<Arc<str>> {
    let all_default = defaults.len() == all.len();
    if all_default && defaults.iter().all(|c| c.scenario.is_unconditional()) {
        return Vec::new();
    }
    // Each distinct default scenario once, with the first verdict seen for it.
    let mut scenarios: Vec<(Scenario, &Verdict)> = Vec::new();
    for combination in defaults {
        if !scenarios.iter().any(|(s, _)| *s == combination.scenario) {
            scenarios.push((combination.scenario.clone(), &combination.verdict));
        }
    }
    let mut inputs: Vec<&Assumption> = all
        .iter()
        .flat_map(|c| c.scenario.assumptions().iter().map(|(a, _)| a))
        .collect();
    inputs.sort();
    inputs.dedup();
    for input in inputs {
        let mut values: Vec<&str> = all.iter().filter_map(|c| c.scenario.get(input)).collect();
        values.sort_unstable();
        values.dedup();
        if values.len() >= 2 && every_value_gives_the_default(&scenarios, input, &values) {
            for (scenario, _) in &mut scenarios {
                *scenario = scenario.without(input);
            }
        }
    }
    let mut lines: Vec<Arc<str>> = Vec::new();
    for (scenario, verdict) in &scenarios {
        if scenario.is_unconditional() {
            continue;
        }
        // A scenario reads "when ..." or "in ...": the note starts with it.
        let line = texts.sentence(format_args!(
            "{scenario}: {}",
            DefaultPortUse(verdict, port_name)
        ));
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    if lines.len() > MAX_SCENARIO_NOTES {
        let more = lines.len() - MAX_SCENARIO_NOTES;
        lines.truncate(MAX_SCENARIO_NOTES);
        lines.push(texts.get(format_args!("and in {more} more configurations")));
    }
    if !all_default {
        lines.push(texts.get(format_args!(
            "in the other configurations the port is not the engine's default"
        )));
    }
    lines
}

/// Whether, for every default scenario, swapping `input` for each of its
/// `values` still gives a default scenario on the same port: then `input`
/// does not decide. An engine chosen by a parameter decides which default
/// port is used, so each engine keeps its own note.
fn every_value_gives_the_default(
    scenarios: &[(Scenario, &Verdict)],
    input: &Assumption,
    values: &[&str],
) -> bool {
    scenarios.iter().all(|(scenario, verdict)| {
        values.iter().all(|value| {
            scenarios.iter().any(|(other, other_verdict)| {
                other.get(input) == Some(*value)
                    && other.same_except(scenario, input)
                    && effective_port(other_verdict) == effective_port(verdict)
            })
        })
    })
}

/// The port a default verdict listens on, when the engine is known.
fn effective_port(verdict: &Verdict) -> Option<u16> {
    match verdict {
        Verdict::Default { engine, port } => port.or(engine.map(|e| e.port)),
        _ => None,
    }
}

/// The known engines of default verdicts that leave the port unset, when
/// they listen on more than one default port: each engine a deployer may
/// choose uses its own.
fn engines_on_their_defaults(defaults: &[&Combination<'_>]) -> Vec<&'static EngineDefault> {
    let mut engines: Vec<&'static EngineDefault> = Vec::new();
    for combination in defaults {
        if let Verdict::Default {
            engine: Some(engine),
            port: None,
        } = combination.verdict
            && !engines.contains(&engine)
        {
            engines.push(engine);
        }
    }
    let mut ports: Vec<u16> = engines.iter().map(|e| e.port).collect();
    ports.sort_unstable();
    ports.dedup();
    if ports.len() > 1 { engines } else { Vec::new() }
}

/// How a message names a resource: its kind and name ("ReplicationGroup
/// `Sessions`"), or only its name when the name already says the kind, as a
/// Terraform address does (`module.cache.TYPE.sessions`).
pub(crate) fn subject(resource: &Resource, source: SourceKind) -> String {
    let kind = resource.kind.short_name(source);
    let id = &resource.identity.name;
    if address_names_kind(id, kind) {
        text!("`{id}`")
    } else {
        text!("{kind} `{id}`")
    }
}

/// Whether `id` is an address with `kind` as one of its dotted parts
/// (`module.cache[0].TYPE.this["a"]`).
fn address_names_kind(id: &str, kind: &str) -> bool {
    id.match_indices(kind).any(|(at, _)| {
        let before = id[..at].chars().next_back();
        let after = id[at + kind.len()..].chars().next();
        matches!(before, None | Some('.')) && after == Some('.')
    })
}

/// `word` with its indefinite article: "a DBCluster", "an EngineCluster".
fn with_article(word: &str) -> String {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    text!("{} {word}", if vowel { "an" } else { "a" })
}

/// The message when the engine is a choice and the port is unset: each
/// engine listens on its own default, "redis on 6379 and memcached on 11211".
fn message_each_engine(
    source: SourceKind,
    resource: &Resource,
    engines: &[&EngineDefault],
) -> String {
    let subject = subject(resource, source);
    let property = resource.kind.port_name(source);
    let mut each = String::new();
    for (i, engine) in engines.iter().enumerate() {
        if i > 0 {
            each.push_str(if i + 1 == engines.len() {
                " and "
            } else {
                ", "
            });
        }
        each.push_str(&text!("{} on {}", engine.name, engine.port));
    }
    text!(
        "{subject} does not set `{property}`, so whichever engine is chosen listens on its own default port: {each}"
    )
}

/// How a verdict uses the default port: "redis on its default port 6379".
struct DefaultPortUse<'a>(&'a Verdict, &'static str);

impl std::fmt::Display for DefaultPortUse<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let property = self.1;
        match self.0 {
            Verdict::Default {
                engine: Some(engine),
                port: Some(port),
            } => write!(f, "{} on its default port {port}", engine.name),
            Verdict::Default {
                engine: Some(engine),
                port: None,
            } => write!(
                f,
                "{} with no `{property}`, so on {}",
                engine.name, engine.port
            ),
            _ => write!(f, "no `{property}`, so the engine's default port"),
        }
    }
}

/// The label on the node that causes the finding: the deepest node of the
/// port's trace inside the resource, or, when the port is not written, the
/// resource's anchor for unset properties.
fn primary(
    texts: &mut Texts,
    source: SourceKind,
    resource: &Resource,
    port: &Possibility,
    engine: Option<&EngineDefault>,
    port_value: Option<u16>,
) -> Label {
    let (file, span) = cause(resource, port);
    let property = resource.kind.port_name(source);
    let message = match (written_step(resource, port), port_value, engine) {
        (Some(_), Some(value), Some(e)) => {
            texts.get(format_args!("{value} is the default port of {}", e.name))
        }
        (Some(_), Some(value), None) => texts.get(format_args!("{value} is the default port")),
        (Some(_), None, _) => texts.get(format_args!(
            "`{property}` is removed here ({})",
            source.removal()
        )),
        (None, _, Some(e)) => texts.get(format_args!(
            "no `{property}` here, so the default port {} is used",
            e.port
        )),
        (None, _, None) => texts.get(format_args!(
            "no `{property}` here, so the engine's default port is used"
        )),
    };
    Label::primary(span, message).in_file(file)
}

/// The deepest step of a value's trace inside the resource, if the value
/// is written there.
fn written_step<'p>(resource: &Resource, value: &'p Possibility) -> Option<&'p Step> {
    value
        .trace
        .iter()
        .rev()
        .find(|step| resource.contains(step.file, step.span))
}

/// Where the port of `port` is decided: where it is written, else the
/// resource's anchor for unset properties.
fn cause(resource: &Resource, port: &Possibility) -> (FileId, Span) {
    match written_step(resource, port) {
        Some(step) => (step.file, step.span),
        None => (resource.identity.file, resource.identity.unset_anchor),
    }
}

/// A label for a step outside the resource (or naming an instance): where
/// a value came from, in the front-end's words.
fn secondary_for(_texts: &mut Texts, step: &Step, resource: &Resource) -> Option<Label> {
    let description = step.origin.description()?;
    let labelled_inside = matches!(step.origin, Origin::Instance { .. });
    if !labelled_inside && resource.contains(step.file, step.span) {
        return None;
    }
    Some(Label::secondary(step.span, Arc::clone(description)).in_file(step.file))
}

/// Labels for where the engine is written and where its value came from.
fn engine_labels(
    labels: &mut LabelSet,
    texts: &mut Texts,
    source: SourceKind,
    resource: &Resource,
    engine: &Possibility,
    each_engine: &[&EngineDefault],
    known: Option<&EngineDefault>,
) {
    match written_step(resource, engine) {
        Some(step) => {
            let message = match (each_engine, known) {
                ([first, rest @ ..], _) => {
                    let mut names = first.name.to_string();
                    for (i, e) in rest.iter().enumerate() {
                        names.push_str(if i + 1 == rest.len() { " or " } else { ", " });
                        names.push_str(e.name);
                    }
                    texts.get(format_args!("the engine is {names}"))
                }
                ([], Some(e)) => texts.get(format_args!("the engine is {}", e.name)),
                ([], None) => texts.get(format_args!("the engine cannot be determined")),
            };
            labels.push(Label::secondary(step.span, message).in_file(step.file));
        }
        None if known.is_some() && engine.value == Value::Absent => {
            let property = resource.kind.property_name(Property::Engine, source);
            if let (Some(span), Some(e), Some(property)) =
                (resource.identity.type_span, known, property)
            {
                labels.push(
                    Label::secondary(
                        span,
                        texts.get(format_args!(
                            "{} without `{}` runs {}",
                            with_article(resource.kind.short_name(source)),
                            property,
                            e.name
                        )),
                    )
                    .in_file(resource.identity.file),
                );
            }
        }
        None => {}
    }
    push_trace_labels(labels, texts, resource, &engine.trace);
}

/// Labels without two on the same span (the first wins).
#[derive(Default)]
struct LabelSet(Vec<Label>);

impl LabelSet {
    fn has(&self, file: FileId, span: Span) -> bool {
        self.0.iter().any(|l| l.file == file && l.span == span)
    }

    fn push(&mut self, label: Label) {
        if !self.has(label.file, label.span) {
            self.0.push(label);
        }
    }

    fn into_vec(self) -> Vec<Label> {
        self.0
    }
}
