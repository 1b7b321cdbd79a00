//! rustc-style diagnostics through codespan-reporting, and a summary line.
//!
//! codespan reads lines and columns through [`FileView`], an implementation
//! of its `Files` trait over the library's own line index, so the columns
//! shown are the library's 1-based character columns (a tab, an `é` and a
//! `😀` are one column each) and lines end where the library says (`\n`,
//! `\r\n` or a lone `\r`).

use std::borrow::Cow;
use std::io;
use std::ops::Range;
use std::time::Duration;

use cfn_port_rules::suppress::SuppressionSource;
use cfn_port_rules::{FileId, Finding, LabelStyle, Severity, SourceFile, Span};
use codespan_reporting::diagnostic::{Diagnostic as Frame, Label, Severity as FrameSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Ansi, Color, ColorSpec, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};
use rayon::prelude::*;

use super::excerpt::Excerpt;
use super::{Context, InputKind, Item, Totals, line_items, plural};
use crate::check::{FileResult, Summary};
use crate::sanitize::{self, SourceCopy};

/// One source file seen through codespan's `Files` trait.
///
/// codespan prints the lines it quotes as they are, so it is given a copy of
/// the text with control and bidi characters escaped ([`SourceCopy`]); spans
/// are moved into the copy, and positions are taken back to the original, so
/// the header's line and column are the library's and the carets sit under
/// the escapes.
struct FileView<'s> {
    source: &'s SourceFile,
    name: Cow<'s, str>,
    copy: SourceCopy<'s>,
}

impl<'s> FileView<'s> {
    fn new(source: &'s SourceFile) -> Self {
        Self {
            source,
            name: sanitize::inline(source.name()),
            copy: SourceCopy::new(source.text()),
        }
    }

    fn original_offset(&self, byte_index: usize) -> u32 {
        let offset = self
            .copy
            .to_original(byte_index.min(self.copy.text().len()));
        u32::try_from(offset).unwrap_or(u32::MAX)
    }
}

impl<'a, 's: 'a> Files<'a> for FileView<'s> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.copy.text())
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.source.line_index(self.original_offset(byte_index)))
    }

    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        Ok(self
            .source
            .line_col(self.original_offset(byte_index))
            .column as usize)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        self.source
            .line_range(line_index)
            .map(|range| self.copy.range_to_copy(range))
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: self.source.line_starts().len().saturating_sub(1),
            })
    }
}

/// Writes each result as it comes, then a hint and the summary line.
#[derive(Debug, Default)]
pub(super) struct Human {
    /// Rules with a finding shown, for the `explain` hint at the end.
    rules_seen: std::collections::BTreeSet<&'static str>,
}

/// Items per buffer when a file's code frames are rendered in parallel; a
/// file with fewer is rendered straight to the output.
const ITEMS_PER_CHUNK: usize = 128;

/// Buffers filled at once per thread: enough to keep the threads busy, few
/// enough that a file with many thousands of findings is not held whole.
const CHUNKS_PER_THREAD_AT_ONCE: usize = 4;

impl Human {
    /// Writes one file's items. codespan takes about 5 µs per code frame,
    /// so a file with thousands of findings is rendered on every worker,
    /// into buffers written in order.
    pub(super) fn file(
        &mut self,
        out: &mut dyn io::Write,
        result: &FileResult,
        cx: &Context<'_>,
    ) -> io::Result<()> {
        let items = self.with_help_once(line_items(result, cx));
        let view = result.source.as_ref().map(FileView::new);
        if items.len() <= ITEMS_PER_CHUNK || cx.workers.threads() == 1 {
            return write_items(out, &items, result, view.as_ref(), cx.color);
        }
        let window = ITEMS_PER_CHUNK * CHUNKS_PER_THREAD_AT_ONCE * cx.workers.threads();
        for items in items.chunks(window) {
            let buffers: Vec<io::Result<Vec<u8>>> = cx.workers.install(|| {
                items
                    .par_chunks(ITEMS_PER_CHUNK)
                    .map(|chunk| {
                        let mut buffer = Vec::new();
                        write_items(&mut buffer, chunk, result, view.as_ref(), cx.color)?;
                        Ok(buffer)
                    })
                    .collect()
            });
            for buffer in buffers {
                out.write_all(&buffer?)?;
            }
        }
        Ok(())
    }

