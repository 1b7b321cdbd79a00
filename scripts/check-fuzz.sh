#!/usr/bin/env bash
# Checks that the fuzz targets compile, for CI. The fuzz/ crate is outside
# the workspace (libFuzzer needs nightly-only -Z flags); on the stable
# toolchain RUSTC_BOOTSTRAP=1 lets `cargo check` accept what libfuzzer-sys
# needs. No sanitizer is involved, so cargo-fuzz itself is not required.
#
#   scripts/check-fuzz.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
unset CARGO_TARGET_DIR
export RUSTC_BOOTSTRAP=1
cargo +stable check --locked --bins --lib --tests
cargo +stable test --locked --release --test model
