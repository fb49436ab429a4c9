//! A wildcard grant that matches many roles (`arn:aws:iam::*:role/spoke-*`, held by a hub's
//! humans) pairs its holders with its roles as implied edges, and so does a plain grant
//! of a principal whose side is the same towards every role (issue 16): the rules that
//! read the graph must see them as they saw listed edges. A console identity's chain
//! through a role of the grant (IAM201), a console role name too long (IAM204), a trust no
//! grant answers (IAM104), a literal grant the trust does not answer (IAM103) and a console
//! grant of a role that requires an ExternalId (IAM202) are reported; the roles the grants
//! answer are not.

use std::path::Path;

use iamlint::config::Config;
use iamlint::graph::{HolderSide, Verdict};
use iamlint::rules::registry;
use serde_json::{json, Value};

const HUB: &str = "111111111111";
const SPOKE: &str = "222222222222";
const OTHER: &str = "444444444444";
/// More roles than a pattern's prefix may leave before it counts as wide (64).
const SPOKES: usize = 80;
const LONG: &str = "spoke-with-a-name-far-too-long-for-the-console-switch-role-form-x";

fn policy(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn user(name: &str, console: bool, statement: Value) -> Value {
    let mut u = json!({"Path": "/", "UserName": name, "Arn": format!("arn:aws:iam::{HUB}:user/{name}"),
        "UserPolicyList": [{"PolicyName": "switch", "PolicyDocument": policy(json!([statement]))}],
        "GroupList": [], "AttachedManagedPolicies": []});
    if console {
        u["LoginProfile"] = json!({"UserName": name, "CreateDate": "2026-01-01T00:00:00Z"});
    }
    u
}

/// `user` with a second statement in its policy.
fn user_with(name: &str, console: bool, statement: Value, second: Value) -> Value {
    let mut u = user(name, console, statement);
    u["UserPolicyList"][0]["PolicyDocument"]["Statement"]
        .as_array_mut()
        .expect("statements")
        .push(second);
    u
}

fn role(account: &str, name: &str, principal: Value, policies: Value) -> Value {
    json!({"Path": "/", "RoleName": name, "Arn": format!("arn:aws:iam::{account}:role/{name}"),
        "AssumeRolePolicyDocument": policy(json!([
            {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
        ])),
        "RolePolicyList": policies, "AttachedManagedPolicies": []})
}

fn dump(dir: &Path, name: &str, users: Vec<Value>, roles: Vec<Value>) {
    let dump = json!({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": []});
    std::fs::create_dir_all(dir.join(name)).expect("create folder");
    std::fs::write(
        dir.join(name).join("authorization-details.json"),
        serde_json::to_string_pretty(&dump).expect("serialise"),
    )
    .expect("write dump");
}

/// Writes a CloudFormation template of `resources` as `dir/name`.
fn template(dir: &Path, name: &str, resources: Value) {
    std::fs::write(
        dir.join(name),
        serde_json::to_string_pretty(&json!({"Resources": resources})).expect("serialise"),
    )
    .expect("write template");
}

fn write_org(dir: &Path) {
    let pattern = "arn:aws:iam::*:role/spoke-*";
    let grant = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": pattern});
    let conditional = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": pattern,
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}});
    // Of another account, with a managed policy no dump holds: ivan's side towards the
    // roles his own policy grants is still `Allowed`, and the spokes do not trust him. (In
    // the hub, a principal whose policies are not all known would silence IAM104 there.)
    let mut ivan = user("ivan", false, grant.clone());
    ivan["Arn"] = json!(format!("arn:aws:iam::{OTHER}:user/ivan"));
    ivan["AttachedManagedPolicies"] = json!([
        {"PolicyName": "Elsewhere", "PolicyArn": format!("arn:aws:iam::{OTHER}:policy/Elsewhere")}
    ]);
    dump(dir, "other", vec![ivan], vec![]);
    dump(
        dir,
        "hub",
        vec![
            user("alice", true, grant.clone()),
            // A condition makes his edges uncertain, never holding.
            user("bob", true, conditional),
            // No evidence of console use either way.
            user("carol", false, grant),
            // Grants by ARN: light edges.
            user(
                "dave",
                false,
                json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": [
                    format!("arn:aws:iam::{SPOKE}:role/literal-only"),
                    format!("arn:aws:iam::{SPOKE}:role/no-trust"),
                    format!("arn:aws:iam::{SPOKE}:role/vendor"),
                ]}),
            ),
            user(
                "erin",
                true,
                json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{SPOKE}:role/vendor")}),
            ),
        ],
        vec![],
    );
    let hub_root = json!(format!("arn:aws:iam::{HUB}:root"));
    let mut roles: Vec<Value> = (0..SPOKES)
        .map(|j| {
            // Both spellings of the whole account.
            let principal = if j % 2 == 0 {
                hub_root.clone()
            } else {
                json!(HUB)
            };
            role(SPOKE, &format!("spoke-{j}"), principal, json!([]))
        })
        .collect();
    roles.push(role(SPOKE, LONG, hub_root.clone(), json!([])));
    // The next hop of a chain: the console cannot follow it.
    roles.push(role(
        SPOKE,
        "spoke-jump",
        hub_root.clone(),
        json!([{"PolicyName": "on", "PolicyDocument": policy(json!([
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{SPOKE}:role/target")}
        ]))}]),
    ));
    roles.push(role(
        SPOKE,
        "target",
        json!(format!("arn:aws:iam::{SPOKE}:role/spoke-jump")),
        json!([]),
    ));
    // A trust naming a session beside the account is judged per caller: listed edges.
    roles.push(role(
        SPOKE,
        "spoke-session",
        json!([
            hub_root.clone(),
            format!("arn:aws:sts::{HUB}:assumed-role/ci/build")
        ]),
        json!([]),
    ));
    // Trusts the hub, but the hub's grant does not match it.
    roles.push(role(SPOKE, "orphan", hub_root.clone(), json!([])));
    // Granted to dave by ARN only.
    roles.push(role(SPOKE, "literal-only", hub_root.clone(), json!([])));
    roles.push(role(SPOKE, "no-trust", json!("333333333333"), json!([])));
    let mut vendor = role(SPOKE, "vendor", hub_root, json!([]));
    vendor["AssumeRolePolicyDocument"]["Statement"][0]["Condition"] =
        json!({"StringEquals": {"sts:ExternalId": "xyz"}});
    roles.push(vendor);
    dump(dir, "spoke", vec![], roles);
}

