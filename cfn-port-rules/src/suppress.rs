//! Suppressions with an audit trail.
//!
//! Three ways to suppress a rule, each wanting a reason:
//!
//! - resource `Metadata`:
//!   `cfn-port-lint: {ignore: [{rule: EC-012, reason: "behind a private NLB"}]}`;
//! - template `Metadata`, the same shape, for every resource of the file;
//! - a YAML comment on the resource's line or in the comment block just above
//!   it: `# cfn-port-lint: ignore EC-012 legacy cluster, replaced in Q3`.
//!
//! A suppressed finding is kept and marked, so it can be counted and listed.
//! A suppression without a reason, naming an unknown rule, or matching no
//! finding is reported as a warning.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::report::{Finding, Report};
pub use crate::report::{Suppression, SuppressionSource};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::{Document, NodeId};
use crate::template::Template;

/// The key under `Metadata` that holds suppressions, and the comment marker.
pub const MARKER: &str = "cfn-port-lint";

/// A suppression as written, whatever the source language.
#[derive(Debug)]
pub(crate) struct Declared {
    rule: String,
    reason: Option<String>,
    file: FileId,
    span: Span,
    source: SuppressionSource,
    /// The resource it is attached to; `None` for the whole template.
    resource: Option<String>,
    used: bool,
}

/// Marks findings covered by suppressions and reports suppressions that are
/// incomplete or unused.
pub(crate) fn apply(source: &SourceFile, template: &Template<'_>, report: &mut Report) {
    let mut declared = Vec::new();
    collect_metadata(template, &mut declared, &mut report.diagnostics);
    let resource_lines =
        template
            .resources()
            .iter()
            .fold(ResourceLines::default(), |mut map, r| {
                map.entry(source.line_index(r.id_span.start))
                    .or_default()
                    .push(r.logical_id.as_str());
                map
            });
    collect_comments(
        source,
        FileId::FIRST,
        CommentSyntax::Hash,
        &resource_lines,
        &mut declared,
        &mut report.diagnostics,
    );
    mark(&mut declared, report);
}

/// Marks the findings `declared` suppressions cover, and warns about
/// suppressions that are incomplete or unused. The matching is the same for
/// every source: by rule and by the resource's name.
pub(crate) fn mark(declared: &mut [Declared], report: &mut Report) {
    if declared.is_empty() {
        return;
    }
    let index = DeclaredIndex::new(declared);
    for finding in &mut report.findings {
        if let Some(i) = index.first_match(declared, finding) {
            let suppression = &mut declared[i];
            suppression.used = true;
            finding.suppressed = Some(Suppression {
                source: suppression.source,
                reason: suppression.reason.clone(),
                span: suppression.span,
                file: suppression.file,
            });
        }
    }
    for d in declared.iter() {
        report.diagnostics.extend(check_declared(d));
    }
}

/// Which suppressions may cover a finding: those of its resource and those
/// of the whole template. Looked up by resource, so a template where every
/// one of thousands of resources has its own suppression stays linear.
struct DeclaredIndex {
    by_resource: foldhash::HashMap<String, Vec<usize>>,
    template_wide: Vec<usize>,
}

impl DeclaredIndex {
    fn new(declared: &[Declared]) -> Self {
        let mut index = DeclaredIndex {
            by_resource: foldhash::HashMap::default(),
            template_wide: Vec::new(),
        };
        for (i, d) in declared.iter().enumerate() {
            match &d.resource {
                Some(resource) => index
                    .by_resource
                    .entry(resource.clone())
                    .or_default()
                    .push(i),
                None => index.template_wide.push(i),
            }
        }
        index
    }

    /// The first declared suppression (in declaration order) that covers
    /// `finding`.
    fn first_match(&self, declared: &[Declared], finding: &Finding) -> Option<usize> {
        let own = self
            .by_resource
            .get(finding.resource.as_str())
            .map_or(&[][..], Vec::as_slice);
        own.iter()
            .chain(&self.template_wide)
            .copied()
            .filter(|&i| declared[i].rule.eq_ignore_ascii_case(finding.rule))
            .min()
    }
}

