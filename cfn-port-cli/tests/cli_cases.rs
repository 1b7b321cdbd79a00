//! Every CLI behaviour as a trycmd case: `tests/cmd/*.toml`, with expected
//! output in `*.stdout` / `*.stderr` beside it. Shared fixture templates
//! live in `tests/cmd/fixtures/`; cases with their own tree use `<case>.in/`.
//!
//! To update expectations after an intended change:
//! `TRYCMD=overwrite cargo test -p cfn-port-cli --test cli_cases`.

#[test]
fn cli_cases() {
    let cases = trycmd::TestCases::new();
    cases.case("tests/cmd/*.toml");
    skip_cases_of_the_default_build(&cases);
}

/// With the `aws` feature the program has one more subcommand, so the man
/// page and completion scripts list it, and `aws` no longer says how to get
/// it: those cases describe the default build only (the live audit has its
/// own tests, `tests/aws_live.rs`).
#[cfg(feature = "aws")]
fn skip_cases_of_the_default_build(cases: &trycmd::TestCases) {
    use std::io::Write as _;
    const DEFAULT_BUILD_ONLY: [&str; 3] = ["aws-without-feature", "completions-bash", "man"];
    for name in DEFAULT_BUILD_ONLY {
        let _ = writeln!(
            std::io::stderr(),
            "skipped tests/cmd/{name}.toml: it describes the build without the `aws` feature"
        );
        cases.skip(format!("tests/cmd/{name}.toml"));
    }
}

#[cfg(not(feature = "aws"))]
fn skip_cases_of_the_default_build(_cases: &trycmd::TestCases) {}
