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
use crate::render::{GITHUB_MAX_RESULTS, SarifOptions};
use cfn_port_rules::terraform::Vars;

const AFTER_HELP: &str = "\
Exit status:
  0  no finding at or above the fail level
  1  findings (or warnings about the input) at or above the fail level
  2  usage error, or an input that could not be read or parsed

Examples:
  cfn-port-lint template.yaml
  cfn-port-lint stacks/ 'cdk.out/**/*.template.json'
  cat template.yaml | cfn-port-lint - --stdin-filename template.yaml
  cfn-port-lint -f human -f sarif=results.sarif .
  cfn-port-lint --baseline cfn-port-lint-baseline.json .
  cdk synth && cfn-port-lint cdk.out
  cfn-port-lint infra/ --var-file prod.tfvars
  cfn-port-lint explain EC-012";

/// Find ElastiCache clusters on default ports in CloudFormation templates and Terraform.
///
/// Lints templates, Terraform modules, plans, directories (walked
/// recursively, `.gitignore` honoured) and quoted glob patterns, in parallel, and reports findings as rustc-style
/// diagnostics, JSON, SARIF, JUnit, GitLab Code Quality, GitHub workflow
/// commands or one line each.
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

    /// Templates, Terraform files, directories or quoted glob patterns
    /// (`'stacks/**/*.yaml'`) to lint; a `.tf` file lints its module; `-`
    /// reads a template from stdin. Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<OsString>,

    /// Output format, and where to write it: `sarif` writes to stdout (or
    /// `--output-file`), `sarif=results.sarif` to that file. Repeat it to
    /// write several formats in one run, e.g. `-f human -f sarif=out.sarif`
    /// [default: human].
    #[arg(long, short = 'f', value_name = "FORMAT[=PATH]", value_parser = FormatTargetParser)]
    pub format: Vec<FormatTarget>,

    /// Write the output to this file instead of stdout (the format given
    /// without `=PATH`).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output_file: Option<PathBuf>,

    /// When to use colour in human output. With `auto`, `FORCE_COLOR` or
    /// `CLICOLOR_FORCE` turn it on, and `NO_COLOR`, `TERM=dumb` or
    /// `CLICOLOR=0` turn it off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Exit with status 1 when a finding is at or above this severity
    /// [default: warning, or `fail-level` from the config file].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_level: Option<Level>,

    /// A template parameter value (repeatable); wins over `--parameter-file`
    /// and the config file. The pseudo parameters `AWS::Region`,
    /// `AWS::AccountId` and `AWS::Partition` can be pinned too. A name the
    /// template does not declare gets a warning.
    #[arg(long = "parameter", short = 'p', value_name = "NAME=VALUE")]
    pub parameters: Vec<String>,

    /// The region to evaluate in: short for `--parameter AWS::Region=REGION`.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// A JSON file of parameter values: the AWS CLI format
    /// (`[{"ParameterKey": …, "ParameterValue": …}]`), the CodePipeline
    /// template configuration (`{"Parameters": {…}}`) or `{"Name": "Value"}`.
    #[arg(long = "parameter-file", value_name = "FILE")]
    pub parameter_files: Vec<PathBuf>,

    /// A Terraform variable value, as `terraform plan -var` takes it
    /// (repeatable); with `--var-file`, a later one wins over an earlier one.
    #[arg(long = "var", value_name = "NAME=VALUE", help_heading = "Terraform")]
    pub vars: Vec<String>,

    /// A Terraform variable file (`.tfvars` or `.tfvars.json`), as
    /// `terraform plan -var-file` takes it (repeatable). Its values win over
    /// the module's `terraform.tfvars` and `*.auto.tfvars`.
    #[arg(long = "var-file", value_name = "FILE", help_heading = "Terraform")]
    pub var_files: Vec<PathBuf>,

    /// `--var` and `--var-file` in command-line order (filled by
    /// [`Cli::parse_args`] from where each was given).
    #[arg(skip)]
    pub var_order: Vec<GivenVarArg>,

    /// Run only this rule (repeatable; an id such as EC-012 or a name).
    #[arg(long = "rule", value_name = "RULE", value_parser = RuleParser)]
    pub rules: Vec<String>,

    /// Do not run this rule (repeatable).
    #[arg(long = "disable", value_name = "RULE", value_parser = RuleParser)]
    pub disable: Vec<String>,

    /// Change a rule's severity, e.g. `EC-012=error` (repeatable).
    #[arg(long = "severity", value_name = "RULE=LEVEL")]
    pub severities: Vec<String>,

    /// Skip walked files matching this glob (repeatable); files named on the
    /// command line are always linted, unless `--force-exclude` is given.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Use this config file instead of looking for `.cfn-port-lint.toml`
    /// upward from the current directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any `.cfn-port-lint.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// The file name to report for stdin (`-`); its extension picks JSON or YAML, or Terraform
    /// (`.tf`, `.tf.json`: a module of that one file).
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

    /// The largest file read (bytes; `K`, `M`, `G` suffixes allowed); a
    /// larger one is an error, found from its size without reading it
    /// [default: 16M].
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

    /// Print findings and errors only: no summary line, no hint, no notes
    /// about inputs.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Exit with status 0 even when there are findings; an input that could
    /// not be read or parsed still exits with 2.
    #[arg(long)]
    pub exit_zero: bool,

    /// Report only findings this baseline file does not record; the others
    /// are counted as baselined.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record this run's findings in a baseline file (versioned JSON), and
    /// count them as baselined.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    // CI integration: SARIF, pre-commit.
    /// SARIF: also include suppressed findings, marked with their
    /// suppression. Off by default because GitHub code scanning ignores
    /// SARIF suppressions unless a repository setting is on, so each one
    /// would open an alert.
    #[arg(long, help_heading = "CI integration")]
    pub sarif_include_suppressed: bool,

    /// SARIF: the analysis category (`runs[].automationDetails.id`), to keep
    /// several runs of the tool apart in code scanning.
    #[arg(long, value_name = "NAME", help_heading = "CI integration")]
    pub sarif_category: Option<String>,

    /// SARIF: the most results in the run; past it, results are left out
    /// with a notification and a warning on stderr [default: 25000, the most
    /// GitHub code scanning accepts].
    #[arg(long, value_name = "N", help_heading = "CI integration")]
    pub sarif_max_results: Option<usize>,

    /// Skip named files and directories that `--exclude` or the config's
    /// `exclude` match, as a walk would (pre-commit names every staged file).
    #[arg(long, help_heading = "CI integration")]
    pub force_exclude: bool,

    /// Treat named files like walked ones: a file that is not a
    /// CloudFormation template is skipped quietly and counted, with no note.
    #[arg(long, help_heading = "CI integration")]
    pub skip_non_templates: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a rule's full documentation.
    Explain {
        /// Rule id (EC-012) or name (elasticache-default-port).
        #[arg(value_parser = RuleParser)]
        rule: String,
    },
    /// Print a shell completion script to stdout.
    Completions {
        /// The shell to generate completions for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    Man,
    /// Audit the ElastiCache clusters deployed in an AWS account.
    #[cfg(feature = "aws")]
    Aws(AwsArgs),
}

