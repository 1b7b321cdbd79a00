//! Placing a Terraform lint's labels for the snapshot tests of module
//! fixtures: `file:line:col`, the file relative to the fixture directory.

use std::fmt::Write as _;

use cfn_port_rules::Label;
use cfn_port_rules::rules::Finding;
use cfn_port_rules::terraform::TerraformReport;

/// `file:line:col` of a label, the file relative to `prefix` (the fixture
/// directory and a slash).
pub fn place(linted: &TerraformReport, prefix: &str, label: &Label) -> String {
    let source = &linted.files[label.file.index()];
    let at = source.line_col(label.span.start);
    let name = source.name().strip_prefix(prefix).unwrap_or(source.name());
    format!("{name}:{}:{}", at.line, at.column)
}

/// A finding's labels, the primary first (`-->`), each placed, then its
/// notes: the lines under the finding's own header line.
pub fn write_labels_and_notes(
    out: &mut String,
    linted: &TerraformReport,
    prefix: &str,
    finding: &Finding,
) {
    for (i, label) in finding.labels.iter().enumerate() {
        let kind = if i == 0 { "-->" } else { "   " };
        writeln!(
            out,
            "  {kind} {}: {}",
            place(linted, prefix, label),
            label.message
        )
        .unwrap();
    }
    for note in &finding.notes {
        writeln!(out, "  note: {note}").unwrap();
    }
}