/// Scans `dir` with the default configuration.
fn scan(dir: &Path) -> iamlint::Scan {
    let root = dir.to_path_buf();
    iamlint::scan(std::slice::from_ref(&root), config(dir), &[]).expect("scan runs")
}

/// Lints `dir` with every rule and the default configuration.
fn lint(dir: &Path) -> Vec<iamlint::report::Resolved> {
    let root = dir.to_path_buf();
    iamlint::lint(std::slice::from_ref(&root), config(dir), registry()).expect("scan runs")
}

fn config(dir: &Path) -> Config {
    Config {
        root: dir.to_path_buf(),
        ..Config::default()
    }
}

/// Each wide group's number of holders, and whether their grants are conditional.
fn group_shapes(g: &iamlint::graph::Graph) -> Vec<(usize, HolderSide)> {
    g.wide_groups()
        .iter()
        .map(|group| (group.holders.len(), group.side))
        .collect()
}

fn messages(results: &[iamlint::report::Resolved], rule: &str) -> Vec<String> {
    let mut m: Vec<String> = results
        .iter()
        .filter(|r| r.finding.rule == rule)
        .map(|r| r.finding.message.clone())
        .collect();
    m.sort();
    m
}

#[test]
fn wide_grants_reach_the_rules_through_implied_edges() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_org(dir.path());
    let scan = scan(dir.path());
    let g = &scan.graph;
    // alice, carol and ivan hold the pattern as a group; bob, whose grant has a
    // condition, as another.
    let groups = group_shapes(g);
    assert_eq!(
        groups,
        [(3, HolderSide::Allowed), (1, HolderSide::AllowedIf)]
    );
    let implied = g.edge_count() - g.edges.len();
    // Light: the four's into spoke-session (a trust that names a session is judged per
    // pair), dave's three, erin's one, spoke-jump's (its trust names it).
    assert_eq!(g.light_edges().len(), 4 + 4 + 1);
    assert_eq!(
        implied,
        4 * (SPOKES + 2) + 9,
        "alice's, bob's, carol's and ivan's edges into spoke-*, and the light ones"
    );
    assert!(g.edges.is_empty(), "{:?}", g.edges);
    for e in g.implied_edges(&scan.inventory) {
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
    }
    // Where alice's switch holds, bob's condition makes his uncertain; ivan's account is
    // not trusted.
    let node = |arn: String| g.node_by_arn(&arn).expect("node");
    let spoke = node(format!("arn:aws:iam::{SPOKE}:role/spoke-0"));
    for (account, user, verdict) in [
        (HUB, "alice", Verdict::Holds),
        (HUB, "bob", Verdict::Uncertain),
        (OTHER, "ivan", Verdict::MissingTrust),
    ] {
        let from = node(format!("arn:aws:iam::{account}:user/{user}"));
        assert_eq!(g.verdict_between(from, spoke), Some(verdict), "{user}");
    }

    let results = lint(dir.path());
    assert_eq!(
        messages(&results, "IAM104"),
        vec![format!("trust policy of `role/orphan` delegates to account `{HUB}`, but no user or role of that account is allowed to assume it")]
    );
    assert_eq!(
        messages(&results, "IAM201"),
        vec!["console identity `user/alice` (and 1 other console identity) reaches `role/target` only by chaining user/alice -> role/spoke-jump -> role/target: the console switches roles with the original identity and cannot chain".to_owned()]
    );
    assert_eq!(
        messages(&results, "IAM103"),
        vec![format!("`user/dave` is allowed to assume `role/no-trust`, but the role's trust policy does not trust `arn:aws:iam::{HUB}:user/dave` or its account `{HUB}`")]
    );
    assert_eq!(
        messages(&results, "IAM202"),
        ["dave", "erin"].map(|u| format!("`role/vendor` requires `sts:ExternalId`, which the console cannot pass, yet console identity `user/{u}` is granted it")).to_vec()
    );
    assert_eq!(
        messages(&results, "IAM204"),
        vec![format!("`{LONG}` is {} characters, over the console's 64; `user/alice` cannot switch to it in the console", LONG.len())]
    );
}

