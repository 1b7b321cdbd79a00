//! CLI behaviour that needs a file system git cannot hold (unreadable files,
//! dangling symlinks, loops, FIFOs, a directory named `x.yaml`, a 200 MB
//! sparse file), a closed pipe, `/dev/full`, and SARIF schema validation.
//! Each test builds its own tree under Cargo's per-target temp directory.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const FINDING: &str = "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: redis\n      Port: 6379\n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cfn-port-lint"))
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cfn-port-cli")
        .join(name);
    if dir.exists() {
        // Make anything a previous run left unreadable removable again.
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+rwx")
            .arg(&dir)
            .status();
        fs::remove_dir_all(&dir).expect("clean scratch dir");
    }
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run cfn-port-lint");
    let code = status.code().expect("exited normally, not by a signal");
    (
        code,
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// Says that a check was skipped and why, on stderr itself: the test
/// harness captures `println!` of a passing test, so a skip said that way
/// would never be seen.
fn skipped(test: &str, why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
}

fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_for_that_file_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("unreadable");
    fs::write(dir.join("secret.yaml"), FINDING).unwrap();
    fs::write(dir.join("ok.yaml"), FINDING).unwrap();
    fs::set_permissions(dir.join("secret.yaml"), fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(dir.join("secret.yaml")).is_ok() {
        skipped(
            "unreadable_file_is_an_error_for_that_file_only",
            "running as root, which can read a mode-000 file",
        );
        return;
    }
    let (code, stdout, stderr) = run(&dir, &["--format", "compact", "secret.yaml", "ok.yaml"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("secret.yaml: error[io] could not open it: Permission denied"),
        "{stdout}"
    );
    assert!(stdout.contains("ok.yaml:6:13: warning[EC-012]"), "{stdout}");
    assert_no_panic(&stderr);
}

/// Unreadable even as root (CI runs as root, where a mode-000 file can be
/// read): `/proc/self/mem` opens but every read at offset 0 fails with EIO.
#[cfg(target_os = "linux")]
#[test]
fn file_whose_read_fails_is_an_error_for_that_file_only() {
    let dir = scratch("read-fails");
    std::os::unix::fs::symlink("/proc/self/mem", dir.join("mem.yaml")).unwrap();
    fs::write(dir.join("ok.yaml"), FINDING).unwrap();
    let (code, stdout, stderr) = run(&dir, &["--format", "compact", "mem.yaml", "ok.yaml"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("mem.yaml: error[io] could not read it: Input/output error"),
        "{stdout}"
    );
    assert!(stdout.contains("ok.yaml:6:13: warning[EC-012]"), "{stdout}");
    assert_no_panic(&stderr);
}

#[cfg(unix)]
#[test]
fn dangling_symlink_is_named_as_such() {
    let dir = scratch("dangling");
    std::os::unix::fs::symlink("gone.yaml", dir.join("link.yaml")).unwrap();
    fs::write(dir.join("ok.yaml"), FINDING).unwrap();
    let (code, stdout, stderr) = run(&dir, &["--format", "compact", "link.yaml", "ok.yaml"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("link.yaml: error[io] it is a dangling symbolic link: its target `gone.yaml` does not exist"),
        "{stdout}"
    );
    assert!(stdout.contains("ok.yaml:6:13: warning[EC-012]"), "{stdout}");
    // Found by a walk, it is reported too, and the walk goes on.
    let (code, stdout, _) = run(&dir, &["--format", "compact", "."]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("link.yaml: error[io]"), "{stdout}");
    assert!(stdout.contains("ok.yaml:6:13: warning[EC-012]"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_errors_not_hangs() {
    let dir = scratch("loops");
    std::os::unix::fs::symlink("b.yaml", dir.join("a.yaml")).unwrap();
    std::os::unix::fs::symlink("a.yaml", dir.join("b.yaml")).unwrap();
    fs::create_dir_all(dir.join("tree/sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("tree/sub/up")).unwrap();
    fs::write(dir.join("tree/sub/ok.yaml"), FINDING).unwrap();

    let (code, stdout, stderr) = run(&dir, &["--format", "compact", "a.yaml", "tree"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("a.yaml: error[io] cannot follow the symbolic link"),
        "{stdout}"
    );
    assert!(
        stdout.contains("tree/sub/up: error[io] directory loop"),
        "{stdout}"
    );
    assert!(
        stdout.contains("tree/sub/ok.yaml:6:13: warning[EC-012]"),
        "{stdout}"
    );
    assert_no_panic(&stderr);
}

#[cfg(unix)]
#[test]
fn fifo_is_refused_without_being_opened() {
    let dir = scratch("fifo");
    let made = Command::new("mkfifo").arg(dir.join("pipe.yaml")).status();
    if !made.is_ok_and(|s| s.success()) {
        skipped(
            "fifo_is_refused_without_being_opened",
            "`mkfifo` is not available",
        );
        return;
    }
    fs::write(dir.join("ok.yaml"), FINDING).unwrap();
    // Opening a FIFO with no writer would block forever; the CLI must not open it.
    let (code, stdout, _) = run(&dir, &["--format", "compact", "pipe.yaml", "ok.yaml"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains(
            "pipe.yaml: error[io] it is a named pipe (FIFO); only regular files are linted"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("ok.yaml:6:13: warning[EC-012]"), "{stdout}");
    let (code, stdout, _) = run(&dir, &["--format", "compact", "."]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("pipe.yaml: error[io] it is a named pipe (FIFO)"),
        "{stdout}"
    );
}

#[test]
fn directory_named_like_a_template_is_walked_not_read() {
    let dir = scratch("dir-named-yaml");
    fs::create_dir_all(dir.join("x.yaml")).unwrap();
    fs::write(dir.join("x.yaml/inner.yaml"), FINDING).unwrap();
    fs::write(dir.join("ok.yaml"), FINDING).unwrap();
    let finding =
        "warning[EC-012] CacheCluster `Cache` listens on port 6379, the default port of redis";
    // In a walk: entered like any directory.
    let (code, stdout, stderr) = run(&dir, &["--format", "compact", "."]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        format!("ok.yaml:6:13: {finding}\nx.yaml/inner.yaml:6:13: {finding}\n"),
    );
    // Named on the command line: walked too.
    let (code, stdout, stderr) = run(&dir, &["--format", "compact", "x.yaml"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(stdout, format!("x.yaml/inner.yaml:6:13: {finding}\n"));
    // A glob matches files only: `x.*` matching just the directory is a clear error.
    let (code, stdout, _) = run(&dir, &["--format", "compact", "x.*"]);
    assert_eq!(code, 2, "{stdout}");
    assert_eq!(stdout, "x.*: error[io] the glob pattern matches no files\n");
}

#[test]
fn missing_path_is_an_error_and_the_rest_is_linted() {
    let dir = scratch("missing");
    fs::write(dir.join("ok.yaml"), FINDING).unwrap();
    let (code, stdout, stderr) = run(&dir, &["--format", "json", "nope.yaml", "ok.yaml"]);
    assert_eq!(code, 2, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["errors"][0]["path"], "nope.yaml");
    assert_eq!(json["errors"][0]["message"], "no such file or directory");
    assert!(
        json["errors"][0].get("line").is_none(),
        "no line for a missing file"
    );
    assert_eq!(json["findings"][0]["path"], "ok.yaml");
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn huge_file_is_refused_from_its_size_without_being_read() {
    let dir = scratch("huge");
    // Sparse: 200 MB long, no blocks on disk. Reading it would take 200 MB of memory.
    let file = fs::File::create(dir.join("huge.yaml")).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap();
    drop(file);
    fs::write(dir.join("ok.yaml"), FINDING).unwrap();
    let (code, stdout, _) = run(&dir, &["--format", "compact", "huge.yaml", "ok.yaml"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("huge.yaml: error[file-too-large] the file is 209715200 bytes, more than the limit of 16777216 bytes"),
        "{stdout}"
    );
    assert!(stdout.contains("ok.yaml:6:13: warning[EC-012]"), "{stdout}");
}

/// Many templates with findings, for output larger than a pipe's buffer.
fn many_templates(name: &str, count: usize) -> PathBuf {
    let dir = scratch(name);
    for i in 0..count {
        let sub = dir.join(format!("team{}", i % 7));
        fs::create_dir_all(&sub).unwrap();
        fs::write(
            sub.join(format!("stack{i:03}.yaml")),
            FINDING.replace("  Cache:", &format!("  Cache{i}:")),
        )
        .unwrap();
    }
    dir
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = many_templates("pipe", 300);
    for format in ["human", "compact", "github", "json", "sarif", "junit"] {
        closed_pipe_ends_quietly_in(&dir, format);
    }
}

/// Regression: `-f junit | head` said "error serializing JUnit report" and
/// exited 2; every format treats a closed pipe the same way.
fn closed_pipe_ends_quietly_in(dir: &Path, format: &str) {
    let mut child = bin()
        .current_dir(dir)
        .args(["--color", "never", "-f", format, "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // like `| head -c 64`
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr, "", "{format}: a closed pipe is not an error");
    // The status is still that of the run (findings), not a crash.
    assert_eq!(output.status.code(), Some(1), "{format}");
}

#[cfg(target_os = "linux")]
#[test]
fn full_disk_is_a_clear_error() {
    let dir = many_templates("devfull", 3);
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = bin()
        .current_dir(&dir)
        .args(["--format", "json", "."])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: could not write the output: No space left on device"),
        "{stderr}"
    );
    assert_no_panic(&stderr);
}

/// The output with JUnit's `time="…"` attributes emptied: durations vary
/// from run to run, everything else must not.
fn without_times(output: &str) -> String {
    let mut out = String::with_capacity(output.len());
    let mut rest = output;
    while let Some(at) = rest.find(" time=\"") {
        let value = at + " time=\"".len();
        out.push_str(&rest[..value]);
        let end = rest[value..].find('"').map_or(rest.len(), |e| value + e);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let dir = many_templates("threads", 120);
    // Broken, but recognisably a template (a walk reports only those).
    fs::write(
        dir.join("team3/broken.yaml"),
        "Resources: [\n  Type: AWS::SQS::Queue\n",
    )
    .unwrap();
    fs::write(dir.join("team5/compose.yaml"), "services: {}\n").unwrap();
    for format in ["json", "sarif", "compact", "github", "junit", "gitlab"] {
        let (code1, one, _) = run(&dir, &["--format", format, "-j", "1", "."]);
        let (code4, four, _) = run(&dir, &["--format", format, "-j", "4", "."]);
        assert_eq!((code1, code4), (2, 2));
        assert_eq!(
            without_times(&one),
            without_times(&four),
            "{format} output differs between -j 1 and -j 4"
        );
    }
    let (_, json, _) = run(&dir, &["--format", "json", "-j", "3", "."]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "findings are sorted by path");
    assert_eq!(json["summary"]["files"], 122);
    assert_eq!(json["summary"]["skipped"], 1);
}

/// A file with thousands of findings has its code frames rendered on all
/// workers, a window of buffers at a time: the text must not change.
#[test]
fn human_output_of_a_large_file_does_not_depend_on_thread_count() {
    let dir = scratch("large-human");
    let mut template = String::from("Resources:\n");
    for i in 0..1300 {
        let port = if i % 3 == 0 { "" } else { "      Port: 6379\n" };
        template.push_str(&format!(
            "  Cache{i}:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      Engine: redis\n{port}"
        ));
    }
    fs::write(dir.join("big.yaml"), template).unwrap();
    // The summary line ends with the elapsed time.
    let without_summary = |out: &str| {
        out.lines()
            .filter(|l| !l.starts_with("Checked "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for colour in ["never", "always"] {
        let (_, one, _) = run(&dir, &["--color", colour, "-j", "1", "big.yaml"]);
        assert_eq!(one.matches("warning[EC-012]").count(), 1300);
        for threads in ["2", "3"] {
            let (_, many, _) = run(&dir, &["--color", colour, "-j", threads, "big.yaml"]);
            assert_eq!(
                without_summary(&one),
                without_summary(&many),
                "--color {colour}: -j 1 and -j {threads} differ"
            );
        }
    }
}

#[test]
fn colour_follows_the_flag() {
    let dir = many_templates("colour", 1);
    let (_, always, _) = run(&dir, &["--color", "always", "."]);
    assert!(always.contains("\u{1b}["), "--color always colours");
    let (_, auto, _) = run(&dir, &["--color", "auto", "."]);
    assert!(
        !auto.contains('\u{1b}'),
        "a pipe is not a terminal: no colour"
    );
    let output = bin()
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .args(["."])
        .output()
        .unwrap();
    assert!(!String::from_utf8(output.stdout).unwrap().contains('\u{1b}'));
    // FORCE_COLOR and CLICOLOR_FORCE colour a pipe (a CI log renders it), as in ruff.
    for force in ["FORCE_COLOR", "CLICOLOR_FORCE"] {
        let output = bin()
            .current_dir(&dir)
            .env_remove("NO_COLOR")
            .env(force, "1")
            .args(["."])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains("\u{1b}["), "{force}=1 colours a pipe");
        let output = bin()
            .current_dir(&dir)
            .env(force, "1")
            .args(["--color", "never", "."])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            !stdout.contains('\u{1b}'),
            "--color never wins over {force}"
        );
    }
}

#[test]
fn sarif_validates_against_the_schema() {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/schemas/sarif-schema-2.1.0.json");
    let Ok(schema) = fs::read_to_string(&schema_path) else {
        skipped(
            "sarif_validates_against_the_schema",
            &format!(
                "{} is absent (../shared is not checked out)",
                schema_path.display()
            ),
        );
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/fixtures");
    let args: [&[&str]; 7] = [
        &["--format", "sarif", ".", "docker-compose.yaml"],
        // CPL-005: related locations on the group reference and the port,
        // a suppressed finding, a configured severity.
        &[
            "--format",
            "sarif",
            "--sarif-include-suppressed",
            "--config",
            "../exposure-config.in/.cfn-port-lint.toml",
            "../exposure-config.in",
        ],
        // Terraform: related locations in a module's file, a suppression, and
        // a `--var` value (in no file: text only).
        &[
            "--format",
            "sarif",
            "--sarif-include-suppressed",
            "../terraform.in",
        ],
        &[
            "--format",
            "sarif",
            "--var",
            "port=6379",
            "../terraform-vars.in",
        ],
        &[
            "--format",
            "sarif",
            "--sarif-include-suppressed",
            "--show-undetermined",
            "--sarif-category",
            "cfn/prod",
            "stacks/findings.yaml",
            "missing.yaml",
        ],
        &["--format", "sarif", "stacks/clean.yaml"],
        &["--format", "sarif", "--sarif-max-results", "1", "."],
    ];
    for args in args {
        let (_, stdout, stderr) = run(&fixtures, args);
        let sarif: serde_json::Value =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        assert_eq!(sarif["version"], "2.1.0");
    }
    // The check can fail: a 0-based line is rejected.
    let (_, stdout, _) = run(&fixtures, &["--format", "sarif", "stacks/app.json"]);
    let mut sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(
        !validator.is_valid(&sarif),
        "a startLine of 0 must not validate"
    );
}

#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let dir = scratch("fingerprints");
    fs::write(dir.join("t.yaml"), FINDING).unwrap();
    let (_, before, _) = run(&dir, &["--format", "sarif", "t.yaml"]);
    fs::write(dir.join("t.yaml"), format!("# a new comment\n\n{FINDING}")).unwrap();
    let (_, after, _) = run(&dir, &["--format", "sarif", "t.yaml"]);
    let fingerprint = |text: &str| {
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let result = &json["runs"][0]["results"][0];
        (
            result["partialFingerprints"]["cfnPortLint/v1"]
                .as_str()
                .unwrap()
                .to_string(),
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_i64()
                .unwrap(),
        )
    };
    let (before, before_line) = fingerprint(&before);
    let (after, after_line) = fingerprint(&after);
    assert_eq!((before_line, after_line), (6, 8));
    assert_eq!(before, after);
}

/// A directory run holds a batch of files at a time, not all of them: the
/// first result is handed over before the last file is even read (so a
/// file removed meanwhile is reported as unreadable), in path order.
#[test]
fn results_are_handed_over_before_later_files_are_read() {
    use cfn_port_cli::check;
    use cfn_port_cli::inputs::{self, Excludes, InputSpec, WalkOptions};

    let dir = scratch("batches");
    for i in 0..40 {
        fs::write(dir.join(format!("t{i:02}.yaml")), FINDING).unwrap();
    }
    let specs = [InputSpec::Path(".".into())];
    let collected = inputs::collect(
        &specs,
        &dir,
        WalkOptions::default(),
        &Excludes::default(),
        "<stdin>",
    );
    let mut seen: Vec<(String, bool)> = Vec::new();
    let visited = check::for_each_in_order(
        collected,
        &Default::default(),
        &Default::default(),
        &dir,
        &check::Workers::new(1),
        |result| {
            if seen.is_empty() {
                fs::remove_file(dir.join("t39.yaml")).unwrap();
            }
            seen.push((result.display.clone(), result.io_error.is_some()));
            Ok::<(), std::convert::Infallible>(())
        },
    );
    assert!(visited.is_ok());
    let names: Vec<&str> = seen.iter().map(|(name, _)| name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "results come in path order");
    assert_eq!(seen.len(), 40);
    assert_eq!(seen[0], ("t00.yaml".to_string(), false));
    assert_eq!(seen[39], ("t39.yaml".to_string(), true), "{seen:?}");
}

/// A directory that looks like a repository root (it has `.git`), inside
/// `outer`, a stand-in for a shared parent such as the temporary directory.
fn repository_in(outer: &Path) -> PathBuf {
    let repo = outer.join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    repo
}

#[cfg(unix)]
#[test]
fn discovered_config_that_is_a_symlink_is_refused_without_reading_it() {
    let dir = scratch("config-symlink");
    let repo = repository_in(&dir);
    fs::write(dir.join("credentials"), "aws_secret_access_key=TOPSECRET\n").unwrap();
    std::os::unix::fs::symlink("../credentials", repo.join(".cfn-port-lint.toml")).unwrap();
    fs::write(repo.join("t.yaml"), FINDING).unwrap();
    let (code, stdout, stderr) = run(&repo, &["t.yaml"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("refusing the config file"), "{stderr}");
    assert!(stderr.contains("it is a symbolic link"), "{stderr}");
    assert!(!stderr.contains("TOPSECRET"), "{stderr}");
    // Named with --config, it is the user's choice, and read.
    let (code, _, stderr) = run(&repo, &["--config", ".cfn-port-lint.toml", "t.yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid config file"), "{stderr}");
}

#[test]
fn discovered_config_errors_do_not_quote_its_text() {
    let dir = scratch("config-quote");
    let repo = repository_in(&dir);
    fs::write(
        repo.join(".cfn-port-lint.toml"),
        "fail-level = \"TOPSECRET\"\nthis is not toml TOPSECRET\n",
    )
    .unwrap();
    fs::write(repo.join("t.yaml"), FINDING).unwrap();
    let (code, stdout, stderr) = run(&repo, &["t.yaml"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("at line 2, column"), "{stderr}");
    assert!(!stderr.contains("TOPSECRET"), "{stderr}");
    let (_, _, stderr) = run(&repo, &["--config", ".cfn-port-lint.toml", "t.yaml"]);
    assert!(
        stderr.contains("TOPSECRET"),
        "named, the line is quoted: {stderr}"
    );
}

#[test]
fn config_and_ignore_files_above_the_repository_are_not_obeyed() {
    let dir = scratch("above-repo");
    let repo = repository_in(&dir);
    fs::write(
        dir.join(".cfn-port-lint.toml"),
        "[rules]\ndisable = [\"EC-012\"]\n",
    )
    .unwrap();
    fs::write(dir.join(".gitignore"), "*.yaml\n").unwrap();
    fs::write(dir.join(".ignore"), "*.yaml\n").unwrap();
    fs::create_dir_all(repo.join("stacks")).unwrap();
    fs::write(repo.join("stacks/t.yaml"), FINDING).unwrap();
    // Inside the repository, its own ignore file still counts for a walk
    // of a subdirectory.
    fs::write(repo.join(".gitignore"), "generated.yaml\n").unwrap();
    fs::write(repo.join("stacks/generated.yaml"), FINDING).unwrap();
    let (code, stdout, stderr) = run(&repo, &["--format", "compact", "stacks"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("stacks/t.yaml:6:13: warning[EC-012]"),
        "{stdout}"
    );
}

#[test]
fn human_output_names_the_config_file_used() {
    let dir = scratch("config-named");
    let repo = repository_in(&dir);
    fs::write(repo.join(".cfn-port-lint.toml"), "fail-level = \"error\"\n").unwrap();
    fs::write(repo.join("t.yaml"), FINDING).unwrap();
    fs::create_dir_all(repo.join("sub")).unwrap();
    let (code, stdout, _) = run(&repo.join("sub"), &["--color", "never", "../t.yaml"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("Using the config file /") && stdout.contains("repo/.cfn-port-lint.toml\n"),
        "{stdout}"
    );
    let (_, stdout, _) = run(&repo, &["-f", "json", "t.yaml"]);
    assert!(
        stdout.contains("\"config\": \".cfn-port-lint.toml\""),
        "{stdout}"
    );
    let (_, stdout, _) = run(&repo, &["-f", "sarif", "t.yaml"]);
    assert!(
        stdout.contains("\"cfnPortLint/configFile\": \".cfn-port-lint.toml\""),
        "{stdout}"
    );
}

#[test]
fn config_cannot_raise_max_file_size_past_the_cap() {
    let dir = scratch("config-max-size");
    let repo = repository_in(&dir);
    fs::write(
        repo.join(".cfn-port-lint.toml"),
        "max-file-size = 1000000000000\n",
    )
    .unwrap();
    fs::write(repo.join("t.yaml"), FINDING).unwrap();
    let (code, _, stderr) = run(&repo, &["t.yaml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("max-file-size = 1000000000000 is over the"),
        "{stderr}"
    );
    // The flag is the user's own choice.
    let (code, stdout, stderr) = run(&repo, &["--max-file-size", "2G", "t.yaml"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
}

#[cfg(unix)]
#[test]
fn walked_symlinks_leaving_the_tree_are_not_followed_without_follow() {
    let dir = scratch("symlink-outside");
    fs::create_dir_all(dir.join("outside")).unwrap();
    fs::write(dir.join("outside/secret.yaml"), FINDING).unwrap();
    fs::create_dir_all(dir.join("tree/real")).unwrap();
    fs::write(dir.join("tree/real/in.yaml"), FINDING).unwrap();
    std::os::unix::fs::symlink("../outside", dir.join("tree/usr")).unwrap();
    std::os::unix::fs::symlink("../outside/secret.yaml", dir.join("tree/s.yaml")).unwrap();
    // A link inside the tree is followed as before.
    std::os::unix::fs::symlink("real", dir.join("tree/alias")).unwrap();
    // A blocking pseudo-file is never opened.
    std::os::unix::fs::symlink("/proc/kmsg", dir.join("tree/kmsg.yaml")).unwrap();

    let (code, stdout, stderr) = run(&dir, &["--format", "compact", "tree"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("tree/real/in.yaml:6:13"), "{stdout}");
    assert!(stdout.contains("tree/alias/in.yaml:6:13"), "{stdout}");
    assert!(!stdout.contains("secret"), "{stdout}");
    assert!(
        stderr.contains("not following 3 symbolic links that lead outside the walked directory"),
        "{stderr}"
    );
    assert!(stderr.contains("`tree/usr`"), "{stderr}");

    fs::remove_file(dir.join("tree/kmsg.yaml")).unwrap();
    let (code, stdout, stderr) = run(&dir, &["--format", "compact", "--follow", "tree"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("tree/usr/secret.yaml:6:13"), "{stdout}");
    assert!(stdout.contains("tree/s.yaml:6:13"), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn config_excludes_apply_to_absolute_paths_from_any_directory() {
    let dir = scratch("exclude-absolute");
    fs::create_dir_all(dir.join("stacks/generated")).unwrap();
    fs::create_dir_all(dir.join("stacks/app")).unwrap();
    fs::write(dir.join("stacks/generated/gen.yaml"), FINDING).unwrap();
    fs::write(dir.join("stacks/app/app.yaml"), FINDING).unwrap();
    fs::write(
        dir.join(".cfn-port-lint.toml"),
        "exclude = [\"stacks/generated/\"]\n",
    )
    .unwrap();
    let root = dir.to_str().expect("UTF-8 temp path");
    let stacks = dir.join("stacks");
    let expected = format!(
        "{root}/stacks/app/app.yaml:6:13: warning[EC-012] CacheCluster `Cache` listens on port 6379, the default port of redis\n"
    );
    for (cwd, arg) in [
        (dir.clone(), root.to_string()),
        (stacks.clone(), stacks.to_str().unwrap().to_string()),
        (stacks.join("app"), root.to_string()),
    ] {
        let (code, stdout, stderr) = run(&cwd, &["--format", "compact", &arg]);
        assert_eq!(code, 1, "from {}: {stdout}{stderr}", cwd.display());
        assert_eq!(stdout, expected, "from {}", cwd.display());
    }
}

/// Baselines work on Terraform modules as on templates: findings recorded
/// today pass, lines moving do not matter, and a new instance is reported.
#[test]
fn baseline_records_terraform_findings_and_reports_only_new_ones() {
    let dir = scratch("baseline-terraform");
    fs::create_dir_all(dir.join("infra")).unwrap();
    let cache = |name: &str| {
        format!(
            "resource \"aws_elasticache_replication_group\" \"{name}\" {{\n  replication_group_id = \"{name}\"\n  description          = \"{name}\"\n}}\n"
        )
    };
    fs::write(dir.join("infra/main.tf"), cache("sessions")).unwrap();

    let (code, _, stderr) = run(&dir, &["--write-baseline", "baseline.json", "infra"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(&dir, &["--baseline", "baseline.json", "infra"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 baselined"), "{stdout}");

    // The recorded block moves down a file and a new one appears.
    let moved = format!("# moved\n\n{}\n{}", cache("sessions"), cache("queue"));
    fs::write(dir.join("infra/main.tf"), moved).unwrap();
    let (code, stdout, stderr) = run(
        &dir,
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "compact",
            "infra",
        ],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "infra/main.tf:8:1: warning[EC-012] `aws_elasticache_replication_group.queue` does not set `port`, so it listens on the redis default port 6379\n"
    );
}
