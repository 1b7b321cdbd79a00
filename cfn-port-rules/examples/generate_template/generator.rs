//! Deterministic CloudFormation templates for benchmarks: parameters with
//! `Default` and `AllowedValues`, a region map, `Conditions`, and any number
//! of ElastiCache resources whose `Engine` and `Port` mix literals, `Ref`s to
//! parameters, `Fn::If` (some with `AWS::NoValue`) and `Fn::FindInMap`, with
//! filler resources in between.
//!
//! Shared by `examples/generate_template` (the command `scripts/bench.sh`
//! runs) and `benches/throughput.rs`, so both measure the same inputs.

use std::fmt::Write as _;

/// Output syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Block YAML with short-form tags (`!Ref`, `!If`, ...).
    Yaml,
    /// Indented JSON with long-form functions (`{"Fn::If": [...]}`).
    Json,
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// ElastiCache resources (CacheCluster and ReplicationGroup).
    pub resources: usize,
    /// Output syntax.
    pub format: Format,
    /// Conditions in the `Conditions` section (at least 1).
    pub conditions: usize,
    /// How many of the resources take their `Port` from a `Fn::If`, spread
    /// evenly. With many conditions these nest, two or three deep.
    pub ifs: usize,
    /// One filler resource (security group, subnet group, parameter group,
    /// log group) after every this many ElastiCache resources; 0 for none.
    pub filler_every: usize,
}

impl Options {
    /// The realistic mix: 20% of ports behind `Fn::If`, 4 conditions, a
    /// filler resource after every 20 caches (10,000 caches make about
    /// 1.7 MB of YAML).
    #[must_use]
    pub fn realistic(resources: usize, format: Format) -> Self {
        Self {
            resources,
            format,
            conditions: 4,
            ifs: resources / 5,
            filler_every: 20,
        }
    }

    /// The evaluator's stress case: 60 conditions built on one another and
    /// a nested `Fn::If` on every port.
    #[must_use]
    pub fn stress(format: Format) -> Self {
        Self {
            resources: 300,
            format,
            conditions: 60,
            ifs: 300,
            filler_every: 0,
        }
    }
}

