//! `--format compact`: `path:line:col: severity[RULE] message`, one line per
//! problem, for editors' error parsers and grep.

use std::io;

use super::{Context, line_items};
use crate::check::FileResult;

pub(super) fn file(
    out: &mut dyn io::Write,
    result: &FileResult,
    cx: &Context<'_>,
) -> io::Result<()> {
    for item in line_items(result, cx) {
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
    // A byte scan: a `char` pattern decodes UTF-8 and showed up in profiles.
    if !message.bytes().any(|b| matches!(b, b'\n' | b'\r')) {
        return message.into();
    }
    message
        .split(['\n', '\r'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .into()
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn a_message_stays_on_one_line() {
        assert_eq!(one_line("plain é message"), "plain é message");
        assert_eq!(
            one_line("first\nsecond\r\nthird\rfourth"),
            "first second third fourth"
        );
    }
}
