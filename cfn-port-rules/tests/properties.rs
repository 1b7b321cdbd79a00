//! Property tests for invariants that hold on any input (issue 5):
//!
//! - every span of every node, key and label lies on character boundaries
//!   inside the source;
//! - `line_col` and `offset_of` are inverses;
//! - lint results do not depend on the order of sections, parameters,
//!   resources or properties, nor on the number of threads;
//! - parsing and linting never panic, whatever the bytes.
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
