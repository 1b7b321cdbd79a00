//! Turning results into output. Each format is one module writing to an
//! [`io::Write`]; none of them prints directly, so the caller decides what a
//! write error means (a closed pipe ends quietly, a full disk is an error).

mod compact;
mod excerpt;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use std::borrow::Cow;
use std::io;
use std::path::Path;
use std::time::Duration;

use cfn_port_rules::model::Deployed;
use cfn_port_rules::{
    Diagnostic, DiagnosticKind, FileId, Finding, LabelStyle, LineCol, Severity, Undetermined,
};

pub(crate) use sarif::relative_uri;
pub use sarif::{GITHUB_MAX_RESULTS, SarifOptions};

use crate::args::OutputFormat;
use crate::check::{FileResult, Summary};

/// What every format may need besides the results.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The threads a large file's code frames are rendered on.
    pub workers: &'a crate::check::Workers,
    /// Colour human output.
    pub color: bool,
    /// List suppressed findings.
    pub show_suppressed: bool,
    /// List undetermined resources.
    pub show_undetermined: bool,
    /// The working directory, the base of SARIF URIs.
    pub cwd: &'a Path,
    /// The config file in use, as shown (relative to the working directory
    /// when inside it).
    pub config_file: Option<&'a str>,
    /// Line formats print findings and errors only, and no summary.
    pub quiet: bool,
    /// What goes into a SARIF log.
    pub sarif: &'a SarifOptions,
}

/// What is known only once every file is done.
#[derive(Clone, Copy, Debug)]
pub struct Totals {
    /// The totals.
    pub summary: Summary,
    /// How long linting took (shown only in human output).
    pub elapsed: Duration,
    /// What each result is: a file, or a region of a live audit.
    pub inputs: InputKind,
}

/// What the results of a run are about, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputKind {
    /// Files (templates, plans, saved output).
    #[default]
    Files,
    /// Regions of a live AWS audit, one result each.
    Regions,
}

/// Writes results in one format, a file at a time, so that no file's text
/// is kept once it is written: line formats (human, compact, GitHub) write
/// each file as it comes; document formats (JSON, SARIF, JUnit) keep what
/// they will write, which is the size of the output, not of the input.
#[derive(Debug)]
pub struct Renderer<'a> {
    cx: Context<'a>,
    format: Format,
}

#[derive(Debug)]
enum Format {
    Human(human::Human),
    Json(json::Json),
    Sarif(sarif::SarifLog),
    Junit(junit::Junit),
    CodeQuality(gitlab::CodeQuality),
    Github,
    Compact,
}

impl<'a> Renderer<'a> {
    /// A renderer for `format`.
    #[must_use]
    pub fn new(format: OutputFormat, cx: Context<'a>) -> Self {
        let format = match format {
            OutputFormat::Human => Format::Human(human::Human::default()),
            OutputFormat::Json => Format::Json(json::Json::default()),
            OutputFormat::Sarif => Format::Sarif(sarif::SarifLog::default()),
            OutputFormat::Junit => Format::Junit(junit::Junit::default()),
            OutputFormat::Gitlab => Format::CodeQuality(gitlab::CodeQuality::default()),
            OutputFormat::Github => Format::Github,
            OutputFormat::Compact => Format::Compact,
        };
        Self { cx, format }
    }

    /// Renders one file's result (or keeps what the document needs of it).
    ///
    /// # Errors
    /// When writing fails.
    pub fn file(&mut self, out: &mut dyn io::Write, result: &FileResult) -> io::Result<()> {
        let cx = &self.cx;
        match &mut self.format {
            Format::Human(human) => human.file(out, result, cx),
            Format::Json(json) => {
                json.file(result, cx);
                Ok(())
            }
            Format::Sarif(sarif) => {
                sarif.file(result, cx);
                Ok(())
            }
            Format::Junit(junit) => {
                junit.file(result, cx);
                Ok(())
            }
            Format::CodeQuality(report) => {
                report.file(result, cx);
                Ok(())
            }
            Format::Github => github::file(out, result, cx),
            Format::Compact => compact::file(out, result, cx),
        }
    }

