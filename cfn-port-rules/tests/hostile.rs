//! Hostile and broken input (issue 5): every case below is built in memory
//! and must end in a located diagnostic, a "not a template" result or a
//! documented decision, in bounded time, never a panic or a hang.
//!
//! Big inputs (100,000 levels of nesting, a 10 MB line, a million keys) are
//! sized so each test stays within a few seconds in a debug build.

use cfn_port_rules::syntax::{self, NodeKind};
use cfn_port_rules::{
    Diagnostic, DiagnosticKind, Limits, LineCol, LintOptions, Report, Severity, SourceFile, Status,
    lint,
};

// ----- helpers -------------------------------------------------------------

fn at(line: u32, column: u32) -> Option<LineCol> {
    Some(LineCol { line, column })
}

fn lint_text(name: &str, text: impl Into<String>) -> (SourceFile, Report) {
    let source = SourceFile::new(name, text);
    let report = lint(&source, &LintOptions::default());
    (source, report)
}

fn lint_with(name: &str, text: impl Into<String>, limits: Limits) -> (SourceFile, Report) {
    let source = SourceFile::new(name, text);
    let options = LintOptions::default().with_limits(limits);
    let report = lint(&source, &options);
    (source, report)
}

/// The encoding error `from_bytes` returns for bytes that are not UTF-8 text.
fn encoding_error(name: &str, bytes: Vec<u8>) -> Box<Diagnostic> {
    match SourceFile::from_bytes(name, bytes) {
        Ok(source) => panic!("{name} was accepted as text: {:?}", source.text()),
        Err(diagnostic) => {
            assert_eq!(diagnostic.kind, DiagnosticKind::Encoding, "{diagnostic}");
            assert_eq!(diagnostic.severity, Severity::Error, "{diagnostic}");
            diagnostic
        }
    }
}

/// The only error of a report that could not be linted, with no findings.
fn single_error(report: &Report) -> &Diagnostic {
    let errors: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "expected one error: {:#?}",
        report.diagnostics
    );
    assert_eq!(report.status, Status::Failed, "{:#?}", report.diagnostics);
    assert!(
        report.findings.is_empty(),
        "a finding from a broken file: {:#?}",
        report.findings
    );
    errors[0]
}

fn diagnostic_of(report: &Report, kind: DiagnosticKind) -> &Diagnostic {
    report
        .diagnostics
        .iter()
        .find(|d| d.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} diagnostic in {:#?}", report.diagnostics))
}

fn assert_message(diagnostic: &Diagnostic, fragment: &str) {
    assert!(
        diagnostic.message.contains(fragment),
        "`{}` does not contain `{fragment}`",
        diagnostic.message
    );
}

/// A CacheCluster running redis with `Port:` written as `port`.
fn cache_with_port(port: &str) -> String {
    format!(
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: redis\n      Port: {port}\n"
    )
}

/// Asserts the one undetermined reason for `Cache` contains `fragment`.
fn assert_undetermined(report: &Report, fragment: &str) {
    let reason = undetermined_reason(report);
    assert!(
        reason.contains(fragment),
        "`{reason}` does not contain `{fragment}`"
    );
}

/// The one undetermined reason for `Cache`, asserting there is no finding.
fn undetermined_reason(report: &Report) -> &str {
    assert_eq!(report.status, Status::Linted, "{:#?}", report.diagnostics);
    assert!(
        report.findings.is_empty(),
        "unexpected finding: {:#?}",
        report.findings
    );
    assert_eq!(report.undetermined.len(), 1, "{:#?}", report.undetermined);
    let undetermined = &report.undetermined[0];
    assert_eq!(undetermined.resource, "Cache");
    &undetermined.reason
}

// ----- truncated, mis-indented and mis-encoded files -----------------------

#[test]
fn truncated_yaml_quoted_scalar_is_a_syntax_error_where_the_scalar_starts() {
    let (_, report) = lint_text(
        "t.yaml",
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: \"redis",
    );
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::Syntax);
    assert_message(error, "found unexpected end of stream");
    assert_eq!(error.position, at(5, 15));
}

#[test]
fn truncated_yaml_flow_sequence_is_a_syntax_error_at_the_end_of_input() {
    let text = "Resources:\n  Cache: {Type: AWS::ElastiCache::CacheCluster, Properties: [1, 2";
    let (_, report) = lint_text("t.yaml", text);
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::Syntax);
    assert_message(error, "expected ',' or ']'");
    assert_eq!(error.position, at(2, 66));
}

#[test]
fn truncated_json_is_a_syntax_error_at_the_unterminated_object() {
    let (_, report) = lint_text(
        "t.json",
        "{\"Resources\": {\"Cache\": {\"Type\": \"AWS::ElastiCache::CacheCluster\",",
    );
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::Syntax);
    assert_message(error, "unterminated object");
    assert_eq!(error.position, at(1, 25));
}

#[test]
fn tab_indentation_is_an_error_at_the_tab() {
    let (_, report) = lint_text(
        "t.yaml",
        "Resources:\n  Cache:\n\tType: AWS::ElastiCache::CacheCluster\n",
    );
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::Syntax);
    assert_message(error, "tabs are not allowed for indentation");
    assert_eq!(error.position, at(3, 1));
    assert_eq!(error.help.as_deref(), Some("indent with spaces"));
}

#[test]
fn invalid_utf8_is_an_encoding_error_at_the_bad_byte() {
    let error = encoding_error("t.yaml", b"Resources:\n  C\xC3(: {}\n".to_vec());
    assert_message(&error, "not valid UTF-8");
    assert_message(&error, "0xC3");
    assert_eq!(error.position, at(2, 4));
}

#[test]
fn utf16_with_a_byte_order_mark_is_named_in_both_byte_orders() {
    let text = "Resources: {}\n";
    let mut little = vec![0xFF, 0xFE];
    let mut big = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        little.extend(unit.to_le_bytes());
        big.extend(unit.to_be_bytes());
    }
    for bytes in [little, big] {
        let error = encoding_error("t.yaml", bytes);
        assert_message(
            &error,
            "UTF-16 encoded (it starts with a UTF-16 byte order mark)",
        );
        // About the whole file: no line to point at.
        assert_eq!(error.position, None);
    }
}