/// Flags of `cfn-port-lint aws`.
#[cfg(feature = "aws")]
#[derive(Debug, clap::Args)]
#[command(after_help = AWS_AFTER_HELP)]
pub struct AwsArgs {
    /// A named profile of the shared config and credentials files. Without
    /// it the standard credential chain applies (environment, `AWS_PROFILE`,
    /// SSO, web identity, instance metadata).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// A region to audit; repeat it for several. Default: every region
    /// enabled for the account (needs `account:ListRegions`).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,

    /// Send every request to this endpoint: an emulator, or a VPC endpoint.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// How many regions are audited at the same time; each has one request
    /// in flight.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrent_regions: u16,

    /// Also write what was fetched, as the AWS CLI prints
    /// `describe-replication-groups` and `describe-cache-clusters
    /// --show-cache-node-info` (one document after another), to this file;
    /// `-` is stdout, where findings then go only with `--format`.
    #[arg(long, value_name = "PATH")]
    pub save_output: Option<PathBuf>,

    /// Output format, and where to write it, as for files: `-f json`,
    /// `-f human -f sarif=audit.sarif` [default: human].
    #[arg(long, short = 'f', value_name = "FORMAT[=PATH]", value_parser = FormatTargetParser)]
    pub format: Vec<FormatTarget>,

