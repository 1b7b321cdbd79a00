//! Any bytes, read as a Terraform plan and as saved AWS CLI `describe-*`
//! output, never panic, and every span either reader hands out lies on
//! character boundaries inside the text.
#![no_main]

use cfn_port_rules::SourceFile;
use cfn_port_rules_fuzz::{check_describe_output, check_plan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = SourceFile::from_bytes("fuzz.json", data.to_vec()) {
        check_plan(&source);
        check_describe_output(&source);
    }
});
