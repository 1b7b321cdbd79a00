//! Property tests for invariants that hold on any input (issue 5):
//!
//! - every span of every node, key and label lies on character boundaries
//!   inside the source;
//! - `line_col` and `offset_of` are inverses;
//! - lint results do not depend on the order of sections, parameters,
//!   resources or properties, nor on the number of threads;
//! - parsing and linting never panic, whatever the bytes;
//! - no finding describes a configuration that cannot exist, and every
//!   configuration that uses the default port is found: conditions over
//!   parameters and pseudo parameters are checked against a brute-force
//!   model that tries every value of every input.
//!
//! Case counts are kept small so `cargo test` stays fast; raise them with
//! `PROPTEST_CASES=10000 cargo test --test properties`.

use std::collections::BTreeMap;
use std::sync::Arc;

use cfn_port_rules::syntax::{self, Document, NodeKind};
use cfn_port_rules::{Limits, LintOptions, Report, SourceFile, Span, lint};
use proptest::prelude::*;

// ----- invariant checks ----------------------------------------------------

fn check_span(source: &SourceFile, span: Span, what: &str) -> Result<(), TestCaseError> {
    // `get` is `None` for a reversed span, one past the end, or one that
    // splits a character.
    prop_assert!(
        source.get(span).is_some(),
        "{what}: span {span:?} is not a slice of the {} bytes {:?}",
        source.text().len(),
        source.text()
    );
    Ok(())
}

/// Visits every node reachable from the root once, checking node and key spans.
fn check_document(source: &SourceFile, doc: &Document) -> Result<(), TestCaseError> {
    let mut seen = vec![false; doc.len()];
    let mut stack = vec![doc.root()];
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.index()], true) {
            continue;
        }
        check_span(source, doc.span(id), "node")?;
        match &doc.node(id).kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Sequence(items) => stack.extend(items.iter().copied()),
            NodeKind::Mapping(entries) => {
                for entry in entries {
                    check_span(source, entry.key.span, "key")?;
                    stack.push(entry.value);
                }
            }
            NodeKind::Alias(target) => stack.push(*target),
        }
    }
    Ok(())
}

fn check_report(source: &SourceFile, report: &Report) -> Result<(), TestCaseError> {
    for diagnostic in &report.diagnostics {
        for label in &diagnostic.labels {
            check_span(source, label.span, &diagnostic.message)?;
        }
        if let Some(span) = diagnostic.primary_span() {
            prop_assert_eq!(diagnostic.position, Some(source.line_col(span.start)));
        }
    }
    for finding in &report.findings {
        for label in &finding.labels {
            check_span(source, label.span, &finding.message)?;
        }
    }
    for undetermined in &report.undetermined {
        check_span(source, undetermined.span, &undetermined.reason)?;
    }
    Ok(())
}

fn check_all_spans(name: &str, text: &str) -> Result<(), TestCaseError> {
    let source = SourceFile::new(name, text);
    let parsed = syntax::parse(&source, &Limits::default());
    if let Some(doc) = &parsed.document {
        check_document(&source, doc)?;
    }
    let report = lint(&source, &LintOptions::default());
    check_report(&source, &report)
}

// ----- generators ----------------------------------------------------------

/// Text made of YAML and JSON punctuation, intrinsic tags, anchors, line
/// breaks of every kind, tabs and multi-byte characters, so random strings
/// reach deep into both parsers.
fn yamlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Resources:"),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just("  "),
        Just("\t"),
        Just("- "),
        Just(": "),
        Just(", "),
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just("\""),
        Just("'"),
        Just("#"),
        Just("!Ref "),
        Just("!GetAtt A.B "),
        Just("!If "),
        Just("!!str "),
        Just("&a "),
        Just("*a"),
        Just("|"),
        Just(">-"),
        Just("---\n"),
        Just("\\u00e9"),
        Just("é"),
        Just("😀"),
        Just("\u{feff}"),
        Just("Type"),
        Just("AWS::ElastiCache::CacheCluster"),
        Just("Port"),
        Just("6379"),
        Just("0x18EB"),
        Just("Engine"),
        Just("redis"),
        Just("Properties"),
        Just("Cache"),
        Just("x"),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// A text with many line-break styles and multi-byte characters.
fn lines_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a"),
        Just("é"),
        Just("€"),
        Just("😀"),
        Just("\t"),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just(" "),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

#[derive(Clone, Debug)]
struct Cache {
    replication_group: bool,
    engine: Option<&'static str>,
    port: Option<&'static str>,
    condition: bool,
    /// Extra properties, so property order has something to shuffle.
    extra: Vec<(&'static str, &'static str)>,
}

