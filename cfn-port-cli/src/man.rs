//! The man page: clap_mangen's sections for the flags, then the sections a
//! man page reader looks for (EXIT STATUS, ENVIRONMENT, FILES, …), written
//! with `roff`, which escapes the text. Only pages that exist are named.

use std::io;

use clap::CommandFactory;
use roff::{Roff, bold, italic, roman};

use crate::args::Cli;

/// The whole page, in roff.
///
/// # Errors
/// Only if writing to memory fails.
pub fn page() -> io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(Cli::command());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    // clap_mangen's SUBCOMMANDS section names a page per subcommand
    // (`cfn-port-lint-explain(1)`), and there are none.
    let mut roff = Roff::new();
    subcommands(&mut roff);
    exit_status(&mut roff);
    environment(&mut roff);
    files(&mut roff);
    suppressions(&mut roff);
    examples(&mut roff);
    see_also(&mut roff);
    roff.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// A `.TP` entry: a tag line, then its paragraph.
fn entry(roff: &mut Roff, tag: Vec<roff::Inline>, text: &str) {
    roff.control("TP", []).text(tag).text([roman(text)]);
}

fn subcommands(roff: &mut Roff) {
    roff.control("SH", ["SUBCOMMANDS"]);
    let commands = [
        (
            "explain",
            Some("RULE"),
            "Show a rule's full documentation: what it finds, why, an example and the fix.",
        ),
        (
            "completions",
            Some("SHELL"),
            "Print a completion script for bash, zsh, fish, elvish or powershell.",
        ),
        ("man", None, "Print this page."),
    ];
    for (name, argument, text) in commands {
        let mut tag = vec![bold(format!("cfn-port-lint {name}"))];
        if let Some(argument) = argument {
            tag.push(roman(" "));
            tag.push(italic(argument));
        }
        entry(roff, tag, text);
    }
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    entry(
        roff,
        vec![bold("0")],
        "No finding at or above the fail level.",
    );
    entry(
        roff,
        vec![bold("1")],
        "At least one finding, or warning about an input, at or above the fail level \
         (--fail-level, default warning). --exit-zero turns this into 0.",
    );
    entry(
        roff,
        vec![bold("2")],
        "A usage error (a bad flag, config file, rule, parameter file or baseline), or an input \
         that could not be read or parsed. It wins over 1, and --exit-zero keeps it.",
    );
}

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman(
        "With --color auto (the default), colour is used when stdout is a terminal, unless:",
    )]);
    let variables = [
        (
            "FORCE_COLOR",
            "Set and not empty: colour even into a pipe or file (CI logs render it).",
        ),
        (
            "CLICOLOR_FORCE",
            "Set, not empty and not 0: the same as FORCE_COLOR.",
        ),
        ("NO_COLOR", "Set and not empty: no colour."),
        ("TERM", "dumb: no colour."),
        ("CLICOLOR", "0: no colour."),
    ];
    for (name, text) in variables {
        entry(roff, vec![bold(name)], text);
    }
    roff.control("PP", []).text([roman(
        "The variables that force colour win over those that turn it off; --color always or never wins over all of them.",
    )]);
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    entry(
        roff,
        vec![bold(".cfn-port-lint.toml")],
        "The configuration, looked for in the working directory and then in each parent up to the \
         repository root (the directory with .git); the first found is used. A found file that is a \
         symbolic link or resolves outside the repository is refused. --config FILE names another, \
         --no-config ignores it. Keys: fail-level, \
         exclude (globs; one with a / is relative to the file's directory), max-file-size (at most \
         256 MiB), \
         [rules] enable and disable, [rules.severity], [parameters], [variables] (Terraform). \
         An unknown key is an error. \
         Flags win over the file.",
    );
    entry(
        roff,
        vec![italic("baseline file")],
        "Written by --write-baseline FILE and read by --baseline FILE: versioned JSON listing \
         findings by fingerprint (rule, path, resource, property path; no line number).",
    );
}

fn suppressions(roff: &mut Roff) {
    roff.control("SH", ["SUPPRESSIONS"]);
    roff.text([roman(
        "A finding is suppressed, with a reason that is kept for audit, by a YAML comment on the \
         resource's line or in the comment block above it:",
    )]);
    roff.control("IP", []).text([bold(
        "# cfn-port-lint: ignore EC-012 reachable only from the VPN",
    )]);
    roff.control("PP", []).text([roman(
        "or in the Metadata of the resource, or of the template for every resource:",
    )]);
    roff.control("IP", []).text([bold(
        "Metadata: {cfn-port-lint: {ignore: [{rule: EC-012, reason: dev account}]}}",
    )]);
    roff.control("PP", []).text([roman(
        "A suppression without a reason, for an unknown rule or that matches nothing is a warning. \
         --show-suppressed lists suppressed findings.",
    )]);
}

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    let examples = [
        (
            "cfn-port-lint stacks/ 'cdk.out/*.template.json'",
            "Lint a directory and a quoted glob pattern.",
        ),
        (
            "cfn-port-lint -f human -f sarif=results.sarif .",
            "Show findings and write SARIF in one run.",
        ),
        (
            "cfn-port-lint --write-baseline baseline.json .",
            "Record today's findings; later runs with --baseline baseline.json report only new ones.",
        ),
        (
            "cdk synth && cfn-port-lint cdk.out",
            "Lint the templates of a CDK app.",
        ),
        (
            "cfn-port-lint --region eu-west-1 -p Env=prod stack.yaml",
            "Evaluate with a region and a parameter value.",
        ),
    ];
    for (command, text) in examples {
        entry(roff, vec![bold(command)], text);
    }
}

fn see_also(roff: &mut Roff) {
    roff.control("SH", ["SEE ALSO"]);
    let rule_pages: Vec<String> = cfn_port_rules::rules::all()
        .iter()
        .map(|rule| format!("{} {}", rule.meta().id, rule.meta().help_uri))
        .collect();
    roff.text([roman(format!(
        "cfn-port-lint explain RULE for each rule's documentation, and the rules' references: {}. \
         The README: {}",
        rule_pages.join(", "),
        env!("CARGO_PKG_REPOSITORY"),
    ))]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_has_the_sections_readers_look_for_and_names_no_missing_page() {
        let page = String::from_utf8(page().unwrap()).unwrap();
        for section in [
            "NAME",
            "SYNOPSIS",
            "OPTIONS",
            "SUBCOMMANDS",
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
            "SUPPRESSIONS",
            "EXAMPLES",
            "SEE ALSO",
        ] {
            let heading = if section.contains(' ') {
                format!(".SH \"{section}\"\n")
            } else {
                format!(".SH {section}\n")
            };
            assert!(page.contains(&heading), "no {section} section");
        }
        // The page's own title is the only `(1)`: no cfn-port-lint-explain(1).
        assert!(
            !page.contains("(1)"),
            "names a man page that does not exist"
        );
        assert!(page.contains(".TH cfn-port-lint 1"));
    }
}
