//! Unit tests of the template loader.

use super::template::{Text, MAX_TEXT};
use super::*;
use crate::config::Config;
use crate::model::inventory::Account;
use crate::model::location::Anchor;
use crate::model::location::DocOrigin;
use crate::sources::MALFORMED_SOURCE;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

fn load_with(config: &Config, value: &Value) -> Contribution {
    let ctx = LoadContext::new(config);
    let text = value.to_string();
    let input = FileInput {
        id: 3,
        path: Path::new("stack.json"),
        text: &text,
        offset: 0,
    };
    load(&ctx, &input, value)
}

pub(super) fn load_value(value: Value) -> Contribution {
    load_with(&Config::default(), &value)
}

fn template(resources: Value) -> Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {
            "Env": {"Type": "String", "Default": "prod"},
            "Tooling": {"Type": "String", "Default": "111122223333"},
            "Count": {"Type": "Number", "Default": 3},
            "NoDefault": {"Type": "String"},
            "Subnets": {"Type": "CommaDelimitedList", "Default": "a,b"},
            "Version": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk/version"}
        },
        "Resources": resources
    })
}

fn trust() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
}

fn findings(out: &Contribution) -> Vec<(String, String)> {
    out.findings
        .iter()
        .map(|f| {
            let path = match &f.primary.anchor {
                Anchor::Json { path, .. } => path.to_string(),
                other => format!("{other:?}"),
            };
            (path, f.message.clone())
        })
        .collect()
}

/// Resolves one value in the context of `template(resources)`.
fn resolve(resources: Value, v: Value, account: Option<&str>) -> Text {
    let t = template(resources);
    let empty = Map::new();
    let tpl = Template {
        file: 3,
        account: account.map(str::to_owned),
        params: t.get("Parameters").and_then(Value::as_object),
        resources: t
            .get("Resources")
            .and_then(Value::as_object)
            .unwrap_or(&empty),
        names: RefCell::default(),
        front: super::template::Front::Json,
        function_globals: None,
        stack_name: None,
        quiet: false,
        out: Contribution::default(),
    };
    tpl.scalar(&v, 0)
}

fn role_resources() -> Value {
    json!({
        "Named": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Fn::Sub": "${Env}-deploy"}, "Path": "/ci/", "AssumeRolePolicyDocument": trust()}},
        "Unnamed": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust()}},
        "Boundary": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": []}}},
        "Bucket": {"Type": "AWS::S3::Bucket"},
        "GithubOidc": {"Type": "AWS::IAM::OIDCProvider", "Properties": {"Url": "https://token.actions.githubusercontent.com", "ClientIdList": ["sts.amazonaws.com"]}},
        "Okta": {"Type": "AWS::IAM::SAMLProvider", "Properties": {"Name": "Okta", "SamlMetadataDocument": "<EntityDescriptor/>"}}
    })
}

#[test]
fn resolves_refs_and_pseudo_parameters() {
    let r = |v| resolve(role_resources(), v, None);
    assert_eq!(r(json!({"Ref": "Env"})), Text::known("prod"));
    assert_eq!(r(json!({"Ref": "Count"})), Text::known("3"));
    assert_eq!(r(json!({"Ref": "AWS::Partition"})), Text::known("aws"));
    assert_eq!(
        r(json!({"Ref": "AWS::AccountId"})),
        Text::known(TEMPLATE_ACCOUNT)
    );
    assert_eq!(
        resolve(
            role_resources(),
            json!({"Ref": "AWS::AccountId"}),
            Some("444455556666")
        ),
        Text::known("444455556666")
    );
    assert_eq!(r(json!({"Ref": "Named"})), Text::known("prod-deploy"));
    assert_eq!(r(json!({"Ref": "Unnamed"})), Text::known("<Unnamed>"));
    assert_eq!(
        r(json!({"Ref": "Boundary"})),
        Text::known("arn:aws:iam::${AWS::AccountId}:policy/<Boundary>")
    );
    // Never guessed: no default, a list, an SSM parameter name, the region, a bucket.
    for v in [
        json!({"Ref": "NoDefault"}),
        json!({"Ref": "Subnets"}),
        json!({"Ref": "Version"}),
        json!({"Ref": "AWS::Region"}),
        json!({"Ref": "AWS::StackName"}),
        json!({"Ref": "Bucket"}),
        json!({"Ref": "Missing"}),
    ] {
        let t = r(v.clone());
        assert!(!t.known && t.text.contains("${"), "{v}: {t:?}");
    }
}

