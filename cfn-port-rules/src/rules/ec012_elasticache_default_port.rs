//! EC-012: an ElastiCache cluster must not listen on its engine's default port.

use std::borrow::Cow;
use std::sync::Arc;

use super::{Finding, RiskLevel, Rule, RuleContext, RuleMeta, Texts};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label, Severity};
use crate::eval::{Assumption, Origin, Possibility, Scenario, Step, Truth, Value, parse_yaml_int};
use crate::source::Span;
use crate::syntax::NodeKind;
use crate::template::{Resource, node_kind_name};

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

const CACHE_CLUSTER: &str = "AWS::ElastiCache::CacheCluster";
const REPLICATION_GROUP: &str = "AWS::ElastiCache::ReplicationGroup";

/// Checks that `AWS::ElastiCache::CacheCluster` and `ReplicationGroup`
/// resources do not use their engine's default port; `META` holds its
/// metadata and documentation.
#[derive(Debug)]
pub struct ElastiCacheDefaultPort;

/// The rule's metadata and documentation.
pub static META: RuleMeta = RuleMeta {
    id: "EC-012",
    name: "elasticache-default-port",
    title: "ElastiCache Cluster Default Port",
    summary: "An ElastiCache cluster must not listen on its engine's default port (6379 for redis and valkey, 11211 for memcached).",
    default_severity: Severity::Warning,
    risk_level: RiskLevel::Low,
    compliance: &["PCI", "APRA", "NIST4"],
    well_architected: &["Security"],
    resource_types: &[CACHE_CLUSTER, REPLICATION_GROUP],
    documentation: DOCUMENTATION,
    remediation: "choose a non-default port, for example 3560 for redis or valkey and 13611 for memcached, and set it as `Port`. \
                  Changing `Port` replaces the cluster: CloudFormation creates a new cluster and deletes the old one with its data, \
                  so create the new cluster on the custom port, move clients and data to it, then remove the old one.",
    help_uri: "https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/ElastiCache/default-port.html",
};

const DOCUMENTATION: &str = r#"
### What it does
Flags `AWS::ElastiCache::CacheCluster` and `AWS::ElastiCache::ReplicationGroup`
resources that listen on their engine's default port: 6379 for redis and
valkey, 11211 for memcached. A resource without `Port` uses the default port.

The rule evaluates `Engine` and `Port` statically: literals, `Ref` to
parameters (given values, then `AllowedValues`, then `Default`) and to pseudo
parameters such as `AWS::Region` and `AWS::AccountId`, `Fn::FindInMap` (region
keys and `DefaultValue` included), `Fn::If` per condition (on a property or on
the whole `Properties`), `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split` and
`Fn::ForEach` loops. Conditions are computed from the values of the inputs
they compare, so a resource that exists only in `us-east-1` is never judged by
a branch taken only in `eu-west-1`. It reports a finding when any
configuration in which the resource exists uses the default port, and says
which configuration when it is not all of them. A `ReplicationGroup` without
`Engine` is redis. When `Port` is not set and the engine cannot be resolved,
the resource is still flagged: every engine then uses its own default port;
when a parameter chooses the engine, the notes name each engine's default.

Numbers are read as CloudFormation documents them: YAML 1.1, so `014353` is
the octal 6379 and `0b1100011101011` and `6_379` are 6379 (a note says how
YAML 1.2 would read them), and a whole number written as a float (`6379.0`)
is that integer, as the resource schema's JSON Schema `integer` type accepts.

When the port cannot be known before deployment (a parameter without a
default, `Fn::ImportValue`, an SSM parameter, a dynamic reference) or the
engine is not one of redis, valkey and memcached, there is no finding; the
resource is listed as undetermined, with the reason.

### Why is this bad?
Default ports are the first ones scanners and worms try. Running a cache on a
custom port adds a layer of obscurity that filters out untargeted attacks and
makes unexpected connection attempts stand out. It is one layer only: security
groups that admit only the application, private subnets, in-transit
encryption and AUTH tokens matter more.

### Example
```yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.micro
```

### Use instead
```yaml
Cache:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.micro
    Port: 3560
```

