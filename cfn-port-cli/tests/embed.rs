//! An application that embeds `cfn-port-rules` gets the CLI's behaviour.
//!
//! `examples/embed` is a crate outside the workspace, with its own
//! `Cargo.lock`, that depends on `cfn-port-rules` by path as any other crate
//! would: no profile or `[patch]` of this workspace reaches it. The test
//! builds it (into this workspace's target directory, so compiled
//! dependencies are reused), runs it and `cfn-port-lint --format json` over
//! templates that need the libyaml-compatible YAML leniency of
//! `saphyr-parser-cfn`, and checks that both report the same findings,
//! undetermined resources and diagnostics, field by field.
//!
//! The templates are the fixtures `testdata/ec012/fail/lenient-*.yaml` and,
//! when `../shared/corpus` is present, the corpus files listed in
//! `testdata/lenient-corpus.txt` and every template of the corpus's
//! `elasticache/` folder; without the corpus the test says so and checks
//! the fixtures only. Building the example needs its dependencies in
//! Cargo's cache (`cargo fetch` of the workspace fetches them all); it uses
//! no network after that.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};

fn say(line: &str) {
    // Straight to stderr, past the test harness's capture, so a skipped
    // corpus is visible in every run.
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the CLI crate is inside the repository")
        .to_path_buf()
}

/// The target directory this test was built into: `<target>/<profile>/deps/embed-…`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    exe.ancestors()
        .nth(3)
        .expect("the test runs from <target>/<profile>/deps")
        .to_path_buf()
}

/// Builds `examples/embed` and returns the path of its binary.
fn build_embed_example() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = repository().join("examples/embed/Cargo.toml");
    let target = target_dir();
    let output = Command::new(cargo)
        .args(["build", "--locked", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "building {} failed (when cfn-port-rules' dependencies change, refresh its lock \
         file from the workspace's: `cp Cargo.lock examples/embed/ && cargo tree \
         --manifest-path examples/embed/Cargo.toml`):\n{}",
        manifest.display(),
        String::from_utf8_lossy(&output.stderr).escape_debug()
    );
    target
        .join("debug")
        .join(format!("cfn-port-embed{}", std::env::consts::EXE_SUFFIX))
}

/// The fixtures, relative to the repository.
fn lenient_fixtures() -> Vec<String> {
    let folder = repository().join("testdata/ec012/fail");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("the fixture folder exists")
        .map(|entry| entry.expect("directory entry").file_name())
        .filter_map(|name| name.to_str().map(str::to_owned))
        .filter(|name| name.starts_with("lenient-"))
        .map(|name| format!("testdata/ec012/fail/{name}"))
        .collect();
    names.sort();
    names
}

/// The corpus folder and the listed files, relative to it, when present.
fn lenient_corpus_files() -> Option<(PathBuf, Vec<String>)> {
    let corpus = repository().join("../shared/corpus");
    if !corpus.join("general").is_dir() {
        return None;
    }
    let list = std::fs::read_to_string(repository().join("testdata/lenient-corpus.txt"))
        .expect("the corpus list exists");
    let files: Vec<String> = list
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    for file in &files {
        assert!(corpus.join(file).is_file(), "{file} is not in the corpus");
    }
    Some((corpus, files))
}

/// Every template of the corpus's `elasticache/` folder, relative to the
/// corpus: real templates with findings, undetermined resources and
/// warnings, so the comparison covers more than the parser.
fn elasticache_corpus_files(corpus: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(corpus.join("elasticache"))
        .expect("the corpus has an elasticache folder")
        .map(|entry| entry.expect("directory entry").file_name())
        .filter_map(|name| name.to_str().map(str::to_owned))
        .filter(|name| !name.ends_with(".tsv"))
        .map(|name| format!("elasticache/{name}"))
        .collect();
    files.sort();
    files
}

/// Keeps `keys` of `entry`, in that order; a missing key is `null`.
fn pick(entry: &Value, keys: &[&str]) -> Value {
    let mut kept = Map::new();
    for &key in keys {
        kept.insert(
            key.to_owned(),
            entry.get(key).cloned().unwrap_or(Value::Null),
        );
    }
    Value::Object(kept)
}

const FINDING: &[&str] = &[
    "rule",
    "severity",
    "path",
    "resource",
    "resource_type",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
    "notes",
    "help",
];
const LABEL: &[&str] = &[
    "style",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
];
const DIAGNOSTIC: &[&str] = &["path", "code", "severity", "line", "column", "message"];
const UNDETERMINED: &[&str] = &[
    "rule",
    "path",
    "resource",
    "resource_type",
    "line",
    "column",
    "reason",
];

/// What both tools report, in one shape, sorted.
#[derive(Debug, PartialEq)]
struct Reports {
    /// How many files were linted as templates.
    templates: u64,
    findings: Vec<Value>,
    diagnostics: Vec<Value>,
    undetermined: Vec<Value>,
}

fn array<'a>(document: &'a Value, key: &str) -> &'a [Value] {
    document[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is a list"))
}

