//! Issue 16: IAM104 judges a trust that names a whole account without judging every
//! principal of the account for every such role. These check the cases where one
//! principal of many decides: a grant, a conditional Deny, a role session the trust names,
//! a policy that is not in the inventory; each must keep its role quiet, and every other
//! role trusting the account with nobody granted must be reported.

use std::path::Path;

use iamlint::config::Config;
use iamlint::rules::registry;
use serde_json::{json, Value};

const ACCOUNT: &str = "111122223333";

fn policy(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// A dump of `users` users and `roles` roles that all trust the account (by `:root` and
/// by the bare id in turn); the last users carry the cases that keep a role quiet.
fn write_dump(dir: &Path, users: usize, roles: usize) {
    let role_arn = |j: usize| format!("arn:aws:iam::{ACCOUNT}:role/r{j}");
    let user_list: Vec<Value> = (0..users)
        .map(|i| {
            let mut policies = vec![json!({"PolicyName": "self", "PolicyDocument": policy(json!([
                {"Effect": "Allow", "Action": "iam:GetUser", "Resource": format!("arn:aws:iam::{ACCOUNT}:user/u{i}")}
            ]))})];
            let mut attached = Vec::new();
            if i == users - 1 {
                // Granted the last role: it is not a missing grant.
                policies.push(json!({"PolicyName": "switch", "PolicyDocument": policy(json!([
                    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn(roles - 1)}
                ]))}));
            }
            if i == users - 2 {
                // A Deny under a condition: whether the switch works is not known.
                policies.push(json!({"PolicyName": "deny", "PolicyDocument": policy(json!([
                    {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": role_arn(roles - 2),
                     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
                ]))}));
            }
            if i == users - 3 {
                // A managed policy the dump does not hold: it may grant anything.
                attached.push(json!({"PolicyName": "elsewhere", "PolicyArn": format!("arn:aws:iam::{ACCOUNT}:policy/elsewhere")}));
            }
            json!({"Path": "/", "UserName": format!("u{i}"), "Arn": format!("arn:aws:iam::{ACCOUNT}:user/u{i}"),
                   "UserPolicyList": policies, "GroupList": [], "AttachedManagedPolicies": attached})
        })
        .collect();
    let role_list: Vec<Value> = (0..roles)
        .map(|j| {
            let account = if j % 2 == 0 {
                format!("arn:aws:iam::{ACCOUNT}:root")
            } else {
                ACCOUNT.to_owned()
            };
            let principal = if j == roles - 4 {
                // A session of a role of the account, beside the account: it may be any
                // role's caller.
                json!([account, format!("arn:aws:sts::{ACCOUNT}:assumed-role/r0/ci")])
            } else {
                json!(account)
            };
            json!({"Path": "/", "RoleName": format!("r{j}"), "Arn": role_arn(j),
                   "AssumeRolePolicyDocument": policy(json!([
                       {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
                   ])),
                   "RolePolicyList": [], "AttachedManagedPolicies": []})
        })
        .collect();
    let dump = json!({"UserDetailList": user_list, "GroupDetailList": [], "RoleDetailList": role_list, "Policies": []});
    std::fs::create_dir_all(dir.join("dump")).expect("create dump folder");
    std::fs::write(
        dir.join("dump/authorization-details.json"),
        serde_json::to_string_pretty(&dump).expect("serialise dump"),
    )
    .expect("write dump");
}

/// Every rule's findings over the tree at `root`.
fn lint(root: &Path) -> Vec<iamlint::report::Resolved> {
    let root = root.to_path_buf();
    let config = Config {
        root: root.clone(),
        ..Config::default()
    };
    iamlint::lint(std::slice::from_ref(&root), config, registry()).expect("scan runs")
}

#[test]
fn issue16_whole_account_trusts_are_judged_by_the_principals_that_decide() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (users, roles) = (400, 60);
    write_dump(dir.path(), users, roles);
    let results = lint(dir.path());
    let mut reported: Vec<String> = results
        .iter()
        .filter(|r| r.finding.rule == "IAM104")
        .map(|r| r.finding.message.clone())
        .collect();
    reported.sort();
    // The user with a managed policy not in the dump may be granted any role: so every
    // role is quiet.
    assert!(
        reported.is_empty(),
        "a principal whose policies are not all known keeps every role quiet: {reported:?}"
    );
    // Without that user, only the granted role, the conditional Deny's role and the role
    // that names a session stay quiet.
    let dir = tempfile::tempdir().expect("temp dir");
    write_dump(dir.path(), users, roles);
    let dump = dir.path().join("dump/authorization-details.json");
    let mut value: Value =
        serde_json::from_str(&std::fs::read_to_string(&dump).expect("read dump")).expect("json");
    if let Some(u) = value["UserDetailList"].get_mut(users - 3) {
        u["AttachedManagedPolicies"] = json!([]);
    }
    std::fs::write(&dump, value.to_string()).expect("write dump");
    let results = lint(dir.path());
    let quiet = [roles - 1, roles - 2, roles - 4];
    let mut want: Vec<String> = (0..roles)
        .filter(|j| !quiet.contains(j))
        .map(|j| {
            format!("trust policy of `role/r{j}` delegates to account `{ACCOUNT}`, but no user or role of that account is allowed to assume it")
        })
        .collect();
    want.sort();
    let mut got: Vec<String> = results
        .iter()
        .filter(|r| r.finding.rule == "IAM104")
        .map(|r| r.finding.message.clone())
        .collect();
    got.sort();
    assert_eq!(got, want);
}