### Fix safety
Changing `Port` requires replacement: CloudFormation creates a new cluster and
deletes the old one, and the data in it. Create the new cluster on a custom
port, move clients and data over, then delete the old cluster.

### References
- [Trend Micro Conformity EC-012: ElastiCache Cluster Default Port](https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/ElastiCache/default-port.html)
- [AWS::ElastiCache::CacheCluster `Port`](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-cache-cluster.html#cfn-elasticache-cachecluster-port)
- [AWS::ElastiCache::ReplicationGroup `Port`](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-replicationgroup.html#cfn-elasticache-replicationgroup-port)
"#;

impl Rule for ElastiCacheDefaultPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_, '_>) {
        let mut notes = NotesCache::default();
        for resource in cx.resources() {
            let is_replication_group = match resource.type_name() {
                CACHE_CLUSTER => false,
                REPLICATION_GROUP => true,
                _ => continue,
            };
            check_resource(cx, &mut notes, resource, is_replication_group);
        }
    }
}

/// A cache engine with a known default port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Engine {
    Redis,
    Valkey,
    Memcached,
}

impl Engine {
    fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        [Engine::Redis, Engine::Valkey, Engine::Memcached]
            .into_iter()
            .find(|engine| engine.name().eq_ignore_ascii_case(name))
    }

    fn default_port(self) -> u16 {
        match self {
            Engine::Redis | Engine::Valkey => 6379,
            Engine::Memcached => 11211,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Engine::Redis => "redis",
            Engine::Valkey => "valkey",
            Engine::Memcached => "memcached",
        }
    }
}

/// What the `Engine` value means for this rule.
enum EngineClass {
    /// A known engine (a ReplicationGroup without `Engine` is redis).
    Known { engine: Engine },
    /// Resolved only at deploy time: whichever engine it is, it has a default.
    Free,
    /// Missing on a CacheCluster, or not an engine name: no default port is defined.
    Unjudgeable(String),
}

/// What the `Port` value means for this rule.
enum PortClass {
    Absent,
    Port(u16),
    Invalid(String),
    Unknown(String, Span),
}

enum Verdict {
    /// Uses the default port. `engine` is `None` for "whichever engine".
    Default {
        engine: Option<Engine>,
        port: Option<u16>,
    },
    Custom,
    Undetermined(String, Span),
}

struct Combination<'p> {
    engine: &'p Possibility,
    port: &'p Possibility,
    existence: &'p Truth,
    scenario: Scenario,
    verdict: Verdict,
}

fn check_resource(
    cx: &mut RuleContext<'_, '_, '_>,
    notes: &mut NotesCache,
    resource: &Resource,
    is_replication_group: bool,
) {
    if let Some(reason) = unreadable_properties(cx, resource) {
        let span = resource.properties.map_or(resource.id_span, |(key, _)| key);
        cx.undetermined(META.id, resource, reason, span);
        return;
    }
    let evaluator = cx.evaluator;
    let existence = evaluator.existence(resource);
    if existence.is_empty() {
        let (name, span) = resource.condition.clone().unwrap_or_default();
        let reason = if cx.template.condition(&name).is_none() {
            format!("the resource's condition `{name}` is not defined in `Conditions`")
        } else {
            format!(
                "the resource's condition `{name}` does not hold for any parameter values considered; give parameter values to check other configurations"
            )
        };
        cx.undetermined(META.id, resource, reason, span);
        return;
    }
    let engines = evaluator.property(resource, "Engine");
    let ports = evaluator.property(resource, "Port");
    let combinations = combine(&existence, &engines, &ports, resource, is_replication_group);

    let defaults: Vec<&Combination<'_>> = combinations
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Default { .. }))
        .collect();
    if !defaults.is_empty() {
        let finding = build_finding(cx, notes, resource, &defaults, &combinations);
        cx.report(finding);
        return;
    }
    if let Some(Combination {
        verdict: Verdict::Undetermined(reason, span),
        ..
    }) = combinations
        .iter()
        .find(|c| matches!(c.verdict, Verdict::Undetermined(..)))
    {
        cx.undetermined(META.id, resource, reason.clone(), *span);
    }
}