#[test]
fn utf16_without_a_byte_order_mark_is_recognised() {
    let bytes: Vec<u8> = "Resources: {}\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let error = encoding_error("t.yaml", bytes);
    assert_message(&error, "looks UTF-16 encoded");
}

#[test]
fn binary_file_named_yaml_is_an_encoding_error_at_the_nul_byte() {
    let elf_header = vec![0x7F, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0];
    let error = encoding_error("program.yaml", elf_header);
    assert_message(&error, "looks binary");
    assert_eq!(error.position, at(1, 8));
}

#[test]
fn binary_file_without_nul_is_an_encoding_error_at_the_first_invalid_byte() {
    let bytes: Vec<u8> = (1u8..=255).collect();
    let error = encoding_error("noise.yaml", bytes);
    assert_message(&error, "byte 0x80");
    // Bytes 0x0A and 0x0D end lines 1 and 2; 0x80 is the 115th character of line 3.
    assert_eq!(error.position, at(3, 115));
}

#[test]
fn empty_file_is_not_a_template_in_yaml_and_json() {
    for name in ["empty.yaml", "empty.json"] {
        let (_, report) = lint_text(name, "");
        assert_eq!(report.status, Status::NotATemplate, "{name}");
        let [note] = report.diagnostics.as_slice() else {
            panic!("{name}: {:#?}", report.diagnostics);
        };
        assert_eq!(note.kind, DiagnosticKind::NotATemplate);
        assert_eq!(note.severity, Severity::Note);
        assert_eq!(note.position, at(1, 1));
    }
}

#[test]
fn file_of_only_comments_is_not_a_template() {
    let (_, report) = lint_text("t.yaml", "# Resources:\n#   Cache: {}\n\n   # end\n");
    assert_eq!(report.status, Status::NotATemplate);
    let note = diagnostic_of(&report, DiagnosticKind::NotATemplate);
    assert_message(note, "empty or only comments");
    assert!(!report.has_errors());
}

#[test]
fn multi_document_stream_is_an_error_at_the_second_document_and_draws_no_finding() {
    let first = "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: redis}\n";
    let (_, report) = lint_text("t.yaml", format!("{first}---\nResources: {{}}\n"));
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::MultipleDocuments);
    assert_eq!(error.position, at(5, 1));
}

#[test]
fn json_with_comments_is_a_syntax_error_at_the_comment() {
    for comment in ["// the cache", "/* the cache */"] {
        let text = format!("{{\n  {comment}\n  \"Resources\": {{}}\n}}\n");
        let (source, report) = lint_text("t.json", text);
        let error = single_error(&report);
        assert_eq!(error.kind, DiagnosticKind::Syntax);
        assert_message(error, "comments are not allowed");
        assert_eq!(error.position, at(2, 3));
        assert_eq!(source.slice(error.primary_span().unwrap()), comment);
    }
}

#[test]
fn json_with_trailing_commas_is_read_as_yaml_flow_with_a_warning_and_still_linted() {
    let text = "{\n  \"Resources\": {\n    \"Cache\": {\"Type\": \"AWS::ElastiCache::CacheCluster\", \"Properties\": {\"Engine\": \"redis\",}},\n  }\n}\n";
    let (source, report) = lint_text("t.json", text);
    assert_eq!(report.status, Status::Linted);
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let warning = diagnostic_of(&report, DiagnosticKind::NotStrictJson);
    assert_eq!(warning.severity, Severity::Warning);
    assert_message(warning, "trailing commas are not allowed");
    // The first trailing comma, after "redis".
    let comma = text.find("\"redis\",").unwrap() + "\"redis\"".len();
    assert_eq!(warning.position, Some(source.line_col(comma as u32)));
    assert_eq!(warning.position, at(3, 89));
    assert_eq!(report.findings.len(), 1, "the finding is not lost");
    assert_eq!(report.findings[0].resource, "Cache");
}

// ----- duplicate keys ------------------------------------------------------

/// Asserts `text` has exactly one duplicate-key error for `key`, whose
/// primary label is the second occurrence and secondary label the first, and
/// that no finding was drawn from either value.
fn assert_duplicate(name: &str, text: &str, key: &str, second: LineCol, first: LineCol) {
    let (source, report) = lint_text(name, text);
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::DuplicateKey, "{name}");
    assert_message(error, &format!("duplicate key `{key}`"));
    let [primary, secondary] = error.labels.as_slice() else {
        panic!("{name}: two labels expected: {:#?}", error.labels);
    };
    assert_eq!(source.slice(primary.span).trim_matches('"'), key);
    assert_eq!(source.slice(secondary.span).trim_matches('"'), key);
    assert_eq!(
        source.line_col(primary.span.start),
        second,
        "{name}: second key"
    );
    assert_eq!(
        source.line_col(secondary.span.start),
        first,
        "{name}: first key"
    );
    assert_eq!(error.position, Some(second));
    assert!(report.undetermined.is_empty());
}

#[test]
fn duplicate_top_level_section_reports_both_keys_and_no_finding() {
    let text = "Resources:\n  Cache: {Type: AWS::ElastiCache::CacheCluster, Properties: {Engine: redis}}\nResources:\n  Other: {Type: AWS::S3::Bucket}\n";
    let line = |line| LineCol { line, column: 1 };
    assert_duplicate("t.yaml", text, "Resources", line(3), line(1));
    let json = "{\"Resources\": {\"Cache\": {\"Type\": \"AWS::ElastiCache::CacheCluster\"}},\n \"Resources\": {}}";
    let second = LineCol { line: 2, column: 2 };
    assert_duplicate(
        "t.json",
        json,
        "Resources",
        second,
        LineCol { line: 1, column: 2 },
    );
}

