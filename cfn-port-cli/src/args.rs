//! Command-line flags, parsed once by clap and then normalised, with the
//! configuration file, into one validated [`Settings`].
//!
//! Nothing downstream of [`Settings::resolve`] re-validates a flag.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use cfn_port_rules::{Limits, LintOptions, Severity};
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{self, Config};
use crate::inputs::{Excludes, InputSpec, WalkOptions};
use crate::params;

const AFTER_HELP: &str = "\
Exit status:
  0  no finding at or above the fail level
  1  findings (or warnings about the input) at or above the fail level
  2  usage error, or an input that could not be read or parsed

Examples:
  cfn-port-lint template.yaml
  cfn-port-lint stacks/ 'cdk.out/**/*.template.json'
  cat template.yaml | cfn-port-lint - --stdin-filename template.yaml
  cfn-port-lint --format sarif . > results.sarif
  cfn-port-lint explain EC-012";

/// Find ElastiCache clusters on default ports in CloudFormation templates.
///
/// Lints templates, directories (walked recursively, `.gitignore` honoured)
/// and quoted glob patterns, in parallel, and reports findings as rustc-style
/// diagnostics, JSON, SARIF, JUnit, GitHub workflow commands or one line each.
#[derive(Debug, Parser)]
#[command(
    name = "cfn-port-lint",
    version,
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP,
    max_term_width = 100
)]
pub struct Cli {
    /// A subcommand; without one, lint the given paths.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Templates, directories or quoted glob patterns (`'stacks/**/*.yaml'`) to
    /// lint; `-` reads a template from stdin. Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<OsString>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// When to use colour in human output. `NO_COLOR` turns `auto` off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Exit with status 1 when a finding is at or above this severity
    /// [default: warning, or `fail-level` from the config file].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_level: Option<Level>,

    /// A template parameter value (repeatable); wins over `--parameter-file`
    /// and the config file.
    #[arg(long = "parameter", short = 'p', value_name = "NAME=VALUE")]
    pub parameters: Vec<String>,

    /// A JSON file of parameter values: the AWS CLI format
    /// (`[{"ParameterKey": …, "ParameterValue": …}]`), the CodePipeline
    /// template configuration (`{"Parameters": {…}}`) or `{"Name": "Value"}`.
    #[arg(long = "parameter-file", value_name = "FILE")]
    pub parameter_files: Vec<PathBuf>,

    /// Run only this rule (repeatable; an id such as EC-012 or a name).
    #[arg(long = "rule", value_name = "RULE")]
    pub rules: Vec<String>,

    /// Do not run this rule (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,

    /// Change a rule's severity, e.g. `EC-012=error` (repeatable).
    #[arg(long = "severity", value_name = "RULE=LEVEL")]
    pub severities: Vec<String>,

    /// Skip walked files matching this glob (repeatable); files named on the
    /// command line are always linted.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Use this config file instead of looking for `.cfn-port-lint.toml`
    /// upward from the current directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any `.cfn-port-lint.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// The file name to report for stdin (`-`); its extension picks JSON or YAML.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Do not honour `.gitignore`, `.ignore` and similar files when walking.
    #[arg(long)]
    pub no_ignore: bool,

    /// Walk hidden files and directories too.
    #[arg(long)]
    pub hidden: bool,

    /// Follow symbolic links that lead outside the walked directory (links
    /// inside it are always followed).
    #[arg(long, short = 'L')]
    pub follow: bool,

    /// Number of threads linting files [default: the number of CPUs; at most
    /// four per CPU].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Skip files larger than this, without reading them (bytes; `K`, `M`,
    /// `G` suffixes allowed) [default: 16M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<usize>,

    /// Also list findings that a suppression covers, with its reason.
    #[arg(long)]
    pub show_suppressed: bool,

    /// Also list resources whose port could not be determined, and why.
    #[arg(long)]
    pub show_undetermined: bool,