    /// A warning for stderr about what the output left out (results past
    /// the SARIF limit), to be shown when the run ends.
    #[must_use]
    pub fn warning(&self) -> Option<String> {
        match &self.format {
            Format::Sarif(sarif) => sarif.warning(&self.cx),
            _ => None,
        }
    }

    /// Writes what comes after the files: the summary, or the document.
    ///
    /// # Errors
    /// When writing fails.
    pub fn finish(self, out: &mut dyn io::Write, totals: &Totals) -> io::Result<()> {
        match self.format {
            Format::Human(human) => human.finish(out, &self.cx, totals),
            Format::Json(json) => json.finish(out, &self.cx, totals),
            Format::Sarif(sarif) => sarif.finish(out, &self.cx, totals),
            Format::Junit(junit) => junit.finish(out, totals),
            Format::CodeQuality(report) => report.finish(out),
            Format::Github | Format::Compact => Ok(()),
        }
    }
}

/// One thing to report about a file.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Item<'a> {
    /// The file could not be read.
    Io(&'a str),
    /// A problem with the input.
    Diagnostic(&'a Diagnostic),
    /// A rule finding (possibly suppressed, when those are shown).
    Finding(&'a Finding),
    /// A resource that could not be judged (when those are shown).
    Undetermined(&'a Undetermined),
}

impl<'a> Item<'a> {
    /// The 1-based start position, when there is one.
    pub(crate) fn position(&self) -> Option<LineCol> {
        match self {
            Item::Io(_) => None,
            Item::Diagnostic(d) => d.position,
            Item::Finding(f) => f.location.map(|l| l.start),
            Item::Undetermined(u) => u.location.map(|l| l.start),
        }
    }

    /// The file of the input its position is in: the file of its primary
    /// label (a Terraform finding may be in a module's file, not the first).
    pub(crate) fn file(&self) -> FileId {
        match self {
            Item::Io(_) => FileId::FIRST,
            Item::Diagnostic(d) => d
                .labels
                .iter()
                .find(|label| label.style == LabelStyle::Primary)
                .map_or(FileId::FIRST, |label| label.file),
            Item::Finding(f) => f.primary_file(),
            Item::Undetermined(u) => u.file,
        }
    }

    /// The path shown for the item: the file its position is in.
    pub(crate) fn path<'r>(&self, result: &'r FileResult) -> &'r str {
        result.path_of(self.file())
    }

    /// The severity shown.
    pub(crate) fn severity(&self) -> Severity {
        match self {
            Item::Io(_) => Severity::Error,
            Item::Diagnostic(d) => d.severity,
            Item::Finding(f) if f.suppressed.is_some() => Severity::Note,
            Item::Finding(f) => f.severity,
            Item::Undetermined(_) => Severity::Note,
        }
    }

    /// The rule id or diagnostic code.
    pub(crate) fn code(&self) -> &str {
        match self {
            Item::Io(_) => "io",
            Item::Diagnostic(d) => d.kind.code(),
            Item::Finding(f) => f.rule,
            Item::Undetermined(u) => u.rule,
        }
    }

    /// The one-line message (borrowed unless it says more than the item).
    pub(crate) fn message(&self) -> Cow<'a, str> {
        match *self {
            Item::Io(message) => message.into(),
            Item::Diagnostic(d) => d.message.as_str().into(),
            Item::Finding(f) => match &f.suppressed {
                None => f.message.as_str().into(),
                Some(s) => format!(
                    "{} (suppressed: {})",
                    f.message,
                    s.reason.as_deref().unwrap_or("no reason given")
                )
                .into(),
            },
            Item::Undetermined(u) => format!(
                "could not check {} `{}`: {}",
                short_type(&u.resource_type),
                u.resource,
                u.reason
            )
            .into(),
        }
    }

    /// The deployed resource a finding or undetermined resource is about,
    /// when it has no position in a file (a live audit): its ARN is then
    /// where it is.
    pub(crate) fn deployed_without_file(&self) -> Option<&'a Deployed> {
        match *self {
            Item::Finding(f) if f.location.is_none() => f.deployed.as_ref(),
            Item::Undetermined(u) if u.location.is_none() => u.deployed.as_ref(),
            _ => None,
        }
    }

    /// Where the item is, as line formats name it: the file it is in, or
    /// the ARN of a deployed resource that is in no file.
    pub(crate) fn place(&self, result: &'a FileResult) -> &'a str {
        self.deployed_without_file()
            .map_or(self.path(result), |d| d.arn.as_str())
    }

    /// The end position, when known.
    pub(crate) fn end(&self, result: &FileResult) -> Option<LineCol> {
        match self {
            Item::Finding(f) => f.location.map(|l| l.end),
            Item::Undetermined(u) => u.location.map(|l| l.end),
            Item::Diagnostic(d) => {
                let (source, span) = (result.source_of(self.file())?, d.primary_span()?);
                source.get(span).map(|_| source.line_col(span.end))
            }
            Item::Io(_) => None,
        }
    }
}

