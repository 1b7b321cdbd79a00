//! Any bytes, read as a `.yaml` and as a `.json` file, parse and lint without
//! a panic, within the default limits, and every span the library hands out
//! lies on character boundaries inside the text.
#![no_main]

use cfn_port_rules::SourceFile;
use cfn_port_rules_fuzz::parse_and_lint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.yaml", "fuzz.json"] {
        match SourceFile::from_bytes(name, data.to_vec()) {
            Ok(source) => {
                parse_and_lint(&source);
            }
            Err(diagnostic) => {
                // An encoding error is about the bytes: it has a position
                // exactly when it has a label.
                assert_eq!(
                    diagnostic.position.is_some(),
                    !diagnostic.labels.is_empty(),
                    "{diagnostic}"
                );
            }
        }
    }
});
