//! The human rendering of every template under `testdata/` (the template
//! folders `ec012/`, `parse/` and `suppress/`), as a person sees
//! it in a terminal (`--color never`), one snapshot per fixture. Together
//! with the library's fixture snapshots, a reviewer reads both what was
//! found and how it is shown: code frames, labels, notes and help.

use std::path::Path;
use std::process::Command;

#[test]
fn every_fixture_renders_as_reviewed() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .canonicalize()
        .expect("testdata exists");
    let mut rendered = 0;
    insta::glob!(
        "../../testdata",
        "{ec012,parse,suppress}/**/*.{yaml,json}",
        |path| {
            let relative = path
                .strip_prefix(&testdata)
                .expect("fixture under testdata");
            let output = Command::new(env!("CARGO_BIN_EXE_cfn-port-lint"))
                .current_dir(&testdata)
                .args([
                    "--color",
                    "never",
                    "--show-suppressed",
                    "--show-undetermined",
                ])
                .arg(relative)
                .output()
                .expect("cfn-port-lint runs");
            let code = output.status.code().expect("exit code");
            assert!(matches!(code, 0..=2), "{}: exit {code}", relative.display());
            let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
            // The summary's timing varies from run to run.
            let stable: String = stdout
                .lines()
                .map(|line| match line.rfind(" in ") {
                    Some(at) if line.starts_with("Checked ") => {
                        format!("{} in <time>", &line[..at])
                    }
                    _ => line.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            rendered += 1;
            insta::assert_snapshot!(format!("exit code {code}\n{stable}"));
        }
    );
    assert!(
        rendered >= 40,
        "expected the whole testdata tree, rendered {rendered}"
    );
}