/// `AWS::ElastiCache::CacheCluster` → `CacheCluster`.
pub(crate) fn short_type(resource_type: &str) -> &str {
    resource_type.rsplit("::").next().unwrap_or(resource_type)
}

/// Everything to report about one file, in source order: read errors first,
/// then diagnostics, findings and (when asked) undetermined resources by
/// path (the files of a Terraform module) and position.
pub(crate) fn items<'a>(result: &'a FileResult, cx: &Context<'_>) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    if let Some(message) = &result.io_error {
        items.push(Item::Io(message));
    }
    items.extend(result.diagnostics().map(Item::Diagnostic));
    items.extend(
        result
            .report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() || cx.show_suppressed)
            .map(Item::Finding),
    );
    if cx.show_undetermined && !result.skipped {
        items.extend(result.undetermined().iter().map(Item::Undetermined));
    }
    // Stable: items at the same position keep the order above.
    items.sort_by(|a, b| {
        let key = |item: &Item<'_>| {
            let position = item.position().map(|p| (p.line, p.column));
            (item.path(result), position)
        };
        key(a).cmp(&key(b))
    });
    items
}

/// The items a line format (human, compact, GitHub) prints: all of them,
/// or with `--quiet` all but notes about inputs ("not a template").
/// Documents (JSON, SARIF, JUnit) always hold everything.
pub(crate) fn line_items<'a>(result: &'a FileResult, cx: &Context<'_>) -> Vec<Item<'a>> {
    let mut items = items(result, cx);
    if cx.quiet {
        items.retain(|item| !matches!(item, Item::Diagnostic(d) if d.severity == Severity::Note));
    }
    items
}

/// Whether the file is said to be "not a template" by a diagnostic of that kind.
pub(crate) fn is_not_a_template(diagnostic: &Diagnostic) -> bool {
    diagnostic.kind == DiagnosticKind::NotATemplate
}