#[test]
fn duplicate_resource_id_reports_both_keys_and_no_finding() {
    let text = "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: redis, Port: 6380}\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: redis}\n";
    let id = |line| LineCol { line, column: 3 };
    assert_duplicate("t.yaml", text, "Cache", id(5), id(2));
}

#[test]
fn duplicate_property_reports_both_keys_and_no_finding_from_either_port() {
    let text = "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: redis\n      Port: 6379\n      Port: 6380\n";
    let port = |line| LineCol { line, column: 7 };
    assert_duplicate("t.yaml", text, "Port", port(7), port(6));
    let json = "{\"Resources\": {\"Cache\": {\"Type\": \"AWS::ElastiCache::CacheCluster\",\n  \"Properties\": {\"Engine\": \"redis\", \"Port\": 6380,\n    \"Port\": 6379}}}}";
    let second = LineCol { line: 3, column: 5 };
    assert_duplicate(
        "t.json",
        json,
        "Port",
        second,
        LineCol {
            line: 2,
            column: 37,
        },
    );
}

#[test]
fn duplicate_key_in_a_large_mapping_is_found_after_the_hash_index_takes_over() {
    // Mappings past 16 keys switch from a linear scan to a hash index; the
    // duplicate of the very first key must still be caught.
    let mut text = String::from("Resources:\n  Cache: {Type: AWS::S3::Bucket}\nMetadata:\n");
    for i in 0..1000 {
        text.push_str(&format!(" k{i}: 1\n"));
    }
    text.push_str(" k0: 2\n");
    let (source, report) = lint_text("t.yaml", text);
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::DuplicateKey);
    assert_eq!(error.position, at(1004, 2));
    assert_eq!(
        source.line_col(error.labels[1].span.start),
        LineCol { line: 4, column: 2 }
    );
}

// ----- resource exhaustion -------------------------------------------------

/// Keys in the "million keys" mappings. The YAML scanner is optimised even
/// in dev builds (`[profile.dev.package.saphyr-parser-cfn]`), so every build
/// reads the full million.
const MANY_KEYS: usize = 1_000_000;

/// A billion-laughs bomb: nine levels of nine aliases each, 9^9 leaves if
/// expanded. Aliases are references in the node arena, so the document stays
/// as small as the text.
fn alias_bomb() -> String {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut previous = 'a';
    for name in 'b'..='i' {
        let items = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{items}]\n"));
        previous = name;
    }
    text
}

#[test]
fn alias_bomb_parses_into_a_document_as_small_as_its_text() {
    let text = format!("{}Resources: {{}}\n", alias_bomb());
    let source = SourceFile::new("bomb.yaml", text);
    let parsed = syntax::parse(&source, &Limits::default());
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let document = parsed.document.expect("a document");
    // 9 lists + 9 keys' worth of items (9 scalars or aliases each) + root + Resources.
    assert!(document.len() < 120, "{} nodes", document.len());
    let top = document.get_value(document.root(), "i").expect("key i");
    let items = document.sequence(top).expect("a list");
    assert_eq!(items.len(), 9);
    assert!(
        items
            .iter()
            .all(|&item| matches!(document.node(item).kind, NodeKind::Alias(_)))
    );
}

#[test]
fn alias_bomb_beside_a_template_does_not_stop_its_finding() {
    // The bomb sits in an unused top-level key; the rule still runs on the
    // resource.
    let text = format!(
        "{}Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {{Engine: redis}}\n",
        alias_bomb()
    );
    let (_, report) = lint_text("bomb.yaml", text);
    assert_eq!(report.status, Status::Linted, "{:#?}", report.diagnostics);
    assert_eq!(report.findings.len(), 1);
    // Line 13 is `Properties:`: the cache has no `Port`.
    assert_eq!(report.findings[0].location.unwrap().start.line, 13);
}

#[test]
fn alias_bomb_as_port_is_undetermined_in_bounded_time() {
    // Regression: evaluating a `Port` that refers to the bomb walked all 9^9
    // leaves (hours); the evaluator now bounds the nodes one property visits.
    for port in ["*i", "!Join [\"\", *i]", "!Select [0, *i]"] {
        let text = format!(
            "{}Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: redis\n      Port: {port}\n",
            alias_bomb()
        );
        let (_, report) = lint_text("bomb.yaml", text);
        assert_eq!(report.status, Status::Linted, "{port}");
        assert!(report.findings.is_empty(), "{port}: {:#?}", report.findings);
        assert_eq!(report.undetermined.len(), 1, "{port}");
    }
}

#[test]
fn port_that_is_an_alias_to_a_list_is_undetermined_not_expanded_into_a_finding() {
    let text = "a: &a [6379, 6379, 6379]\nResources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: redis, Port: *a}\n";
    let (_, report) = lint_text("t.yaml", text);
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is a list, not a number"
    );
}

/// Asserts a nesting error: `too-deep` when the library's own depth limit
/// triggers, or the YAML scanner's `recursion limit exceeded` (saphyr caps
/// flow nesting at 255 levels, below where its events reach our limit).
fn assert_nesting_error(report: &Report, max_column: u32) {
    let error = single_error(report);
    match error.kind {
        DiagnosticKind::TooDeep => assert_message(error, "deeper than the limit of 128 levels"),
        DiagnosticKind::Syntax => assert_message(error, "recursion limit exceeded"),
        other => panic!("unexpected {other:?}: {error}"),
    }
    let position = error.position.expect("a position");
    assert_eq!(position.line, 1);
    assert!(
        position.column <= max_column,
        "{error}: reported past column {max_column}"
    );
}

#[test]
fn hundred_thousand_nested_flow_sequences_are_a_nesting_error_in_yaml_and_json() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (_, yaml) = lint_text("deep.yaml", text.clone());
    assert_nesting_error(&yaml, 256);
    let (_, json) = lint_text("deep.json", text);
    assert_eq!(
        diagnostic_of(&json, DiagnosticKind::TooDeep).kind,
        DiagnosticKind::TooDeep
    );
    // jsonc-parser stops at 512 levels, before the tree reaches 128; the
    // error then points at the 513th bracket.
    assert_nesting_error(&json, 513);
}