fn sorted(mut values: Vec<Value>) -> Vec<Value> {
    values.sort_by_cached_key(Value::to_string);
    values
}

fn finding(entry: &Value, suppressed: bool) -> Value {
    let mut kept = pick(entry, FINDING);
    let labels = array(entry, "labels")
        .iter()
        .map(|label| pick(label, LABEL))
        .collect();
    kept["labels"] = Value::Array(labels);
    kept["suppressed"] = Value::Bool(suppressed);
    kept
}

fn from_cli(document: &Value) -> Reports {
    let findings = array(document, "findings")
        .iter()
        .map(|f| finding(f, !f["suppressed"].is_null()))
        .collect();
    let diagnostics = array(document, "errors")
        .iter()
        .chain(array(document, "warnings"))
        .map(|d| pick(d, DIAGNOSTIC))
        .collect();
    let undetermined = array(document, "undetermined")
        .iter()
        .map(|u| pick(u, UNDETERMINED))
        .collect();
    Reports {
        templates: document["summary"]["templates"]
            .as_u64()
            .expect("the summary counts templates"),
        findings: sorted(findings),
        diagnostics: sorted(diagnostics),
        undetermined: sorted(undetermined),
    }
}

fn from_embed(document: &Value) -> Reports {
    let findings = array(document, "findings")
        .iter()
        .map(|f| finding(f, f["suppressed"] == Value::Bool(true)))
        .collect();
    let diagnostics = array(document, "diagnostics")
        .iter()
        .map(|d| pick(d, DIAGNOSTIC))
        .collect();
    let undetermined = array(document, "undetermined")
        .iter()
        .map(|u| pick(u, UNDETERMINED))
        .collect();
    let linted = array(document, "files")
        .iter()
        .filter(|file| file["status"] == "linted")
        .count();
    Reports {
        templates: u64::try_from(linted).expect("a count fits in u64"),
        findings: sorted(findings),
        diagnostics: sorted(diagnostics),
        undetermined: sorted(undetermined),
    }
}

fn json_stdout(command: &mut Command, what: &str) -> Value {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    // The CLI exits with 1 when it finds something; 2 would mean a file
    // could not be read or parsed.
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{what} exited with {:?}:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr).escape_debug()
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{what} printed JSON: {e}"))
}

/// Lints `files` (relative to `dir`) with both tools and checks they agree.
fn compare(embed: &Path, dir: &Path, files: &[String]) -> Reports {
    let cli = json_stdout(
        Command::new(env!("CARGO_BIN_EXE_cfn-port-lint"))
            .args(["--format", "json", "--no-config"])
            .args(["--show-undetermined", "--show-suppressed"])
            .args(files)
            .current_dir(dir),
        "cfn-port-lint",
    );
    let embedded = json_stdout(
        Command::new(embed).args(files).current_dir(dir),
        "cfn-port-embed",
    );
    let (cli, embedded) = (from_cli(&cli), from_embed(&embedded));
    assert_eq!(
        embedded,
        cli,
        "the embedding crate and the CLI disagree on {}",
        dir.display()
    );
    assert_eq!(
        embedded.templates,
        files.len() as u64,
        "every file is linted as a template"
    );
    let errors: Vec<&Value> = embedded
        .diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(
        errors.is_empty(),
        "templates CloudFormation accepts failed: {errors:#?}"
    );
    embedded
}

fn summary(reports: &Reports) -> String {
    format!(
        "{} templates linted, {} findings, {} undetermined, {} diagnostics",
        reports.templates,
        reports.findings.len(),
        reports.undetermined.len(),
        reports.diagnostics.len()
    )
}

#[test]
fn embedding_crate_reports_what_the_cli_reports_on_lenient_yaml() {
    let embed = build_embed_example();

    let fixtures = lenient_fixtures();
    assert_eq!(fixtures.len(), 3, "{fixtures:?}");
    let reports = compare(&embed, &repository(), &fixtures);
    // The fixtures have four resources on a default port, seen only when
    // the files parse as CloudFormation reads them.
    assert_eq!(reports.findings.len(), 4, "{:#?}", reports.findings);
    say(&format!(
        "embed: {} lenient fixtures, the CLI and the embedding crate agree: {}",
        fixtures.len(),
        summary(&reports)
    ));

    match lenient_corpus_files() {
        Some((corpus, files)) => {
            let reports = compare(&embed, &corpus, &files);
            say(&format!(
                "embed: {} lenient corpus templates, the CLI and the embedding crate agree: {}",
                files.len(),
                summary(&reports)
            ));
            let files = elasticache_corpus_files(&corpus);
            let reports = compare(&embed, &corpus, &files);
            assert!(!reports.findings.is_empty(), "the corpus has findings");
            say(&format!(
                "embed: {} corpus templates of elasticache/, the CLI and the embedding crate agree: {}",
                files.len(),
                summary(&reports)
            ));
        }
        None => say(
            "embed: SKIPPED the corpus part: ../shared/corpus is not beside the repository; \
             only the fixtures were compared",
        ),
    }
}
