//! Shared texts: labels, notes and step descriptions that repeat across the
//! findings of a large input are one allocation each.

use std::fmt::{self, Write as _};
use std::sync::Arc;

/// Texts written so far, so that equal texts share one allocation.
/// Formatting goes to a reused buffer; only a text not seen before is
/// copied out.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    seen: foldhash::HashSet<Arc<str>>,
    buffer: String,
}

impl Texts {
    /// The text `args` formats to: `texts.get(format_args!("allows {value}"))`.
    pub(crate) fn get(&mut self, args: fmt::Arguments<'_>) -> Arc<str> {
        self.format(args);
        self.share()
    }

    /// The same with its first letter in upper case, to start a sentence.
    pub(crate) fn sentence(&mut self, args: fmt::Arguments<'_>) -> Arc<str> {
        self.format(args);
        if let Some(first) = self.buffer.chars().next() {
            let upper: String = first.to_uppercase().collect();
            self.buffer.replace_range(..first.len_utf8(), &upper);
        }
        self.share()
    }

    fn format(&mut self, args: fmt::Arguments<'_>) {
        self.buffer.clear();
        // Writing to a `String` cannot fail.
        let _ = self.buffer.write_fmt(args);
    }

    /// The buffer's text, shared with an equal one made before.
    fn share(&mut self) -> Arc<str> {
        if let Some(text) = self.seen.get(self.buffer.as_str()) {
            return Arc::clone(text);
        }
        let text: Arc<str> = Arc::from(self.buffer.as_str());
        self.seen.insert(Arc::clone(&text));
        text
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::Texts;

    #[test]
    fn equal_texts_are_one_allocation() {
        let mut texts = Texts::default();
        let name = "Env";
        let first = texts.get(format_args!("parameter `{name}` allows prod"));
        let second = texts.get(format_args!("parameter `{}` allows prod", "Env"));
        let other = texts.get(format_args!("parameter `{name}` allows dev"));
        assert_eq!(&*first, "parameter `Env` allows prod");
        assert!(Arc::ptr_eq(&first, &second));
        assert!(!Arc::ptr_eq(&first, &other));
    }

    #[test]
    fn a_sentence_starts_with_a_capital_letter() {
        let mut texts = Texts::default();
        assert_eq!(
            &*texts.sentence(format_args!("when {}", "`C` holds")),
            "When `C` holds"
        );
        assert_eq!(&*texts.sentence(format_args!("étage")), "Étage");
        assert_eq!(&*texts.sentence(format_args!("")), "");
    }
}