#[test]
fn hundred_thousand_nested_flow_mappings_are_a_nesting_error_in_yaml_and_json() {
    let yaml = format!("{}1{}", "{a: ".repeat(100_000), "}".repeat(100_000));
    let (_, report) = lint_text("deep.yaml", yaml);
    assert_nesting_error(&report, 4 * 256);
    let json = format!("{}1{}", "{\"a\": ".repeat(100_000), "}".repeat(100_000));
    let (_, report) = lint_text("deep.json", json);
    assert_eq!(single_error(&report).kind, DiagnosticKind::TooDeep);
    assert_nesting_error(&report, 6 * 513);
}

#[test]
fn flow_nesting_below_the_parser_caps_is_too_deep_at_the_129th_bracket() {
    // Below the YAML scanner's 255 and the JSON parser's 512 levels, the
    // library's own limit decides and points at the first bracket too deep.
    for (name, open, close, width) in [
        ("deep.yaml", "[", "]", 1),
        ("deep.json", "[", "]", 1),
        ("deep.yaml", "{a: ", "}", 4),
        ("deep.json", "{\"a\": ", "}", 6),
    ] {
        let text = format!("{}1{}", open.repeat(200), close.repeat(200));
        let (source, report) = lint_text(name, text);
        let error = single_error(&report);
        assert_eq!(error.kind, DiagnosticKind::TooDeep, "{name} {open}");
        assert_eq!(error.position, at(1, 128 * width + 1), "{name} {open}");
        let shown = source.slice(error.primary_span().unwrap());
        assert!(shown.starts_with(&open[..1]), "{name}: label on {shown:?}");
    }
}

#[test]
fn hundred_thousand_nested_block_sequences_on_one_line_stop_at_the_depth_limit() {
    let text = format!("{}x\n", "- ".repeat(100_000));
    let (source, report) = lint_text("deep.yaml", text);
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::TooDeep);
    assert_message(error, "deeper than the limit of 128 levels");
    // The 129th `-` is the first too deep.
    assert_eq!(error.position, at(1, 257));
    assert_eq!(source.slice(error.primary_span().unwrap()), "-");
}

#[test]
fn depth_limit_is_adjustable() {
    let text = format!("{}x\n", "- ".repeat(200));
    let (_, report) = lint_text("deep.yaml", text.clone());
    assert_eq!(single_error(&report).kind, DiagnosticKind::TooDeep);
    let limits = Limits::default().with_max_depth(300);
    let (_, report) = lint_with("deep.yaml", text, limits);
    assert_eq!(
        report.status,
        Status::NotATemplate,
        "{:#?}",
        report.diagnostics
    );
    assert!(!report.has_errors());
}

#[test]
fn ten_megabyte_line_is_read_and_the_finding_after_it_is_kept() {
    let mut text = String::from("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Metadata: ");
    text.push_str(&"x".repeat(10_000_000));
    text.push_str("\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: redis, Port: 6379}\n");
    let (_, report) = lint_text("long.yaml", text);
    assert_eq!(report.status, Status::Linted);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let [finding] = report.findings.as_slice() else {
        panic!("{:#?}", report.findings);
    };
    assert_eq!(
        finding.location.unwrap().start,
        LineCol {
            line: 7,
            column: 39
        }
    );
}

#[test]
fn million_key_mapping_is_read_and_the_finding_after_it_is_kept() {
    let mut text = String::from("Metadata:\n");
    for i in 0..MANY_KEYS {
        text.push_str(&format!(" k{i}: 1\n"));
    }
    text.push_str("Resources:\n  Cache: {Type: AWS::ElastiCache::ReplicationGroup}\n");
    assert!(text.len() < Limits::DEFAULT_MAX_FILE_SIZE);
    let (_, report) = lint_text("keys.yaml", text);
    assert_eq!(report.status, Status::Linted, "{:#?}", report.diagnostics);
    assert_eq!(report.findings.len(), 1);
    let line = u32::try_from(MANY_KEYS).unwrap() + 3;
    assert_eq!(report.findings[0].location.unwrap().start.line, line);
}

#[test]
fn million_key_json_object_is_read() {
    let mut text = String::from("{\"Metadata\": {");
    for i in 0..MANY_KEYS {
        text.push_str(&format!("\"{i}\":0,"));
    }
    text.push_str("\"end\":0},\n\"Resources\": {\"Cache\": {\"Type\": \"AWS::ElastiCache::ReplicationGroup\"}}}");
    let (_, report) = lint_text("keys.json", text);
    assert_eq!(report.status, Status::Linted, "{:#?}", report.diagnostics);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].location.unwrap().start.line, 2);
}

#[test]
fn file_over_the_size_limit_is_refused_before_parsing() {
    let limits = Limits::default().with_max_file_size(1000);
    let big = format!("Resources: {{}}\n#{}\n", "x".repeat(2000));
    let (_, report) = lint_with("big.yaml", big.clone(), limits);
    let error = single_error(&report);
    assert_eq!(error.kind, DiagnosticKind::FileTooLarge);
    assert_message(
        error,
        &format!(
            "the file is {} bytes, more than the limit of 1000 bytes",
            big.len()
        ),
    );
    assert!(error.labels.is_empty() && error.position.is_none());
    assert_eq!(
        error.help.as_deref(),
        Some("raise the limit with `--max-file-size` if this file really is a template")
    );
    // At the limit exactly, the file is read.
    let exact = format!("Resources: {{}}\n#{}\n", "x".repeat(1000 - 16));
    assert_eq!(exact.len(), 1000);
    let (_, report) = lint_with("exact.yaml", exact, limits);
    assert_eq!(report.status, Status::Linted, "{:#?}", report.diagnostics);
}