fn cache() -> impl Strategy<Value = Cache> {
    let engine = prop::option::of(prop::sample::select(vec![
        "redis",
        "valkey",
        "memcached",
        "Redis",
        "postgres",
        "!Ref Engine",
    ]));
    let port = prop::option::of(prop::sample::select(vec![
        "6379",
        "11211",
        "6380",
        "\"6379\"",
        "0x18EB",
        "!Ref CachePort",
        "!If [IsProd, 6379, 6380]",
        "!FindInMap [Ports, !Ref Engine, Default]",
        "!Ref Nothing",
    ]));
    let extra = prop::sample::subsequence(
        vec![
            ("CacheNodeType", "cache.t4g.micro"),
            ("NumCacheNodes", "1"),
            ("AutoMinorVersionUpgrade", "true"),
            ("ReplicationGroupDescription", "sessions"),
        ],
        0..=4,
    );
    (any::<bool>(), engine, port, any::<bool>(), extra).prop_map(
        |(replication_group, engine, port, condition, extra)| Cache {
            replication_group,
            engine,
            port,
            condition,
            extra,
        },
    )
}

/// A template and a permutation for each level that has an order.
#[derive(Clone, Debug)]
struct Shuffled {
    caches: Vec<Cache>,
    /// Sort keys: one per section, parameter, resource and property slot.
    order: Vec<u32>,
}

fn shuffled_template() -> impl Strategy<Value = Shuffled> {
    (
        prop::collection::vec(cache(), 1..6),
        prop::collection::vec(any::<u32>(), 64),
    )
        .prop_map(|(caches, order)| Shuffled { caches, order })
}

/// Reorders `items` by the sort keys taken from `order` at `*cursor`.
fn permute<T>(items: Vec<T>, order: &[u32], cursor: &mut usize) -> Vec<T> {
    let mut keyed: Vec<(u32, usize, T)> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let key = order[*cursor % order.len()];
            *cursor += 1;
            (key, i, item)
        })
        .collect();
    keyed.sort_by_key(|(key, i, _)| (*key, *i));
    keyed.into_iter().map(|(_, _, item)| item).collect()
}

/// Renders the template as block YAML, every mapping in the order `order`
/// gives (or in source order when `order` is `None`).
fn render(template: &Shuffled, shuffle: bool) -> String {
    let no_order = [0u32];
    let order: &[u32] = if shuffle { &template.order } else { &no_order };
    let mut cursor = 0;
    let mut resources = Vec::new();
    for (i, cache) in template.caches.iter().enumerate() {
        let ty = if cache.replication_group {
            "AWS::ElastiCache::ReplicationGroup"
        } else {
            "AWS::ElastiCache::CacheCluster"
        };
        let mut properties: Vec<String> = Vec::new();
        if let Some(engine) = cache.engine {
            properties.push(format!("      Engine: {engine}\n"));
        }
        if let Some(port) = cache.port {
            properties.push(format!("      Port: {port}\n"));
        }
        for (key, value) in &cache.extra {
            properties.push(format!("      {key}: {value}\n"));
        }
        let properties = permute(properties, order, &mut cursor).concat();
        let mut body = vec![format!("    Type: {ty}\n")];
        if cache.condition {
            body.push("    Condition: IsProd\n".to_string());
        }
        if !properties.is_empty() {
            body.push(format!("    Properties:\n{properties}"));
        }
        let body = permute(body, order, &mut cursor).concat();
        resources.push(format!("  Cache{i}:\n{body}"));
    }
    let resources = permute(resources, order, &mut cursor).concat();
    let parameters = permute(
        vec![
            "  Env:\n    Type: String\n    AllowedValues: [prod, dev]\n".to_string(),
            "  Engine:\n    Type: String\n    Default: redis\n".to_string(),
            "  CachePort:\n    Type: Number\n    Default: 6379\n".to_string(),
        ],
        order,
        &mut cursor,
    )
    .concat();
    let sections = vec![
        format!("Parameters:\n{parameters}"),
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n".to_string(),
        "Mappings:\n  Ports:\n    redis: {Default: 6379}\n    memcached: {Default: 11211}\n"
            .to_string(),
        format!("Resources:\n{resources}"),
    ];
    permute(sections, order, &mut cursor).concat()
}

type ByResource = BTreeMap<String, (Vec<(String, Vec<Arc<str>>)>, Vec<String>)>;

