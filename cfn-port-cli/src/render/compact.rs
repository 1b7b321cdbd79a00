//! `--format compact`: `path:line:col: severity[RULE] message`, one line per
//! problem, for editors' error parsers and grep.

use std::io;

use super::{Context, items};
use crate::check::FileResult;

pub(super) fn file(
    out: &mut dyn io::Write,
    result: &FileResult,
    cx: &Context<'_>,
) -> io::Result<()> {
    for item in items(result, cx) {
        let message = item.message();
        let message = one_line(&message);
        match item.position() {
            Some(p) => writeln!(
                out,
                "{}:{}:{}: {}[{}] {message}",
                result.display,
                p.line,
                p.column,
                item.severity(),
                item.code()
            )?,
            None => writeln!(
                out,
                "{}: {}[{}] {message}",
                result.display,
                item.severity(),
                item.code()
            )?,
        }
    }
    Ok(())
}

/// Line breaks in a message would split a record; make them spaces.
fn one_line(message: &str) -> std::borrow::Cow<'_, str> {
    if !message.contains(['\n', '\r']) {
        return message.into();
    }
    message
        .split(['\n', '\r'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .into()
}