    /// Write the output to this file instead of stdout (the format given
    /// without `=PATH`).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output_file: Option<PathBuf>,

    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Exit with status 1 when a finding is at or above this severity.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Level::Warning)]
    pub fail_level: Level,

    /// Print findings and errors only: no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Exit with status 0 even when there are findings; a region that
    /// failed still exits with 2.
    #[arg(long)]
    pub exit_zero: bool,

    /// Also list the clusters whose port could not be read (no endpoint yet).
    #[arg(long)]
    pub show_undetermined: bool,
}

#[cfg(feature = "aws")]
impl AwsArgs {
    /// The outputs of the audit: as for files, except that `--save-output -`
    /// takes stdout, so that only `--format` then writes findings.
    ///
    /// # Errors
    /// When two outputs would write to one place.
    pub fn outputs(&self) -> Result<Vec<FormatTarget>> {
        let saved_to_stdout = self.save_output.as_deref() == Some(Path::new("-"));
        if saved_to_stdout && self.format.is_empty() && self.output_file.is_none() {
            return Ok(Vec::new());
        }
        let outputs = outputs(self.format.clone(), self.output_file.clone())?;
        if saved_to_stdout && outputs.iter().any(|o| o.path.is_none()) {
            bail!(
                "--save-output - and a format would both write to stdout; \
                 give the format a file, e.g. `--format json=findings.json`"
            );
        }
        Ok(outputs)
    }

    /// Whether human output is coloured.
    #[must_use]
    pub fn wants_color(&self) -> bool {
        wants_color(
            self.color,
            |name| std::env::var_os(name),
            std::io::stdout().is_terminal(),
        )
    }
}

#[cfg(feature = "aws")]
const AWS_AFTER_HELP: &str = "\
Each region's clusters are linted as saved describe output would be; a
finding is located by its cluster's ARN. Only read-only calls are made:
elasticache:DescribeReplicationGroups, elasticache:DescribeCacheClusters and,
without --region, account:ListRegions.

Exit status:
  0  no finding at or above the fail level
  1  findings at or above the fail level
  2  usage error, or a region that could not be audited (the others still are)

Examples:
  cfn-port-lint aws --region eu-west-1 --region us-east-1
  cfn-port-lint aws -f human -f sarif=deployed.sarif
  cfn-port-lint aws --region eu-west-1 --save-output deployed.json -f json";

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[non_exhaustive]
pub enum OutputFormat {
    /// rustc-style diagnostics with code frames, and a summary line.
    Human,
    /// A versioned JSON document (see the README for its schema).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other viewers.
    Sarif,
    /// JUnit XML: one test case per template.
    Junit,
    /// GitLab Code Quality (CodeClimate JSON), for `artifacts:reports:codequality`.
    #[value(alias = "codequality")]
    Gitlab,
    /// GitHub Actions workflow commands (`::warning file=…`).
    Github,
    /// One line per problem: `path:line:col: severity[RULE] message`.
    Compact,
}

/// One `--format` value: a format, and the file it goes to (stdout when none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatTarget {
    /// The format.
    pub format: OutputFormat,
    /// The file, or `None` for stdout.
    pub path: Option<PathBuf>,
}

/// Parses `FORMAT` or `FORMAT=PATH`, and tells clap (and so shell
/// completions and `--help`) the format names.
#[derive(Clone, Copy, Debug)]
pub struct FormatTargetParser;

impl clap::builder::TypedValueParser for FormatTargetParser {
    type Value = FormatTarget;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<FormatTarget, clap::Error> {
        let text = value.to_string_lossy();
        let (name, path) = match text.split_once('=') {
            Some((name, path)) => (name, Some(PathBuf::from(path))),
            None => (&*text, None),
        };
        if path.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("`{text}`: the path after `=` is empty\n"),
            )
            .with_cmd(cmd));
        }
        let format = clap::builder::EnumValueParser::<OutputFormat>::new().parse_ref(
            cmd,
            arg,
            std::ffi::OsStr::new(name),
        )?;
        Ok(FormatTarget { format, path })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            OutputFormat::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// A rule id or name, taken as written (it is checked later, with a
