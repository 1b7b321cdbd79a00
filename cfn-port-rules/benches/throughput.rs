//! Throughput of each stage on generated templates, in MB/s of template
//! text: parse (YAML, JSON), template view and evaluation, and full lint.
//!
//! ```text
//! cargo bench -p cfn-port-rules --bench throughput
//! ```
//!
//! The inputs come from the same generator as `scripts/bench.sh`
//! (`examples/generate_template`): the realistic mix at 100, 1,000 and
//! 10,000 ElastiCache resources (10,000 is about 1.7 MB of YAML), and the
//! stress case with 60 conditions and a nested `Fn::If` on every port.

use std::collections::BTreeMap;

use cfn_port_rules::cloudformation::evaluate::Evaluator;
use cfn_port_rules::syntax::{self, Document};
use cfn_port_rules::template::Template;
use cfn_port_rules::{Limits, LintOptions, SourceFile, lint};
use divan::Bencher;
use divan::counter::BytesCount;

#[path = "../examples/generate_template/generator.rs"]
mod generator;

use generator::{Format, Options, generate};

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn main() {
    divan::main();
}

fn source(options: &Options) -> SourceFile {
    let name = match options.format {
        Format::Yaml => "generated.yaml",
        Format::Json => "generated.json",
    };
    SourceFile::new(name, generate(options))
}

fn realistic(resources: usize, format: Format) -> SourceFile {
    source(&Options::realistic(resources, format))
}

fn parsed(source: &SourceFile) -> Document {
    let parsed = syntax::parse(source, &Limits::default());
    assert!(
        parsed.usable_document().is_some(),
        "{:?}",
        parsed.diagnostics
    );
    parsed.document.expect("generated templates parse")
}

/// Parses and builds the node tree.
fn bench_parse(bencher: Bencher<'_, '_>, source: &SourceFile) {
    let limits = Limits::default();
    bencher
        .counter(BytesCount::of_str(source.text()))
        .bench(|| syntax::parse(divan::black_box(source), &limits));
}

/// Builds the template view and evaluates `Engine` and `Port` of every
/// resource, on a tree parsed beforehand.
fn bench_evaluate(bencher: Bencher<'_, '_>, source: &SourceFile) {
    let document = parsed(source);
    let given = BTreeMap::new();
    bencher
        .counter(BytesCount::of_str(source.text()))
        .bench(|| {
            let template = Template::new(divan::black_box(&document), &given).expect("a template");
            let evaluator = Evaluator::new(&template, &given, Limits::DEFAULT_MAX_POSSIBILITIES);
            let mut possibilities = 0;
            for resource in template.resources() {
                possibilities += evaluator.property(resource, "Engine").len();
                possibilities += evaluator.property(resource, "Port").len();
            }
            possibilities
        });
}

/// Everything `lint` does, parse included.
fn bench_lint(bencher: Bencher<'_, '_>, source: &SourceFile) {
    let options = LintOptions::default();
    bencher
        .counter(BytesCount::of_str(source.text()))
        .bench(|| lint(divan::black_box(source), &options));
}

#[divan::bench(args = SIZES)]
fn parse_yaml(bencher: Bencher<'_, '_>, resources: usize) {
    bench_parse(bencher, &realistic(resources, Format::Yaml));
}

#[divan::bench(args = SIZES)]
fn parse_json(bencher: Bencher<'_, '_>, resources: usize) {
    bench_parse(bencher, &realistic(resources, Format::Json));
}

#[divan::bench(args = SIZES)]
fn evaluate(bencher: Bencher<'_, '_>, resources: usize) {
    bench_evaluate(bencher, &realistic(resources, Format::Yaml));
}

#[divan::bench(args = SIZES)]
fn lint_yaml(bencher: Bencher<'_, '_>, resources: usize) {
    bench_lint(bencher, &realistic(resources, Format::Yaml));
}

#[divan::bench(args = SIZES)]
fn lint_json(bencher: Bencher<'_, '_>, resources: usize) {
    bench_lint(bencher, &realistic(resources, Format::Json));
}

#[divan::bench]
fn evaluate_stress(bencher: Bencher<'_, '_>) {
    bench_evaluate(bencher, &source(&Options::stress(Format::Yaml)));
}

#[divan::bench]
fn lint_stress(bencher: Bencher<'_, '_>) {
    bench_lint(bencher, &source(&Options::stress(Format::Yaml)));
}