#[test]
fn default_file_size_limit_is_16_mib_and_checked_on_the_length() {
    let limits = Limits::default();
    assert_eq!(limits.max_file_size, 16 * 1024 * 1024);
    assert!(limits.check_size(16 * 1024 * 1024).is_none());
    let error = limits
        .check_size(200 * 1024 * 1024)
        .expect("200 MB is refused");
    assert_eq!(error.kind, DiagnosticKind::FileTooLarge);
}

#[test]
fn node_limit_stops_parsing_with_a_located_error() {
    let limits = Limits::default().with_max_nodes(50);
    let items = vec!["1"; 100].join(", ");
    for name in ["t.yaml", "t.json"] {
        let text = format!("{{\"Resources\": {{}}, \"Metadata\": [{items}]}}");
        let (_, report) = lint_with(name, text, limits);
        let error = single_error(&report);
        assert_eq!(error.kind, DiagnosticKind::TooManyNodes, "{name}");
        assert_message(error, "more than 50 nodes");
    }
}

#[test]
fn possibility_limit_turns_a_combinatorial_port_into_undetermined() {
    // `"1" + A + B` over 21 x 21 allowed values: 441 combinations. Only the
    // last one, 1 + 12 + 11 = 11211, is memcached's default port, and it lies
    // past the default limit of 256.
    let values = |last: &str| {
        let mut values: Vec<String> = (20..40).map(|i| format!("\"{i}\"")).collect();
        values.push(format!("\"{last}\""));
        values.join(", ")
    };
    let text = format!(
        "Parameters:\n  A: {{Type: String, AllowedValues: [{}]}}\n  B: {{Type: String, AllowedValues: [{}]}}\n\
         Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: memcached\n      Port: !Join [\"\", [\"1\", !Ref A, !Ref B]]\n",
        values("12"),
        values("11")
    );
    let (_, report) = lint_text("t.yaml", text.clone());
    assert_undetermined(
        &report,
        "more than 256 combinations of values; not all were evaluated",
    );
    // With room for every combination, the default port is found.
    let limits = Limits::default().with_max_possibilities(1000);
    let (_, report) = lint_with("t.yaml", text, limits);
    assert_eq!(report.findings.len(), 1, "{:#?}", report.undetermined);
    assert!(report.findings[0].message.contains("port 11211"));
}

// ----- positions -----------------------------------------------------------

#[test]
fn line_col_of_an_offset_inside_a_character_is_that_characters_column() {
    // Regression: the second byte of `é` used to report the next column.
    let source = SourceFile::new("t.yaml", "a: é😀\n");
    assert_eq!(source.line_col(4), LineCol { line: 1, column: 4 });
    for inner in 6..9 {
        assert_eq!(source.line_col(inner), LineCol { line: 1, column: 5 });
    }
    assert_eq!(source.line_col(9), LineCol { line: 1, column: 6 });
}

/// A redis cache whose `Port` is `port`, with a parameter `Empty` that
/// defaults to the empty string.
fn cache_with_empty_parameter(port: &str) -> String {
    format!(
        "Parameters:\n  Empty: {{Type: String, Default: ''}}\nResources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: redis\n      Port: {port}\n"
    )
}

#[test]
fn fn_sub_with_twenty_thousand_variables_is_evaluated_in_linear_time() {
    // Regression: every `${Empty}` cloned all the values before it, so this
    // 100 KB template took about 15 s in a release build.
    let port = format!("!Sub \"{}6379\"", "${Empty}".repeat(20_000));
    let (_, report) = lint_text("t.yaml", cache_with_empty_parameter(&port));
    let [finding] = report.findings.as_slice() else {
        panic!("{:#?} {:#?}", report.findings, report.undetermined);
    };
    assert!(
        finding.message.contains("listens on port 6379"),
        "{}",
        finding.message
    );
}

#[test]
fn fn_join_of_twenty_thousand_items_is_evaluated_in_linear_time() {
    let items = vec!["!Ref Empty"; 20_000].join(", ");
    let port = format!("!Join [\"\", [{items}, \"6379\"]]");
    let (_, report) = lint_text("t.yaml", cache_with_empty_parameter(&port));
    assert_eq!(report.findings.len(), 1, "{:#?}", report.undetermined);
}

#[test]
fn port_list_of_forty_thousand_items_is_undetermined_in_linear_time() {
    let port = format!("[{}]", vec!["6379"; 40_000].join(", "));
    let (_, report) = lint_text("t.yaml", cache_with_empty_parameter(&port));
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is a list, not a number"
    );
}

#[test]
fn indentless_sequence_whose_first_item_is_tagged_has_a_forward_span() {
    // Regression (parse_lint fuzzer): the sequence event starts at its first
    // item, and the item's tag was taken for the sequence's, so the sequence
    // got the span 10..9 (a debug-build panic, a reversed span in release).
    for text in ["a:\n- !Ref\n", "a:\n- !Ref x\n", "a:\n- !Unknown\n- b\n"] {
        let source = SourceFile::new("t.yaml", text);
        let parsed = syntax::parse(&source, &Limits::default());
        let document = parsed.document.expect("a document");
        let list = document.get_value(document.root(), "a").expect("key a");
        let span = document.span(list);
        assert!(span.start <= span.end, "{text:?}: {span:?}");
        assert!(
            source.slice(span).starts_with('!'),
            "{text:?}: {:?}",
            source.slice(span)
        );
        assert!(
            source
                .slice(span)
                .ends_with(text.trim_end().rsplit(' ').next().unwrap())
        );
    }
}

// ----- wrong shapes and values ---------------------------------------------

fn properties_problem(properties: &str, found: &str) {
    let text = format!(
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:{properties}\n"
    );
    let (_, report) = lint_text("t.yaml", text);
    assert_eq!(
        undetermined_reason(&report),
        format!("`Properties` is {found}, not a mapping")
    );
    let problem = diagnostic_of(&report, DiagnosticKind::TemplateProblem);
    assert_eq!(problem.severity, Severity::Warning);
    assert_message(
        problem,
        &format!("`Properties` of `Cache` must be a mapping, not {found}"),
    );
    assert_eq!(
        problem.labels.len(),
        2,
        "the value and the `Properties` key"
    );
}

