//! Runs one stage of the library on files, for profilers:
//!
//! ```text
//! valgrind --tool=callgrind target/release/examples/profile lint big.yaml
//! perf record -g target/release/examples/profile parse big.json 20
//! ```
//!
//! Stages: `parse` (text to node tree), `template` (parse, then the
//! template view and the evaluation of every resource's `Engine` and
//! `Port`), and `lint` (everything). For a Terraform file, read as a module
//! of that one file: `tf-parse` (`hcl-edit`, in pieces; prints their number), `tf-load` (the module's
//! blocks) and `tf-lint` (everything). An optional count repeats the work.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use cfn_port_rules::cloudformation::evaluate::Evaluator;
use cfn_port_rules::syntax;
use cfn_port_rules::template::Template;
use cfn_port_rules::terraform::parse::{Pieces, parse_native_pieces};
use cfn_port_rules::terraform::{MemoryReader, Vars, Workspace, lint_module};
use cfn_port_rules::{Limits, LintOptions, SourceFile, lint};

fn run(stage: &str, source: &SourceFile) -> Result<usize, String> {
    let options = LintOptions::default();
    match stage {
        "parse" => Ok(syntax::parse(source, &options.limits)
            .document
            .map_or(0, |d| d.len())),
        "template" => {
            let parsed = syntax::parse(source, &options.limits);
            let document = parsed.usable_document().ok_or("does not parse")?;
            let given = BTreeMap::new();
            let template = Template::new(document, &given).map_err(|d| d.message)?;
            let evaluator = Evaluator::new(&template, &given, Limits::DEFAULT_MAX_POSSIBILITIES);
            Ok(template
                .resources()
                .iter()
                .map(|r| {
                    evaluator.property(r, "Engine").len() + evaluator.property(r, "Port").len()
                })
                .sum())
        }
        "lint" => {
            let report = lint(source, &options);
            Ok(report.findings.len() + report.undetermined.len() + report.diagnostics.len())
        }
        "tf-parse" => {
            let mut pieces = 0;
            let outcome = parse_native_pieces(source.text(), |_| pieces += 1);
            match outcome {
                Pieces::Read(_) => Ok(pieces),
                Pieces::Whole(parsed) => parsed.map(|_| 1).map_err(|e| e.message),
            }
        }
        "tf-load" => {
            let reader = MemoryReader::new().with_file("module", "main.tf", source.text());
            Ok(Workspace::load("module", &reader).root().resources.len())
        }
        "tf-lint" => {
            let reader = MemoryReader::new().with_file("module", "main.tf", source.text());
            let linted = lint_module("module", &reader, &Vars::new(), &options);
            Ok(linted.report.findings.len())
        }
        other => Err(format!(
            "unknown stage {other:?}: parse, template, lint, tf-parse, tf-load or tf-lint"
        )),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stderr = std::io::stderr().lock();
    let [stage, path, rest @ ..] = args.as_slice() else {
        let _ = writeln!(stderr, "usage: profile parse|template|lint FILE [REPEAT]");
        return ExitCode::from(2);
    };
    let repeat = rest.first().and_then(|n| n.parse().ok()).unwrap_or(1_usize);
    let source = match std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| SourceFile::from_bytes(path.as_str(), bytes).map_err(|d| d.message))
    {
        Ok(source) => source,
        Err(message) => {
            let _ = writeln!(stderr, "{path}: {message}");
            return ExitCode::from(2);
        }
    };
    let mut total = 0;
    for _ in 0..repeat {
        match run(stage, &source) {
            Ok(count) => total += count,
            Err(message) => {
                let _ = writeln!(stderr, "{path}: {message}");
                return ExitCode::from(2);
            }
        }
    }
    let _ = writeln!(std::io::stdout(), "{total}");
    ExitCode::SUCCESS
}
