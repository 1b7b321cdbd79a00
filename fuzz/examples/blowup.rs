//! Prints the shapes a `budget` input decodes to, and the size of the
//! template they render, without linting it (a finding of that target may
//! take minutes or gigabytes):
//!
//!     cargo run --example blowup -- fuzz/artifacts/budget/timeout-…
#![allow(clippy::print_stdout)] // an example's only way to show its result

use arbitrary::{Arbitrary, Unstructured};
use cfn_port_rules_fuzz::model::Blowup;

fn main() {
    for path in std::env::args().skip(1) {
        let data = std::fs::read(&path).expect("readable input");
        let blowup =
            Blowup::arbitrary_take_rest(Unstructured::new(&data)).expect("the input decodes");
        println!("{path}: {} bytes: {blowup:?}", blowup.render().len());
    }
}
