//! Terraform JSON: `terraform show -json` plans and state, and `.tf.json` files.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, rest) = common::split(
        data,
        &["infra/tfplan.json", "infra/main.tf.json", "infra/terraform.tfstate"],
    );
    common::scan_as(name, rest);
});