/// Findings (message and notes) and undetermined reasons, by resource.
fn by_resource(report: &Report) -> ByResource {
    let mut out = ByResource::new();
    for finding in &report.findings {
        let entry = out.entry(finding.resource.clone()).or_default();
        entry
            .0
            .push((finding.message.clone(), finding.notes.clone()));
    }
    for undetermined in &report.undetermined {
        let entry = out.entry(undetermined.resource.clone()).or_default();
        entry.1.push(undetermined.reason.clone());
    }
    out
}

// ----- properties ----------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn spans_lie_on_char_boundaries_inside_yamlish_text(text in yamlish()) {
        check_all_spans("p.yaml", &text)?;
        check_all_spans("p.json", &text)?;
    }

    #[test]
    fn line_col_and_offset_of_are_inverses(text in lines_text()) {
        let source = SourceFile::new("p.yaml", text);
        let text = source.text();
        for (offset, c) in text.char_indices() {
            let position = source.line_col(offset as u32);
            prop_assert!(position.line >= 1 && position.column >= 1);
            if c == '\n' || c == '\r' {
                // A line break maps to the end of its line.
                let back = source.offset_of(position).expect("the line exists");
                prop_assert!(back as usize <= offset);
                continue;
            }
            prop_assert_eq!(source.offset_of(position), Some(offset as u32), "{:?} at {}", text, offset);
            // An offset inside a character maps to that character.
            for inner in offset + 1..offset + c.len_utf8() {
                prop_assert_eq!(source.line_col(inner as u32), position);
            }
        }
        let end = source.line_col(text.len() as u32);
        prop_assert_eq!(source.offset_of(end), Some(text.len() as u32));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lint_results_do_not_depend_on_key_order(template in shuffled_template()) {
        let in_order = render(&template, false);
        let reordered = render(&template, true);
        let first = lint(&SourceFile::new("a.yaml", in_order.clone()), &LintOptions::default());
        let second = lint(&SourceFile::new("b.yaml", reordered.clone()), &LintOptions::default());
        prop_assert!(!first.has_errors(), "{:#?}\n{}", first.diagnostics, in_order);
        prop_assert!(!second.has_errors(), "{:#?}\n{}", second.diagnostics, reordered);
        prop_assert_eq!(
            by_resource(&first),
            by_resource(&second),
            "in order:\n{}\nreordered:\n{}",
            in_order,
            reordered
        );
        let kinds = |report: &Report| {
            let mut kinds: Vec<_> = report.diagnostics.iter().map(|d| (d.kind, d.message.clone())).collect();
            kinds.sort_by(|a, b| a.1.cmp(&b.1));
            kinds
        };
        prop_assert_eq!(kinds(&first), kinds(&second));
    }

    #[test]
    fn parse_and_lint_never_panic_on_arbitrary_strings(text in any::<String>()) {
        check_all_spans("p.yaml", &text)?;
        check_all_spans("p.json", &text)?;
        check_all_spans("p.template", &text)?;
    }

    #[test]
    fn from_bytes_never_panics_and_errors_are_located(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        match SourceFile::from_bytes("p.yaml", bytes) {
            Ok(source) => {
                let report = lint(&source, &LintOptions::default());
                check_report(&source, &report)?;
            }
            Err(diagnostic) => {
                prop_assert_eq!(diagnostic.position.is_some(), !diagnostic.labels.is_empty(), "{}", diagnostic);
            }
        }
    }
}

/// The whole report as JSON, for exact comparison.
fn as_json(report: &Report) -> String {
    serde_json::to_string(report).expect("a report serialises")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    #[test]
    fn lint_results_do_not_depend_on_the_number_of_threads(
        caches in prop::collection::vec(cache(), 520..600),
    ) {
        // Templates from 512 resources are checked in chunks, one per task
        // of the current rayon pool; pools of different sizes must agree.
        let template = Shuffled { caches, order: vec![0] };
        let text = render(&template, false);
        let source = SourceFile::new("big.yaml", text);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool");
            pool.install(|| lint(&source, &LintOptions::default()))
        };
        let one = run(1);
        prop_assert!(one.findings.len() + one.undetermined.len() > 0);
        let one = as_json(&one);
        for threads in [2, 3, 8] {
            prop_assert!(one == as_json(&run(threads)), "1 and {} threads disagree", threads);
        }
    }
}

// ----- scenarios against a brute-force model ---------------------------------

/// The inputs conditions compare, with the constants they compare them with;
/// each also takes "another value". `Env` has a `Default` of `dev`.
const INPUTS: [(&str, [&str; 2]); 3] = [
    ("AWS::Region", ["us-east-1", "eu-west-1"]),
    ("Env", ["dev", "prod"]),
    ("AWS::AccountId", ["111", "222"]),
];