/// Why `Properties` cannot be read as a mapping, if it cannot.
fn unreadable_properties(cx: &mut RuleContext<'_, '_, '_>, resource: &Resource) -> Option<String> {
    let doc = cx.template.document();
    if doc.mapping(resource.node).is_none() {
        return Some(format!(
            "the resource is {}, not a mapping",
            node_kind_name(doc, resource.node)
        ));
    }
    let (key_span, properties) = resource.properties?;
    // `Fn::If` over whole property maps is evaluated per scenario.
    if let Some((_, name)) = doc.intrinsic(properties) {
        return (name != "Fn::If").then(|| {
            format!("`Properties` is computed by `{name}`, which is not evaluated as a whole")
        });
    }
    if matches!(doc.kind(properties), NodeKind::Mapping(_)) {
        return None;
    }
    let found = node_kind_name(doc, properties);
    cx.problem(
        Diagnostic::new(
            DiagnosticKind::TemplateProblem,
            format!(
                "`Properties` of `{}` must be a mapping, not {found}",
                resource.logical_id
            ),
            Label::primary(doc.span(properties), format!("{found} here")),
        )
        .with_secondary(key_span, "declared here"),
    );
    Some(format!("`Properties` is {found}, not a mapping"))
}

fn combine<'p>(
    existence: &'p [Truth],
    engines: &'p [Possibility],
    ports: &'p [Possibility],
    resource: &Resource,
    is_replication_group: bool,
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
                let verdict = judge(
                    classify_engine(&engine.value, is_replication_group),
                    classify_port(&port.value),
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

fn judge(engine: EngineClass, port: PortClass, resource: &Resource) -> Verdict {
    const DEFAULT_PORTS: [u16; 2] = [6379, 11211];
    match (engine, port) {
        (_, PortClass::Unknown(reason, span)) => Verdict::Undetermined(reason, span),
        (_, PortClass::Invalid(reason)) => Verdict::Undetermined(reason, resource.id_span),
        (EngineClass::Known { engine }, PortClass::Absent) => Verdict::Default {
            engine: Some(engine),
            port: None,
        },
        (EngineClass::Free, PortClass::Absent) => Verdict::Default {
            engine: None,
            port: None,
        },
        (EngineClass::Known { engine }, PortClass::Port(port)) if port == engine.default_port() => {
            Verdict::Default {
                engine: Some(engine),
                port: Some(port),
            }
        }
        (EngineClass::Known { .. }, PortClass::Port(_)) => Verdict::Custom,
        (EngineClass::Free | EngineClass::Unjudgeable(_), PortClass::Port(port))
            if !DEFAULT_PORTS.contains(&port) =>
        {
            Verdict::Custom
        }
        (EngineClass::Free, PortClass::Port(port)) => Verdict::Undetermined(
            format!(
                "port {port} is a default port of some engines, and the engine cannot be determined"
            ),
            resource.id_span,
        ),
        (EngineClass::Unjudgeable(reason), PortClass::Absent | PortClass::Port(_)) => {
            Verdict::Undetermined(reason, resource.id_span)
        }
    }
}

fn classify_engine(value: &Value, is_replication_group: bool) -> EngineClass {
    match value {
        Value::Absent if is_replication_group => EngineClass::Known { engine: Engine::Redis },
        Value::Absent => EngineClass::Unjudgeable("the CacheCluster has no `Engine` (a required property), so it has no defined default port".into()),
        Value::String(name) => match Engine::parse(name) {
            Some(engine) => EngineClass::Known { engine },
            None => EngineClass::Unjudgeable(format!("`Engine` is `{name}`, which is not redis, valkey or memcached")),
        },
        Value::Unknown(_) => EngineClass::Free,
        _ => EngineClass::Unjudgeable("`Engine` is not a string".into()),
    }
}

fn classify_port(value: &Value) -> PortClass {
    match value {
        Value::Absent => PortClass::Absent,
        Value::Number(text) => match parse_yaml_int(text) {
            Some(n) => port_in_range(n, text),
            None => PortClass::Invalid(format!("`Port` is {text}, which is not a whole number")),
        },
        Value::String(text) => match text.parse::<u64>() {
            Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => port_in_range(i128::from(n), text),
            _ => PortClass::Invalid(format!("`Port` is \"{text}\", which is not a whole number")),
        },
        Value::Unknown(unknown) => PortClass::Unknown(unknown.reason.clone(), unknown.span),
        Value::Null => PortClass::Invalid("`Port` is null, which CloudFormation rejects".into()),
        Value::Bool(_) => PortClass::Invalid("`Port` is a boolean, not a number".into()),
        Value::List(_) => PortClass::Invalid("`Port` is a list, not a number".into()),
        Value::Object(_) => PortClass::Invalid("`Port` is a mapping, not a number".into()),
    }
}

fn port_in_range(n: i128, text: &str) -> PortClass {
    match u16::try_from(n) {
        Ok(port) if port > 0 => PortClass::Port(port),
        _ => PortClass::Invalid(format!(
            "`Port` is {}, which is not a TCP port (1 to 65535)",
            text.trim()
        )),
    }
}

fn build_finding(
    cx: &mut RuleContext<'_, '_, '_>,
    notes: &mut NotesCache,
    resource: &Resource,
    defaults: &[&Combination<'_>],
    combinations: &[Combination<'_>],
) -> Finding {
    let doc = cx.template.document();
    let resource_span = doc.span(resource.node).cover(resource.id_span);
    let first = defaults[0];
    let Verdict::Default { engine, port } = first.verdict else {
        unreachable!("only default verdicts are passed in");
    };

    let texts = &mut cx.texts;
    let mut labels = LabelSet::default();
    // The engine is a choice, and each choice has its own default port.
    let each_engine = engines_on_their_defaults(defaults);
    let shown_engine = if each_engine.is_empty() { engine } else { None };
    labels.push(primary(
        texts,
        resource,
        first.port,
        resource_span,
        shown_engine,
        port,
    ));
    for step in &first.port.trace {
        if let Some(label) = secondary_for(texts, step, resource_span) {
            labels.push(label);
        }
    }
    engine_labels(
        &mut labels,
        texts,
        resource,
        first.engine,
        &each_engine,
        engine,
        resource_span,
    );
    for step in &first.existence.trace {
        if let Some(label) = secondary_for(texts, step, resource_span) {
            labels.push(label);
        }
    }
    if let (Some((name, span)), false) = (
        &resource.condition,
        first.existence.scenario.is_unconditional(),
    ) {
        labels.push(Label::secondary(
            *span,
            texts.get(format_args!("the resource exists only when `{name}` holds")),
        ));
    }
    // Other configurations that also use a default port, where the cause is elsewhere.
    for other in &defaults[1..] {
        let span = cause_span(resource, other.port, resource_span);
        if labels.has(span) {
            continue;
        }
        let message = if other.scenario.is_unconditional() {
            texts.get(format_args!("also the default port"))
        } else {
            texts.get(format_args!("also the default port {}", other.scenario))
        };
        labels.push(Label::secondary(span, message));
    }

    let mut notes = notes.get(texts, defaults, combinations);
    for step in &first.port.trace {
        if let Origin::NumberReading { note } = &step.origin {
            notes.push(texts.get(format_args!("{note}")));
        }
    }
    loop_provenance(texts, resource, &mut labels, &mut notes);

    Finding {
        rule: META.id,
        severity: cx.severity(),
        resource: resource.logical_id.clone(),
        // The rule only runs on these two types: name them without a copy.
        resource_type: match resource.type_name() {
            REPLICATION_GROUP => Cow::Borrowed(REPLICATION_GROUP),
            CACHE_CLUSTER => Cow::Borrowed(CACHE_CLUSTER),
            other => Cow::Owned(other.to_string()),
        },
        message: match each_engine.as_slice() {
            [] => message(resource, engine, port),
            engines => message_each_engine(resource, engines),
        },
        labels: labels.into_vec(),
        notes,
        help: Cow::Borrowed(META.remediation),
        location: None,
        suppressed: None,
    }
}

/// For a resource made by `Fn::ForEach`, which loop values made it: the
/// resources of one loop body share their code frames, so each finding
/// names its own iteration in a note and labels the value in the collection.
fn loop_provenance(
    texts: &mut Texts,
    resource: &Resource,
    labels: &mut LabelSet,
    notes: &mut Vec<Arc<str>>,
) {
    if resource.bindings.is_empty() {
        return;
    }
    let mut values = String::new();
    for (i, binding) in resource.bindings.iter().enumerate() {
        if i > 0 {
            values.push_str(" and ");
        }
        values.push_str(&text!("`{}` = {}", binding.identifier, binding.value));
        if !labels.has(binding.span) {
            labels.push(Label::secondary(
                binding.span,
                texts.get(format_args!(
                    "`{}` is made with `{}` = {}",
                    resource.logical_id, binding.identifier, binding.value
                )),
            ));
        }
    }
    notes.push(texts.get(format_args!(
        "`{}` is made by `Fn::ForEach` with {values}",
        resource.logical_id
    )));
}

/// Notes already worked out, by what they depend on: each configuration's
/// scenario and, where the port is a default one, how. The findings of a
/// large template repeat a few dozen of these thousands of times.
#[derive(Default)]
struct NotesCache(foldhash::HashMap<NotesKey, Vec<Arc<str>>>);

/// Each configuration's scenario, with the engine and port of a
/// [`Verdict::Default`] (`None` for any other verdict).
type NotesKey = Vec<(Scenario, Option<DefaultUse>)>;

/// The engine and port of a [`Verdict::Default`].
type DefaultUse = (Option<Engine>, Option<u16>);

impl NotesCache {
    fn get(
        &mut self,
        texts: &mut Texts,
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
            .entry(key)
            .or_insert_with(|| scenario_notes(texts, defaults, all))
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
        let line = texts.sentence(format_args!("{scenario}: {}", DefaultPortUse(verdict)));
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
        Verdict::Default { engine, port } => port.or(engine.map(Engine::default_port)),
        _ => None,
    }
}

/// The known engines of default verdicts that leave `Port` unset, when they
/// listen on more than one default port: each engine a parameter allows
/// uses its own.
fn engines_on_their_defaults(defaults: &[&Combination<'_>]) -> Vec<Engine> {
    let mut engines: Vec<Engine> = Vec::new();
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
    let mut ports: Vec<u16> = engines.iter().map(|e| e.default_port()).collect();
    ports.sort_unstable();
    ports.dedup();
    if ports.len() > 1 { engines } else { Vec::new() }
}

/// The short name of the resource's type.
fn kind_name(resource: &Resource) -> &str {
    match resource.type_name() {
        CACHE_CLUSTER => "CacheCluster",
        REPLICATION_GROUP => "ReplicationGroup",
        other => other.rsplit("::").next().unwrap_or("resource"),
    }
}

/// The message when the engine is a choice and `Port` is unset: each engine
/// listens on its own default, "redis on 6379 and memcached on 11211".
fn message_each_engine(resource: &Resource, engines: &[Engine]) -> String {
    let kind = kind_name(resource);
    let id = &resource.logical_id;
    let mut each = String::new();
    for (i, engine) in engines.iter().enumerate() {
        if i > 0 {
            each.push_str(if i + 1 == engines.len() {
                " and "
            } else {
                ", "
            });
        }
        each.push_str(&text!("{} on {}", engine.name(), engine.default_port()));
    }
    text!(
        "{kind} `{id}` does not set `Port`, so whichever engine is chosen listens on its own default port: {each}"
    )
}

fn message(resource: &Resource, engine: Option<Engine>, port: Option<u16>) -> String {
    let kind = kind_name(resource);
    let id = &resource.logical_id;
    match (engine, port) {
        (Some(engine), Some(port)) => text!(
            "{kind} `{id}` listens on port {port}, the default port of {}",
            engine.name()
        ),
        (Some(engine), None) => text!(
            "{kind} `{id}` does not set `Port`, so it listens on the {} default port {}",
            engine.name(),
            engine.default_port()
        ),
        (None, _) => text!(
            "{kind} `{id}` does not set `Port`, so it listens on its engine's default port (6379 for redis and valkey, 11211 for memcached)"
        ),
    }
}

/// How a verdict uses the default port: "redis on its default port 6379".
struct DefaultPortUse<'a>(&'a Verdict);

impl std::fmt::Display for DefaultPortUse<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Verdict::Default {
                engine: Some(engine),
                port: Some(port),
            } => write!(f, "{} on its default port {port}", engine.name()),
            Verdict::Default {
                engine: Some(engine),
                port: None,
            } => write!(
                f,
                "{} with no `Port`, so on {}",
                engine.name(),
                engine.default_port()
            ),
            _ => f.write_str("no `Port`, so the engine's default port"),
        }
    }
}

