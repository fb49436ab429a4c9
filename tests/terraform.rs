//! Findings inside policies that Terraform holds as JSON strings point at the exact
//! escaped characters in the plan file.

use std::path::PathBuf;

use iamlint::config::Config;
use iamlint::rules::registry;

#[test]
fn finding_inside_a_plan_policy_string_has_the_exact_position() {
    let plan = PathBuf::from("testdata/sources/terraform/plan.json");
    let rule = registry()
        .iter()
        .copied()
        .find(|r| r.id() == "IAM101")
        .expect("IAM101 is registered");
    let results =
        iamlint::lint(std::slice::from_ref(&plan), Config::default(), &[rule]).expect("scan runs");
    let [found] = results.as_slice() else {
        panic!("expected one finding, got {results:#?}");
    };
    let p = &found.primary;
    assert_eq!(p.path, "testdata/sources/terraform/plan.json");
    // `"policy": "{\"Version\":…,\"Resource\":\"*\"}]}"` of aws_iam_policy.switch.
    assert_eq!(p.start, (65, 159));
    assert_eq!(p.end, (65, 164));
    let text = std::fs::read(&plan).expect("fixture exists");
    let range = p.range.clone().expect("a byte range");
    assert_eq!(text.get(range), Some(&br#"\"*\""#[..]));
    assert!(
        found.finding.identity.starts_with("aws_iam_policy.switch#"),
        "{}",
        found.finding.identity
    );
}
