use super::*;
use crate::{DiagnosticKind, Limits, SourceFile};

fn parse_ok(name: &str, text: &str) -> (SourceFile, Document) {
    let source = SourceFile::new(name, text);
    let parsed = parse(&source, &Limits::default());
    assert!(
        parsed.usable_document().is_some(),
        "{name} should parse: {:?}",
        parsed.diagnostics
    );
    (source, parsed.document.unwrap())
}

fn at(source: &SourceFile, span: Span) -> &str {
    source.slice(span)
}

fn path(doc: &Document, keys: &[&str]) -> NodeId {
    keys.iter().fold(doc.root(), |node, key| {
        doc.get_value(node, key)
            .unwrap_or_else(|| panic!("no key {key}"))
    })
}

#[test]
fn short_tags_become_long_forms_with_the_tag_as_key_span() {
    let (source, doc) = parse_ok(
        "t.yaml",
        "A: !Ref Param\nB: !If [Cond, 1, 2]\nC: !Sub\n  - x\n  - {}\n",
    );
    let a = path(&doc, &["A"]);
    let (entry, name) = doc.intrinsic(a).expect("intrinsic");
    assert_eq!(name, "Ref");
    assert_eq!(at(&source, entry.key.span), "!Ref");
    assert_eq!(at(&source, doc.span(entry.value)), "Param");
    assert_eq!(at(&source, doc.span(a)), "!Ref Param");

    let b = path(&doc, &["B"]);
    let (entry, name) = doc.intrinsic(b).expect("intrinsic");
    assert_eq!((name, at(&source, entry.key.span)), ("Fn::If", "!If"));
    assert_eq!(doc.sequence(entry.value).map(<[_]>::len), Some(3));
    assert_eq!(at(&source, doc.span(entry.value)), "[Cond, 1, 2]");

    let (_, name) = doc.intrinsic(path(&doc, &["C"])).expect("intrinsic");
    assert_eq!(name, "Fn::Sub");
}

#[test]
fn get_att_splits_at_the_first_dot_with_exact_spans() {
    let (source, doc) = parse_ok("t.yaml", "V: !GetAtt Cluster.Endpoint.Port\n");
    let (entry, _) = doc.intrinsic(path(&doc, &["V"])).expect("intrinsic");
    let parts = doc.sequence(entry.value).expect("two parts");
    assert_eq!(doc.str(parts[0]), Some("Cluster"));
    assert_eq!(doc.str(parts[1]), Some("Endpoint.Port"));
    assert_eq!(at(&source, doc.span(parts[0])), "Cluster");
    assert_eq!(at(&source, doc.span(parts[1])), "Endpoint.Port");
}

#[test]
fn scalars_keep_style_and_type_so_quoted_and_plain_ports_differ() {
    let (source, doc) = parse_ok(
        "t.yaml",
        "Plain: 6379\nQuoted: \"6379\"\nHex: 0x18EB\nFloat: 6379.0\nNull:\nBool: true\n",
    );
    let plain = doc.scalar(path(&doc, &["Plain"])).unwrap();
    let quoted = doc.scalar(path(&doc, &["Quoted"])).unwrap();
    assert_eq!(
        (plain.style, plain.ty),
        (ScalarStyle::Plain, ScalarType::Int)
    );
    assert_eq!(
        (quoted.style, quoted.ty),
        (ScalarStyle::DoubleQuoted, ScalarType::String)
    );
    assert_eq!(&*plain.value, &*quoted.value);
    assert_eq!(at(&source, doc.span(path(&doc, &["Quoted"]))), "\"6379\"");
    assert_eq!(
        doc.scalar(path(&doc, &["Hex"])).unwrap().ty,
        ScalarType::Int
    );
    assert_eq!(
        doc.scalar(path(&doc, &["Float"])).unwrap().ty,
        ScalarType::Float
    );
    assert_eq!(
        doc.scalar(path(&doc, &["Null"])).unwrap().ty,
        ScalarType::Null
    );
    assert_eq!(
        doc.scalar(path(&doc, &["Bool"])).unwrap().ty,
        ScalarType::Bool
    );
}