fn check_declared(d: &Declared) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let warning = |span, message| warning_in(d.file, span, message);
    if crate::rules::find(&d.rule).is_none() {
        out.push(
            warning(
                d.span,
                format!("suppression names `{}`, which is not a rule", d.rule),
            )
            .with_help("`cfn-port-lint --list-rules` lists the rules"),
        );
        return out;
    }
    if d.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        out.push(
            warning(d.span, format!("suppression of {} gives no reason", d.rule))
                .with_help("say why the rule does not apply here, so reviewers can audit it"),
        );
    }
    if !d.used {
        let target = d
            .resource
            .as_ref()
            .map_or_else(|| "this template".to_string(), |r| format!("`{r}`"));
        out.push(
            warning(
                d.span,
                format!("suppression of {} matches no finding in {target}", d.rule),
            )
            .with_help("remove the suppression"),
        );
    }
    out
}

fn warning(span: Span, message: String) -> Diagnostic {
    warning_in(FileId::FIRST, span, message)
}

fn warning_in(file: FileId, span: Span, message: String) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::Suppression,
        message,
        Label::primary(span, "").in_file(file),
    )
}

fn collect_metadata(
    template: &Template<'_>,
    out: &mut Vec<Declared>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let doc = template.document();
    if let Some(metadata) = template.metadata() {
        read_metadata(
            doc,
            metadata,
            None,
            SuppressionSource::TemplateMetadata,
            out,
            diagnostics,
        );
    }
    for resource in template.resources() {
        if let Some(metadata) = resource.metadata {
            let id = Some(resource.logical_id.as_str());
            read_metadata(
                doc,
                metadata,
                id,
                SuppressionSource::ResourceMetadata,
                out,
                diagnostics,
            );
        }
    }
}

/// Reads `cfn-port-lint: {ignore: [...]}` from a `Metadata` mapping. Each
/// item is `{rule: ID, reason: TEXT}` or a bare rule id (which then lacks a reason).
fn read_metadata(
    doc: &Document,
    metadata: NodeId,
    resource: Option<&str>,
    source: SuppressionSource,
    out: &mut Vec<Declared>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(ours) = doc.get_value(metadata, MARKER) else {
        return;
    };
    let Some(items) = doc.get_value(ours, "ignore").and_then(|i| doc.sequence(i)) else {
        diagnostics.push(warning(
            doc.span(ours),
            format!("`{MARKER}` metadata must hold `ignore: [{{rule: ..., reason: ...}}]`"),
        ));
        return;
    };
    for &item in items {
        // The label goes on the rule id, the part a reviewer looks for.
        let (rule, reason, span) = if let Some(rule) = doc.str(item) {
            (Some(rule), None, doc.span(item))
        } else {
            let rule_node = doc.get_value(item, "rule");
            (
                rule_node.and_then(|r| doc.str(r)),
                doc.get_value(item, "reason").and_then(|r| doc.str(r)),
                rule_node.map_or(doc.span(item), |r| doc.span(r)),
            )
        };
        let Some(rule) = rule else {
            diagnostics.push(warning(
                doc.span(item),
                "a suppression needs a `rule`".into(),
            ));
            continue;
        };
        out.push(Declared {
            rule: rule.to_string(),
            reason: reason.map(str::to_string),
            file: FileId::FIRST,
            span,
            source,
            resource: resource.map(str::to_string),
            used: false,
        });
    }
}

/// The resources declared on each line (0-based), by name.
pub(crate) type ResourceLines<'r> = std::collections::HashMap<usize, Vec<&'r str>>;

/// How a source language writes a line comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CommentSyntax {
    /// `#` (YAML).
    Hash,
    /// `#` or `//` (HCL).
    HashOrSlashes,
}

impl CommentSyntax {
    fn starts_comment(self, line: &str) -> bool {
        line.starts_with('#') || (self == CommentSyntax::HashOrSlashes && line.starts_with("//"))
    }

    /// The comment markers this syntax has, longest first.
    fn markers(self) -> &'static [&'static str] {
        match self {
            CommentSyntax::Hash => &["#"],
            CommentSyntax::HashOrSlashes => &["//", "#"],
        }
    }
}

