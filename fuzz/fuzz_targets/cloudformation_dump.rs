//! CloudFormation templates and `get-account-authorization-details` dumps (sniffed by
//! content; the names are neutral).
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, rest) = common::split(
        data,
        &["stacks/iam.template.json", "stacks/template.json", "inventory/authorization-details.json"],
    );
    common::scan_as(name, rest);
});
