//! A CloudFormation template model for structure-aware fuzzing.
//!
//! Names come from small pools so that `Ref`, `Fn::If`, `Fn::FindInMap` and
//! `Condition` usually hit something (and sometimes do not). Expressions are
//! cut off at a fixed depth when rendered, so every rendering stays far below
//! the parser's nesting limit and is a valid YAML or JSON document.

use std::fmt::Write as _;

use arbitrary::Arbitrary;

/// How deep expressions nest before they are rendered as a literal.
const MAX_EXPR_DEPTH: usize = 6;
/// Most items rendered from any list in the model.
const MAX_ITEMS: usize = 6;

/// A whole template.
#[derive(Arbitrary, Debug, Clone)]
pub struct Template {
    pub parameters: Vec<Parameter>,
    pub mappings: Vec<Mapping>,
    pub conditions: Vec<(Name, Condition)>,
    pub resources: Vec<Resource>,
    pub loops: Vec<ForEach>,
    pub language_extensions: bool,
}

/// One of a few names, so references usually resolve.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    A,
    B,
    C,
    D,
}

impl Name {
    fn suffix(self) -> &'static str {
        match self {
            Name::A => "A",
            Name::B => "B",
            Name::C => "C",
            Name::D => "D",
        }
    }
    fn parameter(self) -> String {
        format!("Param{}", self.suffix())
    }
    fn condition(self) -> String {
        format!("Cond{}", self.suffix())
    }
    fn mapping(self) -> String {
        format!("Map{}", self.suffix())
    }
    fn resource(self) -> String {
        format!("Res{}", self.suffix())
    }
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Parameter {
    pub name: Name,
    pub ty: ParameterType,
    pub default: Option<Literal>,
    pub allowed_values: Vec<Literal>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum ParameterType {
    String,
    Number,
    CommaDelimitedList,
    SsmParameter,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Mapping {
    pub name: Name,
    /// Top-level keys: fixed words and regions.
    pub entries: Vec<(Key, Vec<(Key, Literal)>)>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Key {
    Word(Name),
    UsEast1,
    EuWest1,
    Engine,
    Port,
    Redis,
    Memcached,
}

impl Key {
    fn text(self) -> String {
        match self {
            Key::Word(name) => format!("Key{}", name.suffix()),
            Key::UsEast1 => "us-east-1".into(),
            Key::EuWest1 => "eu-west-1".into(),
            Key::Engine => "Engine".into(),
            Key::Port => "Port".into(),
            Key::Redis => "redis".into(),
            Key::Memcached => "memcached".into(),
        }
    }
}

/// A scalar value.
#[derive(Arbitrary, Debug, Clone)]
pub enum Literal {
    DefaultRedisPort,
    DefaultMemcachedPort,
    Port(u16),
    Int(i64),
    HexPort,
    Float,
    QuotedPort(u16),
    PaddedPort,
    Engine(EngineName),
    Text(String),
    Bool(bool),
    Null,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum EngineName {
    Redis,
    RedisUpper,
    Valkey,
    Memcached,
    Other,
}

/// A value expression.
#[derive(Arbitrary, Debug, Clone)]
pub enum Expr {
    Literal(Literal),
    RefParameter(Name),
    RefResource(Name),
    RefPseudo(Pseudo),
    RefLoop,
    If(Name, Box<Expr>, Box<Expr>),
    FindInMap(Name, Box<Expr>, Box<Expr>, Option<Box<Expr>>),
    Sub(Vec<SubPart>),
    Join(Delimiter, Vec<Expr>),
    Select(u8, Vec<Expr>),
    SelectSplit(u8, Delimiter, Box<Expr>),
    List(Vec<Expr>),
    GetAtt(Name),
    ImportValue(String),
    Base64(Box<Expr>),
    Object(Vec<(Key, Expr)>),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Pseudo {
    Region,
    NoValue,
    AccountId,
    StackName,
}

#[derive(Arbitrary, Debug, Clone)]
pub enum SubPart {
    Text(String),
    Parameter(Name),
    Region,
    Escaped,
    Loop,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Delimiter {
    Empty,
    Comma,
    Dash,
}

impl Delimiter {
    fn text(self) -> &'static str {
        match self {
            Delimiter::Empty => "",
            Delimiter::Comma => ",",
            Delimiter::Dash => "-",
        }
    }
}

/// A condition expression.
#[derive(Arbitrary, Debug, Clone)]
pub enum Condition {
    Equals(Expr, Expr),
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Other(Name),
    Literal(bool),
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Resource {
    pub id: Name,
    pub ty: ResourceType,
    pub condition: Option<Name>,
    pub properties: Properties,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum ResourceType {
    CacheCluster,
    ReplicationGroup,
    Bucket,
    ServerlessCache,
}

impl ResourceType {
    fn text(self) -> &'static str {
        match self {
            ResourceType::CacheCluster => "AWS::ElastiCache::CacheCluster",
            ResourceType::ReplicationGroup => "AWS::ElastiCache::ReplicationGroup",
            ResourceType::Bucket => "AWS::S3::Bucket",
            ResourceType::ServerlessCache => "AWS::ElastiCache::ServerlessCache",
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
pub enum Properties {
    Absent,
    Map {
        engine: Option<Expr>,
        port: Option<Expr>,
        extra: Vec<(Key, Expr)>,
    },
    Computed(Expr),
    Null,
    List,
}

/// `Fn::ForEach::Loop: [Id, Collection, {Cache${Id}: resource}]`.
#[derive(Arbitrary, Debug, Clone)]
pub struct ForEach {
    pub collection: Collection,
    pub resource: Resource,
    pub alphanumeric_key: bool,
}

#[derive(Arbitrary, Debug, Clone)]
pub enum Collection {
    Literal(Vec<Literal>),
    RefParameter(Name),
    Missing,
    NotAList(Literal),
}

/// The data-model tree every rendering goes through: a mapping of string
/// keys, a list, a scalar, or an intrinsic function (rendered long or short).
#[derive(Debug, Clone)]
pub enum Tree {
    Map(Vec<(String, Tree)>),
    List(Vec<Tree>),
    /// A string, always quoted.
    Str(String),
    /// A plain scalar written as is (numbers, booleans, null).
    Plain(String),
    /// `{Fn::X: arg}`; `short` is the YAML tag (`Ref`, `If`, ...).
    Function {
        long: &'static str,
        short: &'static str,
        arg: Box<Tree>,
    },
}

/// How to render a model.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    YamlLong,
    YamlShort,
}

impl Template {
    /// The template as a tree.
    #[must_use]
    pub fn tree(&self) -> Tree {
        let mut sections = Vec::new();
        sections.push((
            "AWSTemplateFormatVersion".into(),
            Tree::Str("2010-09-09".into()),
        ));
        if self.language_extensions || !self.loops.is_empty() {
            sections.push((
                "Transform".into(),
                Tree::Str("AWS::LanguageExtensions".into()),
            ));
        }
        let parameters = unique(
            self.parameters
                .iter()
                .map(|p| (p.name.parameter(), p.tree())),
        );
        if !parameters.is_empty() {
            sections.push(("Parameters".into(), Tree::Map(parameters)));
        }
        let mappings = unique(self.mappings.iter().map(|m| (m.name.mapping(), m.tree())));
        if !mappings.is_empty() {
            sections.push(("Mappings".into(), Tree::Map(mappings)));
        }
        let conditions = unique(
            self.conditions
                .iter()
                .map(|(name, condition)| (name.condition(), condition.tree(0))),
        );
        if !conditions.is_empty() {
            sections.push(("Conditions".into(), Tree::Map(conditions)));
        }
        let mut resources = unique(
            self.resources
                .iter()
                .map(|r| (r.id.resource(), r.tree(false))),
        );
        for (i, each) in self.loops.iter().take(2).enumerate() {
            resources.push((format!("Fn::ForEach::Loop{i}"), each.tree()));
        }
        sections.push(("Resources".into(), Tree::Map(resources)));
        Tree::Map(sections)
    }

    /// The template rendered in `syntax`, with the file name to give it.
    #[must_use]
    pub fn render(&self, syntax: Syntax) -> (String, &'static str) {
        let tree = self.tree();
        match syntax {
            Syntax::Json => (render_json(&tree), "fuzz.json"),
            Syntax::YamlLong => (render_yaml(&tree, false), "fuzz.yaml"),
            Syntax::YamlShort => (render_yaml(&tree, true), "fuzz.yaml"),
        }
    }
}

/// Keeps the first of each key: duplicate keys are tested elsewhere, and
/// here they would make every rendering an error.
fn unique(entries: impl Iterator<Item = (String, Tree)>) -> Vec<(String, Tree)> {
    let mut out: Vec<(String, Tree)> = Vec::new();
    for (key, tree) in entries.take(MAX_ITEMS) {
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, tree));
        }
    }
    out
}

fn function(long: &'static str, short: &'static str, arg: Tree) -> Tree {
    Tree::Function {
        long,
        short,
        arg: Box::new(arg),
    }
}

impl Parameter {
    fn tree(&self) -> Tree {
        let ty = match self.ty {
            ParameterType::String => "String",
            ParameterType::Number => "Number",
            ParameterType::CommaDelimitedList => "CommaDelimitedList",
            ParameterType::SsmParameter => "AWS::SSM::Parameter::Value<String>",
        };
        let mut entries = vec![("Type".to_string(), Tree::Str(ty.into()))];
        if let Some(default) = &self.default {
            entries.push(("Default".into(), default.tree()));
        }
        if !self.allowed_values.is_empty() {
            let items = self
                .allowed_values
                .iter()
                .take(MAX_ITEMS)
                .map(Literal::tree)
                .collect();
            entries.push(("AllowedValues".into(), Tree::List(items)));
        }
        Tree::Map(entries)
    }
}

impl Mapping {
    fn tree(&self) -> Tree {
        let top = unique(self.entries.iter().map(|(key, values)| {
            let inner = unique(values.iter().map(|(k, v)| (k.text(), v.tree())));
            (key.text(), Tree::Map(inner))
        }));
        Tree::Map(top)
    }
}

impl Literal {
    fn tree(&self) -> Tree {
        match self {
            Literal::DefaultRedisPort => Tree::Plain("6379".into()),
            Literal::DefaultMemcachedPort => Tree::Plain("11211".into()),
            Literal::Port(port) => Tree::Plain(port.to_string()),
            Literal::Int(n) => Tree::Plain(n.to_string()),
            Literal::HexPort => Tree::Plain("0x18EB".into()),
            Literal::Float => Tree::Plain("6379.0".into()),
            Literal::QuotedPort(port) => Tree::Str(port.to_string()),
            Literal::PaddedPort => Tree::Str("  6379 ".into()),
            Literal::Engine(engine) => Tree::Str(
                match engine {
                    EngineName::Redis => "redis",
                    EngineName::RedisUpper => "Redis",
                    EngineName::Valkey => "valkey",
                    EngineName::Memcached => "memcached",
                    EngineName::Other => "postgres",
                }
                .into(),
            ),
            Literal::Text(text) => Tree::Str(text.chars().take(24).collect()),
            Literal::Bool(b) => Tree::Plain(b.to_string()),
            Literal::Null => Tree::Plain("null".into()),
        }
    }
}

impl Expr {
    fn tree(&self, depth: usize) -> Tree {
        if depth >= MAX_EXPR_DEPTH {
            return Tree::Plain("6379".into());
        }
        let d = depth + 1;
        let list =
            |items: &[Expr]| Tree::List(items.iter().take(MAX_ITEMS).map(|e| e.tree(d)).collect());
        match self {
            Expr::Literal(literal) => literal.tree(),
            Expr::RefParameter(name) => function("Ref", "Ref", Tree::Str(name.parameter())),
            Expr::RefResource(name) => function("Ref", "Ref", Tree::Str(name.resource())),
            Expr::RefPseudo(pseudo) => {
                let name = match pseudo {
                    Pseudo::Region => "AWS::Region",
                    Pseudo::NoValue => "AWS::NoValue",
                    Pseudo::AccountId => "AWS::AccountId",
                    Pseudo::StackName => "AWS::StackName",
                };
                function("Ref", "Ref", Tree::Str(name.into()))
            }
            Expr::RefLoop => function("Ref", "Ref", Tree::Str("Item".into())),
            Expr::If(condition, yes, no) => function(
                "Fn::If",
                "If",
                Tree::List(vec![
                    Tree::Str(condition.condition()),
                    yes.tree(d),
                    no.tree(d),
                ]),
            ),
            Expr::FindInMap(map, top, second, default) => {
                let mut args = vec![Tree::Str(map.mapping()), top.tree(d), second.tree(d)];
                if let Some(default) = default {
                    args.push(Tree::Map(vec![("DefaultValue".into(), default.tree(d))]));
                }
                function("Fn::FindInMap", "FindInMap", Tree::List(args))
            }
            Expr::Sub(parts) => {
                let mut text = String::new();
                for part in parts.iter().take(MAX_ITEMS) {
                    match part {
                        SubPart::Text(t) => text.extend(t.chars().take(12)),
                        SubPart::Parameter(name) => {
                            let _ = write!(text, "${{{}}}", name.parameter());
                        }
                        SubPart::Region => text.push_str("${AWS::Region}"),
                        SubPart::Escaped => text.push_str("${!Literal}"),
                        SubPart::Loop => text.push_str("${Item}"),
                    }
                }
                function("Fn::Sub", "Sub", Tree::Str(text))
            }
            Expr::Join(delimiter, items) => function(
                "Fn::Join",
                "Join",
                Tree::List(vec![Tree::Str(delimiter.text().into()), list(items)]),
            ),
            Expr::Select(index, items) => function(
                "Fn::Select",
                "Select",
                Tree::List(vec![Tree::Plain(index.to_string()), list(items)]),
            ),
            Expr::SelectSplit(index, delimiter, text) => {
                let delimiter = match delimiter {
                    Delimiter::Empty => ",",
                    other => other.text(),
                };
                let split = function(
                    "Fn::Split",
                    "Split",
                    Tree::List(vec![Tree::Str(delimiter.into()), text.tree(d)]),
                );
                function(
                    "Fn::Select",
                    "Select",
                    Tree::List(vec![Tree::Str(index.to_string()), split]),
                )
            }
            Expr::List(items) => list(items),
            Expr::GetAtt(name) => function(
                "Fn::GetAtt",
                "GetAtt",
                Tree::List(vec![Tree::Str(name.resource()), Tree::Str("Port".into())]),
            ),
            Expr::ImportValue(name) => function(
                "Fn::ImportValue",
                "ImportValue",
                Tree::Str(name.chars().take(12).collect()),
            ),
            Expr::Base64(inner) => function("Fn::Base64", "Base64", inner.tree(d)),
            Expr::Object(entries) => Tree::Map(unique(
                entries
                    .iter()
                    // Keys that look like intrinsics would change the meaning.
                    .map(|(key, value)| (format!("Obj{}", key.text()), value.tree(d))),
            )),
        }
    }
}

impl Condition {
    fn tree(&self, depth: usize) -> Tree {
        if depth >= MAX_EXPR_DEPTH {
            return Tree::Plain("true".into());
        }
        let d = depth + 1;
        let list = |items: &[Condition]| {
            let mut items: Vec<Tree> = items.iter().take(MAX_ITEMS).map(|c| c.tree(d)).collect();
            while items.len() < 2 {
                items.push(function(
                    "Fn::Equals",
                    "Equals",
                    Tree::List(vec![Tree::Str("a".into()), Tree::Str("a".into())]),
                ));
            }
            Tree::List(items)
        };
        match self {
            Condition::Equals(left, right) => function(
                "Fn::Equals",
                "Equals",
                Tree::List(vec![left.tree(d), right.tree(d)]),
            ),
            Condition::Not(inner) => function("Fn::Not", "Not", Tree::List(vec![inner.tree(d)])),
            Condition::And(items) => function("Fn::And", "And", list(items)),
            Condition::Or(items) => function("Fn::Or", "Or", list(items)),
            Condition::Other(name) => {
                function("Condition", "Condition", Tree::Str(name.condition()))
            }
            Condition::Literal(b) => Tree::Plain(b.to_string()),
        }
    }
}

impl Resource {
    fn tree(&self, in_loop: bool) -> Tree {
        let mut entries = vec![("Type".to_string(), Tree::Str(self.ty.text().into()))];
        if let Some(condition) = self.condition {
            entries.push(("Condition".into(), Tree::Str(condition.condition())));
        }
        let properties = match &self.properties {
            Properties::Absent => None,
            Properties::Map {
                engine,
                port,
                extra,
            } => {
                let mut props = Vec::new();
                if let Some(engine) = engine {
                    props.push(("Engine".to_string(), engine.tree(0)));
                }
                if let Some(port) = port {
                    props.push(("Port".to_string(), port.tree(0)));
                }
                for (key, value) in extra.iter().take(3) {
                    let key = format!("Extra{}", key.text());
                    if !props.iter().any(|(k, _)| *k == key) {
                        props.push((key, value.tree(0)));
                    }
                }
                if in_loop {
                    props.push((
                        "CacheNodeType".into(),
                        function("Ref", "Ref", Tree::Str("Item".into())),
                    ));
                }
                Some(Tree::Map(props))
            }
            Properties::Computed(expr) => Some(function(
                "Fn::If",
                "If",
                Tree::List(vec![
                    Tree::Str(Name::A.condition()),
                    Tree::Map(vec![("Port".into(), expr.tree(1))]),
                    function("Ref", "Ref", Tree::Str("AWS::NoValue".into())),
                ]),
            )),
            Properties::Null => Some(Tree::Plain("null".into())),
            Properties::List => Some(Tree::List(vec![Tree::Str("Engine".into())])),
        };
        if let Some(properties) = properties {
            entries.push(("Properties".into(), properties));
        }
        Tree::Map(entries)
    }
}

impl ForEach {
    fn tree(&self) -> Tree {
        let collection = match &self.collection {
            Collection::Literal(items) => Tree::List(
                items
                    .iter()
                    .take(MAX_ITEMS)
                    .map(|literal| match literal.tree() {
                        Tree::Plain(text) | Tree::Str(text) => Tree::Str(text),
                        other => other,
                    })
                    .collect(),
            ),
            Collection::RefParameter(name) => function("Ref", "Ref", Tree::Str(name.parameter())),
            Collection::Missing => function("Ref", "Ref", Tree::Str("NoSuchParameter".into())),
            Collection::NotAList(literal) => literal.tree(),
        };
        let key = if self.alphanumeric_key {
            "Loop&{Item}"
        } else {
            "Loop${Item}"
        };
        Tree::List(vec![
            Tree::Str("Item".into()),
            collection,
            Tree::Map(vec![(key.into(), self.resource.tree(true))]),
        ])
    }
}

/// A double-quoted string: JSON escapes for JSON, YAML escapes for YAML
/// (YAML writes a character outside the BMP as `\UXXXXXXXX`, JSON as a
/// surrogate pair). Everything outside printable ASCII is escaped.
fn quote(text: &str, for_json: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if for_json || (c as u32) <= 0xFFFF => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// JSON, two-space indented.
#[must_use]
pub fn render_json(tree: &Tree) -> String {
    let mut out = String::new();
    json(tree, 0, &mut out);
    out.push('\n');
    out
}

fn json(tree: &Tree, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match tree {
        Tree::Str(text) => out.push_str(&quote(text, true)),
        // JSON has no hex integers; 0x18EB is 6379, which means the same.
        Tree::Plain(text) if text == "0x18EB" => out.push_str("6379"),
        Tree::Plain(text) => out.push_str(text),
        Tree::List(items) if items.is_empty() => out.push_str("[]"),
        Tree::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                json(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Tree::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Tree::Map(entries) => {
            out.push_str("{\n");
            for (i, (key, value)) in entries.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&quote(key, true));
                out.push_str(": ");
                json(value, indent + 1, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Tree::Function { long, arg, .. } => {
            let map = Tree::Map(vec![((*long).to_string(), (**arg).clone())]);
            json(&map, indent, out);
        }
    }
}

/// YAML in block style; intrinsics as `!Short arg` tags or long-form keys.
#[must_use]
pub fn render_yaml(tree: &Tree, short: bool) -> String {
    let mut out = String::new();
    match tree {
        Tree::Map(entries) if !entries.is_empty() => yaml_entries(entries, 0, short, &mut out),
        other => {
            yaml_inline(other, short, &mut out);
            out.push('\n');
        }
    }
    out
}

fn yaml_key(key: &str) -> String {
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
        && !key.ends_with(':')
        && !key.starts_with(['-', ':']);
    if simple {
        key.to_string()
    } else {
        quote(key, false)
    }
}

fn yaml_entries(entries: &[(String, Tree)], indent: usize, short: bool, out: &mut String) {
    for (key, value) in entries {
        out.push_str(&"  ".repeat(indent));
        out.push_str(&yaml_key(key));
        out.push(':');
        yaml_value(value, indent, short, out);
    }
}

/// Writes a value after `key:` or `-`: inline for scalars and empty
/// collections, on the next lines otherwise.
fn yaml_value(tree: &Tree, indent: usize, short: bool, out: &mut String) {
    match tree {
        Tree::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            yaml_entries(entries, indent + 1, short, out);
        }
        Tree::List(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                out.push_str(&"  ".repeat(indent + 1));
                out.push('-');
                yaml_value(item, indent + 1, short, out);
            }
        }
        Tree::Function {
            long,
            short: tag,
            arg,
        } => {
            if short {
                out.push_str(" !");
                out.push_str(tag);
                match &**arg {
                    Tree::Str(_) | Tree::Plain(_) => {
                        out.push(' ');
                        yaml_inline(arg, short, out);
                        out.push('\n');
                    }
                    // Two tags on one node are not YAML: write the inner
                    // function in long form.
                    Tree::Function { long, arg, .. } => {
                        let map = Tree::Map(vec![((*long).to_string(), (**arg).clone())]);
                        yaml_value(&map, indent, short, out);
                    }
                    nested => yaml_value(nested, indent, short, out),
                }
            } else {
                let map = Tree::Map(vec![((*long).to_string(), (**arg).clone())]);
                yaml_value(&map, indent, short, out);
            }
        }
        scalar => {
            out.push(' ');
            yaml_inline(scalar, short, out);
            out.push('\n');
        }
    }
}

/// A scalar or an empty collection on one line.
fn yaml_inline(tree: &Tree, _short: bool, out: &mut String) {
    match tree {
        Tree::Str(text) => out.push_str(&quote(text, false)),
        Tree::Plain(text) => out.push_str(text),
        Tree::List(_) => out.push_str("[]"),
        Tree::Map(_) | Tree::Function { .. } => out.push_str("{}"),
    }
}

/// Shapes that once tied the evaluator or the suppression matcher up (a few
/// kilobytes costing tens of seconds or gigabytes): condition DAGs with
/// repeated references, nested `Fn::ForEach` with empty and unknown bodies,
/// large mappings looked up with an unknown key, duplicate `AllowedValues`,
/// long suppression blocks and large lists. Rendered as YAML for the
/// `budget` target, whose oracle is a fixed step and time budget.
#[derive(Arbitrary, Debug, Clone)]
pub struct Blowup {
    pub shapes: Vec<Shape>,
}

/// One hostile shape; sizes are clamped when rendered.
#[derive(Arbitrary, Debug, Clone)]
pub enum Shape {
    /// Each level an `Fn::Or` of `fan` references to the level below, every
    /// other one under `Fn::Not`.
    ConditionDag { levels: u8, fan: u8 },
    /// `depth` nested loops of `items` items each.
    NestedForEach {
        depth: u8,
        items: u8,
        body: LoopBody,
    },
    /// A mapping of `keys` keys, one of which holds the default port,
    /// looked up with a key known only at deploy time.
    BigMapping {
        keys: u16,
        port_at: u16,
        key: UnknownKey,
        default_value: bool,
    },
    /// `AllowedValues` with `values` copies of `''`, used `uses` times in one `Fn::Sub`.
    DuplicateAllowedValues { values: u8, uses: u16 },
    /// `comments` suppression comments above one resource.
    SuppressionBlock { comments: u16 },
    /// A `Port` that is a list of `items` items.
    LargeList { items: u32 },
}

/// What the innermost loop makes.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum LoopBody {
    Empty,
    /// A resource of a type no rule reads.
    Unknown,
    Cache,
}

/// Where an unknown mapping key comes from.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum UnknownKey {
    ParameterWithoutDefault,
    Region,
}

/// The sections a [`Blowup`] fills, as YAML lines indented for their section.
#[derive(Default)]
struct Sections {
    parameters: String,
    mappings: String,
    conditions: String,
    resources: String,
}

impl Blowup {
    /// Shapes rendered per template.
    const MAX_SHAPES: usize = 3;

    /// The template as YAML.
    #[must_use]
    pub fn render(&self) -> String {
        let mut sections = Sections::default();
        for (i, shape) in self.shapes.iter().take(Self::MAX_SHAPES).enumerate() {
            shape.render(i, &mut sections);
        }
        let mut out = String::from("Transform: AWS::LanguageExtensions\n");
        for (name, body) in [
            ("Parameters", &sections.parameters),
            ("Mappings", &sections.mappings),
            ("Conditions", &sections.conditions),
        ] {
            if !body.is_empty() {
                let _ = write!(out, "{name}:\n{body}");
            }
        }
        let _ = write!(
            out,
            "Resources:\n  Anchor:\n    Type: AWS::SQS::Queue\n{}",
            sections.resources
        );
        out
    }
}

const CACHE: &str = "Type: AWS::ElastiCache::CacheCluster";

impl Shape {
    fn render(&self, i: usize, s: &mut Sections) {
        match *self {
            Shape::ConditionDag { levels, fan } => {
                let levels = usize::from(levels % 17).max(1);
                let fan = usize::from(fan % 5) + 2;
                let _ = writeln!(s.parameters, "  Env{i}: {{Type: String}}");
                let _ = writeln!(s.conditions, "  D{i}L0: !Equals [!Ref Env{i}, prod]");
                for level in 1..=levels {
                    let refs: Vec<String> = (0..fan)
                        .map(|k| {
                            let below = format!("!Condition D{i}L{}", level - 1);
                            if k % 2 == 1 {
                                format!("!Not [{below}]")
                            } else {
                                below
                            }
                        })
                        .collect();
                    let _ = writeln!(s.conditions, "  D{i}L{level}: !Or [{}]", refs.join(", "));
                }
                let _ = writeln!(
                    s.resources,
                    "  Dag{i}: {{{CACHE}, Condition: D{i}L{levels}, Properties: {{Engine: redis, Port: !If [D{i}L{levels}, 6379, 6380]}}}}"
                );
            }
            Shape::NestedForEach { depth, items, body } => {
                let depth = usize::from(depth % 7) + 1;
                let items = usize::from(items % 61).max(1);
                let vars: String = (0..depth).map(|d| format!("${{V{d}}}")).collect();
                let mut inner = match body {
                    LoopBody::Empty => "{}".to_string(),
                    // Quoted: `{` is a flow indicator.
                    LoopBody::Unknown => format!("{{\"Q{i}{vars}\": {{Type: AWS::SQS::Queue}}}}"),
                    LoopBody::Cache => format!(
                        "{{\"C{i}{vars}\": {{{CACHE}, Properties: {{Engine: redis, Port: 6379}}}}}}"
                    ),
                };
                for d in (0..depth).rev() {
                    let list: Vec<String> = (0..items).map(|k| format!("x{k}")).collect();
                    inner = format!(
                        "{{Fn::ForEach::N{i}L{d}: [V{d}, [{}], {inner}]}}",
                        list.join(", ")
                    );
                }
                // The outermost braces would make a flow mapping the value of
                // nothing; write its single entry as a block entry instead.
                let entry = &inner[1..inner.len() - 1];
                let _ = writeln!(s.resources, "  {entry}");
            }
            Shape::BigMapping {
                keys,
                port_at,
                key,
                default_value,
            } => {
                let keys = usize::from(keys % 5001).max(1);
                let port_at = usize::from(port_at) % keys;
                let _ = writeln!(s.mappings, "  M{i}:");
                for k in 0..keys {
                    let port = if k == port_at { 6379 } else { 6380 };
                    let _ = writeln!(s.mappings, "    k{k}: {{Port: {port}}}");
                }
                let key = match key {
                    UnknownKey::ParameterWithoutDefault => {
                        let _ = writeln!(s.parameters, "  Key{i}: {{Type: String}}");
                        format!("!Ref Key{i}")
                    }
                    UnknownKey::Region => "!Ref AWS::Region".to_string(),
                };
                let fallback = if default_value {
                    ", {DefaultValue: 6379}"
                } else {
                    ""
                };
                let _ = writeln!(
                    s.resources,
                    "  Mapped{i}: {{{CACHE}, Properties: {{Engine: redis, Port: !FindInMap [M{i}, {key}, Port{fallback}]}}}}"
                );
            }
            Shape::DuplicateAllowedValues { values, uses } => {
                let values = usize::from(values % 33).max(1);
                let uses = usize::from(uses % 4001).max(1);
                let allowed = vec!["''"; values].join(", ");
                let _ = writeln!(
                    s.parameters,
                    "  Dup{i}: {{Type: String, AllowedValues: [{allowed}]}}"
                );
                let sub = format!("${{Dup{i}}}").repeat(uses);
                let _ = writeln!(
                    s.resources,
                    "  Sub{i}: {{{CACHE}, Properties: {{Engine: redis, Port: !Sub \"{sub}6379\"}}}}"
                );
            }
            Shape::SuppressionBlock { comments } => {
                let comments = usize::from(comments % 50_001);
                s.resources
                    .push_str(&"  # cfn-port-lint: ignore EC-012 legacy\n".repeat(comments));
                let _ = writeln!(
                    s.resources,
                    "  Suppressed{i}: {{{CACHE}, Properties: {{Engine: redis, Port: 6379}}}}"
                );
            }
            Shape::LargeList { items } => {
                let items = usize::try_from(items % 200_001).unwrap_or(0);
                let list = vec!["6379"; items].join(", ");
                let _ = writeln!(
                    s.resources,
                    "  Listed{i}: {{{CACHE}, Properties: {{Engine: redis, Port: [{list}]}}}}"
                );
            }
        }
    }
}
