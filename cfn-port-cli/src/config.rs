//! `.cfn-port-lint.toml`: found upward from the working directory up to the
//! repository root, or named with `--config`. Every table rejects unknown keys, naming the key.
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
//!
//! [variables]                     # Terraform variable values, as if given first with --var
//! environment = "prod"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::io::Read as _;

use anyhow::{Context, Result, bail};
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
    /// Terraform variable values, applied before every `--var` and
    /// `--var-file` of the command line (which win over them).
    #[serde(default)]
    pub variables: BTreeMap<String, VariableValue>,
}

/// A Terraform variable's value in the config file: TOML's scalars, given
/// to Terraform as `--var` would give their text.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum VariableValue {
    /// `name = "text"`.
    Text(String),
    /// `port = 6380`.
    Integer(i64),
    /// `ratio = 0.5`.
    Float(f64),
    /// `enabled = true`.
    Bool(bool),
}

impl VariableValue {
    /// The value as `--var NAME=VALUE` would write it.
    #[must_use]
    pub fn as_var_text(&self) -> String {
        match self {
            VariableValue::Text(text) => text.clone(),
            VariableValue::Integer(n) => n.to_string(),
            VariableValue::Float(x) => x.to_string(),
            VariableValue::Bool(b) => b.to_string(),
        }
    }
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

/// The largest config file read. Real ones are a few hundred bytes; the cap
/// keeps `--config /dev/zero` or a huge file from being read whole.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

/// Reads and checks a config file the user named (`--config`): errors quote
/// the offending line, since the user chose the file.
///
/// # Errors
/// When the file cannot be read or has an unknown key or a bad value; the
/// message names the file, the key and its line.
pub fn load(path: &Path) -> Result<Config> {
    let text = read_capped(path)
        .with_context(|| format!("could not read config file `{}`", path.display()))?;
    parse(&text).with_context(|| format!("invalid config file `{}`", path.display()))
}

/// Reads a discovered config file. Its errors give the line, column and
/// problem but never quote the text: a config found in a checkout is not
/// the user's choice, and its text could be anything.
fn load_discovered(path: &Path) -> Result<Config> {
    let text = read_capped(path)
        .with_context(|| format!("could not read config file `{}`", path.display()))?;
    toml::from_str(&text).map_err(|error| {
        let at = error.span().map_or(String::new(), |span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!(" at line {line}, column {column}")
        });
        anyhow::anyhow!(
            "invalid config file `{}`{at}: {} (the file's text is not shown because it was found, not named; \
             pass it with `--config` to see it, or use `--no-config`)",
            path.display(),
            error.message().trim_end()
        )
    })
}

/// A regular file's text, at most [`MAX_CONFIG_SIZE`] bytes.
fn read_capped(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        bail!("it is not a regular file");
    }
    if meta.len() > MAX_CONFIG_SIZE {
        bail!("it is larger than {MAX_CONFIG_SIZE} bytes");
    }
    let mut text = String::new();
    file.take(MAX_CONFIG_SIZE + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_CONFIG_SIZE {
        bail!("it is larger than {MAX_CONFIG_SIZE} bytes");
    }
    Ok(text)
}

/// Parses config text.
///
/// # Errors
/// On a TOML error, an unknown key or a value of the wrong type.
pub fn parse(text: &str) -> Result<Config> {
    toml::from_str(text).map_err(|error| anyhow::anyhow!("{}", error.to_string().trim_end()))
}

/// The repository `start` is in: the nearest directory, `start` included,
/// that holds a `.git` directory or file (a worktree). `None` outside one.
#[must_use]
pub fn repository_root(start: &Path) -> Option<&Path> {
    start.ancestors().find(|dir| dir.join(".git").exists())
}

/// Looks for [`FILE_NAME`] in `start` and each parent up to the repository
/// root (only `start` outside a repository): a file in a shared parent
/// directory, such as the temporary directory, must not configure every
/// checkout below it.
///
/// # Errors
/// When a config file is found but is a symbolic link, resolves outside the
/// repository, or is invalid.
pub fn discover(start: &Path) -> Result<Option<(Config, PathBuf)>> {
    let root = repository_root(start).unwrap_or(start);
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if let Ok(meta) = std::fs::symlink_metadata(&candidate) {
            check_discovered(&candidate, &meta, root)?;
            return Ok(Some((load_discovered(&candidate)?, candidate)));
        }
        if dir == root {
            break;
        }
    }
    Ok(None)
}

/// Refuses a discovered config that is a link or not inside `root`: a
/// committed `.cfn-port-lint.toml -> /proc/self/environ` must not be read.
fn check_discovered(path: &Path, meta: &std::fs::Metadata, root: &Path) -> Result<()> {
    let refuse = |why: &str| {
        anyhow::anyhow!(
            "refusing the config file `{}`: {why}; a config file found in the tree must be a \
             regular file inside the repository (name it with `--config` to use it anyway, \
             or pass `--no-config`)",
            path.display()
        )
    };
    if meta.file_type().is_symlink() {
        return Err(refuse("it is a symbolic link"));
    }
    if !meta.is_file() {
        return Err(refuse("it is not a regular file"));
    }
    let inside = match (path.canonicalize(), root.canonicalize()) {
        (Ok(file), Ok(root)) => file.starts_with(root),
        _ => false,
    };
    if !inside {
        return Err(refuse("it resolves outside the repository"));
    }
    Ok(())
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
[variables]
port = 6380
engine = "valkey"
"#,
        )
        .unwrap();
        assert_eq!(config.variables["port"].as_var_text(), "6380");
        assert_eq!(config.variables["engine"].as_var_text(), "valkey");
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