/// A condition expression over [`INPUTS`] and earlier conditions.
#[derive(Clone, Debug)]
enum Cond {
    Equals(usize, usize),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Ref(usize),
}

/// A port value: a literal, or an `Fn::If` on a condition.
#[derive(Clone, Debug)]
enum PortExpr {
    Literal(u16),
    If(usize, Box<PortExpr>, Box<PortExpr>),
}

#[derive(Clone, Debug)]
struct Scenarios {
    conditions: Vec<Cond>,
    resource_condition: Option<usize>,
    port: PortExpr,
}

fn cond_expr(index: usize) -> BoxedStrategy<Cond> {
    let leaf = if index == 0 {
        (0..3usize, 0..2usize)
            .prop_map(|(i, c)| Cond::Equals(i, c))
            .boxed()
    } else {
        prop_oneof![
            3 => (0..3usize, 0..2usize).prop_map(|(i, c)| Cond::Equals(i, c)),
            1 => (0..index).prop_map(Cond::Ref),
        ]
        .boxed()
    };
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
        ]
    })
    .boxed()
}

fn port_expr(conditions: usize) -> impl Strategy<Value = PortExpr> {
    let leaf = prop_oneof![Just(6379u16), Just(6380u16)].prop_map(PortExpr::Literal);
    leaf.prop_recursive(2, 4, 2, move |inner| {
        (0..conditions, inner.clone(), inner)
            .prop_map(|(c, a, b)| PortExpr::If(c, Box::new(a), Box::new(b)))
    })
}

fn scenarios() -> impl Strategy<Value = Scenarios> {
    (cond_expr(0), cond_expr(1), cond_expr(2), cond_expr(3)).prop_flat_map(|(a, b, c, d)| {
        let conditions = vec![a, b, c, d];
        (Just(conditions), prop::option::of(0..4usize), port_expr(4)).prop_map(
            |(conditions, resource_condition, port)| Scenarios {
                conditions,
                resource_condition,
                port,
            },
        )
    })
}

fn render_cond(cond: &Cond) -> String {
    match cond {
        Cond::Equals(input, constant) => {
            let (name, constants) = INPUTS[*input];
            format!(
                "{{\"Fn::Equals\": [{{\"Ref\": \"{name}\"}}, \"{}\"]}}",
                constants[*constant]
            )
        }
        Cond::Not(inner) => format!("{{\"Fn::Not\": [{}]}}", render_cond(inner)),
        Cond::And(a, b) => format!("{{\"Fn::And\": [{}, {}]}}", render_cond(a), render_cond(b)),
        Cond::Or(a, b) => format!("{{\"Fn::Or\": [{}, {}]}}", render_cond(a), render_cond(b)),
        Cond::Ref(i) => format!("{{\"Condition\": \"C{i}\"}}"),
    }
}

fn render_port(port: &PortExpr) -> String {
    match port {
        PortExpr::Literal(n) => n.to_string(),
        PortExpr::If(c, a, b) => {
            format!(
                "{{\"Fn::If\": [\"C{c}\", {}, {}]}}",
                render_port(a),
                render_port(b)
            )
        }
    }
}

fn render_scenarios(s: &Scenarios) -> String {
    let conditions: Vec<String> = s
        .conditions
        .iter()
        .enumerate()
        .map(|(i, c)| format!("\"C{i}\": {}", render_cond(c)))
        .collect();
    let condition = s
        .resource_condition
        .map(|c| format!("\"Condition\": \"C{c}\", "))
        .unwrap_or_default();
    format!(
        "{{\"Parameters\": {{\"Env\": {{\"Type\": \"String\", \"Default\": \"dev\"}}}},\n\"Conditions\": {{{}}},\n\"Resources\": {{\"Cache\": {{\"Type\": \"AWS::ElastiCache::ReplicationGroup\", {condition}\"Properties\": {{\"ReplicationGroupDescription\": \"c\", \"Port\": {}}}}}}}}}\n",
        conditions.join(",\n"),
        render_port(&s.port)
    )
}

/// One assignment: for each input, the index of its constant, or 2 for
/// "another value".
type Assignment = [usize; 3];

fn model_cond(s: &Scenarios, cond: &Cond, at: Assignment) -> bool {
    match cond {
        Cond::Equals(input, constant) => at[*input] == *constant,
        Cond::Not(inner) => !model_cond(s, inner, at),
        Cond::And(a, b) => model_cond(s, a, at) && model_cond(s, b, at),
        Cond::Or(a, b) => model_cond(s, a, at) || model_cond(s, b, at),
        Cond::Ref(i) => model_cond(s, &s.conditions[*i], at),
    }
}