#[test]
fn every_key_has_its_own_span_in_json_and_yaml() {
    for (name, text) in [
        ("t.json", "{\"Resources\": {\"Cache\": {\"Type\": \"X\"}}}"),
        ("t.yaml", "Resources:\n  Cache:\n    Type: X\n"),
    ] {
        let (source, doc) = parse_ok(name, text);
        let resources = path(&doc, &["Resources"]);
        let entry = doc.get(resources, "Cache").expect("Cache");
        assert_eq!(
            at(&source, entry.key.span).trim_matches('"'),
            "Cache",
            "{name}"
        );
        let ty = path(&doc, &["Resources", "Cache", "Type"]);
        assert_eq!(at(&source, doc.span(ty)).trim_matches('"'), "X", "{name}");
    }
}

#[test]
fn json_and_yaml_build_the_same_tree_for_the_same_data() {
    let (_, from_json) = parse_ok(
        "t.json",
        r#"{"A": {"Ref": "P"}, "B": [1, "two", true, null]}"#,
    );
    let (_, from_yaml) = parse_ok("t.yaml", "A: !Ref P\nB: [1, \"two\", true, null]\n");
    let kinds = |doc: &Document| {
        let b = doc.sequence(path(doc, &["B"])).unwrap().to_vec();
        let types: Vec<_> = b.iter().map(|&n| doc.scalar(n).unwrap().ty).collect();
        (
            doc.intrinsic(path(doc, &["A"])).map(|(_, n)| n.to_string()),
            types,
        )
    };
    assert_eq!(kinds(&from_json), kinds(&from_yaml));
}

#[test]
fn aliases_refer_to_their_anchor_instead_of_copying_it() {
    let (_, doc) = parse_ok("t.yaml", "a: &x {k: [1, 2, 3]}\nb: *x\nc: *x\n");
    let b = path(&doc, &["b"]);
    assert!(matches!(doc.node(b).kind, NodeKind::Alias(_)));
    assert_eq!(doc.resolve(b), path(&doc, &["a"]));
    // 3 items + the sequence + the mapping + 2 aliases + the root.
    assert_eq!(doc.len(), 8);
}

#[test]
fn unknown_local_tags_read_as_functions_but_unknown_core_tags_are_errors() {
    let (_, doc) = parse_ok("t.yaml", "A: !Rain::Embed file.txt\n");
    assert_eq!(
        doc.intrinsic(path(&doc, &["A"])).map(|(_, n)| n),
        Some("Fn::Rain::Embed")
    );

    let source = SourceFile::new("t.yaml", "A: !!Ref x\n");
    let parsed = parse(&source, &Limits::default());
    let error = &parsed.diagnostics[0];
    assert_eq!(error.kind, DiagnosticKind::UnknownTag);
    assert_eq!(error.help.as_deref(), Some("did you mean `!Ref`?"));
}

#[test]
fn a_json_file_with_a_trailing_comma_is_read_as_yaml_flow_with_a_warning() {
    let source = SourceFile::new("t.json", "{\"Resources\": {},\n}");
    let parsed = parse(&source, &Limits::default());
    let document = parsed.usable_document().expect("read through YAML");
    assert_eq!(document.format(), crate::Format::Yaml);
    let warning = &parsed.diagnostics[0];
    assert_eq!(warning.kind, DiagnosticKind::NotStrictJson);
    assert_eq!(
        source
            .line_col(warning.primary_span().unwrap().start)
            .to_string(),
        "1:17"
    );
}

#[test]
fn format_is_chosen_by_extension_then_by_first_character() {
    for (name, text, format) in [
        ("a.json", "{}", crate::Format::Json),
        // JSON is valid YAML: a .yaml file is read as YAML whatever it holds.
        ("a.yaml", "{}", crate::Format::Yaml),
        ("a.template", "  {\"Resources\": {}}", crate::Format::Json),
        ("a.template", "Resources: {}", crate::Format::Yaml),
        ("-", "Resources: {}", crate::Format::Yaml),
    ] {
        let (_, doc) = parse_ok(name, text);
        assert_eq!(doc.format(), format, "{name}");
    }
}