#[test]
fn resolves_get_att_sub_and_join() {
    let r = |v| resolve(role_resources(), v, Some("444455556666"));
    let named = "arn:aws:iam::444455556666:role/ci/prod-deploy";
    assert_eq!(
        r(json!({"Fn::GetAtt": ["Named", "Arn"]})),
        Text::known(named)
    );
    assert_eq!(r(json!({"Fn::GetAtt": "Named.Arn"})), Text::known(named));
    assert_eq!(
        r(json!({"Fn::GetAtt": ["Unnamed", "Arn"]})),
        Text::known("arn:aws:iam::444455556666:role/<Unnamed>")
    );
    assert_eq!(
        r(json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${Tooling}:root"})),
        Text::known("arn:aws:iam::111122223333:root")
    );
    assert_eq!(r(json!({"Fn::Sub": "${Named.Arn}"})), Text::known(named));
    assert_eq!(
        r(json!({"Ref": "GithubOidc"})),
        Text::known("arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com")
    );
    assert_eq!(
        r(json!({"Fn::GetAtt": ["Okta", "Arn"]})),
        Text::known("arn:aws:iam::444455556666:saml-provider/Okta")
    );
    assert_eq!(
        r(json!({"Fn::Sub": ["arn:aws:s3:::${B}-${Env}/*", {"B": "logs"}]})),
        Text::known("arn:aws:s3:::logs-prod/*")
    );
    // Policy variables and `${!…}` escapes stay as written.
    assert_eq!(
        r(json!({"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:user/${aws:username}"})),
        Text::known("arn:aws:iam::444455556666:user/${aws:username}")
    );
    assert_eq!(
        r(json!({"Fn::Sub": "${!Literal}-${Env}"})),
        Text::known("${Literal}-prod")
    );
    assert_eq!(
        r(
            json!({"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "iam", "", {"Ref": "AWS::AccountId"}, "root"]]})
        ),
        Text::known("arn:aws:iam::444455556666:root")
    );
    // A part unknown: the rest is kept, the whole is unknown.
    let t = r(json!({"Fn::Sub": "arn:aws:s3:::${NoDefault}/*"}));
    assert_eq!(t.text, "arn:aws:s3:::${NoDefault}/*");
    assert!(!t.known);
    let t = r(json!({"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}]]}));
    assert_eq!(t.text, "arn:aws:s3:::${Bucket}");
    assert!(!t.known);
    for v in [
        json!({"Fn::If": ["C", "a", "b"]}),
        json!({"Fn::Select": [0, ["a"]]}),
        json!({"Fn::ImportValue": "x"}),
        json!({"Fn::GetAtt": ["Named", "RoleId"]}),
        json!({"Fn::GetAtt": ["Bucket", "Arn"]}),
        json!({"Fn::Join": [",", {"Ref": "Subnets"}]}),
    ] {
        let t = r(v.clone());
        assert!(!t.known && t.text.contains("${"), "{v}: {t:?}");
    }
}

#[test]
fn self_reference_does_not_loop() {
    let res = json!({"Loop": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Ref": "Loop"}, "AssumeRolePolicyDocument": trust()}}});
    let t = resolve(res, json!({"Ref": "Loop"}), None);
    assert!(!t.known);
}

#[test]
fn names_referring_to_each_other_stay_cheap() {
    // Each name joins the next one 200 times: without the name cache this is 200^5
    // lookups; without the length cap, gigabytes of text.
    let mut res = Map::new();
    for i in 0..6 {
        let name = if i == 5 {
            json!("leaf")
        } else {
            let item = json!({"Ref": format!("R{}", i + 1)});
            json!({"Fn::Join": ["", vec![item; 200]]})
        };
        res.insert(
            format!("R{i}"),
            json!({"Type": "AWS::IAM::Group", "Properties": {"GroupName": name}}),
        );
    }
    let started = std::time::Instant::now();
    let t = resolve(Value::Object(res), json!({"Ref": "R0"}), None);
    assert!(!t.known);
    assert!(t.text.len() <= MAX_TEXT + 64);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn documents_are_resolved_copies_at_their_template_paths() {
    let out = load_value(template(json!({
        "Role": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${Tooling}:root"}},
                "Action": "sts:AssumeRole",
                "Condition": {"Fn::If": ["IsProd", {"Bool": {"aws:MultiFactorAuthPresent": "true"}}, {"Ref": "AWS::NoValue"}]}
            }]},
            "Policies": [{"PolicyName": {"Fn::Sub": "${Env}-extra"}, "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", {"Fn::If": ["C", "s3:PutObject", "s3:ListBucket"]}], "Resource": "*"}
            ]}}]
        }}
    })));
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    let role = &out.roles[0];
    let trust = role.trust.as_ref().unwrap();
    assert_eq!(
        trust.origin,
        DocOrigin::Json {
            file: 3,
            base: JsonPath::from_pointer("/Resources/Role/Properties/AssumeRolePolicyDocument")
        }
    );
    let principal = trust.statements[0].principal.as_ref().unwrap();
    assert_eq!(
        *principal.entries[0].values,
        ["arn:aws:iam::111122223333:root"]
    );
    // The unresolved condition holds a placeholder string, which is no condition map.
    assert!(trust.statements[0].conditions.is_empty());
    assert_eq!(
        *trust.unresolved,
        [JsonPath::from_pointer("/Statement/0/Condition")]
    );
    assert!(trust.has_unresolved(&JsonPath::from_pointer("/Statement/0")));
    assert!(!trust.has_unresolved(&JsonPath::from_pointer("/Statement/0/Principal")));
    let inline = &role.policies[0];
    assert_eq!(inline.label, "policy prod-extra of Role");
    assert_eq!(
        *inline.unresolved,
        [JsonPath::from_pointer("/Statement/0/Action/1")]
    );
    let action = inline.statements[0].action.as_ref().unwrap();
    // One value for one value: indices (and so positions) are unchanged.
    assert_eq!(*action.values, ["s3:GetObject", "${Fn::If}"]);
    assert!(inline.is_unresolved(&JsonPath::from_pointer("/Statement/0/Action/1")));
}

