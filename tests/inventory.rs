//! What iamlint understands of each input format: a snapshot of `iamlint inventory
//! --format json` for the hand-written fixture of every format under testdata/sources.

use std::path::PathBuf;

use iamlint::config::Config;

fn inventory_json(dir: &str) -> String {
    let dir = PathBuf::from("testdata/sources").join(dir);
    let cfg = dir.join(".iamlint.toml");
    let config = if cfg.is_file() {
        Config::load(&cfg).expect("fixture config loads")
    } else {
        Config {
            root: dir.clone(),
            ..Config::default()
        }
    };
    let scan = iamlint::scan(std::slice::from_ref(&dir), config, &[]).expect("scan runs");
    iamlint::inventory_view::json(&scan.inventory)
}

#[test]
fn inventory_of_every_format() {
    for format in ["terraform", "cloudformation", "dumps", "aws-cli", "raw"] {
        let json = inventory_json(format);
        let value: serde_json::Value = serde_json::from_str(&json).expect("inventory is JSON");
        let accounts = value["accounts"].as_object().map_or(0, |a| a.len());
        let profiles = value["profiles"].as_array().map_or(0, |p| p.len());
        assert!(
            accounts + profiles > 0,
            "{format}: nothing understood:\n{json}"
        );
        insta::assert_snapshot!(format!("inventory_{format}"), json);
    }
}