/// One CI role per account holds `arn:aws:iam::*:role/deploy-*`, and every account's
/// deploy roles trust their own account (one also trusts the next account): the group's
/// holders are of many accounts, so each role is judged for the accounts its trust names
/// and once for all the others, never once per account. Every implied edge must have the
/// verdict its full judgment gives.
#[test]
fn a_wide_grant_held_in_many_accounts_is_judged_per_named_account() {
    const ACCOUNTS: usize = 12;
    const DEPLOYS: usize = 6;
    let dir = tempfile::tempdir().expect("temp dir");
    let account = |k: usize| format!("3{k:011}");
    for k in 0..ACCOUNTS {
        let mut roles = vec![role(
            &account(k),
            "ci",
            json!(format!("arn:aws:iam::{}:root", account(k))),
            json!([{"PolicyName": "deploy", "PolicyDocument": policy(json!([
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/deploy-*"}
            ]))}]),
        )];
        for j in 0..DEPLOYS {
            let principal = if j == 0 {
                json!([
                    format!("arn:aws:iam::{}:root", account(k)),
                    account((k + 1) % ACCOUNTS)
                ])
            } else {
                json!(format!("arn:aws:iam::{}:root", account(k)))
            };
            roles.push(role(
                &account(k),
                &format!("deploy-{j}"),
                principal,
                json!([]),
            ));
        }
        dump(dir.path(), &format!("a{k}"), vec![], roles);
    }
    let scan = scan(dir.path());
    let g = &scan.graph;
    assert_eq!(g.wide_groups().len(), 1);
    assert_eq!(g.edge_count(), ACCOUNTS * ACCOUNTS * DEPLOYS);
    let mut holds = 0;
    for e in g.implied_edges(&scan.inventory) {
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
        holds += usize::from(e.verdict == Verdict::Holds);
    }
    // Each CI role reaches its own account's deploy roles, and the next account's first.
    assert_eq!(holds, ACCOUNTS * (DEPLOYS + 1));
}

