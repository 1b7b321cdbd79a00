//! `--format github`: GitHub Actions workflow commands, which annotate the
//! lines of a pull request:
//! `::warning file=t.yaml,line=9,col=7,endLine=9,endColumn=11,title=EC-012::message`.

use std::io;

use cfn_port_rules::Severity;

use super::{Context, line_items};
use crate::check::FileResult;
use crate::inputs::Origin;
use crate::sanitize;

pub(super) fn file(
    out: &mut dyn io::Write,
    result: &FileResult,
    cx: &Context<'_>,
) -> io::Result<()> {
    for item in line_items(result, cx) {
        let command = match item.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        // A region of a live audit is in no file of the repository: the
        // annotation goes on the run, its message naming the cluster's ARN
        // (or the region). Otherwise it goes on the file the item is in,
        // which for a module's finding may be any of its files.
        let mut properties = Vec::new();
        if result.origin != Origin::Deployed {
            properties.push(format!(
                "file={}",
                escape_property(&sanitize::inline(item.path(result)))
            ));
        }
        if let Some(start) = item.position() {
            properties.push(format!("line={}", start.line));
            properties.push(format!("col={}", start.column));
            if let Some(end) = item.end(result) {
                properties.push(format!("endLine={}", end.line));
                // GitHub's endColumn is inclusive; the library's end is exclusive.
                if end.line == start.line && end.column > start.column {
                    properties.push(format!("endColumn={}", end.column - 1));
                }
            }
        }
        properties.push(format!("title={}", escape_property(item.code())));
        let message = if result.origin == Origin::Deployed {
            format!("{}: {}", item.place(result), item.message())
        } else {
            item.message().into_owned()
        };
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&sanitize::inline(&message))
        )?;
    }
    Ok(())
}

/// Escapes a command's message (GitHub's `escapeData`). Controls are
/// already escaped by [`sanitize::inline`], so no `\r` or `\n` is left for
/// this to encode; it stays for `%`, which would otherwise be decoded.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (GitHub's `escapeProperty`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
