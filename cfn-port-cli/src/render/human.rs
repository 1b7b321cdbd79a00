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

use cfn_port_rules::model::SourceKind;
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
        let views: Vec<FileView<'_>> = result.sources.iter().map(FileView::new).collect();
        if items.len() <= ITEMS_PER_CHUNK || cx.workers.threads() == 1 {
            return write_items(out, &items, result, &views, cx.color);
        }
        let window = ITEMS_PER_CHUNK * CHUNKS_PER_THREAD_AT_ONCE * cx.workers.threads();
        for items in items.chunks(window) {
            let buffers: Vec<io::Result<Vec<u8>>> = cx.workers.install(|| {
                items
                    .par_chunks(ITEMS_PER_CHUNK)
                    .map(|chunk| {
                        let mut buffer = Vec::new();
                        write_items(&mut buffer, chunk, result, &views, cx.color)?;
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
    views: &[FileView<'_>],
    color: bool,
) -> io::Result<()> {
    if color {
        emit_frames(&mut Ansi::new(out), items, result, views)
    } else {
        emit_frames(&mut NoColor::new(out), items, result, views)
    }
}

fn emit_frames<W: WriteColor>(
    out: &mut W,
    items: &[(Item<'_>, bool)],
    result: &FileResult,
    views: &[FileView<'_>],
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
        let mut frame = frame(item, *with_help, result, views);
        let files = FrameFiles::new(views, &mut frame);
        term::emit_to_write_style(out, &config, &files, &frame).map_err(into_io)?;
    }
    Ok(())
}

/// The files one code frame is drawn over, by [`FileId`] index: each file
/// of the input that a label points into (a Terraform finding may label its
/// caller's argument and a module's line), whole, or as an [`Excerpt`] when
/// a labelled line is very long.
struct FrameFiles<'v, 's> {
    files: Vec<(usize, FrameFile<'v, 's>)>,
}

enum FrameFile<'v, 's> {
    Whole(&'v FileView<'s>),
    /// The view gives the excerpt its (escaped) name.
    Excerpt(&'v FileView<'s>, Excerpt<'s>),
}

impl<'v, 's> FrameFiles<'v, 's> {
    /// The files `frame`'s labels point into; moves each label's range
    /// (original offsets) into the text its file is drawn from.
    fn new(views: &'v [FileView<'s>], frame: &mut Frame<usize>) -> Self {
        let mut files: Vec<(usize, FrameFile<'v, 's>)> = Vec::new();
        for label in &frame.labels {
            if files.iter().any(|(id, _)| *id == label.file_id) {
                continue;
            }
            let Some(view) = views.get(label.file_id) else {
                continue;
            };
            let ranges: Vec<Range<usize>> = frame
                .labels
                .iter()
                .filter(|l| l.file_id == label.file_id)
                .map(|l| l.range.clone())
                .collect();
            let file = match excerpt_for(view, &ranges) {
                Some(excerpt) => FrameFile::Excerpt(view, excerpt),
                None => FrameFile::Whole(view),
            };
            files.push((label.file_id, file));
        }
        let files = Self { files };
        for label in &mut frame.labels {
            label.range = match files.get(label.file_id) {
                Ok(FrameFile::Excerpt(_, excerpt)) => {
                    excerpt.map(label.range.start)..excerpt.map(label.range.end)
                }
                Ok(FrameFile::Whole(view)) => view.copy.range_to_copy(label.range.clone()),
                Err(_) => label.range.clone(),
            };
        }
        files
    }

    fn get(&self, id: usize) -> Result<&FrameFile<'v, 's>, FilesError> {
        self.files
            .iter()
            .find(|(file, _)| *file == id)
            .map(|(_, file)| file)
            .ok_or(FilesError::FileMissing)
    }
}

impl<'a> Files<'a> for FrameFiles<'_, '_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        match self.get(id)? {
            FrameFile::Whole(view) | FrameFile::Excerpt(view, _) => view.name(()),
        }
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        match self.get(id)? {
            FrameFile::Whole(view) => view.source(()),
            FrameFile::Excerpt(_, excerpt) => excerpt.source(()),
        }
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        match self.get(id)? {
            FrameFile::Whole(view) => view.line_index((), byte_index),
            FrameFile::Excerpt(_, excerpt) => excerpt.line_index((), byte_index),
        }
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        match self.get(id)? {
            FrameFile::Whole(view) => view.column_number((), line_index, byte_index),
            FrameFile::Excerpt(_, excerpt) => excerpt.column_number((), line_index, byte_index),
        }
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        match self.get(id)? {
            FrameFile::Whole(view) => view.line_range((), line_index),
            FrameFile::Excerpt(_, excerpt) => excerpt.line_range((), line_index),
        }
    }
}

/// The trimmed lines to draw a file's labels (at `ranges`, original byte
/// ranges) over, when a labelled line is very long.
///
/// Not for a text with characters to escape: the excerpt quotes the original
/// lines, so such a frame is drawn over the escaped copy, whole lines.
fn excerpt_for<'s>(view: &FileView<'s>, ranges: &[Range<usize>]) -> Option<Excerpt<'s>> {
    if ranges.is_empty() || !view.copy.is_unchanged() {
        return None;
    }
    Excerpt::new(view.source, ranges)
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

fn severity(severity: Severity) -> FrameSeverity {
    match severity {
        Severity::Note => FrameSeverity::Note,
        Severity::Warning => FrameSeverity::Warning,
        Severity::Error => FrameSeverity::Error,
    }
}

/// The codespan diagnostic for one item, with the rule's help when
/// `with_help`. Each label's file id is its [`FileId`] index into `views`
/// (the input's files). Labels whose spans are not on character boundaries
/// inside their file's text are dropped; when no primary label is left the
/// position goes into the message instead.
fn frame(
    item: &Item<'_>,
    with_help: bool,
    result: &FileResult,
    views: &[FileView<'_>],
) -> Frame<usize> {
    // A span is drawn only if it is a valid slice of its file's text (SourceFile::get).
    let fits = |file: FileId, span: Span| {
        views
            .get(file.index())
            .is_some_and(|view| view.source.get(span).is_some())
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let mut message = sanitize::inline(&item.message()).into_owned();
    let label = |style: LabelStyle, file: FileId, span: Span, message: &str| {
        // Original offsets; moved into the text codespan sees when emitted.
        let range = span.range();
        match style {
            LabelStyle::Primary => Label::primary(file.index(), range),
            LabelStyle::Secondary => Label::secondary(file.index(), range),
        }
        .with_message(sanitize::inline(message))
    };
    match item {
        Item::Io(_) => {}
        Item::Diagnostic(d) => {
            labels.extend(
                d.labels
                    .iter()
                    .filter(|l| fits(l.file, l.span))
                    .map(|l| label(l.style, l.file, l.span, &l.message)),
            );
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
            // Each label is drawn in its own file: a Terraform finding in a
            // module call labels the caller's argument and the module's line.
            labels.extend(
                f.labels
                    .iter()
                    .filter(|l| fits(l.file, l.span))
                    .map(|l| label(l.style, l.file, l.span, &l.message)),
            );
            notes.extend(
                f.notes
                    .iter()
                    .map(|n| format!("note: {}", sanitize::inline(n))),
            );
            if let Some(suppression) = &f.suppressed {
                message = format!("suppressed: {}", sanitize::inline(&f.message));
                let file = suppression.file;
                if fits(file, suppression.span) {
                    labels.push(label(
                        LabelStyle::Secondary,
                        file,
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
            if fits(u.file, u.span) {
                labels.push(label(
                    LabelStyle::Primary,
                    u.file,
                    u.span,
                    "could not be judged statically",
                ));
            }
            // Only a value that depends on parameters (or Terraform
            // variables) can be settled by giving them.
            if result.kind == Some(SourceKind::Terraform) {
                if u.reason.contains("variable") {
                    notes.push(
                        "help: give values with `--var NAME=VALUE` or `--var-file` to check it"
                            .into(),
                    );
                }
            } else if u.reason.contains("parameter") {
                notes.push(
                    "help: give values with `--parameter Name=Value` or `--parameter-file` to check it"
                        .into(),
                );
            }
        }
    }
    let has_primary = labels
        .iter()
        .any(|l| l.style == codespan_reporting::diagnostic::LabelStyle::Primary);
    if !has_primary {
        labels.clear();
        // The file the item is in; a deployed resource with no file is
        // named by its ARN instead of a code frame.
        let path = sanitize::inline(item.place(result));
        message = match item.position() {
            Some(p) => format!("{path}:{}:{}: {message}", p.line, p.column),
            None => format!("{path}: {message}"),
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
    let mut files = Vec::new();
    let templates = summary.cloudformation_templates();
    // "0 templates" stays when nothing was linted: it says what was looked for.
    if templates > 0 || templates == summary.templates {
        files.push(plural(templates, "template", "templates"));
    }
    for (n, one, many) in [
        (
            summary.terraform_modules,
            "Terraform module",
            "Terraform modules",
        ),
        (summary.terraform_plans, "Terraform plan", "Terraform plans"),
        (
            summary.describe_outputs,
            "AWS describe output",
            "AWS describe outputs",
        ),
    ] {
        if n > 0 {
            files.push(plural(n, one, many));
        }
    }
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

    /// A Terraform finding labels the port argument in `main.tf` and the
    /// variable's default in `variables.tf`: both are drawn, each under its
    /// own file's name and with its own line numbers.
    #[test]
    fn a_label_in_another_file_is_drawn_in_that_file() {
        let result = super::super::two_file_result();
        let views: Vec<FileView<'_>> = result.sources.iter().map(FileView::new).collect();
        let items = [(Item::Finding(&result.report.findings[0]), false)];
        let mut out = Vec::new();
        write_items(&mut out, &items, &result, &views, false).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "warning[EC-012]: aws_elasticache_replication_group `group` listens on port 6379, \
             the default port of redis\n\
             \x20 ┌─ main.tf:2:10\n\
             \x20 │\n\
             2 │   port = var.port\n\
             \x20 │          ^^^^^^^^ 6379 is the default port of redis\n\
             \x20 │\n\
             \x20 ┌─ variables.tf:2:13\n\
             \x20 │\n\
             2 │   default = 6379\n\
             \x20 │             ---- variable `port` defaults to 6379\n\
             \n"
        );
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(format_duration(Duration::from_millis(12)), "12ms");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.50s");
    }
}