/// Finds `# cfn-port-lint: ignore RULE[,RULE] reason` comments (also `//`
/// where the syntax has it) in `source`, file `file` of the input, and
/// attaches each to the resources on its line or on the first line after
/// its comment block.
pub(crate) fn collect_comments(
    source: &SourceFile,
    file: FileId,
    syntax: CommentSyntax,
    resource_lines: &ResourceLines<'_>,
    out: &mut Vec<Declared>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = source.text();
    let finder = memchr::memmem::Finder::new(MARKER);
    let comments: Vec<(usize, usize)> = finder
        .find_iter(text.as_bytes())
        .filter_map(|at| comment_start(text, at, syntax).map(|hash| (hash, at)))
        .collect();
    if comments.is_empty() {
        return;
    }
    let mut code_lines = NextCodeLine::default();
    for (hash, marker_at) in comments {
        let line_end = text[marker_at..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| marker_at + i);
        let span = Span::new(hash, line_end);
        let Some(directive) = text[marker_at + MARKER.len()..line_end]
            .trim()
            .strip_prefix(':')
        else {
            continue;
        };
        let Some(rest) = directive.trim().strip_prefix("ignore") else {
            diagnostics.push(warning_in(
                file,
                span,
                format!("a `{MARKER}:` comment must read `{MARKER}: ignore RULE reason`"),
            ));
            continue;
        };
        let rest = rest.trim();
        let (rules, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let reason = reason.trim().trim_start_matches(['-', ':', '—']).trim();
        let line = source.line_index(hash as u32);
        let Some(resources) =
            target_resources(source, syntax, line, resource_lines, &mut code_lines)
        else {
            diagnostics.push(warning_in(
                file,
                span,
                "this suppression comment is not on or directly above a resource".into(),
            ));
            continue;
        };
        for rule in rules.split(',').filter(|r| !r.is_empty()) {
            for resource in resources {
                out.push(Declared {
                    rule: rule.to_string(),
                    reason: (!reason.is_empty()).then(|| reason.to_string()),
                    file,
                    span,
                    source: SuppressionSource::Comment,
                    resource: Some((*resource).to_string()),
                    used: false,
                });
            }
        }
    }
}

/// The resources a comment on `line` applies to: those on the same line, or
/// those on the first line after it that is neither blank nor a comment.
fn target_resources<'m, 'r>(
    source: &SourceFile,
    syntax: CommentSyntax,
    line: usize,
    resource_lines: &'m ResourceLines<'r>,
    code_lines: &mut NextCodeLine,
) -> Option<&'m Vec<&'r str>> {
    if let Some(resources) = resource_lines.get(&line) {
        return Some(resources);
    }
    resource_lines.get(&code_lines.after(source, syntax, line)?)
}

/// Finds the first line after a comment that is neither blank nor a
/// comment, remembering the last answer: every comment of one block has the
/// same answer, so a block of 200,000 suppression comments is scanned once,
/// not once per comment (which took 5.5 s for 40,000).
#[derive(Default)]
struct NextCodeLine {
    /// Lines `from..code` are blank or comments; `code` is the line after
    /// them (`None` when they run to the end of the file).
    last: Option<(usize, Option<usize>)>,
}

impl NextCodeLine {
    fn after(&mut self, source: &SourceFile, syntax: CommentSyntax, line: usize) -> Option<usize> {
        let first = line + 1;
        if let Some((from, code)) = self.last
            && from <= first
            && code.is_none_or(|code| first <= code)
        {
            return code;
        }
        let mut next = first;
        let code = loop {
            let Some(range) = source.line_range(next) else {
                break None;
            };
            let content = source.text()[range].trim();
            if !(content.is_empty() || syntax.starts_comment(content)) {
                break Some(next);
            }
            next += 1;
        };
        self.last = Some((first, code));
        code
    }
}

/// The offset of the `#` (or `//`) that starts the comment holding the
/// marker at `marker_at`, if the marker is in a comment: a comment marker at
/// the start of the line or after a blank, with only blanks between it and
/// the marker.
fn comment_start(text: &str, marker_at: usize, syntax: CommentSyntax) -> Option<usize> {
    let before = text[..marker_at].trim_end_matches([' ', '\t']);
    let start = syntax
        .markers()
        .iter()
        .find_map(|marker| before.strip_suffix(marker))
        .map(str::len)?;
    let preceded_by_blank =
        start == 0 || matches!(text.as_bytes()[start - 1], b' ' | b'\t' | b'\n' | b'\r');
    preceded_by_blank.then_some(start)
}
