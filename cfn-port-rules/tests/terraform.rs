//! The Terraform front-end on disk: the fixtures under
//! `testdata/terraform/` (JSON syntax is tested in memory, in the library's
//! unit tests: the CloudFormation fixture tests take every `testdata/**/*.json`
//! as a template) (each module directory's `expected.txt` lists every
//! ElastiCache instance with the possible values of its port-related
//! arguments and every diagnostic), and the shared corpus
//! (`../shared/corpus/terraform`): every module of `general/` and
//! `elasticache/` loads and evaluates without a panic, every file of `bad/`
//! gets a located error. Without the corpus the corpus tests say so and
//! check nothing.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use cfn_port_rules::Severity;
use cfn_port_rules::terraform::{
    MemoryReader, Possibility, ResourceInstance, TfValue, Workspace, expand, provider,
};
use common::DiskReader;

fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{line}");
}

const ARGUMENTS: &[&str] = &["engine", "port", "replication_group_id"];

fn describe(possibilities: &[Possibility]) -> String {
    possibilities
        .iter()
        .map(|p| {
            let scenario: Vec<String> = p
                .scenario
                .assumptions()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            if scenario.is_empty() {
                p.value.to_string()
            } else {
                format!("{} when {}", p.value, scenario.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Every ElastiCache instance with its arguments' possibilities and the
/// last step of each trace, then every diagnostic with its position.
fn summary(dir: &Path) -> String {
    let root = dir.display().to_string();
    let prefix = format!("{root}/");
    let workspace = Workspace::load(&root, &DiskReader);
    let expansion = expand(&workspace, BTreeMap::new());
    let mut out = String::new();
    for instance in &expansion.resources {
        if !instance.address.contains("aws_elasticache_") {
            continue;
        }
        writeln!(out, "{}", instance.address).unwrap();
        for argument in ARGUMENTS {
            let Some(possibilities) = expansion.argument(instance, argument) else {
                continue;
            };
            writeln!(out, "  {argument}: {}", describe(&possibilities)).unwrap();
            if let Some(origin) = possibilities
                .first()
                .and_then(|p| p.trace.last())
                .filter(|_| possibilities[0].trace.len() > 1)
            {
                let file = workspace.file(origin.file);
                let at = file.line_col(origin.span.start);
                let name = file.name().strip_prefix(&prefix).unwrap_or(file.name());
                writeln!(
                    out,
                    "    from {name}:{}:{}: {}",
                    at.line, at.column, origin.description
                )
                .unwrap();
            }
        }
    }
    let diagnostics = workspace.diagnostics.iter().chain(&expansion.diagnostics);
    for problem in diagnostics {
        let place = match (problem.file, problem.diagnostic.primary_span()) {
            (Some(file), Some(span)) => {
                let source = workspace.file(file);
                let at = source.line_col(span.start);
                format!(
                    "{}:{}:{}",
                    source.name().strip_prefix(&prefix).unwrap_or(source.name()),
                    at.line,
                    at.column
                )
            }
            _ => "-".to_owned(),
        };
        writeln!(
            out,
            "{} {place}: {}",
            problem.diagnostic.severity.as_str(),
            problem.diagnostic.message
        )
        .unwrap();
    }
    out
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/terraform")
}

#[test]
fn every_fixture_module_evaluates_as_its_expected_txt_says() {
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 8, "the fixtures are missing");
    for dir in dirs {
        let actual = summary(&dir);
        let expected_path = dir.join("expected.txt");
        if std::env::var_os("CFN_PORT_LINT_BLESS").is_some() {
            std::fs::write(&expected_path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/terraform");
    dir.join("general").is_dir().then_some(dir)
}

/// Loads and expands a module and evaluates every argument of every
/// resource instance; the number of instances, or the panic message or
/// the syntax errors (Terraform parses every file of these modules).
fn exercise(root: &str) -> Result<usize, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let workspace = Workspace::load(root, &DiskReader);
        let errors: Vec<String> = workspace
            .diagnostics
            .iter()
            .filter(|d| d.diagnostic.severity == Severity::Error)
            .map(|d| {
                format!(
                    "{}: {}",
                    d.file.map_or("-", |f| workspace.file(f).name()),
                    d.diagnostic.message
                )
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors.join("\n"));
        }
        let expansion = expand(&workspace, BTreeMap::new());
        for instance in &expansion.resources {
            for name in expansion.block(instance).attributes.keys() {
                let _ = expansion.argument(instance, name);
            }
        }
        Ok(expansion.resources.len())
    }))
    .map_err(|panic| format!("{root}: panicked: {:?}", panic.downcast_ref::<String>()))?
}

#[test]
fn every_corpus_module_loads_and_evaluates_without_a_panic() {
    let Some(corpus) = corpus() else {
        say("skipped: ../shared/corpus/terraform not found; the Terraform corpus was not loaded");
        return;
    };
    let roots = std::fs::read_to_string(corpus.join("elasticache/DIRS.tsv")).unwrap();
    let mut modules: Vec<PathBuf> = roots
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let (dir, root) = (columns.next()?, columns.next()?);
            Some(corpus.join("elasticache").join(dir).join(root))
        })
        .collect();
    let mut general: Vec<PathBuf> = std::fs::read_dir(corpus.join("general"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    general.sort();
    modules.extend(general);
    let started = std::time::Instant::now();
    let mut failures = Vec::new();
    let mut instances = 0;
    for module in &modules {
        match exercise(&module.display().to_string()) {
            Ok(n) => instances += n,
            Err(failure) => failures.push(failure),
        }
    }
    say(&format!(
        "loaded {} Terraform modules ({instances} resource instances) in {:?}",
        modules.len(),
        started.elapsed()
    ));
    assert!(
        modules.len() > 500,
        "the corpus lists fewer modules than expected"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `bad/` files that `hcl-edit` accepts although Terraform rejects them,
/// with why. Keep this short and argue every entry.
const BAD_FILES_ACCEPTED: &[(&str, &str)] = &[];

#[test]
fn every_bad_corpus_file_gets_a_located_error() {
    let Some(corpus) = corpus() else {
        say("skipped: ../shared/corpus/terraform not found; bad Terraform files were not checked");
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus.join("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut missed = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_str().unwrap();
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        // Each file is its own module; its own name keeps `.tf` / `.tf.json`.
        let workspace = Workspace::load("bad", &MemoryReader::new().with_file("bad", name, &text));
        let located = workspace.diagnostics.iter().any(|d| {
            d.diagnostic.severity == Severity::Error
                && d.file.is_some()
                && d.diagnostic.primary_span().is_some()
        });
        if !located && !BAD_FILES_ACCEPTED.iter().any(|(file, _)| *file == name) {
            missed.push(name.to_owned());
        }
    }
    say(&format!(
        "{} bad Terraform files, {} without a located error",
        paths.len(),
        missed.len()
    ));
    assert!(
        paths.len() >= 50,
        "the bad/ folder holds fewer files than expected"
    );
    assert!(
        missed.is_empty(),
        "no located error for:\n{}",
        missed.join("\n")
    );
}

/// The engine the evaluator gives an instance, after the provider's
/// defaults (a replication group without `engine` is redis).
fn engine_of(
    expansion: &cfn_port_rules::terraform::Expansion<'_>,
    instance: &ResourceInstance,
    kind: &str,
) -> String {
    let possibilities = expansion.argument(instance, "engine");
    let values: Vec<Option<TfValue>> = match &possibilities {
        None => vec![None],
        Some(list) => list.iter().map(|p| Some(p.value.clone())).collect(),
    };
    let engines: Vec<String> = values
        .iter()
        .map(|value| {
            let engine = if kind == "aws_elasticache_replication_group" {
                provider::replication_group_engine(value.as_ref())
            } else {
                value.as_ref().and_then(provider::cluster_engine)
            };
            engine.map_or("unknown", provider::Engine::name).to_owned()
        })
        .collect();
    if engines.iter().all(|e| *e == engines[0]) {
        engines[0].clone()
    } else {
        "unknown".to_owned()
    }
}

/// Where `LABELS.tsv` (Terraform's own evaluation of each corpus module)
/// knows an instance's port (a number, or `absent` for unset or null) or
/// engine, the evaluator gives the same, for the same address declared in
/// the same file; a block Terraform creates no instance of gets none.
/// Rows whose port Terraform could not resolve are not compared here.
#[test]
fn evaluated_ports_and_engines_agree_with_terraform_on_the_corpus() {
    let Some(corpus) = corpus() else {
        say(
            "skipped: ../shared/corpus/terraform not found; evaluated ports were not compared with LABELS.tsv",
        );
        return;
    };
    let dirs = std::fs::read_to_string(corpus.join("elasticache/DIRS.tsv")).unwrap();
    let roots: BTreeMap<&str, &str> = dirs
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next().zip(l.split('\t').nth(1)))
        .collect();
    let labels = std::fs::read_to_string(corpus.join("elasticache/LABELS.tsv")).unwrap();
    let mut rows_by_dir: BTreeMap<&str, Vec<Vec<&str>>> = BTreeMap::new();
    for line in labels.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        rows_by_dir.entry(columns[0]).or_default().push(columns);
    }
    let (mut compared, mut disagreements) = (0, Vec::new());
    for (dir, rows) in &rows_by_dir {
        let root = corpus.join("elasticache").join(dir).join(roots[dir]);
        let root = root.display().to_string();
        let workspace = Workspace::load(&root, &DiskReader);
        let expansion = expand(&workspace, BTreeMap::new());
        for row in rows {
            let (file, address, kind, engine, port) = (row[1], row[2], row[3], row[4], row[5]);
            let declared_in = |instance: &&ResourceInstance| {
                let block = expansion.block(instance);
                workspace
                    .file(block.file)
                    .name()
                    .ends_with(&format!("/{file}"))
            };
            let instances: Vec<&ResourceInstance> = expansion
                .resources
                .iter()
                .filter(|r| r.address == address)
                .filter(declared_in)
                .collect();
            if port == "unresolved:not-created" {
                compared += 1;
                let created =
                    expansion.resources.iter().filter(declared_in).any(|r| {
                        r.address.starts_with(&format!("{address}[")) || r.address == address
                    });
                if created {
                    disagreements.push(format!(
                        "{dir}: {address} is not created by Terraform, but has an instance"
                    ));
                }
                continue;
            }
            let [instance] = instances.as_slice() else {
                disagreements.push(format!(
                    "{dir}: {address} ({file}): {} instances",
                    instances.len()
                ));
                continue;
            };
            if !port.starts_with("unresolved") {
                compared += 1;
                let ours = match expansion.argument(instance, "port") {
                    None => "absent".to_owned(),
                    Some(possibilities) => {
                        let values: Vec<String> = possibilities
                            .iter()
                            .map(|p| match &p.value {
                                TfValue::Null => "absent".to_owned(),
                                value => value
                                    .to_number()
                                    .map_or_else(|| value.to_string(), |n| n.to_string()),
                            })
                            .collect();
                        values.join(" | ")
                    }
                };
                if ours != port {
                    disagreements.push(format!(
                        "{dir}: {address}: port {port} in LABELS, {ours} evaluated"
                    ));
                }
            }
            if matches!(engine, "redis" | "valkey" | "memcached")
                && !row[7].contains("replication_group_id")
            {
                compared += 1;
                let ours = engine_of(&expansion, instance, kind);
                if ours != engine {
                    disagreements.push(format!(
                        "{dir}: {address}: engine {engine} in LABELS, {ours} evaluated"
                    ));
                }
            }
        }
    }
    say(&format!(
        "LABELS.tsv: {compared} ports, engines and absent instances compared, {} disagreements",
        disagreements.len()
    ));
    assert!(compared > 250, "fewer comparisons than the corpus allows");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
