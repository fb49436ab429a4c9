//! Unit tests of the template loader.

use super::template::{Text, MAX_TEXT};
use super::*;
use crate::config::Config;
use crate::model::inventory::Account;
use crate::model::location::Anchor;
use crate::model::location::{DocOrigin, Location};
use crate::model::policy::PolicyDocument;
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

fn load_value(value: Value) -> Contribution {
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
        "Bucket": {"Type": "AWS::S3::Bucket"}
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
        trust.unresolved,
        vec![JsonPath::from_pointer("/Statement/0/Condition")]
    );
    assert!(trust.has_unresolved(&JsonPath::from_pointer("/Statement/0")));
    assert!(!trust.has_unresolved(&JsonPath::from_pointer("/Statement/0/Principal")));
    let inline = &role.policies[0];
    assert_eq!(inline.label, "policy prod-extra of Role");
    assert_eq!(
        inline.unresolved,
        vec![JsonPath::from_pointer("/Statement/0/Action/1")]
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

fn load_yaml_text(text: &str) -> Contribution {
    let config = Config::default();
    let ctx = LoadContext::new(&config);
    let input = FileInput {
        id: 3,
        path: Path::new("stack.yaml"),
        text,
        offset: 0,
    };
    load_yaml(&ctx, &input)
}

/// What a contribution says about its roles and documents, whatever the syntax.
fn summary(out: &Contribution) -> Vec<String> {
    let mut lines = Vec::new();
    for r in &out.roles {
        lines.push(format!(
            "role {} {} {:?} {:?}",
            r.name, r.arn, r.attached, r.max_session_duration
        ));
        for d in r.trust.iter().chain(&r.policies) {
            lines.push(format!(
                "  {} {:?} {:?} unresolved {:?}",
                d.label, d.version, d.statements, d.unresolved
            ));
        }
    }
    for m in &out.managed_policies {
        lines.push(format!("managed {}", m.arn));
    }
    for f in &out.findings {
        lines.push(format!("finding {} {}", f.rule, f.message));
    }
    lines
}

const YAML_TWIN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Tooling: {Type: String, Default: 012345678901}
Resources:
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${Env}-deploy"
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:${AWS::Partition}:iam::${Tooling}:root"
            Action: sts:AssumeRole
            Condition:
              Bool: {aws:MultiFactorAuthPresent: true}
      ManagedPolicyArns: [!Ref Boundary]
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource: !Join ["", ["arn:aws:s3:::", !ImportValue Bucket, "/*"]]
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: iam:PassRole
            Resource: !GetAtt Deploy.Arn
  Broken:
    Type: AWS::IAM::Role
    Properties:
      RoleName: broken
"#;

#[test]
fn json_and_yaml_twins_load_the_same() {
    let json_twin = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {
            "Env": {"Type": "String", "Default": "prod"},
            "Tooling": {"Type": "String", "Default": "012345678901"}
        },
        "Resources": {
            "Deploy": {"Type": "AWS::IAM::Role", "Properties": {
                "RoleName": {"Fn::Sub": "${Env}-deploy"},
                "MaxSessionDuration": 7200,
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${Tooling}:root"}},
                    "Action": "sts:AssumeRole",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": true}}
                }]},
                "ManagedPolicyArns": [{"Ref": "Boundary"}],
                "Policies": [{"PolicyName": "read", "PolicyDocument": {"Statement": [{
                    "Effect": "Allow", "Action": ["s3:GetObject"],
                    "Resource": {"Fn::Join": ["", ["arn:aws:s3:::", {"Fn::ImportValue": "Bucket"}, "/*"]]}
                }]}}]
            }},
            "Boundary": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
                "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                    "Resource": {"Fn::GetAtt": "Deploy.Arn"}}]
            }}},
            "Broken": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "broken"}}
        }
    });
    let from_json = summary(&load_value(json_twin));
    let from_yaml = summary(&load_yaml_text(YAML_TWIN));
    assert_eq!(from_json, from_yaml);
    // The account id stays text with its leading zero.
    assert!(
        from_yaml
            .iter()
            .any(|l| l.contains("arn:aws:iam::012345678901:root")),
        "{from_yaml:#?}"
    );
}

#[test]
fn yaml_places_are_the_yaml_text() {
    let out = load_yaml_text(YAML_TWIN);
    let at = |loc: &Location| match loc.anchor {
        Anchor::Bytes { start, end } => YAML_TWIN.get(start..end).unwrap_or("?").to_owned(),
        ref other => format!("{other:?}"),
    };
    let deploy = &out.roles[0];
    assert!(at(&deploy.defined_at[0]).starts_with("Type: AWS::IAM::Role"));
    let trust = deploy.trust.as_ref().expect("trust");
    let principal = trust
        .origin
        .at(&JsonPath::from_pointer("/Statement/0/Principal/AWS"));
    assert_eq!(
        at(&principal),
        r#"!Sub "arn:${AWS::Partition}:iam::${Tooling}:root""#
    );
    let key = trust
        .origin
        .key_at(&JsonPath::from_pointer("/Statement/0/Condition"));
    assert_eq!(at(&key), "Condition");
    let broken = &out.findings[0];
    assert_eq!(broken.rule, MALFORMED_SOURCE);
    assert_eq!(at(&broken.primary), "RoleName: broken");
}