/// message listing the rules); it tells clap the rule ids, so that shell
/// completions offer them (`cfn-port-lint explain <TAB>`).
#[derive(Clone, Copy, Debug)]
pub struct RuleParser;

impl clap::builder::TypedValueParser for RuleParser {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(cfn_port_rules::rules::all().iter().map(|rule| {
            let meta = rule.meta();
            clap::builder::PossibleValue::new(meta.id).help(meta.title)
        })))
    }
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal, unless the environment says
    /// otherwise (`FORCE_COLOR`, `CLICOLOR_FORCE`, `NO_COLOR`, `TERM=dumb`,
    /// `CLICOLOR=0`).
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
    /// What to print, and where; at most one goes to stdout.
    pub outputs: Vec<FormatTarget>,
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
    /// Print findings and errors only.
    pub quiet: bool,
    /// Findings do not make the exit status 1.
    pub exit_zero: bool,
    /// Findings recorded here are not reported.
    pub baseline: Option<PathBuf>,
    /// Where to record this run's findings.
    pub write_baseline: Option<PathBuf>,
    /// What goes into a SARIF log.
    pub sarif: SarifOptions,
    /// The values given for Terraform variables, in the order they apply.
    pub terraform_vars: Vars,
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

        // Parameters: config defaults, then files in order, then flags. Names
        // from files and flags are meant for these templates, so each must be
        // declared; the config's defaults serve many templates and are not checked.
        let mut parameters: BTreeMap<String, String> = config.parameters.clone();
        let mut given = BTreeMap::new();
        for file in &cli.parameter_files {
            given.extend(params::read_file(&cwd.join(file))?);
        }
        for pair in &cli.parameters {
            let (name, value) = params::parse_pair(pair)?;
            given.insert(name, value);
        }
        if let Some(region) = &cli.region {
            given.insert("AWS::Region".to_string(), region.clone());
        }
        for name in given.keys().chain(parameters.keys()) {
            params::check_pseudo(name)?;
        }
        lint.checked_parameters = given.keys().cloned().collect();
        parameters.extend(given);
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

        let color = wants_color(
            cli.color,
            |name| std::env::var_os(name),
            std::io::stdout().is_terminal(),
        );
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let threads = match cli.threads {
            Some(0) => bail!("--threads must be at least 1"),
            Some(n) => n.min(cpus * MAX_THREADS_PER_CPU),
            None => cpus,
        };

        // Terraform's variables, in the order given (Cli::parse_args keeps it;
        // a Cli built otherwise has them all, values first).
        let var_order = if cli.var_order.is_empty() {
            cli.vars
                .iter()
                .cloned()
                .map(GivenVarArg::Var)
                .chain(cli.var_files.iter().cloned().map(GivenVarArg::VarFile))
                .collect()
        } else {
            cli.var_order.clone()
        };
        // The config's variables come first, so that the command line wins.
        let configured =
            config
                .variables
                .iter()
                .map(|(name, value)| crate::terraform::VarArg::Value {
                    name: name.clone(),
                    value: value.as_var_text(),
                });
        let var_args = configured
            .map(Ok)
            .chain(var_order.iter().map(|given| match given {
                GivenVarArg::Var(pair) => crate::terraform::parse_var(pair),
                GivenVarArg::VarFile(path) => Ok(crate::terraform::VarArg::File(path.clone())),
            }))
            .collect::<Result<Vec<_>>>()?;
        let terraform_vars =
            crate::terraform::read_vars(&var_args, cwd, lint.limits.max_file_size)?;

        let sarif = SarifOptions {
            include_suppressed: cli.sarif_include_suppressed,
            category: cli.sarif_category.filter(|c| !c.is_empty()),
            max_results: cli.sarif_max_results.unwrap_or(GITHUB_MAX_RESULTS),
        };

        Ok(Self {
            inputs,
            outputs: outputs(cli.format, cli.output_file)?,
            color,
            fail_level,
            lint,
            walk: WalkOptions {
                no_ignore: cli.no_ignore,
                hidden: cli.hidden,
                follow: cli.follow,
                force_exclude: cli.force_exclude,
                skip_non_templates: cli.skip_non_templates,
            },
            excludes,
            stdin_filename: cli.stdin_filename.unwrap_or_else(|| "<stdin>".to_string()),
            threads,
            show_suppressed: cli.show_suppressed,
            show_undetermined: cli.show_undetermined,
            cwd: cwd.to_path_buf(),
            config_file,
            quiet: cli.quiet,
            exit_zero: cli.exit_zero,
            baseline: cli.baseline,
            write_baseline: cli.write_baseline,
            sarif,
            terraform_vars,
        })
    }
}

