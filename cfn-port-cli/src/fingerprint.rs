//! The stable identity of a finding, shared by SARIF's
//! `partialFingerprints` and baseline files: a hash of the rule, the file's
//! path relative to the working directory, the resource's logical id and
//! the property path of the finding (`Resources/Cache/Properties/Port`).
//! No line number goes in, so a finding keeps its identity when lines move.

use std::path::Path;

use cfn_port_rules::model::SourceKind;
use cfn_port_rules::syntax::{self, NodeKind};
use cfn_port_rules::{Limits, SourceFile, Span};

use crate::check::FileResult;

/// The fingerprint of every finding of `result`, suppressed ones included,
/// in the order of `result.report.findings`. The file is parsed again for
/// the property paths, and only when it has findings.
#[must_use]
pub fn of_findings(result: &FileResult, cwd: &Path) -> Vec<String> {
    let findings = &result.report.findings;
    if findings.is_empty() {
        return Vec::new();
    }
    let parsed = result
        .source()
        .filter(|_| has_property_paths(result))
        .map(|source| (source, syntax::parse(source, &Limits::default())));
    let uri = crate::render::relative_uri(&result.display, cwd);
    findings
        .iter()
        .map(|finding| {
            let path = parsed
                .as_ref()
                .and_then(|(source, parsed)| {
                    let doc = parsed.document.as_ref()?;
                    Some(property_path(doc, source, finding.primary_span()))
                })
                .unwrap_or_default();
            fingerprint(&[finding.rule, &uri, &finding.resource, &path])
        })
        .collect()
}

/// Whether the input is a JSON or YAML document, whose findings have
/// property paths; a Terraform module's findings are told apart by their
/// addresses alone.
#[must_use]
pub fn has_property_paths(result: &FileResult) -> bool {
    result.kind != Some(SourceKind::Terraform)
}

/// The keys and indices from the root to the node holding `span`:
/// `Resources/Cache/Properties/Port`. Stable while lines move.
pub fn property_path(doc: &syntax::Document, _source: &SourceFile, span: Span) -> String {
    let mut path: Vec<String> = Vec::new();
    let mut node = doc.root();
    // Each step descends strictly, and aliases are not followed, so this ends.
    loop {
        let next = match &doc.node(node).kind {
            NodeKind::Mapping(entries) => {
                let Some(i) =
                    position_in_order(entries, span, |e| e.key.span.cover(doc.span(e.value)))
                else {
                    break;
                };
                let entry = &entries[i];
                let on_key = entry.key.span.contains(span);
                // Between a key and its value (the `:`) names neither.
                if !on_key && !doc.span(entry.value).contains(span) {
                    break;
                }
                path.push(entry.key.text.to_string());
                if on_key {
                    break;
                }
                entry.value
            }
            NodeKind::Sequence(items) => {
                let Some(i) = position_in_order(items, span, |&item| doc.span(item)) else {
                    break;
                };
                path.push(i.to_string());
                items[i]
            }
            NodeKind::Scalar(_) | NodeKind::Alias(_) => break,
        };
        if next == node {
            break;
        }
        node = next;
    }
    path.join("/")
}

/// The index of the element whose span holds `span`. A collection's
/// elements are in source order, so a binary search finds it: a linear scan
/// per finding made the paths of a 10,000-resource template quadratic. The
/// scan remains as a fallback should elements ever be out of order.
fn position_in_order<T>(elements: &[T], span: Span, span_of: impl Fn(&T) -> Span) -> Option<usize> {
    let holds = |element: &T| span_of(element).contains(span);
    let candidate = elements.partition_point(|element| span_of(element).end <= span.start);
    match elements.get(candidate) {
        Some(element) if holds(element) => Some(candidate),
        _ => elements.iter().position(holds),
    }
}

