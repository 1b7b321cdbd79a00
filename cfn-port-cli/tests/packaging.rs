//! What `cargo package` would publish: for every publishable crate of the
//! workspace, only its sources, manifest, readme and licence files; never
//! the test corpus, fixtures, snapshots, fuzz artefacts or benchmark output.
//! `.ci/run` also builds the packages themselves (`cargo package --workspace`).

use std::path::Path;
use std::process::Command;

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    command
}

/// The workspace's crates that may be published (no `publish = false`).
fn publishable_crates() -> Vec<String> {
    let output = cargo()
        .args(["metadata", "--no-deps", "--format-version", "1", "--locked"])
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo metadata failed");
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let packages = metadata["packages"].as_array().expect("a package list");
    packages
        .iter()
        // `publish` is null when any registry may have it, [] when none.
        .filter(|package| package["publish"].as_array().is_none_or(|r| !r.is_empty()))
        .map(|package| package["name"].as_str().expect("a name").to_owned())
        .collect()
}

/// Whether a packaged path is one a published crate may ship.
fn is_shippable(path: &str) -> bool {
    const FILES: &[&str] = &[
        ".cargo_vcs_info.json",
        "Cargo.toml",
        "Cargo.toml.orig",
        "Cargo.lock",
        "README.md",
        "CHANGELOG.md",
        "PATCHES.md",
        "LICENSE",
    ];
    FILES.contains(&path)
        || path.starts_with(".licenses/")
        || (path.starts_with("src/") && (path.ends_with(".rs") || path.ends_with(".md")))
}

fn package_list(krate: &str) -> Vec<String> {
    let output = cargo()
        // --allow-dirty: the list is checked on a work tree with changes too.
        .args([
            "package",
            "--list",
            "--locked",
            "--allow-dirty",
            "-p",
            krate,
        ])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo package --list -p {krate} failed:\n{}",
        String::from_utf8_lossy(&output.stderr).escape_debug()
    );
    String::from_utf8(output.stdout)
        .expect("paths are UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn published_crates_ship_only_sources_manifests_readmes_and_licences() {
    let crates = publishable_crates();
    let mut expected = ["cfn-port-cli", "cfn-port-rules", "saphyr-parser-cfn"];
    expected.sort_unstable();
    let mut found: Vec<&str> = crates.iter().map(String::as_str).collect();
    found.sort_unstable();
    assert_eq!(found, expected, "the crates meant for crates.io");
    for krate in &crates {
        let files = package_list(krate);
        assert!(
            files.iter().any(|f| f == "src/lib.rs"),
            "{krate} ships its library: {files:#?}"
        );
        let unexpected: Vec<&String> = files.iter().filter(|f| !is_shippable(f)).collect();
        assert!(
            unexpected.is_empty(),
            "{krate} would ship files that are not its sources: {unexpected:#?}"
        );
    }
}

#[test]
fn the_forked_parser_ships_its_licences_and_patch_notes() {
    let files = package_list("saphyr-parser-cfn");
    for needed in ["LICENSE", "PATCHES.md", ".licenses/Ethiraric-MIT"] {
        assert!(
            files.iter().any(|f| f == needed),
            "saphyr-parser-cfn ships {needed}: {files:#?}"
        );
    }
}