/// The label on the node that causes the finding: the deepest node of the
/// port's trace inside the resource, or, when `Port` is not written, the
/// `Properties` key (or the `Type`, or the logical id).
fn primary(
    texts: &mut Texts,
    resource: &Resource,
    port: &Possibility,
    resource_span: Span,
    engine: Option<Engine>,
    port_value: Option<u16>,
) -> Label {
    let span = cause_span(resource, port, resource_span);
    let message = match (written_port_step(port, resource_span), port_value, engine) {
        (Some(_), Some(value), Some(e)) => {
            texts.get(format_args!("{value} is the default port of {}", e.name()))
        }
        (Some(_), Some(value), None) => texts.get(format_args!("{value} is the default port")),
        (Some(_), None, _) => texts.get(format_args!("`Port` is removed here (`AWS::NoValue`)")),
        (None, _, Some(e)) => texts.get(format_args!(
            "no `Port` here, so the default port {} is used",
            e.default_port()
        )),
        (None, _, None) => texts.get(format_args!(
            "no `Port` here, so the engine's default port is used"
        )),
    };
    Label::primary(span, message)
}

/// The deepest node of the port's trace inside the resource, if `Port` is written.
fn written_port_step(port: &Possibility, resource_span: Span) -> Option<&Step> {
    port.trace
        .iter()
        .rev()
        .find(|step| resource_span.contains(step.span))
}

