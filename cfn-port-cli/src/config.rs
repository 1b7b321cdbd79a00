//! `.cfn-port-lint.toml`: found upward from the working directory, or named
//! with `--config`. Every table rejects unknown keys, naming the key.
//!
//! ```toml
//! fail-level = "warning"          # note | warning | error
//! exclude = ["cdk.out/", "**/generated/*.yaml"]
//! max-file-size = 16777216
//!
//! [rules]
//! enable = ["EC-012"]             # run only these (default: every rule)
//! disable = []                    # never run these
//!
//! [rules.severity]
//! EC-012 = "error"
//!
//! [parameters]                    # default parameter values
//! Environment = "prod"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

/// The name looked for in the working directory and its parents.
pub const FILE_NAME: &str = ".cfn-port-lint.toml";

/// The configuration file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Severity threshold for exit status 1.
    pub fail_level: Option<String>,
    /// Globs of walked paths to skip, relative to the config file's directory.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Largest file linted, in bytes.
    pub max_file_size: Option<usize>,
    /// Which rules run and how severe they are.
    #[serde(default)]
    pub rules: RulesConfig,
    /// Default template parameter values.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
}

/// The `[rules]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// When set, only these rules run.
    pub enable: Option<Vec<String>>,
    /// Rules that never run.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity per rule.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
}

/// Reads and checks a config file.
///
/// # Errors
/// When the file cannot be read or has an unknown key or a bad value; the
/// message names the file, the key and its line.
pub fn load(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read config file `{}`", path.display()))?;
    parse(&text).with_context(|| format!("invalid config file `{}`", path.display()))
}

/// Parses config text.
///
/// # Errors
/// On a TOML error, an unknown key or a value of the wrong type.
pub fn parse(text: &str) -> Result<Config> {
    toml::from_str(text).map_err(|error| anyhow::anyhow!("{}", error.to_string().trim_end()))
}

/// Looks for [`FILE_NAME`] in `start` and each parent.
///
/// # Errors
/// When a config file is found but is invalid.
pub fn discover(start: &Path) -> Result<Option<(Config, PathBuf)>> {
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Ok(Some((load(&candidate)?, candidate)));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let config = parse(
            r#"
fail-level = "error"
exclude = ["cdk.out/"]
[rules]
enable = ["EC-012"]
[rules.severity]
EC-012 = "error"
[parameters]
Port = "6380"
"#,
        )
        .unwrap();
        assert_eq!(config.fail_level.as_deref(), Some("error"));
        assert_eq!(config.rules.severity["EC-012"], "error");
        assert_eq!(config.parameters["Port"], "6380");
    }

    #[test]
    fn unknown_keys_are_named() {
        let error = parse("fail_level = \"error\"\n").unwrap_err().to_string();
        assert!(error.contains("unknown field `fail_level`"), "{error}");
        let error = parse("[rules]\nselect = []\n").unwrap_err().to_string();
        assert!(error.contains("unknown field `select`"), "{error}");
    }
}
