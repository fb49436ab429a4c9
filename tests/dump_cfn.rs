//! Account dumps and CloudFormation templates end to end: what the fixtures in
//! `testdata/sources/` load into, and that findings inside a URL-encoded dump policy or a
//! resolved CloudFormation intrinsic point at the exact bytes of the value in the file.

use std::path::{Path, PathBuf};

use iamlint::config::Config;
use iamlint::model::inventory::Account;
use iamlint::report::Resolved;
use iamlint::rules::registry;

fn config_at(root: &Path) -> Config {
    Config {
        root: root.to_path_buf(),
        ..Config::default()
    }
}

fn lint(path: &str, config: Config) -> Vec<Resolved> {
    iamlint::lint(&[PathBuf::from(path)], config, registry()).expect("scan runs")
}

/// The bytes a finding points at.
fn pointed_at(r: &Resolved) -> String {
    let text = std::fs::read(&r.primary.path).expect("fixture is readable");
    let range = r.primary.range.clone().expect("finding has a range");
    String::from_utf8(text.get(range).expect("range is inside the file").to_vec())
        .expect("range is text")
}

#[test]
fn finding_inside_a_url_encoded_dump_policy_points_at_the_encoded_value() {
    let dir = "testdata/sources/dumps";
    let results = lint(dir, config_at(Path::new(dir)));
    let found: Vec<_> = results
        .iter()
        .map(|r| (r.finding.rule, r.primary.path.as_str(), pointed_at(r)))
        .collect();
    // `"Resource":"*"` of the `break-glass` policy, percent-encoded: the quotes are `%22`.
    // The v1 version of `AssumeDeployRoles` grants the same but is not the default, and
    // the AWS managed `ReadOnlyAccess` is AWS's: neither is reported.
    assert_eq!(
        found,
        vec![(
            "IAM101",
            "testdata/sources/dumps/444455556666-workloads.json",
            "%22*%22".to_owned()
        )]
    );
    let r = &results[0];
    assert_eq!(r.primary.start.0, 39);
    assert!(
        r.finding.message.contains("on `*`"),
        "{}",
        r.finding.message
    );
}

#[test]
fn finding_inside_a_cloudformation_template_points_at_the_intrinsic() {
    let dir = "testdata/sources/cloudformation";
    let results = lint(dir, config_at(Path::new(dir)));
    let found: Vec<_> = results
        .iter()
        .map(|r| (r.finding.rule, pointed_at(r), r.finding.message.clone()))
        .collect();
    // The `Fn::Join` resolves to `arn:aws:iam::*:role/*`; the finding is on the object
    // that says so. The `Fn::If` action, the unresolved bucket parameter and the
    // `${AWS::Region}` log ARN produce nothing.
    assert_eq!(
        found,
        vec![(
            "IAM101",
            r#"{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::*:role/*"]]}"#
                .to_owned(),
            "grants `sts:AssumeRole` on `arn:aws:iam::*:role/*`: any role in any account that trusts this account".to_owned()
        )]
    );
}

#[test]
fn dumps_of_two_accounts_merge_with_cross_account_trust() {
    let dir = Path::new("testdata/sources/dumps");
    let scan = iamlint::scan(&[dir.to_path_buf()], config_at(dir), &[]).expect("scan runs");
    let inv = &scan.inventory;
    let deploy = inv
        .role_by_arn("arn:aws:iam::444455556666:role/deploy/production-deploy")
        .expect("the workload role is loaded");
    assert_eq!(deploy.account, Account::Known("444455556666".into()));
    assert_eq!(deploy.path, "/deploy/");
    assert_eq!(deploy.max_session_duration, Some(7200));
    let trust = deploy.trust.as_ref().expect("trust policy");
    let principals: Vec<&str> = trust.statements[0]
        .principal
        .as_ref()
        .expect("principal")
        .values()
        .map(|v| v.value)
        .collect();
    assert_eq!(principals, vec!["arn:aws:iam::111122223333:root"]);
    assert!(trust.statements[0].has_condition_key("aws:MultiFactorAuthPresent"));

    let alice = inv
        .users
        .iter()
        .find(|u| u.name == "alice")
        .expect("tooling user");
    assert_eq!(alice.account, Account::Known("111122223333".into()));
    assert_eq!(alice.console, Some(true));
    assert_eq!(alice.groups, vec!["deployers"]);
    let grant = inv
        .managed_policy("arn:aws:iam::111122223333:policy/AssumeDeployRoles")
        .and_then(|p| p.document.as_ref())
        .expect("customer managed policy with its default version");
    assert!(grant.statements[0].covers_resource(&deploy.arn));
    let aws = inv
        .managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .and_then(|p| p.document.as_ref())
        .expect("AWS managed policy");
    assert!(aws.aws_managed);
}

#[test]
fn one_account_split_over_two_dumps_merges() {
    let dir = tempfile::tempdir().expect("temp dir");
    let role = |extra: &str| {
        format!(
            r#"{{"RoleDetailList": [{{"RoleName": "shared", "Path": "/", "Arn": "arn:aws:iam::111122223333:role/shared", {extra}}}]}}"#
        )
    };
    std::fs::write(
        dir.path().join("a.json"),
        role(r#""AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.json"),
        role(r#""RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]"#),
    )
    .expect("write");
    let scan =
        iamlint::scan(&[dir.path().to_path_buf()], config_at(dir.path()), &[]).expect("scan runs");
    assert_eq!(scan.inventory.roles.len(), 1);
    let r = &scan.inventory.roles[0];
    assert!(r.trust.is_some());
    assert_eq!(r.policies.len(), 1);
    assert_eq!(r.defined_at.len(), 2);
}

#[test]
fn cloudformation_entities_take_the_configured_account() {
    let dir = Path::new("testdata/sources/cloudformation");
    let config = Config {
        default_account: Some("444455556666".into()),
        ..config_at(dir)
    };
    let scan = iamlint::scan(&[dir.to_path_buf()], config, &[]).expect("scan runs");
    let inv = &scan.inventory;
    let deploy = inv
        .role_by_arn("arn:aws:iam::444455556666:role/deploy/staging-deploy")
        .expect("role named by Fn::Sub of a parameter default");
    assert_eq!(deploy.max_session_duration, Some(14400));
    assert_eq!(
        deploy.attached,
        vec!["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    );
    // The `AWS::IAM::Policy` attached by `Ref`, with `Fn::GetAtt` resolved to the ARN.
    let policy = deploy.policies.first().expect("inline policy");
    let pass = policy
        .statements
        .iter()
        .find(|s| s.sid.as_deref() == Some("PassOwnRole"))
        .expect("statement");
    assert_eq!(
        *pass.resource.as_ref().expect("resource").values,
        [deploy.arn.as_str()]
    );
    let trust = deploy.trust.as_ref().expect("trust");
    assert_eq!(
        *trust.statements[0]
            .conditions_on("sts:ExternalId")
            .next()
            .expect("external id")
            .values,
        ["staging-deploy"]
    );
    // The CodeBuild role has no name in the template: CloudFormation makes one up.
    let build = inv
        .role_by_arn("arn:aws:iam::444455556666:role/<BuildRole>")
        .expect("stand-in name");
    assert_eq!(build.account, Account::Known("444455556666".into()));
    let manager = inv
        .users
        .iter()
        .find(|u| u.name == "staging-release-manager")
        .expect("user");
    assert_eq!(manager.console, Some(true));
    assert_eq!(manager.groups, vec!["releasers"]);
}