/// The counts of the summary as a phrase, e.g. `2 findings, 1 suppressed`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An input of two files, as a Terraform module is: a replication group in
/// `main.tf` whose port comes from a variable's default in `variables.tf`,
/// and its one finding, labelled in both.
#[cfg(test)]
pub(crate) fn two_file_result() -> FileResult {
    use cfn_port_rules::eval::{Origin, Possibility, Step, Value};
    use cfn_port_rules::model::{Identity, Model, Property, Resource, ResourceKind, SourceKind};
    use cfn_port_rules::{LintOptions, SourceFile, Span, lint_model};

    let main_text =
        "resource \"aws_elasticache_replication_group\" \"group\" {\n  port = var.port\n}\n";
    let variables_text = "variable \"port\" {\n  default = 6379\n}\n";
    let main = SourceFile::new("main.tf", main_text);
    let variables = SourceFile::new("variables.tf", variables_text);
    let at = |text: &str, needle: &str| {
        let start = text.find(needle).expect("the fixture holds it");
        Span::new(start, start + needle.len())
    };
    let kind = ResourceKind::ElastiCacheReplicationGroup;
    let identity = Identity::new(
        "group",
        "aws_elasticache_replication_group",
        FileId::FIRST,
        at(main_text, "\"group\""),
    )
    .with_extent(Span::new(0, main_text.len()));
    let mut resource = Resource::new(kind, identity);
    let port = Possibility::new(Value::Number("6379".into()))
        .then(Step::new(
            FileId::FIRST,
            at(main_text, "var.port"),
            Origin::Written,
        ))
        .then(Step::new(
            FileId(1),
            at(variables_text, "6379"),
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
    assert_eq!(report.findings[0].labels.len(), 2, "{:?}", report.findings);
    FileResult {
        display: ".".into(),
        origin: crate::inputs::Origin::Walked,
        sources: vec![main, variables],
        kind: Some(SourceKind::Terraform),
        report,
        io_error: None,
        skipped: false,
        baselined: 0,
        elapsed: std::time::Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The input of [`two_file_result`] rendered in `format`.
    fn rendered(format: OutputFormat) -> String {
        let result = two_file_result();
        let workers = crate::check::Workers::new(1);
        let sarif = SarifOptions::default();
        let cx = Context {
            workers: &workers,
            color: false,
            show_suppressed: false,
            show_undetermined: false,
            cwd: Path::new("/repo"),
            config_file: None,
            quiet: true,
            sarif: &sarif,
        };
        let mut renderer = Renderer::new(format, cx);
        let mut out = Vec::new();
        renderer.file(&mut out, &result).unwrap();
        let totals = Totals {
            summary: Summary::of(std::slice::from_ref(&result)),
            elapsed: Duration::ZERO,
            inputs: InputKind::Files,
        };
        renderer.finish(&mut out, &totals).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn line_formats_name_the_file_of_the_primary_label() {
        let compact = rendered(OutputFormat::Compact);
        assert!(
            compact.starts_with("main.tf:2:10: warning[EC-012] "),
            "{compact}"
        );
        let github = rendered(OutputFormat::Github);
        assert!(
            github.starts_with("::warning file=main.tf,line=2,col=10,endLine=2,endColumn=17,"),
            "{github}"
        );
        let junit = rendered(OutputFormat::Junit);
        assert!(junit.contains("main.tf:2:10: warning[EC-012] "), "{junit}");
        let gitlab: serde_json::Value =
            serde_json::from_str(&rendered(OutputFormat::Gitlab)).unwrap();
        assert_eq!(gitlab[0]["location"]["path"], "main.tf", "{gitlab}");
    }

    #[test]
    fn json_gives_a_label_in_another_file_its_path() {
        let json: serde_json::Value = serde_json::from_str(&rendered(OutputFormat::Json)).unwrap();
        let finding = &json["findings"][0];
        assert_eq!(finding["path"], "main.tf");
        let labels = finding["labels"].as_array().unwrap();
        assert_eq!(labels.len(), 2, "{finding}");
        // The primary label is in the finding's file and says so by omission.
        assert!(labels[0].get("path").is_none(), "{finding}");
        assert_eq!(labels[1]["path"], "variables.tf");
        assert_eq!(labels[1]["line"], 2);
        assert_eq!(labels[1]["column"], 13);
    }

    #[test]
    fn sarif_related_locations_have_their_own_artifact() {
        let log: serde_json::Value = serde_json::from_str(&rendered(OutputFormat::Sarif)).unwrap();
        let result = &log["runs"][0]["results"][0];
        let primary = &result["locations"][0]["physicalLocation"];
        assert_eq!(primary["artifactLocation"]["uri"], "main.tf");
        assert_eq!(primary["region"]["startLine"], 2);
        let related = &result["relatedLocations"][0];
        assert_eq!(related["id"], 1);
        let physical = &related["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "variables.tf");
        assert_eq!(physical["region"]["startLine"], 2);
        assert_eq!(physical["region"]["startColumn"], 13);
        assert_eq!(physical["region"]["endColumn"], 17);
    }
}