impl Cli {
    /// Parses the command line, keeping the order in which `--var` and
    /// `--var-file` were given: Terraform applies them in that order.
    ///
    /// # Errors
    /// A usage error (or `--help`, `--version`), to print and exit with.
    pub fn parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli = Self::from_arg_matches(&matches)?;
        let at = |id: &str| -> Vec<usize> {
            matches
                .indices_of(id)
                .map(Iterator::collect)
                .unwrap_or_default()
        };
        let mut ordered: Vec<(usize, VarSource)> = Vec::new();
        ordered.extend(
            at("vars")
                .into_iter()
                .zip(0..)
                .map(|(i, n)| (i, VarSource::Value(n))),
        );
        ordered.extend(
            at("var_files")
                .into_iter()
                .zip(0..)
                .map(|(i, n)| (i, VarSource::File(n))),
        );
        ordered.sort_by_key(|(index, _)| *index);
        cli.var_order = ordered
            .into_iter()
            .filter_map(|(_, source)| match source {
                VarSource::Value(n) => cli.vars.get(n).cloned().map(GivenVarArg::Var),
                VarSource::File(n) => cli.var_files.get(n).cloned().map(GivenVarArg::VarFile),
            })
            .collect();
        Ok(cli)
    }
}

/// A `--var` or `--var-file` argument as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GivenVarArg {
    /// `--var NAME=VALUE`, not yet split.
    Var(String),
    /// `--var-file FILE`.
    VarFile(PathBuf),
}

/// Which `--var` or `--var-file`, by its place among its kind.
enum VarSource {
    Value(usize),
    File(usize),
}

/// The outputs of a run: human on stdout by default; `--output-file`
/// takes the one format given without a path. Two formats on stdout, or
/// two in one file, would interleave, so they are refused.
fn outputs(formats: Vec<FormatTarget>, output_file: Option<PathBuf>) -> Result<Vec<FormatTarget>> {
    let mut outputs = formats;
    if outputs.is_empty() {
        outputs.push(FormatTarget {
            format: OutputFormat::Human,
            path: None,
        });
    }
    let on_stdout = outputs.iter().filter(|o| o.path.is_none()).count();
    if on_stdout > 1 {
        bail!(
            "{on_stdout} formats would write to stdout; give all but one a file, \
             e.g. `--format sarif=results.sarif`"
        );
    }
    if let Some(file) = output_file {
        match outputs.iter_mut().find(|o| o.path.is_none()) {
            Some(output) => output.path = Some(file),
            None => bail!("--output-file: every --format already names its file"),
        }
    }
    let mut paths: Vec<&PathBuf> = outputs.iter().filter_map(|o| o.path.as_ref()).collect();
    paths.sort();
    if let Some(twice) = paths.windows(2).find(|pair| pair[0] == pair[1]) {
        bail!("two formats would write to `{}`", twice[0].display());
    }
    Ok(outputs)
}

