//! The graph never claims more than it knows (issue #11, section 3): one case per class a
//! differential comparison with an IAM simulator found, each run through the `iamlint`
//! binary on a temporary tree. Each case checks the edge's verdict in `iamlint graph
//! --format json` and the findings of `iamlint --format json`.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

const A: &str = "111111111111";
const B: &str = "222222222222";

fn write(root: &Path, path: &str, body: &Value) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().expect("file has a parent")).expect("mkdir");
    std::fs::write(full, serde_json::to_vec_pretty(body).expect("JSON")).expect("write file");
}

fn run(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(args)
        .arg("--no-config")
        .arg(dir)
        .output()
        .expect("iamlint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "iamlint panicked:\n{stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The verdict of the edge `from` -> `to`, or `None` when the graph has no such edge. A
/// role `open_to_account` has an implied uncertain edge from every principal of its own
/// account, which the graph does not list.
fn verdict(dir: &Path, from: &str, to: &str) -> Option<String> {
    let graph = run(dir, &["graph", "--format", "json"]);
    let listed = graph["edges"]
        .as_array()
        .expect("edges is a list")
        .iter()
        .find(|e| e["from"] == from && e["to"] == to)
        .map(|e| e["verdict"].as_str().expect("verdict").to_owned());
    let node = |arn: &str| {
        graph["nodes"]
            .as_array()
            .expect("nodes is a list")
            .iter()
            .find(|n| n["arn"] == arn)
            .cloned()
    };
    let implied = match (node(from), node(to)) {
        (Some(p), Some(r)) => {
            r["open_to_account"] == true
                && p["account"]["kind"] == "known"
                && p["account"] == r["account"]
        }
        _ => false,
    };
    listed.or_else(|| implied.then(|| "uncertain".to_owned()))
}

/// Rule ids of the findings, in output order.
fn rules(dir: &Path) -> Vec<String> {
    run(dir, &["--format", "json"])["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_owned())
        .collect()
}

fn user(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:user/{name}")
}

fn role(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

fn policy(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn allow_assume(resource: &str) -> Value {
    policy(json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": resource}]))
}

/// A raw tree: users and roles of `account` in the folder convention.
struct Tree(tempfile::TempDir);

impl Tree {
    fn new() -> Tree {
        Tree(tempfile::tempdir().expect("temp dir"))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn user(self, account: &str, name: &str, grant: Option<&str>) -> Tree {
        let body = match grant {
            Some(res) => allow_assume(res),
            None => policy(
                json!([{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]),
            ),
        };
        write(
            self.path(),
            &format!("{account}/users/{name}/policy.json"),
            &body,
        );
        self
    }

    fn role(self, account: &str, name: &str, trust: Value) -> Tree {
        write(
            self.path(),
            &format!("{account}/roles/{name}/trust.json"),
            &policy(trust),
        );
        self
    }

    fn role_policy(self, account: &str, name: &str, body: Value) -> Tree {
        write(
            self.path(),
            &format!("{account}/roles/{name}/policy.json"),
            &body,
        );
        self
    }
}

fn assume(principal: Value) -> Value {
    json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})
}

#[test]
fn a_trust_deny_on_every_principal_applies_to_every_caller() {
    let (u, r) = (user(A, "u"), role(A, "R"));
    // `{"AWS": "*"}`: an explicit Deny of everyone, beside an Allow of the caller.
    let t = Tree::new().user(A, "u", Some(&r)).role(
        A,
        "R",
        json!([assume(json!({"AWS": u})),
               {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]),
    );
    assert_eq!(verdict(t.path(), &u, &r).as_deref(), Some("denied"));
    // A bare `"Principal": "*"` is one IAM refuses in a trust (IAM303): never "holds".
    let t = Tree::new().user(A, "u", Some(&r)).role(
        A,
        "R",
        json!([assume(json!({"AWS": u})),
               {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]),
    );
    let v = verdict(t.path(), &u, &r);
    assert!(
        matches!(v.as_deref(), Some("denied" | "uncertain")),
        "{v:?}"
    );
    assert!(rules(t.path()).contains(&"IAM303".to_owned()));
}

#[test]
fn a_star_beside_an_account_principal_is_not_forgotten() {
    let (u, r) = (user(A, "u"), role(A, "R"));
    // Same statement and separate statements; the user has no identity-side grant.
    for trust in [
        json!([assume(json!({"AWS": ["*", A]}))]),
        json!([
            assume(json!({"AWS": format!("arn:aws:iam::{A}:root")})),
            assume(json!({"AWS": "*"}))
        ]),
    ] {
        let t = Tree::new().user(A, "u", None).role(A, "R", trust.clone());
        assert_eq!(
            verdict(t.path(), &u, &r).as_deref(),
            Some("uncertain"),
            "{trust}"
        );
        let found = rules(t.path());
        assert!(!found.contains(&"IAM104".to_owned()), "{trust}: {found:?}");
        // A CLI profile chain from a role of the account with no grant: the hop may work
        // through the `"*"` (IAM407 judges the hop itself, as the graph does).
        let t = Tree::new()
            .role(A, "Jump", json!([assume(json!({"AWS": A}))]))
            .role_policy(
                A,
                "Jump",
                policy(
                    json!([{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]),
                ),
            )
            .role(A, "R", trust.clone());
        let config = format!(
            "[profile keys]\nregion = eu-west-1\n\n[profile jump]\nrole_arn = {}\nsource_profile = keys\n\n[profile r]\nrole_arn = {r}\nsource_profile = jump\n",
            role(A, "Jump")
        );
        std::fs::write(t.path().join("config"), config).expect("write config");
        let found = rules(t.path());
        assert!(!found.contains(&"IAM407".to_owned()), "{trust}: {found:?}");
    }
}

#[test]
fn a_caller_admitted_only_by_a_star_trust_gets_an_uncertain_edge() {
    let (u, r) = (user(A, "u"), role(A, "R"));
    for trust in [
        json!([assume(json!({"AWS": "*"}))]),
        json!([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}]),
    ] {
        // No grant: the edge is there (same account), uncertain.
        let t = Tree::new().user(A, "u", None).role(A, "R", trust.clone());
        assert_eq!(
            verdict(t.path(), &u, &r).as_deref(),
            Some("uncertain"),
            "{trust}"
        );
        // A grant from another account: uncertain too, and no IAM103.
        let x = user(B, "x");
        let t = Tree::new()
            .user(B, "x", Some(&r))
            .role(A, "R", trust.clone());
        assert_eq!(
            verdict(t.path(), &x, &r).as_deref(),
            Some("uncertain"),
            "{trust}"
        );
        assert!(!rules(t.path()).contains(&"IAM103".to_owned()));
    }
}

/// The implied edge of a `"*"` trust is seen by the console-chain rule: a console user who
/// reaches Target through Hub may also be admitted by Target's `"*"` directly, so IAM201
/// (which says the console cannot get there) stays silent; with the `"*"` statement gone,
/// it fires. And however many principals and `"*"` roles an account has, the graph lists
/// none of those implied edges.
#[test]
fn a_star_trust_is_seen_by_console_chains_without_listing_its_edges() {
    let (hub, target) = (role(A, "Hub"), role(A, "Target"));
    let named =
        json!({"Effect": "Allow", "Principal": {"AWS": hub.clone()}, "Action": "sts:AssumeRole"});
    let star = json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}});
    let tree = |trust: Value| {
        Tree::new()
            .user(A, "u", Some(&hub))
            .role(A, "Hub", json!([assume(json!({"AWS": user(A, "u")}))]))
            .role_policy(A, "Hub", allow_assume(&target))
            .role(A, "Target", trust)
    };
    let open = tree(json!([named.clone(), star]));
    assert_eq!(
        verdict(open.path(), &user(A, "u"), &target).as_deref(),
        Some("uncertain")
    );
    assert!(!rules(open.path()).contains(&"IAM201".to_owned()));
    let closed = tree(json!([named]));
    assert_eq!(verdict(closed.path(), &user(A, "u"), &target), None);
    assert!(rules(closed.path()).contains(&"IAM201".to_owned()));
    let graph = run(open.path(), &["graph", "--format", "json"]);
    let listed = graph["edges"].as_array().expect("edges is a list");
    assert!(
        !listed
            .iter()
            .any(|e| e["from"] == user(A, "u") && e["to"] == target),
        "{listed:?}"
    );
}

#[test]
fn a_principal_named_only_under_an_unevaluated_condition_is_uncertain_and_not_iam104() {
    let (c, r) = (role(A, "Caller"), role(A, "R"));
    let conditional = json!({"Effect": "Allow", "Principal": {"AWS": c}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": A}}});
    for trust in [
        json!([conditional.clone()]),
        // Beside a statement that names the account: the caller's own ARN may still
        // admit it without a grant (same account), so no missing permission.
        json!([conditional.clone(), assume(json!({"AWS": A}))]),
    ] {
        let t = Tree::new()
            .role(
                A,
                "Caller",
                json!([assume(json!({"Service": "ec2.amazonaws.com"}))]),
            )
            .role_policy(
                A,
                "Caller",
                policy(
                    json!([{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]),
                ),
            )
            .role(A, "R", trust.clone());
        assert_eq!(
            verdict(t.path(), &c, &r).as_deref(),
            Some("uncertain"),
            "{trust}"
        );
        let found = rules(t.path());
        assert!(!found.contains(&"IAM104".to_owned()), "{trust}: {found:?}");
    }
}

#[test]
fn a_principal_in_an_account_iamlint_cannot_resolve_is_never_a_mismatch() {
    // Every spelling of the template's own account in a trust: the pseudo parameter, and
    // the account's root ARN built by `Fn::Sub` (whose `${AWS::AccountId}` holds colons)
    // or `Fn::Join`.
    for own_account in [
        json!({"Ref": "AWS::AccountId"}),
        json!({"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}),
        json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}),
        json!({"Fn::Join": ["", ["arn:aws:iam::", {"Ref": "AWS::AccountId"}, ":root"]]}),
    ] {
        template_account_trust(&own_account);
    }
}

fn template_account_trust(own_account: &serde_json::Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    // A template with no account configured: its own account is `${AWS::AccountId}`.
    write(
        dir.path(),
        "stack/template.json",
        &json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                "Deployer": {
                    "Type": "AWS::IAM::User",
                    "Properties": {
                        "UserName": "deployer",
                        "Policies": [{"PolicyName": "assume", "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                           "Resource": {"Fn::GetAtt": ["Target", "Arn"]}}]}}]
                    }
                },
                "Target": {
                    "Type": "AWS::IAM::Role",
                    "Properties": {
                        "RoleName": "target",
                        "AssumeRolePolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                           "Principal": {"AWS": own_account}}]
                        }
                    }
                }
            }
        }),
    );
    // A user of a known account granted every role: the template's account may be its.
    write(
        dir.path(),
        &format!("{B}/users/x/policy.json"),
        &allow_assume("*"),
    );
    let found = rules(dir.path());
    assert!(
        !found.iter().any(|r| r == "IAM103" || r == "IAM104"),
        "{own_account}: {found:?}"
    );
    let target = "arn:aws:iam::${AWS::AccountId}:role/target";
    // The template's own user: its account is the one the trust names.
    assert_eq!(
        verdict(
            dir.path(),
            "arn:aws:iam::${AWS::AccountId}:user/deployer",
            target
        )
        .as_deref(),
        Some("holds"),
        "{own_account}"
    );
    assert_eq!(
        verdict(dir.path(), &user(B, "x"), target).as_deref(),
        Some("uncertain"),
        "{own_account}"
    );
}

#[test]
fn a_trust_iam_would_reject_is_reported_and_its_edges_are_uncertain() {
    let (u, r) = (user(A, "u"), role(A, "R"));
    let t = Tree::new().user(A, "u", Some(&r)).role(
        A,
        "R",
        json!([assume(json!({"AWS": u})),
               {"Effect": "Allow", "NotPrincipal": {"AWS": user(B, "x")}, "Action": "sts:AssumeRole"}]),
    );
    assert_eq!(verdict(t.path(), &u, &r).as_deref(), Some("uncertain"));
    assert!(rules(t.path()).contains(&"IAM303".to_owned()));
}

#[test]
fn an_effect_in_the_wrong_case_is_reported_and_never_decides_a_verdict() {
    // IAM documents `Effect` as case sensitive, yet AWS's own modules create roles with
    // `"Effect": "allow"`: what such a statement does is not known, on either side.
    let (u, r) = (user(B, "u"), role(A, "R"));
    let lower = |effect: &str, principal: Value| json!([{"Effect": effect, "Principal": principal, "Action": "sts:AssumeRole"}]);
    // The trust's only statement names the caller with `allow`: not "missing-trust".
    let t = Tree::new()
        .user(B, "u", Some(&r))
        .role(A, "R", lower("allow", json!({"AWS": u})));
    assert_eq!(verdict(t.path(), &u, &r).as_deref(), Some("uncertain"));
    let found = rules(t.path());
    assert!(found.contains(&"IAM301".to_owned()), "{found:?}");
    assert!(!found.contains(&"IAM103".to_owned()), "{found:?}");
    // Beside an Allow of the caller, a `deny` of it may apply: not "holds".
    let t = Tree::new().user(B, "u", Some(&r)).role(
        A,
        "R",
        json!([assume(json!({"AWS": u})),
               {"Effect": "deny", "Principal": {"AWS": u}, "Action": "sts:AssumeRole"}]),
    );
    assert_eq!(verdict(t.path(), &u, &r).as_deref(), Some("uncertain"));
    // The trust names the caller, whose only grant says `allow`: not "missing-permission".
    let t = Tree::new()
        .role(A, "R", json!([assume(json!({"AWS": u}))]))
        .user(B, "u", None);
    write(
        t.path(),
        &format!("{B}/users/u/policy.json"),
        &policy(json!([{"Effect": "allow", "Action": "sts:AssumeRole", "Resource": r}])),
    );
    assert_eq!(verdict(t.path(), &u, &r).as_deref(), Some("uncertain"));
    let found = rules(t.path());
    assert!(!found.contains(&"IAM104".to_owned()), "{found:?}");
}

#[test]
fn a_trust_for_another_action_only_is_a_definite_not_trusted() {
    let (u, r) = (user(A, "u"), role(A, "R"));
    let tag_only =
        json!([{"Effect": "Allow", "Principal": {"AWS": u}, "Action": "sts:TagSession"}]);
    // With a grant: missing trust, reported by IAM103.
    let t = Tree::new()
        .user(A, "u", Some(&r))
        .role(A, "R", tag_only.clone());
    assert_eq!(verdict(t.path(), &u, &r).as_deref(), Some("missing-trust"));
    assert!(rules(t.path()).contains(&"IAM103".to_owned()));
    // Without one: still definite, not uncertain.
    let t = Tree::new().user(A, "u", None).role(A, "R", tag_only);
    assert_eq!(verdict(t.path(), &u, &r).as_deref(), Some("missing-trust"));
}

#[test]
fn a_trust_naming_one_session_of_the_caller_role_is_uncertain() {
    // The caller is that session only if it picks that session name: not known here.
    let (c, r) = (role(A, "Caller"), role(A, "R"));
    let session = format!("arn:aws:sts::{A}:assumed-role/Caller/build");
    for effect in ["Allow", "Deny"] {
        let t = Tree::new()
            .role(A, "Caller", json!([assume(json!({"Service": "ec2.amazonaws.com"}))]))
            .role_policy(A, "Caller", allow_assume(&r))
            .role(
                A,
                "R",
                json!([{"Effect": effect, "Principal": {"AWS": session}, "Action": "sts:AssumeRole"},
                       assume(json!({"AWS": A}))]),
            );
        assert_eq!(
            verdict(t.path(), &c, &r).as_deref(),
            Some("uncertain"),
            "{effect}"
        );
    }
}

#[test]
fn a_conditional_identity_deny_keeps_a_trust_alone_edge_uncertain() {
    // Same account, the trust names the user: the trust alone would do, but a Deny of
    // the user's own, under a condition iamlint does not evaluate, may apply.
    let (u, r) = (user(A, "u"), role(A, "R"));
    let t = Tree::new().role(A, "R", json!([assume(json!({"AWS": u}))]));
    write(
        t.path(),
        &format!("{A}/users/u/policy.json"),
        &policy(
            json!([{"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": r,
                        "Condition": {"StringEquals": {"aws:PrincipalAccount": A}}}]),
        ),
    );
    assert_eq!(verdict(t.path(), &u, &r).as_deref(), Some("uncertain"));
}

#[test]
fn one_folder_for_all_roles_places_each_file_but_never_claims_a_missing_grant() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let (deploy, ci, ops) = (role(A, "deploy"), role(B, "ci"), role(B, "ops"));
    let codebuild = json!([assume(json!({"Service": "codebuild.amazonaws.com"}))]);
    // `deploy` (account A) trusts `ci` of account B, which has a policy file granting
    // something else: its managed policies may be elsewhere, so the edge is uncertain
    // and IAM104 silent (in the folder-per-role layout it would be missing-permission).
    write(
        d,
        &format!("accounts/prod-{A}/iam/roles/deploy.trust.json"),
        &policy(json!([assume(json!({"AWS": ci}))])),
    );
    write(
        d,
        &format!("accounts/build-{B}/iam/roles/ci.trust.json"),
        &policy(codebuild.clone()),
    );
    write(
        d,
        &format!("accounts/build-{B}/iam/roles/ci.policy.json"),
        &policy(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])),
    );
    // `ops` (account B) is granted `deploy` by name, which `deploy`'s trust does not admit.
    write(
        d,
        &format!("accounts/build-{B}/iam/roles/ops.trust.json"),
        &policy(codebuild),
    );
    write(
        d,
        &format!("accounts/build-{B}/iam/roles/ops.policy.json"),
        &allow_assume(&deploy),
    );
    assert_eq!(verdict(d, &ci, &deploy).as_deref(), Some("uncertain"));
    assert_eq!(verdict(d, &ops, &deploy).as_deref(), Some("missing-trust"));
    let found = rules(d);
    assert!(found.contains(&"IAM103".to_owned()), "{found:?}");
    assert!(!found.contains(&"IAM104".to_owned()), "{found:?}");
}
