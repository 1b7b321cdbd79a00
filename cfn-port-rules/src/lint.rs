//! The entry points: [`lint`] reads a CloudFormation template into the
//! neutral model and runs the rules on it; [`lint_model`] runs them on a
//! model any front-end made.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::cloudformation::evaluate::Evaluator;
use crate::cloudformation::template::{self, Template};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Location, Severity};
use crate::limits::Limits;
use crate::model::{self, Model, ResourceKind, SourceKind, Texts};
pub use crate::report::{Report, Status};
use crate::rules::{self, Finding, RuleContext, Undetermined};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax;

/// What to lint and how.
///
/// Start from [`LintOptions::default`] (every rule at its own severity, no
/// parameter values, default [`Limits`]) and change it with the `with_*`
/// methods; fields will be added as rules and sources are, so the struct
/// cannot be built with a literal outside this crate.
///
/// ```
/// use cfn_port_rules::{Limits, LintOptions, Severity};
///
/// let options = LintOptions::default()
///     .with_parameter("Env", "prod")
///     .with_rule_severity("EC-012", Severity::Error)
///     .with_limits(Limits::default().with_max_file_size(1024 * 1024));
/// assert_eq!(options.parameters["Env"], "prod");
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct LintOptions {
    /// Values for template parameters, as `--parameter Name=Value` gives
    /// them. They win over `AllowedValues` and `Default`.
    pub parameters: BTreeMap<String, String>,
    /// Names among `parameters` that a template is expected to declare:
    /// each one it does not declare gets an `unknown-parameter` warning
    /// naming the closest declared one. Pinnable pseudo parameters
    /// ([`PINNABLE_PSEUDO_PARAMETERS`](crate::given_parameters::PINNABLE_PSEUDO_PARAMETERS))
    /// are never warned about. Leave out defaults meant for many templates.
    pub checked_parameters: BTreeSet<String>,
    /// When set, only these rules run (ids such as `EC-012`, or names).
    pub only_rules: Option<BTreeSet<String>>,
    /// Rules that do not run (ids or names).
    pub disabled_rules: BTreeSet<String>,
    /// Severity per rule id, replacing the rule's default.
    pub severities: BTreeMap<String, Severity>,
    /// Size and shape limits.
    pub limits: Limits,
}

impl LintOptions {
    /// Gives the template parameter `name` the value `value`, as
    /// `--parameter Name=Value` does. It wins over the parameter's
    /// `AllowedValues` and `Default`.
    #[must_use]
    pub fn with_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.insert(name.into(), value.into());
        self
    }

    /// Gives the template parameter `name` the value `value`, like
    /// [`LintOptions::with_parameter`], for a template that must declare
    /// it: when it does not, the report has an `unknown-parameter` warning
    /// naming the closest declared parameter (see
    /// [`LintOptions::checked_parameters`]).
    #[must_use]
    pub fn with_checked_parameter(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        let name = name.into();
        self.checked_parameters.insert(name.clone());
        self.parameters.insert(name, value.into());
        self
    }

    /// Gives several template parameters their values; see
    /// [`LintOptions::with_parameter`].
    #[must_use]
    pub fn with_parameters<N, V>(mut self, values: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: Into<String>,
        V: Into<String>,
    {
        self.parameters
            .extend(values.into_iter().map(|(n, v)| (n.into(), v.into())));
        self
    }

    /// Runs only the named rules (ids such as `EC-012`, or names such as
    /// `elasticache-default-port`). Calling it again replaces the set.
    #[must_use]
    pub fn with_only_rules<R: Into<String>>(mut self, rules: impl IntoIterator<Item = R>) -> Self {
        self.only_rules = Some(rules.into_iter().map(Into::into).collect());
        self
    }

    /// Turns a rule off (by id or name).
    #[must_use]
    pub fn with_disabled_rule(mut self, rule: impl Into<String>) -> Self {
        self.disabled_rules.insert(rule.into());
        self
    }

    /// Reports a rule's findings (by id or name) at `severity` instead of
    /// the rule's default severity.
    #[must_use]
    pub fn with_rule_severity(mut self, rule: impl Into<String>, severity: Severity) -> Self {
        self.severities.insert(rule.into(), severity);
        self
    }

    /// Sets the size and shape limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    fn runs(&self, meta: &rules::RuleMeta) -> bool {
        let named = |set: &BTreeSet<String>| {
            set.iter()
                .any(|s| s.eq_ignore_ascii_case(meta.id) || s == meta.name)
        };
        self.only_rules.as_ref().is_none_or(named) && !named(&self.disabled_rules)
    }

    /// The kinds the rules that run cover: a front-end reads only these.
    pub(crate) fn kinds(&self) -> BTreeSet<ResourceKind> {
        rules::all()
            .iter()
            .map(|rule| rule.meta())
            .filter(|meta| self.runs(meta))
            .flat_map(|meta| meta.kinds.iter().copied())
            .collect()
    }

    fn severity(&self, meta: &rules::RuleMeta) -> Severity {
        self.severities
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(meta.id) || *id == meta.name)
            .map_or(meta.default_severity, |(_, &severity)| severity)
    }
}

