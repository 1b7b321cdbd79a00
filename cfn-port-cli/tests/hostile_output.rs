//! Log and terminal injection: text a template controls (logical ids,
//! values, parameter values, condition names, suppression reasons, YAML
//! tags, file names and the source lines quoted in code frames) never
//! reaches the output raw in any text format. ESC, OSC, BEL, C1, bidi
//! overrides and line breaks are shown as visible escapes, and no input can
//! start a line of its own (a GitHub `::error::` workflow command).
//!
//! The template is built here from Rust escapes, so the repository holds no
//! raw control characters; the snapshots show what a reader sees.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A template with hostile text in every place a template decides.
fn hostile_template() -> String {
    [
        // Parameter name (double-quoted YAML escapes decode to real controls).
        "Parameters:\n",
        "  \"Port\\e]0;pwned\\a\":\n",
        "    Type: Number\n",
        "    Default: 6379\n",
        "  Env:\n",
        "    Type: String\n",
        "    AllowedValues: [\"prod\\u202e\", \"dev\\x9b\"]\n",
        // Condition name.
        "Conditions:\n",
        "  \"IsProd\\u202e\\n::error::cond\": !Equals [!Ref Env, \"prod\\u202e\"]\n",
        "Resources:\n",
        // Suppression reasons with a raw bidi override (YAML allows it) and
        // an ESC decoded from a double-quoted escape.
        "  # cfn-port-lint: ignore EC-012 reason \u{202e} here\n",
        "  Suppressed:\n",
        "    Type: AWS::ElastiCache::CacheCluster\n",
        "    Properties: {Engine: memcached, Port: 11211}\n",
        "  Suppressed2:\n",
        "    Type: AWS::ElastiCache::CacheCluster\n",
        "    Metadata: {cfn-port-lint: {ignore: [{rule: EC-012, reason: \"\\e[2J\\n::error::r\"}]}}\n",
        "    Properties: {Engine: memcached, Port: 11211}\n",
        // Logical id with a line break and a workflow command.
        "  \"Cache\\e[31m\\n::error file=x::pwned\":\n",
        "    Type: AWS::ElastiCache::CacheCluster\n",
        "    Condition: \"IsProd\\u202e\\n::error::cond\"\n",
        "    Properties:\n",
        // A raw bidi override in a quoted source line.
        "      Engine: redis # \u{202e} x\n",
        "      Port: !Ref \"Port\\e]0;pwned\\a\"\n",
        // A YAML tag decoded from %-escapes, and a line separator in an id.
        "  \"Other\\u2028::warning::x\":\n",
        "    Type: AWS::ElastiCache::CacheCluster\n",
        "    Properties:\n",
        "      Engine: !Evil%1B%5D redis\n",
        "      Port: 11211\n",
    ]
    .concat()
}

/// Characters that must never be printed raw.
fn is_unsafe(c: char) -> bool {
    cfn_port_cli::sanitize::is_unsafe(c) && c != '\n'
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile-output")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn lint(dir: &Path, format: &str, file: &str) -> String {
    lint_with(dir, format, file, &[])
}

