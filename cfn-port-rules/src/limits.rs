//! Bounds on input size and shape, so hostile input costs bounded time and memory.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, DiagnosticKind};

/// Bounds applied while parsing and evaluating. Each is checked before the
/// work it bounds, and exceeding one is a [`Diagnostic`], never a crash.
///
/// Start from [`Limits::default`] and change what you need with the
/// `with_*` methods; more limits may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Limits {
    /// Largest file accepted, in bytes. CloudFormation itself accepts at most
    /// 1 MB; the default leaves room for pre-transform SAM and CDK output.
    pub max_file_size: usize,
    /// Deepest nesting of mappings and sequences accepted. Real templates
    /// rarely pass 20 levels.
    pub max_depth: usize,
    /// Most nodes (scalars, mappings, sequences, aliases) in one document.
    pub max_nodes: usize,
    /// Most possibilities the evaluator keeps for one value before it
    /// answers "unknown: too many combinations".
    pub max_possibilities: usize,
}

impl Limits {
    /// Default for [`Limits::max_file_size`]: 16 MiB.
    pub const DEFAULT_MAX_FILE_SIZE: usize = 16 * 1024 * 1024;
    /// Default for [`Limits::max_depth`].
    pub const DEFAULT_MAX_DEPTH: usize = 128;
    /// Default for [`Limits::max_nodes`].
    pub const DEFAULT_MAX_NODES: usize = 4_000_000;
    /// Default for [`Limits::max_possibilities`].
    pub const DEFAULT_MAX_POSSIBILITIES: usize = 256;

    /// Sets [`Limits::max_file_size`], in bytes.
    #[must_use]
    pub const fn with_max_file_size(mut self, bytes: usize) -> Self {
        self.max_file_size = bytes;
        self
    }

    /// Sets [`Limits::max_depth`].
    #[must_use]
    pub const fn with_max_depth(mut self, levels: usize) -> Self {
        self.max_depth = levels;
        self
    }

    /// Sets [`Limits::max_nodes`].
    #[must_use]
    pub const fn with_max_nodes(mut self, nodes: usize) -> Self {
        self.max_nodes = nodes;
        self
    }

    /// Sets [`Limits::max_possibilities`].
    #[must_use]
    pub const fn with_max_possibilities(mut self, possibilities: usize) -> Self {
        self.max_possibilities = possibilities;
        self
    }

    /// A diagnostic when `len` bytes exceed [`Limits::max_file_size`].
    #[must_use]
    pub fn check_size(&self, len: usize) -> Option<Diagnostic> {
        (len > self.max_file_size).then(|| file_too_large(len, self.max_file_size))
    }
}

/// The diagnostic for a file over the size limit, for front ends that check
/// the size before reading.
#[must_use]
pub fn file_too_large(len: usize, max: usize) -> Diagnostic {
    Diagnostic::file_error(
        DiagnosticKind::FileTooLarge,
        format!("the file is {len} bytes, more than the limit of {max} bytes"),
    )
    .with_note("CloudFormation accepts templates of at most 1 MB")
    .with_help("raise the limit with `--max-file-size` if this file really is a template")
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_size: Self::DEFAULT_MAX_FILE_SIZE,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_nodes: Self::DEFAULT_MAX_NODES,
            max_possibilities: Self::DEFAULT_MAX_POSSIBILITIES,
        }
    }
}
