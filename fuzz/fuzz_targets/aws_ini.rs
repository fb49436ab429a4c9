//! AWS CLI config and credentials: `parse_ini` directly (both kinds), then the file through
//! the whole pipeline.
#![no_main]

#[path = "common.rs"]
mod common;

use iamlint::sources::aws_ini::{looks_like_aws_ini, parse_ini, FileKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = looks_like_aws_ini(text);
        let _ = parse_ini(text, FileKind::Config);
        let _ = parse_ini(text, FileKind::Credentials);
    }
    let (name, rest) = common::split(data, &[".aws/config", ".aws/credentials", "tools/config"]);
    common::scan_as(name, rest);
});
