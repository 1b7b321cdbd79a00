//! Shell completions, driven through the real shells: the script the tool
//! prints is loaded into bash (and fish, when installed) and asked what
//! completes a command line. zsh is not driven: its completion system
//! answers only inside an interactive line editor.

use std::process::Command;

fn script(shell: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_cfn-port-lint"))
        .args(["completions", shell])
        .output()
        .expect("run cfn-port-lint");
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

/// Says that a check was skipped and why, on stderr itself: the test
/// harness captures `println!` of a passing test, so a skip said that way
/// would never be seen.
fn skipped(test: &str, why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
}

fn has(shell: &str) -> bool {
    Command::new(shell)
        .args(["-c", "exit 0"])
        .status()
        .is_ok_and(|s| s.success())
}

/// The bash script, written once: tests run in parallel, and one writing
/// the file while another's bash reads it saw an empty script.
fn bash_script() -> &'static std::path::Path {
    static FILE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("completions");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("cfn-port-lint.bash");
        std::fs::write(&file, script("bash")).unwrap();
        file
    })
}

/// What bash's completion function offers for `words`, the last being
/// the word under the cursor.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let file = bash_script();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let program = format!(
        "source '{}'\n\
         COMP_WORDS=({})\n\
         COMP_CWORD={cword}\n\
         _cfn__port__lint cfn-port-lint '{}' '{}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display(),
        quoted.join(" "),
        words[cword],
        words[cword - 1],
    );
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("run bash");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_rule_ids_after_explain() {
    if !has("bash") {
        skipped(
            "bash_completes_rule_ids_after_explain",
            "bash is not installed",
        );
        return;
    }
    assert_eq!(
        bash_complete(&["cfn-port-lint", "explain", "EC"]),
        ["EC-012"]
    );
}

#[test]
fn bash_completes_the_arguments_of_subcommands_and_options() {
    if !has("bash") {
        skipped(
            "bash_completes_the_arguments_of_subcommands_and_options",
            "bash is not installed",
        );
        return;
    }
    assert_eq!(
        bash_complete(&["cfn-port-lint", "completions", "z"]),
        ["zsh"]
    );
    assert_eq!(
        bash_complete(&["cfn-port-lint", "--format", "s"]),
        ["sarif"]
    );
    assert_eq!(
        bash_complete(&["cfn-port-lint", "--rule", ""]),
        [
            "CPL-001", "CPL-002", "CPL-003", "CPL-004", "CPL-005", "EC-012", "RDS-011"
        ]
    );
    assert_eq!(
        bash_complete(&["cfn-port-lint", "explain", "--"]),
        ["--help"]
    );
}

#[test]
fn fish_completes_rule_ids_after_explain() {
    if !has("fish") {
        skipped(
            "fish_completes_rule_ids_after_explain",
            "fish is not installed (.ci/run installs it)",
        );
        return;
    }
    let program = format!(
        "{}\ncomplete -C 'cfn-port-lint explain '\ncomplete -C 'cfn-port-lint --format=s'",
        script("fish")
    );
    let output = Command::new("fish")
        .args(["--no-config", "-c", &program])
        .output()
        .expect("run fish");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "CPL-001\tRedshift Cluster Default Port",
            "CPL-002\tDocumentDB Cluster Default Port",
            "CPL-003\tNeptune Cluster Default Port",
            "CPL-004\tMemoryDB Cluster Default Port",
            "CPL-005\tCache or Database Port Open to Everyone",
            "EC-012\tElastiCache Cluster Default Port",
            "RDS-011\tRDS Default Port",
            "--format=sarif\tSARIF 2.1.0, for GitHub code scanning and other viewers"
        ]
    );
}