    /// Pairs each item with whether its code frame carries the rule's
    /// help: only the first finding of each rule in the run does, since the
    /// help is the same long paragraph every time.
    fn with_help_once<'a>(&mut self, items: Vec<Item<'a>>) -> Vec<(Item<'a>, bool)> {
        items
            .into_iter()
            .map(|item| {
                let help = match item {
                    Item::Finding(finding) if finding.suppressed.is_none() => {
                        self.rules_seen.insert(finding.rule)
                    }
                    Item::Finding(finding) => {
                        self.rules_seen.insert(finding.rule);
                        false
                    }
                    _ => false,
                };
                (item, help)
            })
            .collect()
    }

    pub(super) fn finish(
        self,
        out: &mut dyn io::Write,
        cx: &Context<'_>,
        totals: &Totals,
    ) -> io::Result<()> {
        if cx.quiet {
            return Ok(());
        }
        if cx.color {
            self.write_end(&mut Ansi::new(out), cx, totals)
        } else {
            self.write_end(&mut NoColor::new(out), cx, totals)
        }
    }

    fn write_end<W: WriteColor>(
        &self,
        out: &mut W,
        cx: &Context<'_>,
        totals: &Totals,
    ) -> io::Result<()> {
        if let Some(rule) = self.rules_seen.first() {
            writeln!(
                out,
                "For more about a rule, try `cfn-port-lint explain {rule}`."
            )?;
        }
        if let Some(config) = cx.config_file {
            writeln!(out, "Using the config file {}", sanitize::inline(config))?;
        }
        write_summary(out, &totals.summary, totals.inputs, totals.elapsed)
    }
}

