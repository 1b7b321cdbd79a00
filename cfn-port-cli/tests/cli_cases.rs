//! Every CLI behaviour as a trycmd case: `tests/cmd/*.toml`, with expected
//! output in `*.stdout` / `*.stderr` beside it. Shared fixture templates
//! live in `tests/cmd/fixtures/`; cases with their own tree use `<case>.in/`.
//!
//! To update expectations after an intended change:
//! `TRYCMD=overwrite cargo test -p cfn-port-cli --test cli_cases`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