/// A value to render as YAML or JSON.
enum V {
    /// A string, quoted in JSON and plain in YAML where that is safe.
    S(String),
    /// A number (unquoted in both).
    N(u32),
    /// A mapping, in order.
    M(Vec<(String, V)>),
    /// A sequence.
    L(Vec<V>),
    /// An intrinsic function: long name (`Fn::If`) and argument.
    F(&'static str, Box<V>),
}

fn s(text: impl Into<String>) -> V {
    V::S(text.into())
}

fn m(entries: Vec<(&str, V)>) -> V {
    V::M(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn f(name: &'static str, argument: V) -> V {
    V::F(name, Box::new(argument))
}

fn r#ref(name: &str) -> V {
    f("Ref", s(name))
}

fn no_value() -> V {
    r#ref("AWS::NoValue")
}

const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
];

const ENVIRONMENTS: &[&str] = &["dev", "staging", "prod"];

/// Parameters that conditions compare: `Env` plus `Feature1..` for the rest.
fn condition_parameters(conditions: usize) -> usize {
    conditions.div_ceil(3).clamp(1, 20)
}

/// Generates a template.
#[must_use]
pub fn generate(options: &Options) -> String {
    let conditions = options.conditions.max(1);
    let mut sections: Vec<(String, V)> = vec![
        ("AWSTemplateFormatVersion".into(), s("2010-09-09")),
        (
            "Description".into(),
            s(format!(
                "Generated benchmark template: {} ElastiCache resources",
                options.resources
            )),
        ),
        ("Parameters".into(), parameters(conditions)),
        ("Mappings".into(), mappings()),
        ("Conditions".into(), condition_section(conditions)),
        ("Resources".into(), resources(options, conditions)),
    ];
    sections.push((
        "Outputs".into(),
        m(vec![("FirstCache", m(vec![("Value", r#ref("Cache0"))]))]),
    ));
    let root = V::M(sections);
    let mut out = String::with_capacity(options.resources * 200 + 4096);
    match options.format {
        Format::Yaml => yaml_mapping(&mut out, &root, 0),
        Format::Json => {
            json(&mut out, &root, 0);
            out.push('\n');
        }
    }
    out
}

fn parameters(conditions: usize) -> V {
    let mut out = vec![
        (
            "Env".to_owned(),
            m(vec![
                ("Type", s("String")),
                ("Default", s("dev")),
                (
                    "AllowedValues",
                    V::L(ENVIRONMENTS.iter().map(|e| s(*e)).collect()),
                ),
            ]),
        ),
        (
            "CachePort".to_owned(),
            m(vec![
                ("Type", s("Number")),
                ("Default", V::N(6379)),
                (
                    "AllowedValues",
                    V::L(vec![V::N(6379), V::N(6380), V::N(7000)]),
                ),
            ]),
        ),
        (
            "CacheEngine".to_owned(),
            m(vec![
                ("Type", s("String")),
                ("Default", s("redis")),
                ("AllowedValues", V::L(vec![s("redis"), s("valkey")])),
            ]),
        ),
        (
            "NodeType".to_owned(),
            m(vec![
                ("Type", s("String")),
                ("Default", s("cache.t4g.micro")),
            ]),
        ),
        (
            "VpcId".to_owned(),
            m(vec![("Type", s("AWS::EC2::VPC::Id"))]),
        ),
    ];
    for i in 1..condition_parameters(conditions) {
        out.push((
            format!("Feature{i}"),
            m(vec![
                ("Type", s("String")),
                ("Default", s("off")),
                ("AllowedValues", V::L(vec![s("on"), s("off")])),
            ]),
        ));
    }
    V::M(out)
}

fn mappings() -> V {
    let regions = REGIONS
        .iter()
        .enumerate()
        .map(|(i, region)| {
            let port = if i.is_multiple_of(3) {
                6379
            } else {
                6380 + i as u32
            };
            (
                (*region).to_owned(),
                m(vec![
                    ("Port", V::N(port)),
                    ("NodeType", s("cache.m7g.large")),
                ]),
            )
        })
        .collect();
    m(vec![("RegionMap", V::M(regions))])
}

fn condition_name(i: usize) -> String {
    format!("Cond{i}")
}

/// The first conditions compare a parameter with a constant; later ones
/// combine earlier ones with `Fn::And`, `Fn::Or` and `Fn::Not`.
fn condition_section(conditions: usize) -> V {
    let parameters = condition_parameters(conditions);
    let mut out = Vec::with_capacity(conditions);
    for i in 0..conditions {
        let expression = if i < parameters {
            let (parameter, value) = if i == 0 {
                ("Env".to_owned(), "prod")
            } else {
                (format!("Feature{i}"), "on")
            };
            f("Fn::Equals", V::L(vec![r#ref(&parameter), s(value)]))
        } else if i < 2 * parameters {
            f(
                "Fn::Equals",
                V::L(vec![r#ref("Env"), s(ENVIRONMENTS[i % ENVIRONMENTS.len()])]),
            )
        } else {
            let a = f("Condition", s(condition_name(i % parameters)));
            let b = f("Condition", s(condition_name(spread(i) % i)));
            match i % 3 {
                0 => f("Fn::And", V::L(vec![a, b])),
                1 => f("Fn::Or", V::L(vec![a, b])),
                _ => f("Fn::Not", V::L(vec![b])),
            }
        };
        out.push((condition_name(i), expression));
    }
    V::M(out)
}

/// A deterministic scatter of `i`, for picking earlier conditions.
fn spread(i: usize) -> usize {
    (i.wrapping_mul(2_654_435_761) >> 8) ^ (i * 7)
}

fn resources(options: &Options, conditions: usize) -> V {
    let mut out = Vec::with_capacity(options.resources + options.resources / 4 + 1);
    for i in 0..options.resources {
        out.push(cache(i, options, conditions));
        if options.filler_every > 0 && (i + 1).is_multiple_of(options.filler_every) {
            out.push(filler(i / options.filler_every));
        }
    }
    V::M(out)
}

/// Whether resource `i` of `n` is one of the `ifs` spread evenly over them.
fn takes_if(i: usize, n: usize, ifs: usize) -> bool {
    ifs > 0 && ((i + 1) * ifs) / n != (i * ifs) / n
}

fn cache(i: usize, options: &Options, conditions: usize) -> (String, V) {
    let replication_group = i % 2 == 1;
    let memcached = !replication_group && i % 10 == 4;
    let engine = match (memcached, i % 8) {
        (true, _) => Some(s("memcached")),
        (false, 0 | 5) => Some(r#ref("CacheEngine")),
        (false, 3) => Some(s("valkey")),
        (false, 7) if replication_group => None,
        _ => Some(s("redis")),
    };
    let default_port = if memcached { 11211 } else { 6379 };
    let port = if takes_if(i, options.resources, options.ifs) {
        Some(if_port(i, conditions, default_port))
    } else {
        match i % 6 {
            0 => Some(V::N(default_port)),
            1 => Some(V::N(default_port + 1)),
            2 => Some(r#ref("CachePort")),
            3 => Some(f(
                "Fn::FindInMap",
                V::L(vec![s("RegionMap"), r#ref("AWS::Region"), s("Port")]),
            )),
            4 => Some(s(format!("{}", default_port + 2))),
            _ => None,
        }
    };
    let mut properties: Vec<(&str, V)> = Vec::with_capacity(6);
    let ty = if replication_group {
        properties.push(("ReplicationGroupDescription", s(format!("cache {i}"))));
        "AWS::ElastiCache::ReplicationGroup"
    } else {
        if memcached {
            properties.push(("NumCacheNodes", V::N(2)));
        }
        "AWS::ElastiCache::CacheCluster"
    };
    if let Some(engine) = engine {
        properties.push(("Engine", engine));
    }
    match i % 6 {
        2 => properties.push((
            "CacheNodeType",
            f(
                "Fn::FindInMap",
                V::L(vec![s("RegionMap"), r#ref("AWS::Region"), s("NodeType")]),
            ),
        )),
        5 => properties.push(("CacheNodeType", r#ref("NodeType"))),
        _ => {}
    }
    if let Some(port) = port {
        properties.push(("Port", port));
    }
    let mut resource = vec![("Type", s(ty))];
    if i.is_multiple_of(7) {
        resource.push(("Condition", s(condition_name((i / 7) % conditions))));
    }
    resource.push(("Properties", m(properties)));
    (format!("Cache{i}"), m(resource))
}

/// `Fn::If` on a port: one level with few conditions (a third of them with
/// `AWS::NoValue`), nested two or three levels when there are many.
fn if_port(i: usize, conditions: usize, default_port: u32) -> V {
    let condition = |k: usize| s(condition_name(k % conditions));
    let inner = if conditions > 8 {
        let innermost = f(
            "Fn::If",
            V::L(vec![
                condition(i * 13 + 5),
                V::N(default_port),
                r#ref("CachePort"),
            ]),
        );
        f(
            "Fn::If",
            V::L(vec![
                condition(i * 7 + 3),
                V::N(default_port + 1),
                innermost,
            ]),
        )
    } else {
        V::N(default_port + 1)
    };
    let otherwise = if i.is_multiple_of(3) {
        no_value()
    } else {
        V::N(default_port)
    };
    f("Fn::If", V::L(vec![condition(i), inner, otherwise]))
}

fn filler(k: usize) -> (String, V) {
    match k % 4 {
        0 => (
            format!("CacheSecurityGroup{k}"),
            m(vec![
                ("Type", s("AWS::EC2::SecurityGroup")),
                (
                    "Properties",
                    m(vec![
                        ("GroupDescription", s(format!("cache clients {k}"))),
                        ("VpcId", r#ref("VpcId")),
                    ]),
                ),
            ]),
        ),
        1 => (
            format!("CacheSubnetGroup{k}"),
            m(vec![
                ("Type", s("AWS::ElastiCache::SubnetGroup")),
                (
                    "Properties",
                    m(vec![
                        ("Description", s(format!("subnets {k}"))),
                        (
                            "SubnetIds",
                            V::L(vec![s("subnet-0a1b2c3d"), s("subnet-4e5f6a7b")]),
                        ),
                    ]),
                ),
            ]),
        ),
        2 => (
            format!("CacheParameters{k}"),
            m(vec![
                ("Type", s("AWS::ElastiCache::ParameterGroup")),
                (
                    "Properties",
                    m(vec![
                        ("CacheParameterGroupFamily", s("redis7")),
                        ("Description", s(format!("parameters {k}"))),
                    ]),
                ),
            ]),
        ),
        _ => (
            format!("CacheLogs{k}"),
            m(vec![
                ("Type", s("AWS::Logs::LogGroup")),
                (
                    "Properties",
                    m(vec![
                        (
                            "LogGroupName",
                            f("Fn::Sub", s(format!("/cache/${{AWS::StackName}}/{k}"))),
                        ),
                        ("RetentionInDays", V::N(14)),
                    ]),
                ),
            ]),
        ),
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Whether a string can be written as a YAML plain scalar and still read
/// back as the same string.
fn yaml_plain_ok(text: &str) -> bool {
    let first = text.as_bytes().first().copied();
    !text.is_empty()
        && !matches!(
            first,
            Some(b'!' | b'&' | b'*' | b'-' | b'?' | b'{' | b'[' | b'\'' | b'"' | b'/' | b'$')
        )
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains(['{', '}', '[', ']', ','])
        && !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && !matches!(
            text,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        )
}

fn yaml_scalar(out: &mut String, text: &str) {
    if yaml_plain_ok(text) {
        out.push_str(text);
    } else {
        out.push('\'');
        out.push_str(&text.replace('\'', "''"));
        out.push('\'');
    }
}

/// Short-form tag for a long function name.
fn short(name: &str) -> &str {
    name.strip_prefix("Fn::").unwrap_or(name)
}

/// A value inline: scalars, flow sequences, short-form functions.
fn yaml_inline(out: &mut String, value: &V) {
    match value {
        V::S(text) => yaml_scalar(out, text),
        V::N(n) => {
            let _ = write!(out, "{n}");
        }
        V::L(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                yaml_inline(out, item);
            }
            out.push(']');
        }
        V::F(name, argument) => {
            out.push('!');
            out.push_str(short(name));
            out.push(' ');
            yaml_inline(out, argument);
        }
        V::M(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push_str(": ");
                yaml_inline(out, value);
            }
            out.push('}');
        }
    }
}

fn yaml_mapping(out: &mut String, value: &V, level: usize) {
    let V::M(entries) = value else {
        return;
    };
    for (key, value) in entries {
        indent(out, level);
        yaml_scalar(out, key);
        out.push(':');
        match value {
            V::M(children) if !children.is_empty() => {
                out.push('\n');
                yaml_mapping(out, value, level + 1);
            }
            V::L(items) if items.iter().any(|item| matches!(item, V::M(_))) => {
                out.push('\n');
                for item in items {
                    indent(out, level + 1);
                    out.push_str("- ");
                    yaml_inline(out, item);
                    out.push('\n');
                }
            }
            _ => {
                out.push(' ');
                yaml_inline(out, value);
                out.push('\n');
            }
        }
    }
}

fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether a value is short enough to write on one line.
fn json_leaf(value: &V) -> bool {
    match value {
        V::S(_) | V::N(_) => true,
        V::L(items) => items
            .iter()
            .all(|item| matches!(item, V::S(_) | V::N(_) | V::F(..)) && json_leaf(item)),
        V::F(_, argument) => json_leaf(argument),
        V::M(_) => false,
    }
}

fn json_inline(out: &mut String, value: &V) {
    match value {
        V::S(text) => json_string(out, text),
        V::N(n) => {
            let _ = write!(out, "{n}");
        }
        V::L(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json_inline(out, item);
            }
            out.push(']');
        }
        V::F(name, argument) => {
            out.push_str("{ ");
            json_string(out, name);
            out.push_str(": ");
            json_inline(out, argument);
            out.push_str(" }");
        }
        V::M(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json_string(out, key);
                out.push_str(": ");
                json_inline(out, value);
            }
            out.push('}');
        }
    }
}

fn json(out: &mut String, value: &V, level: usize) {
    if json_leaf(value) {
        json_inline(out, value);
        return;
    }
    match value {
        V::M(entries) => {
            out.push_str("{\n");
            for (i, (key, value)) in entries.iter().enumerate() {
                indent(out, level + 1);
                json_string(out, key);
                out.push_str(": ");
                json(out, value, level + 1);
                if i + 1 < entries.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push('}');
        }
        V::L(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, level + 1);
                json(out, item, level + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push(']');
        }
        V::F(name, argument) => {
            out.push_str("{\n");
            indent(out, level + 1);
            json_string(out, name);
            out.push_str(": ");
            json(out, argument, level + 1);
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
        V::S(_) | V::N(_) => json_inline(out, value),
    }
}
