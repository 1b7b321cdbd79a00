//! A cheap guess at whether a text is meant to be a CloudFormation template,
//! for text that may not even parse.
//!
//! A directory walk meets many YAML and JSON files that are not templates
//! (a `docker-compose.yaml` with merge keys, a multi-document Kubernetes
//! manifest, a deeply nested `package-lock.json`). Those that fail to parse
//! or to read as a template are skipped and counted; only a file that
//! [looks like a template](looks_like_template) is reported as broken.
//!
//! ```
//! use cfn_port_rules::looks_like_template;
//!
//! assert!(looks_like_template("AWSTemplateFormatVersion: '2010-09-09'\n"));
//! assert!(looks_like_template("Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: [}\n"));
//! assert!(!looks_like_template("services:\n  web: {<<: *defaults}\n"));
//! assert!(!looks_like_template("kind: ConfigMap\n---\nkind: Secret\n"));
//! ```

use memchr::memmem;

/// Whether `text` looks like a CloudFormation template, whether or not it
/// parses. True when either:
///
/// - `AWSTemplateFormatVersion` appears as a key (followed by `:`, after an
///   optional closing quote), a word no other format uses; or
/// - `Resources` appears as a top-level YAML key (at the start of a line,
///   optionally quoted) or as a JSON key (`"Resources":` at any depth, since
///   JSON may be minified), and a resource type prefix (`AWS::`, `Custom::`
///   or `Alexa::`) appears anywhere.
///
/// It reads the text at most a few times over with `memchr` searches and
/// allocates nothing, so it can run on every file a walk finds.
#[must_use]
pub fn looks_like_template(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memmem::find_iter(bytes, "AWSTemplateFormatVersion")
        .any(|at| is_key_end(bytes, at + "AWSTemplateFormatVersion".len()))
    {
        return true;
    }
    let has_resources_key = memmem::find_iter(bytes, "Resources").any(|at| {
        is_key_end(bytes, at + "Resources".len())
            && (is_yaml_top_level(bytes, at) || is_json_key(bytes, at))
    });
    has_resources_key
        && ["AWS::", "Custom::", "Alexa::"]
            .iter()
            .any(|prefix| memmem::find(bytes, prefix.as_bytes()).is_some())
}

/// Whether a key ends at `end`: an optional closing quote, blanks, then `:`.
fn is_key_end(bytes: &[u8], end: usize) -> bool {
    let mut rest = bytes.get(end..).unwrap_or_default();
    if let [b'"' | b'\'', tail @ ..] = rest {
        rest = tail;
    }
    let blanks = rest
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t'))
        .count();
    rest.get(blanks) == Some(&b':')
}

/// Whether the word at `at` starts a line, after an optional opening quote
/// (a byte order mark counts as the start of the file).
fn is_yaml_top_level(bytes: &[u8], at: usize) -> bool {
    let before = &bytes[..at];
    let before = before
        .strip_suffix(b"\"")
        .or_else(|| before.strip_suffix(b"'"))
        .unwrap_or(before);
    // NEL, LS and PS end a line for CloudFormation's YAML 1.1 parser.
    before.is_empty()
        || before == "\u{feff}".as_bytes()
        || ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
            .iter()
            .any(|line_break| before.ends_with(line_break.as_bytes()))
}

/// Whether the word at `at` is a quoted JSON key.
fn is_json_key(bytes: &[u8], at: usize) -> bool {
    at > 0 && bytes[at - 1] == b'"' && bytes.get(at + "Resources".len()) == Some(&b'"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_recognised_even_when_broken() {
        assert!(looks_like_template(
            "\"AWSTemplateFormatVersion\" : \"2010-09-09\""
        ));
        assert!(looks_like_template(
            "{\"Resources\":{\"Q\":{\"Type\":\"AWS::SQS::Queue\"}}"
        ));
        assert!(looks_like_template(
            "\u{feff}Resources:\n  C:\n    Type: AWS::X::Y\n  <<: *m\n"
        ));
        assert!(looks_like_template(
            "'Resources':\n  C: {Type: Custom::Thing}\n---\n"
        ));
    }

    #[test]
    fn nel_ends_a_line_as_in_yaml_1_1() {
        assert!(looks_like_template(
            "x: 1\u{85}Resources:\u{85}  C: {Type: AWS::X::Y}"
        ));
    }

    #[test]
    fn other_formats_are_not_templates() {
        // A Kubernetes manifest with a resources key, indented.
        assert!(!looks_like_template(
            "kind: Deployment\nspec:\n  resources:\n    limits: {cpu: 1}\n---\nkind: Service\n"
        ));
        // `Resources` as a nested YAML key, or without any resource type.
        assert!(!looks_like_template("x:\n  Resources:\n    a: AWS::b\n"));
        assert!(!looks_like_template("Resources:\n  a: 1\n"));
        // The word in a value is not a key.
        assert!(!looks_like_template(
            "note: AWSTemplateFormatVersion is a word\n"
        ));
    }
}
