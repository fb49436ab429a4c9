//! CloudFormation YAML templates: `is_yaml_template` on the text, then the file through the
//! whole pipeline under a YAML name (the YAML front end, aliases, tags, places).
#![no_main]

#[path = "common.rs"]
mod common;

use iamlint::sources::cloudformation::is_yaml_template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = is_yaml_template(text);
    }
    let (name, rest) = common::split(
        data,
        &["stacks/iam.yaml", "stacks/sam/template.yml", "stacks/iam.template"],
    );
    common::scan_as(name, rest);
});