    /// List the rules (id, title, severity, risk level) and exit.
    #[arg(long)]
    pub list_rules: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a rule's full documentation.
    Explain {
        /// Rule id (EC-012) or name (elasticache-default-port).
        rule: String,
    },
    /// Print a shell completion script to stdout.
    Completions {
        /// The shell to generate completions for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    Man,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style diagnostics with code frames, and a summary line.
    Human,
    /// A versioned JSON document (see the README for its schema).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other viewers.
    Sarif,
    /// JUnit XML: one test case per template.
    Junit,
    /// GitHub Actions workflow commands (`::warning file=…`).
    Github,
    /// One line per problem: `path:line:col: severity[RULE] message`.
    Compact,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// A severity threshold, as a flag value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Level {
    /// Fail on notes, warnings and errors.
    Note,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on errors only.
    Error,
}

impl From<Level> for Severity {
    fn from(level: Level) -> Self {
        match level {
            Level::Note => Severity::Note,
            Level::Warning => Severity::Warning,
            Level::Error => Severity::Error,
        }
    }
}

/// Parses `123`, `64K`, `16M` or `1G` (powers of 1024) into bytes.
fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let (digits, factor) = match text.char_indices().last() {
        Some((i, 'k' | 'K')) => (&text[..i], 1 << 10),
        Some((i, 'm' | 'M')) => (&text[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("`{text}` is not a size such as 1048576, 512K or 16M"))
}

/// Everything a lint run needs, validated.
#[derive(Debug)]
pub struct Settings {
    /// What to lint, in command-line order.
    pub inputs: Vec<InputSpec>,
    /// How to print.
    pub format: OutputFormat,
    /// Whether human output is coloured.
    pub color: bool,
    /// Findings at or above this make the exit status 1.
    pub fail_level: Severity,
    /// Options for the library.
    pub lint: LintOptions,
    /// How directories are walked.
    pub walk: WalkOptions,
    /// Globs that skip walked files.
    pub excludes: Excludes,
    /// The name stdin is reported under.
    pub stdin_filename: String,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// List suppressed findings.
    pub show_suppressed: bool,
    /// List undetermined resources.
    pub show_undetermined: bool,
    /// The working directory, for relative SARIF URIs.
    pub cwd: PathBuf,
    /// The config file in use, if any.
    pub config_file: Option<PathBuf>,
}

/// The most a config file may set `max-file-size` to: a repository's config
/// must not make the tool read gigabytes. `--max-file-size` may go higher.
pub const MAX_CONFIG_FILE_SIZE: usize = 256 * 1024 * 1024;

/// Threads per CPU that `-j` may ask for; more only add memory and switches.
pub const MAX_THREADS_PER_CPU: usize = 4;

impl Settings {
    /// Combines flags with the configuration file (flags win) and checks
    /// everything: rule ids, severities, parameters, globs.
    ///
    /// # Errors
    /// A message naming the bad flag, config key or file.
    pub fn resolve(cli: Cli, cwd: &Path) -> Result<Self> {
        let (config, config_dir, config_file) = if cli.no_config {
            (Config::default(), cwd.to_path_buf(), None)
        } else if let Some(path) = &cli.config {
            let config = config::load(path)?;
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| cwd.to_path_buf(), |p| cwd.join(p));
            (config, dir, Some(path.clone()))
        } else {
            match config::discover(cwd)? {
                Some((config, path)) => {
                    let dir = path
                        .parent()
                        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
                    (config, dir, Some(path))
                }
                None => (Config::default(), cwd.to_path_buf(), None),
            }
        };

        let mut lint = LintOptions::default();

        // Rules: the command line replaces the config's `enable`, and adds to `disable`.
        let enable = if cli.rules.is_empty() {
            config.rules.enable.clone()
        } else {
            Some(cli.rules.clone())
        };
        if let Some(enable) = enable {
            lint.only_rules = Some(checked_rules(enable, "--rule / rules.enable")?);
        }
        let disabled = config.rules.disable.iter().chain(&cli.disable).cloned();
        lint.disabled_rules = checked_rules(disabled, "--disable / rules.disable")?;
        for (rule, level) in &config.rules.severity {
            let severity = Severity::parse(level).with_context(|| {
                format!("config: rules.severity.{rule} = `{level}` is not note, warning or error")
            })?;
            lint.severities
                .insert(checked_rule(rule, "rules.severity")?, severity);
        }
        for pair in &cli.severities {
            let Some((rule, level)) = pair.split_once('=') else {
                bail!("--severity `{pair}` must look like RULE=LEVEL, e.g. EC-012=error");
            };
            let severity = Severity::parse(level.trim()).with_context(|| {
                format!("--severity `{pair}`: `{level}` is not note, warning or error")
            })?;
            lint.severities
                .insert(checked_rule(rule.trim(), "--severity")?, severity);
        }

        // Parameters: config defaults, then files in order, then flags.
        let mut parameters: BTreeMap<String, String> = config.parameters.clone();
        for file in &cli.parameter_files {
            parameters.extend(params::read_file(&cwd.join(file))?);
        }
        for pair in &cli.parameters {
            let (name, value) = params::parse_pair(pair)?;
            parameters.insert(name, value);
        }
        lint.parameters = parameters;

        let mut limits = Limits::default();
        if let Some(size) = config.max_file_size
            && size > MAX_CONFIG_FILE_SIZE
            && cli.max_file_size.is_none()
        {
            bail!(
                "config: max-file-size = {size} is over the {MAX_CONFIG_FILE_SIZE} bytes (256 MiB) a config \
                 file may set; pass `--max-file-size` to read larger files"
            );
        }
        if let Some(size) = cli.max_file_size.or(config.max_file_size) {
            limits.max_file_size = size;
        }
        lint.limits = limits;

        let fail_level = match (cli.fail_level, &config.fail_level) {
            (Some(level), _) => level.into(),
            (None, Some(level)) => Severity::parse(level).with_context(|| {
                format!("config: fail-level = `{level}` is not note, warning or error")
            })?,
            (None, None) => Severity::Warning,
        };

        let mut excludes = Excludes::default();
        for pattern in &config.exclude {
            excludes
                .add(pattern, &config_dir)
                .context("config: exclude")?;
        }
        for pattern in &cli.exclude {
            excludes.add(pattern, cwd).context("--exclude")?;
        }

        let inputs = if cli.paths.is_empty() {
            vec![InputSpec::Path(PathBuf::from("."))]
        } else {
            cli.paths
                .iter()
                .map(|arg| InputSpec::parse(arg, cwd))
                .collect::<Result<_>>()?
        };
        if inputs
            .iter()
            .filter(|i| matches!(i, InputSpec::Stdin))
            .count()
            > 1
        {
            bail!("`-` (stdin) may be given only once");
        }
        if cli.stdin_filename.is_some() && !inputs.iter().any(|i| matches!(i, InputSpec::Stdin)) {
            bail!("--stdin-filename needs `-` among the paths");
        }

        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let threads = match cli.threads {
            Some(0) => bail!("--threads must be at least 1"),
            Some(n) => n.min(cpus * MAX_THREADS_PER_CPU),
            None => cpus,
        };

        Ok(Self {
            inputs,
            format: cli.format,
            color,
            fail_level,
            lint,
            walk: WalkOptions {
                no_ignore: cli.no_ignore,
                hidden: cli.hidden,
                follow: cli.follow,
            },
            excludes,
            stdin_filename: cli.stdin_filename.unwrap_or_else(|| "<stdin>".to_string()),
            threads,
            show_suppressed: cli.show_suppressed,
            show_undetermined: cli.show_undetermined,
            cwd: cwd.to_path_buf(),
            config_file,
        })
    }
}

/// The rule's canonical id, or an error naming `origin` and listing the rules.
fn checked_rule(rule: &str, origin: &str) -> Result<String> {
    match cfn_port_rules::rules::find(rule) {
        Some(found) => Ok(found.meta().id.to_string()),
        None => {
            let known: Vec<&str> = cfn_port_rules::rules::all()
                .iter()
                .map(|r| r.meta().id)
                .collect();
            bail!(
                "{origin}: `{rule}` is not a rule (known rules: {})",
                known.join(", ")
            )
        }
    }
}

fn checked_rules(
    rules: impl IntoIterator<Item = String>,
    origin: &str,
) -> Result<BTreeSet<String>> {
    rules
        .into_iter()
        .map(|rule| checked_rule(&rule, origin))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("64K"), Ok(64 * 1024));
        assert_eq!(parse_size("16m"), Ok(16 * 1024 * 1024));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("").is_err());
    }

    #[test]
    fn rules_are_canonicalised_and_unknown_ones_named() {
        assert_eq!(checked_rule("ec-012", "x").unwrap(), "EC-012");
        assert_eq!(
            checked_rule("elasticache-default-port", "x").unwrap(),
            "EC-012"
        );
        let error = checked_rule("EC-999", "--rule").unwrap_err().to_string();
        assert!(error.contains("`EC-999` is not a rule"), "{error}");
    }

    #[test]
    fn thread_count_is_capped_at_four_per_cpu() {
        let cwd = std::env::temp_dir();
        let cli = Cli::try_parse_from(["cfn-port-lint", "--no-config", "-j", "10000"]).unwrap();
        let settings = Settings::resolve(cli, &cwd).unwrap();
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert_eq!(settings.threads, cpus * MAX_THREADS_PER_CPU);
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