#[test]
fn entities_accounts_and_arns() {
    let resources = json!({
        "Deploy": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": {"Fn::Sub": "${Env}-deploy"}, "Path": "/ci/", "MaxSessionDuration": 7200,
            "AssumeRolePolicyDocument": trust(),
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", {"Ref": "Boundary"}, {"Fn::ImportValue": "x"}]
        }},
        "Boundary": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"ManagedPolicyName": "b", "PolicyDocument": {"Statement": []}}},
        "Admins": {"Type": "AWS::IAM::Group", "Properties": {"GroupName": "admins"}},
        "Person": {"Type": "AWS::IAM::User", "Properties": {"Groups": [{"Ref": "Admins"}], "LoginProfile": {"Password": {"Ref": "NoDefault"}}}},
        "Robot": {"Type": "AWS::IAM::User", "Properties": {"UserName": "robot", "LoginProfile": {"Fn::If": ["C", {"Password": "x"}, {"Ref": "AWS::NoValue"}]}}},
        "Quiet": {"Type": "AWS::IAM::User"}
    });
    let out = load_value(template(resources.clone()));
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    let role = &out.roles[0];
    assert_eq!(
        role.arn,
        "arn:aws:iam::${AWS::AccountId}:role/ci/prod-deploy"
    );
    assert_eq!(role.account, Account::Template(3));
    assert_eq!(
        (role.name.as_str(), role.path.as_str()),
        ("prod-deploy", "/ci/")
    );
    assert_eq!(role.max_session_duration, Some(7200));
    assert_eq!(
        role.attached,
        vec![
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::${AWS::AccountId}:policy/b"
        ]
    );
    let console: Vec<_> = out
        .users
        .iter()
        .map(|u| (u.name.as_str(), u.console))
        .collect();
    assert_eq!(
        console,
        vec![
            ("<Person>", Some(true)),
            ("robot", None),
            ("<Quiet>", Some(false))
        ]
    );
    assert_eq!(out.users[0].groups, vec!["admins"]);
    assert_eq!(
        out.managed_policies[0].arn,
        "arn:aws:iam::${AWS::AccountId}:policy/b"
    );

    let config = Config {
        default_account: Some("444455556666".into()),
        ..Config::default()
    };
    let out = load_with(&config, &template(resources));
    assert_eq!(
        out.roles[0].arn,
        "arn:aws:iam::444455556666:role/ci/prod-deploy"
    );
    assert_eq!(out.roles[0].account, Account::Known("444455556666".into()));
    assert_eq!(out.groups[0].arn, "arn:aws:iam::444455556666:group/admins");
}

