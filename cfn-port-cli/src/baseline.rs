//! Baseline files: today's findings, recorded by fingerprint, so that a
//! team can adopt a rule on a large repository and fail only on new
//! findings. `--write-baseline FILE` records, `--baseline FILE` filters.
//!
//! The file is versioned JSON (schema in the README):
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": "cfn-port-lint",
//!   "fingerprint": "cfnPortLint/v1",
//!   "findings": [
//!     { "fingerprint": "be3b2448128c0c50", "rule": "EC-012", "path": "stacks/app.json",
//!       "resource": "Cache", "line": 10 }
//!   ]
//! }
//! ```
//!
//! Only `fingerprint` is matched; the other fields let a reviewer read the
//! file. A fingerprint recorded twice covers two findings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::check::FileResult;
use crate::fingerprint;

/// The file format's version; bumped when a field is removed or changes meaning.
pub const VERSION: u32 = 1;
/// The kind of fingerprint recorded, the key SARIF uses for the same hash.
pub const FINGERPRINT_KIND: &str = "cfnPortLint/v1";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    tool: String,
    fingerprint: String,
    findings: Vec<Entry>,
}

/// One recorded finding.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fingerprint: String,
    rule: String,
    path: String,
    resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
}

/// A loaded baseline: how many findings each fingerprint still covers.
#[derive(Debug, Default)]
pub struct Baseline {
    remaining: HashMap<String, usize>,
}

impl Baseline {
    /// Reads a baseline file.
    ///
    /// # Errors
    /// When it cannot be read, is not a baseline, or has another version or
    /// kind of fingerprint.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read baseline `{}`", path.display()))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .with_context(|| format!("`{}` is not a baseline file", path.display()))?;
        if file.version != VERSION || file.fingerprint != FINGERPRINT_KIND {
            bail!(
                "baseline `{}` has version {} and fingerprints `{}`; this tool reads version \
                 {VERSION} with `{FINGERPRINT_KIND}`: write it again with --write-baseline",
                path.display(),
                file.version,
                file.fingerprint
            );
        }
        let mut remaining = HashMap::new();
        for entry in file.findings {
            *remaining.entry(entry.fingerprint).or_insert(0) += 1;
        }
        Ok(Self { remaining })
    }

    /// Takes the findings of `result` that the baseline covers out of it,
    /// and counts them in `result.baselined`.
    pub fn absorb(&mut self, result: &mut FileResult, cwd: &Path) {
        if !result.active_findings().any(|_| true) {
            return;
        }
        let fingerprints = fingerprint::of_findings(result, cwd);
        let mut keep =
            fingerprints
                .iter()
                .map(|fingerprint| match self.remaining.get_mut(fingerprint) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        false
                    }
                    _ => true,
                });
        let before = result.report.findings.len();
        // Suppressed findings stay: they are reported as suppressed, not as new.
        result
            .report
            .findings
            .retain(|finding| keep.next().unwrap_or(true) || finding.suppressed.is_some());
        result.baselined += before - result.report.findings.len();
    }
}

/// The findings a run records with `--write-baseline`.
#[derive(Debug, Default)]
pub struct Recorder {
    entries: Vec<Entry>,
}

impl Recorder {
    /// Records the active findings of `result`.
    pub fn record(&mut self, result: &FileResult, cwd: &Path) {
        let fingerprints = fingerprint::of_findings(result, cwd);
        for (finding, fingerprint) in result.report.findings.iter().zip(fingerprints) {
            if finding.suppressed.is_some() {
                continue;
            }
            self.entries.push(Entry {
                fingerprint,
                rule: finding.rule.to_string(),
                path: result.display.clone(),
                resource: finding.resource.clone(),
                line: finding.location.map(|l| l.start.line),
            });
        }
    }

    /// How many findings are recorded.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the baseline file.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(self, path: &Path) -> Result<()> {
        let file = BaselineFile {
            version: VERSION,
            tool: "cfn-port-lint".to_string(),
            fingerprint: FINGERPRINT_KIND.to_string(),
            findings: self.entries,
        };
        let mut text = serde_json::to_string_pretty(&file)?;
        text.push('\n');
        std::fs::write(path, text)
            .with_context(|| format!("could not write baseline `{}`", path.display()))
    }
}

/// What a run does with baselines.
#[derive(Debug)]
pub enum Mode {
    /// No baseline: every finding is reported.
    Off,
    /// `--baseline`: findings it records are taken out and counted.
    Filter(Baseline),
    /// `--write-baseline`: every finding is recorded to the file, and
    /// counted as baselined from now on.
    Record(Recorder, PathBuf),
}

impl Mode {
    /// The mode the flags ask for (they exclude each other).
    ///
    /// # Errors
    /// When the baseline to filter with cannot be read.
    pub fn new(baseline: Option<&Path>, write: Option<&Path>) -> Result<Self> {
        Ok(match (baseline, write) {
            (_, Some(path)) => Mode::Record(Recorder::default(), path.to_path_buf()),
            (Some(path), None) => Mode::Filter(Baseline::load(path)?),
            (None, None) => Mode::Off,
        })
    }

    /// Applies the mode to one file's result before it is counted and shown.
    pub fn apply(&mut self, result: &mut FileResult, cwd: &Path) {
        match self {
            Mode::Off => {}
            Mode::Filter(baseline) => baseline.absorb(result, cwd),
            Mode::Record(recorder, _) => {
                recorder.record(result, cwd);
                result.baselined += result.active_findings().count();
                result.report.findings.retain(|f| f.suppressed.is_some());
            }
        }
    }

    /// Writes the recorded baseline, and says what was written.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn finish(self) -> Result<Option<String>> {
        let Mode::Record(recorder, path) = self else {
            return Ok(None);
        };
        let count = recorder.len();
        recorder.write(&path)?;
        Ok(Some(format!(
            "recorded {count} finding{} in the baseline `{}`",
            if count == 1 { "" } else { "s" },
            path.display()
        )))
    }
}