/// Lints one source: parses it, reads it as a template, evaluates and runs
/// the selected rules, and applies suppressions.
///
/// # Example
/// ```
/// use cfn_port_rules::{LintOptions, SourceFile, lint};
///
/// let source = SourceFile::new("cache.yaml", "\
/// Resources:
///   Cache:
///     Type: AWS::ElastiCache::CacheCluster
///     Properties:
///       Engine: memcached
///       Port: 11211
/// ");
/// let report = lint(&source, &LintOptions::default());
/// let finding = &report.findings[0];
/// assert_eq!(finding.rule, "EC-012");
/// assert_eq!(finding.location.unwrap().start.line, 6);
/// ```
#[must_use]
pub fn lint(source: &SourceFile, options: &LintOptions) -> Report {
    // The line index is needed to place findings; building it while the
    // text is parsed keeps it off the critical path when a core is free.
    let (parsed, _) = rayon::join(
        || syntax::parse(source, &options.limits),
        || source.line_starts().len(),
    );
    let mut report = Report::new(Status::Failed);
    report.diagnostics = parsed.diagnostics.clone();
    let Some(document) = parsed.usable_document() else {
        if report
            .diagnostics
            .iter()
            .all(|d| d.kind == DiagnosticKind::NotATemplate)
        {
            report.status = Status::NotATemplate;
        }
        return finish(report, source);
    };
    report.format = Some(document.format());
    let template = match Template::new(document, &options.parameters) {
        Ok(template) => template,
        Err(diagnostic) => {
            if diagnostic.kind == DiagnosticKind::NotATemplate {
                report.status = Status::NotATemplate;
            }
            report.diagnostics.push(*diagnostic);
            return finish(report, source);
        }
    };
    report.status = Status::Linted;
    report
        .diagnostics
        .extend(template.diagnostics().iter().cloned());
    let undeclared = crate::given_parameters::undeclared(&template, &options.checked_parameters);
    report.diagnostics.extend(undeclared.diagnostics);
    report.undeclared_parameters = undeclared.names;
    let resources = template.resources();
    let (kinds, network_kinds) = split_network_kinds(options.kinds());
    // Security groups and their rules are read once, before the chunks:
    // a cache in any chunk may be placed in any group.
    let network = model_network(&template, resources, &network_kinds, options, &mut report);
    // Resources are judged independently, so a large template is read into
    // the model and checked in chunks on all cores; each chunk has its own
    // evaluator (its caches are not shared between threads). The chunks
    // come back in order.
    let checked: Vec<Checked> = resources
        .par_chunks(chunk_size(resources.len()))
        .map(|chunk| check_template_chunk(source, &template, chunk, &kinds, &network, options))
        .collect();
    // Chunks may meet the same template problem (a cyclic condition); each
    // chunk's own are distinct already, so only a repeat across chunks is dropped.
    let mut seen: foldhash::HashSet<(Option<Span>, String)> = foldhash::HashSet::default();
    report
        .findings
        .reserve_exact(checked.iter().map(|part| part.findings.len()).sum());
    for mut part in checked {
        report.evaluation_steps += part.steps;
        report.findings.append(&mut part.findings);
        report.undetermined.append(&mut part.undetermined);
        for diagnostic in part.diagnostics {
            if seen.insert((diagnostic.primary_span(), diagnostic.message.clone())) {
                report.diagnostics.push(diagnostic);
            }
        }
    }
    crate::suppress::apply(source, &template, &mut report);
    finish(report, source)
}

