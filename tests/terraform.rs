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

/// A console user created by one plan and the roles created by another: every grant joins
/// its entity only through a reference (`user = aws_iam_user.alice.id`, `role =
/// aws_iam_role.hub.id`, `policy_arn = aws_iam_policy.hop.arn`), so the chain is seen only
/// when references are followed.
#[test]
fn console_chain_across_two_plans_joined_by_references() {
    let dir = PathBuf::from("testdata/sources/terraform/console-chain");
    let config = Config {
        root: dir.clone(),
        ..Config::default()
    };
    let rules: Vec<_> = registry().to_vec();
    let results = iamlint::lint(std::slice::from_ref(&dir), config, &rules).expect("scan runs");
    let [found] = results.as_slice() else {
        panic!("expected one finding, got {results:#?}");
    };
    assert_eq!(found.finding.rule, "IAM201");
    assert_eq!(
        found.primary.path,
        "testdata/sources/terraform/console-chain/platform.tfplan.json"
    );
    assert!(
        found
            .finding
            .message
            .contains("user/alice -> role/hub -> role/target"),
        "{}",
        found.finding.message
    );
    // The login profile (by reference) makes alice a console user; the identity side of
    // each hop is alice's user policy, then the managed policy attached to hub.
    let steps: Vec<(&str, &str)> = found
        .flow
        .iter()
        .map(|(pos, msg)| (pos.path.rsplit('/').next().unwrap_or(""), msg.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("people.tfplan.json", "user/alice signs in to the console"),
            ("people.tfplan.json", "user/alice may assume role/hub"),
            ("platform.tfplan.json", "role/hub trusts user/alice"),
            ("platform.tfplan.json", "role/hub may assume role/target"),
            ("platform.tfplan.json", "role/target trusts role/hub"),
        ],
        "{:#?}",
        found.flow
    );
}
