//! Parse AWS CloudFormation templates with exact spans, work out statically
//! what a property can be, and check ElastiCache port rules.
//!
//! ```
//! use cfn_port_rules::{LintOptions, SourceFile, lint};
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
//! The pieces, from the bottom up:
//!
//! - [`SourceFile`]: text, byte [`Span`]s and 1-based character [`LineCol`]s;
//! - [`syntax::parse`]: JSON or YAML into one node tree ([`syntax::Document`]);
//! - [`template::Template`]: the sections of a template, `Fn::ForEach` expanded;
//! - [`eval::Evaluator`]: the possible values of a node, with scenario and provenance;
//! - [`rules`]: the rules ([`rules::REGISTRY`]) and their metadata;
//! - [`lint`]: all of the above for one source, as a [`Report`].
//!
//! Nothing in this crate prints or exits; every problem is a [`Diagnostic`]
//! with spans.
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod diagnostic;
pub mod eval;
pub mod given_parameters;
pub mod limits;
mod lint;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod template;
pub mod terraform;

pub use diagnostic::{Diagnostic, DiagnosticKind, Label, LabelStyle, Location, Severity};
pub use limits::Limits;
pub use lint::{LintOptions, Report, Status, lint};
pub use rules::{Finding, Rule, RuleMeta, Undetermined};
pub use source::{Format, LineCol, SourceFile, Span};