fn lint_with(dir: &Path, format: &str, file: &str, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_cfn-port-lint"))
        .current_dir(dir)
        .args([
            "--color",
            "never",
            "--show-suppressed",
            "--show-undetermined",
            "-f",
            format,
        ])
        .args(extra)
        .arg(file)
        .output()
        .expect("cfn-port-lint runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    assert!(stderr.is_empty(), "{stderr}");
    // The summary's timing and JUnit's `time` attributes vary from run to run.
    stdout
        .lines()
        .map(|line| match line.rfind(" in ") {
            Some(at) if line.starts_with("Checked ") => format!("{} in <time>", &line[..at]),
            _ => without_junit_times(line),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `time="0.001"` as `time="<t>"`.
fn without_junit_times(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(" time=\"") {
        let value = &rest[at + 7..];
        let end = value.find('"').unwrap_or(value.len());
        out.push_str(&rest[..at]);
        out.push_str(" time=\"<t>");
        rest = &value[end..];
    }
    out.push_str(rest);
    out
}

fn assert_no_raw_controls(format: &str, output: &str) {
    let raw: Vec<char> = output.chars().filter(|&c| is_unsafe(c)).collect();
    assert!(raw.is_empty(), "{format}: raw {raw:?} in\n{output}");
}

/// Every line of GitHub output is one of the tool's own workflow commands.
fn assert_github_lines_are_ours(output: &str) {
    for line in output.lines() {
        assert!(
            ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|p| line.starts_with(p)),
            "a line the tool did not start: {line}"
        );
    }
}

#[test]
fn hostile_text_is_escaped_in_every_text_format() {
    let dir = scratch("template");
    fs::write(dir.join("t.yaml"), hostile_template()).unwrap();
    for format in ["human", "compact", "github", "junit"] {
        let output = lint_with(&dir, format, "t.yaml", &["-p", "Env=prod\u{202e}"]);
        assert_no_raw_controls(format, &output);
        if format == "github" {
            assert_github_lines_are_ours(&output);
        }
        insta::assert_snapshot!(format!("hostile_template_{format}"), output);
    }
}

#[cfg(unix)]
#[test]
fn hostile_file_names_are_escaped_in_every_text_format() {
    let dir = scratch("file-name");
    let name = "x\x1b]0;t\x07\u{202e}\n::error::n,a:m%e.yaml";
    fs::write(
        dir.join(name),
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: redis, Port: 6379}\n",
    )
    .unwrap();
    for format in ["human", "compact", "github", "junit"] {
        let output = lint(&dir, format, name);
        assert_no_raw_controls(format, &output);
        if format == "github" {
            assert_github_lines_are_ours(&output);
        }
        insta::assert_snapshot!(format!("hostile_file_name_{format}"), output);
    }
}

#[test]
fn raw_controls_in_quoted_source_lines_are_escaped_under_the_caret() {
    let dir = scratch("raw-controls");
    // YAML refuses raw controls, so the file is a syntax error at the ESC,
    // and the code frame quotes the line that holds it (an OSC 8 link).
    fs::write(
        dir.join("t.yaml"),
        "Resources:\n  C: # \x1b]8;;http://x\x07link\x1b]8;;\x07 \u{9b}\n    Type: AWS::ElastiCache::CacheCluster\n",
    )
    .unwrap();
    for format in ["human", "compact", "github", "junit"] {
        let output = lint(&dir, format, "t.yaml");
        assert_no_raw_controls(format, &output);
        insta::assert_snapshot!(format!("raw_controls_{format}"), output);
    }
}

#[test]
fn code_frame_carets_stay_under_escaped_characters() {
    let dir = scratch("carets");
    // A raw bidi override before the port: the caret must sit under `6379`.
    fs::write(
        dir.join("t.yaml"),
        "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: redis, CacheSubnetGroupName: \"\u{202e}\", Port: 6379}\n",
    )
    .unwrap();
    let output = lint(&dir, "human", "t.yaml");
    let lines: Vec<&str> = output.lines().collect();
    let quoted = lines
        .iter()
        .position(|l| l.contains("\"\\u{202e}\", Port: 6379"))
        .expect("the quoted line shows the escape");
    let caret = lines[quoted + 1].find('^').expect("a caret line");
    assert_eq!(
        lines[quoted].find("6379"),
        Some(caret),
        "caret under the value:\n{output}"
    );
    assert!(output.contains("t.yaml:4:"), "{output}");
}

/// A Terraform module's directory and file names, a suppression reason and
/// `--var` values are text from the input too, in every file a finding's
/// labels point into.
#[cfg(unix)]
#[test]
fn hostile_terraform_names_and_values_are_escaped_in_every_text_format() {
    let dir = scratch("terraform");
    let module = "m\x1b]0;t\x07\u{202e}\n::error::x";
    fs::create_dir_all(dir.join(module)).unwrap();
    fs::write(
        dir.join(module).join("variables\x1b[2J.tf"),
        "variable \"port\" {\n  default = 6379\n}\nvariable \"engine\" {}\n",
    )
    .unwrap();
    fs::write(
        dir.join(module).join("main.tf"),
        "resource \"aws_elasticache_replication_group\" \"g\" {\n  port = var.port\n}\n\
         # cfn-port-lint: ignore EC-012 \u{202e}reason\x1b[0m\n\
         resource \"aws_elasticache_cluster\" \"c\" {\n  engine = var.engine\n}\n",
    )
    .unwrap();
    for format in ["human", "compact", "github", "junit"] {
        let output = lint_with(
            &dir,
            format,
            module,
            &["--var", "engine=redis\u{202e}\x1b[31m"],
        );
        assert!(
            output.contains("EC-012"),
            "{format}: no finding in\n{output}"
        );
        assert_no_raw_controls(format, &output);
        if format == "github" {
            assert_github_lines_are_ours(&output);
        }
    }
}
