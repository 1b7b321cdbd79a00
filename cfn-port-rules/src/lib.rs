//! Parse AWS CloudFormation templates with exact spans, work out statically
//! what a property can be, and check ElastiCache port rules.
//!
//! This is the library behind the `cfn-port-lint` command: the same parser
//! (YAML read the way CloudFormation reads it), the same rules and the same
//! reports. It never prints and never exits; everything it finds is data.
//!
//! # Lint a string
//!
//! [`lint`] takes a [`SourceFile`] (a name and its text) and [`LintOptions`],
//! and returns a [`Report`].
//!
//! ```
//! use cfn_port_rules::{LintOptions, SourceFile, Status, lint};
//!
//! let source = SourceFile::new("stack.yaml", "\
//! Parameters:
//!   CachePort:
//!     Type: Number
//!     Default: 6379
//! Resources:
//!   Sessions:
//!     Type: AWS::ElastiCache::ReplicationGroup
//!     Properties:
//!       ReplicationGroupDescription: sessions
//!       Port: !Ref CachePort
//! ");
//! let report = lint(&source, &LintOptions::default());
//! assert_eq!(report.status, Status::Linted);
//! let finding = &report.findings[0];
//! assert_eq!(finding.rule, "EC-012");
//! assert_eq!(finding.resource, "Sessions");
//! // The finding points at `!Ref CachePort` (line 10, column 13) and says
//! // where the value came from: the parameter's `Default`.
//! let start = finding.location.unwrap().start;
//! assert_eq!((start.line, start.column), (10, 13));
//! assert!(finding.labels[1].message.contains("defaults to 6379"));
//! ```
//!
//! # Lint with parameter values
//!
//! Values given for parameters win over their `AllowedValues` and `Default`,
//! as `--parameter Name=Value` does on the command line. [`LintOptions`] is
//! built from its default with `with_*` methods.
//!
//! ```
//! use cfn_port_rules::{LintOptions, Severity, SourceFile, lint};
//!
//! let source = SourceFile::new("stack.yaml", "\
//! Parameters:
//!   Env:
//!     Type: String
//!     AllowedValues: [dev, prod]
//! Conditions:
//!   IsProd: !Equals [!Ref Env, prod]
//! Resources:
//!   Cache:
//!     Type: AWS::ElastiCache::CacheCluster
//!     Properties:
//!       Engine: redis
//!       CacheNodeType: cache.t3.micro
//!       NumCacheNodes: 1
//!       Port: !If [IsProd, 3560, 6379]
//! ");
//! // Without a value, `Env` can be `dev`, which uses the default port.
//! let report = lint(&source, &LintOptions::default());
//! assert_eq!(report.active_findings().count(), 1);
//!
//! // With `Env=prod`, the port is 3560.
//! let options = LintOptions::default()
//!     .with_parameter("Env", "prod")
//!     .with_rule_severity("EC-012", Severity::Error);
//! let report = lint(&source, &options);
//! assert_eq!(report.active_findings().count(), 0);
//! ```
//!
//! # Walk the findings
//!
//! A [`Finding`] has a message, labels (the primary one first, at the node
//! that causes it, then where its value came from), notes and help. Spans
//! are byte offsets; [`SourceFile::line_col`] turns one into a 1-based line
//! and a 1-based column counted in characters, and [`Finding::location`]
//! holds the primary label's.
//!
//! ```
//! use std::fmt::Write as _;
//! use cfn_port_rules::{LabelStyle, LintOptions, SourceFile, lint};
//!
//! let source = SourceFile::new("stack.yaml", "\
//! Parameters:
//!   Port:
//!     Type: Number
//!     Default: 11211
//! Resources:
//!   Café:
//!     Type: AWS::ElastiCache::CacheCluster
//!     Properties:
//!       Engine: memcached
//!       Port: !Ref Port
//! ");
//! let report = lint(&source, &LintOptions::default());
//! let mut out = String::new();
//! for finding in report.active_findings() {
//!     let at = finding.location.expect("lint places every finding").start;
//!     writeln!(out, "{}:{at}: {}[{}] {}", source.name(), finding.severity, finding.rule, finding.message).unwrap();
//!     for label in &finding.labels {
//!         let kind = match label.style {
//!             LabelStyle::Primary => "here",
//!             LabelStyle::Secondary => "from",
//!         };
//!         let pos = source.line_col(label.span.start);
//!         writeln!(out, "  {kind} {pos}: {}", label.message).unwrap();
//!     }
//!     for note in &finding.notes {
//!         writeln!(out, "  note: {note}").unwrap();
//!     }
//!     writeln!(out, "  help: {}", finding.help).unwrap();
//! }
//! assert!(out.starts_with("stack.yaml:10:13: warning[EC-012] CacheCluster `Café`"));
//! assert!(out.contains("  from 4:14: parameter `Port` defaults to 11211"));
//! ```
//!
//! Problems with the input itself (a syntax error, a duplicate key, a file
//! over a limit) are [`Diagnostic`]s in [`Report::diagnostics`], with a
//! [`DiagnosticKind`], a [`Severity`] and the same kind of labels.
//!
//! # List the rules
//!
//! ```
//! use cfn_port_rules::model::SourceKind;
//! use cfn_port_rules::{Severity, rules};
//!
//! for rule in rules::all() {
//!     let meta = rule.meta();
//!     println!("{} {} ({}, risk {})", meta.id, meta.title, meta.default_severity, meta.risk_level.as_str());
//! }
//! let ec012 = rules::find("elasticache-default-port").unwrap().meta();
//! assert_eq!(ec012.id, "EC-012");
//! assert_eq!(ec012.default_severity, Severity::Warning);
//! let types = ec012.resource_types(SourceKind::CloudFormation);
//! assert!(types.contains(&"AWS::ElastiCache::CacheCluster"));
//! assert!(ec012.sources().contains(&SourceKind::Terraform));
//! ```
//!
//! # Turn a report into JSON
//!
//! Every type of a report implements [`serde::Serialize`].
//!
//! ```
//! use cfn_port_rules::{LintOptions, SourceFile, lint};
//!
//! let source = SourceFile::new("cache.json", r#"{"Resources": {"Cache": {
//!   "Type": "AWS::ElastiCache::CacheCluster",
//!   "Properties": {"Engine": "memcached", "Port": 11211}}}}"#);
//! let report = lint(&source, &LintOptions::default());
//! let json = serde_json::to_value(&report).unwrap();
//! assert_eq!(json["status"], "linted");
//! assert_eq!(json["format"], "json");
//! assert_eq!(json["findings"][0]["rule"], "EC-012");
//! assert_eq!(json["findings"][0]["location"]["start"]["line"], 3);
//! ```
//!
//! # Growing without breaking
//!
//! Rules, formats and sources will be added, so the types a report is made
//! of are `#[non_exhaustive]`: match them with a `_` arm, and build
//! [`LintOptions`] and [`Limits`] from `Default` with their `with_*` methods.
//!
//! # The pieces
//!
//! One model, many sources: a front-end reads its language into the neutral
//! [`model`], and the rules read only that model. Folder by folder, from the
//! bottom up:
//!
//! - [`source`]: [`SourceFile`], byte [`Span`]s, 1-based character
//!   [`LineCol`]s, and the [`FileId`] that says which file of an input a
//!   span is in;
//! - [`syntax`]: JSON or YAML into one node tree ([`syntax::Document`]),
//!   shared by every front-end that reads JSON or YAML;
//! - [`eval`]: the neutral machinery of evaluation: [`eval::Value`],
//!   [`eval::Scenario`], [`eval::Possibility`] and traces of
//!   [`eval::Step`]s that a front-end describes in its own words;
//! - [`model`]: resources with a neutral [`model::ResourceKind`], an
//!   [`model::Identity`], existence and properties under neutral
//!   [`model::Property`] names; each kind's and property's name in each
//!   source ([`model::SourceKind`]);
//! - [`cloudformation`]: the CloudFormation front-end: [`template::Template`]
//!   (the sections, `Fn::ForEach` expanded),
//!   [`cloudformation::evaluate::Evaluator`] (intrinsic functions,
//!   parameters, mappings, conditions) and the template's resources as the
//!   model; other front-ends sit beside it (`terraform/`, `plan/`, `aws/`);
//! - [`rules`]: the rules ([`rules::REGISTRY`]) and their metadata, written
//!   once against the model; the default-port judgement they share;
//! - [`lint`] (a CloudFormation template) and [`lint_model`] (a model from
//!   any front-end): the rules run, as a [`Report`];
//! - [`suppress`]: suppressions in comments and `Metadata`;
//! - [`limits`]: the bounds on size and shape that keep hostile input cheap.
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod aws;
pub mod cloudformation;
pub mod detect;
pub mod diagnostic;
mod encoding;
pub mod eval;
mod kind;
pub mod limits;
mod lint;
pub mod model;
pub mod plan;
mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod terraform;

/// The former home of [`cloudformation::given_parameters`], kept as a path.
pub use cloudformation::given_parameters;
/// The former home of [`cloudformation::template`], kept as a path.
pub use cloudformation::template;
pub use detect::looks_like_template;
pub use diagnostic::{Diagnostic, DiagnosticKind, Label, LabelStyle, Location, Severity};
pub use limits::Limits;
pub use lint::{LintOptions, Report, Status, lint, lint_model};
pub use rules::{Finding, Rule, RuleMeta, Undetermined};
pub use source::{FileId, Format, LineCol, SourceFile, Span};

// The README's Rust examples ("Embedding") are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
