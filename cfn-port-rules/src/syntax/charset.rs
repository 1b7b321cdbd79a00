//! Characters CloudFormation's parsers refuse, or read differently from the
//! YAML 1.2 and JSON readers used here, found before parsing.
//!
//! CloudFormation reads YAML 1.1 with a SnakeYAML-like parser ("Cannot parse
//! template as YAML : special characters are not allowed") and JSON with a
//! strict parser. So:
//!
//! - **YAML, non-printable characters** (C0 controls other than tab, line
//!   feed and carriage return; DEL; C1 controls other than NEL; U+FFFE and
//!   U+FFFF) are refused anywhere in the stream, comments included, as
//!   libyaml and SnakeYAML refuse them. This reader's YAML 1.2 scanner
//!   accepted them in comments.
//! - **YAML, NEL (U+0085), LS (U+2028) and PS (U+2029)** are line breaks in
//!   YAML 1.1 and ordinary characters in YAML 1.2: CloudFormation and this
//!   reader would see different templates, so the file is an error at the
//!   first one, never a silent "not a template".
//! - **YAML, `%YAML 2.0`**: a major version other than 1 is refused, as
//!   libyaml and SnakeYAML refuse it ("found incompatible YAML document").
//! - **JSON, raw control characters** other than tab are refused inside
//!   strings (RFC 8259 requires them escaped; outside strings they are not
//!   JSON at all). A raw tab in a string stays accepted, as before.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::source::Span;

/// The first character of YAML text that CloudFormation would refuse or
/// read as a line break where this reader does not, or a `%YAML` directive
/// of another major version.
pub(super) fn yaml_problem(text: &str) -> Option<Diagnostic> {
    unsupported_version(text).or_else(|| {
        // Most text has no byte that could start a refused character, and
        // is then not decoded at all.
        let suspect = text.bytes().any(|b| {
            (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7f | 0xc2 | 0xe2 | 0xef)
        });
        if !suspect {
            return None;
        }
        let (at, c) = text.char_indices().find(|&(_, c)| !yaml_allowed(c))?;
        let span = Span::new(at, at + c.len_utf8());
        let code = u32::from(c);
        let diagnostic = if matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
            syntax(
                span,
                format!("U+{code:04X} ({}) is a line break in YAML 1.1, which CloudFormation reads, but not in YAML 1.2", name(c)),
                "this line break",
            )
            .with_help("use line feeds (`\\n`) as line breaks, and write the character as an escape in a double-quoted string if it is meant as text")
        } else {
            syntax(
                span,
                format!("control character U+{code:04X} is not allowed in YAML"),
                "this character",
            )
            .with_note("CloudFormation refuses it: \"special characters are not allowed\"")
            .with_help("remove it, or write it as an escape in a double-quoted string (`\\x1b`)")
        };
        Some(diagnostic)
    })
}

/// The first raw control character (other than tab) inside a JSON string,
/// or anywhere else where JSON allows only whitespace.
pub(super) fn json_problem(text: &str) -> Option<Diagnostic> {
    let at = text
        .bytes()
        .position(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))?;
    let code = text.as_bytes()[at];
    Some(
        syntax(
            Span::new(at, at + 1),
            format!("control character U+{code:04X} must be escaped in JSON"),
            "this character",
        )
        .with_note("RFC 8259 allows no raw control characters, and CloudFormation's JSON parser refuses them")
        .with_help(format!("write it as `\\u{code:04x}` inside a string")),
    )
}

/// Whether YAML 1.1 and CloudFormation accept `c` with the meaning this
/// reader gives it: printable, and not a YAML 1.1-only line break.
fn yaml_allowed(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

fn name(c: char) -> &'static str {
    match c {
        '\u{85}' => "NEL, next line",
        '\u{2028}' => "LS, line separator",
        _ => "PS, paragraph separator",
    }
}

fn syntax(span: Span, message: String, label: &str) -> Diagnostic {
    Diagnostic::new(DiagnosticKind::Syntax, message, Label::primary(span, label))
}

/// A `%YAML` directive before the document whose major version is not 1.
fn unsupported_version(text: &str) -> Option<Diagnostic> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_start_matches('\u{feff}').trim_end();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let Some(rest) = content.strip_prefix("%YAML") else {
            if content.starts_with('%') {
                continue; // another directive, such as %TAG
            }
            return None; // the document has started
        };
        let version = rest.split('#').next().unwrap_or_default().trim();
        if version.split('.').next() == Some("1") {
            continue;
        }
        let at = start + line.find("%YAML").unwrap_or(0);
        return Some(
            syntax(
                Span::new(at, at + content.len().min(line.len() - (at - start))),
                format!("YAML version {version} is not supported; CloudFormation reads YAML 1.1"),
                "this directive",
            )
            .with_help("remove the `%YAML` line or make it `%YAML 1.1`"),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_yaml_passes() {
        assert!(yaml_problem("a: b # é \u{202e} 😀\r\n\tc: 'd'\n").is_none());
        assert!(yaml_problem("%YAML 1.1\n---\na: 1\n").is_none());
        assert!(yaml_problem("%YAML 1.2\n%TAG ! tag:x,2000:\n---\na: 1\n").is_none());
    }

    #[test]
    fn yaml_controls_line_breaks_and_versions_are_refused() {
        let esc = yaml_problem("a: 1 # \x1b[2J\n").unwrap();
        assert_eq!(esc.primary_span(), Some(Span::new(7, 8)));
        assert!(esc.message.contains("U+001B"), "{}", esc.message);
        let c1 = yaml_problem("a: \u{9b}\n").unwrap();
        assert!(c1.message.contains("U+009B"), "{}", c1.message);
        let nel = yaml_problem("a: 1\u{85}b: 2\n").unwrap();
        assert_eq!(nel.primary_span(), Some(Span::new(4, 6)));
        assert!(nel.message.contains("NEL"), "{}", nel.message);
        let v2 = yaml_problem("# c\n%YAML 2.0\n---\na: 1\n").unwrap();
        assert_eq!(v2.primary_span(), Some(Span::new(4, 13)));
        assert!(v2.message.contains("version 2.0"), "{}", v2.message);
        // A `%YAML` line inside the document is not a directive.
        assert!(yaml_problem("a: |\n  %YAML 2.0\n").is_none());
    }

    #[test]
    fn json_controls_are_refused_but_tabs_pass() {
        assert!(json_problem("{\"a\": \"b\tc\"}\r\n").is_none());
        let esc = json_problem("{\"a\": \"b\x1bc\"}").unwrap();
        assert_eq!(esc.primary_span(), Some(Span::new(8, 9)));
        assert!(esc.help.as_deref().unwrap().contains("\\u001b"));
    }
}