fn cause_span(resource: &Resource, port: &Possibility, resource_span: Span) -> Span {
    match written_port_step(port, resource_span) {
        Some(step) => step.span,
        None => resource
            .properties
            .map(|(key, _)| key)
            .or(resource.ty.as_ref().map(|(_, span)| *span))
            .unwrap_or(resource.id_span),
    }
}

/// A label for a step outside the resource: where a value came from.
fn secondary_for(texts: &mut Texts, step: &Step, resource_span: Span) -> Option<Label> {
    let inside = resource_span.contains(step.span);
    match step.origin {
        // How a number was read is a note, not a label.
        Origin::Written | Origin::NumberReading { .. } => return None,
        Origin::LoopValue { .. } => {}
        _ if inside => return None,
        _ => {}
    }
    let shown = Shown(step.value.as_deref());
    let message = match &step.origin {
        Origin::Written | Origin::NumberReading { .. } => return None,
        Origin::IfBranch { condition, holds } => texts.get(format_args!(
            "chosen when `{condition}` {}",
            if *holds { "holds" } else { "does not hold" }
        )),
        Origin::ParameterDefault { parameter } => {
            texts.get(format_args!("parameter `{parameter}` defaults to{shown}"))
        }
        Origin::AllowedValue { parameter } => {
            texts.get(format_args!("parameter `{parameter}` allows{shown}"))
        }
        Origin::GivenValue { parameter } => {
            texts.get(format_args!("parameter `{parameter}` is given as{shown}"))
        }
        Origin::ComparedValue { parameter } if parameter.starts_with("AWS::") => texts.get(
            format_args!("a condition compares `{parameter}` with{shown}"),
        ),
        Origin::ComparedValue { parameter } => texts.get(format_args!(
            "a condition compares parameter `{parameter}` with{shown}"
        )),
        Origin::OtherValue { parameter } => texts.get(format_args!(
            "parameter `{parameter}` may take another value"
        )),
        Origin::MappingEntry {
            mapping,
            top_key,
            second_key,
        } => texts.get(format_args!(
            "`{mapping}` maps `{top_key}`.`{second_key}` to{shown}"
        )),
        Origin::MappingDefault => texts.get(format_args!("`Fn::FindInMap` falls back to{shown}")),
        Origin::LoopValue { identifier } => texts.get(format_args!("loop value of `{identifier}`")),
    };
    Some(Label::secondary(step.span, message))
}

