//! Raw policy documents: the JSON parser, the policy model, the grammar (JSON Schema) and
//! every per-document and graph rule, then positions and reporters.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, rest) = common::split(
        data,
        &[
            "111111111111/roles/app/trust.json",
            "111111111111/roles/app/inline.json",
            "111111111111/users/alice/policy.json",
            "groups/ops/policy.json",
            "bucket-policy.json",
        ],
    );
    common::scan_as(name, rest);
});