/// The hub's humans each hold the same long list of role ARNs (more than 64, none a
/// pattern), one of them beside a `Deny`: the simple holders and the roles judged by
/// account make one group, kept once whatever the number of holders, whose pairs name
/// their roles exactly. The rules that read grants that name a role (IAM103, IAM202) see
/// its pairs as they saw light edges, and so do the chain (IAM201) and name (IAM204) rules.
#[test]
fn a_long_list_of_arns_held_by_many_is_one_group() {
    let dir = tempfile::tempdir().expect("temp dir");
    let arn = |name: &str| format!("arn:aws:iam::{SPOKE}:role/{name}");
    let mut names: Vec<String> = (0..SPOKES).map(|j| format!("listed-{j}")).collect();
    names.extend(["vendor", "no-trust", "jump", LONG].map(str::to_owned));
    let list: Vec<String> = names.iter().map(|n| arn(n)).collect();
    let grant = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": list});
    let harry = user_with(
        "harry",
        true,
        grant.clone(),
        json!({"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": arn("listed-0")}),
    );
    dump(
        dir.path(),
        "hub",
        vec![
            user("frank", true, grant.clone()),
            user("gina", false, grant),
            harry,
        ],
        vec![],
    );
    let hub_root = json!(format!("arn:aws:iam::{HUB}:root"));
    let mut roles: Vec<Value> = names
        .iter()
        .filter(|n| !["vendor", "no-trust", "jump"].contains(&n.as_str()))
        .map(|n| role(SPOKE, n, hub_root.clone(), json!([])))
        .collect();
    let mut vendor = role(SPOKE, "vendor", hub_root.clone(), json!([]));
    vendor["AssumeRolePolicyDocument"]["Statement"][0]["Condition"] =
        json!({"StringEquals": {"sts:ExternalId": "xyz"}});
    roles.push(vendor);
    roles.push(role(SPOKE, "no-trust", json!("333333333333"), json!([])));
    roles.push(role(
        SPOKE,
        "jump",
        hub_root.clone(),
        json!([{"PolicyName": "on", "PolicyDocument": policy(json!([
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": arn("target")}
        ]))}]),
    ));
    roles.push(role(SPOKE, "target", json!(arn("jump")), json!([])));
    roles.push(role(SPOKE, "orphan", hub_root, json!([])));
    dump(dir.path(), "spoke", vec![], roles);

    let scan = scan(dir.path());
    let g = &scan.graph;
    let groups = g.wide_groups();
    assert_eq!(groups.len(), 1);
    assert!(groups[0].literal);
    let holders: Vec<&str> = groups[0]
        .holders
        .iter()
        .map(|&h| g.nodes[h].label.as_str())
        .collect();
    assert_eq!(holders, ["user/frank", "user/gina"]);
    // Every role of the list: each trust judges the hub's callers by their account.
    assert_eq!(groups[0].roles.len(), names.len());
    // The one light edge: jump's grant of target.
    assert_eq!(g.light_edges().len(), 1, "{:?}", g.light_edges());
    // harry's `Deny` makes each of his pairs listed, judged in full.
    assert_eq!(
        g.edges
            .iter()
            .filter(|e| g.nodes[e.from].label == "user/harry")
            .count(),
        names.len()
    );
    for e in g.implied_edges(&scan.inventory) {
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
        assert!(
            matches!(
                e.identity,
                iamlint::graph::IdentitySide::Allowed { literal: true, .. }
            ),
            "{:?}",
            e.identity
        );
    }

    let results = lint(dir.path());
    assert_eq!(
        messages(&results, "IAM103"),
        ["frank", "gina", "harry"].map(|u| format!("`user/{u}` is allowed to assume `role/no-trust`, but the role's trust policy does not trust `arn:aws:iam::{HUB}:user/{u}` or its account `{HUB}`")).to_vec()
    );
    assert_eq!(
        messages(&results, "IAM202"),
        ["frank", "gina", "harry"].map(|u| format!("`role/vendor` requires `sts:ExternalId`, which the console cannot pass, yet console identity `user/{u}` is granted it")).to_vec()
    );
    assert_eq!(
        messages(&results, "IAM201"),
        vec!["console identity `user/frank` (and 2 other console identities) reaches `role/target` only by chaining user/frank -> role/jump -> role/target: the console switches roles with the original identity and cannot chain".to_owned()]
    );
    assert_eq!(
        messages(&results, "IAM204"),
        vec![format!("`{LONG}` is {} characters, over the console's 64; `user/frank` cannot switch to it in the console", LONG.len())]
    );
    assert_eq!(
        messages(&results, "IAM104"),
        vec![format!("trust policy of `role/orphan` delegates to account `{HUB}`, but no user or role of that account is allowed to assume it")]
    );
}

