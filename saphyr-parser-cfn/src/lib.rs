// Copyright 2015, Yuheng Chen.
// Copyright 2023, Ethiraric.
// See the LICENSE file at the top-level directory of this distribution.

//! YAML 1.2 parser implementation in pure Rust.
//!
//! PATCH (cfn-port-lint): this is `saphyr-parser` 0.3.4 forked for AWS
//! `CloudFormation` templates, as `saphyr-parser-cfn`. It accepts the few
//! indentations that libyaml (which `CloudFormation` reads templates with)
//! accepts and YAML 1.2 does not, and scans faster; every change is listed
//! in `PATCHES.md`. For YAML that is not a template, use the upstream
//! `saphyr-parser`.
//!
//! **If you want to load to a YAML Rust structure or manipulate YAML objects, use `saphyr` instead
//! of `saphyr-parser`. This crate contains only the parser.**
//!
//! This is YAML 1.2 parser implementation and low-level parsing API for YAML. It allows users to
//! fetch a stream of YAML events from a stream of characters/bytes.
//!
//! # Features
//! **Note:** With all features disabled, this crate's MSRV is `1.65.0`.
//!
//! #### `debug_prints`
//! Enables the `debug` module and usage of debug prints in the scanner and the parser. Do not
//! enable if you are consuming the crate rather than working on it as this can significantly
//! decrease performance.
//!
//! The MSRV for this feature is `1.70.0`.
//!
//! This feature is _not_ `no_std` compatible.

#![warn(missing_docs, clippy::pedantic)]
// PATCH (cfn-port-lint): with the workspace's rust-version (past 1.88),
// clippy asks for let-chains; upstream's code is kept as written so that
// the next release's `src/` can be compared and patched again.
#![allow(clippy::collapsible_if)]
#![no_std]

#[macro_use]
extern crate alloc;

#[cfg(feature = "debug_prints")]
extern crate std;

mod char_traits;
#[macro_use]
mod debug;
pub mod input;
mod parser;
mod scanner;

pub use crate::input::{BufferedInput, Input, str::StrInput};
pub use crate::parser::{Event, EventReceiver, Parser, SpannedEventReceiver, Tag};
pub use crate::scanner::{Marker, ScalarStyle, ScanError, Span};