/// FNV-1a, 64 bits, over the parts separated by NUL: stable across Rust
/// versions and platforms (unlike `DefaultHasher`).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.join("\0").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_values() {
        // Pinned: changing the hash would reopen every alert on GitHub.
        let parts = [
            "EC-012",
            "stacks/app.json",
            "Cache",
            "Resources/Cache/Properties/Port",
        ];
        assert_eq!(fingerprint(&parts), "be3b2448128c0c50");
        assert_eq!(fingerprint(&[""]), "cbf29ce484222325");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }

    /// The path as a scan of every entry finds it: the definition the
    /// binary search in [`property_path`] must agree with.
    fn property_path_by_scan(doc: &syntax::Document, span: Span) -> String {
        let mut path: Vec<String> = Vec::new();
        let mut node = doc.root();
        'descend: loop {
            match &doc.node(node).kind {
                NodeKind::Mapping(entries) => {
                    for entry in entries {
                        if entry.key.span.contains(span) {
                            path.push(entry.key.text.to_string());
                            break 'descend;
                        }
                        if doc.span(entry.value).contains(span) && entry.value != node {
                            path.push(entry.key.text.to_string());
                            node = entry.value;
                            continue 'descend;
                        }
                    }
                    break;
                }
                NodeKind::Sequence(items) => {
                    for (i, &item) in items.iter().enumerate() {
                        if doc.span(item).contains(span) && item != node {
                            path.push(i.to_string());
                            node = item;
                            continue 'descend;
                        }
                    }
                    break;
                }
                NodeKind::Scalar(_) | NodeKind::Alias(_) => break,
            }
        }
        path.join("/")
    }

    #[test]
    fn property_paths_agree_with_a_scan_of_every_entry() {
        let yaml = "Parameters:\n  P: {Type: Number, Default: 6379}\nResources:\n  A:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: !If [C, redis, memcached]\n      Port: !GetAtt X.Port\n      Tags: [{Key: k, Value: v}, {Key: k2, Value: !Sub '${P}'}]\n  B:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties: &props\n      Port: !Ref P\n  C: {Type: AWS::ElastiCache::ReplicationGroup, Properties: *props}\n";
        let json = r#"{"Resources": {"A": {"Type": "AWS::ElastiCache::CacheCluster", "Properties": {"Engine": "redis", "Port": {"Fn::If": ["C", 6379, {"Ref": "P"}]}}}, "B": {"Properties": {"Port": [1, [2, 3]]}}}}"#;
        for (name, text) in [("t.yaml", yaml), ("t.json", json)] {
            let source = SourceFile::new(name, text);
            let parsed = syntax::parse(&source, &Limits::default());
            let doc = parsed.document.as_ref().expect("the fixture parses");
            // Every node and key, and every single byte (the `:` between a
            // key and its value, blanks between entries).
            let mut spans: Vec<Span> = (0..text.len()).map(|at| Span::new(at, at)).collect();
            let mut stack = vec![doc.root()];
            while let Some(node) = stack.pop() {
                spans.push(doc.span(node));
                match &doc.node(node).kind {
                    NodeKind::Mapping(entries) => {
                        spans.extend(entries.iter().map(|e| e.key.span));
                        stack.extend(entries.iter().map(|e| e.value));
                    }
                    NodeKind::Sequence(items) => stack.extend(items.iter().copied()),
                    NodeKind::Scalar(_) | NodeKind::Alias(_) => {}
                }
            }
            for span in spans {
                assert_eq!(
                    property_path(doc, &source, span),
                    property_path_by_scan(doc, span),
                    "{name}: {:?} at {span:?}",
                    &text[span.range()]
                );
            }
        }
    }

    #[test]
    fn property_paths_name_keys_not_lines() {
        let text = "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: redis\n      Port: 6379\n";
        let source = SourceFile::new("t.yaml", text);
        let parsed = syntax::parse(&source, &Limits::default());
        let doc = parsed.document.as_ref().unwrap();
        let at = text.find("6379").unwrap();
        let span = Span::new(at, at + 4);
        assert_eq!(
            property_path(doc, &source, span),
            "Resources/Cache/Properties/Port"
        );
        let shifted = format!("# a comment\n\n{text}");
        let source = SourceFile::new("t.yaml", shifted.as_str());
        let parsed = syntax::parse(&source, &Limits::default());
        let at = shifted.find("6379").unwrap();
        let path = property_path(
            parsed.document.as_ref().unwrap(),
            &source,
            Span::new(at, at + 4),
        );
        assert_eq!(path, "Resources/Cache/Properties/Port");
    }
}