fn model_port(s: &Scenarios, port: &PortExpr, at: Assignment) -> u16 {
    match port {
        PortExpr::Literal(n) => *n,
        PortExpr::If(c, a, b) => {
            if model_cond(s, &s.conditions[*c], at) {
                model_port(s, a, at)
            } else {
                model_port(s, b, at)
            }
        }
    }
}

/// The assignments in which the resource exists and listens on 6379.
fn default_assignments(s: &Scenarios) -> Vec<Assignment> {
    let mut out = Vec::new();
    for region in 0..3 {
        for env in 0..3 {
            for account in 0..3 {
                let at = [region, env, account];
                let exists = s
                    .resource_condition
                    .is_none_or(|c| model_cond(s, &s.conditions[c], at));
                if exists && model_port(s, &s.port, at) == 6379 {
                    out.push(at);
                }
            }
        }
    }
    out
}

/// The assignments a note's configuration allows, when the note names
/// inputs by value ("In us-east-1 and when Env = prod: ..."); `None` for
/// the closing note and for notes naming conditions.
fn note_assignments(note: &str) -> Option<Vec<Assignment>> {
    let (scenario, _) = note.split_once(": ")?;
    let mut allowed: [Vec<usize>; 3] = [vec![0, 1, 2], vec![0, 1, 2], vec![0, 1, 2]];
    // " and " joins the inputs, and also the values of a list
    // ("other than eu-west-1 and us-east-1"): a part that names no input
    // continues the one before.
    let mut parts: Vec<String> = Vec::new();
    for piece in scenario.split(" and ") {
        let lower = piece.to_lowercase();
        match parts.last_mut() {
            Some(last) if !lower.starts_with("in ") && !lower.starts_with("when ") => {
                last.push_str(" and ");
                last.push_str(piece);
            }
            _ => parts.push(piece.to_string()),
        }
    }
    for part in &parts {
        let part = part.trim();
        let lower = part.to_lowercase();
        let (input, rest) = if let Some(rest) = lower.strip_prefix("in a region other than ") {
            (0, format!("not {rest}"))
        } else if let Some(rest) = lower.strip_prefix("in ") {
            (0, rest.to_string())
        } else if let Some(rest) = lower.strip_prefix("when env ") {
            (1, rest.to_string())
        } else if let Some(rest) = lower.strip_prefix("when aws::accountid ") {
            (2, rest.to_string())
        } else {
            return None;
        };
        let constants = INPUTS[input].1;
        let index = |v: &str| {
            constants
                .iter()
                .position(|c| c.eq_ignore_ascii_case(v.trim()))
        };
        allowed[input] = if let Some(value) = rest.strip_prefix("= ") {
            vec![index(value)?]
        } else if let Some(values) = rest
            .strip_prefix("not ")
            .or_else(|| rest.strip_prefix("is not "))
            .or_else(|| rest.strip_prefix("is none of "))
        {
            let excluded: Vec<usize> = values.split(" and ").filter_map(index).collect();
            (0..3).filter(|i| !excluded.contains(i)).collect()
        } else {
            vec![index(&rest)?]
        };
    }
    let mut out = Vec::new();
    for &r in &allowed[0] {
        for &e in &allowed[1] {
            for &a in &allowed[2] {
                out.push([r, e, a]);
            }
        }
    }
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// A finding exactly when some configuration in which the resource
    /// exists uses the default port, and each configuration its notes name
    /// is one of those: never a contradictory scenario.
    #[test]
    fn findings_describe_only_configurations_that_can_exist(s in scenarios()) {
        let text = render_scenarios(&s);
        let report = lint(&SourceFile::new("s.json", text.clone()), &LintOptions::default());
        let expected = default_assignments(&s);
        // Undetermined only when no value of any input makes the resource exist.
        let can_exist = s.resource_condition.is_none_or(|c| {
            (0..27).any(|i| model_cond(&s, &s.conditions[c], [i / 9, i / 3 % 3, i % 3]))
        });
        prop_assert!(
            report.undetermined.is_empty() || !can_exist,
            "{:#?}\n{}",
            report.undetermined,
            text
        );
        prop_assert_eq!(
            report.findings.len(),
            usize::from(!expected.is_empty()),
            "expected {:?}\n{}\n{:#?}",
            expected,
            text,
            report.findings
        );
        for finding in &report.findings {
            for note in &finding.notes {
                if let Some(named) = note_assignments(note) {
                    prop_assert!(
                        named.iter().any(|at| expected.contains(at)),
                        "note `{}` names no configuration that uses the default port ({:?})\n{}",
                        note,
                        expected,
                        text
                    );
                }
            }
        }
    }
}