/// CloudFormation templates, whose account is each template's own: a role of one template
/// granted every role (`Resource: "*"`) is grouped with the roles whose trusts name
/// accounts only, judged once for its own template and once for every other; a role whose
/// trust names a role's ARN is a light edge with its own verdict (none is listed). Every
/// implied edge has the verdict its full judgment gives.
#[test]
fn a_template_holder_of_a_wide_grant_is_grouped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let role = |name: &str, principal: Value| {
        json!({"Type": "AWS::IAM::Role", "Properties": {"RoleName": name, "Path": "/",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}}})
    };
    let root = json!({"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}});
    let mut own = serde_json::Map::new();
    let mut admin = role("admin", json!({"Service": "ec2.amazonaws.com"}));
    admin["Properties"]["Policies"] = json!([{"PolicyName": "all", "PolicyDocument": policy(
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]))}]);
    own.insert("Admin".into(), admin);
    own.insert("Mine".into(), role("mine", root.clone()));
    template(dir.path(), "a.template.json", Value::Object(own));
    let mut other = serde_json::Map::new();
    for j in 0..SPOKES {
        let principal = match j % 3 {
            0 => json!({"Service": "lambda.amazonaws.com"}),
            1 => root.clone(),
            _ => json!({"AWS": format!("arn:aws:iam::{SPOKE}:role/deployer")}),
        };
        other.insert(format!("Role{j}"), role(&format!("other-{j}"), principal));
    }
    template(dir.path(), "b.template.json", Value::Object(other));
    let scan = scan(dir.path());
    let g = &scan.graph;
    let groups: Vec<(usize, usize)> = g
        .wide_groups()
        .iter()
        .map(|group| (group.holders.len(), group.roles.len()))
        .collect();
    // admin, towards every role but the ones whose trusts name the deployer's ARN.
    let named = (0..SPOKES).filter(|j| j % 3 == 2).count();
    assert_eq!(groups, [(1, 2 + SPOKES - named)]);
    assert!(g.edges.is_empty());
    assert_eq!(g.light_edges().len(), named);
    let mut verdicts = std::collections::BTreeMap::new();
    for e in g.implied_edges(&scan.inventory) {
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
        *verdicts.entry(e.verdict).or_insert(0) += 1;
    }
    // `mine` trusts its own template's account (by an `Fn::Sub` of the root's ARN); the
    // other template's account may or may not be admin's; service trusts (and its own EC2
    // trust) do not admit it, nor do the trusts that name the deployer.
    let lambda = (0..SPOKES).filter(|j| j % 3 == 0).count();
    let roots = SPOKES - named - lambda;
    assert_eq!(
        verdicts,
        [
            (Verdict::Holds, 1),
            (Verdict::MissingTrust, lambda + 1 + named),
            (Verdict::Uncertain, roots)
        ]
        .into_iter()
        .collect()
    );
}

/// A holder whose policies deny everything (`NotAction`, `Resource: "*"`) without MFA
/// beside its grant: the `Deny` may apply to every role alike, so its side towards each
/// is `Allowed` under a condition and it is grouped as a conditional holder. The same
/// `Deny` without a condition makes its holder `Denied` towards every role, a group of
/// its own whatever the roles' trusts. A `Deny` of a bucket only is no `Deny` of any
/// role; a `Deny` of some roles keeps its holder listed pair by pair. Every implied edge
/// has the verdict its full judgment gives.
#[test]
fn a_holder_denied_everything_without_mfa_is_a_conditional_group() {
    let dir = tempfile::tempdir().expect("temp dir");
    let grant = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/spoke-*"});
    let with_deny = |name: &str, deny: Value| user_with(name, false, grant.clone(), deny);
    let without_mfa = json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}});
    dump(
        dir.path(),
        "hub",
        vec![
            with_deny(
                "frank",
                json!({"Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*",
                    "Condition": without_mfa.clone()}),
            ),
            with_deny(
                "ivy",
                json!({"Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*"}),
            ),
            // A `Deny` that names no role changes nothing: hank is an unconditional holder.
            with_deny(
                "hank",
                json!({"Effect": "Deny", "NotAction": ["s3:GetObject"], "Resource": "arn:aws:s3:::logs/*"}),
            ),
            with_deny(
                "gina",
                json!({"Effect": "Deny", "Action": "sts:AssumeRole",
                    "Resource": format!("arn:aws:iam::{SPOKE}:role/spoke-0"), "Condition": without_mfa}),
            ),
        ],
        vec![],
    );
    let mut roles: Vec<Value> = (0..SPOKES)
        .map(|j| role(SPOKE, &format!("spoke-{j}"), json!(HUB), json!([])))
        .collect();
    roles.push(role(
        SPOKE,
        "spoke-closed",
        json!("333333333333"),
        json!([]),
    ));
    dump(dir.path(), "spoke", vec![], roles);
    let scan = scan(dir.path());
    let g = &scan.graph;
    let groups = group_shapes(g);
    assert_eq!(
        groups,
        [
            (1, HolderSide::Denied),
            (1, HolderSide::Allowed),
            (1, HolderSide::AllowedIf)
        ]
    );
    assert_eq!(g.edges.len(), SPOKES + 1, "gina's edges are listed");
    for e in g.implied_edges(&scan.inventory) {
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
    }
    let node = |arn: String| g.node_by_arn(&arn).expect("node");
    let frank = node(format!("arn:aws:iam::{HUB}:user/frank"));
    let ivy = node(format!("arn:aws:iam::{HUB}:user/ivy"));
    for (role, verdict) in [
        ("spoke-0", Verdict::Uncertain),
        ("spoke-closed", Verdict::MissingTrust),
    ] {
        let to = node(format!("arn:aws:iam::{SPOKE}:role/{role}"));
        assert_eq!(g.verdict_between(frank, to), Some(verdict), "{role}");
        assert_eq!(g.verdict_between(ivy, to), Some(Verdict::Denied), "{role}");
    }
}