/// Code frames for `items`, coloured or not.
fn write_items(
    out: &mut dyn io::Write,
    items: &[(Item<'_>, bool)],
    result: &FileResult,
    view: Option<&FileView<'_>>,
    color: bool,
) -> io::Result<()> {
    if color {
        emit_frames(&mut Ansi::new(out), items, result, view)
    } else {
        emit_frames(&mut NoColor::new(out), items, result, view)
    }
}

fn emit_frames<W: WriteColor>(
    out: &mut W,
    items: &[(Item<'_>, bool)],
    result: &FileResult,
    view: Option<&FileView<'_>>,
) -> io::Result<()> {
    let config = Config::default();
    for (item, with_help) in items {
        if let Item::Diagnostic(d) = item
            && super::is_not_a_template(d)
        {
            write_not_a_template(
                out,
                &sanitize::inline(&result.display),
                &sanitize::inline(&d.message),
            )?;
            continue;
        }
        let mut frame = frame(item, *with_help, result, view);
        let emitted = match view {
            Some(view) => match excerpt_for(view, &frame) {
                Some(excerpt) => {
                    for label in &mut frame.labels {
                        label.range = excerpt.map(label.range.start)..excerpt.map(label.range.end);
                    }
                    term::emit_to_write_style(out, &config, &excerpt, &frame)
                }
                None => {
                    for label in &mut frame.labels {
                        label.range = view.copy.range_to_copy(label.range.clone());
                    }
                    term::emit_to_write_style(out, &config, view, &frame)
                }
            },
            None => term::emit_to_write_style(out, &config, &NoFiles, &frame),
        };
        emitted.map_err(into_io)?;
    }
    Ok(())
}

/// The trimmed lines to draw `frame` over, when a labelled line is very long.
///
/// Not for a text with characters to escape: the excerpt quotes the original
/// lines, so such a frame is drawn over the escaped copy, whole lines.
fn excerpt_for<'s>(view: &FileView<'s>, frame: &Frame<()>) -> Option<Excerpt<'s>> {
    if frame.labels.is_empty() || !view.copy.is_unchanged() {
        return None;
    }
    let source = view.source;
    let ranges: Vec<Range<usize>> = frame.labels.iter().map(|l| l.range.clone()).collect();
    Excerpt::new(source, &ranges)
}

/// A named file that is not a template, said in one line: it is a note
/// that never fails a run, so it should not take the room of a finding.
fn write_not_a_template<W: WriteColor>(
    out: &mut W,
    display: &str,
    message: &str,
) -> io::Result<()> {
    let mut header = ColorSpec::new();
    header.set_fg(Some(Color::Green)).set_bold(true);
    out.set_color(&header)?;
    write!(out, "note[not-a-template]")?;
    out.reset()?;
    writeln!(out, ": {display}: not linted: {message}")
}

fn into_io(error: FilesError) -> io::Error {
    match error {
        FilesError::Io(error) => error,
        other => io::Error::other(other.to_string()),
    }
}

/// The `Files` of a diagnostic without a code frame.
struct NoFiles;

impl<'a> Files<'a> for NoFiles {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Err(FilesError::FileMissing)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Err(FilesError::FileMissing)
    }

    fn line_index(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Err(FilesError::FileMissing)
    }

    fn line_range(&'a self, (): (), _: usize) -> Result<Range<usize>, FilesError> {
        Err(FilesError::FileMissing)
    }
}

fn severity(severity: Severity) -> FrameSeverity {
    match severity {
        Severity::Note => FrameSeverity::Note,
        Severity::Warning => FrameSeverity::Warning,
        Severity::Error => FrameSeverity::Error,
    }
}

/// The codespan diagnostic for one item, with the rule's help when
/// `with_help`. Labels whose spans are not on character boundaries inside
/// the text are dropped; when no label is left the position goes into the
/// message instead.
fn frame(
    item: &Item<'_>,
    with_help: bool,
    result: &FileResult,
    view: Option<&FileView<'_>>,
) -> Frame<()> {
    let text = view.map_or("", |v| v.source.text());
    // A span is drawn only if it is a valid slice of the text (SourceFile::get).
    let fits = |span: Span| text.get(span.range()).is_some();
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let mut message = sanitize::inline(&item.message()).into_owned();
    let label = |style: LabelStyle, span: cfn_port_rules::Span, message: &str| {
        // Original offsets; moved into the text codespan sees when emitted.
        let range = span.range();
        match style {
            LabelStyle::Primary => Label::primary((), range),
            LabelStyle::Secondary => Label::secondary((), range),
        }
        .with_message(sanitize::inline(message))
    };
    // A deployed resource with no file is named by its ARN instead of a code frame.
    let display = sanitize::inline(item.place(result));
    match item {
        Item::Io(_) => {}
        Item::Diagnostic(d) => {
            if view.is_some() {
                labels.extend(
                    d.labels
                        .iter()
                        .filter(|l| l.file == FileId::FIRST && fits(l.span))
                        .map(|l| label(l.style, l.span, &l.message)),
                );
            }
            notes.extend(
                d.notes
                    .iter()
                    .map(|n| format!("note: {}", sanitize::inline(n))),
            );
            notes.extend(
                d.help
                    .iter()
                    .map(|h| format!("help: {}", sanitize::inline(h))),
            );
        }
        Item::Finding(f) => {
            // A label in another file of the input (a Terraform module's
            // variables, say) is not drawn on this file's text.
            labels.extend(
                f.labels
                    .iter()
                    .filter(|l| l.file == FileId::FIRST && fits(l.span))
                    .map(|l| label(l.style, l.span, &l.message)),
            );
            notes.extend(
                f.notes
                    .iter()
                    .map(|n| format!("note: {}", sanitize::inline(n))),
            );
            if let Some(suppression) = &f.suppressed {
                message = format!("suppressed: {}", sanitize::inline(&f.message));
                if fits(suppression.span) {
                    labels.push(label(
                        LabelStyle::Secondary,
                        suppression.span,
                        "suppressed here",
                    ));
                }
                notes.push(suppression_note(f));
            } else if with_help {
                notes.push(format!("help: {}", sanitize::inline(&f.help)));
            }
        }
        Item::Undetermined(u) => {
            if fits(u.span) {
                labels.push(label(
                    LabelStyle::Primary,
                    u.span,
                    "could not be judged statically",
                ));
            }
            // Only a value that depends on parameters can be settled by giving them.
            if u.reason.contains("parameter") {
                notes.push(
                    "help: give values with `--parameter Name=Value` or `--parameter-file` to check it"
                        .into(),
                );
            }
        }
    }
    let has_primary = view.is_some()
        && labels
            .iter()
            .any(|l| l.style == codespan_reporting::diagnostic::LabelStyle::Primary);
    if !has_primary {
        labels.clear();
        message = match item.position() {
            Some(p) => format!("{display}:{}:{}: {message}", p.line, p.column),
            None => format!("{display}: {message}"),
        };
    }
    Frame::new(severity(item.severity()))
        .with_code(item.code())
        .with_message(message)
        .with_labels(labels)
        .with_notes(notes)
}

fn suppression_note(finding: &Finding) -> String {
    let Some(suppression) = &finding.suppressed else {
        return String::new();
    };
    let how = match suppression.source {
        SuppressionSource::ResourceMetadata => "the resource's Metadata",
        SuppressionSource::TemplateMetadata => "the template's Metadata",
        SuppressionSource::Comment => "a comment",
        _ => "a suppression",
    };
    match &suppression.reason {
        Some(reason) => format!("note: suppressed by {how}: {}", sanitize::inline(reason)),
        None => format!("note: suppressed by {how}, without a reason"),
    }
}

/// `Checked 4 files (2 templates, 1 skipped): 3 findings, 1 suppressed, 1 error in 12ms`,
/// or `Audited 2 regions: 1 finding, 1 error in 1.20s` for a live audit.
fn write_summary(
    out: &mut dyn WriteColor,
    summary: &Summary,
    inputs: InputKind,
    elapsed: Duration,
) -> io::Result<()> {
    let mut parts = vec![plural(summary.findings, "finding", "findings")];
    if summary.suppressed > 0 {
        parts.push(format!("{} suppressed", summary.suppressed));
    }
    if summary.baselined > 0 {
        parts.push(format!("{} baselined", summary.baselined));
    }
    if summary.undetermined > 0 {
        parts.push(format!("{} undetermined", summary.undetermined));
    }
    if summary.errors > 0 {
        parts.push(plural(summary.errors, "error", "errors"));
    }
    if summary.warnings > 0 {
        parts.push(plural(summary.warnings, "warning", "warnings"));
    }
    if inputs == InputKind::Regions {
        return writeln!(
            out,
            "Audited {}: {} in {}",
            plural(summary.files, "region", "regions"),
            parts.join(", "),
            format_duration(elapsed)
        );
    }
    let mut files = vec![plural(summary.templates, "template", "templates")];
    if summary.skipped > 0 {
        files.push(plural(summary.skipped, "not a template", "not templates"));
    }
    writeln!(
        out,
        "Checked {} ({}): {} in {}",
        plural(summary.files, "file", "files"),
        files.join(", "),
        parts.join(", "),
        format_duration(elapsed)
    )
}

fn format_duration(elapsed: Duration) -> String {
    if elapsed.as_secs() == 0 {
        format!("{}ms", elapsed.as_millis())
    } else {
        format!("{:.2}s", elapsed.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_come_from_the_library() {
        let source = SourceFile::new("t.yaml", "a:\té😀 x\r\nb: 1\rc: 2\n");
        let view = FileView::new(&source);
        let x = source.text().find('x').unwrap();
        assert_eq!(view.line_index((), x).unwrap(), 0);
        assert_eq!(view.column_number((), 0, x).unwrap(), 7);
        let c = source.text().find('c').unwrap();
        assert_eq!(view.line_index((), c).unwrap(), 2);
        assert_eq!(
            view.line_range((), 1).unwrap(),
            source.line_range(1).unwrap()
        );
        assert!(view.line_range((), 9).is_err());
    }

    /// Until the human format draws frames in several files, a label in
    /// another file of the input (a Terraform module's `variables.tf`) must
    /// not be drawn at its byte offsets in this file.
    #[test]
    fn a_label_in_another_file_is_not_drawn_on_this_one() {
        use cfn_port_rules::eval::{Origin, Possibility, Step, Value};
        use cfn_port_rules::model::{
            Identity, Model, Property, Resource, ResourceKind, SourceKind,
        };
        use cfn_port_rules::{LintOptions, lint_model};

        let main = SourceFile::new("main.tf", "port = var.port\n");
        let variables = SourceFile::new("variables.tf", "default = 6379\n");
        let kind = ResourceKind::ElastiCacheReplicationGroup;
        let mut resource = Resource::new(
            kind,
            Identity::new(
                "group",
                "aws_elasticache_replication_group",
                FileId::FIRST,
                Span::new(0, 4),
            )
            .with_extent(Span::new(0, 16)),
        );
        let port = Possibility::new(Value::Number("6379".into()))
            .then(Step::new(FileId::FIRST, Span::new(7, 15), Origin::Written))
            .then(Step::new(
                FileId(1),
                Span::new(10, 14),
                Origin::Source {
                    description: "variable `port` defaults to 6379".into(),
                },
            ));
        resource.properties.push((Property::Port, vec![port]));
        let mut model = Model::new(
            SourceKind::Terraform,
            vec!["main.tf".into(), "variables.tf".into()],
        );
        model.resources.push(resource);
        let report = lint_model(&model, &[&main, &variables], &LintOptions::default());
        let finding = &report.findings[0];
        assert_eq!(finding.labels.len(), 2, "{:?}", finding.labels);
        let result = FileResult {
            display: "main.tf".into(),
            origin: crate::inputs::Origin::Explicit,
            source: None,
            report: report.clone(),
            io_error: None,
            skipped: false,
            baselined: 0,
            elapsed: Duration::ZERO,
        };
        let view = FileView::new(&main);
        let frame = frame(&Item::Finding(finding), false, &result, Some(&view));
        let messages: Vec<&str> = frame.labels.iter().map(|l| l.message.as_str()).collect();
        assert_eq!(messages, ["6379 is the default port of redis"]);
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(format_duration(Duration::from_millis(12)), "12ms");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.50s");
    }
}