#[test]
fn properties_as_a_list_is_a_template_problem_and_undetermined() {
    properties_problem("\n      - Engine: redis", "a list");
}

#[test]
fn properties_as_a_string_is_a_template_problem_and_undetermined() {
    properties_problem(" redis", "a scalar");
}

#[test]
fn properties_as_null_is_a_template_problem_and_undetermined() {
    properties_problem("", "null");
}

#[test]
fn port_as_a_list_is_undetermined() {
    let (_, report) = lint_text("t.yaml", cache_with_port("[6379]"));
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is a list, not a number"
    );
    assert_eq!(
        report.undetermined[0].location.unwrap().start,
        LineCol { line: 2, column: 3 }
    );
}

#[test]
fn port_as_an_empty_mapping_is_undetermined() {
    let (_, report) = lint_text("t.yaml", cache_with_port("{}"));
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is a mapping, not a number"
    );
}

#[test]
fn port_as_a_fractional_float_is_undetermined_not_rounded() {
    let (_, report) = lint_text("t.yaml", cache_with_port("6379.5"));
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is 6379.5, which is not a whole number"
    );
}

#[test]
fn port_as_a_whole_float_is_that_integer_with_a_note() {
    let (_, report) = lint_text("t.yaml", cache_with_port("6379.0"));
    assert_eq!(report.findings.len(), 1, "{:#?}", report.undetermined);
    assert!(
        report.findings[0]
            .notes
            .iter()
            .any(|n| n.contains("`integer` type accepts any number with no fractional part")),
        "{:#?}",
        report.findings[0].notes
    );
}

#[test]
fn port_as_a_padded_string_is_undetermined_not_trimmed() {
    let (_, report) = lint_text("t.yaml", cache_with_port("\"  6379 \""));
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is \"  6379 \", which is not a whole number"
    );
}

#[test]
fn port_as_yaml_hex_integer_is_the_default_port() {
    let (_, report) = lint_text("t.yaml", cache_with_port("0x18EB"));
    let [finding] = report.findings.as_slice() else {
        panic!(
            "0x18EB is 6379: {:#?} {:#?}",
            report.findings, report.undetermined
        );
    };
    assert!(
        finding
            .message
            .contains("listens on port 6379, the default port of redis"),
        "{}",
        finding.message
    );
    assert_eq!(
        finding.location.unwrap().start,
        LineCol {
            line: 6,
            column: 13
        }
    );
}

#[test]
fn port_above_65535_is_undetermined() {
    let (_, report) = lint_text("t.yaml", cache_with_port("99999"));
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is 99999, which is not a TCP port (1 to 65535)"
    );
}

#[test]
fn negative_port_is_undetermined() {
    let (_, report) = lint_text("t.yaml", cache_with_port("-1"));
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is -1, which is not a TCP port (1 to 65535)"
    );
}

#[test]
fn boolean_port_is_undetermined() {
    let (_, report) = lint_text("t.yaml", cache_with_port("true"));
    assert_eq!(
        undetermined_reason(&report),
        "`Port` is a boolean, not a number"
    );
}

#[test]
fn engine_as_a_list_is_undetermined() {
    let text = "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: [\"redis\"]\n";
    let (_, report) = lint_text("t.yaml", text);
    assert_eq!(undetermined_reason(&report), "`Engine` is not a string");
}

#[test]
fn if_naming_a_missing_condition_is_a_template_problem_and_undetermined() {
    let (source, report) = lint_text("t.yaml", cache_with_port("!If [Nope, 6379, 6380]"));
    let problem = diagnostic_of(&report, DiagnosticKind::TemplateProblem);
    assert_message(problem, "condition `Nope` is not defined in `Conditions`");
    assert_eq!(problem.position, at(6, 18));
    assert_eq!(source.slice(problem.primary_span().unwrap()), "Nope");
    assert_undetermined(&report, "condition `Nope` cannot be evaluated");
}

#[test]
fn ref_to_nothing_is_a_template_problem_and_the_port_is_undetermined() {
    let (source, report) = lint_text("t.yaml", cache_with_port("!Ref Nothing"));
    let problem = diagnostic_of(&report, DiagnosticKind::TemplateProblem);
    assert_message(
        problem,
        "`Ref` to `Nothing`, which is neither a parameter nor a resource",
    );
    assert_eq!(problem.position, at(6, 13));
    assert_eq!(
        source.slice(problem.primary_span().unwrap()),
        "!Ref Nothing"
    );
    assert_undetermined(
        &report,
        "`Ref` to `Nothing`, which is neither a parameter nor a resource",
    );
}

#[test]
fn cycle_of_conditions_is_reported_once_and_ends() {
    let text = "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Condition: A\n    Properties:\n      Engine: redis\n      Port: !If [B, 6379, 6380]\n";
    let (_, report) = lint_text("t.yaml", text);
    let cycles: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.message
                .contains("conditions refer to each other in a cycle")
        })
        .collect();
    assert_eq!(cycles.len(), 1, "{:#?}", report.diagnostics);
    assert_message(cycles[0], "A -> B -> A");
    assert_eq!(cycles[0].kind, DiagnosticKind::TemplateProblem);
    assert!(undetermined_reason(&report).contains("condition `A` does not hold"));
}

/// `C0: !Condition C1`, ..., `C{n-1}: !Condition C{n}`, `C{n}: true`, and a
/// cache that exists when `C0` holds.
fn condition_chain(n: usize) -> String {
    let mut text = String::from("Conditions:\n");
    for i in 0..n {
        text.push_str(&format!("  C{i}: !Condition C{}\n", i + 1));
    }
    text.push_str(&format!("  C{n}: !Equals [a, a]\n"));
    text.push_str("Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Condition: C0\n    Properties:\n      Engine: redis\n");
    text
}