/// A hub's pattern reaches roles whose account iamlint does not know (a Terraform
/// module's) and roles of a CloudFormation template: both are judged by their trusts
/// alone, so the hub's holders are grouped with them (no pair listed). A literal grant of a template's `${AWS::AccountId}` ARN from
/// outside the template names no role of it (only its own template's), so that pair is
/// listed and judged in full. Every implied edge has the verdict its full judgment gives.
#[test]
fn roles_of_no_known_account_and_templates_roles_are_judged_by_their_trusts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wide = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/app-*"});
    let literal = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": [
        "arn:aws:iam::${AWS::AccountId}:role/app-cfn-0", "arn:aws:iam::*:role/app-tf-1"]});
    dump(
        dir.path(),
        "hub",
        vec![
            user("alice", false, wide.clone()),
            user("carl", false, wide),
            user("bob", false, literal),
        ],
        vec![],
    );
    let mut hcl = String::new();
    for j in 0..SPOKES {
        let trust = if j % 2 == 0 { HUB } else { OTHER };
        hcl.push_str(&format!(
            "resource \"aws_iam_role\" \"tf_{j}\" {{\n  name = \"app-tf-{j}\"\n  assume_role_policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{ AWS = \"arn:aws:iam::{trust}:root\" }} }}]\n  }})\n}}\n"
        ));
    }
    std::fs::write(dir.path().join("roles.tf"), hcl).expect("write");
    let mut resources = serde_json::Map::new();
    for j in 0..SPOKES {
        resources.insert(
            format!("Role{j}"),
            json!({"Type": "AWS::IAM::Role", "Properties": {"RoleName": format!("app-cfn-{j}"),
                "AssumeRolePolicyDocument": policy(json!([{"Effect": "Allow",
                    "Principal": {"AWS": HUB}, "Action": "sts:AssumeRole"}]))}}),
        );
    }
    template(dir.path(), "app.template.json", Value::Object(resources));
    let scan = scan(dir.path());
    let g = &scan.graph;
    let node = |arn: String| g.node_by_arn(&arn).expect("node");
    let tf = |j: usize| node(format!("arn:aws:iam::${{unknown-account}}:role/app-tf-{j}"));
    assert!(
        g.nodes[tf(0)].account.known().is_none(),
        "a Terraform role's account is not known"
    );
    // (bob's pattern names one role, but its prefix leaves every role to try)
    assert_eq!(
        group_shapes(g),
        [(2, HolderSide::Allowed), (1, HolderSide::Allowed)]
    );
    assert_eq!(g.wide_groups()[0].roles.len(), 2 * SPOKES);
    let bob = node(format!("arn:aws:iam::{HUB}:user/bob"));
    let cfn0 = node("arn:aws:iam::${AWS::AccountId}:role/app-cfn-0".to_owned());
    let listed: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(listed, [(bob, cfn0)]);
    let mut verdicts = std::collections::BTreeMap::new();
    for e in g.implied_edges(&scan.inventory) {
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
        *verdicts.entry(e.verdict).or_insert(0) += 1;
    }
    // The hub's account is named by half the Terraform trusts; a template's caller of
    // a bare account id is admitted whatever account the template is deployed to.
    assert_eq!(
        verdicts,
        [
            (Verdict::Holds, 2 * (SPOKES / 2 + SPOKES)),
            (Verdict::MissingTrust, 2 * (SPOKES / 2) + 1),
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(g.verdict_between(bob, tf(1)), Some(Verdict::MissingTrust));
}

/// Holders allowed some roles with MFA and others without: the side towards each role is
/// `Allowed`, under a condition only where a grant with one names the role. mia's
/// unconditional wide pattern makes her a group's holder, and the two roles her grant
/// with MFA names are light edges under a condition, which stand for the group's pairs;
/// max's wide pattern is the one under a condition, so each of its pairs is a light edge
/// (none listed). A switch that would hold is uncertain only behind the condition.
#[test]
fn a_holder_with_and_without_conditions_is_judged_by_grant() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pattern = "arn:aws:iam::*:role/spoke-*";
    let mfa = json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}});
    let with = |name: &str, first: Value, second: Value| user_with(name, false, first, second);
    let mia = with(
        "mia",
        json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": pattern}),
        json!({"Effect": "Allow", "Action": "sts:AssumeRole",
            "Resource": [format!("arn:aws:iam::{SPOKE}:role/spoke-0"), format!("arn:aws:iam::{SPOKE}:role/prod")],
            "Condition": mfa.clone()}),
    );
    let max = with(
        "max",
        json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": pattern, "Condition": mfa}),
        json!({"Effect": "Allow", "Action": "sts:AssumeRole",
            "Resource": format!("arn:aws:iam::{SPOKE}:role/prod")}),
    );
    dump(dir.path(), "hub", vec![mia, max], vec![]);
    let mut roles: Vec<Value> = (0..SPOKES)
        .map(|j| role(SPOKE, &format!("spoke-{j}"), json!(HUB), json!([])))
        .collect();
    roles.push(role(SPOKE, "prod", json!(HUB), json!([])));
    dump(dir.path(), "spoke", vec![], roles);
    let scan = scan(dir.path());
    let g = &scan.graph;
    assert!(g.edges.is_empty(), "no pair listed");
    assert_eq!(group_shapes(g), [(1, HolderSide::Allowed)]);
    let sides: Vec<HolderSide> = g.light_edges().iter().map(|e| e.side).collect();
    assert_eq!(sides.len(), 2 + SPOKES + 1);
    let conditional = sides
        .iter()
        .filter(|&&s| s == HolderSide::AllowedIf)
        .count();
    assert_eq!(
        conditional,
        2 + SPOKES,
        "mia's spoke-0 and prod, max's spokes"
    );
    let node = |arn: String| g.node_by_arn(&arn).expect("node");
    let mia = node(format!("arn:aws:iam::{HUB}:user/mia"));
    let max = node(format!("arn:aws:iam::{HUB}:user/max"));
    for (who, role, verdict) in [
        (mia, "spoke-0", Verdict::Uncertain),
        (mia, "spoke-1", Verdict::Holds),
        (mia, "prod", Verdict::Uncertain),
        (max, "spoke-0", Verdict::Uncertain),
        (max, "spoke-1", Verdict::Uncertain),
        (max, "prod", Verdict::Holds),
    ] {
        let to = node(format!("arn:aws:iam::{SPOKE}:role/{role}"));
        assert_eq!(g.verdict_between(who, to), Some(verdict), "{role}");
    }
    for e in g.implied_edges(&scan.inventory) {
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
    }
}

