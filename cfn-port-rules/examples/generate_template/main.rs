//! Writes a generated CloudFormation template to stdout, for benchmarks.
//!
//! ```text
//! cargo run --release -p cfn-port-rules --example generate_template -- \
//!     --resources 10000 --format yaml [--conditions 4] [--ifs 2000] [--filler-every 20]
//! cargo run --release -p cfn-port-rules --example generate_template -- --stress --format json
//! ```
//!
//! `--stress` is the evaluator's worst realistic case: 300 resources, 60
//! conditions and a nested `Fn::If` on every port. Other flags given after
//! it override its values.

use std::io::Write;
use std::process::ExitCode;

mod generator;

use generator::{Format, Options, generate};

const USAGE: &str = "usage: generate_template [--stress] [--resources N] [--format yaml|json] \
                     [--conditions N] [--ifs N] [--filler-every N]";

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1).peekable();
    let mut options = Options::realistic(1000, Format::Yaml);
    let mut ifs = None;
    let mut stress = false;
    let number = |flag: &str, value: Option<String>| -> Result<usize, String> {
        value
            .ok_or_else(|| format!("{flag} needs a value"))?
            .parse()
            .map_err(|e| format!("{flag}: {e}"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--stress" => {
                stress = true;
                options = Options::stress(options.format);
            }
            "--resources" => options.resources = number(&arg, args.next())?,
            "--conditions" => options.conditions = number(&arg, args.next())?,
            "--ifs" => ifs = Some(number(&arg, args.next())?),
            "--filler-every" => options.filler_every = number(&arg, args.next())?,
            "--format" => {
                options.format = match args.next().as_deref() {
                    Some("yaml") => Format::Yaml,
                    Some("json") => Format::Json,
                    other => return Err(format!("--format must be yaml or json, not {other:?}")),
                }
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    // Without --ifs: every port in the stress case, a fifth otherwise.
    let default_ifs = if stress {
        options.resources
    } else {
        options.resources / 5
    };
    options.ifs = ifs.unwrap_or(default_ifs).min(options.resources);
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            let mut stderr = std::io::stderr().lock();
            if !message.is_empty() {
                let _ = writeln!(stderr, "generate_template: {message}");
            }
            let _ = writeln!(stderr, "{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = generate(&options);
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "generate_template: {error}");
            ExitCode::FAILURE
        }
    }
}
