//! The rule documentation in `docs/rules.md` is generated from the rule
//! metadata; this test fails when it is stale and rewrites it when
//! `UPDATE_DOCS=1` is set.

use std::path::Path;

#[test]
fn docs_rules_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let expected = cfn_port_rules::rules::rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).expect("docs/rules.md is writable");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p cfn-port-rules --test docs`"
    );
}

#[test]
fn every_rule_has_documentation_and_fixtures() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
    for rule in cfn_port_rules::rules::all() {
        let meta = rule.meta();
        assert!(
            meta.documentation.len() > 200,
            "{} lacks documentation",
            meta.id
        );
        assert!(
            !meta.remediation.is_empty() && meta.help_uri.starts_with("https://"),
            "{}",
            meta.id
        );
        let folder = testdata.join(meta.id.replace('-', "").to_lowercase());
        for kind in ["pass", "fail"] {
            let count = std::fs::read_dir(folder.join(kind)).map_or(0, Iterator::count);
            assert!(
                count > 0,
                "{} has no {kind} fixtures in {}",
                meta.id,
                folder.display()
            );
        }
    }
}

/// Rules read only the neutral model: a rule file that names a
/// CloudFormation type (`AWS::...`) or a Terraform resource type
/// (`aws_...`) has let a source's spelling in. Those names live in
/// `src/kind.rs`, one row per kind.
#[test]
fn rule_files_name_no_source_types() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut checked = 0;
    for entry in std::fs::read_dir(&rules).expect("src/rules") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a rule file");
        for (number, line) in text.lines().enumerate() {
            let named = line.contains("AWS::")
                || line.match_indices("aws_").any(|(at, _)| {
                    !line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                });
            assert!(
                !named,
                "{}:{}: a rule names a source's type: {line}",
                path.display(),
                number + 1
            );
        }
        checked += 1;
    }
    assert!(checked >= 3, "expected the rule files, read {checked}");
}