/// A template's role granted `arn:aws:iam::${AWS::AccountId}:role/deploy` by name: the
/// text names a role in each of two templates, but only its own template's. Both pairs
/// are listed and judged in full (allowed towards its own, not towards the other's); its
/// grant of a role of a known account is a light edge.
#[test]
fn a_templates_literal_own_account_arn_names_only_its_own_templates_role() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spoke = role(SPOKE, "spoke-0", json!(HUB), json!([]));
    let role = |name: &str, principal: Value| {
        json!({"Type": "AWS::IAM::Role", "Properties": {"RoleName": name,
            "AssumeRolePolicyDocument": policy(json!([{"Effect": "Allow",
                "Principal": principal, "Action": "sts:AssumeRole"}]))}})
    };
    let root = json!({"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}});
    let mut ci = role("ci", json!({"Service": "codebuild.amazonaws.com"}));
    ci["Properties"]["Policies"] = json!([{"PolicyName": "deploy", "PolicyDocument": policy(json!([
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": [
            {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/deploy"},
            format!("arn:aws:iam::{SPOKE}:role/spoke-0")]}]))}]);
    for (file, resources) in [
        (
            "a.template.json",
            json!({"Ci": ci, "Deploy": role("deploy", root.clone())}),
        ),
        ("b.template.json", json!({"Deploy": role("deploy", root)})),
    ] {
        template(dir.path(), file, resources);
    }
    dump(dir.path(), "spoke", vec![], vec![spoke]);
    let scan = scan(dir.path());
    let g = &scan.graph;
    let deploys: Vec<usize> = (0..g.nodes.len())
        .filter(|&n| g.nodes[n].arn.as_str() == "arn:aws:iam::${AWS::AccountId}:role/deploy")
        .collect();
    assert_eq!(deploys.len(), 2);
    let listed: Vec<usize> = g.edges.iter().map(|e| e.to).collect();
    assert_eq!(listed, deploys);
    let verdicts: Vec<Verdict> = g.edges.iter().map(|e| e.verdict).collect();
    // Its own template's `deploy` trusts the template's account and is granted; the
    // other template's trusts its own account, which may be the same one.
    assert_eq!(verdicts, [Verdict::Holds, Verdict::Uncertain]);
    assert_eq!(g.light_edges().len(), 1, "ci -> spoke-0");
    for e in g.implied_edges(&scan.inventory) {
        assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
    }
}

