//! `--format compact`: `path:line:col: severity[RULE] message`, one line per
//! problem, for editors' error parsers and grep.

use std::io;

use super::{Context, line_items};
use crate::check::FileResult;
use crate::sanitize;

pub(super) fn file(
    out: &mut dyn io::Write,
    result: &FileResult,
    cx: &Context<'_>,
) -> io::Result<()> {
    for item in line_items(result, cx) {
        let message = item.message();
        // Escaped, line breaks included: a record is one line.
        let message = sanitize::inline(&message);
        // The file the item is in (a module's finding may be in any of its
        // files), or the ARN of a deployed resource that is in no file.
        let display = sanitize::inline(item.place(result));
        match item.position() {
            Some(p) => writeln!(
                out,
                "{display}:{}:{}: {}[{}] {message}",
                p.line,
                p.column,
                item.severity(),
                item.code()
            )?,
            None => writeln!(
                out,
                "{display}: {}[{}] {message}",
                item.severity(),
                item.code()
            )?,
        }
    }
    Ok(())
}
