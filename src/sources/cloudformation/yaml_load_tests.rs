//! Unit tests of the loader on YAML templates: the same loading as JSON, places in the
//! YAML text, SAM functions, macros, and what becomes of YAML that does not read.

use super::tests::load_value;
use super::*;
use crate::config::Config;
use crate::model::location::{Anchor, Location};
use crate::model::policy::PolicyDocument;
use serde_json::json;
use std::path::Path;

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
                "  {} {:?} unresolved {:?}",
                d.label, d.statements, d.unresolved
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
fn yaml_the_spec_forbids_but_cloudformation_takes_is_read_or_a_note() {
    // A quoted scalar continued at its key's indentation: PyYAML and CloudFormation read
    // it, and so does iamlint (yaml_relax.rs).
    let text = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: 'AWS::IAM::User\n    '\n";
    assert!(load_yaml_text(text).findings.is_empty());
    // A flow collection's line after a comment is not joined to it: a note, not read.
    let text = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument: {\n        \"Statement\": [\n          {\n            \"Effect\": \"Allow\"\n          }\n        ] # why\n      }\n";
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

#[test]
fn sam_function_globals_give_trust_and_path_and_refuse_role_and_policies() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    RolePath: /apps/
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {Service: edgelambda.amazonaws.com}
          Action: sts:AssumeRole
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [AWSLambdaExecute]
  B:
    Type: AWS::Serverless::Function
    Properties:
      RolePath: /own/
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
"#;
    let out = load_yaml_text(text);
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    let arns: Vec<_> = out.roles.iter().map(|r| r.arn.as_str()).collect();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::${AWS::AccountId}:role/apps/<ARole>",
            "arn:aws:iam::${AWS::AccountId}:role/own/<BRole>"
        ]
    );
    let service = |role: &crate::model::inventory::Role| {
        format!(
            "{:?}",
            role.trust.as_ref().expect("trust").statements[0].principal
        )
    };
    // A takes the trust from Globals, placed there; B keeps its own.
    assert!(service(&out.roles[0]).contains("edgelambda.amazonaws.com"));
    assert!(!service(&out.roles[1]).contains("edgelambda"));
    let global_trust = out.roles[0].trust.as_ref().expect("trust");
    assert!(matches!(
        global_trust.origin,
        crate::model::location::DocOrigin::Mapped { .. }
    ));

    // `Role` and `Policies` in Globals: SAM's transform refuses them. Reported where they
    // are written, and never given to a function.
    let refused = r#"Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 3
    Role: arn:aws:iam::111122223333:role/shared
    Policies:
      - Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties: {}
"#;
    let out = load_yaml_text(refused);
    assert!(out.roles.is_empty());
    let messages: Vec<_> = out.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("`Role` in `Globals.Function`"));
    assert!(messages[1].contains("`Policies` in `Globals.Function`"));
    let role_at = refused.find("Role: arn").unwrap_or(0);
    assert!(matches!(
        out.findings[0].primary.anchor,
        Anchor::Bytes { start, .. } if start >= role_at && start < role_at + 40
    ));
    // Only `Policies`: the function gets its role, without the global policies.
    let policies_only = refused.replace("    Role: arn:aws:iam::111122223333:role/shared\n", "");
    let out = load_yaml_text(&policies_only);
    assert_eq!(out.findings.len(), 1, "{:?}", out.findings);
    assert_eq!(out.roles.len(), 1);
    assert!(out.roles[0].policies.is_empty());
}

#[test]
fn sam_state_machines_with_policies_get_a_role_trusting_step_functions() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: s3://bucket/flow.asl.json
      RolePath: /sfn/
      Policies:
        - LambdaInvokePolicy: {FunctionName: f}
        - arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess
        - Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: "*"}]
  Given:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: s3://bucket/flow.asl.json
      Role: arn:aws:iam::111122223333:role/flows
  Neither:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: s3://bucket/flow.asl.json
"#;
    let out = load_yaml_text(text);
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    assert_eq!(out.roles.len(), 1);
    let role = &out.roles[0];
    assert_eq!(
        role.arn,
        "arn:aws:iam::${AWS::AccountId}:role/sfn/<FlowRole>"
    );
    assert_eq!(
        role.attached,
        ["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"]
    );
    assert_eq!(role.policies.len(), 1);
    let trust = format!(
        "{:?}",
        role.trust.as_ref().expect("trust").statements[0].principal
    );
    assert!(trust.contains("states.amazonaws.com"), "{trust}");
    // Both `Role` and `Policies`: SAM refuses the resource.
    let both = text.replace(
        "      Role: arn:aws:iam::111122223333:role/flows\n",
        "      Role: arn:aws:iam::111122223333:role/flows\n      Policies: [AWSXrayWriteOnlyAccess]\n",
    );
    let out = load_yaml_text(&both);
    assert_eq!(out.findings.len(), 1, "{:?}", out.findings);
    assert!(out.findings[0]
        .message
        .contains("both `Role` and `Policies`"));
    assert_eq!(out.roles.len(), 1);
}