/// Lints a model made by any front-end: runs the selected rules on its
/// resources and places everything in `sources`, the files the model's
/// [`FileId`]s index (a CloudFormation template is one file; a Terraform
/// module is several). Suppressions are the front-end's to apply, since
/// their syntax is its own.
///
/// # Example
/// ```
/// use cfn_port_rules::model::{Identity, Model, Resource, ResourceKind, SourceKind};
/// use cfn_port_rules::{FileId, LintOptions, SourceFile, Span, lint_model};
///
/// let main = SourceFile::new("main.tf", "resource \"aws_elasticache_replication_group\" \"cache\" {}\n");
/// let kind = ResourceKind::ElastiCacheReplicationGroup;
/// let identity = Identity::new(
///     "aws_elasticache_replication_group.cache",
///     kind.type_name(SourceKind::Terraform).unwrap(),
///     FileId::FIRST,
///     Span::new(46, 53),
/// )
/// .with_extent(Span::new(0, 56));
/// let mut model = Model::new(SourceKind::Terraform, vec!["main.tf".into()]);
/// model.resources.push(Resource::new(kind, identity));
/// let report = lint_model(&model, &[&main], &LintOptions::default());
/// assert_eq!(report.findings[0].message,
///     "`aws_elasticache_replication_group.cache` does not set `port`, so it listens on the redis default port 6379");
/// ```
#[must_use]
pub fn lint_model(model: &Model, sources: &[&SourceFile], options: &LintOptions) -> Report {
    place(check_model(model, options), sources)
}

/// Runs the selected rules on a model; nothing is placed yet, so a
/// front-end can add its suppressions before [`place`].
pub(crate) fn check_model(model: &Model, options: &LintOptions) -> Report {
    let mut report = Report::new(Status::Linted);
    report.diagnostics.clone_from(&model.diagnostics);
    let source = model.source.unwrap_or(SourceKind::CloudFormation);
    let resources = &model.resources;
    let checked: Vec<Checked> = resources
        .par_chunks(chunk_size(resources.len()))
        .map(|chunk| {
            let mut checked = Checked::default();
            let in_view = InView {
                resources,
                network: &[],
            };
            run_rules(source, chunk, in_view, options, &mut checked);
            checked
        })
        .collect();
    for mut part in checked {
        report.findings.append(&mut part.findings);
        report.undetermined.append(&mut part.undetermined);
        report.diagnostics.append(&mut part.diagnostics);
    }
    merge_repeated(&mut report.diagnostics);
    report
}

/// Fills in the positions of a model's report from `sources` (the files
/// its [`FileId`]s index) and sorts it.
pub(crate) fn place(mut report: Report, sources: &[&SourceFile]) -> Report {
    let file = |id: FileId| sources.get(id.index()).copied();
    for finding in &mut report.findings {
        let primary = finding.labels.first();
        if let Some(source) = primary.and_then(|label| file(label.file)) {
            finding.location = Some(Location::of(source, finding.primary_span()));
        }
    }
    for undetermined in &mut report.undetermined {
        if let Some(source) = file(undetermined.file) {
            undetermined.location = Some(Location::of(source, undetermined.span));
        }
    }
    for diagnostic in &mut report.diagnostics {
        let primary = diagnostic
            .labels
            .iter()
            .find(|l| l.style == crate::LabelStyle::Primary);
        if let Some(source) = primary.and_then(|label| file(label.file)) {
            diagnostic.locate(source);
        }
    }
    sort(report)
}