#[test]
fn yaml_policy_strings_are_placed_at_the_string() {
    let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: '{\"Statement\": []}'\n";
    let out = load_yaml_text(text);
    let doc = out.managed_policies[0].document.as_ref().expect("document");
    let loc = doc.origin.at(&JsonPath::from_pointer("/Statement"));
    assert_eq!(
        loc.anchor,
        Anchor::Bytes {
            start: text.find('\'').unwrap_or(0),
            end: text.len() - 1
        }
    );
}

#[test]
fn bad_yaml_is_one_invalid_finding() {
    let out = load_yaml_text("AWSTemplateFormatVersion: x\nResources:\n  A: [\n");
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].rule, crate::sources::INVALID_JSON);
    assert!(out.findings[0].message.starts_with("invalid YAML: "));
    assert!(out.hide_source);
    assert!(out.roles.is_empty());
}

#[test]
fn macros_may_supply_what_a_template_lacks() {
    let role = json!({"Type": "AWS::IAM::Role", "Properties": {"RoleName": "r"}});
    let with = |transform: Option<Value>, role: Value| {
        let mut t = json!({"Resources": {"R": role}});
        if let (Some(obj), Some(tr)) = (t.as_object_mut(), transform) {
            obj.insert("Transform".into(), tr);
        }
        load_value(t).findings.len()
    };
    assert_eq!(with(None, role.clone()), 1);
    assert_eq!(
        with(Some(json!("AWS::Serverless-2016-10-31")), role.clone()),
        1
    );
    assert_eq!(with(Some(json!("ExecutionRoleBuilder")), role.clone()), 0);
    assert_eq!(
        with(Some(json!(["AWS::Serverless-2016-10-31", "Mine"])), role),
        0
    );
    let included = json!({"Type": "AWS::IAM::Role", "Properties": {
        "Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}
    }});
    assert_eq!(with(None, included), 0);
}

#[test]
fn yaml_the_spec_forbids_but_cloudformation_takes_is_a_note() {
    // A quoted scalar continued at its key's indentation: PyYAML and CloudFormation read it.
    let text = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: 'AWS::IAM::User\n    '\n";
    let out = load_yaml_text(text);
    assert_eq!(out.findings.len(), 1, "{:?}", out.findings);
    assert_eq!(out.findings[0].severity, crate::finding::Severity::Note);
    assert!(out.findings[0]
        .message
        .starts_with("YAML template not read: "));
}

#[test]
fn sam_functions_get_the_role_sam_makes() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 3
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      RolePath: app
      Policies:
        - S3ReadPolicy: {BucketName: b}
        - AmazonS3ReadOnlyAccess
        - !Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess
        - Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]
  Named:
    Type: AWS::Serverless::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/existing
  Single:
    Type: AWS::Serverless::Function
    Properties:
      Policies: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: "*"}]}
"#;
    let out = load_yaml_text(text);
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    let names: Vec<_> = out.roles.iter().map(|r| r.arn.as_str()).collect();
    assert_eq!(
        names,
        [
            "arn:aws:iam::${AWS::AccountId}:role/app/<FnRole>",
            "arn:aws:iam::${AWS::AccountId}:role/<SingleRole>"
        ]
    );
    let f = &out.roles[0];
    // Bare names and policy templates are SAM's to expand: left out, not guessed.
    assert_eq!(
        f.attached,
        [
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        ]
    );
    assert_eq!(f.policies.len(), 1);
    let trust = f.trust.as_ref().expect("SAM's trust");
    assert_eq!(
        format!("{:?}", trust.statements[0].principal),
        format!("{:?}", {
            let doc = PolicyDocument::from_value(
                &json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
                trust.origin.clone(),
                crate::model::policy::PolicyKind::Trust,
                String::new(),
            );
            doc.statements[0].principal.clone()
        })
    );
    assert_eq!(out.roles[1].policies.len(), 1);
    // A role from Globals means SAM makes none.
    let global = "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Role: r\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {}\n";
    assert!(load_yaml_text(global).roles.is_empty());
}

#[test]
fn later_yaml_documents_are_a_note() {
    let text = "Resources:\n  U: {Type: AWS::IAM::User}\n---\nResources: [broken\n";
    let out = load_yaml_text(text);
    assert_eq!(out.users.len(), 1);
    assert_eq!(out.findings.len(), 1, "{:?}", out.findings);
    let note = &out.findings[0];
    assert_eq!(note.severity, crate::finding::Severity::Note);
    assert_eq!(
        note.primary.anchor,
        Anchor::Bytes {
            start: text.find("---").unwrap_or(0),
            end: text.find("---").unwrap_or(0) + 1
        }
    );
}