/// A step's value after a label's words (` 6379`), or nothing.
struct Shown<'a>(Option<&'a str>);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(value) => write!(f, " {value}"),
            None => Ok(()),
        }
    }
}

/// Labels for where the engine is written and where its value came from.
fn engine_labels(
    labels: &mut LabelSet,
    texts: &mut Texts,
    resource: &Resource,
    engine: &Possibility,
    each_engine: &[Engine],
    known: Option<Engine>,
    resource_span: Span,
) {
    match engine
        .trace
        .iter()
        .rev()
        .find(|step| resource_span.contains(step.span))
    {
        Some(step) => {
            let message = match (each_engine, known) {
                ([first, rest @ ..], _) => {
                    let mut names = first.name().to_string();
                    for (i, e) in rest.iter().enumerate() {
                        names.push_str(if i + 1 == rest.len() { " or " } else { ", " });
                        names.push_str(e.name());
                    }
                    texts.get(format_args!("the engine is {names}"))
                }
                ([], Some(e)) => texts.get(format_args!("the engine is {}", e.name())),
                ([], None) => texts.get(format_args!("the engine cannot be determined")),
            };
            labels.push(Label::secondary(step.span, message));
        }
        None if known.is_some() && engine.value == Value::Absent => {
            if let Some((_, span)) = &resource.ty {
                labels.push(Label::secondary(
                    *span,
                    texts.get(format_args!(
                        "a ReplicationGroup without `Engine` runs redis"
                    )),
                ));
            }
        }
        None => {}
    }
    for step in &engine.trace {
        if let Some(label) = secondary_for(texts, step, resource_span) {
            labels.push(label);
        }
    }
}