/// Templates with fewer resources are checked on the calling thread: below
/// this, splitting costs more than it saves.
const PARALLEL_FROM_RESOURCES: usize = 512;

/// How many resources one parallel task checks.
fn chunk_size(resources: usize) -> usize {
    if resources >= PARALLEL_FROM_RESOURCES {
        resources.div_ceil(rayon::current_num_threads() * 4)
    } else {
        resources.max(1)
    }
}

/// What the rules found in one chunk of resources.
#[derive(Default)]
struct Checked {
    findings: Vec<Finding>,
    undetermined: Vec<Undetermined>,
    diagnostics: Vec<Diagnostic>,
    steps: u64,
}

/// The kinds a template's chunks read, and apart from them the kinds of
/// the network around them (security groups and their ingress rules),
/// which are read once for the whole template.
fn split_network_kinds(
    mut kinds: BTreeSet<ResourceKind>,
) -> (BTreeSet<ResourceKind>, BTreeSet<ResourceKind>) {
    let network = kinds.extract_if(.., |kind| !kind.listens()).collect();
    (kinds, network)
}

/// The security groups and ingress rules of a template, as model resources
/// every chunk sees; the problems met reading them go to `report`.
fn model_network(
    template: &Template<'_>,
    resources: &[template::Resource],
    kinds: &BTreeSet<ResourceKind>,
    options: &LintOptions,
    report: &mut Report,
) -> Vec<model::Resource> {
    let (network, steps) = read_model(template, resources, kinds, options, &mut report.diagnostics);
    report.evaluation_steps += steps;
    network
}

/// Reads one chunk of a template's resources into the model and checks it,
/// with the template's security groups and their rules (`network`) in view.
fn check_template_chunk(
    source: &SourceFile,
    template: &Template<'_>,
    resources: &[template::Resource],
    kinds: &BTreeSet<ResourceKind>,
    network: &[model::Resource],
    options: &LintOptions,
) -> Checked {
    let mut checked = Checked::default();
    let (resources, steps) = read_model(
        template,
        resources,
        kinds,
        options,
        &mut checked.diagnostics,
    );
    checked.steps = steps;
    // A template's resources are all in one file, and a member names its
    // group by `Ref` (an RDS instance's `DBClusterIdentifier`), which the
    // evaluator resolves against the whole template, not by name in view:
    // the chunk is what the rules need in view.
    run_rules(
        SourceKind::CloudFormation,
        &resources,
        InView {
            resources: &resources,
            network,
        },
        options,
        &mut checked,
    );
    // Placed here, in parallel with the other chunks, rather than after.
    locate_findings(source, &mut checked.findings);
    checked
}

/// The model of `resources` of the kinds in `kinds`, read with an evaluator
/// of its own (its caches are not shared between threads), and the
/// evaluator's steps; the problems met go to `diagnostics`.
fn read_model(
    template: &Template<'_>,
    resources: &[template::Resource],
    kinds: &BTreeSet<ResourceKind>,
    options: &LintOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<model::Resource>, u64) {
    if kinds.is_empty() {
        return (Vec::new(), 0);
    }
    let evaluator = Evaluator::new(
        template,
        &options.parameters,
        options.limits.max_possibilities,
    );
    let model =
        crate::cloudformation::model_resources(template, &evaluator, resources, kinds, diagnostics);
    diagnostics.extend(evaluator.take_problems());
    (model, evaluator.steps())
}

/// What the rules see beside the resources they check.
#[derive(Clone, Copy)]
struct InView<'a> {
    /// The resources a member's group is looked up in.
    resources: &'a [model::Resource],
    /// Security groups and ingress rules read apart from `resources` (a
    /// template's, once for all its chunks).
    network: &'a [model::Resource],
}