#[test]
fn size_depth_and_node_limits_are_errors_not_crashes() {
    let limits = Limits {
        max_file_size: 10,
        ..Limits::default()
    };
    let parsed = parse(&SourceFile::new("t.yaml", "Resources: {}\n"), &limits);
    assert_eq!(parsed.diagnostics[0].kind, DiagnosticKind::FileTooLarge);

    let limits = Limits {
        max_nodes: 5,
        ..Limits::default()
    };
    for name in ["t.yaml", "t.json"] {
        let parsed = parse(&SourceFile::new(name, "[1, 2, 3, 4, 5, 6, 7]"), &limits);
        assert_eq!(
            parsed.diagnostics[0].kind,
            DiagnosticKind::TooManyNodes,
            "{name}"
        );
    }

    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    for name in ["t.yaml", "t.json"] {
        let parsed = parse(&SourceFile::new(name, "[[[[1]]]]"), &limits);
        assert_eq!(
            parsed.diagnostics[0].kind,
            DiagnosticKind::TooDeep,
            "{name}"
        );
        assert_eq!(
            parsed.diagnostics[0].primary_span(),
            Some(Span::new(3, 4)),
            "{name}"
        );
    }
}

/// CloudFormation reads templates with libyaml, which does not apply YAML
/// 1.2's indentation rules inside flow collections and quoted scalars; the
/// vendored parser is patched to match (saphyr-parser-cfn/PATCHES.md).
#[test]
fn libyaml_indentation_leniency_is_accepted() {
    let cases = [
        // A flow mapping closed at its key's column.
        "Resources:\n  T:\n    Type: X\n    Properties:\n      Parameters: {\n        \"a\": \"b\"\n      }\n",
        // A multi-line quoted JSON policy whose last line sits at the key's column.
        "Resources:\n  T:\n    Type: X\n    Properties:\n      Policy: '{\n         \"Version\": \"2012-10-17\"\n      }'\n",
        // A plain scalar in a flow sequence, less indented than its parent.
        "Resources:\n  T:\n    Type: X\n    Properties:\n      List: [a,\n    b]\n",
    ];
    for text in cases {
        parse_ok("t.yaml", text);
    }
}

#[test]
fn the_non_specific_tag_makes_a_string() {
    let (_, doc) = parse_ok("t.yaml", "A: ! 12\nB: [! \"Ref\": x]\n");
    let a = doc.scalar(path(&doc, &["A"])).unwrap();
    assert_eq!((&*a.value, a.ty), ("12", ScalarType::String));
}

/// saphyr reads a tab after indentation spaces as separation; libyaml (and
/// so CloudFormation) rejects it, and a person reads it as indentation.
#[test]
fn a_tab_after_indentation_spaces_is_an_error_at_the_tab() {
    for (text, at) in [
        ("Resources:\n  \tCache: {}\n", "2:3"),
        ("Resources:\n  A:\n    P:\n      \t- x\n", "4:7"),
    ] {
        let source = SourceFile::new("t.yaml", text);
        let parsed = parse(&source, &Limits::default());
        let error = &parsed.diagnostics[0];
        assert_eq!(
            error.message, "YAML syntax error: tabs are not allowed for indentation",
            "{text:?}"
        );
        let position = source.line_col(error.primary_span().unwrap().start);
        assert_eq!(position.to_string(), at, "{text:?}");
    }
    // Tabs inside flow collections and block scalars are not indentation.
    parse_ok(
        "t.yaml",
        "{\n\t\"Resources\": {\n\t\t\"A\": {\"Type\": \"T\"}\n\t}\n}\n",
    );
    parse_ok(
        "t.yaml",
        "Resources:\n  A:\n    Type: T\n    Properties:\n      Script: |\n        \tindented with a tab\n",
    );
}