#[test]
fn attachments_find_template_entities_or_make_stubs() {
    let out = load_value(template(json!({
        "Attach": {"Type": "AWS::IAM::Policy", "Properties": {
            "PolicyName": "p",
            "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]},
            "Roles": [{"Ref": "Deploy"}, "elsewhere", {"Fn::ImportValue": "x"}],
            "Groups": ["admins"]
        }},
        "Managed": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "PolicyDocument": {"Statement": []}, "Users": [{"Ref": "Person"}]
        }},
        "Join": {"Type": "AWS::IAM::UserToGroupAddition", "Properties": {"GroupName": {"Ref": "Admins"}, "Users": [{"Ref": "Person"}, "old-user"]}},
        "Orphan": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "o", "PolicyDocument": {"Statement": []}, "Roles": [{"Fn::ImportValue": "r"}]}},
        "Deploy": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust()}},
        "Admins": {"Type": "AWS::IAM::Group", "Properties": {"GroupName": "admins"}},
        "Person": {"Type": "AWS::IAM::User"}
    })));
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    let roles: Vec<_> = out
        .roles
        .iter()
        .map(|r| (r.arn.as_str(), r.policies.len()))
        .collect();
    assert_eq!(
        roles,
        vec![
            ("arn:aws:iam::${AWS::AccountId}:role/<Deploy>", 1),
            ("arn:aws:iam::${AWS::AccountId}:role/elsewhere", 1),
        ]
    );
    assert!(Arc::ptr_eq(
        &out.roles[0].policies[0],
        &out.roles[1].policies[0]
    ));
    assert_eq!(out.groups[0].policies.len(), 1);
    let person = &out.users[0];
    assert_eq!(
        person.attached,
        vec!["arn:aws:iam::${AWS::AccountId}:policy/<Managed>"]
    );
    assert_eq!(person.groups, vec!["admins"]);
    assert_eq!(out.users[1].name, "old-user");
    assert_eq!(out.users[1].groups, vec!["admins"]);
    // Attached to nothing known: still a document.
    assert_eq!(out.documents.len(), 1);
    assert_eq!(out.documents[0].label, "policy Orphan");
}

#[test]
fn string_documents_are_embedded_json() {
    let out = load_value(template(json!({
        "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust().to_string()}}
    })));
    let doc = out.roles[0].trust.as_ref().unwrap();
    assert!(matches!(
        doc.origin,
        DocOrigin::Embedded {
            url_encoded: false,
            ..
        }
    ));
    assert_eq!(doc.statements.len(), 1);
}