#[test]
fn condition_chain_of_ten_thousand_is_cut_off_instead_of_overflowing_the_stack() {
    // Regression: each `!Condition` reference recursed, so a 250 KB chain of
    // 10,000 conditions aborted the process with a stack overflow (at about
    // 2,000 on a 2 MiB thread in a debug build).
    let (_, report) = lint_text("t.yaml", condition_chain(10_000));
    let problem = diagnostic_of(&report, DiagnosticKind::TemplateProblem);
    assert_message(
        problem,
        "conditions refer to each other more than 16 levels deep",
    );
    // Reported where the too-deep condition is used: the resource's
    // `Condition: C0` (the chain's depth is worked out up front, so the
    // place does not depend on which resource is evaluated first).
    assert_eq!(problem.position, at(10_006, 16));
    assert!(undetermined_reason(&report).contains("condition `C0` does not hold"));
}

#[test]
fn condition_chain_as_deep_as_real_templates_is_evaluated() {
    // The deepest chain in the 5,700 corpus templates is 6 conditions.
    let (_, report) = lint_text("t.yaml", condition_chain(15));
    assert_eq!(report.findings.len(), 1, "{:#?}", report.diagnostics);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn for_each_with_a_missing_collection_is_a_template_problem_and_makes_no_resources() {
    let text = "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Caches:\n    - Name\n    - !Ref Missing\n    - Cache${Name}:\n        Type: AWS::ElastiCache::CacheCluster\n        Properties:\n          Engine: redis\n";
    let (_, report) = lint_text("t.yaml", text);
    assert_eq!(report.status, Status::Linted);
    let problem = diagnostic_of(&report, DiagnosticKind::TemplateProblem);
    assert_message(
        problem,
        "cannot tell which values the collection of `Fn::ForEach::Caches` takes",
    );
    assert_eq!(problem.position, at(5, 7));
    assert!(report.findings.is_empty() && report.undetermined.is_empty());
}

#[test]
fn for_each_without_a_collection_item_is_a_template_problem() {
    let text = "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Caches:\n    - Name\n    - Cache${Name}:\n        Type: AWS::ElastiCache::CacheCluster\n";
    let (_, report) = lint_text("t.yaml", text);
    let problem = diagnostic_of(&report, DiagnosticKind::TemplateProblem);
    assert_message(problem, "takes a list of three items");
    assert_eq!(problem.position, at(3, 3));
}

#[test]
fn document_that_is_a_scalar_or_has_no_resources_is_not_a_template() {
    for (text, fragment) in [
        ("just text", "the document is not a mapping"),
        ("{}", "no `Resources` section"),
        (
            "AWSTemplateFormatVersion: '2010-09-09'\n",
            "the template has no `Resources` section",
        ),
    ] {
        let (_, report) = lint_text("t.yaml", text);
        assert_eq!(report.status, Status::NotATemplate, "{text}");
        assert_message(
            diagnostic_of(&report, DiagnosticKind::NotATemplate),
            fragment,
        );
        assert_eq!(report.diagnostics[0].position, at(1, 1));
    }
}

#[test]
fn anchored_mapping_key_alias_reads_as_its_scalar() {
    let source = SourceFile::new("t.yaml", "&k Port: 1\nother: {*k : 2}\nResources: {}\n");
    let parsed = syntax::parse(&source, &Limits::default());
    let document = parsed.usable_document().expect("parses");
    let other = document.get_value(document.root(), "other").unwrap();
    assert!(
        matches!(document.kind(other), NodeKind::Mapping(entries) if &*entries[0].key.text == "Port")
    );
}

// ----- evaluation budgets (issue 11) -----------------------------------------

/// Runs `f`, failing when it takes longer than `seconds` (generous: a debug
/// build on a busy machine; the reproducers took minutes or never ended).
fn within<T>(seconds: u64, what: &str, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(
        took < std::time::Duration::from_secs(seconds),
        "{what} took {took:?}"
    );
    out
}

fn undetermined_reasons(report: &Report) -> Vec<&str> {
    report
        .undetermined
        .iter()
        .map(|u| u.reason.as_str())
        .collect()
}

/// Fourteen levels of conditions, each an `Fn::Or` of six references to the
/// one before (half of them negated): 1.8 KB that took 40 s and 7.6 GB.
fn condition_dag(base: &str, port: &str) -> String {
    let mut text =
        format!("Parameters:\n  Env: {{Type: String, Default: dev}}\nConditions:\n  C0: {base}\n");
    for level in 1..=14 {
        let previous = level - 1;
        let refs: Vec<String> = (0..6)
            .map(|k| {
                if k % 2 == 0 {
                    format!("!Condition C{previous}")
                } else {
                    format!("!Not [!Condition C{previous}]")
                }
            })
            .collect();
        text.push_str(&format!("  C{level}: !Or [{}]\n", refs.join(", ")));
    }
    text.push_str(&format!(
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: c\n      Port: {port}\n"
    ));
    text
}

#[test]
fn condition_dag_with_repeated_references_is_evaluated_in_bounded_time() {
    for base in [
        "!Equals [!Ref Env, prod]",
        "!Equals [!Ref AWS::AccountId, '1']",
    ] {
        // `C_n` is `C_{n-1} or not C_{n-1}`: it always holds.
        let (_, report) = within(30, base, || {
            lint_text("dag.yaml", condition_dag(base, "!If [C14, 6379, 6380]"))
        });
        assert_eq!(
            report.findings.len(),
            1,
            "{base}: {:#?}",
            report.undetermined
        );
        let (_, report) = within(30, base, || {
            lint_text("dag.yaml", condition_dag(base, "!If [C14, 6380, 6379]"))
        });
        assert!(report.findings.is_empty(), "{base}: {:#?}", report.findings);
        assert!(
            report.undetermined.is_empty(),
            "{base}: {:#?}",
            report.undetermined
        );
    }
}

/// `n` nested loops over `items` values each, around `body`.
fn nested_loops(n: usize, items: usize, body: &str) -> String {
    let collection: Vec<String> = (0..items).map(|i| format!("v{i}")).collect();
    let mut text = String::from("Transform: AWS::LanguageExtensions\nResources:\n");
    let mut indent = String::from("  ");
    for depth in 0..n {
        text.push_str(&format!(
            "{indent}Fn::ForEach::L{depth}:\n{indent}  - X{depth}\n{indent}  - [{}]\n{indent}  -",
            collection.join(", ")
        ));
        if depth + 1 < n {
            text.push('\n');
        }
        indent.push_str("    ");
    }
    text.push_str(&format!(" {body}\n"));
    text
}

fn template_problems<'r>(report: &'r Report, fragment: &str) -> Vec<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::TemplateProblem && d.message.contains(fragment))
        .collect()
}