/// Runs every selected rule on `resources`.
fn run_rules(
    source: SourceKind,
    resources: &[model::Resource],
    in_view: InView<'_>,
    options: &LintOptions,
    checked: &mut Checked,
) {
    let mut texts = Texts::default();
    for rule in rules::all() {
        let meta = rule.meta();
        if !options.runs(meta) {
            continue;
        }
        let mut cx = RuleContext {
            source,
            resources,
            in_view: in_view.resources,
            network: in_view.network,
            severity: options.severity(meta),
            findings: Vec::new(),
            undetermined: Vec::new(),
            texts: std::mem::take(&mut texts),
        };
        rule.check(&mut cx);
        texts = cx.texts;
        checked.findings.append(&mut cx.findings);
        checked.undetermined.append(&mut cx.undetermined);
    }
}

/// Fills in the findings' positions. They come in source order, so a cursor
/// finds their lines in passing.
fn locate_findings(source: &SourceFile, findings: &mut [Finding]) {
    let mut cursor = source.cursor();
    for finding in findings {
        let span = finding.primary_span();
        finding.location = Some(Location {
            start: cursor.line_col(span.start),
            end: cursor.line_col(span.end),
        });
    }
}

/// Keeps one copy of each distinct diagnostic (same kind, severity, message
/// and primary span), with a note saying how often it was reported. A limit
/// met in every iteration of an outer `Fn::ForEach` loop, say, is one
/// problem, not one warning per iteration.
fn merge_repeated(diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.len() < 2 {
        return;
    }
    let mut repeats = vec![0usize; diagnostics.len()];
    let mut keep = vec![true; diagnostics.len()];
    {
        let mut first = foldhash::HashMap::default();
        for (i, d) in diagnostics.iter().enumerate() {
            let key = (d.kind, d.severity, d.primary_span(), d.message.as_str());
            match first.entry(key) {
                std::collections::hash_map::Entry::Occupied(entry) => {
                    repeats[*entry.get()] += 1;
                    keep[i] = false;
                }
                std::collections::hash_map::Entry::Vacant(entry) => {
                    entry.insert(i);
                }
            }
        }
    }
    if keep.iter().all(|&k| k) {
        return;
    }
    for (diagnostic, &more) in diagnostics.iter_mut().zip(&repeats) {
        if more > 0 {
            diagnostic.notes.push(format!(
                "reported {} times in this file; shown once",
                more + 1
            ));
        }
    }
    let mut kept = keep.into_iter();
    diagnostics.retain(|_| kept.next().unwrap_or(true));
}

/// Fills positions and sorts everything by where it is in the source.
fn finish(mut report: Report, source: &SourceFile) -> Report {
    merge_repeated(&mut report.diagnostics);
    for diagnostic in &mut report.diagnostics {
        diagnostic.locate(source);
    }
    for undetermined in &mut report.undetermined {
        undetermined.location = Some(Location::of(source, undetermined.span));
    }
    sort(report)
}

/// The file of a diagnostic's primary label (the first file for one without).
fn primary_file(diagnostic: &Diagnostic) -> FileId {
    diagnostic
        .labels
        .iter()
        .find(|l| l.style == crate::LabelStyle::Primary)
        .map_or(FileId::FIRST, |l| l.file)
}

/// Sorts everything by where it is in the source.
fn sort(mut report: Report) -> Report {
    report.diagnostics.sort_by_key(|d| {
        (
            d.position.is_some(),
            primary_file(d),
            d.position,
            d.kind.code(),
        )
    });
    // A rule reports a resource at most once, so findings with the same key
    // are the same finding and an unstable sort gives the order a stable sort
    // would, without a scratch copy of every finding.
    report.findings.sort_unstable_by(|a, b| {
        (
            a.primary_file(),
            a.primary_span(),
            a.rule,
            &a.resource,
            &a.message,
        )
            .cmp(&(
                b.primary_file(),
                b.primary_span(),
                b.rule,
                &b.resource,
                &b.message,
            ))
    });
    report.undetermined.sort_by(|a, b| {
        (a.file, a.span, a.rule, &a.resource).cmp(&(b.file, b.span, b.rule, &b.resource))
    });
    report
}