#[test]
fn unknown_documents_are_skipped_silently() {
    let out = load_value(template(json!({
        "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Fn::If": ["C", trust(), trust()]}}}
    })));
    assert!(out.findings.is_empty());
    assert!(out.roles[0].trust.is_none());
}

#[test]
fn shape_errors_are_findings_and_the_rest_loads() {
    let out = load_value(template(json!({
        "NotObject": "AWS::IAM::Role",
        "NoType": {"Properties": {}},
        "BadProps": {"Type": "AWS::IAM::Role", "Properties": ["x"]},
        "NoProps": {"Type": "AWS::IAM::Policy"},
        "NoTrust": {"Type": "AWS::IAM::Role", "Properties": {"Policies": {"PolicyName": "x"}}},
        "BadDoc": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": ["x"]}},
        "BadEntry": {"Type": "AWS::IAM::Group", "Properties": {"Policies": ["x", {"PolicyName": "p"}]}},
        "Fine": {"Type": "AWS::IAM::User"},
        "Lambda": {"Type": "AWS::Lambda::Function"}
    })));
    let got = findings(&out);
    let want = [
        (
            "/Resources/NotObject",
            "resource `NotObject` must be an object, found a string",
        ),
        ("/Resources/NoType", "resource `NoType` has no `Type`"),
        (
            "/Resources/BadProps/Properties",
            "`Properties` of `AWS::IAM::Role` resource `BadProps` must be an object, found a list",
        ),
        (
            "/Resources/NoProps",
            "`AWS::IAM::Policy` resource `NoProps` has no `Properties`",
        ),
        (
            "/Resources/NoTrust/Properties",
            "role `NoTrust` has no `AssumeRolePolicyDocument`",
        ),
        (
            "/Resources/NoTrust/Properties/Policies",
            "`Policies` must be a list, found an object",
        ),
        (
            "/Resources/BadEntry/Properties/Policies/0",
            "`Policies` entry must be an object, found a string",
        ),
        (
            "/Resources/BadEntry/Properties/Policies/1",
            "inline policy `p` has no `PolicyDocument`",
        ),
        (
            "/Resources/BadDoc/Properties/PolicyDocument",
            "policy document must be a JSON object, found a list",
        ),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(p, m)| (p.to_string(), m.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(out.users.len(), 1);
    assert_eq!(out.roles.len(), 1);
    assert!(out.findings.iter().all(|f| f.rule == MALFORMED_SOURCE));
}

#[test]
fn templates_without_resources() {
    let out = load_value(json!({"AWSTemplateFormatVersion": "2010-09-09"}));
    assert_eq!(
        findings(&out),
        vec![(String::new(), "template has no `Resources`".to_owned())]
    );
    let out = load_value(json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": []}));
    assert_eq!(
        findings(&out),
        vec![(
            "/Resources".to_owned(),
            "`Resources` must be an object, found a list".to_owned()
        )]
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// JSON made of this format's own keys and values, nested at random.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "AWS::IAM::Role|AWS::IAM::User|AWS::IAM::Group|AWS::IAM::Policy|AWS::IAM::ManagedPolicy|AWS::IAM::UserToGroupAddition|AWS::AccountId|R|P|R.Arn|\\$\\{R\\}|\\$\\{!x\\}|\\$\\{R.Arn|/a/|x".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("Resources|Type|Properties|Parameters|Default|Ref|Fn::Sub|Fn::GetAtt|Fn::Join|Fn::If|RoleName|Path|AssumeRolePolicyDocument|Policies|PolicyName|PolicyDocument|Roles|Users|Groups|ManagedPolicyArns|LoginProfile|GroupName|MaxSessionDuration|Statement|R|P", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn never_panics(v in json()) {
            let _ = load_value(v.clone());
            let _ = load_value(json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": v.clone(), "Parameters": v}));
        }
    }
}