#[test]
fn for_each_six_nested_loops_report_the_nesting_problem_once_with_a_count() {
    // 20^5 iterations each met the sixth loop: 3.2 million copies of one warning.
    let text = nested_loops(6, 20, "{}");
    let (_, report) = within(60, "six loops", || lint_text("loops.yaml", text));
    let nesting = template_problems(&report, "nest deeper");
    assert_eq!(nesting.len(), 1, "{:#?}", report.diagnostics);
    assert!(
        nesting[0]
            .notes
            .iter()
            .any(|n| n.starts_with("met ") && n.contains(" times")),
        "{:#?}",
        nesting[0]
    );
    assert_eq!(template_problems(&report, "iterations").len(), 1);
    assert!(report.diagnostics.len() < 10, "{:#?}", report.diagnostics);
}

#[test]
fn for_each_five_loops_of_sixty_with_an_empty_body_stop_at_the_iteration_budget() {
    // 60^5 = 777 million iterations that make nothing took 31 s.
    let text = nested_loops(5, 60, "{}");
    let (_, report) = within(60, "five loops of sixty", || lint_text("loops.yaml", text));
    let budget = template_problems(&report, "iterations");
    assert_eq!(budget.len(), 1, "{:#?}", report.diagnostics);
    assert!(
        budget[0].message.contains("not expanded"),
        "{}",
        budget[0].message
    );
}

#[test]
fn allowed_values_listed_twice_in_a_long_sub_are_one_choice() {
    // `['', '']` used 4,000 times in one `Fn::Sub` took 96 s.
    let sub = "${P}".repeat(4000);
    let text = format!(
        "Parameters:\n  P:\n    Type: String\n    AllowedValues: ['', '']\nResources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: c\n      Port: !Sub \"{sub}6379\"\n"
    );
    let (_, report) = within(30, "duplicate allowed values", || {
        lint_text("dup.yaml", text)
    });
    assert_eq!(report.findings.len(), 1, "{:#?}", report.undetermined);
    assert!(
        report.findings[0].notes.is_empty(),
        "{:#?}",
        report.findings[0].notes
    );
}

#[test]
fn list_longer_than_the_evaluation_budget_is_undetermined_without_being_walked() {
    // A million items under `Port` took 1.4 GB; this is twice the budget.
    let items = vec!["1"; 200_000].join(",");
    let text = format!(
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: c\n      Port: [{items}]\n"
    );
    let (_, report) = within(60, "long list", || lint_text("list.yaml", text));
    assert!(report.findings.is_empty());
    let reasons = undetermined_reasons(&report);
    assert!(
        reasons.len() == 1 && reasons[0].contains("too large to evaluate"),
        "{reasons:?}"
    );
}

/// A mapping of `keys` regions, each mapping to 6380 but the last (6379).
fn regional_mapping(keys: usize, default_value: &str) -> String {
    let mut text = String::from("Transform: AWS::LanguageExtensions\nMappings:\n  Ports:\n");
    for i in 0..keys {
        let port = if i + 1 == keys { 6379 } else { 6380 };
        text.push_str(&format!("    r{i}: {{Port: {port}}}\n"));
    }
    text.push_str(&format!(
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: c\n      Port: !FindInMap [Ports, !Ref AWS::Region, Port{default_value}]\n"
    ));
    text
}

#[test]
fn find_in_map_by_region_over_more_keys_than_the_cap_is_undetermined_not_partly_known() {
    // The default port in key 300 of 300 was silently missed.
    let (_, report) = lint_text("map.yaml", regional_mapping(300, ""));
    assert!(report.findings.is_empty());
    let reasons = undetermined_reasons(&report);
    assert!(
        reasons.len() == 1 && reasons[0].contains("combinations"),
        "{reasons:?}"
    );
    // Below the cap every key is looked up, the last one included.
    let (_, report) = lint_text("map.yaml", regional_mapping(200, ""));
    assert_eq!(report.findings.len(), 1, "{:#?}", report.undetermined);
    assert_eq!(
        report.findings[0].notes[0].as_ref(),
        "In r199: redis on its default port 6379"
    );
}

#[test]
fn find_in_map_default_value_applies_in_regions_the_mapping_does_not_list() {
    let text = regional_mapping(2, ", {DefaultValue: 6379}").replace("Port: 6379}", "Port: 6381}");
    let (_, report) = lint_text("map.yaml", text);
    assert_eq!(report.findings.len(), 1, "{:#?}", report.undetermined);
    assert_eq!(
        report.findings[0].notes[0].as_ref(),
        "In a region other than r0 and r1: redis on its default port 6379"
    );
}

#[test]
fn a_given_region_pins_the_pseudo_parameter() {
    let text = regional_mapping(3, "");
    let mut options = LintOptions::default();
    options.parameters.insert("AWS::Region".into(), "r0".into());
    let (_, report) = {
        let source = SourceFile::new("map.yaml", text.clone());
        let report = lint(&source, &options);
        (source, report)
    };
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    options.parameters.insert("AWS::Region".into(), "r2".into());
    let report = lint(&SourceFile::new("map.yaml", text), &options);
    assert_eq!(report.findings.len(), 1);
    assert!(
        report.findings[0].notes.is_empty(),
        "{:#?}",
        report.findings[0].notes
    );
}