/// Labels without two on the same span (the first wins).
#[derive(Default)]
struct LabelSet(Vec<Label>);

impl LabelSet {
    fn has(&self, span: Span) -> bool {
        self.0.iter().any(|l| l.span == span)
    }

    fn push(&mut self, label: Label) {
        if !self.0.iter().any(|l| l.span == label.span) {
            self.0.push(label);
        }
    }

    fn into_vec(self) -> Vec<Label> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::{LintOptions, Report, Severity, SourceFile, lint};

    fn run(name: &str, text: &str, options: &LintOptions) -> Report {
        lint(&SourceFile::new(name, text), options)
    }

    fn findings(name: &str, text: &str) -> Vec<String> {
        run(name, text, &LintOptions::default())
            .findings
            .iter()
            .map(|f| f.resource.clone())
            .collect()
    }

    const PARAMETER_PORT_YAML: &str = "Parameters:\n  CachePort:\n    Type: Number\n    Default: 7000\nResources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: c\n      Port: !Ref CachePort\n";
    const PARAMETER_PORT_JSON: &str = r#"{"Parameters": {"CachePort": {"Type": "Number", "Default": "7000"}},
      "Resources": {"Cache": {"Type": "AWS::ElastiCache::ReplicationGroup",
        "Properties": {"ReplicationGroupDescription": "c", "Port": {"Ref": "CachePort"}}}}}"#;

    #[test]
    fn a_given_parameter_value_decides_in_yaml_and_json() {
        for (name, text) in [
            ("t.yaml", PARAMETER_PORT_YAML),
            ("t.json", PARAMETER_PORT_JSON),
        ] {
            assert!(
                findings(name, text).is_empty(),
                "{name}: default 7000 is custom"
            );
            let options = LintOptions {
                parameters: BTreeMap::from([("CachePort".to_string(), "6379".to_string())]),
                ..LintOptions::default()
            };
            let report = run(name, text, &options);
            assert_eq!(report.findings.len(), 1, "{name}");
            let labels: Vec<_> = report.findings[0]
                .labels
                .iter()
                .map(|l| &*l.message)
                .collect();
            assert!(
                labels.contains(&"parameter `CachePort` is given as 6379"),
                "{name}: {labels:?}"
            );
        }
    }

    #[test]
    fn help_says_how_to_fix_and_that_the_cluster_is_replaced() {
        let report = run(
            "t.yaml",
            "Resources:\n  C:\n    Type: AWS::ElastiCache::ReplicationGroup\n",
            &LintOptions::default(),
        );
        let help = &report.findings[0].help;
        assert!(help.contains("3560") && help.contains("13611"), "{help}");
        assert!(help.contains("replaces the cluster"), "{help}");
    }

    #[test]
    fn metadata_describes_the_conformity_rule() {
        let meta = &super::META;
        assert_eq!(
            (meta.id, meta.title),
            ("EC-012", "ElastiCache Cluster Default Port")
        );
        assert_eq!(meta.risk_level, super::RiskLevel::Low);
        assert_eq!(meta.compliance, ["PCI", "APRA", "NIST4"]);
        assert_eq!(meta.well_architected, ["Security"]);
        for section in [
            "### What it does",
            "### Why is this bad?",
            "### Example",
            "### Use instead",
            "### Fix safety",
            "### References",
        ] {
            assert!(meta.documentation.contains(section), "missing {section}");
        }
    }

    #[test]
    fn configured_severity_is_used() {
        let mut options = LintOptions::default();
        options.severities.insert("EC-012".into(), Severity::Error);
        let report = run(
            "t.yaml",
            "Resources:\n  C:\n    Type: AWS::ElastiCache::ReplicationGroup\n",
            &options,
        );
        assert_eq!(report.findings[0].severity, Severity::Error);
    }

    #[test]
    fn a_disabled_rule_does_not_run() {
        let mut options = LintOptions::default();
        options
            .disabled_rules
            .insert("elasticache-default-port".into());
        let report = run(
            "t.yaml",
            "Resources:\n  C:\n    Type: AWS::ElastiCache::ReplicationGroup\n",
            &options,
        );
        assert!(report.findings.is_empty());
    }

    #[test]
    fn engine_default_ports_pass_and_fail() {
        let cases = [
            ("redis", "6379", true),
            ("valkey", "6379", true),
            ("memcached", "11211", true),
            ("memcached", "6379", false),
            ("redis", "11211", false),
            ("REDIS", "\"6379\"", true),
            ("redis", "6380", false),
        ];
        for (engine, port, flagged) in cases {
            let yaml = format!(
                "Resources:\n  C:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: {engine}\n      Port: {port}\n"
            );
            assert_eq!(
                !findings("t.yaml", &yaml).is_empty(),
                flagged,
                "{engine} on {port}"
            );
        }
    }

    #[test]
    fn port_absent_in_one_if_branch_is_a_finding_on_that_branch() {
        let yaml = "Conditions:\n  C: !Equals [!Ref AWS::AccountId, '1']\nResources:\n  R:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !If [C, 3560, !Ref AWS::NoValue]\n";
        let report = run("t.yaml", yaml, &LintOptions::default());
        let finding = &report.findings[0];
        let primary = finding.labels[0].span;
        assert_eq!(&yaml[primary.range()], "!Ref AWS::NoValue");
        assert_eq!(
            &*finding.notes[0],
            "When AWS::AccountId is not 1: redis with no `Port`, so on 6379"
        );
    }

    /// Notes are worked out once per shape of configurations and reused:
    /// resources with the same inputs but other verdicts get their own.
    #[test]
    fn notes_are_reused_only_for_the_same_configurations() {
        let yaml = "Conditions:\n  C: !Equals [!Ref AWS::AccountId, '1']\nResources:\n  A:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !If [C, 6379, 3560]\n  B:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !If [C, 3560, 6379]\n  C2:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Port: !If [C, 6379, 3560]\n  D:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: memcached\n      Port: !If [C, 11211, 3560]\n";
        let report = run("t.yaml", yaml, &LintOptions::default());
        let notes = |id: &str| -> Vec<String> {
            let finding = report
                .findings
                .iter()
                .find(|f| f.resource == id)
                .expect("a finding");
            finding.notes.iter().map(ToString::to_string).collect()
        };
        let other = "in the other configurations the port is not the engine's default";
        assert_eq!(
            notes("A"),
            [
                "When AWS::AccountId = 1: redis on its default port 6379",
                other
            ]
        );
        assert_eq!(
            notes("B"),
            [
                "When AWS::AccountId is not 1: redis on its default port 6379",
                other
            ]
        );
        assert_eq!(notes("C2"), notes("A"));
        assert_eq!(
            notes("D"),
            [
                "When AWS::AccountId = 1: memcached on its default port 11211",
                other
            ]
        );
    }
}