/// Whether to colour, the way ruff and most terminal tools decide: the
/// flag wins; with `auto`, `FORCE_COLOR` or `CLICOLOR_FORCE` (set, not
/// empty, not `0`) force colour even into a pipe (CI logs render it), then
/// `NO_COLOR` (not empty), `TERM=dumb` and `CLICOLOR=0` turn it off, and
/// otherwise colour follows whether stdout is a terminal.
fn wants_color(
    choice: ColorChoice,
    env: impl Fn(&str) -> Option<OsString>,
    is_terminal: bool,
) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let forced = |name: &str| env(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if forced("FORCE_COLOR") || forced("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => {
            !set("NO_COLOR")
                && env("TERM").is_none_or(|term| term != "dumb")
                && env("CLICOLOR").is_none_or(|v| v != "0")
                && is_terminal
        }
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

    /// A fake environment holding `vars`.
    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        move |name| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn colour_follows_the_environment_like_ruff() {
        let auto = |vars: &[(&str, &str)], tty| wants_color(ColorChoice::Auto, env_of(vars), tty);
        assert!(auto(&[], true));
        assert!(!auto(&[], false));
        assert!(
            auto(&[("FORCE_COLOR", "1")], false),
            "FORCE_COLOR colours a pipe"
        );
        assert!(auto(&[("CLICOLOR_FORCE", "1")], false));
        assert!(!auto(&[("CLICOLOR_FORCE", "0")], false), "0 does not force");
        assert!(!auto(&[("FORCE_COLOR", "")], false), "empty does not force");
        assert!(
            auto(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], false),
            "forcing wins"
        );
        assert!(!auto(&[("NO_COLOR", "1")], true));
        assert!(
            auto(&[("NO_COLOR", "")], true),
            "an empty NO_COLOR is unset"
        );
        assert!(!auto(&[("TERM", "dumb")], true));
        assert!(!auto(&[("CLICOLOR", "0")], true));
        assert!(wants_color(
            ColorChoice::Always,
            env_of(&[("NO_COLOR", "1")]),
            false
        ));
        assert!(!wants_color(
            ColorChoice::Never,
            env_of(&[("FORCE_COLOR", "1")]),
            true
        ));
    }

    fn target(format: OutputFormat, path: Option<&str>) -> FormatTarget {
        FormatTarget {
            format,
            path: path.map(PathBuf::from),
        }
    }

    #[test]
    fn outputs_default_to_human_on_stdout_and_refuse_clashes() {
        use OutputFormat::{Human, Json, Sarif};
        assert_eq!(outputs(vec![], None).unwrap(), [target(Human, None)]);
        assert_eq!(
            outputs(vec![target(Sarif, None)], Some("out.sarif".into())).unwrap(),
            [target(Sarif, Some("out.sarif"))]
        );
        let both = vec![target(Human, None), target(Sarif, Some("out.sarif"))];
        assert_eq!(outputs(both.clone(), None).unwrap(), both);
        let error = outputs(vec![target(Human, None), target(Json, None)], None).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("2 formats would write to stdout"),
            "{error}"
        );
        let error = outputs(
            vec![target(Json, Some("a")), target(Sarif, Some("a"))],
            None,
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("two formats would write to `a`"),
            "{error}"
        );
        let error = outputs(vec![target(Json, Some("a"))], Some("b".into())).unwrap_err();
        assert!(
            error.to_string().contains("already names its file"),
            "{error}"
        );
    }

    #[test]
    fn format_values_take_an_optional_path() {
        let cli = Cli::try_parse_from([
            "cfn-port-lint",
            "-f",
            "human",
            "--format",
            "sarif=out/x.sarif",
        ])
        .unwrap();
        assert_eq!(
            cli.format,
            [
                target(OutputFormat::Human, None),
                target(OutputFormat::Sarif, Some("out/x.sarif"))
            ]
        );
        assert!(Cli::try_parse_from(["cfn-port-lint", "-f", "xml"]).is_err());
        assert!(Cli::try_parse_from(["cfn-port-lint", "-f", "json="]).is_err());
    }

    #[test]
    fn thread_count_is_capped_at_four_per_cpu() {
        let cwd = std::env::temp_dir();
        let cli = Cli::try_parse_from(["cfn-port-lint", "--no-config", "-j", "10000"]).unwrap();
        let settings = Settings::resolve(cli, &cwd).unwrap();
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert_eq!(settings.threads, cpus * MAX_THREADS_PER_CPU);
    }

    /// Terraform applies `-var` and `-var-file` in command-line order, the
    /// later winning, so the two flags must keep their interleaving.
    #[test]
    fn var_and_var_file_keep_their_command_line_order() {
        let cli = Cli::parse_args([
            "cfn-port-lint",
            "--var-file",
            "a.tfvars",
            "--var",
            "port=1",
            "--var-file",
            "b.tfvars",
            "--var=port=2",
        ])
        .unwrap();
        assert_eq!(
            cli.var_order,
            [
                GivenVarArg::VarFile("a.tfvars".into()),
                GivenVarArg::Var("port=1".into()),
                GivenVarArg::VarFile("b.tfvars".into()),
                GivenVarArg::Var("port=2".into()),
            ]
        );
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