/// Issue 16's held-out organisation, in small: a hub's humans granted a pattern
/// unconditionally, only with MFA, both (some roles by name with MFA), or denied every
/// role, reaching roles of Terraform modules (no known account) and of CloudFormation
/// templates. What the graph keeps grows with holders plus roles, never with their
/// product: at four times the holders and roles nothing is listed pair by pair, and the
/// light edges grow with the holders alone.
#[test]
fn the_graph_grows_with_holders_plus_roles_not_their_product() {
    let kept = |holders: usize, roles: usize| {
        let dir = tempfile::tempdir().expect("temp dir");
        let pattern = "arn:aws:iam::*:role/app-*";
        let grant = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": pattern});
        let mfa = json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}});
        let with_mfa = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": pattern,
            "Condition": mfa.clone()});
        let one_with_mfa = json!({"Effect": "Allow", "Action": "sts:AssumeRole",
            "Resource": "arn:aws:iam::${unknown-account}:role/app-tf-0", "Condition": mfa});
        let deny_all =
            json!({"Effect": "Deny", "NotAction": "iam:ChangePassword", "Resource": "*"});
        let mut users = Vec::new();
        for i in 0..holders {
            let (first, second) = match i % 4 {
                0 => (&grant, None),
                1 => (&with_mfa, None),
                2 => (&grant, Some(&one_with_mfa)),
                _ => (&grant, Some(&deny_all)),
            };
            let name = format!("h{i}");
            users.push(match second {
                Some(second) => user_with(&name, true, first.clone(), second.clone()),
                None => user(&name, true, first.clone()),
            });
        }
        dump(dir.path(), "hub", users, vec![]);
        let mut hcl = String::new();
        let mut resources = serde_json::Map::new();
        for j in 0..roles {
            hcl.push_str(&format!(
                "resource \"aws_iam_role\" \"tf_{j}\" {{\n  name = \"app-tf-{j}\"\n  assume_role_policy = jsonencode({{\n    Statement = [{{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{ AWS = \"arn:aws:iam::{HUB}:root\" }} }}]\n  }})\n}}\n"
            ));
            resources.insert(
                format!("Role{j}"),
                json!({"Type": "AWS::IAM::Role", "Properties": {"RoleName": format!("app-cfn-{j}"),
                    "AssumeRolePolicyDocument": policy(json!([{"Effect": "Allow",
                        "Principal": {"AWS": HUB}, "Action": "sts:AssumeRole"}]))}}),
            );
        }
        std::fs::write(dir.path().join("roles.tf"), hcl).expect("write");
        template(dir.path(), "app.template.json", Value::Object(resources));
        let scan = scan(dir.path());
        let g = &scan.graph;
        for e in g.implied_edges(&scan.inventory) {
            assert_eq!(g.implied_verdict(e.from, e.to), Some(e.verdict));
        }
        (g.edges.len(), g.light_edges().len(), g.wide_groups().len())
    };
    let small = kept(8, SPOKES);
    let large = kept(32, 4 * SPOKES);
    assert_eq!(small, (0, 2, 3), "(listed, light, groups)");
    assert_eq!(large, (0, 8, 3), "(listed, light, groups)");
}
